"""Benchmark: the cross-document steps of a build (everything after per-document extraction),
per 100k words at growing corpus sizes, and the blocked resolve against the all-pairs one.

    python bench/bench_resolve.py [--cache-dir DIR] [--sizes 100000,250000,500000]
        [--corpus ../shared/corpus/scale] [--double DIR] [--repeat 1]
        [--profile /tmp/resolve.prof]

The per-document facts of every document (parse from the cache, then
``pipeline.extract_document``) are made once and pickled under ``--facts-dir``; each run
unpickles a fresh copy (resolve changes facts in place). The sizes are the first documents
of ``--corpus`` (by file name) up to that many words, then every document of ``--double``
(the corpus and a changed copy of it, ~10⁶ words).

For each size the whole post-extraction path runs twice, alternating: ``new`` with the
package's resolve_actors, merge_events, refine_event_dates and anchor_event_references,
``old`` with their all-pairs reference versions (tests/resolve_allpairs.py). Printed:
seconds per step, seconds per 100k words, the
growth of the per-100k cost against the smallest size, old/new ratios, and whether both
variants gave the same KB (the export JSON, build metadata apart). Machines are noisy:
compare ratios within one run.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import pickle
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from conflictlens import corrections, resolve, store  # noqa: E402
from conflictlens.confidence import score as score_confidence  # noqa: E402
from conflictlens.export import to_dict  # noqa: E402
from conflictlens.extract.time import (  # noqa: E402
    anchor_event_references,
    anchor_founding_dates,
    close_ceased_relations,
    refine_event_dates,
)
from conflictlens.nlp import parse_documents  # noqa: E402
from conflictlens.pipeline import _actor_namer, extract_document, read_documents  # noqa: E402
from resolve_allpairs import (  # noqa: E402
    anchor_event_references_allpairs,
    merge_events_allpairs,
    refine_event_dates_allpairs,
    resolve_actors_allpairs,
)

STEPS = ("resolve_actors", "merge_events", "resolve (rest)", "refine_event_dates", "anchor_founding_dates",
         "anchor_event_references", "close_ceased_relations", "score_confidence", "apply_overrides",
         "corrections.replay", "score_confidence 2", "store.save")


def _facts_file(facts_dir: Path, d) -> Path:
    return facts_dir / (hashlib.sha256(f"{d.name}\0{d.id}".encode()).hexdigest()[:32] + ".pkl")


def facts_blobs(docs, cache_dir: Path | None, facts_dir: Path) -> list[bytes]:
    """The pickled facts of each document, extracted once (parses from ``cache_dir``)."""
    facts_dir.mkdir(parents=True, exist_ok=True)
    missing = [d for d in docs if not _facts_file(facts_dir, d).exists()]
    if missing:
        print(f"extracting {len(missing)} documents (once) ...", file=sys.stderr, flush=True)
        for d, sdoc in parse_documents(missing, cache_dir=cache_dir, n_process=1):
            _facts_file(facts_dir, d).write_bytes(pickle.dumps(extract_document(d, sdoc), protocol=5))
    return [_facts_file(facts_dir, d).read_bytes() for d in docs]


@contextmanager
def variant(old: bool, times: dict):
    """resolve.resolve with timed resolve_actors / merge_events (the all-pairs ones if ``old``)."""
    saved = resolve.resolve_actors, resolve.merge_events
    ra = resolve_actors_allpairs if old else saved[0]
    me = merge_events_allpairs if old else saved[1]

    def timed(name, fn):
        def run(*a, **k):
            t0 = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                times[name] = times.get(name, 0.0) + time.perf_counter() - t0
        return run

    resolve.resolve_actors, resolve.merge_events = timed("resolve_actors", ra), timed("merge_events", me)
    try:
        yield
    finally:
        resolve.resolve_actors, resolve.merge_events = saved


def overrides_for(kb) -> list[dict]:
    """Two user corrections as a build replays them: a merge and a split, of actors picked by
    rank (any corpus has them), so that apply_overrides does real work."""
    out = []
    if len(kb.actors) > 12:
        out.append({"op": "merge", "a": kb.actors[10].name, "b": kb.actors[11].name})
    with_alias = [a for a in kb.actors[:50] if a.aliases]
    if with_alias:
        out.append({"op": "split", "a": with_alias[0].name, "b": with_alias[0].aliases[-1]})
    return out


def post_extraction(facts, old: bool, db: Path, overrides: list[dict] | None) -> tuple[dict, object]:
    """Every step of ``pipeline.build`` after extraction, timed one by one (as build_kb and build run them)."""
    t: dict[str, float] = {}

    def step(name, fn, *a):
        t0 = time.perf_counter()
        out = fn(*a)
        t[name] = t.get(name, 0.0) + time.perf_counter() - t0
        return out

    with variant(old, t):
        t0 = time.perf_counter()
        kb = resolve.resolve(facts)
        t["resolve (rest)"] = time.perf_counter() - t0 - t["resolve_actors"] - t["merge_events"]
    step("refine_event_dates", refine_event_dates_allpairs if old else refine_event_dates, kb.events)
    named = step("anchor_founding_dates", _actor_namer, kb)
    step("anchor_founding_dates", anchor_founding_dates, kb.events, kb.relations, named)
    step("anchor_event_references", anchor_event_references_allpairs if old else anchor_event_references,
         kb.events, kb.relations, named)
    step("close_ceased_relations", close_ceased_relations, kb.relations)
    step("score_confidence", score_confidence, kb)
    overrides = overrides_for(kb) if overrides is None else overrides
    step("apply_overrides", resolve.apply_overrides, kb, overrides)
    fixes = [{"op": "reject", "fact": corrections.content_key(kb, f), "why": "bench"}
             for f in (kb.events[len(kb.events) // 2:len(kb.events) // 2 + 1] + kb.relations[:1])]
    step("corrections.replay", corrections.replay, kb, fixes)
    step("score_confidence 2", score_confidence, kb)
    step("store.save", store.save, kb, db, {"built_at": "bench"}, overrides)
    return t, kb


def fingerprint(kb) -> str:
    d = to_dict(kb)
    d.pop("meta", None)
    return hashlib.sha256(json.dumps(d, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:12]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "scale"))
    ap.add_argument("--double", default="", help="a ~10⁶-word corpus, e.g. the corpus plus a copy of each "
                    "file with a changed first line (default: none)")
    ap.add_argument("--sizes", default="100000,250000,500000", help="words, comma-separated")
    ap.add_argument("--cache-dir", default=None, help="parse cache (default: the user's)")
    ap.add_argument("--facts-dir", default="/tmp/resolvelin-facts")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each variant; the best counts")
    ap.add_argument("--no-old", action="store_true", help="time the package's version only")
    ap.add_argument("--profile", help="cProfile the new variant at the largest size into this file")
    a = ap.parse_args()

    docs, errors = read_documents([a.corpus])
    docs.sort(key=lambda d: d.name)
    points = []
    for size in (int(s) for s in a.sizes.split(",") if s):
        subset, words = [], 0
        for d in docs:
            if words >= size:
                break
            subset.append(d)
            words += d.words
        points.append((f"{len(subset)} docs", subset))
    if a.double:
        ddocs, derr = read_documents([a.double])
        errors += derr
        points.append((f"{len(ddocs)} docs (2x)", ddocs))
    for e in errors:
        print("skipped:", e, file=sys.stderr)
    cache = Path(a.cache_dir) if a.cache_dir else None
    variants = ("new",) if a.no_old else ("new", "old")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, subset in points:
            blobs = facts_blobs(subset, cache, Path(a.facts_dir))
            words = sum(d.words for d in subset)
            best: dict[str, dict[str, float]] = {}
            prints: dict[str, str] = {}
            for r in range(a.repeat):
                for v in variants if r % 2 == 0 else variants[::-1]:
                    facts = [pickle.loads(b) for b in blobs]
                    t, kb = post_extraction(facts, v == "old", Path(tmp) / f"{v}.db", None)
                    prints[v] = fingerprint(kb)
                    b = best.setdefault(v, {})
                    for k, s in t.items():
                        b[k] = min(b.get(k, s), s)
            rows.append((label, words, best, prints))
            _report(rows[-1])
            if a.profile and (label, subset) == points[-1]:
                facts = [pickle.loads(b) for b in blobs]
                prof = cProfile.Profile()
                prof.enable()
                post_extraction(facts, False, Path(tmp) / "prof.db", None)
                prof.disable()
                prof.dump_stats(a.profile)
                print(f"profile of the new variant at {words:,} words: {a.profile}")
    _summary(rows)
    return 0


def _report(row) -> None:
    label, words, best, prints = row
    print(f"\n== {label}, {words:,} words ==")
    print(f"{'step':<26}" + "".join(f"{v + ' s':>10}{v + ' s/100k':>13}" for v in best)
          + (f"{'old/new':>9}" if "old" in best else ""))
    for k in (*STEPS, "total"):
        cells = ""
        for v in best:
            s = sum(best[v].values()) if k == "total" else best[v].get(k, 0.0)
            cells += f"{s:>10.3f}{s * 100_000 / words:>13.3f}"
        if "old" in best:
            n = sum(best["new"].values()) if k == "total" else best["new"].get(k, 0.0)
            o = sum(best["old"].values()) if k == "total" else best["old"].get(k, 0.0)
            cells += f"{o / n:>9.1f}" if n > 0 else f"{'-':>9}"
        print(f"{k:<26}{cells}")
    if "old" in prints:
        print("same KB (export JSON) old vs new:", "yes" if prints["old"] == prints["new"] else
              f"NO ({prints['old']} vs {prints['new']})")


def _summary(rows) -> None:
    print("\n== cost per 100k words, whole post-extraction path (× the smallest size) ==")
    base = {}
    for label, words, best, _ in rows:
        line = f"{label:<16}{words:>10,} words"
        for v in best:
            per = sum(best[v].values()) * 100_000 / words
            base.setdefault(v, per)
            line += f"   {v}: {per:7.3f} s/100k ({per / base[v]:.2f}×)"
        print(line)


if __name__ == "__main__":
    sys.exit(main())
