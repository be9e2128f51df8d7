"""Every export format read back with the standard reader of that format.

GEXF: the official GEXF 1.3 XSD is not shipped in any package this project can install
offline, so the file is read with networkx's GEXF reader and checked against the rules of
the 1.3 schema that matter to Gephi (namespace, version, declared attributes, unique ids,
edges between declared nodes, xsd:date spans, element order).
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import jsonschema
import networkx as nx
import pytest
from typer.testing import CliRunner

from conflictlens import export as X
from conflictlens import store
from conflictlens.cli import app
from conflictlens.records import KB, Actor, Event, Evidence, Figure, Relation, TimeExpr

TEXT = ("In 1998 Albania supported the KLA. The KLA attacked Serbian police in Pristina on 5 March 1998, "
        "killing 10 to 20 people. Serbia fought the KLA until June 1999. "
        "In Colombia the FARC and the ELN were allied\x01 against the army in 2002.")


def _ev(s: str) -> Evidence:
    i = TEXT.index(s)
    return Evidence("kosovo.txt", i, i + len(s), s)


def small_kb() -> KB:
    from conflictlens.ingest import parse_text

    s1 = "In 1998 Albania supported the KLA."
    s2 = "The KLA attacked Serbian police in Pristina on 5 March 1998, killing 10 to 20 people."
    s3 = "Serbia fought the KLA until June 1999."
    s4 = "In Colombia the FARC and the ELN were allied\x01 against the army in 2002."
    return KB(
        documents=[parse_text(TEXT, "kosovo.txt")],
        actors=[Actor("a1", "Kosovo Liberation Army", "armed_group", ["KLA", "UÇK"], {"kosovo.txt": 3}, [_ev(s1)]),
                Actor("a2", "Albania", "state", [], {"kosovo.txt": 1}),
                Actor("a3", "Serbia", "state", [], {"kosovo.txt": 1}),
                Actor("a4", "Serbian police", "government", [], {"kosovo.txt": 1}),
                Actor("a5", "FARC", "armed_group", [], {"kosovo.txt": 1}),
                Actor("a6", "ELN", "armed_group", [], {"kosovo.txt": 1})],
        events=[Event("ATTACK", ["a1"], ["a4"], [_ev(s2)], trigger="attacked", place="Pristina",
                      time=TimeExpr(0, 0, "5 March 1998", "1998-03-05", "day"),
                      fatalities={"low": 10, "high": 20, "who": "people"}, id="e1"),
                Event("CAPTURE", ["a3", "a4"], ["a1", "a2"], [_ev(s3)], trigger="fought", place="Colombia", id="e2"),
                Event("OTHER", ["a5"], [], [_ev(s4)], id="e3")],
        relations=[Relation("a2", "supports", "a1", [_ev(s1)], start="1998", qualifier="military", id="r1"),
                   Relation("a3", "fights", "a1", [_ev(s3)], start="1998", end="1999-06", id="r2"),
                   Relation("a5", "allied_with", "a6", [_ev(s4)], start="2002", id="r3"),
                   Relation("a1", "leads", "a4", [_ev(s2)], id="r4")],
        figures=[Figure("deaths", 10, 20, "people", [_ev(s2)], id="f1")],
    )


def test_json_is_unchanged():
    kb = small_kb()
    assert X.export(kb, "json", None) == json.dumps(X.to_dict(kb), ensure_ascii=False, indent=1)


def test_csv_reads_back_in_acled_like_columns(tmp_path):
    kb = small_kb()
    out = tmp_path / "events.csv"
    X.export(kb, "csv", out)
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == X.CSV_COLUMNS
    assert {"event_id", "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "assoc_actor_1",
            "actor2", "location", "latitude", "longitude", "geo_precision", "fatalities_low", "fatalities_high",
            "source", "notes"} <= set(rows[0])
    by_id = {r["event_id"]: r for r in rows}
    assert set(by_id) == {"e1", "e2", "e3"}
    e1 = by_id["e1"]
    assert (e1["event_date"], e1["time_precision"]) == ("1998-03-05", "day")
    assert (e1["event_type"], e1["sub_event_type"]) == ("Battles", "Armed clash")
    assert (e1["actor1"], e1["actor2"]) == ("Kosovo Liberation Army", "Serbian police")
    assert (e1["fatalities_low"], e1["fatalities_high"]) == ("10", "20")
    assert abs(float(e1["latitude"]) - 42.67) < 0.1 and abs(float(e1["longitude"]) - 21.17) < 0.1
    assert e1["geo_precision"] == "1" and e1["source"] == "kosovo.txt"
    assert e1["notes"] == kb.events[0].evidence[0].quote
    e2 = by_id["e2"]
    # a state actor's capture; a second agent and target go to the associated columns
    assert e2["sub_event_type"] == "Government regains territory"
    assert (e2["actor1"], e2["assoc_actor_1"], e2["actor2"], e2["assoc_actor_2"]) == (
        "Serbia", "Serbian police", "Kosovo Liberation Army", "Albania")
    # a country is put at its capital, with ACLED's precision for a larger area
    assert e2["geo_precision"] == "3" and abs(float(e2["latitude"]) - 4.6) < 0.2
    assert by_id["e3"]["event_date"] == "" and by_id["e3"]["event_type"] == "Strategic developments"


def test_graphml_reads_back_with_networkx(tmp_path):
    kb = small_kb()
    out = tmp_path / "kb.graphml"
    X.export(kb, "graphml", out)
    g = nx.read_graphml(out, force_multigraph=True)
    assert set(g.nodes) == {a.id for a in kb.actors}
    assert g.nodes["a1"]["label"] == "Kosovo Liberation Army" and g.nodes["a1"]["aliases"] == "KLA; UÇK"
    assert g.nodes["a1"]["mentions"] == 3
    edges = {k: (u, v, d) for u, v, k, d in g.edges(keys=True, data=True)}
    assert set(edges) == {"r1", "r2", "r3", "r4"}
    u, v, d = edges["r2"]
    assert (u, v, d["relation"], d["sign"], d["start"], d["end"]) == ("a3", "a1", "fights", -1, "1998", "1999-06")
    assert d["symmetric"] is True and d["quote"] == kb.relations[1].evidence[0].quote
    assert edges["r4"][2]["sign"] == 0 and "start" not in edges["r4"][2]
    assert "\x01" not in edges["r3"][2]["quote"]  # control characters XML cannot hold are dropped


GEXF = "{http://gexf.net/1.3}"
XSD_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _check_gexf_structure(text: str) -> ET.Element:
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == GEXF + "gexf" and root.get("version") == "1.3"
    assert root.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation", "").startswith("http://gexf.net/1.3 ")
    assert [c.tag for c in root] == [GEXF + "meta", GEXF + "graph"]
    graph = root.find(GEXF + "graph")
    assert graph.get("defaultedgetype") in {"directed", "undirected", "mutual"}
    assert graph.get("mode") in {"static", "dynamic"}
    assert graph.get("timeformat") in {"integer", "double", "date", "dateTime"}
    order = [c.tag.removeprefix(GEXF) for c in graph]
    assert order == sorted(order, key=["attributes", "nodes", "edges"].index)
    declared = {}
    for attrs in graph.findall(GEXF + "attributes"):
        assert attrs.get("class") in {"node", "edge"} and attrs.get("mode") in {"static", "dynamic"}
        for a in attrs:
            assert a.get("type") in {"integer", "long", "double", "float", "boolean", "string", "liststring",
                                     "anyURI"}
            declared.setdefault(attrs.get("class"), {})[a.get("id")] = a.get("type")
    node_ids = [n.get("id") for n in graph.iter(GEXF + "node")]
    assert len(node_ids) == len(set(node_ids))
    edge_ids = set()
    for cls, tag in (("node", "node"), ("edge", "edge")):
        for el in graph.iter(GEXF + tag):
            for av in el.iter(GEXF + "attvalue"):
                assert av.get("for") in declared[cls]
                if declared[cls][av.get("for")] == "integer":
                    int(av.get("value"))
    for e in graph.iter(GEXF + "edge"):
        assert e.get("id") not in edge_ids
        edge_ids.add(e.get("id"))
        assert e.get("source") in node_ids and e.get("target") in node_ids
        assert e.get("type", "directed") in {"directed", "undirected", "mutual"}
        float(e.get("weight", "1"))
        for k in ("start", "end"):
            if e.get(k):
                assert XSD_DATE.match(e.get(k)), e.get(k)
        if e.get("start") and e.get("end"):
            assert e.get("start") <= e.get("end")
    return root


def test_gexf_is_gexf_13_and_reads_back_with_networkx(tmp_path):
    kb = small_kb()
    out = tmp_path / "kb.gexf"
    text = X.export(kb, "gexf", out)
    _check_gexf_structure(text)
    g = nx.read_gexf(out)
    assert set(g.nodes) == {a.id for a in kb.actors}
    assert g.nodes["a2"]["label"] == "Albania" and g.nodes["a2"]["type"] == "state"
    by_id = {d["id"]: (u, v, d) for u, v, d in g.edges(data=True)}
    u, v, d = by_id["r2"]
    # relation spans as time attributes: "1998"–"1999-06" → the first and the last day
    assert (d["start"], d["end"], d["start_text"], d["end_text"]) == ("1998-01-01", "1999-06-30", "1998", "1999-06")
    assert d["sign"] == -1 and d["relation"] == "fights"
    assert "start" not in by_id["r4"][2]
    # symmetric relations are mutual edges: read back both ways
    assert g.has_edge("a5", "a6") and g.has_edge("a6", "a5")
    assert g.graph["mode"] == "dynamic"


PLOVER_SCHEMA = {
    "type": "object",
    "required": ["id", "date", "event", "mode", "context", "actor", "recipient", "location", "text", "source"],
    "properties": {
        "id": {"type": "string"},
        "date": {"type": ["string", "null"], "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
        "event": {"enum": ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
                           "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE",
                           "ASSAULT"]},
        "mode": {"type": ["string", "null"]},
        "context": {"type": "array", "items": {"type": "string"}},
        "actor": {"type": ["string", "null"]},
        "recipient": {"type": ["string", "null"]},
        "location": {"type": ["object", "null"]},
        "text": {"type": "string", "minLength": 1},
        "source": {"type": "string"},
        "actors": {"type": "array", "items": {"type": "object", "required": ["id", "name"]}},
    },
}


def test_plover_jsonl_validates_against_a_json_schema(tmp_path):
    kb = small_kb()
    out = tmp_path / "events.jsonl"
    X.export(kb, "plover", out)
    lines = out.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    for r in records:
        jsonschema.validate(r, PLOVER_SCHEMA)
    by_id = {r["id"]: r for r in records}
    assert set(by_id) == {"e1", "e2"}  # OTHER has no PLOVER type
    assert (by_id["e1"]["event"], by_id["e1"]["actor"], by_id["e1"]["recipient"]) == (
        "ASSAULT", "Kosovo Liberation Army", "Serbian police")
    assert by_id["e1"]["location"]["name"] == "Pristina" and by_id["e1"]["text"] == kb.events[0].evidence[0].quote
    assert [a["id"] for a in by_id["e2"]["recipients"]] == ["a1", "a2"]


def test_sqlite_export_is_the_kb_itself(tmp_path):
    kb = small_kb()
    out = tmp_path / "copy.db"
    assert X.export(kb, "sqlite", out) == ""
    back = store.load(out)
    assert back.actors == kb.actors and back.relations == kb.relations and back.events == kb.events
    assert store.meta(out)["exported_by"].startswith("conflictlens export")
    with pytest.raises(ValueError, match="-o"):
        X.export(kb, "sqlite", "-")
    with pytest.raises(ValueError, match="unknown export format"):
        X.export(kb, "xlsx", None)


def test_every_format_round_trips_on_the_example_corpus(example_kb, tmp_path):
    kb = example_kb
    rows = list(csv.DictReader(io.StringIO(X.export(kb, "csv", None))))
    assert len(rows) == len(kb.events)
    assert all(r["notes"] for r in rows)
    g = nx.read_graphml(io.BytesIO(X.export(kb, "graphml", None).encode("utf-8")), force_multigraph=True)
    assert g.number_of_edges() == len(kb.relations) and g.number_of_nodes() >= len(kb.actors)
    text = X.export(kb, "gexf", tmp_path / "kb.gexf")
    _check_gexf_structure(text)
    h = nx.read_gexf(tmp_path / "kb.gexf")
    assert len({d["id"] for _, _, d in h.edges(data=True)}) == len(kb.relations)
    records = [json.loads(x) for x in X.export(kb, "plover", None).splitlines()]
    assert records and len(records) <= len(kb.events)
    for r in records:
        jsonschema.validate(r, PLOVER_SCHEMA)


def test_cli_export_formats(example_db, tmp_path):
    runner = CliRunner()
    out = tmp_path / "kb.csv"
    r = runner.invoke(app, ["export", "--db", str(example_db), "--format", "csv", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert out.read_text(encoding="utf-8").startswith("event_id,event_date,")
    r = runner.invoke(app, ["export", "--db", str(example_db), "--format", "sqlite"])
    assert r.exit_code == 1 and "-o" in r.output
    db = tmp_path / "copy.db"
    r = runner.invoke(app, ["export", "--db", str(example_db), "--format", "sqlite", "-o", str(db)])
    assert r.exit_code == 0 and store.load(db).relations
