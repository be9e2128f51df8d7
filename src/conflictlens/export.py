"""Exports: the KB in the formats other tools read.

``json`` is the interchange format described in ``docs/export-format.md`` (the
``conflictlens/kb@1`` schema): documents, actors with all their names, events, relations
and figures, every fact with its evidence (``quote == text[start:end]``).
"""

from __future__ import annotations

import json
from pathlib import Path

from .records import KB, Evidence

SCHEMA = "conflictlens/kb@1"
FORMATS = ("json",)


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
            "evidence": _ev(e.evidence),
        })
    return {
        "schema": SCHEMA,
        "documents": [{"id": d.id, "name": d.name, "title": d.title, "sha256": d.sha256, "words": d.words}
                      for d in kb.documents],
        "actors": [{"id": a.id, "name": a.name, "type": a.type, "aliases": a.aliases,
                    "mentions": a.mention_count, "mentions_by_document": a.mentions,
                    "evidence": _ev(a.evidence)} for a in kb.actors],
        "events": events,
        "relations": [{"id": r.id, "source": r.source, "relation": r.relation, "target": r.target,
                       "start": r.start, "end": r.end, "qualifier": r.qualifier,
                       "date_text": r.time.text if r.time else None, "evidence": _ev(r.evidence)}
                      for r in kb.relations],
        "figures": [{"id": f.id, "what": f.what, "kind": f.kind, "low": _num(f.low), "high": _num(f.high),
                     "who": f.who, "period_start": f.period_start, "period_end": f.period_end,
                     "actor": f.actor, "evidence": _ev(f.evidence)} for f in kb.figures],
    }


def export(kb: KB, fmt: str, out: str | Path | None) -> str:
    """Write ``kb`` as ``fmt`` to ``out`` (or return the text when ``out`` is None/"-")."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    text = json.dumps(to_dict(kb), ensure_ascii=False, indent=1)
    if out and str(out) != "-":
        Path(out).write_text(text + "\n", encoding="utf-8")
    return text
