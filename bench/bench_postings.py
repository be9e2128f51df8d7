"""Benchmark: two layouts of the stored postings, read for one question's terms.

    python bench/bench_postings.py --db KB.db [--questions 40]

``packed`` (what conflictlens stores): one row a term, its posting list as text
``"id tf id tf …"``; ``rows``: one row a (term, passage, tf) with a covering index on
(term, passage, tf). Both are portable SQL. A copy of the KB (which must hold the search
index) gets the ``rows`` table; then, alternating, each layout reads the postings of the
terms of generated questions (question shapes × the most mentioned actors, as ``ask`` would
query them) through a fresh connection, as a fresh ``ask`` process does. Prints p50/p95 per
question and the ratio rows / packed.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from conflictlens import ask, search_index  # noqa: E402

SHAPES = ["Which countries recognised {a}?", "Who supported {a}?", "When did {a} capture the capital?",
          "Where was {a} defeated?", "How many fighters did {a} have?", "Did {a} recognise {b}?",
          "How did the relations between {a} and {b} change?", "Who led {a}?"]


def query_terms(kb, n: int) -> list[list[str]]:
    """The BM25 query terms ``ask`` would look up for ``n`` generated questions."""
    top = [a.name for a in sorted(kb.actors, key=lambda a: (-a.mention_count, a.id))[:max(2, n // len(SHAPES) + 2)]]
    out = []
    for i in range(n):
        q = ask.parse_question(kb, SHAPES[i % len(SHAPES)].format(a=top[i // len(SHAPES)],
                                                                  b=top[i // len(SHAPES) + 1]))
        terms = dict.fromkeys([*q.terms, *(ask.stem(t) for w in q.predicate_words for t in w.split()),
                               *ask._type_stems(q), *("@" + a for a in q.actors), *q.name_terms])
        out.append(list(terms))
    return out


def read_packed(path: Path, terms: list[str]) -> int:
    con = sqlite3.connect(path)
    n = 0
    for t in terms:
        row = con.execute("SELECT postings FROM search_postings WHERE term=?", (t,)).fetchone()
        nums = list(map(int, row[0].split())) if row else []
        n += len(list(zip(nums[::2], nums[1::2], strict=True)))
    con.close()
    return n


def read_rows(path: Path, terms: list[str]) -> int:
    con = sqlite3.connect(path)
    n = 0
    for t in terms:
        n += len(con.execute("SELECT passage, tf FROM postings_rows WHERE term=? ORDER BY passage", (t,)).fetchall())
    con.close()
    return n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True, type=Path)
    ap.add_argument("--questions", type=int, default=40)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "kb.db"
        shutil.copy(a.db, db)
        kb = search_index.open_kb(db)
        if search_index.stored_for(kb) is None:
            sys.exit(f"{a.db} holds no search index: build it with this version")
        qs = query_terms(kb, a.questions)
        before = db.stat().st_size
        con = sqlite3.connect(db)
        with con:
            con.execute("CREATE TABLE postings_rows (term TEXT NOT NULL, passage INTEGER NOT NULL, "
                        "tf INTEGER NOT NULL)")
            rows = []
            for term, packed in con.execute("SELECT term, postings FROM search_postings"):
                nums = list(map(int, packed.split()))
                rows += [(term, i, tf) for i, tf in zip(nums[::2], nums[1::2], strict=True)]
            con.executemany("INSERT INTO postings_rows VALUES (?,?,?)", rows)
            con.execute("CREATE INDEX postings_rows_term ON postings_rows (term, passage, tf)")
        con.close()
        grown = db.stat().st_size - before
        times: dict[str, list[float]] = defaultdict(list)
        for k, terms in enumerate(qs):
            order = [("packed", read_packed), ("rows", read_rows)]
            for name, fn in order if k % 2 == 0 else order[::-1]:
                t0 = time.perf_counter()
                got = fn(db, terms)
                times[name].append(time.perf_counter() - t0)
                times[name + " postings"].append(got)
        size = {n: sqlite3.connect(db).execute(
            "SELECT sum(length(term)) + sum(length(postings)) FROM search_postings").fetchone()[0] for n in ["packed"]}
    print(f"{len(qs)} questions, {statistics.median(times['packed postings']):.0f} postings each (median); "
          f"packed: {size['packed'] / 1e6:.1f} MB of text; rows: {len(rows):,} rows, file +{grown / 1e6:.1f} MB")
    for name in ("packed", "rows"):
        xs = sorted(times[name])
        p95 = xs[int(0.95 * (len(xs) - 1))]
        print(f"{name:8s} p50 {statistics.median(xs) * 1e3:7.2f} ms   p95 {p95 * 1e3:7.2f} ms")
    print(f"ratio rows / packed: p50 {statistics.median(times['rows']) / statistics.median(times['packed']):.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
