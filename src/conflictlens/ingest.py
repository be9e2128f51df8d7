"""Read documents: untrusted files in, exact text and structure out.

The text is the file's bytes decoded as UTF-8 and nothing else (no newline translation, no
stripping), so that every evidence offset is an offset into ``Path.read_bytes().decode()``.
Wikipedia-style markup is recognised but left in place: ``= Title =`` / ``== Heading ==``
lines (and Markdown ``#`` headings, and a paper's numbered headings such as "2.1. The Rise
of …") and an infobox written as ``- Key: value`` lines are recorded as spans, so later
stages can skip them or read them as structured facts.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from . import readers
from .errors import DocumentError
from .records import Document, InfoboxField

#: PDF, web pages, Word files and news feeds are read by ``readers/``.
SUFFIXES = (".txt", ".md", ".markdown", ".text") + readers.SUFFIXES
#: Files that describe a corpus folder rather than belong to it.
CORPUS_META = re.compile(r"^(readme|sources|license|licence|changelog)(\.[a-z]+)?$", re.I)
MAX_BYTES = 20 * 1024 * 1024

_HEADING = re.compile(r"^(=+)\s*(.*?)\s*=+\s*$|^(#{1,6})\s+(.*?)\s*#*\s*$")
# A numbered heading of a plain-text paper: "2. The Rise of the Taliban", "3.1.2 Relations
# with Russia" — a short line, no sentence end. "3 September 1996 …" has no dot after its number.
_NUMBERED_HEADING = re.compile(r"^(?:\d{1,2}\.(?:\d{1,2}\.)*|\d{1,2}(?:\.\d{1,2})+)\s+([A-Z][^\n]{1,100}?)\s*$")
# An infobox line: "- Key: value", the key one to three words, letters and digits only.
_INFOBOX = re.compile(r"^- ([A-Za-z][A-Za-z0-9]*(?: [A-Za-z0-9]+){0,2}):[ \t]?(.*?)[ \t]*$")


def find_documents(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The document files under ``paths`` (files as given; folders walked, sorted)."""
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if (
                    f.is_file()
                    and f.suffix.lower() in SUFFIXES
                    and not CORPUS_META.match(f.name)
                    and not any(part.startswith(".") for part in f.relative_to(p).parts)
                ):
                    yield f
        else:
            yield p


def read_document(path: str | Path, max_bytes: int = MAX_BYTES) -> Document:
    """Read one document; raise :class:`DocumentError` (one line, names the file) if unusable."""
    path = Path(path)
    try:
        if path.is_dir():
            raise DocumentError("is a folder, not a document file", str(path))
        size = path.stat().st_size
        if size > max_bytes:
            raise DocumentError(
                f"too large ({size:,} bytes, limit {max_bytes:,}); split it into smaller files",
                str(path),
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"cannot be read ({exc.strerror or exc}); check that it exists "
                            "and is readable", str(path)) from None
    if b"\x00" in raw[:65536]:
        raise DocumentError("looks binary (contains NUL bytes); give a plain-text or Markdown "
                            "file", str(path))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DocumentError(f"is not UTF-8 (bad byte at offset {exc.start}); convert it, "
                            "e.g. iconv -t UTF-8", str(path)) from None
    if not text.strip():
        raise DocumentError("is empty; nothing to extract", str(path))
    return parse_text(text, name=path.name, path=str(path))


def read_file(path: str | Path) -> tuple[list[Document], list[DocumentError]]:
    """The documents of one file (a news feed holds many) and the errors of its bad parts;
    raise :class:`DocumentError` when the whole file is unusable. The format goes by suffix."""
    path = Path(path)
    reader = readers.reader_for(path)
    if reader is not None and not path.is_dir():
        return reader(path)
    doc = read_document(path)
    doc.format = path.suffix.lower().lstrip(".")
    if doc.format in ("md", "markdown"):
        readers.frontmatter.apply(doc)
    return [doc], []


def parse_text(text: str, name: str, path: str = "") -> Document:
    """Build a :class:`Document` from text already decoded (title, infobox, markup spans)."""
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    doc = Document(id="d" + sha[:12], name=name, path=path or name, text=text, sha256=sha)
    in_infobox_block = False
    seen_prose = False
    first_line = True
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        start, end = pos, pos + len(body)
        pos += len(line)
        if not body.strip():
            continue
        was_first, first_line = first_line, False
        h = _HEADING.match(body)
        if h:
            doc.markup.append((start, end))
            title = h.group(2) if h.group(2) is not None else h.group(4)
            if was_first or (not doc.title and (h.group(1) == "=" or h.group(3) == "#")):
                doc.title = title
            in_infobox_block = False
            continue
        n = _NUMBERED_HEADING.match(body)
        if n and not re.search(r"[.!?:;,]$", body.rstrip()) and len(n.group(1).split()) <= 14:
            doc.markup.append((start, end))
            in_infobox_block = False
            continue
        m = _INFOBOX.match(body)
        # An infobox is a block of "- Key: value" lines before the prose starts.
        if m and (in_infobox_block or not seen_prose):
            in_infobox_block = True
            vstart = start + m.start(2)
            doc.infobox.append(InfoboxField(m.group(1), m.group(2), vstart, vstart + len(m.group(2)),
                                            start, end))
            doc.markup.append((start, end))
            continue
        if in_infobox_block or len(body) > 120:
            seen_prose = True
        in_infobox_block = False
        if was_first and len(body) <= 200:
            doc.title = body.strip()
    if len(doc.infobox) < 2:  # one stray "- Note: …" line is a list item, not an infobox
        spans = {(f.line_start, f.line_end) for f in doc.infobox}
        doc.markup = [s for s in doc.markup if s not in spans]
        doc.infobox = []
    if not doc.title:
        doc.title = Path(name).stem
    return doc
