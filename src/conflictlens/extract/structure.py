"""Structural relations read from how actors are named: part_of, leads, member_of.

A name often says whose an actor is, with no verb to say it:

- **organs named after their owner** (:func:`_named_after`): "Greek Navy", "Japanese
  International Cooperation Agency", "United States Agency for International Development"
  are part of the state their name begins with; "United Nations Development Programme",
  "X Trust Fund" are part of the organisation whose full name begins theirs. Only a body
  whose head noun is an organ (``structure_organ_nouns.tsv``) and whose name has no word of
  a movement against that state (``structure_insurgent_words.tsv``: "Kosovo Liberation
  Army") counts. The word before an organ's name says its owner too: "the Soviet KGB",
  "Spain's National Institute of X" (:func:`_owned_before`). A numbered formation named
  after a state ("the Bulgarian 7th Division") is part of that state's army when the text
  names one (:func:`_formations_in_armies`), else its place is left unsaid.
- **titles before a person's name** (:func:`_titled`): "Soviet Premier X", "India's first
  Prime Minister X", "Tsar X of Russia", "X, the Indian envoy to …" — a head of state or
  government leads the state, any other office is a membership (``structure_titles.tsv``).
  The state comes from the title's own modifier (demonym, name, possessive) or an
  "of <state>" right after the name, never from the rest of the sentence.

An organ's name is timeless: its part_of carries no start/end. A title holds when its
sentence speaks ("On 2 October 1962, Soviet Premier X …" → leads from 1962), dated as any
relation of :mod:`.relations`. Relations that :mod:`.relations` already found for the same
pair are not repeated.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from functools import lru_cache

from .. import lexicons
from ..records import Document, LocalActor, Mention, Relation, TimeExpr, sentence_evidence
from .actors import country_code, demonym_state, norm
from .arguments import MentionIndex
from .figures import apparatus_spans
from .relation_time import time_for  # one reading of a relation's time for every rule family
from .time import Narrative

__all__ = ["structure_relations"]

#: Types of actors whose name can make them an organ of another actor.
_ORGAN_TYPES = frozenset({"organisation", "military_unit", "intelligence_agency", "armed_group"})
#: Types of actors that can own an organ named after them (besides states).
_OWNER_TYPES = frozenset({"organisation", "government", "political_party", "armed_group",
                          "military_unit"})
#: Words that start the tail of a name after its head noun ("Agency *for* …").
_TAIL_PREPS = frozenset({"of", "for", "in", "on", "to"})
#: Words saying a title is no longer held.
_FORMER = frozenset({"former", "late", "ex", "erstwhile", "onetime", "one-time"})
#: Words allowed between a state word and a title ("Soviet *former* Premier", "India's
#: *first* Prime Minister").
_TITLE_FILLERS = _FORMER | {"first", "then", "acting", "interim", "new", "second", "third",
                            "last", "longtime", "long-time", "incumbent"}
#: Prepositions that make a state name before a title a place ("in Japan General X").
_PLACE_PREPS = frozenset({"in", "at", "from", "to", "into", "across", "near", "over", "through",
                          "within", "throughout", "toward", "towards", "against", "for", "with",
                          "of", "on", "by"})
#: Titles a portfolio word may precede ("Defence Minister", "Foreign Secretary").
_PORTFOLIO_HEADS = frozenset({"minister", "secretary"})
_WORD = re.compile(r"[^\s,;:()\[\]\"“”]+")
_POSSESSIVE = re.compile(r"['’]s?$")
_NUMBERED = re.compile(r"^(?:\d|[IVXL]+$)")
_ABBREV = re.compile(r"(?:[A-Z]\.)+")


@lru_cache(maxsize=1)
def _titles() -> dict[str, str]:
    return lexicons.mapping("structure_titles")


@lru_cache(maxsize=1)
def _longest_title() -> int:
    return max(len(t.split()) for t in _titles())


def structure_relations(sdoc, document: Document, actors: Iterable[LocalActor],
                        mentions: list[Mention], known: Iterable[Relation] = (),
                        times: Iterable[TimeExpr] = ()) -> list[Relation]:
    """part_of / leads / member_of relations that the names and titles of ``document``
    state, without those ``known`` already holds (same source, relation and target).

    Args:
        sdoc: the spaCy ``Doc`` (its sentences, and the token a title's time is read at).
        document: the document; evidence points into ``document.text``.
        actors: the document's actors (their types decide what can own what).
        mentions: actor mentions.
        known: relations found by other rules.
        times: the document's time expressions: a title's relation starts when its
            sentence speaks (as every relation of :mod:`.relations` does).
    """
    text = document.text
    types = {a.key: a.type for a in actors}
    index = MentionIndex(mentions)
    sent_starts, sent_ends = [], []
    for s in sdoc.sents:
        sent_starts.append(s.start_char)
        sent_ends.append(s.end_char)
    seen = {(r.source, r.relation, r.target) for r in known}
    time_list = sorted((t for t in times if t.value), key=lambda t: t.start)
    narrative = Narrative.of(document, time_list)
    # reference lists and notes: a publisher named after a state states nothing
    skipped = apparatus_spans(document)
    out: dict[tuple[str, str, str], Relation] = {}

    def evidence(start: int):
        i = bisect_right(sent_starts, start) - 1
        if i < 0:
            return None
        return sentence_evidence(document.name, text, sent_starts[i], sent_ends[i])

    titled = _titled(text, index, types, lambda pos: sent_starts[max(0, bisect_right(sent_starts, pos) - 1)])
    organs = _formations_in_armies(
        [*_named_after(index.mentions, types), *_owned_before(text, index, types)], types)
    for m, rel, owner, former in [*((m, r, o, False) for m, r, o in organs), *titled]:
        triple = (m.key, rel, owner)
        if m.key == owner or triple in seen or any(a <= m.start < b for a, b in skipped):
            continue
        ev = evidence(m.start)
        if ev is None:
            continue
        if triple in out:
            if len(out[triple].evidence) < 3 and ev not in out[triple].evidence:
                out[triple].evidence.append(ev)
            continue
        start = end = texpr = None
        if rel != "part_of":  # a title holds when the sentence speaks; a name has no time
            start, end, texpr = _title_time(sdoc, m, time_list, text, narrative)
            if former:  # "former Afghan king X": over by the time the sentence speaks of
                start, end = None, end or start
        out[triple] = Relation(m.key, rel, owner, [ev], start=start, end=end, time=texpr)
    return list(out.values())


# --------------------------------------------------------------------------- helpers


def _title_time(sdoc, m: Mention, times: list[TimeExpr], text: str, narrative: Narrative):
    """Start, end and expression of a title read at mention ``m``: the time its sentence
    (or the narrative before it) speaks of, as for any relation."""
    span = sdoc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None or not len(span):
        return None, None, None
    tok = span[0]
    sent = tok.sent
    in_sent = [t for t in times if sent.start_char <= t.start and t.end <= sent.end_char]
    return time_for(tok, in_sent, text, narrative)


def _is_state(key: str, types: dict[str, str]) -> bool:
    return key.startswith("iso:") or types.get(key) == "state"


def _state_key(word: str, types: dict[str, str]) -> str | None:
    """The key of the document's state that ``word`` names or is the demonym of."""
    word = _POSSESSIVE.sub("", word.strip()).strip()
    if not word or not word[0].isupper() or (word.endswith(".") and not _ABBREV.fullmatch(word)):
        return None
    code = country_code(word) or country_code(demonym_state(word) or "")
    key = f"iso:{code}" if code else None
    return key if key in types else None


def _acronym(words: list[str]) -> bool:
    return len(words) == 1 and re.fullmatch(r"[A-Z]{2,6}", words[0]) is not None


def _head_noun(words: list[str]) -> str | None:
    """The last word before the name's prepositional tail ("Agency for X" → "agency")."""
    head = None
    for w in words:
        if w.lower() in _TAIL_PREPS and head is not None:
            break
        head = w
    return head


# --------------------------------------------------------------------------- organs


def _named_after(mentions: list[Mention], types: dict[str, str]) -> Iterator[tuple[Mention, str, str]]:
    """(organ mention, "part_of", owner) for every organ named after its owner."""
    owners: dict[str, str] = {}
    for m in mentions:
        if types.get(m.key) in _OWNER_TYPES or _is_state(m.key, types):
            owners.setdefault(norm(m.text), m.key)
    for m in mentions:
        if types.get(m.key) not in _ORGAN_TYPES:
            continue
        words = m.text.split()
        if words and words[0].lower() == "the":
            words = words[1:]
        for n in range(min(len(words) - 1, 6), 0, -1):
            prefix, rest = " ".join(words[:n]), words[n:]
            owner = _state_key(prefix, types) if n <= 3 else None
            state = owner is not None
            if owner is None:
                owner = owners.get(norm(prefix))
                # A one-word prefix is an owner only as an acronym ("UNTAET Trust Fund").
                if owner is None or (n == 1 and not re.fullmatch(r"[A-Z]{2,}", prefix)):
                    continue
                # "7th Cavalry Regiment", "Indian Infantry Division": a formation's name cut
                # before its head noun is no owner; a body has a name of its own after it.
                if _NUMBERED.match(prefix) or len(rest) < 2 or (
                        _NUMBERED.match(rest[0]) and types.get(owner) != "military_unit"):
                    continue
            if owner == m.key or rest[0][:1].islower() or rest[0].lower() in _TAIL_PREPS:
                continue
            if (state or not _acronym(rest)) and _is_organ(m, rest, types):
                yield m, "part_of", owner
            break


def _is_organ(m: Mention, words: list[str], types: dict[str, str]) -> bool:
    """Whether the name ``words`` of mention ``m`` is an organ's: an organ head noun and no
    insurgent word; a state's acronym agency ("KGB") too."""
    insurgent = lexicons.words("structure_insurgent_words")
    if any(w.lower().strip("'’") in insurgent for w in words):
        return False
    head = (_head_noun(words) or "").lower()
    return head in lexicons.words("structure_organ_nouns") or (
        _acronym(words) and types.get(m.key) in ("intelligence_agency", "military_unit"))


def _has_title(name: str) -> bool:
    """Whether a name holds a person's title or rank ("Rear-Admiral X"), whatever its type."""
    words = set(re.split(r"[\s-]+", name.lower()))
    return bool(words & (lexicons.words("honorifics") | {t for t in _titles() if " " not in t}))


_WORD_BEFORE = re.compile(r"(\S+)[ \t]+$")


def _owned_before(text: str, index: MentionIndex, types: dict[str, str]
                  ) -> Iterator[tuple[Mention, str, str]]:
    """"the Soviet KGB", "Portugal's National Institute of X": an organ whose owner is the
    word right before its name — a state's name or demonym, or any non-person owner in the
    possessive."""
    for m in index.mentions:
        if types.get(m.key) not in _ORGAN_TYPES:
            continue
        before = _WORD_BEFORE.search(text, max(0, m.start - 40), m.start)
        if not before:
            continue
        word = before.group(1)
        owner = None
        if re.search(r"['’]s?$", word):
            hit = index.at(before.start(1))
            # not a bare common word ("the Division's 14th Brigade")
            if hit and (_is_state(hit.key, types) or types.get(hit.key) in _OWNER_TYPES and (
                    len(hit.text.split()) > 1 or _acronym(hit.text.split()))
                    and not _has_title(hit.text)):  # "Rear-Admiral X's squadron": a person
                owner = hit.key
        if owner is None and not index.at(before.start(1)) or (
                owner is None and _is_state(index.at(before.start(1)).key, types)):
            owner = _state_key(word, types)
        words = m.text.split()
        if len(words) == 1 and not _acronym(words):
            continue  # "the French Navy's": a bare "Navy" is every navy of the text
        if owner and owner != m.key and _is_organ(m, words, types):
            yield m, "part_of", owner


#: Heads of formations inside an army ("Bulgarian 7th Division", "Hungarian II Corps").
_FORMATIONS = frozenset({"division", "brigade", "regiment", "battalion", "corps", "squadron",
                         "company", "platoon", "detachment"})
#: Heads of a state's army as a whole.
_ARMIES = frozenset({"army", "forces"})


_ORDINAL_WORDS = frozenset({"first", "second", "third", "fourth", "fifth", "sixth", "seventh",
                            "eighth", "ninth", "tenth", "eleventh", "twelfth"})


def _numbered(name: str) -> bool:
    """Whether a unit's name carries its number ("7th", "II", "Sixth")."""
    return any(re.match(r"^(?:\d|[IVXL]+$)", w) or w.lower() in _ORDINAL_WORDS for w in name.split())


def _formations_in_armies(organs: list[tuple[Mention, str, str]], types: dict[str, str]
                          ) -> list[tuple[Mention, str, str]]:
    """A formation named after a state ("the Bulgarian 7th Division") is part of that state's
    army, when the text names it as one actor ("Bulgarian Army"); with no such army (or
    several) the formation's place is left unsaid rather than skipping a level."""
    def head(m: Mention) -> str:
        return (_head_noun(m.text.split()) or "").lower()

    armies: dict[str, set[str]] = {}
    for m, _, owner in organs:
        if _is_state(owner, types) and head(m) in _ARMIES and not _numbered(m.text):
            armies.setdefault(owner, set()).add(m.key)
    out = []
    for m, rel, owner in organs:
        # only a numbered formation: "Marine Corps" is a service of the state itself
        if _is_state(owner, types) and head(m) in _FORMATIONS and _numbered(m.text):
            army = armies.get(owner, set()) - {m.key}
            if len(army) != 1:
                continue
            owner = next(iter(army))
        out.append((m, rel, owner))
    return out


# --------------------------------------------------------------------------- titles


def _match_title(words: list[str]) -> tuple[str, int] | None:
    """The title that ``words`` end with (longest first) and how many words it takes."""
    titles = _titles()
    low = [w.lower() for w in words]
    for k in range(min(_longest_title(), len(low)), 0, -1):
        phrase = " ".join(low[-k:])
        if phrase in titles:
            return phrase, k
    return None


def _titled(text: str, index: MentionIndex, types: dict[str, str], sent_start
            ) -> Iterator[tuple[Mention, str, str]]:
    """(person mention, leads|member_of, state, former) for a title with its state next to a
    name; ``former`` when the title is said to be over ("former", "late")."""
    demoters = lexicons.words("relations_role_demoters")
    titles = _titles()
    for m in index.mentions:
        if types.get(m.key) != "person":
            continue
        # The title may be written inside the mention ("Tsar Nicholas II") or before it.
        inner = []
        for w in m.text.split():
            if not any(t.split()[0] == w.lower() for t in titles) and w.lower() not in demoters:
                break
            inner.append(w)
        # the words of the sentence (and line) before the name
        first = max(text.rfind("\n", 0, m.start) + 1, sent_start(m.start), m.start - 90)
        before = [(w.group(), w.start()) for w in _WORD.finditer(text, first, m.start)]
        # only the words written right before the name, with no punctuation between
        gap = text[before[-1][1] + len(before[-1][0]):m.start] if before else ""
        if gap and not gap.isspace():
            before = []
        run = [w for w, _ in before] + inner
        found = _match_title(run)
        rel = owner = None
        former = False
        if found:
            title, k = found
            rel = titles[title]
            rest = run[: len(run) - k]
            mods = []
            while rest and rest[-1].lower() in (_TITLE_FILLERS | demoters):
                mods.append(rest.pop().lower())
            # "Defence Minister", "Foreign Secretary": a portfolio word before a minister
            if title in _PORTFOLIO_HEADS and rest and rest[-1][:1].isupper() and \
                    _state_key(rest[-1], types) is None and len(rest) > 1:
                rest.pop()
            if any(w in demoters for w in mods) or any(w.lower() in demoters for w in run[-k:]):
                rel = "member_of"
            # "former" before the title or before its state word ("former Afghan king")
            former = bool(_FORMER & ({*mods} | {w.lower() for w in rest[-3:]}))
            owner = _owner_word(rest, before, index, types)
            if owner is None:
                owner = _of_state_after(text, m.end, index, types)
        else:
            appos = _appositive_title(text, m.end, index, types)
            if appos:
                rel, owner, former = appos
        if rel and owner:
            yield m, rel, owner, former


def _owner_word(rest: list[str], before: list[tuple[str, int]], index: MentionIndex,
                types: dict[str, str]) -> str | None:
    """The state the word(s) right before a title name: "Soviet", "India's", "U.S.",
    "United States"; a mention of a state there counts as well."""
    if not rest:
        return None
    for n in (1, 2, 3):
        if n > len(rest):
            break
        key = _state_key(" ".join(rest[-n:]), types)
        if key:
            # "the Supreme Commander in Japan General X": a state's plain name after a
            # preposition is a place, not the title's state ("of Afghan President X" is)
            name = " ".join(rest[-n:])
            place = len(rest) > n and rest[-n - 1].lower() in _PLACE_PREPS and \
                not re.search(r"['’]s?$|[A-Z]\.|^[A-Z]+$", name) and demonym_state(name) is None
            return None if place else key
    # the last word before the title, when the mention index names it a state
    pos = {w: s for w, s in before}
    start = pos.get(rest[-1])
    if start is not None:
        hit = index.at(start)
        if hit and _is_state(hit.key, types):
            return hit.key
    return None


_OF_AFTER = re.compile(r"[ \t]+of[ \t]+(?:the[ \t]+)?")


def _of_state_after(text: str, end: int, index: MentionIndex, types: dict[str, str]) -> str | None:
    """"Tsar X of Russia": the state named in an "of" phrase right after the name."""
    m = _OF_AFTER.match(text, end)
    if not m:
        return None
    hit = index.at(m.end())
    if hit and hit.start == m.end() and _is_state(hit.key, types):
        return hit.key
    return None


_APPOS = re.compile(r"\s*,\s+(?:(?:the|a|an)\s+)?")


def _appositive_title(text: str, end: int, index: MentionIndex, types: dict[str, str]
                      ) -> tuple[str, str, bool] | None:
    """"X, the Indian envoy to …", "X, a former Soviet minister": a title with its state in
    apposition right after the name."""
    m = _APPOS.match(text, end)
    if not m:
        return None
    words = _WORD.findall(text[m.end():m.end() + 80].split("\n")[0])
    mods = []
    while words and words[0].lower() in _TITLE_FILLERS:
        mods.append(words.pop(0).lower())
    if len(words) < 2:
        return None
    state = None
    for n in (2, 1):
        state = _state_key(" ".join(words[:n]), types)
        if state:
            words = words[n:]
            break
    if state is None:
        return None
    demoters = lexicons.words("relations_role_demoters")
    titles = _titles()
    while words and words[0].lower() in (_TITLE_FILLERS | demoters):
        mods.append(words.pop(0).lower())
    if len(words) > 1 and words[1].lower() in _PORTFOLIO_HEADS and words[0].lower() not in titles:
        words = words[1:]  # "the Indian Defence Minister"
    for k in range(min(_longest_title(), len(words)), 0, -1):
        phrase = " ".join(w.lower() for w in words[:k])
        if phrase in titles:
            nxt = words[k] if len(words) > k else ""
            if nxt.lower() in titles or nxt.endswith("'s") or nxt[:1].isupper():
                # "the Indian army officer …" is not the title alone; "X, Italian General Y
                # occupied …" is Y's title, not X's
                return None
            rel = titles[phrase]
            if any(w in demoters for w in mods):
                rel = "member_of"
            return rel, state, bool(_FORMER & set(mods))
    return None
