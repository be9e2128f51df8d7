"""Structure over prose: the facts tables and enumerations state, merged with the prose's.

Battle lists and casualty tables (:mod:`.tables`) and ``Name (number)`` enumerations
(:mod:`.enumerations`) are read by their layout; what the sentence readers made of the same
rows (a parse of table lines is no sentence) is dropped, and what they read twice (an
enumeration's numbers) is read once.
"""

from __future__ import annotations

from ..records import Document, Event, Evidence, Figure, LocalActor, Mention, Relation, TimeExpr
from .actors import norm
from .enumerations import covered_by_enumeration, enumeration_facts
from .tables import count_cells, table_facts, table_figures, table_spans


def _in_rows(evidence: list[Evidence], rows: list[tuple[int, int]]) -> bool:
    return any(s < ev.end and ev.start < e for ev in evidence for s, e in rows)


def with_structures(document: Document, actors: list[LocalActor], mentions: list[Mention],
                    times: list[TimeExpr], events: list[Event], relations: list[Relation],
                    figures: list[Figure]) -> tuple[list[Event], list[Relation], list[Figure]]:
    """``(events, relations, figures)`` of the prose readers with those of the document's
    tables and enumerations added, and the prose readers' misreadings of them removed."""
    text = document.text
    names = {norm(n): a.key for a in actors for n in (a.name, *a.aliases)}
    rows = table_spans(text)
    if rows:  # a battle list is read by its columns
        t_events, t_relations = table_facts(document, mentions, names, times)
        events = [e for e in events if not _in_rows(e.evidence, rows)] + t_events
        relations = [r for r in relations if not _in_rows(r.evidence, rows)] + t_relations
    counted = count_cells(text)
    if counted:  # a casualty table too
        spans = [(c.row.start, c.row.end) for c in counted]
        figures = [f for f in figures if not _in_rows(f.evidence, spans)] + table_figures(
            document, mentions, names)
    e_figures, e_relations = enumeration_facts(document, mentions, times)
    if e_figures:
        figures = [f for f in figures if not covered_by_enumeration(text, f)]
    return events, relations + e_relations, figures + e_figures
