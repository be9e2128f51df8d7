"""News feeds (.jsonl): one article a line, ``{"id", "title", "date", "url", "text"}``.

Each article is a document of its own, named ``<file>#<id>`` in evidence, its text the title
line, a blank line and the article's text; its ``date`` anchors "last year" and "on Tuesday".
A bad line (not JSON, no text, too long) is reported with its line number and the others are
read; the file is read a line at a time, so a large archive does not sit in memory twice.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..errors import DocumentError
from ..records import Document
from . import check_size, finish
from .dates import iso_date

MAX_BYTES = 500 * 1024 * 1024
MAX_ARTICLE = 2 * 1024 * 1024
MAX_ARTICLES = 200_000
_ID = re.compile(r"[^\w.-]+")


def read_feed(path: Path) -> tuple[list[Document], list[DocumentError]]:
    """The articles of a .jsonl feed and one error per unusable line."""
    check_size(path, MAX_BYTES)
    docs: list[Document] = []
    bad: list[DocumentError] = []
    seen: set[str] = set()
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise DocumentError(f"cannot be read ({exc.strerror or exc})", str(path)) from None
    with fh:
        for n, raw in enumerate(_lines(fh), 1):
            where = f"{path}:{n}"
            if raw is None:
                bad.append(DocumentError(f"line longer than {MAX_ARTICLE:,} bytes; skipped", where))
                continue
            if not raw.strip():
                continue
            if len(docs) >= MAX_ARTICLES:
                bad.append(DocumentError(f"more than {MAX_ARTICLES:,} articles; the rest is skipped "
                                         "(split the feed)", where))
                break
            try:
                a = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
                bad.append(DocumentError(f"is not a JSON object in UTF-8 ({type(exc).__name__}); skipped", where))
                continue
            if not isinstance(a, dict) or not isinstance(a.get("text"), str) or not a["text"].strip():
                bad.append(DocumentError('has no "text" (an article is {"id", "title", "date", "url", '
                                         '"text"}); skipped', where))
                continue
            aid = _ID.sub("-", str(a.get("id") or n)).strip("-")[:80] or str(n)
            name = f"{path.name}#{aid}"
            if name in seen:
                name = f"{name}-{n}"
            seen.add(name)
            title = " ".join(str(a.get("title") or "").split())
            text = a["text"].replace("\r\n", "\n")
            if title and not text.lstrip().startswith(title):
                text = f"{title}\n\n{text}"
            date = iso_date(a.get("date"))
            try:
                docs.append(finish(text.rstrip() + "\n", path, name=name, fmt="jsonl", title=title,
                                   date=date, date_source="feed" if date else "",
                                   url=str(a.get("url") or "")))
            except DocumentError as exc:
                bad.append(DocumentError(exc.message, where))
                continue
            docs[-1].path = f"{path}#{aid}"
    if not docs and not bad:
        raise DocumentError("holds no article; nothing to extract", str(path))
    return docs, bad


def _lines(fh):
    """The file's lines; None in place of a line longer than an article may be."""
    while True:
        line = fh.readline(MAX_ARTICLE + 1)
        if not line:
            return
        if len(line) > MAX_ARTICLE and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # skip the rest of the line
                line = fh.readline(1 << 20)
            yield None
            continue
        yield line
