"""Benchmark: how fast is a build, measured against spaCy's parse alone in the same process.

    python bench/bench_build.py [CORPUS ...] [--processes N] [--repeat K]

Prints words/second for
  (a) spaCy parse alone (the same text a build parses, no cache),
  (b) a cold build (empty parse cache: parse + extract + resolve + store),
  (c) a warm build (parses loaded from the cache),
and the ratios (b)/(a) and (c)/(a). Machines are noisy: compare ratios, not seconds, and
take the best of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from conflictlens.nlp import load_nlp, parse_text  # noqa: E402
from conflictlens.pipeline import build, read_documents  # noqa: E402


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="*", default=[str(ROOT / "examples" / "afghanistan")])
    ap.add_argument("--processes", type=int, default=2, help="spaCy processes (default 2)")
    ap.add_argument("--repeat", type=int, default=2, help="runs of each measure; the best counts")
    a = ap.parse_args()

    docs, errors = read_documents(a.corpus)
    for e in errors:
        print("skipped:", e, file=sys.stderr)
    words = sum(d.words for d in docs)
    texts = [parse_text(d) for d in docs]
    nlp = load_nlp()
    nlp("warm up")  # model loading is not what we measure

    def parse_only():
        for _ in nlp.pipe(texts, n_process=a.processes if len(texts) > 1 else 1, batch_size=16):
            pass

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        n = [0]

        def cold():
            n[0] += 1
            build(a.corpus, tmp / f"cold{n[0]}.db", cache_dir=tmp / f"cache{n[0]}", n_process=a.processes)

        def warm():
            build(a.corpus, tmp / "warm.db", cache_dir=tmp / "cache1", n_process=a.processes)

        t_parse = best(parse_only, a.repeat)
        t_cold = best(cold, a.repeat)
        t_warm = best(warm, a.repeat)

    print(f"corpus: {len(docs)} documents, {words:,} words; {a.processes} process(es), best of {a.repeat}")
    print(f"{'measure':<28}{'seconds':>10}{'words/s':>12}{'× parse time':>14}")
    for label, t in (("(a) spaCy parse alone", t_parse), ("(b) build, cold cache", t_cold),
                     ("(c) build, warm cache", t_warm)):
        print(f"{label:<28}{t:>10.2f}{words / t:>12,.0f}{t / t_parse:>14.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
