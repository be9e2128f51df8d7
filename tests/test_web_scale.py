"""The web app on big KBs: the network view's best connected actors (webgraph.py), the camps'
block stitching and bounded search (network.frustration), the map's fuzzy place index, the
overview's side names and charts, and the compact API answers the views read."""

from __future__ import annotations

import itertools
import random
import time

import pytest
from fastapi.testclient import TestClient

from conflictlens import network as nw
from conflictlens import webgraph, webmap, weboverview
from conflictlens.api import create_app
from conflictlens.records import Actor, Event, Evidence, Relation, TimeExpr
from test_network import _brute


def _actor(i: str, mentions: int = 1, type_: str = "state") -> Actor:
    return Actor(id=i, name=f"Actor {i}", type=type_, mentions={"d.txt": mentions})


def _rel(i: int, s: str, t: str, kind: str = "supports", start: str | None = None) -> Relation:
    return Relation(id=f"r{i}", source=s, relation=kind, target=t, start=start,
                    evidence=[Evidence("d.txt", 0, 1, "x")])


# --- the network view's graph -----------------------------------------------------------

def test_top_graph_keeps_the_best_connected_and_their_ties():
    nodes = [_actor(x) for x in "abcde"]
    edges = [_rel(1, "a", "b"), _rel(2, "a", "c"), _rel(3, "b", "c"), _rel(4, "a", "d"), _rel(5, "d", "e", "member_of")]
    g = webgraph.top_graph(nodes, edges, limit=3, hide=frozenset({"member_of"}))
    assert {a.id for a in g["nodes"]} == {"a", "b", "c"}  # d has one shown tie, e none
    assert {r.id for r in g["edges"]} == {"r1", "r2", "r3"}
    assert (g["total_nodes"], g["total_edges"]) == (4, 4)
    assert g["relation_counts"] == {"supports": 4, "member_of": 1}


def test_top_graph_keeps_a_focused_actors_neighbours():
    nodes = [_actor(x) for x in "abcde"]
    edges = [_rel(1, "a", "b"), _rel(2, "a", "c"), _rel(3, "b", "c"), _rel(4, "d", "e"), _rel(5, "d", "a")]
    g = webgraph.top_graph(nodes, edges, limit=1, focus="e")
    assert {a.id for a in g["nodes"]} == {"a", "d", "e"}
    assert {r.id for r in g["edges"]} == {"r4", "r5"}


def test_slider_years_leave_out_hidden_types():
    edges = [_rel(1, "a", "b", "member_of", "1893"), _rel(2, "a", "c", "fights", "1962"),
             _rel(3, "b", "c", start="1959")]
    assert webgraph.years(edges) == (1893, 1962)
    assert webgraph.years(edges, frozenset({"member_of"})) == (1959, 1962)
    assert webgraph.years(edges[:1], frozenset({"member_of"})) is None


# --- camps: the frustration index of graphs with many blocks ------------------------------

@pytest.mark.parametrize("seed", range(6))
def test_frustration_is_minimal_on_small_random_graphs(seed):
    rng = random.Random(seed)
    nodes = [f"a{i}" for i in range(11)]
    edges = {(u, v): rng.choice((1, -1)) for u, v in itertools.combinations(nodes, 2) if rng.random() < 0.3}
    index, colour, exact = nw.frustration(nodes, edges)
    assert exact and index == _brute(nodes, edges)
    assert index == sum(1 for (u, v), s in edges.items() if (colour[u] == colour[v]) != (s > 0))


def test_frustration_stitches_many_blocks():
    # 400 triangles hung on one chain: 800 blocks, each frustrated once (one negative tie in
    # an all-positive triangle) or not at all; the stitched colouring attains the sum
    nodes, edges = [], {}
    for i in range(400):
        a, b, c = f"a{2 * i}", f"a{2 * i + 1}", f"a{2 * i + 2}"
        nodes += [a, b]
        edges[(a, b)], edges[(b, c)] = 1, 1
        edges[(a, c)] = -1 if i % 2 else 1
    nodes.append("a800")
    index, colour, exact = nw.frustration(nodes, edges)
    assert exact and index == 200
    assert index == sum(1 for (u, v), s in edges.items() if (colour[u] == colour[v]) != (s > 0))


# --- the map's fuzzy index -----------------------------------------------------------------

@pytest.mark.parametrize("a, b", [("kandahar", "kanadhar"), ("kunduz", "kundus"), ("herat", "herrat"),
                                  ("mazar", "mazr"), ("kabul", "kabul")])
def test_keys_one_edit_apart_share_a_variant(a, b):
    assert webmap._edits1(a, b)
    assert webmap._variants(a) & webmap._variants(b)


def test_keys_two_edits_apart_share_no_variant():
    assert not webmap._variants("kabul") & webmap._variants("kbl")


# --- the overview ---------------------------------------------------------------------------

def test_a_side_is_named_by_its_leading_groups():
    rows = [{"actor": {"name": n, "type": t}} for n, t in
            [("Mullah Omar", "person"), ("Taliban", "armed_group"), ("Pakistan", "state"),
             ("al-Qaeda", "armed_group"), ("Saudi Arabia", "state")]]
    assert weboverview.side_name(rows) == ("Taliban, Pakistan, al-Qaeda", "Taliban, Pakistan")
    people = [{"actor": {"name": n, "type": "person"}} for n in ("A B", "C D")]
    assert weboverview.side_name(people) == ("A B, C D", "A B, C D")


def test_charts_count_months_and_deaths_of_dated_events():
    def ev(i, value, end=None, deaths=None):
        t = TimeExpr(0, 1, "x", value, "month" if len(value) == 7 else "year", end)
        return Event(type="ATTACK", agents=[], targets=[], evidence=[], id=f"e{i}", time=t,
                     fatalities={"low": deaths, "high": deaths} if deaths else None)

    kb = type("KB", (), {"events": [ev(1, "1995-03", deaths=4), ev(2, "1995-03"), ev(3, "1995", deaths=2),
                                    ev(4, "0000", "0090", deaths=9)]})()
    c = weboverview.charts(kb)
    assert c["months"] == [{"month": "1995-03", "types": {"ATTACK": 2}}]
    assert c["deaths"] == [{"year": 1995, "deaths": 6}]  # the century places nothing


# --- the compact API answers ---------------------------------------------------------------

@pytest.fixture(scope="module")
def client(example_db) -> TestClient:
    return TestClient(create_app(example_db, time_limit=60))


def test_network_limit_and_compact_edges(client):
    full = client.get("/api/network").json()
    small = client.get("/api/network", params={"limit": 10, "compact": True, "hide": "member_of,part_of"}).json()
    assert len(small["nodes"]) == 10 < small["total_nodes"] <= len(full["nodes"])
    ids = {n["id"] for n in small["nodes"]}
    assert small["edges"] and all(e["source"] in ids and e["target"] in ids for e in small["edges"])
    assert all(e["relation"] not in ("member_of", "part_of") for e in small["edges"])
    assert "evidence" not in small["edges"][0] and small["edges"][0]["quotes"] >= 1


def test_compact_events_carry_one_short_quote(client):
    full, compact = client.get("/api/events").json(), client.get("/api/events", params={"compact": True}).json()
    assert [e["id"] for e in full] == [e["id"] for e in compact]
    for f, c in zip(full, compact, strict=True):
        assert "evidence" not in c and len(c["quote"]) <= 160
        assert f["evidence"][0]["quote"].startswith(c["quote"].rstrip("…"))


def test_overview_sides_charts_and_place_years(client):
    o = client.get("/api/overview").json()
    for _ in range(300):  # the camps are worked out beside the server: "pending" until then
        if not o["pending"]:
            break
        assert o["sides"] == [] and o["charts"]["months"]  # the rest is there meanwhile
        time.sleep(0.1)
        o = client.get("/api/overview").json()
    assert len(o["sides"]) == 2
    assert all(s["name"] and "'s side" not in s["name"] for s in o["sides"])
    assert o["charts"]["months"] and o["camps"]["camp"]
    pl = client.get("/api/places").json()
    p = pl["located"][0]
    assert len(p["years"]) == len(p["events"])
    evs = client.get("/api/places/events", params={"name": p["name"]}).json()
    assert {e["id"] for e in evs} == set(p["events"])
    assert client.get("/api/places/events", params={"name": "Nowhere at all"}).status_code == 404
