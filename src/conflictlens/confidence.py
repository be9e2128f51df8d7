"""Confidence: how often a fact found the way this one was found is right.

Every relation, event and figure records at extraction the *method* that found it: the stage
(``prose`` sentence readers, ``infobox`` lines, ``table`` rows and enumerations, ``names``
read from names and titles, ``event`` relations implied by events, ``war`` names) and its
type (``supports``, ``ATTACK``, ``deaths``). Its confidence is the precision of that method
measured on annotated documents, leave-one-document-out (``bench/calibrate.py``), shipped as
data in ``lexicons/calibration.tsv``: one row per level of detail, from the kind of fact down
to the method with the fact's evidence count, each smoothed towards the level above it. A fact
takes the finest level the table knows, mapped by the table's Platt map (fitted on held-out
predictions: how far a method's precision on some documents holds on others). So a fact at
0.8 is right about 80 % of the time (the reliability table is in docs/reliability.md).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import cache

from .lexicons import rows
from .records import KB, Document, Event, Evidence, Figure, Relation

Fact = Event | Relation | Figure

#: the kinds of fact, as the calibration table names them
KIND = {Event: "event", Relation: "relation", Figure: "figure"}


def kind_of(fact: Fact) -> str:
    return KIND[type(fact)]


def type_of(fact: Fact) -> str:
    if isinstance(fact, Relation):
        return fact.relation
    if isinstance(fact, Event):
        return fact.type
    return fact.kind


def _inside(evidence: list[Evidence], spans: list[tuple[int, int]]) -> bool:
    return bool(evidence) and all(any(s <= ev.start and ev.end <= e for s, e in spans) for ev in evidence)


def tag(facts: Iterable[Fact], stage: str, document: Document | None = None) -> None:
    """Record ``stage`` as the way ``facts`` were found, on those that carry none yet; a fact
    read from infobox lines only is tagged ``infobox`` whatever the stage."""
    box = [(f.line_start, f.line_end) for f in document.infobox] if document is not None else []
    for f in facts:
        if not f.method:
            st = "infobox" if box and _inside(f.evidence, box) else stage
            f.method = f"{st}:{type_of(f)}"


def evidence_band(fact: Fact) -> str:
    undated = isinstance(fact, Event) and not (fact.time and fact.time.value)
    return band([e.doc for e in fact.evidence], undated)


def band(docs: list[str], undated: bool = False) -> str:
    """How much evidence a fact has (the documents of its quotes): one quote, several quotes in
    one document, quotes in several documents (they agree); an event without a date is a
    band of its own (half a fact: when it happened is unknown)."""
    if undated:
        return "undated"
    if len(set(docs)) > 1:
        return "docs2"
    return "ev1" if len(docs) <= 1 else "ev2"


def levels(fact: Fact) -> list[str]:
    """The calibration keys of ``fact``, finest first: kind:stage:type:band … kind."""
    return level_keys(kind_of(fact), fact.method or "prose:" + type_of(fact), evidence_band(fact))


def level_keys(kind: str, method: str, band: str) -> list[str]:
    """Keys finest first: ``kind:stage:type:band``, ``kind:stage:type``, ``kind:stage``, ``kind``."""
    stage, _, typ = method.partition(":")
    if band == "undated":  # whatever found it: an undated event is judged as one
        return [f"{kind}:undated", kind]
    return [f"{kind}:{stage}:{typ}:{band}", f"{kind}:{stage}:{typ}", f"{kind}:{stage}", kind]


@cache
def table() -> dict[str, float]:
    """The fitted precision per calibration key (``lexicons/calibration.tsv``)."""
    return {r[0]: float(r[1]) for r in rows("calibration") if len(r) > 1}


def estimate(fact: Fact, fitted: dict[str, float] | None = None) -> float:
    """The measured precision of the way ``fact`` was found (the finest level known), mapped
    by the table's Platt map (``platt:a``, ``platt:b``: how far other documents bear it out)."""
    fitted = table() if fitted is None else fitted
    return mapped(fitted, levels(fact))


def mapped(fitted: dict[str, float], keys: list[str]) -> float:
    """The precision of the finest of ``keys`` in ``fitted``, through its Platt map; an undated
    event's rate is the same on every document (it is never matched): it bypasses the map."""
    key = next((k for k in keys if k in fitted), "*")
    p = fitted.get(key, 0.5)
    if key.endswith(":undated"):
        return p
    a, b = fitted.get("platt:a", 0.0), fitted.get("platt:b", 1.0)
    p = min(max(p, 1e-3), 1 - 1e-3)
    return 1 / (1 + math.exp(-(a + b * math.log(p / (1 - p)))))


def facts(kb: KB) -> list[Fact]:
    return [*kb.relations, *kb.events, *kb.figures]


def score(kb: KB, fitted: dict[str, float] | None = None) -> None:
    """Set the confidence of every fact of ``kb`` (a confirmed fact is certain)."""
    for f in facts(kb):
        f.confidence = 1.0 if f.confirmed else round(estimate(f, fitted), 3)


def value(fact) -> float:
    """A fact's confidence for ranking and filters (a fact without one: 0)."""
    c = getattr(fact, "confidence", None)
    return 1.0 if getattr(fact, "confirmed", False) else (c if c is not None else 0.0)


def at_least(kb: KB, minimum: float) -> KB:
    """``kb`` without the facts below ``minimum`` confidence (in place; returned)."""
    if minimum and minimum > 0:
        kb.relations = [r for r in kb.relations if value(r) >= minimum]
        kb.events = [e for e in kb.events if value(e) >= minimum]
        kb.figures = [f for f in kb.figures if value(f) >= minimum]
    return kb


def ranked(items: list) -> list:
    """Confirmed facts first, the order otherwise kept (a stable sort)."""
    return sorted(items, key=lambda f: not getattr(f, "confirmed", False))
