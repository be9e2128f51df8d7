"""The report genre (a document dated in its head) and the wording of cooperation."""

from conflictlens.extract.actors import extract_actors
from conflictlens.extract.arguments import participant_mentions
from conflictlens.extract.events import extract_events
from conflictlens.extract.relations import extract_relations
from conflictlens.extract.time import Narrative, find_times
from conflictlens.ingest import parse_text
from conflictlens.nlp import load_nlp

REPORT = (
    "Distr.: General 14 March 2011\n\n"
    "## Report on the mission\n\n"
    "- 1. The mission opened an office in Lakeside on 2 February. In November the council "
    "met twice. The bridge is to be finished in May. The council was formed last year, and "
    "the governor visited the mission last January.\n\n"
    "- 2. The office hired twelve clerks.\n\n"
    "## Finance\n\n"
    "- 3. The bank lent money to farmers.\n"
)


def _times(text):
    doc = parse_text(text, "r.txt")
    return doc, find_times(text, None, [e for _, e in doc.markup])


def _value(times, words):
    return next(t.value for t in times if t.text == words)


def test_report_date_anchors_yearless_dates():
    _, times = _times(REPORT)
    assert _value(times, "2 February") == "2011-02-02"
    # a month after the report's month lies in the year before, unless it is ahead
    assert _value(times, "November") == "2010-11"
    assert _value(times, "May") == "2011-05"


def test_deictic_words_count_from_the_report_date():
    _, times = _times(REPORT)
    assert _value(times, "last year") == "2010"
    assert _value(times, "last January") == "2011-01"


def test_undated_sentence_of_a_report_takes_its_year():
    doc, times = _times(REPORT)
    n = Narrative.of(doc, times)
    t = n.time_before(REPORT.index("The bank lent"))
    assert t is not None and t.value == "2011" and t.precision == "year"


def test_a_date_in_prose_is_no_report_date():
    text = ("The war began on 4 June 1921 when the northern army crossed the river and "
            "marched on the capital, which it took after a siege of many weeks in the rain.\n\n"
            "In August the army withdrew.\n")
    doc, times = _times(text)
    assert Narrative.of(doc, times).dct is None
    assert _value(times, "August") == "1921-08"


# --- cooperation wording ------------------------------------------------------------------


def _rels(text):
    doc = parse_text(text, "c.txt")
    sdoc = load_nlp()(text)
    actors, mentions = extract_actors(sdoc, doc)
    names = {}
    for m in mentions:
        names.setdefault(m.key, m.text)
    times = find_times(text, sdoc)
    return {(names[r.source], r.relation, names[r.target])
            for r in extract_relations(sdoc, doc, mentions, times)}


def test_parties_that_sign_a_memorandum_are_allied():
    rels = _rels("In 1994, Kenya and Uganda signed a memorandum of understanding on border trade.")
    assert ("Kenya", "allied_with", "Uganda") in rels or ("Uganda", "allied_with", "Kenya") in rels


def test_signing_with_a_party_allies_them():
    rels = _rels("In 1994, Kenya signed an agreement with Uganda on border trade.")
    assert ("Kenya", "allied_with", "Uganda") in rels or ("Uganda", "allied_with", "Kenya") in rels


def test_a_peace_treaty_allies_no_one():
    rels = _rels("In 1994, Kenya and Uganda signed a peace treaty.")
    assert not any(r == "allied_with" for _, r, _ in rels)


def test_a_denied_treaty_allies_no_one():
    rels = _rels("The border had never been defined by a treaty between Kenya and Uganda.")
    assert not any(r == "allied_with" for _, r, _ in rels)


def test_funding_hung_on_a_noun_supports_the_clause_subject():
    # the parser hangs "with funding" on "clinics" here
    rels = _rels("In 1994, UNICEF will rehabilitate 13 of the remaining rural clinics with funding from Norway.")
    assert ("Norway", "supports", "UNICEF") in rels


# --- events in a dated report ---------------------------------------------------------------


def _events(text):
    doc = parse_text(text, "e.txt")
    sdoc = load_nlp()(text)
    _, mentions = extract_actors(sdoc, doc)
    times = find_times(text, sdoc, [e for _, e in doc.markup])
    return extract_events(sdoc, doc, participant_mentions(text, mentions), times)


DATED = ("Distr.: General 14 March 2011\n\n## Report on the mission\n\n"
         "- 4. The victims of the floods of 1998 still wait for help. The World Health "
         "Organization has met the Red Cross in the valley.\n")


def test_present_perfect_of_a_report_is_its_year():
    est = [e for e in _events(DATED) if e.type == "NEGOTIATE"]
    assert est and est[0].time is not None and est[0].time.value == "2011"


def test_the_reporting_period_is_the_report_year():
    _, times = _times("Distr.: General 14 March 2011\n\n## Report\n\n"
                      "- 1. During the reporting period, the office hired clerks.\n")
    assert _value(times, "the reporting period") == "2011"


def test_a_requested_action_is_no_event():
    events = _events("In 1994, the Security Council requested the World Health Organization "
                     "to submit a report.")
    assert not [e for e in events if e.type == "OTHER"]


def test_working_with_an_actor_is_cooperation():
    rels = _rels("In 1994, Norway was working with Kenya to open a school.")
    assert ("Norway", "allied_with", "Kenya") in rels or ("Kenya", "allied_with", "Norway") in rels


def test_aid_done_in_a_reports_present_is_an_event():
    head = "Distr.: General 14 March 2011\n\n## Report on the mission\n\n- 5. "
    body = "The World Health Organization has funded the Red Cross.\n"
    aid = [e for e in _events(head + body) if e.type == "AID"]
    assert aid and aid[0].time is not None and aid[0].time.value == "2011"
    # outside a dated report, undated funding is a lasting relation, no event
    assert not [e for e in _events(body) if e.type == "AID"]


def test_a_date_of_another_clause_does_not_date_a_reports_present_perfect():
    text = ("Distr.: General 14 March 2011\n\n## Report on the mission\n\n- 6. The World Health "
            "Organization has met the Red Cross to help the victims of floods that struck in 1998.\n")
    met = [e for e in _events(text) if e.type == "NEGOTIATE"]
    assert met and met[0].time is not None and met[0].time.value == "2011"


def test_a_purpose_clause_is_not_the_subject():
    # the parser reads the purpose as a csubj beside the nsubj here
    events = _events("In early March, to ensure the continued and smooth commercial development "
                     "of  the Kivu Gap, UNHCR  signed a Memorandum of Understanding  with  Norway.")
    agree = [e for e in events if e.type == "AGREE"]
    assert agree and agree[0].agents


def test_an_invitation_to_act_is_no_event():
    events = _events("In 1994, the World Health Organization invited the Red Cross to visit Norway.")
    assert not [e for e in events if e.type == "NEGOTIATE" and e.trigger == "visit"]


def test_supporting_the_work_of_an_actor_supports_it():
    assert ("Norway", "supports", "Red Cross") in _rels("In 1994, Norway supported the work of the Red Cross.")
    assert ("Norway", "supports", "Greece") in _rels("In 1912, Norway supported a limited expansion of Greece.")


def test_supporting_the_removal_of_an_actor_does_not_support_it():
    assert not _rels("In 1912, Norway supported the removal of Greece.")


def test_encouragement_is_diplomatic_support():
    assert ("Britain", "supports", "Greece") in _rels("In 1912, Britain encouraged Greece.")
    rels = _rels("Under the encouragement of Britain, Greece occupied the valley in 1890.")
    assert any(r == "supports" and t == "Greece" for _, r, t in rels)


def test_a_later_day_of_the_report_month_is_the_report_year():
    text = "Distr.: General 14 March 2011\n\n## Report\n\n- 1. The council met on 20 March.\n"
    _, times = _times(text)
    assert _value(times, "20 March") == "2011-03-20"


def test_a_reports_present_perfect_relation_starts_in_its_year():
    text = ("Distr.: General 14 March 2011\n\n## Report on the mission\n\n- 7. The World Health "
            "Organization has assisted the Red Cross in its care for the victims of floods that "
            "struck in 1998.\n")
    doc = parse_text(text, "r.txt")
    sdoc = load_nlp()(text)
    _, mentions = extract_actors(sdoc, doc)
    rels = extract_relations(sdoc, doc, mentions, find_times(text, sdoc, [e for _, e in doc.markup]))
    sup = [r for r in rels if r.relation == "supports"]
    assert sup and sup[0].start == "2011"


def test_a_cover_month_dates_an_ngo_report():
    text = ("Human Rights in the Valley\n\nMarch 2021\n\n## Summary\n\n"
            "Soldiers burned the market in November. In January the army withdrew.\n")
    doc, times = _times(text)
    assert Narrative.of(doc, times).dct is not None
    assert _value(times, "November") == "2020-11"
    assert _value(times, "January") == "2021-01"


def test_a_heading_month_is_no_report_date():
    text = "## March 1941\n\nThe army crossed the river. In May the army withdrew.\n"
    doc, times = _times(text)
    assert Narrative.of(doc, times).dct is None
