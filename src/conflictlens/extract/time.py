"""Time expressions: dates, spans, vague and narrative times, normalised TimeML-style.

:func:`find_times` reads every time expression of a document — absolute dates ("27
September 1996", "September 27, 1996", "May 1997", "1996"), spans ("1979–1989", "from
1996 to 2001", "27 September 1996 – 7 October 2001", "2015–present"), vague or modified
times ("early 1995", "mid-1990s", "by 1996", "as of 2024", "the 19th century"), named events
used as dates ("after 9/11") and narrative times ("the following day", "In March of that
year", "On May 30", "two days before the September 11 attacks") — and gives each an ISO
prefix ``value`` with a ``precision`` (day, month, year, decade) and a TimeML ``modifier``.

How, in HeidelTime's way (rules as data, a small generic engine):

1. Candidates. A few regular expressions, built once from the ``time_*`` lexicons (month
   names, part-of-period words, narrative offsets, number words, named events …), propose
   spans. Overlaps are settled longest first.
2. Filters. A citation year is not an event date: years inside "(Rashid, 2000)",
   "(Rubin, 2002; Coll, 2004: p. 12)", "Rashid (2000)", and dates after "Retrieved" or
   before ". Archived" are dropped. A bare four-digit number is a year only in 1000–2100,
   without thousands commas, not after an identifier word ("Unit 1996", "Resolution 1267",
   "pp."), and not before a count noun ("2000 soldiers", "1200 Taliban clerical leaders").
3. Modifiers. A prepositional modifier right before the expression ("by", "before",
   "after", "since", "around", "as of" …) joins its span and sets ``modifier``; it wins over
   a part-of-period word inside ("by the end of 1996" is BEFORE).
4. Discourse. Walking the document in order, expressions that lack a year or are narrative
   are resolved against the last single date read (``relative=True``); an expression never
   gets a finer precision than its words and its anchor allow, and a day is never invented.
   Narrative times with no anchor yet are skipped; so are times anchored on an event the
   text names but does not date ("the year following his assassination", "after the Soviet
   withdrawal").

Representation choices:

- A span has ``value`` (start) and ``value_end``; its precision is the coarser of its two
  ends. An open span ("2015–present", "from 2015 to the present") has ``value_end=None``
  and modifier AFTER, like "since 2015": no non-ISO marker leaks into the values.
- A decade is its first year with precision ``decade`` ("the 1980s" -> ``1980``). A century
  is the span of its decades: "the 19th century" -> ``1800``…``1890``, precision ``decade``.
- A season is its year with a part modifier (``time_seasons.tsv``: spring START, summer
  MID, autumn END); never a month.
- Week offsets ("three weeks later") are counted in days and marked APPROX.
- Determiners join the span only when the phrase needs them ("the end of 1996", "the
  following day"); "in", "on", "during" stay outside it.
- Named events (``time_named_events.tsv``) are a handful of globally famous dates such as
  9/11. A conflict's own events are dated from the KB once it is built (below).
- A heading starts a new narrative (``sections``): "In September" at the top of a section
  is not resolved against the previous section's year, which may be a flashback.
- Deictic phrases ("at that time", "during that period", ``time_deictic.tsv``) take the
  anchor, never finer than the phrase allows.

Beyond single expressions, for the facts that consume them:

- :class:`Narrative` dates a sentence that has no time of its own (its paragraph, its
  section, or in the lead the document's period: its infobox ``Date`` or title span).
- :func:`refine_event_dates` gives a coarsely dated event the finer date the KB knows for
  the same event; :func:`close_ceased_relations` ends a support span where it ceased.
- :func:`anchor_event_references` dates "after the Soviet withdrawal", "until the fall of
  Kabul" by the event the KB knows; :func:`anchor_founding_dates` dates "since its
  founding", "since the creation of X" by X's founding.
- A bare month after a later one runs into the next year ("November 1994 … In January").

References:
    Pustejovsky et al. (2003), TimeML: robust specification of event and temporal
    expressions in text — TIMEX3 values and modifiers (START, MID, END, BEFORE, AFTER, APPROX).
    Strötgen & Gertz (2013), Multilingual and cross-domain temporal tagging (HeidelTime) —
    rules and normalisation tables as data; narrative documents resolved against the last
    mentioned date.
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache

from .. import lexicons
from ..records import Document, TimeExpr
from . import dual_dates, report

_PREC_RANK = {"day": 0, "month": 1, "year": 2, "decade": 3}
#: Words before a bare year or month name that make it a time ("in 1996", "by April").
_CUES = frozenset({
    "in", "on", "by", "since", "until", "till", "during", "from", "through", "before", "after",
    "of", "to", "between", "and", "throughout", "around", "circa", "early", "mid", "late",
})
#: Cues strong enough to keep a year even before a count noun ("In 1996 soldiers …").
_STRONG_CUES = frozenset({"in", "since", "during", "until", "till", "throughout"})
_QUANTITY_ENTS = frozenset({"CARDINAL", "MONEY", "QUANTITY", "PERCENT"})


# ---------------------------------------------------------------------------------------
# Patterns, built once from the lexicons
# ---------------------------------------------------------------------------------------

def _alt(phrases, flexible_space: bool = True) -> str:
    """A regex alternation of literal phrases, longest first (so "Sept" beats "Sep")."""
    out = []
    for p in sorted(set(phrases), key=len, reverse=True):
        esc = re.escape(p)
        if flexible_space:
            esc = esc.replace(r"\ ", r"\s+")
        out.append(esc)
    return "(?:" + "|".join(out) + ")"


@dataclass(frozen=True)
class _Patterns:
    months: dict[str, int]
    parts: dict[str, str]
    modifiers: dict[str, str]
    offsets: dict[str, tuple[int, bool]]
    units: dict[str, str]
    numbers: dict[str, str]
    seasons: dict[str, str]
    named: dict[str, str]
    deictic: dict[str, tuple[str | None, str]]
    count_nouns: frozenset[str]
    labels: frozenset[str]
    range_: re.Pattern
    point: re.Pattern
    partial: re.Pattern
    season: re.Pattern
    named_re: re.Pattern
    deictic_re: re.Pattern
    rel_offset: re.Pattern
    rel_unit: re.Pattern
    rel_month: re.Pattern
    rel_part: re.Pattern
    modifier_before: re.Pattern
    cite_before: re.Pattern
    cite_after: re.Pattern
    cite_group: re.Pattern
    cite_name_year: re.Pattern
    parse_part: re.Pattern
    parse_tok: re.Pattern
    date_trigger: re.Pattern
    unit_trigger: re.Pattern


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    month_rows = lexicons.rows("time_months")
    months = {r[0].lower(): int(r[1]) for r in month_rows}
    full = [r[0] for r in month_rows if r[2] == "full"]
    abbr = [r[0] for r in month_rows if r[2] == "abbr"]
    # Month names are proper nouns: capitalised only, so "may" and "march" stay verbs.
    m_full = r"(?:" + _alt(full) + r")(?![\w-])"
    m_any = r"(?:" + _alt(full) + r"(?![\w-])|" + _alt(abbr) + r"(?:\.|(?![\w-])))"
    part_rows = lexicons.rows("time_part_words")
    parts = {r[0].lower(): r[1] for r in part_rows}
    part_adj = _alt(r[0] for r in part_rows if r[2] == "adj")
    part_noun = _alt(r[0] for r in part_rows if r[2] == "noun")
    part = (rf"(?:(?:(?i:{part_adj}))(?:\s*-\s*|\s+)(?:of\s+)?"
            rf"|(?i:the\s+(?:very\s+)?{part_noun})\s+of\s+(?:the\s+)?)")

    year_core = r"(?<![\w$£€/])(?<!\d[.,])(?:1\d{3}|20\d{2}|2100)"
    year = year_core + r"(?![\w/])(?![.,]\d)(?!\s?%)"
    day = r"(?<![\w.,/])(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\w/])(?![.,]\d)"
    dmy = rf"{day}\s+(?:of\s+)?{m_any},?\s+{year}"
    mdy = rf"{m_any}\s*{day},?\s+{year}"
    my = rf"{m_any},?\s+(?:of\s+)?{year}"
    iso = rf"{year_core}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?!\d)"
    dec = r"(?<![\w$])(?:1\d|20)\d0['’]?s(?!\w)"
    cent = r"(?<!\w)(?:1\d|20|21|[1-9])(?:st|nd|rd|th)[\s-]+[Cc]entury(?!\w)"
    dm = rf"{day}\s+(?:of\s+)?{m_any}"
    md = rf"{m_any}\s*{day}"
    full_pt = rf"(?:{iso}|{dmy}|{mdy}|{my}|{dec}|{year})"
    short_y = r"(?<=[–—‒-])\d{2}(?![\w/])(?![.,]\d)"
    day_year = rf"{day},\s+{year}"
    present = r"(?i:(?:the\s+)?(?:present(?:\s+day)?|today|now))(?!\w)"
    sep = r"(?:\s*[–—‒―-]\s*|\s+(?:to|until|till|through|thru|and)\s+)"
    left = rf"(?:{part})?(?:{iso}|{dmy}|{mdy}|{my}|{dec}|{year}|{dm}|{md}|{m_full}|{day})"
    right = (rf"(?:(?:{part})?(?:{iso}|{dmy}|{mdy}|{my}|{dec}|{year}|{day_year}|{dm}|{md}|{m_full})"
             rf"|{short_y}|{present})")
    # Every rule starts at a word start: a cheap first test that fails inside words.
    ws = r"(?<!\w)(?=\w)"
    range_ = re.compile(rf"{ws}(?:(?P<pre>[Ff]rom|[Bb]etween)\s+)?(?P<L>{left})(?P<sep>{sep})(?P<R>{right})")
    point = re.compile(rf"{ws}(?:{part})?(?:{cent}|{full_pt})")
    partial = re.compile(rf"{ws}(?P<part>{part})?(?:{dm}|{md}|(?P<m>{m_full}))")

    seasons = lexicons.mapping("time_seasons")
    season = re.compile(rf"{ws}(?i:(?:the\s+)?(?:{part_adj}\s+)?(?P<s>{_alt(seasons)})\s+(?:of\s+)?){year}")

    named = {r[0].lower(): r[1] for r in lexicons.rows("time_named_events")}
    # A trailing explicit year belongs to the event's name ("the attacks of 11 September 2001").
    named_re = re.compile(rf"(?<![\w/])(?P<ev>(?i:{_alt(named)}))(?![\w/])(?:,?\s+{year})?")

    deictic = {r[0].lower(): (None if r[1] == "-" else r[1], r[2]) for r in lexicons.rows("time_deictic")}
    deictic_re = re.compile(rf"(?<![\w-])(?i:{_alt(deictic)})(?![\w-])")

    offsets = {r[0].lower(): (int(r[1]), r[2] == "plural") for r in lexicons.rows("time_narrative")}
    units = lexicons.mapping("time_units")
    numbers = lexicons.mapping("time_numbers")
    unit_alt = _alt(units)
    num_alt = rf"(?:{_alt(numbers)}|\d{{1,2}})"
    rel_offset = re.compile(
        rf"{ws}(?<![\w-])(?i:(?:(?P<adv>later|earlier)\s+(?:on\s+|in\s+)?)?"
        rf"(?:(?P<part>{part_adj})\s+(?:in\s+)?)?"
        rf"(?P<the>the\s+)?(?:very\s+)?(?P<off>{_alt(offsets)})"
        rf"(?:\s+(?P<num>{num_alt}))?\s+(?P<unit>{unit_alt})(?P<pl>s)?)(?![\w-])")
    rel_unit = re.compile(
        rf"{ws}(?<![\w-])(?i:(?:(?P<num>{num_alt})|(?P<the>the))\s+(?P<unit>{unit_alt})(?P<pl>s)?\s+"
        rf"(?P<dir>later|earlier|afterwards?|previously|after|before|following|prior\s+to"
        rf"|that\s+followed))(?![\w-])")
    rel_month = re.compile(
        rf"{ws}(?P<part>{part})?(?P<m>{m_full})\s+(?i:of\s+(?P<off>that|that\s+same|the\s+same|"
        rf"the\s+following|the\s+next|the\s+previous|the\s+preceding)\s+year)(?!\w)")
    # "the end of the year" / "the beginning of that month": a part of the anchor period.
    rel_part = re.compile(
        rf"{ws}(?i:the\s+(?P<part>{part_noun})\s+of\s+(?P<det>the|that|the\s+same|that\s+same)\s+"
        rf"(?P<unit>year|month))(?!\w)")

    modifiers = {r[0].lower(): r[1] for r in lexicons.rows("time_modifiers")}
    modifier_before = re.compile(rf"(?<![\w.])(?P<mod>(?i:{_alt(modifiers)}))\s+(?P<the>(?i:the)\s+)?$")
    cite_before = re.compile(rf"(?<![\w.])(?i:{_alt(lexicons.words('time_citation_cues'))})\s*(?:on\s+)?$")
    cite_after = re.compile(r"^\)?[.,]?\s+(?:Retrieved|Archived|Accessed)\b")
    name = r"[A-Z][\w'’.-]*"
    author = rf"{name}(?:\s+(?:&|and)\s+{name}|\s+et\s+al\.?)?"
    cite_year = r"(?:1\d{3}|20\d{2})[a-z]?(?!\d)"
    cite_group = re.compile(rf"\([^()]{{0,300}}?(?<!\w){author},\s*{cite_year}[^()]{{0,300}}\)")
    cite_name_year = re.compile(rf"(?<!\w){author}\s+\(\s*{cite_year}(?:\s*[:,]\s*pp?\.?\s*[\d–-]+)?\s*\)")
    parse_part = re.compile(rf"^(?:{part})")
    parse_tok = re.compile(r"[A-Za-z]+|\d+")
    return _Patterns(
        months=months, parts=parts, modifiers=modifiers, offsets=offsets, units=units,
        numbers=numbers, seasons=seasons, named=named, deictic=deictic, deictic_re=deictic_re,
        count_nouns=lexicons.words("time_count_nouns"), labels=lexicons.words("time_number_labels"),
        range_=range_, point=point, partial=partial, season=season, named_re=named_re,
        rel_offset=rel_offset, rel_unit=rel_unit, rel_month=rel_month, rel_part=rel_part,
        modifier_before=modifier_before, cite_before=cite_before, cite_after=cite_after,
        cite_group=cite_group, cite_name_year=cite_name_year, parse_part=parse_part,
        parse_tok=parse_tok,
        date_trigger=re.compile(rf"\d+|{ws}(?=[A-Z])(?:{_alt(full + abbr)})"),
        unit_trigger=re.compile(rf"{ws}(?i:{unit_alt})"),
    )


# ---------------------------------------------------------------------------------------
# Points: the pieces of one date, parsed from matched text
# ---------------------------------------------------------------------------------------

@dataclass
class _Pt:
    """One calendar point as read: missing fields are None (filled from context later)."""

    y: int | None = None
    m: int | None = None
    d: int | None = None
    unit: str = "year"  # day | month | year | decade | century
    mod: str | None = None
    present: bool = False


def _parse_point(s: str, p: _Patterns) -> _Pt | None:
    pt = _Pt()
    pm = p.parse_part.match(s)
    if pm:
        pt.mod = next((p.parts[w] for w in re.findall(r"[a-z]+", pm.group(0).lower()) if w in p.parts), None)
        s = s[pm.end():]
    low = s.lower()
    if re.search(r"\b(?:present|today|now)\b", low):
        pt.present = True
        return pt
    if "century" in low:
        n = int(re.match(r"\s*(\d+)", s).group(1))
        pt.y, pt.unit = (n - 1) * 100, "century"
        return pt
    dm = re.search(r"(\d{3})0['’]?s\b", s)
    if dm:
        pt.y, pt.unit = int(dm.group(1)) * 10, "decade"
        return pt
    iso = re.search(r"(\d{4})-(\d\d)-(\d\d)", s)
    if iso:
        pt.y, pt.m, pt.d, pt.unit = int(iso.group(1)), int(iso.group(2)), int(iso.group(3)), "day"
        return pt if _valid_day(pt.y, pt.m, pt.d) else None
    for tok in p.parse_tok.findall(s):
        if tok.isdigit():
            if len(tok) == 4:
                pt.y = int(tok)
            elif len(tok) <= 2 and tok not in ("st", "nd", "rd", "th"):
                pt.d = int(tok)
        else:
            m = p.months.get(tok.lower())
            if m and (tok[0].isupper()):
                pt.m = m
    if pt.d is not None and pt.m is not None:
        pt.unit = "day"
    elif pt.m is not None:
        pt.unit = "month"
    elif pt.d is not None:
        pt.unit = "day"  # a bare day number, left side of "27–29 September 1996"
    elif pt.y is None:
        return None
    return pt


def _valid_day(y: int | None, m: int, d: int) -> bool:
    if not 1 <= m <= 12:
        return False
    return 1 <= d <= calendar.monthrange(y if y is not None else 2000, m)[1]


def _iso(pt: _Pt) -> tuple[str, str] | None:
    """``(value, precision)`` of a complete point, or None when it is not a valid date."""
    if pt.y is None:
        return None
    if pt.unit in ("decade", "century"):
        return f"{pt.y:04d}", "decade"
    if pt.m is None:
        return f"{pt.y:04d}", "year"
    if pt.d is None:
        return f"{pt.y:04d}-{pt.m:02d}", "month"
    if not _valid_day(pt.y, pt.m, pt.d):
        return None
    return f"{pt.y:04d}-{pt.m:02d}-{pt.d:02d}", "day"


def _coarser(a: str, b: str) -> str:
    return a if _PREC_RANK[a] >= _PREC_RANK[b] else b


# ---------------------------------------------------------------------------------------
# Candidates
# ---------------------------------------------------------------------------------------

@dataclass
class _Cand:
    start: int
    end: int
    kind: str  # range | point | partial | season | named | deictic | rel_offset | rel_unit | rel_month | rel_part
    m: re.Match
    pts: tuple[_Pt, ...] = ()
    prio: int = 0  # breaks ties between candidates of the same length


def _word_before(text: str, i: int) -> str:
    j = i
    while j > 0 and text[j - 1] in " \t":
        j -= 1
    k = j
    while k > 0 and (text[k - 1].isalnum() or text[k - 1] in ".'’"):
        k -= 1
    return text[k:j].lower()


def _words_after(text: str, i: int, n: int = 3) -> list[str]:
    m = re.match(rf"(?:[ \t]+[\w'’-]+){{1,{n}}}", text[i:i + 80])
    return m.group(0).lower().split() if m else []


def _is_bare_year(s: str) -> bool:
    return bool(re.fullmatch(r"\d{4}", s.strip()))


def _quantity_year(text: str, start: int, end: int, p: _Patterns, quantity_starts: set[int]) -> bool:
    """True when the bare 4-digit number at ``[start, end)`` is a count or an identifier."""
    before = _word_before(text, start)
    if before in p.labels:
        return True  # "Unit 1996", "Resolution 1267"
    if p.modifiers.get(before) == "APPROX":
        # "by about 1892": the cue before the approximation word introduces the year
        j = start
        while j > 0 and text[j - 1] in " \t":
            j -= 1
        cue = _word_before(text, j - len(before))
        if cue in _CUES:
            before = cue
    if before in _STRONG_CUES:
        return False
    if any(w.strip(".,;:") in p.count_nouns for w in _words_after(text, end)):
        return True
    if start in quantity_starts and before not in _CUES:
        return True
    return False


def _windows(text: str, trigger: re.Pattern, margin: int = 80) -> list[tuple[int, int]]:
    """Merged stretches of text around trigger hits: the only places a rule can match.

    Scanning these instead of the whole text keeps the slow many-branch rules off the
    prose that has no digit, month name or calendar unit in it.
    """
    out: list[list[int]] = []
    n = len(text)
    for m in trigger.finditer(text):
        s, e = max(0, m.start() - margin), min(n, m.end() + margin)
        if out and s <= out[-1][1]:
            out[-1][1] = e
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def _scan(rx: re.Pattern, text: str, windows: list[tuple[int, int]]):
    n = len(text)
    for s, e in windows:
        for m in rx.finditer(text, s, e):
            # A lookahead is blind past a window's end; a real match never reaches it.
            if m.end() < e or e == n:
                yield m


def _candidates(text: str, p: _Patterns, quantity_starts: set[int]) -> list[_Cand]:
    out: list[_Cand] = []
    dates = _windows(text, p.date_trigger)
    units = _windows(text, p.unit_trigger)
    for m in _scan(p.range_, text, dates):
        c = _range_cand(text, m, p, quantity_starts)
        if c:
            out.append(c)
    for m in _scan(p.point, text, dates):
        s = m.group(0)
        pt = _parse_point(s, p)
        if pt is None or _iso(pt) is None:
            continue
        if _is_bare_year(s) and (_quantity_year(text, m.start(), m.end(), p, quantity_starts)
                                 or re.search(r"\d-$", text[max(0, m.start() - 2):m.start()])):
            continue  # "2000 soldiers", "ISBN 0-7881-1111"
        out.append(_Cand(m.start(), m.end(), "point", m, (pt,), prio=3))
    for m in _scan(p.partial, text, dates):
        if m.group("m") and not m.group("part") and _word_before(text, m.start()) not in _CUES:
            continue  # a lone month name needs a cue: "in May", not "May God …"
        pt = _parse_point(m.group(0), p)
        if pt is None or (pt.d is not None and pt.m is not None and not _valid_day(None, pt.m, pt.d)):
            continue
        out.append(_Cand(m.start(), m.end(), "partial", m, (pt,), prio=1))
    for m in _scan(p.season, text, dates):
        y = int(re.search(r"\d{4}", m.group(0)).group(0))
        out.append(_Cand(m.start(), m.end(), "season", m, (_Pt(y=y, mod=p.seasons.get(
            m.group("s").lower()) or None),), prio=3))
    for m in p.named_re.finditer(text):
        out.append(_Cand(m.start(), m.end(), "named", m, prio=2))
    for m in p.deictic_re.finditer(text):
        out.append(_Cand(m.start(), m.end(), "deictic", m, prio=1))
    for kind, rx in (("rel_offset", p.rel_offset), ("rel_unit", p.rel_unit),
                     ("rel_month", p.rel_month), ("rel_part", p.rel_part)):
        for m in _scan(rx, text, dates if kind == "rel_month" else units):
            if kind == "rel_offset":
                off, plural_ok = p.offsets[re.sub(r"\s+", " ", m.group("off").lower())]
                if (m.group("pl") or m.group("num")) and not plural_ok:
                    continue  # "that years" is not a time
                if m.group("off").lower() == "that" and m.group("the"):
                    continue
            out.append(_Cand(m.start(), m.end(), kind, m, prio=1))
    return out


def _range_cand(text: str, m: re.Match, p: _Patterns, quantity_starts: set[int]) -> _Cand | None:
    ls, rs = m.group("L"), m.group("R")
    lp = _parse_point(ls, p)
    sep = m.group("sep").strip().lower()
    if re.fullmatch(r"\d{2}", rs):
        if lp is None or lp.unit != "year" or lp.m is not None or lp.y is None:
            return None
        rp = _Pt(y=lp.y // 100 * 100 + int(rs))
        if rp.y <= lp.y:
            return None
    else:
        rp = _parse_point(rs, p)
    if lp is None or rp is None:
        return None
    if sep == "and" and not (m.group("pre") or "").lower() == "between" and lp.y is not None:
        return None  # "in 1997 and 1998" are two times, not a span
    if lp.present:
        return None
    if lp.y is None and lp.m is None and (rp.m is None or rp.present):
        return None  # "5–7" alone is not a date
    if lp.y is None and lp.m is None and lp.d is not None and rp.d is None:
        return None  # "27–October 1996"
    # Fill the left end from the right ("27–29 September 1996", "November and December 2001").
    if not rp.present:
        if lp.y is None:
            if lp.m is None:
                lp.m = rp.m
            lp.y = rp.y
        if rp.m is None and rp.d is not None:
            rp.m = lp.m  # "September 27–29, 1996"
        if rp.y is None and lp.y is not None and rp.unit not in ("decade", "century"):
            rp.y = lp.y
        if lp.unit == "day" and lp.m is None:
            return None
    if _is_bare_year(ls) and _word_before(text, m.start("L")) in p.labels:
        return None
    if (_is_bare_year(rs) or re.fullmatch(r"\d{2}", rs)) and _quantity_year(
            text, m.start("R"), m.end(), p, quantity_starts) and not m.group("pre"):
        return None
    if _is_bare_year(rs) and any(w.strip(".,;:") in p.count_nouns for w in _words_after(text, m.end())):
        return None  # "between 1000 and 1500 fighters"
    if not rp.present and lp.y is not None and rp.y is not None:
        lv, rv = _iso(lp), _iso(rp)
        if lv is None or rv is None or lv[0] > rv[0]:
            return None
    return _Cand(m.start(), m.end(), "range", m, (lp, rp), prio=3)


def _select(cands: list[_Cand], n: int) -> list[_Cand]:
    """Non-overlapping candidates, longest first, then by priority; returned in text order."""
    occ = bytearray(n + 1)
    chosen = []
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), -c.prio, c.start)):
        if occ.find(1, c.start, c.end) != -1:
            continue
        occ[c.start:c.end] = b"\x01" * (c.end - c.start)
        chosen.append(c)
    chosen.sort(key=lambda c: c.start)
    return chosen


# ---------------------------------------------------------------------------------------
# Citations
# ---------------------------------------------------------------------------------------

def _citation_spans(text: str, p: _Patterns) -> list[tuple[int, int]]:
    """Spans of author–year citations: "(Rubin, 2002; Coll, 2004)", "Rashid (2000)"."""
    spans = [(m.start(), m.end()) for m in p.cite_group.finditer(text)]
    for m in p.cite_name_year.finditer(text):
        word = m.group(0).split()[0].lower().rstrip(".")
        if word in p.months or word in _CUES or word == "the":
            continue
        # "Saur Revolution (1978):" names a thing; "Rashid (2000)", "Coll, Steve (2004)" and
        # a bibliography's "Neamatollah Nojumi (2002)." cite.
        if re.search(r"[A-Z][\w'’-]*[ \t]+$", text[max(0, m.start() - 30):m.start()]) \
                and not text.startswith(".", m.end()):
            continue
        spans.append((m.start(), m.end()))
    spans.sort()
    return spans


def _in_spans(spans: list[tuple[int, int]], starts: list[int], s: int, e: int) -> bool:
    i = bisect_left(starts, s + 1) - 1
    return i >= 0 and spans[i][0] <= s and e <= spans[i][1]


def _bibliographic(text: str, c: _Cand, p: _Patterns) -> bool:
    """A date a source was published, read or archived ("Retrieved 25 March 2024")."""
    if p.cite_before.search(text, max(0, c.start - 40), c.start):
        return True
    if c.kind in ("point", "partial") and p.cite_after.match(text[c.end:c.end + 16]):
        return True
    # "Bezhan, Frud (30 June 2023)." — a parenthesised date right after a name.
    if c.kind == "point" and c.pts and c.pts[0].unit in ("day", "month"):
        before = text[max(0, c.start - 40):c.start]
        if re.search(r"[A-Z][\w'’.-]+\s+\(\s*$", before) and text.startswith(").", c.end):
            return True
    return False


# ---------------------------------------------------------------------------------------
# Normalisation and discourse
# ---------------------------------------------------------------------------------------

@dataclass
class _Anchor:
    """The discourse's reference time: the last single time read, plus the finest one
    consistent with it ("On 25 May 1997 … that year … the next day" -> 26 May 1997)."""

    last: tuple[str, str] | None = None  # (value, precision)
    finest: dict[str, str] = field(default_factory=dict)  # precision -> last value of it

    def get(self, unit: str) -> tuple[str, str] | None:
        if self.last is None:
            return None
        want = "day" if unit == "week" else unit
        for prec in ("day", "month", "year"):
            if _PREC_RANK[prec] < _PREC_RANK[want] or _PREC_RANK[prec] >= _PREC_RANK[self.last[1]]:
                continue
            v = self.finest.get(prec)
            if v and v.startswith(self.last[0]):
                return v, prec
        return self.last

    def update(self, value: str | None, precision: str, value_end: str | None) -> None:
        if value is None or value_end is not None or precision == "decade":
            return
        self.last = (value, precision)
        self.finest[precision] = value


def _shift(anchor: tuple[str, str], unit: str, n: int) -> tuple[str, str, str | None]:
    """Anchor moved by ``n`` units, at no finer precision than the anchor has."""
    value, prec = anchor
    y = int(value[:4])
    if unit in ("day", "week"):
        days = n * (7 if unit == "week" else 1)
        mod = "APPROX" if unit == "week" else None  # a week is never one day
        if prec == "day":
            d = date(y, int(value[5:7]), int(value[8:10])) + timedelta(days=days)
            return d.isoformat(), "day", mod
        return value, prec, mod
    if unit == "month":
        if prec in ("day", "month"):
            k = y * 12 + int(value[5:7]) - 1 + n
            return f"{k // 12:04d}-{k % 12 + 1:02d}", "month", None
        return value, prec, None
    return f"{y + n:04d}", "year", None


def _cut(anchor: tuple[str, str], unit: str) -> tuple[str, str]:
    """The anchor at the precision of ``unit`` (or its own, if coarser)."""
    value, prec = anchor
    want = {"day": "day", "week": "day", "month": "month", "year": "year"}[unit]
    if _PREC_RANK[prec] >= _PREC_RANK[want]:
        return value, prec
    return value[:{"day": 10, "month": 7, "year": 4}[want]], want


def _number(word: str | None, p: _Patterns) -> int | None:
    """1 for "a", 2 for "two", 0 for a vague amount ("several"), None when absent."""
    if word is None:
        return None
    w = re.sub(r"\s+", " ", word.lower())
    if w.isdigit():
        return int(w)
    v = p.numbers.get(w)
    return 0 if v == "~" else int(v)


def _resolve_point(pt: _Pt, anchor: _Anchor) -> tuple[str, str, bool] | None:
    """``(value, precision, relative)`` of a point, taking a missing year from the anchor."""
    if pt.y is not None:
        v = _iso(pt)
        return (v[0], v[1], False) if v else None
    a = anchor.get("year")
    if a is None:
        return None
    y = int(a[0][:4])
    fine = anchor.get("month")
    if pt.m is not None and fine is not None and len(fine[0]) >= 7:
        # "In November 1994 … In January, …": a story runs forward, so a month more than
        # half a year before the reference month is the next year's (Dec 1995 → "February"
        # is 1996); a nearer earlier month is a look back ("May 1997 … In March, he had").
        if int(fine[0][5:7]) - pt.m > 6:
            y += 1
    q = _Pt(y=y, m=pt.m, d=pt.d, unit=pt.unit)
    v = _iso(q)
    return (v[0], v[1], True) if v else None


def _normalise(c: _Cand, anchor: _Anchor, p: _Patterns, nxt: TimeExpr | None, text: str
               ) -> tuple[str | None, str | None, str, str | None, bool, int] | None:
    """``(value, value_end, precision, modifier, relative, end)`` of a candidate, or None."""
    m = c.m
    if c.kind in ("point", "partial", "season"):
        r = _resolve_point(c.pts[0], anchor)
        if r is None:
            return None
        pt = c.pts[0]
        if pt.unit == "century":
            return r[0], f"{pt.y + 90:04d}", "decade", pt.mod, r[2], c.end
        return r[0], None, r[1], pt.mod, r[2], c.end
    if c.kind == "range":
        lp, rp = c.pts
        lr = _resolve_point(lp, anchor)
        if lr is None:
            return None
        if rp.present:
            return lr[0], None, lr[1], "AFTER", lr[2], c.end
        rr = _resolve_point(rp, anchor)
        if rr is None:
            return None
        end_v = rr[0]
        if rp.unit == "century":
            end_v = f"{rp.y + 90:04d}"
        return lr[0], end_v, _coarser(lr[1], rr[1]), None, lr[2] or rr[2], c.end
    if c.kind == "named":
        v = p.named[re.sub(r"\s+", " ", m.group("ev").lower())]
        return v, None, {10: "day", 7: "month", 4: "year"}[len(v)], None, False, c.end
    if c.kind == "deictic":
        a = anchor.get("day")
        if a is None:
            return None
        mod, finest = p.deictic[re.sub(r"\s+", " ", m.group(0).lower())]
        v, prec = _cut(a, finest)
        return v, None, prec, mod, True, c.end
    if c.kind == "rel_month":
        off = {"that": 0, "that same": 0, "the same": 0, "the following": 1, "the next": 1,
               "the previous": -1, "the preceding": -1}[re.sub(r"\s+", " ", m.group("off").lower())]
        a = anchor.get("year")
        if a is None:
            return None
        y = int(a[0][:4]) + off
        mod = _parse_point(m.group(0), p).mod if m.group("part") else None
        return f"{y:04d}-{p.months[m.group('m').lower()]:02d}", None, "month", mod, True, c.end
    if c.kind == "rel_part":
        unit = m.group("unit").lower()
        a = anchor.get(unit)
        if a is None:
            return None
        v, prec = _cut(a, unit)
        return v, None, prec, p.parts[m.group("part").lower()], True, c.end
    if c.kind == "rel_offset":
        unit = p.units[m.group("unit").lower()]
        off = p.offsets[re.sub(r"\s+", " ", m.group("off").lower())][0]
        a = anchor.get(unit)
        if a is None:
            return None
        part = p.parts.get((m.group("part") or "").lower())
        n = _number(m.group("num"), p)
        if m.group("pl") or m.group("num"):
            if off == 0:
                return None
            if n:  # "the next two years": a span of n units beside the anchor
                lo = _shift(a, unit, off if off > 0 else -n)
                hi = _shift(a, unit, n if off > 0 else -1)
                prec = _coarser(lo[1], hi[1])
                if lo[0] == hi[0]:
                    return lo[0], None, prec, "AFTER" if off > 0 else "BEFORE", True, c.end
                return lo[0], hi[0], prec, None, True, c.end
            v, prec = _cut(a, unit)
            return v, None, prec, "AFTER" if off > 0 else "BEFORE", True, c.end
        v, prec, mod = _shift(a, unit, off)
        return v, None, prec, part or mod, True, c.end
    if c.kind == "rel_unit":
        unit = p.units[m.group("unit").lower()]
        direction = re.sub(r"\s+", " ", m.group("dir").lower())
        n = _number(m.group("num"), p)
        n = 1 if n is None else n  # "the day after" = one day after
        sign = -1 if direction in ("earlier", "previously", "before", "prior to") else 1
        if direction in ("after", "before", "following", "prior to"):
            gap_ok = nxt is not None and re.fullmatch(r"\s*(?:the\s+)?", text[c.end:nxt.start])
            if gap_ok and nxt.value is not None and nxt.value_end is None:
                base = (nxt.value, nxt.precision)
                if n == 0:
                    return (base[0], None, base[1], "AFTER" if sign > 0 else "BEFORE", nxt.relative,
                            nxt.end)
                v, prec, mod = _shift(base, unit, sign * n)
                return v, None, prec, mod, nxt.relative, nxt.end
            nxt_char = text[c.end:c.end + 3].lstrip()[:1]
            if nxt_char and (nxt_char.isalnum() or nxt_char in "\"“'‘("):
                return None  # anchored on an event the text does not date
        if direction == "that followed":
            sign = 1
            n = 0
        a = anchor.get(unit)
        if a is None:
            return None
        if n == 0 or m.group("pl") and not m.group("num"):
            v, prec = _cut(a, unit)
            return v, None, prec, "AFTER" if sign > 0 else "BEFORE", True, c.end
        v, prec, mod = _shift(a, unit, sign * n)
        return v, None, prec, mod, True, c.end
    return None


def _prefix(text: str, start: int, floor: int, the_ok: bool, p: _Patterns) -> tuple[int, str | None]:
    """Start and modifier of a prepositional modifier right before ``start``, if any.

    ``the_ok``: whether "the" may stand between ("after the September 11 attacks", "since
    the 1970s"); not before a bare year ("after the 1996 conference" is about the conference).
    """
    lo = max(floor, start - 40)
    m = p.modifier_before.search(text, lo, start)
    if not m:
        return start, None
    if m.group("the") and not the_ok:
        return start, None
    return m.start(), p.modifiers[re.sub(r"\s+", " ", m.group("mod").lower())]


def _in_parentheses(text: str, i: int) -> bool:
    """Whether offset ``i`` lies inside a parenthesis closed on the same line."""
    lo = max(0, i - 300, text.rfind("\n", 0, i) + 1)
    opened = text.rfind("(", lo, i)
    if opened == -1 or text.rfind(")", opened, i) != -1:
        return False
    nl = text.find("\n", i)
    close = text.find(")", i, min(i + 300, nl if nl != -1 else len(text)))
    return close != -1


def _quantity_starts(sdoc) -> set[int]:
    if sdoc is None:
        return set()
    out = set()
    for ent in sdoc.ents:
        if ent.label_ in _QUANTITY_ENTS:
            out.update(t.idx for t in ent)
    return out


def find_times(text: str, sdoc=None, sections: Iterable[int] = (), dct: TimeExpr | None = None,
               dct_weak: bool = False) -> list[TimeExpr]:
    """All time expressions in ``text``, normalised and resolved against the discourse.

    Args:
        text: A document's full text (``Document.text``).
        sdoc: Optional spaCy ``Doc`` over a same-length text (``nlp.parse_text``). When given,
            a bare four-digit number the parser tagged as a quantity (CARDINAL, MONEY …) and
            that no time word introduces is not read as a year.
        sections: Offsets where a new section starts (the ends of heading lines,
            ``Document.markup``). A section starts a new narrative: a relative expression
            before its first absolute date is not resolved against the previous section,
            whose story may be a flashback or a different thread.
        dct, dct_weak: The document's own date from its metadata or the user
            (``report.given_date``): it anchors "last year" and year-less dates; a weak one
            (a file's creation date) only when the text states no date in its head.

    Returns:
        :class:`~conflictlens.records.TimeExpr` records sorted by start, non-overlapping,
        each with ``text[start:end] == expr.text``. Citation years, bibliographic dates and
        numbers that are not years are left out; so are narrative times with no anchor.
    """
    # Dual-calendar dates are read as their New-Style date (extract/dual_dates.py).
    source, text = text, dual_dates.mask(text)
    p = _patterns()
    cands = _candidates(text, p, _quantity_starts(sdoc))
    cites = _citation_spans(text, p)
    cite_starts = [s for s, _ in cites]
    dropped = bytearray(len(text) + 1)
    kept = []
    for c in cands:
        if _in_spans(cites, cite_starts, c.start, c.end) or _bibliographic(text, c, p):
            dropped[c.start:c.end] = b"\x01" * (c.end - c.start)
        else:
            kept.append(c)
    # What overlaps a dropped citation date is part of it ("30 June" of "(30 June 2023).").
    cands = [c for c in kept if dropped.find(1, c.start, c.end) == -1]
    chosen = _select(cands, len(text))
    named_starts = {c.start for c in chosen if c.kind == "named"}

    # Absolute expressions first, so narrative ones can lean on the one that follows them
    # ("two days before the September 11 attacks").
    absolute: dict[int, TimeExpr] = {}
    blank = _Anchor()
    for c in chosen:
        if c.kind in ("point", "range", "named", "season") and all(
                pt.y is not None or pt.present for pt in c.pts):
            r = _normalise(c, blank, p, None, text)
            if r:
                absolute[c.start] = TimeExpr(c.start, r[5], text[c.start:r[5]], r[0], r[2], r[1], r[3], r[4])

    # A report dated in its head reads year-less dates from that date (extract/report.py).
    # A date the document's metadata or the user states wins (extract/report.py choose_date).
    dct = report.choose_date(report.document_date(text, [absolute[k] for k in sorted(absolute)], sections),
                             dct, dct_weak)

    out: list[TimeExpr] = []
    anchor = _Anchor()
    floor = 0
    skip_until = -1
    breaks = sorted(sections)
    b = 0
    for i, c in enumerate(chosen):
        if c.start < skip_until:
            continue
        if b < len(breaks) and breaks[b] <= c.start:
            while b < len(breaks) and breaks[b] <= c.start:
                b += 1
            anchor = _Anchor()
        if c.start in absolute:
            r0 = absolute[c.start]
            r = (r0.value, r0.value_end, r0.precision, r0.modifier, r0.relative, r0.end)
        else:
            nxt = absolute.get(chosen[i + 1].start) if i + 1 < len(chosen) else None
            pt = next((q for q in c.pts if q.m), None) \
                if c.kind in ("partial", "range") and all(q.y is None for q in c.pts) else None
            if dct is not None and pt is not None:
                y = report.year_of(dct, pt.m, text, c.start)
                r = _normalise(c, _Anchor(last=(f"{y:04d}", "year")), p, nxt, text)
            else:
                r = _normalise(c, anchor, p, nxt, text)
        if r is None:
            continue
        value, value_end, precision, modifier, relative, end = r
        the_ok = c.kind == "named" or precision == "decade"
        start, pmod = _prefix(text, c.start, floor, the_ok, p)
        if pmod:
            modifier = pmod if value_end is None else modifier
            if value_end is not None:
                start = c.start  # "until 1996–2001" makes no sense as a span modifier
        out.append(TimeExpr(start, end, text[start:end], value, precision, value_end, modifier, relative))
        # Named events ("the 20-year anniversary of 9/11") and parenthetical asides ("(who
        # turned on Najibullah in 1991)") are references, not the time the story is at.
        if c.start not in named_starts and not any(k in named_starts for k in range(c.end, end)) \
                and not _in_parentheses(text, c.start) and not _REPORTING_TIME.match(text, start):
            anchor.update(value, precision, value_end)
        floor = end
        skip_until = end
    if dct is not None:
        out = report.merge_times(out, report.deictic_times(text, dct, p.months)
                                 + report.period_times(text, dct))
    if text is not source:
        out = [replace(t, text=source[t.start:t.end]) for t in out]
    return out


def times_in(times: list[TimeExpr], start: int, end: int) -> list[TimeExpr]:
    """The expressions lying inside ``[start, end)`` (e.g. one sentence), in order.

    Args:
        times: The output of :func:`find_times` (sorted by start).
        start, end: Character offsets into the same text.
    """
    i = bisect_left(times, start, key=lambda t: t.start)
    out = []
    while i < len(times) and times[i].start < end:
        if times[i].end <= end:
            out.append(times[i])
        i += 1
    return out


# ---------------------------------------------------------------------------------------
# Narrative time of a fact: what dates a sentence that has no time expression of its own
# ---------------------------------------------------------------------------------------

#: Infobox keys whose value is the period the whole document is about.
_PERIOD_KEYS = frozenset({"date", "dates", "period", "duration"})
#: How far back (characters, a few sentences) a sentence may find its paragraph's time.
_REACH = 1200
#: A paragraph ends at a blank line, or at a line break after sentence-final punctuation
#: (files with one paragraph a line); hard-wrapped lines of one paragraph continue it.
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n|(?<=[.!?:;\"”’)])[ \t]*\r?\n")


def in_aside(text: str, offset: int) -> bool:
    """Whether ``offset`` lies inside a parenthesis closed on the same line: "Massoud
    (1953–2001)", "the KLA (founded in 1993)" — an aside about a name, not the clause."""
    return _in_parentheses(text, offset)


def is_reference(t: TimeExpr, text: str) -> bool:
    """Whether ``t`` is a reference to another time rather than the time the story is at.

    Named events ("after 9/11", "two days before the September 11 attacks"),
    parenthetical asides ("(born 1954)", "( – July 6, 2002)") and reporting times ("As of
    2024") are references: they date their own clause but not the sentences after them.

    Args:
        t: A time expression of ``text``.
        text: The document text.
    """
    return bool(_patterns().named_re.search(t.text)) or _in_parentheses(text, t.start) \
        or bool(_REPORTING_TIME.match(t.text))


#: "As of 2024", "as at March 2020": when a state of affairs was reported, not when a story is.
_REPORTING_TIME = re.compile(r"as\s+(?:of|at)\b", re.I)


class Narrative:
    """Where a document's story is in time at any offset, for facts stated without a date.

    A sentence with no time expression continues the narrative around it (Strötgen &
    Gertz 2013: the reference time of a narrative is the last date mentioned). The
    fallback is, in order:

    1. the last time expression earlier in the same paragraph, at most a few sentences
       back (a span counts: "From 1996 to 2001 X was … . X sent …" happens within it);
    2. the last single date (no span, no decade) earlier in the same section, when the
       document has headings; a span or decade dates one paragraph's topic, not the section;
       a paper's numbered section is a theme, not a story, and gives no date;
    3. in the lead (before the first heading), the document's own period: the ``Date`` of
       its infobox, else a time in its title ("Afghan Civil War (1996–2001)").

    References, as :func:`is_reference` tells, are skipped throughout; so are the citation
    and bibliographic years :func:`find_times` never returns.

    Args:
        text: The document's text.
        times: Its time expressions (:func:`find_times`), any order.
        markup: ``(start, end)`` spans of markup lines (headings, infobox lines).
        infobox: ``(key, value_start, value_end)`` of the infobox fields.

    References:
        Strötgen & Gertz (2013), HeidelTime: narrative documents resolve against the last
        mentioned date. Mani & Wilson (2000), "Robust temporal processing of news": the
        reference time moves with the most recent time expression.
    """

    def __init__(self, text: str, times: list[TimeExpr], markup: list[tuple[int, int]] = (),
                 infobox: list[tuple[str, int, int]] = (), dct: TimeExpr | None = None,
                 dct_weak: bool = False):
        self.text = text
        self.times = sorted((t for t in times if t.value), key=lambda t: (t.start, t.end))
        self._starts = [t.start for t in self.times]
        self._ref = [is_reference(t, text) for t in self.times]
        box_lines = {self._line(s) for _, s, _ in infobox}
        first_line = self._line(len(text) - len(text.lstrip()))
        # Headings: markup lines that are neither the title line nor infobox lines.
        heads = sorted((s, e) for s, e in markup
                       if self._line(s) not in box_lines and self._line(s) != first_line)
        self.headings = [e for _, e in heads]
        # A paper's numbered sections ("3.2.1. Relations with Iran") are themes, not stretches
        # of a story: a date early in one does not date the rest of it.
        self._thematic = {e for s, e in heads if text[s:e].lstrip()[:1].isdigit()}
        self.lead_end = heads[0][0] if heads else -1
        self._paras = [m.end() for m in _PARAGRAPH_BREAK.finditer(text)]
        self.period = self._period(infobox, first_line)
        self.dct = report.choose_date(report.document_date(text, self.times, [e for _, e in markup]),
                                      dct, dct_weak)

    @classmethod
    def of(cls, document: Document, times: list[TimeExpr]) -> Narrative:
        """The narrative of a :class:`~conflictlens.records.Document` read by ``ingest``."""
        return cls(document.text, times, document.markup,
                   [(f.key, f.start, f.end) for f in document.infobox], *report.given_date(document))

    def _line(self, offset: int) -> int:
        return self.text.rfind("\n", 0, offset) + 1

    def _period(self, infobox: list[tuple[str, int, int]], first_line: int) -> TimeExpr | None:
        """The document's own period: its infobox ``Date``, else a time in its title."""
        for key, s, e in infobox:
            if key.lower() in _PERIOD_KEYS:
                found = [t for t in self.times if s <= t.start and t.end <= e]
                if found:
                    return found[0]
        nl = self.text.find("\n", first_line)
        found = [t for t in self.times
                 if first_line <= t.start and t.end <= (nl if nl != -1 else len(self.text))]
        return next((t for t in found if t.value_end), found[0] if found else None)

    def paragraph_start(self, offset: int) -> int:
        """Start of the paragraph holding ``offset`` (a heading also ends a paragraph)."""
        i = bisect_left(self._paras, offset + 1) - 1
        start = self._paras[i] if i >= 0 else 0
        return max(start, self.section_start(offset))

    def section_start(self, offset: int) -> int:
        """End of the last heading line before ``offset`` (0 when there is none)."""
        i = bisect_left(self.headings, offset + 1) - 1
        return self.headings[i] if i >= 0 else 0

    def in_lead(self, offset: int) -> bool:
        return self.lead_end != -1 and offset < self.lead_end

    def _last(self, lo: int, hi: int, points_only: bool) -> TimeExpr | None:
        i = bisect_left(self._starts, hi) - 1
        while i >= 0 and self.times[i].start >= lo:
            t = self.times[i]
            if t.end <= hi and not self._ref[i] and not (
                    points_only and (t.value_end is not None or t.precision == "decade")):
                return t
            i -= 1
        return None

    def time_before(self, offset: int, section: bool = True) -> TimeExpr | None:
        """The narrative time at ``offset`` for a sentence starting there with no time.

        Returns:
            A time expression of the document (in its paragraph, its section, or the
            document's period), or None when the story has no time there.
        """
        para = self.paragraph_start(offset)
        # A "paragraph" of thousands of characters is a file without line breaks, not
        # one thread of narrative: look back a few sentences only.
        t = self._last(max(para, offset - _REACH), offset, points_only=False)
        # A lead summarises the whole document: its undated sentences are about the
        # document's period, not about the last year an aside mentioned.
        if t is None and self.in_lead(offset):
            t = self.period
        if t is None and self.headings and section and self.section_start(offset) not in self._thematic:
            t = self._last(self.section_start(offset), para, points_only=True)
        if t is None and self.dct is not None:
            t = report.fallback_year(self.dct)  # a report's undated sentence: its year
        return t


# ---------------------------------------------------------------------------------------
# Dates the knowledge base already knows
# ---------------------------------------------------------------------------------------

#: Modifiers under which a coarse date still contains the event ("early 1995", "~1997").
_CONTAINING = frozenset({None, "START", "MID", "END", "APPROX"})


def refine_event_dates(events: list) -> int:
    """Give a coarsely dated event the finer date the KB knows for the same event.

    One event is often told twice: "the Taliban seized Kabul in 1996" in one document,
    "the Taliban's conquest of Kabul on 27 September 1996" in another. Two events are taken
    to be the same when they have the same type and status, share a participant (agent or
    target), name no different places, and the finer date lies inside the coarser one
    ("1996" ⊃ "1996-09-27"). A coarse event adopts the finer date only when every such
    candidate agrees on it; the words it was dated by (``TimeExpr.text``) stay, and the
    value is marked ``relative`` (it came from context). Dates that disagree are never
    merged: two dates for one event stay, each with its evidence. "By 1996" (BEFORE) and
    "after 1996" (AFTER) do not contain the event and are left alone.

    Args:
        events: The KB's events after resolution (actor ids global across documents);
            changed in place.

    Returns:
        How many events got a finer date.

    References:
        Event coreference by type, arguments and compatible time, as in event-data
        de-duplication (Schrodt & Van Brackle 2013, "Automated coding of political event
        data"); TimeML intervals (Pustejovsky et al. 2003): a year contains its days.
    """
    dated = [e for e in events if e.time is not None and e.time.value and e.time.value_end is None]
    # the candidates share a participant: looked up by it, not among every event of the type
    by_who: dict[tuple[str, str, str], list] = {}
    for e in dated:
        for x in {*e.agents, *e.targets}:
            by_who.setdefault((e.type, e.status, x), []).append(e)
    changes = []
    for e in dated:
        t = e.time
        if t.precision not in ("month", "year") or t.modifier not in _CONTAINING:
            continue
        who = set(e.agents) | set(e.targets)
        near = {id(f): f for x in who for f in by_who[(e.type, e.status, x)]}
        finer = {
            (f.time.value, f.time.precision)
            for f in near.values()
            if f is not e and len(f.time.value) > len(t.value) and f.time.value.startswith(t.value)
            and f.time.modifier in _CONTAINING and who & (set(f.agents) | set(f.targets))
            and not (e.place and f.place and e.place != f.place)
        }
        if len(finer) == 1:
            changes.append((e, *finer.pop()))
    for e, value, precision in changes:
        t = e.time
        e.time = TimeExpr(t.start, t.end, t.text, value, precision, None, t.modifier, True)
    return len(changes)


_SINCE_FOUNDING = re.compile(
    r"\b(?:[Ss]ince|[Ff]rom)\s+(?:the\s+(?:very\s+)?(?:first\s+)?(?:day|days|moment|months?|years?)\s+of\s+)?"
    r"(?:its|their|the)\s+(?:founding|creation|establishment|formation|inception|foundation)"
    r"(?:\s+of\s+(?P<named>(?:the\s+)?[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*){0,5}))?")


def anchor_founding_dates(events: list, relations: list, actor_named: Callable[[str], str | None]) -> int:
    """Date "from the first day of its founding until late 1994" and "since the creation of
    the Taliban" by the founding the KB itself knows.

    The founding is the ``ESTABLISH`` event whose target is the actor meant: the one named
    ("the creation of the Taliban"), or for "its"/"their" one of the fact's own actors. An
    event gets the span founding → the date its words gave (the "until" end); a relation
    whose start is unknown starts at the founding. A founding told in the fact's own
    document wins; elsewhere it must be the only date the KB has. Nothing changes when no
    single founding date is found.

    Args:
        events: The KB's events (actor ids global); changed in place.
        relations: The KB's relations; changed in place.
        actor_named: the id of the actor a name stands for, or None.

    Returns:
        How many facts got a date from a founding.
    """
    founded: dict[str, list[tuple[str, TimeExpr]]] = {}
    for e in events:
        if e.type == "ESTABLISH" and e.status == "happened" and e.time is not None and e.time.value \
                and e.time.modifier in _CONTAINING:
            for t in e.targets:
                founded.setdefault(t, []).append((e.evidence[0].doc if e.evidence else "", e.time))

    def founding(fact_doc: str, quote: str, own: list[str]) -> TimeExpr | None:
        m = _SINCE_FOUNDING.search(quote)
        if not m:
            return None
        if m.group("named"):
            named = re.sub(r"^the\s+", "", m.group("named"))
            words = named.split()
            hits = (actor_named(" ".join(words[:i])) for i in range(len(words), 0, -1))
            who = [a for a in hits if a][:1]
        else:
            who = own
        dates = [(doc, t) for a in who for doc, t in founded.get(a, [])]
        local = {t.value: t for doc, t in dates if doc == fact_doc}
        pool = local or {t.value: t for _, t in dates}
        return next(iter(pool.values())) if len(pool) == 1 else None

    changed = 0
    for e in events:
        if e.type == "ESTABLISH" or not e.evidence:
            continue
        t = founding(e.evidence[0].doc, e.evidence[0].quote, [*e.targets, *e.agents])
        if t is None:
            continue
        old = e.time
        end = old.value if old is not None and old.value and old.value > t.value else None
        e.time = TimeExpr(old.start if old else t.start, old.end if old else t.end,
                          old.text if old else t.text, t.value, t.precision, end, None, True)
        changed += 1
    for r in relations:
        if r.start or not r.evidence:
            continue
        t = founding(r.evidence[0].doc, r.evidence[0].quote, [r.target, r.source])
        if t is not None:
            r.start = t.value
            changed += 1
    return changed


_EVENT_REFERENCE = re.compile(
    r"\b(?P<rel>[Aa]fter|[Bb]efore|[Ss]ince|[Ff]ollowing|[Uu]ntil|[Pp]rior\s+to|[Uu]pon)\s+the\s+"
    r"(?:(?P<who>[A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){0,3}?)(?:['’]s)?\s+)?"
    r"(?:(?:ultimate|eventual|final|subsequent|later|first)\s+)?(?P<noun>[a-z]+)"
    r"(?:\s+of\s+(?:the\s+)?(?P<obj>[A-Z][\w'’\-]*(?:[\s-]+[A-Z][\w'’\-]*){0,4}))?")
_AFTER_WORDS = ("after", "since", "following", "upon")


@lru_cache(maxsize=1)
def _event_nouns() -> dict[str, tuple[str, bool]]:
    """Event nouns of the event lexicon: noun → (event type, whether "of X" is the agent)."""
    out: dict[str, tuple[str, bool]] = {}
    for row in lexicons.rows("events_triggers"):
        if len(row) >= 3 and row[1] == "NOUN":
            out.setdefault(row[0], (row[2], "of-agent" in (row[3] if len(row) > 3 else "")))
    return out


def anchor_event_references(events: list, relations: list, actor_named: Callable[[str], str | None]) -> int:
    """Date "after the Soviet withdrawal", "until the assassination of Massoud", "before the
    fall of Kabul" by the event the KB itself knows.

    The phrase names an event by its noun (the event lexicon's nouns: withdrawal → WITHDRAW)
    and its actor or place (a possessor or demonym, an "of" phrase). The KB event meant has
    that type, happened, and carries every actor or place the phrase names. A fact told with
    no date of its own (undated, or dated only by its context) gets that date with the
    phrase's direction (AFTER for after/since/following, BEFORE for before/until/prior to).
    Of the events meant, the most precisely dated are taken; they must lie within two years
    of each other ("after" takes the last, "since", "before" and "until" the first). A fact
    never takes a date from its own sentence's event, nor from the event it is a mention of.

    Args:
        events: The KB's events (actor ids global); changed in place.
        relations: The KB's relations; changed in place.
        actor_named: the id of the actor a name or demonym stands for, or None.

    Returns:
        How many facts got a date from an event reference.

    References:
        Strötgen & Gertz (2013), "Multilingual and cross-domain temporal tagging": event-
        anchored expressions need the event's own time, which the KB knows.
    """
    nouns = _event_nouns()
    # The events a phrase can mean carry its actor (or, for an "of" phrase, may be at its
    # place): looked up by them, in the KB's order (the last of one date is taken), not
    # sought among every event. Anchoring only takes events out of the "happened and dated"
    # ones (its dates are AFTER/BEFORE), so an index made first holds every candidate.
    order = {id(e): i for i, e in enumerate(events)}
    by_actor: dict[tuple[str, str], list] = {}
    by_place: dict[tuple[str, str], list] = {}
    for e in events:
        if e.status == "happened" and e.time is not None and e.time.value and not e.time.value_end \
                and e.time.modifier in _CONTAINING:
            for x in {*e.agents, *e.targets}:
                by_actor.setdefault((e.type, x), []).append(e)
            if e.place:
                by_place.setdefault((e.type, e.place.lower()), []).append(e)

    def candidates(etype: str, who: str | None, obj: str | None, obj_text: str | None, of_agent: bool) -> list:
        if who:
            found = by_actor.get((etype, who), [])
        else:  # an "of" phrase: its actor, or its place
            found = [*by_actor.get((etype, obj), [])] if obj else []
            if not of_agent and obj_text:
                found += by_place.get((etype, obj_text.lower()), [])
        return sorted({id(e): e for e in found}.values(), key=lambda e: order[id(e)])

    def anchor(ev, own_type: str | None = None, own_trigger: str = "") -> tuple[TimeExpr, str] | None:
        m = _EVENT_REFERENCE.search(ev.quote)
        if not m or m.group("noun") not in nouns:
            return None
        etype, of_agent = nouns[m.group("noun")]
        if own_type == etype and own_trigger.lower() == m.group("noun"):
            return None  # the fact is the referenced event itself
        who = actor_named(m.group("who")) if m.group("who") else None
        obj_text = m.group("obj")
        obj = actor_named(obj_text) if obj_text else None
        if (m.group("who") and not who) or (obj_text and not obj and of_agent):
            return None
        if not who and not obj_text:
            return None
        values: dict[str, TimeExpr] = {}
        for e in candidates(etype, who, obj, obj_text, of_agent):
            if e.type != etype or e.status != "happened" or e.time is None or not e.time.value \
                    or e.time.value_end or e.time.modifier not in _CONTAINING:
                continue
            if any(x.doc == ev.doc and x.start < ev.end and ev.start < x.end for x in e.evidence):
                continue  # the same sentence: no date from itself
            people = set(e.agents) | set(e.targets)
            if who and who not in (e.agents if not of_agent else people):
                continue
            if obj_text:
                if of_agent and obj not in e.agents:
                    continue
                if not of_agent and obj not in people and not (
                        e.place and e.place.lower() == obj_text.lower()):
                    continue
            values[e.time.value] = e.time
        if not values:
            return None
        # The most precisely dated tellings are the event itself ("completed in February
        # 1989"); coarse ones may be its build-up ("discussed withdrawals" in 1980).
        depth = max(len(v) for v in values)
        values = {v: t for v, t in values.items() if len(v) == depth}
        if int(max(values)[:4]) - int(min(values)[:4]) > 2:
            return None  # several events of that kind, years apart: which one is unknown
        rel = m.group("rel").split()[0].lower()
        direction = "AFTER" if rel in _AFTER_WORDS else "BEFORE"
        # after a drawn-out event: after its end; since / before / until it: its start
        t = values[max(values) if rel != "since" and direction == "AFTER" else min(values)]
        return TimeExpr(ev.start + m.start(), ev.start + m.end(), m.group(0), t.value, t.precision,
                        None, direction, True), direction

    changed = 0
    for e in events:
        if not e.evidence or (e.time is not None and e.time.value and not e.time.relative):
            continue
        found = anchor(e.evidence[0], e.type, e.trigger)
        if found:
            e.time = found[0]
            changed += 1
    for r in relations:
        if not r.evidence or (r.time is not None and r.time.value and not r.time.relative):
            continue
        found = anchor(r.evidence[0])
        if not found:
            continue
        t, direction = found
        if direction == "AFTER":
            r.start, r.time = t.value, t
        elif r.end is None:
            r.end = t.value
        changed += 1
    return changed


def close_ceased_relations(relations: list) -> int:
    """End a support span where the KB says the support ceased.

    "Saudi Arabia supplied the Taliban with financial aid" (a ``supports`` relation with
    no end) and "In 1998 Saudi Arabia ceased financial support to the Taliban" (a
    ``ceased_support`` starting 1998) together say the support ran until 1998. A
    ``supports`` relation of the same source and target gets the cease's start as its
    ``end`` when it has no end yet, did not start after the cease, and the qualifiers agree
    (equal, or either unqualified: "ceased financial support" ends "supported"). The cease's
    evidence is added to the support's, so the end is sourced too. A support that starts
    after the cease ("resumed aid in 2000") is left open.

    Args:
        relations: The KB's relations after resolution; changed in place.

    Returns:
        How many support spans were closed.
    """
    ceases: dict[tuple[str, str], list] = {}
    for r in relations:
        if r.relation == "ceased_support" and r.start:
            ceases.setdefault((r.source, r.target), []).append(r)
    n = 0
    for r in relations:
        if r.relation != "supports" or r.end or (r.source, r.target) not in ceases:
            continue
        later = [c for c in ceases[(r.source, r.target)]
                 if (c.qualifier in (None, r.qualifier) or r.qualifier is None)
                 and (r.start is None or r.start[:4] <= c.start[:4])]
        if later:
            c = min(later, key=lambda c: c.start)
            r.end = c.start
            r.evidence.extend(e for e in c.evidence if e not in r.evidence)
            n += 1
    return n
