"""A save reuses the stored views of the KB it replaces (webviews.previous / content_key):
all of them when the KB's content is the same (a warm rebuild computes nothing: no camps, no
gazetteer), and the rows are exactly what a fresh computation gives, on both backends."""

from __future__ import annotations

import copy

import pytest

from conflictlens import analyze, store, webmap, weboverview, webviews
from conflictlens.records import Document, Event, Evidence, TimeExpr

NEW_TEXT = "On 3 May 2001 the rebels attacked the garrison at Herat."


@pytest.fixture
def geo(monkeypatch):
    """Places and borders stored for any KB (as for a big one); calls of the costly parts counted."""
    monkeypatch.setattr(webviews, "GEO_MIN_EVENTS", 1)
    calls = {"compute": 0, "load_geo": 0, "blocs": 0}
    for mod, name in ((webviews, "compute"), (webmap, "load_geo"), (weboverview, "blocs")):
        real = getattr(mod, name)

        def spy(*a, _real=real, _name=name, **k):
            calls[_name] += 1
            return _real(*a, **k)

        monkeypatch.setattr(mod, name, spy)
    return calls


def _with_one_document(kb):
    """``kb`` and one more document, with an event at a place of its own."""
    kb = copy.deepcopy(kb)
    name = "added.txt"
    kb.documents.append(Document(id="0123456789abc", name=name, path=name, title="Added", sha256="0" * 64,
                                 text=NEW_TEXT))
    start = NEW_TEXT.index("attacked")
    agent = kb.actors[0].id
    kb.events.append(Event(id=f"e{len(kb.events) + 1000}", type="ATTACK", trigger="attacked", agents=[agent],
                           targets=[], place="Herat",
                           time=TimeExpr(start=3, end=13, text="3 May 2001", value="2001-05-03", precision="day"),
                           evidence=[Evidence(doc=name, start=start, end=start + len("attacked"),
                                              quote="attacked")]))
    return kb


def test_an_unchanged_kb_reuses_every_view(fresh_db, example_kb, geo):
    store.save(copy.deepcopy(example_kb), fresh_db)
    first = webviews.read(fresh_db)
    assert "places" in first and geo["compute"] == 1
    before = dict(geo)
    store.save(store.load(fresh_db), fresh_db)  # a warm rebuild: the same content again
    assert geo == before  # no camps, no gazetteer, nothing computed
    assert webviews.read(fresh_db) == first == webviews.compute(store.load(fresh_db))


def test_a_changed_kb_gets_the_views_a_fresh_computation_gives(fresh_db, example_kb, geo):
    store.save(copy.deepcopy(example_kb), fresh_db)
    first = webviews.read(fresh_db)
    store.save(_with_one_document(example_kb), fresh_db)
    got = webviews.read(fresh_db)
    assert got == webviews.compute(store.load(fresh_db))
    assert got["places"] != first["places"]  # the new event's place is there


def test_the_key_follows_the_content(example_kb, monkeypatch):
    kb = copy.deepcopy(example_kb)
    key = webviews.content_key(kb)
    assert webviews.content_key(copy.deepcopy(example_kb)) == key
    kb.relations[0].relation = "allied_with" if kb.relations[0].relation != "allied_with" else "fights"
    assert webviews.content_key(kb) != key
    monkeypatch.setattr(webviews, "GEO_MIN_EVENTS", 1)  # places now stored: another key
    assert webviews.content_key(copy.deepcopy(example_kb)) != key


def test_views_of_another_version_or_none_are_not_reused(tmp_path, example_kb):
    db = tmp_path / "kb.db"
    assert webviews.previous_at(db) == ("", {})
    store.save(copy.deepcopy(example_kb), db)
    key, rows = webviews.previous_at(db)
    assert key == webviews.content_key(store.load(db)) and rows == webviews.read(db)
    (tmp_path / "not-a-kb.db").write_text("hello")
    assert webviews.previous_at(tmp_path / "not-a-kb.db") == ("", {})


def _with_one_tie(kb):
    """``kb`` with one more relation (no new place name): the views change, the places do not."""
    kb = copy.deepcopy(kb)
    r = copy.deepcopy(kb.relations[0])
    r.id = f"r{len(kb.relations) + 1000}"
    r.relation = "fights" if r.relation != "fights" else "allied_with"
    kb.relations.append(r)
    return kb


def test_the_same_place_names_are_not_looked_up_again(fresh_db, example_kb, geo):
    store.save(copy.deepcopy(example_kb), fresh_db)
    first = webviews.read(fresh_db)
    loads = geo["load_geo"]
    store.save(_with_one_tie(example_kb), fresh_db)
    got = webviews.read(fresh_db)
    assert geo["load_geo"] == loads  # the gazetteer is not read
    assert got["blocs"] != first["blocs"] or got["network:120"] != first["network:120"]
    assert got == webviews.compute(store.load(fresh_db))  # the rows a computation anew gives


def test_a_new_place_name_reads_the_gazetteer_again(tmp_path, example_kb, geo):
    db = tmp_path / "kb.db"
    store.save(copy.deepcopy(example_kb), db)
    loads = geo["load_geo"]
    store.save(_with_one_document(example_kb), db)
    assert geo["load_geo"] == loads + 1


def test_places_from_remembered_hits_equal_places_looked_up(example_kb):
    events = analyze.timeline(example_kb)
    g = webmap.load_geo(webmap.node_modules())
    texts = {d.name: d.text for d in example_kb.documents}
    found = webmap.locate_all(g, webmap.place_names(events))
    assert webmap.places(None, events, texts, found) == webmap.places(g, events, texts)
