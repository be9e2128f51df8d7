"""Places that a text shows to be polities: a place with a ruler of its own.

Before modern borders a principality, khanate or kingdom acts in a war: "the Maharaja of X",
"X, whose ruler ...", "X's ruler". The gazetteer knows such names only as regions, so the
tagger's GPE/LOC mention is dropped as a place; once the text gives the place a ruler, its
mentions are a state's.
"""

from __future__ import annotations

import re

#: Titles of a sovereign ruler (not of nobility: "the Duke of X" names no polity).
_RULER = (r"(?:[Mm]aharaja|[Mm]aharajah|[Rr]aja|[Rr]ajah|[Kk]ing|[Qq]ueen|[Ss]ultan|[Ee]mir|[Aa]mir|[Kk]han"
          r"|[Ss]hah|[Nn]awab|[Nn]izam|[Tt]sar|[Cc]zar|[Kk]hedive|[Mm]ehtar|[Mm]ir|[Bb]ey|[Dd]ey|[Rr]uler)")
_NAME = r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?"
_RULED = re.compile(
    rf"\b{_RULER}\s+of\s+(?P<a>{_NAME})\b"  # "the Maharaja of X"
    rf"|\b(?P<b>{_NAME})(?:['’]s\s+(?:[a-z]+\s+)?ruler\b|,\s+whose\s+(?:[a-z]+\s+)?ruler\b)"
    rf"|\bthe\s+(?P<c>{_NAME})\s+(?:ruler|strongman)\s+[A-Z]")  # "the X strongman <Name>"


def ruled_places(text: str) -> set[str]:
    """Names the text gives a ruler of their own."""
    return {m.group("a") or m.group("b") or m.group("c") for m in _RULED.finditer(text)}


_OFFICE_BEFORE = re.compile(rf"{_RULER}\s+of\s+$")


def polity_mentions(text: str, names: set[str]) -> list[tuple[str, int, int]]:
    """``(name, start, end)`` of every whole-word mention of the ruled ``names``, but not the
    one in "the Maharaja of X": that is the ruler's office, an actor of its own."""
    out = []
    for name in names:
        out += [(name, m.start(), m.end()) for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text)
                if not _OFFICE_BEFORE.search(text, max(0, m.start() - 20), m.start())]
    return sorted(out, key=lambda t: t[1])
