"""Relations that events and war names imply: who fought whom, read off what happened.

Two sources, both over facts already extracted from one document:

- **events** (:func:`relations_from_events`): an attack, a battle, an invasion or a
  capture *from* someone (``events_fights.tsv``) between an agent and a target is a
  ``fights`` relation between them, dated by the event and sourced by its sentence.
  Only sides can fight: a target
  that is a place (a town the gazetteer knows, "X Province") or a population (an ethnic
  group that names no state) is no side, and an agent and target the document already
  ties together (one part of, member of, led by or allied with the other) are one side.
- **war names** (:func:`named_war_relations`): "the Serbo-Bulgarian War (1885)", "the
  Iran–Iraq war (1980–88)", "the Russo-Turkish War, 1877–1878" name both warring states
  by combining forms (``conflict_forms.tsv``: Serbo-, Sino-, Anglo- …), demonyms or
  country names, and often the span. Both states must be actors of the document; the war
  itself is not made an actor.

References:
    Deriving dyadic conflict relations from event data follows the practice of UCDP's
    dyads and of ACLED/ICEWS event aggregation (an interaction event between two actors
    is evidence of their conflict dyad at that time).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from .. import lexicons
from ..gazetteer import is_place_name
from ..records import Document, Event, LocalActor, Relation, TimeExpr, sentence_evidence
from .actor_aliases import state_word
from .actors import country_code, demonym_state, norm

__all__ = ["named_war_relations", "relations_from_events"]

#: Relations that put two actors on one side: no fight between them is read from an event.
_SAME_SIDE = frozenset({"part_of", "member_of", "leads", "allied_with", "supports", "controls"})


@lru_cache(maxsize=1)
def _fight_types() -> dict[str, str | None]:
    """Event type → the preposition its side-target follows (None: any target)."""
    return {r[0].upper(): (r[1].lower() if len(r) > 1 and r[1] != "-" else None)
            for r in lexicons.rows("events_fights")}


def _after(prep: str, actor: LocalActor, quote: str) -> bool:
    """Is ``actor`` named in ``quote`` right after ``prep`` ("taken from the Burmese")?"""
    for name in (actor.name, *actor.aliases):
        pattern = rf"\b{re.escape(prep)}\s+(?:the\s+)?{re.escape(name)}\b"
        if re.search(pattern, quote, re.I):
            return True
    return False


def relations_from_events(events: Iterable[Event], actors: Iterable[LocalActor],
                          relations: Iterable[Relation]) -> list[Relation]:
    """``fights`` between the agents and targets of the document's attacks and battles.

    Args:
        events: the document's events (local actor keys).
        actors: the document's actors, for their types and names.
        relations: the relations already read from the document: pairs tied as one side
            are skipped, and a fight already read from the same sentence is not repeated.

    Returns:
        One relation per (agent, target) pair and event, the event's sentence as evidence,
        its date as start (its end date as end when the event spans a range).
    """
    by_key = {a.key: a for a in actors}
    relations = list(relations)
    same_side = {frozenset((r.source, r.target)) for r in relations if r.relation in _SAME_SIDE}
    known = {(frozenset((r.source, r.target)), r.evidence[0].start) for r in relations
             if r.relation == "fights" and r.evidence}
    undated = _undated_fights(relations)
    states = [a for a in by_key.values() if a.type == "state"]
    out: list[Relation] = []
    for e in events:
        if e.type not in _fight_types() or e.status != "happened" or not e.evidence:
            continue
        ev = e.evidence[0]
        prep = _fight_types()[e.type]
        targets = [*e.targets, *_attacked_into(e, states)] if e.agents else []
        for a in e.agents:
            for t in targets:
                if prep and not (t in by_key and _after(prep, by_key[t], ev.quote)):
                    continue
                pair = frozenset((a, t))
                if a == t or pair in same_side or pair in undated or (pair, ev.start) in known:
                    continue
                battle = e.type == "BATTLE"
                if not (_side(by_key.get(a), ev.quote, battle)
                        and _side(by_key.get(t), ev.quote, battle)):
                    continue
                known.add((pair, ev.start))
                start, end = _span(e.time)
                out.append(Relation(a, "fights", t, [ev], start=start, end=end, time=e.time))
    return out


#: Types of actors that can be a warring side. An "organisation" read as the target of an
#: attack is mostly a region the tagger took for a name ("besieged the Hazarajat").
_SIDE_TYPES = frozenset({"state", "government", "armed_group", "military_unit", "person",
                         "political_party", "intelligence_agency"})
#: Nouns whose "of" object names where a fight took place: "the battle of X".
_PLACE_OF = re.compile(r"\b(?:battles?|sieges?|fall|capture)\s+of\s+(?:the\s+)?"
                       r"(?:[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*(?:,\s*|\s+and\s+))*$")


def _attacked_into(e: Event, states: list[LocalActor]) -> list[str]:
    """"counter-attacked into X": the state X an attack crossed into is the side attacked
    (the parse makes X the attack's place)."""
    quote = e.evidence[0].quote
    if e.type not in ("ATTACK", "INVADE") or not e.trigger \
            or not re.search(rf"\b{re.escape(e.trigger)}\s+into\b", quote):
        return []
    out = []
    for a in states:
        if a.key not in e.targets and any(
                re.search(rf"\b{re.escape(e.trigger)}\s+into\s+(?:the\s+)?{re.escape(n)}\b",
                          quote) for n in (a.name, *a.aliases)):
            out.append(a.key)
    return out


def _undated_fights(relations: Iterable[Relation]) -> set[frozenset[str]]:
    """Pairs the document already says fought, without a date. ``resolve`` folds an undated
    statement into the first dated one of its pair: a date read from an event or a war's
    name elsewhere would re-date it, maybe to another war of the same two sides."""
    return {frozenset((r.source, r.target)) for r in relations
            if r.relation == "fights" and not (r.start or r.end)}


def _side(actor: LocalActor | None, quote: str, battle: bool) -> bool:
    """Can ``actor`` be a warring side? Not a place, not a population attacked."""
    if actor is None or is_place_name(actor.name):
        return False  # a town the tagger took for a name: "besieged Kandahar"
    at = quote.find(actor.name)
    if at >= 0 and _PLACE_OF.search(quote, 0, at):
        return False
    if actor.type == "ethnic_group":
        # "defeating the Ottomans": a people that gives battle is a side; one attacked
        # may be civilians, unless its name stands for a state ("the Russians")
        return battle or demonym_state(actor.name) is not None
    return actor.type in _SIDE_TYPES


def _span(t: TimeExpr | None) -> tuple[str | None, str | None]:
    if t is None or not t.value or t.modifier in ("BEFORE", "AFTER"):
        return None, None
    return t.value, t.value_end


# ------------------------------------------------------------------------- war names

_DASHES = "-–—‐‑"
_WAR_NAME = re.compile(
    rf"(?:\b(\d{{4}})\s+)?\b([A-Z][a-z]+)[{_DASHES}]([A-Z][a-z]+)\s+(?:[Ww]ar|[Cc]onflict)\b"
    rf"(?:(?:\s+of|,|\s*\()\s*(\d{{4}})(?:\s*[{_DASHES}]\s*(\d{{2,4}}))?)?")


@lru_cache(maxsize=1)
def _forms() -> dict[str, tuple[str, tuple[tuple[str, int], ...]]]:
    """Combining form (lower case) → (state, ((earlier state, until year), …))."""
    out = {}
    for row in lexicons.rows("conflict_forms"):
        earlier = []
        for spec in row[2:]:
            name, _, year = spec.rpartition(":")
            if name and year.isdigit():
                earlier.append((name, int(year)))
        out[row[0].lower()] = (row[1], tuple(earlier))
    return out


def _states(word: str, year: int | None) -> list[str]:
    """The state names a side of a war name may stand for, the likeliest first."""
    form = _forms().get(word.lower())
    if form is not None:
        state, earlier = form
        names = [n for spec, until in earlier if year is not None and year < until
                 for n in spec.split("|")]
        return [*names, state]
    state = state_word(word)
    return [state] if state else []


def _one_state(first: str, second: str) -> bool:
    """Do the two words name one state ("Guinea-Bissau", "Austro-Hungarian")?"""
    if country_code(f"{first}-{second}"):
        return True
    form = _forms().get(first.lower())
    names = [form[0], *(n for spec, _ in form[1] for n in spec.split("|"))] if form else []
    seconds = set(_states(second, None))
    return any(seconds & set(n.split("-")) for n in names if "-" in n)


def _actor_index(actors: Iterable[LocalActor]) -> tuple[dict[str, str], dict[str, str]]:
    """Actors of the document by normalised name and by ISO code of the state they name."""
    by_name: dict[str, str] = {}
    by_code: dict[str, str] = {}
    # states first: "Turks" (a people) never takes the name a state has
    for a in sorted(actors, key=lambda a: a.type != "state"):
        if a.type not in ("state", "government", "ethnic_group"):
            continue
        for n in (a.name, *a.aliases):
            by_name.setdefault(norm(n), a.key)
            code = country_code(n)
            if code and a.type == "state":
                by_code.setdefault(code, a.key)
    return by_name, by_code


def _find(word: str, year: int | None, by_name: dict[str, str],
          by_code: dict[str, str]) -> str | None:
    for state in _states(word, year):
        key = by_name.get(norm(state))
        if key is None and (code := country_code(state)):
            key = by_code.get(code)
        if key is not None:
            return key
    return None


def named_war_relations(sdoc, document: Document, actors: Iterable[LocalActor],
                        relations: Iterable[Relation] = (),
                        skipped: Iterable[tuple[int, int]] = ()) -> list[Relation]:
    """``fights`` between the two states a war's name joins ("the Sino-Indian War").

    Args:
        sdoc: the spaCy ``Doc`` of the document (its sentences give the evidence).
        document: the document read; evidence points into its text.
        actors: the document's actors; both sides must be among its states.
        relations: the relations already read (a pair said to fight undated is kept so).
        skipped: character spans that state nothing (reference lists).

    Returns:
        One relation per war name, the sentence naming it as evidence, the years written
        after the name ("War of 1911–1912", "war (1980–88)") as its span.
    """
    by_name, by_code = _actor_index(actors)
    undated = _undated_fights(relations)
    skipped = list(skipped)
    out: list[Relation] = []
    text = document.text
    for m in _WAR_NAME.finditer(text):
        if any(a <= m.start() < b for a, b in skipped):
            continue
        if _one_state(m.group(2), m.group(3)):
            continue  # "the Austro-Hungarian war effort": one side named
        first = m.group(4) or m.group(1)  # "War of 1911–1912", "the 1962 … War"
        start_year = int(first) if first else None
        a = _find(m.group(2), start_year, by_name, by_code)
        b = _find(m.group(3), start_year, by_name, by_code)
        if a is None or b is None or a == b or frozenset((a, b)) in undated:
            continue
        start, end = _years(first, m.group(5) if m.group(4) else None)
        sent = sdoc.char_span(m.start(), m.end(), alignment_mode="expand")
        lo, hi = (sent.sent.start_char, sent.sent.end_char) if sent is not None \
            else (m.start(), m.end())
        ev = sentence_evidence(document.name, text, lo, hi)
        out.append(Relation(a, "fights", b, [ev], start=start, end=end))
    return out


def _years(first: str | None, last: str | None) -> tuple[str | None, str | None]:
    """"1980", "88" → ("1980", "1988"); an end before the start is no range."""
    if not first:
        return None, None
    if not last:
        return first, None
    end = first[: 4 - len(last)] + last
    return (first, end) if end > first else (first, None)
