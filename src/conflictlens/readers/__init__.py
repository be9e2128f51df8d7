"""Readers of formats other than plain text: PDF, web pages, Word files and news feeds.

Each reader turns one file into :class:`~conflictlens.records.Document` records whose
``text`` is the text every evidence offset points into (what the reader extracted, stored as
is), with the document's own date and, for PDF, the offset where each page starts. A file
that cannot be used raises :class:`~conflictlens.errors.DocumentError` (one line naming the
file); a news feed reports each bad article on its own and keeps the others.

Every reader bounds what a hostile file can cost: the file's size, the size of what it
unpacks to (a .docx is a zip), the pages of a PDF and the time spent on them, the nesting
depth of a web page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from ..errors import DocumentError
from ..records import Document
from . import frontmatter  # noqa: F401 - used by ingest for Markdown

#: Formats read here, by file suffix (``.txt``/``.md`` are read by ``ingest``).
SUFFIXES = (".pdf", ".html", ".htm", ".docx", ".jsonl")

#: The most text one document may hold, as for a plain-text file (``ingest.MAX_BYTES``).
MAX_TEXT = 20 * 1024 * 1024

Reader = Callable[[Path], tuple[list[Document], list[DocumentError]]]


def reader_for(path: Path) -> Reader | None:
    """The reader of ``path``'s format, or None for plain text and Markdown."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        from .pdf import read_pdf
        return _one(read_pdf)
    if suffix in (".html", ".htm"):
        from .web import read_html
        return _one(read_html)
    if suffix == ".docx":
        from .word import read_docx
        return _one(read_docx)
    if suffix == ".jsonl":
        from .feed import read_feed
        return read_feed
    return None


def _one(read: Callable[[Path], Document]) -> Reader:
    return lambda path: ([read(path)], [])


def check_size(path: Path, limit: int) -> int:
    """The size of ``path``; DocumentError when it is larger than ``limit`` or unreadable."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DocumentError(f"cannot be read ({exc.strerror or exc}); check that it exists "
                            "and is readable", str(path)) from None
    if size > limit:
        raise DocumentError(f"too large ({size:,} bytes, limit {limit:,}); split it into "
                            "smaller files", str(path))
    if size == 0:
        raise DocumentError("is empty; nothing to extract", str(path))
    return size


def finish(text: str, path: Path, *, name: str | None = None, fmt: str, title: str = "",
           date: str | None = None, date_source: str = "", pages: list[int] | None = None,
           url: str = "") -> Document:
    """The :class:`Document` of text a reader extracted: headings and title found as for
    plain text (``ingest.parse_text``), the metadata the format gave set on it."""
    from ..ingest import parse_text

    if not text.strip():
        raise DocumentError("holds no text; nothing to extract", str(path))
    if len(text) > MAX_TEXT:
        raise DocumentError(f"holds too much text ({len(text):,} characters, limit {MAX_TEXT:,}); "
                            "split it into smaller files", str(path))
    doc = parse_text(text, name=name or path.name, path=str(path))
    if title.strip():
        doc.title = " ".join(title.split())
    else:  # the first heading names the document better than its first line (a dateline)
        h = re.search(r"^#{1,6} +(\S[^\n]{0,199})$", text[:3000], re.M)
        if h:
            doc.title = h.group(1).strip()
    doc.format, doc.url = fmt, url
    if date:
        doc.date, doc.date_source = date, date_source
    doc.pages = pages or []
    return doc
