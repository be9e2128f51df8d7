"""Actors: every participant a document names, typed, with all its names and mentions.

How:

1. *Candidates* come from spaCy's named entities (PERSON, ORG, NORP, GPE; LOC only when
   its words say it is an organisation, e.g. "... Alliance") and from the infobox's
   Combatant / Commander / Units lines. GPE entities are actors only when they are states
   (pycountry plus :file:`lexicons/country_aliases.tsv`); other GPEs are places. Demonyms
   ("Pakistani troops", "the Soviets") stand for their state only before a head noun such
   as *troops* or *withdrawal*, or as plural nouns.
2. *Aliases* are read from the text: "Full Name (ACRONYM)" when the acronym's letters run
   through the full name in order (Schwartz & Hearst 2003), "Full Name (Other Name)",
   "X, also known as / known as / called / dubbed / nicknamed Y".
3. *Short forms* of people: "Massoud" after "Ahmad Shah Massoud", "Omar" after "Mullah
   Omar", "bin Laden" after "Osama bin Laden" — only when exactly one person of the
   document carries that surname, so two people sharing a surname are never merged.
4. *Mentions*: every form of every actor is then searched for in the whole text (longest
   first, case-sensitive, whole words), which also finds the names the tagger missed.

Types are voted: a state found in the gazetteer, the infobox line an actor came from,
the keywords of its name (:file:`lexicons/actor_types.tsv`), then the entity label.

References:
    Schwartz, A. & Hearst, M. (2003). A simple algorithm for identifying abbreviation
    definitions in biomedical text. Pacific Symposium on Biocomputing.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from .. import lexicons
from ..gazetteer import PLACE_SUFFIXES, is_place_name
from ..name_norm import norm  # noqa: F401 - defined there, used here and imported from here
from ..records import Document, Evidence, LocalActor, Mention, sentence_evidence
from . import actor_aliases, actor_misreads, actor_surnames
from .actor_forms import (
    definite_peoples,
    government_of,
    government_phrases,
    numbered_units,
    organ_end,
    people_groups,
    regnal_end,
    ruler_names,
    service_name_key,
    service_phrases,
)
from .actor_spans import movement_names, particle_names, widened_names
from .enumerations import enumeration_names
from .figures import apparatus_spans
from .polities import polity_mentions, ruled_places
from .tables import inside_cell, table_actor_names, table_cell_spans, table_side_words

_ACTOR_LABELS = {"PERSON", "ORG", "NORP", "GPE", "LOC"}
# Head nouns after a demonym that make it mean the state acting ("Soviet troops",
# "the Soviet withdrawal"), not a language, a people or a style.
_DEMONYM_HEADS = {
    "forces", "force", "troops", "army", "military", "government", "regime", "soldiers",
    "officials", "authorities", "intelligence", "support", "aid", "withdrawal", "invasion",
    "intervention", "occupation", "air", "airstrikes", "bombing", "offensive", "backing",
    "advisers", "advisors", "embassy", "ambassador", "diplomats", "administration", "leadership",
    "president", "navy", "pilots", "aircraft", "coalition", "-led", "led", "backed", "-backed",
    "delegation", "officers", "commanders", "special", "nationals", "fighters", "volunteers",
    "state", "side", "police", "gendarmerie", "security",
}
_INFOBOX_SIDE = re.compile(r"^(combatant|belligerent|commander|leader|units?)s?\s*(\d*)$", re.I)
_GLUED_MARKERS = re.compile(r"(?<=[a-z])(KIA|POW|WIA|MIA|DOW|†)\b")
# (one optional comma and parenthesis, each with its own spaces: "\s*,?\s*\(?\s*" backtracked cubically)
_ALIAS_CUE = re.compile(
    r"^\s*(?:,\s*)?(?:\(\s*)?(?:also\s+|commonly\s+|popularly\s+|better\s+|widely\s+)?"
    r"(?:known\s+as|called|dubbed|nicknamed|referred\s+to\s+as|a\.k\.a\.?|aka)\s+(?:the\s+)?",
    re.I,
)
_TITLE_CUE = re.compile(
    r"\b(?:nickname[d]?|(?:declared|proclaimed|styled|named)\s+(?:him|her)sel[fv]e?s?|"
    r"took\s+the\s+title(?:\s+of)?|(?:given|gave\s+him|earned)\s+the\s+title(?:\s+of)?)\s+(?:the\s+)?[\"“']?")
_ACRONYM = re.compile(r"^[A-Z][A-Za-z0-9&\-.]{1,9}$")
_CAP_SEQ = re.compile(r"[\"“']?((?:[A-Z][\w'’\-]*)(?:\s+(?:of|the|for|and|de|al|[A-Z][\w'’\-]*))*)")


#: "Islamic Republic of X", "Kingdom of X": the name of one regime of a state, which a
#: conflict text keeps apart from the state itself (and from the regime before or after).
_REGIME_NAME = re.compile(
    r"^(?:[A-Z][\w-]*\s+)*(?:Republic|Emirate|Kingdom|State|Sultanate|Caliphate|Principality|"
    r"Confederation|Federation|Commonwealth|Government|Khanate|Empire)\s+of\s+")


@lru_cache(maxsize=4096)
def country_code(name: str) -> str | None:
    """ISO alpha-3 code of a state named ``name`` (current or historical), else None.

    A regime's name ("Islamic Republic of Afghanistan") is not the state's.
    """
    import pycountry

    name = name.strip()
    if not name or not name[0].isupper() or _REGIME_NAME.match(name):
        return None
    alias = lexicons.mapping("country_aliases").get(name.lower())
    if alias:
        return alias
    for db in (pycountry.countries, pycountry.historic_countries):
        try:
            return db.lookup(name).alpha_3
        except (LookupError, KeyError):
            continue
    return None


def state_code(text: str) -> str | None:
    """The state a phrase names or begins with: "Pakistani" → PAK, "U.S. Trump
    Administration" → USA, "the Clinton administration" → USA."""
    words = text.split()
    executive = executive_state(text)
    if executive:
        return executive
    for n in range(len(words), 0, -1):
        head = " ".join(words[:n])
        code = country_code(head) or country_code(demonym_state(head) or "")
        if code:
            return code
    return None


def executive_state(name: str) -> str | None:
    """The state whose executive a "<surname> administration/government" name is, from
    ``state_executives.tsv`` ("Reagan administration" → USA), else None."""
    m = re.fullmatch(r"(?:the\s+)?(?:(?P<state>[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)\s+)?"
                     r"(?P<sur>[A-Z][\w'’\-]+)[\s-](?P<head>[Aa]dministration|[Gg]overnment)", name.strip())
    if not m:
        return None
    for surname, head, code in lexicons.rows("state_executives"):
        if surname == m.group("sur") and head == m.group("head").lower():
            prefix = m.group("state")
            if prefix and (country_code(prefix) or country_code(demonym_state(prefix) or "")) != code:
                return None  # "the Afghan Carter government" is not the US
            return code
    return None


def organ_acronym(name: str) -> str | None:
    """The acronym of a state organ named with its state in front: "ISI" of "Pakistani ISI",
    "KGB" of "Soviet KGB" — the same body as the bare acronym, whose state the prefix only
    says. Only an all-capital acronym: "Pakistani Taliban" is not the Taliban."""
    m = re.fullmatch(r"([A-Z][\w.]*)\s+([A-Z]{2,6})", name.strip())
    if m and (country_code(m.group(1)) or demonym_state(m.group(1))):
        return m.group(2)
    return None


def demonym_state(word: str) -> str | None:
    """The state a demonym stands for ("Pakistani" → "Pakistan"), else None."""
    dem = lexicons.mapping("demonyms")
    w = word.strip()
    state = dem.get(w.lower()) or (dem.get(w.lower()[:-1]) if w.lower().endswith("s") else None)
    return state or None


@lru_cache(maxsize=1)
def _honorific_re() -> re.Pattern:
    titles = sorted(lexicons.words("honorifics"), key=len, reverse=True)
    alt = "|".join(re.escape(t) for t in titles)
    return re.compile(rf"^(?:(?:{alt})\.?\s+)+", re.I)


def strip_honorifics(name: str) -> tuple[str, bool]:
    """``("Omar", True)`` for "Mullah Omar": the name without leading titles, and whether any."""
    m = _honorific_re().match(name)
    if m and m.end() < len(name):
        return name[m.end():], True
    return name, False


_UNIT_NUMBER = re.compile(r"^(?:\d+(?:st|nd|rd|th)?|[IVXL]+)\b")
_STATE_FORCES = re.compile(
    r"^(.+?)\s+(?:Army|Navy|Air Force|Armed Forces|Marines|Marine Corps|National Guard|Defen[cs]e Forces?)$")


def keyword_type(name: str) -> str | None:
    """The actor type the words of ``name`` imply, scanning from its last word backwards.

    A numbered formation ("40th Army", "055 Brigade") and a state's own service ("Pakistan
    Army", "Soviet Air Force") are military units, not armed groups.
    """
    kind = _keyword_type(name)
    m = _STATE_FORCES.match(name.strip())
    if m and (country_code(m.group(1)) or demonym_state(m.group(1)) or _state_service(m.group(1))):
        return "military_unit"
    if kind in ("armed_group", "military_unit") and _UNIT_NUMBER.match(name.strip()):
        return "military_unit"
    return kind


#: Words between a state's name and "Army" that keep it the state's own service ("Syrian
#: Arab Army", "Afghan National Army"); "Liberation" or "Republican" make a rebel army.
_SERVICE_WORDS = frozenset({"national", "people's", "peoples", "people’s", "arab", "royal", "regular",
                            "federal", "imperial", "armed", "defence", "defense", "islamic republic"})


def _state_service(words: str) -> bool:
    """"Yugoslav People's", "Afghan National": a state's word, then only service words."""
    first, *rest = words.split()
    return bool(rest) and (country_code(first) or demonym_state(first)) is not None and all(
        w.lower() in _SERVICE_WORDS for w in rest)


def _keyword_type(name: str) -> str | None:
    known = lexicons.mapping("known_actors").get(name.strip().lower())
    if known:
        return known
    table = lexicons.mapping("actor_types")
    words = re.findall(r"[A-Za-z]+", name.lower())
    # "Islamic Movement of Uzbekistan": the head is before "of".
    if "of" in words:
        words = words[: words.index("of")]
    for w in reversed(words):
        if w in table:
            if table[w] == "intelligence_agency" and w != "intelligence" and not _SPY_WORDS & set(words):
                return "organisation"  # "Civil Service", "Agency for International Development"
            return table[w]
    return None


#: Words that make an "agency", "service" or "directorate" an intelligence body.
_SPY_WORDS = frozenset({"intelligence", "security", "secret", "counterintelligence", "counter", "espionage",
                        "reconnaissance", "investigation", "investigations"})


@dataclass
class Candidate:
    text: str
    start: int
    end: int
    type: str
    weight: int  # how much to trust ``type``
    label: str  # NER label or "INFOBOX"


_HYPHEN_AFTER = re.compile(r"(?:-(?:[a-z]{1,3}-)?[A-Z][\w’']*)+")
_HYPHEN_BEFORE = re.compile(r"[A-Z][\w’']*-(?:[a-z]{1,3}-)?$")


def _expand_hyphens(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow a span over hyphen-joined capitalised pieces the tokenizer split off:
    "Mazar" → "Mazar-i-Sharif" (but not over "anti-" in "anti-Taliban")."""
    m = _HYPHEN_AFTER.match(text, end)
    if m:
        end = m.end()
    m = _HYPHEN_BEFORE.search(text, max(0, start - 40), start)
    if m:
        start = m.start()
    return start, end


_SENTENCE_ADVERBS = {
    "later", "then", "meanwhile", "however", "eventually", "soon", "finally", "initially",
    "subsequently", "thereafter", "instead", "also", "when", "while", "after", "before", "since",
    "until", "although", "though", "because", "thus", "hence", "yet", "still", "only", "once",
    "now", "today", "afterwards", "earlier", "previously", "nevertheless", "moreover",
}


def _clean_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim leading lower-case words ("the", "i. e.", "a"), a trailing possessive and
    punctuation off ``text[start:end]``."""
    while start < end and text[start].isspace():
        start += 1
    s = text[start:end]
    lead = re.match(r"([A-Z][a-z]+)\s+(?=(?:the\s+)?[A-Z])", s)
    if lead and lead.group(1).lower() in _SENTENCE_ADVERBS:
        start += lead.end()  # "Later the Pakistani ISI": the tagger took the adverb in
        s = text[start:end]
    m = re.match(r"(?:[a-z][\w.]*\.?\s+|The\s+|[\"“'‘]\s*)+", s)
    if m and len(s) > m.end() and (s[m.end()].isupper() or s[m.end()].isdigit()):
        start += m.end()
    while end > start and text[end - 1] in " \t\n.,;:'’\")(”“»&":
        if text[end - 1] == "." and end - 2 >= start and text[end - 2].isupper() and (
            end - 3 < start or text[end - 3] in ". "
        ):
            break  # "U.S." keeps its last dot
        if text[end - 1] in "’'" and end - 2 > start and text[end - 2] == "s":
            end -= 1  # "Mujahideens’" → keep the s, drop the apostrophe
            continue
        end -= 1
    s = text[start:end]
    m = re.search(r"['’]s$", s)
    if m:
        end -= 2
    return start, end


def _type_for(text: str, label: str) -> tuple[str, int] | None:
    """Type and trust of a candidate name, or None when the name is not an actor."""
    if text.lower() in lexicons.words("non_actors") or not any(c.isupper() for c in text):
        return None
    if actor_misreads.not_a_name(text):
        return None  # "anti-Taliban", "un-Islamic", a file name or a URL: not an actor's name
    if country_code(text):
        return "state", 5
    kw = keyword_type(text)
    if kw == "-":
        return None
    if label == "PERSON" and text.isupper() and text.isalpha() and len(text) <= 6:
        return "organisation", 1  # "JUI", "KLA": an acronym is no person's name
    if label == "PERSON":
        bare, titled = strip_honorifics(text)
        if kw and not titled and kw not in ("government", "organisation"):
            return kw, 2
        return "person", 2 if titled else 1
    if label == "GPE":
        # "the Ottoman Empire": a polity, though no country code names it
        if kw == "state":
            return kw, 4  # outvotes the people's word it is linked to ("the Ottomans")
        return (kw, 2) if kw == "government" else None  # else a city or region: a place
    if label == "LOC":
        return (kw, 2) if kw and kw != "government" else None
    if label == "NORP":
        return None  # handled by _norp_candidate
    if kw == "-":
        return None  # a war, an accord, a day: an event or a thing, not an actor
    if strip_honorifics(text)[1]:
        return "person", 2  # "General Naseem Rana" tagged ORG
    if kw:
        return kw, 2
    # A plural of a people ("Pashtuns", "Uzbeks"): an ethnic group.
    if " " not in text and text.endswith("s") and demonym_state(text):
        return "ethnic_group", 1
    return "organisation", 1


#: Heads after a demonym that make it the state even where the document also speaks of
#: the people ("Uzbek government" is Uzbekistan; "Uzbek militia" is the Uzbeks).
_STATE_ORGANS = {
    "government", "army", "military", "troops", "soldiers", "officials", "authorities",
    "president", "embassy", "ambassador", "intelligence", "navy", "air", "pilots", "aircraft",
    "diplomats", "delegation", "administration", "regime", "invasion", "withdrawal",
    "intervention", "occupation", "support", "aid", "backing", "airstrikes", "bombing", "state",
}


def _ethnic_plurals(sdoc, text: str) -> set[str]:
    """One-word plural names of peoples used in the document ("Hazaras", "Tajiks"): tagged
    as such, or the plural of a people's word the tagger saw ("Tamil" → "Tamils")."""
    out = set()
    words = set(re.findall(r"[A-Za-z][\w'’]*", text))  # one pass, not one search per name
    home = Counter(country_code(e.text) for e in sdoc.ents if e.label_ == "GPE")
    home.pop(None, None)
    # "Afghans" in a text about Afghanistan are its people, not one of its ethnic groups.
    home_state = home.most_common(1)[0][0] if home else None
    def home_people(w: str) -> bool:
        return bool(home_state) and state_code(w[:-1] if w.endswith("s") else w) == home_state

    for ent in sdoc.ents:
        w = ent.text
        if home_people(w):
            continue
        if (ent.label_ in ("NORP", "GPE") and len(ent) == 1 and not w.endswith("s") and w[:1].isupper()
                and w.lower() not in lexicons.words("non_actors") and not country_code(w + "s")
                and w.lower() not in ("soviet", "american") and _keyword_type(w) != "-"
                and w + "s" in words):
            out.add(w + "s")
    for ent in sdoc.ents:
        if ent.label_ not in ("NORP", "ORG", "PERSON", "GPE") or len(ent) != 1:
            continue
        w = ent.text
        if home_people(w):
            continue
        stem_seen = w[:-1] in words
        if (len(w) > 3 and w.endswith("s") and w[0].isupper() and not country_code(w)
                and w.lower() not in lexicons.words("non_actors")
                and w[:-1].lower() not in lexicons.words("actor_types")
                # a plural organisation name ("the Tigers") is not a people
                and (ent.label_ == "NORP" or (ent.root.tag_ in ("NNPS", "NNS") and ent.label_ != "ORG")
                     or demonym_state(w) or stem_seen)
                and w.lower().rstrip("s") not in ("soviet", "american")):
            out.add(w)
    return out


def ethnic_key(name: str) -> str:
    """One key for a people's singular and plural names: "Hazara" and "Hazaras"."""
    n = norm(name)
    return "ethnic:" + (n[:-1] if n.endswith("s") else n)


def _norp_candidate(ent, text: str, plurals: set[str]) -> Candidate | None:
    word = text[ent.start_char:ent.end_char]
    if word.lower() in lexicons.words("non_actors"):
        return None
    state = demonym_state(word)
    nxt = ent.doc[ent.end] if ent.end < len(ent.doc) else None
    head = nxt.lower_ if nxt is not None else ""
    plural_noun = word.endswith("s") and ent.root.tag_ in ("NNPS", "NNS")
    if word in plurals or (word + "s" in plurals and head not in _STATE_ORGANS):
        return Candidate(word, ent.start_char, ent.end_char, "ethnic_group", 3, "NORP")
    if state:
        if head in _DEMONYM_HEADS or (nxt is not None and nxt.text == "-") or plural_noun:
            return Candidate(word, ent.start_char, ent.end_char, "state", 5, "DEMONYM")
        return None
    if plural_noun and " " not in word:
        return Candidate(word, ent.start_char, ent.end_char, "ethnic_group", 2, "NORP")
    return None


_OF_TAIL = re.compile(r"(?:\s+(?:of|for)\s+(?:the\s+)?(?:former\s+)?"
                      r"[A-Z][\w'’\-]*(?:\s+(?:and\s+)?[A-Z][\w'’\-]*){0,3})+")


def _extend_titles(text: str, start: int) -> int:
    """Move a person's start back over the titles right before it ("Colonel" + "Imam")."""
    titles = lexicons.words("honorifics")
    while True:
        m = re.search(r"([A-Z][a-z]+)\s+$", text[max(0, start - 25):start])
        if not m or m.group(1).lower() not in titles:
            return start
        start -= len(m.group(0))


_POSSESSOR = re.compile(r"([A-Z][\w\-.]*(?:\s[A-Z][\w\-.]*){0,3})['’]s\s+(?=[A-Z0-9])")


# "(Rubin, 2002)", "(Crist, 1997; Wahab & Youngerman, 2007)", "Rashid (2000)", "(Rashid 2000, p. 45)":
# an author cited is not an actor of the conflict.
_CITATION = re.compile(
    r"\((?:[A-Z][\w'’\-]+(?:\s+(?:et al\.|and|&)\s*(?:[A-Z][\w'’\-]+)?)?,?\s+(?:\d{4}[a-z]?|n\.d\.)"
    r"(?:[,:]\s*pp?\.\s*[\d\-–]+)?(?:;\s*)?)+\)"
    r"|\b[A-Z][\w'’\-]+(?:\s+(?:et al\.|and|&)\s+[A-Z][\w'’\-]+)?\s+\(\d{4}[a-z]?\)")


def citation_spans(text: str) -> list[tuple[int, int]]:
    """Spans of author–year citations, whose names are authors, not actors."""
    return [m.span() for m in _CITATION.finditer(text)]


def _inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _place_heads(text: str) -> set[str]:
    """First words of the hyphenated place names of a text: "Mazar" of "Mazar-i-Sharif",
    which a text may also use alone for the place."""
    return {m.group(1) for m in re.finditer(r"\b([A-Z][a-z]+)-(?:[a-z]{1,3}-)?[A-Z][a-z]+", text)
            if is_place_name(m.group(0))}


_OFFICE_OF = re.compile(r"\b(?:Secretary|Minister|Ministry|Department|Chief|Commissioner|Director)\s+"
                        r"(?:of|for)\s+(?:the\s+)?$")


#: Words before a one-word name that make it a place: "the village of", "near", "outside".
_PLACE_BEFORE = re.compile(
    r"\b(?:(?:village|town|city|district|province|region|valley|town(?:ship)?|hamlet|municipality)\s+of"
    r"|near|outside|around)\s+$", re.I)

_OFFICE_FIELDS = {"defense", "defence", "interior", "state", "war", "justice", "finance", "foreign",
                  "home", "information", "intelligence", "security", "army", "staff"}


def _ner_candidates(sdoc, text: str, plurals: set[str]) -> Iterator[Candidate]:
    place_heads = _place_heads(text)
    # A name is never written in lower case; "Began" or "Bomb" at a line's start is a word.
    lower_words = set(re.findall(r"(?<![\w'’-])[a-z]+(?![\w'’-])", text))
    entity_texts = {e.text for e in sdoc.ents if e.label_ in _ACTOR_LABELS}
    for ent in sdoc.ents:
        if ent.label_ not in _ACTOR_LABELS or "\n" in ent.text:
            continue
        if ent.label_ == "NORP":
            c = _norp_candidate(ent, text, plurals)
            if c:
                yield c
            continue
        # "Tajiks, Uzbeks" comes as one entity: each part is a name of its own.
        # "Raqqa city.[116] The Army": a reference mark or a pipe ends a name too.
        for m in re.finditer(r"[^,;()\[\]|]+", ent.text):
            s, e = _clean_span(text, ent.start_char + m.start(), ent.start_char + m.end())
            s, e = _expand_hyphens(text, s, e)
            if ent.label_ == "PERSON":
                s = _extend_titles(text, s)
            elif ent.label_ == "ORG":
                if re.search(r"\s(?:and|of|for)$", text[s:e]):
                    # "the Federation of Bosnia and" + "Herzegovina": the tagger cut the name
                    more = re.match(r"\s+[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*){0,2}", text[e:e + 60])
                    if more:
                        e += more.end()
                m_of = _OF_TAIL.match(text, e)
                head = text[s:e]
                # Only a name built as "<Body> of/for …" goes on: "Ministry for Promotion of
                # Virtue and Prevention" + " of Vice"; not "Al Qaeda" + " of Osama Bin Laden".
                if m_of and (_keyword_type(head) or re.search(r"\s(?:of|for)\s", head)):
                    e = m_of.end()  # "Ministry for Promotion of Virtue and Prevention" + " of Vice"
            field = re.match(r"(\w+)\s+(?=[A-Z])", text[s:e])
            if field and field.group(1).lower() in _OFFICE_FIELDS and _OFFICE_OF.search(text, max(0, s - 40), s):
                # "Secretary of Defense Massoud": the office's field is not part of the name.
                s += field.end()
            if ent.label_ == "PERSON":
                # "Uzbek Abdul Rashid Dostum", "Pakistani General X": the people's word is
                # not part of the name.
                first = re.match(r"([A-Z][a-z]+)\s+(?=\S+\s+\S)", text[s:e])
                if first and (demonym_state(first.group(1)) or first.group(1) + "s" in plurals):
                    s += first.end()
            poss = _POSSESSOR.match(text, s, e)
            if poss and (poss.group(1) in entity_texts or country_code(poss.group(1))):
                s = poss.end()  # "Hekmatyar's Hezb-e Islami": the party, its leader named apart
            name = text[s:e]
            if len(name) < 2 or len(name) > 90 or name.count(" ") > 9:
                continue
            if ent.label_ == "PERSON" and name.isalpha() and name[1:].islower() and name.lower() in lower_words:
                continue
            if name in plurals or name + "s" in plurals:
                yield Candidate(name, s, e, "ethnic_group", 3, ent.label_)
                continue
            after = text[e:e + 30].split()
            if name in place_heads:
                continue
            if " " not in name and _PLACE_BEFORE.search(text, max(0, s - 40), s) and not country_code(name):
                continue  # "in the village of Račak", "near Bihac": a place the gazetteer lacks
            if (ent.label_ != "PERSON" or "-" in name) and not country_code(name) and (
                is_place_name(name) or (after and after[0].lower().strip(".,;") in PLACE_SUFFIXES)
            ):
                continue  # a town or a province: a place, not an actor
            typed = _type_for(name, ent.label_)
            if typed:
                yield Candidate(name, s, e, typed[0], typed[1], ent.label_)


_SPAN_WORDS = re.compile(r"(?:from|until|since|to|after|before)?\s*[\d\s–—-]+(?:present)?", re.I)


def _infobox_candidates(document: Document) -> Iterator[Candidate]:
    text = document.text
    for f in document.infobox:
        m = _INFOBOX_SIDE.match(f.key)
        if not m:
            continue
        role = m.group(1).lower()
        for piece in re.finditer(r"[^,*;()]+", f.value):
            s = f.start + piece.start()
            e = f.start + piece.end()
            raw = text[s:e]
            cut = raw.lower().find("supported by")
            if cut >= 0:
                e = s + cut
                raw = text[s:e]
            g = _GLUED_MARKERS.search(raw)
            if g:
                e = s + g.start()
            s, e = _clean_span(text, s, e)
            name = text[s:e]
            if len(name) < 2 or not (name[0].isupper() or name[0].isdigit()):
                continue
            if not re.search(r"[A-Za-z]{2}", name) or _SPAN_WORDS.fullmatch(name):
                continue  # "(1994–1995)" after a side: when it fought, not who
            if country_code(name):
                yield Candidate(name, s, e, "state", 5, "INFOBOX")
            elif role in ("commander", "leader"):
                kw = keyword_type(name)
                bare, titled = strip_honorifics(name)
                yield Candidate(name, s, e, kw if kw and kw != "-" and not titled else "person", 3, "INFOBOX")
            else:
                kw = keyword_type(name)
                if kw != "-":  # "Operation Allied Force" on a side: an event, not a party
                    yield Candidate(name, s, e, kw or "armed_group", 3, "INFOBOX")


_EZAFE_NAME = re.compile(r"\b[A-Z][a-z]+-(?:i|e|ul|ye)[\s-][A-Z][\w'’]*(?:\s+[A-Z][a-z][\w'’]*)?")
_NUMBERED_UNIT = re.compile(
    r"\b(?:\d+(?:st|nd|rd|th)|0\d+)\s+(?:[A-Za-z][\w-]*\s+){0,3}?"
    r"(?:Army|Division|Brigade|Regiment|Battalion|Corps|Squadron|Fleet|Wing|Group)"
    r"(?:\s+(?:regiments|brigades|divisions|battalions|units))?\b", re.I)
_LED_BY = re.compile(
    r"\b(?!The\s)(?:[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})-led\s+(?:[a-z]+\s+){0,2}?"
    r"(?P<head>coalition|alliance|forces|troops|government|administration|mission|force)\b")
_RULER_HEADS = ("regime", "government", "administration", "cabinet")
_RULER_AFTER = re.compile(r"[\s-](regime|government|administration|cabinet)\b", re.I)
# "the U.S. Trump Administration": a state's own administration is the state acting.
_STATE_BEFORE = re.compile(r"\b((?:(?!The\b)[A-Z][\w.]*\s+){0,2}(?!The\b)[A-Z][\w.]*)\s+$")
_RULER_BEFORE = re.compile(r"\b(regime|government|administration|cabinet)\s+of\s+$")


def _pattern_candidates(sdoc, text: str, cands: list[Candidate], plurals: set[str]) -> Iterator[Candidate]:
    """Names the tagger misses, read off their shape:

    * ezafe names of parties and militias: "Ittihad-i Islami", "Sipah-i Sahaba";
    * numbered formations: "50th Airborne Division", "12th regular army regiments";
    * led coalitions: "the American-led military coalition", "NATO-led troops";
    * a ruler's government: "the Najibullah regime", "the administration of Hamid Karzai"
      (one actor per ruler, whichever of the two shapes names it).
    """
    taken = [(c.start, c.end) for c in cands]

    def free(s: int, e: int) -> bool:
        return not any(ts < e and s < te for ts, te in taken)

    for plural in plurals:
        for m in re.finditer(rf"\b{re.escape(plural)}\b", text):
            if free(m.start(), m.end()):
                yield Candidate(plural, m.start(), m.end(), "ethnic_group", 3, "PATTERN")
    # An ezafe name covers the pieces the tagger made of it ("Ittihad" + "Islami").
    outer = [(c.start, c.end) for c in cands if c.label == "INFOBOX"]
    for m in _EZAFE_NAME.finditer(text):
        if not any(ts < m.end() and m.start() < te and not (m.start() <= ts and te <= m.end())
                   for ts, te in taken) and not any(ts < m.end() and m.start() < te for ts, te in outer) \
                and not is_place_name(m.group(0)):
            nxt = text[m.end():m.end() + 15].split()
            kind = keyword_type(m.group(0)) or ("political_party" if nxt and nxt[0] == "party" else "armed_group")
            yield Candidate(m.group(0), m.start(), m.end(), kind, 1, "PATTERN")
    for m in _NUMBERED_UNIT.finditer(text):
        if free(m.start(), m.end()) and not _overlaps_date(text, m.start()):
            yield Candidate(m.group(0), m.start(), m.end(), "military_unit", 2, "PATTERN")
    for m in _LED_BY.finditer(text):
        kind = "government" if m.group("head") in ("government", "administration") else "military_unit"
        yield Candidate(m.group(0), m.start(), m.end(), kind, 2, "PATTERN")
    surnames = {c.text.split()[-1] for c in cands if c.type == "person" and len(c.text.split()) > 1}
    for c in cands:
        if c.type != "person" and c.text not in surnames:
            continue
        after = _RULER_AFTER.match(text, c.end)
        before = _RULER_BEFORE.search(text[max(0, c.start - 40):c.start])
        if after and executive_state(text[c.start:after.end()]):
            yield Candidate(text[c.start:after.end()], c.start, after.end(), "state", 5, "DEMONYM")
            continue
        if after:
            state = _STATE_BEFORE.search(text[max(0, c.start - 30):c.start])
            if state and (country_code(state.group(1)) or demonym_state(state.group(1))):
                start = c.start - len(state.group(0))
                yield Candidate(text[start:after.end()], start, after.end(), "state", 5, "DEMONYM")
                continue
            yield Candidate(text[c.start:after.end()], c.start, after.end(), "government", 3, "RULER")
        elif before:
            start = c.start - len(before.group(0))
            yield Candidate(text[start:c.end], start, c.end, "government", 3, "RULER")


_EXECUTIVE = re.compile(r"(?P<state>(?:[A-Z][\w.]*\s+){0,2}?[A-Z][\w.]*)\s+[A-Z][\w'’\-]+[\s-]"
                        r"(?:[Aa]dministration|[Gg]overnment|[Cc]abinet)")


def _widen(text: str, cands: list[Candidate]) -> list[Candidate]:
    """Body names the tagger cut short or missed take the place of their pieces."""
    wide = widened_names(text, [(c.start, c.end, c.type) for c in cands if c.label != "INFOBOX"],
                         keyword_type, lambda w: bool(country_code(w) or demonym_state(w)))
    # "the Emirate of X" where "the Islamic Emirate of X" is named too: a short form of that
    # name, which only the merge of aliases could place; left out rather than split.
    longer = {" ".join(c.text.split()) for c in cands}
    wide = [w for w in wide if not any(n.endswith(" " + " ".join(w[0].split())) for n in longer)]
    peoples = {c.text for c in cands if c.type == "ethnic_group"}
    wide += movement_names(text, lambda w: w in peoples or bool(demonym_state(w)))
    wide += particle_names(text)
    if not wide:
        return cands
    kept = [c for c in cands if c.label == "INFOBOX" or not any(s <= c.start and c.end <= e for _, s, e, _ in wide)]
    return kept + [Candidate(n, s, e, t, 2, "PERSON" if t == "person" else "ORG") for n, s, e, t in wide]


def _polities(text: str, cands: list[Candidate]) -> list[Candidate]:
    """"the Maharaja of X", "X, whose ruler": X's free mentions are a state's (polities.py)."""
    names = {n for n in ruled_places(text) if not country_code(n) and not demonym_state(n) and not any(
        c.text == n and c.type == "person" for c in cands)}
    if not names:
        return []
    taken = [(c.start, c.end) for c in cands]  # a polity's mentions are few: a plain scan
    out = []
    for n, s, e in polity_mentions(text, names):
        if any(ts < e and s < te for ts, te in taken):
            continue  # inside a longer name: "Maharaja of X" stays the office
        after = text[e:e + 20].split()
        if after and after[0].lower().strip(".,;") in PLACE_SUFFIXES:
            continue  # "the X region": the land, not the polity
        out.append(Candidate(n, s, e, "state", 3, "POLITY"))
    return out


def _executives_as_states(cands: list[Candidate]) -> list[Candidate]:
    """"the U.S. Trump Administration" is the United States acting; but "the Afghan Karzai
    government", in a text whose main state is Afghanistan, is one of the governments its war
    is about, an actor of its own. The main state is the one the text names most."""
    states = Counter(state_code(c.text) for c in cands if c.type == "state")
    states.pop(None, None)
    main = states.most_common(1)[0][0] if states else None
    out = []
    for c in cands:
        m = _EXECUTIVE.fullmatch(c.text)
        code = m and (country_code(m.group("state")) or country_code(demonym_state(m.group("state")) or ""))
        if executive_state(c.text) or code and code != main and c.type in ("government", "organisation"):
            c = Candidate(c.text, c.start, c.end, "state", 5, "DEMONYM")
        elif code and code == main and c.label == "DEMONYM":
            c = Candidate(c.text, c.start, c.end, "government", 3, "RULER")
        out.append(c)
    return out


def _overlaps_date(text: str, start: int) -> bool:
    """"the 1990s Army …" is a decade, not a formation."""
    return bool(re.match(r"\d{4}s?\b", text[start:start + 6]))


def name_key(name: str) -> str:
    """:func:`norm` with the linking vowel of transliterated names folded away, so that
    "Hezb-e Islami" and "Hezb-i Islami" are one name."""
    return re.sub(r"(?<=\w) (?:e|i|ye|ul) (?=\w)", " ", norm(name))


def led_link_key(name: str) -> str | None:
    """``led:USA`` for "U.S.-led coalition" / "American-led forces": the coalition a state
    leads, the same in every document."""
    if "-led" not in name:
        return None
    code = state_code(name[: name.index("-led")])
    return f"led:{code}" if code else None


def led_key(name: str) -> str:
    """One key for a coalition, whatever its leader is called: "U.S.-led coalition",
    "United States-led coalition" and "American-led military coalition" are one."""
    m = _LED_BY.fullmatch(name)
    leader = name[: name.index("-led")]
    code = country_code(leader) or country_code(demonym_state(leader) or "")
    head = "government" if m and m.group("head") in ("government", "administration") else "coalition"
    if head == "coalition":
        # A document's "U.S.-led coalition" and "NATO-led troops" are its one coalition;
        # across documents only the full names join (see resolve).
        return "led:coalition"
    return f"led:{code or norm(leader)}:{head}"


def ruler_key(name: str) -> str:
    """One key for a ruler's government, whichever way it is named."""
    m = re.search(r"(?:regime|government|administration|cabinet)\s+of\s+(.+)$", name)
    person = m.group(1) if m else re.sub(r"[\s-](?:regime|government|administration|cabinet)$", "", name)
    sur = actor_surnames.surname(person) or person
    return "gov:" + norm(sur)


class _UnionFind:
    """Disjoint sets of names (here) and of (document, actor key) pairs (in resolve)."""

    def __init__(self):
        self.parent: dict = {}

    def find(self, x):
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def _form_key(c: Candidate) -> str:
    """The identity of a candidate name before alias linking."""
    if c.label == "OFFICE":
        return name_key(" ".join(c.text.split()))
    state = government_of(c.text)
    if state and country_code(state):
        return "iso:" + country_code(state)
    if c.label == "PEOPLE":  # "ethnic Greeks" stays apart from "the Greeks" who stand for Greece
        return "people:" + name_key(c.text)
    if c.label == "SERVICE":
        return service_name_key(c.text, actor_aliases.state_word) or name_key(c.text)
    if c.type == "state":
        code = state_code(c.text)
        if code:
            return "iso:" + code
    organ = organ_acronym(c.text)
    if organ:
        return name_key(organ)
    if c.type == "person":
        return norm(strip_honorifics(c.text)[0])
    if c.type == "ethnic_group" and " " not in c.text.strip():
        return ethnic_key(c.text)
    if c.label == "RULER":
        return ruler_key(c.text)
    led = _LED_BY.fullmatch(c.text)
    if led:
        return led_key(c.text)
    return name_key(c.text)


def extract_actors(sdoc, document: Document) -> tuple[list[LocalActor], list[Mention]]:
    """The actors of one document and all their mentions.

    Args:
        sdoc: the spaCy ``Doc`` of the document (same length as ``document.text``).
        document: the document as read, with its infobox.

    Returns:
        ``(actors, mentions)``: actors with a document-local ``key``, name, type and aliases;
        mentions in text order, each pointing at an actor key.
    """
    text = document.text
    # Author–year citations, and reference sections: publishers, newspapers and the authors
    # of cited works are not parties to the war. An actor of the prose is still found there.
    cites = citation_spans(text) + apparatus_spans(document) + actor_misreads.markup_spans(text)
    plurals = _ethnic_plurals(sdoc, text)
    cands = list(_infobox_candidates(document)) + [
        c for c in _ner_candidates(sdoc, text, plurals) if not _inside(c.start, c.end, cites)]
    cands = _widen(text, cands)
    cands += list(actor_aliases.acronym_long_forms(text, cands))
    patterns = list(_pattern_candidates(sdoc, text, cands, plurals))
    ezafe = [(c.start, c.end) for c in patterns if c.label == "PATTERN" and c.type != "ethnic_group"]
    # A shape read off the text is more specific than the tagger's label for the same words.
    same = {(c.start, c.end) for c in patterns}
    cands = [c for c in cands if c.label == "INFOBOX" or (c.start, c.end) not in same and not any(
        s <= c.start and c.end <= e and (s, e) != (c.start, c.end) for s, e in ezafe)] + patterns
    cands = _executives_as_states(cands)
    cells = table_cell_spans(text)
    if cells:  # a battle list's commanders are people by their column, whatever the tagger said
        cands = [c for c in cands if c.label == "INFOBOX" or not inside_cell(cells, c.start, c.end)] + [
            Candidate(n, s, e, "person", 3, "TABLE") for n, s, e in table_actor_names(text)] + [
            Candidate(w, s, e, "state", 3, "DEMONYM") for w, s, e in table_side_words(text)]
    # "UNTAET's civilian police … from the following countries: A (5), B (80)": the unit and
    # every state of the run, which the tagger reads poorly in a forty-name sentence.
    cands += [Candidate(n, s, e, t, 3, "LIST") for n, s, e, t in enumeration_names(text)]
    # "the Bulgarian army", "Ottoman fleet": a state's service named in lower case.
    cands += [Candidate(n, s, e, "military_unit", 4, "SERVICE")
              for n, s, e, _ in service_phrases(text, actor_aliases.state_word)]
    for c in cands:  # "king George I", "Tsar Ferdinand I": the regnal number is part of the name
        if c.type == "person" and c.label != "INFOBOX":
            e = regnal_end(text, c.start, c.end)
            if e != c.end:
                c.end, c.text = e, text[c.start:e]
        elif c.type in ("organisation", "government") and c.label != "INFOBOX" and len(c.text.split()) >= 2:
            e = organ_end(text, c.end)
            if e != c.end:
                c.end, c.text, c.type = e, text[c.start:e], "organisation"
    covered = bytearray(len(text) + 1)
    for c in cands:
        covered[c.start:c.end] = b"\x01" * (c.end - c.start)
    cands += [Candidate(n, s, e, "person", 2, "RULER") for n, s, e in ruler_names(text) if not any(covered[s:e])]
    cands += [Candidate(n, s, e, "military_unit", 4, "UNIT")
              for n, s, e in numbered_units(text, actor_aliases.state_word)]
    cands += [Candidate(n, s, e, "state", 4, "GOVERNMENT") for n, s, e in government_phrases(text, country_code)]
    cands += _polities(text, cands)
    cands += [Candidate(n, s, e, "ethnic_group", 4, "PEOPLE") for n, s, e in people_groups(
        text, lambda w: bool(country_code(w) or is_place_name(w)))]
    offices = actor_aliases.office_candidates(text, cands)
    cands += [c for c, _, _ in offices]
    uf = _UnionFind()
    forms: dict[str, Counter] = defaultdict(Counter)  # key -> surface forms
    votes: dict[str, Counter] = defaultdict(Counter)  # key -> type -> weight
    link_evidence: dict[str, list[Evidence]] = defaultdict(list)
    by_span: dict[tuple[int, int], str] = {}
    for c in cands:
        k = _form_key(c)
        if not k:
            continue
        uf.find(k)
        forms[k][c.text] += 1
        # Trust the strongest kind of evidence, not the number of times it was seen.
        votes[k][c.type] = max(votes[k][c.type], c.weight)
        by_span[(c.start, c.end)] = k

    def kind(k: str) -> str:
        return votes[k].most_common(1)[0][0] if votes[k] else "organisation"

    def link(a: str, b: str, ev_start: int, ev_end: int) -> None:
        if (kind(a) == "person") != (kind(b) == "person") or a.startswith("iso:") and b.startswith("iso:"):
            return  # a person is never another name of a group; two states never one
        if uf.find(a) != uf.find(b):
            uf.union(a, b)
            link_evidence[a].append(_sentence_of(sdoc, document, ev_start, ev_end))

    spans = sorted(by_span)
    starts = {s: (s, e) for s, e in spans}
    pairings = actor_misreads.paired_names(text)
    actor_aliases.link_services(forms, link, text)
    actor_aliases.link_offices(text, offices, cands, by_span, link)
    # "Full Name (ALIAS)" and "Full Name, also known as Alias".
    for s, e in spans:
        k = by_span[(s, e)]
        after = text[e:e + 120]
        m = re.match(r"[”\"’']?\s*\(\s*", after)
        if m and e not in pairings:  # "Tom Hale (Roosevelt), Ann Day (Wood)": pairs, not aliases
            inner_start = e + m.end()
            close = text.find(")", inner_start, inner_start + 100)
            if close > inner_start:
                inner = text[inner_start:close].strip()
                inner_span = starts.get(inner_start)
                if kind(k) == "person" and inner.isupper() and len(inner) >= 2 \
                        and actor_aliases.is_acronym_of(inner, text[s:e]) and len(text[s:e].split()) >= 2:
                    # "Jamiat Ulema-e-Islam (JUI)" tagged as a person: people have no acronyms
                    votes[k]["organisation"] = max(votes[k]["organisation"], 6)
                if inner_span and inner_span[1] == close:
                    link(k, by_span[inner_span], s, close + 1)
                elif _ACRONYM.match(inner) and inner.upper() == inner and (
                        actor_aliases.is_acronym_of(inner, text[s:e])
                        # "Croatian Defence Council (HVO)": an acronym of the name in its own
                        # language, which the text then uses as the name.
                        or kind(k) not in ("person", "state") and not k.startswith("iso:")
                        and norm(inner) not in forms and inner.isalpha() and 2 <= len(inner) <= 6
                        and re.search(rf"(?<![\w-]){re.escape(inner)}(?![\w-])", text[close:])):
                    ak = norm(inner)
                    forms[ak][inner] += 1
                    votes[ak][kind(k)] += 1
                    uf.find(ak)
                    link(k, ak, s, close + 1)
        cue_at = e
        paren = re.match(r"\s*\([^()]{1,40}\)", after)
        if paren and not _ALIAS_CUE.match(after):
            cue_at = e + paren.end()  # "X (LTTE), also known as the Tamil Tigers"
        m = _ALIAS_CUE.match(text[cue_at:cue_at + 120])
        if m:
            a_start = cue_at + m.end()
            target = starts.get(a_start)
            if target:
                link(k, by_span[target], s, target[1])
            else:
                cap = _CAP_SEQ.match(text, a_start)
                if cap and cap.group(1) and not k.startswith("iso:") and keyword_type(cap.group(1)) != "-":
                    name = cap.group(1)
                    ak = _form_key(Candidate(name, 0, 0, kind(k), 1, "ALIAS"))
                    forms[ak][name] += 1
                    votes[ak][kind(k)] += 1
                    uf.find(ak)
                    link(k, ak, s, cap.end(1))
    # "earning him the nickname Lion of Panjshir", "declared himself Amir-ul-Momineen":
    # another name of the person the sentence is about.
    for m in _TITLE_CUE.finditer(text):
        cap = _CAP_SEQ.match(text, m.end())
        if not cap or not cap.group(1):
            continue
        before = [sp for sp in spans if sp[1] <= m.start() and kind(by_span[sp]) == "person"]
        sent = _sentence_of(sdoc, document, m.start(), m.end())
        before = [sp for sp in before if sp[0] >= sent.start]
        if before:
            pk = by_span[before[0]]
            name = cap.group(1)
            ak = norm(name)
            forms[ak][name] += 1
            votes[ak] = Counter({"person": 3})  # a nickname is the person's, whatever the tagger said
            uf.find(ak)
            link(pk, ak, before[0][0], cap.end(1))

    _type_from_context(text, cands, by_span, votes)
    for named, bare, at in actor_aliases.leader_named_factions(text, cands):
        if named in by_span and bare in by_span:
            link(by_span[named], by_span[bare], at, at + 1)
    for polity, people, form in actor_aliases.polity_peoples(forms, votes):
        at = max(text.find(form), 0)
        link(polity, people, at, at + len(form))
    sides = definite_peoples(text, plurals | {c.text for c in cands if c.label == "DEMONYM" and c.text.endswith("s")})
    for people in sides:
        # "the Serbs attacked": the people, written as a side, stands for its state.
        code = state_code(demonym_state(people) or "")
        if code and "iso:" + code in forms and ethnic_key(people) in forms:
            at = max(text.find(people), 0)
            link("iso:" + code, ethnic_key(people), at, at + len(people))
    for c in cands:
        if c.label == "PEOPLE":  # "ethnic Pashtuns", "Hazara community": the people's own actor
            people_key = ethnic_key(c.text.split()[1] if c.text[:1] in "Ee" and c.text.lower().startswith("ethnic")
                                    else c.text.split()[0])
            if people_key in forms and not uf.find(people_key).startswith("iso:"):
                link(people_key, _form_key(c), c.start, c.end)
    weak: set[str] = set()
    for long_key, short_key, form in actor_aliases.short_name_links(forms, kind, uf.find):
        if uf.find(long_key) != uf.find(short_key):
            at = text.find(form)
            link(long_key, short_key, max(at, 0), max(at, 0) + len(form))
            if not any(actor_aliases.qualified(f, form) for f in forms[long_key]):
                weak.add(form)

    # Group keys into actors.
    groups: dict[str, list[str]] = defaultdict(list)
    for k in list(forms):
        groups[uf.find(k)].append(k)
    actors: dict[str, LocalActor] = {}
    form_to_key: dict[str, str] = {}
    for members in groups.values():
        all_forms: Counter = Counter()
        tvotes: Counter = Counter()
        for k in members:
            all_forms.update(forms[k])
            for t, w in votes[k].items():
                tvotes[t] = max(tvotes[t], w)
        tvotes.pop("-", None)  # "not an actor" is a word's verdict, never an actor's type
        atype = tvotes.most_common(1)[0][0] if tvotes else "organisation"
        if atype == "person":
            # "Lieutenant General Ziauddin Butt" is also plain "Ziauddin Butt".
            for f in list(all_forms):
                bare, titled = strip_honorifics(f)
                if titled and len(bare.split()) >= 2 and bare[:1].isupper():
                    all_forms[bare] += 0
        key = _pick_key(members, atype)
        name = _pick_name(all_forms, atype)
        if key.startswith("iso:") and not country_code(name):
            name = _state_name(all_forms, name)
        # in text order, once each: the order of links found must not change the export
        linked = {(ev.start, ev.end): ev for k in members for ev in link_evidence.get(k, [])}
        evidence = [linked[span] for span in sorted(linked)]
        aliases = set(all_forms) - {name}
        if key.startswith("iso:"):
            # "Pakistani" points at Pakistan in the text but is not one of its names.
            aliases = {f for f in aliases if country_code(f) or not demonym_state(f) or f in sides}
        actors[key] = LocalActor(key=key, name=name, type=atype, aliases=aliases,
                                 evidence=evidence, weak_aliases=set(all_forms) & weak)
        for f in all_forms:
            form_to_key.setdefault(f, key)
    actor_surnames.add_short_forms(actors, form_to_key)
    actor_surnames.add_shared_surnames(actors, form_to_key)
    mentions = [m for m in _scan_mentions(text, form_to_key, cands, by_span, uf, actors)
                if not _inside(m.start, m.end, cites)]
    actor_surnames.shared_surnames_by_recency(actors, mentions, text)
    mentions = actor_misreads.apply(text, sdoc, actors, mentions)
    for m in mentions:
        actors[m.key].mentions.append(m)
    out = [a for a in actors.values() if a.mentions]
    for a in out:
        a.weak_aliases &= a.aliases
        if not a.evidence:
            first = a.mentions[0]
            a.evidence.append(_sentence_of(sdoc, document, first.start, first.end))
    return out, mentions


def _state_name(forms: Counter, fallback: str) -> str:
    """A state's name, never a demonym: "Pakistan" for forms seen only as "Pakistani"."""
    names = [f for f in forms if country_code(f)]
    if names:
        return max(names, key=lambda f: (forms[f], len(f)))
    return demonym_state(fallback) or fallback


#: Words right after a name, or a noun right before it, that say it is an armed group
#: ("al-Qaeda fighters", "the militant group X").
_ARMED_AFTER = frozenset({
    "fighters", "militants", "militia", "militiamen", "guerrillas", "insurgents", "jihadists",
    "operatives", "gunmen", "camps", "training", "cells", "commanders", "suicide", "bombers",
})
_ARMED_BEFORE = re.compile(
    r"\b(?:militant|terrorist|insurgent|rebel|jihadist|armed|guerrilla|paramilitary|extremist)\s+"
    r"(?:group|organi[sz]ation|movement|network|faction|force)\s+(?:the\s+)?$", re.I)


_PERSONAL_TITLE = re.compile(r"\b(?:Mr|Mrs|Ms|Messrs|Dr|Sir|Dame)\.?\s+$")


def _type_from_context(text: str, cands: list[Candidate], by_span: dict, votes: dict) -> None:
    """Sharpen weak types from the words around a name: an organisation whose members are
    "fighters" is an armed group; a "name" sharing its last word with a person is a person."""
    person_last = {c.text.split()[-1] for c in cands if c.type == "person" and c.text.split()}
    for c in cands:
        k = by_span.get((c.start, c.end))
        if k is None or k.startswith(("iso:", "ethnic:")):
            continue
        if _PERSONAL_TITLE.search(text, max(0, c.start - 6), c.start) and c.text[:1].isupper():
            votes[k]["person"] = max(votes[k]["person"], 4)  # "Mr. Piet Tallo", whatever the tagger said
        top = max(votes[k].values(), default=0)
        if top > 1:
            continue  # the name's own words or the infobox already said
        nxt = text[c.end:c.end + 25].split()
        if (nxt and nxt[0].lower().strip(",.;") in _ARMED_AFTER) or _ARMED_BEFORE.search(
                text[max(0, c.start - 60):c.start]):
            votes[k]["armed_group"] = max(votes[k]["armed_group"], 1.5)
        words = c.text.split()
        if (c.type == "organisation" and 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words)
                and words[-1] in person_last):
            votes[k]["person"] = max(votes[k]["person"], 1.5)  # "Ghafar Pahlawan" beside "Abdul Malik Pahlawan"


def _pick_key(members: list[str], atype: str) -> str:
    # "Hazara community" is one way of naming the people keyed by its own name
    members = [k for k in members if not k.startswith("people:")] or members
    isos = [k for k in members if k.startswith("iso:")]
    if isos:
        return isos[0]
    return max(members, key=lambda k: (len(k.split()) > 1, len(k)))


def _qualifiable(f: str, forms: Counter) -> list[str]:
    """The other forms that ``actor_aliases.qualified(f, g)`` can accept: ``f`` ends with
    them after one word ("Afghan Taliban" → "Taliban"). Found by cutting ``f``, not by
    trying every form: a KB actor of many documents has hundreds."""
    out = []
    for i in range(1, len(f)):
        if " " in f[:i].strip():  # two words before the cut: so for every later cut
            break
        if f[i:] in forms:
            out.append(f[i:])
    return out


def _pick_name(forms: Counter, atype: str) -> str:
    """The display name: a full, frequent form; never an acronym when a long form exists."""
    if atype == "state":
        # The name the texts use most: "Russia" over "Russian Federation".
        return max(forms, key=lambda f: (country_code(f) is not None, not (f.isupper() or "." in f), forms[f], len(f)))

    def score(f: str) -> tuple:
        bare = strip_honorifics(f)[0] if atype == "person" else f
        acronym = f.isupper() and " " not in f
        qualified = any(actor_aliases.qualified(f, g) for g in _qualifiable(f, forms))  # "Afghan Taliban" → "Taliban"
        # "Mullah Omar" over the one-word title "Amir-ul-Momineen".
        return (not acronym and not qualified, len(bare.split()) > 1, " " in f, forms[f], len(bare))

    best = max(forms, key=score)
    if atype == "person":
        # Prefer "Ahmad Shah Massoud" over "Commander Massoud": the fullest bare name.
        bare_best = max(forms, key=lambda f: (len(strip_honorifics(f)[0].split()), forms[f]))
        if len(strip_honorifics(bare_best)[0].split()) > len(strip_honorifics(best)[0].split()):
            best = bare_best
    return best


def _is_bare(actor: LocalActor) -> bool:
    """A one-word name ("Dostum", "Mullah Omar") that only the tagger vouched for."""
    return actor.type in ("person", "organisation") and all(
        len(strip_honorifics(n)[0].split()) == 1 for n in {actor.name, *actor.aliases})


_PREV_CAP = re.compile(r"(?<![.!?\n])\s[A-Z][\w’'\-]*\s$")
_NEXT_CAP = re.compile(r"^\s[A-Z][\w’'\-]*")


def _inside_longer_name(text: str, start: int, end: int) -> bool:
    """True for a one-word form that is only a piece of a longer capitalised name:
    "Shah" in "Ahmad Shah Massoud", "Massoud" in "Massoud Day"."""
    return bool(_NEXT_CAP.match(text[end:end + 30]) or
                _PREV_CAP.search(text[max(0, start - 31):start]) and start > 0 and text[start - 1] == " ")


_FACILITY_AFTER = re.compile(
    r"\s+(?:International\s+)?(?:Airport|Airbase|Air Base|Stadium|University|Hospital|Street|Avenue|"
    r"Road|Bridge|Dam|Square|Mosque|Memorial|Foundation|Institute|Museum|Mausoleum|Highway)\b")


def _scan_mentions(text, form_to_key, cands, by_span, uf, actors) -> list[Mention]:
    """Every mention: the candidates' own spans first, then each form wherever it stands."""
    found: list[Mention] = []
    taken = bytearray(len(text) + 1)  # 1 where a mention already stands

    def free(s: int, e: int) -> bool:
        return not any(taken[s:e])

    def take(s: int, e: int) -> None:
        taken[s:e] = b"\x01" * (e - s)

    # Candidates first: their spans are the tagger's or the infobox's own reading, and the
    # scan below cannot see "MassoudKIA"-like glued names as whole words.
    for c in sorted(cands, key=lambda c: (c.start, -c.end)):
        if not free(c.start, c.end):
            continue
        if c.label == "DEMONYM":
            code = state_code(c.text)
            key = "iso:" + code if code else None
            if key and key not in actors:
                actors[key] = LocalActor(key=key, name=demonym_state(c.text) or c.text, type="state")
        else:
            key = form_to_key.get(c.text)
        if key and key in actors:
            found.append(Mention(key, c.text, c.start, c.end))
            take(c.start, c.end)
    forms = sorted((f for f in form_to_key if len(f) >= 2), key=len, reverse=True)
    if forms:
        pattern = re.compile(r"(?<![\w])(?:" + "|".join(re.escape(f) for f in forms)
                             + r")(?![\w]|-(?:[a-z]{1,3}[- ])?[A-Z])")
        for m in pattern.finditer(text):
            s, e = m.start(), m.end()
            if s > 1 and text[s - 1] == "-" and (not text[s - 2].islower() or re.search(
                    r"[A-Z][\w]*-(?:[a-z]{1,3}-)?$", text[max(0, s - 30):s])):
                continue  # inside "Mazar-i-Sharif", not after "anti-"
            if " " not in m.group(0) and _inside_longer_name(text, s, e):
                continue
            if _FACILITY_AFTER.match(text, e, e + 40):
                continue  # "Hamid Karzai International Airport" is a place named after him
            if not free(s, e):
                continue
            found.append(Mention(form_to_key[m.group(0)], m.group(0), s, e))
            take(s, e)
    found.sort(key=lambda m: m.start)
    return found


def _sentence_of(sdoc, document: Document, start: int, end: int) -> Evidence:
    """The sentence (or markup line) around ``[start, end)`` as evidence."""
    text = document.text
    for s, e in document.markup:
        if s <= start < e:
            return sentence_evidence(document.name, text, s, e)
    span = sdoc.char_span(start, max(end, start + 1), alignment_mode="expand")
    if span is not None:
        sent = span.sent
        return sentence_evidence(document.name, text, sent.start_char, max(sent.end_char, end))
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", end)
    return sentence_evidence(document.name, text, ls, le if le >= 0 else len(text))
