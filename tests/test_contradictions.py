"""Contradictions: only real disagreements, one command, both quotes. Records are written
by hand for a made-up war between Norland, the Southern Front and Tarvia."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from conflictlens import analyze, store
from conflictlens.cli import app
from conflictlens.records import KB, Actor, Document, Event, Evidence, Figure, Relation, TimeExpr

ACTORS = [Actor("a1", "Norland", "state", mentions={"a.txt": 5}),
          Actor("a2", "Southern Front", "armed_group", mentions={"a.txt": 4}),
          Actor("a3", "Tarvia", "state", mentions={"a.txt": 3})]


def ev(doc: str, quote: str, at: int = 0) -> Evidence:
    return Evidence(doc, at, at + len(quote), quote)


def rel(i: int, s: str, r: str, t: str, start: str | None, quote: str, doc: str = "a.txt") -> Relation:
    return Relation(s, r, t, [ev(doc, quote, 50 * i)], start=start, id=f"r{i}")


def kb(relations=(), events=(), figures=()) -> KB:
    return KB(actors=list(ACTORS), relations=list(relations), events=list(events), figures=list(figures))


def test_successive_dates_of_one_relation_are_not_a_contradiction():
    k = kb([rel(1, "a3", "supports", "a2", "1994", "In 1994 Tarvia armed the Southern Front."),
            rel(2, "a3", "supports", "a2", "1998", "In 1998 Tarvia still armed the Front.", doc="b.txt")])
    assert analyze.disagreements(k) == []


def test_a_relation_and_its_contrary_at_the_same_time():
    k = kb([rel(1, "a3", "allied_with", "a1", "1996", "In 1996 Tarvia was allied with Norland."),
            rel(2, "a3", "fights", "a1", "1996-05", "In May 1996 Tarvia fought Norland.", doc="b.txt")])
    [d] = analyze.disagreements(k)
    assert d.kind == "relation" and {c[0] for c in d.claims} == {"r1", "r2"}
    assert all(c[2].quote for c in d.claims)


def test_a_change_of_side_at_different_times_is_a_succession():
    k = kb([rel(1, "a3", "allied_with", "a1", "1994", "In 1994 Tarvia was allied with Norland."),
            rel(2, "a3", "fights", "a1", "1996", "In 1996 Tarvia fought Norland.")])
    assert analyze.disagreements(k) == []


def test_two_dates_for_one_event_and_two_figures_for_one_quantity():
    t = lambda v: TimeExpr(0, 0, v, v, "day")  # noqa: E731
    k = kb(events=[
        Event("CAPTURE", ["a2"], [], [ev("a.txt", "The Front took Vella on 3 May 1995.")], place="Vella",
              time=t("1995-05-03"), id="e1"),
        Event("CAPTURE", ["a2"], [], [ev("b.txt", "The Front took Vella on 9 May 1995.")], place="Vella",
              time=t("1995-05-09"), id="e2")],
        figures=[Figure("deaths", 300, 300, "killed: Vella civilians", [ev("a.txt", "300 Vella civilians died.", 90)],
                        id="f1"),
                 Figure("deaths", 1200, 1200, "killed: Vella civilians",
                        [ev("b.txt", "1,200 Vella civilians died.", 90)], id="f2")])
    found = {d.kind: d for d in analyze.disagreements(k)}
    assert set(found) == {"event date", "figure"}
    assert {c[1] for c in found["event date"].claims} == {"1995-05-03", "1995-05-09"}
    assert found["figure"].severity == "disjoint" and {c[0] for c in found["figure"].claims} == {"f1", "f2"}
    assert analyze.disagreements(k, "force_size") == []


def test_one_command_lists_every_kind_with_both_quotes(tmp_path):
    text = "In 1996 Tarvia was allied with Norland. In May 1996 Tarvia fought Norland."
    k = kb([Relation("a3", "allied_with", "a1", [ev("a.txt", text[:39])], start="1996", id="r1"),
            Relation("a3", "fights", "a1", [ev("a.txt", text[40:], 40)], start="1996-05", id="r2")])
    k.documents = [Document("d1", "a.txt", "a.txt", text, "x")]
    db = tmp_path / "kb.db"
    store.save(k, db, meta={})
    r = CliRunner().invoke(app, ["contradictions", "--db", str(db), "--json"])
    assert r.exit_code == 0, r.output
    [d] = json.loads(r.stdout)
    assert d["kind"] == "relation" and [c["quote"] for c in d["claims"]] == [text[:39], text[40:]]
    r = CliRunner().invoke(app, ["contradictions", "--db", str(db)])
    assert r.exit_code == 0 and "Sources that disagree" in r.output and "relation" in r.output
