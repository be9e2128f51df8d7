"""The signed actor network over time: who sided with whom, structural balance, blocs.

Pure functions over :class:`~conflictlens.records.KB` records (no I/O), so the CLI
(``conflictlens analyze …``), the Python API and the web app show the same numbers.

*Signed network.* Relations become signed ties between two actors: ``supports``,
``allied_with`` and ``recognizes`` are positive; ``fights``, ``hostile_to`` and
``ceased_support`` (and ``SEVER_TIES`` events) are negative; ``leads``, ``member_of``,
``part_of`` and ``sheltered`` put an actor on the other's side (positive); ``controls``
says nothing about sides and is left out.

*Time.* A relation holds during its span (:mod:`conflictlens.relation_spans`: from its
``start`` to a stated end, else to its last dated telling, or on for an open claim "since
1996"; ended by a death or dissolution of a side, a peace between the two, a ceased support
or a later tie of the other sign). ISO prefixes: "1996" starts on 1 January and ends on 31
December. A fact still open lasts until the same pair's tie changes sign (a later fact of
the other sign ends it the day before it starts); an undated relation is taken to hold
throughout, until such a change or a side's end. When ties of both
signs are valid in one period, the most recently started wins, then the majority of
relations, then the negative one (a conflict is the more specific claim in a war).

*Balance.* A signed graph is balanced when its actors split into two camps with every
positive tie inside a camp and every negative tie between them (Heider 1946; Cartwright &
Harary 1956). The share of balanced triangles measures it locally; the frustration index
(the fewest ties whose sign must flip to make the graph balanced) measures it globally and
yields the two camps.

References:
    Heider, F. (1946). Attitudes and cognitive organization. Journal of Psychology 21.
    Cartwright, D. & Harary, F. (1956). Structural balance: a generalization of Heider's
    theory. Psychological Review 63(5).
    Harary, F. (1959). On the measurement of structural balance. Behavioral Science 4.
    Doreian, P. & Mrvar, A. (1996). A partitioning approach to structural balance. Social
    Networks 18 (the relocation heuristic used for large blocks).
    Aref, S. & Wilson, M. C. (2018). Measuring partial balance in signed networks. Journal
    of Complex Networks 6(4) (the frustration index as the measure of choice).
"""

from __future__ import annotations

import calendar
import heapq
import random
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from .records import KB, Evidence

#: relation type → sign of the tie it makes (types not listed make no tie).
SIGNS: dict[str, int] = {
    "supports": 1, "allied_with": 1, "recognizes": 1,
    "fights": -1, "hostile_to": -1, "ceased_support": -1,
}
#: relations that put one actor on another's side without being a stance between equals:
#: a leader, member or part of a group, or a sheltered guest, stands in the group's camp.
#: Year views count them as positive ties (exports keep their sign 0, see SIGNS).
SIDE_SIGNS: dict[str, int] = {"leads": 1, "member_of": 1, "part_of": 1, "sheltered": 1}
#: event types that make a tie between agents and targets, with its sign.
EVENT_SIGNS: dict[str, int] = {"SEVER_TIES": -1}
#: how a tie of each kind reads in a sentence ("Pakistan supports Taliban").
VERBS: dict[str, str] = {
    "supports": "supports", "allied_with": "is allied with", "recognizes": "recognizes",
    "fights": "fights", "hostile_to": "is hostile to", "ceased_support": "ceased support to",
    "SEVER_TIES": "severed ties with", "leads": "leads", "member_of": "is a member of",
    "part_of": "is part of", "sheltered": "sheltered",
}
#: blocks up to this many actors are solved exactly (branch and bound) …
EXACT_MAX_NODES = 40
#: … unless the search visits more partial colourings than this; then the heuristic stands.
EXACT_BUDGET = 400_000


# ----------------------------------------------------------------------------- records

@dataclass(frozen=True)
class SignedFact:
    """A relation (or event) read as a signed tie, with the span during which it holds."""

    id: str
    source: str
    kind: str  # relation type, or event type for events
    target: str
    sign: int
    lo: date | None  # first day it holds; None: since ever
    hi: date | None  # last day it holds; None: still
    evidence: tuple[Evidence, ...] = ()
    start: str | None = None  # as written in the KB
    end: str | None = None


@dataclass
class Tie:
    """The signed tie between actors ``a`` and ``b`` (``a < b``) in one period."""

    a: str
    b: str
    sign: int
    facts: list[SignedFact] = field(default_factory=list)  # the facts that give the sign
    overridden: list[SignedFact] = field(default_factory=list)  # valid, other sign, outweighed

    @property
    def evidence(self) -> list[Evidence]:
        return [ev for f in self.facts for ev in f.evidence]


@dataclass
class SignedNetwork:
    """The signed ties valid in a period ``[start, end]`` (None: unbounded)."""

    label: str
    start: date | None
    end: date | None
    ties: dict[tuple[str, str], Tie] = field(default_factory=dict)

    @property
    def nodes(self) -> list[str]:
        return sorted({x for pair in self.ties for x in pair}, key=_id_key)

    def sign(self, u: str, v: str) -> int:
        t = self.ties.get(_pair(u, v))
        return t.sign if t else 0

    def adjacency(self) -> dict[str, dict[str, int]]:
        adj: dict[str, dict[str, int]] = defaultdict(dict)
        for (u, v), t in self.ties.items():
            adj[u][v] = t.sign
            adj[v][u] = t.sign
        return adj


@dataclass
class BrokenTie:
    """A tie that breaks balance under the best split, with why and the words behind it."""

    tie: Tie
    description: str  # "Pakistan supports Taliban"
    why: str  # an unbalanced triangle it closes, in words (or that the cycle is longer)
    quote: str
    doc: str


@dataclass
class Balance:
    """Structural balance of one period's network."""

    label: str
    actors: int
    ties: int
    positive: int
    negative: int
    triads: int
    balanced_triads: int
    frustration: int  # fewest ties whose sign must flip for balance
    exact: bool  # True when ``frustration`` is proven minimal
    camps: tuple[list[str], list[str]]  # the two camps of the largest connected group
    others: list[str]  # actors tied only outside the largest connected group
    broken: list[BrokenTie]
    colour: dict[str, int] = field(default_factory=dict)  # actor → 0/1 (every tied actor)

    @property
    def triad_balance(self) -> float | None:
        return self.balanced_triads / self.triads if self.triads else None

    @property
    def normalised_frustration(self) -> float | None:
        """``1 - 2 L / m`` (Aref & Wilson 2018): 1 when balanced, 0 at the worst possible."""
        return 1 - 2 * self.frustration / self.ties if self.ties else None


@dataclass
class Switch:
    """An actor that changed camp between two periods."""

    actor: str
    before: str  # period label
    after: str
    from_camp: int
    to_camp: int
    changed: list[Tie]  # its ties in ``after`` whose sign differs from ``before`` or that are new


@dataclass
class Blocs:
    """Camps per period, aligned so that camp 0 stays camp 0 from one period to the next."""

    periods: list[Balance]
    switches: list[Switch]


@dataclass
class Centrality:
    """How central an actor is in one period's signed network."""

    actor: str
    degree: int  # actors it has a tie with
    positive: int
    negative: int
    supported_by: int  # actors that support, recognise or ally with it (directed)
    supports: int  # actors it supports, recognises or allies with
    betweenness: float  # on the unsigned network, normalised


# ----------------------------------------------------------------------------- dates

@lru_cache(maxsize=1 << 16)  # called for every tie of every period: ids are few, calls many
def _id_key(x: str) -> tuple[str, int, str]:
    digits = "".join(c for c in x if c.isdigit())
    return (x.rstrip("0123456789"), int(digits) if digits and x[1:].isdigit() else 0, x)


def _pair(u: str, v: str) -> tuple[str, str]:
    return (u, v) if _id_key(u) <= _id_key(v) else (v, u)


def day(iso: str | int | None, last: bool = False) -> date | None:
    """The first (or ``last``) day an ISO prefix covers: "1996" → 1996-01-01 / 1996-12-31.

    Args:
        iso: "1996", "1996-09", "1996-09-27" or a year as int; None or unreadable → None.
        last: the last day of the span instead of the first.
    """
    if iso is None:
        return None
    parts = str(iso).strip().split("-")
    try:
        y = int(parts[0])
        m = int(parts[1]) if len(parts) > 1 and parts[1] else None
        d = int(parts[2][:2]) if len(parts) > 2 and parts[2] else None
        if not 1 <= y <= 9999:
            return None
        if m is None:
            return date(y, 12, 31) if last else date(y, 1, 1)
        if d is None:
            return date(y, m, calendar.monthrange(y, m)[1]) if last else date(y, m, 1)
        return date(y, m, d)
    except (ValueError, IndexError):
        return None


def period(at: str | int) -> tuple[str, date, date]:
    """``(label, first day, last day)`` of a year ("1998"), month or day given as ISO."""
    lo, hi = day(at), day(at, last=True)
    if lo is None or hi is None:
        raise ValueError(f"not a date: {at!r}; give a year (1998), a month (1998-05) or a day (1998-05-01)")
    return str(at), lo, hi


# ----------------------------------------------------------------------------- facts → ties

def signed_facts(kb: KB) -> list[SignedFact]:
    """Every relation and event of the KB that makes a signed tie, with its validity span.

    An open-ended (or undated) fact lasts until the same pair's tie changes sign: it ends
    the day before the first later-starting fact of the other sign.

    Args:
        kb: the knowledge base.

    Returns:
        The signed facts (self-ties dropped), in KB order.
    """
    from .relation_spans import relation_spans

    spans = relation_spans(kb)  # ends by evidence, deaths, dissolutions, peace, changes of side
    raw: list[SignedFact] = []
    for r in kb.relations:
        s = SIGNS.get(r.relation, SIDE_SIGNS.get(r.relation))
        if s is None or r.source == r.target:
            continue
        lo, hi = spans[r.id].days() if r.id in spans else (day(r.start), day(r.end, last=True))
        raw.append(SignedFact(r.id, r.source, r.relation, r.target, s, lo, hi,
                              tuple(r.evidence), r.start, r.end))
    for e in kb.events:
        s = EVENT_SIGNS.get(e.type)
        if s is None or e.status not in ("happened", ""):
            continue
        t = e.time
        start = t.value if t and t.value else None
        for a in e.agents:
            for b in e.targets:
                if a != b:
                    raw.append(SignedFact(e.id, a, e.type, b, s, day(start), None, tuple(e.evidence), start, None))
    by_pair: dict[tuple[str, str], list[SignedFact]] = defaultdict(list)
    for f in raw:
        by_pair[_pair(f.source, f.target)].append(f)
    out: list[SignedFact] = []
    for f in raw:
        hi = f.hi
        if hi is None:
            later = [g.lo for g in by_pair[_pair(f.source, f.target)]
                     if g.sign != f.sign and g.lo is not None and (f.lo is None or g.lo > f.lo)]
            if later:
                hi = min(later) - timedelta(days=1)
        out.append(SignedFact(f.id, f.source, f.kind, f.target, f.sign, f.lo, hi, f.evidence, f.start, f.end)
                   if hi != f.hi else f)
    return out


def _valid(f: SignedFact, start: date | None, end: date | None) -> bool:
    if f.lo is not None and end is not None and f.lo > end:
        return False
    if f.hi is not None and start is not None and f.hi < start:
        return False
    return not (f.lo is not None and f.hi is not None and f.hi < f.lo)


def network(kb: KB, start: str | int | date | None = None, end: str | int | date | None = None,
            label: str = "", actor_types: Iterable[str] | None = None,
            facts: list[SignedFact] | None = None) -> SignedNetwork:
    """The signed actor network of the ties valid at some time in ``[start, end]``.

    Args:
        kb: the knowledge base.
        start, end: period bounds (ISO prefix, year or date; None: unbounded). An ISO
            ``end`` stands for its last day ("2001" → 31 December 2001).
        label: a name for the period ("1998").
        actor_types: only ties between actors of these types (default: all).
        facts: precomputed :func:`signed_facts` (to build many periods at once).

    Returns:
        The network: one :class:`Tie` per pair of actors, with the facts behind its sign.
    """
    lo = start if isinstance(start, date) else day(start)
    hi = end if isinstance(end, date) else day(end, last=True)
    types = set(actor_types) if actor_types else None
    kinds = {a.id: a.type for a in kb.actors}
    by_pair: dict[tuple[str, str], list[SignedFact]] = defaultdict(list)
    for f in signed_facts(kb) if facts is None else facts:
        if types and (kinds.get(f.source) not in types or kinds.get(f.target) not in types):
            continue
        if _valid(f, lo, hi):
            by_pair[_pair(f.source, f.target)].append(f)
    net = SignedNetwork(label or _label(start, end), lo, hi)
    for pair, fs in by_pair.items():
        net.ties[pair] = _resolve_sign(pair, fs)
    return net


def network_at(kb: KB, at: str | int, actor_types: Iterable[str] | None = None) -> SignedNetwork:
    """The signed network during one year, month or day (``at`` as ISO prefix or year)."""
    label, lo, hi = period(at)
    return network(kb, lo, hi, label=label, actor_types=actor_types)


def _label(start, end) -> str:
    if start is None and end is None:
        return "all time"
    return f"{start or '…'}–{end or '…'}"


def _resolve_sign(pair: tuple[str, str], fs: list[SignedFact]) -> Tie:
    signs = {f.sign for f in fs}
    if len(signs) == 1:
        return Tie(pair[0], pair[1], fs[0].sign, fs, [])
    # Both signs: the most recently started wins, then the majority, then the negative.
    def key(s: int) -> tuple[date, int, int]:
        mine = [f for f in fs if f.sign == s]
        return (max((f.lo or date.min) for f in mine), len(mine), -s)

    sign = max(signs, key=key)
    return Tie(pair[0], pair[1], sign, [f for f in fs if f.sign == sign], [f for f in fs if f.sign != sign])


# ----------------------------------------------------------------------------- balance

def triads(net: SignedNetwork) -> list[tuple[str, str, str, int]]:
    """Every triangle of ties as ``(u, v, w, product of signs)``; balanced when positive."""
    adj = net.adjacency()
    order = {n: i for i, n in enumerate(net.nodes)}
    out = []
    for u in net.nodes:
        for v in adj[u]:
            if order[v] <= order[u]:
                continue
            for w in adj[u]:
                if order[w] > order[v] and w in adj[v]:
                    out.append((u, v, w, adj[u][v] * adj[u][w] * adj[v][w]))
    return out


def frustration(nodes: list[str], edges: dict[tuple[str, str], int],
                exact_max_nodes: int = EXACT_MAX_NODES, budget: int = EXACT_BUDGET
                ) -> tuple[int, dict[str, int], bool]:
    """The frustration index of a signed graph and a 2-colouring that attains it.

    The index is additive over biconnected blocks (a block's colouring can be switched
    wholesale to agree with its neighbours at a cut vertex), and a bridge is never
    frustrated, so each block is solved on its own: exactly by branch and bound over its
    2-colourings when it has at most ``exact_max_nodes`` actors and the search finishes
    within ``budget`` steps; otherwise by the relocation heuristic of Doreian & Mrvar
    (1996): start from a spanning-tree colouring and random ones, move single actors to the
    other camp while that lowers the count, keep the best (seeded, so repeatable).

    Args:
        nodes: the actors.
        edges: ``{(u, v): ±1}``, one entry per unordered pair.
        exact_max_nodes, budget: limits of the exact search.

    Returns:
        ``(index, colour, exact)``: the number of frustrated ties, actor → 0/1, and whether
        the index is proven minimal.

    References:
        Harary (1959); Aref & Wilson (2018); Doreian & Mrvar (1996).
    """
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(nodes)
    g.add_edges_from(edges)
    sign = {}
    for (u, v), s in edges.items():
        sign[(u, v)] = sign[(v, u)] = s
    colour: dict[str, int] = {}
    total, exact = 0, True
    blocks = [sorted(b, key=_id_key) for b in nx.biconnected_components(g)]
    blocks.sort(key=lambda b: (-len(b), _id_key(b[0])))
    # Each tie belongs to the one block holding both its actors (blocks share at most one):
    # dealt out in one pass, in the order of ``sign`` (the order the solver sees them in).
    block_of: dict[str, list[int]] = defaultdict(list)
    for i, b in enumerate(blocks):
        for n in b:
            block_of[n].append(i)
    block_edges: list[dict[tuple[str, str], int]] = [{} for _ in blocks]
    for (u, v), s in sign.items():
        if _id_key(u) < _id_key(v):
            for i in set(block_of[u]).intersection(block_of[v]):
                block_edges[i][(u, v)] = s
    block_colours = []
    for b, bedges in zip(blocks, block_edges, strict=True):
        cost, col, ok = _solve_block(b, bedges, exact_max_nodes, budget)
        total += cost
        exact = exact and ok
        block_colours.append(col)
    # Stitch blocks together through their cut vertices (the block-cut graph is a forest): next
    # comes the first block (in order) with an actor already coloured, else the first block left.
    # A heap of the blocks that touch coloured actors (scanning every pending block for each
    # placement was cubic in the number of blocks: minutes on a KB of a hundred wars).
    done = [False] * len(blocks)
    ready: list[int] = []
    first = 0
    for _ in range(len(blocks)):
        while ready and done[ready[0]]:
            heapq.heappop(ready)
        if ready:
            i = heapq.heappop(ready)
        else:
            while done[first]:
                first += 1
            i = first
        shared = [n for n in blocks[i] if n in colour]
        col = block_colours[i]
        flip = bool(shared) and col[shared[0]] != colour[shared[0]]
        for n, c in col.items():
            if n not in colour:
                colour[n] = c ^ flip
                for j in block_of[n]:
                    if not done[j]:
                        heapq.heappush(ready, j)
        done[i] = True
    for n in nodes:
        colour.setdefault(n, 0)
    return total, colour, exact


def _cost(edges: dict[tuple[str, str], int], col: dict[str, int]) -> int:
    return sum(1 for (u, v), s in edges.items() if (col[u] == col[v]) != (s > 0))


def _solve_block(nodes: list[str], edges: dict[tuple[str, str], int], exact_max_nodes: int,
                 budget: int) -> tuple[int, dict[str, int], bool]:
    if len(nodes) <= 2:
        col = {nodes[0]: 0}
        if len(nodes) == 2:
            s = edges.get((nodes[0], nodes[1]), edges.get((nodes[1], nodes[0]), 1))
            col[nodes[1]] = 0 if s > 0 else 1
        return 0, col, True
    best_cost, best = _relocate(nodes, edges)
    if best_cost == 0 or len(nodes) > exact_max_nodes:
        return best_cost, best, best_cost == 0
    cost, col, done = _branch_and_bound(nodes, edges, best_cost, best, budget)
    return cost, col, done


def _relocate(nodes: list[str], edges: dict[tuple[str, str], int], restarts: int = 20
              ) -> tuple[int, dict[str, int]]:
    adj: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for (u, v), s in edges.items():
        adj[u].append((v, s))
        adj[v].append((u, s))
    rng = random.Random(0)
    starts = [_tree_colouring(nodes, adj)] + [{n: rng.randint(0, 1) for n in nodes} for _ in range(restarts)]
    best_cost, best = len(edges) + 1, starts[0]
    for col in starts:
        col = dict(col)
        improved = True
        while improved:
            improved = False
            for n in nodes:
                bad = sum(1 for m, s in adj[n] if (col[n] == col[m]) != (s > 0))
                if 2 * bad > len(adj[n]):  # moving n fixes more ties than it breaks
                    col[n] ^= 1
                    improved = True
        c = _cost(edges, col)
        if c < best_cost:
            best_cost, best = c, col
    first = nodes[0]
    if best[first]:
        best = {n: c ^ 1 for n, c in best.items()}
    return best_cost, best


def _tree_colouring(nodes: list[str], adj: dict[str, list[tuple[str, int]]]) -> dict[str, int]:
    col: dict[str, int] = {}
    for root in nodes:
        if root in col:
            continue
        col[root] = 0
        stack = [root]
        while stack:
            u = stack.pop()
            for v, s in adj[u]:
                if v not in col:
                    col[v] = col[u] if s > 0 else col[u] ^ 1
                    stack.append(v)
    return col


def _branch_and_bound(nodes: list[str], edges: dict[tuple[str, str], int], best_cost: int,
                      best: dict[str, int], budget: int) -> tuple[int, dict[str, int], bool]:
    # Order: most connected first, then each next actor the one with most ties to those placed.
    adj: dict[str, dict[str, int]] = defaultdict(dict)
    for (u, v), s in edges.items():
        adj[u][v] = s
        adj[v][u] = s
    order = [max(nodes, key=lambda n: (len(adj[n]), -_id_key(n)[1]))]
    placed = {order[0]}
    while len(order) < len(nodes):
        nxt = max((n for n in nodes if n not in placed),
                  key=lambda n: (sum(1 for m in adj[n] if m in placed), len(adj[n])))
        order.append(nxt)
        placed.add(nxt)
    pos = {n: i for i, n in enumerate(order)}
    back = [[(pos[m], s) for m, s in adj[n].items() if pos[m] < i] for i, n in enumerate(order)]
    col = [0] * len(order)
    steps = 0
    best_list = [best[n] for n in order]
    state = {"best": best_cost, "steps": 0, "aborted": False}

    # Each later actor frustrates at least min(over its colours) of its ties to placed ones:
    # bad[c][j] counts j's ties to placed actors that colour c would frustrate, and ``tail``
    # is the sum of those minima over the actors not yet placed, both kept up to date as
    # actors are placed and unplaced (summing them afresh at every step was quadratic).
    fwd: list[list[tuple[int, int]]] = [[] for _ in order]
    for j, lst in enumerate(back):
        for k, s in lst:
            fwd[k].append((j, s))
    bad = ([0] * len(order), [0] * len(order))
    tail = 0

    def search(i: int, cost: int) -> None:
        nonlocal steps, tail
        steps += 1
        if steps > budget:
            state["aborted"] = True
            return
        if i == len(order):
            if cost < state["best"]:
                state["best"] = cost
                best_list[:] = col
            return
        if cost + tail >= state["best"]:
            return
        for c in ((0, 1) if i else (0,)):  # the first actor's camp is fixed: camps are unordered
            col[i] = c
            add = bad[c][i]
            if cost + add < state["best"]:
                saved = tail
                tail -= min(bad[0][i], bad[1][i])
                for j, s in fwd[i]:
                    old = min(bad[0][j], bad[1][j])
                    bad[(c == 0) == (s > 0)][j] += 1
                    tail += min(bad[0][j], bad[1][j]) - old
                search(i + 1, cost + add)
                for j, s in fwd[i]:
                    bad[(c == 0) == (s > 0)][j] -= 1
                tail = saved
            if state["aborted"]:
                return

    search(0, 0)
    result = {n: best_list[i] for i, n in enumerate(order)}
    return state["best"], result, not state["aborted"]


def balance(kb: KB, net: SignedNetwork, exact_max_nodes: int = EXACT_MAX_NODES,
            budget: int = EXACT_BUDGET, prior: dict[str, int] | None = None) -> Balance:
    """Structural balance of a network: balanced triangles, frustration index, two camps.

    Args:
        kb: the knowledge base (for names and mention counts).
        net: a network from :func:`network` or :func:`network_at`.
        exact_max_nodes, budget: limits of the exact frustration search (see :func:`frustration`).
        prior: an earlier split (actor → camp 0/1). The best split is seldom unique; with a
            prior, camp 0 is the camp that agrees with it most, and an actor whose move
            to its earlier camp frustrates no more ties goes back there, so that camps
            change only when the ties do.

    Returns:
        The :class:`Balance`: the camps are those of the largest connected group of actors,
        camp 0 the one holding its most mentioned actor (or agreeing with ``prior``);
        ``broken`` lists the ties that
        break balance under that split, each with an unbalanced triangle it closes and its
        quote.

    References:
        Heider (1946); Cartwright & Harary (1956); Aref & Wilson (2018).
    """
    import networkx as nx

    nodes = net.nodes
    edges = {pair: t.sign for pair, t in net.ties.items()}
    tri = triads(net)
    index, colour, exact = frustration(nodes, edges, exact_max_nodes, budget)
    mentions = {a.id: a.mention_count for a in kb.actors}
    g = nx.Graph(list(edges))
    comps = sorted(nx.connected_components(g), key=lambda c: (-len(c), -max(mentions.get(n, 0) for n in c)))
    main = comps[0] if comps else set()
    known = [n for n in main if prior and n in prior]
    if known:  # the split that agrees most with the earlier one
        if 2 * sum(1 for n in known if colour[n] != prior[n]) > len(known):
            for n in main:
                colour[n] ^= 1
        index = _stick_to_prior(net, colour, prior, main, index)
    elif main:
        top = max(main, key=lambda n: (mentions.get(n, 0), -_id_key(n)[1]))
        if colour[top]:  # camp 0 holds the most mentioned actor of the main group
            for n in main:
                colour[n] ^= 1
    camps = ([n for n in _by_mentions(main, mentions) if colour[n] == 0],
             [n for n in _by_mentions(main, mentions) if colour[n] == 1])
    others = _by_mentions(set(nodes) - main, mentions)
    unbalanced = [t for t in tri if t[3] < 0]
    broken = []
    for pair, t in net.ties.items():
        if (colour[pair[0]] == colour[pair[1]]) == (t.sign > 0):
            continue
        why = "it closes an unbalanced cycle longer than a triangle"
        for u, v, w, _ in unbalanced:
            if set(pair) <= {u, v, w}:
                why = explain_triangle(kb, net, u, v, w)
                break
        f = t.facts[0]
        ev = f.evidence[0] if f.evidence else None
        broken.append(BrokenTie(t, describe_fact(kb, f), why, ev.quote if ev else "", ev.doc if ev else ""))
    return Balance(
        label=net.label, actors=len(nodes), ties=len(edges),
        positive=sum(1 for s in edges.values() if s > 0), negative=sum(1 for s in edges.values() if s < 0),
        triads=len(tri), balanced_triads=len(tri) - len(unbalanced), frustration=index, exact=exact,
        camps=camps, others=others, broken=broken, colour=colour)


def _stick_to_prior(net: SignedNetwork, colour: dict[str, int], prior: dict[str, int],
                    group: set[str], index: int) -> int:
    adj = net.adjacency()
    moved = True
    while moved:
        moved = False
        for n in sorted(group, key=_id_key):
            if n not in prior or colour[n] == prior[n]:
                continue
            bad = sum(1 for m, s in adj[n].items() if (colour[n] == colour[m]) != (s > 0))
            if 2 * bad >= len(adj[n]):  # the move frustrates no more ties than it mends
                colour[n] ^= 1
                index -= 2 * bad - len(adj[n])
                moved = True
    return index


def _by_mentions(ids: Iterable[str], mentions: dict[str, int]) -> list[str]:
    return sorted(ids, key=lambda n: (-mentions.get(n, 0), _id_key(n)))


def _name(kb: KB, actor_id: str) -> str:
    for a in kb.actors:
        if a.id == actor_id:
            return a.name
    return actor_id


def describe_fact(kb: KB, f: SignedFact) -> str:
    """A signed fact in words: "Pakistan supports Taliban"."""
    return f"{_name(kb, f.source)} {VERBS.get(f.kind, f.kind.replace('_', ' '))} {_name(kb, f.target)}"


def explain_triangle(kb: KB, net: SignedNetwork, u: str, v: str, w: str) -> str:
    """Why a triangle is unbalanced, in words.

    Two friends of one actor who are enemies: "Pakistan supports Taliban while Pakistan is
    allied with United States; Taliban fights United States". Three mutual enemies: "A, B and
    C are all enemies of one another" (Cartwright & Harary's other unbalanced triangle).
    """
    trio = (u, v, w)
    signs = {frozenset(p): net.sign(*p) for p in ((u, v), (u, w), (v, w))}
    negs = [p for p, s in signs.items() if s < 0]
    if len(negs) == 3:
        return f"{_name(kb, u)}, {_name(kb, v)} and {_name(kb, w)} are all enemies of one another"
    if len(negs) != 1:
        return ""
    a, b = sorted(negs[0], key=trio.index)
    x = next(n for n in trio if n not in (a, b))

    def words(p, q) -> str:
        t = net.ties[_pair(p, q)]
        return describe_fact(kb, t.facts[0])

    return f"{words(x, a)} while {words(x, b)}; {words(a, b)}"


# ----------------------------------------------------------------------------- over time

def default_years(kb: KB) -> tuple[int, int] | None:
    """The years a period table covers when the user names none: the interquartile range
    (the middle half) of the start years of the dated side-taking ties.

    What the documents about a war mostly date is its core years; the quartiles leave out
    the background and the aftermath (an intervention decades before, an outlook decades
    after). With fewer than four dated ties, all dated events and relations are used.
    """
    years = sorted(y for f in signed_facts(kb)  # stances only: a war's rosters date its start
                   if f.kind not in SIDE_SIGNS and f.lo is not None and (y := f.lo.year))
    if len(years) < 4:
        years = sorted(y for y in (
            [_year(e.time.value) for e in kb.events if e.time and e.time.value]
            + [_year(r.start) for r in kb.relations if r.start]) if y is not None)
    if not years:
        return None

    def quartile(q: float) -> int:  # nearest rank
        return years[int(q * (len(years) - 1) + 0.5)]

    return quartile(0.25), quartile(0.75)


def _years(kb: KB, first: int | None, last: int | None) -> tuple[int, int]:
    if first is None or last is None:
        span = default_years(kb) or (date.today().year, date.today().year)
        first = span[0] if first is None else first
        last = span[1] if last is None else last
    return first, last


def _year(iso: str | None) -> int | None:
    d = day(iso)
    return d.year if d else None


def balance_by_year(kb: KB, first: int | None = None, last: int | None = None,
                    actor_types: Iterable[str] | None = None) -> list[Balance]:
    """:func:`balance` for each year from ``first`` to ``last`` (default: :func:`default_years`)."""
    first, last = _years(kb, first, last)
    facts = signed_facts(kb)
    return [balance(kb, network(kb, date(y, 1, 1), date(y, 12, 31), str(y), actor_types, facts))
            for y in range(first, last + 1)]


def blocs(kb: KB, first: int | None = None, last: int | None = None,
          actor_types: Iterable[str] | None = None) -> Blocs:
    """Camps per year, aligned across years, and the actors that switched camp.

    Camp 0 of a year is the one that shares more actors with camp 0 of the year before
    (the first year: the one holding the most mentioned actor), so a switch is an actor
    seen in camp 0 one year and camp 1 a later year (or the reverse).

    Args:
        kb: the knowledge base.
        first, last: the years (default: :func:`default_years`).
        actor_types: only actors of these types.

    Returns:
        :class:`Blocs` with one :class:`Balance` per year and the :class:`Switch` es.
    """
    first, last = _years(kb, first, last)
    facts = signed_facts(kb)
    periods: list[Balance] = []
    last_seen: dict[str, tuple[int, Balance]] = {}
    switches: list[Switch] = []
    nets = {}
    for y in range(first, last + 1):
        nets[str(y)] = net = network(kb, date(y, 1, 1), date(y, 12, 31), str(y), actor_types, facts)
        b = balance(kb, net, prior={n: c for n, (c, _) in last_seen.items()})
        periods.append(b)
        for camp_no, camp in enumerate(b.camps):
            for n in camp:
                seen = last_seen.get(n)
                if seen and seen[0] != camp_no:
                    before, after = nets[seen[1].label], nets[b.label]
                    changed = [t for pair, t in after.ties.items() if n in pair
                               and before.sign(*pair) != t.sign]
                    switches.append(Switch(n, seen[1].label, b.label, seen[0], camp_no, changed))
                last_seen[n] = (camp_no, b)
    return Blocs(periods, switches)


# ----------------------------------------------------------------------------- centrality

def centrality(kb: KB, net: SignedNetwork) -> list[Centrality]:
    """Who is most connected and most supported in a period, most connected first.

    Args:
        kb: the knowledge base.
        net: the period's network.

    Returns:
        One :class:`Centrality` per actor with a tie: degree (positive and negative),
        how many actors support, recognise or ally with it and how many it backs (the
        facts' direction; an alliance counts both ways), and betweenness centrality on the
        unsigned network (Freeman 1977, normalised).
    """
    import networkx as nx

    g = nx.Graph(list(net.ties))
    between = nx.betweenness_centrality(g, normalized=True) if g.number_of_nodes() > 2 else {}
    backers: dict[str, set[str]] = defaultdict(set)
    backs: dict[str, set[str]] = defaultdict(set)
    for t in net.ties.values():
        if t.sign < 0:
            continue
        for f in t.facts:
            backers[f.target].add(f.source)
            backs[f.source].add(f.target)
            if f.kind == "allied_with":
                backers[f.source].add(f.target)
                backs[f.target].add(f.source)
    pos: Counter[str] = Counter()
    neg: Counter[str] = Counter()
    for (u, v), t in net.ties.items():
        for n in (u, v):
            (pos if t.sign > 0 else neg)[n] += 1
    rows = [Centrality(n, pos[n] + neg[n], pos[n], neg[n], len(backers[n]), len(backs[n]),
                       round(between.get(n, 0.0), 4)) for n in net.nodes]
    mentions = {a.id: a.mention_count for a in kb.actors}
    return sorted(rows, key=lambda c: (-c.degree, -c.supported_by, -mentions.get(c.actor, 0), _id_key(c.actor)))


# ----------------------------------------------------------------------------- JSON-ready

def _actor(kb: KB, actor_id: str) -> dict:
    return {"id": actor_id, "name": _name(kb, actor_id)}


def fact_dict(kb: KB, f: SignedFact) -> dict:
    return {"id": f.id, "source": f.source, "kind": f.kind, "target": f.target, "sign": f.sign,
            "start": f.start, "end": f.end, "text": describe_fact(kb, f),
            "evidence": [e.to_dict() for e in f.evidence]}


def tie_dict(kb: KB, t: Tie) -> dict:
    return {"a": _actor(kb, t.a), "b": _actor(kb, t.b), "sign": t.sign,
            "facts": [fact_dict(kb, f) for f in t.facts],
            "overridden": [fact_dict(kb, f) for f in t.overridden]}


def network_dict(kb: KB, net: SignedNetwork) -> dict:
    """A network as JSON-ready data (what the CLI prints with ``--json`` and the API serves)."""
    return {"period": net.label, "start": net.start.isoformat() if net.start else None,
            "end": net.end.isoformat() if net.end else None,
            "actors": [_actor(kb, n) for n in net.nodes],
            "ties": [tie_dict(kb, t) for t in net.ties.values()]}


def balance_dict(kb: KB, b: Balance) -> dict:
    """A :class:`Balance` as JSON-ready data."""
    return {
        "period": b.label, "actors": b.actors, "ties": b.ties, "positive": b.positive, "negative": b.negative,
        "triads": b.triads, "balanced_triads": b.balanced_triads, "triad_balance": b.triad_balance,
        "frustration": b.frustration, "normalised_frustration": b.normalised_frustration, "exact": b.exact,
        "camps": [[_actor(kb, n) for n in camp] for camp in b.camps],
        "others": [_actor(kb, n) for n in b.others],
        "broken": [{"a": _actor(kb, x.tie.a), "b": _actor(kb, x.tie.b), "sign": x.tie.sign,
                    "relation_ids": [f.id for f in x.tie.facts], "text": x.description, "why": x.why,
                    "quote": x.quote, "doc": x.doc} for x in b.broken],
    }


def blocs_dict(kb: KB, bl: Blocs) -> dict:
    """:class:`Blocs` as JSON-ready data: the periods' balance and the switches."""
    return {"periods": [balance_dict(kb, b) for b in bl.periods],
            "switches": [{"actor": _actor(kb, s.actor), "before": s.before, "after": s.after,
                          "from_camp": s.from_camp, "to_camp": s.to_camp,
                          "changed": [tie_dict(kb, t) for t in s.changed]} for s in bl.switches]}
