"""A role owned by a possessive pronoun: "X fought its rival, Y", "X could not lose its last
ally, Y".

A possessive pronoun inside a clause most often stands for that clause's subject (the
binding preference of English: "Russia … its ally" is Russia's ally). The role rules of
:mod:`relation_roles` read an owner only from a name ("Russia's ally Y"); this reads it from the
subject when the owner is "its"/"their"/"his"/"her". Only the stance roles (allies, rivals,
enemies, backers, proxies) are read: an owned office ("his deputy") is left to the name rules.
"""

from __future__ import annotations

from collections.abc import Iterator

from . import relation_roles
from . import relations as _rel
from .arguments import clause_verb

_POSSESSIVE = frozenset({"its", "their", "his", "her"})
_STANCE = frozenset({"allied_with", "hostile_to", "supports"})


def possessive_role_cands(role, index) -> Iterator[_rel._Cand]:
    """``role`` is a stance role noun owned by a possessive pronoun: the clause subject owns it."""
    if not any(c.dep_ == "poss" and c.lower_ in _POSSESSIVE for c in role.children):
        return
    rules = relation_roles.role_rules()
    phrase = next((p for p in relation_roles.role_phrases(role) if p in rules), None)
    if phrase is None:
        return
    relation, flags = rules[phrase]
    if relation not in _STANCE or _rel._negated(role) or _rel._hypothetical(role):
        return
    holders = relation_roles.role_holders(role, index)
    verb = clause_verb(role)
    if not holders or verb is None:
        return
    owners = [k for k in _rel._gram_subject(verb, index) if k not in holders]
    if not owners:
        return
    former = any(c.dep_ == "amod" and c.lower_ in relation_roles.FORMER for c in role.children)
    if "rev" in flags:
        yield _rel._Cand(tuple(owners), relation, tuple(holders), None, role, former)
    else:
        yield _rel._Cand(tuple(holders), relation, tuple(owners), None, role, former)
