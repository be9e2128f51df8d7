"""Acceptance checks of the web app's views in Debian's chromium (issue 19), on the example
corpus and on a second corpus about another war (a dev document, else articles of the shared
scale corpus, when present): no two visible node labels of the network overlap at three years,
and they are at least 12 px on screen; every timeline item in view has a visible label, and no
two labels cover each other; the map draws borders and locates ≥ 90 % of the places named in
events; the overview lists both sides, named by their leading members, with sources. The
same checks hold on a phone (390×844). Screenshots at 1440×900 and 390×844 go to
``build/screenshots/``.

One server and one browser page per corpus: the views are reached by changing the address's
hash (as a user clicks through the app), the phone size by resizing that page; a fresh load
only opens each corpus.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.test_web import ARGS, CHROMIUM, _serve, sync_api  # skips as test_web does

SHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"
DEV = Path("/work/shared/corpus/dev/sino-indian-war")
SCALE = Path("/work/shared/corpus/scale")
WAR = ("Battle_of_Kirkuk_(2016).txt", "Hamam_al-Alil_massacre.txt", "Battle_of_al-Bab.txt")
SIZES = {"wide": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def war_db(tmp_path_factory, parse_cache):
    from conflictlens.pipeline import build

    folder = tmp_path_factory.mktemp("war")
    if DEV.is_dir():
        files = sorted(DEV.glob("*.txt"))
    elif all((SCALE / n).exists() for n in WAR):
        files = [SCALE / n for n in WAR]
    else:
        pytest.skip(f"no second war's articles at {DEV} or {SCALE}")
    for f in files:
        shutil.copy(f, folder / f.name)
    db = tmp_path_factory.mktemp("kbwar") / "war.db"
    build([folder], db, cache_dir=parse_cache, n_process=1)
    return db


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()


def _watch(pg, errors: list[str]) -> None:
    """Page errors, console errors (a CSP refusal, a missing file) and requests leaving the
    server go to ``errors``."""
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("console", lambda m: errors.append(m.text)
          if m.type == "error" and "/api/" not in m.location.get("url", "") else None)
    pg.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("http://127.0.0.1", "data:"))
             else (errors.append(route.request.url), route.abort()))


@pytest.fixture(scope="module", params=["example", "war"])
def app(request, browser, example_db):
    """(corpus name, page, errors): one server and one page per corpus."""
    db = example_db if request.param == "example" else request.getfixturevalue("war_db")
    for base in _serve(db):
        ctx = browser.new_context(viewport=SIZES["wide"])
        pg = ctx.new_page()
        errors: list[str] = []
        _watch(pg, errors)
        pg.goto(f"{base}/#/overview")
        pg.wait_for_selector("body[data-ready='overview']", timeout=30000)
        yield request.param, pg, errors
        ctx.close()


@pytest.fixture
def page(app):
    name, pg, errors = app
    pg.set_viewport_size(SIZES["wide"])
    yield name, pg
    assert not errors, errors


def _show(page, view: str, tag: str = "") -> None:
    """Go to ``view`` by the address's hash (a new ``tag`` draws it again at a new size)."""
    page.evaluate("(h) => { location.hash = h; }", f"#/{view}{'?' + tag if tag else ''}")
    page.wait_for_selector(f"body[data-ready='{view}']", timeout=30000)
    assert not page.locator("#view .error, #lib-missing").count()


def _phone(page, name: str, view: str) -> None:
    """The wide screenshot, then the view drawn afresh at the phone's size and its screenshot."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{view}-1440.png"))
    if page.locator("#panel").is_visible():
        page.locator("#panel-close").click()
    page.set_viewport_size(SIZES["phone"])
    _show(page, view, "phone")


def _phone_shot(page, name: str, view: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}-{view}-390.png"))


#: Each labelled node's label box, and its font size on screen.
LABEL_BOXES = """() => window.clCy.nodes('.labelled').filter(n => !n.hasClass('off')).map(n => {
  const b = n.boundingBox({includeLabels: true, includeNodes: false, includeEdges: false});
  return [n.data('name'), b.x1, b.y1, b.x2, b.y2, parseFloat(n.renderedStyle('font-size'))]; })"""
#: Each timeline item: its label, whether it is in view, the label's width shown and needed
#: (cut by its item when the item clips it), and its box within the timeline.
TIMELINE_ITEMS = """() => {
  const box = document.querySelector('#timeline-box .vis-center').getBoundingClientRect();
  const sel = ['vis-box', 'vis-range', 'vis-cluster'].map(c => `#timeline-box .vis-item.${c}`).join(', ');
  return [...document.querySelectorAll(sel)].map(n => {
    const r = n.getBoundingClientRect(), c = n.querySelector('.vis-item-content') || n, t = c.getBoundingClientRect();
    const frame = n.querySelector('.vis-item-overflow');
    const clip = frame && getComputedStyle(frame).overflow === 'hidden' ? r : t;
    const inView = r.right > box.left && r.left < box.right && r.bottom > box.top && r.top < box.bottom;
    return {text: c.innerText.trim(), inView, need: c.scrollWidth,
            w: Math.min(t.right, clip.right) - Math.max(t.left, clip.left),
            rect: [Math.max(t.left, box.left), t.top, Math.min(t.right, box.right), t.bottom]}; }); }"""


def _labels_apart(page, where: str) -> None:
    boxes = page.evaluate(LABEL_BOXES)
    assert boxes, f"no labelled node {where}"
    for i, a in enumerate(boxes):
        assert a[5] >= 11.5, f"{where}: the label of {a[0]!r} is {a[5]:.1f} px on screen"
        for b in boxes[i + 1:]:
            overlap = min(a[3], b[3]) - max(a[1], b[1]) > 0.5 and min(a[4], b[4]) - max(a[2], b[2]) > 0.5
            assert not overlap, f"{where}: labels of {a[0]!r} and {b[0]!r} overlap"


def test_network_labels_never_overlap(page):
    name, pg = page
    _show(pg, "network")
    lo, hi = int(pg.get_attribute("#year", "min")), int(pg.get_attribute("#year", "max"))
    # three years that have ties to draw: the first, the middle and the last of them
    hide = ",".join(pg.eval_on_selector_all("input[data-rel]:not(:checked)", "xs => xs.map(x => x.dataset.rel)"))
    full = [y for y in range(lo, hi + 1) if pg.evaluate(
        "([y, h]) => fetch(`/api/network?compact=1&undated=false&year=${y}&hide=${h}`).then(r => r.json())"
        ".then(n => n.edges.length)", [y, hide])] if hi - lo < 400 else [lo, hi]
    assert full, "no year has a tie to draw"
    for year in sorted({full[0], full[len(full) // 2], full[-1]}):
        pg.locator("#year").fill(str(year))
        pg.wait_for_selector(f"#network-box[data-year='{year}']")
        _labels_apart(pg, f"in {year}")
    _phone(pg, name, "network")
    _labels_apart(pg, "on a phone")
    _phone_shot(pg, name, "network")


def _timeline_labels(page, where: str) -> None:
    items = page.evaluate(TIMELINE_ITEMS)
    shown = [x for x in items if x["inView"]]
    assert len(shown) >= 3, where
    for x in shown:
        # a label, not cut by its item (at least 20 px of it)
        assert x["text"] and x["w"] >= min(x["need"], 20) - 0.5, (where, x)
    for i, a in enumerate(shown):
        for b in shown[i + 1:]:
            ra, rb = a["rect"], b["rect"]
            overlap = min(ra[2], rb[2]) - max(ra[0], rb[0]) > 1 and min(ra[3], rb[3]) - max(ra[1], rb[1]) > 1
            assert not overlap, f"{where}: labels {a['text']!r} and {b['text']!r} overlap"


#: What the timeline draws for a vague date: [start, end] (ISO), end null for a point.
VAGUE = """() => [
  ['1995', 'year', 'START'], ['1990', 'decade'], ['2000', 'decade', null, '2090'], ['0000', 'decade', null, '0090'],
  ['1996-09', 'month', 'END'], ['1996-09-27', 'day'], ['1996', 'year', 'BEFORE'], ['1550', 'year', null, '1552'],
].map(([value, precision, modifier, value_end]) => eventDates({value, precision, modifier, value_end}))
 .map(d => [d.start.toISOString().slice(0, 10), d.end && d.end.toISOString().slice(0, 10)])"""


def test_timeline_items_in_view_have_labels(page):
    name, pg = page
    _show(pg, "timeline")
    _timeline_labels(pg, "wide")
    # vague dates are the spans they stand for ("early 1995", "the 1990s", "the 21st century",
    # "the 1st century", "late September 1996"); a day and "by 1996" are points
    spans = pg.evaluate(VAGUE)
    assert spans[0][0] == "1995-01-01" and spans[0][1].startswith("1995-05")
    assert spans[1:4] == [["1990-01-01", "2000-01-01"], ["2000-01-01", "2100-01-01"], ["0000-01-01", "0100-01-01"]]
    assert spans[4][0].startswith("1996-09-2") and spans[4][1] == "1996-10-01"
    assert spans[5] == ["1996-09-27", None] and spans[6] == ["1996-01-01", None]
    assert spans[7] == ["1550-01-01", "1553-01-01"]
    kinds = pg.evaluate("() => window.clState().timeline.itemsData.get().map(i => [i.type, i.className])")
    assert any(t == "range" and "vague" in c for t, c in kinds)
    _phone(pg, name, "timeline")
    _timeline_labels(pg, "on a phone")
    _phone_shot(pg, name, "timeline")


def test_map_draws_borders_and_locates_places(page):
    name, pg = page
    _show(pg, "map")
    assert pg.locator("path.country-outline").count() > 20
    places = pg.evaluate("fetch('/api/places').then(r => r.json())")
    located, total = len(places["located"]), len(places["located"]) + len(places["unlocated"])
    assert total and located / total >= 0.9, places["unlocated"]
    # names that are not places are listed apart, never drawn
    assert not {p["name"] for p in places["not_places"]} & {p["name"] for p in places["located"]}
    assert pg.locator(".place").count() > 0
    _phone(pg, name, "map")
    assert pg.locator(".place").count() > 0
    _phone_shot(pg, name, "map")


def test_overview_lists_both_sides_with_sources(page):
    name, pg = page
    _show(pg, "overview")
    pg.wait_for_selector("#sides .side", timeout=30000)  # the sides come when the server has them
    sides = pg.locator("#sides .side")
    assert sides.count() == 2
    for i in range(2):
        assert sides.nth(i).locator(".members li").count() > 0
        assert sides.nth(i).locator("a.fact-link").count() > 0
        # named by its leading members, not "X's side"
        title = sides.nth(i).locator("h2").inner_text().strip()
        first = sides.nth(i).locator(".members li a.actor-link").first.inner_text().strip()
        assert "'s side" not in title and title, title
        assert first in title or any(n in title for n in sides.nth(i).locator(".members li a.actor-link")
                                     .all_inner_texts()[:6]), (title, first)
    sides.nth(0).locator("a.fact-link").first.click()
    pg.locator("#panel .evidence .quote").first.wait_for()
    _phone(pg, name, "overview")
    pg.wait_for_selector("#sides .side", timeout=30000)
    assert pg.locator("#sides .side").count() == 2
    _phone_shot(pg, name, "overview")
