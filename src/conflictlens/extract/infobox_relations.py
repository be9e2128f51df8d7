"""Relations read from the sides of a Wikipedia-style infobox (combatants, commanders, units)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import combinations

from ..records import Document, Evidence, InfoboxField, Mention, Relation, sentence_evidence
from .arguments import MentionIndex
from .time import Narrative

__all__ = ["date_infobox_relation", "drop_subsumed_infobox", "infobox_relations"]


def drop_subsumed_infobox(rels: list[Relation], document: Document) -> list[Relation]:
    """Fold an infobox ``member_of`` into the ``leads`` that the prose states for it.

    A commander line says only which side someone fought for; when the text says they
    led that side ("X was headed by A"), membership is a weaker copy of the same fact:
    the infobox line becomes one more evidence of the leadership.
    """
    lines = [(f.line_start, f.line_end) for f in document.infobox]

    def from_infobox(r: Relation) -> bool:
        ev = r.evidence[0]
        return any(a <= ev.start < b for a, b in lines)

    led: dict[tuple[str, str], Relation] = {}
    for r in rels:
        if r.relation == "leads" and not from_infobox(r):
            led.setdefault((r.source, r.target), r)
    out = []
    for r in rels:
        lead = led.get((r.source, r.target)) if r.relation == "member_of" and from_infobox(r) else None
        if lead is None:
            out.append(r)
        elif r.evidence[0] not in lead.evidence:
            lead.evidence.append(r.evidence[0])
    return out


def infobox_relations(document: Document, mentions: Iterable[Mention]) -> list[Relation]:
    """Relations read from the sides of an infobox (``Combatant1``, ``Commander2``, ``Units1`` …).

    A mention belongs to the field whose value span holds it. On each side N:

    - the *main combatant* is the first actor of ``CombatantN`` (before any "Supported by");
      when that field names no actor, the first actor of ``UnitsN``;
    - other actors of ``CombatantN`` before "Supported by" are co-belligerents:
      ``allied_with`` the main combatant;
    - actors after "Supported by" ``supports`` the main combatant;
    - actors of ``UnitsN`` are ``member_of`` the main combatant (a unit serves in its side;
      it is not an independent ally), read as a flattened nested list
      (:func:`_unit_structure`): a ``*`` sub-item of another unit is ``part_of`` it, and a
      unit under a lost flag (an empty item) belongs to another belligerent of the side
      and ``fights`` the other sides' main combatants instead;
    - actors of ``CommanderN`` are ``member_of`` the main combatant (the field says which
      side a commander fought for, not what they led);
    - the fighting actors (main combatant and co-belligerents) of different sides ``fights``
      each other.

    Evidence is the whole infobox line (``quote`` is the line's text).

    Args:
        document: the document, with ``infobox`` fields parsed by ingest.
        mentions: actor mentions, including those inside infobox lines.

    Returns:
        Relations in infobox order (possibly with duplicates; :func:`~.relations.extract_relations`
        removes them).
    """
    if not document.infobox:
        return []
    index = MentionIndex(mentions)
    sides: dict[str, dict[str, InfoboxField]] = {}
    for f in document.infobox:
        m = re.fullmatch(r"(combatants?|commanders?|units?|strength)\s*(\d+)", f.key.strip().lower())
        if m:
            kind = m.group(1).rstrip("s")
            sides.setdefault(m.group(2), {})[kind] = f
    text = document.text
    out: list[Relation] = []
    fighters: dict[str, tuple[list[str], Evidence]] = {}
    others: dict[str, tuple[list[str], Evidence]] = {}  # units under a lost flag, per side

    def ev_of(f: InfoboxField) -> Evidence:
        return sentence_evidence(document.name, text, f.line_start, f.line_end)

    for side, fields in sorted(sides.items()):
        main: str | None = None
        allies: list[str] = []
        backers: list[str] = []
        comb = fields.get("combatant")
        if comb:
            cut = re.search(r"supported\s+by|support\s*:|backed\s+by", comb.value, re.I)
            split_at = comb.start + cut.start() if cut else comb.end
            for m in index.in_span(comb.start, comb.end):
                (allies if m.start < split_at else backers).append(m.key)
            allies = list(dict.fromkeys(allies))
            if allies:
                main = allies.pop(0)
        units = fields.get("unit")
        unit_keys = list(dict.fromkeys(m.key for m in index.in_span(units.start, units.end))) if units else []
        if main is None and unit_keys:
            main = unit_keys.pop(0)
        if main is None:
            continue
        if comb:
            ev = ev_of(comb)
            out.extend(Relation(a, "allied_with", main, [ev]) for a in allies if a != main)
            out.extend(Relation(b, "supports", main, [ev]) for b in dict.fromkeys(backers)
                       if b != main and b not in allies)
        if units:
            ev = ev_of(units)
            members, parts, flagged = _unit_structure(units, index, text, main)
            out.extend(Relation(u, "member_of", main, [ev]) for u in members)
            out.extend(Relation(u, "part_of", p, [ev]) for u, p in parts)
            others[side] = (flagged, ev)
        cmd = fields.get("commander")
        if cmd:
            ev = ev_of(cmd)
            keys = dict.fromkeys(m.key for m in index.in_span(cmd.start, cmd.end))
            out.extend(Relation(c, "member_of", main, [ev]) for c in keys if c != main)
        fighters[side] = ([main, *allies], ev_of(comb) if comb else ev_of(units))
    for (_, (a_keys, a_ev)), (_, (b_keys, _)) in combinations(sorted(fighters.items()), 2):
        for a in a_keys:
            for b in b_keys:
                if a != b:
                    out.append(Relation(a, "fights", b, [a_ev]))
    for side, (flagged, ev) in others.items():
        for other, (keys, _) in fighters.items():
            if other != side:
                out.extend(Relation(u, "fights", keys[0], [ev]) for u in flagged if u != keys[0])
    _date_by_side_spans(out, document, index, [f for fields in sides.values() for f in fields.values()])
    return out


_SIDE_SPAN = re.compile(r"\s*\((?:(?P<since>from|since)\s+)?(?P<a>\d{4})(?:\s*[–—-]\s*(?P<b>\d{4}|present))?\)")


def _date_by_side_spans(out: list[Relation], document: Document, index: MentionIndex,
                        fields: list[InfoboxField]) -> None:
    """"Croatia (1994–1995)" on an infobox side: Croatia's relations of that side hold for
    those years, not for the whole war. A relation between two actors with spans holds
    where both do."""
    spans: dict[str, tuple[str, str | None]] = {}
    text = document.text
    for f in fields:
        for m in index.in_span(f.start, f.end):
            g = _SIDE_SPAN.match(text, m.end, f.end)
            if g:
                b = g.group("b") or (None if g.group("since") else g.group("a"))  # "(1994)": that year
                end = None if b == "present" else b
                spans.setdefault(m.key, (g.group("a"), end))
    for rel in out:
        own = [spans[k] for k in (rel.source, rel.target) if k in spans]
        if own and rel.start is None and rel.end is None:
            rel.start = max(a for a, _ in own)
            ends = [b for _, b in own if b]
            rel.end = min(ends) if ends else None


def _unit_structure(units: InfoboxField, index: MentionIndex, text: str, main: str
                    ) -> tuple[list[str], list[tuple[str, str]], list[str]]:
    """Read a ``UnitsN`` field as the nested list it was before it was flattened.

    Items are separated by commas; ``*`` marks a sub-item of the item above it, and an
    empty item is a flag or icon that the flattening lost — the header of a group whose
    name is gone. So:

    - a unit in the main combatant's group (the field's start, or after the main
      combatant is named) is ``member_of`` the main combatant;
    - a ``*`` sub-item under another named unit is ``part_of`` that unit ("ISI, * Covert
      Action Division");
    - a unit under a lost header belongs to another belligerent of the same side, not to
      the main combatant: it is returned as *flagged* (it fights the other side).

    Args:
        units: the infobox field.
        index: actor mentions.
        text: the document text (the field's value span points into it).
        main: the side's main combatant.

    Returns:
        ``(members, [(part, whole)], flagged)``, each actor once.
    """
    members: list[str] = []
    parts: list[tuple[str, str]] = []
    flagged: list[str] = []
    top: str | None = main
    in_main = True
    pos = units.start
    for raw in text[units.start:units.end].split(","):
        lo, hi = pos, pos + len(raw)
        pos = hi + 1
        star = raw.lstrip().startswith("*")
        keys = [k for k in dict.fromkeys(m.key for m in index.in_span(lo, hi))]
        if not keys:
            if not raw.strip(" *\t"):
                if not star:
                    top, in_main = None, False  # a lost flag heads a new group
            else:
                top = None  # a group named by something that is not an actor
            continue
        for key in keys:
            if key == main:
                top, in_main = main, True
                continue
            seen = {u for u in members} | {u for u, _ in parts} | set(flagged)
            if key in seen:
                continue
            if star and top is not None and top != main:
                parts.append((key, top))
            elif star and top is None:
                flagged.append(key)
            elif star or in_main:
                members.append(key)
            else:
                flagged.append(key)
            if not star:
                top = key
    return members, parts, flagged


def date_infobox_relation(rel: Relation, narrative: Narrative) -> None:
    """An infobox side holds for the document's period (its ``Date`` field)."""
    t = narrative.period
    if t is not None and rel.start is None and rel.end is None:
        rel.start, rel.end, rel.time = t.value, t.value_end, t
