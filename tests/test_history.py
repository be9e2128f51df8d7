"""Relation histories and contradicting figures: the query layer, the CLI, end to end."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from conflictlens import analyze
from conflictlens.cli import app
from conflictlens.errors import NotFoundError
from conflictlens.records import KB, Actor, Evidence, Figure, Relation

runner = CliRunner()


def ev(doc: str, quote: str, start: int = 0) -> Evidence:
    return Evidence(doc, start, start + len(quote), quote)


def kb_of(relations=(), figures=()) -> KB:
    actors = [Actor("a1", "India", "state", mentions={"d.txt": 3}),
              Actor("a2", "Liberation Tigers of Tamil Eelam", "armed_group", ["LTTE"], {"d.txt": 5}),
              Actor("a3", "Sri Lanka", "state", mentions={"d.txt": 4})]
    rels = list(relations)
    for i, r in enumerate(rels, 1):
        r.id = f"r{i}"
    figs = list(figures)
    for i, f in enumerate(figs, 1):
        f.id = f"f{i}"
    return KB(actors=actors, relations=rels, figures=figs)


# --------------------------------------------------------------------------- history


def test_support_is_closed_by_the_change_that_ended_it():
    kb = kb_of([
        Relation("a1", "supports", "a2", [ev("d.txt", "From 1983 India trained the LTTE.")], start="1983",
                 qualifier="training"),
        Relation("a1", "ceased_support", "a2", [ev("d.txt", "In 1987 India ended its support.", 40)],
                 start="1987"),
        Relation("a1", "fights", "a2", [ev("d.txt", "The IPKF fought the LTTE until 1990.", 80)],
                 start="1987", end="1990"),
        Relation("a1", "supports", "a3", [ev("d.txt", "India backed Sri Lanka.", 120)], start="1987"),
    ])
    h = analyze.history(kb, "India", "LTTE")
    assert [(e.relation, e.start, e.end) for e in h] == [
        ("supports", "1983", "1987"), ("ceased_support", "1987", None), ("fights", "1987", "1990")]
    assert h[0].change == "ceased_support 1987" and h[0].ended_by == "r2"
    assert h[0].qualifiers == ["training"] and h[0].evidence[0].quote.startswith("From 1983")
    # The other pair is not part of this history; the order of the names does not matter.
    assert [e.relation_ids for e in analyze.history(kb, "LTTE", "India")] == [["r1"], ["r2"], ["r3"]]


def test_undated_support_comes_before_the_change_that_ended_it():
    kb = kb_of([
        Relation("a1", "ceased_support", "a2", [ev("d.txt", "In 1987 India stopped arming the LTTE.")],
                 start="1987"),
        Relation("a1", "supports", "a2", [ev("d.txt", "India armed the LTTE.", 50)], qualifier="military"),
        Relation("a1", "supports", "a2", [ev("d.txt", "India funded the LTTE.", 90)], qualifier="financial"),
    ])
    h = analyze.history(kb, "India", "LTTE")
    assert [(e.relation, e.start, e.end) for e in h] == [("supports", None, "1987"),
                                                        ("ceased_support", "1987", None)]
    # Two quotes of one span are one entry with both qualifiers.
    assert h[0].qualifiers == ["military", "financial"] and len(h[0].evidence) == 2


def test_a_change_before_the_span_began_does_not_end_it():
    kb = kb_of([
        Relation("a1", "ceased_support", "a2", [ev("d.txt", "In 1987 India stopped arming the LTTE.")],
                 start="1987"),
        Relation("a1", "supports", "a2", [ev("d.txt", "In 2001 India helped the LTTE.", 50)], start="2001"),
        Relation("a2", "ceased_support", "a1", [ev("d.txt", "In 2003 the LTTE cut ties.", 90)], start="2003"),
    ])
    h = analyze.history(kb, "India", "LTTE")
    support = next(e for e in h if e.relation == "supports")
    # The LTTE ending *its* support does not end India's (ceasing is directional).
    assert support.end is None and support.change is None


def test_severed_ties_end_an_alliance_either_way():
    kb = kb_of([
        Relation("a1", "allied_with", "a3", [ev("d.txt", "India and Sri Lanka were allies.")], start="1987"),
        Relation("a3", "ceased_support", "a1", [ev("d.txt", "Sri Lanka severed ties in 1990.", 40)],
                 start="1990", qualifier="diplomatic"),
    ])
    h = analyze.history(kb, "Sri Lanka", "India")
    assert (h[0].relation, h[0].start, h[0].end, h[0].change) == ("allied_with", "1987", "1990",
                                                                  "ceased_support 1990")


def test_unknown_actor_raises():
    with pytest.raises(NotFoundError):
        analyze.history(kb_of(), "India", "Atlantis")


# --------------------------------------------------------------------------- contradictions


def fig(kind, low, high, what, doc, actor=None, who="civilians", p0=None, p1=None, start=0):
    return Figure(kind, low, high, what, [ev(doc, f"{what} {low}-{high}", start)], who=who,
                  period_start=p0, period_end=p1, actor=actor)


def test_different_counts_of_one_thing_from_two_sources_are_flagged():
    kb = kb_of(figures=[
        fig("deaths", 8000, 8000, "killed: Bosniak men", "a.txt", p0="1995", p1="1995"),
        fig("deaths", 7000, 7000, "killed: Bosniak men", "b.txt", p0="1995", p1="1995"),
        fig("deaths", 7500, 8500, "killed: Bosniak men", "c.txt"),  # holds 8,000: agrees with f1
        fig("deaths", 100, 100, "killed: Bosniak men", "d.txt", p0="2010", p1="2010"),
    ])
    got = {(c.first.id, c.second.id, c.severity) for c in analyze.contradictions(kb)}
    # f4 is of another time than f1 and f2; the undated f3 may be of any time.
    assert got == {("f1", "f2", "disjoint"), ("f2", "f3", "disjoint"), ("f3", "f4", "disjoint")}
    c = analyze.contradictions(kb)[0]
    assert c.what == "bosniak men" and c.first.evidence[0].doc == "a.txt"
    kb = kb_of(figures=[fig("deaths", 1500, 3000, "killed: Bosniak men", "a.txt"),
                        fig("deaths", 2500, 4000, "killed: Bosniak men", "b.txt")])
    assert [c.severity for c in analyze.contradictions(kb)] == ["partial"]


def test_agreeing_or_unrelated_figures_are_not_flagged():
    kb = kb_of(figures=[
        fig("deaths", 1500, 3000, "killed: Tamil fighters", "a.txt"),
        fig("deaths", 2000, 2000, "killed: Tamil fighters", "b.txt"),  # inside the range: agrees
        fig("deaths", None, 3000, "killed: people", "a.txt", start=100),
        fig("deaths", 40000, 40000, "killed: people", "b.txt", start=100),  # bare "people": no group
        fig("force_size", 523, 523, "force size: Indian soldiers", "a.txt", "a1", "combatants", start=200),
        fig("force_size", 14453, 14453, "force size: Indian soldiers", "a.txt", "a1", "combatants", start=300),
    ])
    # One document's two numbers for one noun are two groups unless their period is the same.
    assert analyze.contradictions(kb) == []


def test_same_owner_across_documents_is_one_force():
    kb = kb_of(figures=[
        fig("force_size", 70000, 70000, "force size: Indian soldiers", "a.txt", "a1", "combatants"),
        fig("force_size", 100000, 100000, "force size: troops", "b.txt", "a1", "combatants"),
    ])
    [c] = analyze.contradictions(kb, kind="force_size")
    assert (c.first.low, c.second.low) == (70000, 100000)
    assert analyze.contradictions(kb, kind="deaths") == []


# --------------------------------------------------------------------------- the example corpus


def test_saudi_support_for_the_taliban_then_its_end_in_1998(example_kb):
    h = analyze.history(example_kb, "Saudi Arabia", "Taliban")
    rels = [e.relation for e in h]
    assert "supports" in rels and "ceased_support" in rels
    support = next(e for e in h if e.relation == "supports" and e.change)
    ceased = next(e for e in h if e.relation == "ceased_support")
    assert ceased.start[:4] == "1998" and rels.index("supports") < rels.index("ceased_support")
    assert support.end[:4] == "1998" and support.change.startswith("ceased_support 1998")
    assert any("ceased financial support" in e.quote for e in ceased.evidence)
    assert analyze.find_actor(example_kb, "Saudi Arabia").id == support.source


def test_history_and_contradictions_commands(example_db):
    r = runner.invoke(app, ["history", "Saudi Arabia", "Taliban", "--db", str(example_db)])
    assert r.exit_code == 0, r.output
    assert "ceased_support" in r.output and "1998" in r.output and "supports" in r.output
    r = runner.invoke(app, ["history", "Saudi Arabia", "Taliban", "--db", str(example_db), "--json"])
    rows = json.loads(r.stdout)
    assert rows[0]["source_name"] == "Saudi Arabia" and rows[0]["evidence"][0]["quote"]
    r = runner.invoke(app, ["history", "Saudi Arabia", "Atlantis", "--db", str(example_db)])
    assert r.exit_code == 1 and "E004" in r.output
    r = runner.invoke(app, ["contradictions", "--db", str(example_db), "--json"])
    assert r.exit_code == 0, r.output
    found = json.loads(r.stdout)
    assert all(len(d["claims"]) >= 2 and all(c["quote"] for c in d["claims"]) for d in found)
    # The example corpus gives two sizes for Iran's troops on the border.
    figures = [d for d in found if d["kind"] == "figure"]
    assert any(d["claims"][0]["doc"] != d["claims"][1]["doc"] for d in figures)
    r = runner.invoke(app, ["contradictions", "--db", str(example_db)])
    assert r.exit_code == 0 and "Sources that disagree" in r.output and "figure" in r.output


OTHER_WAR = """= South Africa and UNITA =

In the late 1970s South Africa supported UNITA with training and weapons against the MPLA government of Angola.
In 1989, South Africa stopped its military support to UNITA after the New York Accords.
From 1992 to 1994 UNITA fought the MPLA again.
"""


def test_history_of_another_war_end_to_end(tmp_path, parse_cache):
    from conflictlens import store
    from conflictlens.pipeline import build

    (tmp_path / "angola.txt").write_text(OTHER_WAR, encoding="utf-8")
    db = tmp_path / "ao.db"
    build([tmp_path / "angola.txt"], db, cache_dir=parse_cache, n_process=1)
    h = analyze.history(store.load(db), "South Africa", "UNITA")
    assert [(e.relation, (e.start or "")[:4], (e.end or "")[:4]) for e in h] == [
        ("supports", "1970", "1989"), ("ceased_support", "1989", "")]
    assert h[0].qualifiers == ["training"] and h[0].change == f"ceased_support {h[1].start}"
