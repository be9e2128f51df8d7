"""The per-document unit, the worker pool and the facts cache (conflictlens.workers)."""

from __future__ import annotations

import os
import pickle
import signal
import time

import pytest

from conflictlens import pipeline, store, workers
from conflictlens.export import to_dict
from conflictlens.pipeline import build, read_documents
from conflictlens.records import DocFacts

TEXTS = {
    "a.txt": "The Alpha Front attacked the town of Beta in May 1990. The Gamma Army withdrew.\n",
    "b.txt": ("General John Doe led the Gamma Army. In June 1991 the Gamma Army captured Delta "
              "from the Alpha Front, and 40 soldiers were killed.\nThe Republic of Epsilon "
              "supported the Alpha Front.\n"),
    "c.txt": "The Delta Movement fought the Gamma Army in 1992.\n",
}


def _corpus(tmp_path, texts=TEXTS, name="c"):
    corpus = tmp_path / name
    corpus.mkdir()
    for file, text in texts.items():
        (corpus / file).write_text(text)
    return corpus


def _kb_json(db):
    return to_dict(store.load(db))


@pytest.fixture(autouse=True)
def _model(nlp):
    """The model loaded here first: forked workers start with it."""
    return nlp


def test_one_process_and_two_build_the_same_kb(tmp_path, parse_cache):
    corpus = _corpus(tmp_path)
    build([corpus], tmp_path / "one.db", cache_dir=tmp_path / "c1", n_process=1)
    build([corpus], tmp_path / "two.db", cache_dir=tmp_path / "c2", n_process=2)
    one, two = _kb_json(tmp_path / "one.db"), _kb_json(tmp_path / "two.db")
    assert one["actors"] and one["events"]
    assert one == two


def test_results_come_back_in_input_order_and_progress_counts_each(tmp_path):
    docs, _ = read_documents([_corpus(tmp_path)])
    docs.sort(key=lambda d: len(d.text))  # the pool takes the longest first
    seen = []
    results = workers.run_documents(docs, processes=2, cache_dir=tmp_path / "cache", progress=seen.append)
    assert [f.document.name for f, _ in results] == [d.name for d in docs]
    assert all(not errors for _, errors in results)
    assert sorted(seen) == sorted(d.name for d in docs)


def test_a_crashing_extraction_is_reported_and_the_others_land(tmp_path, monkeypatch):
    real = pipeline.extract_document

    def crashes(document, sdoc):
        if document.name == "b.txt":
            raise ValueError("boom")
        return real(document, sdoc)

    monkeypatch.setattr(pipeline, "extract_document", crashes)  # forked workers see it too
    report = build([_corpus(tmp_path)], tmp_path / "kb.db", cache_dir=tmp_path / "cache", n_process=2)
    assert report.documents == ["a.txt", "c.txt"]
    (line,) = report.errors
    assert "b.txt" in line and "ValueError: boom" in line


def test_a_worker_that_dies_costs_only_its_document(tmp_path, monkeypatch):
    real = pipeline.extract_document

    def dies(document, sdoc):
        if document.name == "b.txt":
            os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's OOM killer does
        return real(document, sdoc)

    monkeypatch.setattr(pipeline, "extract_document", dies)
    texts = dict(TEXTS, **{"d.txt": "The Zeta Brigade attacked Delta in 1993.\n"})
    report = build([_corpus(tmp_path, texts)], tmp_path / "kb.db", cache_dir=tmp_path / "cache", n_process=2)
    assert report.documents == ["a.txt", "c.txt", "d.txt"]
    (line,) = report.errors
    assert "b.txt" in line and "worker process stopped" in line and "signal 9" in line
    assert "\n" not in line


def test_the_time_budget_holds_inside_a_worker(tmp_path, monkeypatch):
    real = pipeline.extract_document

    def stalls(document, sdoc):
        if document.name == "b.txt":
            while True:
                time.sleep(0.01)
        return real(document, sdoc)

    monkeypatch.setattr(pipeline, "extract_document", stalls)
    monkeypatch.setattr(pipeline, "BUDGET_MIN_SECONDS", 0.5)
    report = build([_corpus(tmp_path)], tmp_path / "kb.db", cache_dir=tmp_path / "cache", n_process=2)
    assert report.documents == ["a.txt", "c.txt"]
    (line,) = report.errors
    assert "b.txt" in line and "budget" in line


# --- the facts cache --------------------------------------------------------------------------

@pytest.fixture
def parses(monkeypatch):
    """The documents parsed (not read from the facts cache) by each call."""
    done: list[str] = []
    real = workers.parse_document

    def spy(document, *a, **kw):
        done.append(document.name)
        return real(document, *a, **kw)

    monkeypatch.setattr(workers, "parse_document", spy)
    return done


def _one(tmp_path, text="The Alpha Front attacked the town of Beta in May 1990.\n", date=None):
    folder = tmp_path / "one"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "x.txt").write_text(text)
    (doc,), _ = read_documents([folder], date=date)
    return doc


def test_facts_are_cached_and_read_back(tmp_path, parses):
    cache = tmp_path / "cache"
    first, errors = workers.process_document(_one(tmp_path), cache_dir=cache)
    assert not errors and parses == ["x.txt"]
    again, _ = workers.process_document(_one(tmp_path), cache_dir=cache)
    assert parses == ["x.txt"]  # neither parsed nor extracted
    assert isinstance(again, DocFacts) and again == first


def test_a_changed_text_date_or_code_misses_the_cache(tmp_path, parses, monkeypatch):
    cache = tmp_path / "cache"
    workers.process_document(_one(tmp_path), cache_dir=cache)
    workers.process_document(_one(tmp_path, text="The Alpha Front attacked Beta in May 1991.\n"), cache_dir=cache)
    assert len(parses) == 2
    workers.process_document(_one(tmp_path, date="1990-06-01"), cache_dir=cache)
    assert len(parses) == 3
    monkeypatch.setattr(workers, "code_hash", lambda: "another version of the code")
    workers.process_document(_one(tmp_path), cache_dir=cache)
    assert len(parses) == 4


def test_a_corrupt_or_foreign_cache_entry_is_redone(tmp_path, parses):
    cache = tmp_path / "cache"
    doc = _one(tmp_path)
    first, _ = workers.process_document(doc, cache_dir=cache)
    (entry,) = (cache / "facts").glob("*.pickle")
    entry.write_bytes(b"not a pickle")
    again, errors = workers.process_document(_one(tmp_path), cache_dir=cache)
    assert not errors and again == first and len(parses) == 2
    # another document's facts under this document's key
    other, _ = workers.process_document(_one(tmp_path / "o", text="The Gamma Army withdrew in 1995.\n"),
                                        cache_dir=cache)
    entry.write_bytes(pickle.dumps(other))
    again, _ = workers.process_document(_one(tmp_path), cache_dir=cache)
    assert again == first and len(parses) == 4


def test_a_replaced_extraction_is_not_cached(tmp_path, parses, monkeypatch):
    monkeypatch.setattr(pipeline, "extract_document", lambda d, s: DocFacts(document=d))
    workers.process_document(_one(tmp_path), cache_dir=tmp_path / "cache")
    assert not (tmp_path / "cache" / "facts").exists()


def test_a_rebuild_processes_only_added_documents(tmp_path, parses):
    corpus = _corpus(tmp_path, {k: TEXTS[k] for k in ("a.txt", "b.txt")})
    cache, db = tmp_path / "cache", tmp_path / "kb.db"
    build([corpus], db, cache_dir=cache, n_process=1)
    assert sorted(parses) == ["a.txt", "b.txt"]
    (corpus / "c.txt").write_text(TEXTS["c.txt"])
    report = build([corpus], db, cache_dir=cache, n_process=2)
    assert parses[2:] == ["c.txt"] and report.documents == ["a.txt", "b.txt", "c.txt"]
    (corpus / "b.txt").unlink()
    report = build([corpus], db, cache_dir=cache, n_process=2)
    assert len(parses) == 3 and report.documents == ["a.txt", "c.txt"]
    fresh = tmp_path / "fresh.db"
    build([corpus], fresh, cache_dir=tmp_path / "cache2", n_process=1)
    assert _kb_json(db) == _kb_json(fresh)  # the same KB as a build from nothing


def test_a_long_document_alone_is_parsed_on_two_cores_with_the_same_result(tmp_path, monkeypatch):
    from conflictlens import nlp as nlp_module

    monkeypatch.setattr(nlp_module, "WHOLE_CHARS", 1000)
    monkeypatch.setattr(nlp_module, "CHUNK_CHARS", 600)
    text = "".join(TEXTS.values()) * 12
    corpus = _corpus(tmp_path, {"long.txt": text})
    pipes = []
    pipe = type(nlp_module.load_nlp()).pipe

    def spy(self, texts, **kw):
        pipes.append(kw)
        return pipe(self, texts, **kw)

    monkeypatch.setattr(type(nlp_module.load_nlp()), "pipe", spy)
    two = build([corpus], tmp_path / "two.db", cache_dir=tmp_path / "c2", n_process=2)
    assert [kw["n_process"] for kw in pipes] == [2]
    assert pipes[0]["batch_size"] == nlp_module.PIECES_BATCH  # pieces side by side in the model
    one = build([corpus], tmp_path / "one.db", cache_dir=tmp_path / "c1", n_process=1)
    assert [kw["n_process"] for kw in pipes] == [2, 1] and one.counts == two.counts
    assert one.counts["events"]
    assert _kb_json(tmp_path / "one.db") == _kb_json(tmp_path / "two.db")
    sdocs = [nlp_module.parse_document(read_documents([corpus])[0][0], tmp_path / c) for c in ("c1", "c2")]
    assert [(t.idx, t.text, t.dep_, t.ent_type_) for t in sdocs[0]] == \
        [(t.idx, t.text, t.dep_, t.ent_type_) for t in sdocs[1]]
    assert sdocs[0].text == text
