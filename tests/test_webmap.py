"""The web map's places (webmap.py), the overview's data and the served library files."""

from __future__ import annotations

import time
from types import SimpleNamespace as NS

import pytest

from conflictlens import webmap


@pytest.fixture(scope="module")
def geo():
    return webmap.load_geo(webmap.node_modules())


@pytest.mark.parametrize("name, why", [
    ("California-based", "adjective"), ("Battle of Kabul", "event"), ("Siege of Tuzla", "event"),
    ("North", "direction"), ("Syrian Civil War", "war"), ("United States Armed Forces", "organisation"),
    ("South Tower", "building"), ("the north", "not a name"),
])
def test_words_that_are_not_places(name, why):
    assert why in webmap.not_a_place(name)


@pytest.mark.parametrize("name", ["Kabul", "al-Bab", "Takhar Province", "Panjshir Valley", "South Waziristan"])
def test_place_names_are_places(name):
    assert webmap.not_a_place(name) is None


def test_citation_marks_are_cleaned():
    assert webmap.clean_name("Al-Bab.[175") == "Al-Bab"
    assert webmap.clean_name("Tuzla[3]") == "Tuzla"


def test_edits():
    assert webmap._edits1("tadef", "tedef")
    assert webmap._edits1("badghis", "badgihs")
    assert not webmap._edits1("kabul", "kunduz")


def test_countries_towns_and_provinces_are_located(geo):
    found = webmap.locate_all(geo, ["Pakistan", "Kandahar", "Kabul", "Takhar Province", "Battle of Kabul"])
    assert found["Pakistan"]["kind"] == "country" and found["Pakistan"]["country"] == "PK"
    assert found["Kandahar"]["kind"] == "city" and found["Kandahar"]["country"] == "AF"
    assert found["Battle of Kabul"]["kind"] == "not_place"
    if webmap.node_modules() is None:
        pytest.skip("province outlines need `make install` (npm ci)")
    assert found["Takhar Province"]["kind"] == "admin1" and found["Takhar Province"]["country"] == "AF"


def test_a_namesake_abroad_is_not_taken(geo):
    # "Arima" is a town in Trinidad; among places in Syria it is a village there, not the town abroad
    found = webmap.locate_all(geo, ["Aleppo", "Raqqa", "Homs", "Arima"])
    assert found["Aleppo"]["country"] == "SY"
    assert found["Arima"].get("country") != "TT"


def test_an_unknown_place_is_put_near_the_place_written_beside_it(geo):
    text = "The rebels took Qarqoosh, a village north of Kandahar, in May."
    start = text.index("The")
    ev = NS(doc="d.txt", start=start, end=len(text))
    events = [NS(id="e1", place="Qarqoosh", evidence=[ev]), NS(id="e2", place="Kandahar", evidence=[ev]),
              NS(id="e3", place="California-based", evidence=[ev])]
    out = webmap.places(geo, events, {"d.txt": text})
    near = {p["name"]: p for p in out["located"]}
    assert near["Qarqoosh"]["approximate"] and near["Qarqoosh"]["near"] == "Kandahar"
    assert [p["name"] for p in out["not_places"]] == ["California-based"]


def test_library_files_are_served_by_allow_list_only(example_db):
    from fastapi.testclient import TestClient

    from conflictlens.api import create_app

    c = TestClient(create_app(example_db, time_limit=60))
    for bad in ("/vendor/..%2Fpackage.json", "/vendor/package.json", "/vendor/cytoscape",
                "/node_modules/leaflet/package.json"):
        assert c.get(bad).status_code == 404, bad
    status = c.get("/api/vendor").json()
    assert set(status) == set(webmap.VENDOR)
    if all(status.values()):
        r = c.get("/vendor/leaflet.js")
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript")
    o = c.get("/api/overview").json()
    for _ in range(300):  # the camps are worked out beside the server: "pending" until then
        if not o["pending"]:
            break
        time.sleep(0.1)
        o = c.get("/api/overview").json()
    assert len(o["sides"]) == 2 and all(s["members"] for s in o["sides"])
    assert all(m["fact"] for s in o["sides"] for m in s["members"][:3])
    p = c.get("/api/places").json()
    assert {"located", "unlocated", "not_places", "countries"} <= set(p)
