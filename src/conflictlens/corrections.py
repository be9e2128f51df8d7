"""The user's corrections of facts: ``reject``, ``confirm`` and ``fix`` a relation, event or figure.

A fact's id changes with every rebuild, so a correction names the fact by its *content*: its
kind and type, the names of its actors, its date and its first quote, normalised (case,
spacing, punctuation). A rebuild reads the facts anew and replays each correction, in the
order they were made, on the fact with that content: a quote stays the same when the document
is edited elsewhere. A correction whose fact is no longer found is reported and kept (a later
rebuild may find the fact again). A confirmed or fixed fact is certain (confidence 1) and
ranks above unconfirmed ones.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime

from .confidence import Fact, kind_of, type_of
from .errors import ConflictlensError
from .extract.actors import norm
from .records import (
    EVENT_TYPES,
    FIGURE_KINDS,
    KB,
    RELATION_TYPES,
    SYMMETRIC_RELATIONS,
    Event,
    Figure,
    Relation,
    TimeExpr,
)

OPS = ("reject", "confirm", "fix")
#: what ``fix`` may change, per kind of fact
FIXABLE = {"relation": ("start", "end", "type"), "event": ("start", "end", "type", "place"),
           "figure": ("start", "end", "type")}
_ISO = re.compile(r"^-?\d{1,4}(?:-\d\d(?:-\d\d)?)?$")


class CorrectionError(ConflictlensError):
    """A correction that cannot be made: no such fact, a bad date or type."""

    code = "E010"


def quote_key(quote: str) -> str:
    """A quote as compared: lower case, letters and digits, single spaces."""
    return " ".join(re.sub(r"[^\w]+", " ", quote.lower()).split())


def _date(fact: Fact) -> str | None:
    if isinstance(fact, Relation):
        return fact.start
    if isinstance(fact, Event):
        return fact.time.value if fact.time else None
    return fact.period_start


def _actor_ids(fact: Fact) -> list[str]:
    if isinstance(fact, Relation):
        return [fact.source, fact.target]
    if isinstance(fact, Event):
        return [*fact.agents, *fact.targets]
    return [fact.actor] if fact.actor else []


def _type(fact: Fact) -> str:
    if isinstance(fact, Figure):  # a figure is its kind and its numbers
        return f"{fact.kind} {fact.low}-{fact.high}"
    return type_of(fact)


def content_key(kb: KB, fact: Fact) -> dict:
    """What names ``fact`` across rebuilds: kind, type, actors' names, date, first quote."""
    names = {a.id: a.name for a in kb.actors}
    actors = [names.get(i, i) for i in _actor_ids(fact)]
    if not (isinstance(fact, Relation) and fact.relation not in SYMMETRIC_RELATIONS):
        actors = sorted(actors)  # a directed relation keeps source, then target
    return {"kind": kind_of(fact), "type": _type(fact), "actors": actors, "date": _date(fact),
            "quote": quote_key(fact.evidence[0].quote) if fact.evidence else ""}


def _all(kb: KB) -> list[Fact]:
    return [*kb.relations, *kb.events, *kb.figures]


def find(kb: KB, key: dict) -> Fact | None:
    """The fact of ``kb`` with the content ``key`` (its date may have moved: then only if one)."""
    names: dict[str, set[str]] = {a.id: {norm(n) for n in (a.name, *a.aliases)} for a in kb.actors}
    want = [norm(n) for n in key.get("actors", [])]

    def same_actors(f: Fact) -> bool:
        have = _actor_ids(f)
        if len(have) != len(want):
            return False
        free = list(have)
        for n in want:  # each name on one of the fact's actors
            hit = next((i for i in free if n in names.get(i, {norm(i)})), None)
            if hit is None:
                return False
            free.remove(hit)
        return True

    found = [f for f in _all(kb) if kind_of(f) == key["kind"] and _type(f) == key["type"]
             and (not key["quote"] or key["quote"] in {quote_key(e.quote) for e in f.evidence})
             and same_actors(f)]
    dated = [f for f in found if _date(f) == key.get("date")]
    if dated:
        return dated[0]
    return found[0] if len(found) == 1 else None


def _precision(value: str) -> str:
    return {4: "year", 7: "month", 10: "day"}.get(len(value.lstrip("-")), "year")


def _apply(kb: KB, fact: Fact, c: dict) -> None:
    op = c["op"]
    if op == "reject":
        kb.relations = [f for f in kb.relations if f is not fact]
        kb.events = [f for f in kb.events if f is not fact]
        kb.figures = [f for f in kb.figures if f is not fact]
        return
    if op == "fix":
        ch = c.get("changes") or {}
        if "type" in ch:
            if isinstance(fact, Relation):
                fact.relation = ch["type"]
            elif isinstance(fact, Event):
                fact.type = ch["type"]
            else:
                fact.kind = ch["type"]
        if "place" in ch and isinstance(fact, Event):
            fact.place = ch["place"]
        for end, field in (("start", 0), ("end", 1)):
            if end not in ch:
                continue
            v = ch[end]
            if isinstance(fact, Relation):
                setattr(fact, end, v)
            elif isinstance(fact, Figure):
                setattr(fact, "period_" + end, v)
            else:
                t = fact.time
                if t is None:
                    ev = fact.evidence[0] if fact.evidence else None
                    t = TimeExpr(ev.start if ev else 0, ev.end if ev else 0, "", None, "year")
                if field == 0:
                    t = dataclasses.replace(t, value=v, precision=_precision(v) if v else t.precision)
                else:
                    t = dataclasses.replace(t, value_end=v)
                fact.time = t
    fact.confirmed = True
    fact.confidence = 1.0


def replay(kb: KB, corrections: list[dict]) -> list[str]:
    """Apply ``corrections`` to ``kb`` in order and keep them in ``kb.corrections`` (each with
    the id of its fact now, or None). Returns one line per correction whose fact is gone."""
    notes = []
    for c in corrections:
        fact = find(kb, c["fact"])
        c = {**c, "fact_id": fact.id if fact is not None else None}
        if fact is None:
            notes.append(f"{c['op']} {describe_key(c['fact'])}: the fact is no longer found; "
                         "the correction is kept")
        else:
            _apply(kb, fact, c)
        kb.corrections.append(c)
    return notes


def describe_key(key: dict) -> str:
    actors = " / ".join(key.get("actors") or [])
    q = key.get("quote") or ""
    q = (q[:60] + "…") if len(q) > 60 else q
    return f"{key['kind']} {key['type']} ({actors}; {key.get('date') or 'undated'}) “{q}”"


def by_id(kb: KB, fact_id: str) -> Fact:
    for f in _all(kb):
        if f.id == fact_id:
            return f
    raise CorrectionError(f"no relation, event or figure {fact_id!r}; ids are shown by "
                          "`relations`, `timeline` and `figures`")


def _check(kind: str, changes: dict) -> dict:
    bad = [k for k in changes if k not in FIXABLE[kind]]
    if bad:
        raise CorrectionError(f"a {kind} has no {bad[0]} to fix; it can fix: " + ", ".join(FIXABLE[kind]))
    for k in ("start", "end"):
        v = changes.get(k)
        if v is not None and not _ISO.match(v):
            raise CorrectionError(f"--{k} {v!r} is not a date: give YYYY, YYYY-MM or YYYY-MM-DD (or 'none')")
    allowed = {"relation": RELATION_TYPES, "event": EVENT_TYPES, "figure": FIGURE_KINDS}[kind]
    if "type" in changes and changes["type"] not in allowed:
        raise CorrectionError(f"{changes['type']!r} is not a {kind} type; one of: " + ", ".join(allowed))
    return changes


def correct(kb: KB, fact_id: str, op: str, changes: dict | None = None, why: str = "") -> tuple[dict, Fact]:
    """Make the correction ``op`` of fact ``fact_id`` in ``kb``; returns it and the fact."""
    fact = by_id(kb, fact_id)
    changes = _check(kind_of(fact), dict(changes or {})) if op == "fix" else {}
    if op == "fix" and not changes:
        raise CorrectionError("nothing to fix: give --start, --end, --type or --place")
    c = {"op": op, "fact": content_key(kb, fact), "changes": changes, "why": why or "",
         "created_at": datetime.now(UTC).isoformat(timespec="seconds"), "fact_id": fact.id}
    _apply(kb, fact, c)
    kb.corrections.append(c)
    return c, fact
