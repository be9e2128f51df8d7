"""Relations in time: the span during which each relation of the KB holds.

The KB keeps what the text says of a relation (``start``, ``end``); the year views
(``analyze network``, ``balance``, ``blocs``, the web app's slider, a pair's history) need
how long it held. The rules, in order:

* An end the text states is the end.
* An open-ended claim ("since 1996", "from 2011", "began in 2015") holds until something
  ends it (below). So does a start no words gave (a table's, a record made by hand): it
  cannot say that it closes.
* Otherwise a relation holds from its own date to the last date the KB gives the same
  relation (same source, type and target, any qualifier): "Pakistan supports the
  Taliban" told of 1994 and of 1998 held 1994–1998; told once, only then.
* Whatever the words, a relation ends when one side dies (a ``KILL`` that happened to a
  person) or ceases to exist ("the dissolution of X in 1991", "X collapsed in 1991"), at a
  peace or ceasefire between the two (fighting only), at a ``ceased_support`` of the same
  direction, or when a later relation of the other sign between the two begins
  (allied, then fighting; hostile, then allied). Each end names the fact that made it.
* An undated relation has no start; it is ended only by a death or dissolution.

Pure functions over :class:`~conflictlens.records.KB` records.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from . import lexicons
from .records import KB, SYMMETRIC_RELATIONS, Event, Evidence, Relation, sentence_evidence

#: Relations a change of side ends, and the relations of the other sign that do.
_POSITIVE = frozenset({"supports", "allied_with", "recognizes", "sheltered"})
_NEGATIVE = frozenset({"fights", "hostile_to"})
_YEAR = re.compile(r"\b(1[0-9]{3}|20[0-9]{2})\b")


@dataclass(frozen=True)
class Span:
    """How long one relation holds.

    ``start``/``end`` are ISO prefixes (None: unbounded); ``before_end`` says the relation
    stops the day before ``end`` begins (a change that replaced it) rather than at the end
    of ``end`` (a stated end, a death). ``why`` says where the end comes from: ``stated``,
    ``evidence`` (its last dated telling), ``death``, ``dissolution``, ``peace``,
    ``ceased_support``, ``contrary`` (a later relation of the other sign) or ``open``;
    ``ended_by`` is the id of the fact behind it (an event or relation id).
    """

    start: str | None
    end: str | None
    why: str = "open"
    ended_by: str | None = None
    before_end: bool = False

    def days(self) -> tuple[date | None, date | None]:
        """The first and last day the relation holds (None: unbounded)."""
        from .network import day

        lo = day(self.start)
        if self.end is None:
            return lo, None
        if self.before_end:
            first = day(self.end)
            return lo, first - timedelta(days=1) if first is not None else None
        return lo, day(self.end, last=True)

    @property
    def placed(self) -> bool:
        """Whether anything places the relation in time."""
        return self.start is not None or self.end is not None


@dataclass(frozen=True)
class ActorEnd:
    """The death or dissolution of an actor: when, what kind, and the fact or quote behind it."""

    actor: str
    when: str
    kind: str  # death | dissolution
    fact: str | None  # the KILL event's id; None for a dissolution (no fact of the KB states it)
    evidence: Evidence | None  # the words that state it


def _lo(iso: str) -> str:
    return iso + "-00" * ((10 - len(iso)) // 3)


def _hi(iso: str) -> str:
    return iso + "-99" * ((10 - len(iso)) // 3)


def _words(role: str) -> list[str]:
    return [r[0].lower() for r in lexicons.rows("relation_spans") if len(r) > 1 and r[1] == role]


def deaths(kb: KB) -> dict[str, ActorEnd]:
    """People the KB says were killed (a ``KILL`` that happened, the person its target):
    actor id → the latest such death (a misdated telling must not end a life early)."""
    people = {a.id for a in kb.actors if a.type == "person"}
    out: dict[str, ActorEnd] = {}
    for e in kb.events:
        if e.type != "KILL" or e.status not in ("happened", "") or not e.time or not e.time.value:
            continue
        for t in e.targets:
            if t in people and (t not in out or _lo(out[t].when) < _lo(e.time.value)):
                out[t] = ActorEnd(t, e.time.value, "death", e.id, e.evidence[0] if e.evidence else None)
    return out


def dissolutions(kb: KB) -> dict[str, ActorEnd]:
    """States, groups and governments the text says ceased to exist, with the year its
    sentence gives ("the dissolution of the Soviet Union in late 1991", "until 1991 when
    the Soviet Union collapsed"). A sentence without a year dates nothing, and an actor the
    KB still dates facts of more than a year later did not end (a polity's former regime:
    "the collapse of the Kingdom of X in 1973" is not the end of the state X)."""
    kinds = {a.id: a.type for a in kb.actors}
    nouns = "|".join(re.escape(w) for w in _words("end_noun"))
    verbs = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in _words("end_verb"))
    before = re.compile(rf"\b(?:{nouns})\s+of\s+(?:the\s+)?$", re.I)
    after = re.compile(rf"^(?:['’]s?)?\s+(?:{verbs})\b", re.I)
    texts = {d.name: d.text for d in kb.documents}
    last = _last_years(kb)
    out: dict[str, ActorEnd] = {}
    for m in kb.mentions:
        text = texts.get(m.doc)
        if text is None or kinds.get(m.key) in (None, "person"):
            continue
        hit = before.search(text, max(0, m.start - 40), m.start) or after.match(text[m.end:m.end + 40])
        if not hit:
            continue
        lo, hi = _sentence(text, m.start)
        years = [(abs(y.start() - m.start), y.group()) for y in _YEAR.finditer(text, lo, hi)]
        if not years:
            continue
        year = min(years)[1]
        if last.get(m.key, 0) > int(year) + 1:
            continue
        if m.key not in out or out[m.key].when > year:
            out[m.key] = ActorEnd(m.key, year, "dissolution", None, sentence_evidence(m.doc, text, lo, hi))
    return out


def _sentence(text: str, at: int) -> tuple[int, int]:
    lo = max(text.rfind(". ", 0, at), text.rfind("\n", 0, at))
    lo = 0 if lo < 0 else lo + 1
    ends = [i for i in (text.find(". ", at), text.find("\n", at)) if i >= 0]
    return lo, (min(ends) + 1 if ends else len(text))


def _last_years(kb: KB) -> dict[str, int]:
    """The last year the KB dates a relation or a happened event of each actor (its start)."""
    out: dict[str, int] = defaultdict(int)

    def note(ids, iso):
        if iso and iso[:4].isdigit():
            for x in ids:
                out[x] = max(out[x], int(iso[:4]))

    for r in kb.relations:
        note((r.source, r.target), r.start)
    for e in kb.events:
        if e.status in ("happened", ""):  # a failed attempt, an allegation may be misdated
            note((*e.agents, *e.targets), e.time.value if e.time else None)
    return out


def actor_ends(kb: KB) -> dict[str, ActorEnd]:
    """Deaths and dissolutions, actor id → the one that ends it. A part of a dissolved
    polity or group (its army, its agency: ``part_of``) ends with it, unless the KB dates
    facts of the part more than a year later."""
    ends = dissolutions(kb)
    kinds = {a.id: a.type for a in kb.actors}
    last = _last_years(kb)
    for r in kb.relations:
        whole = ends.get(r.target)
        if (r.relation == "part_of" and whole is not None and r.source not in ends
                and kinds.get(r.source) != "person" and last.get(r.source, 0) <= int(whole.when[:4]) + 1):
            ends[r.source] = ActorEnd(r.source, whole.when, "dissolution", None, whole.evidence)
    return {**ends, **deaths(kb)}


def is_open(r: Relation, text: str | None = None) -> bool:
    """Whether the words that date ``r`` say it goes on: "since 1996", "from 2011" with no
    end, "began in 2015". A start read without words (``r.time`` is None) cannot close."""
    t = r.time
    if t is None:
        return True
    words = set(_words("open"))
    if (t.text or "").lower().split(" ", 1)[0] in words:
        return True
    if text is not None and 0 <= t.start <= len(text):
        lead = re.findall(r"[a-z-]+", text[max(0, t.start - 25):t.start].lower())[-2:]
        return bool(lead) and (lead[-1] in words or " ".join(lead) in words)
    return False


def _pair(r: Relation) -> tuple[str, str]:
    return tuple(sorted((r.source, r.target)))  # type: ignore[return-value]


def _triple(r: Relation) -> tuple:
    ends = _pair(r) if r.relation in SYMMETRIC_RELATIONS else (r.source, r.target)
    return (ends, r.relation)


def _peace_events(kb: KB) -> list[Event]:
    words = set(_words("peace"))
    out = []
    for e in kb.events:
        if e.type != "AGREE" or e.status not in ("happened", "") or not e.time or not e.time.value:
            continue
        said = " ".join([e.trigger, *(ev.quote for ev in e.evidence[:1])]).lower()
        if words & set(re.findall(r"[a-z-]+", said)):
            out.append(e)
    return out


def relation_spans(kb: KB) -> dict[str, Span]:
    """The span of every relation of the KB, by relation id (see the module's rules)."""
    texts = {d.name: d.text for d in kb.documents}
    ends = actor_ends(kb)
    last: dict[tuple, str] = {}
    by_pair: dict[tuple[str, str], list[Relation]] = defaultdict(list)
    for r in kb.relations:
        by_pair[_pair(r)].append(r)
        for iso in (r.start, r.end):
            if iso and _hi(iso) > _hi(last.get(_triple(r), "")):
                last[_triple(r)] = iso
    peace: dict[tuple[str, str], list[Event]] = defaultdict(list)
    for e in _peace_events(kb):
        sides = sorted(set(e.agents) | set(e.targets))
        for i, a in enumerate(sides):
            for b in sides[i + 1:]:
                peace[(a, b)].append(e)
    out: dict[str, Span] = {}
    for r in kb.relations:
        if r.end:
            out[r.id] = Span(r.start, r.end, "stated")
            continue
        # (date, before_end, why, fact): the changes that can end r
        enders: list[tuple[str, bool, str, str]] = []
        for x in (r.source, r.target):
            if x in ends:
                enders.append((ends[x].when, False, ends[x].kind, ends[x].fact))
        if r.start is None:
            hit = min(enders, key=lambda c: _lo(c[0]), default=None)
            out[r.id] = Span(None, hit[0], hit[2], hit[3]) if hit else Span(None, None, "open")
            continue
        for c in by_pair[_pair(r)]:
            if c is r or not c.start or _lo(c.start) <= _lo(r.start):
                continue
            if c.relation == "ceased_support" and r.relation in _POSITIVE and (
                    (c.source, c.target) == (r.source, r.target) or c.qualifier == "diplomatic"):
                enders.append((c.start, True, "ceased_support", c.id))
            elif (r.relation in _POSITIVE and c.relation in _NEGATIVE) or (
                    r.relation in _NEGATIVE and c.relation in _POSITIVE - {"sheltered"}):
                enders.append((c.start, True, "contrary", c.id))
        if r.relation in _NEGATIVE:
            enders += [(e.time.value, False, "peace", e.id) for e in peace.get(_pair(r), [])
                       if _lo(e.time.value) >= _lo(r.start)]
        enders = [c for c in enders if _hi(c[0]) >= _lo(r.start)]
        hit = min(enders, key=lambda c: (_lo(c[0]), c[1]), default=None)
        if is_open(r, texts.get(r.evidence[0].doc) if r.evidence else None):
            out[r.id] = Span(r.start, hit[0], hit[2], hit[3], hit[1]) if hit else Span(r.start, None, "open")
            continue
        own = last.get(_triple(r), r.start)
        if hit and _lo(hit[0]) <= _hi(own):
            out[r.id] = Span(r.start, hit[0], hit[2], hit[3], hit[1])
        else:
            out[r.id] = Span(r.start, own, "evidence")
    return out
