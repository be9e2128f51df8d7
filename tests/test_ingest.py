from __future__ import annotations

import pytest

from conflictlens.errors import DocumentError
from conflictlens.ingest import find_documents, parse_text, read_document

WIKI = """= Some War (1990–1995) =

Republic of Somewhere
- Conflict: Some War
- Date: 3 May 1990 – 1 June 1995
- Combatant1: Alpha Front, Supported by:, Beta Land
- Commander1: General John Doe KIA, Jane Roe
- Casualties1: 1,200 killed

The Some War was fought between the Alpha Front and the government.

== Background ==
- Note: this dash line is prose-level, not an infobox.
"""


def test_infobox_fields_have_exact_spans():
    doc = parse_text(WIKI, "w.txt")
    keys = [f.key for f in doc.infobox]
    assert keys == ["Conflict", "Date", "Combatant1", "Commander1", "Casualties1"]
    for f in doc.infobox:
        assert WIKI[f.start:f.end] == f.value
        assert WIKI[f.line_start:f.line_end].startswith("- " + f.key + ":")
    assert doc.title == "Some War (1990–1995)"


def test_headings_and_infobox_are_markup_but_later_dash_lines_are_not():
    doc = parse_text(WIKI, "w.txt")
    marked = [WIKI[s:e] for s, e in doc.markup]
    assert "== Background ==" in marked
    assert "- Casualties1: 1,200 killed" in marked
    assert not any("Note:" in m for m in marked)


def test_document_id_is_stable_and_content_based():
    a = parse_text("Some text about a war.", "a.txt")
    b = parse_text("Some text about a war.", "b.txt")
    c = parse_text("Other text.", "a.txt")
    assert a.id == b.id != c.id
    assert a.sha256 == b.sha256


def test_text_is_kept_byte_for_byte(tmp_path):
    raw = "Line one.\r\nLine two — with a dash.\n"
    p = tmp_path / "crlf.txt"
    p.write_bytes(raw.encode("utf-8"))
    assert read_document(p).text == raw


@pytest.mark.parametrize("content, problem", [
    (b"", "empty"),
    (b"  \n\t\n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (b"caf\xe9 au lait", "not UTF-8"),
])
def test_bad_files_get_one_clear_line_naming_them(tmp_path, content, problem):
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    with pytest.raises(DocumentError) as exc:
        read_document(p)
    msg = str(exc.value)
    assert problem in msg and "bad.txt" in msg and "\n" not in msg
    assert msg.startswith("[E001]")


def test_missing_and_too_large_files(tmp_path):
    with pytest.raises(DocumentError, match="cannot be read"):
        read_document(tmp_path / "nope.txt")
    big = tmp_path / "big.txt"
    big.write_text("war " * 100)
    with pytest.raises(DocumentError, match="too large"):
        read_document(big, max_bytes=50)


def test_find_documents_skips_folder_notes_and_hidden_files(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "b.md").write_text("x")
    (tmp_path / "SOURCES.md").write_text("x")
    (tmp_path / "README.md").write_text("x")
    (tmp_path / "image.png").write_bytes(b"x")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "c.txt").write_text("x")
    assert [p.name for p in find_documents([tmp_path])] == ["a.txt", "b.md"]


def test_a_papers_numbered_headings_are_headings():
    text = ("Kosovo 1998–1999\n1. Introduction\nThe war began in 1998.\n2.1. The KLA and Serbia\n"
            "3.1.2 Relations with Russia\n1. The KLA attacked a police post.\n3 September 1998 was calm\n")
    doc = parse_text(text, "paper.txt")
    heads = [text[s:e] for s, e in doc.markup]
    assert heads == ["1. Introduction", "2.1. The KLA and Serbia", "3.1.2 Relations with Russia"]
