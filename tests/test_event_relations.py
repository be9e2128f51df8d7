"""Tests for conflictlens.extract.event_relations: fights read off events and war names,
and the event arguments they rely on (supporters are no agents, "X repelled Y's offensive").

Sentences are written for these tests, about wars other than the example corpus.
"""

from __future__ import annotations

import re

import pytest

from conflictlens.extract.event_relations import named_war_relations, relations_from_events
from conflictlens.extract.events import extract_events
from conflictlens.nlp import load_nlp
from conflictlens.records import Document, Event, Evidence, LocalActor, Mention, Relation, TimeExpr

QUOTE = "In 1999, the Northern Army attacked the rebels and besieged Jaffna."


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def _actor(key: str, name: str, type_: str) -> LocalActor:
    return LocalActor(key=key, name=name, type=type_)


def _event(etype: str, agents: list[str], targets: list[str], status: str = "happened",
           time: TimeExpr | None = None) -> Event:
    ev = Evidence("t.txt", 0, len(QUOTE), QUOTE)
    return Event(type=etype, agents=agents, targets=targets, evidence=[ev], status=status,
                 time=time or TimeExpr(3, 7, "1999", "1999", "year"))


ACTORS = [
    _actor("army", "Northern Army", "military_unit"),
    _actor("rebels", "Tamil Rebels", "armed_group"),
    _actor("north", "Northland", "state"),
    _actor("jaffna", "Jaffna", "organisation"),  # a town typed as a name
    _actor("tamils", "Tamils", "ethnic_group"),
    _actor("gen", "General Perera", "person"),
]


def _pairs(rels: list[Relation]) -> set[tuple[str, str]]:
    return {(r.source, r.target) for r in rels if r.relation == "fights"}


# ------------------------------------------------------------------ relations from events

def test_attack_between_sides_is_fights_with_event_date_and_sentence():
    rels = relations_from_events([_event("ATTACK", ["army"], ["rebels"])], ACTORS, [])
    assert _pairs(rels) == {("army", "rebels")}
    r = rels[0]
    assert r.start == "1999" and r.evidence[0].quote == QUOTE


@pytest.mark.parametrize("etype", ["BATTLE", "INVADE"])
def test_battle_and_invasion_are_fights(etype):
    assert _pairs(relations_from_events([_event(etype, ["north"], ["rebels"])], ACTORS, []))


@pytest.mark.parametrize("etype", ["CAPTURE", "KILL", "AID", "NEGOTIATE", "WITHDRAW"])
def test_other_event_types_are_no_fights(etype):
    assert not relations_from_events([_event(etype, ["army"], ["rebels"])], ACTORS, [])


def test_what_was_captured_from_a_side_makes_it_a_side():
    quote = "In 1999, the Northern Army took the fort from the Tamil Rebels."
    ev = Evidence("t.txt", 0, len(quote), quote)
    took = Event(type="CAPTURE", agents=["army"], targets=["rebels"], evidence=[ev],
                 time=TimeExpr(3, 7, "1999", "1999", "year"))
    assert _pairs(relations_from_events([took], ACTORS, [])) == {("army", "rebels")}


@pytest.mark.parametrize("status", ["reference", "failed", "alleged", "denied"])
def test_only_events_that_happened(status):
    assert not relations_from_events([_event("ATTACK", ["army"], ["rebels"], status)],
                                     ACTORS, [])


def test_attacking_into_a_state_fights_it():
    quote = "In 1999 the Northern Army counter-attacked into Northland from the south."
    ev = Evidence("t.txt", 0, len(quote), quote)
    attack = Event(type="ATTACK", agents=["army"], targets=[], evidence=[ev],
                   trigger="counter-attacked", place="Northland")
    assert _pairs(relations_from_events([attack], ACTORS, [])) == {("army", "north")}
    attack.evidence = [Evidence("t.txt", 0, 20, "The army attacked into the hills of Northland")]
    assert not relations_from_events([attack], ACTORS, [])


def test_a_place_is_no_side():
    assert not relations_from_events([_event("ATTACK", ["army"], ["jaffna"])], ACTORS, [])


def test_an_attacked_population_is_no_side_but_a_people_giving_battle_is():
    assert not relations_from_events([_event("ATTACK", ["army"], ["tamils"])], ACTORS, [])
    assert relations_from_events([_event("BATTLE", ["army"], ["tamils"])], ACTORS, [])


@pytest.mark.parametrize("relation", ["part_of", "leads", "member_of", "allied_with"])
def test_one_side_never_fights_itself(relation):
    ev = Evidence("t.txt", 0, 5, QUOTE[:5])
    tie = Relation("gen", relation, "army", [ev])
    assert not relations_from_events([_event("BATTLE", ["gen"], ["army"])], ACTORS, [tie])


def test_a_pair_already_said_to_fight_undated_is_not_redated():
    ev = Evidence("t.txt", 0, 5, QUOTE[:5])
    said = Relation("rebels", "fights", "army", [ev])
    assert not relations_from_events([_event("ATTACK", ["army"], ["rebels"])], ACTORS, [said])


def test_range_and_open_dates():
    span = TimeExpr(0, 4, "1999-2001", "1999", "year", value_end="2001")
    rel = relations_from_events([_event("BATTLE", ["army"], ["rebels"], time=span)], ACTORS, [])
    assert (rel[0].start, rel[0].end) == ("1999", "2001")
    before = TimeExpr(0, 4, "before 1999", "1999", "year", modifier="BEFORE")
    rel = relations_from_events([_event("BATTLE", ["army"], ["rebels"], time=before)], ACTORS, [])
    assert rel[0].start is None


# ------------------------------------------------------------------ war names

WAR_ACTORS = [
    _actor("chile", "Chile", "state"), _actor("peru", "Peru", "state"),
    _actor("china", "China", "state"), _actor("japan", "Japan", "state"),
    _actor("iran", "Iran", "state"), _actor("iraq", "Iraq", "state"),
    _actor("ottoman", "Ottoman", "ethnic_group"), _actor("italy", "Italy", "state"),
    _actor("uk", "United Kingdom", "state"), _actor("fr", "France", "state"),
]


def _wars(nlp, text: str, actors=WAR_ACTORS, relations=()):
    doc = Document(id="t", name="t.txt", path="t.txt", text=text, sha256="0")
    rels = named_war_relations(nlp(text), doc, actors, list(relations))
    for r in rels:
        e = r.evidence[0]
        assert text[e.start:e.end] == e.quote
    return {(frozenset((r.source, r.target)), r.start, r.end) for r in rels}


@pytest.mark.parametrize("text,pair,start,end", [
    ("The Sino-Japanese War of 1894–1895 shook the region.", {"china", "japan"}, "1894", "1895"),
    ("Trade fell during the Iran–Iraq war (1980–88) in the Gulf.", {"iran", "iraq"}, "1980", "1988"),
    ("The 1879 Chilean-Peruvian War ended badly.", {"chile", "peru"}, "1879", None),
    ("Both remembered the Anglo-French War.", {"uk", "fr"}, None, None),
])
def test_war_names_join_their_two_states(nlp, text, pair, start, end):
    assert _wars(nlp, text) == {(frozenset(pair), start, end)}


def test_an_old_war_is_fought_by_the_state_of_its_time(nlp):
    # before 1923 "Turkish" is the Ottoman Empire, which this document names "Ottoman"
    got = _wars(nlp, "Italy won the Italo-Turkish War of 1911–1912 quickly.")
    assert got == {(frozenset({"italy", "ottoman"}), "1911", "1912")}


def test_one_state_with_a_hyphen_is_no_war_of_two(nlp):
    actors = [*WAR_ACTORS, _actor("at", "Austria", "state"), _actor("hu", "Hungary", "state")]
    assert not _wars(nlp, "The Austro-Hungarian war plans were old.", actors=actors)
    assert _wars(nlp, "The Austro-Italian War of 1866 was short.", actors=actors)


def test_a_side_the_document_does_not_know_gives_nothing(nlp):
    assert not _wars(nlp, "The Franco-Prussian War of 1870 changed Europe.")
    assert not _wars(nlp, "The Soviet-Afghan War lasted ten years.")


def test_a_pair_already_fighting_undated_keeps_its_statement(nlp):
    ev = Evidence("t.txt", 0, 3, "The")
    said = Relation("iraq", "fights", "iran", [ev])
    assert not _wars(nlp, "The Iran–Iraq war (1980–88) was long.", relations=[said])


# ------------------------------------------------------------------ event arguments

NAMES = {"Serbia": "serbia", "Bulgaria": "bulgaria", "Bulgarian": "bulgaria",
         "Greece": "greece", "Russia": "russia", "Austria": "austria", "Italy": "italy"}


def _run_events(nlp, text: str) -> list[Event]:
    names = "|".join(NAMES)
    mentions = [Mention(NAMES[m.group()], m.group(), m.start(), m.end())
                for m in re.finditer(rf"\b(?:{names})\b", text)]
    doc = Document(id="t", name="t.txt", path="t.txt", text=text, sha256="0")
    return extract_events(nlp(text), doc, mentions, [])


def test_the_help_of_x_makes_no_participant(nlp):
    # "help of Russia and Italy": the conjunct once leaked in as a target
    events = _run_events(nlp, "Serbia battled Bulgaria with the help of Russia and Italy.")
    assert [(e.agents, e.targets) for e in events] == [(["serbia"], ["bulgaria"])]


def test_who_supported_a_bombing_did_not_bomb(nlp):
    # The parse a long list of backers can get: "Troops, supported by Italy, Spain and
    # Russia's bombing of Serbia, took Bulgaria", the bombing the object of "supported".
    from spacy.tokens import Doc

    words = ["Troops", "supported", "by", "Italy", "Spain", "and", "Russia", "'s", "bombing",
             "of", "Serbia", "took", "Bulgaria", "."]
    heads = [11, 0, 1, 2, 3, 4, 8, 6, 1, 8, 9, 11, 11, 11]
    deps = ["nsubj", "acl", "agent", "pobj", "conj", "cc", "poss", "case", "dobj", "prep",
            "pobj", "ROOT", "dobj", "punct"]
    pos = ["NOUN", "VERB", "ADP", "PROPN", "PROPN", "CCONJ", "PROPN", "PART", "NOUN", "ADP",
           "PROPN", "VERB", "PROPN", "PUNCT"]
    tags = ["NNS", "VBN", "IN", "NNP", "NNP", "CC", "NNP", "POS", "NN", "IN", "NNP", "VBD",
            "NNP", "."]
    lemmas = ["troop", "support", "by", "Italy", "Spain", "and", "Russia", "'s", "bombing",
              "of", "Serbia", "take", "Bulgaria", "."]
    spaces = [True] * 6 + [False] + [True] * 5 + [False, False]
    sdoc = Doc(nlp.vocab, words=words, spaces=spaces, heads=heads, deps=deps, pos=pos,
               tags=tags, lemmas=lemmas)
    names = {"Italy": "italy", "Spain": "spain", "Russia": "russia", "Serbia": "serbia",
             "Bulgaria": "bulgaria"}
    mentions = [Mention(names[t.text], t.text, t.idx, t.idx + len(t)) for t in sdoc
                if t.text in names]
    doc = Document(id="t", name="t.txt", path="t.txt", text=sdoc.text, sha256="0")
    bombing = [e for e in extract_events(sdoc, doc, mentions, []) if e.trigger == "bombing"]
    assert bombing and bombing[0].agents == ["russia"] and bombing[0].targets == ["serbia"]


def test_who_repelled_an_offensive_fought_its_side(nlp):
    events = _run_events(nlp, "Serbia repelled the Bulgarian offensive near the river.")
    battle = [e for e in events if e.type == "BATTLE"]
    assert battle and battle[0].agents == ["serbia"] and battle[0].targets == ["bulgaria"]


def test_who_halted_an_attack_is_its_target(nlp):
    events = _run_events(nlp, "In the spring, Serbia halted a Bulgarian attack near the river.")
    attack = [e for e in events if e.type == "ATTACK"]
    assert attack and attack[0].agents == ["bulgaria"] and attack[0].targets == ["serbia"]


def test_who_attacked_and_was_defeated_is_the_defeated_side(nlp):
    text = "Bulgaria shelled Sofia in early 1913 but was defeated by Serbia and Greece."
    battle = [e for e in _run_events(nlp, text) if e.type in ("ATTACK", "BATTLE")]
    assert len(battle) == 1
    assert set(battle[0].agents) == {"serbia", "greece"} and battle[0].targets == ["bulgaria"]


def test_came_under_attack_by(nlp):
    text = "From 1992 until 1994, Serbia came under attack by Bulgaria's militia and Greece."
    attack = [e for e in _run_events(nlp, text) if e.type == "ATTACK"]
    assert attack and set(attack[0].agents) == {"bulgaria", "greece"}
    assert attack[0].targets == ["serbia"]


def test_a_prefixed_attack_the_lemmatizer_mangles_is_an_attack(nlp):
    events = _run_events(nlp, "In July 1913 Greece counter-attacked into Bulgaria from the south.")
    assert [(e.type, e.agents) for e in events] == [("ATTACK", ["greece"])]


def test_intervening_against_a_state_is_fighting_it():
    from conflictlens.pipeline import extract_document
    from conftest import parsed

    doc, sdoc = parsed("Peru and Chile were neighbours. In 1880 Peru intervened against Chile.")
    facts = extract_document(doc, sdoc)
    names = {a.key: a.name for a in facts.actors}
    assert {(names[r.source], names[r.target]) for r in facts.relations
            if r.relation == "fights"} == {("Peru", "Chile")}
