"""Corrections of facts: `reject`, `confirm`, `fix` (with `--why`), kept in the KB, listed by
`corrections`, exported, and replayed by the fact's content on every rebuild."""

from __future__ import annotations

import json
import sqlite3

import pytest
from typer.testing import CliRunner

from conflictlens import store
from conflictlens.cli import app
from conflictlens.corrections import CorrectionError, content_key, correct, find, quote_key, replay
from conflictlens.records import KB, Actor, Event, Evidence, Relation

runner = CliRunner()

TEXT = ("The Northland Army attacked the Southland Militia in Ostrava in March 2004. "
        "Westland supported the Northland Army from 2003. "
        "The Southland Militia fought the Northland Army in 2005.\n")


def kb_of() -> KB:
    q1 = Evidence("n.txt", 0, 40, "Westland supported the Northland  Army.")
    q2 = Evidence("n.txt", 50, 90, "The Northland Army attacked the Militia.")
    return KB(
        actors=[Actor("a1", "Northland Army", "armed_group", ["NA"], {"n.txt": 2}),
                Actor("a2", "Westland", "state", [], {"n.txt": 1}),
                Actor("a3", "Southland Militia", "armed_group", [], {"n.txt": 1})],
        relations=[Relation("a2", "supports", "a1", [q1], start="2003", id="r1", confidence=0.8)],
        events=[Event("ATTACK", ["a1"], ["a3"], [q2], id="e1", confidence=0.7)],
    )


def test_the_key_is_content_not_id_or_offsets():
    kb = kb_of()
    key = content_key(kb, kb.relations[0])
    assert key == {"kind": "relation", "type": "supports", "actors": ["Westland", "Northland Army"],
                   "date": "2003", "quote": "westland supported the northland army"}
    other = kb_of()  # a rebuild: other ids, the quote elsewhere in the document
    other.relations[0].id = "r9"
    other.relations[0].evidence = [Evidence("n.txt", 300, 340, "Westland supported the Northland Army.")]
    assert find(other, key) is other.relations[0]
    assert quote_key("  The  ARMY, attacked! ") == "the army attacked"


def test_a_key_finds_its_fact_through_an_actor_renamed_by_a_merge():
    kb = kb_of()
    key = content_key(kb, kb.relations[0])
    kb.actors[1].name, kb.actors[1].aliases = "Republic of Westland", ["Westland"]
    assert find(kb, key) is kb.relations[0]


def test_reject_removes_confirm_and_fix_make_certain():
    kb = kb_of()
    c, f = correct(kb, "r1", "reject", why="the quote says nothing of it")
    assert kb.relations == [] and c["why"] == "the quote says nothing of it" and c["fact_id"] == "r1"
    kb = kb_of()
    correct(kb, "e1", "confirm")
    assert kb.events[0].confirmed and kb.events[0].confidence == 1.0
    kb = kb_of()
    correct(kb, "e1", "fix", {"start": "2004-03", "type": "BATTLE", "place": "Ostrava"})
    e = kb.events[0]
    assert (e.type, e.time.value, e.time.precision, e.place, e.confirmed) == ("BATTLE", "2004-03", "month",
                                                                              "Ostrava", True)
    kb = kb_of()
    correct(kb, "r1", "fix", {"end": "2006", "type": "allied_with"})
    r = kb.relations[0]
    assert (r.start, r.end, r.relation) == ("2003", "2006", "allied_with")


@pytest.mark.parametrize("fact_id,changes,message", [
    ("r7", {"start": "2001"}, "no relation, event or figure"),
    ("r1", {"start": "March 2001"}, "is not a date"),
    ("r1", {"type": "likes"}, "is not a relation type"),
    ("r1", {"place": "Ostrava"}, "has no place"),
    ("r1", {}, "nothing to fix"),
])
def test_bad_fixes_are_refused(fact_id, changes, message):
    with pytest.raises(CorrectionError, match=message):
        correct(kb_of(), fact_id, "fix", changes)


def test_replay_applies_in_order_and_reports_a_lost_fact():
    kb = kb_of()
    fix = correct(kb, "r1", "fix", {"type": "allied_with"})[0]
    confirm = correct(kb, "r1", "confirm")[0]  # names the fixed fact: replayed after the fix
    gone = {**fix, "fact": {**fix["fact"], "quote": "a sentence no longer in the text"}}
    fresh = kb_of()
    notes = replay(fresh, [fix, confirm, gone])
    assert fresh.relations[0].relation == "allied_with" and fresh.relations[0].confirmed
    assert len(notes) == 1 and "no longer found" in notes[0]
    assert [c["fact_id"] for c in fresh.corrections] == ["r1", "r1", None]  # the lost one is kept


def _build(doc, db, cache):
    r = runner.invoke(app, ["build", str(doc), "--db", str(db), "--cache-dir", str(cache), "--processes", "1"])
    assert r.exit_code == 0, r.output
    return r


def _relations(db, *extra):
    r = runner.invoke(app, ["relations", "--db", str(db), "--json", *extra])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def _find(rows, relation):
    return next(r for r in rows if r["relation"] == relation)


def test_cli_corrections_survive_rebuilds_and_edits_elsewhere(tmp_path, parse_cache, fresh_db):
    doc, db = tmp_path / "north.txt", fresh_db
    doc.write_text(TEXT, encoding="utf-8")
    _build(doc, db, parse_cache)
    rels = _relations(db)
    supports = _find(rels, "supports")
    fights = next(r for r in rels if "fought" in r["evidence"][0]["quote"])
    args = ["--db", str(db)]
    r = runner.invoke(app, ["reject", fights["id"], *args, "--why", "a skirmish, not a war"])
    assert r.exit_code == 0 and "Rejected" in r.output, r.output
    r = runner.invoke(app, ["fix", supports["id"], "--start", "2002", "--end", "2006", *args])
    assert r.exit_code == 0 and "Fixed" in r.output, r.output
    events = json.loads(runner.invoke(app, ["timeline", *args, "--json"]).stdout)
    attack = next(e for e in events if e["type"] == "ATTACK")
    r = runner.invoke(app, ["confirm", attack["id"], *args, "--why", "checked the source"])
    assert r.exit_code == 0 and "Confirmed" in r.output, r.output

    def check():
        rels = _relations(db)
        assert not [x for x in rels if "fought" in x["evidence"][0]["quote"]]
        s = _find(rels, "supports")
        assert (s["start"], s["end"], s["confirmed"], s["confidence"]) == ("2002", "2006", True, 1.0)
        assert rels[0]["confirmed"]  # confirmed facts rank first
        evs = json.loads(runner.invoke(app, ["timeline", *args, "--json"]).stdout)
        assert next(e for e in evs if e["type"] == "ATTACK")["confirmed"]
        listed = json.loads(runner.invoke(app, ["corrections", *args, "--json"]).stdout)
        assert [c["op"] for c in listed] == ["reject", "fix", "confirm"]
        assert listed[0]["why"] == "a skirmish, not a war" and all(c["fact_id"] for c in listed)

    check()
    _build(doc, db, parse_cache)  # the same documents again
    check()
    # the document edited elsewhere: every offset moves, the facts' quotes stay
    doc.write_text("Northland is a country in a long war.\n\n" + TEXT, encoding="utf-8")
    _build(doc, db, parse_cache)
    check()
    exported = json.loads(runner.invoke(app, ["export", *args, "--format", "json"]).stdout)
    assert [c["op"] for c in exported["corrections"]] == ["reject", "fix", "confirm"]
    assert all("confidence" in r for r in exported["relations"])
    r = runner.invoke(app, ["corrections", *args])
    assert "a skirmish, not a war" in r.output and "removed" in r.output


def test_a_correction_whose_fact_is_gone_is_reported_and_kept(tmp_path, parse_cache, fresh_db):
    doc, db = tmp_path / "north.txt", fresh_db
    doc.write_text(TEXT, encoding="utf-8")
    _build(doc, db, parse_cache)
    supports = _find(_relations(db), "supports")
    assert runner.invoke(app, ["confirm", supports["id"], "--db", str(db)]).exit_code == 0
    doc.write_text(TEXT.replace("Westland supported the Northland Army from 2003. ", ""), encoding="utf-8")
    r = _build(doc, db, parse_cache)
    assert "no longer found" in r.output
    listed = json.loads(runner.invoke(app, ["corrections", "--db", str(db), "--json"]).stdout)
    assert [(c["op"], c["fact_id"]) for c in listed] == [("confirm", None)]
    doc.write_text(TEXT, encoding="utf-8")  # the sentence is back: so is the correction
    _build(doc, db, parse_cache)
    assert _find(_relations(db), "supports")["confirmed"]


def test_cli_refuses_bad_corrections_with_one_line(tmp_path, parse_cache, fresh_db):
    doc, db = tmp_path / "north.txt", fresh_db
    doc.write_text(TEXT, encoding="utf-8")
    _build(doc, db, parse_cache)
    rid = _find(_relations(db), "supports")["id"]
    for args, message in ((["reject", "r999"], "no relation, event or figure"),
                          (["fix", rid, "--start", "spring"], "is not a date"),
                          (["fix", rid, "--place", "Ostrava"], "has no place"),
                          (["fix", rid], "nothing to fix")):
        r = runner.invoke(app, [*args, "--db", str(db)])
        assert r.exit_code == 1 and message in r.output, (args, r.output)
    assert store.load_fact_corrections(db) == []


def test_a_correction_made_while_a_build_runs_is_kept(tmp_path, parse_cache, fresh_db):
    from conflictlens.pipeline import build

    doc, db = tmp_path / "north.txt", fresh_db
    doc.write_text(TEXT, encoding="utf-8")
    build([doc], db, cache_dir=parse_cache, n_process=1)
    stale = store.load(db)  # what a build started now would save
    kb = store.load(db)
    rid = next(r.id for r in kb.relations if r.relation == "supports")
    correct(kb, rid, "reject")
    store.save(kb, db, overrides=[])
    stale.corrections = []
    store.save(stale, db, overrides=[])  # the build's save: the file's correction is replayed
    kb = store.load(db)
    assert not [r for r in kb.relations if r.relation == "supports"]
    assert [c["op"] for c in kb.corrections] == ["reject"]


def test_a_schema_3_kb_is_migrated(tmp_path):
    db = tmp_path / "old.db"
    store.save(kb_of(), db)
    con = sqlite3.connect(db)
    con.execute("DROP TABLE fact_corrections")
    for table in ("relations", "events", "figures"):
        for col in ("method", "confidence", "confirmed"):
            con.execute(f"ALTER TABLE {table} DROP COLUMN {col}")
    con.execute("UPDATE meta SET value='3' WHERE key='schema_version'")
    con.commit()
    con.close()
    kb = store.load(db)
    assert kb.corrections == [] and kb.relations[0].confidence is None and not kb.relations[0].confirmed
    assert store.meta(db)["schema_version"] == str(store.SCHEMA_VERSION)
