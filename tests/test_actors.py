from __future__ import annotations

import pytest

from conflictlens.extract.actors import country_code, demonym_state, extract_actors, norm, strip_honorifics
from conftest import parsed


def actors_of(text: str):
    doc, sdoc = parsed(text)
    actors, mentions = extract_actors(sdoc, doc)
    for m in mentions:
        assert text[m.start:m.end] == m.text
    return actors, mentions


def find(actors, name):
    hits = [a for a in actors if name in {a.name, *a.aliases}]
    assert len(hits) == 1, f"{name!r} is on {len(hits)} actors: {[(a.name, a.aliases) for a in actors]}"
    return hits[0]


def test_norm_folds_case_accents_punctuation_article_possessive():
    assert norm("The Taliban's") == norm("taliban") == "taliban"
    assert norm("Al-Qaeda") == norm("al Qaeda") == "al qaeda"
    assert norm("Āmer Sāheb") == "amer saheb"


def test_countries_and_demonyms():
    assert country_code("Pakistan") == "PAK"
    assert country_code("U.S.") == country_code("United States") == "USA"
    assert country_code("Soviet Union") == "SUN"
    assert country_code("Kabul") is None
    assert demonym_state("Pakistani") == "Pakistan"
    assert demonym_state("Soviets") == "Soviet Union"


def test_strip_honorifics():
    assert strip_honorifics("Lieutenant General Mahmud Ahmed") == ("Mahmud Ahmed", True)
    assert strip_honorifics("Mullah Omar") == ("Omar", True)
    assert strip_honorifics("General") == ("General", False)


@pytest.mark.parametrize("text, full, short", [
    ("The Kosovo Liberation Army (KLA) attacked Serbian police posts in 1998. The KLA grew quickly.",
     "Kosovo Liberation Army", "KLA"),
    ("Pakistan's Inter-Services Intelligence (ISI) trained the fighters. The ISI denied it.",
     "Inter-Services Intelligence", "ISI"),
    ("The Liberation Tigers of Tamil Eelam (LTTE) fought the army of Sri Lanka for decades.",
     "Liberation Tigers of Tamil Eelam", "LTTE"),
])
def test_acronym_in_parentheses_is_an_alias(text, full, short):
    actors, _ = actors_of(text)
    a = find(actors, full)
    assert short in a.aliases


def test_acronym_must_fit_its_long_form():
    actors, _ = actors_of("The Revolutionary Armed Forces of Colombia (UN) signed nothing.")
    a = [a for a in actors if "Revolutionary Armed Forces of Colombia" in {a.name, *a.aliases}]
    assert a and "UN" not in a[0].aliases


def test_name_in_parentheses_and_also_known_as():
    text = ("Commander Ahmad Shah Massoud created the United Islamic Front for the Salvation of "
            "Afghanistan (Northern Alliance) in 1996. The Revolutionary United Front, also known as "
            "the RUF, fought in Sierra Leone.")
    actors, _ = actors_of(text)
    assert "Northern Alliance" in find(actors, "United Islamic Front for the Salvation of Afghanistan").aliases
    assert "RUF" in find(actors, "Revolutionary United Front").aliases


def test_surname_resolves_to_the_one_person_carrying_it():
    text = ("Ratko Mladic commanded the Army of Republika Srpska. In July 1995 Mladic ordered the "
            "attack on the enclave. General Mladic later fled.")
    actors, mentions = actors_of(text)
    person = find(actors, "Ratko Mladic")
    assert person.type == "person"
    assert sum(1 for m in mentions if m.key == person.key) == 3


def test_two_people_sharing_a_surname_stay_apart():
    text = ("Burhanuddin Rabbani was president. Mohammad Rabbani chaired the council. "
            "Rabbani spoke to reporters.")
    actors, _ = actors_of(text)
    b = find(actors, "Burhanuddin Rabbani")
    m = find(actors, "Mohammad Rabbani")
    assert b.key != m.key
    assert "Rabbani" not in b.aliases and "Rabbani" not in m.aliases


def test_spelling_variants_of_one_full_name_merge():
    actors, _ = actors_of("Ahmad Shah Massoud led the defence. Ahmed Shah Massoud was killed in 2001.")
    assert "Ahmed Shah Massoud" in find(actors, "Ahmad Shah Massoud").aliases


def test_demonym_before_troops_means_the_state():
    actors, mentions = actors_of("Pakistani troops crossed the border. The Soviets withdrew in 1989.")
    assert {a.key for a in actors} >= {"iso:PAK", "iso:SUN"}
    assert find(actors, "Pakistan").type == "state"


def test_cities_are_places_not_actors():
    actors, _ = actors_of("The Taliban captured Kabul and then Herat. Fighting reached Mazar-i-Sharif.")
    names = {n for a in actors for n in (a.name, *a.aliases)}
    assert not names & {"Kabul", "Herat", "Mazar", "Mazar-i-Sharif", "Sharif"}


def test_possessive_and_article_are_not_part_of_the_name():
    actors, _ = actors_of("The Taliban's offensive began in spring. Al-Qaeda's camps grew.")
    names = {n for a in actors for n in (a.name, *a.aliases)}
    assert not any(n.endswith("'s") or n.startswith("The ") for n in names)


def test_infobox_commanders_are_people_and_units_are_groups():
    text = ("= A War =\n\n"
            "- Combatant1: Alpha Liberation Front\n"
            "- Combatant2: Serbia\n"
            "- Commander1: Hashim ThaciKIA , Agim Ceku\n"
            "- Units1: 138th Brigade\n\n"
            "The war began in 1998 when the Alpha Liberation Front attacked police stations.\n")
    actors, _ = actors_of(text)
    assert find(actors, "Hashim Thaci").type == "person"
    assert find(actors, "Agim Ceku").type == "person"
    assert find(actors, "138th Brigade").type == "military_unit"
    assert find(actors, "Serbia").type == "state"
    assert find(actors, "Alpha Liberation Front").type == "armed_group"


@pytest.mark.parametrize("name, expected", [
    ("Inter-Services Intelligence", "intelligence_agency"),
    ("People's Democratic Party of Afghanistan", "political_party"),
    ("Islamic Movement of Uzbekistan", "armed_group"),
    ("Islamic Emirate of Afghanistan", "government"),
])
def test_types_from_the_words_of_the_name(name, expected):
    actors, _ = actors_of(f"In 1999 the {name} issued a statement about the war.")
    assert find(actors, name).type == expected


def test_generic_nouns_are_not_actors():
    actors, _ = actors_of("The government said the rebels had attacked civilians in the north.")
    assert not actors
