"""Organisation names the tagger cut short or missed, widened over their title-case words.

In text laid out with doubled spaces (reports converted from PDF) the tagger often keeps only
the tail of a name ("a Joint [Border Committee]"), splits one name in two ("[the International
Committee] of the [Red Cross]") or misses it ("the Police Training College"). A name is a run of
capitalised words on one line; the run is widened only when its last word is a body's head
word (committee, service, party ...), so a sentence's first word or a place is not taken in.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

#: Types whose names are built as "<words> <head>".
_BODY_TYPES = {"organisation", "government", "political_party", "armed_group", "intelligence_agency"}

#: A capitalised word; a possessive ends the run ("the Alliance's State" is two names).
_WORD = r"[A-Z][\w\-]*(?:['’](?!s\b)[\w\-]+)*"
#: Capitalised words (a short "of the"/"for" inside) after a determiner, on one line.
_RUN = re.compile(rf"\b(?:[Tt]he|an?)[ \t]+"
                  rf"(?P<name>{_WORD}(?:[ \t]+(?:(?:of|for)(?:[ \t]+the)?[ \t]+)?{_WORD}){{0,5}})")

#: Heads that name what a body does rather than a body, unless the tagger took it for one.
_ACTIVITY_HEADS = frozenset({"programme", "program", "project", "plan", "initiative", "scheme"})

#: What may stand between two tagged pieces of one name: "Committee" of the "Red Cross".
_JOIN = re.compile(r"[ \t]+(?:of|for)(?:[ \t]+the)?[ \t]+")


def widened_names(text: str, spans: list[tuple[int, int, str]],
                  body_type: Callable[[str], str | None],
                  is_state: Callable[[str], bool]) -> list[tuple[str, int, int, str]]:
    """``(name, start, end, type)`` of the body names after a determiner whose run covers a
    tagged name, or no tagged name at all, and ends on a body's head word.

    ``spans`` are the tagged candidates ``(start, end, type)``; ``body_type`` gives the type
    a name's head word implies; ``is_state`` tells a country or demonym, which starts no body
    name of its own ("the Afghan Interior Ministry" is left to the state rules).
    """
    out = []
    ordered = sorted(spans)
    starts = [a for a, _, _ in ordered]
    for m in _RUN.finditer(text):
        s, e = m.start("name"), m.end("name")
        words = re.split(r"[ \t]+", m.group("name"))
        # The run must end on a head word, or have one before "of" ("Service", "Committee"): a run ending elsewhere is
        # some other kind of name.
        # "International Committee of the Red Cross": the head is before "of".
        head = words[words.index("of") - 1] if "of" in words else words[-1]
        kind = body_type(m.group("name")) if body_type(head) else None
        if kind not in _BODY_TYPES or len(words) < 2 or is_state(words[0]):
            continue
        # Only spans starting shortly before the run can reach into it (names are short).
        near = ordered[bisect.bisect_left(starts, s - 120):bisect.bisect_left(starts, e)]
        inner = [(a, b) for a, b, _ in near if a < e and s < b]
        if any(a < s or b > e for a, b in inner):
            continue  # crosses a tagged name: not ours to cut
        if not inner and head.lower() in _ACTIVITY_HEADS:
            continue  # "the Small Loans Programme": an activity a body runs, not a body
        if inner and all((a, b) == (s, e) for a, b in inner):
            continue  # the tagger had it already
        inner.sort()
        if any(not _JOIN.fullmatch(text[b:a2]) for (_, b), (a2, _) in zip(inner, inner[1:], strict=False)):
            continue  # "the Northern Alliance Islamic State": two names side by side, not one
        out.append((text[s:e], s, e, kind))
    return out


#: "the Young Turks", "Young Czechs": a people's name after "Young" names a political movement.
_MOVEMENT = re.compile(r"\bYoung\s+(?P<people>[A-Z][a-z]+s)\b")


def movement_names(text: str, is_people: Callable[[str], bool]) -> list[tuple[str, int, int, str]]:
    """``(name, start, end, "political_party")`` of "Young <people>" names."""
    return [(m.group(0), m.start(), m.end(), "political_party") for m in _MOVEMENT.finditer(text)
            if is_people(m.group("people"))]


#: "General Jaime de los Santos", "Dr. Ana da Costa": a titled name with lower-case particles,
#: which the tagger cuts at the particle.
_PARTICLE_NAME = re.compile(
    r"\b(?:General|Colonel|Major|Captain|Admiral|Commander|Brigadier|President|Ambassador|Judge|Minister"
    r"|Mr\.?|Mrs\.?|Ms\.?|Dr\.?)\s+"
    r"(?P<name>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?(?:\s+(?:de|da|del|della|dos|das|do|van|von|der|den|la|las|los|le|du))+"
    r"\s+[A-Z][a-z]+)\b")


def particle_names(text: str) -> list[tuple[str, int, int, str]]:
    """``(name, start, end, "person")`` of titled names with lower-case particles."""
    return [(m.group("name"), m.start("name"), m.end("name"), "person") for m in _PARTICLE_NAME.finditer(text)]
