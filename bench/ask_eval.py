"""Evaluate ``conflictlens ask`` on the hand-written question sets in bench/questions/.

    python bench/ask_eval.py --conflictlens CMD --set tune|heldout
                             [--corpus-root ../shared/corpus] [--ask api|cli] [--show]

For each document of the set, the script builds the document's corpus folder into a temporary
knowledge base once (``CMD build DIR --db KB``), exports it (``CMD export --format json``) to read
the KB's actor aliases, asks every question and judges the answers. It prints one row per
document (right / wrong / abstained, accuracy, cited) and the macro average over documents.

Question sets: ``bench/questions/<set>/<slug>.jsonl``, one JSON object per line with ``id``,
``question``, ``answers`` (short strings as the text writes them), ``kind`` (who, when, where,
how_many, list, relation_history, yesno or unanswerable), ``doc`` and ``quote`` (the sentence of
``doc`` that proves the answer). ``tune`` is for development; ``heldout`` has the same mix of
kinds and difficulty and measures whether a change generalises — read its questions only to
score, never to tune.

Judging follows the rules of the development referee (../shared/eval/score.py):

* texts are compared after normalisation (accents, case, punctuation, a leading "the", "'s");
  numbers lose their thousands separators ("28,000" = "28000");
* a gold answer holding a year is found when an answer gives the same date at the same
  precision ("27 September 1996" = "September 27, 1996");
* otherwise a gold answer is found when it, or any name of the KB actor it names, is an answer,
  a whole-word part of one, or a part of all answers joined;
* a question is right when every gold answer is found; a ``list`` question must also give no
  more than one answer beyond the gold list;
* an ``unanswerable`` question (the document does not state the fact) is right when no answer
  is given and wrong otherwise;
* an answerable question with no answer counts as abstained (a kind of wrong);
* ``cited`` counts right answers whose evidence overlaps the proving quote.

``--ask api`` (the default) loads each KB once and calls ``conflictlens.ask.answer`` in this
process with the package of this repository (``src/``), which must be the code ``CMD`` runs;
the first question of each document is also asked through ``CMD`` and a disagreement is
reported. ``--ask cli`` runs ``CMD ask --json --db KB QUESTION`` once per question instead.
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "bench" / "questions"
DEFAULT_CORPUS_ROOT = ROOT.parent / "shared" / "corpus"

# Question-set slug -> corpus folder (relative to --corpus-root) that is built into the KB.
CORPORA = {
    "afghan-civil-war-1996-2001": "afghanistan",
    "balkan-wars": "dev/balkan-wars",
    "sino-indian-war": "dev/sino-indian-war",
    "untaet-s-2000-738": "dev/untaet-s-2000-738",
}

ASK_TIMEOUT = 60  # seconds per ``CMD ask`` call
BUILD_TIMEOUT = 900  # seconds per ``CMD build`` call

MONTHS = {m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                      "september", "october", "november", "december"], 1)}


# ---------------------------------------------------------------------------------------
# Normalisation (the referee's rules)


def norm(name: str) -> str:
    """Lower-case ASCII words: no accents, punctuation, possessive "'s" or leading "the"."""
    s = unicodedata.normalize("NFKD", str(name))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = s.replace("’", "'").replace("‘", "'")
    s = re.sub(r"['`]s\b", "", s)
    s = re.sub(r"[^a-z0-9]+", " ", s).strip()
    return re.sub(r"^the ", "", s)


def as_number(text: str) -> str:
    """Drop thousands separators: "28,000" -> "28000"."""
    return re.sub(r"(?<=\d),(?=\d{3})", "", str(text))


def as_date(text: str) -> str | None:
    """'27 September 1996' / 'September 27, 1996' / '1996-09-27' / 'May 1997' -> ISO prefix."""
    t = str(text).lower().replace(",", " ")
    m = re.search(r"\b(1[5-9]\d\d|20\d\d)-(\d\d)(?:-(\d\d))?\b", t)
    if m:
        return "-".join(x for x in m.groups() if x)
    y = re.search(r"\b(1[5-9]\d\d|20\d\d)\b", t)
    if not y:
        return None
    mon = next((MONTHS[w] for w in re.findall(r"[a-z]+", t) if w in MONTHS), None)
    if mon is None:
        return y.group(1)
    d = re.search(r"\b(\d{1,2})\b", t.replace(y.group(1), " "))
    return f"{y.group(1)}-{mon:02d}" + (f"-{int(d.group(1)):02d}" if d else "")


# ---------------------------------------------------------------------------------------
# Judging


class Aliases:
    """Normalised names of the KB's actors: a gold answer naming an actor also matches any of
    the actor's other names."""

    def __init__(self, kb_json: dict):
        self.by_name: dict[str, set[int]] = {}
        self.names: list[set[str]] = []
        for i, actor in enumerate(kb_json.get("actors", [])):
            names = {norm(n) for n in [actor.get("name", ""), *actor.get("aliases", [])] if norm(n)}
            self.names.append(names)
            for n in names:
                self.by_name.setdefault(n, set()).add(i)

    def of(self, name: str) -> set[str]:
        """``name`` and every name of a KB actor that carries it (all normalised)."""
        out = {name}
        for i in self.by_name.get(name, ()):
            out |= self.names[i]
        return out


def _found(gold: str, texts: list[str], dates: set[str], blob: str, aliases: Aliases) -> bool:
    if as_date(gold) and re.search(r"\d{4}", gold) and as_date(gold) in dates:
        return True
    g = norm(as_number(gold))
    if not g:
        return False
    for c in aliases.of(g):
        if any(c == t or re.search(rf"\b{re.escape(c)}\b", t) for t in texts):
            return True
    return g in blob


def _cites(question: dict, evidence: list[dict]) -> bool:
    """Does some evidence quote of the answer overlap the question's proving quote?"""
    quote = question.get("quote", "")
    words = set(quote.split())
    for ev in evidence:
        if Path(str(ev.get("doc", ""))).name != Path(str(question.get("doc", ""))).name:
            continue
        q = ev.get("quote") or ""
        if q and (q in quote or quote in q or len(set(q.split()) & words) >= 0.5 * len(words)):
            return True
    return False


def judge(question: dict, reply: dict, aliases: Aliases) -> tuple[str, bool]:
    """Verdict ("right", "wrong" or "abstained") and whether a right answer cites the quote."""
    raw = [a.get("text", "") if isinstance(a, dict) else str(a) for a in reply.get("answers", [])]
    golds = question.get("answers", [])
    if question.get("kind") == "unanswerable" or not golds:
        return ("right" if not raw else "wrong"), False
    if not raw:
        return "abstained", False
    texts = [norm(as_number(t)) for t in raw]
    dates = {d for d in (as_date(t) for t in raw) if d}
    blob = " | ".join(texts)
    good = all(_found(g, texts, dates, blob, aliases) for g in golds)
    if good and question.get("kind") == "list":
        good = len(texts) <= len(golds) + 1
    if not good:
        return "wrong", False
    return "right", _cites(question, reply.get("evidence", []))


# ---------------------------------------------------------------------------------------
# Running conflictlens


def run(cmd: list[str], timeout: int) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def build_kb(cli: list[str], corpus: Path, db: Path, kb_json: Path) -> None:
    """Build ``corpus`` into ``db`` and export it as JSON to ``kb_json``; exit on failure."""
    for cmd, timeout in ((cli + ["build", str(corpus), "--db", str(db)], BUILD_TIMEOUT),
                         (cli + ["export", "--db", str(db), "--format", "json", "-o", str(kb_json)], 120)):
        out = run(cmd, timeout)
        if out.returncode != 0:
            sys.exit(f"failed ({out.returncode}): {shlex.join(cmd)}\n{out.stderr.strip()}")


def cli_asker(cli: list[str], db: Path) -> Callable[[str], dict]:
    """Answer through ``CMD ask --json``; a failure or unreadable output is an empty reply."""

    def ask(question: str) -> dict:
        try:
            out = run(cli + ["ask", "--json", "--db", str(db), question], ASK_TIMEOUT)
            return json.loads(out.stdout)
        except (subprocess.TimeoutExpired, json.JSONDecodeError) as exc:
            return {"answers": [], "evidence": [], "source": "none", "error": str(exc)}

    return ask


def api_asker(db: Path) -> Callable[[str], dict]:
    """Answer in this process: the KB is loaded once, the sentence index is built once."""
    from conflictlens import analyze, ask, store

    kb = store.load(db)

    def answer(question: str) -> dict:
        return analyze.jsonable(ask.answer(kb, question).to_dict())

    return answer


# ---------------------------------------------------------------------------------------
# Report


@dataclass
class DocScore:
    slug: str
    verdicts: list[str] = field(default_factory=list)
    cited: int = 0

    def count(self, verdict: str) -> int:
        return self.verdicts.count(verdict)

    @property
    def accuracy(self) -> float:
        return self.count("right") / len(self.verdicts) if self.verdicts else 0.0


def read_questions(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def short(reply: dict, width: int = 90) -> str:
    texts = [a.get("text", "") if isinstance(a, dict) else str(a) for a in reply.get("answers", [])]
    s = " | ".join(" ".join(t.split()) for t in texts) or "—"
    return s if len(s) <= width else s[: width - 1] + "…"


def print_table(scores: list[DocScore]) -> None:
    head = f"{'document':28s} {'n':>3s} {'right':>5s} {'wrong':>5s} {'abst.':>5s} {'acc.':>6s} {'cited':>5s}"
    print(head)
    print("-" * len(head))
    for s in scores:
        print(f"{s.slug:28s} {len(s.verdicts):3d} {s.count('right'):5d} {s.count('wrong'):5d} "
              f"{s.count('abstained'):5d} {s.accuracy:6.3f} {s.cited:5d}")
    print("-" * len(head))
    n = sum(len(s.verdicts) for s in scores)
    macro = sum(s.accuracy for s in scores) / len(scores) if scores else 0.0
    print(f"{'macro':28s} {n:3d} {sum(s.count('right') for s in scores):5d} "
          f"{sum(s.count('wrong') for s in scores):5d} {sum(s.count('abstained') for s in scores):5d} "
          f"{macro:6.3f} {sum(s.cited for s in scores):5d}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--conflictlens", required=True, metavar="CMD",
                    help="the conflictlens command, e.g. '.venv/bin/conflictlens' (split like a shell would)")
    ap.add_argument("--set", required=True, choices=["tune", "heldout"], dest="qset")
    ap.add_argument("--corpus-root", type=Path, default=DEFAULT_CORPUS_ROOT,
                    help="folder holding the corpus folders (default: ../shared/corpus next to the repository)")
    ap.add_argument("--ask", choices=["api", "cli"], default="api",
                    help="answer in this process (api, default) or with one CMD call per question (cli)")
    ap.add_argument("--show", action="store_true", help="print every question with our answer and the verdict")
    ap.add_argument("--only", nargs="*", choices=sorted(CORPORA), help="score only these documents")
    a = ap.parse_args()
    cli = shlex.split(a.conflictlens)
    missing = [f for s, f in CORPORA.items() if (not a.only or s in a.only) and not (a.corpus_root / f).is_dir()]
    if missing:
        sys.exit(f"no corpus folder {a.corpus_root / missing[0]}: give --corpus-root")
    if a.ask == "api":
        sys.path.insert(0, str(ROOT / "src"))

    scores = []
    with tempfile.TemporaryDirectory(prefix="ask_eval_") as tmp:
        for slug, folder in CORPORA.items():
            if a.only and slug not in a.only:
                continue
            qfile = QUESTIONS / a.qset / f"{slug}.jsonl"
            if not qfile.exists():
                print(f"no questions: {qfile}", file=sys.stderr)
                continue
            questions = read_questions(qfile)
            db, kb_json = Path(tmp) / f"{slug}.db", Path(tmp) / f"{slug}.json"
            build_kb(cli, a.corpus_root / folder, db, kb_json)
            aliases = Aliases(json.loads(kb_json.read_text(encoding="utf-8")))
            ask = api_asker(db) if a.ask == "api" else cli_asker(cli, db)
            if a.ask == "api" and questions:  # the in-process package must answer like CMD
                first = questions[0]["question"]
                if ask(first).get("answers") != cli_asker(cli, db)(first).get("answers"):
                    print(f"warning: {slug}: the in-process answer differs from CMD's; "
                          "is src/ the code CMD runs? (use --ask cli)", file=sys.stderr)
            score = DocScore(slug)
            if a.show:
                print(f"== {slug} ({a.qset})")
            for q in questions:
                reply = ask(q["question"])
                verdict, cited = judge(q, reply, aliases)
                score.verdicts.append(verdict)
                score.cited += cited
                if a.show:
                    gold = " | ".join(q.get("answers") or []) or "(not in the text)"
                    print(f"{q['id']} [{q['kind']}] {verdict.upper():9s} {q['question']}\n"
                          f"    ours: {short(reply)}  [{reply.get('source', '?')}]\n    gold: {gold}")
            scores.append(score)
    if a.show:
        print()
    print(f"ask evaluation, set {a.qset}")
    print_table(scores)
    return 0


if __name__ == "__main__":
    sys.exit(main())
