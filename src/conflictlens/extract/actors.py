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
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from .. import lexicons
from ..gazetteer import PLACE_SUFFIXES, is_place_name
from ..records import Document, Evidence, LocalActor, Mention, sentence_evidence

_ACTOR_LABELS = {"PERSON", "ORG", "NORP", "GPE", "LOC"}
_PARTICLES = {"bin", "ibn", "al", "el", "van", "von", "de", "da", "del", "der", "la", "le", "abu", "ul"}
# Head nouns after a demonym that make it mean the state acting ("Soviet troops",
# "the Soviet withdrawal"), not a language, a people or a style.
_DEMONYM_HEADS = {
    "forces", "force", "troops", "army", "military", "government", "regime", "soldiers",
    "officials", "authorities", "intelligence", "support", "aid", "withdrawal", "invasion",
    "intervention", "occupation", "air", "airstrikes", "bombing", "offensive", "backing",
    "advisers", "advisors", "embassy", "ambassador", "diplomats", "administration", "leadership",
    "president", "navy", "pilots", "aircraft", "coalition", "-led", "led", "backed", "-backed",
    "delegation", "officers", "commanders", "special", "nationals", "fighters", "volunteers",
    "state", "side",
}
_INFOBOX_SIDE = re.compile(r"^(combatant|belligerent|commander|leader|units?)s?\s*(\d*)$", re.I)
_GLUED_MARKERS = re.compile(r"(?<=[a-z])(KIA|POW|WIA|MIA|DOW|†)\b")
_ALIAS_CUE = re.compile(
    r"^\s*,?\s*\(?\s*(?:also\s+|commonly\s+|popularly\s+|better\s+|widely\s+)?"
    r"(?:known\s+as|called|dubbed|nicknamed|referred\s+to\s+as|a\.k\.a\.?|aka)\s+(?:the\s+)?",
    re.I,
)
_NICKNAME_CUE = re.compile(r"\b(?:nickname|nicknamed)\s+[\"“']?$", re.I)
_ACRONYM = re.compile(r"^[A-Z][A-Za-z0-9&\-.]{1,9}$")
_CAP_SEQ = re.compile(r"[\"“']?((?:[A-Z][\w'’\-]*)(?:\s+(?:of|the|for|and|de|al|[A-Z][\w'’\-]*))*)")


def norm(name: str) -> str:
    """Normalise a name for comparison: accents, case, punctuation, possessive, "the"."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = s.replace("’", "'").replace("‘", "'")
    s = re.sub(r"'s\b", "", s)
    s = re.sub(r"[^a-z0-9]+", " ", s).strip()
    return re.sub(r"^the ", "", s)


@lru_cache(maxsize=4096)
def country_code(name: str) -> str | None:
    """ISO alpha-3 code of a state named ``name`` (current or historical), else None."""
    import pycountry

    name = name.strip()
    if not name or not name[0].isupper():
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


def keyword_type(name: str) -> str | None:
    """The actor type the words of ``name`` imply, scanning from its last word backwards."""
    table = lexicons.mapping("actor_types")
    words = re.findall(r"[A-Za-z]+", name.lower())
    # "Islamic Movement of Uzbekistan": the head is before "of".
    if "of" in words:
        words = words[: words.index("of")]
    for w in reversed(words):
        if w in table:
            return table[w]
    return None


@dataclass
class _Candidate:
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


def _clean_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim leading lower-case words ("the", "i. e.", "a"), a trailing possessive and
    punctuation off ``text[start:end]``."""
    while start < end and text[start].isspace():
        start += 1
    s = text[start:end]
    m = re.match(r"(?:[a-z][\w.]*\.?\s+|The\s+|[\"“'‘]\s*)+", s)
    if m and len(s) > m.end() and s[m.end()].isupper():
        start += m.end()
    while end > start and text[end - 1] in " \t\n.,;:'’\")(":
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
    if country_code(text):
        return "state", 5
    kw = keyword_type(text)
    if kw == "-":
        return None
    if label == "PERSON":
        bare, titled = strip_honorifics(text)
        if kw and not titled and kw not in ("government", "organisation"):
            return kw, 2
        return "person", 2 if titled else 1
    if label == "GPE":
        return (kw, 2) if kw in ("government",) else None  # a city or region: a place
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


def _norp_candidate(ent, text: str) -> _Candidate | None:
    word = text[ent.start_char:ent.end_char]
    if word.lower() in lexicons.words("non_actors"):
        return None
    state = demonym_state(word)
    nxt = ent.doc[ent.end] if ent.end < len(ent.doc) else None
    plural_noun = word.endswith("s") and ent.root.tag_ in ("NNPS", "NNS")
    if state:
        head = nxt.lower_ if nxt is not None else ""
        if head in _DEMONYM_HEADS or (nxt is not None and nxt.text == "-") or plural_noun:
            if plural_noun and word.lower().rstrip("s") not in ("soviet", "american"):
                # "Pashtuns", "Uzbeks": peoples, not states.
                return _Candidate(word, ent.start_char, ent.end_char, "ethnic_group", 1, "NORP")
            return _Candidate(word, ent.start_char, ent.end_char, "state", 5, "DEMONYM")
        return None
    if plural_noun and " " not in word:
        return _Candidate(word, ent.start_char, ent.end_char, "ethnic_group", 2, "NORP")
    return None


def _ner_candidates(sdoc, text: str) -> Iterator[_Candidate]:
    for ent in sdoc.ents:
        if ent.label_ not in _ACTOR_LABELS or "\n" in ent.text:
            continue
        if ent.label_ == "NORP":
            c = _norp_candidate(ent, text)
            if c:
                yield c
            continue
        # "Tajiks, Uzbeks" comes as one entity: each part is a name of its own.
        for m in re.finditer(r"[^,;()]+", ent.text):
            s, e = _clean_span(text, ent.start_char + m.start(), ent.start_char + m.end())
            s, e = _expand_hyphens(text, s, e)
            name = text[s:e]
            if len(name) < 2 or len(name) > 90 or name.count(" ") > 9:
                continue
            after = text[e:e + 30].split()
            if (ent.label_ != "PERSON" or "-" in name) and (
                is_place_name(name) or (after and after[0].lower().strip(".,;") in PLACE_SUFFIXES)
            ):
                continue  # a town or a province: a place, not an actor
            typed = _type_for(name, ent.label_)
            if typed:
                yield _Candidate(name, s, e, typed[0], typed[1], ent.label_)


def _infobox_candidates(document: Document) -> Iterator[_Candidate]:
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
            if country_code(name):
                yield _Candidate(name, s, e, "state", 5, "INFOBOX")
            elif role in ("commander", "leader"):
                kw = keyword_type(name)
                bare, titled = strip_honorifics(name)
                yield _Candidate(name, s, e, kw if kw and not titled else "person", 3, "INFOBOX")
            else:
                yield _Candidate(name, s, e, keyword_type(name) or "armed_group", 3, "INFOBOX")


def _is_acronym_of(short: str, full: str) -> bool:
    """Schwartz–Hearst test: the short form's letters occur in order in the long form,
    the first letter starting a word of it."""
    letters = [c.lower() for c in short if c.isalnum()]
    if len(letters) < 2 or not full:
        return False
    words = re.findall(r"[A-Za-z0-9]+", full)
    if not words or words[0][0].lower() != letters[0]:
        return False
    initials = "".join(w[0].lower() for w in words)
    it = iter(initials)
    if all(c in it for c in letters):
        return True
    it2 = iter(full.lower())
    return all(c in it2 for c in letters)


_PAREN_ACRONYM = re.compile(r"\(\s*([A-Z][A-Za-z0-9&\-.]{1,9})\s*\)")


def _acronym_long_forms(text: str, cands: list[_Candidate]) -> Iterator[_Candidate]:
    """Long forms the tagger missed, read off their acronym: "Liberation Tigers of Tamil
    Eelam (LTTE)" — the shortest run of words before the parenthesis that starts with a
    capitalised word and through which the acronym's letters run (Schwartz & Hearst)."""
    ends = {c.end for c in cands}
    for m in _PAREN_ACRONYM.finditer(text):
        short = m.group(1)
        if short.upper() != short or sum(c.isalpha() for c in short) < 2:
            continue
        before_end = m.start()
        while before_end > 0 and text[before_end - 1] in " \t":
            before_end -= 1
        if before_end in ends:
            continue  # a known name stands right there
        line_start = text.rfind("\n", 0, before_end) + 1
        words = list(re.finditer(r"[\w'’\-]+", text[line_start:before_end]))
        limit = min(len(short) + 5, 2 * len(short))
        for i in range(len(words) - 1, max(-1, len(words) - 1 - limit), -1):
            w = words[i].group(0)
            if not w[0].isupper() or w[0].lower() != short[0].lower():
                continue
            start = line_start + words[i].start()
            long_form = text[start:before_end]
            if _is_acronym_of(short, long_form) and not re.search(r"[.,;:]", long_form):
                yield _Candidate(long_form, start, before_end, keyword_type(long_form) or "organisation",
                                 1, "ACRONYM")
                break


class _UnionFind:
    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def _form_key(c: _Candidate) -> str:
    """The identity of a candidate name before alias linking."""
    if c.type == "state":
        code = country_code(c.text) or country_code(demonym_state(c.text) or "")
        if code:
            return "iso:" + code
    if c.type == "person":
        return norm(strip_honorifics(c.text)[0])
    return norm(c.text)


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
    cands = list(_infobox_candidates(document)) + list(_ner_candidates(sdoc, text))
    cands += list(_acronym_long_forms(text, cands))
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
    # "Full Name (ALIAS)" and "Full Name, also known as Alias".
    for s, e in spans:
        k = by_span[(s, e)]
        after = text[e:e + 120]
        m = re.match(r"\s*\(\s*", after)
        if m:
            inner_start = e + m.end()
            close = text.find(")", inner_start, inner_start + 100)
            if close > inner_start:
                inner = text[inner_start:close].strip()
                inner_span = starts.get(inner_start)
                if inner_span and inner_span[1] == close:
                    link(k, by_span[inner_span], s, close + 1)
                elif _ACRONYM.match(inner) and inner.upper() == inner and _is_acronym_of(inner, text[s:e]):
                    ak = norm(inner)
                    forms[ak][inner] += 1
                    votes[ak][kind(k)] += 1
                    uf.find(ak)
                    link(k, ak, s, close + 1)
        m = _ALIAS_CUE.match(after)
        if m:
            a_start = e + m.end()
            target = starts.get(a_start)
            if target:
                link(k, by_span[target], s, target[1])
            else:
                cap = _CAP_SEQ.match(text, a_start)
                if cap and cap.group(1) and not k.startswith("iso:") and keyword_type(cap.group(1)) != "-":
                    name = cap.group(1)
                    ak = _form_key(_Candidate(name, 0, 0, kind(k), 1, "ALIAS"))
                    forms[ak][name] += 1
                    votes[ak][kind(k)] += 1
                    uf.find(ak)
                    link(k, ak, s, cap.end(1))
    # "earning him the nickname Lion of Panjshir": a person's nickname.
    for m in re.finditer(r"\bnickname(?:d)?\s+[\"“']?", text):
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
            votes[ak]["person"] += 1
            uf.find(ak)
            link(pk, ak, before[0][0], cap.end(1))

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
        atype = tvotes.most_common(1)[0][0] if tvotes else "organisation"
        key = _pick_key(members, atype)
        name = _pick_name(all_forms, atype)
        if key.startswith("iso:") and not country_code(name):
            name = _state_name(all_forms, name)
        evidence = [ev for k in members for ev in link_evidence.get(k, [])]
        actors[key] = LocalActor(key=key, name=name, type=atype,
                                 aliases=set(all_forms) - {name}, evidence=evidence)
        for f in all_forms:
            form_to_key.setdefault(f, key)
    _add_short_forms(actors, form_to_key)
    mentions = _scan_mentions(text, form_to_key, cands, by_span, uf, actors)
    for m in mentions:
        actors[m.key].mentions.append(m)
    out = [a for a in actors.values() if a.mentions]
    for a in out:
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


def _pick_key(members: list[str], atype: str) -> str:
    isos = [k for k in members if k.startswith("iso:")]
    if isos:
        return isos[0]
    return max(members, key=lambda k: (len(k.split()) > 1, len(k)))


def _pick_name(forms: Counter, atype: str) -> str:
    """The display name: a full, frequent form; never an acronym when a long form exists."""
    def score(f: str) -> tuple:
        bare = strip_honorifics(f)[0] if atype == "person" else f
        acronym = f.isupper() and " " not in f
        return (not acronym, len(bare.split()) > 1, forms[f], len(bare))

    best = max(forms, key=score)
    if atype == "person":
        # Prefer "Ahmad Shah Massoud" over "Commander Massoud": the fullest bare name.
        bare_best = max(forms, key=lambda f: (len(strip_honorifics(f)[0].split()), forms[f]))
        if len(strip_honorifics(bare_best)[0].split()) > len(strip_honorifics(best)[0].split()):
            best = bare_best
    return best


def _surname(name: str) -> str | None:
    bare, _ = strip_honorifics(name)
    toks = bare.split()
    if len(toks) < 2:
        return bare if bare != name else None  # "Mullah Omar" → "Omar"
    for i, t in enumerate(toks[1:], 1):
        if t.lower() in _PARTICLES and i < len(toks) - 1:
            return " ".join(toks[i:])  # "Osama bin Laden" → "bin Laden"
    return toks[-1]


def _similar_names(a: str, b: str) -> bool:
    """Transliteration variants of one name: "Ahmad Shah Massoud" / "Ahmed Shah Massoud"."""
    ta, tb = norm(a).split(), norm(b).split()
    if len(ta) != len(tb) or len(ta) < 2 or ta[-1] != tb[-1]:
        return False
    return all(x == y or SequenceMatcher(None, x, y).ratio() >= 0.8 for x, y in zip(ta, tb, strict=True))


def _merge_into(actors: dict[str, LocalActor], form_to_key: dict[str, str], src_key: str, dst_key: str) -> None:
    src = actors.pop(src_key)
    dst = actors[dst_key]
    dst.aliases |= {src.name, *src.aliases} - {dst.name}
    dst.evidence.extend(src.evidence)
    for f, fk in list(form_to_key.items()):
        if fk == src_key:
            form_to_key[f] = dst_key


def _add_short_forms(actors: dict[str, LocalActor], form_to_key: dict[str, str]) -> None:
    """Resolve people's variant and short names inside one document.

    Spelling variants of one full name merge; then a surname ("Massoud", "Omar" of "Mullah
    Omar") is given to the one person carrying it, and one-word actors bearing only that
    surname merge into that person. A surname carried by two people resolves to neither.
    """
    people = sorted((a for a in actors.values() if a.type == "person" and not _is_bare(a)),
                    key=lambda a: -len(a.mentions or ()) - len(a.aliases))
    for i, a in enumerate(people):
        for b in people[i + 1:]:
            if a.key in actors and b.key in actors and _similar_names(a.name, b.name):
                _merge_into(actors, form_to_key, b.key, a.key)
    owners: dict[str, set[str]] = defaultdict(set)
    for a in actors.values():
        # A bare "Massoud" is what is being resolved, not an owner of the surname.
        if a.type != "person" or _is_bare(a):
            continue
        for f in {a.name, *a.aliases}:
            s = _surname(f)
            if s and len(s) > 2 and s[0].isupper():
                owners[s].add(a.key)
    for s, keys in owners.items():
        if len(keys) != 1:
            continue  # "Rabbani" of two Rabbanis stays unresolved
        (k,) = keys
        if s not in form_to_key:
            form_to_key[s] = k
            actors[k].aliases.add(s)
        for b in [b for b in actors.values() if b.key != k and _is_bare(b)]:
            if norm(s) in {norm(strip_honorifics(n)[0]) for n in {b.name, *b.aliases}}:
                _merge_into(actors, form_to_key, b.key, k)


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


def _scan_mentions(text, form_to_key, cands, by_span, uf, actors) -> list[Mention]:
    """Every mention: the candidates' own spans first, then each form wherever it stands."""
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return not any(ts < e and s < te for ts, te in taken)

    # Candidates first: their spans are the tagger's or the infobox's own reading, and the
    # scan below cannot see "MassoudKIA"-like glued names as whole words.
    for c in sorted(cands, key=lambda c: (c.start, -c.end)):
        if not free(c.start, c.end):
            continue
        if c.label == "DEMONYM":
            code = country_code(demonym_state(c.text) or "")
            key = "iso:" + code if code else None
            if key and key not in actors:
                actors[key] = LocalActor(key=key, name=demonym_state(c.text) or c.text, type="state")
        else:
            key = form_to_key.get(c.text)
        if key and key in actors:
            found.append(Mention(key, c.text, c.start, c.end))
            taken.append((c.start, c.end))
    forms = sorted((f for f in form_to_key if len(f) >= 2), key=len, reverse=True)
    if forms:
        pattern = re.compile(r"(?<![\w])(?:" + "|".join(re.escape(f) for f in forms) + r")(?![\w]|-[A-Z])")
        for m in pattern.finditer(text):
            s, e = m.start(), m.end()
            if s > 1 and text[s - 1] == "-" and (not text[s - 2].islower() or re.search(
                    r"[A-Z][\w]*-(?:[a-z]{1,3}-)?$", text[max(0, s - 30):s])):
                continue  # inside "Mazar-i-Sharif", not after "anti-"
            if " " not in m.group(0) and _inside_longer_name(text, s, e):
                continue
            if not free(s, e):
                continue
            found.append(Mention(form_to_key[m.group(0)], m.group(0), s, e))
            taken.append((s, e))
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
