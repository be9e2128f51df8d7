"""The JSON API: every endpoint on the example KB and on a second corpus, read-only, limits."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conflictlens import analyze
from conflictlens.api import CSP, MAX_BODY, WEB_DIR, create_app


@pytest.fixture(scope="module")
def client(any_db) -> TestClient:
    """The API over the example KB, on the SQLite file and on the PostgreSQL server."""
    return TestClient(create_app(any_db, time_limit=60))  # a busy machine: the limit is tested below


@pytest.fixture(scope="module")
def second(second_db) -> TestClient:
    return TestClient(create_app(second_db, time_limit=60))


def test_summary_lists_documents_and_counts(client, example_kb):
    s = client.get("/api/summary").json()
    assert s["events"] == len(example_kb.events) and s["actors"] == len(example_kb.actors)
    assert {d["name"] for d in s["documents_list"]} == {d.name for d in example_kb.documents}
    lo, hi = s["relation_years"]
    assert lo <= hi
    assert s["ask"] in ("ask", "search")


def test_actors_filter_and_profile(client, example_kb):
    rows = client.get("/api/actors", params={"limit": 5}).json()
    assert len(rows) == 5
    assert [r["mention_count"] for r in rows] == sorted((r["mention_count"] for r in rows), reverse=True)
    states = client.get("/api/actors", params={"type": "state"}).json()
    assert states and all(r["type"] == "state" for r in states)
    top = rows[0]
    found = client.get("/api/actors", params={"q": top["name"][:5]}).json()
    assert top["id"] in {r["id"] for r in found}
    p = client.get(f"/api/actors/{top['id']}").json()
    assert p["actor"]["id"] == top["id"]
    assert p["documents"] and all(d["mentions"] > 0 for d in p["documents"])
    for r in p["relations"]:
        assert top["id"] in (r["source"]["id"], r["target"]["id"])
        assert r["other"]["id"] != top["id"] or r["source"]["id"] == r["target"]["id"]
    for e in p["events"]:
        assert top["id"] in {x["id"] for x in e["agents"] + e["targets"]}


def test_events_filters_agree_with_analyze(client, example_kb):
    doc = example_kb.documents[0].name
    got = client.get("/api/events", params={"doc": doc, "from": 1996, "to": 2001}).json()
    want = analyze.events_in(example_kb, None, 1996, 2001, None, doc)
    assert [e["id"] for e in got] == [e.id for e in want] and got
    assert all(any(ev["doc"] == doc for ev in e["evidence"]) for e in got)
    one_type = got[0]["type"]
    typed = client.get("/api/events", params={"type": one_type}).json()
    assert typed and {e["type"] for e in typed} == {one_type}


def test_fact_quotes_are_the_document_text(client, example_kb):
    texts = {d.name: d.text for d in example_kb.documents}
    for fid in (example_kb.events[0].id, example_kb.relations[0].id, example_kb.figures[0].id,
                example_kb.actors[0].id):
        f = client.get(f"/api/facts/{fid}").json()
        assert f["id"] == fid and f["record"]["id"] == fid
        for ev in f["evidence"]:
            text = texts[ev["doc"]]
            assert text[ev["start"]:ev["end"]] == ev["quote"]
            assert text[:ev["start"]].endswith(ev["before"]) and text[ev["end"]:].startswith(ev["after"])


def test_unknown_ids_are_404_with_a_numbered_error(client):
    for url in ("/api/facts/e999999", "/api/actors/NoSuchActorAnywhere", "/api/documents/nope.txt"):
        r = client.get(url)
        assert r.status_code == 404, url
        assert r.json()["code"] == "E004"


def test_documents_and_their_spans(client, example_kb):
    docs = client.get("/api/documents").json()
    assert len(docs) == len(example_kb.documents)
    d = client.get(f"/api/documents/{docs[0]['name']}").json()
    assert d["text"] == example_kb.documents[0].text
    kinds = {s["kind"] for s in d["spans"]}
    assert {"mention", "event"} <= kinds
    assert all(0 <= s["start"] <= s["end"] <= len(d["text"]) for s in d["spans"])
    ev_spans = {(s["start"], s["end"]) for s in d["spans"] if s["kind"] == "event"}
    e = next(e for e in example_kb.events if e.evidence[0].doc == d["name"])
    assert (e.evidence[0].start, e.evidence[0].end) in ev_spans


def test_network_as_of_a_year(client, example_kb):
    full = client.get("/api/network").json()
    assert len(full["edges"]) == len(example_kb.relations)
    lo, hi = full["years"]
    year = (lo + hi) // 2
    net = client.get("/api/network", params={"year": year, "undated": False}).json()
    assert 0 < len(net["edges"]) < len(full["edges"])
    for r in net["edges"]:
        start, end = (int(x[:4]) if x else None for x in (r["start"], r["end"]))
        assert start is not None or end is not None
        assert (start is None or start <= year) and (end is None or end >= year)
    assert {n["id"] for n in net["nodes"]} == {x for r in net["edges"] for x in (r["source"]["id"], r["target"]["id"])}
    with_undated = client.get("/api/network", params={"year": year}).json()
    assert len(with_undated["edges"]) > len(net["edges"])


def test_relation_history_of_an_edge(client, example_kb):
    r = example_kb.relations[0]
    h = client.get("/api/relations/history", params={"a": r.source, "b": r.target}).json()
    assert {h["a"]["id"], h["b"]["id"]} == {r.source, r.target}
    assert any(r.id in e["relation_ids"] for e in h["entries"])
    assert all(e["evidence"] for e in h["entries"])


def test_places_have_coordinates(client):
    pl = client.get("/api/places").json()
    assert pl["located"]
    for p in pl["located"]:
        assert -90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180 and p["events"]
    early = client.get("/api/places", params={"from": 1996, "to": 1997}).json()
    assert sum(len(p["events"]) for p in early["located"]) < sum(len(p["events"]) for p in pl["located"])


@pytest.mark.parametrize("name, country, kind", [
    ("Sarajevo", "BA", "city"), ("Bosnia and Herzegovina", "BA", "country"), ("Colombia", "CO", "country"),
    ("India", "IN", "country"), ("Jaffna", "LK", "city"), ("Aleppo", "SY", "city")])
def test_locate_place_prefers_countries_then_cities(name, country, kind):
    loc = analyze.locate_place(name)
    assert loc is not None and loc["country"] == country and loc["kind"] == kind


def test_search_finds_actors_events_and_text(client, example_kb):
    a = max(example_kb.actors, key=lambda a: a.mention_count)
    s = client.get("/api/search", params={"q": a.name}).json()
    assert a.id in {x["id"] for x in s["actors"]}
    assert s["passages"] and all(p["quote"].lower() == a.name.lower() for p in s["passages"])
    assert s["events"]
    assert client.get("/api/search", params={"q": "zzqqxx-nothing"}).json()["passages"] == []


def test_ask_answers_with_quotes_or_falls_back_to_search(client):
    r = client.get("/api/ask", params={"q": "Who supported the Taliban?"}).json()
    assert r["mode"] in ("ask", "search")
    if r["mode"] == "ask":
        assert r["evidence"] and all(ev["quote"] for ev in r["evidence"])
        assert r["source"] in ("kb", "retrieval", "none")
    else:
        assert r["search"]["q"]


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
@pytest.mark.parametrize("url", ["/api/summary", "/api/events", "/", "/api/facts/e1"])
def test_read_only(client, method, url):
    r = getattr(client, method)(url)
    assert r.status_code == 405
    assert "GET" in r.headers["allow"]


def test_request_limits(client):
    r = client.request("GET", "/api/summary", content=b"x" * (MAX_BODY + 1))
    assert r.status_code == 413
    assert client.get("/api/search", params={"q": "x" * 3000}).status_code == 414
    assert client.get("/api/search", params={"q": "x" * 201}).status_code == 422
    assert client.get("/api/network", params={"year": 99999}).status_code == 422
    assert client.get("/api/summary", headers={"host": "attacker.example"}).status_code == 400


def test_time_limit(example_db, monkeypatch):
    slow = TestClient(create_app(example_db, time_limit=0.05))
    monkeypatch.setattr(analyze, "summary", lambda kb: time.sleep(0.5) or {})
    r = slow.get("/api/summary")
    assert r.status_code == 503 and "longer than" in r.json()["error"]


def test_pages_are_offline_and_guarded(client):
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert page.headers["content-security-policy"] == CSP
    assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP
    html = (WEB_DIR / "index.html").read_text()
    # No inline script, nothing from another origin: the page works with the network off.
    # (the app's own script, or a library file the app serves from node_modules)
    assert all(re.search(r'\bsrc="/(static|vendor)/', tag) for tag in re.findall(r"<script[^>]*>", html))
    script = (WEB_DIR / "app.js").read_text().replace("http://www.w3.org/2000/svg", "")  # a namespace, not fetched
    assert not re.search(r"https?://", html + script)
    for name in ("app.js", "style.css"):
        assert client.get(f"/static/{name}").status_code == 200
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/static-offline-docs/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.lower()
    assert client.get("/static-offline-docs/swagger-ui-bundle.js").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/events", "/api/network", "/api/documents/{name}", "/api/ask"} <= set(paths)
    assert all(set(ops) == {"get"} for ops in paths.values())


def test_second_corpus_and_hostile_document_through_the_api(second):
    s = second.get("/api/summary").json()
    assert s["documents"] == 2 and s["events"] > 0
    d = second.get("/api/documents/xss.txt")
    assert d.headers["content-type"].startswith("application/json")
    text = d.json()["text"]
    # The API hands the markup over as it is, as JSON text: escaping is the page's job.
    assert "<script>window.__xss=3</script>" in text and 'onerror="window.__xss=2"' in text
    hits = second.get("/api/search", params={"q": "<script>"}).json()["passages"]
    assert len(hits) >= 2 and all(h["quote"] == "<script>" for h in hits)
    assert second.get("/api/events", params={"doc": "xss.txt"}).json()
    places = {p["name"]: p for p in second.get("/api/places").json()["located"]}
    assert places.get("Tuzla", {}).get("country") == "BA"


def test_serve_command_defaults(tmp_path: Path):
    from typer.testing import CliRunner

    from conflictlens.cli import app

    runner = CliRunner()
    helptext = runner.invoke(app, ["serve", "--help"], env={"COLUMNS": "200"}).output
    assert "127.0.0.1" in helptext and "8765" in helptext
    r = runner.invoke(app, ["serve", "--db", str(tmp_path / "missing.db")])
    assert r.exit_code == 1 and "E003" in r.output


def test_the_ask_index_is_built_beside_the_server_start(example_db):
    """A server's first question does not wait for the search index: it is built at start."""
    import time

    from conflictlens import ask

    before = dict(ask._INDEXES)
    create_app(example_db, time_limit=60)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        new = [i for k, i in list(ask._INDEXES.items()) if before.get(k) is not i]
        if new:
            break
        time.sleep(0.05)
    assert new, "no ask index was built after the server started"
