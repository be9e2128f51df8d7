from __future__ import annotations

from conflictlens.ingest import parse_text
from conflictlens.nlp import load_nlp, parse_documents
from conflictlens.nlp import parse_text as nlp_text

TEXT = """= A War =
- Combatant1: Alpha Front
- Combatant2: Beta Army

The Alpha Front attacked the town. The Beta Army withdrew
In 1995 a truce was signed.
"""


def test_parsed_text_has_document_offsets_and_blanks_markup():
    doc = parse_text(TEXT, "w.txt")
    masked = nlp_text(doc)
    assert len(masked) == len(TEXT)
    assert "Combatant1" not in masked and "Alpha Front attacked" in masked
    sdoc = load_nlp()(masked)
    for tok in sdoc:
        assert TEXT[tok.idx:tok.idx + len(tok)] == tok.text or tok.is_space


def test_a_line_break_starts_a_sentence():
    doc = parse_text(TEXT, "w.txt")
    sdoc = load_nlp()(nlp_text(doc))
    starts = [s.text.strip()[:12] for s in sdoc.sents if s.text.strip()]
    assert "In 1995 a tr" in starts


def test_parses_are_cached_by_content(tmp_path, monkeypatch):
    docs = [parse_text(TEXT, "w.txt"), parse_text("Another text. About peace.", "p.txt")]
    first = [s.to_json()["tokens"] for _, s in parse_documents(docs, cache_dir=tmp_path)]
    assert len(list(tmp_path.glob("*.spacy"))) == 2
    nlp = load_nlp()

    def no_parse(*args, **kwargs):
        raise AssertionError("a cached document was parsed again")

    monkeypatch.setattr(type(nlp), "pipe", no_parse)
    again = [s.to_json()["tokens"] for _, s in parse_documents(docs, cache_dir=tmp_path)]
    assert again == first


def test_a_corrupt_cache_entry_is_parsed_again(tmp_path):
    docs = [parse_text(TEXT, "w.txt")]
    list(parse_documents(docs, cache_dir=tmp_path))
    (entry,) = tmp_path.glob("*.spacy")
    entry.write_bytes(b"garbage")
    ((_, sdoc),) = parse_documents(docs, cache_dir=tmp_path)
    assert len(sdoc) > 10


def test_prefixed_verbs_stay_whole_but_names_after_a_prefix_do_not():
    sdoc = load_nlp()("The Taliban re-entered the city. Anti-Taliban and anti-Soviet forces co-operated.")
    words = [t.text for t in sdoc]
    assert "re-entered" in words and "co-operated" in words
    assert "Taliban" in words[words.index("re-entered") + 1:] and "Soviet" in words


def test_an_abbreviation_before_a_proper_noun_ends_no_sentence():
    from conflictlens.nlp import load_nlp

    nlp = load_nlp()
    doc = nlp("In 1999, the Chairman of the U.S. Joint Chiefs of Staff backed the NATO campaign. "
              "Kosovo was bombed by the U.S. The war ended in June.")
    sents = [s.text for s in doc.sents]
    assert sents[0].endswith("campaign.") and sents[-1] == "The war ended in June."


def test_a_long_text_is_cut_into_bounded_pieces_at_paragraphs_then_sentence_ends(monkeypatch):
    from conflictlens import nlp as nlp_module
    from conflictlens.nlp import chunks

    monkeypatch.setattr(nlp_module, "WHOLE_CHARS", 1000)
    monkeypatch.setattr(nlp_module, "CHUNK_CHARS", 400)
    paragraph = "The Alpha Front attacked Beta in 1990. The Gamma Army withdrew.\n\n"  # 66 chars
    # one paragraph far longer than a piece, with abbreviations a cut must not split
    long_one = "Gen. Doe of the U.S. Army met the envoys at Delta. " * 30 + "\n\n"
    text = paragraph * 20 + long_one + paragraph * 20
    pieces = chunks(text)
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(pieces, pieces[1:], strict=False))
    assert all(e - s <= 400 for s, e in pieces)
    start = text.index(long_one)
    inside = [e for _, e in pieces[:-1] if start < e < start + len(long_one)]
    assert len(inside) >= 3 and all(text[e - 7:e] == "Delta. " for e in inside)  # a sentence's end
    assert all(text[e - 2:e] == "\n\n" for _, e in pieces[:-1] if e not in inside)  # a paragraph's
    assert len(chunks("short text")) == 1
