"""Finding the actors a phrase refers to, from the parse and the actor mentions.

Events and relations both ask the same question of the dependency tree: *which actors does
this noun phrase name?* — a single name ("the Taliban"), a possessive ("Pakistan's
support"), a coordination ("Saudi Arabia, Pakistan and the United Arab Emirates", which
distributes over its conjuncts), or a head noun with its modifier ("Pakistani troops",
"forces of Massoud"). This module answers it once for both.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable

from ..records import Mention

#: Head nouns that stand for the actor named in their modifier ("the forces of X",
#: "X's fighters"): the phrase means X acting.
_PROXY_HEADS = frozenset({
    "force", "forces", "troops", "troop", "army", "armies", "fighters", "fighter", "militia",
    "militias", "men", "soldiers", "units", "unit", "government", "regime", "administration",
    "leadership", "side", "camp", "faction", "agents", "allies", "supporters", "commanders",
    "officials", "authorities", "military", "militants", "members", "coalition", "delegation",
    "envoy", "envoys", "representatives", "elements", "state", "nationals", "volunteers",
    "officers", "pilots", "personnel", "advisers", "advisors", "commandos", "mercenaries",
    "regulars", "recruits", "guards",
})


class MentionIndex:
    """Look up which actor mention (if any) covers a character offset or a token."""

    def __init__(self, mentions: Iterable[Mention]):
        self.mentions = sorted(mentions, key=lambda m: (m.start, m.end))
        self._starts = [m.start for m in self.mentions]

    def at(self, offset: int) -> Mention | None:
        """The mention whose span contains ``offset``."""
        # Mentions do not overlap, so only the last one starting at or before it can.
        i = bisect_right(self._starts, offset) - 1
        if i >= 0 and self.mentions[i].start <= offset < self.mentions[i].end:
            return self.mentions[i]
        return None

    def key_of(self, token) -> str | None:
        """The actor key of the mention covering ``token`` (a spaCy Token)."""
        m = self.at(token.idx)
        return m.key if m else None

    def keys_of(self, token) -> list[str]:
        """Every actor key of the mention covering ``token``: a collective reference
        ("these countries") stands for several."""
        return mention_keys(self.at(token.idx))

    def add(self, mention: Mention) -> None:
        """Add a mention that overlaps none of the index's."""
        i = bisect_right(self._starts, mention.start)
        self.mentions.insert(i, mention)
        self._starts.insert(i, mention.start)

    def in_span(self, start: int, end: int) -> list[Mention]:
        """Mentions lying inside ``[start, end)``, in order."""
        i = bisect_right(self._starts, start - 1)
        out = []
        while i < len(self.mentions) and self.mentions[i].start < end:
            if self.mentions[i].end <= end:
                out.append(self.mentions[i])
            i += 1
        return out


def mention_keys(mention: Mention | None) -> list[str]:
    """The actor keys a mention stands for: its key, or all of a reference's ``keys``."""
    if mention is None:
        return []
    return list(getattr(mention, "keys", ()) or (mention.key,))


_STANCE_PREFIX = re.compile(r"(?<![\w-])(?:anti|pro)-$", re.I)


def participant_mentions(text: str, mentions: Iterable[Mention]) -> list[Mention]:
    """The mentions that may fill an event's or a relation's roles: not the actor inside
    "anti-Taliban" or "pro-Soviet", which names a stance towards it ("joined an anti-Taliban
    coalition" is no membership of the Taliban)."""
    return [m for m in mentions if not _STANCE_PREFIX.search(text, max(0, m.start - 6), m.start)]


def _dedupe(keys: Iterable[str | None]) -> list[str]:
    seen: list[str] = []
    for k in keys:
        if k and k not in seen:
            seen.append(k)
    return seen


def actors_of(token, index: MentionIndex, _depth: int = 0) -> list[str]:
    """The actor keys named by the noun phrase headed by ``token``.

    Follows coordination (each conjunct is an actor), appositions, and proxy heads
    ("forces of X", "X's troops", "Pakistani troops" → X). Returns keys in text order,
    without duplicates; ``[]`` when the phrase names no actor.
    """
    if _depth > 6:
        return []
    keys: list[str | None] = []
    own = index.keys_of(token)
    if own:
        keys.extend(own)
    else:
        # A name's head may be any token inside it ("United Arab Emirates" → Emirates).
        for child in token.children:
            if child.dep_ in ("compound", "amod", "nmod") and index.key_of(child):
                if token.lower_ in _PROXY_HEADS or child.dep_ == "compound":
                    keys.append(index.key_of(child))
                    # "Pakistani, Taliban and Al Qaeda soldiers": each modifier is an owner.
                    keys.extend(index.key_of(c) for c in child.conjuncts)
        if token.lower_ in _PROXY_HEADS:
            for child in token.children:
                if child.dep_ == "poss":
                    keys.extend(actors_of(child, index, _depth + 1))
                elif child.dep_ == "prep" and child.lower_ in ("of", "from", "under", "loyal"):
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            keys.extend(actors_of(pobj, index, _depth + 1))
    for child in token.children:
        if child.dep_ in ("conj", "appos"):
            keys.extend(actors_of(child, index, _depth + 1))
    return _dedupe(keys)


def possessor_actors(token, index: MentionIndex) -> list[str]:
    """Actors named as the possessor of ``token`` ("Pakistan's support" → Pakistan)."""
    out: list[str] = []
    for child in token.children:
        if child.dep_ == "poss":
            out.extend(actors_of(child, index))
    return _dedupe(out)


def prep_actors(token, preps: Iterable[str], index: MentionIndex) -> list[str]:
    """Actors in the objects of ``token``'s prepositions ``preps`` ("support *from* X")."""
    wanted = {p.lower() for p in preps}
    out: list[str] = []
    for child in token.children:
        if child.dep_ in ("prep", "agent", "dative") and child.lower_ in wanted:
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    out.extend(actors_of(pobj, index))
    return _dedupe(out)


def clause_verb(tok):
    """The nearest verb (or copula) governing ``tok``."""
    cur = tok
    for _ in range(8):
        if cur.head.i == cur.i:
            return cur if cur.pos_ in ("VERB", "AUX") else None
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX"):
            return cur
    return None
