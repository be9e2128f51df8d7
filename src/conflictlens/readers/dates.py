"""Dates as formats write them (PDF ``D:20000726…``, ISO timestamps, "2 May 2019") → ISO."""

from __future__ import annotations

import re
from datetime import date, datetime

_PDF = re.compile(r"^D?:?(\d{4})(\d{2})?(\d{2})?")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?(?![\d])")


def iso_date(value) -> str | None:
    """``YYYY-MM-DD`` (or ``YYYY-MM``) of a metadata date, None when it is not one.

    A year alone is not enough to anchor "last month"; such a value is dropped.
    """
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    s = str(value).strip()
    if not s:
        return None
    m = _ISO.match(s)
    if m:
        return _valid(m.group(1), m.group(2), m.group(3))
    m = _PDF.match(s)
    if m and m.group(2):
        return _valid(m.group(1), m.group(2), m.group(3))
    try:
        import dateparser

        d = dateparser.parse(s[:100], settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["month", "year"]},
                             languages=["en"])
    except Exception:  # noqa: BLE001 - a date we cannot read is no date
        return None
    return iso_date(d) if d else None


def _valid(y: str, m: str, d: str | None) -> str | None:
    try:
        date(int(y), int(m), int(d or 1))
    except ValueError:
        return None
    if int(y) < 1:
        return None
    return f"{int(y):04d}-{int(m):02d}" + (f"-{int(d):02d}" if d else "")
