"""Names the tagger misreads as actors, and what they are instead.

- *Apparatus*: wiki markup (``Image:x.png|caption``, ``Category:`` runs), URLs and file
  names, and the titles of cited works ("Modern Iraq: A History of War and Peace") hold
  no party to a conflict (:func:`markup_spans`, :func:`not_a_name`).
- *Places*: a "person" or bare "organisation" that the gazetteer knows as a town, whose
  name is built as a place ("Tal Saman", "Mosul Dam"), or that the text only puts where
  places stand ("in X", "near X", "besieged X") is a place (:func:`drop_places`).
- *A people's word*: "Tajik" or "Chechen" tagged as a person is the people, one actor
  for every document (:func:`fold_peoples`).
- *Common words*: an adjective or noun capitalised only because it opens a sentence
  ("Sharp contrasts existed", "Continuation of the conflict between …") is no name.
"""

from __future__ import annotations

import re
from collections import Counter

from .. import lexicons
from ..gazetteer import PLACE_SUFFIXES, is_place_name, lookup
from ..records import LocalActor, Mention

# "Image:SDF fighters.png|SDF fighters near the dam" up to the next gallery item or the
# line's end; "File:" likewise; "Category:Wars of Asia Category:…" to the line's end.
_GALLERY = re.compile(r"\b(?:Image|File):[^\n]*?(?=\s(?:Image|File):|\n|$)")
_CATEGORY = re.compile(r"\bCategory:[^\n]*")
_URL = re.compile(r"(?:https?://|www\.)\S+|\b\S+_\S+\.(?:png|jpe?g|svg|gif|tiff?)\b", re.I)
# "Modern Iraq: A History of War and Peace": a work's title and subtitle, in title case.
# Bounded words and counts: searched through a whole text, a long run of capitalised words
# would otherwise restart a scan to its end at every word (quadratic).
_CAP = r"[A-Z][\w'’\-]{0,30}"
_WORK_TITLE = re.compile(
    rf"\b{_CAP}(?:\s{{1,3}}{_CAP}){{1,12}}:\s+(?:(?:A|An|The)\s+)?{_CAP}"
    rf"(?:\s{{1,3}}(?:of|and|in|for|on|to|the|a|an|{_CAP})){{0,16}}\s{{1,3}}(?:of|and|in|for|on)\s{{1,3}}{_CAP}"
    rf"(?:\s{{1,3}}(?:and\s+)?{_CAP}){{0,12}}")


# A plain line "Notes", "References", "See also": the end matter of an article.
_PLAIN_HEADING = re.compile(r"(?m)^[ \t]*([A-Z][A-Za-z]+(?: [a-z]+)?)[ \t]*$")


_FOOTNOTE = re.compile(r"(?m)^\[\d+\]")
#: End-matter sections whose names are authors, publishers and linked articles; "Notes" and
#: "Footnotes" may explain the text and are read.
_NOTES = frozenset({"notes", "footnotes"})


def end_matter(text: str) -> list[tuple[int, int]]:
    """Spans of the reference sections of an article's end matter ("References", "See also",
    "Bibliography" on a line of their own, in the second half of the text), each up to the
    next such heading: their cited authors and publishers are no actors."""
    names = lexicons.words("figures_skip_sections")
    heads = [(m.start(), m.group(1).lower()) for m in _PLAIN_HEADING.finditer(text, len(text) // 2)
             if m.group(1).lower() in names]
    out = []
    for i, (start, title) in enumerate(heads):
        if title not in _NOTES:
            end = heads[i + 1][0] if i + 1 < len(heads) else len(text)
            note = _FOOTNOTE.search(text, start, end)  # "[1] Shahidulla was held by …": notes are read
            out.append((start, note.start() if note else end))
    return out


_FOOTNOTE_LINE = re.compile(r"(?m)^\[\d+\][^\n]*")
# A quotation in a note ("[5] : \"The valley was held by …\"") is text; page numbers, volumes,
# publishers, ISBNs and retrieval dates make a note a citation.
_QUOTED = re.compile(r"[\"“][^\"”]{40,}[\"”]")
_CITATION_CUE = re.compile(r"\bpp?\.\s*\d|\bVol\.|\bISBN\b|\bRetrieved\b|\bArchived\b|\bPress\b|\bPublish"
                           r"|\bUniversity\b|\(\d{4}\)|,\s*\d{4}\s*[,.)]?\s*$|\b_[^_\n]+_", re.I)


def citation_notes(text: str) -> list[tuple[int, int]]:
    """Footnotes ("[12] Smith, _The War_, p. 71") that only cite a work."""
    return [m.span() for m in _FOOTNOTE_LINE.finditer(text)
            if not _QUOTED.search(m.group(0)) and _CITATION_CUE.search(m.group(0))]


def markup_spans(text: str) -> list[tuple[int, int]]:
    """Spans of markup, URLs, cited works' titles, citing notes and end matter: no name inside
    them is an actor."""
    spans = [m.span() for rx in (_GALLERY, _CATEGORY, _URL) for m in rx.finditer(text)]
    return spans + end_matter(text) + citation_notes(text) + [m.span() for m in _WORK_TITLE.finditer(text)]


_FILE_OR_URL = re.compile(r"_|://|\bwww\.|\.(?:png|jpe?g|svg|gif|org|com|net)\b|\bCategory\b|[\[\]|{}<>]", re.I)
_INITIAL = re.compile(r"^[A-Z]\.$")  # "A." of "Smith, A.": an initial, no name
#: The words of a reference ("Vol. 2", "ed.", "pp. 4–9"): never a name.
_BIBLIOGRAPHIC = frozenset({"vol", "vols", "ed", "eds", "pp", "isbn", "issn", "doi", "oclc", "ibid", "op", "cit",
                            "retrieved", "archived", "trans", "repr", "cf", "et al"})
#: Prefixes that make a word a stance or a quality, never a name: "un-Islamic", "anti-Soviet".
_QUALITY_PREFIX = re.compile(r"(?:anti|pro|non|post|pre|ex|un)-", re.I)


def not_a_name(name: str) -> bool:
    """True for a string no actor is called: a file name, a URL, a wiki link, "un-Islamic",
    one function word ("On", "However" after a reference mark: "… city.[12] On 5 May")."""
    from spacy.lang.en.stop_words import STOP_WORDS

    from .actors import _SENTENCE_ADVERBS

    word = name.strip().lower()
    return bool(_FILE_OR_URL.search(name) or _QUALITY_PREFIX.match(name) or word in _BIBLIOGRAPHIC
                or _INITIAL.match(name)
                or not name.isupper() and (word in STOP_WORDS or word in _SENTENCE_ADVERBS))


# "Tom Hale (Theodore Roosevelt), Ann Day (Leonard Wood)": a list of pairs (an actor and a
# role, a commander and a unit), each name apart from the other.
# Words of at most 40 characters: searched through a whole text, an unbounded word would make
# every capital letter of a long run restart a scan to its end (quadratic).
_NAME = r"[A-Z][\w.'’\-]{0,40}(?:\s{1,9}(?:de|del|von|van|al|bin|la|le|[A-Z][\w.'’\-]{0,40})){0,4}"
_PAIR = re.compile(rf"({_NAME})\s*\(\s*{_NAME}\s*\)")
_PAIR_RUN = re.compile(rf"{_NAME}\s*\(\s*{_NAME}\s*\)(?:\s*(?:,|;|,?\s+and)\s+{_NAME}\s*\(\s*{_NAME}\s*\))+")


def paired_names(text: str) -> set[int]:
    """Ends of the names that open a "Name (Name)" pair in a run of two or more such pairs:
    their parentheses pair two actors; they give no other name of the first."""
    out = set()
    for run in _PAIR_RUN.finditer(text):
        for m in _PAIR.finditer(text, run.start(), run.end()):
            out.add(m.end(1))
    return out


# ---------------------------------------------------------------- places

#: Words before a name that put a place there: "near X", "the village of X"; and the weaker
#: "in X", "at X", which also stand before bodies ("in the Council").
_PLACE_BEFORE = re.compile(
    r"(?:\b(?:near|into|towards?|outside|around|across|along|crossed|besieged|encircled|entered|reached|"
    r"shelled|visited|banks?\s+of|"
    r"recaptured?|retook|(?:attacks?|offensive|assault|advance|march|raids?)\s+on|capture\s+of|"
    r"(?:north|south|east|west)(?:-?(?:east|west))?\s+of|"
    r"(?:town|city|port|village|villages|district|province|region|area|outskirts|fort|fortress|castle|"
    r"siege|battle)\s+of)\s+(?:the\s+)?)$", re.I)
_WEAK_PLACE_BEFORE = re.compile(r"\b(?:in|at|inside|via|through|from|captured|seized)\s+(?:the\s+)?$", re.I)
#: Words after a name that make it a place's, weakly: "the Ayn Issa front", "X fell to the army".
_WEAK_PLACE_AFTER = re.compile(r"\s{1,9}(?:axis|front|sector|countryside|outskirts|suburbs|fell\s+to)\b")
_PLACE_AFTER = re.compile(r",\s+(?:a|an|the)\s+(?:\w+\s+){0,2}(?:town|city|village|district|province|region|"
                          r"fortress|castle|fort|port|river)\b"
                          r"|\s+(?:was|were|had\s+been)\s+(?:\w+ly\s+)?(?:besieged|surrounded|encircled|shelled|"
                          r"recaptured|evacuated|garrisoned|fortified)\b", re.I)
_POSSESSIVE_AFTER = re.compile(r"['’]s?\b")
_NEXT_CAP = re.compile(r"[ \t]+[A-Z]")


def _place_words() -> tuple[frozenset[str], frozenset[str]]:
    rows = lexicons.rows("actor_place_words")
    return (frozenset(r[0].lower() for r in rows if r[1] == "first"),
            frozenset(r[0].lower() for r in rows if r[1] == "last"))


def place_shaped(name: str) -> bool:
    """A name built as a place's: "Tal Saman", "Mosul Dam", "Fort Brest", "Takhar Province"."""
    words = name.split()
    if len(words) < 2:
        return False
    first, last = _place_words()
    return words[0].lower() in first or words[-1].lower() in last or words[-1].lower() in PLACE_SUFFIXES


# A neighbour in a list of names: "Laghman, Samangan, Kunduz and Bamyan".
_LIST_BEFORE = re.compile(r"([A-Z][\w'’\-]*(?:\s[A-Z][\w'’\-]*)?)(?:,\s+|\s+and\s+)$")
_LIST_AFTER = re.compile(r"(?:,\s+|\s+and\s+|\s+or\s+)([A-Z][\w'’\-]*(?:\s[A-Z][\w'’\-]*)?)")
#: Words before a name that make it a person's, not a place's: "under X", "X said".
_PERSON_BEFORE = re.compile(r"\b(?:under|and\s+his|and\s+her)\s+$")
_PERSON_AFTER = re.compile(r"\s{1,9}(?:said|says|told|stated|argued|wrote|writes|himself|herself|who)\b")


def _placed(text: str, m: Mention) -> int:
    """2 where the mention stands where places stand: after "near", "the village of", before
    ", a town", beside a known place in a list; 1 after "in" or "at"; else 0."""
    if _POSSESSIVE_AFTER.match(text, m.end):
        return 0  # "in Massoud's absence": the person's, not a place
    before = text[max(0, m.start - 40):m.start]
    if _PLACE_BEFORE.search(before) or _PLACE_AFTER.match(text, m.end):
        return 2
    nb = _LIST_BEFORE.search(before)
    na = _LIST_AFTER.match(text, m.end, m.end + 40)
    if any(n and lookup(n.group(1)) for n in (nb, na)):
        return 2
    return 1 if _WEAK_PLACE_BEFORE.search(before) or _WEAK_PLACE_AFTER.match(text, m.end) else 0


def _personal(text: str, m: Mention) -> bool:
    return bool(_PERSON_BEFORE.search(text[max(0, m.start - 12):m.start]) or _PERSON_AFTER.match(text, m.end))


def _person_named(a: LocalActor, names: set[str], person_words: Counter) -> bool:
    """The text names ``a`` as a person: with a title, or as part of a longer person's name."""
    from .actors import strip_honorifics

    if any(strip_honorifics(n)[1] for n in names):
        return True
    return any(person_words[w] for n in names for w in n.split())


def drop_places(text: str, actors: dict[str, LocalActor], mentions: list[Mention]) -> set[str]:
    """Keys of the "actors" that are places: a person or bare organisation the gazetteer
    knows as a town, whose name is shaped as a place's, or that the text puts only where
    places stand ("in X", "near X"), and that no title or fuller person's name vouches for."""
    from .actors import country_code, keyword_type

    by_key: dict[str, list[Mention]] = {}
    for m in mentions:
        by_key.setdefault(m.key, []).append(m)
    # Words of the multi-word names of other people: "Khan" of "Ismail Khan" is a name.
    person_words: Counter = Counter()
    for a in actors.values():
        if a.type == "person":
            for n in {a.name, *a.aliases}:
                if len(n.split()) >= 2 and not place_shaped(n) and not is_place_name(n):
                    person_words.update(set(n.split()))
    out = set()
    for key, a in actors.items():
        if a.type not in ("person", "organisation") or key.startswith(("iso:", "ethnic:")):
            continue
        names = {a.name, *a.aliases}
        if any(country_code(n) or n.isupper() for n in names):
            continue
        if a.type == "organisation" and any(keyword_type(n) for n in names):
            continue  # "… Council", "… Front": the name's own words say it is a body
        ms = by_key.get(key, [])
        if not ms:
            continue
        own = Counter()
        for n in names:  # the actor's own full names do not vouch for their own words
            if len(n.split()) >= 2:
                own.update(set(n.split()))
        if _person_named(a, names, person_words - own):
            continue
        if any(_personal(text, m) for m in ms):
            continue
        # "McMahon" of "the McMahon Line" is part of another name: it says nothing
        ms = [m for m in ms if not _NEXT_CAP.match(text, m.end)] or ms
        placed = [_placed(text, m) for m in ms]
        # A town's name may also be a person's ("Brezhnev" was a town): the gazetteer needs one
        # mention where a place stands; else most mentions must stand there, and after more
        # than "in" or "at" for a name of several words ("in the Human Rights Unit").
        one_word = all(" " not in n for n in names)
        if (any(placed) and (is_place_name(a.name) or place_shaped(a.name))
                or sum(p >= (1 if one_word else 2) for p in placed) >= len(ms) / 2):
            out.add(key)
    return out


def place_mentions(text: str, actors: dict[str, LocalActor], mentions: list[Mention]) -> set[int]:
    """Indexes of the mentions where a person's one-word name that is also a town's stands
    as the town: "in Washington" is the city, whoever else the text calls Washington."""
    out = set()
    for i, m in enumerate(mentions):
        a = actors.get(m.key)
        if (a is None or a.type != "person" or " " in m.text or m.text == a.name
                or not lookup(m.text) or _NEXT_CAP.match(text, m.end)):
            continue
        if _placed(text, m) and not _personal(text, m):
            out.add(i)
    return out


# ---------------------------------------------------------------- a people's word

def fold_peoples(actors: dict[str, LocalActor], mentions: list[Mention]) -> dict[str, str]:
    """``{key: people key}`` for one-word "persons" and bare "organisations" that are a
    people's word ("Tajik", "Hazara", "Chechen"): a demonym, or the singular or plural of a
    people the document names. The people's actor is created when the document has none."""
    from .actors import demonym_state, ethnic_key, keyword_type

    peoples = {k for k, a in actors.items() if k.startswith("ethnic:")}
    out: dict[str, str] = {}
    for key, a in list(actors.items()):
        # "Tajik fighters": context may have voted the word an armed group
        if a.type not in ("person", "organisation", "armed_group") or key.startswith(("iso:", "ethnic:")):
            continue
        names = {a.name, *a.aliases}
        if any(" " in n or not n[:1].isupper() for n in names):
            continue
        if a.type != "person" and any(keyword_type(n) for n in names):
            continue
        word = a.name
        target = ethnic_key(word)
        if target not in peoples and not demonym_state(word):
            continue
        if target not in actors:
            actors[target] = LocalActor(key=target, name=word, type="ethnic_group")
            peoples.add(target)
        else:
            actors[target].aliases |= names - {actors[target].name}
        out[key] = target
    return out


# ---------------------------------------------------------------- common words

_FUNCTION = frozenset({"of", "the", "a", "an", "and", "for", "in", "on", "to", "with", "between", "by"})
_OPENS = re.compile(r"(?:^|[.!?:;\]]\s+|\n\s*|[\"“‘(]\s*)$")


def common_words(text: str, sdoc, actors: dict[str, LocalActor], mentions: list[Mention]) -> set[str]:
    """Keys of "actors" that are common words a sentence opens with: one word the tagger
    reads as an adjective, adverb or verb ("Sharp contrasts"), or a phrase whose only capital
    is its first letter ("Continuation of the conflict")."""
    by_key: dict[str, list[Mention]] = {}
    for m in mentions:
        by_key.setdefault(m.key, []).append(m)
    out = set()
    for key, a in actors.items():
        if a.type not in ("person", "organisation") or key.startswith(("iso:", "ethnic:")):
            continue
        ms = by_key.get(key, [])
        if not ms or not all(_OPENS.search(text[max(0, m.start - 4):m.start]) for m in ms):
            continue  # capitalised mid-sentence somewhere: a name
        words = a.name.split()
        if len(words) >= 2 and len(a.aliases) == 0 and all(
                w.islower() for w in words[1:]) and any(w not in _FUNCTION for w in words[1:]):
            out.add(key)
            continue
        if len(words) == 1 and not a.aliases:
            tags = set()
            for m in ms:
                span = sdoc.char_span(m.start, m.end, alignment_mode="expand")
                if span is not None:
                    tags.add(span.root.tag_)
            if tags and tags <= {"JJ", "JJR", "JJS", "RB", "RBR", "RBS", "VB", "VBD", "VBG", "VBN", "VBZ", "VBP",
                                 "IN", "DT", "CC", "MD", "PRP", "WDT", "WRB"}:
                out.add(key)
    return out


def titles_alone(actors: dict[str, LocalActor]) -> set[str]:
    """Keys of "persons" named only by a title: "Pasha" of "Ahmet Pasha, the governor"."""
    from .actor_surnames import _TITLE_AFTER
    from .actors import strip_honorifics

    return {k for k, a in actors.items() if a.type == "person" and all(
        n.lower() in _TITLE_AFTER or not strip_honorifics(n)[0].strip() for n in {a.name, *a.aliases})}


_BODY_TYPES = frozenset({"political_party", "armed_group", "organisation", "government", "military_unit",
                         "intelligence_agency"})


def retype_bodies(actors: dict[str, LocalActor]) -> None:
    """A "people" one of whose names says it is a body ("Communist Party", beside its members
    "the Bolsheviks") is that body: the name's own words outweigh a plural's."""
    from .actors import keyword_type

    for key, a in actors.items():
        if a.type != "ethnic_group" or key.startswith(("ethnic:", "people:")):
            continue
        kinds = {keyword_type(n) for n in {a.name, *a.aliases}} & _BODY_TYPES
        if len(kinds) == 1:
            a.type = kinds.pop()


def apply(text: str, sdoc, actors: dict[str, LocalActor], mentions: list[Mention]) -> list[Mention]:
    """Drop the mentions of misread "actors" and move a people's word to its people."""
    gone = (drop_places(text, actors, mentions) | common_words(text, sdoc, actors, mentions)
            | titles_alone(actors))
    moved = fold_peoples(actors, [m for m in mentions if m.key not in gone])
    towns = place_mentions(text, actors, mentions)
    titles = titles_alone(actors)
    people = {n: k for k, a in actors.items() if a.type == "person" and k not in gone for n in {a.name, *a.aliases}}
    out = []
    for i, m in enumerate(mentions):
        if m.key in titles:  # "Ahmet Pasha" of which the tagger took "Pasha" only
            w = re.search(r"([A-Z][\w'’\-]*)[ \t]+$", text[max(0, m.start - 30):m.start])
            full = f"{w.group(1)} {m.text}" if w else ""
            if full in people:
                start = m.start - len(w.group(0))
                out.append(Mention(people[full], text[start:m.end], start, m.end))
            continue
        if m.key in gone or i in towns:
            continue
        if m.key in moved:
            m = Mention(moved[m.key], m.text, m.start, m.end)
        out.append(m)
    for k in gone | set(moved):
        actors.pop(k, None)
    retype_bodies(actors)
    return out
