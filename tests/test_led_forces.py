"""'The forces of P' / 'P's troops' stand for the group P leads, not for P in person."""

from conflictlens.extract.led_forces import in_forces_phrase, led_forces, led_forces_events
from conflictlens.records import Document, Event, Evidence, LocalActor, Mention, Relation
from conftest import parsed


def _at(text: str, name: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(name, start + 1)
    return start, start + len(name)


def test_forces_phrases():
    text = ("Rebels fought the forces of Varga. Varga's troops held the pass. "
            "Troops loyal to Varga withdrew. Varga’s and Orsi’s men marched. Varga spoke.")
    assert in_forces_phrase(text, *_at(text, "Varga"))
    assert in_forces_phrase(text, *_at(text, "Varga", 1))
    assert in_forces_phrase(text, *_at(text, "Varga", 2))
    assert in_forces_phrase(text, *_at(text, "Varga", 3))
    assert in_forces_phrase(text, *_at(text, "Orsi"))
    assert not in_forces_phrase(text, *_at(text, "Varga", 4))


def _doc(text: str) -> Document:
    return Document(id="d", name="t.txt", path="t.txt", text=text, sha256="x")


def _ev(text: str, sentence: str) -> Evidence:
    start = text.index(sentence)
    return Evidence("t.txt", start, start + len(sentence), sentence)


def _setup(text: str):
    actors = [LocalActor("varga", "Varga", "person"), LocalActor("front", "Red Front", "armed_group"),
              LocalActor("league", "Blue League", "armed_group"),
              LocalActor("ruritania", "Ruritania", "state")]
    mentions = []
    for key, name in (("varga", "Varga"), ("front", "Red Front"), ("league", "Blue League"),
                      ("ruritania", "Ruritania")):
        start = text.find(name)
        while start >= 0:
            mentions.append(Mention(key, name, start, start + len(name)))
            start = text.find(name, start + 1)
    return actors, mentions


TEXT = ("Varga founded the Red Front in 1931. In 1935 Varga took over the Blue League. "
        "In 1933 Ruritania fought against the forces of Varga. "
        "In 1937 Ruritania fought against the forces of Varga. "
        "Ruritania fought Varga in person.")


def _leads(text):
    return [Relation("varga", "leads", "front", [_ev(text, "Varga founded the Red Front in 1931.")],
                     start="1931"),
            Relation("varga", "leads", "league",
                     [_ev(text, "In 1935 Varga took over the Blue League.")], start="1935")]


def test_person_forces_become_the_group_led_at_that_date():
    actors, mentions = _setup(TEXT)
    s1933 = "In 1933 Ruritania fought against the forces of Varga."
    s1937 = "In 1937 Ruritania fought against the forces of Varga."
    plain = "Ruritania fought Varga in person."
    rels = _leads(TEXT) + [
        Relation("ruritania", "fights", "varga", [_ev(TEXT, s1933)], start="1933"),
        Relation("ruritania", "fights", "varga", [_ev(TEXT, s1937)], start="1937"),
        Relation("ruritania", "fights", "varga", [_ev(TEXT, plain)]),
    ]
    out = led_forces(_doc(TEXT), actors, mentions, rels)
    got = [(r.source, r.relation, r.target, r.start) for r in out[2:]]
    assert got == [("ruritania", "fights", "front", "1933"),
                   ("ruritania", "fights", "league", "1937"),
                   ("ruritania", "fights", "varga", None)]  # named in person: stays
    for r in out:  # evidence untouched and exact
        ev = r.evidence[0]
        assert TEXT[ev.start:ev.end] == ev.quote
    assert out[:2] == rels[:2]  # the leads relations themselves stay


def test_undated_with_two_groups_stays():
    actors, mentions = _setup(TEXT)
    s = "In 1933 Ruritania fought against the forces of Varga."
    rel = Relation("ruritania", "fights", "varga", [_ev(TEXT, s)])
    out = led_forces(_doc(TEXT), actors, mentions, _leads(TEXT) + [rel])
    assert out[-1].target == "varga"


def test_no_leads_known_stays():
    actors, mentions = _setup(TEXT)
    s = "In 1933 Ruritania fought against the forces of Varga."
    rel = Relation("ruritania", "fights", "varga", [_ev(TEXT, s)], start="1933")
    assert led_forces(_doc(TEXT), actors, mentions, [rel]) == [rel]


def test_event_agent_becomes_the_group():
    actors, mentions = _setup(TEXT)
    s = "In 1933 Ruritania fought against the forces of Varga."
    ev = Event("BATTLE", ["ruritania"], ["varga"], [_ev(TEXT, s)])
    out = led_forces_events(_doc(TEXT), actors, mentions, _leads(TEXT)[:1], [ev])
    assert out[0].targets == ["front"] and out[0].agents == ["ruritania"]


def test_pipeline_reads_the_forces_of_a_leader():
    from conflictlens.pipeline import extract_document

    text = ("General Istvan Kordas led the Sable Legion from 1941. "
            "In 1943 the Ruritanian Army fought the forces of Kordas.")
    facts = extract_document(*parsed(text))
    names = {a.key: a.name for a in facts.actors}
    fights = {(names[r.source], names[r.target]) for r in facts.relations
              if r.relation == "fights"}
    assert ("Ruritanian Army", "Sable Legion") in fights
    assert not any("Kordas" in s or "Kordas" in t for s, t in fights)
    battles = [e for e in facts.events if e.type == "BATTLE"]
    assert battles and all(names.get(k, k) != "General Istvan Kordas" for e in battles
                           for k in e.agents + e.targets)
    for r in facts.relations:
        for ev in r.evidence:
            assert text[ev.start:ev.end] == ev.quote
