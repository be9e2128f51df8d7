"""Body names the tagger cut short or missed are widened over their capitalised words."""

from conflictlens.extract.actor_spans import widened_names
from conflictlens.extract.actors import country_code, demonym_state, keyword_type
from conftest import actors_of


def _wide(text, spans=()):
    return [n for n, *_ in widened_names(text, list(spans), keyword_type,
                                         lambda w: bool(country_code(w) or demonym_state(w)))]


def test_untagged_body_after_a_determiner():
    assert _wide("Cadets graduated from the Harbour Pilots Academy in May.") == ["Harbour Pilots Academy"]


def test_cut_name_widened_over_its_first_words():
    text = "The two states agreed on a Joint Water  Committee, which meets monthly."
    s = text.index("Water")
    assert _wide(text, [(s, text.index(","), "organisation")]) == ["Joint Water  Committee"]


def test_two_pieces_joined_by_of_the():
    text = "Food came from the International Council of the Green Crescent and others."
    a = text.index("International")
    b = text.index("Green")
    spans = [(a, text.index(" of the"), "organisation"), (b, text.index(" and"), "organisation")]
    assert _wide(text, spans) == ["International Council of the Green Crescent"]


def test_side_by_side_names_and_possessives_stay_apart():
    text = "It met the Northern Front Democratic Party in March."
    a = text.index("Northern")
    b = text.index("Democratic")
    spans = [(a, b - 1, "armed_group"), (b, text.index(" in"), "political_party")]
    assert _wide(text, spans) == []
    assert _wide("He joined the Front's Youth Committee later.") == []


def test_states_activities_and_run_not_ending_on_a_head():
    assert _wide("They praised the Kenyan Youth Council warmly.") == []
    assert _wide("She ran the Small Grants Programme alone.") == []
    assert _wide("We drove the Green Valley Road home.") == []


def test_widened_name_is_one_actor():
    text = ("In March the Coastal Fisheries Board opened an office. "
            "The Coastal Fisheries Board hired forty inspectors in May.")
    actors, _ = actors_of(text)
    assert any(a.name == "Coastal Fisheries Board" for a in actors)


def test_young_people_is_a_movement():
    from conflictlens.extract.actor_spans import movement_names

    text = "The Young Ruritanians seized power; the Young Ruritanian revolution followed. Young men fled."
    assert movement_names(text, lambda w: w == "Ruritanians") == [
        ("Young Ruritanians", 4, 21, "political_party")]


def test_titled_name_with_particles_is_one_person():
    from conflictlens.extract.actor_spans import particle_names

    text = "On 3 May Colonel Rui van der Berg replaced Dr. Ana da Costa; the de facto rule ended."
    assert [n for n, *_ in particle_names(text)] == ["Rui van der Berg", "Ana da Costa"]
    actors, _ = actors_of("On 3 May Major General Tomas de las Fuentes took command of the brigade.")
    assert any("Tomas de las Fuentes" in {a.name, *a.aliases} and a.type == "person" for a in actors)
