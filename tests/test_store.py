from __future__ import annotations

import sqlite3

import pytest

from conflictlens import store
from conflictlens.errors import StoreError
from conflictlens.ingest import parse_text
from conflictlens.records import KB, Actor, Event, Evidence, Figure, Mention, Relation, TimeExpr


def small_kb() -> KB:
    text = "In 1998 Albania supported the KLA. The KLA attacked Drenica on 5 March 1998."
    doc = parse_text(text, "k.txt")
    ev = Evidence("k.txt", 0, 34, text[0:34])
    t = TimeExpr(63, 75, "5 March 1998", "1998-03-05", "day")
    return KB(
        documents=[doc],
        actors=[Actor("a1", "Kosovo Liberation Army", "armed_group", ["KLA"], {"k.txt": 2}, [ev]),
                Actor("a2", "Albania", "state", [], {"k.txt": 1}, [ev])],
        events=[Event("ATTACK", ["a1"], [], [ev], trigger="attacked", place="Drenica", time=t,
                      fatalities={"low": 10, "high": 20, "who": "civilians"}, summary="KLA attacked", id="e1")],
        relations=[Relation("a2", "supports", "a1", [ev], start="1998", qualifier="military", id="r1")],
        figures=[Figure("deaths", 10, 20, "killed", [ev], who="civilians", id="f1")],
        mentions=[Mention("a1", "KLA", 30, 33, "k.txt")],
    )


def test_round_trip(tmp_path):
    kb = small_kb()
    db = tmp_path / "kb.db"
    store.save(kb, db, meta={"built_at": "now"})
    back = store.load(db)
    assert back.actors == kb.actors
    assert back.events == kb.events
    assert back.relations == kb.relations
    assert back.figures == kb.figures
    assert back.mentions == kb.mentions
    assert back.documents[0].text == kb.documents[0].text
    assert store.meta(db)["schema_version"] == str(store.SCHEMA_VERSION)


def test_a_failed_save_leaves_the_previous_kb_intact(tmp_path, monkeypatch):
    db = tmp_path / "kb.db"
    store.save(small_kb(), db)
    before = db.read_bytes()
    broken = small_kb()
    broken.relations[0].source = object()  # not storable: the save fails midway
    with pytest.raises(sqlite3.Error):
        store.save(broken, db)
    assert db.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["kb.db"]  # no temporary file left behind


def test_missing_or_foreign_files_get_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="build one first"):
        store.load(tmp_path / "none.db")
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE x (y)").connection.commit()
    with pytest.raises(StoreError, match="not a conflictlens knowledge base"):
        store.load(other)
    text = tmp_path / "text.db"
    text.write_text("hello")
    with pytest.raises(StoreError, match="not a conflictlens knowledge base"):
        store.load(text)


def test_a_kb_from_a_newer_version_is_refused(tmp_path):
    db = tmp_path / "kb.db"
    store.save(small_kb(), db)
    con = sqlite3.connect(db)
    con.execute("UPDATE meta SET value='999' WHERE key='schema_version'")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="newer conflictlens"):
        store.load(db)


def test_an_older_schema_is_migrated(tmp_path, monkeypatch):
    db = tmp_path / "kb.db"
    store.save(small_kb(), db)
    monkeypatch.setattr(store, "SCHEMA_VERSION", store.SCHEMA_VERSION + 1)
    monkeypatch.setitem(store.MIGRATIONS, store.SCHEMA_VERSION, "CREATE TABLE notes (x TEXT);")
    kb = store.load(db)
    assert kb.actors[0].name == "Kosovo Liberation Army"
    con = sqlite3.connect(db)
    assert con.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == str(
        store.SCHEMA_VERSION)
    assert con.execute("SELECT count(*) FROM notes").fetchone()[0] == 0
