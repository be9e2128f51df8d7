"""A document's memory budget (conflictlens.memory_budget), alone and in a build."""

from __future__ import annotations

import mmap
import subprocess
import sys
import threading
import time

import pytest
from typer.testing import CliRunner

from conflictlens import memory_budget, pipeline
from conflictlens.cli import app
from conflictlens.memory_budget import OverMemoryBudget, tree_rss_mb
from conflictlens.memory_budget import memory_budget as budget
from conflictlens.pipeline import build

pytestmark = pytest.mark.skipif(not memory_budget.supported(), reason="reads /proc (Linux)")

MB = 1_048_576


def _taken(mb: int) -> mmap.mmap:
    """``mb`` MB newly taken from the system and written (a malloc could reuse heap the
    process already holds, and untouched pages are not resident)."""
    block = mmap.mmap(-1, mb * MB)
    for i in range(0, mb * MB, mmap.PAGESIZE):
        block[i] = 1
    return block


def _hold(mb: int, seconds: float = 5.0) -> int:
    """``mb`` MB taken and kept ``seconds``."""
    block = _taken(mb)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(0.01)  # Python code runs between sleeps: the budget's signal lands here
    size = len(block)
    block.close()
    return size


def test_resident_memory_is_read_and_grows_with_what_is_held():
    before = tree_rss_mb()
    block = _taken(80)
    assert tree_rss_mb() - before > 60
    block.close()


def test_a_block_over_its_budget_is_stopped():
    with pytest.raises(OverMemoryBudget) as exc:
        with budget(40):
            _hold(120)
    assert exc.value.budget_mb == 40 and exc.value.used_mb > 40
    assert "40 MB" in str(exc.value)


def test_a_block_under_its_budget_runs_and_memory_held_before_does_not_count():
    held = _taken(120)  # e.g. the facts of documents done before
    with budget(60):
        assert _hold(10, seconds=0.5) == 10 * MB
    held.close()


def test_no_budget_when_none_or_outside_the_main_thread():
    with budget(None):
        _hold(60, seconds=0.3)
    errors = []

    def in_thread():
        try:
            with budget(10):
                _hold(60, seconds=0.3)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    t = threading.Thread(target=in_thread)
    t.start()
    t.join()
    assert errors == []


def test_the_processes_a_block_starts_count():
    code = "import time; b = b'x' * (150 * 1048576); time.sleep(10)"
    with pytest.raises(OverMemoryBudget):
        with budget(60):
            child = subprocess.Popen([sys.executable, "-c", code])
            try:
                deadline = time.monotonic() + 8
                while time.monotonic() < deadline:
                    time.sleep(0.01)
            finally:
                child.kill()
                child.wait()


TEXTS = {
    "a.txt": "The Alpha Front attacked the town of Beta in May 1990.\n",
    "b.txt": "The Gamma Army captured Delta from the Alpha Front in June 1991.\n",
    "c.txt": "The Delta Movement fought the Gamma Army in 1992.\n",
}


@pytest.fixture
def greedy_b(monkeypatch, nlp):
    """An extraction that holds 300 MB on b.txt (forked workers see it too)."""
    real = pipeline.extract_document

    def greedy(document, sdoc):
        if document.name == "b.txt":
            _hold(300, seconds=20)
        return real(document, sdoc)

    monkeypatch.setattr(pipeline, "extract_document", greedy)


@pytest.mark.parametrize("processes", [1, 2])
def test_a_document_over_its_budget_is_skipped_and_the_build_goes_on(tmp_path, greedy_b, processes):
    corpus = tmp_path / "c"
    corpus.mkdir()
    for name, text in TEXTS.items():
        (corpus / name).write_text(text)
    report = build([corpus], tmp_path / "kb.db", cache_dir=tmp_path / "cache", n_process=processes,
                   memory_mb=150)
    assert report.documents == ["a.txt", "c.txt"]
    (line,) = report.errors
    assert "b.txt" in line and "150 MB" in line and "skipped" in line and "\n" not in line


def test_the_cli_refuses_a_budget_that_is_not_one(tmp_path):
    (tmp_path / "a.txt").write_text(TEXTS["a.txt"])
    r = CliRunner().invoke(app, ["build", str(tmp_path / "a.txt"), "--db", str(tmp_path / "kb.db"),
                                 "--max-memory-mb", "0"])
    assert r.exit_code != 0
    assert "--max-memory-mb 0" in r.output
    assert not (tmp_path / "kb.db").exists()


def test_forked_children_count_only_the_memory_they_hold_alone():
    import multiprocessing

    held = _taken(200)
    before = tree_rss_mb()
    ctx = multiprocessing.get_context("fork")
    children = [ctx.Process(target=time.sleep, args=(5,)) for _ in range(2)]
    for c in children:
        c.start()
    try:
        time.sleep(0.5)
        # each child maps the parent's 200 MB, but holds none of it alone
        assert tree_rss_mb() - before < 100
    finally:
        for c in children:
            c.terminate()
            c.join()
        held.close()


def test_a_parse_stopped_midway_does_not_wait_forever_for_spacys_parsers(tmp_path, monkeypatch, nlp):
    from conflictlens import nlp as nlp_module
    from conflictlens.ingest import parse_text
    from conflictlens.nlp import ParseBudgetError, parse_document
    from test_hostile_documents import within

    monkeypatch.setattr(nlp_module, "WHOLE_CHARS", 1000)
    monkeypatch.setattr(nlp_module, "CHUNK_CHARS", 600)
    paragraph = "The Alpha Front attacked the town of Beta in May 1990. The Gamma Army withdrew.\n\n"
    doc = parse_text(paragraph * 1500, "long.txt")  # ~190 pieces: batches bigger than a pipe holds
    t0 = time.monotonic()
    with within(150.0), pytest.raises(ParseBudgetError):
        parse_document(doc, tmp_path, seconds=0.0, processes=2)
    # a hang detector, not a speed test: a parser blocked on its pipe held this for minutes
    assert time.monotonic() - t0 < 60
