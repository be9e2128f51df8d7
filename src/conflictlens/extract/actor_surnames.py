"""People's names within one document: surnames, short forms, shared surnames read by recency."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from difflib import SequenceMatcher

from ..records import LocalActor, Mention
from . import actors as _act
from .actor_forms import ends_in_office

_PARTICLES = {"bin", "ibn", "al", "el", "van", "von", "de", "da", "del", "der", "la", "le", "abu", "ul"}
_KIN_OF = re.compile(r"\b(?:son|daughter|brother|sister|father|mother|wife|widow|nephew|niece|cousin|uncle)"
                     r"\s+of\s+(?:the\s+)?(?:[a-z]+\s+){0,3}$")


#: Titles written after the name they go with: "Kara Mustafa Pasha" is "Mustafa Pasha",
#: never "Pasha", which names every pasha of the text.
_TITLE_AFTER = frozenset({"pasha", "bey", "beg", "effendi", "efendi", "agha", "aga"})
#: An Arabic article or kin word glued to a surname: "al-Assad" is also "Assad".
_GLUED_PARTICLE = re.compile(r"^(?:al|el|ad|as|an|ash|at|az)-(?=[A-Z])")


def surname(name: str) -> str | None:
    bare, _ = _act.strip_honorifics(name)
    toks = bare.split()
    if len(toks) < 2:
        return bare if bare != name else None  # "Mullah Omar" → "Omar"
    if toks[-1].lower() in _TITLE_AFTER:
        return " ".join(toks[-2:])
    for i, t in enumerate(toks[1:], 1):
        if t.lower() in _PARTICLES and i < len(toks) - 1:
            return " ".join(toks[i:])  # "Osama bin Laden" → "bin Laden"
    return toks[-1]


def similar_names(a: str, b: str) -> bool:
    """Transliteration variants of one name: "Ahmad Shah Massoud" / "Ahmed Shah Massoud",
    "Muhammad Mohaqiq" / "Muhammad Muhaqiq": as many words, one at least the same, the
    others alike letter for letter (difflib ratio ≥ 0.8)."""
    ta, tb = _act.norm(a).split(), _act.norm(b).split()
    if len(ta) != len(tb) or len(ta) < 2 or not set(ta) & set(tb):
        return False
    return all(x == y or (len(x) > 3 and SequenceMatcher(None, x, y).ratio() >= 0.8)
               for x, y in zip(ta, tb, strict=True))


def _merge_into(actors: dict[str, LocalActor], form_to_key: dict[str, str], src_key: str, dst_key: str) -> None:
    src = actors.pop(src_key)
    dst = actors[dst_key]
    dst.aliases |= {src.name, *src.aliases} - {dst.name}
    dst.weak_aliases |= src.weak_aliases
    dst.evidence.extend(src.evidence)
    for f, fk in list(form_to_key.items()):
        if fk == src_key:
            form_to_key[f] = dst_key


def _full_names(a: LocalActor) -> list[list[str]]:
    """A person's names as word lists, titles off, that can own short forms: two words or
    more and no lower-case words but name particles ("Lion of Panjshir" owns nothing)."""
    out = []
    for n in {a.name, *a.aliases}:
        toks = _act.strip_honorifics(n)[0].split()
        if len(toks) >= 2 and not ends_in_office(toks) and all(t[:1].isupper() or t.lower() in _PARTICLES
                                  or t.split("-")[0].lower() in _PARTICLES for t in toks):
            out.append(toks)
    return out


def add_short_forms(actors: dict[str, LocalActor], form_to_key: dict[str, str]) -> None:
    """Resolve people's variant and short names inside one document.

    Spelling variants of one full name merge. Then every short form of a full name — the
    surname ("Massoud", "bin Laden", "al-Zawahiri"), or failing that any other single word
    of it ("Malik" of "Abdul Malik Pahlawan", "Omar" of "Mullah Omar") — goes to the one
    person whose full name has it; actors known only by such a short form merge into that
    person. A short form that two people share resolves to neither ("Rabbani" of two
    Rabbanis, "Abdul" of many).
    """
    people = sorted((a for a in actors.values() if a.type == "person" and _full_names(a)),
                    key=lambda a: -len(a.mentions or ()) - len(a.aliases))
    for i, a in enumerate(people):
        for b in people[i + 1:]:
            if a.key in actors and b.key in actors and similar_names(a.name, b.name):
                _merge_into(actors, form_to_key, b.key, a.key)
    full = {a.key: _full_names(a) for a in actors.values() if a.type == "person" and _full_names(a)}

    def is_tail(toks: list[str], other: list[str]) -> bool:
        low, olow = [t.lower() for t in toks], [t.lower() for t in other]
        return len(low) < len(olow) and olow[-len(low):] == low

    # "Bin Laden" is the tail of "Osama bin Laden": a short form, not a full name of its own.
    for k in [k for k, names in full.items()
              if all(any(is_tail(t, o) for k2, ns in full.items() if k2 != k for o in ns) for t in names)]:
        del full[k]
    surname_owner: dict[str, set[str]] = defaultdict(set)
    word_owner: dict[str, set[str]] = defaultdict(set)
    for k, names in full.items():
        for toks in names:
            sur = surname(" ".join(toks))
            if sur:
                surname_owner[_act.norm(sur)].add(k)
            for t in toks:
                if len(t) > 2 and t[0].isupper():
                    word_owner[_act.norm(t)].add(k)

    def owner(short: str) -> str | None:
        n = _act.norm(short)
        keys = surname_owner.get(n) or word_owner.get(n) or set()
        return next(iter(keys)) if len(keys) == 1 else None

    def tail_owner(short: str) -> str | None:
        # "Vieira de Mello" of the one "Sergio Vieira de Mello"
        toks = short.split()
        if len(toks) < 2:
            return None
        keys = {k for k, ns in full.items() for o in ns if is_tail(toks, o)}
        return next(iter(keys)) if len(keys) == 1 else None

    # Surnames become forms of their one owner.
    for n, keys in surname_owner.items():
        if len(keys) == 1:
            (k,) = keys
            for toks in full[k]:
                sur = surname(" ".join(toks))
                if sur and _act.norm(sur) == n and sur not in form_to_key and len(sur) > 2:
                    form_to_key[sur] = k
                    actors[k].aliases.add(sur)
                    actors[k].weak_aliases.add(sur)
    # Actors known only by a short form join its owner.
    for b in [b for b in actors.values() if b.key not in full and b.type in ("person", "organisation")]:
        names = {_act.strip_honorifics(n)[0] for n in {b.name, *b.aliases}}
        owners = {owner(n) or tail_owner(n) for n in names} - {None}
        if len(owners) == 1:
            k = owners.pop()
            if k in actors and k != b.key:
                actors[k].weak_aliases |= names
                _merge_into(actors, form_to_key, b.key, k)


def _full_name_surnames(actors: dict[str, LocalActor]) -> Iterator[tuple[str, str]]:
    """``(person key, surname)`` for each full name (:func:`_full_names`) of each person."""
    for k, a in actors.items():
        if a.type == "person":
            for toks in _full_names(a):
                sur = surname(" ".join(toks))
                if sur:
                    yield k, sur


def add_shared_surnames(actors: dict[str, LocalActor], form_to_key: dict[str, str]) -> None:
    """A surname two people of the document share, used alone, is scanned for as a bare-surname
    person, whom :func:`shared_surnames_by_recency` then resolves mention by mention."""
    owners: dict[str, set[str]] = defaultdict(set)
    for k, sur in _full_name_surnames(actors):
        for form in {sur, _GLUED_PARTICLE.sub("", sur)}:
            if len(form) > 3 and form[0].isupper():
                owners[form].add(k)
    for sur, keys in owners.items():
        if len(keys) >= 2 and sur not in form_to_key:
            key = "surname:" + _act.norm(sur)
            actors.setdefault(key, LocalActor(key=key, name=sur, type="person"))
            form_to_key[sur] = key


def shared_surnames_by_recency(actors: dict[str, LocalActor], mentions: list[Mention], text: str = "") -> None:
    """A surname two people of the document share ("Massoud" of Ahmad Shah Massoud and of
    his son Ahmad Massoud) stands, at each mention, for the one last named in full before it:
    a text introduces a person by full name and goes on with the surname; a name given only
    as a relative ("son of X") does not take over. A mention before any full name stays with
    the bare-surname actor. ``Mention.key`` is changed in place; the
    surname is a name only of the person it stands for most often.

    References:
        Recency as the first salience factor of pronoun and name resolution (Lappin &
        Leass 1994, "An algorithm for pronominal anaphora resolution").
    """
    def bare_words(n: str) -> list[str]:
        return _act.strip_honorifics(n)[0].split()

    owners: dict[str, set[str]] = defaultdict(set)
    for k, sur in _full_name_surnames(actors):
        owners[_act.norm(sur)].add(k)
        owners[_act.norm(_GLUED_PARTICLE.sub("", sur))].add(k)  # "Assad" of "Bashar al-Assad"
    full = set().union(*owners.values())
    shared = {n: ks for n, ks in owners.items() if len(ks) >= 2}
    if not shared:
        return
    last_full: dict[str, int] = {}
    taken: dict[str, Counter] = defaultdict(Counter)  # surname form -> owner -> mentions
    for m in mentions:
        if m.key in full and len(bare_words(m.text)) >= 2:
            # "Ahmad Massoud, son of former commander Ahmad Shah Massoud": the father is named
            # only to place the son, who stays the one the story is about.
            if not _KIN_OF.search(text, max(0, m.start - 60), m.start):
                last_full[m.key] = m.start
            continue
        a = actors.get(m.key)
        if a is None or a.key in full or a.type != "person":
            continue
        ks = shared.get(_act.norm(" ".join(bare_words(m.text))))
        named = [k for k in ks or () if k in last_full]
        if named:
            k = max(named, key=last_full.__getitem__)
            m.key = k
            taken[m.text][k] += 1
    # The surname becomes a (document-local) name of the person it mostly stands for only:
    # as a name of both it would tie the two people together.
    for form, counts in taken.items():
        top = counts.most_common(2)
        if len(top) == 1 or top[0][1] > top[1][1]:
            actors[top[0][0]].aliases.add(form)
            actors[top[0][0]].weak_aliases.add(form)
