"""Benchmark: how a long text's pieces are best given to spaCy (the choice in nlp.chunks).

    python bench/bench_pieces.py CORPUS [CORPUS ...] [--chars N] [--repeat N]

Parses the first ``--chars`` characters of the corpus texts joined (one long document, as a
build gives spaCy: markup blanked) in one process, alternating, ``--repeat`` times:
  (a) pieces of about 100,000 characters, one at a time (the build before),
  (b) the build's pieces (nlp.chunks) in batches of nlp.PIECES_BATCH,
and prints the CPU seconds of each, (b)/(a), and how many tokens get the same analysis (tag,
dependency, head, entity) and how many entities are the same in both. Machines are noisy:
compare the ratio, not the seconds.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from bench_build import corpus_files  # noqa: E402

from conflictlens import nlp as nlp_module  # noqa: E402


def old_pieces(text: str) -> list[tuple[int, int]]:
    """The pieces of the build before: ~100k characters, cut after a paragraph."""
    saved = nlp_module.CHUNK_CHARS
    nlp_module.CHUNK_CHARS = 100_000
    try:
        return nlp_module.chunks(text)
    finally:
        nlp_module.CHUNK_CHARS = saved


def parse(nlp, text: str, pieces, batch: int) -> tuple[float, list]:
    c0 = time.process_time()
    docs = list(nlp.pipe((text[s:e] for s, e in pieces), batch_size=batch))
    return time.process_time() - c0, docs


def analyses(text: str, pieces, docs) -> tuple[list, set]:
    toks, ents = [], set()
    for (s, _), d in zip(pieces, docs, strict=True):
        toks += [(t.idx + s, t.tag_, t.dep_, t.head.idx + s, t.ent_type_) for t in d if not t.is_space]
        ents |= {(e.start_char + s, e.end_char + s, e.label_) for e in d.ents}
    return toks, ents


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="+", help="files or folders of prose (long enough to be cut)")
    ap.add_argument("--chars", type=int, default=400_000)
    ap.add_argument("--repeat", type=int, default=2)
    a = ap.parse_args()
    text = "\n\n".join(f.read_text(errors="replace") for f in corpus_files(a.corpus, None))[:a.chars]
    if len(text) <= nlp_module.WHOLE_CHARS:
        ap.error(f"give at least {nlp_module.WHOLE_CHARS + 1:,} characters: shorter texts are parsed whole")
    nlp = nlp_module.load_nlp()
    nlp("warm up")
    before, after = old_pieces(text), nlp_module.chunks(text)
    times: dict[str, list[float]] = {"a": [], "b": []}
    for _ in range(a.repeat):
        t, docs_a = parse(nlp, text, before, 1)
        times["a"].append(t)
        t, docs_b = parse(nlp, text, after, nlp_module.PIECES_BATCH)
        times["b"].append(t)
    ta, tb = min(times["a"]), min(times["b"])
    mb = len(text) / 1_000_000
    print(f"{len(text):,} characters; best of {a.repeat}, CPU seconds")
    print(f"(a) {len(before):>5} pieces of ~100k, one at a time   {ta:7.1f}  ({ta / mb:.1f} CPU-s/MB)")
    print(f"(b) {len(after):>5} pieces, batches of {nlp_module.PIECES_BATCH:<3}            {tb:7.1f}  "
          f"({tb / mb:.1f} CPU-s/MB)")
    print(f"(b)/(a) = {tb / ta:.2f}")
    (toks_a, ents_a), (toks_b, ents_b) = analyses(text, before, docs_a), analyses(text, after, docs_b)
    same = len(set(toks_a) & set(toks_b))
    print(f"tokens analysed the same: {same:,} of {len(toks_a):,} ({same / len(toks_a):.1%}); "
          f"entities the same: {len(ents_a & ents_b):,} of {len(ents_a):,} (b has {len(ents_b):,})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
