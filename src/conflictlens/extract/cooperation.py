"""The wording of cooperation: accords signed between actors, support named in a phrase.

Two readings that the verb and noun rules of :mod:`relations` miss:

- **Accords.** "A and B signed a memorandum of understanding", "A signed an agreement with
  B", "a treaty between A and B", "a project has been agreed between A and B": the parties
  of an accord are allied (``allied_with``), as the parties of an alliance are. A peace
  treaty, an armistice or a surrender is signed between enemies: it allies no one.
- **Support in a prepositional phrase hung on a noun.** "X will rehabilitate the stations
  with funding from Y": the parser attaches "with funding" to "stations", not to the verb;
  the support is still Y's for the clause's subject X (or for the noun itself when that
  noun is an actor: "the rebels with support from Y").

Word lists are data (``relations_accord_nouns.tsv``, ``relations_accord_verbs.tsv``,
``relations_accord_blockers.tsv``).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations

from .. import lexicons
from . import relations as _rel
from .arguments import clause_verb


def _accord(noun) -> bool:
    """Whether ``noun`` names an accord that allies its parties (not a peace treaty)."""
    if noun.lemma_.lower() not in lexicons.words("relations_accord_nouns") and \
            noun.lower_ not in lexicons.words("relations_accord_nouns"):
        return False
    blockers = lexicons.words("relations_accord_blockers")
    return not any(c.lower_ in blockers or c.lemma_.lower() in blockers
                   for c in noun.subtree if c.i < noun.i or c.dep_ in ("compound", "amod", "nmod"))


def _parties(tok, index) -> list[str]:
    """Actors of "between A and B" / "among A, B and C" / "with B" phrases of ``tok``."""
    return _rel._prep_objects(tok, ("between", "among", "with"), index)


def accord_cands(tok, index) -> Iterator[_rel._Cand]:
    """"A and B signed an agreement", "A signed a memorandum with B", "an agreement between
    A and B", "a project was agreed between A and B": the parties are allied."""
    parties: list[str] = []
    if tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in lexicons.words("relations_accord_verbs"):
        objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
        accord_obj = [o for o in objs if _accord(o)]
        if tok.lemma_.lower() == "agree":
            if not any(c.dep_ == "prep" and c.lower_ == "between" for c in tok.children):
                return  # "A agreed to withdraw": a promise, not a pact between two named sides
        elif not accord_obj:
            return
        if _rel._negated(tok) or _rel._hypothetical(tok):
            return
        parties = _rel._gram_subject(tok, index) if not any(
            c.dep_ == "nsubjpass" for c in tok.children) else []
        parties += _parties(tok, index)
        for o in accord_obj:
            parties += _parties(o, index)
    elif tok.pos_ in ("NOUN", "PROPN") and _accord(tok) and not index.key_of(tok):
        verb = clause_verb(tok)
        if _rel._negated(tok) or _rel._hypothetical(tok) or (verb is not None and _rel._negated(verb)):
            return  # "never defined by treaty between A and B"
        parties = _rel._prep_objects(tok, ("between", "among"), index)
    parties = list(dict.fromkeys(parties))
    for a, b in combinations(parties, 2):
        yield _rel._Cand((a,), "allied_with", (b,), None, tok)


#: Prepositions that hang a means on an action: "with funding from X", "through aid from X".
_MEANS_PREPS = frozenset({"with", "through"})


def support_phrase_cands(noun, index) -> Iterator[_rel._Cand]:
    """"X did Z with funding from Y" when the parser hangs the phrase on a noun of the
    clause: Y supports X (or the noun, when the noun is an actor)."""
    rule = _rel._noun_rules().get(noun.lower_) or _rel._noun_rules().get(noun.lemma_.lower())
    if rule is None or rule[0] != "supports" or rule[2] != "src":
        return
    prep = noun.head
    if noun.dep_ != "pobj" or prep.lower_ not in _MEANS_PREPS or prep.head.pos_ in ("VERB", "AUX"):
        return
    if _rel._negated(noun) or _rel._hypothetical(noun):
        return
    srcs = _rel._prep_objects(noun, ("from", "by", "of"), index)
    srcs += _rel.possessor_actors(noun, index)
    if not srcs:
        return
    holder = prep.head
    tgts = _rel._np_actors(holder, index) if index.key_of(holder) else []
    if not tgts:
        verb = clause_verb(holder)
        if verb is None:
            return
        tgts = _rel._gram_subject(verb, index)
    tgts = [t for t in tgts if t not in srcs]
    if tgts:
        yield _rel._Cand(tuple(dict.fromkeys(srcs)), "supports", tuple(tgts),
                         _rel._qualifier(noun, rule[1]), noun)


def cause_cands(verb, index) -> Iterator[_rel._Cand]:
    """"X supported the integrity of Y", "X backed Y's claims", "X supported the work of
    Y": a support verb whose object is Y's cause, claim or work (``relations_cause_nouns``)
    supports Y. Other objects ("supported the removal of Y") say nothing of Y's side."""
    if verb.pos_ not in ("VERB", "AUX"):
        return
    rules = _rel._verb_rules().get(verb.lemma_.lower(), ())
    rule = next((r for r in rules if r.prep == "-" and r.relation == "supports" and not r.flags), None)
    if rule is None or _rel._negated(verb) or _rel._hypothetical(verb):
        return
    causes = lexicons.words("relations_cause_nouns")
    for obj in (c for c in verb.children if c.dep_ == "dobj"):
        for node in (obj, *_rel._conjuncts(obj)):
            if node.lemma_.lower() not in causes and node.lower_ not in causes:
                continue
            if index.key_of(node):
                continue
            owners = _rel._prep_objects(node, ("of",), index) + _rel.possessor_actors(node, index)
            srcs = _rel._gram_subject(verb, index)
            tgts = [k for k in dict.fromkeys(owners) if k not in srcs]
            if srcs and tgts:
                yield _rel._Cand(tuple(srcs), "supports", tuple(tgts), rule.qualifier, verb)
