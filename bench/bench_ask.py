"""Benchmark: how fast does ``ask`` answer, as a command (a fresh process each time, as a user
runs it) and in one process, against a baseline measured in the same run.

    python bench/bench_ask.py --db KB.db [--db KB2.db …] [--baseline CMD] [--runs N]
                              [--repeat K] [--questions FILE.jsonl]

For each KB, two copies are made in a temporary folder: **ours**, saved again by this
version (so it holds the stored search index, as a build of this version writes it), and
**base**, the same KB without the index in the schema before it (4). The command is timed
alternately: ``CMD ask QUESTION --db base`` (``--baseline``, e.g. main's
``.venv/bin/conflictlens``; default: this version on ``base``, which builds its index in
memory) and this version's ``conflictlens ask QUESTION --db ours``; ``--runs`` passes over
the questions. In one process: the first answer (KB read and index, built in memory from a
plain load — the baseline — or read from the stored index — ours), then p50/p95 of answering
every question ``--repeat`` times. Targets (500k words): command p95 ≤ 1 s, in-process p95
≤ 50 ms. Ratios are base / ours (> 1: ours is faster). Questions: a JSONL file with a
``question`` field, else general question shapes filled with the KB's most mentioned actors.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from conflictlens import ask, search_index, store  # noqa: E402

SHAPES = [
    "Which countries recognised {a}?", "Who supported {a}?", "When did {a} capture the capital?",
    "Where was {a} defeated?", "How many fighters did {a} have?", "Did {a} recognise {b}?",
    "How did the relations between {a} and {b} change?", "Who led {a}?",
]


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p * len(xs)))]


def prepare(db: Path, tmp: Path) -> tuple[Path, Path, int]:
    """(ours, base, words): the KB saved by this version, and without the index (schema 4)."""
    ours, base = tmp / f"ours-{db.stem}.db", tmp / f"base-{db.stem}.db"
    shutil.copy(db, base)
    con = sqlite3.connect(base)
    version = int(con.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0])
    words = con.execute("SELECT sum(words) FROM documents").fetchone()[0] or 0
    if version >= 5:  # written by this version: take the index out for the baseline
        with con:
            for t in search_index.TABLES:
                con.execute(f"DROP TABLE IF EXISTS {t}")
            con.execute("DELETE FROM meta WHERE key LIKE 'search%'")
            con.execute("UPDATE meta SET value='4' WHERE key='schema_version'")
    con.close()
    src = tmp / f"src-{db.stem}.db"
    shutil.copy(base, src)  # this version migrates what it opens: work on a copy
    meta = {k: v for k, v in store.meta(src).items() if k != "schema_version" and not k.startswith("search")}
    store.save(store.load(src), ours, meta=meta, overrides=store.load_overrides(src))
    src.unlink()
    return ours, base, words


def questions(path: Path, qfile: str | None) -> list[str]:
    if qfile:
        return [json.loads(line)["question"] for line in open(qfile, encoding="utf-8") if line.strip()]
    kb = store.load(path)
    top = [x.name for x in sorted(kb.actors, key=lambda x: (-x.mention_count, x.id))[:6]]
    return [s.format(a=top[i % len(top)], b=top[(i + 1) % len(top)]) for i, s in enumerate(SHAPES)]


def our_command() -> tuple[list[str], dict]:
    """This version's ``conflictlens`` as a user runs it (the venv's script, this src)."""
    script = Path(sys.executable).with_name("conflictlens")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return ([str(script)] if script.exists() else [sys.executable, "-m", "conflictlens.cli"]), env


def timed(cmd: list[str], env: dict) -> tuple[float, str]:
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    dt = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"failed ({r.returncode}): {' '.join(cmd)}\n{r.stderr}")
    return dt, r.stdout


def in_process(path: Path, qs: list[str], repeat: int, stored: bool) -> tuple[float, list[float]]:
    """(first answer incl. KB read and index, answer times) in this process."""
    t0 = time.perf_counter()
    kb = search_index.open_kb(path) if stored else store.load(path)
    assert (search_index.stored_for(kb) is not None) == stored
    ask.answer(kb, qs[0])
    first = time.perf_counter() - t0
    times = []
    for _ in range(repeat):
        for q in qs:
            t = time.perf_counter()
            ask.answer(kb, q)
            times.append(time.perf_counter() - t)
    return first, times


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True, action="append", type=Path, help="a KB (repeatable: one per size)")
    ap.add_argument("--baseline", help="command of the baseline CLI (default: this version without the index)")
    ap.add_argument("--questions", help="JSONL file with a 'question' field per line")
    ap.add_argument("--runs", type=int, default=2, help="passes over the questions as fresh processes")
    ap.add_argument("--repeat", type=int, default=3, help="passes over the questions in one process")
    ap.add_argument("--no-bytecode-cache", action="store_true",
                    help="keep $PYTHONDONTWRITEBYTECODE: every process compiles the package from source")
    a = ap.parse_args()

    ours_cmd, env = our_command()
    base_cmd = a.baseline.split() if a.baseline else ours_cmd
    # the baseline's own package, not this src (unless it is this version)
    base_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} if a.baseline else env
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        if not a.no_bytecode_cache:
            # as an installed package runs: compiled once (here into a private folder, so
            # that no source tree gets __pycache__ files), not in every process
            for e in (env, base_env):
                e.pop("PYTHONDONTWRITEBYTECODE", None)
                e["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        for db in a.db:
            ours, base, words = prepare(db, Path(tmp))
            qs = questions(ours, a.questions)
            for cmd, path, e in ((base_cmd, base, base_env), (ours_cmd, ours, env)):  # warm-up: compile
                timed([*cmd, "ask", qs[0], "--db", str(path)], e)
            cmd_base, cmd_ours, same = [], [], 0
            for r in range(a.runs):
                for q in qs:
                    # alternate which goes first, so that neither always meets a warmer cache
                    order = [("base", base), ("ours", ours)] if r % 2 == 0 else [("ours", ours), ("base", base)]
                    outs = {}
                    for who, path in order:
                        dt, outs[who] = timed([*(base_cmd if who == "base" else ours_cmd), "ask", q, "--db",
                                               str(path)], base_env if who == "base" else env)
                        (cmd_base if who == "base" else cmd_ours).append(dt)
                    same += outs["base"] == outs["ours"]
            first_b, times_b = in_process(base, qs, a.repeat, stored=False)
            first_o, times_o = in_process(ours, qs, a.repeat, stored=True)
            rows.append((db.name, words, len(qs), cmd_base, cmd_ours, same, first_b, times_b, first_o, times_o))

    print(f"baseline command: {' '.join(base_cmd)} (on the KB without the stored index)"
          + ("; no bytecode cache" if a.no_bytecode_cache else "; bytecode cached"))
    print(f"ours:             {' '.join(ours_cmd)} (PYTHONPATH={ROOT / 'src'})")
    print()
    print(f"{'KB':<14}{'words':>9}  {'command p50/p95 base':>22}  {'ours':>13}  {'ratio p50/p95':>14}  "
          f"{'same out':>8}")
    for name, words, _n, cb, co, same, *_ in rows:
        print(f"{name:<14}{words:>9,}  {statistics.median(cb):>10.2f} / {pct(cb, .95):5.2f} s  "
              f"{statistics.median(co):5.2f} / {pct(co, .95):4.2f} s  "
              f"{statistics.median(cb) / statistics.median(co):>6.1f} / {pct(cb, .95) / pct(co, .95):4.1f}  "
              f"{same:>4}/{len(cb)}")
    print()
    print(f"{'KB':<14}{'first answer base / ours':>26}  {'in-process p50/p95 base':>24}  {'ours':>15}  "
          f"{'ratio p95':>9}")
    for name, _, _, _, _, _, fb, tb, fo, to in rows:
        mb, mo = statistics.median(tb) * 1e3, statistics.median(to) * 1e3
        print(f"{name:<14}{fb:>12.2f} / {fo:5.2f} s    {mb:>9.1f} / {pct(tb, .95) * 1e3:5.1f} ms"
              f"  {mo:5.1f} / {pct(to, .95) * 1e3:5.1f} ms  {pct(tb, .95) / pct(to, .95):>8.1f}")
    print("\ntargets at 500k words: command p95 ≤ 1 s, in-process p95 ≤ 50 ms "
          "(absolute times depend on the machine's load; the ratios are measured side by side)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
