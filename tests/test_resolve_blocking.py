"""Blocked resolve == all-pairs resolve: the actors and events the blocked versions merge are
exactly those the old loops over every pair merged (tests/resolve_allpairs.py keeps them),
on generated inputs and on small hand-written ones. Names and events are made up."""

from __future__ import annotations

import copy
import dataclasses
from difflib import SequenceMatcher

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conflictlens.records import DocFacts, Document, Event, Evidence, LocalActor, Mention, TimeExpr
from conflictlens.resolve import merge_events, resolve_actors
from conflictlens.resolve_blocking import (
    TieIndex,
    masked_keys,
    may_be_misspelt,
    may_be_similar,
    shared_word_keys,
    union_alike,
)
from resolve_allpairs import merge_events_allpairs, resolve_actors_allpairs

# ---------------------------------------------------------------------------- actors

# Words with transliteration-like variants, one pair whose difflib ratio reaches 0.8 in one
# direction only ("Babaaad" → "Babadabd" 0.8, back 0.67), titles, particles, "the".
_WORDS = ["Ahmad", "Ahmed", "Shah", "Massoud", "Masoud", "Babaaad", "Babadabd", "al", "Qaeda", "Queda",
          "General", "Army", "Forces", "Mohaqiq", "Muhaqiq", "Front", "Fronte", "the", "Ab", "Kor"]
_VARIANT = {"Ahmad": "Ahmed", "Massoud": "Masoud", "Mohaqiq": "Muhaqiq", "Qaeda": "Queda",
            "Babaaad": "Babadabd", "Front": "Fronte", "Shah": "Shah"}
# full names whose words are varied one by one: variants agree at any position, or none
_BASES = ["Ahmad Shah Massoud", "Muhammad Mohaqiq", "al Qaeda", "General Ahmad Babaaad", "Massoud Front",
          "Babaaad Massoud", "Massoud Babaaad", "Kor Army Front"]
_TYPES = ["person", "person", "organisation", "armed_group", "military_unit", "state", "ethnic_group"]


@st.composite
def _local_actor(draw, key: str, doc: str) -> LocalActor:
    def name():
        if draw(st.booleans()):
            words = [_VARIANT.get(w, w) if draw(st.booleans()) else w
                     for w in draw(st.sampled_from(_BASES)).split()]
        else:
            words = draw(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=3))
        return draw(st.sampled_from([" ", "-"])).join(words)

    main = name()
    aliases = set(draw(st.lists(st.builds(name), max_size=2))) - {main}
    weak = {a for a in aliases if draw(st.booleans())}
    n = draw(st.integers(0, 3))
    mentions = [Mention(key, main, i * 10, i * 10 + len(main), doc) for i in range(n)]
    return LocalActor(key=key, name=main, type=draw(st.sampled_from(_TYPES)), aliases=aliases,
                      mentions=mentions, weak_aliases=weak)


@st.composite
def _corpus(draw) -> list[DocFacts]:
    facts = []
    for d in range(draw(st.integers(1, 4))):
        doc = f"d{d}.txt"
        actors = [draw(_local_actor(f"k{i}", doc)) for i in range(draw(st.integers(0, 6)))]
        facts.append(DocFacts(document=Document(id=f"id{d}", name=doc, path=doc, text="", sha256=""), actors=actors))
    return facts


def _same_actors(facts: list[DocFacts]) -> None:
    new_actors, new_ids = resolve_actors(copy.deepcopy(facts))
    old_actors, old_ids = resolve_actors_allpairs(copy.deepcopy(facts))
    assert new_ids == old_ids
    assert [dataclasses.asdict(a) for a in new_actors] == [dataclasses.asdict(a) for a in old_actors]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_corpus())
def test_blocked_actor_merges_are_the_all_pairs_ones(facts):
    _same_actors(facts)


def _person(key: str, name: str, type_: str = "person") -> LocalActor:
    return LocalActor(key=key, name=name, type=type_, mentions=[Mention(key, name, 0, len(name))])


def _docs(*actors_by_doc: list[LocalActor]) -> list[DocFacts]:
    return [DocFacts(document=Document(id=f"id{i}", name=f"d{i}.txt", path="", text="", sha256=""), actors=list(a))
            for i, a in enumerate(actors_by_doc)]


def test_the_one_direction_pair_merges_only_in_the_order_the_old_loop_asked():
    assert SequenceMatcher(None, "babaaad", "babadabd").ratio() >= 0.8 > \
        SequenceMatcher(None, "babadabd", "babaaad").ratio()
    forward = _docs([_person("k1", "Ahmad Babaaad")], [_person("k1", "Ahmad Babadabd")])
    backward = _docs([_person("k1", "Ahmad Babadabd")], [_person("k1", "Ahmad Babaaad")])
    assert len(set(resolve_actors(copy.deepcopy(forward))[1].values())) == 1
    assert len(set(resolve_actors(copy.deepcopy(backward))[1].values())) == 2
    _same_actors(forward)
    _same_actors(backward)


def test_a_one_direction_pair_asked_in_each_direction_between_members_of_two_names():
    # d0 and d2 name one person the same way; d1's spelling is alike only asked first
    facts = _docs([_person("k1", "Ahmad Babadabd")], [_person("k1", "Ahmad Babaaad")],
                  [_person("k1", "Ahmad Babadabd")])
    assert len(set(resolve_actors(copy.deepcopy(facts))[1].values())) == 1
    _same_actors(facts)


def test_variants_that_share_a_later_word_only():
    facts = _docs([_person("k1", "Ahmad Shah Massoud")], [_person("k1", "Ahmed Shah Massoud")])
    assert len(set(resolve_actors(copy.deepcopy(facts))[1].values())) == 1
    _same_actors(facts)


def test_spelling_variants_of_a_person_join_across_documents_only():
    across = _docs([_person("k1", "Muhammad Mohaqiq")], [_person("k1", "Muhammad Muhaqiq")])
    within = _docs([_person("k1", "Muhammad Mohaqiq"), _person("k2", "Muhammad Muhaqiq")])
    assert len(set(resolve_actors(across)[1].values())) == 1
    assert len(set(resolve_actors(within)[1].values())) == 2


def test_a_misspelt_group_joins_also_within_a_document():
    facts = _docs([_person("k1", "Al-Qaeda", "armed_group"), _person("k2", "al Queda", "armed_group")],
                  [_person("k1", "Shura Council", "organisation")])
    ids = resolve_actors(facts)[1]
    assert ids[("d0.txt", "k1")] == ids[("d0.txt", "k2")] != ids[("d1.txt", "k1")]


def test_one_name_in_several_documents_is_one_component_of_other_documents():
    # the same full name twice in d0 and once in d1: the pairs across documents tie all three
    seen = []
    members = [("d0", "x", "Ahmad Shah"), ("d0", "y", "Ahmad Shah"), ("d1", "z", "Ahmad Shah")]
    union_alike(lambda a, b: seen.append({a, b}), members, lambda a, b: True, shared_word_keys,
                may_be_similar, other_docs=True)
    assert {frozenset(s) for s in seen} == {frozenset("xy"), frozenset("xz")}
    seen.clear()
    union_alike(lambda a, b: seen.append({a, b}), members[:2], lambda a, b: True, shared_word_keys,
                may_be_similar, other_docs=True)
    assert seen == []


def test_keys_cover_what_the_comparisons_accept():
    assert shared_word_keys(("ahmad", "shah")) & shared_word_keys(("ahmed", "shah"))
    assert not shared_word_keys(("massoud",))
    assert masked_keys(("al", "qaeda")) & masked_keys(("al", "queda"))
    assert not masked_keys(("al", "qaeda")) & masked_keys(("el", "queda"))
    assert not may_be_similar(("ahmad", "ab"), ("ahmad", "abcdefgh"))
    assert may_be_similar(("ahmad", "shah"), ("ahmed", "shah"))
    assert not may_be_misspelt(("al", "qaeda"), ("al", "qaeda"))
    assert may_be_misspelt(("al", "qaeda"), ("al", "queda"))


# ---------------------------------------------------------------------------- events

_DATES = [("1994-05-03", None, "day"), ("1994-05-04", None, "day"), ("1994-05", None, "month"),
          ("1994", None, "year"), ("1995", None, "year"), ("1990", None, "decade"),
          ("1994-04", "1994-06", "month"), None]
_PLACES = [None, "", "Vella", "North Vella", "Vella-Kor", "Kor", "—"]


@st.composite
def _event(draw, n: int) -> Event:
    actors = st.lists(st.sampled_from(["a1", "a2", "a3", "a4"]), max_size=2, unique=True)
    when = draw(st.sampled_from(_DATES))
    time = TimeExpr(0, 0, "", when[0], when[2], value_end=when[1], relative=draw(st.booleans())) if when else None
    doc = draw(st.sampled_from(["d0.txt", "d1.txt", "d2.txt"]))
    quote = f"telling {n}"
    return Event(type=draw(st.sampled_from(["KILL", "ATTACK", "CAPTURE", "OTHER"])), agents=draw(actors),
                 targets=draw(actors), evidence=[Evidence(doc, n * 20, n * 20 + len(quote), quote)],
                 place=draw(st.sampled_from(_PLACES)), time=time,
                 fatalities=draw(st.sampled_from([None, {"low": 3, "high": 3, "who": ""}])),
                 status=draw(st.sampled_from(["happened", "happened", "reference", "alleged", "denied", "failed"])))


@st.composite
def _events(draw) -> tuple[list[Event], frozenset[str]]:
    n = draw(st.integers(0, 25))
    events = [draw(_event(i)) for i in range(n)]
    # a few word-for-word repeats from other documents (the undated ones join only these)
    for e in draw(st.lists(st.sampled_from(events), max_size=4)) if events else []:
        twin = copy.deepcopy(e)
        twin.evidence = [dataclasses.replace(twin.evidence[0], doc="d3.txt")]
        events.append(twin)
    people = frozenset(draw(st.lists(st.sampled_from(["a1", "a2", "a3", "a4"]), max_size=3)))
    return draw(st.permutations(events)), people


def _same_events(events: list[Event], people: frozenset[str]) -> None:
    new = merge_events(copy.deepcopy(events), people)
    old = merge_events_allpairs(copy.deepcopy(events), people)
    assert [dataclasses.asdict(e) for e in new] == [dataclasses.asdict(e) for e in old]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_events())
def test_blocked_event_merges_are_the_all_pairs_ones(drawn):
    _same_events(*drawn)


def _ev(kind, agents, targets, when, place=None, status="happened", doc="d0.txt", at=0) -> Event:
    t = TimeExpr(0, 0, "", when, "day" if len(when) == 10 else "year") if when else None
    return Event(kind, list(agents), list(targets), [Evidence(doc, at, at + 5, "quote")], place=place,
                 time=t, status=status)


def test_events_tied_by_place_words_only_merge():
    a = _ev("CAPTURE", [], [], "1997-05-25", place="Mazar-i-Sharif")
    b = _ev("CAPTURE", [], [], "1997", place="Mazar-i Sharif", doc="d1.txt")
    out = merge_events([b, a])
    assert len(out) == 1 and len(out[0].evidence) == 2
    _same_events([a, b], frozenset())


def test_an_event_found_through_a_key_it_gained_by_a_join():
    # the first telling has no agent; the second (same place) gives it one; the third shares
    # only that agent (and no place) with the grown event
    first = _ev("ATTACK", [], ["a2"], "1994-05-03", place="Vella")
    second = _ev("ATTACK", ["a1"], ["a2"], "1994-05", place="Vella", at=10)
    third = _ev("ATTACK", ["a1"], [], "1994", at=20)
    _same_events([first, second, third], frozenset())


def test_an_undated_repeat_joins_only_its_word_for_word_twin():
    e = _ev("KILL", ["a1"], ["a2"], None, place="—")
    twin = _ev("KILL", ["a1"], ["a2"], None, place="—", doc="d1.txt")
    other = _ev("KILL", ["a1"], ["a2"], None, place=None, doc="d2.txt")
    out = merge_events([e, twin, other])
    assert len(out) == 2
    _same_events([e, twin, other], frozenset())


def test_tie_index_finds_shared_keys_and_regrown_events():
    index = TieIndex(lambda p: frozenset(p.lower().split()) if p else frozenset())
    a = _ev("KILL", ["a1"], [], "1994")
    index.add(a, False)
    assert index.candidates(_ev("KILL", [], ["a1"], "1994")) == []  # agent is not target
    assert index.candidates(_ev("KILL", ["a1"], [], "1995")) == [a]
    a.place = "North Vella"
    index.add(a, False)
    assert index.candidates(_ev("KILL", [], [], "1994", place="vella")) == [a]


# ---------------------------------------------------------------------------- dates from the KB

# names a phrase can give, and the actor each stands for ("Vella" is a place only)
_NAMED = {"Okoro": "a1", "Rebels": "a2", "Soviet": "a3", "Kor": "a4"}
_REFERENCES = ["After the {who}'s {noun} of {obj}, the army held the town.",
               "Until the {noun} of {obj} the road stayed open.",
               "Since the {who} {noun}, trade was halted.",
               "Before the {noun} of {obj} nobody fled."]
_NOUNS = ["capture", "fall", "withdrawal", "killing", "attack", "battle"]
_TYPES_OF = {"capture": "CAPTURE", "fall": "CAPTURE", "withdrawal": "WITHDRAW", "killing": "KILL",
             "attack": "ATTACK", "battle": "BATTLE"}
_WHEN = [("1994-05-03", "day"), ("1994-05", "month"), ("1994", "year"), ("1995", "year"),
         ("1998-02-15", "day"), ("1990", "decade")]


@st.composite
def _dated_event(draw, n: int) -> Event:
    actors = st.lists(st.sampled_from(["a1", "a2", "a3", "a4"]), max_size=2, unique=True)
    if draw(st.integers(0, 3)):
        value, precision = draw(st.sampled_from(_WHEN))
        time = TimeExpr(0, 0, value, value, precision, value_end=draw(st.sampled_from([None, None, "1999"])),
                        modifier=draw(st.sampled_from([None, None, "START", "AFTER", "APPROX"])),
                        relative=draw(st.booleans()))
    else:
        time = None
    quote = draw(st.sampled_from(_REFERENCES)).format(
        who=draw(st.sampled_from([*_NAMED, "Unknown"])), noun=draw(st.sampled_from(_NOUNS)),
        obj=draw(st.sampled_from([*_NAMED, "Vella"]))) if draw(st.booleans()) else f"Plain telling {n}."
    doc = draw(st.sampled_from(["d0.txt", "d1.txt"]))
    return Event(type=draw(st.sampled_from(sorted(set(_TYPES_OF.values())))), agents=draw(actors),
                 targets=draw(actors), evidence=[Evidence(doc, n * 100, n * 100 + len(quote), quote)],
                 place=draw(st.sampled_from([None, "Vella", "vella", "Kor"])), time=time,
                 trigger=draw(st.sampled_from(["", "fall", "capture"])),
                 status=draw(st.sampled_from(["happened", "happened", "alleged"])))


@st.composite
def _dated_kb(draw):
    from conflictlens.records import Relation

    events = [draw(_dated_event(i)) for i in range(draw(st.integers(0, 20)))]
    relations = []
    for i in range(draw(st.integers(0, 4))):
        quote = draw(st.sampled_from(_REFERENCES)).format(who="Rebels", noun=draw(st.sampled_from(_NOUNS)),
                                                         obj=draw(st.sampled_from([*_NAMED, "Vella"])))
        relations.append(Relation("a1", "allied_with", "a2", [Evidence("d1.txt", 5000 + i, 5000 + i + len(quote),
                                                                      quote)]))
    return events, relations


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_dated_kb())
def test_blocked_dates_from_the_kb_are_the_all_pairs_ones(drawn):
    from conflictlens.extract.time import anchor_event_references, refine_event_dates
    from resolve_allpairs import anchor_event_references_allpairs, refine_event_dates_allpairs

    def run(refine, anchor):
        events, relations = copy.deepcopy(drawn)
        n = refine(events), anchor(events, relations, _NAMED.get)
        return n, [dataclasses.asdict(x) for x in events + relations]

    assert run(refine_event_dates, anchor_event_references) == \
        run(refine_event_dates_allpairs, anchor_event_references_allpairs)


def test_a_reference_takes_the_last_telling_of_its_date_in_kb_order():
    from conflictlens.extract.time import anchor_event_references

    def fall(agents, place, precision):
        return Event("CAPTURE", agents, [], [Evidence("d0.txt", 0, 4, "fall")], place=place,
                     time=TimeExpr(0, 0, "1994", "1994", precision))

    # "the fall of Kor": the actor Kor's captures and the captures at Kor, one date: the
    # last of them in the KB's order gives its precision
    by_actor, at_place = fall(["a4"], None, "year"), fall([], "Kor", "decade")
    quote = "After the fall of Kor, the army held the town."
    for events, precision in (([at_place, by_actor], "year"), ([by_actor, at_place], "decade")):
        fact = Event("OTHER", [], [], [Evidence("d1.txt", 0, len(quote), quote)])
        assert anchor_event_references([*events, fact], [], _NAMED.get) == 1
        assert (fact.time.value, fact.time.precision, fact.time.modifier) == ("1994", precision, "AFTER")


@settings(max_examples=300, deadline=None)
@given(st.text("abcd", min_size=1, max_size=9), st.text("abcd", min_size=1, max_size=9))
def test_the_cheap_bound_never_turns_down_an_alike_pair(x, y):
    from conflictlens.resolve_blocking import _may_be_alike

    if SequenceMatcher(None, x, y).ratio() >= 0.8:
        assert _may_be_alike(x, y)


_FORM_WORDS = ["Afghan", "Pakistani", "Taliban", "the", "Soviet", "Army", "n", "Talib"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_FORM_WORDS), min_size=1, max_size=3).map(" ".join), min_size=1,
                max_size=6), st.sampled_from(["person", "armed_group", "organisation"]))
def test_the_qualified_forms_found_by_cutting_are_those_found_by_trying_all(names, atype):
    from collections import Counter

    from conflictlens.extract import actor_aliases
    from conflictlens.extract.actors import _pick_name, _qualifiable

    forms = Counter(names + ["ban", "Taliban"])
    for f in forms:
        assert any(actor_aliases.qualified(f, g) for g in _qualifiable(f, forms)) == \
            any(g != f and actor_aliases.qualified(f, g) for g in forms)
    assert _pick_name(forms, atype) in forms


def _components(nodes, pairs_union) -> set[frozenset]:
    from conflictlens.extract.actors import _UnionFind

    uf = _UnionFind()
    for n in nodes:
        uf.find(n)
    pairs_union(uf.union)
    out: dict = {}
    for n in nodes:
        out.setdefault(uf.find(n), set()).add(n)
    return {frozenset(c) for c in out.values()}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from("ABCD"), min_size=1, max_size=6), st.lists(st.sampled_from("ABCD"), min_size=1,
                                                                         max_size=6))
def test_union_across_documents_gives_the_components_of_every_pair(docs1, docs2):
    from conflictlens.resolve_blocking import union_across

    first = [(d, ("f", i)) for i, d in enumerate(docs1)]
    second = [(d, ("s", i)) for i, d in enumerate(docs2)]
    nodes = [n for _, n in first + second]

    def every_pair(union):
        for d1, n1 in first:
            for d2, n2 in second:
                if d1 != d2:
                    union(n1, n2)

    assert _components(nodes, lambda union: union_across(union, first, second)) == _components(nodes, every_pair)
