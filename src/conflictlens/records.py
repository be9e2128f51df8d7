"""Small records shared by every stage, from ingest to export.

Every fact record carries ``evidence``: the document, the character span and the exact
quote (``quote == text[start:end]``) it was read from. Records are plain dataclasses so
that stages stay pure functions over them and the store can serialise them as they are.

Actor references: before ``resolve`` an event or relation names its actors by a
*document-local key* (see :class:`LocalActor`); ``resolve`` rewrites the keys into global
actor ids (``a1``, ``a2`` …).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

ACTOR_TYPES = (
    "state",
    "government",
    "armed_group",
    "political_party",
    "organisation",
    "person",
    "ethnic_group",
    "intelligence_agency",
    "military_unit",
)

EVENT_TYPES = (
    "ATTACK", "BATTLE", "CAPTURE", "WITHDRAW", "KILL", "MASSACRE", "COUP", "INVADE",
    "ESTABLISH", "RECOGNIZE", "AID", "AGREE", "NEGOTIATE", "SEVER_TIES", "SANCTION",
    "DEFECT", "LEADERSHIP_CHANGE", "ELECTION", "OTHER",
)

RELATION_TYPES = (
    "supports", "recognizes", "allied_with", "fights", "hostile_to", "leads", "member_of",
    "controls", "part_of", "sheltered", "ceased_support",
)
#: Relations that hold both ways; stored once, source/target in either order.
SYMMETRIC_RELATIONS = frozenset({"allied_with", "fights", "hostile_to"})

#: Dates a file's tools write (its creation date), not the date its text was written: the
#: text's own dateline counts first.
WEAK_DATE_SOURCES = frozenset({"pdf info", "docx properties"})

FIGURE_KINDS = ("deaths", "wounded", "force_size", "displaced", "other")
PRECISIONS = ("day", "month", "year", "decade")


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: ``quote == text[start:end]`` of document ``doc`` (file name)."""

    doc: str
    start: int
    end: int
    quote: str

    def to_dict(self) -> dict:
        return {"doc": self.doc, "start": self.start, "end": self.end, "quote": self.quote}


@dataclass(frozen=True)
class InfoboxField:
    """One ``- Key: value`` line of a Wikipedia-style infobox; the span covers the value."""

    key: str
    value: str
    start: int
    end: int
    line_start: int
    line_end: int


@dataclass
class Document:
    """A document as read: the exact text that every evidence offset points into."""

    id: str  # stable: derived from the content hash
    name: str  # file name, used in evidence
    path: str
    text: str
    sha256: str
    title: str = ""
    infobox: list[InfoboxField] = field(default_factory=list)
    #: spans (start, end) of lines that are markup, not prose: headings, infobox lines
    markup: list[tuple[int, int]] = field(default_factory=list)
    #: the document's own date (ISO ``YYYY-MM`` or ``YYYY-MM-DD``) and where it was read:
    #: metadata (``"html meta"``, ``"feed"``, ``"front matter"``), ``"--date"``, ``"text"``
    #: (its dateline), or a file's creation date (``"pdf info"``, ``"docx properties"``),
    #: which counts only when the text states none (see :data:`WEAK_DATE_SOURCES`)
    date: str | None = None
    date_source: str = ""
    #: offsets where each page starts (page 1 at ``pages[0]``); empty for page-less formats
    pages: list[int] = field(default_factory=list)
    #: the file's format: txt, md, pdf, html, docx, jsonl
    format: str = ""
    url: str = ""

    def page_of(self, offset: int) -> int | None:
        """The page (1-based) holding ``offset``, or None when the format has no pages."""
        if not self.pages:
            return None
        return max(1, bisect_right(self.pages, offset))

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True)
class TimeExpr:
    """A normalised time expression (TimeML-style value + precision + modifier).

    ``value``/``value_end`` are ISO prefixes (``1996``, ``1996-09``, ``1996-09-27``); a
    decade is its first year with precision ``decade``. ``modifier`` is one of START, MID,
    END, BEFORE, AFTER, APPROX or None. ``relative`` is True when the value came from the
    discourse (``the following day``) rather than the words alone.
    """

    start: int
    end: int
    text: str
    value: str | None
    precision: str
    value_end: str | None = None
    modifier: str | None = None
    relative: bool = False


@dataclass
class Mention:
    """One occurrence of an actor name in a document."""

    key: str  # document-local actor key (a global actor id once resolved)
    text: str
    start: int
    end: int
    doc: str = ""  # document name, set by resolve


@dataclass
class LocalActor:
    """An actor as seen inside one document, before cross-document resolution."""

    key: str
    name: str
    type: str
    aliases: set[str] = field(default_factory=set)
    mentions: list[Mention] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)  # where its type/aliases were read
    #: short names valid in this document only ("Massoud", "Islamic Emirate"): they never
    #: join this actor with one of another document
    weak_aliases: set[str] = field(default_factory=set)


@dataclass
class Actor:
    """A resolved actor: all its names, and its mentions per document."""

    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    mentions: dict[str, int] = field(default_factory=dict)  # doc name -> count
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def mention_count(self) -> int:
        return sum(self.mentions.values())


@dataclass
class Event:
    """Who did what to whom, where and when."""

    type: str
    agents: list[str]
    targets: list[str]
    evidence: list[Evidence]
    trigger: str = ""
    place: str | None = None
    time: TimeExpr | None = None
    fatalities: dict | None = None  # {"low", "high", "who"}
    summary: str = ""
    status: str = "happened"
    id: str = ""
    #: how the fact was found (``stage:type``, see :mod:`conflictlens.confidence`), the
    #: measured precision of that way, and whether the user confirmed (or fixed) it
    method: str = ""
    confidence: float | None = None
    confirmed: bool = False


@dataclass
class Relation:
    """A relation between two actors over a time span."""

    source: str
    relation: str
    target: str
    evidence: list[Evidence]
    start: str | None = None
    end: str | None = None
    qualifier: str | None = None
    time: TimeExpr | None = None
    id: str = ""
    #: how the fact was found (``stage:type``, see :mod:`conflictlens.confidence`), the
    #: measured precision of that way, and whether the user confirmed (or fixed) it
    method: str = ""
    confidence: float | None = None
    confirmed: bool = False


@dataclass
class Figure:
    """A number the text states: deaths, wounded, force sizes, displaced people."""

    kind: str
    low: float | None
    high: float | None
    what: str
    evidence: list[Evidence]
    who: str | None = None
    period_start: str | None = None
    period_end: str | None = None
    actor: str | None = None
    id: str = ""
    #: how the fact was found (``stage:type``, see :mod:`conflictlens.confidence`), the
    #: measured precision of that way, and whether the user confirmed (or fixed) it
    method: str = ""
    confidence: float | None = None
    confirmed: bool = False


@dataclass
class DocFacts:
    """Everything extracted from one document, before resolution."""

    document: Document
    actors: list[LocalActor] = field(default_factory=list)
    times: list[TimeExpr] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    #: the parts of the search index this document alone decides (sentences, their terms,
    #: time expressions; ``search_index.document_parts``), made in the worker and cached with
    #: the facts, so that saving a KB does not redo them for unchanged documents
    search_parts: tuple | None = None


@dataclass
class KB:
    """The resolved knowledge base: what the store saves and every interface reads."""

    documents: list[Document] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)  # keys are actor ids
    #: the user's corrections of facts (reject / confirm / fix), replayed on every rebuild
    #: (see :mod:`conflictlens.corrections`)
    corrections: list[dict] = field(default_factory=list)
    #: document name → its search-index parts, when the build made them (not stored as such)
    search_parts: dict[str, tuple] = field(default_factory=dict, repr=False, compare=False)


def sentence_evidence(doc_name: str, text: str, start: int, end: int) -> Evidence:
    """Evidence for ``text[start:end]`` with surrounding whitespace trimmed off the span."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Evidence(doc_name, start, end, text[start:end])
