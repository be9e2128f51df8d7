"""The query layer: what the CLI, the API and the web app ask of a KB, answered once.

Pure functions over :class:`~conflictlens.records.KB` records (no I/O), so every
interface shows the same facts the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import NotFoundError
from .extract.actors import norm
from .records import KB, SYMMETRIC_RELATIONS, Actor, Event, Evidence, Figure, Relation


def actor_index(kb: KB) -> dict[str, Actor]:
    return {a.id: a for a in kb.actors}


def find_actor(kb: KB, name: str) -> Actor:
    """The actor called ``name`` (any of its names, or its id); raise NotFoundError if none.

    An exact name wins over a name of which ``name`` is a part ("Omar" → "Mullah Omar").
    """
    by_id = actor_index(kb)
    if name in by_id:
        return by_id[name]
    want = norm(name)
    exact = [a for a in kb.actors if want in {norm(n) for n in (a.name, *a.aliases)}]
    if exact:
        return max(exact, key=lambda a: a.mention_count)
    partial = [a for a in kb.actors if any(want and want in norm(n).split(" ") or
                                           (len(want) > 3 and want in norm(n)) for n in (a.name, *a.aliases))]
    if partial:
        return max(partial, key=lambda a: a.mention_count)
    raise NotFoundError(f"no actor called {name!r}; list them with `conflictlens actors`")


def actor_name(kb: KB, actor_id: str | None) -> str:
    a = actor_index(kb).get(actor_id or "")
    return a.name if a else (actor_id or "")


def _year(d: str | None) -> int | None:
    try:
        return int(str(d)[:4]) if d else None
    except ValueError:
        return None


def event_date(e: Event) -> str | None:
    return e.time.value if e.time else None


def timeline(kb: KB, actor: str | None = None, start: int | None = None, end: int | None = None,
             event_type: str | None = None) -> list[Event]:
    """Events in date order (undated last), optionally about one actor and within years."""
    aid = find_actor(kb, actor).id if actor else None
    out = []
    for e in kb.events:
        if aid and aid not in e.agents and aid not in e.targets:
            continue
        if event_type and e.type != event_type.upper():
            continue
        y = _year(event_date(e))
        y_end = _year(e.time.value_end if e.time else None) or y
        if start is not None and (y_end is None or y_end < start):
            continue
        if end is not None and (y is None or y > end):
            continue
        out.append(e)
    return sorted(out, key=lambda e: (event_date(e) or "9999", e.id))


def relations(kb: KB, actor: str | None = None, relation: str | None = None) -> list[Relation]:
    """Relations, optionally of one actor (either end) and of one type."""
    aid = find_actor(kb, actor).id if actor else None
    rel = relation.lower().replace("-", "_").replace(" ", "_") if relation else None
    out = [r for r in kb.relations
           if (not aid or aid in (r.source, r.target)) and (not rel or r.relation == rel)]
    return sorted(out, key=lambda r: (r.start or "9999", r.relation, r.id))


def figures(kb: KB, kind: str | None = None) -> list[Figure]:
    return [f for f in kb.figures if not kind or f.kind == kind]


def time_label(t) -> str:
    """How a time expression reads in a listing: "1995 (early)", "1996-09-27", "~1997"."""
    if t is None or not t.value:
        return "undated"
    label = t.value + (f"–{t.value_end}" if t.value_end else "")
    mod = (t.modifier or "").upper()
    if mod == "APPROX":
        return "~" + label
    if mod in ("START", "MID", "END"):
        return f"{label} ({ {'START': 'early', 'MID': 'mid', 'END': 'late'}[mod] })"
    if mod in ("BEFORE", "AFTER"):
        return f"{mod.lower()} {label}"
    if t.precision == "decade":
        return f"{label}s"
    return label


@dataclass
class Fact:
    """Any fact of the KB by id, with a one-line description and its evidence."""

    id: str
    kind: str
    description: str
    evidence: list[Evidence]


def describe_relation(kb: KB, r: Relation) -> str:
    span = ""
    if r.start or r.end:
        span = f" ({r.start or '?'}–{r.end or ''})" if r.end else f" (from {r.start})"
    qual = f" [{r.qualifier}]" if r.qualifier else ""
    return f"{actor_name(kb, r.source)} {r.relation}{qual} {actor_name(kb, r.target)}{span}"


def describe_event(kb: KB, e: Event) -> str:
    who = ", ".join(actor_name(kb, a) for a in e.agents) or "?"
    whom = ", ".join(actor_name(kb, a) for a in e.targets)
    where = f" in {e.place}" if e.place else ""
    return f"{time_label(e.time)}: {e.type} {who}{' → ' + whom if whom else ''}{where}"


def describe_figure(f: Figure) -> str:
    return f"{f.kind}: {format_range(f.low, f.high)} — {f.what}"


def format_range(low, high) -> str:
    def fmt(x):
        return f"{x:,.0f}" if isinstance(x, (int, float)) and float(x).is_integer() else str(x)

    if low is None and high is None:
        return "?"
    if low is None:
        return f"≤ {fmt(high)}"
    if high is None:
        return f"≥ {fmt(low)}"
    return fmt(low) if low == high else f"{fmt(low)}–{fmt(high)}"


def fact(kb: KB, fact_id: str) -> Fact:
    """The fact with id ``fact_id`` (a…, e…, r…, f…)."""
    for a in kb.actors:
        if a.id == fact_id:
            return Fact(a.id, "actor", f"{a.name} ({a.type})", a.evidence)
    for e in kb.events:
        if e.id == fact_id:
            return Fact(e.id, "event", describe_event(kb, e), e.evidence)
    for r in kb.relations:
        if r.id == fact_id:
            return Fact(r.id, "relation", describe_relation(kb, r), r.evidence)
    for f in kb.figures:
        if f.id == fact_id:
            return Fact(f.id, "figure", describe_figure(f), f.evidence)
    raise NotFoundError(f"no fact with id {fact_id!r}; ids look like a3, e12, r5, f1")


def actor_profile(kb: KB, name: str) -> dict:
    """Everything the KB says about one actor: names, relations, events, figures."""
    a = find_actor(kb, name)
    rels = relations(kb, a.id)
    return {
        "actor": a,
        "relations": rels,
        "events": timeline(kb, a.id),
        "figures": [f for f in kb.figures if f.actor == a.id],
    }


def other_end(r: Relation, actor_id: str) -> tuple[str, str]:
    """``(direction, other actor id)`` of relation ``r`` seen from ``actor_id``."""
    if r.source == actor_id:
        return "→", r.target
    return ("↔" if r.relation in SYMMETRIC_RELATIONS else "←"), r.source


def summary(kb: KB) -> dict:
    from collections import Counter

    return {
        "documents": len(kb.documents),
        "words": sum(d.words for d in kb.documents),
        "actors": len(kb.actors),
        "actor_types": dict(Counter(a.type for a in kb.actors).most_common()),
        "events": len(kb.events),
        "event_types": dict(Counter(e.type for e in kb.events).most_common()),
        "relations": len(kb.relations),
        "relation_types": dict(Counter(r.relation for r in kb.relations).most_common()),
        "figures": len(kb.figures),
        "top_actors": [(a.name, a.mention_count) for a in sorted(kb.actors, key=lambda a: -a.mention_count)[:10]],
    }
