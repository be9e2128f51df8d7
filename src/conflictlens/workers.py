"""One document's parse and extraction as a unit of work, and a pool running it on every core.

:func:`process_document` takes a :class:`Document` and gives back its :class:`DocFacts` (or
None) and the error lines it caused: parse (from the parse cache or spaCy) and extraction in
one process, under the document's own time budgets. Inputs and outputs pickle, so the unit
runs anywhere: in the build's process, in :func:`run_documents`'s worker processes, on
another engine's workers. Only facts travel back, never a spaCy Doc.

Each document's facts are cached on disk next to the parses (``facts/``), keyed by its text
and everything else extraction reads, the model, and a hash of the package's code and
lexicons: a rebuild loads them and neither parses nor extracts; a changed document, date or
line of code is processed anew.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import signal
import tempfile
from collections import deque
from collections.abc import Callable, Sequence
from functools import lru_cache, partial
from pathlib import Path

from . import search_index, segments
from .errors import ConflictlensError
from .ingest import shown
from .memory_budget import OverMemoryBudget, memory_budget
from .nlp import (
    MODEL,
    PARSE_VERSION,
    ParseBudgetError,
    _give_back_memory,
    default_cache_dir,
    parse_document,
    parse_text,
)
from .records import DocFacts, Document

#: Bump when the facts' pickled form changes in a way the code hash would not see.
FACTS_VERSION = "2"

Result = tuple[DocFacts | None, list[str]]


class WorkerError(ConflictlensError):
    """The process working on a document stopped (killed, out of memory); it is skipped."""

    code = "E008"


# --- the unit ------------------------------------------------------------------------------------

def process_document(
    document: Document,
    *,
    cache_dir: Path | str | None = None,
    parse_seconds_per_mb: float | None = None,
    extract_seconds_per_mb: float | None = None,
    min_seconds: float | None = None,
    facts_cache: bool = True,
    parse_processes: int = 1,
) -> Result:
    """Parse and extract one document: ``(facts, error lines)``; facts is None when the
    document was skipped (its error line says why).

    ``cache_dir``: the parse cache (default :func:`conflictlens.nlp.default_cache_dir`); the
    facts cache is its ``facts`` folder. Budgets default to the pipeline's
    (``PARSE_SECONDS_PER_MB``, ``EXTRACT_SECONDS_PER_MB``, ``BUDGET_MIN_SECONDS``).
    ``parse_processes``: processes parsing a long text's pieces (see
    :func:`conflictlens.nlp.parse_document`).
    """
    from . import pipeline  # the pipeline imports this module

    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    parse_per_mb = pipeline.PARSE_SECONDS_PER_MB if parse_seconds_per_mb is None else parse_seconds_per_mb
    extract_per_mb = pipeline.EXTRACT_SECONDS_PER_MB if extract_seconds_per_mb is None else extract_seconds_per_mb
    floor = pipeline.BUDGET_MIN_SECONDS if min_seconds is None else min_seconds
    extract = pipeline.extract_document
    # A function replaced at run time (a test's) is not in the code hash: its facts are not
    # cached, nor read from the cache.
    cached = facts_cache and extract is _original_extract()
    key = facts_key(document) if cached else None
    if key is not None:
        facts = load_facts(cache, key, document)
        if facts is not None:
            return facts, []
    def parsed(d: Document):
        try:
            return parse_document(d, cache, seconds=pipeline.budget_seconds(d, parse_per_mb, floor),
                                  processes=parse_processes)
        except (ParseBudgetError, MemoryError) as exc:
            raise _ParseFailed(exc) from None

    limit = pipeline.budget_seconds(document, extract_per_mb, floor)

    def extracted(d: Document, sdoc) -> DocFacts:
        nonlocal limit
        limit = pipeline.budget_seconds(d, extract_per_mb, floor)  # a segment's own, named in the error line
        with pipeline._time_limit(limit):
            return extract(d, sdoc)

    try:
        if len(document.text) > segments.SEGMENT_CHARS:
            # a long document, segment by segment: its memory and time are bounded
            facts = segments.extract_long(document, parsed, extracted, processes=parse_processes,
                                          parse_ahead=partial(_parse_into_cache, cache=cache,
                                                              per_mb=parse_per_mb, floor=floor))
        else:
            facts = extracted(document, parsed(document))
        limit = pipeline.budget_seconds(document, extract_per_mb, floor)
        with pipeline._time_limit(limit):
            # the search index's share of this document, cached with its facts
            facts.search_parts = search_index.document_parts(document.text)
    except _ParseFailed as failed:
        exc = failed.args[0]
        what = "ran out of memory" if isinstance(exc, MemoryError) else str(exc)
        return None, [str(pipeline.ParseError(f"{what}; the document was skipped (split it into "
                                              "smaller files)", shown(document.path)))]
    except pipeline._OverBudget:
        return None, [str(pipeline.ExtractionError(
            f"extraction took longer than its budget ({limit:.0f} s); the document was skipped",
            shown(document.path)))]
    except Exception as exc:  # noqa: BLE001 - one bad document must not sink the build
        what = "ran out of memory" if isinstance(exc, MemoryError) else f"{type(exc).__name__}: {exc}"
        return None, [str(pipeline.ExtractionError(
            f"extraction failed ({shown(what)}); the document was skipped", shown(document.path)))]
    if key is not None:
        save_facts(cache, key, facts)
    return facts, []


def _parse_into_cache(document: Document, cache: Path, per_mb: float, floor: float) -> None:
    """Parse a segment into the parse cache (in a background process of segments.extract_long)."""
    from . import pipeline  # the pipeline imports this module

    parse_document(document, cache, seconds=pipeline.budget_seconds(document, per_mb, floor))


class _ParseFailed(Exception):
    """A parse over its budget or out of memory (its error in ``args[0]``)."""


def _original_extract():
    from . import pipeline

    return pipeline._EXTRACT_DOCUMENT


# --- the facts cache -----------------------------------------------------------------------------

@lru_cache(maxsize=1)
def code_hash() -> str:
    """A hash of the package's Python files and lexicons (the web app's files left out):
    any change of code may change what is extracted."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for f in sorted(root.rglob("*")):
        rel = f.relative_to(root).as_posix()
        if (not f.is_file() or "__pycache__" in rel or rel.startswith("web/")
                or f.suffix not in (".py", ".tsv", ".txt", ".json", ".csv")):
            continue
        h.update(rel.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


@lru_cache(maxsize=1)
def _model_version() -> str:
    from importlib import metadata

    versions = []
    for dist in ("spacy", MODEL.replace("_", "-"), MODEL):
        try:
            versions.append(metadata.version(dist))
        except metadata.PackageNotFoundError:
            versions.append("-")
    return "/".join(versions)


def facts_key(document: Document) -> str:
    """The facts cache key of a document as read (before extraction notes its date)."""
    fields = (
        FACTS_VERSION, PARSE_VERSION, MODEL, _model_version(), code_hash(),
        # everything of the document that extraction reads (its path only names it in errors
        # and the KB, and is set again on a cache hit)
        document.id, document.name, document.sha256, document.title, document.format,
        document.url, repr(document.date), document.date_source, repr(document.infobox),
        repr(document.markup), repr(document.pages),
        hashlib.sha256(parse_text(document).encode("utf-8", "surrogatepass")).hexdigest(),
    )
    return hashlib.sha256("\0".join(fields).encode("utf-8", "surrogatepass")).hexdigest()


def _facts_file(cache: Path, key: str) -> Path:
    return cache / "facts" / f"{key}.pickle"


def load_facts(cache: Path, key: str, document: Document) -> DocFacts | None:
    """The cached facts of ``document`` under ``key``, or None (a bad entry is removed).

    The cache is the user's own folder, read like the parses beside it; an entry that does
    not unpickle to facts of this very text is ignored and redone.
    """
    f = _facts_file(cache, key)
    try:
        data = f.read_bytes()
    except OSError:
        return None
    try:
        facts = pickle.loads(data)  # noqa: S301 - the user's own cache folder
        ok = (isinstance(facts, DocFacts) and isinstance(facts.document, Document)
              and facts.document.text == document.text and facts.document.name == document.name)
    except Exception:  # noqa: BLE001 - a corrupt entry is simply redone
        ok = False
    if not ok:
        with contextlib.suppress(OSError):  # a cache we may not write: the entry is just not used
            f.unlink(missing_ok=True)
        return None
    facts.document.path = document.path
    return facts


def save_facts(cache: Path, key: str, facts: DocFacts) -> None:
    f = _facts_file(cache, key)
    try:
        f.parent.mkdir(parents=True, exist_ok=True)
        data = pickle.dumps(facts, protocol=pickle.HIGHEST_PROTOCOL)
        fd, tmp = tempfile.mkstemp(dir=f.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, f)  # atomic: a concurrent reader never sees half a file
    except (OSError, pickle.PicklingError):
        pass  # a cache that cannot be written costs only time


# --- the pool ------------------------------------------------------------------------------------

def run_documents(
    documents: Sequence[Document],
    *,
    processes: int = 2,
    cache_dir: Path | str | None = None,
    progress: Callable[[str], None] | None = None,
    memory_mb: float | None = None,
) -> list[Result]:
    """:func:`process_document` for every document, in ``processes`` worker processes
    (in this process when 1, or when at most one document needs work): results in input
    order, whatever order they were done in.

    Cached facts are read here; the others are handed out longest first, one document a
    task. A worker that dies costs its document one error line; a new worker takes over.
    ``memory_mb``: the resident memory a process may hold while it works on one document
    (its spaCy parsers included; default ``pipeline.MEMORY_MB_PER_DOCUMENT``); a document
    over it is skipped with one error line.
    """
    if memory_mb is None:
        from . import pipeline

        memory_mb = pipeline.MEMORY_MB_PER_DOCUMENT
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    results, todo = from_cache(documents, cache, progress)
    if processes <= 1 or len(todo) <= 1:
        for i in todo:
            # a document alone: its pieces (if long) parsed on every core
            results[i] = _within_memory(documents[i], memory_mb, process_document, documents[i],
                                        cache_dir=cache,
                                        parse_processes=processes if len(todo) == 1 else 1)
            if progress:
                progress(documents[i].name)
    else:
        todo.sort(key=lambda i: -len(documents[i].text))
        _pool(documents, todo, min(processes, len(todo)), cache, results, progress, memory_mb)
    return results  # type: ignore[return-value]


def from_cache(documents: Sequence[Document], cache: Path,
               progress: Callable[[str], None] | None = None) -> tuple[list[Result | None], list[int]]:
    """The results of the documents whose facts ``cache`` holds (in input order, None for the
    others) and the indexes of the others, which need work."""
    results: list[Result | None] = [None] * len(documents)
    todo: list[int] = []
    cached = _original_extract() is _current_extract()  # a replaced extraction (a test's) is never cached
    for i, d in enumerate(documents):
        facts = load_facts(cache, facts_key(d), d) if cached else None
        if facts is not None:
            results[i] = (facts, [])
            if progress:
                progress(d.name)
        else:
            todo.append(i)
    return results, todo


def _current_extract():
    from . import pipeline

    return pipeline.extract_document


def _budgets() -> dict:
    # read in the parent and sent along: a worker started fresh (spawn) sees the defaults
    from . import pipeline

    return {"parse_seconds_per_mb": pipeline.PARSE_SECONDS_PER_MB,
            "extract_seconds_per_mb": pipeline.EXTRACT_SECONDS_PER_MB,
            "min_seconds": pipeline.BUDGET_MIN_SECONDS}


def _context():
    import multiprocessing

    # fork: a worker starts at once, with the modules (and a loaded model) of its parent
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method)


def _within_memory(document: Document, memory_mb: float | None, work, *args, **kwargs) -> Result:
    """``work(*args, **kwargs)`` under the memory budget: over it, the document's error line."""
    try:
        with memory_budget(memory_mb):
            return work(*args, **kwargs)
    except OverMemoryBudget as exc:
        _give_back_memory()  # the heap the document held, for the next one
        return None, [str(WorkerError(f"{exc}; the document was skipped (split it into smaller "
                                      "files, or give build a larger --max-memory-mb)",
                                      shown(document.path)))]


def _work(conn, cache: Path, budgets: dict, memory_mb: float | None) -> None:
    """A worker's loop: a document in, its result out, until told to stop (None)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops the build, and us
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        i, document = task
        try:
            result = _within_memory(document, memory_mb, process_document, document,
                                    cache_dir=cache, **budgets)
        except BaseException as exc:  # noqa: BLE001 - reported as the document's error
            result = (None, [str(WorkerError(f"processing failed ({type(exc).__name__}); the "
                                             "document was skipped", shown(document.path)))])
        try:
            conn.send((i, result))
        except Exception as exc:  # noqa: BLE001 - facts that do not pickle
            conn.send((i, (None, [str(WorkerError(
                f"its facts could not be sent back ({type(exc).__name__}); the document was "
                "skipped", shown(document.path)))])))


class _Worker:
    def __init__(self, ctx, cache: Path, budgets: dict, memory_mb: float | None):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_work, args=(child, cache, budgets, memory_mb), daemon=True)
        self.process.start()
        child.close()
        self.task: int | None = None

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def _pool(documents, todo, n, cache, results, progress, memory_mb) -> None:
    from multiprocessing.connection import wait

    ctx = _context()
    budgets = _budgets()
    code_hash()  # once, before forking
    if ctx.get_start_method() == "fork":
        # Loaded once here, the model is shared by the forked workers (spaCy's own n_process
        # forks so too), and a model that is not installed stops the build with its message.
        from .nlp import load_nlp

        load_nlp()
    queue = deque(todo)
    workers: list[_Worker] = []

    def hand_out(w: _Worker) -> None:
        w.task = queue.popleft()
        w.conn.send((w.task, documents[w.task]))

    def done(i: int, result: Result) -> None:
        results[i] = result
        if progress:
            progress(documents[i].name)

    try:
        for _ in range(n):
            w = _Worker(ctx, cache, budgets, memory_mb)
            workers.append(w)
            hand_out(w)
        while any(w.task is not None for w in workers):
            busy = [w for w in workers if w.task is not None]
            ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy])
            for w in busy:
                if w.conn in ready:
                    try:
                        i, result = w.conn.recv()
                    except (EOFError, OSError):
                        pass  # died while sending: seen below
                    else:
                        w.task = None
                        done(i, result)
                        if queue:
                            hand_out(w)
                        continue
                if w.task is not None and (w.process.sentinel in ready or w.conn in ready):
                    w.process.join(timeout=5)
                    if w.process.is_alive():
                        continue  # the pipe broke before the exit: the next wait sees it
                    i, w.task = w.task, None
                    code = w.process.exitcode
                    why = (f"killed by signal {-code}" if code is not None and code < 0
                           else f"exit code {code}")
                    done(i, (None, [str(WorkerError(
                        f"the worker process stopped ({why}: killed, or out of memory); "
                        "the document was skipped", shown(documents[i].path)))]))
                    w.conn.close()
                    workers.remove(w)
                    if queue:
                        fresh = _Worker(ctx, cache, budgets, memory_mb)
                        workers.append(fresh)
                        hand_out(fresh)
    finally:
        for w in workers:
            if w.task is not None:  # interrupted: do not wait for its document
                w.process.kill()
            w.stop()
