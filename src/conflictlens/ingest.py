"""Read documents: untrusted files in, exact text and structure out.

The text is the file's bytes decoded as UTF-8 (or UTF-16/32 when the file starts with their
byte-order mark) and nothing else: no newline translation, no stripping but a leading
byte-order mark, so that every evidence offset is an offset into the decoded file.
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

# A numbered heading of a plain-text paper: "2. The Rise of the Taliban", "3.1.2 Relations
# with Russia" — a short line, no sentence end. "3 September 1996 …" has no dot after its number.
# (Matched against the line without its trailing space: "\s*$" after a lazy group would rescan
# a long run of spaces once per step.)
_NUMBERED_HEADING = re.compile(r"^(?:\d{1,2}\.(?:\d{1,2}\.)*|\d{1,2}(?:\.\d{1,2})+)\s+([A-Z][^\n]{1,100}?)\s*$")
# An infobox line: "- Key: value", the key one to three words, letters and digits only.
# The value is taken greedily and its trailing blanks cut in code: a lazy "(.*?)[ \t]*$" is
# quadratic on a long run of spaces.
_INFOBOX = re.compile(r"^- ([A-Za-z][A-Za-z0-9]*(?: [A-Za-z0-9]+){0,2}):[ \t]?(.*)$")


def _heading(line: str) -> tuple[str, str] | None:
    """``(marker, title)`` of a ``= Title =`` / ``== Heading ==`` or Markdown ``# Heading``
    line, else None. Plain string work: the regular expressions that said this
    (``^(=+)\\s*(.*?)\\s*=+\\s*$``) were cubic on a long run of "=" (a 3 KB line took minutes)."""
    if line.startswith("="):
        rest = line.lstrip("=")
        marker = line[:len(line) - len(rest)]
        body = rest.rstrip()
        if body.endswith("="):
            return marker, body.rstrip("=").strip()
        if not body and len(marker) >= 2:  # "====": an opening and a closing run
            return marker[:-1], ""
        return None
    if line.startswith("#"):
        rest = line.lstrip("#")
        marker = line[:len(line) - len(rest)]
        if len(marker) > 6 or not rest[:1].isspace():
            return None
        return marker, rest.rstrip().rstrip("#").strip()
    return None


def shown(path: str | Path) -> str:
    """A file name as an error line may print it: control characters and bytes that are not
    UTF-8 escaped (``\\n``, ``\\x1b``, ``\\xe9``), so one error stays one line."""
    name = str(path)
    if name.isprintable():
        return name
    out = []
    for c in name:
        if c.isprintable():
            out.append(c)
        elif "\udc80" <= c <= "\udcff":  # a byte os.fsdecode could not decode
            out.append(f"\\x{ord(c) - 0xDC00:02x}")
        else:
            out.append(c.encode("unicode_escape").decode("ascii"))
    return "".join(out)


def _storable(name: str) -> str:
    """A file name that is not UTF-8 ("caf\\xe9.txt"), readable and storable (SQLite refuses
    the surrogates Python decodes such bytes to)."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def find_documents(paths: Iterable[str | Path], errors: list[str] | None = None) -> Iterator[Path]:
    """The document files under ``paths`` (files as given; folders walked, sorted).

    Links met while walking a folder are followed only to a file inside that folder: a corpus
    is untrusted, and a link in it to ``/etc/passwd`` or a home folder must not put that file
    into the KB. A link to a file outside, a link to a folder, a broken link and a link loop
    each get one line in ``errors`` (when given) and are not read; a file named on the
    command line is read even if it is a link (its user chose it).
    """
    for p in map(Path, paths):
        if p.is_dir():
            root = p.resolve()
            for f in sorted(p.rglob("*")):
                if any(part.startswith(".") for part in f.relative_to(p).parts):
                    continue
                if f.is_symlink():
                    problem = _link_problem(f, root)
                    if problem:
                        if errors is not None and (problem[0] or f.suffix.lower() in SUFFIXES):
                            errors.append(str(DocumentError(problem[1], shown(f))))
                        continue
                if f.is_file() and f.suffix.lower() in SUFFIXES and not CORPUS_META.match(f.name):
                    yield f
        else:
            yield p


def _link_problem(link: Path, root: Path) -> tuple[bool, str] | None:
    """Why a link inside the corpus folder ``root`` is not followed, else None.
    ``(is a folder link, message)``."""
    try:
        target = link.resolve(strict=True)
    except (OSError, RuntimeError):  # RuntimeError: a link loop (Python 3.11)
        return False, ("is a broken link or a link loop; it was not read (point it at an "
                       "existing file inside the corpus folder)")
    if target.is_dir():
        return True, "is a link to a folder; links to folders are not followed (give the folder itself)"
    if not target.is_relative_to(root):
        return False, (f"is a link to {shown(target)}, outside the corpus folder; it was not read "
                       "(give that file itself to read it)")
    return None


def read_document(path: str | Path, max_bytes: int = MAX_BYTES) -> Document:
    """Read one document; raise :class:`DocumentError` (one line, names the file) if unusable."""
    path = Path(path)
    where = shown(path)
    try:
        if path.is_dir():
            raise DocumentError("is a folder, not a document file", where)
        size = path.stat().st_size
        if size > max_bytes:
            raise DocumentError(
                f"too large ({size:,} bytes, limit {max_bytes:,}); split it into smaller files",
                where,
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"cannot be read ({exc.strerror or exc}); check that it exists "
                            "and is readable", where) from None
    text = decode(raw, where)
    if not text.strip():
        raise DocumentError("is empty; nothing to extract", where)
    return parse_text(text, name=_storable(path.name), path=_storable(str(path)))


#: Byte-order marks, longest first (the UTF-32 LE mark begins with the UTF-16 LE one).
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
         (b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def decode(raw: bytes, where: str = "") -> str:
    """A document's bytes as text: UTF-8, or UTF-16/32 by their byte-order mark (or UTF-16
    without one, when every other byte of the head is NUL). A leading byte-order mark is
    dropped (it would hide a title heading on the first line); NUL anywhere is binary."""
    encoding = next((enc for bom, enc in _BOMS if raw.startswith(bom)), None)
    if encoding is None and len(raw) >= 4 and len(raw) % 2 == 0:
        head = raw[:4096]
        even, odd = head[0::2], head[1::2]
        if odd.count(0) >= 0.9 * len(odd) and 0 not in even:
            encoding = "utf-16-le"
        elif even.count(0) >= 0.9 * len(even) and 0 not in odd:
            encoding = "utf-16-be"
    if encoding is None and b"\x00" in raw:
        raise DocumentError("looks binary (contains NUL bytes); give a plain-text or Markdown "
                            "file", where)
    try:
        text = raw.decode(encoding or "utf-8")
    except UnicodeDecodeError as exc:
        name = "UTF-8" if encoding in (None, "utf-8-sig") else encoding.upper()
        raise DocumentError(f"is not {name} (bad byte at offset {exc.start}); convert it, "
                            "e.g. iconv -t UTF-8", where) from None
    if encoding == "utf-16-le" or encoding == "utf-16-be":
        text = text.removeprefix("\ufeff")
    if encoding is not None and "\x00" in text:
        raise DocumentError("looks binary (contains NUL characters); give a plain-text or "
                            "Markdown file", where)
    return text


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
        h = _heading(body)
        if h:
            doc.markup.append((start, end))
            marker, title = h
            if was_first or (not doc.title and marker in ("=", "#")):
                doc.title = title
            in_infobox_block = False
            continue
        n = _NUMBERED_HEADING.match(body.rstrip())
        if n and not re.search(r"[.!?:;,]$", body.rstrip()) and len(n.group(1).split()) <= 14:
            doc.markup.append((start, end))
            in_infobox_block = False
            continue
        m = _INFOBOX.match(body)
        # An infobox is a block of "- Key: value" lines before the prose starts.
        if m and (in_infobox_block or not seen_prose):
            in_infobox_block = True
            vstart = start + m.start(2)
            value = m.group(2).rstrip(" \t")
            doc.infobox.append(InfoboxField(m.group(1), value, vstart, vstart + len(value), start, end))
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
