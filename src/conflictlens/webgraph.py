"""The web app's network view at scale: the most connected actors and the ties between them.

A KB of many wars holds thousands of actors in relations; a force-directed layout in the
browser costs O(n²) per iteration and a thousand labels cannot be read anyway. The view asks
for the ``limit`` best connected actors (ties counted over the relation types shown, the
actor's mentions breaking ties), the relations among them, and for a focused actor its whole
neighbourhood; the rest is one "show more" away. Edges travel compact (ids, type, quote count),
the quotes are fetched when an edge is opened.
"""

from __future__ import annotations

from collections import Counter

from .records import SYMMETRIC_RELATIONS, Actor, Relation


def top_graph(nodes: list[Actor], edges: list[Relation], limit: int = 0, hide: frozenset[str] = frozenset(),
              focus: str | None = None) -> dict:
    """The part of a network the view draws.

    Args:
        nodes, edges: the network (:func:`conflictlens.analyze.network`).
        limit: at most this many actors, the best connected first (0: all).
        hide: relation types left out (and not counted for the ranking).
        focus: an actor id whose neighbours are all kept, beside the ``limit`` others.

    Returns:
        ``{"nodes": [Actor], "edges": [Relation], "total_nodes", "total_edges", "relation_counts"}``:
        the totals are those of the network with ``hide`` applied; ``relation_counts`` counts
        every type, hidden ones too (for the view's toggles).
    """
    counts = Counter(r.relation for r in edges)
    shown = [r for r in edges if r.relation not in hide]
    degree: Counter = Counter()
    for r in shown:
        degree[r.source] += 1
        degree[r.target] += 1
    mentions = {a.id: a.mention_count for a in nodes}
    ranked = sorted(degree, key=lambda x: (-degree[x], -mentions.get(x, 0), x))
    keep = set(ranked[:limit] if limit else ranked)
    if focus and focus in degree:
        keep |= {focus} | {r.target if r.source == focus else r.source for r in shown if focus in (r.source, r.target)}
    kept_edges = [r for r in shown if r.source in keep and r.target in keep]
    return {"nodes": [a for a in nodes if a.id in keep], "edges": kept_edges, "total_nodes": len(degree),
            "total_edges": len(shown), "relation_counts": dict(counts.most_common())}


def compact_edge(r: Relation) -> dict:
    """What the network view draws of a relation: its ends, type, quote count and whether dated."""
    return {"id": r.id, "source": r.source, "target": r.target, "relation": r.relation,
            "quotes": len(r.evidence), "symmetric": r.relation in SYMMETRIC_RELATIONS,
            "dated": bool(r.start or r.end)}


def years(relations: list[Relation], hide: frozenset[str] = frozenset()) -> tuple[int, int] | None:
    """The first and last year a relation of a shown type starts or ends (the year slider's
    bounds: a year holding only hidden ties would draw an empty network); None when none is dated."""
    ys = [y for r in relations if r.relation not in hide for y in (_year(r.start), _year(r.end)) if y is not None]
    return (min(ys), max(ys)) if ys else None


def _year(d: str | None) -> int | None:
    try:
        return int(d[:5] if d.startswith("-") else d[:4]) if d else None
    except ValueError:
        return None
