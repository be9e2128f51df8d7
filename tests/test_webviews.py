"""The web app's first views stored with the KB (webviews.py): written by every save on both
backends, equal to what the server works out in memory, served from the KB (the network's
stored layout, the camps beside the network's actors), and worked out as before for a KB
without them (an older schema, a failed computation). The server-side network layout
(webgraph.layout), and the browser loading each view's library only when it is shown."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest
from fastapi.testclient import TestClient

from conflictlens import analyze, store, webgraph, webmap, weboverview, webviews
from conflictlens.api import create_app

NET = {"limit": 120, "hide": "member_of,part_of", "compact": True, "layout": True}


def _copy(db, tmp_path):
    out = tmp_path / "kb.db"
    shutil.copyfile(db, out)
    return out


# --- stored when saved ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def geo_db(example_db, tmp_path_factory):
    """The example KB saved as a big one is: with its places and borders."""
    db = tmp_path_factory.mktemp("geo") / "kb.db"
    shutil.copyfile(example_db, db)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(webviews, "GEO_MIN_EVENTS", 1)
        store.save(store.load(db), db)
    return db


def test_every_save_stores_the_views_on_both_backends(any_db):
    views = webviews.read(any_db)
    assert {"blocs", "network:120", "network:50"} <= set(views)
    assert "places" not in views  # a small KB: its server locates them (the gazetteer costs seconds)
    assert store.meta(any_db)["web_views"] == webviews.VERSION


def test_a_big_kb_stores_its_places_and_borders(geo_db):
    views = webviews.read(geo_db)
    assert json.loads(views["places"])["places"]["located"]
    if webmap.node_modules() is not None:
        assert json.loads(views["outlines:countries"])["features"]
    c = TestClient(create_app(geo_db, time_limit=60))
    got = c.get("/api/places").json()
    assert [p["name"] for p in got["located"]] == [p["name"] for p in json.loads(views["places"])["places"]["located"]]
    assert all(len(p["years"]) == len(p["events"]) for p in got["located"])
    if webmap.node_modules() is not None:  # served as stored
        assert c.get("/api/geo/countries").content == views["outlines:countries"].encode()


def test_stored_views_equal_what_the_server_works_out(geo_db):
    views, kb = webviews.read(geo_db), store.load(geo_db)
    assert json.loads(views["blocs"]) == json.loads(json.dumps(weboverview.blocs(kb)))
    root = webmap.node_modules()
    places = webmap.places(webmap.load_geo(root), analyze.timeline(kb), {d.name: d.text for d in kb.documents})
    assert json.loads(views["places"]) == {"geo": root is not None, "places": places}
    for limit in webviews.NETWORK_LIMITS:
        assert json.loads(views[webviews.network_key(limit)]) == webviews.network_positions(kb, limit)


def test_a_correction_saves_the_views_again_once(example_db, tmp_path):
    db = _copy(example_db, tmp_path)
    kb = store.load(db)
    kb.relations = kb.relations[1:]  # as a rejected fact would
    meta = {k: v for k, v in store.meta(db).items() if k != "schema_version"}
    assert meta["web_views"] == webviews.VERSION  # carried over: written once, not twice
    store.save(kb, db, meta=meta)
    assert webviews.read(db)["network:120"] == json.dumps(webviews.network_positions(store.load(db), 120),
                                                          separators=(",", ":"))


def test_a_failed_computation_never_fails_the_save(example_db, tmp_path, monkeypatch):
    db = _copy(example_db, tmp_path)

    def broken(kb):
        raise RuntimeError("no gazetteer")

    monkeypatch.setattr(webviews, "compute", broken)
    new = tmp_path / "new.db"  # nothing to reuse there: the views are computed
    store.save(store.load(db), new, meta={"web_views": webviews.VERSION})
    assert webviews.read(new) == {} and "web_views" not in store.meta(new)
    assert store.load(new).events


def test_an_older_kb_gets_the_table_and_is_served_as_before(example_db, tmp_path):
    db = _copy(example_db, tmp_path)
    con = sqlite3.connect(db)
    with con:
        con.execute("DROP TABLE web_views")
        con.execute("DELETE FROM meta WHERE key='web_views'")
        con.execute("UPDATE meta SET value='5' WHERE key='schema_version'")
    con.close()
    assert webviews.read(db) == {}  # migrated to this schema: an empty table
    assert store.meta(db)["schema_version"] == str(store.SCHEMA_VERSION)
    c = TestClient(create_app(db, time_limit=60))
    net = c.get("/api/network", params=NET).json()
    assert set(net["positions"]) == {n["id"] for n in net["nodes"]}
    assert net["positions"] == webviews.network_positions(store.load(db), 120)
    assert c.get("/api/places").json()["located"]


# --- served from the KB ---------------------------------------------------------------------

def test_the_server_reads_the_stored_layout_and_works_out_the_others(example_db, tmp_path):
    db = _copy(example_db, tmp_path)
    marked = {k: [1.0, 2.0] for k in json.loads(webviews.read(db)["network:120"])}
    con = sqlite3.connect(db)
    with con:
        con.execute("UPDATE web_views SET data=? WHERE name='network:120'", (json.dumps(marked),))
    con.close()
    c = TestClient(create_app(db, time_limit=60))
    assert c.get("/api/network", params=NET).json()["positions"] == marked  # not worked out again
    year = c.get("/api/summary").json()["relation_years"][1]
    other = c.get("/api/network", params={**NET, "year": year}).json()
    assert set(other["positions"]) == {n["id"] for n in other["nodes"]} and other["positions"] != marked
    assert "positions" not in c.get("/api/network", params={"limit": 120}).json()


def test_the_network_answer_carries_the_camps_of_its_actors(example_db):
    c = TestClient(create_app(example_db, time_limit=60))
    net = c.get("/api/network", params=NET).json()
    blocs = c.get("/api/blocs").json()
    ids = {n["id"] for n in net["nodes"]}
    assert net["camps"] and set(net["camps"]) <= ids
    assert net["camps"] == {k: v for k, v in blocs["camp"].items() if k in ids}
    year = next(iter(blocs["years"]))
    per_year = c.get("/api/network", params={**NET, "year": year}).json()
    assert per_year["camps"] == {k: v for k, v in blocs["years"][year].items()
                                 if k in {n["id"] for n in per_year["nodes"]}}


def test_the_summary_and_event_answers_are_the_same_each_time(example_db):
    c = TestClient(create_app(example_db, time_limit=60))
    for path in ("/api/summary", "/api/events?compact=1", "/api/events?type=ATTACK"):
        first = c.get(path).content
        assert first == c.get(path).content
    assert all(e["type"] == "ATTACK" for e in c.get("/api/events", params={"type": "ATTACK"}).json())


# --- the layout -----------------------------------------------------------------------------

def _boxes(pos, comps):
    out = []
    for comp in comps:
        xs, ys = [pos[k][0] for k in comp], [pos[k][1] for k in comp]
        out.append((min(xs), min(ys), max(xs), max(ys)))
    return out


def test_layout_packs_components_apart_and_ignores_input_order():
    edges = [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("e", "f"), ("g", "h"), ("h", "i")]
    nodes = list("abcdefghij")
    pos = webgraph.layout(nodes, edges)
    assert set(pos) == set(nodes)
    assert webgraph.layout(nodes[::-1], edges[::-1]) == pos
    comps = [set("abcd"), set("ef"), set("ghi"), {"j"}]
    boxes = _boxes(pos, comps)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:  # no two components' boxes overlap
            assert a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1]
    d = lambda u, v: ((pos[u][0] - pos[v][0]) ** 2 + (pos[u][1] - pos[v][1]) ** 2) ** 0.5  # noqa: E731
    assert d("e", "f") == pytest.approx(webgraph.EDGE_LENGTH)
    assert 0.3 * webgraph.EDGE_LENGTH < d("a", "b") < 3 * webgraph.EDGE_LENGTH


def test_layout_of_one_big_component_is_wider_than_high():
    nodes = [f"n{i}" for i in range(40)]
    edges = [(nodes[i], nodes[j]) for i in range(40) for j in (i + 1, i + 7) if j < 40]
    pos = webgraph.layout(nodes, edges)
    (x0, y0, x1, y1), = _boxes(pos, [set(nodes)])
    assert x1 - x0 > y1 - y0


# --- the browser: each view's library only ----------------------------------------------------

def test_each_view_loads_only_its_library(example_db):
    from tests.test_web import ARGS, CHROMIUM, _serve, sync_api  # skips as test_web does

    for base in _serve(example_db):
        with sync_api.sync_playwright() as p:
            b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
            try:
                want = {"overview": set(), "network": {"cytoscape.js"}, "map": {"leaflet.js"},
                        "timeline": {"moment.js", "vis-data.js", "vis-timeline.js"}}
                for view, libs in want.items():
                    pg = b.new_page(viewport={"width": 1440, "height": 900})
                    asked: list[str] = []
                    pg.on("request", lambda r, asked=asked: asked.append(r.url))
                    pg.goto(f"{base}/#/{view}")
                    pg.wait_for_selector(f"body[data-ready='{view}']", timeout=30000)
                    got = {u.rsplit("/", 1)[1] for u in asked if "/vendor/" in u and u.endswith(".js")}
                    assert got == libs, view
                    if view == "network":  # the camps came with the network: no /api/blocs
                        assert not [u for u in asked if "/api/blocs" in u]
                        assert pg.evaluate("window.clCy.nodes('.camp0, .camp1').length") > 0
                    pg.close()
            finally:
                b.close()
