"""Time ``store.save`` of a KB whose web views are computed (a new file: nothing to reuse)
against a save over the same KB (its stored views reused: webviews.content_key equal),
alternating, and print the ratio.

    PYTHONPATH=src python bench/bench_webviews_save.py KB.db [--rounds 3]

The KB is copied; it is never written.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from conflictlens import store


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        over = tmp / "over.db"
        shutil.copyfile(a.db, over)
        kb = store.load(over)
        store.save(kb, over)  # its views stored by this version (the key among them)
        fresh, reused = [], []
        for i in range(a.rounds):
            new = tmp / f"new{i}.db"
            t = time.perf_counter()
            store.save(store.load(over), new)
            fresh.append(time.perf_counter() - t)
            t = time.perf_counter()
            store.save(store.load(over), over)
            reused.append(time.perf_counter() - t)
            new.unlink()
        f, r = statistics.median(fresh), statistics.median(reused)
        print(f"events {len(kb.events)}, rounds {a.rounds}: load+save with views computed {f:.2f} s, "
              f"reused {r:.2f} s; reused / computed = {r / f:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
