#!/usr/bin/env python3
"""Render a plain-text/Markdown document as a two-column PDF, a web page with navigation
around it, and a Word file, to check that the readers give the same facts as the text.

    render_formats.py DOC.txt OUTDIR    # writes OUTDIR/{pdf,html,docx}/<stem>.<ext>

Headings (``## …``) become headings, other non-empty lines paragraphs; ``<!-- … -->`` lines
are dropped. The PDF has a running header and a page number on every page (the reader must
drop them). Needs reportlab and python-docx (dev dependencies).
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path


def blocks(text: str) -> list[tuple[str, str]]:
    """``(kind, text)``: kind is ``title``, ``heading`` or ``para``."""
    out = []
    for line in text.splitlines():
        s = line.strip()
        if not s or s.startswith("<!--"):
            continue
        m = re.match(r"^(#{1,6})\s+(.*)$", s)
        if m:
            out.append(("title" if len(m.group(1)) == 1 else "heading", m.group(2)))
        else:
            out.append(("para", s))
    return out


def render_pdf(bl: list[tuple[str, str]], path: Path, header: str = "") -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

    w, h = A4
    margin, gap = 50, 24
    col = (w - 2 * margin - gap) / 2
    frames = [Frame(margin, margin, col, h - 2 * margin, id="left"),
              Frame(margin + col + gap, margin, col, h - 2 * margin, id="right")]

    def furniture(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        if header:
            canvas.drawString(margin, h - margin + 16, header)
        canvas.drawCentredString(w / 2, margin - 24, str(doc.page))
        canvas.restoreState()

    doc = BaseDocTemplate(str(path), pagesize=A4, pageTemplates=[PageTemplate("two", frames, onPage=furniture)])
    st = getSampleStyleSheet()
    styles = {"title": st["Heading1"], "heading": st["Heading2"], "para": st["BodyText"]}
    doc.build([Paragraph(html.escape(t), styles[k]) for k, t in bl])


def render_html(bl: list[tuple[str, str]], path: Path, date: str = "") -> None:
    title = next((t for k, t in bl if k in ("title", "heading")), path.stem)
    nav = "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(1, 9))
    body = []
    for k, t in bl:
        tag = {"title": "h1", "heading": "h2", "para": "p"}[k]
        body.append(f"<{tag}>{html.escape(t)}</{tag}>")
    meta = f'<meta property="article:published_time" content="{date}">' if date else ""
    path.write_text(f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>{meta}
<script>var tracker = {{"id": "UA-0000", "load": function () {{ return 1; }}}};</script>
<style>nav {{ float: left; }}</style></head>
<body>
<header><div class="logo">News Portal</div><nav><ul>{nav}</ul></nav></header>
<aside class="ad">Advertisement: subscribe now and save 50 per cent on your first year.</aside>
<main><article>
{chr(10).join(body)}
</article></main>
<footer><p>Copyright 2024 News Portal. All rights reserved.</p><nav><a href="/about">About</a>
<a href="/contact">Contact</a> <a href="/privacy">Privacy policy</a></nav></footer>
</body></html>""", encoding="utf-8")


def render_docx(bl: list[tuple[str, str]], path: Path) -> None:
    import docx

    d = docx.Document()
    for k, t in bl:
        if k == "para":
            d.add_paragraph(t)
        else:
            d.add_heading(t, level=0 if k == "title" else 1)
    d.save(str(path))


def main() -> int:
    src, out = Path(sys.argv[1]), Path(sys.argv[2])
    bl = blocks(src.read_text(encoding="utf-8"))
    for ext in ("pdf", "html", "docx"):
        (out / ext).mkdir(parents=True, exist_ok=True)
    render_pdf(bl, out / "pdf" / f"{src.stem}.pdf", header=src.stem.upper())
    render_html(bl, out / "html" / f"{src.stem}.html")
    render_docx(bl, out / "docx" / f"{src.stem}.docx")
    return 0


if __name__ == "__main__":
    sys.exit(main())
