"""Tests for conflictlens.extract.figures: numbers, bounds, kinds, actors, evidence."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conflictlens import lexicons
from conflictlens.extract.figures import extract_figures, find_quantities, parse_quantity
from conflictlens.ingest import parse_text, read_document
from conflictlens.nlp import load_nlp
from conflictlens.records import Mention, TimeExpr

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "afghanistan" / "afghan-civil-war-1996-2001.txt"


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def run(nlp, text: str, names: tuple[str, ...] = (), times=None):
    """Figures of a one-paragraph text; ``names`` become actor mentions keyed by themselves."""
    document = parse_text(text, "t.txt")
    mentions = [Mention(n, n, m.start(), m.end()) for n in names for m in re.finditer(re.escape(n), text)]
    figures = extract_figures(nlp(text), document, times=times, mentions=mentions)
    for f in figures:
        ev = f.evidence[0]
        assert ev.quote == text[ev.start:ev.end]
    return figures


def triples(figures):
    return [(f.kind, f.low, f.high) for f in figures]


# ------------------------------------------------------------------ number grammar

@pytest.mark.parametrize("text,low,high", [
    ("1,405,111 to 2,084,468", 1405111, 2084468),
    ("between 1,405,111 and 2,084,468", 1405111, 2084468),
    ("about 1,500 – 3,000", 1500, 3000),
    ("1,500–3,000", 1500, 3000),
    ("more than 200", 200, None),
    ("over 40,000", 40000, None),
    ("less than 3,000", None, 3000),
    ("up to 10,000", None, 10000),
    ("nearly 3,000", None, 3000),
    ("some 50,000", 50000, 50000),
    ("an estimated 4,000", 4000, 4000),
    ("approximately 2000", 2000, 2000),
    ("two million", 2000000, 2000000),
    ("1.5 million", 1500000, 1500000),
    ("1.5 to 2 million", 1500000, 2000000),
    ("five to ten million", 5000000, 10000000),
    ("twenty-five", 25, 25),
    ("two dozen", 24, 24),
    ("20–40 percent", 20, 40),
])
def test_parse_quantity(text, low, high):
    q = parse_quantity(text)
    assert q is not None
    assert (q.low, q.high) == (low, high)
    assert isinstance(q.low if q.low is not None else q.high, int)


def test_quantities_skip_vague_money_codes():
    assert find_quantities("thousands of refugees and hundreds of thousands of people") == []
    assert find_quantities("$30 million in aid") == []
    assert find_quantities("Operation Storm-333 after 9/11 at 1:00") == []
    assert [q.low for q in find_quantities("the 50th Division and 200 men")] == [200]
    assert find_quantities("20–40 percent")[0].percent
    # "and" outside "between" is no range: both numbers are kept.
    assert [q.low for q in find_quantities("200 soldiers and 300 civilians")] == [200, 300]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_number_parser_never_crashes(text):
    for q in find_quantities(text):
        assert 0 <= q.start <= q.end <= len(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789,.–- toandbetweenmorethanmillionpercent%$", max_size=40))
def test_number_parser_never_crashes_on_numberish_text(text):
    find_quantities(text)
    parse_quantity(text)


# ------------------------------------------------------------------ sentences

SENTENCES = [
    # Bosnia
    ("In July 1995, more than 8,000 Bosniak men and boys were killed near Srebrenica.",
     [("deaths", 8000, None)]),
    ("Between 1992 and 1995, the siege of Sarajevo killed 11,541 people.", [("deaths", 11541, 11541)]),
    ("The 25,000-strong militia surrendered to the army.", [("force_size", 25000, 25000)]),
    # Kosovo
    ("The Kosovo Liberation Army had a force of some 20,000 fighters by 1999.",
     [("force_size", 20000, 20000)]),
    ("An estimated 800,000 Kosovo Albanians fled or were expelled from Kosovo in 1999.",
     [("displaced", 800000, 800000)]),
    # Sri Lanka
    ("Up to 10,000 civilians may have died in the final months of the war in Sri Lanka.",
     [("deaths", None, 10000)]),
    ("The LTTE had between 8,000 and 10,000 cadres in 2008.", [("force_size", 8000, 10000)]),
    # Colombia
    ("The FARC was approximately 2000 men strong in the early 1980s.", [("force_size", 2000, 2000)]),
    ("In 2002, the strength of the FARC was estimated at 17,000 fighters.",
     [("force_size", 17000, 17000)]),
    ("Paramilitaries shot dead one journalist and 8 police officers.",
     [("deaths", 1, 1), ("deaths", 8, 8)]),
    # Syria
    ("Roughly 6.7 million Syrians were displaced within the country.", [("displaced", 6700000, 6700000)]),
    ("Two million Syrians fled to Turkey and Lebanon.", [("displaced", 2000000, 2000000)]),
    ("Five to ten million people fled to neighbouring countries.", [("displaced", 5000000, 10000000)]),
    ("The UN appealed for $4.2 billion in aid for 13 million Syrians.", []),
    # generic patterns
    ("By 2014, 1,405,111 to 2,084,468 people had been killed over the duration of the conflict.",
     [("deaths", 1405111, 2084468)]),
    ("During the occupation an estimated 1.5 to 2 million civilians were killed.",
     [("deaths", 1500000, 2000000)]),
    ("About 1,500 – 3,000 rebels were trapped and killed by the army.", [("deaths", 1500, 3000)]),
    ("Nearly 3,000 people were killed in the attacks.", [("deaths", None, 3000)]),
    ("The attacks killed less than 3,000 people.", [("deaths", None, 3000)]),
    ("More than 200 people died when the ferry was shelled.", [("deaths", 200, None)]),
    ("The bombing injured 45 students and killed 12 teachers.", [("wounded", 45, 45), ("deaths", 12, 12)]),
    ("The attack left 300 dead and 500 wounded.", [("deaths", 300, 300), ("wounded", 500, 500)]),
    ("Twelve soldiers were injured in the ambush.", [("wounded", 12, 12)]),
    ("Estimates of the total number killed were 3000.", [("deaths", 3000, 3000)]),
    ("The death toll reached 1,200.", [("deaths", 1200, 1200)]),
    ("Casualties were estimated at 3,000.", [("deaths", 3000, 3000)]),
    ("The government deployed 30,000 soldiers to the northern province.", [("force_size", 30000, 30000)]),
    ("Of roughly 45,000 soldiers fighting in the north, only 14,000 were local.",
     [("force_size", 45000, 45000), ("force_size", 14000, 14000)]),
    ("The estimated 25,000 regular force comprised more than 8,000 foreign volunteers.",
     [("force_size", 25000, 25000), ("force_size", 8000, None)]),
    ("Over 50,000 refugees had fled the region by 1996.", [("displaced", 50000, None)]),
    ("The offensive left more than 100,000 people homeless.", [("displaced", 100000, None)]),
    ("20–40 percent of government soldiers are conscripts.", [("other", 20, 40)]),
    ("The army killed 200 soldiers and 300 civilians.", [("deaths", 200, 200), ("deaths", 300, 300)]),
    # not figures
    ("The rebels control 85% of the country.", []),
    ("The 3rd Brigade and the 055 Brigade withdrew in 1995.", []),
    ("Thousands of refugees fled the fighting and hundreds of thousands of people were displaced.", []),
    ("The ceasefire was signed on 12 March 1999 in Geneva (Smith, 2000, p. 45).", []),
    ("The government paid $30 million to the militia, and two NATO soldiers patrolled the road.", []),
    ("Some 300,000 civilians were trapped in the no-fire zone.", []),
    ("The group launched more than 4,500 attacks and destroyed 75 aircraft.", []),
    ("A 55-page report listed 15 massacres committed in 1998.", []),
]


@pytest.mark.parametrize("text,expected", SENTENCES)
def test_sentences(nlp, text, expected):
    assert triples(run(nlp, text)) == expected


def test_who(nlp):
    [f] = run(nlp, "In July 1995, more than 8,000 Bosniak men and boys were killed near Srebrenica.")
    assert f.who == "mixed"
    journalist, officers = run(nlp, "Paramilitaries shot dead one journalist and 8 police officers.")
    assert (journalist.who, officers.who) == ("civilians", "combatants")
    [f] = run(nlp, "The government deployed 30,000 soldiers to the northern province.")
    assert f.who == "combatants"
    [f] = run(nlp, "The attack left 300 dead and 500 wounded.")[:1]
    assert f.who == "unknown"


def test_what_is_built_from_the_sentence(nlp):
    [f] = run(nlp, "About 1,500 – 3,000 Tamil fighters were trapped and killed by the army.")
    assert f.what == "killed: Tamil fighters"
    [f] = run(nlp, "The government deployed 30,000 soldiers to the northern province.")
    assert f.what == "force size: soldiers"
    [f] = run(nlp, "20–40 percent of government soldiers are conscripts.")
    assert f.what == "percent of government soldiers"


def test_actor_from_modifier_and_owner(nlp):
    [f] = run(nlp, "About 2,000 Contra fighters were surrounded by the army.", names=("Contra",))
    assert f.actor == "Contra"
    [f] = run(nlp, "The Kosovo Liberation Army had a force of some 20,000 fighters.",
              names=("Kosovo Liberation Army",))
    assert f.actor == "Kosovo Liberation Army"
    [f] = run(nlp, "Iran amassed 70,000 soldiers on the border.", names=("Iran",))
    assert f.actor == "Iran"
    # The killer is not the owner of the dead.
    [f] = run(nlp, "The Tigers killed 300 soldiers.", names=("Tigers",))
    assert f.actor is None


def test_period_from_times(nlp):
    text = "In March 1997, the commander led approximately 2,000 fighters to the front."
    i = text.index("March 1997")
    times = [TimeExpr(i, i + 10, "March 1997", "1997-03", "month")]
    [f] = run(nlp, text, times=times)
    assert (f.period_start, f.period_end) == ("1997-03", "1997-03")
    [f] = run(nlp, "The commander led approximately 2,000 fighters to the front.", times=[])
    assert f.period_start is None


# ------------------------------------------------------------------ lexicon coverage

NOUN_SENTENCE = {
    "dead": "The raid left 1,234 dead.",
    "death": "The province recorded 1,234 death in the war.",
    "toll": "The death toll rose to 1,234.",
    "strong": "A 1,234-strong column crossed the river.",
    "strength": "The rebels had a strength of 1,234.",
    "force": "A force of 1,234 crossed the river.",
    "army": "The rebels raised an army of 1,234.",
    "militia": "He raised a militia of 1,234.",
    "contingent": "Chad sent a contingent of 1,234.",
    "garrison": "The town had a garrison of 1,234.",
    "displaced": "The war left 1,234 displaced.",
    "homeless": "The floods left 1,234 homeless.",
    "wounded": "The raid left 1,234 wounded.",
    "injured": "The raid left 1,234 injured.",
    "soldier": "The town held 1,234 soldier in 1940.",
    "fighter": "A further 1,234 fighter joined the rebels.",
    "refugee": "The camp held 1,234 refugee families.",
}


@pytest.mark.parametrize("row", lexicons.rows("figures_nouns"), ids=lambda r: r[0])
def test_every_noun_entry(nlp, row):
    word, kind = row[0], row[1]
    text = NOUN_SENTENCE.get(word, f"The report listed 1,234 {word} in the province.")
    found = [f for f in run(nlp, text) if 1234 in (f.low, f.high)]
    assert found and found[0].kind == kind, (text, triples(found))


@pytest.mark.parametrize("row", lexicons.rows("figures_people"), ids=lambda r: r[0])
def test_every_people_entry(nlp, row):
    [f] = run(nlp, f"The militia killed 1,234 {row[0]} in the province.")
    assert f.kind == "deaths" and f.who == row[1]


PAST = {
    "kill": "killed", "execute": "executed", "massacre": "massacred", "murder": "murdered",
    "slaughter": "slaughtered", "behead": "beheaded", "assassinate": "assassinated", "die": "died",
    "perish": "perished", "wound": "wounded", "injure": "injured", "displace": "displaced",
    "expel": "expelled", "uproot": "uprooted", "flee": "fled", "fight": "fought", "serve": "served",
    "deploy": "deployed", "station": "stationed", "mobilize": "mobilized", "mobilise": "mobilised",
    "amass": "amassed", "mass": "massed", "capture": "captured",
}


@pytest.mark.parametrize("row", lexicons.rows("figures_verbs"), ids=lambda r: r[0])
def test_every_verb_entry(nlp, row):
    lemma, kind, role = row
    if role == "obj":
        text = f"The army {PAST[lemma]} 1,234 villagers in the spring."
    else:
        text = f"About 1,234 villagers {PAST[lemma]} in the spring."
    [f] = run(nlp, text)
    assert f.kind == kind


OWNER_SENTENCE = {
    "have": "The Front had 1,234 soldiers.", "lead": "The Front led 1,234 soldiers into the hills.",
    "command": "The Front commanded 1,234 soldiers.", "field": "The Front fielded 1,234 soldiers.",
    "amass": "The Front amassed 1,234 soldiers.", "deploy": "The Front deployed 1,234 soldiers.",
    "send": "The Front sent 1,234 soldiers to the north.",
    "contribute": "The Front contributed 1,234 soldiers to the offensive.",
    "mobilize": "The Front mobilized 1,234 soldiers.", "mobilise": "The Front mobilised 1,234 soldiers.",
    "muster": "The Front mustered 1,234 soldiers.", "raise": "The Front raised 1,234 soldiers.",
    "recruit": "The Front recruited 1,234 soldiers.", "station": "The Front stationed 1,234 soldiers.",
    "withdraw": "The Front withdrew 1,234 soldiers.", "maintain": "The Front maintained 1,234 soldiers.",
    "number": "The Front numbered 1,234 men.", "be": "The Front was 1,234 men strong.",
}


@pytest.mark.parametrize("row", lexicons.rows("figures_owners"), ids=lambda r: r[0])
def test_every_owner_entry(nlp, row):
    [f] = run(nlp, OWNER_SENTENCE[row[0]], names=("Front",))
    assert f.kind == "force_size" and f.actor == "Front"


COPULA_SENTENCE = {
    "be": "The death toll was 1,234.", "number": "The casualties numbered 1,234.",
    "reach": "The death toll reached 1,234.", "rise": "The death toll rose to 1,234.",
    "stand": "The death toll stood at 1,234.", "total": "The death toll totalled 1,234.",
    "exceed": "The death toll exceeded 1,234.", "climb": "The death toll climbed to 1,234.",
    "amount": "The death toll amounted to 1,234.", "estimate": "Deaths were estimated at 1,234.",
    "put": "Officials put the death toll at 1,234.",
}


@pytest.mark.parametrize("row", lexicons.rows("figures_copulas"), ids=lambda r: r[0])
def test_every_copula_entry(nlp, row):
    [f] = run(nlp, COPULA_SENTENCE[row[0]])
    assert (f.kind, f.low) == ("deaths", 1234)


@pytest.mark.parametrize("row", lexicons.rows("figures_part_verbs"), ids=lambda r: r[0])
def test_every_part_verb_entry(nlp, row):
    past = {"comprise": "comprised", "include": "included", "contain": "contained"}[row[0]]
    found = run(nlp, f"The rebel force {past} 1,234 volunteers.")
    assert triples(found) == [("force_size", 1234, 1234)]


@pytest.mark.parametrize("row", lexicons.rows("figures_bounds"), ids=lambda r: r[0])
def test_every_bound_entry(row):
    phrase, bound = row
    q = parse_quantity(f"{phrase} 1,234 soldiers")
    assert q is not None and q.bound == bound
    expected = {"lower": (1234, None), "upper": (None, 1234), "approx": (1234, 1234)}[bound]
    assert (q.low, q.high) == expected


@pytest.mark.parametrize("row", lexicons.rows("figures_numbers"), ids=lambda r: r[0])
def test_every_number_word(row):
    word, value, role = row
    text = f"two {word}" if role == "scale" else word
    expected = 2 * int(value) if role == "scale" else int(value)
    q = parse_quantity(text)
    assert q is not None and q.low == expected


# ------------------------------------------------------------------ infobox

def test_infobox(nlp):
    text = ("= War of the Test =\n\n"
            "- Date: 1991 – 1995\n"
            "- Combatant1: Republic Army\n"
            "- Combatant2: Free Brigades\n"
            "- Strength1: 45,000 troops\n"
            "- Casualties1: 2,000 killed, 5,000 wounded\n"
            "- Casualties3: 35,775 killed\n\n"
            "The war began in 1991 and ended in 1995 with a ceasefire after long fighting.\n")
    document = parse_text(text, "w.txt")
    mentions = [Mention(n, n, m.start(), m.end()) for n in ("Republic Army", "Free Brigades")
                for m in re.finditer(n, text)]
    from conflictlens.nlp import parse_text as blanked
    figures = extract_figures(nlp(blanked(document)), document, mentions=mentions)
    got = {(f.kind, f.low, f.high) for f in figures}
    assert got == {("force_size", 45000, 45000), ("deaths", 2000, 2000), ("wounded", 5000, 5000),
                   ("deaths", 35775, 35775)}
    last = [f for f in figures if f.low == 35775][0]
    assert last.evidence[0].quote == "Casualties3: 35,775 killed"
    assert (last.period_start, last.period_end) == ("1991", "1995")
    for f in figures:
        ev = f.evidence[0]
        assert ev.quote == text[ev.start:ev.end]
    assert [f.actor for f in figures if f.low == 2000] == ["Republic Army"]
    assert last.actor is None


# ------------------------------------------------------------------ end to end

def test_real_document(nlp):
    document = read_document(EXAMPLE)
    from conflictlens.nlp import parse_text as blanked
    figures = extract_figures(nlp(blanked(document)), document)
    for f in figures:
        ev = f.evidence[0]
        assert ev.doc == document.name
        assert ev.quote == document.text[ev.start:ev.end]
        assert f.kind in ("deaths", "wounded", "force_size", "displaced", "other")
        # no year of the text read as a count
        assert f.low not in (1978, 1989, 1994, 1995, 1996, 1997, 1998, 2001)
    got = {(f.kind, f.low, f.high) for f in figures}
    assert ("deaths", 35775, 35775) in got  # the infobox
    assert ("deaths", 1500, 3000) in got
    assert ("deaths", 4000, 4000) in got
    assert ("force_size", 50000, 50000) in got
    assert ("force_size", 2500, 4000) in got
    assert ("deaths", 200, None) in got


@pytest.mark.parametrize("row", lexicons.rows("figures_skip_sections"), ids=lambda r: r[0])
def test_apparatus_sections_are_skipped(nlp, row):
    text = ("= A War =\n\nThe army killed 300 civilians in the valley.\n\n"
            f"== {row[0].title()} ==\n\nGovernment forces killed 1,234 civilians, report says.\n")
    document = parse_text(text, "r.txt")
    from conflictlens.nlp import parse_text as blanked
    figures = extract_figures(nlp(blanked(document)), document)
    assert triples(figures) == [("deaths", 300, 300)]


def test_owner_through_relative_pronoun(nlp):
    # The antecedent of "which" owns the force it amassed (a Balkan example).
    [f] = run(nlp, "Serbia, which has amassed 40,000 troops on the border, denied any plan to invade.",
              names=("Serbia",))
    assert (f.kind, f.low, f.actor) == ("force_size", 40000, "Serbia")


CAPTIVE_SENTENCE = "The deal freed 600 {} Colombian soldiers held in the jungle."


@pytest.mark.parametrize("row", lexicons.rows("figures_captives"), ids=lambda r: r[0])
def test_every_captive_entry(nlp, row):
    # Prisoners released in a deal are no force size; without the modifier they would be.
    assert run(nlp, CAPTIVE_SENTENCE.format(row[0])) == []
    assert [f.kind for f in run(nlp, "The army deployed 600 Colombian soldiers in the jungle.")] == ["force_size"]
