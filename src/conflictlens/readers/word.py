"""Word files (.docx): paragraphs and tables in the order the body holds them.

python-docx reads the XML (with entity expansion off). A .docx is a zip archive: before it is
opened, the sizes its members unpack to are checked, so a zip bomb is refused instead of
filling memory. Headings (styles "Title", "Heading N") become Markdown ``#``/``## `` lines,
tables pipe rows (which ``extract/tables.py`` reads by their columns).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import DocumentError
from ..records import Document
from . import check_size, finish
from .dates import iso_date

MAX_BYTES = 50 * 1024 * 1024
#: What the archive's members may unpack to, in all, and how much more than they weigh.
MAX_UNPACKED = 200 * 1024 * 1024
MAX_RATIO = 200
MAX_MEMBERS = 10_000


def check_zip(path: Path) -> None:
    """DocumentError when ``path`` is no zip archive or unpacks to too much (a zip bomb)."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DocumentError(f"is not a Word (.docx) file: not a zip archive ({exc})", str(path)) from None
    if len(infos) > MAX_MEMBERS:
        raise DocumentError(f"holds too many parts ({len(infos):,}); not a Word file", str(path))
    unpacked = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if unpacked > MAX_UNPACKED or unpacked > MAX_RATIO * packed and unpacked > 10 * 1024 * 1024:
        raise DocumentError(f"unpacks to {unpacked:,} bytes from {packed:,} (a zip bomb?); limit "
                            f"{MAX_UNPACKED:,} bytes and {MAX_RATIO}× compression", str(path))
    if "word/document.xml" not in {i.filename for i in infos}:
        raise DocumentError("is not a Word (.docx) file: no word/document.xml inside", str(path))


def read_docx(path: Path) -> Document:
    """Read a .docx file; DocumentError (one line naming the file) when it cannot be used."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    check_size(path, MAX_BYTES)
    check_zip(path)
    try:
        d = docx.Document(str(path))
        blocks: list[str] = []
        for el in d.element.body.iterchildren():
            tag = el.tag.rsplit("}", 1)[-1]
            if tag == "p":
                p = Paragraph(el, d)
                t = " ".join(p.text.split())
                if not t:
                    continue
                style = (p.style.name if p.style is not None else "") or ""
                if style == "Title":
                    t = "# " + t
                elif style.startswith("Heading"):
                    t = "## " + t
                blocks.append(t)
            elif tag == "tbl":
                rows = []
                for row in Table(el, d).rows:
                    cells = [" ".join(c.text.split()).replace("|", "/") for c in row.cells]
                    if any(cells):
                        rows.append("| " + " | ".join(cells) + " |")
                if rows:
                    blocks.append("\n".join(rows))
        props = d.core_properties
        title = props.title or ""
        date = iso_date(props.created)
    except DocumentError:
        raise
    except Exception as exc:  # noqa: BLE001 - a broken file must not stop the build
        raise DocumentError(f"is not a readable Word (.docx) file ({type(exc).__name__})", str(path)) from None
    return finish("\n\n".join(blocks) + "\n", path, fmt="docx", title=title, date=date,
                  date_source="docx properties" if date else "")
