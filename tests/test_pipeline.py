"""End to end: the example corpus built into a KB, checked on real content."""

from __future__ import annotations

from pathlib import Path

import pytest

from conflictlens import analyze, store
from conflictlens.errors import BuildError
from conflictlens.pipeline import build
from conftest import EXAMPLES


def test_all_three_documents_are_built(example_kb):
    names = sorted(d.name for d in example_kb.documents)
    assert names == sorted(p.name for p in EXAMPLES.glob("*.txt"))
    for d in example_kb.documents:
        assert d.text == (EXAMPLES / d.name).read_bytes().decode("utf-8")


def test_every_evidence_quote_is_its_span(example_kb):
    texts = {d.name: (EXAMPLES / d.name).read_bytes().decode("utf-8") for d in example_kb.documents}
    n = 0
    for facts in (example_kb.actors, example_kb.events, example_kb.relations, example_kb.figures):
        for f in facts:
            assert f.evidence, f"{f.id} has no evidence"
            for ev in f.evidence:
                assert texts[ev.doc][ev.start:ev.end] == ev.quote
                n += 1
    for m in example_kb.mentions:
        assert texts[m.doc][m.start:m.end] == m.text
    assert n > 500


def test_one_actor_across_documents_with_all_its_names(example_kb):
    na = analyze.find_actor(example_kb, "Northern Alliance")
    assert na is analyze.find_actor(example_kb, "United Islamic Front for the Salvation of Afghanistan")
    assert na is analyze.find_actor(example_kb, "United Front")
    assert len(na.mentions) == 3  # named in each document
    assert analyze.find_actor(example_kb, "ISI") is analyze.find_actor(example_kb, "Inter-Services Intelligence")
    assert analyze.find_actor(example_kb, "Pakistan").type == "state"


def test_infobox_commanders_are_people_linked_to_their_side(example_kb):
    taliban = analyze.find_actor(example_kb, "Taliban")
    na = analyze.find_actor(example_kb, "Northern Alliance")
    from_infobox = 0
    for commander, side in (("Mullah Omar", taliban), ("Burhanuddin Rabbani", na), ("Karim Khalili", na)):
        person = analyze.find_actor(example_kb, commander)
        assert person.type == "person", commander
        links = [r for r in example_kb.relations
                 if r.source == person.id and r.target == side.id and r.relation in ("member_of", "leads")]
        assert links, f"{commander} is not linked to {side.name}"
        from_infobox += any(ev.quote.startswith("- Commander") for r in links for ev in r.evidence)
    # A commander whose leadership the prose states keeps that fact; the others are read
    # off the infobox line.
    assert from_infobox >= 2


def test_infobox_casualties_are_a_figure(example_kb):
    figs = [f for f in example_kb.figures if f.low == 35775 and f.high == 35775]
    assert figs and figs[0].kind == "deaths"
    assert figs[0].evidence[0].quote.startswith("Casualties3")


def test_dated_events_and_relations_exist(example_kb):
    taliban = analyze.find_actor(example_kb, "Taliban").id
    captures = [e for e in example_kb.events if e.type == "CAPTURE" and taliban in e.agents]
    assert any(e.time and e.time.value == "1996-09-27" for e in captures)
    pak = analyze.find_actor(example_kb, "Pakistan").id
    assert any(r.source == pak and r.target == taliban and r.relation == "supports" for r in example_kb.relations)


def test_bad_files_are_reported_and_the_rest_is_built(tmp_path, parse_cache):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text("In 1998 the Kosovo Liberation Army (KLA) attacked Serbian police. "
                                     "Albania supported the KLA.", encoding="utf-8")
    (corpus / "empty.txt").write_text("")
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02binary")
    (corpus / "latin1.txt").write_bytes("Caf\xe9".encode("latin-1"))
    db = tmp_path / "kb.db"
    report = build([corpus], db, cache_dir=parse_cache, n_process=1)
    assert report.documents == ["good.txt"]
    assert len(report.errors) == 3
    for name in ("empty.txt", "binary.txt", "latin1.txt"):
        assert sum(name in e for e in report.errors) == 1
    assert all("\n" not in e for e in report.errors)
    kla = analyze.find_actor(store.load(db), "KLA")
    assert kla.name == "Kosovo Liberation Army"


def test_a_build_that_crashes_midway_leaves_the_previous_kb(tmp_path, parse_cache, monkeypatch):
    doc = tmp_path / "a.txt"
    doc.write_text("The Kosovo Liberation Army fought Serbia in 1998.", encoding="utf-8")
    db = tmp_path / "kb.db"
    build([doc], db, cache_dir=parse_cache, n_process=1)
    before = db.read_bytes()

    def crash(*args, **kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr("conflictlens.pipeline.resolve", crash)
    with pytest.raises(RuntimeError):
        build([doc], db, cache_dir=parse_cache, n_process=1)
    assert db.read_bytes() == before


def test_no_readable_document_is_an_error_and_keeps_the_old_kb(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    db = tmp_path / "kb.db"
    db.write_bytes(b"old")
    with pytest.raises(BuildError, match="no readable document"):
        build([tmp_path], db)
    assert db.read_bytes() == b"old"


def test_an_extraction_crash_skips_only_that_document(tmp_path, parse_cache, monkeypatch):
    (tmp_path / "a.txt").write_text("Albania supported the Kosovo Liberation Army in 1998.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Serbia fought the Kosovo Liberation Army in 1999.", encoding="utf-8")
    from conflictlens import pipeline

    real = pipeline.extract_figures

    def flaky(sdoc, document, *args, **kwargs):
        if document.name == "b.txt":
            raise ValueError("boom")
        return real(sdoc, document, *args, **kwargs)

    monkeypatch.setattr(pipeline, "extract_figures", flaky)
    report = build([tmp_path], tmp_path / "kb.db", cache_dir=parse_cache, n_process=1)
    assert report.documents == ["a.txt"]
    assert len(report.errors) == 1 and "b.txt" in report.errors[0] and "E006" in report.errors[0]


def test_the_example_corpus_is_shipped_byte_for_byte():
    sources = (EXAMPLES / "SOURCES.md").read_text(encoding="utf-8")
    for p in EXAMPLES.glob("*.txt"):
        assert p.name in sources
    assert Path(EXAMPLES / "afghan-civil-war-1996-2001.txt").stat().st_size == 35889
