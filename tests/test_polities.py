"""A place the text gives a ruler of its own acts as a state."""

from conflictlens.extract.polities import polity_mentions, ruled_places
from conftest import actors_of


def test_ruled_places_from_titles_and_whose_ruler():
    text = ("The Nawab of Zendar raised taxes. Goods came from Ostrava Vale, whose ruler was friendly. "
            "Marrow's ruler fled. The Duke of Wellington dined.")
    assert ruled_places(text) == {"Zendar", "Ostrava Vale", "Marrow"}


def test_a_place_without_a_ruler_stays_a_place():
    assert ruled_places("The caravan crossed Zendar and reached the Marrow valley.") == set()


def test_office_mention_is_not_the_polity():
    text = "The Nawab of Zendar built a fort. Zendar later lost the fort."
    assert [t[1] for t in polity_mentions(text, {"Zendar"})] == [text.rindex("Zendar")]


def test_ruled_place_becomes_a_state_actor():
    text = ("In 1850 the Emir of Qarnat built a fort at the pass. "
            "The fort was supplied from Qarnat, whose ruler was on friendly terms with the traders. "
            "In 1860 Qarnat signed a treaty with its neighbours.")
    actors, _ = actors_of(text)
    assert any(a.name == "Qarnat" and a.type == "state" for a in actors)


def test_strongman_of_a_place():
    assert ruled_places("The town fell to the Qarnat strongman Ibrahim Sal in 1870.") == {"Qarnat"}
    assert ruled_places("The town fell to the local strongman in 1870.") == set()
