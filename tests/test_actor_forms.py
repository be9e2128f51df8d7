from __future__ import annotations

from conflictlens.extract.actor_aliases import state_word
from conflictlens.extract.actor_forms import (
    definite_peoples,
    government_of,
    numbered_units,
    office_names,
    organ_end,
    people_groups,
    regnal_end,
    service_name_key,
    service_phrases,
)
from conflictlens.extract.actors import demonym_state, norm
from conftest import actors_of, find


def test_a_lower_case_service_of_a_state_is_a_unit():
    text = ("In 1920 Poland mobilised. The Polish army crossed the river, and later the Polish forces "
            "took the town while the Polish fleet stayed in port.")
    actors, _ = actors_of(text)
    army = find(actors, "Polish army")
    assert army.type == "military_unit" and {"Polish army", "Polish forces"} <= {army.name, *army.aliases}
    fleet = find(actors, "Polish fleet")
    assert fleet is not army and fleet.type == "military_unit"
    assert find(actors, "Poland").type == "state"


def test_forces_alone_stay_the_state_acting():
    names = [n for n, *_ in service_phrases("Later Polish forces took the town.", demonym_state)]
    assert names == []


def test_a_service_is_one_whatever_its_case_and_demonym():
    key = service_name_key("Pakistan Army", state_word)
    assert key and key == service_name_key("Pakistani armed forces", state_word)
    assert service_name_key("Pakistan Navy", state_word) != key
    assert service_name_key("Liberation Army", state_word) is None


def test_a_people_written_as_a_side_stands_for_its_state():
    text = ("In 1885 Serbia declared war on Bulgaria. The Bulgarians won at the pass, and the Serbs "
            "retreated. Later the Serbs asked Austria for help.")
    assert definite_peoples(text, {"Serbs", "Bulgarians"}) == {"Serbs", "Bulgarians"}
    actors, _ = actors_of(text)
    serbia = find(actors, "Serbia")
    assert serbia.type == "state" and "Serbs" in serbia.aliases
    assert "Bulgarians" in find(actors, "Bulgaria").aliases


def test_a_people_placed_or_named_among_ethnicities_stays_a_people():
    text = ("Ethnic minorities such as the Uzbeks suffered. The Kurds of the north fled, "
            "and Kurds joined the march.")
    assert definite_peoples(text, {"Uzbeks", "Kurds"}) == set()


def test_an_office_standing_alone_names_its_holder():
    text = ("In 2003 the Council asked the Secretary-General for a report. The Minister of Foreign "
            "Affairs met the Force Commander in the capital.")
    actors, _ = actors_of(text)
    for office in ("Secretary-General", "Minister of Foreign Affairs", "Force Commander"):
        assert find(actors, office).type == "person"


def test_a_title_before_a_name_is_not_an_office_actor():
    names = [n for n, *_ in office_names("Later the Prime Minister Nehru spoke, and the prime minister left.")]
    assert names == []


def test_a_bare_office_is_the_one_longer_office_and_an_apposition_is_the_person():
    text = ("In 1850 the Maharaja of Kashmir built a fort. The Maharaja then sent troops north. "
            "Mr. Carlos Ruiz Montero, Special Representative of the Secretary-General, visited the town. "
            "Carlos Ruiz Montero left in May.")
    actors, _ = actors_of(text)
    assert "Maharaja" in find(actors, "Maharaja of Kashmir").aliases | {find(actors, "Maharaja of Kashmir").name}
    envoy = find(actors, "Special Representative of the Secretary-General")
    assert envoy is find(actors, "Carlos Ruiz Montero")


def test_an_office_holding_another_actor_is_left_to_the_relations():
    text = ("The Northern Army fought on. General Abel Brun, Chief of Staff of the Northern Army, "
            "resigned in 1913, and the Northern Army retreated.")
    assert not any(n.startswith("Chief of Staff") for n, *_ in office_names(text)) or \
        all(a.name != "Chief of Staff of the Northern Army" for a in actors_of(text)[0])


def test_a_numbered_formation_keeps_its_demonym():
    names = [n for n, *_ in numbered_units("Then the Polish 3rd and 4th Army crossed; the Polish 2nd division held.",
                                            state_word)]
    assert names == ["Polish 3rd and 4th Army", "Polish 2nd division"]


def test_a_people_as_part_of_the_population_is_an_ethnic_group():
    text = ("In 1990 Kenya held elections. The Somali community protested, and ethnic Somalis fled "
            "while the Kenya population watched.")
    found = [n for n, *_ in people_groups(text, lambda w: w == "Kenya")]
    assert found == ["Somali community", "ethnic Somalis"]
    actors, _ = actors_of(text)
    assert find(actors, "ethnic Somalis").type == "ethnic_group"


def test_a_dotless_i_is_an_i():
    assert norm("Nazım Pasha") == norm("Nazim Pasha")


def test_a_regnal_number_belongs_to_the_name_but_the_pronoun_does_not():
    text = "In 1860 they crowned king Otto I here. Later Otto I left, and Otto III came."
    assert regnal_end(text, text.index("Otto"), text.index("Otto") + 4) == text.index(" here")
    second = text.index("Otto", 40)
    assert regnal_end(text, second, second + 4) == second + 4  # "I" alone, no title: maybe the pronoun
    third = text.index("Otto III")
    assert regnal_end(text, third, third + 4) == third + 8


def test_the_government_of_a_state_is_the_state_acting():
    assert government_of("the Government of  Kenya") == "Kenya"
    assert government_of("government of Hamid Karzai") == "Hamid Karzai"  # the caller checks for a state
    assert government_of("Kenyan government") is None
    text = "In 1990 Kenya closed the border. The Government of Kenya then protested to Uganda."
    actors, _ = actors_of(text)
    assert find(actors, "Government of Kenya") is find(actors, "Kenya")


def test_an_agency_is_an_intelligence_body_only_by_its_words():
    from conflictlens.extract.actors import keyword_type

    assert keyword_type("Federal Security Service") == "intelligence_agency"
    assert keyword_type("Central Intelligence Agency") == "intelligence_agency"
    assert keyword_type("Civil Service Academy") == "organisation"
    assert keyword_type("Agency for Rural Development") == "organisation"


def test_a_name_after_mister_is_a_person():
    text = "the Governor of the province, Mr.  Dano  Tollo, visited Dili."
    actors, _ = actors_of(text)
    assert find(actors, "Dano  Tollo").type == "person"  # the tagger reads an organisation here


def test_a_missions_part_keeps_its_common_noun():
    text = "Work is coordinated by the Civil Affairs and Elections component of the mission."
    start = text.index("Civil")
    assert text[start:organ_end(text, text.index(" component"))] == "Civil Affairs and Elections component"
    assert organ_end(text, 5) == 5
