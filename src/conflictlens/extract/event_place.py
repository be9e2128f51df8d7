"""Where an event happened: the place it took or struck, a locative phrase, else the nearest place name."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import lexicons
from ..nlp import doc_ents, ents_in
from . import events as _ev
from .event_tellings import host_verb, other_clauses

if TYPE_CHECKING:
    from .events import _Context, _Trigger

_PLACE_ENTS = frozenset({"GPE", "LOC", "FAC"})
_NOT_PLACE_ENTS = frozenset({"DATE", "TIME", "PERSON", "ORG", "NORP", "CARDINAL", "ORDINAL",
                             "MONEY", "PERCENT", "QUANTITY", "EVENT", "WORK_OF_ART", "LAW"})
#: Event types whose object is typically the place taken or struck ("captured X").
_PLACE_OBJECT_TYPES = frozenset({"CAPTURE", "ATTACK", "INVADE", "BATTLE", "MASSACRE"})
#: Locative prepositions whose object is where the event happened.
_LOCATIVE = frozenset({"in", "at", "near", "into", "around", "outside", "inside", "across",
                       "towards", "toward", "throughout", "within"})
#: Prepositions whose object is the place left (WITHDRAW "from") or reached ("fled to").
_MOVE_PREPS = frozenset({"from", "to"})


def is_place(token, ctx: _Context, allow_mention: bool, lenient: bool = False) -> bool:
    """Is ``token`` (the head of) a place name?

    The small tagger often calls an unknown town a PERSON (or, as the object of "captured"
    / "attacked", an ORG); a person or group the document treats as an actor is a
    mention, so an unmentioned proper noun there may well be a place.
    """
    if ctx.in_time(token):
        return False
    # "in absentia", "(Rubin, 2002)", "Islam": never where something happened
    if (not token.text[:1].isupper() or token.lower_ in lexicons.words("non_actors")
            or any(a <= token.idx < b for a, b in ctx.citations)):
        return False
    if not allow_mention and ctx.index.key_of(token):
        return False
    if token.ent_type_ in _PLACE_ENTS:
        return True
    excluded = _NOT_PLACE_ENTS - ({"PERSON", "ORG"} if lenient else {"PERSON"})
    return (token.pos_ == "PROPN" and token.ent_type_ not in excluded
            and not ctx.index.key_of(token) and token.is_alpha and token.is_title)


def _place_span(token) -> tuple[int, int]:
    """Character span of the place name around ``token``, hyphen pieces joined."""
    doc = token.doc
    if token.ent_type_:
        ent = next((e for e in doc_ents(doc) if e.start <= token.i < e.end), None)
        lo, hi = (ent.start, ent.end) if ent is not None else (token.i, token.i + 1)
    else:
        lo, hi = token.i, token.i + 1
    # Extend over the name's compound words ("Takhar Province", "the Cova Lima district": both
    # words compounds of one noun) and hyphen joins; a run of spaces (text converted from PDF
    # is padded) is a whitespace token between the words, not the end of the name.
    while lo > 0:
        prev = lo - 1
        while prev > 0 and doc[prev].is_space:
            prev -= 1
        left = doc[prev]
        if left.dep_ == "compound" and left.pos_ == "PROPN" and (
                left.head.i in range(lo, hi + 1) or left.head.i == doc[hi - 1].head.i != doc[hi - 1].i):
            lo = prev
        elif _glued(doc[lo - 1], doc[lo]):
            lo -= 1
        else:
            break
    while hi < len(doc) and _glued(doc[hi - 1], doc[hi]):
        hi += 1
    while lo < hi and (doc[lo].lower_ == "the" or doc[lo].is_punct):
        lo += 1
    while hi > lo and doc[hi - 1].is_punct:
        hi -= 1
    return doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1])


def _glued(left, right) -> bool:
    """Two tokens written without a space, joined by (or being) a hyphen."""
    if left.whitespace_:
        return False
    return left.text in ("-", "‐", "–") or right.text in ("-", "‐", "–")


def place_of(token, ctx: _Context, lenient: bool = False) -> str | None:
    """The place named by the phrase headed by ``token`` ("the city of X" → X)."""
    if is_place(token, ctx, allow_mention=True, lenient=lenient):
        start, end = _place_span(token)
        text = ctx.document.text[start:end].strip()
        return text or None
    if token.lemma_.lower() in ctx.place_nouns:
        # "the area of X" with X an actor is X's territory, not a named place.
        for c in token.children:
            if c.dep_ == "appos" and is_place(c, ctx, allow_mention=False):
                return place_of(c, ctx)
        for pobj in _ev.prep_objects(token, "of"):
            if is_place(pobj, ctx, allow_mention=False):
                return place_of(pobj, ctx)
    return None


def place(tok, entry: _Trigger, sent, ctx: _Context,
           own_only: bool = False, nearest: bool = True) -> tuple[str | None, bool]:
    """``(place, from_object)``: where the event happened, and whether it is its object.

    ``own_only``: only the trigger's own phrase, never another place of the sentence (an
    event only referred to: "from the conquest in 1996 the Front held Badakhshan")."""
    etype = entry.type
    verb = tok.pos_ in ("VERB", "AUX")
    # 1. The object taken or struck: "captured X", "the conquest of X", "X fell to Y".
    if etype in _PLACE_OBJECT_TYPES or "unacc" in entry.flags:
        cands = []
        if verb:
            subj, passive = _ev.subject(tok)
            if passive or "unacc" in entry.flags:
                cands.append(subj)
            cands += [c for c in tok.children if c.dep_ == "dobj"]
        else:
            cands += list(_ev.prep_objects(tok, "of"))
        for prep in ("on", "against"):
            cands += list(_ev.prep_objects(tok, prep))
        for c in cands:
            # An actor named as the object is a target, not a place; nor is an operation.
            if c is not None and not ctx.index.key_of(c) and not any(
                    t.lower_ == "operation" for t in c.subtree if t.i <= c.i):
                place = place_of(c, ctx, lenient=True)
                if place:
                    return place, True
    # 2. A locative preposition on the trigger or, for a noun, on its verb.
    heads = [tok]
    host = None if verb or own_only else host_verb(tok)
    if host is not None:
        heads.append(host)
    preps = _LOCATIVE | (_MOVE_PREPS if etype == "WITHDRAW" else frozenset())
    for head in heads:
        for c in head.children:
            if c.dep_ == "prep" and c.lower_ in preps:
                for pobj in c.children:
                    if pobj.dep_ == "pobj":
                        place = place_of(pobj, ctx)
                        if place:
                            return place, False
    if own_only or not nearest:
        return None, False
    # 3. The nearest place name of the sentence that is not an actor, nor inside what the
    # trigger says or wants ("agreed that X would take Y": Y is not where they agreed).
    content = {t.i for c in tok.children if c.dep_ in ("ccomp", "xcomp") for t in c.subtree}
    content |= other_clauses(tok)
    best = None
    for ent in ents_in(sent):
        if ent.label_ in _PLACE_ENTS and not ctx.index.in_span(ent.start_char, ent.end_char) \
                and not ctx.index.at(ent.start_char) and not ctx.in_time(ent[0]) \
                and ent.root.i not in content:
            dist = abs(ent.start - tok.i)
            if best is None or dist < best[0]:
                best = (dist, ent.root)
    if best is not None:
        return place_of(best[1], ctx), False
    return None, False
