"""Hostile and careless documents: none may stall, exhaust or stop a build (issue 15).

Slow behaviour is shown with small inputs under a time limit (``within``): the old code took
seconds to hours on them, the fixed code milliseconds.
"""

from __future__ import annotations

import os
import re
import signal
import sys
from contextlib import contextmanager

import pytest

from conflictlens.errors import DocumentError
from conflictlens.ingest import _heading, find_documents, parse_text, read_document, shown
from conflictlens.pipeline import build, read_documents


class _Slow(Exception):
    pass


@contextmanager
def within(seconds: float):
    """Fail when the block runs longer than ``seconds`` (SIGALRM also stops a running regex)."""
    def on_alarm(*_):
        raise _Slow

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _Slow:
        pytest.fail(f"took longer than {seconds} s")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


PROSE = "The Alpha Front attacked the town of Beta in May 1990. The government withdrew.\n"


# --- 1. ReDoS in the reader --------------------------------------------------------------

def test_a_long_run_of_equals_signs_is_read_in_linear_time():
    with within(1.0):
        doc = parse_text("=" * 20_000 + "x\n" + PROSE, "eq.txt")
    assert doc.markup == []


def test_an_infobox_line_with_a_long_run_of_spaces_is_read_in_linear_time():
    text = "- Key: a" + " " * 200_000 + "x\n- Other: b   \n" + PROSE
    with within(1.0):
        doc = parse_text(text, "box.txt")
    first, second = doc.infobox
    assert first.value.endswith("x") and second.value == "b"
    for f in doc.infobox:
        assert text[f.start:f.end] == f.value


def test_markdown_and_numbered_headings_with_long_space_runs_are_linear():
    text = "# a" + " " * 100_000 + "x\n1. A" + " " * 100_000 + "x\n" + PROSE
    with within(1.0):
        parse_text(text, "md.txt")


_OLD_HEADING = re.compile(r"^(=+)\s*(.*?)\s*=+\s*$|^(#{1,6})\s+(.*?)\s*#*\s*$")


@pytest.mark.parametrize("line", [
    "= Title =", "== Background ==", "==", "=", "= =", "===   ", "==x", "= a ==b=", "=x= ", "=== Mid ===  ",
    "# Title", "# Title #", "#   ", "#######", "####### x", "# a # b", "# a ##  ", "# a# #", "# a #\t#",
    "#x", "## Sub ##", "plain line", "= Title = extra",
])
def test_heading_reader_says_what_the_old_pattern_said(line):
    old = _OLD_HEADING.match(line)
    want = None if old is None else (old.group(1) or old.group(3), old.group(2) if old.group(1) else old.group(4))
    assert _heading(line) == want


# --- 3, 4. names ---------------------------------------------------------------------------

def test_the_same_text_under_two_names_is_read_once_with_a_line(tmp_path):
    (tmp_path / "a.txt").write_text(PROSE)
    (tmp_path / "b.txt").write_text(PROSE)
    docs, errors = read_documents([tmp_path])
    assert [d.name for d in docs] == ["a.txt"]
    (line,) = errors
    assert "b.txt" in line and "same text as" in line and "a.txt" in line


def test_the_same_text_under_two_names_builds(tmp_path, parse_cache):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text(PROSE)
    (corpus / "copy.txt").write_text(PROSE)
    report = build([corpus], tmp_path / "kb.db", cache_dir=parse_cache, n_process=1)
    assert report.documents == ["a.txt"] and len(report.errors) == 1


@pytest.mark.skipif(sys.platform != "linux", reason="needs a file system that takes any bytes")
def test_a_file_name_that_is_not_utf8_builds(tmp_path, parse_cache):
    corpus = tmp_path / "c"
    corpus.mkdir()
    with open(os.path.join(os.fsencode(corpus), b"caf\xe9.txt"), "w") as fh:
        fh.write(PROSE)
    report = build([corpus], tmp_path / "kb.db", cache_dir=parse_cache, n_process=1)
    assert report.documents == ["caf\\xe9.txt"] and not report.errors


@pytest.mark.skipif(sys.platform != "linux", reason="needs a file system that takes any bytes")
def test_control_characters_in_file_names_stay_escaped_in_error_lines(tmp_path):
    bad = tmp_path / "evil\n[E000] fake\x1b[31m.txt"
    bad.write_bytes(b"\x00\x01binary")
    _, errors = read_documents([tmp_path])
    (line,) = errors
    assert "\n" not in line and "\x1b" not in line
    assert "evil\\n[E000] fake\\x1b[31m.txt" in line
    assert shown("caf\udce9.txt") == "caf\\xe9.txt"


# --- 11. links ------------------------------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_links_out_of_the_corpus_broken_or_looping_are_not_read_and_each_gets_a_line(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("root:x:0:0:root:/root:/bin/bash\n")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "real.txt").write_text(PROSE)
    (corpus / "inside.txt").symlink_to(corpus / "real.txt")
    (corpus / "passwd.txt").symlink_to(outside)
    (corpus / "gone.txt").symlink_to(corpus / "missing.txt")
    (corpus / "loop.txt").symlink_to(corpus / "loop.txt")
    (corpus / "sub").symlink_to(tmp_path)
    errors: list[str] = []
    found = sorted(p.name for p in find_documents([corpus], errors))
    assert found == ["inside.txt", "real.txt"]
    text = "\n".join(errors)
    assert len(errors) == 4
    assert "passwd.txt: is a link to" in text and "outside the corpus folder" in text
    assert "gone.txt: is a broken link" in text and "loop.txt: is a broken link or a link loop" in text
    assert "sub: is a link to a folder" in text
    # a file named on the command line is the user's choice, link or not
    assert list(find_documents([corpus / "passwd.txt"])) == [corpus / "passwd.txt"]


# --- 12. encodings and bytes ----------------------------------------------------------------

def test_nul_bytes_after_the_first_64_kb_are_binary(tmp_path):
    p = tmp_path / "late.txt"
    p.write_bytes(PROSE.encode() * 1000 + b"\x00\x00data")
    with pytest.raises(DocumentError, match="binary"):
        read_document(p)


@pytest.mark.parametrize("encoding, bom", [
    ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"), ("utf-16-le", b""), ("utf-32-le", b"\xff\xfe\x00\x00"),
])
def test_utf16_and_utf32_documents_are_decoded(tmp_path, encoding, bom):
    text = "= Ünïcode War =\n" + PROSE
    p = tmp_path / "wide.txt"
    p.write_bytes(bom + text.encode(encoding))
    doc = read_document(p)
    assert doc.text == text and doc.title == "Ünïcode War"


def test_a_utf8_byte_order_mark_does_not_hide_the_title_heading(tmp_path):
    p = tmp_path / "bom.txt"
    p.write_bytes(b"\xef\xbb\xbf= The Title =\n" + PROSE.encode())
    doc = read_document(p)
    assert doc.title == "The Title" and doc.text.startswith("= The Title =")
    assert doc.text[doc.markup[0][0]:doc.markup[0][1]] == "= The Title ="


def test_a_bad_utf16_file_is_one_line(tmp_path):
    p = tmp_path / "half.txt"
    p.write_bytes(b"\xff\xfe" + "War".encode("utf-16-le") + b"\x00\xd8")  # a lone surrogate
    with pytest.raises(DocumentError, match="not UTF-16"):
        read_document(p)


# --- 2, 6, 12. parsing: pieces, pathological runs, foreign cache entries -----------------------

def _parse(doc, cache):
    from conflictlens.nlp import parse_documents

    ((_, sdoc),) = parse_documents([doc], cache_dir=cache)
    return sdoc


def test_a_long_document_is_parsed_in_pieces_with_exact_offsets(tmp_path, monkeypatch):
    from conflictlens import nlp as nlp_module
    from conflictlens.nlp import chunks, load_nlp
    from conflictlens.nlp import parse_text as masked

    paragraph = ("The Alpha Front attacked the town of Beta in May 1990. General John Doe led "
                 "the Gamma Army.\nThe government withdrew from Delta.\n\n")
    text = "= A Long War =\n" + paragraph * 40
    doc = parse_text(text, "long.txt")
    monkeypatch.setattr(nlp_module, "WHOLE_CHARS", 1000)
    monkeypatch.setattr(nlp_module, "CHUNK_CHARS", 600)
    pieces = chunks(masked(doc))
    assert len(pieces) > 5 and pieces[0][0] == 0 and pieces[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(pieces, pieces[1:], strict=False))
    assert all(text[e - 2:e] == "\n\n" for _, e in pieces[:-1])  # cut after a paragraph
    nlp = load_nlp()
    sizes = []
    pipe = type(nlp).pipe

    def spy(self, texts, **kw):
        texts = list(texts)
        sizes.extend(len(t) for t in texts)
        assert kw["batch_size"] == 1  # a batch goes through the model at once
        return pipe(self, texts, **kw)

    monkeypatch.setattr(type(nlp), "pipe", spy)
    sdoc = _parse(doc, tmp_path)
    assert max(sizes) <= 600  # spaCy never sees the whole text at once
    assert sdoc.text == masked(doc)
    for tok in sdoc:
        assert text[tok.idx:tok.idx + len(tok)] == tok.text or tok.is_space or tok.idx < 15
    starts = {s.start_char for s in sdoc.sents}
    assert all(s in starts for s, _ in pieces[1:])
    assert sum("Alpha Front" in e.text for e in sdoc.ents) == 40
    cached = _parse(doc, tmp_path)  # the joined parse is cached and read back whole
    assert [t.text for t in cached] == [t.text for t in sdoc]


def test_a_long_run_of_brackets_does_not_stall_the_tokenizer(tmp_path):
    from conflictlens.nlp import parse_text as masked

    text = "The Alpha Front attacked Beta. " + "(" * 50_000 + "\nThe Gamma Army withdrew in 1990.\n"
    doc = parse_text(text, "brackets.txt")
    with within(20.0):  # 311 s before
        sdoc = _parse(doc, tmp_path)
    assert len(sdoc.text) == len(text) == len(masked(doc))
    assert "1990" in {e.text for e in sdoc.ents}  # the text after the run is parsed


def test_a_cache_entry_of_another_document_is_not_trusted(tmp_path):
    from conflictlens.nlp import _cache_key, load_nlp
    from conflictlens.nlp import parse_text as masked

    a = parse_text("A short text about the Alpha Front.\n", "a.txt")
    b = parse_text("A rather longer text: the Gamma Army attacked the town of Beta in May 1990.\n", "b.txt")
    _parse(a, tmp_path)
    (entry,) = tmp_path.glob("*.spacy")
    entry.rename(tmp_path / f"{_cache_key(masked(b), load_nlp())}.spacy")  # a's parse under b's name
    sdoc = _parse(b, tmp_path)
    assert sdoc.text == b.text


# --- budgets ------------------------------------------------------------------------------------

def _corpus(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "good.txt").write_text(PROSE)
    (corpus / "slow.txt").write_text("The Gamma Army attacked Delta in June 1991.\n")
    return corpus


def test_a_document_over_its_extraction_time_budget_gets_one_line(tmp_path, parse_cache, monkeypatch):
    import time as time_module

    from conflictlens import pipeline

    real = pipeline.extract_document

    def stalls(document, sdoc):
        if document.name == "slow.txt":
            while True:
                time_module.sleep(0.01)
        return real(document, sdoc)

    monkeypatch.setattr(pipeline, "extract_document", stalls)
    monkeypatch.setattr(pipeline, "BUDGET_MIN_SECONDS", 0.5)
    with within(30.0):
        report = build([_corpus(tmp_path)], tmp_path / "kb.db", cache_dir=parse_cache, n_process=1)
    assert report.documents == ["good.txt"]
    (line,) = report.errors
    assert "slow.txt" in line and "budget" in line and "\n" not in line


def test_a_document_that_runs_out_of_memory_gets_one_line(tmp_path, parse_cache, monkeypatch):
    from conflictlens import pipeline

    real = pipeline.extract_document

    def greedy(document, sdoc):
        if document.name == "slow.txt":
            raise MemoryError
        return real(document, sdoc)

    monkeypatch.setattr(pipeline, "extract_document", greedy)
    report = build([_corpus(tmp_path)], tmp_path / "kb.db", cache_dir=parse_cache, n_process=1)
    assert report.documents == ["good.txt"]
    (line,) = report.errors
    assert "slow.txt" in line and "out of memory" in line


def test_a_document_over_its_parse_budget_gets_one_line(tmp_path, monkeypatch):
    from conflictlens import nlp as nlp_module
    from conflictlens import pipeline

    monkeypatch.setattr(nlp_module, "WHOLE_CHARS", 200)
    monkeypatch.setattr(nlp_module, "CHUNK_CHARS", 100)
    monkeypatch.setattr(pipeline, "PARSE_SECONDS_PER_MB", 1e-9)  # every piece is over budget
    monkeypatch.setattr(pipeline, "BUDGET_MIN_SECONDS", 0.0)
    monkeypatch.setattr(pipeline, "EXTRACT_SECONDS_PER_MB", 1e9)  # extraction unlimited
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "short.txt").write_text("The Gamma Army attacked Delta.\n")
    (corpus / "long.txt").write_text(PROSE * 10)
    report = build([corpus], tmp_path / "kb.db", cache_dir=tmp_path / "cache", n_process=1)
    assert report.documents == ["short.txt"]
    (line,) = report.errors
    assert "long.txt" in line and "parsing took longer than its budget" in line


def test_the_build_command_prints_file_names_as_text_not_markup(tmp_path, parse_cache):
    from typer.testing import CliRunner

    from conflictlens.cli import app

    corpus = tmp_path / "c["  # its path joined to "]bad.txt" holds "[/]", Rich's closing tag
    corpus.mkdir()
    (corpus / "[bold]good.txt").write_text(PROSE)
    (corpus / "]bad.txt").write_bytes(b"\x00binary")
    result = CliRunner().invoke(app, ["build", str(corpus), "--db", str(tmp_path / "kb.db"),
                                      "--cache-dir", str(parse_cache), "--processes", "1"])
    assert result.exit_code == 0, result.output
    assert "c[/]bad.txt" in result.output and "binary" in result.output
