"""Ask, answers from KB facts: a question that says nothing beyond its relation and actor takes
any fact of that relation; a regime's recognition answers for the group that leads it; what
happened, not what was tried; a place of the asked event with every asked actor."""

from __future__ import annotations

import pytest

from conflictlens import ask
from conflictlens.records import KB, Actor, Document, Event, Relation, TimeExpr
from conftest import sentence_evidence, text_mentions

# Invented sentences about an invented war.
TEXT = (
    "Soldiers of the Free Army led raids against the Red Guard. "
    "Rivals of the Red Guard were recognised by Ardan. "
    "The Red Guard's chief, Commander Vass, met envoys in Orlo. "
    "Vass was the chief of the Red Guard until 1999. "
    "The Red Guard founded the Republic of Korr in 1996. "
    "The Republic of Korr was recognised by Talmar and Osk. "
    "Earlier the Free Army had tried to kill Vass many times. "
    "Many people spoke of the killing of Vass in Orlo. "
    "In 2001 Vass was killed in an ambush in Kestral Province by agents of the Free Army. "
    "The Lower Tamber and the Orlo plain lie west of the River Sarn. "
    "In 1994 Vass and his guards joined an alliance with Ardan. "
    "Vass later aligned himself with Osk."
)
DOC = "korr.txt"


def _ev(phrase: str):
    return sentence_evidence(TEXT, DOC, phrase)


@pytest.fixture(scope="module")
def kb() -> KB:
    names = {"a1": ("Free Army", "armed_group", []), "a2": ("Red Guard", "armed_group", []),
             "a3": ("Vass", "person", ["Commander Vass"]), "a4": ("Republic of Korr", "government", []),
             "a5": ("Talmar", "state", []), "a6": ("Osk", "state", []),
             "a7": ("Ardan", "state", [])}
    actors = [Actor(i, n, t, al, {DOC: 1}) for i, (n, t, al) in names.items()]
    rels = [Relation("a3", "leads", "a2", [_ev("Red Guard's chief")], id="r1"),
            Relation("a3", "leads", "a2", [_ev("was the chief of")], id="r2"),
            Relation("a2", "leads", "a4", [_ev("founded the Republic")], id="r3"),
            Relation("a5", "recognizes", "a4", [_ev("recognised by Talmar")], id="r4"),
            Relation("a6", "recognizes", "a4", [_ev("recognised by Talmar")], id="r5")]
    events = [Event("KILL", ["a1"], ["a3"], [_ev("tried to kill")], trigger="kill", status="failed", id="e1"),
              Event("KILL", ["a1"], ["a3"], [_ev("killed in an ambush")], trigger="killed", place="Kestral Province",
                    time=TimeExpr(0, 0, "2001", "2001", "year"), id="e2")]
    return KB([Document("d1", DOC, DOC, TEXT, "x")], actors, events, rels, [], text_mentions(TEXT, DOC, actors))


def texts(a: ask.Answer) -> list[str]:
    return [x.text for x in a.answers]


def test_a_plain_relation_question_takes_the_relation_not_a_passage(kb):
    # "led raids against the Red Guard" ranks high for "led"; the KB says who led it.
    assert texts(ask.answer(kb, "Who led the Red Guard?")) == ["Vass"]


def test_recognition_of_the_regime_a_group_leads(kb):
    assert texts(ask.answer(kb, "Which countries recognised the Red Guard?")) == ["Talmar", "Osk"]


def test_who_did_it_is_what_happened_not_what_was_tried(kb):
    got = ask.answer(kb, "Who killed Vass?")
    assert texts(got) == ["Free Army"] and [a.fact for a in got.answers] == ["e2"]


def test_where_the_asked_event_with_its_actor_happened(kb):
    assert texts(ask.answer(kb, "Where was Vass killed?")) == ["Kestral Province"]


def test_which_river_is_a_where_question(kb):
    q = ask.parse_question(kb, "West of which river do the Lower Tamber and the Orlo plain lie?")
    assert q.kind == "where" and q.answer_types == frozenset({"place"})
    assert texts(ask.answer(kb, "West of which river do the Lower Tamber and the Orlo plain lie?")) == ["River Sarn"]


def test_a_confirmed_fact_answers_first(kb):
    # The user confirmed that Talmar's envoy led the Red Guard: it outranks the two unconfirmed.
    extra = Relation("a5", "leads", "a2", [_ev("recognised by Talmar")], id="r9")
    extra.confirmed = True
    kb2 = KB(kb.documents, kb.actors, kb.events, [*kb.relations, extra], kb.figures, kb.mentions)
    assert texts(ask.answer(kb2, "Who led the Red Guard?")) == ["Talmar"]


def test_the_asked_year_rules_out_an_event_of_another_year(kb):
    agree = Event("AGREE", ["a3"], ["a7"], [_ev("joined an alliance")], trigger="joined",
                  time=TimeExpr(0, 0, "1994", "1994", "year"), id="e9")
    ally = Relation("a3", "allied_with", "a6", [_ev("aligned himself")], id="r9")
    kb2 = KB(kb.documents, kb.actors, [*kb.events, agree], [*kb.relations, ally], kb.figures, kb.mentions)
    assert texts(ask.answer(kb2, "Who was Vass allied with in 1999?")) == ["Osk"]
