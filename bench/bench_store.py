"""Benchmark: the KB on SQLite vs PostgreSQL, same run, alternating.

    python bench/bench_store.py [--scale-words 100000] [--repeat 2] [--requests 2000]

Starts a throw-away local PostgreSQL server (tests/pg_server.py; fsync off, as in the tests),
then for the example corpus and a subset of the scale corpus of about ``--scale-words`` words
(its files in name order) measures, alternating the two backends:

- build: the whole ``conflictlens build`` (parses from a warmed cache, extraction, save);
  the second build of each backend replaces an existing KB;
- save: ``store.save`` of the built KB alone; load: ``store.load``; export: load + JSON export;
- API: ``conflictlens serve`` under ``--requests`` GETs at concurrency 20 (bench/load.py's
  clients, no slow clients): p50 / p95.

Prints seconds (best of ``--repeat``) and the ratio PostgreSQL / SQLite, and checks that the
JSON exports of both backends are identical.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests"), str(ROOT / "bench")]

import load as loadbench  # noqa: E402

import pg_server  # noqa: E402
from conflictlens import store  # noqa: E402
from conflictlens.export import export  # noqa: E402
from conflictlens.pipeline import build  # noqa: E402

SCALE = Path("/work/shared/corpus/scale")


def subset(folder: Path, words: int) -> list[Path]:
    """The first files of ``folder`` (by name) holding at least ``words`` words."""
    files, total = [], 0
    for f in sorted(folder.glob("*.txt")):
        if total >= words:
            break
        files.append(f)
        total += len(f.read_text(encoding="utf-8", errors="replace").split())
    return files


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def api_latency(db: str, requests: int) -> tuple[float, float]:
    urls = loadbench.paths(db)
    port = loadbench.free_port()
    proc = loadbench.start_server(db, port)
    try:
        run = loadbench.Load(port, urls, requests, time.monotonic() + 300)
        asyncio.run(run.run(20, 0, 0))
    finally:
        proc.terminate()
        proc.wait(10)
    lat = [x * 1000 for x in run.latencies]
    if sum(run.errors.values()):
        print(f"  API errors on {store.display(db)}: {run.errors}")
    return statistics.median(lat), loadbench.pct(lat, 95)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale-words", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--requests", type=int, default=2000)
    a = ap.parse_args()

    server = pg_server.start()
    tmp = Path(tempfile.mkdtemp(prefix="bench-store-"))
    try:
        corpora = {"example": [ROOT / "examples" / "afghanistan"]}
        if a.scale_words and SCALE.is_dir():
            corpora[f"scale {a.scale_words // 1000}k"] = subset(SCALE, a.scale_words)
        cache = tmp / "parses"
        rows = []
        for i, (name, paths) in enumerate(corpora.items()):
            dbs = {"sqlite": str(tmp / f"kb{i}.db"), "postgresql": pg_server.create_database(server.url, f"kb{i}")}
            t = timed(lambda paths=paths: build(paths, tmp / "warm.db", cache_dir=cache, n_process=2))
            words = sum(d.words for d in store.load(tmp / "warm.db").documents)
            print(f"{name}: {words:,} words; parse cache warmed in {t:.1f} s", flush=True)
            times: dict[tuple[str, str], list[float]] = {}
            for r in range(a.repeat):
                order = ["sqlite", "postgresql"] if r % 2 == 0 else ["postgresql", "sqlite"]
                for backend in order:
                    db = dbs[backend]
                    times.setdefault(("build", backend), []).append(
                        timed(lambda db=db, paths=paths: build(paths, db, cache_dir=cache, n_process=2)))
                for backend in order:
                    db = dbs[backend]
                    kb = store.load(db)
                    times.setdefault(("save", backend), []).append(timed(lambda kb=kb, db=db: store.save(kb, db)))
                    times.setdefault(("load", backend), []).append(timed(lambda db=db: store.load(db)))
                    out = tmp / f"{backend}.json"
                    times.setdefault(("export", backend), []).append(
                        timed(lambda db=db, out=out: export(store.load(db), "json", out)))
            same = (json.loads((tmp / "sqlite.json").read_text(encoding="utf-8"))
                    == json.loads((tmp / "postgresql.json").read_text(encoding="utf-8")))
            for step in ("build", "save", "load", "export"):
                lite, pg = min(times[step, "sqlite"]), min(times[step, "postgresql"])
                rows.append((name, step, f"{lite:.2f} s", f"{pg:.2f} s", f"{pg / lite:.2f}"))
            if a.requests:
                lat = {}
                for backend in ("sqlite", "postgresql", "sqlite", "postgresql")[: 2 * max(1, min(a.repeat, 2))]:
                    lat.setdefault(backend, []).append(api_latency(dbs[backend], a.requests))
                (l50, l95), (p50, p95) = (min(lat["sqlite"], key=lambda x: x[1]),
                                          min(lat["postgresql"], key=lambda x: x[1]))
                rows.append((name, "API p50", f"{l50:.1f} ms", f"{p50:.1f} ms", f"{p50 / l50:.2f}"))
                rows.append((name, "API p95", f"{l95:.1f} ms", f"{p95:.1f} ms", f"{p95 / l95:.2f}"))
            rows.append((name, "export JSON identical", "", "", str(same)))
            print(f"{name} done", flush=True)
            table(rows)
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def table(rows: list[tuple]) -> None:
    width = [max(len(str(r[k])) for r in rows) for k in range(5)]
    head = ("corpus", "step", "SQLite", "PostgreSQL", "PG/SQLite")
    width = [max(w, len(h)) for w, h in zip(width, head, strict=True)]
    for r in (head, *rows):
        print("  ".join(str(x).ljust(w) for x, w in zip(r, width, strict=True)), flush=True)


if __name__ == "__main__":
    sys.exit(main())
