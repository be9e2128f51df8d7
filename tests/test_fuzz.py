"""A short run of the fuzz harness (``bench/fuzz.py``; ``make fuzz N=100000`` for the long one).

A few hundred generated inputs over ingest, time normalisation, extraction, ``ask`` and the API,
with a fixed seed: no crash, no input over its time limit, every quote equal to its span.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

HARNESS = Path(__file__).resolve().parent.parent / "bench" / "fuzz.py"


@pytest.fixture(scope="module")
def fuzz():
    spec = importlib.util.spec_from_file_location("conflictlens_fuzz", HARNESS)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def ctx(fuzz, example_db):
    return fuzz.Context(db=example_db)


@pytest.mark.parametrize("target, cases", [("ingest", 150), ("time", 150), ("ask", 40),
                                           ("api", 60), ("extract", 15)])
def test_short_fuzz_run(fuzz, ctx, target, cases):
    stats = fuzz.fuzz(cases, targets=(target,), seed_value=15, limit=3.0, ctx=ctx)[target]
    assert stats.cases >= cases
    assert stats.ok, fuzz.report({target: stats})


def test_the_harness_catches_a_quote_that_is_not_its_span(fuzz, ctx, monkeypatch):
    # the checks can fail: a target that returns a shifted span is reported, with its input
    from conflictlens.extract import time as time_module
    from conflictlens.records import TimeExpr

    monkeypatch.setattr(time_module, "find_times",
                        lambda text, sdoc=None, sections=(): [TimeExpr(0, 4, "1999", "1999", "year")])
    stats = fuzz.Stats()
    fuzz.run_one(ctx, "time", "In 1999 they fought.", 2.0, stats)
    assert stats.crashes and "QuoteMismatch" in stats.crashes[0]
