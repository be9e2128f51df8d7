"""The search index of ``ask``: BM25 postings over a KB's sentences, stored in the KB.

Building the index (splitting every document into sentences, stemming every word) costs
seconds on a large corpus, and every ``conflictlens ask`` is a new process. So the index is
built once, when the KB is saved (:func:`write`), and stored in five tables (portable SQL:
plain tables of TEXT and INTEGER columns, no full-text extension):

* ``search_passages``: the sentences (passages) of each document, ids from ``first_id`` on,
  as text ``"start end length start end length …"`` (one row a document: fast to read);
* ``search_postings``: each term with its posting list as text, ``"id tf id tf …"`` in
  ascending passage id (one row a term: a question reads ~10 rows, not thousands);
* ``search_names``: each normalised actor name → the actor a question naming it means;
* ``search_times``: each document's time expressions, as ``ask`` normalises them (JSON);
* ``search_spans``: each relation's span (:func:`relation_spans.relation_spans`).

A KB whose meta says ``search_index`` = :data:`VERSION` is read through :class:`Stored`,
which loads postings, mentions and times lazily, only for what a question touches; an older
KB (or one written by another version) gets the index built in memory, as before. The
stored index is built from the KB as :func:`store.load` reads it back, so that it equals the
in-memory index of a loaded KB exactly (sentence ids, term counts, tie order).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import asdict
from functools import lru_cache

from .lexicons import mapping, words
from .name_norm import norm
from .records import KB, Document, Mention, TimeExpr

#: Bump when what is stored changes: a KB with another version builds the index in memory.
VERSION = "1"

SCHEMA = """
CREATE TABLE IF NOT EXISTS search_passages (doc TEXT PRIMARY KEY, first_id INTEGER NOT NULL,
    spans TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS search_postings (term TEXT PRIMARY KEY, postings TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS search_names (name TEXT PRIMARY KEY, actor_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS search_times (doc TEXT PRIMARY KEY, times TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS search_spans (relation_id TEXT PRIMARY KEY, span_start TEXT, span_end TEXT,
    why TEXT NOT NULL, ended_by TEXT, before_end INTEGER NOT NULL);
"""

TABLES = ("search_passages", "search_postings", "search_names", "search_times", "search_spans")

# ---------------------------------------------------------------------------------------
# Words: a light stemmer, so "recognised", "recognized" and "recognition" meet.

_SUFFIXES = sorted(("ations", "ation", "itions", "ition", "izations", "ization", "isations",
                    "isation", "ings", "ing", "ized", "ised", "izes", "ises", "ize", "ise",
                    "ated", "ating", "ates", "ed", "es", "s", "ments", "ment",
                    "ance", "ence"), key=len, reverse=True)
_TOKEN = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=1 << 17)  # a corpus has tens of thousands of distinct words; each is stemmed once
def stem(word: str) -> str:
    """A crude suffix-stripping stem (enough for retrieval; not a linguistic lemma)."""
    w = mapping("ask_irregular").get(word, word)
    if w.endswith(("ies", "ied")) and len(w) > 4:
        return w[:-3] + "y"
    for suf in _SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 3 and not w.endswith("ss"):
            w = w[: -len(suf)]
            break
    return w[:-1] if w.endswith("e") and len(w) > 3 else w


_POSSESSIVE = re.compile(r"'s\b")


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens: the words of the name-normalised text (:func:`norm`)."""
    if not text.isascii():  # accents to fold: the whole normalisation (not cached: sentences are unique)
        return _TOKEN.findall(norm.__wrapped__(text))
    # ASCII text, as norm folds it (its runs of other characters split words the same way):
    # lower case, no possessive "'s", no leading "the" before another word
    got = _TOKEN.findall(_POSSESSIVE.sub("", text.lower()))
    return got[1:] if len(got) > 1 and got[0] == "the" else got


# ---------------------------------------------------------------------------------------
# Sentences

_ABBREV = frozenset({"mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "capt", "sgt", "st", "jr", "sr", "no",
                     "vs", "etc", "approx", "ca", "c", "u.s", "u.n", "e.g", "i.e", "prof", "gov", "rep", "sen",
                     "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"})
# A sentence's reference markers ("….[27] The next") end it with it.
_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*(?:\[\w{1,6}\])*\s+|\n+")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text``: ends at . ! ? before a capital (not after an abbreviation
    or an initial) and at line breaks, so infobox lines stay whole."""
    spans, start = [], 0
    for m in _BOUNDARY.finditer(text):
        end = m.end()
        if text[m.start()] == "\n" and text[end: end + 1].islower() and text[m.start() - 1: m.start()].isalnum():
            continue  # a line (or page) break inside a sentence: the next line goes on in lower case
        if text[m.start()] == ".":
            before = re.search(r"([\w.]+)\.$", text[start: m.start() + 1])
            word = before.group(1).lower() if before else ""
            nxt = text[end: end + 1]
            if (word in _ABBREV or (len(word) == 1 and word.isalpha())) or (nxt and nxt.islower()):
                continue
        s, e = start, m.start() + (0 if text[m.start()] == "\n" else 1)
        while s < e and text[s].isspace():
            s += 1
        if e > s:
            spans.append((s, e))
        start = end
    if text[start:].strip():
        s = start
        while text[s].isspace():
            s += 1
        spans.append((s, len(text.rstrip())))
    return spans


# A whole line in quotes ("The Last Interview with …".) or a "Retrieved …" note is a citation.
_CITATION = re.compile(r'^\s*["“][^"”]{3,}["”][^."”]{0,40}\.?\s*$|\b(?:[Rr]etrieved|[Aa]rchived from) ')


def statements(kb: KB) -> list[tuple[str, int, int]]:
    """The sentences ``ask`` searches, (document, start, end) in document order: not headings,
    not the sections of apparatus (references, notes) nor citation lines."""
    return [(d.name, s, e) for d in kb.documents for s, e in text_statements(d.text)]


def text_statements(text: str) -> list[tuple[int, int]]:
    """:func:`statements` of one document's text."""
    out = []
    skip_sections = words("figures_skip_sections")
    apparatus = False
    for s, e in split_sentences(text):
        if text[s] == "=":  # "== Heading ==" lines are not statements; they open a section
            apparatus = text[s:e].strip("= \t").lower() in skip_sections
            continue
        if apparatus or _CITATION.search(text[s:e]):  # titles and links, not statements
            continue
        out.append((s, e))
    return out


def document_parts(text: str) -> tuple:
    """What the index holds of one document that its text alone decides: its sentences, their
    word terms and its time expressions (as read from a stored KB: no markup known)."""
    from .extract.time import find_times

    spans = text_statements(text)
    return spans, [word_terms(text[s:e]) for s, e in spans], find_times(text, None, sections=[])


def word_terms(text: str) -> Counter:
    """The stemmed word terms of a sentence and how often each occurs."""
    return Counter(stem(t) for t in tokens(text))


def actor_names(kb: KB) -> dict[str, str]:
    """Normalised name → id of the most mentioned actor so named (names of 3+ characters that
    are not all stop words): how a question's words find actors."""
    stop = words("ask_stopwords")
    names: dict[str, str] = {}
    for a in sorted(kb.actors, key=lambda a: a.mention_count):
        for n in (a.name, *a.aliases):
            k = norm(n)
            if len(k) >= 3 and not all(w in stop for w in k.split()):
                names[k] = a.id
    return names


def document_times(kb: KB, doc: str) -> list[TimeExpr]:
    """The time expressions of document ``doc`` as ``ask`` reads them (the build's reader
    without the parse: a date without its year takes the narrative's)."""
    return times_of(next(d for d in kb.documents if d.name == doc))


def times_of(d: Document) -> list[TimeExpr]:
    """:func:`document_times` of the document ``d``."""
    from .extract.time import find_times

    return find_times(d.text, None, sections=[end for _, end in d.markup])


# ---------------------------------------------------------------------------------------
# Writing


def write(con, kb: KB, sentences: list | None = None, parts: dict[str, tuple] | None = None) -> None:
    """Store the search index of ``kb`` (a KB as :func:`store.load` returns it) through the
    open connection ``con`` (its tables exist). ``sentences``: the in-memory index's
    ``(doc, start, end, terms, length)`` when already built; ``parts``: documents'
    :func:`document_parts` made by the build, by document name (the others are made here)."""
    from .relation_spans import relation_spans

    parts = {d.name: parts.get(d.name) or document_parts(d.text) for d in kb.documents} if parts else None
    if sentences is None:
        sentences = memory_sentences(kb, parts)
    per_doc: dict[str, tuple[int, list[str]]] = {}
    for i, (doc, s, e, _, length) in enumerate(sentences):
        per_doc.setdefault(doc, (i, []))[1].append(f"{s} {e} {length}")
    con.executemany("INSERT INTO search_passages VALUES (?,?,?)",
                    [(doc, first, " ".join(spans)) for doc, (first, spans) in per_doc.items()])
    post: dict[str, list[str]] = {}
    for i, (_, _, _, terms, _) in enumerate(sentences):
        for t, tf in terms.items():
            post.setdefault(t, []).append(f"{i} {tf}")
    con.executemany("INSERT INTO search_postings VALUES (?,?)", [(t, " ".join(p)) for t, p in post.items()])
    con.executemany("INSERT INTO search_names VALUES (?,?)", list(actor_names(kb).items()))
    con.executemany("INSERT INTO search_times VALUES (?,?)",
                    [(d.name, json.dumps([asdict(t) for t in (parts[d.name][2] if parts else times_of(d))],
                                         ensure_ascii=False))
                     for d in kb.documents])
    con.executemany("INSERT INTO search_spans VALUES (?,?,?,?,?,?)",
                    [(rid, sp.start, sp.end, sp.why, sp.ended_by, int(sp.before_end))
                     for rid, sp in relation_spans(kb).items()])
    longest = max((len(k.split()) for k in actor_names(kb)), default=1)
    # a correction saves the KB with the meta it read, this index's keys among them
    con.execute("DELETE FROM meta WHERE key IN ('search_index', 'search_max_name_words')")
    con.executemany("INSERT INTO meta VALUES (?, ?)", [("search_index", VERSION),
                                                       ("search_max_name_words", str(longest))])


def memory_sentences(kb: KB, parts: dict[str, tuple] | None = None) -> list[tuple[str, int, int, Counter, int]]:
    """(doc, start, end, terms, length) of every searched sentence: its word terms, and a
    term ``@ID`` for each actor mentioned in it (so any name of an actor finds all of its
    names in the text). ``parts``: every document's :func:`document_parts`, when made."""
    if parts is None:
        texts = {d.name: d.text for d in kb.documents}
        spans = statements(kb)
        terms = [word_terms(texts[doc][s:e]) for doc, s, e in spans]
    else:
        spans, terms = [], []
        for d in kb.documents:
            doc_spans, doc_terms, _ = parts[d.name]
            spans += [(d.name, s, e) for s, e in doc_spans]
            terms += [Counter(t) for t in doc_terms]  # copies: the actors' terms are added below
    at = _locator(spans)
    for m in kb.mentions:
        i = at(m.doc, m.start)
        if i is not None:
            terms[i]["@" + m.key] = 1
    return [(doc, s, e, t, sum(t.values())) for (doc, s, e), t in zip(spans, terms, strict=True)]


def _locator(spans: list[tuple[str, int, int]]):
    """A function (doc, offset) → the id of the sentence holding that offset, or None."""
    import bisect

    by_doc: dict[str, tuple[list[int], list[int]]] = {}
    for i, (doc, s, _) in enumerate(spans):
        starts, ids = by_doc.setdefault(doc, ([], []))
        starts.append(s)
        ids.append(i)

    def at(doc: str, offset: int) -> int | None:
        starts, ids = by_doc.get(doc, ([], []))
        j = bisect.bisect_right(starts, offset) - 1
        if j < 0:
            return None
        i = ids[j]
        return i if offset < spans[i][2] else None

    return at


# ---------------------------------------------------------------------------------------
# Reading


class Stored:
    """The stored index of one KB, read through an open connection, lazily.

    Passages (ids, spans, lengths) are read at once; a term's postings, a sentence's
    mentions and a document's times when first asked for, then kept."""

    def __init__(self, con) -> None:
        self.con = con
        # per sentence id: document, start, end, length; per document: (starts, ids)
        self.docs: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.lengths: list[int] = []
        self.by_doc: dict[str, tuple[list[int], list[int]]] = {}
        for doc, first, spans in con.execute("SELECT doc, first_id, spans FROM search_passages ORDER BY first_id"):
            nums = list(map(int, spans.split()))
            if first != len(self.docs):
                raise ValueError(f"search_passages: {doc} starts at {first}, not {len(self.docs)}")
            starts = nums[0::3]
            self.by_doc[doc] = (starts, list(range(first, first + len(starts))))
            self.docs += [doc] * len(starts)
            self.starts += starts
            self.ends += nums[1::3]
            self.lengths += nums[2::3]
        self._post: dict[str, list[tuple[int, int]]] = {}
        self._names: dict[str, str | None] = {}
        self.max_name_words = int(self._meta("search_max_name_words") or 1)

    def _meta(self, key: str) -> str | None:
        row = self.con.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def postings(self, term: str) -> list[tuple[int, int]]:
        """(passage id, term frequency) of the passages holding ``term``, ascending id."""
        got = self._post.get(term)
        if got is None:
            row = self.con.execute("SELECT postings FROM search_postings WHERE term=?", (term,)).fetchone()
            nums = list(map(int, row[0].split())) if row else []
            got = self._post[term] = list(zip(nums[::2], nums[1::2], strict=True))
        return got

    def name(self, key: str) -> str | None:
        """The actor id a normalised name means, or None."""
        if key not in self._names:
            row = self.con.execute("SELECT actor_id FROM search_names WHERE name=?", (key,)).fetchone()
            self._names[key] = row[0] if row else None
        return self._names[key]

    def mentions(self, doc: str, start: int, end: int) -> list[Mention]:
        """The actor mentions that start in ``doc[start:end]``, in the order the KB loads them."""
        return [Mention(r[0], r[1], r[2], r[3], doc) for r in self.con.execute(
            "SELECT actor_id, text, start, end FROM mentions WHERE doc=? AND start>=? AND start<? "
            "ORDER BY doc, start", (doc, start, end))]

    def times(self, doc: str) -> list[TimeExpr]:
        row = self.con.execute("SELECT times FROM search_times WHERE doc=?", (doc,)).fetchone()
        return [TimeExpr(**t) for t in json.loads(row[0])] if row else []

    def spans(self) -> dict:
        from .relation_spans import Span

        return {r[0]: Span(r[1], r[2], r[3], r[4], bool(r[5])) for r in self.con.execute(
            "SELECT relation_id, span_start, span_end, why, ended_by, before_end FROM search_spans")}


_STORED: dict[int, tuple[KB, Stored]] = {}


def open_kb(path) -> KB:
    """The KB at ``path`` for answering questions: without the actors' mentions and evidence
    when it holds a search index (the index reads the few mentions a question needs), else
    the whole KB."""
    from . import store

    con = store.connect(path)
    if not has_index(con):
        con.close()
        return store.load(path)
    kb = store.read(con, path, lean=True)
    _STORED[id(kb)] = (kb, Stored(con))
    return kb


def stored_for(kb: KB) -> Stored | None:
    """The stored index :func:`open_kb` opened with ``kb``, or None (build it in memory)."""
    got = _STORED.get(id(kb))
    return got[1] if got is not None and got[0] is kb else None


def has_index(con) -> bool:
    """Does the KB open at ``con`` hold a search index this version reads?"""
    try:
        row = con.execute("SELECT value FROM meta WHERE key='search_index'").fetchone()
    except Exception:  # noqa: BLE001 - any engine's "no such table"
        return False
    return bool(row) and row[0] == VERSION
