"""Readers of PDF, web pages, Word files and news feeds; the page map; the document's date.

Every test file is made here, small: PDFs with reportlab, Word files with python-docx."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from conflictlens.errors import DocumentError
from conflictlens.extract import report
from conflictlens.extract.time import Narrative, find_times
from conflictlens.ingest import find_documents, parse_text, read_file
from conflictlens.pipeline import read_documents
from conflictlens.readers.dates import iso_date

LEFT = ["The Northern Front attacked the garrison", "of Ardel on 3 May 2001. The adminis-",
        "tration of the province fled to Bessin."]
RIGHT = ["In June the Coastal League sent arms", "to the Northern Front, its commanders said.",
         "The fighting went on until the autumn."]


def two_column_pdf(path: Path, pages: int = 2) -> None:
    """Pages with a running header, a page number, and two columns drawn right column first
    (the reader must order them by where they stand, not by drawing order)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    w, h = A4
    for n in range(1, pages + 1):
        c.setFont("Helvetica", 8)
        c.drawString(60, h - 40, "QUARTERLY CONFLICT MONITOR No. 7")
        c.drawCentredString(w / 2, 30, str(n))
        c.setFont("Helvetica", 10)
        for col, lines in ((330, RIGHT), (60, LEFT)):
            y = h - 100
            for _ in range(3):  # three paragraphs per column
                for ln in lines:
                    c.drawString(col, y, ln if n == 1 else ln.replace("Ardel", f"Ardel{n}"))
                    y -= 12
                y -= 12
        c.showPage()
    c.save()


def test_pdf_two_columns_read_in_order_without_headers_and_with_hyphens_joined(tmp_path):
    p = tmp_path / "monitor.pdf"
    two_column_pdf(p)
    (doc,), bad = read_file(p)
    assert not bad and doc.format == "pdf"
    t = doc.text
    assert "QUARTERLY" not in t and "\n1\n" not in t and not t.rstrip().endswith("2")
    assert "The administration of the province fled" in t
    # the left column's paragraphs come before the right column's on each page
    assert t.index("attacked the garrison") < t.index("Coastal League")
    assert t.index("Coastal League") < t.index("Ardel2")
    assert t.count("Coastal League") == 6


def test_pdf_page_map_names_the_page_of_an_offset(tmp_path):
    p = tmp_path / "monitor.pdf"
    two_column_pdf(p, pages=3)
    (doc,), _ = read_file(p)
    assert len(doc.pages) == 3 and doc.pages[0] == 0
    assert doc.page_of(doc.text.index("Ardel2")) == 2
    assert doc.page_of(doc.text.index("Ardel3")) == 3
    assert doc.page_of(doc.text.index("of Ardel on")) == 1
    assert parse_text("plain text", "a.txt").page_of(3) is None


def test_a_scanned_pdf_is_refused_with_one_line(tmp_path):
    from PIL import Image
    from reportlab.pdfgen import canvas

    img = tmp_path / "scan.png"
    Image.new("RGB", (200, 100), "white").save(img)
    p = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(p))
    c.drawImage(str(img), 50, 500, 400, 200)
    c.showPage()
    c.save()
    with pytest.raises(DocumentError, match="no text layer.*OCR") as e:
        read_file(p)
    assert "scan.pdf" in str(e.value) and "\n" not in str(e.value)


def test_an_encrypted_pdf_is_refused(tmp_path):
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    p = tmp_path / "secret.pdf"
    c = canvas.Canvas(str(p), encrypt=StandardEncryption("userpw", "ownerpw"))
    c.drawString(100, 700, "The Northern Front attacked Ardel.")
    c.showPage()
    c.save()
    with pytest.raises(DocumentError, match="encrypted") as e:
        read_file(p)
    assert "secret.pdf" in str(e.value)


def test_a_broken_or_huge_pdf_gets_a_clear_error(tmp_path, monkeypatch):
    from conflictlens.readers import pdf

    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage")
    with pytest.raises(DocumentError, match="broken.pdf"):
        read_file(bad)
    p = tmp_path / "long.pdf"
    two_column_pdf(p, pages=3)
    monkeypatch.setattr(pdf, "MAX_PAGES", 2)
    with pytest.raises(DocumentError, match="too many pages"):
        read_file(p)
    monkeypatch.setattr(pdf, "MAX_PAGES", 2000)
    monkeypatch.setattr(pdf, "MAX_SECONDS", -1.0)
    with pytest.raises(DocumentError, match="took too long"):
        read_file(p)


PAGE = """<!DOCTYPE html><html><head><title>Rebels take Ardel</title>
<meta property="article:published_time" content="2019-05-02T10:00:00Z">
<script>var ads = "Subscribe to our newsletter";</script></head>
<body><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World news index</a></li></ul></nav>
<div class="ad">Advertisement: cheap flights to everywhere, book now and save.</div>
<article><h1>Rebels take Ardel</h1>
<p>The Northern Front captured the town of Ardel on Tuesday after three days of fighting with
government troops, local officials said.</p>
<h2>Reaction</h2>
<p>Last year the Northern Front seized the port of Bessin. The government of Norland condemned
the attack and said it would send more troops to the region.</p>
<p>Residents said the fighting had forced thousands of families to leave their homes.</p>
</article>
<footer>Copyright 2019 Example News. All rights reserved. <a href="/privacy">Privacy</a></footer>
</body></html>"""


def test_html_reads_the_article_title_and_date_without_navigation_or_scripts(tmp_path):
    p = tmp_path / "ardel.html"
    p.write_text(PAGE, encoding="utf-8")
    (doc,), _ = read_file(p)
    assert doc.title == "Rebels take Ardel"
    assert (doc.date, doc.date_source) == ("2019-05-02", "html meta")
    assert "captured the town of Ardel" in doc.text and "Last year the Northern Front" in doc.text
    for junk in ("World news index", "Advertisement", "Subscribe", "Copyright", "Privacy"):
        assert junk not in doc.text
    assert "## Reaction" in doc.text  # a heading stays a section


def test_deeply_nested_or_empty_html_is_refused(tmp_path):
    deep = tmp_path / "deep.html"
    deep.write_text("<html><body>" + "<div>" * 5000 + "<p>Text.</p>" + "</div>" * 5000 + "</body></html>")
    with pytest.raises(DocumentError, match="deep.html.*too deeply"):
        read_file(deep)
    nav = tmp_path / "nav.htm"
    nav.write_text("<html><body><nav><a href='/'>Home</a></nav><script>x()</script></body></html>")
    with pytest.raises(DocumentError, match="nav.htm"):
        read_file(nav)


def test_docx_reads_headings_paragraphs_and_tables_in_order(tmp_path):
    import docx

    d = docx.Document()
    d.core_properties.title = "Situation report"
    d.add_heading("Situation report", level=0)
    d.add_paragraph("The Northern Front attacked Ardel on 3 May 2001.")
    d.add_heading("Casualties", level=1)
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "Party", "Killed"
    t.cell(1, 0).text, t.cell(1, 1).text = "Northern Front", "40"
    d.add_paragraph("Coastal League sent arms to the Northern Front.")
    p = tmp_path / "sitrep.docx"
    d.save(str(p))
    (doc,), _ = read_file(p)
    assert doc.title == "Situation report" and doc.format == "docx"
    assert "## Casualties" in doc.text and "| Northern Front | 40 |" in doc.text
    assert doc.text.index("attacked Ardel") < doc.text.index("| Party") < doc.text.index("sent arms")
    assert doc.date_source == "docx properties"  # a file's creation date: weak


def test_a_zip_bomb_or_non_zip_docx_is_refused(tmp_path):
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\0" * (40 * 1024 * 1024))
    with pytest.raises(DocumentError, match="bomb.docx.*zip bomb"):
        read_file(bomb)
    fake = tmp_path / "fake.docx"
    fake.write_text("not a zip")
    with pytest.raises(DocumentError, match="fake.docx.*not a zip"):
        read_file(fake)


def test_a_feed_gives_one_document_per_article_and_one_error_per_bad_line(tmp_path):
    p = tmp_path / "news.jsonl"
    rows = [json.dumps({"id": "n1", "title": "Ardel falls", "date": "2019-05-02", "url": "https://x/1",
                        "text": "The Northern Front captured Ardel. Last year it took Bessin."}),
            "{not json",
            json.dumps({"id": "n2", "title": "No text"}),
            "",
            json.dumps({"id": "n3", "date": "7 March 2020", "text": "Norland sent troops to Bessin."})]
    p.write_text("\n".join(rows) + "\n", encoding="utf-8")
    docs, bad = read_file(p)
    assert [d.name for d in docs] == ["news.jsonl#n1", "news.jsonl#n3"]
    assert docs[0].text.startswith("Ardel falls\n\nThe Northern Front") and docs[0].url == "https://x/1"
    assert [d.date for d in docs] == ["2019-05-02", "2020-03-07"]
    assert len(bad) == 2 and "news.jsonl:2" in str(bad[0]) and "news.jsonl:3" in str(bad[1])


def test_markdown_front_matter_gives_the_date_and_stays_markup(tmp_path):
    p = tmp_path / "brief.md"
    p.write_text("---\ntitle: Weekly brief\ndate: 2019-05-02\n---\n\nLast year the Northern Front took Bessin.\n")
    (doc,), _ = read_file(p)
    assert (doc.date, doc.date_source, doc.title) == ("2019-05-02", "front matter", "Weekly brief")
    assert doc.markup[0][0] == 0 and doc.text[doc.markup[0][1] - 3:doc.markup[0][1]] == "---"


def test_the_document_date_anchors_last_year_and_yearless_dates():
    text = "Last year the Northern Front took Bessin. On 21 March it attacked Ardel."
    times = find_times(text, dct=report.stated_date("2019-05-02"))
    by_text = {t.text.lower(): t.value for t in times}
    assert by_text["last year"] == "2018"
    assert by_text["21 march"] == "2019-03-21"
    assert not any(t.text.lower() == "last year" for t in find_times(text))  # no date: unresolved


def test_metadata_date_beats_the_dateline_but_a_file_creation_date_does_not():
    text = "Distr.: General 26 July 2000\n\nLast year the Northern Front took Bessin.\n"
    last = lambda ts: next(t.value for t in ts if t.text.lower() == "last year")  # noqa: E731
    assert last(find_times(text)) == "1999"
    assert last(find_times(text, dct=report.stated_date("2019-05-02"))) == "2018"
    assert last(find_times(text, dct=report.stated_date("2026-01-01"), dct_weak=True)) == "1999"
    doc = parse_text(text, "r.pdf")
    doc.date, doc.date_source = "2026-01-01", "pdf info"
    assert Narrative.of(doc, find_times(text)).dct.value == "2000-07-26"
    doc.date_source = "feed"
    assert Narrative.of(doc, find_times(text)).dct.value == "2026-01-01"


def test_iso_dates_of_metadata():
    assert iso_date("D:20000726101500+02'00'") == "2000-07-26"
    assert iso_date("2019-05-02T10:00:00Z") == "2019-05-02"
    assert iso_date("2 May 2019") == "2019-05-02"
    assert iso_date("2019") is None and iso_date("soon") is None and iso_date("2019-13-40") is None


def test_a_mixed_folder_reads_every_format_and_date_option_fills_the_gaps(tmp_path):
    (tmp_path / "a.txt").write_text("The Northern Front attacked Ardel last year.\n")
    (tmp_path / "b.md").write_text("---\ndate: 2018-01-05\n---\nNorland sent troops.\n")
    (tmp_path / "c.html").write_text(PAGE)
    (tmp_path / "e.jsonl").write_text(json.dumps({"id": 1, "date": "2017-02-03", "text": "Norland sent arms."}) + "\n")
    two_column_pdf(tmp_path / "d.pdf", pages=1)
    import docx

    d = docx.Document()
    d.add_paragraph("The Coastal League sent arms to the Northern Front.")
    d.save(str(tmp_path / "f.docx"))
    assert len(list(find_documents([tmp_path]))) == 6
    docs, errors = read_documents([tmp_path], date="2010-06-01")
    assert not errors
    got = {d.name: (d.format, d.date, d.date_source) for d in docs}
    assert got == {"a.txt": ("txt", "2010-06-01", "--date"), "b.md": ("md", "2018-01-05", "front matter"),
                   "c.html": ("html", "2019-05-02", "html meta"), "e.jsonl#1": ("jsonl", "2017-02-03", "feed"),
                   "d.pdf": ("pdf", "2010-06-01", "--date"), "f.docx": ("docx", "2010-06-01", "--date")}


def test_news_days_count_from_the_document_date():
    # 2019-05-02 is a Thursday
    text = ("On Tuesday the Northern Front attacked Ardel. Yesterday Norland sent troops. "
            "Talks are to resume next Monday. The meeting on Friday, 3 May 2019 was cancelled.")
    times = {t.text: t.value for t in find_times(text, dct=report.stated_date("2019-05-02"))}
    assert times["Tuesday"] == "2019-04-30"
    assert times["Yesterday"] == "2019-05-01"
    assert times["next Monday"] == "2019-05-06"
    assert "Friday" not in times  # the weekday of a written date is the date's
    assert not any(v.startswith("2019-04-30") for v in
                   {t.value for t in find_times(text, dct=report.stated_date("2019-05"))})


def _pdf_pages(path: Path, pages: list[list[str]]) -> None:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    for lines in pages:
        y = 750
        for ln in lines:
            c.drawString(72, y, ln)
            y -= 14
        c.showPage()
    c.save()


def test_a_mixed_folder_builds_and_sources_name_the_pdf_page(tmp_path, parse_cache):
    from typer.testing import CliRunner

    from conflictlens import analyze, store
    from conflictlens.cli import app

    docs = tmp_path / "docs"
    docs.mkdir()
    _pdf_pages(docs / "monitor.pdf", [
        ["The Coastal League is a political movement of the southern provinces.",
         "Its leaders met in the capital."],
        ["In May 2001 the Northern Front captured the town of Ardel after heavy fighting."]])
    (docs / "c.html").write_text(PAGE)
    (docs / "a.txt").write_text("The Northern Front attacked Bessin last year.\n")
    (docs / "e.jsonl").write_text(json.dumps({"id": "x", "date": "2019-05-02", "title": "Raid",
                                              "text": "Last year Norland attacked the Highland Union."}) + "\n")
    db = tmp_path / "kb.db"
    r = CliRunner().invoke(app, ["build", str(docs), "--db", str(db), "--cache-dir", str(parse_cache),
                                 "--date", "2012-03-04"])
    assert r.exit_code == 0, r.output
    kb = store.load(db)
    d = {x.name: x for x in kb.documents}
    assert d["monitor.pdf"].pages and d["monitor.pdf"].format == "pdf"
    assert (d["a.txt"].date, d["e.jsonl#x"].date) == ("2012-03-04", "2019-05-02")
    captured = next(e for e in kb.events if any(ev.doc == "monitor.pdf" and "Ardel" in ev.quote for ev in e.evidence))
    ev = captured.evidence[0]
    assert d["monitor.pdf"].text[ev.start:ev.end] == ev.quote
    assert analyze.evidence_page(kb, ev) == 2 and analyze.evidence_context(kb, ev)["page"] == 2
    out = CliRunner().invoke(app, ["sources", captured.id, "--db", str(db)]).output
    assert "monitor.pdf" in out and "p. 2" in out
    js = json.loads(CliRunner().invoke(app, ["sources", captured.id, "--db", str(db), "--json"]).output)
    assert js["evidence"][0]["page"] == 2
    # "last year" in the feed's article dated 2019-05-02 is 2018
    raid = next(e for e in kb.events if any(ev.doc == "e.jsonl#x" for ev in e.evidence))
    assert raid.time.value == "2018"
    bad = CliRunner().invoke(app, ["build", str(docs), "--db", str(db), "--date", "soon"])
    assert bad.exit_code == 1 and "--date" in bad.output


def test_a_kb_of_schema_2_gains_the_date_and_page_columns(tmp_path):
    import sqlite3

    from conflictlens import store
    from conflictlens.records import KB

    doc = parse_text("The Northern Front attacked Ardel.\n", "a.pdf")
    doc.pages, doc.date, doc.date_source, doc.format = [0, 10], "2019-05-02", "pdf info", "pdf"
    db = tmp_path / "kb.db"
    store.save(KB(documents=[doc]), db)
    back = store.load(db).documents[0]
    assert (back.pages, back.date, back.date_source, back.format) == ([0, 10], "2019-05-02", "pdf info", "pdf")
    # an old file: the columns the migration adds are missing
    old = tmp_path / "old.db"
    con = sqlite3.connect(old)
    con.executescript(store.SCHEMA.replace(",\n    date TEXT, date_source TEXT, pages TEXT, format TEXT, url TEXT", ""))
    con.execute("INSERT INTO meta VALUES ('schema_version', '2')")
    con.execute("INSERT INTO documents (id, name, sha256, words, text) VALUES ('d1', 'a.txt', 'x', 1, 'Text.')")
    con.commit()
    con.close()
    got = store.load(old).documents[0]
    assert (got.pages, got.date, got.page_of(2)) == ([], None, None)
    assert store.meta(old)["schema_version"] == str(store.SCHEMA_VERSION)


def test_a_reader_refuses_more_text_than_a_document_may_hold(tmp_path, monkeypatch):
    import conflictlens.readers as readers

    monkeypatch.setattr(readers, "MAX_TEXT", 100)
    p = tmp_path / "long.jsonl"
    p.write_text(json.dumps({"id": 1, "text": "Norland sent troops. " * 20}) + "\n")
    docs, bad = read_file(p)
    assert not docs and "long.jsonl:1" in str(bad[0]) and "too much text" in str(bad[0])
