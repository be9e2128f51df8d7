"""Relations between actors: rules, lexicon entries (each covered by a sentence), infobox."""

from __future__ import annotations

import re

import pytest

from conflictlens import lexicons
from conflictlens.extract.infobox_relations import infobox_relations
from conflictlens.extract.relations import extract_relations
from conflictlens.ingest import parse_text as make_document
from conflictlens.nlp import load_nlp, parse_text
from conflictlens.records import Mention, TimeExpr

# Names used by the generated sentences, one pair from another war each.
A, B = "Serbia", "the Kosovo Liberation Army"
NAMES = {
    "Serbia": "serbia", "Kosovo Liberation Army": "kla", "KLA": "kla", "Albania": "albania",
    "Hezbollah": "hezbollah", "Israel": "israel", "Iran": "iran", "Syria": "syria",
    "LTTE": "ltte", "Sri Lanka": "sri_lanka", "India": "india", "FARC": "farc",
    "Colombia": "colombia", "Venezuela": "venezuela", "Cuba": "cuba", "Russia": "russia",
    "Turkey": "turkey", "Qatar": "qatar", "United States": "usa", "NATO": "nato",
    "Hashim Thaci": "thaci", "Velupillai Prabhakaran": "prabhakaran", "Hassan Nasrallah": "nasrallah",
    "Ratko Mladic": "mladic", "Army of Republika Srpska": "vrs", "Drina Corps": "drina",
    "Syrian Army": "syrian_army", "4th Armoured Division": "div4", "Free Syrian Army": "fsa",
    "Bosnia": "bosnia", "Croatia": "croatia", "ELN": "eln", "Sea Tigers": "sea_tigers",
    "Raul Reyes": "reyes", "Ivan Marquez": "marquez", "Alija Izetbegovic": "izetbegovic",
    "Jaish al-Islam": "jaish", "Ahrar al-Sham": "ahrar", "Pakistan": "pakistan",
}

_nlp = None


def nlp():
    global _nlp
    if _nlp is None:
        _nlp = load_nlp()
    return _nlp


def find_mentions(text: str, names: dict[str, str] = NAMES) -> list[Mention]:
    """Every whole-word occurrence of a name, longest names first, without overlaps."""
    taken: list[tuple[int, int]] = []
    out = []
    for name in sorted(names, key=len, reverse=True):
        for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            out.append(Mention(names[name], name, m.start(), m.end()))
    return sorted(out, key=lambda m: m.start)


def find_years(text: str) -> list[TimeExpr]:
    return [TimeExpr(m.start(), m.end(), m.group(), m.group(), "year")
            for m in re.finditer(r"\b(1[89]\d\d|20\d\d)\b", text)]


def run(text: str, times: list[TimeExpr] | None = None):
    document = make_document(text, name="t.txt")
    sdoc = nlp()(parse_text(document))
    rels = extract_relations(sdoc, document, find_mentions(text),
                             find_years(text) if times is None else times)
    for r in rels:
        ev = r.evidence[0]
        assert ev.quote == text[ev.start:ev.end]
    return rels


def triples(text: str) -> set[tuple[str, str, str]]:
    out = set()
    for r in run(text):
        out.add((r.source, r.relation, r.target))
        if r.relation in ("allied_with", "fights", "hostile_to"):
            out.add((r.target, r.relation, r.source))
    return out


# --------------------------------------------------------------------------- rules


def test_passive_list_distributes():
    text = ("Ground troops of the Free Syrian Army, supported by Turkey, Qatar and the United States, "
            "took the town.")
    got = triples(text)
    assert {("turkey", "supports", "fsa"), ("qatar", "supports", "fsa"), ("usa", "supports", "fsa")} <= got


def test_received_support_from_with_qualifiers():
    rels = run("During the war, Hezbollah received military support from Iran and financial support "
               "from Qatar.")
    got = {(r.source, r.relation, r.target, r.qualifier) for r in rels}
    assert ("iran", "supports", "hezbollah", "military") in got
    assert ("qatar", "supports", "hezbollah", "financial") in got


@pytest.mark.parametrize("text", [
    "During the conflict, the LTTE received military support from India and financial support from Qatar.",
    "During the conflict, the FARC received military support from Venezuela and financial support from Cuba.",
    "In the war, the KLA received military support from Albania and financial support from the United States.",
])
def test_received_support_survives_a_tangled_coordination(text):
    # the small parser often hangs the second "support" under the first "from"
    rels = run(text)
    got = {(r.relation, r.qualifier) for r in rels if r.relation == "supports"}
    assert got == {("supports", "military"), ("supports", "financial")}
    assert len({r.source for r in rels if r.relation == "supports"}) == 2


def test_recognition_from_list():
    got = triples("The Kosovo Liberation Army government received recognition from Albania, "
                  "Turkey and the United States.")
    assert {("albania", "recognizes", "kla"), ("turkey", "recognizes", "kla"),
            ("usa", "recognizes", "kla")} <= got


@pytest.mark.parametrize("text", [
    "Russia did not recognise the Kosovo Liberation Army.",
    "Russia refused to recognise the Kosovo Liberation Army.",
    "Russia never recognized the Kosovo Liberation Army.",
])
def test_negation_blocks(text):
    assert not any(rel == "recognizes" for _, rel, _ in triples(text))


def test_ceased_support_with_year():
    rels = run("In 1998 Venezuela ceased financial support to FARC.")
    r = next(r for r in rels if r.relation == "ceased_support")
    assert (r.source, r.target, r.start, r.qualifier) == ("venezuela", "farc", "1998", "financial")
    assert r.time is not None and r.time.text == "1998"


def test_stopped_supporting():
    got = triples("Cuba stopped supporting the ELN.")
    assert ("cuba", "ceased_support", "eln") in got
    assert ("cuba", "supports", "eln") not in got


def test_severed_ties_is_ceased_support():
    rels = run("Colombia severed ties with Venezuela in 2019.")
    r = next(r for r in rels if r.relation == "ceased_support")
    assert (r.source, r.target, r.qualifier, r.start) == ("colombia", "venezuela", "diplomatic", "2019")


def test_time_range_and_until():
    r = next(r for r in run("From 1996 to 2001 Iran supported Hezbollah.") if r.relation == "supports")
    assert (r.start, r.end) == ("1996", "2001")
    r = next(r for r in run("Iran supported Hezbollah until 2006.") if r.relation == "supports")
    assert (r.start, r.end) == (None, "2006")
    r = next(r for r in run("By 1996 Iran supported Hezbollah.") if r.relation == "supports")
    assert r.start == "1996"


def test_time_range_single_expression():
    text = "Iran supported Hezbollah from 1996 to 2001."
    t = TimeExpr(text.index("1996"), text.index("2001") + 4, "1996 to 2001", "1996", "year", value_end="2001")
    r = next(r for r in run(text, [t]) if r.relation == "supports")
    assert (r.start, r.end, r.time) == ("1996", "2001", t)


def test_time_not_taken_from_another_clause_noun_phrase():
    text = "After the collapse of the Russia-backed government of Serbia, Albania joined NATO in 1999."
    rels = run(text)
    backed = next(r for r in rels if r.relation == "supports")
    assert (backed.source, backed.target, backed.start) == ("russia", "serbia", None)
    joined = next(r for r in rels if r.relation == "member_of")
    assert (joined.source, joined.target, joined.start) == ("albania", "nato", "1999")


def test_apposition_and_relative_and_led_by():
    got = triples("Velupillai Prabhakaran, the leader of the LTTE, met envoys. "
                  "The Sea Tigers, led by the LTTE, attacked ships. "
                  "Hassan Nasrallah, who heads Hezbollah, spoke.")
    assert ("prabhakaran", "leads", "ltte") in got
    assert ("ltte", "leads", "sea_tigers") in got
    assert ("nasrallah", "leads", "hezbollah") in got


def test_coordinated_subjects_fight():
    got = triples("Hezbollah and Syria fought Israel in 2006.")
    assert {("hezbollah", "fights", "israel"), ("syria", "fights", "israel")} <= got


def test_fighting_between_and_war_against():
    got = triples("Fighting between the LTTE and Sri Lanka resumed. India's war against the LTTE was brief.")
    assert ("ltte", "fights", "sri_lanka") in got
    assert ("india", "fights", "ltte") in got


def test_alliance_between():
    assert ("hezbollah", "allied_with", "syria") in triples(
        "An alliance between Ahrar al-Sham and Jaish al-Islam was announced in 2013.") | triples(
        "An alliance between Hezbollah and Syria was announced.")


def test_opposition():
    assert ("fsa", "hostile_to", "syria") in triples(
        "The Free Syrian Army was formed in opposition to Syria.") | triples(
        "Turkey backed the Free Syrian Army in opposition to Syria.")
    assert ("turkey", "hostile_to", "syria") in triples("Turkey opposed Syria.")


def test_controls_only_actor_targets():
    got = triples("Syria controlled Hezbollah. Syria controlled Aleppo.")
    assert ("syria", "controls", "hezbollah") in got
    assert len([t for t in got if t[1] == "controls"]) == 1


def test_sheltered_and_refused_to_hand_over():
    got = triples("Syria sheltered the Kosovo Liberation Army. Iran gave refuge to Hassan Nasrallah.")
    assert ("syria", "sheltered", "kla") in got
    assert ("iran", "sheltered", "nasrallah") in got
    assert ("syria", "sheltered", "mladic") not in triples("Syria handed over Ratko Mladic.")
    assert ("serbia", "sheltered", "mladic") in triples("Serbia refused to hand over Ratko Mladic.")


def test_part_of_units():
    got = triples("The Army of Republika Srpska's Drina Corps shelled the town. "
                  "The 4th Armoured Division of the Syrian Army held the city.")
    assert ("drina", "part_of", "vrs") in got
    assert ("div4", "part_of", "syrian_army") in got


def test_possessed_organisation_is_led_by_person():
    got = triples("Iran armed Hassan Nasrallah's Hezbollah. Ratko Mladic and his Drina Corps advanced.")
    assert ("nasrallah", "leads", "hezbollah") in got
    assert ("mladic", "leads", "drina") in got


def test_commanders_are_members_deputy_demotes():
    got = triples("Colombia captured FARC commanders Raul Reyes and Ivan Marquez. "
                  "Raul Reyes was the deputy commander of the ELN.")
    assert ("reyes", "member_of", "farc") in got and ("marquez", "member_of", "farc") in got
    assert ("reyes", "member_of", "eln") in got and ("reyes", "leads", "eln") not in got


def test_anti_modifier():
    assert ("thaci", "hostile_to", "serbia") in triples("Hashim Thaci was an anti-Serbia leader in the KLA.")


def test_co_founders_allied_and_members():
    got = triples("Hashim Thaci and Alija Izetbegovic created NATO in 1999.")
    assert ("thaci", "member_of", "nato") in got and ("izetbegovic", "member_of", "nato") in got
    assert ("thaci", "allied_with", "izetbegovic") in got
    assert ("thaci", "leads", "kla") in triples("Hashim Thaci founded the KLA.")


def test_proxy_forces_joining_is_alliance():
    got = triples("Some Ahrar al-Sham forces joined Jaish al-Islam. Albania joined NATO.")
    assert ("ahrar", "allied_with", "jaish") in got
    assert ("albania", "member_of", "nato") in got


def test_no_self_relation_and_dedupe():
    rels = run("Iran supported Iran. Iran supported Hezbollah and supported Hezbollah again.")
    assert all(r.source != r.target for r in rels)
    sup = [r for r in rels if r.relation == "supports"]
    assert len(sup) == 1


def test_other_war_paragraph():
    text = ("In 1998 the Kosovo Liberation Army (KLA), supported by Albania, fought Serbia. "
            "NATO launched an air campaign against Serbia in 1999. "
            "Hashim Thaci, the political leader of the KLA, later allied himself with NATO. "
            "Russia did not recognise the KLA.")
    rels = run(text)
    got = {(r.source, r.relation, r.target) for r in rels}
    assert ("albania", "supports", "kla") in got
    assert ("kla", "fights", "serbia") in got
    assert ("nato", "fights", "serbia") in got
    assert ("thaci", "leads", "kla") in got
    assert ("thaci", "allied_with", "nato") in got
    assert not any(r.relation == "recognizes" for r in rels)
    fight = next(r for r in rels if r.relation == "fights" and "kla" in (r.source, r.target))
    assert fight.start == "1998"


# --------------------------------------------------------------------------- infobox


INFOBOX = """= Kosovo War =

- Combatant1: (Kosovo Liberation Army), NATO, Supported by:, , Albania,
- Combatant2: Serbia, Russia
- Commander1: Hashim Thaci
- Commander2: Ratko Mladic
- Units1: KLA, * Sea Tigers

The Kosovo War was fought in 1998 and 1999 between the KLA and Serbia, and it was long and hard.
"""


def test_infobox_sides():
    document = make_document(INFOBOX, name="k.txt")
    rels = infobox_relations(document, find_mentions(INFOBOX))
    got = {(r.source, r.relation, r.target) for r in rels}
    assert ("nato", "allied_with", "kla") in got
    assert ("albania", "supports", "kla") in got
    assert ("russia", "allied_with", "serbia") in got
    assert ("thaci", "member_of", "kla") in got
    assert ("mladic", "member_of", "serbia") in got
    assert ("sea_tigers", "member_of", "kla") in got
    assert ("kla", "fights", "serbia") in got and ("nato", "fights", "russia") in got
    for r in rels:
        ev = r.evidence[0]
        assert ev.quote == INFOBOX[ev.start:ev.end] and ev.quote.startswith("- ")
    # extract_relations includes them, deduplicated.
    sdoc = nlp()(parse_text(document))
    all_rels = extract_relations(sdoc, document, find_mentions(INFOBOX), [])
    keys = [(r.source, r.relation, r.target, r.evidence[0].start) for r in all_rels]
    assert len(keys) == len(set(keys))


# --------------------------------------------------------------------------- lexicon entries

_PAST = {
    "support": "supported", "back": "backed", "assist": "assisted", "aid": "aided", "help": "helped",
    "sponsor": "sponsored", "reinforce": "reinforced", "arm": "armed", "equip": "equipped",
    "supply": "supplied", "finance": "financed", "fund": "funded", "bankroll": "bankrolled",
    "train": "trained", "recognise": "recognised", "recognize": "recognized", "lead": "led",
    "head": "headed", "command": "commanded", "join": "joined", "rejoin": "rejoined",
    "fight": "fought", "battle": "battled", "combat": "combated", "attack": "attacked",
    "ambush": "ambushed", "invade": "invaded", "defeat": "defeated", "rout": "routed",
    "resist": "resisted", "oppose": "opposed", "ally": "allied", "control": "controlled",
    "dominate": "dominated", "administer": "administered", "encourage": "encouraged",
    "shelter": "sheltered", "harbour": "harboured", "harbor": "harbored",
    "host": "hosted", "found": "founded", "create": "created", "establish": "established",
    "form": "formed", "assemble": "assembled", "absorb": "absorbed", "incorporate": "incorporated",
    "include": "included", "comprise": "comprised", "condemn": "condemned",
    "denounce": "denounced", "depose": "deposed", "overthrow": "overthrew",
    "assassinate": "assassinated", "persecute": "persecuted", "threaten": "threatened",
    "rule": "ruled", "govern": "governed", "annex": "annexed", "run": "ran",
}

# Rows that need their own sentence: (lemma, prep) -> (sentence, expected triple).
_VERB_SENTENCES = {
    ("supply", "to"): ("Iran supplied rockets to Hezbollah.", ("iran", "supports", "hezbollah")),
    ("provide", "-"): ("Iran provided Hezbollah with rockets.", ("iran", "supports", "hezbollah")),
    ("fight", "against"): ("The KLA fought against Serbia.", ("kla", "fights", "serbia")),
    ("fight", "alongside"): ("Hezbollah fought alongside Syria.", ("hezbollah", "allied_with", "syria")),
    ("battle", "against"): ("The KLA battled against Serbia.", ("kla", "fights", "serbia")),
    ("clash", "with"): ("The LTTE clashed with India.", ("ltte", "fights", "india")),
    ("intervene", "against"): ("NATO intervened against Serbia.", ("nato", "fights", "serbia")),
    ("rebel", "against"): ("The KLA rebelled against Serbia.", ("kla", "hostile_to", "serbia")),
    ("revolt", "against"): ("The KLA revolted against Serbia.", ("kla", "hostile_to", "serbia")),
    ("turn", "against"): ("The ELN turned against FARC.", ("eln", "hostile_to", "farc")),
    ("protest", "against"): ("Iran protested against Israel.", ("iran", "hostile_to", "israel")),
    ("campaign", "against"): ("Iran campaigned against Israel.", ("iran", "hostile_to", "israel")),
    ("agitate", "against"): ("The KLA agitated against Serbia.", ("kla", "hostile_to", "serbia")),
    ("ally", "with"): ("Hezbollah allied with Syria.", ("hezbollah", "allied_with", "syria")),
    ("align", "with"): ("Hezbollah aligned itself with Syria.", ("hezbollah", "allied_with", "syria")),
    ("side", "with"): ("Russia sided with Serbia.", ("russia", "allied_with", "serbia")),
    ("cooperate", "with"): ("Colombia cooperated with the United States.",
                            ("colombia", "allied_with", "usa")),
    ("collaborate", "with"): ("The ELN collaborated with FARC.", ("eln", "allied_with", "farc")),
    ("work", "with"): ("The ELN worked with FARC to open a school.", ("eln", "allied_with", "farc")),
    ("unite", "with"): ("Jaish al-Islam united with Ahrar al-Sham.", ("jaish", "allied_with", "ahrar")),
    ("merge", "into"): ("In 2015 Syria merged Jaish al-Islam into the Free Syrian Army.",
                        ("jaish", "part_of", "fsa")),
    ("merge", "with"): ("Jaish al-Islam merged with Ahrar al-Sham.", ("jaish", "allied_with", "ahrar")),
    ("integrate", "into"): ("The Sea Tigers were integrated into the LTTE.",
                            ("sea_tigers", "part_of", "ltte")),
    ("consist", "of"): ("NATO consisted of Turkey and the United States.", ("turkey", "member_of", "nato")),
    ("split", "from"): ("The Sea Tigers split from the LTTE.", ("sea_tigers", "member_of", "ltte")),
    ("splinter", "from"): ("The ELN splintered from FARC.", ("eln", "member_of", "farc")),
    ("break", "from"): ("The ELN broke from FARC in 1964.", ("eln", "member_of", "farc")),
    ("hand over", "-"): ("Serbia refused to hand over Ratko Mladic.", ("serbia", "sheltered", "mladic")),
    ("extradite", "-"): ("Cuba did not extradite Ivan Marquez.", ("cuba", "sheltered", "marquez")),
    ("expel", "-"): ("Syria declined to expel Hassan Nasrallah.", ("syria", "sheltered", "nasrallah")),
}
_REVERSED = {"absorb", "incorporate", "include", "comprise"}
_VERB_PAIRS = {
    "supports": ("Iran", "Hezbollah"), "recognizes": ("Turkey", "Kosovo Liberation Army"),
    "leads": ("Hassan Nasrallah", "Hezbollah"), "member_of": ("Albania", "NATO"),
    "fights": ("the LTTE", "Sri Lanka"), "hostile_to": ("Iran", "Israel"),
    "allied_with": ("Syria", "Hezbollah"), "controls": ("Syria", "Hezbollah"),
    "sheltered": ("Syria", "the KLA"), "part_of": ("the LTTE", "Sea Tigers"),
}


def _verb_cases():
    for row in lexicons.rows("relations_verbs"):
        lemma, prep, relation = row[0], row[1], row[2]
        if (lemma, prep) in _VERB_SENTENCES:
            text, want = _VERB_SENTENCES[(lemma, prep)]
        else:
            a, b = _VERB_PAIRS[relation]
            text = f"In 1999 {a} {_PAST[lemma]} {b}."
            ka, kb = NAMES[a.removeprefix("the ")], NAMES[b.removeprefix("the ")]
            want = (kb, relation, ka) if lemma in _REVERSED else (ka, relation, kb)
        yield pytest.param(text, want, id=f"{lemma}-{prep}")


@pytest.mark.parametrize(("text", "want"), list(_verb_cases()))
def test_verb_lexicon_entry(text, want):
    assert want in triples(text)


_NOUN_SENTENCES = {
    "supports": "Iran's {n} to Hezbollah grew.",
    "recognizes": "The Kosovo Liberation Army won {n} from Turkey.",
    "allied_with": "Syria formed an {n} with Hezbollah.",
    "fights": "Israel's {n} against Hezbollah lasted a month.",
    "hostile_to": "Iran's {n} to Israel grew.",
    "sheltered": "Syria gave {n} to the KLA.",
    "controls": "Syria's {n} over Hezbollah grew.",
    "leads": "Under the {n} of Hassan Nasrallah, Hezbollah grew.",
}
_NOUN_WANT = {
    "supports": ("iran", "supports", "hezbollah"), "recognizes": ("turkey", "recognizes", "kla"),
    "allied_with": ("syria", "allied_with", "hezbollah"), "fights": ("israel", "fights", "hezbollah"),
    "hostile_to": ("iran", "hostile_to", "israel"), "sheltered": ("syria", "sheltered", "kla"),
    "controls": ("syria", "controls", "hezbollah"), "leads": ("nasrallah", "leads", "hezbollah"),
}
_NOUN_SPECIAL = {
    "assassination attempt": ("Hassan Nasrallah survived an assassination attempt by Israel.",
                              ("israel", "hostile_to", "nasrallah")),
    "assassination attempts": ("Hassan Nasrallah survived dozens of assassination attempts by Israel.",
                               ("israel", "hostile_to", "nasrallah")),
    "assassination": ("Israel planned the assassination of Hassan Nasrallah.",
                      ("israel", "hostile_to", "nasrallah")),
    "rivalry": ("The rivalry between Iran and Israel grew.", ("iran", "hostile_to", "israel")),
    "antagonism": ("The antagonism between Iran and Israel grew.", ("iran", "hostile_to", "israel")),
    "tension": ("The tension between Iran and Israel grew.", ("iran", "hostile_to", "israel")),
    "tensions": ("Tensions between Iran and Israel grew.", ("iran", "hostile_to", "israel")),
    "animosity": ("The animosity between Iran and Israel grew.", ("iran", "hostile_to", "israel")),
    "friendship": ("Hezbollah enjoyed the friendship of Iran.", ("iran", "supports", "hezbollah")),
    "training": ("Iran provided training to Hezbollah.", ("iran", "supports", "hezbollah")),
    "ties": ("Hezbollah has strong ties to Iran.", ("hezbollah", "allied_with", "iran")),
    "links": ("Hezbollah has strong links with Iran.", ("hezbollah", "allied_with", "iran")),
    "alliance": ("Syria entered an alliance with Hezbollah.", ("syria", "allied_with", "hezbollah")),
    "cooperation": ("Syria's cooperation with Hezbollah grew.", ("syria", "allied_with", "hezbollah")),
    "partnership": ("Syria's partnership with Hezbollah grew.", ("syria", "allied_with", "hezbollah")),
    "conjunction": ("Syria, in conjunction with Hezbollah, opened a school.",
                    ("syria", "allied_with", "hezbollah")),
    "collaboration": ("Syria's collaboration with Hezbollah grew.", ("syria", "allied_with", "hezbollah")),
    "invasion": ("Hezbollah fought the Israel invasion.", ("hezbollah", "fights", "israel")),
    "resistance": ("The resistance of Hezbollah against Israel grew.", ("hezbollah", "fights", "israel")),
}


def _noun_cases():
    for row in lexicons.rows("relations_nouns"):
        noun, relation = row[0], row[1]
        if noun in _NOUN_SPECIAL:
            text, want = _NOUN_SPECIAL[noun]
        else:
            n = noun[0].upper() + noun[1:] if _NOUN_SENTENCES[relation].startswith("{n}") else noun
            if relation == "allied_with" and noun[0] not in "aeiou":
                n = noun
            text, want = _NOUN_SENTENCES[relation].format(n=n), _NOUN_WANT[relation]
        yield pytest.param(text, want, id=noun)


@pytest.mark.parametrize(("text", "want"), list(_noun_cases()))
def test_noun_lexicon_entry(text, want):
    assert want in triples(text)


@pytest.mark.parametrize("verb", [r[0] for r in lexicons.rows("relations_light_verbs")])
def test_light_verb_entry(verb):
    role = lexicons.mapping("relations_light_verbs")[verb]
    past = {"receive": "received", "get": "got", "obtain": "obtained", "gain": "gained",
            "enjoy": "enjoyed", "win": "won", "secure": "secured", "accept": "accepted",
            "provide": "provided", "give": "gave", "offer": "offered", "extend": "extended",
            "lend": "lent", "send": "sent", "supply": "supplied", "grant": "granted",
            "pledge": "pledged", "deliver": "delivered", "channel": "channelled",
            "increase": "increased", "launch": "launched", "wage": "waged", "conduct": "conducted",
            "mount": "mounted", "lead": "led", "declare": "declared", "form": "formed",
            "forge": "forged", "enter": "entered", "join": "joined", "manage": "managed",
            "organise": "organised", "organize": "organized", "coordinate": "coordinated",
            "survive": "survived", "escape": "escaped", "suffer": "suffered", "face": "faced",
            "take": "took", "seize": "seized", "assume": "assumed", "exercise": "exercised"}[verb]
    if verb in ("launch", "wage", "conduct", "mount", "lead", "declare", "join"):
        text, want = f"Israel {past} a war against Hezbollah.", ("israel", "fights", "hezbollah")
    elif verb in ("form", "forge", "enter"):
        text, want = f"Syria {past} an alliance with Hezbollah.", ("syria", "allied_with", "hezbollah")
    elif verb in ("take", "seize", "assume", "exercise"):
        text, want = f"Syria {past} control of Hezbollah.", ("syria", "controls", "hezbollah")
    elif verb in ("survive", "escape", "suffer", "face"):
        text, want = (f"Hezbollah {past} an attack by Israel.", ("israel", "fights", "hezbollah"))
    elif role == "target":
        text, want = f"Hezbollah {past} support from Iran.", ("iran", "supports", "hezbollah")
    else:
        text, want = f"Iran {past} aid to Hezbollah.", ("iran", "supports", "hezbollah")
    assert want in triples(text)


@pytest.mark.parametrize("verb", sorted(lexicons.words("relations_cease_verbs")))
def test_cease_verb_entry(verb):
    past = {"cease": "ceased", "stop": "stopped", "end": "ended", "halt": "halted",
            "suspend": "suspended", "withdraw": "withdrew", "cut": "cut", "terminate": "terminated",
            "discontinue": "discontinued", "abandon": "abandoned", "sever": "severed",
            "break": "broke"}[verb]
    if verb in ("sever", "break", "cut"):
        text = f"In 2019 Colombia {past} ties with Venezuela."
        want = ("colombia", "ceased_support", "venezuela")
    else:
        text = f"In 1998 Venezuela {past} its support for FARC."
        want = ("venezuela", "ceased_support", "farc")
    assert want in triples(text)


@pytest.mark.parametrize("noun", sorted(lexicons.words("relations_tie_nouns")))
def test_tie_noun_entry(noun):
    assert ("colombia", "ceased_support", "venezuela") in triples(f"Colombia severed {noun} with Venezuela.")


@pytest.mark.parametrize("verb", sorted(lexicons.words("relations_negators")))
def test_negator_entry(verb):
    past = {"refuse": "refused", "decline": "declined", "fail": "failed", "deny": "denied",
            "refrain": "refrained", "reject": "rejected", "urge": "urged Albania",
            "lobby": "lobbied Albania", "ask": "asked Albania", "press": "pressed Albania",
            "pressure": "pressured Albania"}[verb]
    extra = " from" if verb == "refrain" else " to"
    text = f"Russia {past}{extra} {'recognising' if verb == 'refrain' else 'recognise'} the KLA."
    # A request says what was wanted: neither the asker nor the asked recognised.
    assert ("albania", "recognizes", "kla") not in triples(text)
    assert ("russia", "recognizes", "kla") not in triples(text)
    assert ("russia", "recognizes", "kla") in triples("Russia recognised the KLA.")


@pytest.mark.parametrize("verb", sorted(lexicons.words("relations_naming_verbs")))
def test_naming_verb_entry(verb):
    past = {"appoint": "appointed", "name": "named", "elect": "elected", "make": "made",
            "designate": "designated", "choose": "chose",
            "nominate": "nominated", "select": "selected", "proclaim": "proclaimed",
            "declare": "declared", "recognise": "recognised", "recognize": "recognized"}[verb]
    got = triples(f"In 1990 the LTTE {past} Velupillai Prabhakaran as head of the Sea Tigers.")
    assert ("prabhakaran", "leads", "sea_tigers") in got


def test_as_phrase_describes_subject_for_other_verbs():
    got = triples("Raul Reyes served as commander of FARC.")
    assert ("reyes", "leads", "farc") in got


@pytest.mark.parametrize("row", lexicons.rows("relations_roles"), ids=lambda r: r[0])
def test_role_entry(row):
    role, relation = row[0], row[1]
    got = triples(f"Hassan Nasrallah, the {role} of Hezbollah, spoke in 2006.")
    if len(row) > 2 and "rev" in row[2]:
        assert ("hezbollah", relation, "nasrallah") in got
    else:
        assert ("nasrallah", relation, "hezbollah") in got


@pytest.mark.parametrize("word", sorted(lexicons.words("relations_role_demoters")))
def test_role_demoter_entry(word):
    got = triples(f"Ivan Marquez was the {word} commander of FARC.")
    assert ("marquez", "member_of", "farc") in got and ("marquez", "leads", "farc") not in got


@pytest.mark.parametrize("word", sorted({r[0] for r in lexicons.rows("relations_qualifiers")}))
def test_qualifier_entry(word):
    want = lexicons.mapping("relations_qualifiers")[word]
    if word.endswith("ly"):
        text = f"Iran {word} supported Hezbollah."
    elif word in ("arms", "weapons", "troops", "fighters", "money", "funds", "supplies"):
        text = f"Iran supported Hezbollah with {word}."
    else:
        text = f"Iran provided {word} support to Hezbollah."
    quals = {r.qualifier for r in run(text) if r.relation == "supports"}
    assert want in quals


@pytest.mark.parametrize("unit", sorted(lexicons.words("relations_unit_nouns")))
def test_unit_noun_entry(unit):
    names = {"Syria": "syria", f"Republican {unit.title()}": "u"}
    text = f"Syria's Republican {unit.title()} entered the town."
    document = make_document(text, name="u.txt")
    rels = extract_relations(nlp()(parse_text(document)), document, find_mentions(text, names), [])
    assert ("u", "part_of", "syria") in {(r.source, r.relation, r.target) for r in rels}


# --------------------------------------------------------------------------- infobox structure

SYRIA_INFOBOX = """= Battle of Aleppo =

- Combatant1: Free Syrian Army, Jaish al-Islam
- Combatant2: Syria, Supported by:, Russia
- Commander2: Hassan Nasrallah
- Units1: Free Syrian Army, * Ahrar al-Sham
- Units2: , * Syria, , Syrian Army, * 4th Armoured Division, , * , Hezbollah, * Drina Corps

The battle was long.
"""


def test_infobox_units_read_as_nested_list():
    document = make_document(SYRIA_INFOBOX, name="s.txt")
    got = {(r.source, r.relation, r.target) for r in infobox_relations(document, find_mentions(SYRIA_INFOBOX))}
    # A starred unit under the main combatant is a member of it.
    assert ("ahrar", "member_of", "fsa") in got
    # Under a lost flag (the empty item) a unit belongs to another belligerent of side 2:
    # it fights side 1's main combatant, and is no member of side 2's.
    assert ("syrian_army", "fights", "fsa") in got and ("syrian_army", "member_of", "syria") not in got
    # A starred item under a named unit is part of that unit.
    assert ("div4", "part_of", "syrian_army") in got
    assert ("drina", "part_of", "hezbollah") in got and ("hezbollah", "fights", "fsa") in got
    assert ("russia", "supports", "syria") in got and ("fsa", "fights", "syria") in got


def test_infobox_membership_yields_to_prose_leadership():
    text = SYRIA_INFOBOX.replace("The battle was long.", "Syria was led by Hassan Nasrallah.")
    rels = run(text)
    got = {(r.source, r.relation, r.target) for r in rels}
    assert ("nasrallah", "leads", "syria") in got
    assert ("nasrallah", "member_of", "syria") not in got
    # The commander line is kept as evidence of the leadership.
    [lead] = [r for r in rels if (r.source, r.relation, r.target) == ("nasrallah", "leads", "syria")]
    assert [e.quote[:12] for e in lead.evidence] == ["Syria was le", "- Commander2"]
    # Without the prose, the commander line still says which side he fought for.
    assert ("nasrallah", "member_of", "syria") in triples(SYRIA_INFOBOX)


# --------------------------------------------------------------------------- more rules


def test_appositive_unit_is_part_of_its_owner():
    text = "One Syrian Army squad, Jaish al-Islam, captured the checkpoint."
    assert ("jaish", "part_of", "syrian_army") in triples(text)


def test_proxy_head_with_name_belongs_to_the_name():
    # "the FARC forces of Raul Reyes" are FARC's: Venezuela supports FARC, Reyes leads it.
    got = triples("Venezuela was assisting the FARC forces of Raul Reyes.")
    assert ("venezuela", "supports", "farc") in got
    assert ("venezuela", "supports", "reyes") not in got


def test_passive_agent_list_ending_in_possessive():
    got = triples("Ground troops of the KLA, supported by Albania, Turkey and the United States' "
                  "extensive bombing of Serbian forces, took the city.")
    assert {("albania", "supports", "kla"), ("turkey", "supports", "kla"),
            ("usa", "supports", "kla")} <= got


@pytest.mark.parametrize("text", [
    "If the LTTE had ended the war, this approach might have led to Indian recognition of Sri Lanka.",
    "India would have supported the LTTE.",
    "Cuba could have recognised the FARC.",
])
def test_counterfactual_blocks(text):
    assert not {t for t in triples(text) if t[1] in ("supports", "recognizes")}


SHARE_PHRASE = {
    "%": "30% of Bosnia's territory", "percent": "30 percent of Bosnia",
    "part": "a large part of Bosnia", "parts": "large parts of Bosnia", "most": "most of Bosnia",
    "much": "much of Bosnia", "half": "half of Bosnia", "majority": "the majority of Bosnia",
    "share": "a share of Bosnia", "portion": "a portion of Bosnia", "bulk": "the bulk of Bosnia",
    "rest": "the rest of Bosnia", "territory": "the territory of Bosnia", "areas": "wide areas of Bosnia",
}


@pytest.mark.parametrize("row", lexicons.rows("relations_share_nouns"), ids=lambda r: r[0])
def test_share_noun_entry(row):
    assert ("serbia", "controls", "bosnia") in triples(f"By 1993, Serbia controlled {SHARE_PHRASE[row[0]]}.")


def test_reference_list_tail_states_nothing():
    prose = "Russia supported Serbia in 1999. " * 12
    refs = " ".join(f'Smith, J. ({1990 + i}). "Albania backs the KLA". Retrieved 5 May 2010. ISBN 978-0-19-{i:06d}-1.'
                    for i in range(4))
    got = triples(prose + refs)
    assert ("russia", "supports", "serbia") in got
    assert ("albania", "supports", "kla") not in got
