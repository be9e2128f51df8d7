"""PDF: the text of each page in reading order, with the offset where every page starts.

PDFium (pypdfium2, the PDF engine of Chromium) gives every character with its box and font
size; words and lines are rebuilt from the boxes, not from the order the file happens to draw
them in (pdfplumber gives the same boxes but is about 8× slower: pure-Python pdfminer):

- two columns: a vertical gutter no line crosses splits a page; the left column is read
  before the right one, and a line across the gutter (a title, a table heading) ends both;
- running headers and footers (a line in the top or bottom margin that recurs on other
  pages, digits aside: "S/2000/738", "Report of … — page 3") and bare page numbers are dropped;
- lines are joined into paragraphs (a blank between paragraphs), a word hyphenated across a
  line break is joined ("adminis-" + "tration"); a line in a larger font is a heading,
  written as a Markdown ``## `` line so that later stages see the section;
- every page's start offset is kept (``Document.pages``), so evidence names its page.

A PDF without a text layer (a scan) and one that needs a password are refused with one line.
"""

from __future__ import annotations

import re
import statistics
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import DocumentError
from ..records import Document
from . import check_size, finish
from .dates import iso_date

MAX_BYTES = 100 * 1024 * 1024
MAX_PAGES = 2000
#: Wall-clock budget of one PDF (checked between pages).
MAX_SECONDS = 300.0
MAX_CHARS = 20 * 1024 * 1024
#: Top and bottom share of a page where running headers, footers and page numbers stand.
_MARGIN = 0.1
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?[-–—(]?\s*(?:\d{1,4}|[ivxlcdm]{1,7})\s*[-–—)]?"
                          r"(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)
_SENTENCE_END = re.compile(r"[.!?:;\"”’)\]]$")
_JUNK_TITLE = re.compile(r"^\(?(?:anonymous|untitled|unspecified|none)\)?$|^microsoft\s+word\b|\.docx?$", re.I)


@dataclass
class _Line:
    text: str
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    page: int
    column: int  # 0: across the page or one column, 1: left, 2: right


def read_pdf(path: Path) -> Document:
    """Read a PDF file; DocumentError (one line naming the file) when it cannot be used."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    check_size(path, MAX_BYTES)
    t0 = time.monotonic()
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise DocumentError("is encrypted (needs a password); decrypt it first, e.g. "
                                "qpdf --decrypt", str(path)) from None
        raise DocumentError(f"is not a readable PDF ({exc}); repair or re-export it", str(path)) from None
    try:
        n = len(pdf)
        if n > MAX_PAGES:
            raise DocumentError(f"has too many pages ({n:,}, limit {MAX_PAGES:,}); split it", str(path))
        pages: list[list[_Line]] = []
        chars = images = 0
        for i in range(n):
            if time.monotonic() - t0 > MAX_SECONDS:
                raise DocumentError(f"took too long to read (over {MAX_SECONDS:.0f} s at page {i + 1} "
                                    f"of {n}); split it", str(path))
            page = pdf[i]
            try:
                lines = _page_lines(page, i)
                if not lines:
                    images += sum(1 for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2))
            finally:
                page.close()
            chars += sum(len(ln.text) for ln in lines)
            if chars > MAX_CHARS:
                raise DocumentError(f"holds too much text (over {MAX_CHARS:,} characters); split it",
                                    str(path))
            pages.append(lines)
        meta = pdf.get_metadata_dict(skip_empty=True)
    except DocumentError:
        raise
    except Exception as exc:  # noqa: BLE001 - a broken file must not stop the build
        raise DocumentError(f"is not a readable PDF ({type(exc).__name__}); repair or "
                            "re-export it", str(path)) from None
    finally:
        pdf.close()
    if chars < 200 and chars < 2 * n:
        if images:
            raise DocumentError("has no text layer (a scan?): OCR it first, e.g. with ocrmypdf",
                                str(path))
        raise DocumentError("holds no text; nothing to extract", str(path))
    text, starts = _assemble(_drop_furniture(pages))
    title = str(meta.get("Title") or "").strip()
    if _JUNK_TITLE.search(title):
        title = ""
    date = iso_date(meta.get("CreationDate"))
    return finish(text, path, fmt="pdf", title=title, date=date,
                  date_source="pdf info" if date else "", pages=starts)


def _words(page) -> list[dict]:
    """The page's words: text, box (from the top of the page) and font size."""
    import pypdfium2.raw as pdfium_c

    tp = page.get_textpage()
    try:
        n = tp.count_chars()
        text = tp.get_text_range(0, n) if n else ""
        height = page.get_height()
        words: list[dict] = []
        cur: dict | None = None
        for i, ch in enumerate(text[:n]):
            if ch.isspace() or ch in "\x00\uffff":
                cur = None
                continue
            left, bottom, right, top = tp.get_charbox(i, loose=True)
            size = pdfium_c.FPDFText_GetFontSize(tp.raw, i)
            top, bottom = height - top, height - bottom
            if cur is not None and (left - cur["x1"] > max(size, 1) * 0.35 or abs(top - cur["top"]) > size * 0.5
                                    or left < cur["x0"] - 1):
                cur = None  # a gap the file drew without a space
            if cur is None:
                cur = {"text": "", "x0": left, "x1": right, "top": top, "bottom": bottom, "size": size}
                words.append(cur)
            # PDFium writes a hyphen that ends a line as U+FFFE (older versions \x02)
            cur["text"] += "-" if ch in "\ufffe\x02" else ch
            cur["x1"] = max(cur["x1"], right)
            cur["bottom"] = max(cur["bottom"], bottom)
        return words
    finally:
        tp.close()


def _page_lines(page, number: int) -> list[_Line]:
    """The lines of one page in reading order (left column, then right, between full lines)."""
    words = _words(page)
    rows: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if rows and abs(rows[-1][0]["top"] - w["top"]) <= 2:
            rows[-1].append(w)
        else:
            rows.append([w])
    gutter = _gutter(rows, float(page.get_width()))
    out: list[_Line] = []
    left: list[_Line] = []
    right: list[_Line] = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        if gutter is None or any(w["x0"] < gutter < w["x1"] for w in row):
            out += left + right
            left, right = [], []
            out.append(_line(row, number, 0))
            continue
        lw = [w for w in row if w["x1"] <= gutter]
        rw = [w for w in row if w["x0"] >= gutter]
        if lw:
            left.append(_line(lw, number, 1))
        if rw:
            right.append(_line(rw, number, 2))
    return out + left + right


def _gutter(rows: list[list[dict]], width: float) -> float | None:
    """The x of a vertical gap in the middle of the page that (nearly) no line crosses, with
    text on both sides of it on several lines; None for a one-column page."""
    if len(rows) < 6:
        return None
    lo, hi = int(width * 0.3), int(width * 0.7)
    cover = [0] * (hi - lo + 1)
    for row in rows:
        for w in row:
            a, b = max(lo, int(w["x0"])), min(hi, int(w["x1"]) + 1)
            for x in range(a, b):
                cover[x - lo] += 1
    allowed = max(1, len(rows) // 20)
    best, run_start, best_len = None, None, 0
    for i, c in enumerate(cover + [allowed + 1]):
        if c <= allowed:
            run_start = i if run_start is None else run_start
        elif run_start is not None:
            if i - run_start > best_len:
                best, best_len = lo + (run_start + i) / 2, i - run_start
            run_start = None
    if best is None or best_len < 6:
        return None
    both = sum(1 for row in rows if any(w["x1"] <= best for w in row) and any(w["x0"] >= best for w in row))
    left = sum(1 for row in rows if any(w["x1"] <= best for w in row))
    right = sum(1 for row in rows if any(w["x0"] >= best for w in row))
    # two columns: many lines stand on each side, and many rows have words on both
    return best if left >= 3 and right >= 3 and both >= 3 else None


def _line(words: list[dict], page: int, column: int) -> _Line:
    text = " ".join(_clean(w["text"]) for w in words)
    return _Line(text, min(w["top"] for w in words), max(w["bottom"] for w in words),
                 words[0]["x0"], words[-1]["x1"], statistics.median(w["size"] for w in words),
                 page, column)


def _clean(s: str) -> str:
    # ligatures (ﬁ, ﬂ) as letters; a soft hyphen is only a hint where a word may break
    s = "".join(unicodedata.normalize("NFKC", c) if "\ufb00" <= c <= "\ufb06" else c for c in s)
    return s.replace("\u00ad", "")


def _drop_furniture(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Pages without running headers, footers and page numbers."""
    if not pages:
        return pages
    height = max((ln.bottom for p in pages for ln in p), default=0) or 1.0

    def in_margin(ln: _Line) -> bool:
        return ln.top < height * _MARGIN or ln.bottom > height * (1 - _MARGIN)

    def key(ln: _Line) -> str:
        return re.sub(r"\d+", "#", " ".join(ln.text.lower().split()))

    seen: dict[str, set[int]] = {}
    for p in pages:
        for ln in p:
            if in_margin(ln):
                seen.setdefault(key(ln), set()).add(ln.page)
    recurring = {k for k, on in seen.items() if len(on) >= 2 and len(pages) >= 2}
    return [[ln for ln in p if not (in_margin(ln) and (key(ln) in recurring or _PAGE_NUMBER.match(ln.text.strip())))]
            for p in pages]


def _assemble(pages: list[list[_Line]]) -> tuple[str, list[int]]:
    """The text (paragraphs a blank line apart) and the offset where each page starts."""
    lines = [ln for p in pages for ln in p]
    sizes = [ln.size for ln in lines]
    body = statistics.median(sizes) if sizes else 0.0
    steps = [b.top - a.top for a, b in zip(lines, lines[1:], strict=False)
             if a.page == b.page and a.column == b.column and 0 < b.top - a.top < 3 * max(body, 1)]
    step = statistics.median(steps) if steps else body * 1.2
    # where each column's lines start and end (for indents and short last lines)
    edges: dict[tuple[int, int], tuple[float, float]] = {}
    for ln in lines:
        lo, hi = edges.get((ln.page, ln.column), (ln.x0, ln.x1))
        edges[(ln.page, ln.column)] = (min(lo, ln.x0), max(hi, ln.x1))

    parts: list[str] = []
    length = 0
    starts: list[int] = []
    page_seen = -1
    prev: _Line | None = None
    prev_heading = False
    for ln in lines:
        heading = body > 0 and ln.size >= body * 1.15 and len(ln.text) <= 200
        if prev is None:
            sep = ""
        elif heading and prev_heading and ln.page == prev.page and ln.top - prev.bottom < step:
            sep = " "  # a heading set on two lines
        elif heading or prev_heading:
            sep = "\n\n"
        else:
            sep = " " if _continues(prev, ln, step, edges) else "\n\n"
        if sep == " " and prev is not None and re.search(r"[^\W\d_]-$", prev.text) and ln.text[:1].islower():
            parts[-1] = parts[-1][:-1]  # "adminis-" + "tration"
            length -= 1
            sep = ""
        if heading and not prev_heading:
            sep += "## "
        while page_seen < ln.page:  # pages with no text start where the next text does
            page_seen += 1
            starts.append(length + len(sep) - (3 if heading and not prev_heading else 0))
        parts.append(sep + ln.text)
        length += len(sep) + len(ln.text)
        prev, prev_heading = ln, heading
    while page_seen < len(pages) - 1:
        page_seen += 1
        starts.append(length)
    return "".join(parts) + "\n", starts


def _continues(prev: _Line, ln: _Line, step: float, edges) -> bool:
    """Whether ``ln`` goes on with the paragraph of ``prev`` (the line read before it)."""
    if prev.page != ln.page or prev.column != ln.column:
        # a column or page break: a paragraph goes on unless the last line ended a sentence
        return not _SENTENCE_END.search(prev.text) or ln.text[:1].islower()
    if ln.top - prev.bottom > step * 0.9 or ln.top - prev.top > step * 1.3:
        return False  # more space than between the lines of a paragraph
    lo, hi = edges[(ln.page, ln.column)]
    if ln.x0 > lo + 8 and ln.x0 - prev.x0 > 8:
        return False  # an indented first line
    short = prev.x1 < hi - (hi - lo) * 0.2
    # a paragraph's last line stops short; a ragged line may, when the next word is long
    return not (short and (_SENTENCE_END.search(prev.text) or prev.x1 < hi - (hi - lo) * 0.4))
