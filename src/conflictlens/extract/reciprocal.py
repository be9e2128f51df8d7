"""Reciprocal wording: a relation between the conjuncts of one subject.

"A and B contended for the province", "A and B confronted each other", "the crisis saw A and
B confronting each other": English names both parties together and leaves the object empty
or fills it with a reciprocal pronoun ("each other", "one another"), so the subject–object
rules of :mod:`relations` find no target. Every pair of the coordinated subject gets the
verb's relation. A verb with a real object ("A and B attacked C") is not reciprocal.

Words are data: ``relations_reciprocal_verbs.tsv``.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations

from .. import lexicons
from . import relations as _rel

#: Objects that say the action goes between the subjects themselves.
_RECIPROCAL = ("each other", "one another")


def _reciprocal_object(verb) -> bool | None:
    """True for an "each other" object, False for no object, None for a real object."""
    objs = [c for c in verb.children if c.dep_ in ("dobj", "attr", "oprd")]
    if not objs:
        return False
    text = " ".join(t.lower_ for t in objs[0].subtree)
    return True if text in _RECIPROCAL else None


def _parties(verb, index) -> list[str]:
    """The coordinated actors that do ``verb``: its subject, or the object of a perception
    verb whose complement it is ("saw A and B confronting each other")."""
    subj = [c for c in verb.children if c.dep_ in ("nsubj",)]
    if subj:
        return list(dict.fromkeys(_rel._np_actors(subj[0], index)))
    if verb.tag_ == "VBG" and verb.dep_ in ("ccomp", "xcomp", "acl", "advcl", "oprd") \
            and verb.head.pos_ in ("VERB", "AUX"):
        objs = [c for c in verb.head.children if c.dep_ == "dobj"]
        if objs:
            return list(dict.fromkeys(_rel._np_actors(objs[0], index)))
    return []


def reciprocal_cands(verb, index) -> Iterator[_rel._Cand]:
    """``verb`` with a coordinated subject and no object of its own (or "each other"): every
    pair of the subject stands in the verb's relation."""
    relation = lexicons.mapping("relations_reciprocal_verbs").get(verb.lemma_.lower())
    if relation is None or verb.pos_ not in ("VERB", "AUX"):
        return
    recip = _reciprocal_object(verb)
    if recip is None:
        return
    if recip is False and any(c.dep_ == "prep" and c.lower_ in ("against", "with")
                              for c in verb.children):
        return  # "A and B fought against C": the verb rules name the target
    if _rel._negated(verb) or _rel._hypothetical(verb):
        return
    parties = _parties(verb, index)
    if len(parties) < 2:
        return
    for a, b in combinations(parties, 2):
        yield _rel._Cand((a,), relation, (b,), None, verb)
