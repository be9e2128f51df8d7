"""Actors named by common-noun phrases: a state's armed service written with its demonym
("the Bulgarian army", "Ottoman fleet", "Greece's forces") and a people standing for its
state ("the Serbs attacked").

Pure functions over the text; ``extract/actors.py`` turns what they return into candidates
and alias links.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

#: Nouns that name a state's own armed service. "forces" alone is too loose to be a unit
#: (English says "Indian forces" for the state acting), so it only joins a service the
#: document also names with one of these.
_SERVICE = r"arm(?:y|ies)|fleet|navy|armed\s+forces"
_FORCE = re.compile(
    r"(?<![\w-])(?P<dem>[A-Z][a-z]+)(?:['’]s)?\s+(?:(?:main|regular|field|land|naval)\s+)?"
    rf"(?P<head>{_SERVICE}|forces)\b")


def service_phrases(text: str, state_of) -> Iterator[tuple[str, int, int, str]]:
    """``(name, start, end, key)`` for each "<Demonym> army|fleet|navy|armed forces|forces"
    whose first word ``state_of`` maps to a state; ``key`` is one per state and service
    (its army, its navy). Capitalised heads ("Serbian Army") are proper names the tagger
    already reads; only lower-case heads are returned, and a "forces" phrase only when the
    document also names that state's army."""
    found = []
    for m in _FORCE.finditer(text):
        head = m.group("head")
        if not head[:1].islower():
            continue
        state = state_of(m.group("dem"))
        if not state:
            continue
        kind = "navy" if head in ("fleet", "navy") else "army"
        found.append((m.group(0), m.start(), m.end(), service_key(state, kind), head != "forces"))
    armies = {k for _, _, _, k, named in found if named}
    for name, s, e, key, named in found:
        if named or key in armies:
            yield name, s, e, key


_SERVICE_NAME = re.compile(
    rf"(?:the\s+)?([A-Z][a-z]+)(?:['’]s)?\s+(?:(?:main|regular|field|land|naval)\s+)?({_SERVICE}|forces)", re.I)


def service_name_key(name: str, state_of) -> str | None:
    """The service key of a whole name, written in any case ("Pakistan Army", "Pakistani armed
    forces" → one key), else None."""
    m = _SERVICE_NAME.fullmatch(name.strip())
    state = m and m.group(1)[:1].isupper() and state_of(m.group(1))
    if not state:
        return None
    return service_key(state, "navy" if m.group(2).lower() in ("fleet", "navy") else "army")


def service_key(state: str, kind: str) -> str:
    """One key for all the names of a state's army (or navy) in a document."""
    return f"service:{state.lower()}:{kind}"


#: Words that make a people's mention about ethnicity, not about a side of the war.
_ETHNIC_CONTEXT = re.compile(r"\b(?:ethnic\w*|minorit\w+|tribe\w*|tribal|communit\w+|populations?)\b", re.I)

_PLACED = re.compile(r"\s+(?:(?:of|in|from)\s+(?:the\s+)?(?:[A-Z]|(?:north|south|east|west|central|region"
                     r"|province|countryside|mountains|cities|villages)\b)|living\b|who\s+lived?\b)")


def definite_peoples(text: str, plurals: set[str]) -> set[str]:
    """The plural people words the text mostly writes with "the" ("the Serbs", "the
    Bulgarians"): a war narrative's way of naming the state's side. A people written bare
    ("Uzbeks and Hazaras"), or beside words of ethnicity ("ethnic minorities such as the
    Tajiks"), is an ethnic group and stays one."""
    out = set()
    for p in plurals:
        sides = bare = 0
        for m in re.finditer(rf"(?<![\w-]){re.escape(p)}(?![\w-])", text):
            before = text[max(0, m.start() - 60):m.start()]
            definite = re.search(r"\b[Tt]he\s+$", before)
            if not definite and re.search(r"[A-Z][a-z]+\s+$", before):
                continue  # "Young Turks": the name of a movement, not the people
            after = text[m.end():m.end() + 40]
            # "the Greeks of Macedonia", "the Uzbeks in the north": a population placed somewhere
            if definite and not _ETHNIC_CONTEXT.search(before + after) and not _PLACED.match(after):
                sides += 1
            else:
                bare += 1
        if sides and sides >= bare:
            out.add(p)
    return out


def _office_re() -> re.Pattern:
    from .. import lexicons

    heads = sorted(lexicons.words("actor_offices"), key=len, reverse=True)
    alt = "|".join(r"\s+".join(re.escape(w) for w in h.split()) for h in heads)
    cap = r"[A-Z][\w-]*"
    # (a possessor is at most 60 characters: "[A-Z][\w-]*'s" searched through a long word
    # rescanned it from every capital, quadratically)
    return re.compile(
        rf"(?P<lead>\b(?:[Tt]he|[Mm]y|[Hh]is|[Hh]er|[Ii]ts|[Tt]heir)\s+|[A-Z][\w-]{{0,60}}['’]s\s+|(?P<comma>,\s+))"
        rf"(?P<name>(?P<core>(?:(?!The\b){cap}\s+){{0,2}}?(?P<head>(?i:{alt})))"
        rf"(?P<tail>(?:\s+of\s+(?:the\s+)?{cap}(?:\s+(?:and\s+)?{cap}){{0,2}}){{0,2}})?)(?![\w'’-]|\.\w)")


_OFFICE: list[re.Pattern] = []


def office_names(text: str) -> list[tuple[str, int, int, str | None, bool]]:
    """``(name, start, end, core_of, appositive)`` for each office standing for its holder:
    "the Minister of Foreign Affairs", "my Special Representative", "X, Special Representative
    of the Secretary-General". Every word of the office is capitalised (a role written in
    lower case is a description, not a name), and no personal name follows it ("the Prime
    Minister Nehru" is a title). A bare one-word office ("the Maharaja") is returned only
    when one longer office of the document has that head ("the Maharaja of Kashmir"), and
    ``core_of`` then names that office; otherwise ``core_of`` is None."""
    if not _OFFICE:
        _OFFICE.append(_office_re())
    found = []
    for m in _OFFICE[0].finditer(text):
        name, head = m.group("name"), m.group("head")
        if not all(w[:1].isupper() for w in re.split(r"[\s-]+", m.group("core")) if w):
            continue
        after = text[m.end():m.end() + 30]
        if re.match(r"\s+[A-Z]|\s*\(|\s+for\s+(?:the\s+)?[A-Z]"
                    r"|,\s+(?:(?:Mr|Mrs|Ms|Dr)\.?\s+)?[A-Z][\w'’-]+\s+[A-Z]", after):
            continue  # a title before a name (or its apposition), an office with an acronym
        found.append((name, m.start("name"), m.end("name"), m.group("core"), head, bool(m.group("tail")),
                      bool(m.group("comma"))))
    full: dict[str, set[str]] = {}
    for name, _, _, core, _, tail, _ in found:
        if tail or " " in core.strip() or "-" in core:
            full.setdefault(" ".join(core.lower().split()), set()).add(" ".join(name.split()))
    out = []
    for name, s, e, core, _head, tail, comma in found:
        key = " ".join(core.lower().split())
        longer = sorted(f for f in full.get(key, ()) if f != " ".join(name.split()))
        if comma and not tail:
            continue  # ", Director" alone is a list item more often than an apposition
        if not tail and len(longer) == 1:
            out.append((name, s, e, longer[0], comma))
        elif tail or " " in core.strip() or "-" in core:
            out.append((name, s, e, None, comma))
    return out


#: Office words that also end real names ("Zahir Shah", "Ismail Khan"): such a name still
#: owns short forms.
_NAME_ENDINGS = frozenset({"shah", "sultan", "emir", "amir", "khan", "pasha", "bey"})


def ends_in_office(words: list[str]) -> bool:
    """True for "Force Commander", "Special Representative": an office's name, which owns no
    surname-like short form ("Commander" alone is anybody's title)."""
    from .. import lexicons

    last = words[-1].lower() if words else ""
    return last in lexicons.words("actor_offices") and last not in _NAME_ENDINGS


_ORD = r"\d+(?:st|nd|rd|th)"
_NUMBERED = re.compile(
    rf"(?<![\w-])(?P<dem>[A-Z][a-z]+)\s+{_ORD}(?:(?:\s*,\s*|\s+and\s+){_ORD})*\s+"
    r"(?:[Aa]rm(?:y|ies)|[Dd]ivisions?|[Cc]orps|[Bb]rigades?|[Rr]egiments?|[Bb]attalions?|[Ff]leets?)\b")


def numbered_units(text: str, state_of) -> Iterator[tuple[str, int, int]]:
    """"the Bulgarian 7th division", "Greek 2nd and 1st Army": a state's numbered formation,
    named with its demonym (the tagger reads only "7th division")."""
    for m in _NUMBERED.finditer(text):
        if state_of(m.group("dem")):
            yield m.group(0), m.start(), m.end()


_PEOPLE_GROUP = re.compile(
    r"(?<![\w-])(?P<lead>[Ee]thnic\s+)?(?P<people>[A-Z][a-z]+)"
    r"(?(lead)|\s+(?:community|communities|population|populations|minority|minorities)\b)")


def people_groups(text: str, is_place) -> Iterator[tuple[str, int, int]]:
    """"ethnic Chinese", "the Muslim community", "Slav populations": a people as a group of
    the population, never the state its name may stand for."""
    for m in _PEOPLE_GROUP.finditer(text):
        people = m.group("people")
        if people in ("Its", "Their", "The", "His", "Her", "This", "That", "Our", "Whose", "Local"):
            continue
        if not m.group("lead") and is_place(people):
            continue  # "the Kosovo population" is the place's people, not an ethnic group
        yield m.group(0), m.start(), m.end()


_REGNAL = re.compile(r"[ \t]+(?P<num>[IVX]{1,5})(?![\w'’-])")
_MONARCH_BEFORE = re.compile(
    r"\b(?:king|queen|tsar|czar|emperor|empress|kaiser|sultan|shah|pope|prince|princess|duke|"
    r"archduke|grand\s+duke|pharaoh|caliph)\s+$", re.I)


def regnal_end(text: str, start: int, end: int) -> int:
    """The end of a ruler's name with its regnal number: "George" of "king George I" ends
    after "I". "I" alone is also the pronoun, so it counts only after a monarch's title."""
    m = _REGNAL.match(text, end, end + 8)
    if not m or not re.fullmatch(r"X{0,3}(?:IX|IV|V?I{0,3})", m.group("num")):
        return end
    if m.group("num") == "I" and not _MONARCH_BEFORE.search(text, max(0, start - 20), start):
        return end
    return m.end()


# "King Constantine I", "Sultan Murad III", "Emperor Haile Selassie": a ruler's title before a
# name (and its regnal number), which the tagger may not read as a person.
_RULER = re.compile(
    r"\b(?:[Kk]ing|[Qq]ueen|[Tt]sar|[Cc]zar|[Ee]mperor|[Ee]mpress|[Kk]aiser|[Ss]ultan|[Pp]ope|[Pp]haraoh|"
    r"[Cc]aliph)[ \t]+[A-Z][a-z][\w'’\-]*(?:[ \t]+[A-Z][a-z][\w'’\-]*)?(?:[ \t]+[IVX]{1,5}(?![\w'’-]))?")


def ruler_names(text: str) -> Iterator[tuple[str, int, int]]:
    """``(name, start, end)`` of rulers named with their title: "King Constantine I"."""
    for m in _RULER.finditer(text):
        prev = text[max(0, m.start() - 30):m.start()].split()
        if prev and prev[-1][:1].isupper() and not prev[-1].endswith((".", ":")):
            continue  # "Ahmad Shah", "Prince Sultan": inside a longer name
        name = m.group(0)
        num = re.search(r"[ \t]([IVX]{1,5})$", name)
        if num and not re.fullmatch(r"X{0,3}(?:IX|IV|V?I{0,3})", num.group(1)):
            name = name[:num.start()]
        if re.search(r"[ \t](?:Of|The|And)\b", name) or _act_keyword(name):
            continue
        yield name, m.start(), m.start() + len(name)


def _act_keyword(name: str) -> bool:
    """A name built as a body's or a place's ("King Abdulaziz University"): no ruler."""
    from .actors import keyword_type

    return keyword_type(name) is not None


_GOVERNMENT_OF = re.compile(r"(?:the\s+)?[Gg]overnment\s+of\s+(?:the\s+)?(?P<state>[A-Z][\w.'’ -]+)")


def government_of(name: str) -> str | None:
    """The state of "the Government of India": English names a state acting by its
    government, as it does with "the Indian government". None for "government of Hamid Karzai"."""
    m = _GOVERNMENT_OF.fullmatch(" ".join(name.split()))
    return m.group("state") if m else None


_GOVERNMENT_PHRASE = re.compile(
    r"\b[Gg]overnment\s+of\s+(?:the\s+)?(?P<state>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})")


def government_phrases(text: str, is_state) -> Iterator[tuple[str, int, int]]:
    """Each "Government of <state>" of the text (the longest state name that is one)."""
    for m in _GOVERNMENT_PHRASE.finditer(text):
        words = m.group("state").split()
        for n in range(len(words), 0, -1):
            if is_state(" ".join(words[:n])):
                end = m.start("state") + len(" ".join(words[:n]))
                if text[m.start("state"):end] == " ".join(words[:n]):
                    yield text[m.start():end], m.start(), end
                break


_ORGAN_AFTER = re.compile(r"[ \t]+(?:component|pillar|section)\b")


def organ_end(text: str, end: int) -> int:
    """The end of a body's name with the common noun English puts after the names of a
    mission's parts: "the Governance and Public Administration component"."""
    m = _ORGAN_AFTER.match(text, end, end + 16)
    return m.end() if m else end
