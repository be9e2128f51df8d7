"""The time of a relation: the start/end its clause (or the narrative before it) gives."""

from __future__ import annotations

import re

from ..records import TimeExpr
from . import report
from .arguments import clause_verb
from .time import Narrative, in_aside

__all__ = ["said_former", "time_for"]


_RANGE_GAP = re.compile(r"^\s*(?:to|until|till|through|and|-|–|—)\s*$", re.I)
_RANGE_OPEN = re.compile(r"(?:from|between)\s*$", re.I)
_UNTIL = re.compile(r"(?:until|till|up to|before|through)\s*$", re.I)
#: "By 1996 X held Y", "as of 2024 X holds Y": the relation held at that time; it need not
#: have ended then.
_BY = re.compile(r"\bby\s*$", re.I)


#: Adverbs saying a relation no longer holds ("who previously opposed X").
_FORMERLY = frozenset({"previously", "formerly", "once", "earlier", "originally"})


def said_former(trigger) -> bool:
    """Whether the clause stating the relation says it held before, not now."""
    verb = trigger if trigger.pos_ in ("VERB", "AUX") else clause_verb(trigger)
    return verb is not None and any(
        c.dep_ == "advmod" and c.lower_ in _FORMERLY for c in verb.children)


def _pluperfect(trigger) -> bool:
    """Whether the clause stating the relation is in the past perfect ("had defeated")."""
    verb = trigger if trigger.pos_ in ("VERB", "AUX") else clause_verb(trigger)
    return verb is not None and verb.tag_ == "VBN" and any(
        c.dep_ == "aux" and c.lower_ in ("had", "'d") for c in verb.children)


def time_for(trigger, times: list[TimeExpr], text: str, narrative: Narrative | None = None
              ) -> tuple[str | None, str | None, TimeExpr | None]:
    """Start, end and time expression for a relation triggered at ``trigger``.

    The expression nearest the trigger in its clause is used: a range ("from 1996 to
    2001", one expression with ``value_end`` or two joined by to/until) gives start and end;
    "until 2001" / modifier BEFORE gives only the end; anything else ("in 1998", "by 1996",
    "since 1994") the start. A time in parentheses dates only what is inside them. A
    sentence with no time expression at all continues the narrative
    (:meth:`~conflictlens.extract.time.Narrative.time_before`, within its paragraph or the
    lead): the time it gives is a start.

    Args:
        trigger: The token that states the relation.
        times: The time expressions of its sentence.
        text: The document text.
        narrative: The document's :class:`~conflictlens.extract.time.Narrative`.

    Returns:
        ``(start, end, expression)``; ``(None, None, None)`` when nothing dates it.
    """
    now = report.own_clause_present(trigger, times, narrative.dct) if narrative is not None else None
    if now is not None:
        return now.value, None, now  # a dated report's "X has assisted Y": the report's year
    if not times:
        if narrative is None or _pluperfect(trigger):
            # "He had defeated X": before the story's time, which therefore does not date it.
            return None, None, None
        t = narrative.time_before(trigger.sent.start_char, section=False)
        # The relation held at that time; when it ended the sentence does not say.
        return (t.value, None, t) if t is not None else (None, None, None)
    # A parenthetical date is about a name ("the KLA (founded in 1993)"), not the relation.
    times = [t for t in _times_in_scope(trigger, times)
             if not in_aside(text, t.start) or in_aside(text, trigger.idx)]
    if not times:
        return None, None, None
    pos = trigger.idx
    best = min(range(len(times)), key=lambda i: min(abs(times[i].start - pos), abs(times[i].end - pos)))
    t = times[best]
    if t.value_end:
        return t.value, t.value_end, t
    before = text[max(0, t.start - 20):t.start]
    nxt = times[best + 1] if best + 1 < len(times) else None
    if nxt and _RANGE_OPEN.search(before) and _RANGE_GAP.match(text[t.end:nxt.start]):
        return t.value, nxt.value, t
    prev = times[best - 1] if best > 0 else None
    if prev and _RANGE_GAP.match(text[prev.end:t.start]) and _RANGE_OPEN.search(
            text[max(0, prev.start - 20):prev.start]):
        return prev.value, t.value, prev
    by = _BY.search(before) or t.text.lower().startswith(("by ", "as of "))
    if (t.modifier == "BEFORE" and not by) or _UNTIL.search(before):
        return None, t.value, t
    return t.value, None, t


#: Subordinators of a clause that contrasts with the main one rather than dating it.
_CONTRAST = frozenset({"while", "whereas", "although", "though"})

#: Clause links a time expression reaches across ("In 1998 X, angry at Y, joined Z").
_TIME_CLIMB = frozenset({"advcl", "conj", "xcomp", "ccomp", "relcl", "acl", "pcomp"})


def _times_in_scope(trigger, times: list[TimeExpr]) -> list[TimeExpr]:
    """The time expressions of the clause that states the relation.

    The clause is the nearest verb at or above the trigger; when it holds no time
    expression, the search climbs through subordinate and coordinated clauses but not
    out of a noun phrase ("the collapse of the Soviet-backed government ... in 1992" does
    not date the backing).
    """
    verb = trigger if trigger.pos_ in ("VERB", "AUX") else clause_verb(trigger)
    if verb is None:
        return times
    for _ in range(6):
        lo = verb.left_edge.idx
        hi = verb.right_edge.idx + len(verb.right_edge.text)
        # "X sheltered Y, who was killed in 2011": a relative clause dates its noun only
        # (which dates the relation when that noun states it: "a war ... that began in 1962").
        # So does a contrasting clause: "X strengthened ties with Y, while post-9/11 Z …".
        asides = [(r.left_edge.idx, r.right_edge.idx + len(r.right_edge.text))
                  for r in verb.subtree if r.i != verb.i and ((r.dep_ == "relcl" and r.head.i != trigger.i) or (
                      r.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in _CONTRAST
                                                for c in r.children)))
                  and not (r.left_edge.i <= trigger.i <= r.right_edge.i)]
        inside = [t for t in times if lo <= t.start and t.end <= hi
                  and not any(a <= t.start < b for a, b in asides)]
        if inside:
            return inside
        if verb.dep_ not in _TIME_CLIMB or verb.head.i == verb.i:
            return []
        nxt = verb.head if verb.head.pos_ in ("VERB", "AUX") else clause_verb(verb.head)
        if nxt is None:
            return []
        verb = nxt
    return []
