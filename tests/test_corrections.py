"""User corrections of actor resolution: `merge` / `split`, kept through rebuilds."""

from __future__ import annotations

import json
import sqlite3

from typer.testing import CliRunner

from conflictlens import store
from conflictlens.cli import app
from conflictlens.records import KB, Actor, Event, Evidence, Mention, Relation
from conflictlens.resolve import apply_overrides, merge_actors, split_name

runner = CliRunner()
EV = Evidence("k.txt", 0, 3, "KLA")


def small_kb() -> KB:
    return KB(
        actors=[Actor("a1", "Kosovo Liberation Army", "armed_group", ["KLA"], {"k.txt": 3}, [EV]),
                Actor("a2", "UCK", "organisation", [], {"k.txt": 1}, [EV]),
                Actor("a3", "Serbia", "state", ["Serbian forces"], {"k.txt": 2}, [EV])],
        events=[Event("ATTACK", ["a2"], ["a3"], [EV], id="e1")],
        relations=[Relation("a2", "fights", "a3", [EV], id="r1"), Relation("a1", "fights", "a3", [EV], id="r2"),
                   Relation("a1", "allied_with", "a2", [EV], id="r3")],
        mentions=[Mention("a1", "KLA", 0, 3, "k.txt"), Mention("a2", "UCK", 10, 13, "k.txt"),
                  Mention("a3", "Serbian forces", 20, 34, "k.txt")],
    )


def test_merge_moves_names_mentions_and_facts():
    kb = small_kb()
    merged = merge_actors(kb, "a1", "a2")
    assert [a.id for a in kb.actors] == ["a1", "a3"]
    assert "UCK" in merged.aliases and merged.mentions == {"k.txt": 4}
    assert kb.events[0].agents == ["a1"]
    # the two "fights Serbia" relations are now one; the alliance with itself is gone
    assert [(r.source, r.relation, r.target) for r in kb.relations] == [("a1", "fights", "a3")]
    assert {m.key for m in kb.mentions} == {"a1", "a3"}


def test_split_takes_a_name_and_its_mentions_off():
    kb = small_kb()
    new = split_name(kb, "a3", "Serbian forces")
    assert new.name == "Serbian forces" and new.mentions == {"k.txt": 1}
    assert kb.actors[2].aliases == [] and kb.actors[2].mentions == {"k.txt": 1}
    assert [m.key for m in kb.mentions if m.text == "Serbian forces"] == [new.id]


def test_overrides_replay_by_name_and_report_what_no_longer_applies():
    kb = small_kb()
    notes = apply_overrides(kb, [{"op": "merge", "a": "KLA", "b": "UCK"},
                                 {"op": "split", "a": "Serbia", "b": "Serbian forces"},
                                 {"op": "merge", "a": "KLA", "b": "Nobody"}])
    assert len(kb.actors) == 3 and "UCK" in kb.actors[0].aliases
    assert any(a.name == "Serbian forces" for a in kb.actors)
    assert notes == ["merge 'KLA' + 'Nobody': second name not found"]


def test_cli_corrections_survive_a_rebuild(tmp_path, parse_cache, fresh_db):
    doc = tmp_path / "kosovo.txt"
    doc.write_text("In 1998 the Kosovo Liberation Army (KLA) attacked Serbian police in Drenica. "
                   "Albania supported the KLA. The Ushtria Clirimtare e Kosoves fought on in 1999.\n",
                   encoding="utf-8")
    db = fresh_db
    args = ["--db", str(db)]
    assert runner.invoke(app, ["build", str(doc), *args, "--cache-dir", str(parse_cache),
                               "--processes", "1"]).exit_code == 0
    r = runner.invoke(app, ["merge", "KLA", "Albania", *args])
    assert r.exit_code == 0, r.output
    assert "Merged Albania into Kosovo Liberation Army" in r.output
    r = runner.invoke(app, ["actor", "Albania", *args, "--json"])
    assert json.loads(r.stdout)["actor"]["name"] == "Kosovo Liberation Army"
    # Rebuild: the correction is replayed.
    assert runner.invoke(app, ["build", str(doc), *args, "--cache-dir", str(parse_cache),
                               "--processes", "1"]).exit_code == 0
    kb = store.load(db)
    kla = [a for a in kb.actors if "Albania" in (a.name, *a.aliases)]
    assert kla and kla[0].name == "Kosovo Liberation Army"
    r = runner.invoke(app, ["corrections", *args, "--json"])
    assert [(o["op"], o["a"], o["b"]) for o in json.loads(r.stdout)] == [
        ("merge", "Kosovo Liberation Army", "Albania")]
    r = runner.invoke(app, ["split", "KLA", "Albania", *args])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["split", "KLA", "Nowhere", *args])
    assert r.exit_code == 1 and "has no name" in r.output


def test_a_version_1_kb_is_migrated_to_hold_corrections(tmp_path):
    db = tmp_path / "old.db"
    store.save(small_kb(), db)
    con = sqlite3.connect(db)
    con.execute("DROP TABLE overrides")
    con.execute("UPDATE meta SET value='1' WHERE key='schema_version'")
    con.commit()
    con.close()
    assert store.load_overrides(db) == []
    assert store.meta(db)["schema_version"] == str(store.SCHEMA_VERSION)


def test_build_refuses_to_overwrite_a_file_that_is_not_a_kb(tmp_path):
    doc = tmp_path / "a.txt"
    doc.write_text("Albania supported the Kosovo Liberation Army in 1998.", encoding="utf-8")
    db = tmp_path / "precious.db"
    db.write_text("my thesis notes")
    r = runner.invoke(app, ["build", str(doc), "--db", str(db)])
    assert r.exit_code == 1 and "not a conflictlens knowledge base" in r.output
    assert db.read_text() == "my thesis notes"
