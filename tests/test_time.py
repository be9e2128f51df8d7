"""Tests for conflictlens.extract.time: a table of expressions, lexicon coverage, corpus checks."""

from __future__ import annotations

import re
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conflictlens import lexicons
from conflictlens.extract.time import (
    Narrative,
    anchor_event_references,
    anchor_founding_dates,
    close_ceased_relations,
    find_times,
    refine_event_dates,
    times_in,
)
from conflictlens.records import TimeExpr

CORPUS = Path(__file__).resolve().parents[1] / "examples" / "afghanistan"

D, M, Y, DEC = "day", "month", "year", "decade"

#: (sentence, every expression expected in it as (text, value, value_end, precision, modifier)).
CASES: list[tuple[str, list[tuple]]] = [
    # --- absolute dates
    ("The Taliban took Kabul on 27 September 1996.", [("27 September 1996", "1996-09-27", None, D, None)]),
    ("Kabul fell on September 27, 1996, after a siege.",
     [("September 27, 1996", "1996-09-27", None, D, None)]),
    ("On 25 May 1997, Malik arrested Ismail Khan.", [("25 May 1997", "1997-05-25", None, D, None)]),
    ("Fighting resumed in May 1997.", [("May 1997", "1997-05", None, M, None)]),
    ("The movement was founded in 1996.", [("1996", "1996", None, Y, None)]),
    ("Srebrenica fell to Bosnian Serb forces on 11 July 1995.",
     [("11 July 1995", "1995-07-11", None, D, None)]),
    ("NATO began bombing Yugoslavia over Kosovo on 24 March 1999.",
     [("24 March 1999", "1999-03-24", None, D, None)]),
    ("The Sri Lankan army defeated the LTTE in May 2009.", [("May 2009", "2009-05", None, M, None)]),
    ("The Colombian government and the FARC signed the accord on Sept. 26, 2016.",
     [("Sept. 26, 2016", "2016-09-26", None, D, None)]),
    ("Protests in Syria began in Daraa on 15th March 2011.",
     [("15th March 2011", "2011-03-15", None, D, None)]),
    ("The report is dated 2014-06-29.", [("2014-06-29", "2014-06-29", None, D, None)]),
    ("The offensive began in September of 1996.", [("September of 1996", "1996-09", None, M, None)]),
    ("A truce was agreed on 1 Oct 1995 near Sarajevo.", [("1 Oct 1995", "1995-10-01", None, D, None)]),
    # --- ranges and spans
    ("The Soviet–Afghan War (1979–1989) ended in withdrawal.", [("1979–1989", "1979", "1989", Y, None)]),
    ("The 1979-1989 war devastated the country.", [("1979-1989", "1979", "1989", Y, None)]),
    ("He ruled from 1996 to 2001.", [("from 1996 to 2001", "1996", "2001", Y, None)]),
    ("The Taliban ruled between 1996 and 2001.", [("between 1996 and 2001", "1996", "2001", Y, None)]),
    ("Afghan Civil War (1992–1996)", [("1992–1996", "1992", "1996", Y, None)]),
    ("Date: 27 September 1996 – 7 October 2001",
     [("27 September 1996 – 7 October 2001", "1996-09-27", "2001-10-07", D, None)]),
    ("Islamic State–Taliban conflict (2015–present)", [("2015–present", "2015", None, Y, "AFTER")]),
    ("The insurgency has lasted from 2015 to the present.",
     [("from 2015 to the present", "2015", None, Y, "AFTER")]),
    ("The civil war of 1996-2001 ended with an invasion.", [("1996-2001", "1996", "2001", Y, None)]),
    ("The Taliban Phenomenon: Afghanistan 1994–97", [("1994–97", "1994", "1997", Y, None)]),
    ("Fighting raged on 27–29 September 1996.",
     [("27–29 September 1996", "1996-09-27", "1996-09-29", D, None)]),
    ("Fighting raged on September 27–29, 1996.",
     [("September 27–29, 1996", "1996-09-27", "1996-09-29", D, None)]),
    ("In November and December 2001 the Taliban were ousted.",
     [("November and December 2001", "2001-11", "2001-12", M, None)]),
    ("The siege lasted from September 1996 to March 1997.",
     [("from September 1996 to March 1997", "1996-09", "1997-03", M, None)]),
    ("The Bosnian War (1992–1995) killed about 100,000 people.", [("1992–1995", "1992", "1995", Y, None)]),
    ("The siege of Sarajevo lasted from 5 April 1992 to 29 February 1996.",
     [("from 5 April 1992 to 29 February 1996", "1992-04-05", "1996-02-29", D, None)]),
    ("The Sri Lankan Civil War (1983–2009) ended at Mullaitivu.", [("1983–2009", "1983", "2009", Y, None)]),
    ("Between March and June 1999 NATO aircraft struck Serbia.",
     [("Between March and June 1999", "1999-03", "1999-06", M, None)]),
    ("The offensive of October 2001 – February 2013 data",
     [("October 2001 – February 2013", "2001-10", "2013-02", M, None)]),
    ("Talks were held in 1997 and 1998.", [("1997", "1997", None, Y, None), ("1998", "1998", None, Y, None)]),
    # --- vague and modified
    ("Massoud's forces were driven back in early 1995.", [("early 1995", "1995", None, Y, "START")]),
    ("The Northern Alliance was assembled in late 1996.", [("late 1996", "1996", None, Y, "END")]),
    ("Arms flowed in the mid-1990s.", [("mid-1990s", "1990", None, DEC, "MID")]),
    ("In the 1980s he joined the resistance.", [("1980s", "1980", None, DEC, None)]),
    ("By 1996 the Taliban controlled the south.", [("By 1996", "1996", None, Y, "BEFORE")]),
    ("Before 9/11, few states engaged the Taliban.", [("Before 9/11", "2001-09-11", None, D, "BEFORE")]),
    ("Refugees returned after the Soviet withdrawal.", []),
    ("As of 2024, the Taliban control the country.", [("As of 2024", "2024", None, Y, "BEFORE")]),
    ("Since 1979, Iran has backed Shia parties.", [("Since 1979", "1979", None, Y, "AFTER")]),
    ("The country has been at war since the 1970s.", [("since the 1970s", "1970", None, DEC, "AFTER")]),
    ("The militia was formed around 1990.", [("around 1990", "1990", None, Y, "APPROX")]),
    ("The fort was built c. 1850.", [("c. 1850", "1850", None, Y, "APPROX")]),
    ("It held out until late 1994.", [("until late 1994", "1994", None, Y, "BEFORE")]),
    ("By the end of 1996 alone, refugees had fled.", [("By the end of 1996", "1996", None, Y, "BEFORE")]),
    ("At the end of July 2010 the Dutch withdrew.", [("the end of July 2010", "2010-07", None, M, "END")]),
    ("Airstrikes resumed in early March 2020.", [("early March 2020", "2020-03", None, M, "START")]),
    ("The city fell in mid-September 1996.", [("mid-September 1996", "1996-09", None, M, "MID")]),
    ("The Great Game of the 19th century shaped the border.",
     [("19th century", "1800", "1890", DEC, None)]),
    ("In the early 20th century the emirate stayed neutral.",
     [("early 20th century", "1900", "1990", DEC, "START")]),
    ("The offensive stalled in the summer of 1998.", [("the summer of 1998", "1998", None, Y, "MID")]),
    # --- narrative (relative) times
    ("On 26 September 1996 Massoud withdrew. The following day the Taliban entered Kabul.",
     [("26 September 1996", "1996-09-26", None, D, None),
      ("The following day", "1996-09-27", None, D, None)]),
    ("Troops withdrew on 26 September 1996; the next day, the Taliban arrived.",
     [("26 September 1996", "1996-09-26", None, D, None), ("the next day", "1996-09-27", None, D, None)]),
    ("The town fell on 8 August 1998 and was looted that same day.",
     [("8 August 1998", "1998-08-08", None, D, None), ("that same day", "1998-08-08", None, D, None)]),
    ("The city fell on 10 August 1998. Two days before, the garrison had fled.",
     [("10 August 1998", "1998-08-10", None, D, None), ("Two days before", "1998-08-08", None, D, None)]),
    ("Massoud was killed in 2001. The following year a holiday was declared.",
     [("2001", "2001", None, Y, None), ("The following year", "2002", None, Y, None)]),
    ("The Taliban took power in 1996. In March of that year they met in Kandahar.",
     [("1996", "1996", None, Y, None), ("March of that year", "1996-03", None, M, None)]),
    ("The IMU was formed in 1998. That year it moved to Afghanistan.",
     [("1998", "1998", None, Y, None), ("That year", "1998", None, Y, None)]),
    ("The offensive began in May 1997; later that month Malik defected.",
     [("May 1997", "1997-05", None, M, None), ("later that month", "1997-05", None, M, None)]),
    ("Malik defected on May 22, 1997. On May 30, the Taliban attacked.",
     [("May 22, 1997", "1997-05-22", None, D, None), ("May 30", "1997-05-30", None, D, None)]),
    ("In August 2001 talks failed. In November of that year the Taliban fell.",
     [("August 2001", "2001-08", None, M, None), ("November of that year", "2001-11", None, M, None)]),
    ("Massoud was killed in 2001. The year following his assassination, in 2002, he was declared a hero.",
     [("2001", "2001", None, Y, None), ("2002", "2002", None, Y, None)]),
    ("Massoud was assassinated two days before the September 11 attacks.",
     [("two days before the September 11 attacks", "2001-09-09", None, D, None)]),
    ("The United States invaded after the September 11 attacks.",
     [("after the September 11 attacks", "2001-09-11", None, D, "AFTER")]),
    ("Pakistan cut its ties after 9/11.", [("after 9/11", "2001-09-11", None, D, "AFTER")]),
    ("Kandahar fell in January 1995. In the following months they took the south.",
     [("January 1995", "1995-01", None, M, None), ("the following months", "1995-01", None, M, "AFTER")]),
    ("Ghouta was attacked on 21 August 2013. Three weeks later a deal was struck.",
     [("21 August 2013", "2013-08-21", None, D, None),
      ("Three weeks later", "2013-09-11", None, D, "APPROX")]),
    ("Jaffna fell in 1995. A year later the LTTE took Mullaitivu.",
     [("1995", "1995", None, Y, None), ("A year later", "1996", None, Y, None)]),
    ("Najibullah fell in April 1992. Several months later Kabul was shelled.",
     [("April 1992", "1992-04", None, M, None), ("Several months later", "1992-04", None, M, "AFTER")]),
    ("The ceasefire of 2002 held; over the next two years the talks stalled.",
     [("2002", "2002", None, Y, None), ("the next two years", "2003", "2004", Y, None)]),
    ("Kabul fell on 27 September 1996. The previous day Massoud had left.",
     [("27 September 1996", "1996-09-27", None, D, None), ("The previous day", "1996-09-26", None, D, None)]),
    ("Government forces collapsed in early 1992. By April, Najibullah had resigned.",
     [("early 1992", "1992", None, Y, "START"), ("By April", "1992-04", None, M, "BEFORE")]),
    ("The offensive started in 1998. By the end of the year it had failed.",
     [("1998", "1998", None, Y, None), ("By the end of the year", "1998", None, Y, "BEFORE")]),
    ("The crisis began in 1998. In September the Taliban claimed a violation.",
     [("1998", "1998", None, Y, None), ("September", "1998-09", None, M, None)]),
    ("Kabul fell in 1996. A day after the attack, the UN protested.", [("1996", "1996", None, Y, None)]),
    ("Flights were grounded the day after 9/11.", [("the day after 9/11", "2001-09-12", None, D, None)]),
    ("The FARC signed in late August 2016; voters rejected it the following month.",
     [("late August 2016", "2016-08", None, M, "END"), ("the following month", "2016-09", None, M, None)]),
    ("The LTTE agreed a ceasefire in February 2002; four years later the talks collapsed.",
     [("February 2002", "2002-02", None, M, None), ("four years later", "2006", None, Y, None)]),
    ("The Dayton Agreement was initialled on 21 November 1995 and signed the next month.",
     [("21 November 1995", "1995-11-21", None, D, None), ("the next month", "1995-12", None, M, None)]),
    ("The following day the town fell.", []),  # nothing to anchor on yet
    # a bare month runs forward across the new year; a near earlier month looks back
    ("The siege of Sarajevo tightened in November 1992. In January, the airlift resumed.",
     [("November 1992", "1992-11", None, M, None), ("January", "1993-01", None, M, None)]),
    ("The offensive began on 30 December 1999. On 2 January the town fell.",
     [("30 December 1999", "1999-12-30", None, D, None), ("2 January", "2000-01-02", None, D, None)]),
    ("Talks opened in January 1995. In December, the army attacked.",
     [("January 1995", "1995-01", None, M, None), ("December", "1995-12", None, M, None)]),
    ("Jaffna fell in May 1995. In March, the LTTE had withdrawn its cadres.",
     [("May 1995", "1995-05", None, M, None), ("March", "1995-03", None, M, None)]),
    # --- non-dates
    ("Unit 1996 of the army crossed the river.", []),
    ("The 055 Brigade fought for the Taliban.", []),
    ("The 50th Airborne Division was deployed.", []),
    ("Within three months, they occupied 12 provinces.", []),
    ("See Rashid, pp. 191-194 and p. 45.", []),
    ("Pakistan backed the movement (Rashid, 2000).", []),
    ("Aid flowed freely (Rubin, 2002; Coll, 2004).", []),
    ("Rashid (2000) argues that Pakistan backed them.", []),
    ("The regime was isolated (Wahab & Youngerman, 2007: p. 12).", []),
    ("Casualties: 35,775 killed", []),
    ("Iran massed 40,000 soldiers on the border.", []),
    ("About 1,500 – 3,000 Wahdat fighters were trapped.", []),
    ("The garrison numbered 2000 soldiers.", []),
    ("This meeting gathered 1200 Taliban clerical leaders in Kandahar.", []),
    ("UN Security Council Resolution 1267 imposed sanctions.", []),
    ("Radio Liberty. Retrieved 25 March 2024.", []),
    ("Hurst. ISBN 0-7881-1111 was cited.", []),
    ("The militia may march on the capital.", []),
    ("It was a 20-year war that cost $2000 per head and 1500 km of road.", []),
    ("The ELN had between 1000 and 1500 fighters.", []),
    ("Bezhan, Frud (30 June 2023). The Azadi Briefing.", []),
]


def _tuples(ts: list[TimeExpr]) -> list[tuple]:
    return [(t.text, t.value, t.value_end, t.precision, t.modifier) for t in ts]


def test_table_has_enough_expressions():
    assert sum(max(1, len(exp)) for _, exp in CASES) >= 80


@pytest.mark.parametrize("sentence, expected", CASES, ids=[c[0][:40] for c in CASES])
def test_table(sentence, expected):
    got = find_times(sentence)
    assert _tuples(got) == expected
    for t in got:
        assert sentence[t.start:t.end] == t.text


def test_relative_flag():
    ts = find_times("Kabul fell on 27 September 1996. The next day, 28 September, Massoud left. "
                    "In 1997 Malik rose.")
    assert [t.relative for t in ts] == [False, True, True, False]
    assert ts[2].value == "1996-09-28"


def test_finest_anchor_survives_a_coarser_mention():
    ts = find_times("On 25 May 1997 Malik defected. Later in 1997 he fled. In 1997 the next day was quiet.")
    assert _tuples(ts)[-1] == ("the next day", "1997-05-26", None, D, None)


def test_named_events_and_asides_do_not_move_the_anchor():
    text = ("Withdrawal was set for 11 September 2021, the anniversary of the 9/11 attacks. "
            "It was brought forward to 31 August. (He had fought there in 1991.) The next day was calm.")
    ts = find_times(text)
    assert ("31 August", "2021-08-31", None, D, None) in _tuples(ts)
    assert _tuples(ts)[-1] == ("The next day", "2021-09-01", None, D, None)


def test_times_in():
    text = "In 1996 Kabul fell. On 25 May 1997 Malik defected. The next day he fled."
    ts = find_times(text)
    second = text.index("On 25")
    third = text.index("The next")
    assert [t.text for t in times_in(ts, second, third)] == ["25 May 1997"]
    assert [t.text for t in times_in(ts, 0, len(text))] == ["1996", "25 May 1997", "The next day"]
    assert times_in(ts, 3, 6) == []  # "1996" is not wholly inside


# ---------------------------------------------------------------------------------------
# Every lexicon entry covered by a sentence
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("row", lexicons.rows("time_months"), ids=lambda r: r[0])
def test_lexicon_months(row):
    name, num, _kind = row
    s = f"It happened on 3 {name} 1997 in the north."
    assert _tuples(find_times(s)) == [(f"3 {name} 1997", f"1997-{int(num):02d}-03", None, D, None)]


@pytest.mark.parametrize("row", lexicons.rows("time_part_words"), ids=lambda r: r[0])
def test_lexicon_part_words(row):
    word, mod, kind = row
    phrase = f"{word} 1997" if kind == "adj" else f"the {word} of 1997"
    assert _tuples(find_times(f"It happened at {phrase} in the north.")) == [(phrase, "1997", None, Y, mod)]


@pytest.mark.parametrize("row", lexicons.rows("time_modifiers"), ids=lambda r: r[0])
def test_lexicon_modifiers(row):
    phrase, mod = row
    assert _tuples(find_times(f"It changed {phrase} 1997 in the north.")) == [
        (f"{phrase} 1997", "1997", None, Y, mod)]


@pytest.mark.parametrize("row", lexicons.rows("time_narrative"), ids=lambda r: r[0])
def test_lexicon_narrative(row):
    word, offset, _plural = row
    phrase = f"{word} day" if word.startswith("that") else f"the {word} day"
    ts = find_times(f"The town fell on 10 May 1997. On {phrase} the army left.")
    assert _tuples(ts)[1] == (phrase, f"1997-05-{10 + int(offset):02d}", None, D, None)


@pytest.mark.parametrize("row", lexicons.rows("time_units"), ids=lambda r: r[0])
def test_lexicon_units(row):
    unit, _ = row
    expected = {"day": ("1997-05-11", D, None), "week": ("1997-05-17", D, "APPROX"),
                "month": ("1997-06", M, None), "year": ("1998", Y, None)}[row[1]]
    ts = find_times(f"The town fell on 10 May 1997. The following {unit} the army left.")
    assert _tuples(ts)[1] == (f"The following {unit}", expected[0], None, expected[1], expected[2])


@pytest.mark.parametrize("row", lexicons.rows("time_numbers"), ids=lambda r: r[0])
def test_lexicon_numbers(row):
    word, n = row
    ts = find_times(f"The town fell on 10 May 1997. {word} days later the army left.")
    if n == "~":
        assert _tuples(ts)[1] == (f"{word} days later", "1997-05-10", None, D, "AFTER")
    else:
        day = date(1997, 5, 10) + timedelta(days=int(n))
        assert _tuples(ts)[1] == (f"{word} days later", day.isoformat(), None, D, None)


@pytest.mark.parametrize("row", lexicons.rows("time_seasons"), ids=lambda r: r[0])
def test_lexicon_seasons(row):
    season = row[0]
    mod = row[1] if len(row) > 1 and row[1] else None
    assert _tuples(find_times(f"Fighting peaked in the {season} of 1997.")) == [
        (f"the {season} of 1997", "1997", None, Y, mod)]


@pytest.mark.parametrize("row", lexicons.rows("time_named_events"), ids=lambda r: r[0])
def test_lexicon_named_events(row):
    phrase, value = row
    prec = {10: D, 7: M, 4: Y}[len(value)]
    assert _tuples(find_times(f"Everything changed after the {phrase}.")) == [
        (f"after the {phrase}", value, None, prec, "AFTER")]


@pytest.mark.parametrize("noun", sorted(lexicons.words("time_count_nouns")))
def test_lexicon_count_nouns(noun):
    assert find_times(f"They sent 1500 {noun} north.") == []


@pytest.mark.parametrize("label", sorted(lexicons.words("time_number_labels")))
def test_lexicon_number_labels(label):
    assert find_times(f"See {label.capitalize()} 1996 here.") == []


@pytest.mark.parametrize("cue", sorted(lexicons.words("time_citation_cues")))
def test_lexicon_citation_cues(cue):
    assert find_times(f"Report. {cue.capitalize()} 25 March 2024. Next") == []


# ---------------------------------------------------------------------------------------
# The spaCy Doc, random text, the real corpus
# ---------------------------------------------------------------------------------------

def test_sdoc_rejects_a_cardinal():
    from conflictlens.nlp import load_nlp

    nlp = load_nlp()
    text = "Government forces, 1500 strong, advanced on the town in 1995."
    assert [t.text for t in find_times(text)] == ["1500", "1995"]
    assert [t.text for t in find_times(text, nlp(text))] == ["1995"]


_PIECES = ["27", "September", "1996", "–", "-", " ", ", ", ". ", "May", "the", "following", "day",
           "(", ")", "Rashid", "2000", "by", "early", "1990s", "9/11", "from", "to", "and", "between",
           "two", "days", "later", "present", "of", "that", "year", "Sept.", "19th", "century", "\n"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=6)), max_size=40))
def test_property_spans(pieces):
    text = " ".join(pieces)
    ts = find_times(text)
    last_end = -1
    for t in ts:
        assert text[t.start:t.end] == t.text
        assert t.start >= last_end and t.start < t.end
        assert t.precision in ("day", "month", "year", "decade")
        assert t.modifier in (None, "START", "MID", "END", "BEFORE", "AFTER", "APPROX")
        assert t.value is None or re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", t.value)
        last_end = t.end


@pytest.fixture(scope="module")
def corpus() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))}


def test_corpus_civil_war(corpus):
    text = corpus["afghan-civil-war-1996-2001.txt"]
    ts = find_times(text)
    got = _tuples(ts)
    assert ("27 September 1996 – 7 October 2001", "1996-09-27", "2001-10-07", D, None) in got
    assert ("27 September 1996", "1996-09-27", None, D, None) in got
    assert ("the next day", "1996-09-27", None, D, None) in got
    assert ("two days before the September 11 attacks", "2001-09-09", None, D, None) in got
    assert ("late 1996", "1996", None, Y, "END") in got
    assert ("November and December 2001", "2001-11", "2001-12", M, None) in got
    texts = {t.text for t in ts}
    assert not texts & {"35,775", "055", "1,500", "3,000", "50th"}
    for t in ts:
        assert text[t.start:t.end] == t.text
    assert all(a.end <= b.start for a, b in zip(ts, ts[1:], strict=False))


def test_corpus_paper_has_no_citation_years(corpus):
    text = corpus["taliban-foreign-relations-1996-2001.txt"]
    ts = find_times(text)
    # Every year in an "(Author, Year …)" group or after "Author (" is a citation.
    cited = [m.start(1) for m in re.finditer(r"\([^()]*?[A-Z][\w’']*,\s*((?:1\d|20)\d\d)[^()]*\)", text)]
    cited += [m.start(1) for g in re.finditer(r"\([^()]*?[A-Z][\w’']*,\s*(?:1\d|20)\d\d[^()]*\)", text)
              for m in re.finditer(r"((?:1\d|20)\d\d)", g.group(0))]
    assert len(cited) > 40  # the paper really does cite this way
    assert [t for t in ts if any(t.start <= c < t.end for c in cited)] == []
    assert len(ts) >= 30
    assert "1200" not in {t.text for t in ts}
    assert ("By February of that year", "1995-02", None, M, "BEFORE") in _tuples(ts)


def test_corpus_bibliography_dates_skipped(corpus):
    ts = find_times(corpus["afghan-conflict.txt"])
    assert not any(t.value and t.value.startswith(("2024-03-25", "2014-10-18")) for t in ts)


def test_corpus_speed(corpus):
    find_times("warm up 1996")
    t0 = time.perf_counter()
    n = sum(len(find_times(t)) for t in corpus.values())
    elapsed = time.perf_counter() - t0
    assert n > 300
    assert elapsed < 2.0  # ~0.2 s on an idle machine; slack for shared CI cores


# ---------------------------------------------------------------------------------------
# Narrative time of facts, sections, and what the KB knows (events/relations consume these)
# ---------------------------------------------------------------------------------------

def test_a_section_starts_a_new_narrative():
    text = ("== Offensive ==\nIn March 1997 the army took Knin.\n\n"
            "== Crisis ==\nIn September the talks failed. By 14 May 1998 they resumed; in June more.")
    heads = [text.index("\nIn March"), text.index("\nIn September")]
    got = {t.text: t.value for t in find_times(text, sections=heads)}
    assert "September" not in got  # the previous section's year is not this one's
    assert got["June"] == "1998-06"  # an absolute date inside the section anchors again
    # Without section breaks the old anchor is used.
    assert {t.text: t.value for t in find_times(text)}["September"] == "1997-09"


def _narrative(text: str) -> Narrative:
    from conflictlens.ingest import parse_text

    doc = parse_text(text, name="n.txt")
    return Narrative.of(doc, find_times(doc.text, sections=[e for _, e in doc.markup]))


def test_narrative_fallbacks():
    text = ("= Kosovo War =\n- Date: 28 February 1998 – 11 June 1999\n- Place: Kosovo\n\n"
            "Russia backed Belgrade. It had armed Serbia (since 1991).\n\n"
            "== Air campaign ==\nIn March 1999, NATO bombed Belgrade. Russia protested.\n\n"
            "Russia sent envoys. From 1998 to 1999 the KLA grew. It raided towns.\n\n"
            "== Background ==\nThe 1980s saw unrest. Serbia revoked autonomy.\n")
    n = _narrative(text)
    at = text.index
    assert (n.period.value, n.period.value_end) == ("1998-02-28", "1999-06-11")
    # The lead: an undated sentence is about the document's period; "(since 1991)" is an aside.
    assert n.time_before(at("Russia backed")) is n.period
    assert n.time_before(at("It had armed")) is n.period
    # The paragraph's last time, then the section's last single date.
    assert n.time_before(at("Russia protested")).value == "1999-03"
    assert n.time_before(at("Russia sent")).value == "1999-03"
    assert n.time_before(at("Russia sent"), section=False) is None
    assert n.time_before(at("It raided")).value_end == "1999"  # a span in the paragraph counts
    # A decade dates its own paragraph only; a new section does not inherit the last one.
    assert n.time_before(at("Serbia revoked")).value == "1980"
    assert _narrative("Intro.\n\nThe rebels took Aleppo in 2012. " + "They held it. " * 150
                      + "They shelled it.").time_before(9 + 30 + 14 * 150) is None


def _facts(text: str):
    from conflictlens.extract.actors import extract_actors
    from conflictlens.extract.events import extract_events
    from conflictlens.extract.relations import extract_relations
    from conftest import parsed

    doc, sdoc = parsed(text)
    _, mentions = extract_actors(sdoc, doc)
    times = find_times(doc.text, sdoc, sections=[e for _, e in doc.markup])
    return extract_events(sdoc, doc, mentions, times), extract_relations(sdoc, doc, mentions, times)


SRI_LANKA = """= Sri Lankan Civil War (1983–2009) =
- Date: 23 July 1983 – 18 May 2009
- Place: Sri Lanka
- Combatant1: Sri Lanka
- Combatant2: Liberation Tigers of Tamil Eelam

== Course ==
On 10 July 1995, the Sri Lankan Army attacked Jaffna. The Sri Lankan Army then shelled Kilinochchi.

The Liberation Tigers of Tamil Eelam withdrew from Jaffna; the next day, 21 July, the Sri Lankan Army captured Jaffna.

From the Sri Lankan Army capture of Jaffna in 1995 until 2009 the Sri Lankan Army held Jaffna.
"""


def test_event_time_selection(nlp):
    events, relations = _facts(SRI_LANKA)
    got = {(e.type, e.trigger): (e.time.value, e.time.value_end, e.time.precision)
           for e in events if e.time}
    assert got[("ATTACK", "shelled")] == ("1995-07-10", None, D)  # the paragraph goes on
    # A semicolon ends the clause a time belongs to: the withdrawal is not "the next day".
    assert got[("WITHDRAW", "withdrew")] == ("1995-07-10", None, D)
    assert got[("CAPTURE", "captured")] == ("1995-07-21", None, D)
    # "From the capture of Jaffna in 1995 until 2009": the capture is the span's start.
    assert got[("CAPTURE", "capture")] == ("1995", None, Y)
    # An infobox side holds over the infobox's Date.
    fights = [r for r in relations if r.relation == "fights"]
    assert fights and all((r.start, r.end) == ("1983-07-23", "2009-05-18") for r in fights
                          if r.evidence[0].quote.startswith("- Combatant") or "Combatant" in r.evidence[0].quote)


def test_relation_time_from_the_narrative(nlp):
    _, relations = _facts("= Kosovo War =\n- Date: 28 February 1998 – 11 June 1999\n"
                          "- Place: Kosovo\n\nRussia backed FR Yugoslavia.\n\n== Air campaign ==\n"
                          "In March 1999, NATO began bombing FR Yugoslavia. Russia supported "
                          "FR Yugoslavia.\n\nRussia backed FR Yugoslavia (founded in 1992).\n")
    support = sorted((r.start or "", r.end or "") for r in relations if r.relation == "supports")
    # Undated paragraph after a heading: no time; in the lead: the war's start; after
    # "In March 1999": March 1999. The parenthetical 1992 dates nothing.
    assert support == [("", ""), ("1998-02-28", ""), ("1999-03", "")]


def _event(etype, value, precision, agents, place=None, modifier=None, status="happened"):
    from conflictlens.records import Event

    t = TimeExpr(0, len(value), value, value, precision, None, modifier, False)
    return Event(type=etype, agents=agents, targets=[], evidence=[], place=place, time=t,
                 status=status)


def test_refine_event_dates():
    coarse = _event("CAPTURE", "2016", Y, ["syrian_army"], "Aleppo")
    fine = _event("CAPTURE", "2016-12-22", D, ["syrian_army", "russia"], "Aleppo")
    before = _event("CAPTURE", "2016", Y, ["syrian_army"], "Aleppo", modifier="BEFORE")
    elsewhere = _event("CAPTURE", "2016", Y, ["syrian_army"], "Palmyra")
    planned = _event("CAPTURE", "2016", Y, ["syrian_army"], status="planned")
    assert refine_event_dates([coarse, fine, before, elsewhere, planned]) == 1
    assert (coarse.time.value, coarse.time.precision, coarse.time.relative) == ("2016-12-22", D, True)
    assert coarse.time.text == "2016"  # the words it was dated by stay
    assert [e.time.value for e in (before, elsewhere, planned)] == ["2016"] * 3
    # Two finer dates that disagree: the KB does not know which one; nothing changes.
    a, b, c = (_event("ATTACK", v, p, ["farc"]) for v, p in
               (("1998-11", M), ("1998-11-01", D), ("1998-11-03", D)))
    assert refine_event_dates([a, b, c]) == 0 and a.time.value == "1998-11"


_OFFSET = iter(range(0, 10**6, 1000))


def _told(fact, doc, quote):
    """``fact`` told by ``quote`` in ``doc``, each quote at a place of its own."""
    from conflictlens.records import Evidence

    at = next(_OFFSET)
    fact.evidence = [Evidence(doc, at, at + len(quote), quote)]
    return fact


def test_a_founding_the_kb_knows_dates_since_its_founding():
    from conflictlens.records import Relation

    founded = _told(_event("ESTABLISH", "1991-06", M, []), "a.txt", "The KLA was formed in June 1991.")
    founded.targets = ["kla"]
    other_doc = _told(_event("ESTABLISH", "1993", Y, []), "b.txt", "The KLA was founded in 1993.")
    other_doc.targets = ["kla"]
    attacks = _told(_event("ATTACK", "1998", Y, ["serbia"]), "a.txt",
                    "From the first day of its founding until 1998, the KLA came under attack.")
    attacks.targets = ["kla"]
    support = _told(Relation("albania", "supports", "kla", []), "a.txt",
                    "Since the creation of the KLA, Albania has given it arms.")
    unknown = _told(_event("ATTACK", "1999", Y, ["nato"]), "a.txt",
                    "Since its founding in the mountains, the UCK was bombed.")
    unknown.targets = ["uck"]
    names = {"kla": "kla", "kosovo liberation army": "kla"}
    n = anchor_founding_dates([founded, other_doc, attacks, unknown], [support],
                              lambda name: names.get(name.lower()))
    assert n == 2
    # the founding told in the same document wins over another document's
    assert (attacks.time.value, attacks.time.value_end, attacks.time.precision) == ("1991-06", "1998", M)
    assert attacks.time.text == "1998" and attacks.time.relative
    assert support.start == "1991-06"
    assert unknown.time.value == "1999"  # no founding known for that actor: unchanged
    # Two documents disagree and neither is the fact's own: no date is chosen.
    elsewhere = _told(_event("ATTACK", "1998", Y, ["serbia"]), "c.txt", "Since its founding, the KLA fought.")
    elsewhere.targets = ["kla"]
    assert anchor_founding_dates([founded, other_doc, elsewhere], [], names.get) == 0


def test_a_fact_after_an_event_the_kb_knows_takes_its_date():
    from conflictlens.records import Relation

    names = {"israel": "isr", "israeli": "isr", "hezbollah": "hzb", "syria": "syr", "syrian": "syr",
             "beirut": "beirut"}
    def named(name):
        return names.get(name.lower())

    def ev(etype, value, prec, agents, targets=(), place=None, doc="a.txt", quote="x", status="happened"):
        e = _told(_event(etype, value, prec, list(agents), place, status=status), doc, quote)
        e.targets = list(targets)
        return e

    pull_out = ev("WITHDRAW", "2000-05-24", D, ["isr"], quote="Israel withdrew on 24 May 2000.")
    talks = ev("WITHDRAW", "1999", Y, ["isr"], quote="Israel discussed a withdrawal in 1999.")
    siege = ev("CAPTURE", "1982-08", M, ["isr"], place="Beirut", quote="Israel took Beirut in August 1982.")
    after = ev("ATTACK", "1970", DEC, ["hzb"], quote="After the Israeli withdrawal, Hezbollah raided the border.")
    after.time = TimeExpr(0, 5, "1970s", "1970", DEC, None, None, True)  # dated by context only
    own = ev("ATTACK", "2006-07-12", D, ["hzb"],
             quote="After the Israeli withdrawal, Hezbollah raided the border on 12 July 2006.")
    own.time = TimeExpr(0, 5, "12 July 2006", "2006-07-12", D, None, None, False)
    until = ev("AID", "", Y, ["syr"], ["hzb"], quote="Syria armed Hezbollah until the fall of Beirut.")
    until.time = None
    itself = ev("WITHDRAW", "", Y, ["isr"], quote="After the Israeli withdrawal, the UN counted the dead.")
    itself.time, itself.trigger = None, "withdrawal"
    rel = _told(Relation("syr", "supports", "hzb", []), "b.txt",
                "Since the Israeli withdrawal, Syria has backed Hezbollah.")
    unknown = _told(Relation("syr", "supports", "hzb", []), "b.txt",
                    "After the Lebanese withdrawal, Syria backed Hezbollah.")
    facts = [pull_out, talks, siege, after, own, until, itself]
    assert anchor_event_references(facts, [rel, unknown], named) == 3
    # the most precise telling is the event; the build-up talk of 1999 is not
    assert (after.time.value, after.time.modifier, after.time.text) == ("2000-05-24", "AFTER",
                                                                        "After the Israeli withdrawal")
    assert own.time.value == "2006-07-12"  # a date of its own wins
    assert (until.time.value, until.time.modifier) == ("1982-08", "BEFORE")  # "of Beirut": the place
    assert itself.time is None  # the withdrawal told again is not after itself
    assert rel.start == "2000-05-24" and unknown.start is None  # no such actor: nothing


def test_close_ceased_relations():
    from conflictlens.records import Evidence, Relation

    ev = Evidence("c.txt", 0, 1, "x")
    support = Relation("venezuela", "supports", "farc", [ev], qualifier="financial")
    resumed = Relation("venezuela", "supports", "farc", [ev], start="2012")
    other = Relation("ecuador", "supports", "farc", [ev])
    cease_ev = Evidence("c.txt", 5, 6, "y")
    cease = Relation("venezuela", "ceased_support", "farc", [cease_ev], start="2010")
    assert close_ceased_relations([support, resumed, other, cease]) == 1
    assert support.end == "2010" and cease_ev in support.evidence
    assert resumed.end is None and other.end is None


@pytest.mark.parametrize("row", lexicons.rows("time_deictic"), ids=lambda r: r[0])
def test_lexicon_deictic(row):
    phrase, mod, finest = row
    ts = find_times(f"Serb forces took Vukovar on 18 November 1991. {phrase.capitalize()} the JNA "
                    "held the town.")
    value = {"day": "1991-11-18", "month": "1991-11", "year": "1991"}[finest]
    assert _tuples(ts)[1] == (phrase.capitalize(), value, None, finest, None if mod == "-" else mod)
    assert ts[1].relative
    assert find_times(f"{phrase.capitalize()} the JNA held the town.") == []  # no anchor, no time


def test_a_papers_numbered_section_is_a_theme_not_a_story():
    from conflictlens.ingest import parse_text

    text = ("Kosovo and its neighbours\n1. Introduction\nIntro.\n3.2. Relations with Albania\n"
            "Albania recognised Kosovo in 1991, a gesture of support.\n\nAlbania armed the KLA.\n"
            "== Course ==\nThe KLA rose in 1998.\n\nIt attacked police posts.\n")
    doc = parse_text(text, "paper.txt")
    times = find_times(text, sections=[e for _, e in doc.markup])
    n = Narrative.of(doc, times)
    assert n.time_before(text.index("Albania armed")) is None  # numbered section: no date
    assert n.time_before(text.index("It attacked")).value == "1998"  # story section: its date


def test_a_reporting_time_is_not_the_story_time():
    text = "As of 2024, the republic remains recognised. In March, the army rebelled."
    times = find_times(text)
    assert [t.text for t in times] == ["As of 2024"]
    assert Narrative(text, times).time_before(text.index("In March")) is None
