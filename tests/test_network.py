"""The signed network over time, structural balance, blocs and centrality.

Every KB here is built by hand from sentences about other wars, so the camps the tests
expect follow from the relations they build, not from any one corpus.
"""

from __future__ import annotations

import itertools
import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conflictlens import network as N
from conflictlens.cli import app
from conflictlens.records import KB, Actor, Event, Evidence, Relation, TimeExpr


def _kb(actors: list[tuple[str, str]], facts: list[tuple], doc: str = "war.txt") -> KB:
    """A KB from ``(name, type)`` actors and ``(source, relation, target, start, end, sentence)`` facts."""
    ids = {name: f"a{i + 1}" for i, (name, _) in enumerate(actors)}
    kb = KB(actors=[Actor(ids[n], n, t, [], {doc: 10 - i}) for i, (n, t) in enumerate(actors)])
    for i, (s, rel, t, start, end, sentence) in enumerate(facts):
        kb.relations.append(Relation(ids[s], rel, ids[t], [Evidence(doc, 0, len(sentence), sentence)],
                                     start=start, end=end, id=f"r{i + 1}"))
    return kb


def _names(kb: KB, ids) -> set[str]:
    by_id = {a.id: a.name for a in kb.actors}
    return {by_id[i] for i in ids}


SYRIA = _kb(
    [("Syrian government", "government"), ("Russia", "state"), ("Iran", "state"), ("Hezbollah", "armed_group"),
     ("Free Syrian Army", "armed_group"), ("Turkey", "state"), ("Qatar", "state")],
    [("Russia", "supports", "Syrian government", "2015-09", None,
      "Russia began air strikes in support of the Syrian government in September 2015."),
     ("Iran", "supports", "Syrian government", "2012", None, "Iran has armed the Syrian government since 2012."),
     ("Hezbollah", "allied_with", "Iran", None, None, "Hezbollah is Iran's closest ally."),
     ("Hezbollah", "fights", "Free Syrian Army", "2013", None, "Hezbollah fought the Free Syrian Army at Qusayr."),
     ("Syrian government", "fights", "Free Syrian Army", "2011", None,
      "The Syrian Army fought the Free Syrian Army from 2011."),
     ("Turkey", "supports", "Free Syrian Army", "2011", None, "Turkey sheltered and armed the Free Syrian Army."),
     ("Qatar", "supports", "Free Syrian Army", None, None, "Qatar funded the Free Syrian Army."),
     ("Turkey", "hostile_to", "Syrian government", "2011", None, "Turkey broke with Damascus in 2011.")],
)


def test_balanced_war_splits_into_the_two_sides_its_ties_imply():
    b = N.balance(SYRIA, N.network_at(SYRIA, 2016))
    assert b.frustration == 0 and b.exact and not b.broken
    assert b.triads and b.balanced_triads == b.triads and b.triad_balance == 1.0
    camps = [_names(SYRIA, c) for c in b.camps]
    gov = next(c for c in camps if "Syrian government" in c)
    rebels = next(c for c in camps if "Free Syrian Army" in c)
    assert gov != rebels
    # derived from the ties the KB holds: every positive tie inside a camp, every negative across
    net = N.network_at(SYRIA, 2016)
    for (u, v), t in net.ties.items():
        same = b.colour[u] == b.colour[v]
        assert same == (t.sign > 0), (u, v, t.sign)
    assert {"Russia", "Iran", "Hezbollah"} <= gov and {"Turkey", "Qatar"} <= rebels
    # camp 0 holds the most mentioned actor
    assert "Syrian government" in _names(SYRIA, b.camps[0])


def test_network_respects_time_spans():
    before = N.network_at(SYRIA, 2014)
    after = N.network_at(SYRIA, 2016)
    russia, gov = "a2", "a1"
    assert before.sign(russia, gov) == 0 and after.sign(russia, gov) == 1
    assert N.network_at(SYRIA, "2015-08").sign(russia, gov) == 0
    assert N.network_at(SYRIA, "2015-09-30").sign(russia, gov) == 1
    with pytest.raises(ValueError):
        N.network_at(SYRIA, "spring")


def test_ceased_support_ends_an_open_or_undated_tie():
    kb = _kb([("Sri Lanka", "government"), ("LTTE", "armed_group"), ("India", "state")],
             [("India", "supports", "LTTE", None, None, "India trained LTTE cadres in Tamil Nadu."),
              ("India", "ceased_support", "LTTE", "1987", None, "India stopped arming the LTTE in 1987."),
              ("LTTE", "fights", "Sri Lanka", "1983", "2009", "The LTTE fought the Sri Lankan state until 2009.")])
    assert N.network_at(kb, 1985).sign("a3", "a2") == 1
    assert N.network_at(kb, 1988).sign("a3", "a2") == -1
    assert N.network_at(kb, 2010).sign("a2", "a1") == 0  # the war's span ended


def test_sever_ties_event_is_a_negative_tie():
    kb = _kb([("Qatar", "state"), ("Saudi Arabia", "state")], [])
    s = "Saudi Arabia severed diplomatic ties with Qatar on 5 June 2017."
    kb.events.append(Event("SEVER_TIES", ["a2"], ["a1"], [Evidence("w.txt", 0, len(s), s)],
                           time=TimeExpr(0, 0, "5 June 2017", "2017-06-05", "day"), id="e1"))
    assert N.network_at(kb, 2018).sign("a1", "a2") == -1
    assert N.network_at(kb, 2016).sign("a1", "a2") == 0


def test_unbalanced_triangle_is_named_with_its_quote():
    # The Pakistan pattern in another war: the US backs the SDF and is allied with Turkey,
    # which fights the SDF.
    kb = _kb([("United States", "state"), ("SDF", "armed_group"), ("Turkey", "state"), ("ISIS", "armed_group")],
             [("United States", "supports", "SDF", "2015", None, "The United States armed the SDF from 2015."),
              ("United States", "allied_with", "Turkey", None, None, "Turkey is a NATO ally of the United States."),
              ("Turkey", "fights", "SDF", "2016", None, "Turkey attacked the SDF at Afrin."),
              ("SDF", "fights", "ISIS", "2015", None, "The SDF fought ISIS at Raqqa."),
              ("United States", "fights", "ISIS", "2014", None, "The United States bombed ISIS from 2014.")])
    b = N.balance(kb, N.network_at(kb, 2017))
    assert b.frustration == 1 and b.exact
    assert b.triads == 2 and b.balanced_triads == 1
    assert len(b.broken) == 1
    br = b.broken[0]
    assert "United States" in br.why and "Turkey" in br.why and "SDF" in br.why and " while " in br.why
    assert br.quote == br.tie.facts[0].evidence[0].quote
    # one year earlier Turkey did not yet fight the SDF: balanced
    assert N.balance(kb, N.network_at(kb, 2015)).frustration == 0


def test_three_mutual_enemies_are_explained():
    kb = _kb([("VRS", "armed_group"), ("HVO", "armed_group"), ("ARBiH", "armed_group")],
             [("HVO", "fights", "ARBiH", "1993", "1994-02", "The HVO and the ARBiH fought in central Bosnia."),
              ("VRS", "fights", "ARBiH", "1992", "1995", "The VRS besieged Sarajevo."),
              ("VRS", "fights", "HVO", "1992", "1995", "The VRS fought the HVO in Posavina.")])
    b = N.balance(kb, N.network_at(kb, 1993))
    assert b.frustration == 1 and b.triads == 1 and b.balanced_triads == 0
    assert "all enemies of one another" in b.broken[0].why


def test_blocs_track_a_switch_and_what_changed():
    # India armed the LTTE, then signed the 1987 accord with Colombo and sent the IPKF against it.
    kb = _kb([("Sri Lanka", "government"), ("LTTE", "armed_group"), ("India", "state")],
             [("LTTE", "fights", "Sri Lanka", "1983", "2009", "The LTTE fought the Sri Lankan army."),
              ("India", "supports", "LTTE", "1983", "1987-06", "India armed Tamil militants from 1983."),
              ("India", "allied_with", "Sri Lanka", "1987-07", "1990", "India and Sri Lanka signed the accord."),
              ("India", "fights", "LTTE", "1987-10", "1990-03", "The IPKF fought the LTTE until March 1990.")])
    bl = N.blocs(kb, 1985, 1989)
    assert [b.label for b in bl.periods] == ["1985", "1986", "1987", "1988", "1989"]
    first, later = bl.periods[0], bl.periods[3]
    assert _names(kb, first.camps[first.colour["a2"]]) >= {"India", "LTTE"}
    assert _names(kb, later.camps[later.colour["a1"]]) >= {"India", "Sri Lanka"}
    # camps are aligned over the years: the LTTE and Colombo keep their camp, India moves
    assert first.colour["a2"] == later.colour["a2"] and first.colour["a1"] == later.colour["a1"]
    assert [(s.actor, s.after) for s in bl.switches] == [("a3", "1987")]
    changed = {frozenset((t.a, t.b)): t.sign for t in bl.switches[0].changed}
    assert changed[frozenset(("a3", "a2"))] == -1 and changed[frozenset(("a3", "a1"))] == 1


def test_centrality_ranks_the_most_connected_and_most_supported():
    rows = N.centrality(SYRIA, N.network_at(SYRIA, 2016))
    top = {r.actor: r for r in rows}
    assert rows[0].actor in {"a1", "a5"}  # government and FSA have the most ties
    assert top["a1"].supported_by == 2 and top["a5"].supported_by == 2  # Russia+Iran / Turkey+Qatar
    assert top["a2"].supports == 1 and top["a2"].degree == 1
    assert top["a1"].betweenness > top["a2"].betweenness


def test_actor_type_filter():
    net = N.network_at(SYRIA, 2016)
    states = N.network(SYRIA, 2016, 2016, actor_types=["state", "government"])
    assert len(states.ties) < len(net.ties)
    assert "a4" not in states.nodes and "a5" not in states.nodes


def test_default_years_is_the_middle_half_of_the_dated_ties():
    kb = _kb([("A", "state"), ("B", "state")],
             [("A", "fights", "B", str(y), None, "x.") for y in (1900, 1990, 1991, 1991, 1992, 1993, 2020)])
    assert N.default_years(kb) == (1991, 1993)  # quartiles, not the background nor the aftermath
    few = _kb([("A", "state"), ("B", "state")], [("A", "leads", "B", str(y), None, "x.") for y in (1980, 1985)])
    assert N.default_years(few) == (1980, 1985)  # too few ties: every dated fact
    assert N.default_years(_kb([("A", "state")], [])) is None


# ----------------------------------------------------------------------------- frustration

def _brute(nodes, edges) -> int:
    best = len(edges)
    for bits in itertools.product((0, 1), repeat=len(nodes)):
        col = dict(zip(nodes, bits, strict=True))
        best = min(best, sum(1 for (u, v), s in edges.items() if (col[u] == col[v]) != (s > 0)))
    return best


@st.composite
def signed_graphs(draw):
    n = draw(st.integers(2, 8))
    nodes = [f"a{i}" for i in range(1, n + 1)]
    edges = {}
    for u, v in itertools.combinations(nodes, 2):
        s = draw(st.sampled_from((0, 0, 1, -1)))
        if s:
            edges[(u, v)] = s
    return nodes, edges


@settings(max_examples=60, deadline=None)
@given(signed_graphs())
def test_frustration_index_is_exact_on_small_graphs(g):
    nodes, edges = g
    index, colour, exact = N.frustration(nodes, edges)
    assert exact
    assert index == _brute(nodes, edges)
    assert index == sum(1 for (u, v), s in edges.items() if (colour[u] == colour[v]) != (s > 0))


def test_frustration_heuristic_beyond_the_exact_limit_is_consistent():
    rng = random.Random(7)
    nodes = [f"a{i}" for i in range(1, 61)]
    # two planted camps, 10% of ties flipped
    camp = {n: rng.randint(0, 1) for n in nodes}
    edges = {}
    for u, v in itertools.combinations(nodes, 2):
        if rng.random() < 0.15:
            s = 1 if camp[u] == camp[v] else -1
            edges[(u, v)] = -s if rng.random() < 0.1 else s
    flipped = sum(1 for (u, v), s in edges.items() if (camp[u] == camp[v]) != (s > 0))
    index, colour, exact = N.frustration(nodes, edges, exact_max_nodes=20)
    assert not exact
    assert index == sum(1 for (u, v), s in edges.items() if (colour[u] == colour[v]) != (s > 0))
    assert index <= flipped  # at least as good as the planted split


def test_frustration_adds_up_over_blocks():
    # two unbalanced triangles joined by a bridge: 1 + 1, and the bridge is never frustrated
    nodes = ["a1", "a2", "a3", "a4", "a5", "a6"]
    edges = {("a1", "a2"): -1, ("a2", "a3"): -1, ("a1", "a3"): -1, ("a3", "a4"): 1,
             ("a4", "a5"): 1, ("a5", "a6"): 1, ("a4", "a6"): -1}
    index, colour, exact = N.frustration(nodes, edges)
    assert (index, exact) == (2, True)
    assert colour["a3"] == colour["a4"]


# ----------------------------------------------------------------------------- the example corpus

def test_example_corpus_balance_by_year_covers_the_core_years(example_kb):
    rows = N.balance_by_year(example_kb)
    assert [int(b.label) for b in rows][0] <= 1994 and [int(b.label) for b in rows][-1] >= 2001
    for b in rows:
        assert b.camps[0] and b.camps[1]
        assert 0 <= b.frustration <= b.ties
        assert b.balanced_triads <= b.triads
        for br in b.broken:
            assert br.quote and br.tie.sign in (1, -1)


def test_cli_analyze_balance_by_year(example_db):
    r = CliRunner().invoke(app, ["analyze", "balance", "--by", "year", "--db", str(example_db)])
    assert r.exit_code == 0, r.output
    for y in range(1994, 2002):
        assert str(y) in r.output
    assert "camp A" in r.output and "camp B" in r.output
    r = CliRunner().invoke(app, ["analyze", "balance", "--by", "year", "--from", "1996", "--to", "1997",
                                 "--db", str(example_db), "--json"])
    rows = json.loads(r.stdout)
    assert [row["period"] for row in rows] == ["1996", "1997"]
    assert {"frustration", "exact", "camps", "broken", "triads", "balanced_triads"} <= set(rows[0])


def test_cli_analyze_network_blocs_centrality(example_db, tmp_path):
    r = CliRunner().invoke(app, ["analyze", "network", "--at", "1998", "--db", str(example_db), "--json"])
    assert r.exit_code == 0, r.output
    ties = json.loads(r.stdout)["ties"]
    assert ties and all(t["sign"] in (1, -1) and t["facts"] for t in ties)
    png = tmp_path / "blocs.png"
    r = CliRunner().invoke(app, ["analyze", "blocs", "--db", str(example_db), "--plot", str(png)])
    assert r.exit_code == 0, r.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    r = CliRunner().invoke(app, ["analyze", "centrality", "--at", "1998", "--db", str(example_db)])
    assert r.exit_code == 0 and "betweenness" in r.output


# ----------------------------------------------------------------------------- contradictions

def test_dates_and_founders_on_which_sources_disagree():
    from conflictlens import analyze

    kb = _kb([("KLA", "armed_group"), ("Albania", "state"), ("Adem Jashari", "person"), ("Hashim Thaci", "person"),
              ("Serbia", "state")],
             [("Albania", "supports", "KLA", "1997", None, "Albania armed the KLA from 1997."),
              ("Albania", "supports", "KLA", "1998", None, "From 1998 Albania supported the KLA.")])
    kb.relations[1].evidence = [Evidence("other.txt", 0, 36, "From 1998 Albania supported the KLA.")]

    def ev(doc, s):
        return [Evidence(doc, 0, len(s), s)]

    t = lambda v, p: TimeExpr(0, 0, v, v, p)  # noqa: E731
    kb.events = [
        Event("ESTABLISH", ["a3"], ["a1"], ev("war.txt", "Adem Jashari founded the KLA in 1993."),
              time=t("1993", "year"), id="e1"),
        Event("ESTABLISH", ["a4"], ["a1"], ev("other.txt", "Hashim Thaci founded the KLA in 1994."),
              time=t("1994", "year"), id="e2"),
        Event("ATTACK", ["a5"], [], ev("war.txt", "Serbian forces attacked Prekaz on 5 March 1998."),
              place="Prekaz", time=t("1998-03-05", "day"), id="e3"),
        Event("ATTACK", ["a5"], [], ev("other.txt", "Serbian forces attacked Prekaz on 6 March 1998."),
              place="Prekaz", time=t("1998-03-06", "day"), id="e4"),
        Event("ATTACK", ["a5"], [], ev("other.txt", "Serbian forces attacked Prekaz again in 1999."),
              place="Prekaz", time=t("1999-01-20", "day"), id="e5"),
    ]
    found = {(d.kind, d.subject): d for d in analyze.date_founder_disagreements(kb)}
    # successive dates of one relation (1997, 1998) are not a disagreement
    assert {k for k, _ in found} == {"event date", "founding date", "founders"}
    assert {c[0] for c in next(d for (k, _), d in found.items() if k == "event date").claims} == {"e3", "e4"}
    assert {c[1] for c in found[("founders", "KLA")].claims} == {"Adem Jashari", "Hashim Thaci"}
    assert {c[1] for c in found[("founding date", "KLA")].claims} == {"1993", "1994"}
    assert all(c[2].quote for d in found.values() for c in d.claims)


def test_cli_contradictions_is_one_command(example_db):
    r = CliRunner().invoke(app, ["contradictions", "--db", str(example_db), "--json"])
    assert r.exit_code == 0, r.output
    for d in json.loads(r.stdout):
        assert len(d["claims"]) >= 2 and all(c["quote"] for c in d["claims"])
        if d["kind"] != "relation":
            assert len({c["doc"] for c in d["claims"]}) >= 2
    r = CliRunner().invoke(app, ["analyze", "contradictions", "--db", str(example_db)])
    assert r.exit_code != 0  # one command only: `conflictlens contradictions`
