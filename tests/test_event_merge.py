"""One happening, one event: tellings of the same event merge, different events never merge
only because they share an actor. Records are written by hand for a made-up war."""

from __future__ import annotations

from conflictlens.records import Event, Evidence, TimeExpr
from conflictlens.resolve import merge_events


def _t(value: str, precision: str = "day") -> TimeExpr:
    return TimeExpr(0, 0, value, value, precision)


def _ev(kind: str, agents, targets, quote: str, when: str | None, status: str = "happened",
        place: str | None = None, doc: str = "a.txt", at: int = 0, precision: str = "day") -> Event:
    return Event(kind, list(agents), list(targets), [Evidence(doc, at, at + len(quote), quote)],
                 place=place, time=_t(when, precision) if when else None, status=status)


def test_a_killing_told_as_happened_denied_and_believed_is_one_event():
    told = _ev("KILL", ["a2"], ["a1"], "On 3 May 1994 General Okoro was shot dead in Vella by rebels.",
               "1994-05-03", place="Vella")
    denied = _ev("KILL", [], ["a1"], "For days his staff denied the death of Okoro.", "1994-05-03",
                 status="denied", at=100)
    believed = _ev("KILL", [], ["a1"], "The killing of Okoro is believed to be linked to the mutiny.",
                   "1994-05", status="alleged", doc="b.txt", precision="month")
    out = merge_events([denied, believed, told])
    assert len(out) == 1
    [e] = out
    assert e.status == "happened" and e.place == "Vella" and e.agents == ["a2"]
    assert {ev.quote for ev in e.evidence} == {told.evidence[0].quote, denied.evidence[0].quote,
                                                believed.evidence[0].quote}


def test_a_failed_attempt_is_another_happening():
    told = _ev("KILL", ["a2"], ["a1"], "Rebels killed Okoro on 3 May 1994.", "1994-05-03")
    tried = _ev("KILL", ["a3"], ["a1"], "The army had tried to kill Okoro before.", "1994-05-03",
                status="failed", at=60)
    assert len(merge_events([told, tried])) == 2


def test_a_back_reference_joins_what_happened_not_the_failed_attempt():
    told = _ev("KILL", ["a2"], ["a1"], "Rebels killed Okoro on 3 May 1994.", "1994-05-03")
    tried = _ev("KILL", [], ["a1"], "An earlier plot to kill Okoro failed.", "1994-05-03", status="failed", at=40)
    ref = _ev("KILL", [], ["a1"], "The army kept order until the killing of Okoro in May 1994.", "1994-05",
              status="reference", at=90, precision="month")
    out = merge_events([told, tried, ref])
    assert len(out) == 2
    happened = next(e for e in out if e.status == "happened")
    assert len(happened.evidence) == 2


def test_an_allegation_by_other_hands_stays_apart():
    told = _ev("KILL", ["a2"], ["a1"], "Rebels killed Okoro on 3 May 1994.", "1994-05-03")
    claim = _ev("KILL", ["a4"], ["a1"], "Some allege that the palace guard killed Okoro.", "1994-05-03",
                status="alleged", at=40)
    assert len(merge_events([told, claim])) == 2


def test_two_events_of_one_actor_do_not_merge_for_the_actor_alone():
    stated = _ev("OTHER", ["a5"], [], "In 1956 the premier stated that he had no claims.", "1956", precision="year")
    told = _ev("OTHER", ["a5"], ["a6"], "In November 1956 the premier told the envoy there was no dispute.",
               "1956-11", at=60, precision="month")
    assert len(merge_events([stated, told])) == 2
    # a target one telling names and the other lacks tells two events apart, whatever the type
    raid = _ev("AID", ["a5"], ["a6"], "In May 1990 Tarvia sent arms to the Front.", "1990-05", precision="month")
    other = _ev("AID", ["a5"], [], "Tarvia sent aid in 1990.", "1990", at=60, precision="year")
    assert len(merge_events([raid, other])) == 2


def test_one_withdrawal_told_twice_is_one_event():
    a = _ev("WITHDRAW", ["a5"], [], "Tarvia withdrew its troops on 2 March 1991.", "1991-03-02")
    b = _ev("WITHDRAW", ["a5"], [], "Tarvia's withdrawal was complete in March 1991.", "1991-03",
            doc="b.txt", precision="month")
    [e] = merge_events([a, b])
    assert e.time.value == "1991-03-02" and len(e.evidence) == 2


def test_an_attack_that_killed_a_person_that_day_is_the_killing():
    people = frozenset({"a1"})
    kill = _ev("KILL", ["a2"], ["a1"], "Okoro was assassinated in Vella province on 3 May 1994.", "1994-05-03",
               place="Vella province")
    attack = _ev("ATTACK", [], ["a1"], "On 3 May 1994 Okoro was the target of a bomb attack at Dara.",
                 "1994-05-03", place="Dara", doc="b.txt")
    [e] = merge_events([kill, attack], people)
    assert e.type == "KILL" and len(e.evidence) == 2
    # not a group's losses, not another day, not without knowing the target is a person
    assert len(merge_events([kill, attack])) == 2
    later = _ev("ATTACK", [], ["a1"], "On 5 May 1994 rebels attacked Okoro's house.", "1994-05-05", doc="c.txt")
    assert len(merge_events([kill, later], people)) == 2
