"""Benchmark: how fast is a build, measured against spaCy's parse alone on the same machine.

    python bench/bench_build.py [CORPUS ...] [--words N] [--processes N] [--long MB,MB]

For a corpus (files under CORPUS, the first ``--words`` words of them in name order) prints
seconds, words/s, × (a) and the peak RSS (largest process, workers included) of
  (a) spaCy parse alone: one process, the texts a build parses, one at a time,
  (b) a cold build (empty caches: parse + extract + resolve + store), ``conflictlens build``,
  (c) a warm build (the same corpus again: facts from the cache),
  (d) an incremental build: (b)'s KB and caches, plus one ~5k-word document (the corpus
      document nearest 5k words, held out of (a)–(c)), and its share of (b).
Every measure runs in a fresh process (a build as the CLI runs it: start-up, model load
and all; (a) timed after its model load). ``--long 1,5,20`` measures instead one prose
document of each size (corpus texts concatenated): a cold build, s/MB, peak RSS, against
(a) measured on the first size (and scaled linearly for the others).
Machines are noisy: compare ratios, not seconds.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from conflictlens.ingest import find_documents  # noqa: E402
from conflictlens.pipeline import read_documents  # noqa: E402

PY = sys.executable
ENV = dict(os.environ, PYTHONPATH=str(ROOT / "src"))

#: (a): the texts a build gives spaCy (markup blanked), parsed one document at a time, a long
#: text in the build's pieces and batches; the model load is not timed.
PARSE_ALONE = """
import sys, time
from conflictlens.nlp import PIECES_BATCH, chunks, load_nlp, parse_text
from conflictlens.pipeline import read_documents
docs, _ = read_documents(sys.argv[1:])
texts = [parse_text(d) for d in docs]
nlp = load_nlp()
nlp("warm up")
t0, c0 = time.perf_counter(), time.process_time()
for text in texts:
    for _ in nlp.pipe((text[s:e] for s, e in chunks(text)), batch_size=PIECES_BATCH):
        pass
print(time.perf_counter() - t0, time.process_time() - c0)
"""


def run_rss(cmd: list[str]) -> tuple[float, float, float, str]:
    """(seconds, CPU seconds, peak RSS in MB of the process and its children, stdout)."""
    # Popen.communicate waits for the child itself; fork + wait4 keeps its rusage
    t0 = time.perf_counter()
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: exec the command, stdout into the pipe, stderr kept quiet
        os.close(r)
        os.dup2(w, 1)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.execve(cmd[0], cmd, ENV)
    os.close(w)
    with os.fdopen(r) as fh:
        out = fh.read()
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status):
        sys.exit(f"failed ({os.waitstatus_to_exitcode(status)}): {' '.join(cmd)}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out


def build_cmd(corpus: Path, db: Path, cache: Path, processes: int) -> list[str]:
    return [PY, "-m", "conflictlens.cli", "build", str(corpus), "--db", str(db),
            "--cache-dir", str(cache), "--processes", str(processes)]


def link_corpus(folder: Path, files: list[Path]) -> Path:
    folder.mkdir(parents=True)
    for f in files:
        (folder / f.name).write_bytes(f.read_bytes())  # copies: a build follows no links
    return folder


def corpus_files(paths: list[str], words: int | None) -> list[Path]:
    """The document files a build of ``paths`` reads, in name order; with ``words``, the first
    of them up to that many words."""
    files = sorted(find_documents(paths), key=lambda f: f.name)
    if words is None:
        return files
    out, n = [], 0
    for f in files:
        if n >= words:
            break
        out.append(f)
        n += len(f.read_text(errors="replace").split())
    return out


def table(rows: list[tuple[str, float, float, float, int]]) -> None:
    """Wall-clock and CPU seconds (all processes), each with its ratio to (a)'s."""
    base, cbase = rows[0][1], rows[0][2]
    print(f"{'measure':<34}{'seconds':>9}{'words/s':>10}{'× (a)':>8}{'CPU s':>9}{'× (a)':>8}"
          f"{'peak RSS MB':>13}")
    for label, t, cpu, rss, words in rows:
        print(f"{label:<34}{t:>9.2f}{words / t:>10,.0f}{t / base:>8.2f}{cpu:>9.1f}{cpu / cbase:>8.2f}"
              f"{rss:>13,.0f}")
    sys.stdout.flush()


def corpus_bench(a, tmp: Path) -> None:
    files = corpus_files(a.corpus, a.words)
    counts = {f: len(f.read_text(errors="replace").split()) for f in files}
    extra = min(files, key=lambda f: abs(counts[f] - 5000))
    base = [f for f in files if f != extra]
    corpus = link_corpus(tmp / "corpus", base)
    words = sum(counts[f] for f in base)
    docs, _ = read_documents([corpus])
    print(f"corpus: {len(docs)} documents, {words:,} words (+ {extra.name}, {counts[extra]:,} words, "
          f"for (d)); builds with --processes {a.processes}")
    _, _, rss_parse, out = run_rss([PY, "-c", PARSE_ALONE, str(corpus)])
    t_parse, c_parse = map(float, out.split()[-2:])
    cache, db = tmp / "cache", tmp / "kb.db"
    cold = run_rss(build_cmd(corpus, db, cache, a.processes))
    # warm: the same corpus rebuilt over its KB (as a user rebuilds it; the save then reuses
    # the KB's stored web views, which a build into a new file works out anew)
    shutil.copyfile(db, tmp / "warm.db")
    warm = run_rss(build_cmd(corpus, tmp / "warm.db", cache, a.processes))
    (corpus / extra.name).write_bytes(extra.read_bytes())
    inc = run_rss(build_cmd(corpus, db, cache, a.processes))
    table([("(a) spaCy parse alone, 1 process", t_parse, c_parse, rss_parse, words),
           ("(b) build, cold", *cold[:3], words),
           ("(c) build, warm", *warm[:3], words),
           ("(d) build, one document added", *inc[:3], words + counts[extra])])
    print(f"(d) / (b) = {inc[0] / cold[0]:.3f} (wall), {inc[1] / cold[1]:.3f} (CPU)")


def long_bench(a, tmp: Path) -> None:
    files = corpus_files(a.corpus, None)
    prose = "\n\n".join(f.read_text(errors="replace") for f in files)
    sizes = [float(x) for x in a.long.split(",")]
    first, per_mb = sizes[0], None
    for mb in sizes:
        size = int(mb * 1_000_000)
        text = (prose * (size // len(prose) + 1))[:size]
        text = text[:text.rfind("\n") + 1]
        folder = tmp / f"long{mb:g}"
        folder.mkdir()
        (folder / f"long-{mb:g}mb.txt").write_text(text)
        real_mb = len(text) / 1_000_000
        words = len(text.split())
        if per_mb is None:  # (a) measured on the first size only: spaCy's time is linear
            _, _, rss_parse, out = run_rss([PY, "-c", PARSE_ALONE, str(folder)])
            t_parse, c_parse = map(float, out.split()[-2:])
            per_mb = (t_parse / real_mb, c_parse / real_mb)
            label = "(a) spaCy parse alone, 1 process"
        else:
            t_parse, c_parse, rss_parse = per_mb[0] * real_mb, per_mb[1] * real_mb, float("nan")
            label = f"(a) scaled from {first:g} MB"
        cold = run_rss(build_cmd(folder, tmp / f"long{mb:g}.db", tmp / f"cache{mb:g}", a.processes))
        print(f"\none document of {real_mb:.2f} MB ({words:,} words); build --processes {a.processes}")
        table([(label, t_parse, c_parse, rss_parse, words), ("(b) build, cold", *cold[:3], words)])
        print(f"s/MB: (a) {t_parse / real_mb:.1f}, (b) {cold[0] / real_mb:.1f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="*", default=[str(ROOT / "examples" / "afghanistan")])
    ap.add_argument("--words", type=int, help="the first N words of the corpus (files in name order)")
    ap.add_argument("--processes", type=int, default=2, help="build worker processes (default 2)")
    ap.add_argument("--long", help="measure single documents of these sizes in MB (e.g. 1,5,20)")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        (long_bench if a.long else corpus_bench)(a, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
