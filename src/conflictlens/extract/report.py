"""The report genre: a document that carries its own date.

UN and NGO reports, press releases and news items are written at a date the document states
in its head ("Distr.: General 26 July 2000", "Date: 3 March 2021", "New York, 26 July 2000").
Such a document tells its story from that date, as news does (HeidelTime's "news" mode
resolves against the document creation time, DCT), not as a history narrates:

- a date without a year ("On 21 July", "In June", "since January") is in the DCT's year, or
  in the year before when its month comes after the DCT's month (a report looks back), unless
  the clause speaks of the future ("is to be completed in August");
- deictic words count from the DCT: "last year", "this year", "next year", "last February";
- a sentence with no time of its own falls back on the DCT's year (the reporting period).

A date found anywhere else (a Wikipedia lead's "on 27 September 1996") is not a DCT: the
date must stand on a short line of the document's head, before its prose starts.

References:
    Strötgen & Gertz (2013), Multilingual and cross-domain temporal tagging (HeidelTime):
    news documents resolve underspecified expressions against the document creation time.
    Pustejovsky et al. (2003), TimeML: the DCT as the anchor of deictic expressions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..records import WEAK_DATE_SOURCES, TimeExpr

#: How far into a document its own date may stand (characters, non-empty lines).
_HEAD_CHARS = 1500
_HEAD_LINES = 12
#: A line longer than this is prose: the head is over.
_PROSE_LINE = 200
#: A dateline is short: the date and a few words of label ("Distr.: General", "New York,").
_DATELINE_MAX = 80
_LABEL_WORDS = 4
_MONTH_LABEL_WORDS = 1
#: Words of a clause that speak of the future ("is to be completed in August").
_FUTURE = re.compile(r"\b(?:will|shall|is\s+to|are\s+to|to\s+be|expected|scheduled|planned|"
                     r"due|next|upcoming|forthcoming)\b", re.I)
_CLAUSE_START = re.compile(r"[.;!?]\s|\n\s*\n")


def document_date(text: str, times: Iterable[TimeExpr],
                  markup_ends: Iterable[int] = ()) -> TimeExpr | None:
    """The date a document states as its own (its DCT), or None.

    Args:
        text: The document's text.
        times: Its absolute time expressions, in text order.
        markup_ends: Where heading and infobox lines end: a date there names what the
            document is about, not when it was written.

    Returns:
        The first single date of a day ("Distr.: General 26 July 2000") or a month
        ("March 2021", a report's cover) on a short line of the head (before any prose
        line and within the first lines), whose other words are a short label.
    """
    head_end = min(len(text), _HEAD_CHARS)
    pos = lines = 0
    for line in text[:head_end].splitlines(keepends=True):
        if line.strip():
            lines += 1
            if len(line.strip()) > _PROSE_LINE or lines > _HEAD_LINES:
                head_end = pos
                break
        pos += len(line)
    skip = set(markup_ends)
    for t in times:
        if t.start >= head_end:
            break
        if t.precision not in ("day", "month") or t.value_end is not None or t.modifier \
                or t.relative:
            continue
        ls = text.rfind("\n", 0, t.start) + 1
        le = text.find("\n", t.end)
        le = len(text) if le == -1 else le
        if le in skip or le - 1 in skip:
            continue
        line = text[ls:le].strip()
        rest = (text[ls:t.start] + " " + text[t.end:le]).strip(" ,.-–:;()\t\r")
        # a cover's "March 2021" stands nearly alone; a day date may carry a label
        words = _LABEL_WORDS if t.precision == "day" else _MONTH_LABEL_WORDS
        if len(line) <= _DATELINE_MAX and len(rest.split()) <= words:
            return t
    return None


def stated_date(date: str | None) -> TimeExpr | None:
    """A date the document's metadata or the user gives (ISO ``YYYY-MM`` or ``YYYY-MM-DD``)
    as a DCT. It stands nowhere in the text: its span is empty."""
    if not date or not re.match(r"^\d{4}-\d{2}(?:-\d{2})?$", date):
        return None
    return TimeExpr(0, 0, "", date, "day" if len(date) == 10 else "month", None, None, True)


def given_date(document) -> tuple[TimeExpr | None, bool]:
    """``(DCT, weak)`` a :class:`~conflictlens.records.Document` carries from its format or
    the user; weak when it is a file's creation date, which the text's dateline overrides."""
    if document is None or document.date_source == "text":
        return None, False
    return stated_date(document.date), document.date_source in WEAK_DATE_SOURCES


def choose_date(found: TimeExpr | None, given: TimeExpr | None, weak: bool) -> TimeExpr | None:
    """The DCT: a date stated by metadata or the user wins over the text's dateline
    (``found``); a file's creation date only stands in when the text states none."""
    if given is None or (weak and found is not None):
        return found
    return given


def year_of(dct: TimeExpr, month: int, text: str, start: int) -> int:
    """The year of a date written without one ("On 21 July"), read from the DCT.

    A month after the DCT's lies in the year before, unless its clause speaks of the
    future; the DCT's own month is its year.
    """
    year, dmonth = int(dct.value[:4]), int(dct.value[5:7])
    if month <= dmonth:
        return year
    return year if _future(text, start) else year - 1


def _future(text: str, start: int) -> bool:
    lo = max(0, start - 200)
    cut = [m.end() for m in _CLAUSE_START.finditer(text, lo, start)]
    return bool(_FUTURE.search(text, cut[-1] if cut else lo, start))


_DEICTIC = re.compile(
    r"(?<![\w-])(?<!the\s)(?P<off>last|this|next|past)\s+(?P<unit>year|month|(?-i:[A-Z][a-z]+))(?![\w-])",
    re.I)
_OFFSET = {"last": -1, "past": -1, "this": 0, "next": 1}


def deictic_times(text: str, dct: TimeExpr, months: dict[str, int]) -> list[TimeExpr]:
    """"last year", "this year", "next year", "last month", "last February", counted from
    the DCT. ``months`` maps lower-case full month names to their numbers."""
    out = []
    y, m = int(dct.value[:4]), int(dct.value[5:7])
    for g in _DEICTIC.finditer(text):
        off, unit = _OFFSET[g.group("off").lower()], g.group("unit").lower()
        if unit == "year":
            value, prec = f"{y + off:04d}", "year"
        elif unit == "month":
            k = y * 12 + m - 1 + off
            value, prec = f"{k // 12:04d}-{k % 12 + 1:02d}", "month"
        elif unit in months and g.group("off").lower() in ("last", "this", "next"):
            mm = months[unit]
            if off < 0:  # the most recent one before the DCT
                yy = y if mm < m else y - 1
            elif off > 0:
                yy = y if mm > m else y + 1
            else:
                yy = y
            value, prec = f"{yy:04d}-{mm:02d}", "month"
        else:
            continue
        out.append(TimeExpr(g.start(), g.end(), g.group(0), value, prec, None, None, True))
    if dct.precision == "day":
        out += day_times(text, dct, months)
    return sorted(out, key=lambda t: t.start)


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY = re.compile(r"(?<![\w-])(?:(?P<off>last|next|this\s+(?:past|coming))\s+)?(?P<wd>(?-i:Monday|Tuesday|Wednesday|"
                  r"Thursday|Friday|Saturday|Sunday))(?![\w-])|(?<![\w-])(?P<rel>yesterday|today)(?![\w-])", re.I)


def day_times(text: str, dct: TimeExpr, months: dict[str, int]) -> list[TimeExpr]:
    """News deixis of a day, counted from a DCT of day precision: "on Tuesday" (the last
    Tuesday up to the DCT, the next one when its clause speaks of the future), "last
    Friday", "yesterday", "today". A weekday written with its date ("Tuesday, 3 May") is
    left to the date."""
    from datetime import date, timedelta

    try:
        d0 = date.fromisoformat(dct.value)
    except ValueError:
        return []
    out = []
    for g in _DAY.finditer(text):
        if g.group("rel"):
            day = d0 - timedelta(days=1) if g.group("rel").lower() == "yesterday" else d0
        else:
            after = text[g.end():g.end() + 16].lstrip(" ,").lower()
            if after[:1].isdigit() or any(after.startswith(m) for m in months):
                continue
            wd = _WEEKDAYS.index(g.group("wd").lower())
            off = (g.group("off") or "").lower()
            if off == "next" or off.endswith("coming") or (not off and _future(text, g.start())):
                day = d0 + timedelta(days=(wd - d0.weekday() - 1) % 7 + 1)
            else:
                back = (d0.weekday() - wd) % 7
                day = d0 - timedelta(days=back or (7 if off == "last" else 0))
        out.append(TimeExpr(g.start(), g.end(), g.group(0), day.isoformat(), "day", None, None, True))
    return out


#: The stretch a report covers, named as such: the report's year.
_PERIOD = re.compile(r"(?<![\w-])(?:the\s+)?(?:(?:present|current)\s+)?(?:reporting\s+period|"
                     r"period\s+under\s+(?:review|report|consideration))(?![\w-])", re.I)


def period_times(text: str, dct: TimeExpr) -> list[TimeExpr]:
    """"during the reporting period", "the period under review": the DCT's year."""
    return [TimeExpr(g.start(), g.end(), g.group(0), dct.value[:4], "year", None, None, True)
            for g in _PERIOD.finditer(text)]


def present_time(tok, dct: TimeExpr | None) -> TimeExpr | None:
    """The DCT's year for a clause in the present or present perfect ("UNTAET has
    established an office", "X is financing Y"): in a dated report such a clause is about
    the report's present, not the last date its paragraph mentioned."""
    if dct is None:
        return None
    verb = tok
    for _ in range(6):
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    present = verb.tag_ in ("VBZ", "VBP") and not auxes or any(
        a.tag_ in ("VBZ", "VBP") and a.lemma_.lower() in ("have", "be") for a in auxes[:1])
    return fallback_year(dct) if present else None


def _clause(tok):
    for _ in range(8):
        if tok.pos_ in ("VERB", "AUX") or tok.head.i == tok.i:
            return tok
        tok = tok.head
    return tok


def own_clause_present(tok, times: list[TimeExpr], dct: TimeExpr | None) -> TimeExpr | None:
    """:func:`present_time` for ``tok`` when none of ``times`` (its sentence's) lies in its
    own clause: "UNTAET has assisted Y to try the crimes of 1999" is of the report's year."""
    now = present_time(tok, dct)
    if now is None:
        return None
    verb = _clause(tok)
    for t in times:
        span = tok.doc.char_span(t.start, t.end, alignment_mode="expand")
        if span is not None and _clause(span.root).i == verb.i:
            return None
    return now


def merge_times(times: list[TimeExpr], extra: list[TimeExpr]) -> list[TimeExpr]:
    """``times`` with the ``extra`` expressions, an extra one replacing what overlaps it."""
    if not extra:
        return times
    keep = [t for t in times if not any(t.start < x.end and x.start < t.end for x in extra)]
    return sorted(keep + extra, key=lambda t: (t.start, t.end))


def fallback_year(dct: TimeExpr) -> TimeExpr:
    """The DCT at year precision: the time of a report's undated sentences."""
    return TimeExpr(dct.start, dct.end, dct.text, dct.value[:4], "year", None, None, True)
