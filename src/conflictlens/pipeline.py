"""Build: documents → parse → extract → resolve → store, one document's failure at a time.

A document that cannot be read or whose extraction fails is reported in one line naming
the file, and the build goes on with the others. The KB file is replaced only when the
whole build has succeeded (see :func:`conflictlens.store.save`).
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from . import __version__, corrections, store
from .confidence import score as score_confidence
from .confidence import tag
from .errors import BuildError, ConflictlensError, DocumentError
from .extract import report
from .extract.actors import demonym_state, extract_actors, norm
from .extract.arguments import participant_mentions
from .extract.event_relations import named_war_relations, relations_from_events
from .extract.events import extract_events
from .extract.figures import apparatus_spans, extract_figures
from .extract.led_forces import forces_replacer, led_forces, led_forces_events
from .extract.reference import resolve_references
from .extract.relations import extract_relations
from .extract.structure import structure_relations
from .extract.structured import with_structures
from .extract.time import (
    anchor_event_references,
    anchor_founding_dates,
    close_ceased_relations,
    find_times,
    refine_event_dates,
)
from .ingest import find_documents, read_file, shown
from .nlp import MODEL
from .records import KB, WEAK_DATE_SOURCES, DocFacts, Document, Mention
from .resolve import apply_overrides, resolve
from .workers import run_documents


class ExtractionError(ConflictlensError):
    """Extraction crashed on one document; the document is skipped."""

    code = "E006"


class ParseError(ConflictlensError):
    """spaCy could not parse one document within its budget; the document is skipped."""

    code = "E007"


#: Per-document budgets: a document over one gets one error line and the build goes on.
#: Seconds per MB of text (at least BUDGET_MIN_SECONDS): generous to spaCy and extraction at
#: their ordinary speed (~0.1 MB/s parse on one core) — they stop a document that stalls,
#: they do not judge speed. Memory: texts are parsed in pieces (nlp.CHUNK_CHARS), and a
#: MemoryError in one document's parse or extraction skips that document.
PARSE_SECONDS_PER_MB = 600.0
EXTRACT_SECONDS_PER_MB = 600.0
BUDGET_MIN_SECONDS = 60.0
#: MB of resident memory the work on one document may add to its process (its spaCy parsers
#: included; see conflictlens.memory_budget): over it, the document is skipped. The model
#: loaded by the first document counts (~0.3 GB); a long text parsed in pieces stays far under.
MEMORY_MB_PER_DOCUMENT = 2048.0


def budget_seconds(document: Document, per_mb: float, floor: float | None = None) -> float:
    """``per_mb`` seconds per MB of the document's text, at least ``floor`` (default
    :data:`BUDGET_MIN_SECONDS`)."""
    return max(BUDGET_MIN_SECONDS if floor is None else floor, per_mb * len(document.text) / 1_000_000)


class _OverBudget(BaseException):
    """Raised by the alarm inside extraction (a BaseException: no ``except Exception`` in an
    extractor may swallow it)."""


@contextmanager
def _time_limit(seconds: float):
    """Interrupt the block after ``seconds`` (SIGALRM; also stops a running regex). Only in
    the main thread of a POSIX process; elsewhere the block runs unlimited."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum, frame):
        raise _OverBudget

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@dataclass
class BuildReport:
    db: str
    documents: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    words: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)  # user corrections that no longer apply


def extract_document(document: Document, sdoc) -> DocFacts:
    """Every fact of one parsed document, before cross-document resolution."""
    actors, mentions = extract_actors(sdoc, document)
    dct, weak = report.given_date(document)  # the document's own date: metadata or --date
    times = find_times(document.text, sdoc, sections=[end for _, end in document.markup],
                       dct=dct, dct_weak=weak)
    note_document_date(document, times)
    parties = participant_mentions(document.text, mentions)
    # pronouns, "the regime", "these countries": the actors they stand for, as mentions
    refs = resolve_references(sdoc, document.text, actors, mentions)
    members: list[Mention] = []
    relations = extract_relations(sdoc, document, mentions + refs, times,  # reads anti-X itself
                                  members=members)
    tag(relations, "prose", document)  # the way each fact was found: its confidence's key
    # Tables and enumerations are read by their layout (extract/structured.py).
    told = extract_events(sdoc, document, parties + refs + members, times)
    told_figures = extract_figures(sdoc, document, times, parties)
    tag(told, "prose", document)
    tag(told_figures, "prose", document)
    events, relations, figures = with_structures(
        document, actors, mentions, times, told, relations, told_figures)
    for found in (events, relations, figures):
        tag(found, "table", document)
    relations += structure_relations(sdoc, document, actors, parties, relations, times)
    tag(relations, "names", document)
    # What the prose's events imply: who fought whom (one side's parts excluded). A table row
    # says itself who fought whom; its commanders do not fight the other side's state.
    prose = {id(e) for e in told}
    relations += relations_from_events([e for e in events if id(e) in prose], actors, relations)
    tag(relations, "event", document)
    relations += named_war_relations(sdoc, document, actors, relations, apparatus_spans(document))
    tag(relations, "war", document)
    # "the forces of X": the group X leads, not X in person
    # (leads and member_of, from which the groups are read, are never rewritten: build once)
    named = mentions + refs
    group_of = forces_replacer(document, actors, named, relations)
    if group_of is not None:
        relations = led_forces(document, actors, named, relations, group_of)
        events = led_forces_events(document, actors, named, relations, events, group_of)
        tag(relations, "forces", document)
        tag(events, "forces", document)
    return DocFacts(
        document=document,
        actors=actors,
        times=times,
        events=events,
        relations=relations,
        figures=figures,
    )


#: The extraction itself, as written: :mod:`conflictlens.workers` caches the facts only of this
#: function (a test that replaces ``extract_document`` gets no cached facts).
_EXTRACT_DOCUMENT = extract_document


def note_document_date(document: Document, times) -> None:
    """Record the date the document is read from (shown by ``sources`` and the reader):
    its metadata's, else its dateline's ("Distr.: General 26 July 2000")."""
    from .extract.time import Narrative

    dct = Narrative.of(document, times).dct
    if dct is not None and dct.text:  # a dateline of the text won
        document.date, document.date_source = dct.value, "text"


def read_documents(paths: Iterable[str | Path], date: str | None = None) -> tuple[list[Document], list[str]]:
    """The readable documents under ``paths`` and one error line per unusable file.

    ``date`` (ISO) is the date of every document whose file states none in its metadata.
    """
    docs: list[Document] = []
    errors: list[str] = []
    by_name: dict[str, Document] = {}
    by_id: dict[str, Document] = {}
    for d, exc in _each_document(paths, errors):
        if exc is not None:
            errors.append(str(exc))
            continue
        if date and (not d.date or d.date_source in WEAK_DATE_SOURCES):
            d.date, d.date_source = date, "--date"
        other = by_name.get(d.name)
        if other is not None:
            if other.sha256 != d.sha256:
                errors.append(str(DocumentError(
                    f"has the same file name as {shown(other.path)}; evidence names documents by "
                    "file name, so rename one of them", shown(d.path))))
            continue  # the same text twice: keep one
        other = by_id.get(d.id)
        if other is not None:
            # A document's id is its text's hash: the KB holds one copy of a text.
            errors.append(str(DocumentError(
                f"has the same text as {shown(other.path)}; it was read once, as {shown(other.name)}",
                shown(d.path))))
            continue
        by_name[d.name] = d
        by_id[d.id] = d
        docs.append(d)
    return docs, errors


def _each_document(paths, errors: list[str]):
    """``(document, None)`` per document read, ``(None, error)`` per file or part unusable
    (a news feed's file holds many documents); links not followed go to ``errors``."""
    for p in find_documents(paths, errors):
        try:
            found, bad = read_file(p)
        except DocumentError as exc:
            yield None, exc
            continue
        yield from ((None, e) for e in bad)
        yield from ((d, None) for d in found)


def build_kb(
    documents: list[Document],
    *,
    cache_dir: Path | None = None,
    n_process: int = 2,
    progress: Callable[[str], None] | None = None,
    errors: list[str] | None = None,
    engine: Callable[..., list] | None = None,
    memory_mb: float | None = None,
) -> KB:
    """Parse, extract and resolve ``documents`` into a KB (nothing is written).

    ``engine``: where the documents are processed, a function like
    :func:`conflictlens.workers.run_documents` (which it defaults to), e.g. the Dask engine's.
    ``memory_mb``: each document's memory budget (default :data:`MEMORY_MB_PER_DOCUMENT`).
    """
    errors = errors if errors is not None else []
    facts: list[DocFacts] = []
    # parse + extract per document, on n_process cores; results in input order
    for found, bad in (engine or run_documents)(documents, processes=n_process, cache_dir=cache_dir,
                                                progress=progress, memory_mb=memory_mb):
        errors.extend(bad)
        if found is not None:
            facts.append(found)
    kb = resolve(facts)
    kb.search_parts = {f.document.name: f.search_parts for f in facts if f.search_parts is not None}
    # Time the KB as a whole knows: needs actor ids that hold across documents.
    refine_event_dates(kb.events)
    named = _actor_namer(kb)
    anchor_founding_dates(kb.events, kb.relations, named)
    anchor_event_references(kb.events, kb.relations, named)
    close_ceased_relations(kb.relations)
    score_confidence(kb)  # the measured precision of the way each fact was found
    return kb


def _actor_namer(kb: KB) -> Callable[[str], str | None]:
    """The id of the KB actor a name stands for (any of its names, normalised), else None."""
    by_name: dict[str, str] = {}
    for a in kb.actors:
        for n in (a.name, *a.aliases):
            by_name.setdefault(norm(n), a.id)
    def named(name: str) -> str | None:
        # "Soviet" in "the Soviet withdrawal" is the Soviet Union
        return by_name.get(norm(name)) or by_name.get(norm(demonym_state(name) or ""))

    return named


def build(
    paths: Iterable[str | Path],
    db: str | Path,
    *,
    cache_dir: Path | None = None,
    n_process: int = 2,
    progress: Callable[[str], None] | None = None,
    on_documents: Callable[[list[Document]], None] | None = None,
    date: str | None = None,
    engine: Callable[..., list] | None = None,
    memory_mb: float | None = None,
) -> BuildReport:
    """Build the KB at ``db`` from the documents under ``paths``.

    Raises :class:`BuildError` when no document could be used; the old KB then stays.
    """
    t0 = time.perf_counter()
    docs, errors = read_documents(paths, date=date)
    if on_documents:
        on_documents(docs)
    if not docs:
        raise BuildError("no readable document to build from"
                         + (f" ({len(errors)} skipped)" if errors else "")
                         + "; give .txt, .md, .pdf, .html, .docx or .jsonl files or folders holding them")
    # The user's corrections live in the KB file; a file that is not a KB is never overwritten.
    overrides = store.load_overrides(db)
    kb = build_kb(docs, cache_dir=cache_dir, n_process=n_process, progress=progress, errors=errors,
                  engine=engine, memory_mb=memory_mb)
    if not kb.documents:
        raise BuildError("every document failed to extract; see the errors above")
    report_notes = apply_overrides(kb, overrides)
    # the user's corrections of facts, by the fact's content (its id changes with a rebuild)
    report_notes += corrections.replay(kb, store.load_fact_corrections(db))
    score_confidence(kb)  # again: merged actors merge facts (more evidence)
    store.save(kb, db, meta={
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "conflictlens_version": __version__,
        "model": MODEL,
        "documents": len(kb.documents),
    }, overrides=overrides)
    report = BuildReport(db=str(db), documents=[d.name for d in kb.documents], errors=errors,
                         notes=report_notes)
    report.counts = {"actors": len(kb.actors), "events": len(kb.events),
                     "relations": len(kb.relations), "figures": len(kb.figures)}
    report.words = sum(d.words for d in kb.documents)
    report.seconds = time.perf_counter() - t0
    return report
