from conflictlens.extract import dual_dates
from conflictlens.extract.time import find_times


def _values(text):
    return [(t.value, t.text) for t in find_times(text)]


def test_bracketed_old_style_day_is_dropped():
    text = "The siege was lifted on 14(1) March 1854 after a storm."
    assert _values(text) == [("1854-03-14", "14(1) March 1854")]


def test_bracketed_old_style_date_after_the_new_style_one():
    text = "In 1854 the fleet sailed on 3 April (22 March) and anchored on 5 April."
    vals = [v for v, _ in _values(text)]
    assert "1854-04-03" in vals and "1854-03-22" not in vals


def test_explicit_old_style_marker():
    text = "The garrison surrendered on 12 May (30 April O.S.) 1854."
    assert _values(text)[0][0] == "1854-05-12"


def test_new_style_marker_inside_brackets_wins():
    text = "The garrison surrendered on 30 April (12 May N.S.) 1854."
    assert _values(text)[0][0] == "1854-05-12"


def test_mask_keeps_length_and_plain_brackets():
    text = "On 5 May (1854) the town (20 dead) fell; 9(2) June 1854."
    out = dual_dates.mask(text)
    assert len(out) == len(text)
    assert "(1854)" in out and "(20 dead)" in out and "(2)" not in out
