"""Benchmark: how fast does ``ask`` answer, against a plain KB load in the same process.

    python bench/bench_ask.py --db KB.db [--questions FILE.jsonl] [--repeat K]

Prints, in milliseconds, (a) ``store.load`` of the KB (the baseline every command pays),
(b) the first answer (builds the sentence index), and (c) p50 / p95 / max of answering each
question ``--repeat`` times once the index exists. Questions come from a JSONL file with a
``question`` field, or a built-in set of general question shapes. The target is p95 ≤ 100 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from conflictlens import ask, store  # noqa: E402

SHAPES = [
    "Which countries recognised {a}?", "Who supported {a}?", "When did {a} capture the capital?",
    "Where was {a} defeated?", "How many fighters did {a} have?", "Did {a} recognise {b}?",
    "How did the relations between {a} and {b} change?", "Who led {a}?",
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--questions", help="JSONL file with a 'question' field per line")
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()

    t0 = time.perf_counter()
    kb = store.load(a.db)
    t_load = time.perf_counter() - t0
    if a.questions:
        qs = [json.loads(line)["question"] for line in open(a.questions, encoding="utf-8") if line.strip()]
    else:  # question shapes filled with the KB's most mentioned actors
        top = [x.name for x in sorted(kb.actors, key=lambda x: -x.mention_count)[:6]]
        qs = [s.format(a=top[i % len(top)], b=top[(i + 1) % len(top)]) for i, s in enumerate(SHAPES)]

    t0 = time.perf_counter()
    ask.answer(kb, qs[0])
    t_first = time.perf_counter() - t0
    times = []
    for _ in range(a.repeat):
        for q in qs:
            t0 = time.perf_counter()
            ask.answer(kb, q)
            times.append(time.perf_counter() - t0)
    times.sort()
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
    print(f"{len(kb.documents)} documents, {len(qs)} questions × {a.repeat}")
    print(f"(a) store.load (baseline)        {t_load * 1e3:8.1f} ms")
    print(f"(b) first answer (+ index build) {t_first * 1e3:8.1f} ms")
    print(f"(c) answer p50                   {statistics.median(times) * 1e3:8.1f} ms")
    print(f"    answer p95                   {p95 * 1e3:8.1f} ms   (target ≤ 100 ms)")
    print(f"    answer max                   {times[-1] * 1e3:8.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
