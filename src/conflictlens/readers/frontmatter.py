"""Markdown front matter: a ``---`` block at the top whose ``date:`` and ``title:`` lines are
the document's own. The block stays in the text (offsets are into the file) as markup."""

from __future__ import annotations

import re

from ..records import Document
from .dates import iso_date

_BLOCK = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(.{0,4000}?)^(?:---|\.\.\.)[ \t]*$", re.S | re.M)
_FIELD = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*?)[ \t]*$", re.M)


def apply(doc: Document) -> Document:
    """Set ``doc``'s date and title from its front matter; mark the block as markup."""
    m = _BLOCK.match(doc.text)
    if not m:
        return doc
    fields = {k.lower(): v.strip().strip("\"'") for k, v in _FIELD.findall(m.group(1))}
    date = iso_date(fields.get("date") or fields.get("published") or fields.get("pubdate"))
    if date:
        doc.date, doc.date_source = date, "front matter"
    end = m.end()
    doc.markup = sorted([s for s in doc.markup if s[0] >= end] + [(0, end)])
    doc.infobox = [f for f in doc.infobox if f.line_start >= end]
    if fields.get("title"):
        doc.title = fields["title"]
    elif doc.title.strip() in ("---", ""):
        first = next((ln.strip("#= \t") for ln in doc.text[end:].splitlines() if ln.strip()), "")
        doc.title = first[:200] or doc.title
    return doc
