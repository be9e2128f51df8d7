from __future__ import annotations

from conflictlens.ingest import parse_text
from conflictlens.records import DocFacts, Evidence, LocalActor, Mention, Relation
from conflictlens.resolve import resolve, resolve_actors


def local(key, name, type_, aliases=(), n=1, doc="x"):
    a = LocalActor(key=key, name=name, type=type_, aliases=set(aliases))
    a.mentions = [Mention(key, name, i * 10, i * 10 + len(name), doc) for i in range(n)]
    return a


def facts(name, *actors, relations=()):
    return DocFacts(document=parse_text("Some text about the war.", name), actors=list(actors),
                    relations=list(relations))


def test_the_same_actor_in_several_documents_is_one_with_all_names():
    d1 = facts("one.txt", local("kla", "Kosovo Liberation Army", "armed_group", ["KLA"], n=3))
    d2 = facts("two.txt", local("kla", "KLA", "organisation", n=2),
               local("uck", "UCK", "armed_group", ["Kosovo Liberation Army"]))
    actors, ids = resolve_actors([d1, d2])
    assert len(actors) == 1
    a = actors[0]
    assert a.name == "Kosovo Liberation Army"
    assert set(a.aliases) == {"KLA", "UCK"}
    assert a.mentions == {"one.txt": 3, "two.txt": 3}
    assert a.type == "armed_group"  # the specific type beats the fallback "organisation"
    assert ids[("one.txt", "kla")] == ids[("two.txt", "uck")] == a.id


def test_people_sharing_only_a_surname_stay_apart_across_documents():
    d1 = facts("one.txt", local("burhanuddin rabbani", "Burhanuddin Rabbani", "person", ["Rabbani"]))
    d2 = facts("two.txt", local("mohammad rabbani", "Mohammad Rabbani", "person", ["Rabbani"]))
    actors, _ = resolve_actors([d1, d2])
    assert len(actors) == 2


def test_a_bare_surname_joins_the_one_person_carrying_it():
    d1 = facts("one.txt", local("ratko mladic", "Ratko Mladic", "person", ["Mladic"]))
    d2 = facts("two.txt", local("mladic", "General Mladic", "person"))
    actors, _ = resolve_actors([d1, d2])
    assert len(actors) == 1 and "General Mladic" in actors[0].aliases


def test_a_person_never_merges_with_a_group_of_the_same_name():
    d1 = facts("one.txt", local("hamas", "Hamas", "armed_group"))
    d2 = facts("two.txt", local("hamas", "Hamas", "person"))
    assert len(resolve_actors([d1, d2])[0]) == 2


def test_states_merge_by_code():
    d1 = facts("one.txt", local("iso:USA", "United States", "state"))
    d2 = facts("two.txt", local("iso:USA", "U.S.", "state"))
    actors, _ = resolve_actors([d1, d2])
    assert len(actors) == 1 and actors[0].name == "United States"


def test_relations_get_global_ids_and_repeats_merge_their_evidence():
    ev1 = Evidence("one.txt", 0, 4, "Some")
    ev2 = Evidence("two.txt", 0, 4, "Some")
    d1 = facts("one.txt", local("iso:ALB", "Albania", "state"), local("kla", "KLA", "armed_group"),
               relations=[Relation("iso:ALB", "supports", "kla", [ev1], start="1998")])
    d2 = facts("two.txt", local("iso:ALB", "Albania", "state"), local("kla", "KLA", "armed_group"),
               relations=[Relation("iso:ALB", "supports", "kla", [ev2], start="1998"),
                          Relation("kla", "fights", "kla", [ev2])])  # a self-relation is dropped
    kb = resolve([d1, d2])
    assert len(kb.relations) == 1
    r = kb.relations[0]
    names = {a.id: a.name for a in kb.actors}
    assert (names[r.source], names[r.target]) == ("Albania", "KLA")
    assert r.evidence == [ev1, ev2]
    assert r.id == "r1"


def test_short_forms_never_join_actors_of_other_documents():
    isa = local("islamic state of afghanistan", "Islamic State of Afghanistan", "government", ["Islamic State"])
    isa.weak_aliases = {"Islamic State"}
    isis = local("islamic state", "Islamic State", "armed_group")
    actors, _ = resolve_actors([facts("one.txt", isa), facts("two.txt", isis)])
    assert len(actors) == 2


def test_spelling_variants_join_across_documents():
    d1 = facts("one.txt", local("muhammad mohaqiq", "Muhammad Mohaqiq", "person"),
               local("al qaeda", "Al-Qaeda", "armed_group"))
    d2 = facts("two.txt", local("muhammad muhaqiq", "Muhammad Muhaqiq", "person"),
               local("al queda", "Al-Queda", "armed_group"))
    actors, _ = resolve_actors([d1, d2])
    assert len(actors) == 2


def test_a_demonym_joins_nothing_across_documents():
    d1 = facts("one.txt", local("iso:UZB", "Uzbekistan", "state", ["Uzbek"]))
    d2 = facts("two.txt", local("ethnic:uzbek", "Uzbeks", "ethnic_group", ["Uzbek"]))
    actors, _ = resolve_actors([d1, d2])
    assert len(actors) == 2


def test_an_undated_repeat_of_a_dated_relation_is_more_evidence_for_it():
    ev1, ev2, ev3 = (Evidence("one.txt", i, i + 4, "Some") for i in (0, 10, 20))
    d1 = facts("one.txt", local("iso:ALB", "Albania", "state"), local("kla", "KLA", "armed_group"),
               relations=[Relation("iso:ALB", "supports", "kla", [ev1], start="1998"),
                          Relation("iso:ALB", "supports", "kla", [ev2]),
                          Relation("iso:ALB", "supports", "kla", [ev3], start="1999", qualifier="military")])
    kb = resolve([d1])
    assert sorted((r.start, r.qualifier, len(r.evidence)) for r in kb.relations) == [
        ("1998", None, 2), ("1999", "military", 1)]


def test_a_state_organ_named_with_its_state_joins_the_bare_organ_across_documents():
    d1 = facts("one.txt", local("isi", "Inter-Services Intelligence", "intelligence_agency", ["ISI"]))
    d2 = facts("two.txt", local("pakistani isi", "Pakistani ISI", "organisation"))
    d3 = facts("three.txt", local("pakistani taliban", "Pakistani Taliban", "armed_group"),
               local("taliban", "Taliban", "armed_group"))
    actors, ids = resolve_actors([d1, d2, d3])
    assert ids[("one.txt", "isi")] == ids[("two.txt", "pakistani isi")]
    assert ids[("three.txt", "pakistani taliban")] != ids[("three.txt", "taliban")]


def test_a_coarse_span_is_evidence_for_the_one_finer_span_it_contains():
    def rel(doc, start, end=None, qualifier=None):
        return Relation("serbia", "supports", "vrs", [Evidence(doc, 0, 5, "Serbia armed the VRS.")],
                        start=start, end=end, qualifier=qualifier)

    actors = (local("serbia", "Serbia", "state"), local("vrs", "VRS", "armed_group"))
    kb = resolve([
        facts("a.txt", *actors, relations=[rel("a.txt", "1992")]),
        facts("b.txt", *actors, relations=[rel("b.txt", "1992-05"), rel("b.txt", "1992-05-12", "1995")]),
        facts("c.txt", *actors, relations=[rel("c.txt", "1994"), rel("c.txt", "1993", qualifier="financial")])])
    spans = sorted((r.start, r.end, r.qualifier) for r in kb.relations)
    # 1992 ⊃ 1992-05 ⊃ 1992-05-12–1995: one span with the evidence of all three
    assert spans == [("1992-05-12", "1995", None), ("1993", None, "financial"), ("1994", None, None)]
    one = next(r for r in kb.relations if r.start == "1992-05-12")
    assert {e.doc for e in one.evidence} == {"a.txt", "b.txt"}
