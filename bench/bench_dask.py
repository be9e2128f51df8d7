"""Benchmark: ``build --engine dask`` against the local build, and the same-result check.

    python bench/bench_dask.py [CORPUS ...] [--words N] [--workers N] [--repeat K]

For a corpus (files under CORPUS, the first ``--words`` words of them in name order) runs,
alternating, each as ``conflictlens build`` runs it (a fresh process: start-up, model load and
all; empty caches every time):
  (a) ``--engine local --processes N``  (the local worker pool),
  (b) ``--engine dask --processes N``   (a LocalCluster of N single-threaded worker processes,
      started and stopped by the build),
  (c) ``--engine dask --scheduler ADDR`` on a running cluster (``dask scheduler`` and
      ``dask worker --nworkers N --nthreads 1`` started here, as on other machines; its workers
      have loaded the model in a warm-up build),
prints the best wall-clock and CPU seconds (all processes: the build's, its workers', the
running cluster's) of each and their ratios to (a), and compares the JSON exports of every
build with (a)'s (they must be equal). Machines are noisy: compare ratios, not seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
DASK = str(Path(PY).parent / "dask")
ENV = dict(os.environ, PYTHONPATH=str(ROOT / "src"))

from bench_build import corpus_files  # noqa: E402 - beside this script


def cli(*args: str, cluster: list[subprocess.Popen] = ()) -> tuple[float, float]:
    """Run ``conflictlens ARGS``: (seconds, CPU seconds of it, its children and the running
    ``cluster``'s processes, which are not its children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    cluster_cpu = tree_cpu(cluster)
    t0 = time.perf_counter()
    r = subprocess.run([PY, "-m", "conflictlens.cli", *args], env=ENV, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if r.returncode:
        sys.exit(f"failed: conflictlens {' '.join(args)}\n{r.stderr[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return seconds, cpu + tree_cpu(cluster) - cluster_cpu


def tree_cpu(procs) -> float:
    """CPU seconds so far of these processes and all their descendants alive."""
    import psutil

    total = 0.0
    for p in procs:
        try:
            root = psutil.Process(p.pid)
            for q in [root, *root.children(recursive=True)]:
                t = q.cpu_times()
                total += t.user + t.system + t.children_user + t.children_system
        except psutil.NoSuchProcess:
            pass
    return total


def export(db: Path) -> str:
    out = db.with_suffix(".json")
    cli("export", "--db", str(db), "--format", "json", "-o", str(out))
    return out.read_text(encoding="utf-8")


def start_cluster(tmp: Path, workers: int) -> tuple[str, list[subprocess.Popen]]:
    """A scheduler and ``workers`` single-threaded worker processes, as on other machines."""
    sched_file = tmp / "scheduler.json"
    log = open(tmp / "cluster.log", "w")  # noqa: SIM115 - closed with the processes
    procs = [subprocess.Popen([DASK, "scheduler", "--port", "0", "--no-dashboard",
                               "--scheduler-file", str(sched_file)], env=ENV, stdout=log, stderr=log,
                              start_new_session=True)]
    for _ in range(100):
        if sched_file.exists() and sched_file.stat().st_size:
            break
        time.sleep(0.2)
    address = json.loads(sched_file.read_text())["address"]
    procs.append(subprocess.Popen([DASK, "worker", address, "--nworkers", str(workers), "--nthreads", "1",
                                   "--no-dashboard", "--local-directory", str(tmp / "dask-worker-space")],
                                  env=ENV, stdout=log, stderr=log, start_new_session=True))
    return address, procs


def stop_cluster(procs: list[subprocess.Popen]) -> None:
    for p in reversed(procs):  # workers first
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGTERM)  # its own session: the worker's nanny and children
    for p in procs:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="*", default=[str(ROOT / "examples" / "afghanistan")])
    ap.add_argument("--words", type=int, help="the first N words of the corpus (files in name order)")
    ap.add_argument("--workers", type=int, default=2, help="local processes / Dask workers (default 2)")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each measure, alternating; the best counts")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = tmp / "corpus"
        corpus.mkdir()
        files = corpus_files(a.corpus, a.words)
        for f in files:
            (corpus / f.name).write_bytes(f.read_bytes())
        words = sum(len(f.read_text(errors="replace").split()) for f in files)
        print(f"corpus: {len(files)} documents, {words:,} words; {a.workers} workers, best of {a.repeat}")
        address, procs = start_cluster(tmp, a.workers)
        try:
            n = [0]

            def build(*engine: str) -> tuple[float, float, Path]:
                n[0] += 1
                db = tmp / f"kb{n[0]}.db"
                t, cpu = cli("build", str(corpus), "--db", str(db), "--cache-dir", str(tmp / f"cache{n[0]}"),
                             "--processes", str(a.workers), *engine, cluster=procs)
                return t, cpu, db

            build("--engine", "dask", "--scheduler", address)  # the running workers load the model
            measures = {"(a) local pool": ("--engine", "local"),
                        "(b) dask, LocalCluster started by the build": ("--engine", "dask"),
                        "(c) dask, running scheduler + workers": ("--engine", "dask", "--scheduler", address)}
            best: dict[str, float] = {}
            best_cpu: dict[str, float] = {}
            dbs: dict[str, Path] = {}
            for _ in range(a.repeat):
                for label, engine in measures.items():
                    t, cpu, db = build(*engine)
                    best[label] = min(t, best.get(label, t))
                    best_cpu[label] = min(cpu, best_cpu.get(label, cpu))
                    dbs.setdefault(label, db)
        finally:
            stop_cluster(procs)
        base, cbase = best["(a) local pool"], best_cpu["(a) local pool"]
        print(f"{'measure':<46}{'seconds':>9}{'words/s':>10}{'× (a)':>8}{'CPU s':>9}{'× (a)':>8}")
        for label, t in best.items():
            cpu = best_cpu[label]
            print(f"{label:<46}{t:>9.2f}{words / t:>10,.0f}{t / base:>8.2f}{cpu:>9.1f}{cpu / cbase:>8.2f}")
        ref = export(dbs["(a) local pool"])
        for label in list(measures)[1:]:
            same = export(dbs[label]) == ref
            print(f"export JSON of {label[:3]} == (a): {'yes' if same else 'NO'} ({len(ref):,} characters)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
