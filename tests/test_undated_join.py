"""An undated telling of an event takes the date of the one dated event it can be only
within its own document: another document's story may be another war."""
from conflictlens.records import Event, Evidence, TimeExpr
from conflictlens.resolve import merge_events


def _ev(doc, quote, value=None):
    t = TimeExpr(0, 4, value, value, "year") if value else None
    return Event("BATTLE", ["rebels"], ["army"], [Evidence(doc, 0, len(quote), quote)],
                 trigger="clashed", time=t)


def test_undated_telling_joins_the_dated_one_of_its_document():
    kept = merge_events([_ev("a.txt", "In 1995 rebels clashed with the army.", "1995"),
                         _ev("a.txt", "The rebels clashed with the army.")])
    assert len(kept) == 1 and kept[0].time.value == "1995"


def test_undated_telling_stays_apart_from_another_documents_event():
    kept = merge_events([_ev("b.txt", "In 2021 rebels clashed with the army.", "2021"),
                         _ev("a.txt", "The rebels clashed with the army.")])
    assert len(kept) == 2
