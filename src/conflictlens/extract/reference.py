"""Reference: the actors that pronouns, definite descriptions and collectives stand for.

Relations and events read actors from names. A text names an actor once and then refers
to it: "Bulgaria … its army", "the Taliban … they", "the regime", "the League",
"these countries", "both nations", "the League member states". This module resolves such
words to actor keys and hands them to extraction as :class:`Reference` mentions whose span
is the referring word itself (the pronoun, or the head noun of the description), so
``text[start:end]`` is what was written and every fact keeps its sentence as evidence.

One resolver serves every kind of reference:

- **candidates** are the noun phrases of the recent sentences that name actors: a single
  name, or a coordination ("Bulgaria, Greece and Serbia", one plural candidate), with the
  phrase's grammatical role (subject, object …); resolved references join them, so a chain
  "X … it … its" stays on X;
- **agreement** filters them: "he/she" a person, "it" one non-person actor, "they" a
  coordination or a group, "the regime" a government, "the country" a state, "the
  alliance" an alliance, "the Council" an actor whose name holds "Council", "both nations"
  exactly two states, "these countries" a list of states;
- **salience** picks: the nearest sentence that holds an agreeing candidate (the
  pronoun's own sentence first), and in it the only agreeing candidate or else the only
  agreeing subject. Two candidates equally salient leave the word unresolved: a missed
  reference costs recall, a wrong one invents facts.

Collectives over membership ("the League member states", "the members of the alliance",
"the remaining members") and alliance ("its erstwhile allies") are resolved during relation
extraction (:func:`member_references`), from the member_of and allied_with relations the
document stated before that sentence.

References:
    Salience by recency and grammatical role after Lappin and Leass (1994) and centering
    (Grosz, Joshi and Weinstein 1995); agreement filters as in Hobbs (1978) and most
    rule-based resolvers (Lee et al. 2013, the Stanford multi-pass sieve).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from .. import lexicons
from ..records import LocalActor, Mention, Relation
from .arguments import MentionIndex, actors_of, mention_keys

__all__ = ["Reference", "member_references", "resolve_references"]


@dataclass
class Reference(Mention):
    """A word that refers to one or more actors; ``key`` is the first of ``keys``."""

    keys: tuple[str, ...] = field(default_factory=tuple)


# Pronoun classes.
_PERSON_PRONOUNS = frozenset({"he", "she", "him", "his", "her", "himself", "herself"})
_IT_PRONOUNS = frozenset({"it", "its", "itself"})
_THEY_PRONOUNS = frozenset({"they", "them", "their", "themselves"})

#: Types an "it"/"its" or a singular description may stand for.
_THING_TYPES = frozenset({"state", "government", "armed_group", "political_party",
                          "organisation", "military_unit", "intelligence_agency"})
#: Types that English refers to as "they" even when named once ("the Taliban … they").
_PLURAL_TYPES = frozenset({"armed_group", "ethnic_group"})

_SUBJ = frozenset({"nsubj", "nsubjpass"})
_ARG_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "poss", "dative", "appos", "attr",
                       "conj", "ROOT", "oprd", "npadvmod"})
_MODIFIER_DEPS = frozenset({"compound", "amod", "nmod"})
#: Verbs whose "it" subject is empty ("it is believed", "it seems", "it took months").
_EMPTY_IT = re.compile(r"^(?:seem|appear|take|follow|happen|rain|matter)$")

_NUMBERS = {"two": 2, "both": 2, "three": 3, "four": 4, "five": 5, "six": 6}

_SENTS_BACK = 2  # pronouns: the two previous sentences of the paragraph
_DESC_SENTS_BACK = 3  # descriptions reach a little further, across paragraphs


@dataclass
class _Cand:
    keys: tuple[str, ...]  # () for a phrase that names no actor (a blocker)
    subject: bool
    pos: int  # character offset, for "before the reference"
    plural: bool = False
    named: bool = False  # a blocker that is a name or a title: it may be a person
    object: bool = False  # a direct object ("ended the war; it …" may be the war)


@cache
def _descriptions() -> dict[str, tuple[str, str]]:
    """``reference_nouns.tsv``: head noun → (class, number)."""
    return {row[0].lower(): (row[1], row[2]) for row in lexicons.rows("reference_nouns")}


_CLASS_TYPES = {
    "state": frozenset({"state"}),
    "government": frozenset({"government"}),
    "group": frozenset({"armed_group", "political_party", "organisation"}),
    "party": frozenset({"political_party"}),
    "armed": frozenset({"armed_group", "military_unit"}),
    "alliance": frozenset(),  # by name only
    "any": frozenset(_THING_TYPES | _PLURAL_TYPES),
}


def resolve_references(sdoc, text: str, actors: Iterable[LocalActor],
                       mentions: Iterable[Mention]) -> list[Reference]:
    """Pronouns, definite descriptions and collectives of ``sdoc`` resolved to actor keys.

    Args:
        sdoc: the parsed document.
        text: the document text (``sdoc`` has the same length).
        actors: the document's actors (their types decide agreement).
        mentions: the actor mentions (names) of the document.

    Returns:
        One :class:`Reference` per resolved word, in text order; words already inside a
        name, and words whose antecedent is unclear, are left out.
    """
    types = {a.key: a.type for a in actors}
    names = {a.key: {w.lower() for n in (a.name, *a.aliases) for w in re.findall(r"\w+", n)}
             for a in actors}
    index = MentionIndex(mentions)  # resolved references join it, in text order
    persons = _person_keys(sdoc, index, types)
    nouns = _descriptions()
    out: list[Reference] = []
    history: list[tuple[int, list[_Cand]]] = []  # (paragraph, candidates) per sentence
    last_named: dict[str, tuple[int, str]] = {}  # name word → (offset, key), most recent
    para, prev_end = 0, 0
    for sent in sdoc.sents:
        if "\n" in text[prev_end:sent.start_char]:
            para += 1
        prev_end = sent.end_char
        cands: list[_Cand] = []
        for tok in sent:
            ref = None
            low = tok.lower_
            m = index.at(tok.idx)
            if m is None and tok.pos_ == "PRON" and (
                    low in _PERSON_PRONOUNS or low in _IT_PRONOUNS or low in _THEY_PRONOUNS):
                ref = _pronoun(tok, cands, history, para, types, persons, index)
            elif m is None and tok.pos_ in ("NOUN", "PROPN"):
                ref = _description(tok, cands, history, types, nouns, last_named, index)
            if ref is None and m is None and tok.pos_ == "PRON" and (
                    low in _PERSON_PRONOUNS or low in _IT_PRONOUNS or low in _THEY_PRONOUNS) \
                    and not _empty_it(tok):
                # an unresolved pronoun still holds its place: a later one is as unclear
                cands.append(_Cand((), tok.dep_ in _SUBJ, tok.idx, low in _THEY_PRONOUNS,
                                   low in _PERSON_PRONOUNS))
            if ref:
                r = Reference(ref[0], tok.text, tok.idx, tok.idx + len(tok.text), keys=ref)
                out.append(r)
                index.add(r)
                cands.append(_Cand(ref, tok.dep_ in _SUBJ, tok.idx))
                continue
            if m is not None and not isinstance(m, Reference):
                for w in names.get(m.key, ()):
                    last_named[w] = (tok.idx, m.key)
            cand = _phrase_cand(tok, index)
            if cand:
                cands.append(cand)
        history.append((para, cands))
        history = history[-_DESC_SENTS_BACK:]
    return out


def _phrase_cand(tok, index: MentionIndex) -> _Cand | None:
    """The candidate a noun phrase's head opens: the actors it names (a coordination is
    one plural candidate), or, for a phrase naming none, a blocker that holds the place
    of a non-actor ("the treaty … it")."""
    m = index.at(tok.idx)
    if m is not None and m.start <= tok.head.idx < m.end and tok.head.i != tok.i:
        return None  # inside a name: its head opens the candidate
    if tok.dep_ in _MODIFIER_DEPS or tok.dep_ not in _ARG_DEPS or tok.dep_ == "conj":
        return None  # "Ottoman territory": a modifier is not what a pronoun picks up
    if m is None and tok.pos_ not in ("NOUN", "PROPN"):
        return None
    keys = tuple(actors_of(tok, index))
    # "Ismail Khan (United Front)": an apposition says who he is with, it adds no one
    own = set(index.keys_of(tok))
    if own:  # "the three allies (A, B and C)": there the apposition names them
        aside = {k for c in tok.children if c.dep_ == "appos" for k in actors_of(c, index)}
        keys = tuple(k for k in keys if k not in aside - own)
    if keys and any(index.at(c.idx) is None and c.pos_ in ("NOUN", "PROPN")
                    for c in tok.conjuncts):
        keys = ()  # "X and his men": a list no actor stands for
    plural = len(keys) > 1 or tok.tag_ in ("NNS", "NNPS") or any(
        c.pos_ in ("NOUN", "PROPN") for c in tok.conjuncts)
    named = not keys and tok.dep_ in _SUBJ and not plural and (
        tok.pos_ == "PROPN" or tok.lower_ in lexicons.words("honorifics"))
    return _Cand(keys, tok.dep_ in _SUBJ, tok.idx, plural, named, tok.dep_ in ("dobj", "dative"))


def _person_keys(sdoc, index: MentionIndex, types: dict[str, str]) -> set[str]:
    """Keys typed person whose name the tagger calls PERSON or a title precedes: the types
    alone call many places persons."""
    titles = lexicons.words("honorifics")
    out: set[str] = set()
    for m in index.mentions:
        if types.get(m.key) != "person":
            continue
        toks = sdoc.char_span(m.start, m.end, alignment_mode="expand")
        if toks is None:
            continue
        prev = sdoc[toks.start - 1] if toks.start > 0 else None
        if any(t.ent_type_ == "PERSON" for t in toks) or toks[0].lower_ in titles or (
                prev is not None and prev.text[:1].isupper() and prev.lower_ in titles):
            out.add(m.key)
    return out


def _agrees_pronoun(low: str, cand: _Cand, types: dict[str, str], persons: set[str]) -> bool:
    keys = cand.keys
    if low in _PERSON_PRONOUNS:
        # a name or title no actor stands for ("President Wahid visited …, where he")
        return (len(keys) == 1 and keys[0] in persons) or (not keys and cand.named)
    if not keys:  # a blocker agrees in number
        return cand.plural == (low in _THEY_PRONOUNS)
    if low in _IT_PRONOUNS:
        return len(keys) == 1 and types.get(keys[0]) in _THING_TYPES
    return len(keys) > 1 or types.get(keys[0]) in _PLURAL_TYPES


def _pronoun(tok, cands: list[_Cand], history, para: int, types, persons,
             index: MentionIndex) -> tuple | None:
    low = tok.lower_
    if low in _IT_PRONOUNS and low != "its" and _empty_it(tok):
        return None
    if low.endswith(("self", "selves")):
        # "X presented himself": a reflexive is its own clause's subject, or nobody
        subj = _clause_subject(tok)
        keys = tuple(actors_of(subj, index)) if subj is not None else ()
        return keys if keys and _agrees_pronoun(low, _Cand(keys, True, 0), types, persons) \
            else None
    if tok.dep_ == "poss":
        owned = tok.head
        if low in _PERSON_PRONOUNS and owned.lemma_.lower() in lexicons.words("relations_roles"):
            return None  # "his deputy, Y": a role under a person, not in a group
        if owned.dep_ == "conj":
            # "CNRT and its leaders": the actor just before
            keys = tuple(actors_of(owned.head, index))
            if keys:
                return keys if _agrees_pronoun(low, _Cand(keys, True, 0), types, persons) \
                    else None
        # "X lost its territory": a possessive is the subject's when its clause has one;
        # a subject that names no actor ("the treaty lost its force") leaves it alone
        subj = _clause_subject(tok)
        if subj is not None and tok.i not in _np_tokens(subj):
            keys = tuple(actors_of(subj, index))
            if keys and _agrees_pronoun(low, _Cand(keys, True, 0), types, persons):
                return keys
            return None
    bound = _coarguments(tok, index) if tok.dep_ != "poss" else set()
    # "a number of their fighters": the phrase holding the pronoun is not its antecedent
    holders = {a.idx for a in tok.ancestors}
    recent = [c for c in cands if c.pos < tok.idx and c.pos not in holders]
    pools = [recent] + [h[1] for h in reversed(history[-_SENTS_BACK:]) if h[0] == para]
    for i, pool in enumerate(pools):
        ok = [c for c in pool if (c.subject or c.keys or (i == 0 and c.object and tok.dep_ != "poss"))
              and _agrees_pronoun(low, c, types, persons) and not set(c.keys) & bound]
        if not ok:
            if any(c.subject and (c.keys or low not in _PERSON_PRONOUNS)
                   and not set(c.keys) & bound for c in pool):
                return None  # a subject of another kind holds the centre: unclear
            continue
        keys = _pick(ok)
        return keys or None
    return None


def _pick(ok: list[_Cand]) -> tuple | None:
    """The only candidate, or the only subject among several; else unclear."""
    distinct = list(dict.fromkeys(c.keys for c in ok))
    if len(distinct) == 1:
        return distinct[0]
    subjects = list(dict.fromkeys(c.keys for c in ok if c.subject))
    return subjects[0] if len(subjects) == 1 else None


def _empty_it(tok) -> bool:
    """"It is believed that …", "it seems", "it took months": an "it" that stands for no
    actor."""
    head = tok.head
    if tok.dep_ == "expl" or (tok.dep_ in _SUBJ and _EMPTY_IT.match(head.lemma_.lower())):
        return True
    clausal = any(c.dep_ in ("ccomp", "csubj", "xcomp") for c in head.children)
    return tok.dep_ in _SUBJ and clausal and (
        tok.dep_ == "nsubjpass" or head.lemma_.lower() in ("be", "become", "remain"))


def _verb_of(tok):
    """The verb whose clause ``tok`` belongs to."""
    v = tok.head
    while v.pos_ not in ("VERB", "AUX") and v.head.i != v.i:
        v = v.head
    return v if v.pos_ in ("VERB", "AUX") else None


def _clause_subject(tok):
    """The subject of the clause of ``tok``: inherited through "and", control ("X decided
    to …") and relative clauses ("X, which lost …")."""
    v = _verb_of(tok)
    for _ in range(5):
        if v is None:
            return None
        subj = next((c for c in v.children if c.dep_ in _SUBJ), None)
        if subj is not None:
            if subj.lower_ in ("who", "which", "that") and v.dep_ == "relcl":
                return v.head
            return subj
        if v.dep_ == "xcomp":
            obj = next((c for c in v.head.children if c.dep_ == "dobj"), None)
            if obj is not None:
                return obj  # "led the states to impose their …": the object controls
        if v.dep_ in ("conj", "xcomp", "advcl") and v.head.pos_ in ("VERB", "AUX"):
            v = v.head
            continue
        return None
    return None


def _coarguments(tok, index: MentionIndex) -> set[str]:
    """Actors that are other arguments of the pronoun's own verb: "X attacked it", "Y,
    which it had occupied" — a plain pronoun is never one of them."""
    v = _verb_of(tok)
    if v is None:
        return set()
    out: set[str] = set()
    subj = _clause_subject(tok) if tok.dep_ not in _SUBJ else None
    args = [subj] if subj is not None else []
    for c in v.children:
        if c.lower_ in ("which", "who", "whom") and v.dep_ == "relcl" and c.i != tok.i:
            # "the province of X, which it had occupied": the antecedent, all its names
            np = _np_tokens(v.head)
            out.update(k for m in index.in_span(v.head.doc[min(np)].idx, v.head.doc[max(np)].idx + 1)
                       for k in mention_keys(m))
        elif c.dep_ in ("dobj", "dative", "attr") and c.i != tok.i:
            args.append(c)
    for a in args:
        out.update(actors_of(a, index))
    return out


def _np_tokens(head) -> set[int]:
    """Token indices of the noun phrase of ``head`` without its clauses ("X, which …")."""
    skip = {t.i for c in head.children if c.dep_ in ("relcl", "acl", "appos", "advcl")
            for t in c.subtree}
    return {t.i for t in head.subtree if t.i not in skip}


def _description(tok, cands, history, types, nouns, last_named, index) -> tuple | None:
    """A definite description ("the regime", "the League") or a collective ("these
    countries", "both nations", "the two sides") resolved to its actors."""
    low = tok.lower_
    entry = nouns.get(low) or (nouns.get(tok.lemma_.lower()) if tok.pos_ == "NOUN" else None)
    if entry is None:
        return None
    kids = list(tok.children)
    dets = [c for c in kids if c.dep_ in ("det", "predet")]
    if tok.dep_ == "compound" and entry[0] in ("alliance", "name") and tok.text[:1].isupper() \
            and not kids:
        # "the League member states": the name's word modifies the head
        head = tok.head
        while head.dep_ == "compound" and head.head.i != head.i:
            head = head.head
        dets = [c for c in head.children if c.dep_ == "det" and c.i < tok.i]
    elif tok.dep_ in ("compound", "attr") or tok.dep_ not in _ARG_DEPS:
        return None
    if any(c.dep_ in ("poss", "appos", "acl", "relcl") for c in kids):
        return None  # "its government", "the group, X," — named or owned elsewhere
    if any(c.dep_ == "prep" and c.lower_ in ("of", "in", "for") for c in kids):
        return None  # "the government of X", "the Mission in X": not an anaphor
    if any(c.dep_ in ("compound", "amod", "nmod") and (c.pos_ == "PROPN" or index.at(c.idx))
           for c in kids):
        return None  # "the Serbian government": the modifier names it
    word = dets[0].lower_ if dets else ""
    nums = [c for c in kids if c.dep_ == "nummod" and c.lower_ in _NUMBERS]
    klass, number = entry
    if number == "plural":
        want = _NUMBERS.get(word) or (_NUMBERS[nums[0].lower_] if nums and word in (
            "the", "these", "those") else 0)
        if not want and word not in ("these", "those"):
            return None
        return _collective(tok, klass, want, cands, history, types)
    if word != "the" or any(c.dep_ == "amod" for c in kids):
        return None  # "a government", "the new government": a new referent
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and _partial(tok.head.head):
        return None  # "some members of the alliance" are not the alliance acting
    capital = tok.pos_ == "PROPN" or (tok.text[:1].isupper() and tok.i > 0
                                      and not tok.is_sent_start)
    if klass in ("alliance", "name"):
        # "the League", "the Council", "the alliance": the latest actor whose name has it
        hit = last_named.get(low) or last_named.get(tok.lemma_.lower())
        if hit is None and klass == "alliance":
            same = [v for w, v in last_named.items() if nouns.get(w, ("",))[0] == "alliance"]
            hit = max(same) if same else None
        return (hit[1],) if hit else None
    if capital:
        return None  # "the Organization": a name this document gives no actor
    allowed = _CLASS_TYPES.get(klass, frozenset())
    bound = _coarguments(tok, index)  # "the group attacked X": not X
    recent = [c for c in cands if c.pos < tok.idx]
    pools = [recent] + [h[1] for h in reversed(history)]
    for pool in pools:
        ok = [c for c in pool if len(c.keys) == 1 and types.get(c.keys[0]) in allowed]
        if ok:
            return None if any(set(c.keys) & bound for c in ok) else _pick(ok)
    return None


def _collective(tok, klass: str, want: int, cands, history, types) -> tuple | None:
    """"these countries", "both nations", "the two sides": the latest coordination of
    that many actors (of states, for "countries") in this or the recent sentences."""
    if any(c.dep_ in ("conj", "appos") for c in tok.children):
        return None  # "the two sides, X and Y": named right here
    allowed = _CLASS_TYPES.get(klass, frozenset())
    recent = [c for c in cands if c.pos < tok.idx]
    if want:
        # "X invaded Y in violation of a treaty between the two states": the sentence's own
        named = list(dict.fromkeys(k for c in recent for k in c.keys if types.get(k) in allowed))
        if len(named) == want:
            return tuple(named)
        if len(named) > want:
            return None
    pools = [recent] + [h[1] for h in reversed(history)]
    for pool in pools:
        ok = [c for c in pool if len(c.keys) > 1 and (not want or len(c.keys) == want)
              and all(types.get(k) in allowed for k in c.keys)]
        if ok:
            return ok[-1].keys if len({c.keys for c in ok}) == 1 else None
    return None


# ------------------------------------------------------------------------ membership

_MEMBER_HEADS = frozenset({"states", "countries", "nations", "members", "governments"})
_REMAINING = frozenset({"remaining", "other", "rest"})
_PARTIAL = frozenset({"some", "several", "many", "most", "few", "two", "three", "four",
                      "certain", "one", "individual", "new", "former"})


def _partial(head) -> bool:
    """Whether a noun phrase names only part of a group ("some members", "two states")."""
    return head.lower_ in _MEMBER_HEADS and any(
        c.dep_ in ("amod", "det", "nummod", "predet") and (c.lower_ in _PARTIAL or c.like_num)
        for c in head.children)


def member_references(sent, index: MentionIndex, relations: Iterable[Relation],
                      previous: Iterable[str] = ()) -> list[Reference]:
    """"the League member states", "the members of the alliance", "its members", "the
    remaining members of X": the member states of X that the relations before ``sent``
    state (member_of). The whole membership acts for X, so X is one of the actors; "the
    remaining members" are those not named in this sentence or ``previous`` (the keys of
    the sentence before), and exclude X itself. "its allies": see :func:`_allies`.

    Args:
        sent: the sentence.
        index: the mentions (with resolved references) of the document.
        relations: the relations extracted so far.
        previous: actor keys the previous sentence named.
    """
    out: list[Reference] = []
    for tok in sent:
        if tok.lower_ in _ALLY_HEADS and index.at(tok.idx) is None:
            ref = _allies(tok, index, relations, sent.start_char)
            if ref:
                out.append(ref)
            continue
        if tok.lower_ not in _MEMBER_HEADS or index.at(tok.idx) is not None:
            continue
        kids = list(tok.children)
        is_members = tok.lower_ == "members"
        if not is_members and not any(c.dep_ == "compound" and c.lower_ == "member"
                                      for c in kids):
            continue
        words = {c.lower_ for c in kids if c.dep_ in ("amod", "det", "nummod", "predet")}
        if _partial(tok):
            continue
        groups: list[str] = []
        mods = [c for c in kids if c.dep_ in ("compound", "poss")]
        mods += [g for c in mods if c.lower_ == "member" for g in c.children
                 if g.dep_ == "compound"]  # "the League member states"
        for c in mods:
            if c.lower_ != "member":
                groups.extend(mention_keys(index.at(c.idx)))
        for c in kids:
            if c.dep_ == "prep" and c.lower_ == "of":
                for p in c.children:
                    if p.dep_ == "pobj":
                        groups.extend(mention_keys(index.at(p.idx)))
        groups = list(dict.fromkeys(groups))
        if len(groups) != 1:
            continue
        group = groups[0]
        # states only ("iso:" keys): the persons who are members of a group do not act
        # for it when its "members" are said to
        members = list(dict.fromkeys(
            r.source for r in relations if r.relation == "member_of" and r.target == group
            and r.source.startswith("iso:") and r.evidence
            and r.evidence[0].start < sent.start_char))
        if words & _REMAINING:
            named = {k for m in index.in_span(sent.start_char, sent.end_char)
                     for k in mention_keys(m)} | set(previous)
            members = [k for k in members if k not in named]
        else:
            members = [group, *members]
        if len(members) < 2 and not (words & _REMAINING and members):
            continue
        out.append(Reference(members[0], tok.text, tok.idx, tok.idx + len(tok.text),
                             keys=tuple(members)))
    return out


_ALLY_HEADS = frozenset({"allies", "partners"})


def _allies(tok, index: MentionIndex, relations: Iterable[Relation], before: int
            ) -> Reference | None:
    """"X attacked its erstwhile allies": the actors the relations before ``before`` made
    X's allies (allied_with). Only when the phrase names no ally itself ("its allies,
    A and B") and has one possessor."""
    kids = list(tok.children)
    if any(c.dep_ in ("appos", "conj", "compound", "prep") or c.pos_ == "PROPN" for c in kids):
        return None
    if tok.head.lower_ in ("against", "on") and tok.head.head.lemma_.lower() in (
            "turn", "rise", "break"):
        return None  # "turned against its allies": relations read that turn itself
    owners = [k for c in kids if c.dep_ == "poss" for k in mention_keys(index.at(c.idx))]
    if len(owners) != 1:
        return None
    owner = owners[0]
    allies = list(dict.fromkeys(
        (r.target if r.source == owner else r.source) for r in relations
        if r.relation == "allied_with" and owner in (r.source, r.target)
        and r.evidence and r.evidence[0].start < before))
    allies = [a for a in allies if a != owner]
    if not allies:
        return None
    return Reference(allies[0], tok.text, tok.idx, tok.idx + len(tok.text), keys=tuple(allies))
