"""Web pages: the article's main text, without navigation, ads, scripts or footers.

trafilatura finds the main content and the page's metadata (title; publication date from
``<meta>`` tags and structured data, via htmldate, without guessing from the body). Its
XML tree is written out as text: headings as Markdown ``## `` lines (so later stages see the
sections), paragraphs a blank line apart, list items as ``- `` lines, tables as pipe rows.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import DocumentError
from ..records import Document
from . import check_size, finish
from .dates import iso_date

MAX_BYTES = 20 * 1024 * 1024
#: Deeper nesting than this is no article (libxml2 cuts trees at 256 levels anyway).
MAX_DEPTH = 255
_TAG = re.compile(rb"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>")
_VOID = frozenset(b"area base br col embed hr img input link meta param source track wbr p li "
                  b"td th tr option".split())


def read_html(path: Path) -> Document:
    """Read a web page; DocumentError (one line naming the file) when it holds no article."""
    import trafilatura

    check_size(path, MAX_BYTES)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"cannot be read ({exc.strerror or exc})", str(path)) from None
    depth = nesting_depth(raw)
    if depth > MAX_DEPTH:
        raise DocumentError(f"nests its elements too deeply ({depth:,} levels, limit {MAX_DEPTH}); "
                            "not a readable web page", str(path))
    try:
        found = trafilatura.bare_extraction(
            raw, with_metadata=True, include_comments=False, include_tables=True,
            favor_recall=True, date_extraction_params={"extensive_search": False, "original_date": True})
    except Exception as exc:  # noqa: BLE001 - a hostile page must not stop the build
        raise DocumentError(f"is not a readable web page ({type(exc).__name__})", str(path)) from None
    if found is None or found.body is None:
        raise DocumentError("holds no article text (only navigation, scripts or nothing); "
                            "save the article's own page", str(path))
    title = (found.title or "").strip()
    text = _text(found.body)
    if title and title not in text[:3000]:  # the page's title is a heading of the article
        text = f"# {title}\n\n{text}"
    date = iso_date(found.date)
    return finish(text + "\n", path, fmt="html", title=title, date=date,
                  date_source="html meta" if date else "", url=found.url or "")


def nesting_depth(raw: bytes) -> int:
    """How deep the page's elements nest, counted from its tags (elements that close
    themselves or are often left open do not count)."""
    depth = deepest = 0
    for m in _TAG.finditer(raw):
        name = m.group(2).lower()
        if m.group(3) or name in _VOID:
            continue
        if m.group(1):
            depth = max(0, depth - 1)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def _flat(el) -> str:
    return " ".join("".join(el.itertext()).split())


def _text(body) -> str:
    blocks: list[str] = []
    for el in body:
        tag = el.tag
        if tag == "head":
            t = _flat(el)
            if t:
                blocks.append("## " + t)
        elif tag == "list":
            items = [_flat(i) for i in el.iter("item")]
            items = [i for i in items if i]
            if items:
                blocks.append("\n".join("- " + i for i in items))
        elif tag == "table":
            rows = []
            for row in el.iter("row"):
                cells = [_flat(c).replace("|", "/") for c in row.iter("cell")]
                if any(cells):
                    rows.append("| " + " | ".join(cells) + " |")
            if rows:
                blocks.append("\n".join(rows))
        else:
            t = _flat(el)
            if t:
                blocks.append(t)
    return "\n\n".join(blocks)
