"""A long document extracted in segments (segments.py): exact evidence on the whole text,
facts from its start to its end, one actor across segments, short documents unchanged, and
the caches. The segment size is lowered so that spaCy parses little."""

from __future__ import annotations

import pytest

from conflictlens import nlp, pipeline, segments, workers
from conflictlens.pipeline import read_documents

FIRST = ("Tomas Arveld led the Popular Front for the Liberation of Norvania. "
         "On 12 March 1995 the Popular Front for the Liberation of Norvania attacked the town of Keldor "
         "and killed 40 soldiers. Tomas Arveld was arrested by the Estorian Army in June 1996.\n\n")
FILLER = [
    "The Kingdom of Estoria sent weapons to the Popular Front for the Liberation of Norvania in {y}. ",
    "In May {y} the Estorian Army captured the city of Varnholt after a long siege. ",
    "About {n} people were displaced by the fighting in the northern provinces in {y}. ",
    "The Republic of Ostmark recognized the Kingdom of Estoria in June {y}. ",
]
LAST = ("In April 2004 Tomas Arveld signed a peace agreement with the Kingdom of Estoria. "
        "The Popular Front for the Liberation of Norvania attacked Varnholt on 3 May 2004.\n")


def long_text() -> str:
    paras = [FIRST]
    for i in range(24):
        paras.append("".join(s.format(y=1995 + i % 9, n=1000 + 100 * i) for s in FILLER) + "\n\n")
    paras.append(LAST)
    return "Norvanian conflict\n\n" + "".join(paras)


@pytest.fixture
def long_doc(tmp_path, monkeypatch):
    monkeypatch.setattr(segments, "SEGMENT_CHARS", 2500)
    f = tmp_path / "norvania.txt"
    f.write_text(long_text())
    docs, errors = read_documents([f])
    assert not errors
    return docs[0]


def _spans_ok(facts) -> int:
    text = facts.document.text
    checked = 0
    for x in facts.events + facts.relations + facts.figures:
        for ev in x.evidence:
            assert text[ev.start:ev.end] == ev.quote
            checked += 1
    for a in facts.actors:
        for m in a.mentions:
            assert text[m.start:m.end] == m.text
            checked += 1
    for t in facts.times:
        assert text[t.start:t.end] == t.text
    return checked


def test_bounds_cover_the_text_at_paragraphs():
    text = long_text()
    bounds = segments.segment_bounds(text, 2500)
    assert len(bounds) > 3
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:], strict=False))
    assert all(text[s - 2:s] == "\n\n" for s, _ in bounds[1:])  # cut after a paragraph
    assert all(e - s <= 1.5 * 2500 for s, e in bounds)
    assert segments.segment_bounds("short text", 2500) == [(0, 10)]


def test_segment_reads_the_head_first(long_doc):
    head = segments.head_end(long_doc, 1000)
    assert long_doc.text[:head].strip() == "Norvanian conflict"
    s, e = segments.segment_bounds(long_doc.text)[2]
    seg = segments.segment_document(long_doc, s, e, head)
    assert seg.text == long_doc.text[:head] + long_doc.text[s:e]


def test_long_document_facts_hold_their_quotes(long_doc, parse_cache):
    assert len(segments.segment_bounds(long_doc.text)) > 3
    facts, errors = workers.process_document(long_doc, cache_dir=parse_cache, facts_cache=False)
    assert not errors
    assert facts.document is long_doc
    assert _spans_ok(facts) > 20
    keys = [a.key for a in facts.actors]
    assert len(keys) == len(set(keys))
    # facts near the start and near the end of the text
    starts = [x.evidence[0].start for x in facts.events + facts.figures]
    assert min(starts) < len(FIRST) + 30
    assert max(starts) > len(long_doc.text) - len(LAST)
    # every fact names actors of the document
    known = set(keys)
    for e in facts.events:
        assert all(k in known or "@" in k for k in e.agents + e.targets)


def test_an_actor_named_in_two_segments_is_one_actor(long_doc, parse_cache):
    facts, _ = workers.process_document(long_doc, cache_dir=parse_cache, facts_cache=False)
    text = long_doc.text
    bounds = segments.segment_bounds(text)
    name = "Popular Front for the Liberation of Norvania"
    front = [a for a in facts.actors if name in (a.name, *a.aliases)]
    assert len(front) == 1
    where = {next(k for k, (s, e) in enumerate(bounds) if s <= m.start < e) for m in front[0].mentions}
    assert where == set(range(len(bounds)))  # named in every segment, one actor
    person = [a for a in facts.actors if a.name == "Tomas Arveld"]
    assert len(person) == 1
    assert person[0].mentions[0].start < bounds[0][1] and person[0].mentions[-1].start >= bounds[-1][0]


def test_the_head_is_read_once(long_doc, parse_cache):
    facts, _ = workers.process_document(long_doc, cache_dir=parse_cache, facts_cache=False)
    head = segments.head_end(long_doc, segments.HEAD_CHARS)
    spans = [(m.start, m.end) for a in facts.actors for m in a.mentions]
    assert len(spans) == len(set(spans))
    assert sum(1 for s, _ in spans if s < head) <= 1
    assert len({t.start for t in facts.times}) == len(facts.times)


def test_a_short_document_is_extracted_whole(tmp_path, parse_cache, monkeypatch):
    f = tmp_path / "short.txt"
    f.write_text(long_text())
    doc = read_documents([f])[0][0]
    assert len(doc.text) < segments.SEGMENT_CHARS  # the real threshold
    facts, _ = workers.process_document(doc, cache_dir=parse_cache, facts_cache=False)
    again = read_documents([f])[0][0]
    whole = pipeline.extract_document(again, nlp.parse_document(again, parse_cache))
    assert (facts.actors, facts.events, facts.relations, facts.figures, facts.times) == \
        (whole.actors, whole.events, whole.relations, whole.figures, whole.times)
    # and a segment as long as the threshold is that document too
    monkeypatch.setattr(segments, "SEGMENT_CHARS", len(doc.text))
    called = []
    monkeypatch.setattr(segments, "combine", lambda *a: called.append(a))
    facts2, _ = workers.process_document(again, cache_dir=parse_cache, facts_cache=False)
    assert not called and facts2.events == whole.events


def test_a_rebuild_parses_nothing_again(long_doc, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    first, errors = workers.process_document(long_doc, cache_dir=cache)
    assert not errors and first is not None
    assert list((cache / "facts").iterdir())

    def no_parse(*a, **k):
        raise AssertionError("parsed again")

    # the facts cache: neither parse nor extraction
    monkeypatch.setattr(workers, "parse_document", no_parse)
    again, _ = workers.process_document(long_doc, cache_dir=cache)
    assert [e.evidence for e in again.events] == [e.evidence for e in first.events]
    monkeypatch.undo()
    monkeypatch.setattr(segments, "SEGMENT_CHARS", 2500)
    # without the facts: every segment's parse comes from the parse cache
    for f in (cache / "facts").iterdir():
        f.unlink()
    monkeypatch.setattr(nlp, "chunks", no_parse)  # called only to parse
    third, errors = workers.process_document(long_doc, cache_dir=cache)
    assert not errors
    assert [(e.type, e.evidence) for e in third.events] == [(e.type, e.evidence) for e in first.events]


def test_the_document_date_of_the_first_segment_dates_the_others(tmp_path, monkeypatch, parse_cache):
    monkeypatch.setattr(segments, "SEGMENT_CHARS", 2500)
    f = tmp_path / "report.txt"
    f.write_text("Report of the mission\n\nDistr.: General 26 July 2000\n\n" + long_text())
    doc = read_documents([f])[0][0]
    seen = []
    original = pipeline.extract_document

    def extract(d, sdoc):
        seen.append((d.date, d.date_source))
        return original(d, sdoc)

    monkeypatch.setattr(pipeline, "extract_document", extract)
    facts, errors = workers.process_document(doc, cache_dir=parse_cache, facts_cache=False)
    assert not errors and len(seen) > 3
    assert doc.date == "2000-07-26" and doc.date_source == "text"
    assert all(d == "2000-07-26" for d, _ in seen[1:])


def test_segments_parsed_ahead_in_background_give_the_same_facts(long_doc, tmp_path, parse_cache):
    one, _ = workers.process_document(long_doc, cache_dir=parse_cache, facts_cache=False)
    cache = tmp_path / "fresh"
    two, errors = workers.process_document(long_doc, cache_dir=cache, facts_cache=False, parse_processes=2)
    assert not errors
    assert (two.actors, two.events, two.relations, two.figures) == (one.actors, one.events, one.relations,
                                                                   one.figures)
    # every segment was parsed into the cache by the background processes
    assert len(list(cache.glob("*.spacy"))) == len(segments.segment_bounds(long_doc.text))


def test_a_failing_segment_skips_the_document_with_one_line(long_doc, parse_cache, monkeypatch):
    original, calls = pipeline.extract_document, []

    def extract(d, sdoc):
        calls.append(d)
        if len(calls) == 3:
            raise ValueError("bad segment")
        return original(d, sdoc)

    monkeypatch.setattr(pipeline, "extract_document", extract)
    facts, errors = workers.process_document(long_doc, cache_dir=parse_cache)
    assert facts is None and len(errors) == 1
    assert "E006" in errors[0] and "bad segment" in errors[0] and "norvania.txt" in errors[0]
