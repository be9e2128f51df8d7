"""Enumerations: "officers from the following countries: Argentina (5),
Australia (80), … and Zimbabwe (20)".

Reports list the contributors of a force as ``Name (number)`` items. Parsers read such runs
poorly (one sentence of forty names, broken by the converter's line breaks), so the run is
read off the text itself:

1. *Items*: every ``(number)`` with the capitalised name just before it ("the Russian
   Federation (3)", "Uruguay\\n- (1)" where a converted PDF broke the line). Items follow
   each other when only a comma, "and" or "the" stands between them; a run of at least
   three items whose names are mostly states (pycountry plus the country aliases) is an
   enumeration.
2. *Lead*: the words of the sentence before the run say what is counted and who receives
   it: a possessed unit ("UNTAET's civilian police", head nouns in
   :file:`lexicons/lists_receiver_nouns.tsv`) or else the last other actor named there; the
   counted noun is the first one after a number of the lead ("8,032 all ranks, including
   198 military observers": the total).
3. *Facts*: one figure per item (the item's number, owned by the item's actor), the lead's
   totals as figures of the receiver (:func:`lead_counts`) and, when the count is of people
   serving in a force, ``supports`` (qualifier ``military``) from each contributor to the
   receiver. Runs whose lead counts nothing known are left alone.

A plain list after "the following countries:" ("A, B, Bosnia and Herzegovina and C", every
piece a state) gives the same ``supports`` without numbers.

The receiving unit ("UNTAET's military component") is usually nobody's named entity: it is
given to the actor extractor as a candidate (:func:`enumeration_names`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from .. import lexicons
from ..records import Document, Figure, Mention, Relation, TimeExpr, sentence_evidence

_NUM_PAREN = re.compile(r"\(\s*(\d{1,3}(?:,\d{3})+|\d+)\s*\)")
_NAME_BEFORE = re.compile(
    r"(?:^|[,;:]|\band\b)\s*(?:the\s+)?"
    r"((?:[A-Z][\w'’.\-]*)(?:(?:[ \t]+|[ \t]*\n-?[ \t]+)(?:of|and|the|da|de|del|[A-Z][\w'’.\-]*))*)[\s\-]*$")
# (one "\s*" before the comma and one after it: two in a row were quadratic on a long gap)
_GAP = re.compile(r"^\s*(?:[,;]\s*)?(?:and\s+)?(?:the\s+)?$", re.I)
_LEAD_NUMBER = re.compile(r"(?<![\w,.])(?:\d{1,3}(?:,\d{3})+|\d+)\s+([a-z]+(?:\s+[a-z]+){0,2})")
#: Nouns counting people serving in a force, beyond figures_nouns' force nouns.
_SERVICE_NOUNS = frozenset({"officers", "observers", "ranks", "police", "policemen", "staff",
                            "monitors", "advisers", "advisors", "instructors", "troops", "personnel"})


@dataclass(frozen=True)
class Item:
    name: str
    start: int  # span of the name
    end: int
    value: int | None  # None in a plain list ("the following countries: A, B and C")
    close: int  # end of ")" (of the name in a plain list)


@dataclass(frozen=True)
class Enumeration:
    items: tuple[Item, ...]
    lead: tuple[int, int]  # the words before the run, from the sentence start
    end: int  # end of the sentence holding the run
    receiver: tuple[str, int, int] | None  # a possessed unit in the lead
    noun: str  # the counted noun of the lead ("officers"), "" when none
    kind: str | None  # figure kind, None when the lead counts nothing known


@lru_cache(maxsize=1)
def _receiver_nouns() -> frozenset[str]:
    return lexicons.words("lists_receiver_nouns")


def _is_state(name: str) -> bool:
    from .actors import country_code  # here: actors imports this module

    # "New  Zealand" in a justified PDF line, "Czech\n- Republic" broken by the converter
    return bool(country_code(_clean(name)))


def _clean(name: str) -> str:
    return " ".join(re.sub(r"\n-?", " ", name).split())


def _items(text: str) -> list[Item]:
    out: list[Item] = []
    for m in _NUM_PAREN.finditer(text):
        lo = max(out[-1].close if out and m.start() - out[-1].close < 80 else 0, m.start() - 80)
        window = text[lo:m.start()]
        n = _NAME_BEFORE.search(window)
        if not n:
            continue
        s, e = lo + n.start(1), lo + n.end(1)
        out.append(Item(text[s:e], s, e, int(m.group(1).replace(",", "")), m.end()))
    return out


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """A sentence by punctuation: parsers split a long enumeration at odd places."""
    cut = max(text.rfind("\n", 0, start), text.rfind(". ", 0, start))
    lo = cut + 1 if cut >= 0 else 0
    m = re.compile(r"\.(?=\s|$)").search(text, end)
    hi = m.end() if m else len(text)
    para = text.find("\n\n", end)
    return lo, para if 0 <= para < hi else hi


def _lead_facts(text: str, lo: int, hi: int) -> tuple[tuple[str, int, int] | None, str, str | None]:
    lead = text[lo:hi]
    receiver = None
    for m in re.finditer(r"([A-Z][\w\-]*(?:\s+[A-Z][\w\-]*)*)['’]s((?:\s+[a-z\-]+){1,4})", lead):
        # "UNTAET's civilian police grew": the unit ends at its head noun.
        words = list(re.finditer(r"[a-z\-]+", m.group(2)))
        head = next((w for w in words if w.group(0) in _receiver_nouns()), None)
        if head is not None:
            s, e = lo + m.start(1), lo + m.start(2) + head.end()
            receiver = (" ".join(text[s:e].split()), s, e)
    nouns = {r[0].lower(): r[1] for r in lexicons.rows("figures_nouns")}
    noun, kind = "", None
    for m in _LEAD_NUMBER.finditer(lead):
        words = m.group(1).lower().split()
        at = next((i for i, w in enumerate(words) if w in nouns or w in _SERVICE_NOUNS), None)
        if at is not None:  # "8,032 all ranks, including 198 military observers": the total
            noun = " ".join(words[:at + 1])
            kind = nouns.get(words[at], "force_size")
            break
    if kind is None and receiver is not None:
        kind = "force_size"  # "the force is drawn from: A (n), B (m)"
    return receiver, noun, kind


@lru_cache(maxsize=8)
def find_enumerations(text: str) -> tuple[Enumeration, ...]:
    """Runs of ``Name (number)`` items with what their sentence says they count."""
    items = _items(text)
    runs: list[list[Item]] = []
    for it in items:
        if runs and _GAP.match(text[runs[-1][-1].close:it.start]):
            runs[-1].append(it)
        else:
            runs.append([it])
    out = []
    for run in runs:
        if len(run) < 3 or sum(_is_state(i.name) for i in run) * 2 < len(run):
            continue
        if all(i.value is not None and 1000 <= i.value <= 2100 and "," not in text[i.end:i.close] for i in run):
            continue  # "Bosnia (1995), Kosovo (1999) and Libya (2011)": years, not counts
        lo, hi = _sentence_bounds(text, run[0].start, run[-1].close)
        receiver, noun, kind = _lead_facts(text, lo, run[0].start)
        out.append(Enumeration(tuple(run), (lo, run[0].start), hi, receiver, noun, kind))
    taken = [(en.lead[0], en.end) for en in out]
    for m in _FOLLOWING.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        lo, hi = _sentence_bounds(text, m.start(), m.end())
        plain = _plain_items(text, m.end(), hi)
        if len(plain) >= 2:
            receiver, noun, kind = _lead_facts(text, lo, m.end())
            out.append(Enumeration(tuple(plain), (lo, m.end()), hi, receiver, noun, kind))
    return tuple(out)


#: "from the following countries:" announces a list of contributors, numbers or not.
_FOLLOWING = re.compile(
    r"\bthe\s+following\s+(?:countries|states|nations|member\s+states|governments)\s*:\s*", re.I)


def _plain_items(text: str, start: int, end: int) -> list[Item]:
    """The states of "A, B, the C and D" up to ``end``; nothing when a piece is no state.
    A piece is tried whole first, so "Bosnia and Herzegovina" stays one state."""
    out: list[Item] = []

    def add(s: int, e: int) -> bool:
        m = re.match(r"\s*(?:and\s+)?(?:the\s+)?", text[s:e])
        s += m.end() if m else 0
        while e > s and (text[e - 1].isspace() or text[e - 1] == "."):
            e -= 1
        if s >= e or not _is_state(text[s:e]):
            return False
        out.append(Item(text[s:e], s, e, None, e))
        return True

    for m in re.finditer(r"[^,;]+", text[start:end]):
        s, e = start + m.start(), start + m.end()
        if add(s, e):
            continue
        cut = [a.start() + s for a in re.finditer(r"\s+and\s+", text[s:e])]
        bounds = [s, *cut, e]
        if not cut or not all(add(a, b) for a, b in zip(bounds, bounds[1:], strict=False)):
            return []
    return out


def enumeration_names(text: str) -> list[tuple[str, int, int, str]]:
    """(name, start, end, type) of the actors an enumeration names: its states (the tagger
    misses some in a forty-name run) and the unit that receives them."""
    out = []
    for en in find_enumerations(text):
        if en.kind is None:
            continue
        out.extend((i.name, i.start, i.end, "state") for i in en.items
                   if _is_state(i.name) and "\n" not in i.name)
        if en.receiver is not None:
            out.append((text[en.receiver[1]:en.receiver[2]], en.receiver[1], en.receiver[2], "military_unit"))
    return out


_LEAD_COUNT = re.compile(r"(?<![\w,.])(\d{1,3}(?:,\d{3})+|\d+)(?![\w,])((?:\s+[a-z]+){0,3})")


def lead_counts(text: str, en: Enumeration) -> list[tuple[int, str]]:
    """The totals the lead states of the same force: "8,032 all ranks, including 198
    military observers", "grew from 400 to 1,270 officers" (both ends of a change)."""
    if en.kind != "force_size":
        return []
    nouns = {r[0].lower() for r in lexicons.rows("figures_nouns")} | _SERVICE_NOUNS
    out: list[tuple[int, str]] = []
    pending: list[int] = []  # "from 400 to": a number whose noun comes after the next one
    for m in _LEAD_COUNT.finditer(text, en.lead[0], en.lead[1]):
        value = int(m.group(1).replace(",", ""))
        words = m.group(2).split()
        at = next((i for i, w in enumerate(words) if w.lower() in nouns), None)
        if at is not None:
            noun = " ".join(words[:at + 1])
            out.extend((v, noun) for v in pending)
            out.append((value, noun))
            pending = []
        elif words[:1] == ["to"] and re.search(r"\bfrom\s+(?:\w+\s+)?$", text[en.lead[0]:m.start()]):
            pending.append(value)
        else:
            pending = []
    return out


def covered_by_enumeration(text: str, figure: Figure) -> bool:
    """True when ``figure`` (read from prose) is one of an enumeration's item numbers or lead
    totals (or the "from 400 to 1,270" change the prose reader took for a range): the
    enumeration reads them with their owner, once."""
    ev = figure.evidence[0] if figure.evidence else None
    if ev is None or figure.low is None:
        return False
    for en in find_enumerations(text):
        if en.kind is None or not (en.lead[0] < ev.end and ev.start < en.end):
            continue
        totals = {v for v, _ in lead_counts(text, en)}
        if figure.low == figure.high and (figure.low in totals or any(i.value == figure.low for i in en.items)):
            return True
        if figure.low in totals and figure.high in totals:
            return True
    return False


def enumeration_facts(document: Document, mentions: list[Mention],
                      times: list[TimeExpr] | None = None) -> tuple[list[Figure], list[Relation]]:
    """Figures (one an item) and ``supports`` relations of the enumerations of ``document``."""
    text = document.text
    enums = [e for e in find_enumerations(text) if e.kind is not None]
    if not enums:
        return [], []
    by_span = sorted((m.start, m.end, m.key) for m in mentions)
    figures: list[Figure] = []
    relations: list[Relation] = []
    starts = [s for s, _, _ in by_span]

    def key_in(s: int, e: int) -> str | None:
        i = bisect.bisect_left(starts, s)
        while i < len(by_span) and by_span[i][0] < e:
            if by_span[i][1] <= e:
                return by_span[i][2]
            i += 1
        return None

    for en in enums:
        ev = sentence_evidence(document.name, text, en.lead[0], en.end)
        receiver_key = key_in(en.receiver[1], en.receiver[2]) if en.receiver else None
        if receiver_key is None:
            # The last actor of the lead that is not a contributor ("the Force drew on: …").
            lead_keys = [k for s, e, k in by_span if en.lead[0] <= s and e <= en.lead[1]]
            receiver_key = lead_keys[-1] if lead_keys else None
        rname = en.receiver[0] if en.receiver else ""
        period = [t.value for t in (times or []) if t.value and en.lead[0] <= t.start < en.end]
        for value, noun in lead_counts(text, en):
            figures.append(Figure(kind="force_size", low=value, high=value,
                                  what=f"{noun}" + (f" of {rname}" if rname else ""), evidence=[ev],
                                  who="combatants", actor=receiver_key))
        for it in en.items:
            owner = key_in(it.start, it.end)
            if en.kind == "force_size" and owner and receiver_key and owner != receiver_key:
                relations.append(Relation(owner, "supports", receiver_key, [ev], qualifier="military"))
            if it.value is None:  # a plain list: who contributes, not how many
                continue
            what = f"{en.noun or 'personnel'} from {_clean(it.name)}" + (f" in {rname}" if rname else "")
            figures.append(Figure(kind=en.kind, low=it.value, high=it.value, what=what, evidence=[ev],
                                  who="combatants" if en.kind == "force_size" else "unknown",
                                  period_start=period[0] if period else None,
                                  period_end=period[-1] if period else None, actor=owner))
    return figures, relations
