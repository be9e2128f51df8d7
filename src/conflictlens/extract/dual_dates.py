"""Dual-calendar dates: "29(16) June 1913", "10 July (27 June)", "8 October (25 September O.S.)".

Texts about countries that kept the Julian calendar give a date twice: the Gregorian (New
Style) date and, in parentheses, the Julian (Old Style) one. Read naively, the bracketed day
breaks the date ("29(16) June 1913" becomes only "June 1913") or becomes a date of its own.

:func:`mask` blanks the Old-Style part with spaces of the same length, so the date readers
of ``time.py`` see one plain date ("29     June 1913") at unchanged offsets. When the
parenthesis says it holds the New-Style date ("16 June (29 June N.S.)") the outer date is
the Old-Style one and is blanked instead.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .. import lexicons

_OLD = r"(?:O\.\s?S\.?|Old\s+Style|old\s+style|Julian(?:\s+calendar)?)"
_NEW = r"(?:N\.\s?S\.?|New\s+Style|new\s+style|Gregorian(?:\s+calendar)?)"


@lru_cache(maxsize=1)
def _rx() -> tuple[re.Pattern, re.Pattern]:
    names = sorted((r[0] for r in lexicons.rows("time_months") if r[2] == "full"), key=len, reverse=True)
    month = "(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w-])"
    day = r"(?:[12]\d|3[01]|0?[1-9])(?!\d)"
    # "29(16) June", "29 (16) June": a bare day in brackets between day and month.
    inner = re.compile(rf"(?<![\w.])(?P<d>{day})(?P<old>\s?\(\s*{day}\s*\))(?=\s*{month})")
    # "10 July(27 June)", "October 8 (September 25, O.S.)", "16 June (29 June N.S.)".
    paren = (rf"\(\s*(?:(?P<pre>{_OLD}|{_NEW}):?\s*)?(?:{day}\s+{month}|{month}\s+{day}|{day})"
             rf"(?:,?\s+\d{{4}})?(?:,?\s*(?P<post>{_OLD}|{_NEW}))?\s*\)")
    after = re.compile(rf"(?<![\w.])(?P<outer>{day}\s+{month}|{month}\s+{day})(?P<p>\s?{paren})")
    return inner, after


def _blank(buf: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if buf[i] != "\n":
            buf[i] = " "


def mask(text: str) -> str:
    """``text`` with every Old-Style half of a dual date blanked (same length, same offsets)."""
    if "(" not in text:
        return text
    inner, after = _rx()
    buf: list[str] | None = None
    for m in inner.finditer(text):
        buf = buf or list(text)
        _blank(buf, m.start("old"), m.end("old"))
    for m in after.finditer(text):
        buf = buf or list(text)
        marker = m.group("pre") or m.group("post") or ""
        if re.fullmatch(_NEW, marker):
            # the bracket holds the New-Style date: keep its date, blank the rest
            _blank(buf, m.start("outer"), m.end("outer"))
            p0, p1 = m.start("p"), m.end("p")
            body = text[p0:p1]
            _blank(buf, p0, p0 + body.index("(") + 1)
            _blank(buf, p1 - 1, p1)
            for k in ("pre", "post"):
                if m.group(k):
                    _blank(buf, m.start(k), m.end(k))
        else:
            _blank(buf, m.start("p"), m.end("p"))
    return "".join(buf) if buf is not None else text
