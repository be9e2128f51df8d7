"""A long document extracted in segments: memory and time bounded whatever its length.

A document of more than :data:`SEGMENT_CHARS` characters is cut after paragraphs into
segments of at most about that size. Each segment is parsed and extracted as a document of
its own and its spaCy Doc freed before the next, so a build holds one segment's parse at a
time (a whole 2 MB text's parse kept ~115 MB and its extraction took 71 s/MB against 22 s/MB
for 0.5 MB: several steps grow with the square of a document's length). Shorter documents
are extracted whole, as always.

Each segment after the first is read with the document's *head* before it: its first line
(title, lead) and the markup lines that follow it (infobox, first headings), at most
:data:`HEAD_CHARS`. So every segment knows the document's title, infobox period and the
actors its lead names; what the head yields is kept from the first segment only.

Combining the segments' facts into one :class:`DocFacts` for the document:

* offsets become the whole document's (every quote still equals its span);
* local actors of different segments join where :func:`conflictlens.resolve.resolve_actors`
  would join them across documents (a full name, a country code, a one-word person with the
  surname of one person only); keys stay those of the first segment naming the actor
  (made unique with ``~N`` when two actors of different segments had the same key);
* the document's date read from the first segment's dateline is the date of the others.

Lost at a boundary: a pronoun, "the regime" or a relative date ("the next day") that points
back across it, the narrative's last date before it, the tables and headings of the segments
before (a section's heading, an alias defined earlier: "the Front" for a name given in
another segment), and a surname alone in a later segment when two people of the whole
document bear it. A name read only in the whole text's end matter (its "References" in a
segment's first half, which the segment does not take for end matter) is dropped here.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import replace
from types import SimpleNamespace

from .extract.actors import _UnionFind
from .nlp import WHOLE_CHARS
from .records import DocFacts, Document, Evidence, LocalActor, Mention, TimeExpr

#: A longer text is extracted in segments of about this many characters (never less than
#: nlp.WHOLE_CHARS: a text parsed whole is extracted whole). Measured on one process
#: (bench/bench_longdoc.py): extraction 22 s/MB at 0.5 MB, 34 at 1 MB, 71 at 2 MB.
SEGMENT_CHARS = 500_000
#: The most of a document's head (first line, markup lines after it) a segment is read with.
HEAD_CHARS = 20_000

assert SEGMENT_CHARS >= WHOLE_CHARS


def segment_bounds(text: str, size: int | None = None) -> list[tuple[int, int]]:
    """``(start, end)`` segments covering ``text`` in order: as few as hold at most ``size``
    characters each, of about equal length (no short last segment, which would read the
    tail of a section without its heading), each cut after a paragraph (else a line, a
    sentence, a space) in the half segment before its even share's end. A segment is at
    most 1.5 × ``size``."""
    size = size or SEGMENT_CHARS
    n = -(-len(text) // size)
    if n <= 1:
        return [(0, len(text))]
    share = len(text) / n
    out, pos = [], 0
    for k in range(1, n):
        limit = round(k * share)
        floor = max(pos + 1, round(limit - share / 2))
        for sep in ("\n\n", "\n", ". ", " "):
            cut = text.rfind(sep, floor, limit)
            if cut >= 0:
                cut += len(sep)
                break
        else:
            cut = limit
        out.append((pos, cut))
        pos = cut
    out.append((pos, len(text)))
    return out


def head_end(document: Document, limit: int) -> int:
    """End of the document's head: its first non-blank line, then the blank and markup lines
    right after it, within ``limit`` characters (0 when even the first line is longer)."""
    text = document.text
    nl = text.find("\n", len(text) - len(text.lstrip()))
    end = len(text) if nl < 0 else nl + 1
    if end > limit:
        return 0
    while end < len(text):
        nl = text.find("\n", end)
        line_end = len(text) if nl < 0 else nl + 1
        if line_end > limit or text[end:line_end].strip() and not any(
                s <= end < e for s, e in document.markup):
            break
        end = line_end
    return end


class _Shift:
    """Offsets of a segment's text (the head, then ``text[start:end]``) → the document's."""

    def __init__(self, head: int, start: int, end: int, text: str):
        self.head, self.start, self.end, self.text = head, start, end, text
        self._seen: dict[int, object] = {}

    def pos(self, p: int) -> int:
        return p if p < self.head else p - self.head + self.start

    def in_head(self, start: int, end: int) -> bool:
        return start < self.head

    def span_ok(self, start: int, end: int) -> bool:
        # nothing read across the join of the head and the segment
        return end <= self.head or start >= self.head

    def time(self, t: TimeExpr | None) -> TimeExpr | None:
        if t is None or self.head == 0 and self.start == 0:
            return t
        out = self._seen.get(id(t))
        if out is None:
            out = self._seen[id(t)] = replace(t, start=self.pos(t.start), end=self.pos(t.end))
        return out  # type: ignore[return-value]

    def evidence(self, evs: list[Evidence], drop_head: bool) -> list[Evidence]:
        out = []
        for ev in evs:
            if not self.span_ok(ev.start, ev.end) or drop_head and self.in_head(ev.start, ev.end):
                continue
            moved = replace(ev, start=self.pos(ev.start), end=self.pos(ev.end))
            if self.text[moved.start:moved.end] == moved.quote:
                out.append(moved)
        return out


def segment_document(document: Document, start: int, end: int, head: int) -> Document:
    """The segment ``text[start:end]`` as a document of its own, after ``text[:head]``."""
    if start == 0:
        head = 0
    text = document.text[:head] + document.text[start:end]
    shift = start - head  # a segment offset p >= head is document offset p + shift

    def inside(s: int, e: int) -> bool:
        return s >= start and e <= end

    markup = [(s, e) for s, e in document.markup if e <= head] + \
             [(s - shift, e - shift) for s, e in document.markup if inside(s, e) and s >= head]
    infobox = [f for f in document.infobox if f.line_end <= head] + \
              [replace(f, start=f.start - shift, end=f.end - shift, line_start=f.line_start - shift,
                       line_end=f.line_end - shift)
               for f in document.infobox if inside(f.line_start, f.line_end) and f.line_start >= head]
    # the page holding the segment's start begins where the segment's text does
    before = [p for p in document.pages if p <= start]
    pages = [p for p in document.pages if p < head] + ([head] if before and before[-1] >= head else []) + \
            [p - shift for p in document.pages if start < p < end]
    return replace(document, text=text, markup=markup, infobox=infobox, pages=pages)


def combine(document: Document, parts: list[tuple[DocFacts, _Shift]]) -> DocFacts:
    """One document's facts from its segments' (each with its offset shift)."""
    from .resolve import resolve_actors

    moved = [_moved(f, sh, drop_head=k > 0) for k, (f, sh) in enumerate(parts)]
    views = [SimpleNamespace(document=SimpleNamespace(name=str(k)), actors=f.actors)
             for k, f in enumerate(moved)]
    merged, ids = resolve_actors(views)
    by_id = {a.id: a for a in merged}
    # An actor a later segment read in the head is the first segment's actor of that very
    # mention (the same occurrence), whatever resolve's rules say of its name.
    uf = _UnionFind()
    first = {span: ids[("0", a.key)] for a in moved[0].actors for span in a.spans} if moved else {}
    for k, f in enumerate(moved[1:], 1):
        for a in f.actors:
            for span in a.head_spans:
                if span in first:
                    uf.union(first[span], ids[(str(k), a.key)])
    referenced = [_referenced(f) for f in moved]
    members: dict[str, list[tuple[int, LocalActor]]] = {}
    for k, f in enumerate(moved):
        for a in f.actors:
            members.setdefault(uf.find(ids[(str(k), a.key)]), []).append((k, a))
    apparatus = _end_matter(document.text)
    for gid, group in list(members.items()):
        if all(k > 0 and a.head_spans and not a.mentions and a.key not in referenced[k] for k, a in group):
            del members[gid]  # an actor of the head alone, which nothing of its segment names
        elif apparatus and all(_inside(apparatus, m.start, m.end) for _, a in group for m in a.mentions) \
                and any(a.mentions for _, a in group):
            del members[gid]  # named only in the whole text's end matter, which a segment misses
    keys: dict[tuple[int, str], str] = {}
    taken: set[str] = set()
    actors = []
    for gid, group in members.items():  # in order of first segment, then of extraction
        key = group[0][1].key
        n = 2
        while key in taken:
            key, n = f"{group[0][1].key}~{n}", n + 1
        taken.add(key)
        for k, a in group:
            keys[(k, a.key)] = key
        actors.append(_joined(key, by_id[gid], [a for _, a in group]))

    def local(k: int, key: str | None) -> str | None:
        # a key no actor of its segment holds names nothing (resolve drops its fact): it must
        # not become another segment's actor
        if not key:
            return key
        return keys.get((k, key), f"{key}@{k}")

    out = DocFacts(document=document, actors=actors)
    for k, f in enumerate(moved):
        out.times += f.times
        for e in f.events:
            e.agents = [local(k, x) for x in e.agents]
            e.targets = [local(k, x) for x in e.targets]
            out.events.append(e)
        for r in f.relations:
            r.source, r.target = local(k, r.source), local(k, r.target)
            out.relations.append(r)
        for fig in f.figures:
            fig.actor = local(k, fig.actor)
            out.figures.append(fig)
    return out


def _end_matter(text: str) -> list[tuple[int, int]]:
    """The spans of the whole text that actor extraction reads as end matter or a run-in
    bibliography: a segment sees a "References" line only in its own second half, and a
    bibliography only when it reaches the segment's end."""
    from .extract.actor_misreads import end_matter
    from .extract.figures import citation_spans

    return sorted(end_matter(text) + citation_spans(text))


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    i = bisect_right(spans, (start, float("inf"))) - 1
    return any(s <= start and end <= e for s, e in spans[max(0, i - 3):i + 1])


def _referenced(f: DocFacts) -> set[str]:
    keys = {k for e in f.events for k in (*e.agents, *e.targets)}
    keys |= {k for r in f.relations for k in (r.source, r.target)}
    return keys | {x.actor for x in f.figures if x.actor}


def _joined(key: str, actor, group: list[LocalActor]) -> LocalActor:
    names = {n for a in group for n in (a.name, *a.aliases) if n}
    strong = {n for a in group for n in (a.name, *a.aliases) if n and n not in a.weak_aliases}
    mentions = [replace(m, key=key) for a in group for m in a.mentions]
    evidence = list(dict.fromkeys(e for a in group for e in a.evidence))
    return LocalActor(key=key, name=actor.name, type=actor.type, aliases=names - {actor.name},
                      mentions=mentions, evidence=evidence,
                      weak_aliases={n for a in group for n in a.weak_aliases} - strong)


def _moved(f: DocFacts, sh: _Shift, drop_head: bool) -> DocFacts:
    """``f`` with the document's offsets; with ``drop_head``, what was read in the head left
    out (the first segment has it)."""
    def keep(items, evidence_of):
        out = []
        for x in items:
            evs = sh.evidence(evidence_of(x), drop_head)
            if evs:
                x.evidence = evs
                if getattr(x, "time", None) is not None:
                    x.time = sh.time(x.time)
                out.append(x)
        return out

    actors = []
    for a in f.actors:
        a.head_spans = {(m.start, m.end) for m in a.mentions if drop_head and sh.in_head(m.start, m.end)}
        a.mentions = [Mention(m.key, m.text, sh.pos(m.start), sh.pos(m.end), m.doc) for m in a.mentions
                      if sh.span_ok(m.start, m.end) and not (drop_head and sh.in_head(m.start, m.end))]
        a.spans = {(m.start, m.end) for m in a.mentions}
        a.evidence = sh.evidence(a.evidence, drop_head)
        actors.append(a)
    times = [sh.time(t) for t in f.times if sh.span_ok(t.start, t.end)
             and not (drop_head and sh.in_head(t.start, t.end))]
    return DocFacts(document=f.document, actors=actors, times=times,
                    events=keep(f.events, lambda e: e.evidence),
                    relations=keep(f.relations, lambda r: r.evidence),
                    figures=keep(f.figures, lambda x: x.evidence))


def extract_long(document: Document, parse: Callable[[Document], object],
                 extract: Callable[[Document, object], DocFacts], *,
                 parse_ahead: Callable[[Document], None] | None = None, processes: int = 1) -> DocFacts:
    """The facts of ``document`` read segment by segment (see the module's doc):
    ``parse(segment)`` gives its spaCy Doc (e.g. :func:`conflictlens.nlp.parse_document`,
    cached by the segment's text), ``extract(segment, doc)`` its facts (e.g.
    :func:`conflictlens.pipeline.extract_document`). A document of one segment is parsed and
    extracted whole.

    ``parse_ahead(segment)`` (a picklable function), with ``processes`` > 1: parses a segment
    into the parse cache; that many processes run it on the next segments while this one
    extracts, so that ``parse`` then loads the segment from the cache (a segment it failed on
    is parsed by ``parse``, which tells why). Never from a daemonic process.
    """
    from .nlp import _give_back_memory

    bounds = segment_bounds(document.text)
    if len(bounds) == 1:
        return extract(document, parse(document))
    head = min(head_end(document, HEAD_CHARS), bounds[1][0])
    segs = [segment_document(document, s, e, head) for s, e in bounds]
    parts = []
    with _Ahead(parse_ahead if processes > 1 else None, processes, segs) as ahead:
        for k, ((s, e), seg) in enumerate(zip(bounds, segs, strict=True)):
            if k > 0:
                # the first segment's dateline dates the whole document
                seg.date = document.date
                seg.date_source = "segment" if document.date_source == "text" else document.date_source
            ahead.wait(k)
            sdoc = parse(seg)
            facts = extract(seg, sdoc)
            del sdoc
            _give_back_memory()  # the segment's parse: the next one reuses the heap
            if k == 0:
                document.date, document.date_source = seg.date, seg.date_source
            parts.append((facts, _Shift(head if k else 0, s, e, document.text)))
            segs[k] = None  # type: ignore[call-overload]
    return combine(document, parts)


class _Ahead:
    """Segments parsed into the cache by ``processes`` background processes, a few segments
    ahead of the one being extracted (their parses wait on disk, not in memory)."""

    def __init__(self, parse_ahead, processes: int, segs: list[Document]):
        self.fn, self.n, self.segs = parse_ahead, processes, segs
        self.pool = None
        self.futures: dict[int, object] = {}

    def __enter__(self):
        if self.fn is not None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # fork: the workers start at once with the loaded model
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            self.pool = ProcessPoolExecutor(self.n, mp_context=multiprocessing.get_context(method))
        return self

    def wait(self, k: int) -> None:
        """Segment ``k``'s background parse done (or failed: ``parse`` redoes it)."""
        if self.pool is None:
            return
        for j in range(k, min(len(self.segs), k + self.n + 1)):
            if j not in self.futures:
                try:
                    self.futures[j] = self.pool.submit(self.fn, self.segs[j])
                except RuntimeError:  # a broken pool: the rest is parsed in this process
                    self._stop()
                    return
        try:
            self.futures.pop(k).result()
        except Exception:  # noqa: BLE001 - over budget, out of memory, killed: parse tells
            pass

    def _stop(self) -> None:
        if self.pool is not None:
            processes = list((getattr(self.pool, "_processes", None) or {}).values())
            self.pool.shutdown(wait=False, cancel_futures=True)
            for p in processes:  # a parse under way is not waited for
                p.terminate()
            for p in processes:
                p.join()
            self.pool = None

    def __exit__(self, *exc):
        self._stop()
        return False
