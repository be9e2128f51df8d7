"""A person's forces stand for the group the person leads.

"Fighting against the forces of X", "X's troops took the town": the relation is with the
armed group X leads, not with X in person. After a document's relations are read, a
relation whose person participant appears in its evidence only inside such a phrase is
moved to the group the document says the person leads (its ``leads`` relations, else the
side of an infobox commander line), when that group is unique at the relation's date.
Anything unclear leaves the relation as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import lru_cache

from .. import lexicons
from ..records import Document, Event, Evidence, LocalActor, Mention, Relation

#: relations about the person in person (their office, their side), never moved
_PERSONAL = {"leads", "member_of", "part_of"}
#: what a person may lead whose forces they are (not an ethnic group, not a person)
_GROUP_TYPES = {"armed_group", "military_unit", "government", "state", "organisation",
                "political_party", "alliance"}


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern, re.Pattern]:
    nouns = "|".join(sorted(lexicons.words("relations_force_nouns"), key=len, reverse=True))
    # "... forces of (the) [Title] X", "troops loyal to X", "men under (the command of) X",
    # "the forces of Y and X"
    before = re.compile(
        rf"\b(?:{nouns})\s+(?:of|loyal\s+to|under(?:\s+the\s+command\s+of)?)\s+(?:the\s+)?"
        r"(?:[^,.;:()]{1,40}?\s+and\s+)?$", re.IGNORECASE)
    # "X's (Uzbek) forces", "X's and Y's forces"
    after = re.compile(
        r"^['’]s?(?:\s+and\s+[^,.;:()]{1,40}?['’]s?)?\s+(?:[\w-]+\s+)?"
        rf"(?:{nouns})\b", re.IGNORECASE)
    return before, after


def in_forces_phrase(text: str, start: int, end: int) -> bool:
    """Whether the name at ``text[start:end]`` is the owner of a forces phrase."""
    before, after = _patterns()
    return bool(before.search(text[max(0, start - 80):start])
                or after.match(text[end:end + 60]))


def _holds(start: str | None, end: str | None, when: str) -> bool:
    """Whether span ``start``–``end`` (open where None) holds at date ``when``."""
    def cut(a: str, b: str) -> tuple[str, str]:
        n = min(len(a), len(b))
        return a[:n], b[:n]
    if start and cut(start, when)[0] > cut(start, when)[1]:
        return False
    return not (end and cut(end, when)[0] < cut(end, when)[1])


def _led_group(cands: list[Relation], when: str | None) -> str | None:
    """The one group of ``cands`` (leads relations of one person) at date ``when``."""
    groups = {r.target for r in cands}
    if len(groups) == 1:
        return next(iter(groups))
    if not when:
        return None
    held = [r for r in cands if _holds(r.start, r.end, when)]
    if len({r.target for r in held}) == 1:
        return held[0].target
    # several open spans: the latest begun one has taken over ("created X in 1996")
    dated = [r for r in held if r.start]
    if not dated or len(dated) < len(held):
        return None
    last = max(r.start for r in dated)
    top = {r.target for r in dated if r.start == last}
    return next(iter(top)) if len(top) == 1 else None


def _commander_sides(document: Document, relations: Iterable[Relation],
                     types: dict[str, str]) -> dict[str, list[Relation]]:
    """Person -> the sides their infobox commander line puts them on."""
    lines = [(f.start, f.end) for f in document.infobox
             if f.key.strip().lower().startswith("commander")]
    out: dict[str, list[Relation]] = {}
    for r in relations:
        if r.relation != "member_of" or types.get(r.target) not in _GROUP_TYPES:
            continue
        ev = r.evidence[0] if r.evidence else None
        if ev and any(s <= ev.start < e or ev.start <= s < ev.end for s, e in lines):
            out.setdefault(r.source, []).append(r)
    return out


def forces_replacer(document: Document, actors: Iterable[LocalActor], mentions: Iterable[Mention],
              relations: list[Relation]) -> Callable[[str, Evidence, str | None], str | None] | None:
    """A function (actor key, evidence, date) -> the group the person leads there, or None."""
    types = {a.key: a.type for a in actors}
    leads: dict[str, list[Relation]] = {}
    for r in relations:
        if r.relation == "leads" and types.get(r.source) == "person" \
                and types.get(r.target) in _GROUP_TYPES:
            leads.setdefault(r.source, []).append(r)
    sides = _commander_sides(document, relations, types)
    if not leads and not sides:
        return None
    by_key: dict[str, list[Mention]] = {}
    for m in mentions:
        if m.key in leads or m.key in sides:
            by_key.setdefault(m.key, []).append(m)
    text = document.text

    def group_of(person: str, ev: Evidence, when: str | None) -> str | None:
        if person not in by_key:
            return None
        inside = [m for m in by_key[person] if ev.start <= m.start and m.end <= ev.end]
        if not inside or not all(in_forces_phrase(text, m.start, m.end) for m in inside):
            return None
        return _led_group(leads.get(person) or sides[person], when)
    return group_of


def led_forces(document: Document, actors: Iterable[LocalActor], mentions: Iterable[Mention],
               relations: list[Relation], group_of=None) -> list[Relation]:
    """``relations`` with a person named only as "the forces of P" replaced by P's group
    (``group_of``: a :func:`forces_replacer` already built for this document)."""
    group_of = group_of or forces_replacer(document, actors, mentions, relations)
    if group_of is None:
        return relations
    out: list[Relation] = []
    for rel in relations:
        if rel.relation not in _PERSONAL and rel.evidence:
            ev = rel.evidence[0]
            source = group_of(rel.source, ev, rel.start) or rel.source
            target = group_of(rel.target, ev, rel.start) or rel.target
            if (source, target) != (rel.source, rel.target) and source != target:
                rel = replace(rel, source=source, target=target)
        out.append(rel)
    return out


def led_forces_events(document: Document, actors: Iterable[LocalActor],
                      mentions: Iterable[Mention], relations: list[Relation],
                      events: list[Event], group_of=None) -> list[Event]:
    """``events`` whose agent or target is a person named only as "P's forces": P's group."""
    group_of = group_of or forces_replacer(document, actors, mentions, relations)
    if group_of is None:
        return events
    out: list[Event] = []
    for e in events:
        if e.evidence:
            ev, when = e.evidence[0], (e.time.value if e.time else None)
            agents = _unique([group_of(a, ev, when) or a for a in e.agents])
            targets = _unique([group_of(t, ev, when) or t for t in e.targets])
            if (agents != e.agents or targets != e.targets) and not set(agents) & set(targets):
                e = replace(e, agents=agents, targets=targets)
        out.append(e)
    return out


def _unique(keys: list[str]) -> list[str]:
    return list(dict.fromkeys(keys))
