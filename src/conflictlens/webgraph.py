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


#: Layout units between two tied actors (the web view zooms the drawing to fit its box).
EDGE_LENGTH = 110.0
#: Gap between packed components, in layout units.
COMPONENT_GAP = 90.0
#: Width / height the packed components aim at (the view's box is wider than high).
ASPECT = 2.0
#: Horizontal stretch of a component's force layout (a label is wider than high).
STRETCH = 1.5


def layout(node_ids: list[str], edges: list[tuple[str, str]], seed: int = 1) -> dict[str, tuple[float, float]]:
    """Positions of a drawn network: each connected component laid out by force
    (Fruchterman-Reingold, networkx), scaled so that ties are about :data:`EDGE_LENGTH` long, and
    the components packed in rows, biggest first (as fCoSE's ``packComponents`` does).

    Done by the server (and for the first view when the KB is saved), so that the browser only
    keeps labels apart: a force layout of 120 actors held its main thread for about half a second.
    Deterministic: the same graph gives the same positions.
    """
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(sorted(node_ids))
    g.add_edges_from((a, b) for a, b in edges if a != b and a in g and b in g)
    boxes = []
    for comp in sorted(nx.connected_components(g), key=lambda c: (-len(c), min(c))):
        # a graph of its own, nodes in sorted order (a subgraph view iterates a set: the
        # positions changed with the interpreter's hash seed)
        sub = nx.Graph()
        sub.add_nodes_from(sorted(comp))
        sub.add_edges_from(sorted(tuple(sorted(e)) for e in g.edges(comp)))
        n = len(comp)
        if n == 1:
            pts = {next(iter(comp)): (0.0, 0.0)}
        elif n == 2:
            a, b = sorted(comp)
            pts = {a: (0.0, 0.0), b: (EDGE_LENGTH, 0.0)}
        else:
            raw = nx.spring_layout(sub, seed=seed, iterations=100)
            lengths = [((raw[a][0] - raw[b][0]) ** 2 + (raw[a][1] - raw[b][1]) ** 2) ** 0.5 for a, b in sub.edges()]
            lengths.sort()
            unit = EDGE_LENGTH / max(lengths[len(lengths) // 2], 1e-9)
            # wider than high: labels are wide, and the view's box too
            pts = {k: (float(x) * unit * STRETCH, float(y) * unit) for k, (x, y) in raw.items()}
        xs, ys = [p[0] for p in pts.values()], [p[1] for p in pts.values()]
        boxes.append((pts, min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)))
    # Shelf packing: rows as wide as ASPECT times the height the whole drawing would take.
    area = sum((w + COMPONENT_GAP) * (h + COMPONENT_GAP) for _, _, _, w, h in boxes)
    row_width = max(max((w for _, _, _, w, _ in boxes), default=0.0), (area * ASPECT) ** 0.5)
    out: dict[str, tuple[float, float]] = {}
    x = y = row_h = 0.0
    for pts, x0, y0, w, h in boxes:
        if x > 0 and x + w > row_width:
            x, y, row_h = 0.0, y + row_h + COMPONENT_GAP, 0.0
        for k, (px, py) in pts.items():
            out[k] = (round(px - x0 + x, 1), round(py - y0 + y, 1))
        x += w + COMPONENT_GAP
        row_h = max(row_h, h)
    return out
