"""``build --engine dask``: the same KB as the local build, on a real Dask LocalCluster.

One cluster (2 worker processes, one thread each) serves the whole module: it takes seconds
to start and each worker loads the spaCy model once.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import threading
import time

import pytest
from typer.testing import CliRunner

pytest.importorskip("distributed", reason="dask[distributed] is not installed (pip install 'conflictlens[dask]')")

from conflictlens import dask_engine, export, pipeline, store  # noqa: E402
from conflictlens.cli import app  # noqa: E402
from conflictlens.dask_engine import DaskEngine, EngineError, thread_time_limit  # noqa: E402

#: Short texts about an invented war (no corpus's facts): actors across documents, relations,
#: events with dates, a figure.
CORPUS = {
    "north.txt": (
        "= The Lowland War =\n\n"
        "The Lowland War began in March 1971 when the Republic of Varnia invaded Ostrelia. "
        "The Ostrelian Army defended the capital, Kerrow, until June 1971. "
        "The Kingdom of Dalmor supported Ostrelia throughout the war. "
        "About 12,000 soldiers were killed in the fighting.\n"
    ),
    "south.md": (
        "---\ndate: 1973-02-10\n---\n"
        "Varnia and Ostrelia signed the Treaty of Hale in January 1973. "
        "General Anton Brask, the commander of the Varnian Army, resigned last year. "
        "Dalmor recognized the government of Ostrelia in 1972.\n"
    ),
    "east.txt": (
        "In May 1971 the Varnian Army captured the town of Selm. "
        "Ostrelian forces attacked Varnian positions near Selm in August 1971. "
        "The United Nations condemned the invasion of Ostrelia by Varnia.\n"
    ),
    "west.txt": (
        "Ostrelia received weapons from Dalmor in 1971. "
        "President Ilse Moran of Ostrelia met the King of Dalmor in Kerrow in October 1971.\n"
    ),
}


@pytest.fixture(scope="module")
def engine():
    with DaskEngine(None, workers=2) as e:
        yield e


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in CORPUS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _export(db) -> str:
    return export.export(store.load(db), "json", None)


@pytest.fixture(scope="module")
def local_export(tmp_path_factory) -> str:
    """The JSON export of the corpus built locally (in this process: the same unit of work)."""
    tmp = tmp_path_factory.mktemp("local")
    folder = tmp / "corpus"
    folder.mkdir()
    for name, text in CORPUS.items():
        (folder / name).write_text(text, encoding="utf-8")
    report = pipeline.build([folder], tmp / "local.db", cache_dir=tmp / "cache", n_process=1)
    assert not report.errors
    return _export(tmp / "local.db")


def test_local_cluster_has_two_single_threaded_process_workers(engine):
    info = engine.client.scheduler_info()["workers"]
    assert len(info) == 2
    assert all(w["nthreads"] == 1 for w in info.values())
    pids = engine.client.run(os.getpid)
    assert len(set(pids.values())) == 2 and os.getpid() not in pids.values()


def test_export_equals_the_local_build(engine, local_export, corpus, tmp_path):
    seen: list[str] = []
    # a cache of its own: every document is parsed and extracted on the workers
    on_dask = pipeline.build([corpus], tmp_path / "dask.db", cache_dir=tmp_path / "cache",
                             progress=seen.append, engine=engine.run_documents)
    assert not on_dask.errors
    assert sorted(seen) == sorted(CORPUS)  # one step per document, as each arrives
    assert json.loads(local_export)["relations"] and json.loads(local_export)["events"]  # worth comparing
    assert _export(tmp_path / "dask.db") == local_export
    # the workers wrote the cache they were given (one shared disk): a rebuild reads it
    assert any((tmp_path / "cache").glob("*.spacy"))
    again = pipeline.build([corpus], tmp_path / "again.db", cache_dir=tmp_path / "cache",
                           engine=engine.run_documents)
    assert not again.errors and _export(tmp_path / "again.db") == local_export


def test_a_bad_document_is_one_line_and_the_build_goes_on(engine, corpus, tmp_path, monkeypatch):
    # A parse over its budget: a document long enough to be parsed in pieces, with no time
    # allowed (checked after its first piece); the short ones are parsed whole, never checked.
    monkeypatch.setattr(pipeline, "PARSE_SECONDS_PER_MB", 0.0)
    monkeypatch.setattr(pipeline, "BUDGET_MIN_SECONDS", 0.0)
    monkeypatch.setattr(pipeline, "EXTRACT_SECONDS_PER_MB", 1e9)
    # long, yet quick to parse: runs without a space are blanked for the parser
    (corpus / "long.txt").write_text("Varnia attacked Ostrelia in 1971.\n" + ("x" * 300 + "\n") * 800,
                                     encoding="utf-8")
    report = pipeline.build([corpus], tmp_path / "kb.db", cache_dir=tmp_path / "cache",
                            engine=engine.run_documents)
    assert len(report.errors) == 1, report.errors
    assert "long.txt" in report.errors[0] and "budget" in report.errors[0]
    assert sorted(report.documents) == sorted(CORPUS)


def test_extraction_over_its_budget_is_stopped_in_a_worker_thread(engine, tmp_path, monkeypatch):
    # Dask runs tasks in threads, where the pipeline's SIGALRM cannot reach: the budget must
    # still hold. No time is allowed to extraction here (the parse of a text in one piece is
    # not checked), and the document takes far longer than a thread switch to extract.
    from conflictlens.pipeline import read_documents

    monkeypatch.setattr(pipeline, "BUDGET_MIN_SECONDS", 0.0)
    monkeypatch.setattr(pipeline, "EXTRACT_SECONDS_PER_MB", 1e-9)
    (tmp_path / "long.txt").write_text("\n".join(CORPUS.values()) * 20, encoding="utf-8")
    docs, _ = read_documents([tmp_path / "long.txt"])
    [(facts, errors)] = engine.run_documents(docs, cache_dir=tmp_path / "cache")
    assert facts is None and len(errors) == 1
    assert "long.txt" in errors[0] and "extraction took longer than its budget" in errors[0]


def test_cli_builds_on_a_running_scheduler(engine, local_export, corpus, tmp_path):
    # the module's cluster, reached by its scheduler's address as a remote one would be
    address = engine.client.scheduler.address
    r = CliRunner().invoke(app, ["build", str(corpus), "--db", str(tmp_path / "cli.db"),
                                 "--cache-dir", str(tmp_path / "cache"), "--engine", "dask",
                                 "--scheduler", address])
    assert r.exit_code == 0, r.output
    assert "4 documents" in r.output
    assert _export(tmp_path / "cli.db") == local_export


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_scheduler_is_one_clear_line(corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(dask_engine, "CONNECT_SECONDS", 1.0)
    address = f"tcp://127.0.0.1:{_free_port()}"
    with pytest.raises(EngineError) as caught:
        DaskEngine(address).open()
    assert address in str(caught.value) and "\n" not in str(caught.value)
    r = CliRunner().invoke(app, ["build", str(corpus), "--db", str(tmp_path / "x.db"), "--engine", "dask",
                                 "--scheduler", address])
    assert r.exit_code == 1
    assert "Traceback" not in r.output and "E020" in r.output and address in r.output
    assert not (tmp_path / "x.db").exists()
    r = CliRunner().invoke(app, ["build", str(corpus), "--db", str(tmp_path / "x.db"), "--engine", "dask",
                                 "--scheduler", "nonsense"])
    assert r.exit_code == 1 and "Traceback" not in r.output and "tcp://HOST:PORT" in r.output


def test_scheduler_needs_the_dask_engine(corpus, tmp_path):
    r = CliRunner().invoke(app, ["build", str(corpus), "--db", str(tmp_path / "x.db"),
                                 "--scheduler", "tcp://127.0.0.1:8786"])
    assert r.exit_code == 1 and "--engine dask" in r.output
    r = CliRunner().invoke(app, ["build", str(corpus), "--db", str(tmp_path / "x.db"), "--engine", "spark"])
    assert r.exit_code == 1 and "local or dask" in r.output


def test_dask_missing_is_one_clear_line(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed → ImportError
    with pytest.raises(EngineError) as caught:
        DaskEngine(None).open()
    assert "conflictlens[dask]" in str(caught.value)


def test_thread_time_limit_stops_a_block_off_the_main_thread():
    class Late(BaseException):
        pass

    outcome = []

    def work(seconds):
        try:
            with thread_time_limit(0.2, Late):
                deadline = time.monotonic() + seconds
                while time.monotonic() < deadline:
                    sum(range(1000))
            outcome.append("finished")
        except Late:
            outcome.append("stopped")

    for seconds in (30, 0):
        t = threading.Thread(target=work, args=(seconds,))
        t.start()
        t.join(60)
    assert outcome == ["stopped", "finished"]
    time.sleep(0.3)  # a limit that did not expire raises nothing later
    assert outcome == ["stopped", "finished"]


def test_thread_time_limit_raises_again_when_the_first_is_lost():
    # e.g. raised inside a garbage-collector callback, which prints and drops it
    class Late(BaseException):
        pass

    outcome = []

    def busy(seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            sum(range(1000))

    def work():
        try:
            with thread_time_limit(0.1, Late):
                try:
                    busy(30)
                except Late:
                    outcome.append("lost")
                busy(30)
            outcome.append("finished")
        except Late:
            outcome.append("stopped")

    t = threading.Thread(target=work)
    t.start()
    t.join(90)
    assert outcome == ["lost", "stopped"]


def test_a_dying_worker_costs_its_document_one_line(engine, corpus):
    # last in the module: the workers are killed (and restarted by their nannies)
    from conflictlens.records import Document

    doc = Document(id="d", name="killer.txt", path=str(corpus / "killer.txt"), text="x", sha256="0", format="txt")
    future = engine.client.submit(os._exit, 1, pure=False)
    future.exception()  # waits: the task kills every worker it is given
    facts, errors = engine._result(future, doc)
    assert facts is None and len(errors) == 1
    assert "killer.txt" in errors[0] and "stopped" in errors[0]
