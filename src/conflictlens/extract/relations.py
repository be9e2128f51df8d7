"""Relations between actors: who supports, recognises, leads, fights or shelters whom.

Relations are read sentence by sentence from the dependency parse, by four rule families
whose words live in lexicons (``relations_*.tsv``):

- **verbs** (``relations_verbs.tsv``): "X supported Y", "Y was supported by X", "Y, led by
  X", "X fought against Y", "Soviet-backed Y"; subjects are inherited through coordination,
  relative clauses and control verbs ("X decided to support Y");
- **nouns** (``relations_nouns.tsv``) with their light verbs (``relations_light_verbs.tsv``):
  "X's support for Y", "Y received military support from X", "with the support of X, Y …",
  "fighting between X and Y", "in opposition to Y";
- **roles** (``relations_roles.tsv``): "X, the leader of Y", "X was a member of Y", "Y
  commanders A and B", "X served as head of Y", "Y's intelligence agency, X";
- **units** (``relations_unit_nouns.tsv``): "X Army's 5th Division", "the 7th Brigade of X"
  → part_of.

Some relations need more than one clause: a verbless list after a colon spells out the
noun before it ("X included all ethnicities: A, B and C"), and a subject "he"/"she" stands
for the person last named as a subject (:func:`_resolve_pronouns`). One relation stated
with a coarse and a fine date ("in 1996", "in September 1996") is kept once.

Coordinations distribute (every source × every target); negation ("did not recognise",
"refused to recognise") blocks a relation; a cease verb turns support into
``ceased_support`` ("ceased financial support to Y", "stopped supporting Y"). Severing ties
("X severed ties with Y") is read as ``ceased_support`` with qualifier ``diplomatic``: it
ends a relationship, which is what ceased_support records, while hostility is a further
claim the words do not make.

The infobox of a Wikipedia-style article gives relations too
(:func:`~.infobox_relations.infobox_relations`): the sides of ``CombatantN`` /
``CommanderN`` / ``UnitsN`` fields.

Every relation carries the sentence (or infobox line) as evidence and, when the sentence
has a time expression, its start/end (:func:`~.relation_time.time_for`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from .. import lexicons
from ..nlp import doc_text
from ..records import (
    SYMMETRIC_RELATIONS,
    Document,
    Mention,
    Relation,
    TimeExpr,
    sentence_evidence,
)
from . import cooperation, possessive, reciprocal, relation_roles
from .arguments import (
    MentionIndex,
    actors_of,
    clause_verb,
    mention_keys,
    participant_mentions,
    possessor_actors,
    prep_actors,
)
from .figures import apparatus_spans
from .infobox_relations import date_infobox_relation, drop_subsumed_infobox, infobox_relations
from .reference import member_references
from .relation_time import said_former, time_for
from .time import Narrative

__all__ = ["extract_relations"]

_RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom", "whose"})
#: Proxy heads whose nationality adjective does not make them the state's organ.
_NON_STATE_HEADS = frozenset({"militia", "militias", "fighters", "fighter", "militants", "men",
                              "faction", "factions", "rebels", "insurgents", "mujahideen",
                              "volunteers", "people", "population", "civilians", "refugees"})
#: Nouns for an act that stand for the actor doing it ("against the Soviet invasion").
_EVENT_HEADS = frozenset({"invasion", "occupation", "intervention", "offensive", "offensives",
                          "aggression", "attack", "attacks", "bombing", "airstrikes", "onslaught"})
#: Nouns of dominion that stand for the ruler after "against"/"to" ("rose against Chinese
#: rule", "opposition to Chinese rule").
_RULE_HEADS = frozenset({"rule", "domination", "suzerainty", "dominion", "hegemony"})
#: Quantity nouns a relation noun hides behind ("survived dozens of assassination attempts").
_QUANTITY_HEADS = frozenset({"dozens", "dozen", "hundreds", "thousands", "number", "series",
                             "couple", "lot", "lots", "wave", "string", "several", "many", "some"})
_SUBJ_DEPS = ("nsubj", "nsubjpass", "csubj", "expl")
#: Prepositions that introduce the target of a relation noun ("support *to* Y").
_TARGET_PREPS = ("to", "for", "against", "on", "toward", "towards", "over")


@dataclass(frozen=True)
class _VerbRule:
    prep: str
    relation: str
    qualifier: str | None
    flags: frozenset[str]


@dataclass(frozen=True)
class _Cand:
    """A candidate relation found at ``trigger``: every source × every target."""

    sources: tuple[str, ...]
    relation: str
    targets: tuple[str, ...]
    qualifier: str | None
    trigger: object  # spaCy Token
    #: the text says the relation is over ("two former rivals"): its time is an end
    former: bool = False


def _opt(value: str) -> str | None:
    return None if value in ("", "-") else value


@lru_cache(maxsize=1)
def _verb_rules() -> dict[str, tuple[_VerbRule, ...]]:
    out: dict[str, list[_VerbRule]] = {}
    for row in lexicons.rows("relations_verbs"):
        lemma, prep, relation = row[0].lower(), row[1].lower(), row[2]
        qual = _opt(row[3]) if len(row) > 3 else None
        flags = frozenset(f.strip() for f in row[4].split(",")) if len(row) > 4 else frozenset()
        out.setdefault(lemma, []).append(_VerbRule(prep, relation, qual, flags))
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def _noun_rules() -> dict[str, tuple[str, str | None, str]]:
    return {r[0].lower(): (r[1], _opt(r[2]), r[3] if len(r) > 3 else "-")
            for r in lexicons.rows("relations_nouns")}


def _light_verbs() -> dict[str, str]:
    return lexicons.mapping("relations_light_verbs")


# --------------------------------------------------------------------------- public API


def extract_relations(sdoc, document: Document, mentions: list[Mention],
                      times: list[TimeExpr], members: list[Mention] | None = None
                      ) -> list[Relation]:
    """The relations between actors stated in ``document``.

    Args:
        sdoc: the spaCy ``Doc`` of the document (markup lines blanked, same length).
        document: the document as read; evidence points into ``document.text``.
        mentions: actor mentions; ``Relation.source``/``target`` are their keys.
        times: the document's normalised time expressions; a relation takes its start/end
            from the expression(s) in its sentence.
        members: when given, receives the membership references resolved on the way
            ("the League member states", :func:`~.reference.member_references`).

    Returns:
        Relations in order of appearance, without self-relations and without duplicates
        (same source, relation, target and evidence; symmetric relations in either order).
        Infobox relations come first.

    References:
        Relation types follow the conflict-actor relations of UCDP/ACLED-style datasets
        (support with a qualifier, alliance, fighting); the rule families follow
        dependency-pattern relation extraction (Fundel et al. 2007, RelEx).
    """
    index = _RelIndex(mentions, document.text)
    out = _Collector(document)
    time_list = sorted((t for t in times if t.value), key=lambda t: t.start)
    narrative = Narrative.of(document, time_list)
    for rel in infobox_relations(document, mentions):
        date_infobox_relation(rel, narrative)
        out.add(rel)
    skipped = apparatus_spans(document)
    sents = list(sdoc.sents)
    ends = _colon_lists(sents, index)
    _resolve_pronouns(sents, document.text, index)
    previous: set[str] = set()
    for sent in sents:
        # "the League member states": the members the relations so far gave the League
        for ref in member_references(sent, index, out.relations, previous):
            index.add(ref)
            if members is not None:
                members.append(ref)
        end_char = ends.get(sent.start, sent.end_char)
        keys = {k for m in index.in_span(sent.start_char, end_char) for k in mention_keys(m)}
        keys |= {k for t in sent if t.i in index.extra for k in index.extra[t.i]}
        previous = keys
        turned = list(_turned_against(sent, index, out.relations)) if keys else []
        if (len(keys) < 2 and not turned) or any(a <= sent.start_char < b for a, b in skipped):
            continue  # a reference list states nothing: "X backs Y" there is a headline
        ev = sentence_evidence(document.name, document.text, sent.start_char, end_char)
        sent_times = [t for t in time_list if sent.start_char <= t.start and t.end <= sent.end_char]
        # the word-order reading first: its qualifier is the one written next to each noun
        for cand in [*_received_from(sent, index), *_sentence_cands(sent, index), *turned]:
            start, end, texpr = time_for(cand.trigger, sent_times, document.text, narrative)
            if cand.former or said_former(cand.trigger):
                start, end = None, end or start
            for src in cand.sources:
                for tgt in cand.targets:
                    if src == tgt:
                        continue
                    out.add(Relation(src, cand.relation, tgt, [ev], start=start, end=end,
                                     qualifier=cand.qualifier, time=texpr))
    return _fold_refined_dates(drop_subsumed_infobox(out.relations, document))


_TURNED_AGAINST = re.compile(r"^(?:turn(?:ed|s)?|rose|broke)$")
_FORMER_ALLIES = frozenset({"allies", "ally", "partners", "partner", "patrons", "backers"})  # of X


def _turned_against(sent, index: MentionIndex, earlier: list[Relation]) -> Iterator[_Cand]:
    """"X turned against its former allies": X fights those the document already made its
    allies (or backers). The allies are read from the relations before this sentence."""
    for tok in sent:
        if not (tok.pos_ == "VERB" and _TURNED_AGAINST.match(tok.lower_)) or _negated(tok):
            continue
        against = [c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("against", "on")]
        nouns = [g for p in against for g in p.children if g.dep_ == "pobj" and g.lower_ in _FORMER_ALLIES]
        # "its former allies" names only the subject (a resolved "its"): still unnamed allies
        if not nouns or set(_np_actors(nouns[0], index)) - set(_gram_subject(tok, index)):
            continue
        backers = nouns[0].lower_ in ("patrons", "backers")
        for subj in _gram_subject(tok, index):
            allies = [r.target if r.source == subj else r.source for r in earlier
                      if r.evidence and r.evidence[0].start < sent.start_char and (
                          (r.relation == "allied_with" and subj in (r.source, r.target))
                          or (backers and r.relation == "supports" and r.target == subj))]
            allies = list(dict.fromkeys(a for a in allies if a != subj))
            if allies:
                yield _Cand((subj,), "fights", tuple(allies), None, tok)


def _fold_refined_dates(rels: list[Relation]) -> list[Relation]:
    """One relation stated twice with dates where one refines the other is one fact.

    "X joined Y in 1996" and "in September 1996 X joined Y" (or the infobox period
    "27 September 1996") agree: the statements become one relation with both evidences
    and the more precise date. Dates that differ ("1996" and "2000") stay apart.
    """
    def refines(a: str | None, b: str | None) -> bool:
        return a is None or b is None or a.startswith(b) or b.startswith(a)

    def finer(a: str | None, b: str | None) -> str | None:
        return max((a, b), key=lambda d: len(d or ""))

    out: list[Relation] = []
    for r in rels:
        pair = (r.source, r.target)
        if r.relation in SYMMETRIC_RELATIONS:
            pair = tuple(sorted(pair))
        home = None
        if r.start:
            for k in out:
                kp = (k.source, k.target) if k.relation not in SYMMETRIC_RELATIONS else \
                    tuple(sorted((k.source, k.target)))
                if (kp == pair and k.relation == r.relation and k.qualifier == r.qualifier
                        and k.start and k.start != r.start and refines(k.start, r.start)
                        and refines(k.end, r.end)):
                    home = k
                    break
        if home is None:
            out.append(r)
            continue
        home.evidence.extend(e for e in r.evidence if e not in home.evidence)
        if len(r.start or "") > len(home.start or ""):
            home.start, home.time = r.start, r.time
        home.end = finer(home.end, r.end)
    return out


class _RelIndex(MentionIndex):
    """Mentions, plus the actors some non-name tokens stand for in this document.

    ``extra`` maps a token index to actor keys: a resolved "he"/"she"
    (:func:`_resolve_pronouns`) or a noun that a list after a colon spells out
    (:func:`_colon_lists`). :func:`_np_actors` reads it when a phrase names no actor.
    """

    def __init__(self, mentions: Iterable[Mention], text: str | None = None):
        mentions = list(mentions)
        parties = participant_mentions(text, mentions) if text is not None else mentions
        super().__init__(parties)
        self.extra: dict[int, list[str]] = {}
        # "anti-Taliban": the Taliban fill no role, but the stance itself is a hostility
        # (:func:`_anti_actors`).
        kept = {id(m) for m in parties}
        self.stance = MentionIndex([m for m in mentions if id(m) not in kept])


#: Verbs that describe a list's members without being a relation themselves.
_NAMING_PARTICIPLES = frozenset({"call", "name", "know", "dub", "style", "term", "title"})


def _colon_lists(sents: list, index: _RelIndex) -> dict[int, int]:
    """Nouns that a verbless list after a colon spells out.

    "X included all the country's ethnicities: A, B and C." — the parser ends the
    sentence at the colon, so the list is a "sentence" of its own. The nouns that end the
    first sentence ("ethnicities", "a figure in world politics") stand for the list's
    actors; the climb stops at a relation or role noun ("links with a figure: Y"), which
    is what the sentence says *about* the list.

    Args:
        sents: the document's sentences in order.
        index: mentions; the nouns' actors are written to ``index.extra``.

    Returns:
        ``{first token of the colon sentence: end offset of the list}``, so that the
        evidence quotes both parts.
    """
    out: dict[int, int] = {}
    for i, sent in enumerate(sents):
        toks = [t for t in sent if not t.is_space]
        for j, colon in enumerate(toks):
            if colon.text != ":" or j < 2:
                continue
            # The list is the rest of the sentence or, when the parser ends the sentence at
            # the colon, the next one.
            rest = toks[j + 1:] or (list(sents[i + 1]) if i + 1 < len(sents) else [])
            if not rest or any(t.pos_ in ("VERB", "AUX") for t in rest):
                continue  # a clause, not a list
            lo, hi = rest[0].idx, rest[-1].idx + len(rest[-1].text)
            keys = list(dict.fromkeys(m.key for m in index.in_span(lo, hi)))
            if keys and _mark_listed(toks[j - 1], keys, index) and j == len(toks) - 1:
                out[sent.start] = sents[i + 1].end_char
    return out


def _mark_listed(node, keys: list[str], index: _RelIndex) -> bool:
    """Write ``keys`` for the nouns of the phrase ending at ``node`` (see :func:`_colon_lists`)."""
    nouns = _noun_rules()
    roles = relation_roles.role_rules()
    marked = False
    while node.pos_ in ("NOUN", "ADJ", "ADP", "NUM") or (
            node.pos_ == "PROPN" and not index.key_of(node)):
        if node.pos_ == "NOUN":
            if node.lower_ in nouns or node.lemma_.lower() in nouns or node.lemma_.lower() in roles:
                break
            index.extra.setdefault(node.i, keys)
            marked = True
        if node.head.i == node.i or node.head.pos_ not in ("NOUN", "ADP", "ADJ", "NUM"):
            break
        node = node.head
    return marked


_HE_SHE = frozenset({"he", "she"})


def _resolve_pronouns(sents: list, text: str, index: _RelIndex) -> None:
    """Resolve a subject "he"/"she" to the person it most likely stands for.

    A person named earlier in the pronoun's own sentence wins ("forces led by X, as he
    was …"). Otherwise the nearest of the two previous sentences of the paragraph that
    names a person decides: its person subject if it has one ("Malik realised that the
    Taliban … He then …"), else its only person ("The paper named X 'the man who won'.
    He had …"). Several candidates and no subject among them leave the pronoun alone. A
    person (:func:`_person_keys`) is written without "the". Writes ``index.extra``.

    References:
        A centering-style preference for the previous subject (Grosz, Joshi and Weinstein
        1995; Lappin and Leass 1994) — the salience ranking most pronoun resolvers start from.
    """
    persons = _person_keys(sents, text, index)

    def pick(named: list[str], subjects: list[str]) -> list[str]:
        if subjects:
            return [subjects[0]]
        return list(named) if len(named) == 1 else []

    history: list[tuple[list[str], list[str]]] = []  # (persons named, person subjects)
    para_end = -1
    for sent in sents:
        if sent.start_char > para_end:
            history = []
            nl = text.find("\n", sent.start_char)
            para_end = nl if nl >= 0 else len(text)
        named: list[str] = []
        subjects: list[str] = []
        for tok in sent:
            key = index.key_of(tok)
            if key in persons and not _definite(tok):
                if key not in named:
                    named.append(key)
                if tok.dep_ in ("nsubj", "nsubjpass") and key not in subjects:
                    subjects.append(key)
            if tok.dep_ not in ("nsubj", "nsubjpass") or tok.lower_ not in _HE_SHE:
                continue
            found = pick(named, subjects) if named else []
            if not named:
                earlier = [h for h in history[-2:] if h[0]]
                found = pick(*earlier[-1]) if earlier else []
            if found:
                index.extra[tok.i] = found
                if found[0] not in named:
                    named.append(found[0])
                subjects.append(found[0])
        history.append((named, subjects))


def _person_keys(sents: list, text: str, index: _RelIndex) -> set[str]:
    """Keys of persons: the tagger calls a mention PERSON, or a title (``honorifics.tsv``:
    "General", "President", "Mullah") starts or precedes one. The tagger alone misses rare
    names ("Hashim Thaci" comes out ORG)."""
    titles = lexicons.words("honorifics")
    out = {index.key_of(t) for sent in sents for t in sent
           if t.ent_type_ == "PERSON" and index.key_of(t)}
    for m in index.mentions:
        before = text[max(0, m.start - 30):m.start].split()
        # A title is capitalised: "a major Afghan offensive" has no Major in it.
        words = [w for w in (m.text.split()[:1] + before[-1:]) if w[:1].isupper()]
        if any(w.lower() in titles for w in words):
            out.add(m.key)
    return out


def _definite(tok) -> bool:
    """Whether a name is written with "the" ("the Taliban"); persons' names never are."""
    start = tok.left_edge.i
    return tok.doc[start].lower_ == "the"


def _received_from(sent, index: MentionIndex) -> Iterator[_Cand]:
    """"Y received military support from X and financial support from Z", read off the word
    order when the parser tangles the coordination (it often hangs the second "support"
    under the first "from"): each "<qualifier>? <relation noun> from <actor>" after a
    receiving verb whose subject is an actor."""
    nouns = _noun_rules()
    quals = lexicons.mapping("relations_qualifiers")
    toks = list(sent)
    for i, verb in enumerate(toks):
        if _light_verbs().get(verb.lemma_.lower()) != "target":
            continue
        subj = [k for c in verb.children if c.dep_ == "nsubj" for k in _np_actors(c, index)]
        if not subj:
            continue
        for j in range(i + 1, min(len(toks) - 2, i + 40)):
            noun = toks[j]
            rule = nouns.get(noun.lower_)
            if not rule or rule[0] != "supports" or toks[j + 1].lower_ != "from":
                continue
            if any(t.lower_ in (";", "but", "while", "whereas") for t in toks[i + 1:j]):
                break  # another clause
            clause = clause_verb(noun)
            if clause is not None and clause.i != verb.i:
                continue  # "X faced rebels that received support from Y": not X's support
            src = index.key_of(toks[j + 2]) or (index.key_of(toks[j + 3]) if j + 3 < len(toks)
                                                 and toks[j + 2].lower_ == "the" else None)
            if not src:
                continue
            qual = quals.get(toks[j - 1].lower_) if j > i + 1 else None
            yield _Cand((src,), "supports", tuple(subj), qual or rule[1], noun)


# --------------------------------------------------------------------------- collecting


class _Collector:
    """Relations in order, deduplicated on (source, relation, target, evidence span)."""

    def __init__(self, document: Document):
        self.document = document
        self.relations: list[Relation] = []
        self._seen: dict[tuple, Relation] = {}

    def add(self, rel: Relation) -> None:
        if rel.source == rel.target:
            return
        ev = rel.evidence[0]
        pair = (rel.source, rel.target)
        if rel.relation in SYMMETRIC_RELATIONS:
            pair = tuple(sorted(pair))
        key = (*pair, rel.relation, ev.doc, ev.start, ev.end)
        old = self._seen.get(key)
        if old is not None:
            # Keep the first; fill in what a later trigger of the same fact knows.
            old.qualifier = old.qualifier or rel.qualifier
            if old.start is None and old.end is None and (rel.start or rel.end):
                old.start, old.end, old.time = rel.start, rel.end, rel.time
            return
        self._seen[key] = rel
        self.relations.append(rel)


# --------------------------------------------------------------------------- parse helpers


def _np_actors(tok, index: MentionIndex) -> list[str]:
    """:func:`actors_of`, plus two repairs.

    A name inside a possessed phrase wins over the possessor ("the Taliban's Islamic Emirate
    government" names the Emirate, not the Taliban); a conjunct that is not a name stands for
    its possessor ("Iran, India and the United States' bombing" → United States).
    """
    keys = actors_of(tok, index)
    if not keys:
        keys = list(getattr(index, "extra", {}).get(tok.i, ())) or _called(tok, index)
    roles = relation_roles.role_rules()
    described = {k for c in tok.children if c.dep_ == "appos" and not index.key_of(c)
                 and any(p in roles for p in relation_roles.role_phrases(c)) for k in actors_of(c, index)}
    if described:
        # "X and Y, two U.S. allies": the appositive's own modifier is not one of the actors.
        own = {index.key_of(tok)} | {k for c in tok.children if c.dep_ == "conj"
                                     for k in actors_of(c, index)}
        keys = [k for k in keys if k not in described or k in own]
    if tok.lower_ in _NON_STATE_HEADS:
        # "Afghan militias" are not the Afghan state; "Pakistani troops" are. The tagger
        # often makes the nationality word a compound ("the Afghan mujahideen").
        adj = {index.key_of(c) for c in tok.children if index.key_of(c) and (
            c.dep_ in ("amod", "nmod") or (c.dep_ == "compound" and _descriptor(c)))}
        keys = [k for k in keys if k not in adj]
    # "a UN plan", "the Pakistan border": a thing named after an actor is not the actor;
    # "an anti-Taliban coalition" is not the Taliban; in "the U.S.-supported rebels" the
    # U.S. is the backer, not the rebels. Each conjunct is its own phrase.
    things = lexicons.words("relations_thing_nouns")
    drop: set[str] = set()
    named: set[str] = set()
    for node in (tok, *_conjuncts(tok)):
        if index.key_of(node):
            named.add(index.key_of(node))
            continue
        thing = node.pos_ != "PROPN" and (node.lower_ in things or node.lemma_.lower() in things)
        drop |= set(_anti_actors(node, index)) | {
            index.key_of(c) for c in node.children if c.dep_ in ("amod", "compound", "nmod")
            and index.key_of(c) and (thing or _agent_prefix(c))}
    if drop - named:
        keys = [k for k in keys if k not in drop or k in named]
    if not keys and tok.lower_ in _EVENT_HEADS:
        # "against the Soviet invasion", "Hekmatyar's offensive": the actor behind the act.
        keys = [index.key_of(c) for c in tok.children
                if c.dep_ in ("amod", "compound", "nmod") and index.key_of(c)]
        keys += possessor_actors(tok, index) + _prep_objects(tok, ("by",), index)
        keys = list(dict.fromkeys(keys))
    own = [index.key_of(c) for c in tok.children if c.dep_ == "compound" and index.key_of(c)]
    if own or index.key_of(tok):
        poss = set(possessor_actors(tok, index)) - set(own) - {index.key_of(tok)}
        if own:
            # "the Hezb-i Wahdat forces of Mazari" are Wahdat's: the owner leads them.
            poss |= set(prep_actors(tok, ("of", "under"), index)) - set(own)
        keys = [k for k in keys if k not in poss]
    for conj in _conjuncts(tok):
        if not actors_of(conj, index):
            keys.extend(k for k in possessor_actors(conj, index) if k not in keys)
    return keys


def _is_state(key: str) -> bool:
    """Whether a mention key is a state's (``iso:`` keys, see extract.actors)."""
    return key.startswith("iso:")


def _descriptor(tok, key: str | None = None) -> bool:
    """Whether a name is used as a nationality or ethnicity word ("Afghan", "Tajik"): the
    tagger says so, the demonym lexicon lists it, or its actor is an ethnic group."""
    return (tok.ent_type_ == "NORP" or tok.lower_ in lexicons.words("demonyms")
            or (key or "").startswith("ethnic:"))


#: "U.S.-supported", "Soviet-backed" written as one token: actor, hyphen, participle.
_AGENT_PREFIX = re.compile(r"^(?P<agent>.+)-(?P<verb>[a-z]+(?:ed|led)|run)$")  # "X-run": irregular


def _agent_prefix(tok) -> str | None:
    """The lemma of the participle in a one-token "X-backed" modifier that is a relation verb."""
    m = _AGENT_PREFIX.match(tok.text)
    if m is None or tok.dep_ not in ("amod", "compound", "nmod"):
        return None
    word = m.group("verb").lower()
    rules = _verb_rules()
    for lemma in (word[:-2], word[:-1], {"led": "lead", "run": "run"}.get(word, ""), word[:-3]):
        if lemma in rules:
            return lemma
    return None


def _called(tok, index: MentionIndex) -> list[str]:
    """The name a common noun is given: "a council which was called X", "a group known as X"."""
    if tok.pos_ != "NOUN":
        return []
    for child in tok.children:
        if child.dep_ in ("acl", "relcl") and child.lemma_.lower() in _NAMING_PARTICIPLES:
            keys = [k for c in child.children if c.dep_ in ("oprd", "attr", "dobj")
                    for k in actors_of(c, index)]
            keys += prep_actors(child, ("as",), index)
            if keys:
                return list(dict.fromkeys(keys))
    return []


def _conjuncts(tok) -> Iterator:
    for child in tok.children:
        if child.dep_ == "conj":
            yield child
            yield from _conjuncts(child)


def _is_passive(verb) -> bool:
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        return True
    if verb.tag_ == "VBN" and verb.dep_ in ("acl", "amod"):
        return True
    # "X was trained and controlled by Y": the second verb shares the first's voice.
    return (verb.dep_ == "conj" and verb.tag_ == "VBN" and verb.head.pos_ in ("VERB", "AUX")
            and _is_passive(verb.head) and not any(c.dep_ in _SUBJ_DEPS for c in verb.children))


def _gram_subject(verb, index: MentionIndex, _depth: int = 0) -> list[str]:
    """Actors that are the grammatical subject of ``verb``, inherited when it has none."""
    if _depth > 5:
        return []
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            if verb.dep_ == "relcl" and (child.lower_ in _RELATIVE_PRONOUNS or _of_whom(child)):
                return _antecedent(verb, index, whole=_of_whom(child))
            keys = _np_actors(child, index)
            if keys:
                return keys
            return []
    if _demanded(verb):
        # "X refused US requests to hand over Y": the one asked is the refuser, not the asker.
        return _gram_subject(verb.head.head, index, _depth + 1)
    if verb.dep_ in ("acl", "relcl") or (verb.dep_ == "amod" and verb.tag_ in ("VBN", "VBG")):
        return _described(verb.head, index)
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        return _gram_subject(verb.head, index, _depth + 1)
    if verb.dep_ in ("xcomp", "advcl", "ccomp") and verb.head.pos_ in ("VERB", "AUX"):
        if verb.dep_ == "xcomp" or (verb.dep_ == "advcl" and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)):
            # Object control: "X forced Y to withdraw", "X deployed Y to support Z" — Y acts.
            objs = [k for c in verb.head.children if c.dep_ == "dobj" for k in _np_actors(c, index)]
            if objs:
                return objs
        if verb.dep_ == "ccomp":
            return []
        return _gram_subject(verb.head, index, _depth + 1)
    return []


#: Quantifiers of a relative pronoun that keep its antecedent ("all of whom", "both of which").
_OF_WHOM = frozenset({"all", "both", "each", "most", "many", "several", "some"})


def _of_whom(subj) -> bool:
    """Whether ``subj`` is "all of whom" / "both of which" (the antecedent, quantified)."""
    return subj.lower_ in _OF_WHOM and any(
        c.dep_ == "prep" and c.lower_ == "of" and any(
            p.dep_ == "pobj" and p.lower_ in _RELATIVE_PRONOUNS for p in c.children)
        for c in subj.children)


def _antecedent(relcl, index: MentionIndex, whole: bool = False) -> list[str]:
    """The actors a relative clause is said of.

    "A (who were supported by X), and B": a clause written right after one conjunct belongs
    to it alone; the conjuncts that come after the clause are not its antecedent. "A and B,
    who …" (the clause after the whole coordination) is said of both, and so is "A and B
    (all of whom …)" (``whole``) wherever the parser hangs it.
    """
    noun = relcl.head
    if whole:
        while noun.dep_ == "conj" and noun.head.i != noun.i:
            noun = noun.head
        return _described(noun, index)
    keys = _described(noun, index)
    later = {k for c in _conjuncts(noun) if c.i > relcl.i for k in _np_actors(c, index)}
    own = set(_np_actors(noun, index)) - {k for c in _conjuncts(noun) for k in _np_actors(c, index)}
    return [k for k in keys if k not in later or k in own]


#: Nouns for asking someone to act: their infinitive is what the addressee was asked to do.
_DEMAND_NOUNS = frozenset({"request", "demand", "call", "appeal", "ultimatum", "plea", "order"})


def _demanded(verb) -> bool:
    """Whether ``verb`` is the infinitive of a demand that is the object of a verb
    ("refused requests to hand over Y", "rejected demands to extradite Y")."""
    head = verb.head
    return (verb.dep_ in ("acl", "relcl") and head.i != verb.i
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
            and not any(c.dep_ in _SUBJ_DEPS for c in verb.children)
            and head.lemma_.lower() in _DEMAND_NOUNS and head.dep_ == "dobj"
            and head.head.pos_ in ("VERB", "AUX"))


def _described(noun, index: MentionIndex) -> list[str]:
    """Actors a noun phrase names or describes.

    "X, a general who served as …" (apposition), "X is a group formed in 1991 with …"
    (copula), "saw X as a figure trained by …" ("as" complement of the object).
    """
    keys = _np_actors(noun, index)
    if keys:
        return keys
    if noun.dep_ == "appos" and index.key_of(noun.head):
        return _np_actors(noun.head, index)
    if noun.dep_ in ("attr", "acomp") and noun.head.pos_ in ("VERB", "AUX"):
        return _gram_subject(noun.head, index)
    if noun.dep_ == "pobj" and noun.head.lower_ == "as" and noun.head.head.pos_ in ("VERB", "AUX"):
        return _deps(noun.head.head, ("dobj",), index)
    return []


def _has_coordinated_subject(verb) -> bool:
    cur = verb
    while not any(c.dep_ == "nsubj" for c in cur.children) and cur.dep_ == "conj":
        cur = cur.head
    return any(c.dep_ == "nsubj" and any(g.dep_ == "conj" for g in c.children) for c in cur.children)


_CONDITIONAL_MARKS = frozenset({"if", "unless", "whether"})


def _hypothetical(tok) -> bool:
    """Whether ``tok``'s clause is a counterfactual ("might have led to recognition").

    A modal with a perfect ("would have supported", "could have recognised") says what did
    not happen; an "if"/"unless" clause states a condition, not a fact.
    """
    verb = tok if tok.pos_ in ("VERB", "AUX") else clause_verb(tok)
    if verb is None:
        return False
    auxes = {c.lower_ for c in verb.children if c.dep_ == "aux"}
    if bool(auxes & {"might", "could", "would", "should", "may"}) and "have" in auxes:
        return True
    # "would act if X reinforced Y": a condition says what may happen, not what did.
    return any(c.dep_ == "mark" and c.lower_ in _CONDITIONAL_MARKS for c in verb.children)


def _share_of(verb, index: MentionIndex) -> list[str]:
    """The actors whose share a control verb's object names ("controlled 30% of X's
    population", "controls most of X", "held parts of X")."""
    shares = lexicons.words("relations_share_nouns")
    out: list[str] = []
    for obj in verb.children:
        if obj.dep_ != "dobj" or (obj.lower_ not in shares and obj.lemma_.lower() not in shares):
            continue
        node = obj
        for _ in range(3):  # "30% of the territory of X"
            pobj = next((p for c in node.children if c.dep_ == "prep" and c.lower_ == "of"
                         for p in c.children if p.dep_ == "pobj"), None)
            if pobj is None:
                break
            keys = _np_actors(pobj, index) or possessor_actors(pobj, index)
            if keys:
                out.extend(k for k in keys if k not in out)
                break
            node = pobj
    return out


def _negated(tok) -> bool:
    """Whether ``tok`` (a verb or noun) is negated or the complement of a refusal."""
    negators = lexicons.words("relations_negators")
    for child in tok.children:
        if child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ == "no"):
            return True
    verb = tok
    if _demanded(verb):
        head = verb.head.head  # "refused requests to hand over Y": the demand was not met
        if head.lemma_.lower() in negators or any(c.dep_ == "neg" for c in head.children):
            return True
    for _ in range(4):
        if verb.dep_ == "conj" and verb.head.i != verb.i:
            verb = verb.head  # "did not support or recognise Y"
            if any(c.dep_ == "neg" for c in verb.children):
                return True
            continue
        if (verb.dep_ in ("xcomp", "ccomp") or (verb.dep_ == "advcl" and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in verb.children))) and verb.head.i != verb.i:
            head = verb.head
            if head.lemma_.lower() in negators or any(c.dep_ == "neg" for c in head.children):
                return True
            verb = head
            continue
        break
    return False


def _ceased(tok) -> bool:
    """Whether ``tok`` is the object of a verb that ends it ("ceased support", "stopped aiding")."""
    cease = lexicons.words("relations_cease_verbs")
    cur = tok
    while cur.dep_ == "conj" and cur.head.i != cur.i:
        cur = cur.head
    if cur.dep_ in ("dobj", "xcomp", "nsubjpass") and cur.head.lemma_.lower() in cease:
        return not _negated(cur.head)
    # "cut off aid to Y": the particle leaves the object a dobj of "cut".
    return False


def _qualifier(tok, default: str | None) -> str | None:
    """The support qualifier of ``tok`` from its modifiers, else ``default``."""
    quals = lexicons.mapping("relations_qualifiers")
    for child in tok.children:
        if child.dep_ in ("amod", "compound", "advmod", "npadvmod", "nmod"):
            for t in (child, *_conjuncts(child)):
                if t.lower_ in quals:
                    return quals[t.lower_]
        if child.dep_ == "prep" and child.lower_ == "with":
            for pobj in child.children:
                if pobj.dep_ == "pobj" and pobj.lower_ in quals:
                    return quals[pobj.lower_]
    return default


def _prep_objects(tok, preps: Iterable[str], index: MentionIndex) -> list[str]:
    """Like :func:`prep_actors`, with :func:`_np_actors` for the objects."""
    wanted = set(preps)
    out: list[str] = []
    for child in tok.children:
        if child.dep_ in ("prep", "agent", "dative") and child.lower_ in wanted:
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    keys = _np_actors(pobj, index)
                    if not keys and child.lower_ in ("against", "to") and pobj.lower_ in _RULE_HEADS:
                        keys = [index.key_of(c) for c in pobj.children
                                if c.dep_ in ("amod", "compound", "nmod") and index.key_of(c)]
                        keys += possessor_actors(pobj, index)
                    out.extend(k for k in keys if k not in out)
    return out


def _deps(tok, deps: Iterable[str], index: MentionIndex) -> list[str]:
    wanted = set(deps)
    out: list[str] = []
    for child in tok.children:
        if child.dep_ in wanted:
            out.extend(k for k in _np_actors(child, index) if k not in out)
    return out


# --------------------------------------------------------------------------- rule families


def _sentence_cands(sent, index: MentionIndex) -> Iterator[_Cand]:
    for tok in sent:
        if tok.pos_ in ("VERB", "AUX") or (tok.tag_ == "VBN" and tok.dep_ == "amod"):
            yield from _verb_cands(tok, index)
            yield from _joint_action_cands(tok, index)
            yield from reciprocal.reciprocal_cands(tok, index)  # "A and B contended for Z"
        yield from cooperation.accord_cands(tok, index)  # "A and B signed a memorandum"
        yield from cooperation.cause_cands(tok, index)  # "X supported the integrity of Y"
        yield from cooperation.support_phrase_cands(tok, index)  # "… with funding from Y"
        nominal = tok.pos_ in ("NOUN", "PROPN") or (
            tok.tag_ == "VBG" and tok.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj"))  # "Fighting between …"
        if nominal and not index.key_of(tok):
            yield from _noun_cands(tok, index)
            yield from relation_roles.role_cands(tok, index)
            yield from possessive.possessive_role_cands(tok, index)  # "X … its rival, Y"
        if index.key_of(tok):
            yield from _agent_prefix_cands(tok, index)
            yield from _unit_cands(tok, index)
            yield from _appos_unit_cands(tok, index)
            yield from _anti_cands(tok, index)


#: Words that make an action of several subjects a shared one ("mounted a joint offensive").
_JOINT = frozenset({"joint", "combined", "coordinated", "jointly", "together"})


def _joint_action_cands(verb, index: MentionIndex) -> Iterator[_Cand]:
    """"Croatia and the ARBiH mounted a joint offensive", "A and B attacked X together": the
    subjects of a shared action are allied."""
    if _negated(verb) or _hypothetical(verb) or not _has_coordinated_subject(verb):
        return
    joint = any(c.lower_ in _JOINT and c.dep_ in ("advmod", "amod") for c in verb.children) or any(
        c.dep_ == "dobj" and any(g.lower_ in _JOINT and g.dep_ == "amod" for g in c.children)
        for c in verb.children)
    if not joint:
        return
    subjects = _gram_subject(verb, index)
    for a, b in combinations(dict.fromkeys(subjects), 2):
        yield _Cand((a,), "allied_with", (b,), None, verb)


def _own_actors(noun, index: MentionIndex) -> list[str]:
    """:func:`_np_actors` of ``noun`` without the actors its conjuncts add."""
    conj = {k for c in noun.children if c.dep_ == "conj" for k in _np_actors(c, index)}
    own = {index.key_of(noun)} if index.key_of(noun) else set()
    return [k for k in _np_actors(noun, index) if k not in conj or k in own]


def _agent_prefix_cands(tok, index: MentionIndex) -> Iterator[_Cand]:
    """"the U.S.-supported rebels" (one token): the prefix actor stands in the verb's
    relation to the noun it modifies."""
    lemma = _agent_prefix(tok)
    if lemma is None or tok.head.i == tok.i or _negated(tok.head):
        return
    rule = next((r for r in _verb_rules()[lemma] if r.prep == "-" and not r.flags), None)
    targets = _own_actors(tok.head, index)
    key = index.key_of(tok)
    if rule is not None and targets:
        yield _Cand((key,), rule.relation, tuple(t for t in targets if t != key), rule.qualifier, tok)


def _verb_lemma_rules(verb) -> tuple[_VerbRule, ...]:
    rules = _verb_rules()
    lemma = verb.lemma_.lower()
    prt = [c.lower_ for c in verb.children if c.dep_ == "prt"]
    found: tuple[_VerbRule, ...] = ()
    for p in prt:
        found += rules.get(f"{lemma} {p}", ())
    if not prt or not found:
        found += rules.get(lemma, ())
    return found


def _verb_cands(verb, index: MentionIndex) -> Iterator[_Cand]:
    """Relations stated by a verb: active, passive, participle and "X-backed" forms."""
    rules = _verb_lemma_rules(verb)
    if not rules:
        return
    negated = _negated(verb)
    ceased = _ceased(verb)
    passive = _is_passive(verb)
    if verb.dep_ == "amod":
        # "Soviet-backed government", "US-led coalition": the modifier is the agent.
        agents = [index.key_of(c) for c in verb.children
                  if c.dep_ in ("npadvmod", "compound", "nmod", "amod") and index.key_of(c)]
        subjects = agents
        # "the Soviet-backed government and the rebels": the modifier is the first conjunct's.
        objects = _own_actors(verb.head, index)
        passive = False
    elif passive:
        subjects = _prep_objects(verb, ("by",), index)
        if subjects:
            # "supported by A, B and C's bombing": the parser takes the last conjunct for
            # an object of the participle; its possessor is one more agent.
            subjects += [k for c in verb.children if c.dep_ == "dobj"
                         for k in possessor_actors(c, index) if k not in subjects]
        objects = _gram_subject(verb, index)
        if not objects and any(r.relation == "supports" for r in rules):
            # "the Taliban's stance was backed by X": backing a party's position backs it.
            objects = [k for c in verb.children if c.dep_ == "nsubjpass" and not _np_actors(c, index)
                       for k in possessor_actors(c, index)]
    else:
        subjects = _gram_subject(verb, index)
        objects = _deps(verb, ("dobj",), index)
    if not objects and any(r.relation == "controls" for r in rules):
        objects = _share_of(verb, index)
    if not passive and verb.dep_ != "amod" and any(
            r.relation == "member_of" and "rev" in r.flags for r in rules):
        # "X included, beside A's forces, factions under commanders such as B and C":
        # the examples of what X included are among its members.
        for obj in verb.children:
            if obj.dep_ == "dobj" or (obj.dep_ == "prep" and obj.lower_ in ("beside", "besides")):
                objects = list(dict.fromkeys([*objects, *_examples(obj, index)]))
    if _hypothetical(verb):
        return
    between = _prep_objects(verb, ("between", "among"), index)
    if len(between) > 1 and not negated:
        # "The war was fought between A and B": the parties are the objects of "between".
        rule = next((r for r in rules if r.relation in SYMMETRIC_RELATIONS and "neg" not in r.flags), None)
        if rule is not None:
            for a, b in combinations(dict.fromkeys(between), 2):
                yield _Cand((a,), rule.relation, (b,), None, verb)
            return
    for rule in rules:
        if ("neg" in rule.flags) != negated:
            continue
        relation, qualifier = rule.relation, rule.qualifier
        if relation in ("supports", "recognizes"):
            qualifier = _qualifier(verb, qualifier)
        if ceased:
            if relation not in ("supports", "recognizes"):
                continue
            relation = "ceased_support"
        srcs, tgts = subjects, objects
        if "with" in rule.flags and not any(c.dep_ == "prep" and c.lower_ == "with"
                                            for c in verb.children):
            continue  # "provided X with weapons", not "provided a report"
        if rule.prep != "-":
            tgts = _prep_objects(verb, (rule.prep,), index)
            if "into" in rule.flags and objects:
                srcs = objects  # "merged X into Y", "X was merged into Y"
        if "rev" in rule.flags:
            srcs, tgts = tgts, srcs
        if (not tgts and relation in SYMMETRIC_RELATIONS and len(srcs) > 1 and rule.prep == "-"
                and not passive and _has_coordinated_subject(verb) and not _has_opponent(verb)):
            # "X and Y fought": the parties are the coordinated subjects.
            for a, b in combinations(srcs, 2):
                yield _Cand((a,), relation, (b,), qualifier, verb)
            continue
        if "found" in rule.flags and len(srcs) == 1 and tgts and _organ_object(verb):
            # "X established a department known as Y": an organ of X, not a body X heads
            yield _Cand(tuple(tgts), "part_of", tuple(srcs), None, verb)
            continue
        if "found" in rule.flags and len(srcs) > 1 and tgts:
            # Co-founders are members of what they create, and allies of each other.
            relation = "member_of"
            for a, b in combinations(srcs, 2):
                yield _Cand((a,), "allied_with", (b,), None, verb)
        if relation == "member_of" and rule.prep == "-" and not passive:
            if _joined_forces(verb):
                # "X joined forces with Y": an alliance, whatever else the object names.
                tgts = _prep_objects(verb, ("with",), index) + [
                    k for c in verb.children if c.dep_ == "dobj" for k in _prep_objects(c, ("with",), index)]
                srcs, relation = subjects, "allied_with"
            elif any(c.dep_ == "dobj" and _own_pronoun(c) for c in verb.children):
                continue  # "X sent men to join the fight, among them his brigade": his own
            elif _proxy_subject(verb, index):
                relation = "allied_with"  # "X's forces joined Y": X fights beside Y, not inside it
        if srcs and tgts:
            yield _Cand(tuple(srcs), relation, tuple(tgts), qualifier, verb, "former" in rule.flags)


#: Objects of "join" that make it an idiom of alliance ("joined forces with", "joined hands").
_JOIN_IDIOMS = frozenset({"forces", "hands"})


def _joined_forces(verb) -> bool:
    return any(c.dep_ == "dobj" and c.lower_ in _JOIN_IDIOMS and not _own_pronoun(c)
               for c in verb.children)


def _own_pronoun(noun) -> bool:
    """Whether ``noun`` is owned by a pronoun ("his brigade", "their forces")."""
    return any(c.dep_ == "poss" and c.pos_ == "PRON" for c in noun.children)


def _organ_object(verb) -> bool:
    """Whether the object of a founding verb is an organ: its head noun is a unit noun
    (``relations_unit_nouns.tsv``: "a department known as Y", "the Y Ministry")."""
    units = lexicons.words("relations_unit_nouns")
    return any(c.dep_ == "dobj" and (c.lower_ in units or c.lemma_.lower() in units)
               for c in verb.children)


def _has_opponent(verb) -> bool:
    """Whether the verb names whom it is done to or against ("A, B and C were fighting
    against government forces"): then its coordinated subjects are one side, not each
    other's enemies. "each other" / "one another" keeps them opponents."""
    for child in verb.children:
        objs = [child] if child.dep_ == "dobj" else [
            p for p in child.children if p.dep_ == "pobj"] if child.dep_ == "prep" and \
            child.lower_ in ("against", "with", "alongside", "on", "beside") else []
        if any(o.lower_ not in ("other", "another") for o in objs):
            return True
    return False


def _examples(tok, index: MentionIndex) -> list[str]:
    """Actors given as examples anywhere in ``tok``'s phrase ("such as A, B", "including C")."""
    out: list[str] = []
    for t in tok.subtree:
        if t.dep_ == "prep" and (t.lower_ == "including" or (
                t.lower_ == "as" and t.i > 0 and t.doc[t.i - 1].lower_ == "such")):
            out += [k for p in t.children if p.dep_ == "pobj" for k in _np_actors(p, index)]
    return list(dict.fromkeys(out))


def _proxy_subject(verb, index: MentionIndex) -> bool:
    """Whether the subject is a proxy noun ("X's forces", "X fighters") rather than a name."""
    for child in verb.children:
        if child.dep_ == "nsubj":
            if child.i in getattr(index, "extra", {}):
                return False  # "he", resolved to a name
            return not index.key_of(child) and bool(_np_actors(child, index))
    return False


def _noun_cands(noun, index: MentionIndex) -> Iterator[_Cand]:
    """Relations stated by a noun and the verb that carries it."""
    lemma = noun.lemma_.lower()
    comp = " ".join(c.lower_ for c in noun.lefts if c.dep_ == "compound" and not index.key_of(c))
    rules = _noun_rules()
    rule = (comp and rules.get(f"{comp} {noun.lower_}")) or rules.get(noun.lower_) or rules.get(lemma)
    tie = noun.lower_ in lexicons.words("relations_tie_nouns")
    ceased = _ceased(noun)
    if rule is None and not (tie and ceased):
        return
    relation, qualifier, of_role = rule if rule else ("allied_with", None, "-")
    if _negated(noun) or _hypothetical(noun):
        return
    if relation == "allied_with" and _kinship(noun):
        return  # "cultural and ethnic ties with Y": kinship, not an alliance
    qualifier = _qualifier(noun, qualifier) if relation == "supports" else qualifier
    srcs = possessor_actors(noun, index) + _prep_objects(noun, ("from", "by"), index)
    srcs += [index.key_of(c) for c in noun.children
             if c.dep_ in ("amod", "compound", "nmod") and index.key_of(c)]
    tgts = _prep_objects(noun, _TARGET_PREPS, index)
    if of_role == "src":
        srcs += _prep_objects(noun, ("of",), index)
    elif of_role == "tgt":
        tgts += _prep_objects(noun, ("of",), index)
    parties = _prep_objects(noun, ("between", "among"), index)
    if of_role == "both":
        parties += _prep_objects(noun, ("of",), index)
        # "A-B rivalry over Z": what the parties dispute is not a party
        disputed = _prep_objects(noun, ("over",), index)
        tgts = [t for t in tgts if t not in disputed]
    with_objs = _prep_objects(noun, ("with",), index)
    if not with_objs and not tgts and any(c.dep_ == "prep" and c.lower_ in ("with", *_TARGET_PREPS)
                                          for c in noun.children):
        # "links with a figure in world politics: Y" — the name the parser hangs on the
        # relation noun spells out its object.
        with_objs = [k for c in noun.children if c.dep_ == "appos" and c.i > noun.i
                     for k in _np_actors(c, index)]
        if relation not in SYMMETRIC_RELATIONS:
            tgts, with_objs = with_objs, []

    head = noun
    while head.dep_ == "conj" and head.head.i != head.i:
        head = head.head  # "military support from X and financial support from Y"
    if noun is not head and head.dep_ == "pobj" and head.head.head.pos_ == "VERB":
        # "received military support from X and financial support from Y": the parser hangs
        # the second noun on X; it is coordinated with the verb's object.
        first = [c for c in head.head.head.children if c.dep_ == "dobj" and c.lemma_ == noun.lemma_]
        if first:
            head = first[0]
    if (head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.lower_ in _QUANTITY_HEADS
            and head.head.head.dep_ in ("dobj", "nsubjpass", "attr", "pobj", "nsubj")):
        head = head.head.head  # "survived dozens of attempts": the verb governs the quantity
    gov = head.head if head.dep_ in ("dobj", "nsubjpass", "attr", "pobj", "nsubj") else None
    prep = None
    if gov is not None and gov.dep_ == "prep" and head.dep_ == "pobj":
        prep, gov = gov, gov.head
    light = _light_verbs().get(gov.lemma_.lower()) if gov is not None and prep is None else None
    if prep is not None and prep.lower_ == "under" and of_role == "tgt":
        # "Y came under the control of X", "areas under the control of X": under it, the
        # of-phrase names the holder, not the one held; only a verb of being or coming
        # under makes its subject the one held.
        of_objs = _prep_objects(noun, ("of",), index)
        tgts = [t for t in tgts if t not in of_objs]
        if gov.pos_ not in ("VERB", "AUX") or gov.lemma_.lower() in _UNDER_VERBS:
            srcs += of_objs
    if gov is not None and gov.pos_ in ("VERB", "AUX") and light:
        if _negated(gov):
            return
        if light == "target":
            tgts = _gram_subject(gov, index) + tgts
            froms = [c for c in gov.children if c.dep_ in ("prep", "agent") and c.lower_ in ("from", "by")]
            after = [p for p in froms if p.i > noun.i]
            if len(froms) > 1 and after:
                # "received military support from X and financial support from Y": each noun
                # takes the from-phrase that follows it.
                prep_tok = min(after, key=lambda p: p.i)
                srcs += [k for p in prep_tok.children if p.dep_ == "pobj" for k in _np_actors(p, index)]
            else:
                srcs += _prep_objects(gov, ("from", "by"), index)
        elif head.dep_ == "nsubjpass":  # "training was provided by X"
            srcs += _prep_objects(gov, ("by",), index)
            tgts += _prep_objects(gov, _TARGET_PREPS, index)
        else:
            srcs = _gram_subject(gov, index) + srcs
            tgts += _prep_objects(gov, _TARGET_PREPS, index) + _deps(gov, ("dative",), index)
            if relation in SYMMETRIC_RELATIONS:
                tgts += with_objs + _prep_objects(gov, ("with",), index)
    elif prep is not None and prep.lower_ in ("with", "without", "under") and gov.pos_ in ("VERB", "AUX"):
        if prep.lower_ == "without":
            return
        # "With the support of X, Y took …", "Under the command of X, Y …": Y is the target.
        # A subjectless "as"-clause ("As Kabul was under X's control, he …") is about its
        # own (non-actor) topic, not the main clause's subject.
        headless = gov.dep_ == "advcl" and not any(c.dep_ in _SUBJ_DEPS for c in gov.children)
        if relation in ("supports", "leads", "controls", "recognizes") and not headless:
            tgts += _gram_subject(gov, index)
        elif prep.lower_ == "under" and relation in ("fights", "hostile_to"):
            tgts += _gram_subject(gov, index)  # "Y came under attack by X"
        elif prep.lower_ == "with" and relation in ("allied_with", "hostile_to") and tgts \
                and not srcs and gov.dep_ == "acl":
            # "X is a group formed in 1991 with strong ties to Y": the ties are the group's.
            srcs = _described(gov.head, index)
    elif ceased and gov is not None:
        srcs = srcs or _gram_subject(gov, index)
        tgts += with_objs + _prep_objects(gov, (*_TARGET_PREPS, "with", "from"), index)
    else:
        if relation in SYMMETRIC_RELATIONS:
            tgts += with_objs
        if not srcs and (parties or tgts) and len(parties) < 2 and not _time_reference(head):
            # "X created Y in opposition to Z", "X was responsible for the support to Y".
            # Not "X cited no crimes until the assassination of Z" (a point in time) nor
            # "fighting between A and B" (the parties are named), nor "X sent advisers to
            # assist in their fight against Z" (X helps the fighters).
            verb = clause_verb(noun)
            if verb is not None and _light_verbs().get(verb.lemma_.lower()) != "target" \
                    and not _helps(verb, relation):
                srcs = _gram_subject(verb, index)
    if ceased:
        if relation not in ("supports", "recognizes") and not tie:
            return
        relation = "ceased_support"
        qualifier = "diplomatic" if tie else qualifier
        tgts += with_objs
    srcs = list(dict.fromkeys(srcs))
    tgts = list(dict.fromkeys(tgts))
    if relation in SYMMETRIC_RELATIONS and len(parties) > 1 and not srcs:
        for a, b in combinations(parties, 2):
            yield _Cand((a,), relation, (b,), qualifier, noun)
        return
    if relation in SYMMETRIC_RELATIONS and parties:
        tgts += parties
    if srcs and tgts:
        yield _Cand(tuple(srcs), relation, tuple(tgts), qualifier, noun)


#: Verbs whose subject is what comes to be "under the control of X".
_UNDER_VERBS = frozenset({"be", "come", "fall", "remain", "stay", "pass", "bring", "place", "put",
                          "keep", "return"})

#: Prepositions whose object is a point in time ("until the assassination of X").
_TIME_PREPS = frozenset({"after", "before", "until", "till", "since", "following", "during",
                         "upon", "amid", "amidst", "prior"})


def _time_reference(noun) -> bool:
    """Whether ``noun`` is the object of a temporal preposition (it dates, it is not done)."""
    return noun.dep_ == "pobj" and noun.head.lower_ in _TIME_PREPS


def _helps(verb, relation: str) -> bool:
    """Whether ``verb`` is a verb of helping (a ``supports`` verb) carrying a noun of
    another relation: "X assisted in their fight against Y" — X helps, others fight."""
    return relation != "supports" and any(
        r.relation == "supports" for r in _verb_lemma_rules(verb))


def _kinship(noun) -> bool:
    """Whether every modifier kind of a tie noun is kinship or affinity
    (``relations_kinship_modifiers.tsv``): "strong cultural and ethnic ties"."""
    kin = lexicons.words("relations_kinship_modifiers")
    mods = [t for c in noun.children if c.dep_ in ("amod", "compound")
            for t in (c, *_conjuncts(c)) if t.lower_ not in _INTENSITY]
    return bool(mods) and all(t.lower_ in kin for t in mods)


#: Degree words that say how strong a tie is, not what kind it is.
_INTENSITY = frozenset({"strong", "close", "deep", "longstanding", "long-standing", "old",
                        "extensive", "good", "warm", "closer", "stronger", "deeper"})


def _anti_actors(tok, index: MentionIndex) -> list[str]:
    """Actors in an "anti-X" modifier of ``tok`` ("an anti-Taliban leader")."""
    text = doc_text(tok.doc)
    out = []
    stance = getattr(index, "stance", index)
    for child in tok.children:
        key = stance.key_of(child) or index.key_of(child)
        before = text[max(0, child.idx - 6):child.idx]
        if key and child.i < tok.i and re.search(r"\banti[- ]?$", before, re.I):
            out.append(key)
    return out


def _anti_cands(tok, index: MentionIndex) -> Iterator[_Cand]:
    """hostile_to from "the anti-X Y" where Y is itself an actor name."""
    key = index.key_of(tok)
    if not key or (tok.head.i != tok.i and index.key_of(tok.head) == key):
        return
    anti = [a for a in _anti_actors(tok, index) if a != key]
    if anti:
        yield _Cand((key,), "hostile_to", tuple(anti), None, tok)


def _appos_unit_cands(tok, index: MentionIndex) -> Iterator[_Cand]:
    """part_of from a name in apposition to an owned unit noun.

    "One X hit-squad, Y, …", "the 3rd brigade of X, Y": Y is the unit, part of X.
    """
    head = tok.head
    if tok.dep_ != "appos" or head.i == tok.i or index.key_of(head):
        return
    if head.lemma_.lower() not in lexicons.words("relations_unit_nouns") and \
            head.lower_ not in lexicons.words("relations_unit_nouns"):
        return
    key = index.key_of(tok)
    owners = [index.key_of(c) for c in head.children
              if c.dep_ in ("compound", "amod", "nmod") and index.key_of(c)]
    owners += possessor_actors(head, index) + _prep_objects(head, ("of",), index)
    owners = [o for o in dict.fromkeys(owners) if o != key]
    if owners:
        yield _Cand((key,), "part_of", tuple(owners), None, tok)


def _unit_cands(tok, index: MentionIndex) -> Iterator[_Cand]:
    """Relations from owning an actor.

    A unit owned by another actor is part of it ("X Army's 5th Division", "the 7th Brigade
    of X", "X deployed its 5th Division"); an organisation owned by a person is led by them
    ("Hekmatyar's Hezb-i Islami", "the Y forces of Z", "X and his Y militia").
    """
    key = index.key_of(tok)
    mention = index.at(tok.idx)
    # Only the syntactic head of the mention speaks for it.
    if mention is None or (tok.head.i != tok.i and mention.start <= tok.head.idx < mention.end):
        return
    units = lexicons.words("relations_unit_nouns")
    words = mention.text.lower().split()
    is_unit = bool(words) and (words[-1] in units or tok.lower_ in units)
    # "the Hezb-i Wahdat forces of Mazari": the name modifies a proxy head that is owned.
    holder = tok.head if tok.dep_ == "compound" and not index.key_of(tok.head) else tok
    if holder is not tok and (tok.ent_type_ in ("NORP", "GPE") or _descriptor(tok, key)):
        return  # "the Tajik forces of X" are X's forces, not X's people
    owners: list[tuple[str, object]] = []
    first = holder
    while first.dep_ == "conj" and first.head.i != first.i:
        first = first.head
    if is_unit and holder is tok and first.i != tok.i and first.dep_ == "dobj" and any(
            c.dep_ == "poss" and c.lower_ in ("its", "their") for c in first.children):
        # "X deployed its 5th Division and the Y Corps": the coordination shares the owner.
        owners += [(k, first) for k in _gram_subject(first.head, index)]
    if is_unit and holder is tok:
        # "X Army's 4th Army Squadron": the parser hangs the possessor on a word inside.
        inner = [t for t in tok.subtree if mention.start <= t.idx < mention.end and t.i != tok.i]
        owners += [(index.key_of(c), c) for t in inner for c in t.children
                   if c.dep_ == "poss" and index.key_of(c) and not mention.start <= c.idx < mention.end]
    for child in holder.children:
        if child.dep_ == "poss":
            owners += [(index.key_of(child), child)] if index.key_of(child) else []
            if child.lower_ in ("its", "their") and holder.dep_ == "dobj" and is_unit:
                owners += [(k, child) for k in _gram_subject(holder.head, index)]
            if child.lower_ in ("his", "her") and holder.dep_ == "conj" and index.key_of(holder.head):
                owners.append((index.key_of(holder.head), child))  # "X and his Y"
        elif child.dep_ == "prep" and child.lower_ == "of":
            owners += [(index.key_of(p), p) for p in child.children if p.dep_ == "pobj" and index.key_of(p)]
    seen = set()
    for owner, otok in owners:
        if owner == key or owner in seen:
            continue
        seen.add(owner)
        if otok.ent_type_ == "PERSON" or otok.lower_ in ("his", "her"):
            yield _Cand((owner,), "leads", (key,), None, tok)  # a person's unit is led by them
        elif is_unit and holder is tok:
            yield _Cand((key,), "part_of", (owner,), None, tok)
