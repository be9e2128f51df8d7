"""The CLI on a built KB: each test runs on the SQLite file and on the PostgreSQL server (``any_db``)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from conflictlens.cli import app

runner = CliRunner()


def run(*args):
    result = runner.invoke(app, [str(a) for a in args])
    return result


def test_actors_table_and_json(any_db):
    r = run("actors", "--db", any_db, "--limit", 20)
    assert r.exit_code == 0, r.output
    assert "Taliban" in r.output and "mentions" in r.output
    r = run("actors", "--db", any_db, "--json")
    rows = json.loads(r.stdout)
    assert {"id", "name", "type", "aliases", "mentions"} <= set(rows[0])
    assert any(row["name"] == "Northern Alliance" or "Northern Alliance" in row["aliases"] for row in rows)


def test_actor_profile_accepts_any_alias(any_db):
    r = run("actor", "United Islamic Front for the Salvation of Afghanistan", "--db", any_db, "--json")
    assert r.exit_code == 0, r.output
    prof = json.loads(r.stdout)
    assert "Northern Alliance" in [prof["actor"]["name"], *prof["actor"]["aliases"]]
    assert prof["relations"] and all(rel["evidence"] for rel in prof["relations"])
    r = run("actor", "Northern Alliance", "--db", any_db)
    assert r.exit_code == 0 and "Relations" in r.output


def test_timeline_filters_by_actor_and_years(any_db):
    r = run("timeline", "--db", any_db, "--actor", "Taliban", "--from", 1996, "--to", 2001, "--json")
    assert r.exit_code == 0, r.output
    events = json.loads(r.stdout)
    assert events
    dates = [e["time"]["value"] for e in events if e["time"]]
    assert dates == sorted(dates)
    # an event is in the window when its span overlaps it ("the 1990s" does)
    spans = [(e["time"]["value"][:4], (e["time"]["value_end"] or e["time"]["value"])[:4]) for e in events]
    assert all(start <= "2001" and end >= "1996" for start, end in spans)


def test_relations_by_type_and_sources(any_db):
    r = run("relations", "--db", any_db, "--type", "supports", "--json")
    rels = json.loads(r.stdout)
    assert rels and {x["relation"] for x in rels} == {"supports"}
    fact_id = rels[0]["id"]
    r = run("sources", fact_id, "--db", any_db, "--json")
    src = json.loads(r.stdout)
    assert src["id"] == fact_id and src["evidence"][0]["quote"]
    r = run("sources", fact_id, "--db", any_db)
    assert r.exit_code == 0 and src["evidence"][0]["doc"] in r.output


def test_figures_and_export(any_db, tmp_path):
    r = run("figures", "--db", any_db)
    assert r.exit_code == 0 and "35,775" in r.output
    out = tmp_path / "kb.json"
    r = run("export", "--db", any_db, "--format", "json", "-o", out)
    assert r.exit_code == 0, r.output
    kb = json.loads(out.read_text(encoding="utf-8"))
    assert kb["schema"] == "conflictlens/kb@1"
    assert {"documents", "actors", "events", "relations", "figures"} <= set(kb)
    ev = kb["events"][0]
    assert {"id", "type", "date", "date_end", "date_precision", "agents", "targets", "place",
            "fatalities", "summary", "evidence"} <= set(ev)


def test_errors_are_one_clear_line(tmp_path, any_db):
    r = run("actors", "--db", tmp_path / "missing.db")
    assert r.exit_code == 1 and "build one first" in r.output
    r = run("actor", "Nobody At All", "--db", any_db)
    assert r.exit_code == 1 and "no actor called" in r.output
    r = run("sources", "x99", "--db", any_db)
    assert r.exit_code == 1 and "no fact with id" in r.output
    r = run("export", "--db", any_db, "--format", "xml")
    assert r.exit_code == 1 and "unknown export format" in r.output


def test_build_command_reports_skipped_files(tmp_path):
    (tmp_path / "ok.txt").write_text("The Kosovo Liberation Army fought Serbia in 1998.", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00")
    r = run("build", tmp_path, "--db", tmp_path / "kb.db", "--cache-dir", tmp_path / "cache", "--processes", 1)
    assert r.exit_code == 0, r.output
    assert "bad.txt" in r.output and "Built" in r.output
