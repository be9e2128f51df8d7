"""Fuzz harness: generated inputs against ingest, time normalisation, extraction, ``ask`` and the API.

    python bench/fuzz.py --cases 100000 [--targets ingest,time,extract,ask,api] [--seed 1]
                         [--limit 2.0] [--db KB.db] [--engine hypothesis|atheris]

``make fuzz N=100000`` runs it. Inputs come from Hypothesis strategies (document-like text
built from made-up names, general verbs, dates in many shapes, figures, markup, tables; hostile
fragments: Rich markup, terminal escapes, bidi overrides, NUL, BOM, CR, runs of "=", "(",
spaces; and plain random Unicode); with ``--engine atheris`` (if installed) coverage-guided
bytes drive the same targets instead. Every input is checked for:

- no crash: a target may refuse an input only with a ``ConflictlensError`` (one clear line);
- the per-input time limit (``--limit`` seconds; extraction gets 3×): slower is a failure,
  and an input that never returns is stopped by a watchdog that prints where it hung;
- exact evidence: every quote equals its document's ``text[start:end]`` (facts, times,
  infobox values, ``ask`` evidence, API evidence).

Cases are shared out over the targets by :data:`WEIGHTS`. The summary gives per target the
cases run, crashes, slow inputs and the slowest time; the exit code is 1 on any failure.
"""

from __future__ import annotations

import argparse
import faulthandler
import json
import random
import re
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

#: Share of the cases each target gets (extraction parses with spaCy: it is the slow one).
WEIGHTS = {"ingest": 0.32, "time": 0.32, "api": 0.15, "ask": 0.15, "extract": 0.06}
TARGETS = tuple(WEIGHTS)
_ISO = re.compile(r"^-?\d{1,4}(?:-(\d{2})(?:-(\d{2}))?)?$")

# ----------------------------------------------------------------------------- strategies
# Made-up names and general English only: the harness must not know any corpus.
NAMES = ["the Northern Front", "Red Brigade", "Republic of Valeria", "General Osk Varn", "the People's Army",
         "the UN", "ALF", "Kingdom of Norland", "the Government of Tarsia", "Tarsian forces", "Mr. Ebo Dant",
         "the Coalition", "its allies", "they", "the regime", "Valerian troops", "President Lisa Morn",
         "the Liberation Army (LA)", "the Army of Eastern Norland", "Norland's navy"]
VERBS = ["attacked", "supported", "recognized", "recognised", "fought", "killed", "captured", "besieged",
         "signed a treaty with", "was led by", "allied with", "invaded", "withdrew from", "did not attack",
         "planned to attack", "denied supporting", "was a member of", "armed", "funded", "shelled",
         "negotiated with", "defeated", "joined", "broke with", "may have supported"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December", "Jan.", "Sept", "Febtember", "june"]
HOSTILE = ["[/]", "[bold]x[/bold]", "[red]", "\x1b[2J", "\x1b]0;title\x07", "\u202e", "\u2066", "\ufeff",
           "\r\n", "\r", "\x00", "\x0b", "%E0%A4%A", "<script>x</script>", "((((((((((((((((", "))))",
           "=" * 60 + "x", "- Key: " + " " * 300 + "a", "| a | b |\n|---|---|\n| 1 | 2 |\n",
           "+---+---+\n| a | b |\n+---+---+\n", "\u00a0", "\u2014", "…", "’", "..", "?!", "\t\t",
           "1,2,3,4,5,6,7,8,9", "10–20", "9" * 40, "-" * 80, "#", "== ==", "= =", "\n\n\n"]


# Document-like text is grown by plain Python from a random source Hypothesis seeds: drawing
# each choice through Hypothesis cost ~3 ms an input, ten times the targets' own time.

def date_text(r: random.Random) -> str:
    y = r.randint(1000, 2100) if r.random() < 0.8 else r.randint(-50, 99999)
    d, m = r.randint(0, 40), r.choice(MONTHS)
    return r.choice([f"{d} {m} {y}", f"{m} {y}", f"{y}", f"the {y}s", f"mid-{y}", f"{y}–{y + r.randint(-3, 12)}",
                     f"between {y} and {y + 5}", "the following day", "last year", f"on {d} {m}", f"{m} {d}, {y}",
                     f"{d}({d + 13}) {m} {y}", f"{d} {m} ({d} {m} O.S.) {y}", f"{y}-{d:02d}-{d:02d}",
                     f"early {y}"])


def sentence(r: random.Random) -> str:
    parts = [r.choice(NAMES), r.choice(VERBS), r.choice(NAMES)]
    if r.random() < 0.5:
        parts += [r.choice(["in", "on", "from", "until", "by", "after", "during"]), date_text(r)]
    if r.random() < 0.25:
        n = r.choice([r.randint(0, 10**7), round(r.uniform(0, 1e4), r.randint(0, 3))])
        parts.append(r.choice([f"and killed {n:,}", f"with about {n} troops", f", displacing {n} million people",
                               f"({n} dead)", f"{n}–{n * 2} soldiers"]))
    if r.random() < 0.2:
        parts.insert(r.randint(0, len(parts)), r.choice(HOSTILE))
    return " ".join(map(str, parts)) + r.choice([".", ". ", ".\n", "", "?", ";", ".\n\n"])


def junk(r: random.Random) -> str:
    """A few characters from anywhere in Unicode (no surrogates)."""
    out = []
    for _ in range(r.randint(1, 12)):
        c = r.choice([r.randint(0, 0x7f), r.randint(0x80, 0x2fff), r.randint(0xe000, 0x10ffff)])
        out.append(chr(c))
    return "".join(out)


def document(r: random.Random) -> str:
    out = []
    if r.random() < 0.5:
        out.append(r.choice(["= ", "== ", "# ", "", "1. "]) + r.choice(NAMES) + r.choice([" =", " ==", "", " War"])
                   + "\n")
    if r.random() < 0.3:
        for i in range(r.randint(1, 4)):
            key = r.choice(["Combatant", "Commander", "Units", "Casualties", "Date", "Result"])
            out.append(f"- {key}{i % 2 + 1}: {r.choice(NAMES)}\n")
    for _ in range(r.randint(0, 12)):
        x = r.random()
        out.append(sentence(r) if x < 0.75 else r.choice(HOSTILE) if x < 0.9 else junk(r))
    return "".join(out)


def documents() -> st.SearchStrategy[str]:
    return st.builds(document, st.randoms(use_true_random=True))


TEXTS = st.one_of(documents(), documents(), st.text(max_size=300))
QUESTIONS = st.one_of(
    st.builds(lambda shape, a, b: shape.format(a=a, b=b),
              st.sampled_from(["Who supported {a}?", "When did {a} attack {b}?", "Which countries recognised {a}?",
                               "How many people did {a} kill?", "Where did {a} fight {b}?", "Did {a} support {b}?",
                               "Who led {a}?", "How did relations between {a} and {b} change?", "{a}", "?",
                               "Who [/] {a}?", "When was {a} founded"]),
              st.one_of(st.sampled_from(NAMES), st.text(max_size=30)), st.sampled_from(NAMES)),
    st.text(min_size=1, max_size=300))
SEGMENT = st.one_of(st.sampled_from(NAMES + ["a1", "e1", "r1", "f1", "x99", "", "%", "%E0%A4%A", "..", "%2F"]),
                    st.text(max_size=40))
API_PATHS = ["/api/actors/{}", "/api/facts/{}", "/api/documents/{}", "/api/search?q={}", "/api/ask?q={}",
             "/api/events?actor={}", "/api/events?from={}", "/api/network?year={}", "/api/relations?actor={}",
             "/api/relations/history?a={}&b=x", "/api/places?to={}", "/api/actors?q={}&limit={}",
             "/api/figures?kind={}", "/{}", "/static/{}", "/api/{}"]


# ----------------------------------------------------------------------------- checks

class QuoteMismatch(AssertionError):
    pass


def check_evidence(evs, texts: dict[str, str], what: str) -> None:
    for ev in evs:
        text = texts.get(ev.doc)
        if text is None or text[ev.start:ev.end] != ev.quote:
            raise QuoteMismatch(f"{what}: quote {ev.quote!r} != text[{ev.start}:{ev.end}] of {ev.doc}")


def check_iso(value: str | None, what: str) -> None:
    if value is None:
        return
    m = _ISO.match(value)
    if not m or (m[1] and not 1 <= int(m[1]) <= 12) or (m[2] and not 1 <= int(m[2]) <= 31):
        raise AssertionError(f"{what}: {value!r} is not an ISO date prefix")


# ----------------------------------------------------------------------------- targets

@dataclass
class Context:
    """What the targets share: the spaCy pipeline, a KB and the app over it (made on first use)."""

    db: Path | None = None
    _nlp: object = None
    _kb: object = None
    _client: object = None
    tmp: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="conflictlens-fuzz-")))

    @property
    def nlp(self):
        if self._nlp is None:
            from conflictlens.nlp import load_nlp

            self._nlp = load_nlp()
        return self._nlp

    @property
    def kb(self):
        if self._kb is None:
            from conflictlens import store

            self._kb = store.load(self.kb_path())
        return self._kb

    def kb_path(self) -> Path:
        if self.db is None:  # the example corpus, parses cached in the user's cache
            from conflictlens.pipeline import build

            self.db = self.tmp / "example.db"
            build([ROOT / "examples" / "afghanistan"], self.db, n_process=1)
        return self.db

    @property
    def client(self):
        if self._client is None:
            from fastapi.testclient import TestClient

            from conflictlens.api import create_app

            self._client = TestClient(create_app(self.kb_path()))
        return self._client


def t_ingest(ctx: Context, text: str) -> None:
    from conflictlens.errors import DocumentError
    from conflictlens.ingest import parse_text, read_document

    doc = parse_text(text, "fuzz.txt")
    for f in doc.infobox:
        if text[f.start:f.end] != f.value or not (f.line_start <= f.start <= f.end <= f.line_end):
            raise QuoteMismatch(f"infobox value {f.value!r} != text[{f.start}:{f.end}]")
    for s, e in doc.markup:
        if not 0 <= s <= e <= len(text) or "\n" in text[s:e]:
            raise AssertionError(f"markup span ({s}, {e}) is not inside one line")
    path = ctx.tmp / "fuzz.txt"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        read = read_document(path)
    except DocumentError:
        return
    # a leading byte-order mark is the file's encoding, not its text: read_document drops it
    if read.text != path.read_bytes().decode("utf-8").removeprefix("\ufeff"):
        raise AssertionError("read_document changed the text")


def t_time(ctx: Context, text: str) -> None:
    from conflictlens.extract.time import find_times

    for t in find_times(text, None, sections=[len(text) // 2]):
        if text[t.start:t.end] != t.text:
            raise QuoteMismatch(f"time {t.text!r} != text[{t.start}:{t.end}]")
        check_iso(t.value, "time value")
        check_iso(t.value_end, "time value_end")


def t_extract(ctx: Context, text: str) -> None:
    from conflictlens.ingest import parse_text
    from conflictlens.nlp import parse_text as nlp_text
    from conflictlens.pipeline import extract_document
    from conflictlens.resolve import resolve

    if not text.strip():
        return
    doc = parse_text(text, "fuzz.txt")
    facts = extract_document(doc, ctx.nlp(nlp_text(doc)))
    texts = {doc.name: text}
    for a in facts.actors:
        check_evidence(a.evidence, texts, f"actor {a.name}")
        for m in a.mentions:
            if text[m.start:m.end] != m.text:
                raise QuoteMismatch(f"mention {m.text!r} != text[{m.start}:{m.end}]")
    for kind in ("events", "relations", "figures"):
        for f in getattr(facts, kind):
            check_evidence(f.evidence, texts, kind)
    for t in facts.times:
        if text[t.start:t.end] != t.text:
            raise QuoteMismatch(f"time {t.text!r} != text[{t.start}:{t.end}]")
    kb = resolve([facts])
    for kind in ("actors", "events", "relations", "figures"):
        for f in getattr(kb, kind):
            check_evidence(f.evidence, texts, f"resolved {kind}")


def t_ask(ctx: Context, question: str) -> None:
    from conflictlens.ask import answer

    a = answer(ctx.kb, question)
    texts = {d.name: d.text for d in ctx.kb.documents}
    check_evidence(a.evidence, texts, "ask evidence")
    json.dumps(a.to_dict())
    if a.source not in ("kb", "retrieval", "none"):
        raise AssertionError(f"ask source {a.source!r}")


def t_api(ctx: Context, case: tuple[str, str, str]) -> None:
    from urllib.parse import quote

    import httpx

    template, arg, arg2 = case
    # mostly quoted; every third argument raw, as a careless link or a hand-typed URL would be
    url = template.format(arg if len(arg) % 3 == 0 else quote(arg, safe=""), quote(arg2, safe=""))
    try:
        r = ctx.client.get(url)
    except httpx.InvalidURL:
        return  # the client refuses to send it: nothing reached the server
    if r.status_code >= 500:
        raise AssertionError(f"GET {url} → {r.status_code}: {r.text[:200]}")
    if r.headers.get("content-type", "").startswith("application/json"):
        data = r.json()
        if r.status_code == 200 and url.startswith("/api/facts/"):
            texts = {d.name: d.text for d in ctx.kb.documents}
            for ev in data["evidence"]:
                if texts[ev["doc"]][ev["start"]:ev["end"]] != ev["quote"]:
                    raise QuoteMismatch(f"API evidence of {url}")


RUN: dict[str, tuple[Callable, st.SearchStrategy]] = {
    "ingest": (t_ingest, TEXTS),
    "time": (t_time, TEXTS),
    "extract": (t_extract, st.one_of(documents(), st.text(max_size=200))),
    "ask": (t_ask, QUESTIONS),
    "api": (t_api, st.tuples(st.sampled_from(API_PATHS), SEGMENT, SEGMENT)),
}


# ----------------------------------------------------------------------------- running

@dataclass
class Stats:
    cases: int = 0
    crashes: list[str] = field(default_factory=list)
    slow: list[str] = field(default_factory=list)
    worst: float = 0.0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.crashes and not self.slow


def run_one(ctx: Context, target: str, value, limit: float, stats: Stats) -> None:
    """Run one input with its time limit; record a crash (with the input) or a slow input."""
    from conflictlens.errors import ConflictlensError

    fn = RUN[target][0]
    lim = limit * (3 if target == "extract" else 1)
    # the watchdog: an input that never returns is stopped with a traceback of where it hangs
    faulthandler.dump_traceback_later(max(30.0, lim * 10), exit=True)
    t0 = time.perf_counter()
    try:
        fn(ctx, value)
    except ConflictlensError:
        pass  # a clear refusal is an answer
    except Exception as exc:  # noqa: BLE001 - every other exception is what we look for
        if len(stats.crashes) < 20:
            where = traceback.extract_tb(exc.__traceback__)[-1]
            stats.crashes.append(f"{type(exc).__name__}: {str(exc)[:200]} at {where.filename}:{where.lineno}"
                                 f" ← input {value!r:.300}")
        else:
            stats.crashes.append("…")
    finally:
        faulthandler.cancel_dump_traceback_later()
    dt = time.perf_counter() - t0
    stats.cases += 1
    stats.seconds += dt
    stats.worst = max(stats.worst, dt)
    if dt > lim:
        stats.slow.append(f"{dt:.2f} s > {lim:g} s ← input {value!r:.300}")


def _generator(ctx: Context, target: str, n: int, seed_value: int, limit: float, stats: Stats):
    """Hypothesis as the input generator: ``n`` examples, no shrinking (failures are recorded
    with their input, not raised)."""

    @seed(seed_value)
    @settings(max_examples=n, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(RUN[target][1])
    def case(value):
        run_one(ctx, target, value, limit, stats)

    return case


def fuzz(cases: int, targets=TARGETS, seed_value: int = 0, limit: float = 2.0, db: Path | None = None,
         ctx: Context | None = None, progress: Callable[[str, Stats], None] | None = None) -> dict[str, Stats]:
    """Run ``cases`` generated inputs shared out over ``targets``; returns stats per target."""
    ctx = ctx or Context(db=db)
    total = sum(WEIGHTS[t] for t in targets)
    out: dict[str, Stats] = {}
    for target in targets:
        n = max(1, round(cases * WEIGHTS[target] / total))
        stats = out[target] = Stats()
        if target in ("ask", "api"):
            ctx.kb_path()  # build or load outside the per-input limit
            ctx.client if target == "api" else ctx.kb  # noqa: B018 - warm up
        if target == "extract":
            ctx.nlp  # noqa: B018 - load spaCy outside the per-input limit

        case = _generator(ctx, target, n, seed_value, limit, stats)
        # Hypothesis stops early when it has tried every value of a small space; loop to the count.
        while stats.cases < n:
            before = stats.cases
            case()
            if stats.cases == before:
                break
        if progress:
            progress(target, stats)
    return out


def fuzz_atheris(cases: int, targets=TARGETS, limit: float = 2.0, db: Path | None = None) -> None:
    """Coverage-guided: atheris's bytes pick a target and become its input."""
    import atheris

    with atheris.instrument_imports(include=["conflictlens"]):
        import conflictlens.api  # noqa: F401
        import conflictlens.ask  # noqa: F401
        import conflictlens.extract.time  # noqa: F401
        import conflictlens.ingest  # noqa: F401
        import conflictlens.pipeline  # noqa: F401
    ctx = Context(db=db)
    stats = {t: Stats() for t in targets}

    def one(data: bytes) -> None:
        fdp = atheris.FuzzedDataProvider(data)
        target = targets[fdp.ConsumeIntInRange(0, len(targets) - 1)]
        text = fdp.ConsumeUnicodeNoSurrogates(2000)
        value = (API_PATHS[len(text) % len(API_PATHS)], text, "") if target == "api" else text
        run_one(ctx, target, value, limit, stats[target])
        if not stats[target].ok:
            raise AssertionError("\n".join(stats[target].crashes + stats[target].slow))

    atheris.Setup([sys.argv[0], f"-runs={cases}", "-max_len=4096"], one)
    atheris.Fuzz()


def report(stats: dict[str, Stats]) -> str:
    lines = [f"{'target':10} {'cases':>8} {'crashes':>8} {'slow':>5} {'mean ms':>8} {'worst s':>8}"]
    for t, s in stats.items():
        mean = 1000 * s.seconds / s.cases if s.cases else 0
        lines.append(f"{t:10} {s.cases:8d} {len(s.crashes):8d} {len(s.slow):5d} {mean:8.2f} {s.worst:8.2f}")
    total = sum(s.cases for s in stats.values())
    lines.append(f"{'total':10} {total:8d} {sum(len(s.crashes) for s in stats.values()):8d} "
                 f"{sum(len(s.slow) for s in stats.values()):5d}")
    for t, s in stats.items():
        lines += [f"CRASH {t}: {c}" for c in s.crashes] + [f"SLOW {t}: {x}" for x in s.slow]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=10000, help="generated inputs in all (shared out by weight)")
    ap.add_argument("--targets", default=",".join(TARGETS), help="comma-separated: " + ", ".join(TARGETS))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--limit", type=float, default=2.0, help="seconds per input (extraction: 3×)")
    ap.add_argument("--db", type=Path, help="KB for ask/api (default: build the example corpus)")
    ap.add_argument("--engine", choices=("hypothesis", "atheris"), default="hypothesis")
    args = ap.parse_args(argv)
    targets = tuple(t for t in args.targets.split(",") if t)
    unknown = set(targets) - set(TARGETS)
    if unknown:
        ap.error(f"unknown target(s) {', '.join(sorted(unknown))}")
    if args.engine == "atheris":
        fuzz_atheris(args.cases, targets, args.limit, args.db)
        return 0
    t0 = time.perf_counter()
    def done(target: str, s: Stats) -> None:  # a line per target as it ends: a long run shows its way
        print(f"{target}: {s.cases} cases, {len(s.crashes)} crashes, {len(s.slow)} slow, worst {s.worst:.2f} s "
              f"({time.perf_counter() - t0:.0f} s)", file=sys.stderr, flush=True)

    stats = fuzz(args.cases, targets, args.seed, args.limit, args.db, progress=done)
    print(report(stats))
    print(f"{time.perf_counter() - t0:.0f} s, seed {args.seed}, limit {args.limit:g} s per input")
    return 0 if all(s.ok for s in stats.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
