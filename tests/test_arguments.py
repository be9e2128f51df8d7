"""Argument helpers shared by the event, relation and figure extractors."""
from __future__ import annotations

import pytest

from conflictlens.extract.arguments import MentionIndex, actors_of, participant_mentions
from conflictlens.pipeline import extract_document
from conflictlens.records import Mention
from conftest import parsed


def test_an_actor_inside_a_stance_word_fills_no_role():
    text = "Saleh joined an anti-Taliban front; pro-Soviet militias and the Taliban fought."
    ms = [Mention("taliban", "Taliban", text.index("Taliban"), text.index("Taliban") + 7),
          Mention("sun", "Soviet", text.index("Soviet"), text.index("Soviet") + 6),
          Mention("taliban", "Taliban", text.rindex("Taliban"), text.rindex("Taliban") + 7)]
    kept = participant_mentions(text, ms)
    assert [m.start for m in kept] == [text.rindex("Taliban")]


def test_nationals_and_volunteers_name_their_state():
    text = ("In 1995 the Bosnian Serb Army shelled Sarajevo. In 1993, about 4,000 Russian "
            "volunteers fought in Bosnia.")
    doc, sdoc = parsed(text)
    facts = extract_document(doc, sdoc)
    names = {a.key: a.name for a in facts.actors}
    owners = {names.get(f.actor) for f in facts.figures if f.low == 4000}
    assert owners == {"Russia"}


def test_coordinated_modifiers_are_each_an_owner():
    text = "Of roughly 45,000 Pakistani, Taliban and Al Qaeda soldiers fighting against Massoud, few were Afghan."
    _, sdoc = parsed(text)
    ms = [Mention(k, w, text.index(w), text.index(w) + len(w))
          for k, w in (("pak", "Pakistani"), ("tal", "Taliban"), ("aq", "Al Qaeda"))]
    soldiers = next(t for t in sdoc if t.text == "soldiers")
    if soldiers.head.dep_ == "ROOT" or not any(c.conjuncts for c in soldiers.children):
        pytest.skip("the parser read the phrase another way")
    assert set(actors_of(soldiers, MentionIndex(ms))) == {"pak", "tal", "aq"}
