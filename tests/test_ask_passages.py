"""Ask, answers read from passages: a date without its year, names of things ("which
battles", "which resolution"), one coordinated list, two questions in one, a sentence's
reference markers, and an acronym that opens a sentence."""

from __future__ import annotations

import pytest

from conflictlens import ask
from conflictlens.records import KB, Actor, Document
from conftest import text_mentions

# Invented sentences about an invented war.
TEXT = (
    "The Ostland Report of 2004\n\n"
    "In March 2004 the Council met again. "
    "On  8 June, the Marrow chapels in Kell and Tamsin were burned.[12] "
    "The Council adopted resolution 4410 (2004) of 2 May 2004, by which it decided to create the Ostland Mission. "
    "The Ostland fleet was twice beaten by the Vell Navy, in the battles of Corra and Dunmere. "
    "In 2003, envoys of Vellmark, Ostland and Sarnia met at a conference in Bray about the borders between "
    "Sarnia, Ostland and Lundia. "
    "The truce of 2003 coincided with a crisis that saw Lundia and Sarnia threatening each other, while Vellmark "
    "watched. "
    "On 4 April 2004, Colonel Harl, under direct orders of Queen Mira, ordered the assault on Kell. "
    "KDF-RO, a faction that broke away from the Union, has met armed Ostland resistance in the south. "
    "Colonel Harl, a retired cavalry officer who served as Chief of the Defence Staff from 2001 to 2003 and as "
    "Governor of Kell from 2003 to 2006, led the assault. "
    "In 2002, based on a pact between Queen Mira and Piet Oren, officials from Sarnia and Lundia held talks. "
    "The Council summoned the Sarnian diplomat Piet Oren to Bray as its adviser. "
    "Tomas Veld was the second and last \"chairman\" of the Union. "
    "As of 14 May, the police of the Ostland Mission numbered 1,240. "
    "The Korva plateau rises to around 4,200 metres above the sea. "
    "Vellmark helped Sarnia defend the northern passes. "
    "Lundia did not recognise the Ostland Mission. "
    "Arrests followed the riot in Bray, with 6 injured and 23 arrests."
)
DOC = "ostland.txt"


@pytest.fixture(scope="module")
def kb() -> KB:
    names = {"a1": ("Ostland", "state", []), "a2": ("Vellmark", "state", ["Vell"]), "a3": ("Sarnia", "state", []),
             "a4": ("Lundia", "state", []), "a5": ("Colonel Harl", "person", ["Harl"]),
             "a6": ("Queen Mira", "person", ["Mira"]), "a7": ("Union", "political_party", []),
             "a8": ("Ostland fleet", "military_unit", []), "a9": ("Vell Navy", "military_unit", []),
             "a10": ("Council", "organisation", []),
             "a11": ("Piet Oren", "person", ["Oren"]), "a12": ("Tomas Veld", "person", ["Veld"]),
             "a13": ("Ostland Mission", "organisation", [])}
    actors = [Actor(i, n, t, al, {DOC: 1}) for i, (n, t, al) in names.items()]
    return KB([Document("d1", DOC, DOC, TEXT, "x")], actors, [], [], [], text_mentions(TEXT, DOC, actors))


def texts(a: ask.Answer) -> list[str]:
    return [x.text for x in a.answers]


def test_a_date_without_its_year_takes_the_narrative_year(kb):
    assert texts(ask.answer(kb, "On what date were the Marrow chapels in Kell and Tamsin burned?")) == ["8 June 2004"]


def test_which_battles_answers_with_the_battles_names(kb):
    got = ask.answer(kb, "In which two battles was the Ostland fleet beaten by the Vell Navy?")
    assert texts(got) == ["Battle of Corra", "Battle of Dunmere"]


def test_which_resolution_answers_with_its_number(kb):
    assert texts(ask.answer(kb, "Which resolution created the Ostland Mission?")) == ["resolution 4410 (2004)"]


def test_two_questions_in_one(kb):
    got = ask.answer(kb, "Which resolution created the Ostland Mission, and on what date was it adopted?")
    assert texts(got) == ["resolution 4410 (2004)", "2 May 2004"]
    got = ask.answer(kb, "Which colonel ordered the assault on Kell on 4 April 2004, and on whose orders?")
    assert texts(got) == ["Colonel Harl", "Queen Mira"]


def test_a_list_is_one_coordinated_run_of_names(kb):
    # The sentence names a second group (the borders'); the envoys' run answers.
    assert texts(ask.answer(kb, "Which countries sent envoys to the 2003 conference in Bray?")) == \
        ["Vellmark", "Ostland", "Sarnia"]
    # Of a run of the asked size, not the first names in the sentence.
    assert texts(ask.answer(kb, "Which two countries threatened each other in the crisis of 2003?")) == \
        ["Lundia", "Sarnia"]


def test_reference_markers_end_a_sentence():
    text = "The army retreated.[12] The navy held the coast.[3][4] Then came the winter."
    spans = [text[s:e] for s, e in ask.split_sentences(text)]
    assert spans == ["The army retreated.", "The navy held the coast.", "Then came the winter."]


def test_an_acronym_opening_a_sentence_can_answer(kb):
    got = ask.answer(kb, "Which faction broke away from the Union and met armed Ostland resistance?")
    assert texts(got) == ["KDF-RO"]


def test_who_is_x_answers_what_the_text_calls_x(kb):
    assert texts(ask.answer(kb, "Who was Tomas Veld?")) == ["second and last chairman of the Union"]
    # a title phrase before the name, past a given name the KB does not know
    assert texts(ask.answer(kb, "Who was Oren?")) == ["Sarnian diplomat"]
    # the role the sentence dates to the asked years
    assert texts(ask.answer(kb, "Who was Colonel Harl between 2004 and 2005?")) == ["Governor of Kell"]
    assert texts(ask.answer(kb, "Who was Colonel Harl?")) == ["retired cavalry officer"]


def test_who_is_x_never_answers_with_another_actor(kb):
    # "officials from Sarnia … held talks" is the main clause, not what Piet Oren is; and no
    # other actor of a sentence about X says who X is.
    got = ask.answer(kb, "Who is Queen Mira?")
    assert got.answers == [] or texts(got) == ["Queen"]
    assert "officials" not in texts(ask.answer(kb, "Who was Piet Oren in 2002?"))


def test_a_passage_that_does_not_say_the_asked_thing_answers_nothing(kb):
    # The only sentence naming Harl and Kell tells an order, not an alliance: say nothing.
    got = ask.answer(kb, "Who was Colonel Harl allied with at Kell?")
    assert got.answers == [] and got.source == "none"


def test_a_day_of_a_date_is_no_count(kb):
    assert texts(ask.answer(kb, "As of 14 May, how many police did the Ostland Mission have?")) == ["1,240"]


def test_a_measure_keeps_its_unit(kb):
    assert texts(ask.answer(kb, "How high does the Korva plateau rise?")) == ["around 4,200 metres"]
    assert ask.parse_question(kb, "At what altitude does the Korva plateau lie?").kind == "how_many"


def test_yes_or_no_from_a_sentence_that_says_it(kb):
    assert texts(ask.answer(kb, "Did Vellmark help Sarnia defend the passes?")) == ["Yes"]
    assert texts(ask.answer(kb, "Did Lundia recognise the Ostland Mission?")) == ["No"]
    # No sentence names both: no answer, not "No".
    assert ask.answer(kb, "Did Lundia help Vellmark?").answers == []


def test_a_count_goes_with_its_own_noun_not_the_next_conjunct(kb):
    # The KB holds the injured (6) as a figure; its sentence's next conjunct is the arrests'.
    from conflictlens.records import Figure
    from conftest import sentence_evidence

    hurt = Figure("wounded", 6, 6, "injured", [sentence_evidence(TEXT, DOC, "6 injured")], id="f1")
    kb2 = KB(kb.documents, kb.actors, [], [], [hurt], kb.mentions)
    assert texts(ask.answer(kb2, "How many people were arrested after the riot in Bray?")) == ["23"]
