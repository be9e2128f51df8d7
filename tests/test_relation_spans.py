"""Relations in time: how long each relation holds, and the year views that use it.

Every KB is built by hand from sentences written for these tests (a made-up war between
the Republic of Norland, the Southern Front and others), so the spans follow from the rules
alone.
"""

from __future__ import annotations

from conflictlens import analyze
from conflictlens import network as N
from conflictlens.records import KB, Actor, Document, Event, Evidence, Mention, Relation, TimeExpr
from conflictlens.relation_spans import actor_ends, relation_spans

ACTORS = [("Norland", "state"), ("Southern Front", "armed_group"), ("Tarvia", "state"),
          ("General Okoro", "person"), ("Eastern League", "organisation"), ("League Guard", "military_unit")]
ID = {name: f"a{i + 1}" for i, (name, _) in enumerate(ACTORS)}


def _kb(text: str, facts: list[tuple], events: tuple = (), mentions: tuple = ()) -> KB:
    """``facts``: ``(source, relation, target, phrase, start, end)``; ``phrase`` is the words
    of ``text`` that date the relation (None: a relation with no time expression)."""
    doc = Document("d1", "war.txt", "war.txt", text, "x")
    kb = KB(documents=[doc], actors=[Actor(ID[n], n, t, [], {"war.txt": 10 - i})
                                     for i, (n, t) in enumerate(ACTORS)])
    for i, (s, rel, t, phrase, start, end) in enumerate(facts, 1):
        time = None
        if phrase is not None:
            at = text.index(phrase)
            time = TimeExpr(at, at + len(phrase), phrase, start, "year")
        kb.relations.append(Relation(ID[s], rel, ID[t], [Evidence("war.txt", 0, 10, text[:10])],
                                     start=start, end=end, time=time, id=f"r{i}"))
    kb.events = list(events)
    for name in mentions:
        at = text.index(name)
        kb.mentions.append(Mention(ID[name], name, at, at + len(name), "war.txt"))
    return kb


def _killed(who: str, when: str, status: str = "happened") -> Event:
    return Event("KILL", [], [ID[who]], [Evidence("war.txt", 0, 5, "x")], time=TimeExpr(0, 0, when, when, "year"),
                 status=status, id=f"e-{who}-{when}")


def test_a_relation_told_once_holds_only_when_told():
    text = "In 1994 Tarvia armed the Southern Front."
    kb = _kb(text, [("Tarvia", "supports", "Southern Front", "1994", "1994", None)])
    assert relation_spans(kb)["r1"].end == "1994"
    assert N.network_at(kb, 1994).sign(ID["Tarvia"], ID["Southern Front"]) == 1
    assert N.network_at(kb, 1996).sign(ID["Tarvia"], ID["Southern Front"]) == 0


def test_a_relation_holds_from_its_first_telling_to_its_last():
    text = "In 1994 Tarvia armed the Southern Front. In 1998 Tarvia still armed them."
    kb = _kb(text, [("Tarvia", "supports", "Southern Front", "1994", "1994", None),
                    ("Tarvia", "supports", "Southern Front", "1998", "1998", None)])
    span = relation_spans(kb)["r1"]
    assert (span.start, span.end, span.why) == ("1994", "1998", "evidence")
    assert N.network_at(kb, 1996).sign(ID["Tarvia"], ID["Southern Front"]) == 1
    assert N.network_at(kb, 1999).sign(ID["Tarvia"], ID["Southern Front"]) == 0
    # the start is never moved
    assert relation_spans(kb)["r2"].start == "1998"


def test_an_open_ended_claim_stays_open():
    text = "Tarvia has armed the Southern Front since 1994."
    kb = _kb(text, [("Tarvia", "supports", "Southern Front", "1994", "1994", None)])
    assert relation_spans(kb)["r1"].end is None
    assert N.network_at(kb, 2005).sign(ID["Tarvia"], ID["Southern Front"]) == 1
    assert analyze.relation_active(kb.relations[0], 2005, relation_spans(kb)["r1"]) is True


def test_a_death_ends_every_relation_of_the_dead():
    text = "General Okoro has led the Southern Front since 1990. Okoro was killed in 1999."
    kb = _kb(text, [("General Okoro", "leads", "Southern Front", "1990", "1990", None),
                    ("General Okoro", "hostile_to", "Norland", None, None, None)],
             events=[_killed("General Okoro", "1999")])
    spans = relation_spans(kb)
    assert (spans["r1"].end, spans["r1"].why, spans["r1"].ended_by) == ("1999", "death", "e-General Okoro-1999")
    assert spans["r2"].end == "1999"  # undated, but not past a death
    assert N.network_at(kb, 1998).sign(ID["General Okoro"], ID["Norland"]) == -1
    assert ID["General Okoro"] not in N.network_at(kb, 2000).nodes
    assert analyze.relation_active(kb.relations[1], 2000, spans["r2"]) is False
    h = analyze.history(kb, "General Okoro", "Southern Front")
    assert h[0].change == "death 1999"


def test_a_failed_attempt_is_no_death():
    text = "General Okoro has led the Southern Front since 1990. Okoro survived an attack in 1995."
    kb = _kb(text, [("General Okoro", "leads", "Southern Front", "1990", "1990", None)],
             events=[_killed("General Okoro", "1995", status="failed")])
    assert relation_spans(kb)["r1"].end is None


def test_a_dissolved_actor_and_its_parts_end_with_it():
    text = ("The Eastern League backed the Southern Front. The League Guard fought Norland. "
            "The Eastern League was dissolved in 1991.")
    kb = _kb(text, [("Eastern League", "supports", "Southern Front", None, None, None),
                    ("League Guard", "part_of", "Eastern League", None, None, None),
                    ("League Guard", "fights", "Norland", None, None, None)],
             mentions=("Eastern League", "League Guard"))
    # the mention that the dissolution sentence names
    at = text.rindex("Eastern League")
    kb.mentions.append(Mention(ID["Eastern League"], "Eastern League", at, at + 14, "war.txt"))
    ends = actor_ends(kb)
    assert ends[ID["Eastern League"]].when == "1991" and ends[ID["Eastern League"]].kind == "dissolution"
    assert ends[ID["League Guard"]].when == "1991"
    assert N.network_at(kb, 1990).sign(ID["League Guard"], ID["Norland"]) == -1
    net = N.network_at(kb, 1993)
    assert ID["Eastern League"] not in net.nodes and ID["League Guard"] not in net.nodes


def test_a_former_regime_that_collapsed_is_not_the_end_of_a_state_with_later_facts():
    text = "The collapse of Norland in 1973 followed a coup. In 1990 Norland fought the Southern Front."
    kb = _kb(text, [("Norland", "fights", "Southern Front", "1990", "1990", None)], mentions=("Norland",))
    assert ID["Norland"] not in actor_ends(kb)


def test_a_year_less_dissolution_ends_nothing():
    text = "After the dissolution of the Eastern League, many officers went home."
    kb = _kb(text, [], mentions=("Eastern League",))
    assert actor_ends(kb) == {}


def test_a_peace_between_the_two_ends_their_fighting():
    text = "Norland has fought the Southern Front since 1990. In 1995 they signed a peace treaty."
    kb = _kb(text, [("Norland", "fights", "Southern Front", "1990", "1990", None)],
             events=[Event("AGREE", [ID["Norland"]], [ID["Southern Front"]], [Evidence("war.txt", 52, 86, text[52:86])],
                           trigger="treaty", time=TimeExpr(0, 0, "1995", "1995", "year"), id="e1")])
    span = relation_spans(kb)["r1"]
    assert (span.end, span.why, span.ended_by) == ("1995", "peace", "e1")
    assert N.network_at(kb, 1996).sign(ID["Norland"], ID["Southern Front"]) == 0


def test_a_later_contrary_relation_ends_the_earlier_one():
    text = "Tarvia has been allied with Norland since 1990. In 1996 Tarvia attacked Norland."
    kb = _kb(text, [("Tarvia", "allied_with", "Norland", "1990", "1990", None),
                    ("Tarvia", "fights", "Norland", "1996", "1996", None)])
    span = relation_spans(kb)["r1"]
    assert (span.end, span.why, span.ended_by, span.before_end) == ("1996", "contrary", "r2", True)
    assert N.network_at(kb, 1995).sign(ID["Tarvia"], ID["Norland"]) == 1
    assert N.network_at(kb, 1996).sign(ID["Tarvia"], ID["Norland"]) == -1


def test_a_member_stands_in_its_groups_camp():
    text = "General Okoro joined the Southern Front in 1995. The Southern Front fought Norland in 1995."
    kb = _kb(text, [("General Okoro", "member_of", "Southern Front", "1995", "1995", None),
                    ("Southern Front", "fights", "Norland", "1995", "1995", None),
                    ("General Okoro", "fights", "Norland", "1995", "1995", None)])
    b = N.balance(kb, N.network_at(kb, 1995))
    assert b.frustration == 0
    assert b.colour[ID["General Okoro"]] == b.colour[ID["Southern Front"]] != b.colour[ID["Norland"]]


def test_no_dead_actor_switches_camp_after_death():
    text = ("General Okoro has fought Norland since 1990. Tarvia has backed Norland since 1990. "
            "Tarvia has backed the Southern Front since 1990. Okoro was killed in 1992.")
    kb = _kb(text, [("General Okoro", "fights", "Norland", "1990", "1990", None),
                    ("Tarvia", "supports", "Norland", "1990", "1990", None),
                    ("Tarvia", "supports", "Southern Front", "1990", "1990", None)],
             events=[_killed("General Okoro", "1992")])
    bl = N.blocs(kb, 1990, 1995)
    assert all(ID["General Okoro"] not in (*b.camps[0], *b.camps[1]) for b in bl.periods[3:])
    assert not [s for s in bl.switches if s.actor == ID["General Okoro"]]
