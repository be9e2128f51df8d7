"""A relative clause on the noun that states a relation dates the relation; one on another
noun dates only that noun."""
from __future__ import annotations

from test_relations import run


def _span(text, relation):
    rels = [r for r in run(text) if r.relation == relation]
    assert rels, text
    return rels[0].start, rels[0].end


def test_relative_clause_on_the_war_noun_dates_the_war():
    text = "The Kargil conflict was a war between India and Pakistan that took place in 1999."
    assert _span(text, "fights")[0] == "1999"


def test_relative_clause_on_another_noun_still_does_not_date_the_relation():
    text = "Syria sheltered Hassan Nasrallah, who was killed in 2024."
    rels = [r for r in run(text) if r.relation == "sheltered"]
    assert rels and rels[0].start != "2024"
