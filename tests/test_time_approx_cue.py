"""A year after a cue and an approximation word ("by about 1892") is a year even when the
parser reads the number as a quantity."""
from conflictlens.extract.time import find_times
from conflictlens.nlp import load_nlp


def _times(text):
    return [(t.value, t.modifier) for t in find_times(text, load_nlp()(text))]


def test_cue_then_about_keeps_the_year():
    text = "They erected a pillar there by about 1880."
    assert ("1880", "APPROX") in _times(text)


def test_about_a_count_stays_a_count():
    text = "The rebels fielded about 1500 fighters near the river."
    assert _times(text) == []
