"""Ask: questions in plain English answered from the knowledge base, each with its quote.

A question is read by patterns, not by a parser (``conflictlens ask`` starts in a fraction of
a second and never loads spaCy): its *kind* (who, when, where, how many, list, relation
history, yes/no — ``ask_kinds.tsv``), the *noun* it asks for ("which **countries**" →
states), the *predicate* (a relation or event type, read from the same lexicons the build
uses plus ``ask_predicates.tsv``), the *actors* it names (any alias in the KB) and its years.

Answering ranks the corpus sentences against the question with Okapi BM25, then looks for
KB facts (relations, events, figures) that fit the question: right type, right actors,
evidence in a well-ranked sentence. A fitting fact answers with ``source="kb"``. When none
fits, the best sentences are read for an answer of the asked type (a date, a number, an
actor of the asked type, a place) and the answer says ``source="retrieval"``: a retrieved
passage, not a KB fact. When even that fails the answer is empty (``source="none"``) and the
evidence holds the closest passages — "I don't know" beats a wrong answer.

References:
    Robertson & Zaragoza (2009), *The Probabilistic Relevance Framework: BM25 and Beyond*.
    Hirschman & Gaizauskas (2001), *Natural language question answering: the view from
    here* (question typing by expected answer type, then answer extraction from passages).
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from . import analyze, confidence, search_index
from .lexicons import mapping, rows, words
from .name_norm import norm
from .records import KB, SYMMETRIC_RELATIONS, Actor, Event, Evidence, Figure, Relation
from .search_index import split_sentences, stem, tokens  # noqa: F401 - ask.split_sentences is public

KINDS = ("who", "when", "where", "how_many", "list", "relation_history", "yesno")

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_MONTH_NUM = {m.lower(): i for i, m in enumerate(_MONTHS, 1)} | {
    m.lower()[:3]: i for i, m in enumerate(_MONTHS, 1)} | {"sept": 9}
_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10}


def _lemma_candidates(word: str) -> list[str]:
    """Possible lemmas of an inflected word, most likely first ("supported" → "support")."""
    w = word.lower()
    irregular = mapping("ask_irregular").get(w)
    out = [irregular] if irregular else []
    out.append(w)
    if w.startswith("re-"):  # "re-entered" is entered again
        return out + _lemma_candidates(w[3:])
    for suf, add in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"),
                     ("es", ""), ("s", ""), ("d", "")):
        if w.endswith(suf) and len(w) - len(suf) >= 2:
            base = w[: -len(suf)] + add
            out.append(base)
            if len(base) > 2 and base[-1] == base[-2] and not add:  # "committed" → "commit"
                out.append(base[:-1])
    return out


# ---------------------------------------------------------------------------------------
# Lexicons


def _predicate_lexicon() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """lemma → relation types, lemma → event types, from the build's lexicons and ask's own."""
    rels: dict[str, set[str]] = defaultdict(set)
    evs: dict[str, set[str]] = defaultdict(set)
    for r in rows("relations_verbs"):
        flags = r[4] if len(r) > 4 else ""
        if len(r) > 2 and "neg" not in flags:
            rels[r[0].lower()].add(r[2])
            if "found" in flags:  # several founders are members of what they found
                rels[r[0].lower()].add("member_of")
    for r in rows("relations_nouns"):
        rels[r[0].lower()].add(r[1])
    for r in rows("relations_roles"):
        rels[r[0].lower()].add(r[1])
    for r in rows("events_triggers"):
        if len(r) > 2:
            evs[r[0].lower()].add(r[2])
    for r in rows("ask_predicates"):
        if r[1] != "-":
            rels[r[0].lower()].add(r[1])
        if len(r) > 2 and r[2] != "-":
            evs[r[0].lower()].add(r[2])
    return dict(rels), dict(evs)


_PRED_CACHE: list = []


def _predicates() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    if not _PRED_CACHE:
        _PRED_CACHE.append(_predicate_lexicon())
    return _PRED_CACHE[0]


def _kind_patterns() -> list[tuple[re.Pattern, str]]:
    return [(re.compile(r[0]), r[1]) for r in rows("ask_kinds")]


# ---------------------------------------------------------------------------------------
# The question


@dataclass
class Question:
    """What a question asks, as far as patterns can tell."""

    text: str
    kind: str
    noun: str | None = None  # the asked-for noun ("countries", "province")
    answer_types: frozenset[str] = frozenset()  # actor types, or {"place"}
    count: int | None = None  # "which three leaders"
    subject_wh: bool = True  # "who supported X" (True) or "whom did X support" (False)
    relations: set[str] = field(default_factory=set)
    event_types: set[str] = field(default_factory=set)
    predicate_words: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)  # actor ids, in order of appearance
    years: list[int] = field(default_factory=list)
    cease: bool = False  # "when did A stop supporting B"
    terms: list[str] = field(default_factory=list)  # stemmed content words
    counted: list[str] = field(default_factory=list)  # stems of what "how many" counts
    infobox: bool = False  # "according to the infobox": only infobox lines answer
    possessors: set[str] = field(default_factory=set)  # X of "X's Y": Y is the actor asked about
    name_terms: set[str] = field(default_factory=set)  # stems of the actor names in the question
    first: dict[str, int] = field(default_factory=dict)  # relation/event type → order of its word
    agent: str | None = None  # the actor that acts in an active "when did A …" question
    name_forms: list[str] = field(default_factory=list)  # the actor names as the question writes them
    predicate_surface: set[str] = field(default_factory=set)  # stems of the predicate as written ("allied")


_AUX = r"(?:did|does|do|was|were|is|are|has|have|had)"
_CEASE = re.compile(r"\b(?:stop|stopped|end|ended|cease|ceased|cut|withdr[ae]w|withdrawn|sever|severed|break|broke|"
                    r"abandon|abandoned|drop|dropped)\b")


def parse_question(kb: KB, text: str) -> Question:
    """Read a question's kind, asked-for noun, predicate, actors and years.

    Args:
        kb: the knowledge base whose actor names are recognised in the question.
        text: the question in plain English.

    Returns:
        A :class:`Question`.
    """
    idx = _index(kb)
    low = " ".join(text.lower().replace("’", "'").split())
    kind = next((k for pat, k in _kind_patterns() if pat.search(low)), "who")
    q = Question(text=text, kind=kind)

    # The asked-for noun: after which/what (skipping numbers and adjectives) or the role noun
    # of "who was the X of".
    types = {k: frozenset(v.split(",")) for k, v in mapping("ask_answer_types").items()}
    m = re.search(r"\b(?:which|what)((?:\s+[\w'-]+){1,4})", low)
    cand: list[str] = m.group(1).split() if m else []
    m2 = re.search(r"\bwho (?:was|is|were|are|became|had been) (?:the |a |an )?((?:[\w-]+ ){0,3})([\w-]+) (?:of|for)\b",
                   low)
    if m2:
        cand += m2.group(1).split() + [m2.group(2)]
    for w in cand:
        if w in _NUMBER_WORDS:
            q.count = _NUMBER_WORDS[w]
        elif re.fullmatch(r"[0-9]{1,2}", w):  # ASCII digits: "¹".isdigit() is True too
            q.count = int(w)
    for w in cand:  # the first word that names a kind of answer
        if w in types:
            q.noun, q.answer_types = w, types[w]
            break
    # "whom did X appoint" / "which country did X flee to": the wh-phrase is the object.
    q.subject_wh = not re.search(r"\b(?:who|whom|which|what)\b(?:\s+[\w'-]+){0,3}?\s+(?:did|does|do)\s", low)
    if low.startswith("whom") or re.search(r"\bwhom\b", low):
        q.subject_wh = False

    # Actors by any of their names: longest match first over the normalised question.
    qn = norm(text)
    # "X's Y": Y is what the question is about, X only narrows it down.
    marked = norm(re.sub(r"(\w)['’]s\b", r"\1 xposs", text))
    q.actors, spans = idx.find_actors(marked)
    for (s1, e1), (s2, _) in zip(spans, spans[1:], strict=False):
        if marked[e1:s2].strip() == "xposs":
            a1 = idx.find_actors(marked[s1:e1])[0]
            q.possessors |= set(a1[:1])
    spans = idx.find_actors(qn)[1]
    # Years and the predicate.
    q.years = sorted({int(y) for y in re.findall(r"\b(1[5-9]\d\d|20\d\d)\b", low)})
    q.cease = bool(_CEASE.search(low))
    rels, evs = _predicates()
    qwords = re.findall(r"[a-z][a-z'-]*", low)
    inside_actor = {w for s, e in spans for w in qn[s:e].split()}
    stop = words("ask_stopwords")
    # A role word written right before a name is that person's title ("when did President X
    # visit"), not what the question asks ("who was the president of X" has no name after it).
    titles = {m.group(1) for m in re.finditer(r"\b([a-z][a-z'-]*)\s+(?=\S)", qn)
              if any(s == m.end() for s, _ in spans)}
    titles |= {qn[s:e].split()[0] for s, e in spans if len(qn[s:e].split()) > 1}  # "President X" as a name
    for i, w in enumerate(qwords):
        if w in stop or (w in inside_actor and w not in rels and w not in evs):
            continue
        if w in titles and w in rels and w not in evs:
            continue
        pair = f"{w} {qwords[i + 1]}" if i + 1 < len(qwords) else ""
        for lemma in ([pair] if pair else []) + _lemma_candidates(w):
            if lemma in rels or lemma in evs:
                for c in rels.get(lemma, set()) | evs.get(lemma, set()):
                    q.first.setdefault(c, len(q.predicate_words))
                q.relations |= rels.get(lemma, set())
                q.event_types |= evs.get(lemma, set())
                q.predicate_words.append(lemma)
                q.predicate_surface |= {stem(x) for x in (pair.split() if lemma == pair else [w])}
                break
    if q.cease and "supports" in q.relations:
        q.relations.add("ceased_support")
    # Content terms for retrieval.
    q.terms = [stem(t) for t in tokens(text) if t not in stop and not t.isdigit() or re.fullmatch(r"[0-9]{4}", t)]
    hm = re.search(r"\bhow (?:many|much) ((?:[\w-]+ ){0,3})", low)
    if hm:
        for w in hm.group(1).split():  # the counted noun ends where the verb group starts
            if re.fullmatch(_AUX, w):
                break
            if w not in stop:
                q.counted.append(stem(w))
    q.infobox = "infobox" in low
    # "when did A visit B": A is the one who acted (the doer of the asked event).
    sm = re.match(r"(?:when|on what date|in what year|in which year) (?:did|does|do|has|have|had) ", low)
    if sm and spans and spans[0][0] == len(norm(text[: sm.end()]).rstrip()) + 1 and q.actors:
        q.agent = q.actors[0]
    q.name_terms = {stem(t) for s_, e_ in spans for t in tokens(qn[s_:e_])}
    q.name_forms = [qn[s_:e_] for s_, e_ in spans]
    return q


# ---------------------------------------------------------------------------------------
# The index: sentences for BM25, actor names, facts by sentence. Built once per KB.


@dataclass
class _Sentence:
    doc: str
    start: int
    end: int
    terms: Counter
    length: int = 0


class _StoredSentence:
    """A sentence of a stored index: its terms are read from its text (and its mentions)
    when an answer looks at them, as the in-memory index counts them."""

    __slots__ = ("doc", "start", "end", "length", "_idx", "_terms")

    def __init__(self, idx: _Index, doc: str, start: int, end: int, length: int) -> None:
        self._idx, self.doc, self.start, self.end, self.length = idx, doc, start, end, length
        self._terms: Counter | None = None

    @property
    def terms(self) -> Counter:
        if self._terms is None:
            t = search_index.word_terms(self._idx.texts[self.doc][self.start: self.end])
            for m in self._idx.stored.mentions(self.doc, self.start, self.end):
                t["@" + m.key] = 1
            self._terms = t
        return self._terms


class _StoredSentences:
    """The sentences of a stored index as a sequence; a sentence's object is made when
    an answer looks at it (a question looks at a few of tens of thousands)."""

    def __init__(self, idx: _Index, stored: search_index.Stored) -> None:
        self._idx, self._stored, self._made = idx, stored, {}

    def __len__(self) -> int:
        return len(self._stored.lengths)

    def __getitem__(self, i: int) -> _StoredSentence:
        got = self._made.get(i)
        if got is None:
            st = self._stored
            got = self._made[i] = _StoredSentence(self._idx, st.docs[i], st.starts[i], st.ends[i], st.lengths[i])
        return got


class _Index:
    """BM25 over the sentences of a KB's documents, plus actor-name and fact lookups.

    Built in memory from the KB, or read from the KB's stored index (``stored``): then the
    postings, the mentions of a sentence and a document's times are read when needed."""

    k1, b = 1.2, 0.75

    def __init__(self, kb: KB, stored: search_index.Stored | None = None) -> None:
        self.kb = kb
        self.stored = stored
        self.texts = {d.name: d.text for d in kb.documents}
        self.infobox = {d.name: d.infobox for d in kb.documents}
        self.actors = {a.id: a for a in kb.actors}
        self._times: dict[str, list] = {}
        self._mentions: dict[int, list] = {}
        if stored is not None:
            self.sentences: list | _StoredSentences = _StoredSentences(self, stored)
            self.lengths, self.ends = stored.lengths, stored.ends
            self.by_doc = stored.by_doc  # doc -> (starts, sentence ids)
            self.max_name_words = stored.max_name_words
        else:
            rows_ = search_index.memory_sentences(kb)
            self.sentences = [_Sentence(doc, s, e, terms, length) for doc, s, e, terms, length in rows_]
            self.lengths = [s.length for s in self.sentences]
            self.ends = [s.end for s in self.sentences]
            self.by_doc = {}
            for i, s in enumerate(self.sentences):
                starts, ids = self.by_doc.setdefault(s.doc, ([], []))
                starts.append(s.start)
                ids.append(i)
            # Actor names for the question: normalised name → the most mentioned actor so named.
            self.names = {k: self.actors[aid] for k, aid in search_index.actor_names(kb).items()}
            self.max_name_words = max((len(k.split()) for k in self.names), default=1)
            # Mentions per sentence (a mentioned actor is a term of its sentence, "@a8").
            for m in kb.mentions:
                i = self.sentence_at(m.doc, m.start)
                if i is not None:
                    self._mentions.setdefault(i, []).append(m)
        self.n = len(self.lengths)
        self.avgdl = sum(self.lengths) / max(1, self.n)
        # Facts per sentence.
        self.fact_sentences: dict[str, list[int]] = defaultdict(list)
        for fact in (*kb.relations, *kb.events, *kb.figures):
            seen = set()
            for ev in fact.evidence:
                for i in self.sentences_in(ev.doc, ev.start, ev.end):
                    if i not in seen:
                        seen.add(i)
                        self.fact_sentences[fact.id].append(i)

    def mentions_in(self, i: int) -> list:
        """The actor mentions in sentence ``i``."""
        got = self._mentions.get(i)
        if got is None:
            if self.stored is None:
                return []
            st = self.stored
            got = self._mentions[i] = st.mentions(st.docs[i], st.starts[i], st.ends[i])
        return got

    def actor_named(self, key: str) -> Actor | None:
        """The actor a normalised name means (the most mentioned so named), or None."""
        if self.stored is None:
            return self.names.get(key)
        aid = self.stored.name(key)
        return self.actors.get(aid) if aid else None

    def times_in(self, i: int) -> list:
        """The time expressions of sentence ``i``, normalised as the build normalises them.

        A date written without its year ("on 8 June") takes the year of the narrative around
        it, which a pattern over the sentence alone cannot know. Read once per document."""
        s = self.sentences[i]
        if s.doc not in self._times:
            self._times[s.doc] = (self.stored.times(s.doc) if self.stored is not None
                                  else search_index.document_times(self.kb, s.doc))
        return [t for t in self._times[s.doc] if s.start <= t.start and t.end <= s.end and t.value]

    def spans(self) -> dict:
        """Each relation's span (:func:`relation_spans.relation_spans`), computed once."""
        if not hasattr(self, "_spans"):
            if self.stored is not None:
                self._spans = self.stored.spans()
            else:
                from .relation_spans import relation_spans

                self._spans = relation_spans(self.kb)
        return self._spans

    def in_infobox(self, i: int) -> bool:
        s = self.sentences[i]
        return any(f.line_start <= s.start < f.line_end for f in self.infobox.get(s.doc, ()))

    def sentence_at(self, doc: str, offset: int) -> int | None:
        starts, ids = self.by_doc.get(doc, ([], []))
        j = bisect.bisect_right(starts, offset) - 1
        if j < 0:
            return None
        i = ids[j]
        return i if offset < self.ends[i] else None

    def sentences_in(self, doc: str, start: int, end: int) -> list[int]:
        starts, ids = self.by_doc.get(doc, ([], []))
        j = max(0, bisect.bisect_right(starts, start) - 1)
        out = []
        while j < len(ids) and starts[j] < end:
            i = ids[j]
            if self.ends[i] > start:
                out.append(i)
            j += 1
        return out

    def find_actors(self, qn: str) -> tuple[list[str], list[tuple[int, int]]]:
        """Actor ids named in normalised text ``qn`` (longest names first), with their spans."""
        ws = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", qn)]
        found, spans, i = [], [], 0
        while i < len(ws):
            for n in range(min(self.max_name_words, len(ws) - i), 0, -1):
                key = " ".join(w for _, _, w in ws[i: i + n])
                a = self.actor_named(key)
                if a:
                    if a.id not in found:
                        found.append(a.id)
                    spans.append((ws[i][0], ws[i + n - 1][1]))
                    i += n
                    break
            else:
                i += 1
        return found, spans

    def bm25(self, query: dict[str, float]) -> dict[int, float]:
        """BM25 score of every sentence that shares a term with ``query`` (term → weight)."""
        scores: dict[int, float] = defaultdict(float)
        if not hasattr(self, "_norm"):  # each sentence's length normalisation, once
            k1, b, avgdl = self.k1, self.b, self.avgdl
            # titles and fragments get no short-text boost
            self._norm = [k1 * (1 - b + b * max(n, 0.75 * avgdl) / avgdl) for n in self.lengths]
        norm_, k1p = self._norm, self.k1 + 1
        for t, w in query.items():
            post = self._postings(t)
            df = len(post)
            if not df:
                continue
            if w == 0:  # a name's function word ("of"): its sentences enter the ranking at no score
                for i, _ in post:
                    if i not in scores:
                        scores[i] = 0.0
                continue
            wi = w * math.log(1 + (self.n - df + 0.5) / (df + 0.5))
            for i, tf in post:
                scores[i] += wi * tf * k1p / (tf + norm_[i])
        return scores

    def _postings(self, term: str) -> list[tuple[int, int]]:
        """(sentence, term frequency) of the sentences holding ``term``, in sentence order."""
        if self.stored is not None:
            return self.stored.postings(term)
        if not hasattr(self, "_post"):
            post: dict[str, list[tuple[int, int]]] = defaultdict(list)
            for i, s in enumerate(self.sentences):
                for t, tf in s.terms.items():
                    post[t].append((i, tf))
            self._post = post
        return self._post.get(term, [])

    def evidence(self, i: int) -> Evidence:
        s = self.sentences[i]
        return Evidence(s.doc, s.start, s.end, self.texts[s.doc][s.start: s.end])


_INDEXES: dict[int, _Index] = {}


def prepare(kb: KB) -> None:
    """Build the search index of ``kb`` now: a server does it beside its start, so that its
    first question does not wait for it (seconds on a KB of a few hundred thousand words)."""
    _index(kb)


def _index(kb: KB) -> _Index:
    idx = _INDEXES.get(id(kb))
    if idx is None or idx.kb is not kb:
        idx = _INDEXES[id(kb)] = _Index(kb, search_index.stored_for(kb))
    return idx


# ---------------------------------------------------------------------------------------
# Answers


@dataclass
class AnswerItem:
    text: str
    fact: str | None = None  # the KB fact id behind it, if any


@dataclass
class Answer:
    """An answer: short texts, the quotes that prove them, and where it came from."""

    question: Question
    answers: list[AnswerItem]
    evidence: list[Evidence]
    source: str  # "kb" | "retrieval" | "none"
    rank: float = 1.0  # the answering sentence's BM25 over the best sentence's (not shown)

    def to_dict(self) -> dict:
        return {"answers": [{"text": a.text, "fact": a.fact} for a in self.answers],
                "evidence": [e.to_dict() for e in self.evidence], "source": self.source}


def format_date(value: str | None, modifier: str | None = None) -> str:
    """ISO prefix → words: "1996-09-27" → "27 September 1996", "1996-09" → "September 1996"."""
    if not value:
        return ""
    parts = value.split("-")
    try:
        if len(parts) >= 3:
            out = f"{int(parts[2])} {_MONTHS[int(parts[1]) - 1]} {parts[0]}"
        elif len(parts) == 2:
            out = f"{_MONTHS[int(parts[1]) - 1]} {parts[0]}"
        else:
            out = parts[0]
    except (ValueError, IndexError):
        return value
    mod = (modifier or "").upper()
    prefix = {"START": "early ", "MID": "mid-", "END": "late ", "APPROX": "about ", "BEFORE": "before ",
              "AFTER": "after "}.get(mod, "")
    return prefix + out


def _year(d: str | None) -> int | None:
    try:
        return int(str(d)[:4]) if d else None
    except ValueError:
        return None


def _fits_years(q: Question, start: str | None, end: str | None) -> bool | None:
    """Does a fact's time span meet the question's years? None when the fact is undated."""
    if not q.years:
        return True
    ys, ye = _year(start), _year(end)
    if ys is None and ye is None:
        return None
    lo, hi = min(q.years), max(q.years)
    return (ys or -9999) <= hi and (ye or ys or 9999) >= lo


def _type_ok(kb_actor: Actor | None, q: Question) -> bool:
    if not q.answer_types or "place" in q.answer_types or kb_actor is None:
        return True
    return kb_actor.type in q.answer_types


def answer(kb: KB, text: str, top: int = 3) -> Answer:
    """Answer a question from the KB, or from retrieved passages, or say it does not know.

    Args:
        kb: the knowledge base.
        text: the question in plain English.
        top: how many closest passages to show when there is no answer.

    Returns:
        An :class:`Answer` with ``source`` "kb", "retrieval" or "none".
    """
    idx = _index(kb)
    parts = _COMPOUND.match(" ".join(text.split()))
    if parts:  # "Which resolution established X, and on what date was it adopted?"
        return _compound(idx, kb, parts.group(1), parts.group(2), top)
    q = parse_question(kb, text)
    ranked = _rank(idx, q)
    if _asks_who_is(q):  # what X is, or nothing: X's doings do not say who X is
        return _describe(idx, q, ranked) or Answer(q, [], [idx.evidence(i) for i, _ in ranked[:top]], "none")
    handler = {"when": _when, "where": _where, "how_many": _how_many, "list": _who,
               "who": _who, "relation_history": _history, "yesno": _yesno}[q.kind]
    got = handler(idx, q, ranked)
    if got is not None and got.rank < 0.9 and q.kind in ("when", "where") and _top_fits_better(idx, q, ranked, got):
        # The best sentence states the asked event but the KB holds no fact from it: a fact
        # read elsewhere would answer another occurrence ("re-entered" vs "entered").
        better = _from_passages(idx, q, ranked[:1])
        if better is not None:
            return better
    if got is not None:
        return got
    got = _from_passages(idx, q, ranked)
    if got is not None:
        return got
    return Answer(q, [], [idx.evidence(i) for i, _ in ranked[:top]], "none")


# Two questions in one: the second wh-clause after ", and" ("…, and on whose orders?").
_COMPOUND = re.compile(r"^((?:who|whom|whose|which|what|when|where|how|in|on)\b.*?\S),?\s+and\s+((?:(?:on|in|at|by|"
                       r"from|under|with)\s+)?(?:who|whom|whose|which|what|when|where|how)\b.*)$", re.I)


def _compound(idx: _Index, kb: KB, first: str, second: str, top: int) -> Answer:
    """Answer the first question, then the second from the sentences that answered the first:
    its "it" and "whose" are about them ("on what date was it adopted" → the date written
    there)."""
    a1 = answer(kb, first, top)
    if not a1.answers:
        return a1
    q2 = parse_question(kb, second)
    q2.actors = list(dict.fromkeys([*a1.question.actors, *q2.actors]))
    sentences = [i for ev in a1.evidence for i in idx.sentences_in(ev.doc, ev.start, ev.end)]
    a2 = _from_passages(idx, q2, [(i, 1.0) for i in dict.fromkeys(sentences)],
                        exclude=frozenset(a.text for a in a1.answers))
    if a2 is None or not a2.answers:
        return a1
    evidence = a1.evidence + [e for e in a2.evidence if not any(
        e.doc == f.doc and e.start < f.end and f.start < e.end for f in a1.evidence)]  # one sentence once
    return Answer(a1.question, a1.answers + a2.answers, evidence,
                  a1.source if a1.source == a2.source else "retrieval", rank=a1.rank)


def _top_fits_better(idx: _Index, q: Question, ranked, got: Answer) -> bool:
    """Does the best sentence name the predicate and at least the actors of the KB answer's fact?"""
    top = ranked[0][0]
    terms = idx.sentences[top].terms
    if not any(stem(w) in terms for p in q.predicate_words for w in p.split()[:1]):
        return False
    ids = {a.fact for a in got.answers}
    facts = [f for f in (*idx.kb.events, *idx.kb.relations) if f.id in ids]
    qa = set(q.actors)
    fact_overlap = max((len(qa & _actors_of(f)) for f in facts), default=0)
    if qa and fact_overlap == len(qa) and any(getattr(f, "type", None) in q.event_types for f in facts):
        return False  # the fact is the asked kind of event with every asked actor: it answers
    return len(qa & {m.key for m in idx.mentions_in(top)}) >= fact_overlap


def _rank(idx: _Index, q: Question) -> list[tuple[int, float]]:
    """Sentences by BM25 against the question terms, the predicate's lemmas and actor names."""
    query: dict[str, float] = defaultdict(float)
    for t in q.terms:
        query[t] = 1.0
    for w in q.predicate_words:
        for t in w.split():
            query[stem(t)] = max(query[stem(t)], 1.0)
    # Synonyms: the other words of the asked relation or event type ("killed" finds "assassinated").
    for t in _type_stems(q):
        query[t] = max(query[t], 0.15)
    for aid in q.actors:  # the actor by any name; its words in the question count less
        query["@" + aid] = 1.5 if aid not in q.possessors else 0.75
    for t in q.name_terms:
        query[t] = min(query[t], 0.4)
    scores = idx.bm25(query)
    if q.infobox:
        scores = {i: v for i, v in scores.items() if idx.in_infobox(i)} or scores
    return sorted(scores.items(), key=lambda kv: -kv[1])


def _rel_score(ranked_score: dict[int, float], best: float, idx: _Index, fact_id: str) -> float:
    """A fact's retrieval score: its best evidence sentence's BM25 over the best of all."""
    if best <= 0:
        return 0.0
    return max((ranked_score.get(i, 0.0) for i in idx.fact_sentences.get(fact_id, [])), default=0.0) / best


def _fact_candidates(idx: _Index, q: Question, ranked: list[tuple[int, float]], facts, typed) -> list:
    """Score facts by retrieval rank, type match and actor overlap; best first.

    ``typed(f)`` says whether fact ``f`` is of the question's predicate type.
    """
    scores = dict(ranked)
    best = ranked[0][1] if ranked else 0.0
    qa = set(q.actors)
    out = []
    for f in facts:
        r = _rel_score(scores, best, idx, f.id)
        if r <= 0:
            continue
        involved = _actors_of(f)
        overlap = len(qa & involved) / len(qa) if qa else 0.0
        t = typed(f)
        kind = f.relation if isinstance(f, Relation) else f.type if isinstance(f, Event) else ""
        bonus = (0.35 if q.first.get(kind, 0) == 0 else 0.2) if t else 0.0
        # a fact the user confirmed ranks first; among the rest, the more reliable way of
        # finding it breaks near-ties
        s = r + bonus + 0.35 * overlap + 0.05 * confidence.value(f) + (0.3 if getattr(f, "confirmed", False) else 0.0)
        out.append((s, r, t, f))
    out.sort(key=lambda x: -x[0])
    return out


def _actors_of(f) -> set[str]:
    if isinstance(f, Relation):
        return {f.source, f.target}
    if isinstance(f, Event):
        return set(f.agents) | set(f.targets)
    if isinstance(f, Figure):
        return {f.actor} if f.actor else set()
    return set()


def _good_enough(q: Question, s: float, r: float, typed: bool) -> bool:
    """A fact answers only when its sentence ranks near the top and its type fits the predicate
    (or the question names no predicate the lexicons know)."""
    has_pred = bool(q.relations or q.event_types)
    return r >= 0.75 and (typed or not has_pred) or r >= 0.9


def _when(idx: _Index, q: Question, ranked) -> Answer | None:
    # "When did A start/stop supporting B": a relation's start or end.
    if q.relations and len(q.actors) >= 2:
        def when_of(r: Relation) -> str | None:
            if q.cease and r.relation != "ceased_support":
                return r.end  # "stop supporting": the end of the support, or its cessation
            return r.start if (r.relation == "ceased_support") == q.cease else None

        rels = [r for r in idx.kb.relations if r.relation in q.relations and {r.source, r.target} >= set(q.actors[:2])
                and when_of(r)]
        if rels:
            r = max(rels, key=lambda r: _rel_score(dict(ranked), ranked[0][1] if ranked else 0, idx, r.id))
            value = when_of(r)
            return Answer(q, [AnswerItem(format_date(value), r.id)], list(r.evidence), "kb")
    events = [e for e in idx.kb.events if e.time and e.time.value and e.status not in ("planned", "denied")]
    cands = _fact_candidates(idx, q, ranked, events, lambda e: e.type in q.event_types)
    # "When" asks for the most exact date: a day beats a month beats a year among near-equals.
    prec = {"day": 0.1, "month": 0.05}
    # "When was X assassinated?" asks for what happened, not for a failed or alleged attempt
    # (unless the question asks about attempts).
    if not _ATTEMPT.search(q.text):
        cands = [c for c in cands if c[3].status == "happened"]
    cands.sort(key=lambda c: -(c[0] + prec.get(c[3].time.precision, 0.0)
                               - (0.1 if (c[3].time.modifier or "") in ("BEFORE", "AFTER") else 0.0)))
    if q.agent:  # an event its doer did not do (someone else's, or done to it) tells another story
        cands = [c for c in cands if q.agent in (c[3].agents or c[3].targets)]
    for s, r, typed, e in cands[:5]:
        if q.event_types and not typed:
            continue  # the date of another kind of event answers another question
        if (_good_enough(q, s, r, typed) or _fitting(set(q.actors), e, r, typed)) \
                and _fits_years(q, e.time.value, e.time.value_end) is not False \
                and not e.time.relative or (r >= 0.9 and typed):
            return Answer(q, [AnswerItem(format_date(e.time.value, e.time.modifier), e.id)], list(e.evidence), "kb",
                          rank=r)
    return None


_ATTEMPT = re.compile(r"\b(?:attempt|tr(?:y|ied)|fail|alleged|claim)", re.I)


def _unsaid(q: Question) -> tuple[str, ...]:
    """Statuses of events that do not answer "who/where did …": "who assassinated X" asks
    what happened, not who tried (unless the question asks about attempts)."""
    return ("planned", "denied", "negated") + (() if _ATTEMPT.search(q.text) else ("failed",))


def _fitting(actors: set[str], e, r: float, typed: bool) -> bool:
    """An event of the asked type with all the asked actors: its sentence may tell it in other
    words than the question's ("the target of a suicide attack" for "assassinated")."""
    return isinstance(e, Event) and typed and r >= 0.5 and bool(actors) and actors <= _actors_of(e)


def _where(idx: _Index, q: Question, ranked) -> Answer | None:
    events = [e for e in idx.kb.events if e.place and e.status not in _unsaid(q)]
    cands = _fact_candidates(idx, q, ranked, events, lambda e: e.type in q.event_types)
    qn = norm(q.text)
    for s, r, typed, e in cands[:5]:
        if norm(e.place) in qn:  # the question's own place is not its answer
            continue
        if q.event_types and not typed:
            continue  # the place of another kind of event answers another question
        if _good_enough(q, s, r, typed) or _fitting(set(q.actors), e, r, typed):
            place = next(filter(None, (_with_place_noun(ev.quote, e.place) for ev in e.evidence)), e.place)
            return Answer(q, [AnswerItem(" ".join(place.split()), e.id)], list(e.evidence), "kb", rank=r)
    return None


def _with_place_noun(text: str, place: str) -> str | None:
    """``place`` with the place noun that follows it in ``text`` ("Aileu" → "Aileu district")."""
    for m in re.finditer(r"\s+".join(map(re.escape, place.split())), text):
        nxt = re.match(r"\s+([a-z]+)\b", text[m.end():])
        if nxt and nxt.group(1) in words("ask_place_suffixes"):
            return f"{place} {nxt.group(1)}"
    return None


_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_HEDGE = (r"(?:(?:approximately|about|around|some|nearly|almost|over|more\s+than|less\s+than|fewer\s+than|up\s+to|"
          r"at\s+least|at\s+most|roughly|an\s+estimated|estimated|as\s+many\s+as|as\s+few\s+as|between)\s+)")
_NUM_PHRASE = re.compile(rf"(?i)\b{_HEDGE}?(?:{_NUM})(?:\s*(?:million|thousand|hundred))?"
                         rf"(?:\s*(?:–|-|—|to|and)\s*(?:{_NUM})(?:\s*(?:million|thousand))?)?")


def _number_phrase(text: str, low: float | None, high: float | None) -> str | None:
    """The words of ``text`` that state ``low``–``high`` ("approximately 4,000")."""
    want = {x for x in (low, high) if x is not None}
    for m in _NUM_PHRASE.finditer(text):
        nums = [float(n.replace(",", "")) for n in re.findall(_NUM, m.group())]
        scale = 1e6 if "million" in m.group().lower() else 1e3 if "thousand" in m.group().lower() else 1
        if want and want <= {n * scale for n in nums} | set(nums):
            return " ".join(m.group().split())  # a report's padded spacing is not part of the words
    # A small count written as a word ("the death of nine policemen") answers in that word.
    word = next((w for w, n in _NUMBER_WORDS.items() if want == {n}), None)
    m = re.search(rf"(?i)\b{_HEDGE}?{word}\b", text) if word else None
    return " ".join(m.group().split()) if m else None


_MONTH_NAMES = "|".join(_MONTHS)
_MONTH_NEAR = re.compile(rf"\s*(?:{_MONTH_NAMES})\b")
_MONTH_BEFORE = re.compile(rf"\b(?:{_MONTH_NAMES})\s*$")
_UNIT = re.compile(r"\s*(?:-\s*)?(metres|meters|metre|meter|kilometres|kilometers|km|miles|mile|feet|foot|ft|"
                   r"square kilometres|square miles|hectares|tonnes|tons|hours|days|weeks|months|years)\b", re.I)


def _counts(text: str, q: Question, low: float | None = None, high: float | None = None) -> list[tuple[int, str, bool]]:
    """Number phrases of ``text`` (not years): (position, words, followed by the counted noun?).

    With ``low``/``high`` only the phrases stating that value are kept.
    """
    out = []
    want = {x for x in (low, high) if x is not None}
    for m in _NUM_PHRASE.finditer(text):
        raw = " ".join(m.group().split())
        digits = re.findall(_NUM, raw)
        if not digits or (len(digits) == 1 and re.fullmatch(r"1[5-9]\d\d|20\d\d", digits[0])):
            continue  # a year is no count
        if _MONTH_NEAR.match(text, m.end()) or _MONTH_BEFORE.search(text[max(0, m.start() - 12): m.start()]):
            continue  # nor is the day of a date ("as of 21 July", "July 21")
        if want:
            nums = {float(n.replace(",", "")) for n in digits}
            scale = 1e6 if "million" in raw.lower() else 1e3 if "thousand" in raw.lower() else 1
            if not want <= nums | {n * scale for n in nums}:
                continue
        # the words that go with this number: up to the next number or conjunct ("4 injured and
        # 18 arrests": "arrests" is the 18's)
        own = re.split(r"\d|,|;|\band\b|\bor\b", text[m.end(): m.end() + 40].lower(), maxsplit=1)[0]
        after = {stem(w) for w in re.findall(r"[a-z]+", own)[:4]}
        # "28,000 Pakistani nationals", "35,775 killed": the counted noun or the verb follows
        want_after = set(q.counted) | {stem(w) for p in q.predicate_words for w in p.split()}
        unit = _UNIT.match(text, m.end())  # a measure keeps its unit: "5,000 metres"
        out.append((m.start(), raw + (" " + unit.group(1) if unit else ""), bool(want_after & after)))
    return out


def _how_many(idx: _Index, q: Question, ranked) -> Answer | None:
    """How many: the figure whose sentence fits the question best; its number in the text's
    own words ("approximately 4,000"), and any other source's different number beside it."""
    cands, others = [], []
    for s, r, _, f in _fact_candidates(idx, q, ranked, idx.kb.figures, lambda f: True)[:12]:
        phrases = [c for ev in f.evidence for c in _counts(ev.quote, q, f.low, f.high)]
        fit = any(c[2] for c in phrases) or bool(set(q.counted) & {stem(t) for t in tokens(f.what or "")})
        worded = next(filter(None, (_number_phrase(ev.quote, f.low, f.high) for ev in f.evidence)), None)
        row = (fit, s, r, f, phrases[0][1] if phrases else worded)
        # "according to the infobox": an infobox figure of the counted kind answers even
        # when the question's other words rank an infobox line about something else higher.
        boxed = q.infobox and any(idx.in_infobox(i) for i in idx.fact_sentences.get(f.id, []))
        (cands if r >= 0.75 or (fit and (r >= 0.4 or boxed)) else others).append(row)
    if not cands:
        return None
    cands.sort(key=lambda c: (not c[0], -c[1]))
    fit, s, r, f, phrase = cands[0]
    if q.counted and not fit:
        return None  # a number of something else; let retrieval look for the counted thing
    items = [AnswerItem(phrase or analyze.format_range(f.low, f.high), f.id)]
    evidence = list(f.evidence)
    where = {(e.doc, e.start) for e in f.evidence}
    # Another source giving a different number for the same thing is shown beside it.
    for _, _, r2, f2, phrase2 in cands[1:] + others:
        same_thing = set(q.counted) & {stem(t) for t in tokens(f2.what or "")}  # what it counts, by name
        if same_thing and f2.kind == f.kind and r2 >= 0.5 * r and (f2.low, f2.high) != (f.low, f.high) \
                and not where & {(e.doc, e.start) for e in f2.evidence}:
            items.append(AnswerItem(phrase2 or analyze.format_range(f2.low, f2.high), f2.id))
            evidence += f2.evidence
    return Answer(q, items, evidence, "kb")


def _answer_side(q: Question, f, qa: set[str]) -> list[str]:
    """The actors of fact ``f`` that answer the question: the side the question does not name."""
    if isinstance(f, Relation):
        if f.relation in SYMMETRIC_RELATIONS:
            return [x for x in (f.source, f.target) if x not in qa]
        if f.target in qa and f.source not in qa:
            return [f.source]
        if f.source in qa and f.target not in qa:
            return [f.target]
        if q.count:  # "which three leaders founded X" may name one of them elsewhere
            return [f.source] if q.subject_wh else [f.target]
        return []
    agents, targets = list(f.agents), list(f.targets)
    if q.subject_wh and not agents and set(targets) & qa:
        return []  # "who killed X" from "X was killed": the KB does not say who
    if q.subject_wh:
        side = agents if agents and (set(targets) & qa or not set(agents) <= qa) else targets
    else:
        side = targets if targets and (set(agents) & qa or not set(targets) <= qa) else agents
    rest = [a for a in side if a not in qa]
    return side if q.count and len(side) == q.count else rest


def _who(idx: _Index, q: Question, ranked) -> Answer | None:
    """Who / which / list: relations and events of the asked type, ranked together; a list
    gathers every relation of the best-fitting kind, a "who" takes the best fact."""
    qa = set(q.actors)
    main = qa - q.possessors or qa
    rels = []
    if q.relations and main:
        rels = [r for r in idx.kb.relations if r.relation in q.relations and main & {r.source, r.target}]
        if not rels:  # "which countries recognised the Taliban": the regime the Taliban led was recognised
            main = main | {r.target for r in idx.kb.relations if r.relation == "leads" and r.source in main}
            rels = [r for r in idx.kb.relations if r.relation in q.relations and main & {r.source, r.target}]
        spans = idx.spans()  # how long each relation holds: to its last telling, an end, a death

        def held(r: Relation) -> bool | None:
            sp = spans.get(r.id)
            return _fits_years(q, sp.start, sp.end) if sp else _fits_years(q, r.start, r.end)

        dated = [r for r in rels if held(r)]
        if q.years and dated:  # the question's years narrow the list when the KB dates them
            rels = dated
        rels = [r for r in rels if held(r) is not False]
    events = [e for e in idx.kb.events if (e.agents or e.targets) and e.type in q.event_types
              and e.status not in _unsaid(q)
              and (e.time is None or _fits_years(q, e.time.value, e.time.value_end) is not False)]
    if not q.event_types and not q.relations:
        events = [e for e in idx.kb.events if e.agents or e.targets]
    cands = _fact_candidates(idx, q, ranked, [*rels, *events], lambda f: True)
    if q.kind == "list" and rels:  # every relation of the asked kind answers a list
        answers: dict[str, object] = {}
        for _, _, _, rel in cands + [(0, 0, True, r) for r in rels]:
            if isinstance(rel, Relation):
                for aid in _answer_side(q, rel, main):
                    if _type_ok(idx.actors.get(aid), q) and aid not in answers:
                        answers[aid] = rel
        if answers:
            if q.count:  # "which three leaders": the best-ranked three
                answers = dict(list(answers.items())[: q.count])
            return _actor_answer(idx, q, answers)
    # a plain question may fall back on any relation of its kind, unless the KB tells events of
    # the asked kind with the asked actor: those answer it or nothing does
    plain = _plain(q) and not any(main & _actors_of(e) for e in events)
    for s, r, typed, f in cands[:8]:
        if r < 0.5 or not (_good_enough(q, s, r, typed or bool(q.relations or q.event_types))
                           or _fitting(main, f, r, getattr(f, "type", None) in q.event_types)):
            continue
        side = [a for a in _answer_side(q, f, main) if _type_ok(idx.actors.get(a), q)]
        if not side:
            continue
        answers = {a: f for a in side}
        if isinstance(f, Relation):  # "who backed X": every such relation stated by the same sentence
            here = set(idx.fact_sentences.get(f.id, []))
            for _, _, _, f2 in cands:
                if isinstance(f2, Relation) and f2.relation == f.relation and \
                        here & set(idx.fact_sentences.get(f2.id, [])):
                    for aid in _answer_side(q, f2, main):
                        if _type_ok(idx.actors.get(aid), q):
                            answers.setdefault(aid, f2)
        return _actor_answer(idx, q, answers)
    if plain and rels:
        # "Who led the Taliban?" says nothing beyond the relation and the actor: any relation
        # of that kind answers, the side the KB states most often first.
        told: dict[str, list] = defaultdict(list)
        for rel in rels:
            for aid in _answer_side(q, rel, main):
                if _type_ok(idx.actors.get(aid), q):
                    told[aid].append(rel)
        if told:
            aid = max(told, key=lambda a: (any(getattr(r, "confirmed", False) for r in told[a]), len(told[a]),
                                           idx.actors[a].mention_count if a in idx.actors else 0))
            return _actor_answer(idx, q, {aid: told[aid][0]})
    return None


def _plain(q: Question) -> bool:
    """Does the question say nothing beyond its predicate, its actors, its years and the asked
    noun ("Who led the Taliban in 1997?")?"""
    said = _predicate_stems(q) | q.predicate_surface | q.name_terms | ({stem(q.noun)} if q.noun else set())
    return bool(q.relations) and all(t in said or t.isdigit() for t in q.terms)


def _actor_answer(idx: _Index, q: Question, answers: dict) -> Answer:
    items, evidence, seen = [], [], set()
    for aid, fact in answers.items():
        items.append(AnswerItem(idx.actors[aid].name if aid in idx.actors else aid, fact.id))
        for ev in fact.evidence:
            if (ev.doc, ev.start, ev.end) not in seen:
                seen.add((ev.doc, ev.start, ev.end))
                evidence.append(ev)
    return Answer(q, items, evidence, "kb")


def _history(idx: _Index, q: Question, ranked) -> Answer | None:
    """How a relation changed: the relations and events between the actors, in time order."""
    if not q.actors:
        return None
    pair = set(q.actors[:2])
    kb = idx.kb

    def between(x: set[str]) -> bool:
        return pair <= x if len(pair) == 2 else bool(pair & x)

    rels = [r for r in kb.relations if between({r.source, r.target})]
    evs = [e for e in kb.events if between(set(e.agents) | set(e.targets)) and e.type in (
        "AGREE", "DEFECT", "BATTLE", "ATTACK", "AID", "SEVER_TIES", "RECOGNIZE", "NEGOTIATE", "ESTABLISH")]
    if len(pair) == 1:  # one actor named: only facts the question's words point to
        scores = dict(ranked)
        best = ranked[0][1] if ranked else 0
        rels = [r for r in rels if _rel_score(scores, best, idx, r.id) >= 0.4]
        evs = [e for e in evs if _rel_score(scores, best, idx, e.id) >= 0.4]
    steps = []
    for r in rels:
        when = format_date(r.start) + (f"–{format_date(r.end)}" if r.end else "")
        steps.append((r.start or "9999", f"{when + ': ' if when else ''}{analyze.describe_relation(kb, r)}", r))
    for e in evs:
        steps.append((analyze.event_date(e) or "9999", analyze.describe_event(kb, e), e))
    if not steps:
        return None
    steps.sort(key=lambda s: s[0])
    evidence, seen = [], set()
    for _, _, f in steps:
        for ev in f.evidence:
            if (ev.doc, ev.start, ev.end) not in seen:
                seen.add((ev.doc, ev.start, ev.end))
                evidence.append(ev)
    return Answer(q, [AnswerItem(t, f.id) for _, t, f in steps], evidence, "kb")


def _yesno(idx: _Index, q: Question, ranked) -> Answer | None:
    """Yes with the fact that says so; no answer (not "no") when the KB is silent."""
    if len(q.actors) < 2 or not (q.relations or q.event_types):
        return None
    a, b = q.actors[0], q.actors[1]
    for r in idx.kb.relations:
        if r.relation in q.relations and (r.source, r.target) in ((a, b), (b, a)) and \
                (r.source == a or r.relation in SYMMETRIC_RELATIONS or not q.subject_wh) and \
                _fits_years(q, r.start, r.end) is not False:
            return Answer(q, [AnswerItem("Yes", r.id)], list(r.evidence), "kb")
    for e in idx.kb.events:
        if e.type in q.event_types and a in e.agents and b in e.targets and e.status == "happened":
            return Answer(q, [AnswerItem("Yes", e.id)], list(e.evidence), "kb")
    return None


# ---------------------------------------------------------------------------------------
# Retrieval: read an answer of the asked type out of the best passages.

_DATE_PATTERNS = (
    (re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)? (January|February|March|April|May|June|July|August|September|October"
                r"|November|December),? (\d{4})\b"), "dmy"),
    (re.compile(r"\b(January|February|March|April|May|June|July|August|September|October|November|December)"
                r" (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})\b"), "mdy"),
    (re.compile(r"\b(January|February|March|April|May|June|July|August|September|October|November|December)"
                r",? (\d{4})\b"), "my"),
    (re.compile(r"\b(1[5-9]\d\d|20\d\d)\b"), "y"),
)


def _dates_in(text: str) -> list[tuple[int, str, int]]:
    """(position, ISO value, precision rank) of the dates written in ``text``."""
    out, taken = [], []
    for pat, form in _DATE_PATTERNS:
        for m in pat.finditer(text):
            if any(s <= m.start() < e for s, e in taken):
                continue
            g = m.groups()
            if form == "dmy":
                v, rank = f"{g[2]}-{_MONTH_NUM[g[1].lower()]:02d}-{int(g[0]):02d}", 3
            elif form == "mdy":
                v, rank = f"{g[2]}-{_MONTH_NUM[g[0].lower()]:02d}-{int(g[1]):02d}", 3
            elif form == "my":
                v, rank = f"{g[1]}-{_MONTH_NUM[g[0].lower()]:02d}", 2
            else:
                v, rank = g[0], 1
            taken.append((m.start(), m.end()))
            out.append((m.start(), v, rank))
    return sorted(out)


def _anchor_positions(text: str, q: Question) -> list[int]:
    """Where the question's predicate and content words occur in a sentence."""
    want = {stem(w) for p in q.predicate_words for w in p.split()} | set(q.terms)
    return [m.start() for m in re.finditer(r"[A-Za-z][\w-]*", text) if stem(m.group().lower()) in want]


def _nearest(cands: list[tuple[int, object]], anchors: list[int]):
    if not cands:
        return None
    if not anchors:
        return cands[0][1]
    return min(cands, key=lambda c: min(abs(c[0] - a) for a in anchors))[1]


#: Longest "sentence" read for an answer: the reading patterns scan a sentence once per name
#: start, so a hostile document's 50,000-character line is shown as a passage, not read.
_READ_MAX = 4000


_NOT = re.compile(r"\b(?:not|never|no|neither|nor|refused|declined|rejected|denied|failed)\b|n['’]t\b", re.I)


def _yes_or_no(idx: _Index, q: Question, i: int, text: str) -> list[str]:
    """"Did A help B …?" from a sentence that names every asked actor and states the asked
    predicate: "Yes", or "No" when a negation stands before the predicate's word; nothing when
    the sentence does not say it."""
    here = {m.key for m in idx.mentions_in(i)}
    if not q.actors or not set(q.actors) <= here:
        return []
    said = _predicate_stems(q)
    if not said:  # no known predicate: the question's other words must be there
        content = [t for t in q.terms if t not in q.name_terms and not t.isdigit()]
        if not content or sum(t in idx.sentences[i].terms for t in content) < 0.75 * len(content):
            return []
        said = set(content)
    at = [m.start() for m in re.finditer(r"[A-Za-z][\w-]*", text) if stem(m.group().lower()) in said]
    if not at:
        return []
    negated = any(_NOT.search(text[max(0, p - 30): p]) for p in at)
    return ["No" if negated else "Yes"]


def _predicate_stems(q: Question) -> set[str]:
    """Stems of the question's predicate and of the words the lexicons give its type."""
    preds = [p for p in q.predicate_words if p != q.noun]  # "which officer": the answer's kind, no predicate
    if not preds:
        return set()
    return {stem(w) for p in preds for w in p.split()} | _type_stems(q)


def _type_stems(q: Question) -> set[str]:
    """Stems of every lexicon word for the question's relation and event types."""
    rels, evs = _predicates()
    return {stem(t) for lemma in {*rels, *evs}
            if rels.get(lemma, set()) & q.relations or evs.get(lemma, set()) & q.event_types
            for t in lemma.split() if t not in words("ask_stopwords")}


def _from_passages(idx: _Index, q: Question, ranked, exclude: frozenset[str] = frozenset()) -> Answer | None:
    """Read an answer of the asked type from the best sentences (source "retrieval").

    ``exclude``: names that answer another part of the question and so not this one."""
    if not ranked:
        return None
    best = ranked[0][1]
    qa = set(q.actors)
    qn = norm(q.text)
    said = _predicate_stems(q)
    for i, score in ranked[:3]:
        if score < 0.6 * best:
            break
        if said and not said & idx.sentences[i].terms.keys():
            continue  # the sentence does not say what was asked ("allied" vs "attacked")
        if idx.sentences[i].end - idx.sentences[i].start > _READ_MAX:
            continue
        ev = idx.evidence(i)
        text = ev.quote
        anchors = _anchor_positions(text, q)
        items: list[str] = []
        if q.kind == "when":
            rank_of = {"day": 3, "month": 2}
            ds = [(t.start - ev.start, (t.value, rank_of.get(t.precision, 1))) for t in idx.times_in(i)
                  if t.precision in ("day", "month", "year")]
            ds = ds or [(p, (v, rank)) for p, v, rank in _dates_in(text)]
            ds = [(p, (v, rank)) for p, (v, rank) in ds if not (q.years and rank == 1 and int(v[:4]) in q.years)]
            top = max((rank for _, (_, rank) in ds), default=0)
            pick = _nearest([(p, v) for p, (v, rank) in ds if rank == top], anchors)
            if pick:
                items = [format_date(pick)]
        elif q.kind == "how_many":
            nums = _counts(text, q)
            fitting = [(p, r) for p, r, fit in nums if fit]
            pick = _nearest(fitting or [(p, r) for p, r, _ in nums], anchors)
            if pick:
                items = [pick]
        elif q.kind == "where":
            places = [(m.start(), m.group(1)) for m in re.finditer(
                r"\b(?:in|at|to|into|near|from|towards?)\s+((?:the\s+)?[A-Z][\w'-]*(?:\s+(?:of\s+)?[A-Z][\w'-]*)*)",
                text)]
            places = [(p, re.sub(r"^the\s+", "", s)) for p, s in places if norm(s) not in qn]
            if q.noun and q.noun not in ("country", "countries", "place", "state"):
                # "which city": "the fortified city of X" names it outright
                named = [(m.start(1), m.group(1)) for m in re.finditer(
                    rf"\b{re.escape(q.noun)}\s+of\s+([A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*)", text)]
                # "which river": "the River X" / "the X River" names one too
                named = named or [(p, n) for p, n in _thing_names(text, q.noun) if " of " not in n]
                places = named or [(p, s) for p, s in places if q.noun in s.lower()] or places
            if q.noun in ("country", "countries", "state"):
                states = []
                for m in idx.mentions_in(i):
                    a = idx.actors.get(m.key)
                    if a and a.type in ("state", "government") and a.id not in qa:
                        states.append((m.start - ev.start, a.name))
                places = states or places
            pick = _nearest(places, anchors)
            if pick:
                items = [_with_place_noun(text, pick) or pick]
        elif q.kind == "yesno":
            items = _yes_or_no(idx, q, i, text)
        elif "name" in q.answer_types:  # "which battles", "which resolution": names of that thing
            names = _thing_names(text, q.noun or "")
            if q.kind == "list" or (q.count or 0) > 1:
                items = list(dict.fromkeys(n for _, n in names))[: q.count or None]
            else:
                pick = _nearest(names, anchors)
                items = [pick] if pick else []
        elif q.kind in ("who", "list"):
            ms = []
            for m in idx.mentions_in(i):
                a = idx.actors.get(m.key)
                if a is None or a.id in qa or a.name in exclude or not _type_ok(a, q):
                    continue
                ms.append((m.start - ev.start, m.end - ev.start, a.name))
            if not ms:  # names the KB did not resolve: capitalised phrases the question lacks
                for m in re.finditer(r"\b[A-Z][\w'-]*(?:\s+(?:(?:of|al|bin|ibn|de|i|e)\s+)?[A-Z][\w'-]*)*", text):
                    name = m.group()
                    first = m.start() == 0 and sum(c.isupper() for c in name) < 2  # "CPD-RDTL" is a name
                    if first or text[m.end(): m.end() + 1] == ":" or norm(name) in words("ask_stopwords"):
                        continue  # a sentence's first word, an infobox key, a function word
                    if norm(name) in qn or any(norm(w) in qn for w in name.split()) or name in exclude:
                        continue
                    ms.append((m.start(), m.end(), name))
            if q.kind == "list":
                items = _coordinated(text, sorted(ms), anchors, q.count)
            else:
                pick = _nearest([(p, n) for p, _, n in ms], anchors)
                items = [pick] if pick else []
        if items:
            return Answer(q, [AnswerItem(t) for t in items], [ev], "retrieval")
    return None


_LINK = re.compile(r"\s*(?:,\s*(?:and|or)?|and|or|as well as|&)\s*(?:the\s+)?", re.I)


def _coordinated(text: str, ms: list[tuple[int, int, str]], anchors: list[int], count: int | None) -> list[str]:
    """The names of a list answer: one coordinated run of names ("the UK, China and Tibet").

    A sentence often names a second group ("… regarding the borders between Tibet, China and
    British India"); the answer is the run of the asked size, else the longest, nearest to the
    question's words, else the first."""
    runs: list[list[tuple[int, int, str]]] = []
    for m in ms:
        if runs and _LINK.fullmatch(text[runs[-1][-1][1]: m[0]]):
            runs[-1].append(m)
        else:
            runs.append([m])
    names = [list(dict.fromkeys(n for _, _, n in r)) for r in runs]
    if not names:
        return []

    def distance(k: int) -> int:
        return min((abs(m[0] - a) for m in runs[k] for a in anchors), default=0)

    sized = [k for k, n in enumerate(names) if count and len(n) == count]
    if sized:
        best = min(sized, key=lambda k: (distance(k), k))
    else:
        longest = max(len(n) for n in names)
        best = min((k for k, n in enumerate(names) if len(n) == longest), key=lambda k: k)
    return names[best][: count] if count else names[best]


_NAME = r"[A-Z][\w'’-]*(?:\s+(?:of\s+|de\s+|the\s+)?[A-Z][\w'’-]*)*"


def _thing_names(text: str, noun: str) -> list[tuple[int, str]]:
    """Names of the asked kind of thing in ``text``: "the battles of Elli and Lemnos" → Battle
    of Elli, Battle of Lemnos; "the Simla Convention"; "resolution 1272 (1999)"."""
    one = re.sub(r"ies$", "y", noun) if noun.endswith("ies") else re.sub(r"(?<=[^s])s$", "", noun)
    if not one:
        return []
    w = rf"(?i:{re.escape(one)})(?:e?s)?"
    title = one[:1].upper() + one[1:]
    out: list[tuple[int, str]] = []
    for m in re.finditer(rf"\b{w}\s+of\s+({_NAME}(?:\s*,\s*{_NAME})*(?:,?\s+and\s+{_NAME})?)", text):
        for n in re.finditer(_NAME, m.group(1)):
            out.append((m.start() + n.start(), f"{title} of {' '.join(n.group().split())}"))
    for m in re.finditer(rf"\b{w}\s+(\d[\w/.-]*(?:\s*\(\d{{4}}\))?)", text):  # "resolution 1272 (1999)"
        out.append((m.start(), f"{' '.join(text[m.start(): m.end()].split())}"))
    for m in re.finditer(rf"\b({_NAME})\s+{w}\b(?!\s+(?:\d|of\s+[A-Z]))", text):  # "the Simla Convention"
        out.append((m.start(), " ".join(text[m.start(): m.end()].split())))
    for m in re.finditer(rf"\b(?-i:{re.escape(title)})\s+({_NAME})", text):  # "Operation Desert Storm"
        out.append((m.start(), " ".join(m.group().split())))
    return sorted(set(out))


# ---------------------------------------------------------------------------------------
# "Who was X?": what the text says X is.

_WHO_IS = re.compile(r"^(?:who|what) (?:is|was|were|are|had been|has been) ")
# What may follow the name in "who was X …": a time, a circumstance or an apposition, not
# another predicate ("who was X allied with" asks something else).
_QUALIFIERS = frozenset({"", "in", "between", "during", "when", "after", "before", "at", "until", "by", "from",
                         "since", "the", "a", "an"})


def _asks_who_is(q: Question) -> bool:
    """Does the question ask what an actor it names is ("Who was X, the man who …?")?"""
    m = _WHO_IS.match(" ".join(q.text.lower().replace("’", "'").split()))
    if not m or not q.name_forms:
        return False
    rest = norm(q.text)[len(norm(q.text[: m.end()])):].strip().split()
    for n in q.name_forms:  # the name, perhaps after a given name the KB does not know
        k = len(n.split())
        for lead in range(3):
            if rest[lead: lead + k] == n.split() and (rest[lead + k:] or [""])[0] in _QUALIFIERS:
                return True
    return False


@functools.lru_cache(maxsize=1)
def _role_nouns() -> frozenset[str]:
    out = set(words("ask_role_nouns"))
    for name in ("relations_roles", "actor_offices", "structure_titles", "honorifics"):
        for r in rows(name):  # the head: "prime MINISTER", "SECRETARY of state"
            out.add(r[0].lower().split(" of ")[0].split()[-1].rstrip("."))
    return frozenset(out | {k for k, v in mapping("ask_answer_types").items() if v == "person"})


_ROLE = r"(?P<role>[\w'’-]+(?:\s+[\w'’.-]+){0,11}?)"
_FINITE = frozenset({"was", "were", "is", "are", "had", "has", "have", "did", "does", "said", "says", "who", "which",
                     "that", "he", "she", "they", "it", "his", "her"})


_ROLE_TAIL_WORDS = frozenset({"of", "the", "and", "in", "for", "at", "to", "on", "de", "al", "el", "du", "la", "von",
                              "van", "der", "y", "e", "i"})
_ROLE_CUT = frozenset({"of", "in", "for", "at", "to", "from", "within", "with", "on", "over", "under", "during"})


def _role_ok(role: str) -> bool:
    """A noun phrase naming a role: a role noun before any "of"/"in" and no verb or pronoun."""
    ws = re.sub(r"[\"“”]", "", role).lower().replace("’", "'").split()
    if not ws or _FINITE & set(ws) or ws[0] in ("of", "in", "and", "to", "by"):
        return False
    cut = next((k for k, w in enumerate(ws) if w in _ROLE_CUT), len(ws))
    head = ws[cut - 1].strip(",.") if cut else ""
    # After "of"/"in" comes what the role is of: names and function words, not a clause
    # ("officials from India and China held talks" is no role).
    tail = re.sub(r"[\"“”]", "", role).replace("’", "'").split()[cut:]
    if cut > 6 or any(w[:1].islower() and w not in _ROLE_TAIL_WORDS for w in tail):
        return False
    return head in _role_nouns() or head.rstrip("s") in _role_nouns()


_ROLE_END = re.compile(r"\s*(?:[,.;()]|$)|\s+(?=(?:who|which|and|until|since|from|in \d)\b)")


def _role_from(text: str, closed: bool = False) -> tuple[str, int] | None:
    """The shortest phrase opening ``text`` that names a role, ending where a clause or a
    conjunct may start ("second and last "emir" of X" — the first "and" ends no role)."""
    m = re.match(r"\s*(?:(?:the|a|an)\s+)?", text)
    lead = m.end()
    for end in _ROLE_END.finditer(text, lead):
        role = text[lead: end.start()]
        if len(role.split()) > 12:
            return None
        # An apposition closes with a comma or a relative clause ("X, an official of Y, moved");
        # "X, officials from Y held talks" goes on as the main clause.
        shut = not closed or not text[end.end():] or bool(
            re.match(r"\s*[,.;()]|\s+(?:who|which)\b", text[end.start():]))
        if role and shut and _role_ok(role):
            return " ".join(re.sub(r"[\"“”]", "", role).split()).rstrip("."), lead
        if text[end.start(): end.end()].strip() in (".", ";", "(", ")"):
            return None  # the clause ends: no role further on
    return None


def _roles_around(text: str, start: int, end: int) -> list[tuple[str, int]]:
    """What the sentence calls the person named at ``text[start:end]``, with where it says so:
    an appositive ("X, the emir of Y,"), a relative or copula clause ("X, a general who served as
    chairman from 1998", "X was a politician"), a title phrase before the name ("The governor
    of Z, Mr. X", "the Cretan politician X")."""
    after, before = text[end:], text[:start]
    out = []
    for pat in (r"^\s*,\s+", r"^(?:\s*,[^,;]*?)?\s+(?:who\s+)?(?:was|is|became|had\s+been|has\s+been|served\s+as|"
                r"remained)\s+"):
        m = re.match(pat, after)
        got = _role_from(after[m.end():], closed=pat.startswith(r"^\s*,")) if m else None
        at = m.end() if m else 0
        while got:  # "… served as A from 1998 to 2001 and as B from 2003"
            out.append((got[0], end + at + got[1]))
            nxt = re.match(r"[^,;.]*?\s+and\s+(?:as\s+)?", after[at + got[1] + len(got[0]):])
            if not nxt:
                break
            at += got[1] + len(got[0]) + nxt.end()
            got = _role_from(after[at:])
    for pat in (rf"(?:^|[,;]\s+|\bby\s+)(?:(?:[Tt]he|[Aa]n?)\s+)?{_ROLE},\s*(?:(?:Mr|Mrs|Ms|Dr)\.\s*)?$",
                r"\b(?:the|a|an)\s+(?P<role>[\w'’-]+(?:\s+[\w'’-]+){0,3}?)\s+(?:[A-Z][\w'’-]*\s+){0,2}$",
                # "Chinese Premier X" (not a lone "Colonel X": that is the name's title)
                r"(?:^|\s)(?P<role>(?:[A-Z][\w'’-]*\s+){1,2}[A-Z][\w'’-]*)\s+$"):
        m = re.search(pat, before)
        if m and _role_ok(m.group("role")):
            out.append((" ".join(m.group("role").split()), m.start("role")))
    return out


def _describe(idx: _Index, q: Question, ranked) -> Answer | None:
    """"Who was X?": the role the text gives X, from the best-ranked sentence that names X
    and says what X is; None when no sentence does."""
    x = q.actors[0]
    found = []  # (role, sentence) in rank order
    for i, _ in ranked[:40]:
        if idx.sentences[i].end - idx.sentences[i].start > _READ_MAX:
            continue
        ev = idx.evidence(i)
        for m in idx.mentions_in(i):
            if m.key == x:
                found += [(r, p, ev) for r, p in _roles_around(ev.quote, m.start - ev.start, m.end - ev.start)]
    if q.years:  # "who was X in 1999": a role its sentence dates to those years comes first
        def fit(r: str, p: int, ev: Evidence) -> int:  # 0 = the very years asked; larger = looser
            span = [int(y) for y in re.findall(r"\b(?:1[5-9]|20)\d\d\b", ev.quote[p + len(r): p + len(r) + 30])]
            if not span or min(span) > max(q.years) or max(span) < min(q.years):
                return 10_000
            return abs(min(span) - min(q.years)) + abs(max(span) - max(q.years))
        found.sort(key=lambda f: fit(*f))
    if not found:
        return None
    role, _, ev = found[0]
    return Answer(q, [AnswerItem(role)], [ev], "retrieval")
