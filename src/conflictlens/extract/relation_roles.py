"""Relations stated by a role noun: "X, the leader of Y", "X was a member of Y", "Y commanders A and B"."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from itertools import combinations

from .. import lexicons
from ..nlp import doc_text
from ..records import SYMMETRIC_RELATIONS
from . import relations as _rel
from .arguments import MentionIndex, possessor_actors

__all__ = ["FORMER", "role_cands", "role_holders", "role_phrases", "role_rules"]

#: Modifiers saying a role no longer holds ("two former archenemies").
FORMER = frozenset({"former", "erstwhile", "onetime", "one-time", "ex"})


@lru_cache(maxsize=1)
def role_rules() -> dict[str, tuple[str, frozenset[str]]]:
    return {r[0].lower(): (r[1], frozenset(r[2].split(",")) if len(r) > 2 else frozenset())
            for r in lexicons.rows("relations_roles")}


def _role_anchor(tok):
    """The first word of a hyphenated role ("secretary" of "secretary-general")."""
    doc = tok.doc
    if tok.i >= 2 and doc[tok.i - 1].text == "-" and not doc[tok.i - 1].whitespace_ \
            and not doc[tok.i - 2].whitespace_:
        return doc[tok.i - 2]
    return tok


def role_phrases(tok) -> list[str]:
    """Candidate role words of ``tok``, longest first ("prime minister", "director-general")."""
    text = doc_text(tok.doc)
    end = tok.idx + len(tok.text)
    first = _role_anchor(tok)
    out = [text[c.idx:end].lower() for c in first.lefts if c.dep_ in ("compound", "amod")]
    if first is not tok:
        out.append(text[first.idx:end].lower())
    low = tok.lower_
    # The tagger's lemma of a rare plural can be wrong ("archenemies" → "archenemie").
    single = low[:-3] + "y" if low.endswith("ies") else low[:-1] if low.endswith("s") else low
    return [*out, low, tok.lemma_.lower(), single]


def role_cands(role, index: MentionIndex) -> Iterator[_rel._Cand]:
    """Relations stated by a role noun attached to an actor (apposition, copula, "as")."""
    rules = role_rules()
    phrase = next((p for p in role_phrases(role) if p in rules), None)
    if phrase is None:
        return
    relation, flags = rules[phrase]
    anchor = _role_anchor(role)
    holders = role_holders(anchor if anchor.i == role.head.i else role, index)
    if not holders:
        return
    anti = _rel._anti_actors(role, index)
    against = [t for t in _rel._prep_objects(role, ("against",), index) if t not in holders]
    if against:  # "a resistance leader against X"
        yield _rel._Cand(tuple(holders), "fights", tuple(against), None, role)
    if relation in SYMMETRIC_RELATIONS and len(holders) > 1 and role.tag_ in ("NNS", "NNPS"):
        # "X and Y, two former archenemies", "X and Y, as competitors"
        former = any(c.dep_ == "amod" and c.lower_ in FORMER for c in role.children)
        owned = possessor_actors(role, index) + _rel._prep_objects(role, ("of", "to"), index) + [
            index.key_of(c) for c in role.children
            if c.dep_ in ("compound", "amod", "nmod") and index.key_of(c)]
        # "X and Y, two U.S. allies" are allies of the U.S., not of each other; so are "their
        # allies, X and Y" and "regional adversaries, notably X and Y" — names that follow
        # the role are examples of someone's allies or rivals.
        owner_pron = any(c.dep_ == "poss" and c.pos_ == "PRON" for c in role.children)
        after = _role_anchor(role).i < min(
            (t.i for t in role.sent if index.key_of(t) in holders), default=role.i)
        pairs = [] if owned or owner_pron or after else list(combinations(holders, 2))
        for a, b in pairs:
            yield _rel._Cand((a,), relation, (b,), None, role, former)
    if anti:
        yield _rel._Cand(tuple(holders), "hostile_to", tuple(anti), None, role)
    members = [t for t in _rel._prep_objects(role, ("in", "within", "among"), index) if t not in holders]
    targets = possessor_actors(role, index) + _rel._prep_objects(role, ("of",), index)
    # "Pashtun leader X" is a leader who is Pashtun; "Serbian leader X" leads the state.
    targets += [index.key_of(c) for c in role.children
                if c.dep_ in ("compound", "amod", "nmod") and index.key_of(c)
                and not (_rel._descriptor(c, index.key_of(c)) and not _rel._is_state(index.key_of(c)))]
    targets = [t for t in dict.fromkeys(targets) if t not in holders and t not in anti]
    if relation == "leads":
        demoters = lexicons.words("relations_role_demoters")
        mods = {c.lower_ for c in role.children if c.dep_ in ("amod", "compound")}
        if role.tag_ in ("NNS", "NNPS") or mods & demoters or phrase.split()[0] in demoters:
            relation = "member_of"  # "commanders of Y", "deputy commander of Y"
    if members and relation in ("leads", "member_of"):
        # "a leader in Y" is one of Y's people, not its head.
        yield _rel._Cand(tuple(holders), "member_of", tuple(members), None, role)
    if not targets:
        return
    if "rev" in flags:
        yield _rel._Cand(tuple(targets), relation, tuple(holders), None, role)
    else:
        yield _rel._Cand(tuple(holders), relation, tuple(targets), None, role)


def role_holders(role, index: MentionIndex) -> list[str]:
    """The actors a role noun is said of: "X, the leader", "X was the leader", "leader X"."""
    head = role
    plural = role.tag_ in ("NNS", "NNPS")
    while head.dep_ == "conj" and head.head.i != head.i:
        head = head.head  # "a member of X and the leader of Y"
    if head.dep_ == "appos":
        holders = [k for k in [index.key_of(head.head)] if k] or _rel._np_actors(head.head, index)
        if role.tag_ in ("NNS", "NNPS"):
            # "X and Y, two former archenemies": a plural role is said of every conjunct.
            conj = [index.key_of(c) for c in (head.head, *_rel._conjuncts(head.head)) if index.key_of(c)]
            holders = list(dict.fromkeys([*holders, *conj]))
        if holders:
            return holders
    if head.dep_ == "pobj" and head.head.lower_ == "as" and index.key_of(head.head.head):
        # "X and Y – as competitors for … – supported …": "as" hangs on the subject.
        return _rel._np_actors(head.head.head, index)
    # Only names in apposition: a misattached appositive noun is not the holder. A singular
    # role is one name's ("Y commander A, former President B and C"); a plural role is the
    # whole coordination's ("Y commanders A and B").
    holders = [k for c in role.children if c.dep_ == "appos" and index.key_of(c)
               for k in (_rel._np_actors(c, index) if plural else [index.key_of(c)])]
    if holders:
        return holders
    if head.dep_ in ("attr", "oprd") and head.head.pos_ in ("VERB", "AUX"):
        return _rel._gram_subject(head.head, index)
    if head.dep_ == "pobj" and head.head.lower_ == "as" and head.head.head.pos_ in ("VERB", "AUX"):
        verb = head.head.head
        if verb.lemma_.lower() in lexicons.words("relations_naming_verbs"):
            return _rel._deps(verb, ("dobj", "oprd"), index) or _rel._gram_subject(verb, index)
        return _rel._gram_subject(verb, index)
    if head.dep_ == "compound" and index.key_of(head.head):
        # "Y commanders A and B"; "Y commander A, President B and C" is A's role only
        return _rel._np_actors(head.head, index) if plural else [index.key_of(head.head)]
    for child in role.children:  # "Y officers, such as A and B"
        if child.dep_ == "prep" and child.lower_ == "as":
            holders += [k for p in child.children if p.dep_ == "pobj" for k in _rel._np_actors(p, index)]
    return holders
