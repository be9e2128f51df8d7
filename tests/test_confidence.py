"""Confidence: every relation, event and figure carries the measured precision of the way it
was found; `--min-confidence` filters listings, analyses and exports."""

from __future__ import annotations

import importlib.util
import json
import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conflictlens import confidence, store
from conflictlens.cli import app
from conflictlens.records import KB, Document, Event, Evidence, Figure, InfoboxField, Relation, TimeExpr

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent


def _calibrate():
    spec = importlib.util.spec_from_file_location("calibrate", ROOT / "bench" / "calibrate.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_tag_records_the_stage_and_type_once_and_knows_infobox_lines():
    doc = Document("d1", "w.txt", "w.txt", "- Combatant1: Northland\nNorthland fought Southland.", "x",
                   infobox=[InfoboxField("Combatant1", "Northland", 14, 23, 0, 23)])
    boxed = Relation("a1", "fights", "a2", [Evidence("w.txt", 14, 23, "Northland")])
    prose = Relation("a1", "fights", "a2", [Evidence("w.txt", 24, 51, "Northland fought Southland.")])
    confidence.tag([boxed, prose], "prose", doc)
    confidence.tag([boxed, prose], "event", doc)  # a later stage does not retag
    assert (boxed.method, prose.method) == ("infobox:fights", "prose:fights")


def test_levels_go_from_the_method_with_its_evidence_to_the_kind():
    one = Relation("a1", "supports", "a2", [Evidence("a.txt", 0, 1, "x")], method="prose:supports")
    assert confidence.levels(one) == ["relation:prose:supports:ev1", "relation:prose:supports",
                                      "relation:prose", "relation"]
    two_docs = Event("ATTACK", [], [], [Evidence("a.txt", 0, 1, "x"), Evidence("b.txt", 0, 1, "y")],
                     method="table:ATTACK", time=TimeExpr(0, 4, "1999", "1999", "year"))
    assert confidence.levels(two_docs)[0] == "event:table:ATTACK:docs2"
    assert confidence.band(["a.txt", "a.txt"]) == "ev2"
    two_docs.time = None  # an undated event is judged as one, whatever found it
    assert confidence.levels(two_docs) == ["event:undated", "event"]


def test_an_undated_event_bypasses_the_map():
    fitted = {"event": 0.8, "event:undated": 0.05, "platt:a": 1.0, "platt:b": 0.4}
    undated = Event("KILL", [], [], [Evidence("a.txt", 0, 1, "x")], method="prose:KILL")
    assert confidence.estimate(undated, fitted) == pytest.approx(0.05)
    undated.time = TimeExpr(0, 4, "1999", "1999", "year")
    assert confidence.estimate(undated, fitted) > 0.8


def test_estimate_takes_the_finest_key_known_through_the_platt_map():
    fitted = {"*": 0.8, "relation": 0.7, "relation:prose": 0.6, "relation:prose:fights": 0.9,
              "platt:a": 0.0, "platt:b": 1.0}
    fights = Relation("a", "fights", "b", [Evidence("a.txt", 0, 1, "x")], method="prose:fights")
    supports = Relation("a", "supports", "b", [Evidence("a.txt", 0, 1, "x")], method="prose:supports")
    fig = Figure("deaths", 5, 5, "deaths", [], method="prose:deaths")
    assert confidence.estimate(fights, fitted) == pytest.approx(0.9)
    assert confidence.estimate(supports, fitted) == pytest.approx(0.6)  # backs off to its stage
    assert confidence.estimate(fig, fitted) == pytest.approx(0.8)  # nothing known: the prior
    shrunk = {**fitted, "platt:a": 0.5, "platt:b": 0.5}
    assert confidence.estimate(fights, shrunk) == pytest.approx(1 / (1 + math.exp(-(0.5 + 0.5 * math.log(9)))))


def test_the_shipped_table_is_general_and_maps_into_0_1():
    t = confidence.table()
    assert {"relation", "event", "figure", "platt:a", "platt:b"} <= set(t)
    assert all(k.split(":")[0] in {"*", "relation", "event", "figure", "platt"} for k in t)
    for p in (0.01, 0.5, 0.99):
        f = Relation("a", "fights", "b", [], method="nowhere:fights")
        assert 0.0 <= confidence.estimate(f, {**t, "relation": p}) <= 1.0


def test_fit_smooths_a_rare_method_towards_its_stage():
    cal = _calibrate()
    rows = ([{"kind": "event", "method": "prose:ATTACK", "band": "ev1", "right": True}] * 40
            + [{"kind": "event", "method": "prose:ATTACK", "band": "ev1", "right": False}] * 10
            + [{"kind": "event", "method": "prose:KILL", "band": "ev1", "right": False}] * 3)
    fitted = cal.fit(rows, m=4.0)
    assert fitted["event:prose:KILL"] > 0.3  # 0/3 seen, pulled towards the stage's 40/53
    assert fitted["event:prose:ATTACK"] == pytest.approx((40 + 4 * fitted["event:prose"]) / 54)
    a, b = cal.platt([(0.9, True)] * 6 + [(0.9, False)] * 4 + [(0.3, True)] * 5 + [(0.3, False)] * 5)
    assert 0 < b < 1  # the raw precisions proved too spread: the map shrinks them


def test_at_least_and_ranked():
    kb = KB(relations=[Relation("a", "fights", "b", [], id="r1", confidence=0.5),
                       Relation("a", "supports", "b", [], id="r2", confidence=0.9),
                       Relation("a", "leads", "b", [], id="r3", confidence=0.2, confirmed=True)])
    assert [r.id for r in confidence.ranked(kb.relations)] == ["r3", "r1", "r2"]
    assert [r.id for r in confidence.at_least(kb, 0.8).relations] == ["r2", "r3"]  # confirmed: certain


TEXT = ("The Northland Army attacked the Southland Militia in Ostrava in March 2004. "
        "Westland supported the Northland Army from 2003. The war killed 3,000 people.\n")


def test_every_fact_of_a_build_has_a_method_and_a_confidence(tmp_path, parse_cache):
    from conflictlens.pipeline import build

    doc, db = tmp_path / "north.txt", tmp_path / "kb.db"
    doc.write_text(TEXT, encoding="utf-8")
    build([doc], db, cache_dir=parse_cache, n_process=1)
    kb = store.load(db)
    facts = confidence.facts(kb)
    assert kb.relations and kb.events and kb.figures
    for f in facts:
        assert f.method.split(":")[0] in {"prose", "infobox", "table", "names", "event", "war", "forces"}
        assert 0.0 < f.confidence < 1.0 and not f.confirmed
    args = ["--db", str(db)]
    exported = json.loads(runner.invoke(app, ["export", *args, "--format", "json"]).stdout)
    assert all(0 < x["confidence"] < 1 and x["method"] for k in ("relations", "events", "figures")
               for x in exported[k])
    # --min-confidence above every fact: listings, timeline, analyses and exports are empty
    top = max(f.confidence for f in facts)
    def size(data) -> int:  # facts (or actors tied by facts) in a command's JSON
        if isinstance(data, dict) and "periods" in data:
            return sum(p["actors"] for p in data["periods"])
        if isinstance(data, dict):
            return len(data.get("ties") or data.get("edges") or [])
        return len(data)

    above = str(min(1.0, top + 0.001))
    for cmd in (["relations"], ["timeline"], ["figures"], ["analyze", "network", "--at", "2004"],
                ["analyze", "blocs"], ["analyze", "centrality", "--at", "2004"]):
        r = runner.invoke(app, [*cmd, *args, "--json"])
        assert r.exit_code == 0 and size(json.loads(r.stdout)), (cmd, r.output)
        r = runner.invoke(app, [*cmd, *args, "--json", "--min-confidence", above])
        assert r.exit_code == 0 and not size(json.loads(r.stdout)), (cmd, r.output)
    r = runner.invoke(app, ["export", *args, "--format", "json", "--min-confidence", "0.999"])
    assert json.loads(r.stdout)["relations"] == []
    r = runner.invoke(app, ["relations", *args, "--min-confidence", "0"])
    assert "conf" in r.output and f"{kb.relations[0].confidence:.2f}" in r.output
    r = runner.invoke(app, ["relations", *args, "--min-confidence", "1.5"])
    assert r.exit_code != 0


def test_the_api_shows_and_filters_confidence(tmp_path, parse_cache):
    from fastapi.testclient import TestClient

    from conflictlens.api import create_app
    from conflictlens.pipeline import build

    doc, db = tmp_path / "north.txt", tmp_path / "kb.db"
    doc.write_text(TEXT, encoding="utf-8")
    build([doc], db, cache_dir=parse_cache, n_process=1)
    client = TestClient(create_app(db))
    rels = client.get("/api/relations").json()
    assert rels and all(0 < r["confidence"] < 1 and r["confirmed"] is False for r in rels)
    assert client.get("/api/relations", params={"min_confidence": 1}).json() == []
    assert client.get("/api/events", params={"min_confidence": 1}).json() == []
    assert client.get("/api/network", params={"min_confidence": 1}).json()["edges"] == []
