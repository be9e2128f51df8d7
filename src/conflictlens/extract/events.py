"""Events: who did what to whom, where and when, one event per trigger word.

A *trigger* is a verb or a nominalisation of the trigger lexicon (``events_triggers.tsv``:
"captured", "the conquest of", "an offensive against") that announces an event type
(``records.EVENT_TYPES``). For each trigger in a sentence the dependency parse gives:

- **agents** — the subject of an active verb, the ``by`` phrase of a passive, the
  possessor or the name-modifier of a nominalisation ("the Taliban's conquest",
  "the Soviet withdrawal", "a U.S. drone strike"); a relative pronoun, a conjoined verb,
  a control verb ("planned to attack") or a participle clause ("after taking X, the Y …")
  inherits its subject from the clause it hangs on (from its ``by`` agent when that clause
  is passive with common-noun victims as subject: "upon taking X, civilians were executed
  by Y"); "he/she/they" fall back on the actor
  last named as a subject in the same sentence or the previous one of the paragraph.
- **targets** — the direct object, the passive subject, the ``of`` object of a
  nominalisation ("the assassination of X"), and the prepositions of ``events_roles.tsv``
  ("against X", "clashed with X", "fighting between X and Y").
- **place** — a place name (GPE/LOC/FAC entity, or a proper noun no actor mention covers)
  that is the object of a CAPTURE/ATTACK-like trigger ("captured Mazar-i-Sharif"),
  else the object of a locative preposition ("in/at/near/into X"), else the place name of
  the sentence nearest the trigger that is not an actor mention. Hyphen-joined pieces
  ("Mazar - i - Sharif") are put back together.
- **time** — the time expression of the trigger's clause (a semicolon ends one) attached
  to the trigger in the parse, else the nearest; a sentence with none continues the
  narrative (``time.Narrative``: its paragraph, its section, or in the lead the
  document's period).
- **fatalities** — a number counted with the victims of the trigger ("executed
  approximately 4,000 civilians") or of a killing verb inside it ("an attack in which more
  than 200 people died"), with who the victims were (``events_victims.tsv``).
- **status** — happened, or failed / alleged / denied from governing verbs and adverbs
  (``events_status.tsv``). What did not happen makes no event: a negated one ("did not
  fight"), a refused one, and a planned one — under a modal, a verb of planning, hoping,
  demanding or agreeing ("agreed that X would capture Y"), or "future"/"possible"; the
  future in the past of a narrative ("would go on to become", "would later") happened.
- **references** — an event only referred to gets the status ``reference``, its own date
  (or none) and its own place (or none): a noun after a background preposition ("after
  the fall of X", "from the conquest in 1996 until …"), on a noun that is no event ("the
  resistance against the invasion"), under a verb of referring ("referring to the
  offensive"), a definite noun with nothing of its own ("the fighting"), "those killed in
  X", a clause under "before/until/since". ``resolve.merge_events`` adds it to the event
  it refers to, keeps it when it is dated in its own words, and drops it otherwise.

Verbs that also name a lasting relation (flag ``lasting``: "fight", "arm", "assist") make
no event as a purpose infinitive ("sent men to fight X"), a noun's participle ("men
fighting X"), a bare participle adjunct ("lost an eye fighting X"), a progressive ("was
assisting X") or with a whole war as object ("fought the war"): those are relations.

One happening told by several triggers of a sentence is one event: the toll of an attack
in a relative clause ("the attacks, which killed 3,000 people"), the means ("seized power
by overthrowing …"), conjoined verbs with one undergoer ("were captured and killed": the
last verb names it), attacks and battles at one place and time ("shelled X but were
defeated": a BATTLE), and a killing with the strike that caused it.

A noun trigger that is the object of another trigger ("killed in a drone strike", "signed
an agreement") adds its participants to that event instead of making a second one, and so
does a verb trigger conjoined to one of the same type ("armed, financed and supplied").
An event needs at least an actor or a place; sentences naming neither are skipped as
generic. A KILL counting ten or more civilians, or any execution of ten or more, is a
MASSACRE.

Event codes follow PLOVER (Halterman et al. 2023) and CAMEO (Gerner, Schrodt et al. 2002);
see :func:`event_codes` and ``events_codes.tsv``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .. import lexicons
from ..records import Document, Event, Mention, TimeExpr, sentence_evidence
from . import event_place, event_status, report
from .actors import citation_spans
from .arguments import MentionIndex, actors_of, possessor_actors
from .event_status import CARRIER_VERBS
from .event_tellings import (
    BACKGROUND_PREPS,
    CHARACTERISING_VERBS,
    OBJ_DEPS,
    PARTITIVES,
    SUBJ_DEPS,
    absorbing_host,
    back_reference,
    clause_verb,
    consequence_host,
    counted_by,
    extend,
    host_verb,
    one_fight,
    shared_undergoer_host,
)
from .figures import apparatus_spans, parse_quantity
from .owners import owner_actors
from .time import Narrative

_RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
_PERSONAL_PRONOUNS = frozenset({"he", "she", "they"})
#: Verbs of dying whose counted victims give an attack or battle its fatalities.
_DEATH_LEMMAS = frozenset({"kill", "die", "execute", "massacre", "slaughter", "murder",
                           "perish", "shoot"})
_MASSACRE_MIN = 10  # mass killing: ten or more dead in one event (a common coding floor)
#: "under the command of X": nouns whose "of" object led the deed.
_COMMAND_NOUNS = frozenset({"command", "supervision", "order", "orders", "leadership",
                            "direction", "commander"})
#: Objects that make "fight" a lasting part in a whole conflict: "fought the war".
_WHOLE_WARS = frozenset({"war", "conflict", "insurgency", "jihad", "struggle"})
#: Verbs whose subject did not do the event named by their object: "X denied the death of
#: Y", "X condemned the attack", "Kabul witnessed heavy shelling", "X diverted assaults".
_NON_AGENT_VERBS = frozenset({
    "deny", "condemn", "denounce", "criticize", "criticise", "protest", "witness", "see",
    "survive", "suffer", "undergo", "face", "fear", "prevent", "stop", "halt", "divert",
    "resist", "repel", "report", "investigate", "mourn", "remember", "commemorate",
    "describe", "oppose", "reject", "blame", "welcome", "support", "endorse", "praise",
    "escape", "avoid", "endure", "await", "expect", "predict", "mention", "cite",
    "document", "record", "confirm", "acknowledge", "admit", "refer", "recall", "lift",
    "end", "break", "thwart", "foil", "repulse"})
#: Statuses that mean nothing happened: a plan, a hope, an agreement on what is to be done
#: ("agreed that X would capture Y"), a refusal or a negation ("did not fight"). A KB of
#: what happened, and its timeline, has no place for them: no event is made.
_NO_EVENT = frozenset({"planned", "negated"})
#: Verbs whose subject withstood the attack named by their object: "X repelled the offensive".
_REPELLING_VERBS = frozenset({"repel", "repulse", "halt", "stop", "thwart", "resist", "foil",
                              "blunt", "withstand", "defeat", "break", "counter"})
#: Verbs and nouns of help: "supported by X", "with the help of X" name a supporter of the
#: event's side, never one of its agents or targets.
_HELP_VERBS = frozenset({"support", "back", "aid", "help", "assist", "sponsor", "arm", "fund",
                         "finance", "reinforce", "bolster", "supply", "equip", "train"})
_HELP_NOUNS = frozenset({"help", "support", "backing", "aid", "assistance", "sponsorship",
                         "cooperation", "participation", "collaboration", "reinforcement"})


# ---------------------------------------------------------------------------- lexicons

@dataclass(frozen=True)
class _Trigger:
    type: str
    flags: frozenset[str]
    kind: str | None  # requirement kind: obj | prep | prt | any
    words: frozenset[str]


@lru_cache(maxsize=1)
def _triggers() -> dict[tuple[str, str], tuple[_Trigger, ...]]:
    out: dict[tuple[str, str], list[_Trigger]] = {}
    for row in lexicons.rows("events_triggers"):
        lemma, pos, etype = row[0].lower(), row[1].upper(), row[2]
        flags = frozenset() if len(row) < 4 or row[3] == "-" else frozenset(row[3].split(","))
        kind, words = None, frozenset()
        if len(row) > 4 and row[4] != "-":
            kind, _, spec = row[4].partition(":")
            words = frozenset(w.lower() for w in spec.split("|"))
        out.setdefault((lemma, pos), []).append(_Trigger(etype, flags, kind, words))
    # A row with a requirement is the more specific reading: it is tried first.
    return {k: tuple(sorted(v, key=lambda t: t.kind is None)) for k, v in out.items()}


@lru_cache(maxsize=1)
def _roles() -> dict[tuple[str, str], str]:
    return {(r[0], r[1].lower()): r[2] for r in lexicons.rows("events_roles")}


@lru_cache(maxsize=1)
def _codes() -> dict[str, tuple[str, str | None, str]]:
    out = {}
    for r in lexicons.rows("events_codes"):
        plover = "" if r[1] == "-" else r[1]
        mode = None if r[2] == "-" else r[2]
        cameo = "" if r[3] == "-" else r[3]
        out[r[0]] = (plover, mode, cameo)
    return out


def event_codes(event_type: str) -> tuple[str, str | None, str]:
    """The PLOVER type, PLOVER mode and CAMEO root code of an event type.

    Args:
        event_type: one of ``records.EVENT_TYPES`` ("CAPTURE").

    Returns:
        ``(plover_type, plover_mode or None, cameo_root)``, e.g. ``("COERCE", "confiscate",
        "19")``; ``("", None, "")`` for types without an equivalent (ELECTION, OTHER).

    References:
        Halterman, Bagozzi, Beger, Schrodt & Scarborough (2023), "PLOVER and POLECAT: A New
        Political Event Ontology and Dataset"; the PLOVER CAMEO2PLOVER crosswalk (2021);
        Gerner, Schrodt, Yilmaz & Abu-Jabr (2002), "Conflict and Mediation Event
        Observations (CAMEO): A New Event Data Framework".
    """
    try:
        return _codes()[event_type]
    except KeyError:
        raise ValueError(f"unknown event type {event_type!r}; expected one of "
                         f"{', '.join(_codes())} (lexicon events_codes.tsv)") from None


# ---------------------------------------------------------------------------- context

class _Context:
    """What the rules need besides the token: mentions, times, the text."""

    def __init__(self, sdoc, document: Document, mentions: list[Mention],
                 times: list[TimeExpr]):
        self.sdoc = sdoc
        self.document = document
        self.index = MentionIndex(mentions)
        self.times = sorted((t for t in times if t.value), key=lambda t: (t.start, t.end))
        self.offices = lexicons.words("events_offices")
        self.place_nouns = lexicons.words("events_place_nouns")
        self.victims = lexicons.mapping("events_victims")
        self.citations = citation_spans(document.text)
        #: (actors, written with "the"?) named as subjects in the block so far, in order
        self.last_subjects: list[tuple[list[str], bool]] = []

    def in_time(self, token) -> bool:
        return any(t.start <= token.idx < t.end for t in self.times)


# ---------------------------------------------------------------------------- triggers

#: Head words of the name of an accord: "the Dayton Agreement", "the Oslo Accords".
_AGREEMENT_NAMES = frozenset({"agreement", "agreements", "accord", "accords", "treaty",
                              "armistice", "pact", "protocol", "ceasefire", "truce"})
_NAMED_AGREEMENT = _Trigger("AGREE", frozenset({"named"}), None, frozenset())


def _named_agreement(tok) -> bool:
    """Is ``tok`` the head of an accord's name ("the Washington Agreement of March 1994")?
    Such a name refers to the accord; it tells an event only with a date of its own."""
    return (tok.pos_ == "PROPN" and tok.dep_ != "compound" and tok.text[:1].isupper()
            and tok.lower_ in _AGREEMENT_NAMES
            and any(c.dep_ == "compound" and c.pos_ == "PROPN" for c in tok.children))


def _match(tok, ctx: _Context) -> _Trigger | None:
    """The trigger-lexicon entry ``tok`` realises, if its requirement holds."""
    if _named_agreement(tok):
        return _NAMED_AGREEMENT
    pos = "VERB" if tok.pos_ in ("VERB", "AUX") else "NOUN" if tok.pos_ == "NOUN" else None
    if pos is None:
        return None
    if pos == "VERB" and tok.dep_ in ("amod", "compound"):
        return None  # "armed groups", "the newly created state": attributes, not events
    entries = _triggers().get((tok.lemma_.lower(), pos)) or _triggers().get((tok.lower_, pos))
    if not entries and "-" in tok.text:
        # "re-entered", "re-took": the verb after its prefix (see nlp._prefixed_words).
        word = tok.lower_.split("-", 1)[1]  # the lemmatizer may mangle it: "counter-attacke"
        # the lemma may have lost the hyphen the word has ("Anglo-Dutch" → "anglo dutch")
        stem = tok.lemma_.lower().partition("-")[2] or word
        entries = _triggers().get((stem, pos)) or _triggers().get((_verb_lemma(stem), pos)) \
            or _triggers().get((_verb_lemma(word), pos))
    for entry in entries or ():
        if _requirement_holds(tok, entry, ctx):
            if "lasting" in entry.flags and _lasting_use(tok) \
                    and not _report_progressive(tok, ctx):
                return None
            return entry
    return None


#: What a side sends of its own: moved to a place, they are deployed, not given.
_OWN_FORCES = frozenset({"troop", "troops", "force", "forces", "soldier", "soldiers", "army",
                         "unit", "units", "division", "brigade", "battalion", "fighter",
                         "fighters"})


def _deployment(verb, targets: list[str], ctx: _Context) -> bool:
    """"sent forces to the northern border", "sent soldiers to fight X": troops moved to a
    place or into battle, not aid given to an actor (compare "sent troops to Serbia")."""
    if targets or verb.pos_ not in ("VERB", "AUX") or not any(
            c.dep_ == "dobj" and c.lemma_.lower() in _OWN_FORCES for c in verb.children):
        return False  # reinforcements, arms, aid sent anywhere help someone
    dests = [o for c in verb.children if c.dep_ in ("prep", "dative") and c.lower_ == "to"
             for o in c.children if o.dep_ == "pobj"]
    # no one named to receive them: "sent soldiers to fight X" is waging war, not aid
    return not any(actors_of(o, ctx.index) for o in dests)


def _standing_aid(tok, entry: _Trigger, sent, ctx: _Context) -> bool:
    """Support told with no time of its own is a lasting relation, not one dated event:
    "Iran supplied military aid to the Front", "X provided strong support to Y" (the
    relation extractor's ``supports``), unlike "In late 2000, X's aircraft assisted Y"."""
    if "lasting" not in entry.flags:
        return False
    lo, hi = _stretch(sent, tok.idx, ctx.document.text)
    if any(lo <= t.start and t.end <= hi for t in ctx.times):
        return False
    # a dated report's "X has funded Y": done in the report's present, one dated deed
    return report.present_time(tok, _narrative(ctx).dct) is None


def _lasting_use(verb) -> bool:
    """Is a verb that also names a lasting relation ("fight", "arm", "assist") used here for
    that relation rather than for one dated happening?

    - a purpose infinitive: "sent soldiers to fight against X", "joined the front to fight
      X" — unless its verb only carries it ("began to fight", "led 2,000 men to fight X");
    - a participle describing a noun: "28,000 men fighting inside X", "a militia armed and
      financed by X";
    - a progressive: "X was assisting Y" tells what went on for a while.

    Such uses are the relation extractor's (fights, supports), not events.
    """
    if any(c.dep_ == "dobj" and c.lemma_.lower() in _WHOLE_WARS for c in verb.children):
        return True  # "fought the war": taking part in it, not one battle
    node = verb
    for _ in range(3):  # "armed, financed and instructed": the conjuncts share the form
        if node.dep_ != "conj" or node.head.pos_ not in ("VERB", "AUX"):
            break
        node = node.head
    kids = list(node.children)
    if node.dep_ == "xcomp" and node.head.lemma_.lower() in ("continue", "keep"):
        return True  # "continued to fight X", "kept arming Y": it went on, a relation
    if node.tag_ == "VB" and any(c.dep_ == "aux" and c.tag_ == "TO" for c in kids):
        host = node.head
        return node.dep_ in ("advcl", "xcomp", "acl", "relcl") and host.i != node.i \
            and host.lemma_.lower() not in CARRIER_VERBS
    if node.tag_ in ("VBG", "VBN") and not any(c.dep_ in ("aux", "auxpass") for c in kids):
        # "acl": a noun's participle; "pcomp" with a subject: the same, misparsed
        # ("came under attack by X's militia armed by Y"); a bare participle adjunct
        # tells the circumstance of another deed ("lost an eye fighting X"), unlike one
        # with a subordinator ("was destroyed while fighting X")
        return node.dep_ == "acl" or (node.dep_ == "pcomp" and any(
            c.dep_ in SUBJ_DEPS for c in kids)) or (
            node.dep_ == "advcl" and node.tag_ == "VBG"
            and not any(c.dep_ == "mark" for c in kids))
    return node.tag_ == "VBG" and any(c.dep_ == "aux" and c.lemma_ == "be" for c in kids)


def _report_progressive(verb, ctx: _Context) -> bool:
    """"Portugal is financing the stations" in a dated report: the present progressive
    tells what is being done in the report's period, one dated deed, unlike a past "was
    arming" that tells a lasting tie."""
    if verb.tag_ != "VBG" or not any(c.dep_ == "aux" and c.lemma_ == "be" and
                                     c.tag_ in ("VBZ", "VBP") for c in verb.children):
        return False
    return report.present_time(verb, _narrative(ctx).dct) is not None


def _verb_lemma(word: str) -> str:
    """A crude base form for a prefixed verb the lemmatizer did not know: "entered" → "enter"."""
    for suffix, repl in (("ied", "y"), ("ed", ""), ("ing", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + repl
    return word


def _requirement_holds(tok, entry: _Trigger, ctx: _Context) -> bool:
    if entry.kind is None:
        return True
    kids = list(tok.children)
    if entry.kind == "prep":
        return any(c.dep_ in ("prep", "agent", "dative") and c.lower_ in entry.words
                   for c in kids)
    if entry.kind == "from":
        return any(o.lemma_.lower() in entry.words for o in prep_objects(tok, "from"))
    if entry.kind == "prt":
        # The parser tags "pulled out of" particles as prepositions or adverbs too.
        return any(c.dep_ in ("prt", "prep", "advmod") and c.lower_ in entry.words
                   for c in kids)
    if entry.kind == "any":
        # "shot dead X" may hang "dead" on the object: look one level down as well.
        return any(c.lower_ in entry.words or any(g.lower_ in entry.words for g in c.children)
                   for c in kids)
    objs = [c for c in kids if c.dep_ in OBJ_DEPS]
    if tok.pos_ != "NOUN":
        objs += [c for c in kids if c.dep_ == "nsubjpass"]
        if not objs and tok.dep_ == "conj" and tok.head.pos_ in ("VERB", "AUX") \
                and not any(c.dep_ in SUBJ_DEPS for c in kids):
            # "the accord was initialled … and signed in Paris": the object is shared
            objs = [c for c in tok.head.children if c.dep_ in OBJ_DEPS + ("nsubjpass",)]
    for obj in objs:
        if "*" in entry.words or obj.lemma_.lower() in entry.words or obj.lower_ in entry.words:
            return True
        if any(c.dep_ == "compound" and c.lemma_.lower() in entry.words for c in obj.children):
            return True  # "provided teacher training initiatives", "sent aid convoys"
        if "@place" in entry.words and event_place.is_place(obj, ctx, allow_mention=False):
            return True
        if "@operation" in entry.words and any(
                t.lower_ == "operation" and t.text[:1].isupper() for t in obj.subtree
                if t.i <= obj.i):
            return True  # "launched Operation Deliberate Force"
        if "@office" in entry.words and any(
                t.lemma_.lower() in ctx.offices for t in obj.subtree if t.i <= obj.i):
            return True
    return False


# ---------------------------------------------------------------------------- arguments

def subject(verb, depth: int = 0):
    """``(subject token or None, passive?)`` of ``verb``, inherited along the clause."""
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)
    if depth > 4:
        return None, passive
    # a nominal subject first: "To ensure X, Y signed Z" parses the purpose as a csubj too
    for c in sorted(verb.children, key=lambda c: c.dep_ == "csubj"):
        if c.dep_ in SUBJ_DEPS:
            if c.lower_ in _RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                return verb.head, passive
            return c, passive
    head = verb.head
    if head.i == verb.i:
        return None, passive
    vbn = verb.tag_ == "VBN"
    if verb.dep_ == "conj" and head.pos_ in ("VERB", "AUX"):
        subj, head_passive = subject(head, depth + 1)
        return subj, passive or (vbn and head_passive)
    if verb.dep_ == "acomp" and head.lemma_ == "be":
        subj, _ = subject(head, depth + 1)
        return subj, vbn  # "were trapped and killed": a passive parsed as be + adjective
    if verb.dep_ == "xcomp" and head.pos_ in ("VERB", "AUX"):
        subj, _ = subject(head, depth + 1)  # controller: "X planned to attack"
        return subj, passive
    if verb.dep_ == "advcl" and head.pos_ in ("VERB", "AUX"):
        return _participle_controller(head, depth), passive
    if verb.dep_ == "pcomp" and verb.tag_ == "VBG" and head.head.i != head.i:
        return _participle_controller(head.head, depth), passive  # "after taking X, the Y …"
    return _subject_of_modifier(verb, head, passive, vbn, depth)


def _participle_controller(main, depth: int):
    """Who does the action of a participle clause hung on ``main``: its subject, or, when
    ``main`` is passive with common-noun victims as subject and a ``by`` agent, that agent
    ("Upon taking the town, 300 civilians were executed by the militia")."""
    subj, main_passive = subject(main, depth + 1)
    if main_passive and subj is not None and not any(t.pos_ == "PROPN" for t in subj.subtree):
        for c in main.children:
            if c.dep_ == "agent":
                objs = [o for o in c.children if o.dep_ == "pobj"]
                if objs:
                    return objs[0]
    return subj


def _subject_of_modifier(verb, head, passive: bool, vbn: bool, depth: int):
    """The subject of a verb that modifies a noun (see :func:`subject`)."""
    if verb.dep_ in ("acl", "relcl") and head.pos_ in ("NOUN", "PROPN", "PRON"):
        if head.dep_ == "attr" and head.head.lemma_ == "be":
            subj, _ = subject(head.head, depth + 1)  # "X is a group formed in 1991"
            if subj is not None:
                return subj, passive or vbn
        return head, passive or vbn  # "the prisoners executed by X", "forces attacking Y"
    return None, passive


def _actors(token, ctx: _Context) -> list[str]:
    """Actors named by a phrase (see :func:`actors_of`), with three fallbacks.

    - a partitive names its "of" object: "most of X's commanders", "thousands of X";
    - a name the parser hung off the head as ``nmod``/``appos``/``conj`` still counts:
      "the Taliban and Hezb-e Islami" mis-parsed with "Taliban" as a modifier;
    - he/she/they: see :func:`_pronoun_actors`.
    """
    if token is None:
        return []
    keys = actors_of(token, ctx.index)
    if keys:
        # "Rabbani, Hekmatyar, Massoud and their troops": a list the parser broke, its
        # second name hung on the first as an adverbial
        for c in token.children:
            if c.dep_ == "npadvmod" and c.pos_ == "PROPN":
                extend(keys, actors_of(c, ctx.index))
        return keys
    if token.lemma_.lower() in PARTITIVES or token.like_num:
        for pobj in prep_objects(token, "of"):
            keys = _actors(pobj, ctx)
            if keys:
                return keys
    for t in token.subtree:
        if t.dep_ in ("nmod", "appos", "conj") and t.head.i in {x.i for x in token.subtree}:
            extend(keys, actors_of(t, ctx.index))
    # "commanders such as X", "militias including X": the examples name the actors.
    for c in token.children:
        if c.dep_ == "prep" and (c.lower_ == "including" or (
                c.lower_ == "as" and c.i > 0 and c.doc[c.i - 1].lower_ == "such")):
            for pobj in c.children:
                if pobj.dep_ == "pobj":
                    extend(keys, actors_of(pobj, ctx.index))
    if not keys and token.lower_ in _PERSONAL_PRONOUNS:
        keys = _pronoun_actors(token, ctx)
    return keys


def _definite(token) -> bool:
    """Is the name preceded by "the"? Persons' names never are ("the Taliban", "the UN")."""
    doc = token.doc
    start = token.left_edge.i
    return doc[start].lower_ == "the" or (token.i > 0 and doc[token.i - 1].lower_ == "the")


def _pronoun_actors(pron, ctx: _Context) -> list[str]:
    """The actors "he/she/they" most likely stands for: the nearest actor named as a
    subject before it, in its sentence or the previous ones of its block; "he"/"she"
    skip names written with "the" (groups and states, not persons)."""
    cands: list[tuple[list[str], bool]] = []
    for t in pron.sent:
        if t.i >= pron.i:
            break
        if t.dep_ in ("nsubj", "nsubjpass"):
            if t.lower_ in ("who", "whom") and t.head.dep_ == "relcl":
                t = t.head.head  # "bin Laden, who … until he was killed": the antecedent
            keys = actors_of(t, ctx.index)
            if keys:
                cands.append((keys, _not_person(t)))
    cands = list(reversed(cands)) + list(reversed(ctx.last_subjects))
    for keys, definite in cands:
        if pron.lower_ == "they" or not definite:
            return list(keys)
    return []


def _not_person(tok) -> bool:
    """Is the subject ``tok`` named as a group or state ("the coalition", "NATO")? "he" and
    "she" do not stand for it."""
    # the small tagger often calls a person's name GPE or ORG: only an acronym ("NATO",
    # "KLA") is sure to be a group
    return _definite(tok) or (tok.is_upper and len(tok.text) > 1 and tok.is_alpha)


def _modifier_actors(tok, ctx: _Context) -> list[str]:
    """Actors named in front of a nominalisation: "the Soviet withdrawal", "U.S. strike"."""
    out = []
    for c in tok.children:
        if c.dep_ in ("compound", "amod", "nmod") and c.i < tok.i:
            key = ctx.index.key_of(c)
            if key and key not in out:
                out.append(key)
    return out


def prep_objects(tok, prep: str):
    for c in tok.children:
        if c.dep_ in ("prep", "agent", "dative") and c.lower_ == prep:
            for pobj in c.children:
                if pobj.dep_ == "pobj":
                    yield pobj


def _role_actors(tok, etype: str, ctx: _Context, agents: list[str], targets: list[str]):
    """Add the participants named by the prepositions of ``events_roles.tsv``."""
    roles = _roles()
    for c in tok.children:
        if c.dep_ not in ("prep", "agent", "dative"):
            continue
        role = roles.get((etype, c.lower_)) or roles.get(("*", c.lower_))
        if not role or role == "none":
            continue
        for pobj in c.children:
            if pobj.dep_ != "pobj" or pobj.lemma_.lower() in _HELP_NOUNS:
                continue  # "fought with the help of X": X is no participant
            keys = _actors(pobj, ctx)
            if role == "agent":
                extend(agents, keys)
            elif role == "target":
                extend(targets, keys)
            elif keys:  # both: "between X and Y"
                extend(agents if not agents else targets, keys[:1])
                extend(targets, keys[1:])


def _commander_actors(verb, ctx: _Context, agents: list[str]) -> None:
    """"executed under the supervision of X", "under the command of X, the Y attacked":
    who ordered or led the deed is one of its agents."""
    for c in verb.children:
        if c.dep_ != "prep" or c.lower_ != "under":
            continue
        for pobj in c.children:
            if pobj.dep_ == "pobj" and pobj.lemma_.lower() in _COMMAND_NOUNS:
                for who in prep_objects(pobj, "of"):
                    extend(agents, _actors(who, ctx))


def _target_of(noun):
    """The subject of "X was the target/victim of <event>", else None."""
    of = noun.head
    if noun.dep_ != "pobj" or of.lower_ != "of" or of.head.lemma_.lower() not in (
            "target", "victim", "object"):
        return None
    role = of.head
    if role.dep_ == "attr" and role.head.lemma_ == "be":
        return next((c for c in role.head.children if c.dep_ in SUBJ_DEPS), None)
    return None


def _arguments(tok, entry: _Trigger, ctx: _Context) -> tuple[list[str], list[str], object]:
    """``(agents, targets, undergoer token)`` of a trigger."""
    agents: list[str] = []
    targets: list[str] = []
    undergoer = None
    etype = entry.type
    if tok.pos_ in ("VERB", "AUX"):
        subj, passive = subject(tok)
        objs = [c for c in tok.children if c.dep_ in ("dobj",)]
        if "unacc" in entry.flags:
            undergoer = subj
            extend(targets, _actors(subj, ctx))
            for pobj in prep_objects(tok, "to"):
                extend(agents, _actors(pobj, ctx))
        elif passive:
            undergoer = subj
            # "troops were evacuated": whoever leaves is the withdrawing side.
            if subj is not None and subj.pos_ == "NOUN" and any(
                    c.dep_ == "prep" and c.lower_ == "between" for c in subj.children):
                # "all ties between X and Y were severed": the subject's phrase names them
                _role_actors(subj, etype, ctx, agents, targets)
            else:
                extend(agents if etype == "WITHDRAW" else targets,
                        _actors(subj, ctx) or owner_actors(subj, ctx.index))
        else:
            extend(agents, _actors(subj, ctx))
            for c in (subj.children if subj is not None else ()):
                if c.dep_ == "prep" and c.lower_ == "under":
                    # "the army under General X captured Y": X led it
                    for pobj in c.children:
                        if pobj.dep_ == "pobj" and pobj.ent_type_ == "PERSON":
                            extend(agents, _actors(pobj, ctx))
            if objs:
                undergoer = objs[0]
                for o in objs:
                    extend(targets, _actors(o, ctx) or owner_actors(o, ctx.index))
                    if etype == "BATTLE" and _match(o, ctx) is not None:
                        # "X repelled the Y offensive", "defeated Y's attack": Y fought X
                        extend(targets, possessor_actors(o, ctx.index))
                        extend(targets, _modifier_actors(o, ctx))
        _role_actors(tok, etype, ctx, agents, targets)
        _commander_actors(tok, ctx, agents)
    else:
        extend(agents, possessor_actors(tok, ctx.index))
        extend(agents, _modifier_actors(tok, ctx))
        for pobj in prep_objects(tok, "of"):
            if "of-agent" in entry.flags:
                extend(agents, _actors(pobj, ctx))
            else:
                undergoer = undergoer or pobj
                extend(targets, _actors(pobj, ctx) or owner_actors(pobj, ctx.index))
                # "the overthrow of X and Y by Z": the parser hangs "by" on the object
                for t in [pobj, *(c for c in pobj.children if c.dep_ == "conj")]:
                    for by in prep_objects(t, "by"):
                        extend(agents, _actors(by, ctx))
        _role_actors(tok, etype, ctx, agents, targets)
        counted = counted_by(tok)
        if counted is not None:
            _role_actors(counted, etype, ctx, agents, targets)  # "a series of raids on X"
        victim = _target_of(tok)
        if victim is not None:
            extend(targets, _actors(victim, ctx))  # "X was the target of an attack by Y"
        host = host_verb(tok)
        phrase = counted if counted is not None else tok  # what hangs on the host
        if host is not None and host.lemma_.lower() in CHARACTERISING_VERBS | _HELP_VERBS:
            host = None  # who ruled it a genocide did not commit it, who backed it helped
        if host is not None:
            if phrase.dep_ == "pobj" and phrase.head.lower_ == "under":
                subj, _ = subject(host)  # "came under attack": the subject suffers it
                extend(targets, _actors(subj, ctx))
                for by in prep_objects(host, "by"):  # "… by X", hung on "came"
                    extend(agents, _actors(by, ctx))
            elif phrase.dep_ in OBJ_DEPS and host.lemma_.lower() in _REPELLING_VERBS:
                subj, passive = subject(host)  # "X repelled the Y offensive": X is its target
                if not passive:
                    extend(targets, _actors(subj, ctx))
            elif not agents and phrase.dep_ in OBJ_DEPS \
                    and host.lemma_.lower() not in _NON_AGENT_VERBS:
                subj, passive = subject(host)  # light verb: "X launched an attack"
                if not passive:
                    extend(agents, _actors(subj, ctx))
            if phrase.dep_ in OBJ_DEPS + ("nsubj",) or (
                    phrase.dep_ == "nsubjpass" and host.lemma_.lower() in CARRIER_VERBS):
                # "fighting broke out between X and Y", "launched an assault on X",
                # "the raid was carried out by X"
                _role_actors(host, etype, ctx, agents, targets)
    targets[:] = [k for k in targets if k not in agents] or ([] if agents else targets)
    return agents, targets, undergoer


# ---------------------------------------------------------------------------- time


def _attached(time: TimeExpr, tok, ctx: _Context, own_only: bool = False) -> bool:
    """Does the time expression hang on the trigger (or, unless ``own_only``, on its verb)
    in the parse?"""
    span = ctx.sdoc.char_span(time.start, time.end, alignment_mode="expand")
    if span is None:
        return False
    # own_only: the trigger's phrase, with the preposition it hangs on ("From the capture
    # of X in 1995 until 2009": "in 1995" is parsed on "From")
    goals = ({tok.i} | ({tok.head.i} if tok.dep_ == "pobj" else set())) if own_only \
        else {tok.i, clause_verb(tok).i}
    node = span.root
    for _ in range(8):
        if node.i in goals:
            return True
        if node.head.i == node.i or (node.pos_ in ("VERB", "AUX") and node.i not in goals
                                 and node.i not in range(span.start, span.end)):
            return False
        node = node.head
    return False


def _time_for(tok, sent, ctx: _Context) -> TimeExpr | None:
    """The time of the event triggered by ``tok``.

    The clause's own time wins: the expressions of the trigger's stretch of the sentence
    (a semicolon starts a new one: "X withdrew; the next day, 27 September, Y took Z"
    does not date the withdrawal), the one hanging on the trigger in the parse first, else
    the nearest. A trigger inside "from <event> in 1996 until 2001" takes the start of
    the span. Without one, the sentence continues the narrative
    (:meth:`~conflictlens.extract.time.Narrative.time_before`).
    """
    narrative = _narrative(ctx)
    lo, hi = _stretch(sent, tok.idx, ctx.document.text)
    in_sent = [t for t in ctx.times if lo <= t.start and t.end <= hi]
    others = {t: owner for t in in_sent if (owner := _owner(t, tok, sent, ctx)) is not None}
    free = [t for t in in_sent if t not in others]
    if not free and others:
        # Only another event's date: "amid the 2021 offensive" dates this one too, but
        # "After the attacks of 11 September 2001, X ousted Y" only bounds it: the year, as
        # annotators give it; "before/until <event of date>" and a parenthesis say nothing.
        shared = []
        for t, owner in others.items():
            prep = owner.head.lower_ if owner.dep_ == "pobj" else None
            if prep in ("after", "following", "upon"):
                return TimeExpr(t.start, t.end, t.text, t.value[:4], "year", None, None, True)
            if owner.pos_ == "NOUN" and prep not in BACKGROUND_PREPS:
                shared.append(t)
        free = shared
    in_sent = free
    if in_sent:
        attached = [t for t in in_sent if _attached(t, tok, ctx)]
        now = None if attached else report.present_time(tok, narrative.dct)
        if now is not None:
            return now  # "X has assisted Y in the crimes of 1999": the date is the crimes'
        pool = attached or in_sent
        t = min(pool, key=lambda t: min(abs(t.start - tok.idx), abs(t.end - tok.idx)))
        if t.value_end and _opens_span(ctx.document.text, tok.idx, t.start):
            return TimeExpr(t.start, t.end, t.text, t.value, _precision(t.value), None,
                            None, t.relative)
        return t
    # a dated report's "X has established Y": the report's present (extract/report.py)
    return report.present_time(tok, narrative.dct) or narrative.time_before(lo)


def _narrative(ctx: _Context) -> Narrative:
    narrative = getattr(ctx, "narrative", None)
    if narrative is None:
        narrative = ctx.narrative = Narrative.of(ctx.document, ctx.times)
    return narrative


def _owner(time: TimeExpr, tok, sent, ctx: _Context):
    """The token that ``time`` dates instead of the trigger ``tok``, or None when it may
    date ``tok``:

    - another event noun of the sentence whose phrase holds it ("the attacks of 11
      September 2001") or that it modifies ("the September 11, 2001, attacks", "the 2021
      offensive");
    - the verb of a parenthetical clause ``tok`` is not in ("X fled (Y, who turned on Z in
      1991, …)").
    """
    found = getattr(ctx, "found", {})
    span = ctx.sdoc.char_span(time.start, time.end, alignment_mode="expand")
    if span is None:
        return None
    inside = [i for i in found if span.start <= i < span.end and i != tok.i]
    if inside:
        return sent.doc[inside[0]]  # "the attacks of 11 September 2001" read as one name
    # a noun right after the expression, past commas, names and adjectives
    j = span.end
    while j < sent.end and j - span.end < 4 and (
            sent.doc[j].is_punct and sent.doc[j].text == "," or sent.doc[j].pos_ in (
                "PROPN", "ADJ") and sent.doc[j].dep_ in ("compound", "amod", "nmod")):
        j += 1
    if j < sent.end and j != tok.i and j in found and sent.doc[j].pos_ == "NOUN":
        return sent.doc[j]
    # the first event noun above the expression in the parse, before the trigger is met
    for node in span.root.ancestors:
        if node.i == tok.i or node.pos_ in ("VERB", "AUX"):
            break
        if node.i in found and node.pos_ == "NOUN":
            return node
    # a parenthetical clause around the expression that does not hold the trigger
    text = ctx.document.text
    open_ = text.rfind("(", sent.start_char, time.start)
    close = text.find(")", time.end, sent.end_char)
    if open_ != -1 and close != -1 and ")" not in text[open_:time.start] \
            and "(" not in text[time.end:close] and not open_ < tok.idx < close:
        inner = ctx.sdoc.char_span(open_ + 1, close, alignment_mode="expand")
        verbs = [t for t in inner or () if t.pos_ == "VERB"]
        if verbs:
            return verbs[0]
    return None


def _own_time(tok, sent, ctx: _Context) -> TimeExpr | None:
    """The time expression inside the phrase of a noun trigger ("the conquest of X on 27
    September 1996", "from the conquest in 1996 until 2001" → its start), else None: an
    event only referred to does not take the date of the clause around it."""
    lo, hi = _stretch(sent, tok.idx, ctx.document.text)
    own = [t for t in ctx.times if lo <= t.start and t.end <= hi
           and _attached(t, tok, ctx, own_only=True)]
    if not own:
        return None
    t = min(own, key=lambda t: abs(t.start - tok.idx))
    if t.value_end and _opens_span(ctx.document.text, tok.idx, t.start):
        return TimeExpr(t.start, t.end, t.text, t.value, _precision(t.value), None, None,
                        t.relative)
    return t


def _stretch(sent, offset: int, text: str) -> tuple[int, int]:
    """The part of ``sent`` between the semicolons around ``offset``."""
    lo = text.rfind(";", sent.start_char, offset)
    hi = text.find(";", offset, sent.end_char)
    return (lo + 1 if lo != -1 else sent.start_char), (hi if hi != -1 else sent.end_char)


#: "from the Taliban conquest in 1996 until …": the trigger names the span's start.
_SPAN_OPENER = re.compile(r"(?i)\b(?:from|since|between)\b[^,;()]{0,60}$")


def _opens_span(text: str, trigger: int, span_start: int) -> bool:
    return trigger < span_start and bool(_SPAN_OPENER.search(text, max(0, trigger - 60), trigger)) \
        and not re.search(r"[,;]", text[trigger:span_start])


def _precision(value: str) -> str:
    return {10: "day", 7: "month"}.get(len(value), "year")


# ---------------------------------------------------------------------------- fatalities

def _count(victim, ctx: _Context) -> dict | None:
    """``{"low", "high", "who"}`` from the number counting the noun ``victim``."""
    nums = [c for c in victim.children if c.dep_ in ("nummod", "quantmod")
            or c.like_num and c.i < victim.i]
    if not nums:
        return None
    lo = min(min(t.i for t in n.subtree) for n in nums)
    hi = max(max(t.i for t in n.subtree) for n in nums)
    doc = victim.doc
    prefix = doc[lo: hi + 1].text
    # Let the bound words in front of the phrase in: "more than 200 people".
    while lo > victim.sent.start and doc[lo - 1].lower_ in ("than", "more", "less", "fewer",
                                                            "at", "least", "up", "to",
                                                            "nearly", "almost", "over"):
        lo -= 1
        prefix = doc[lo: hi + 1].text
    # The figures module reads numbers, ranges and their bounds ("more than 200").
    q = parse_quantity(prefix)
    if q is None or q.percent or (q.low is None and q.high is None):
        return None
    low, high = q.low, q.high
    return {"low": _int(low), "high": _int(high), "who": _who(victim, ctx)}


def _int(x: float | None):
    return int(x) if x is not None and float(x).is_integer() else x


def _who(victim, ctx: _Context) -> str:
    kinds = set()
    # "58 people, including women and children": the examples tell who they were
    examples = [o for c in victim.children if c.dep_ == "prep" and c.lower_ == "including"
                for o in c.children if o.dep_ == "pobj"]
    examples += [c for o in examples for c in o.children if c.dep_ == "conj"]
    for t in [victim, *(c for c in victim.children if c.dep_ == "conj"), *examples]:
        kind = ctx.victims.get(t.lemma_.lower()) or ctx.victims.get(t.lower_)
        for c in t.children:
            if c.dep_ in ("amod", "compound"):
                kind = kind or ctx.victims.get(c.lemma_.lower())
        if kind:
            kinds.add(kind)
    if len(kinds) > 1:
        return "mixed"
    return kinds.pop() if kinds else "unknown"


def _undergoer_of_death(verb):
    subj, passive = subject(verb)
    if verb.lemma_.lower() in ("die", "perish"):
        return subj
    if passive:
        return subj
    return next((c for c in verb.children if c.dep_ == "dobj"), None)


def _fatalities(tok, etype: str, undergoer, ctx: _Context) -> dict | None:
    if etype in ("KILL", "MASSACRE") and undergoer is not None:
        found = _count(undergoer, ctx)
        if found:
            return found
    if etype in ("KILL", "MASSACRE", "ATTACK", "BATTLE", "INVADE"):
        for t in tok.subtree:
            if t is not tok and t.pos_ == "VERB" and t.lemma_.lower() in _DEATH_LEMMAS:
                victim = _undergoer_of_death(t)
                if victim is not None and victim.i != tok.i:
                    found = _count(victim, ctx)
                    if found:
                        return found
    return None


# ---------------------------------------------------------------------------- summary

def _names(keys: list[str], ctx: _Context, sent) -> str:
    out = []
    for k in keys:
        ms = [m for m in ctx.index.mentions if m.key == k]
        near = [m for m in ms if sent.start_char <= m.start < sent.end_char]
        m = (near or ms or [None])[0]
        out.append(m.text if m else k)
    return " and ".join(out)


def _summary(tok, agents, targets, place, place_is_object, status, ctx, sent) -> str:
    a = _names(agents, ctx, sent)
    t = _names(targets, ctx, sent)
    verb = tok.pos_ in ("VERB", "AUX")
    word = tok.lemma_.lower() if verb else tok.lower_
    prt = " ".join(c.lower_ for c in tok.children if c.dep_ == "prt")
    if prt:
        word = f"{word} {prt}"
    obj = t or (place if place_is_object else "")
    if verb:
        if a:
            parts = [a, word, obj]
        else:
            parts = [obj, tok.lower_ if tok.tag_ in ("VBN", "VBD") else word]
    else:
        parts = [a, word, ("of " + obj) if obj else ""]
    text = " ".join(p for p in parts if p)
    if place and place not in text:
        text += f" (in {place})"
    if status != "happened":
        text += f" [{status}]"
    return text


# ---------------------------------------------------------------------------- main


#: Names of a whole war, as the subject of "was fought" / "was waged".
_WAR_NAME = re.compile(r"\b(?:[Ww]ars?|[Cc]onflict|[Ii]nsurgency|[Ii]ntifada|[Rr]evolution)\b")


#: Causes that make a death no act of war ("died of cancer", "died in his sleep").
_NATURAL_CAUSES = re.compile(
    r"\b(?:natural\s+causes|cancer|illness|disease|heart\s+(?:attack|failure)|stroke|old\s+age|"
    r"sleep|tuberculosis|malaria|pneumonia|kidney|liver|complications|covid|alzheimer)", re.I)


def _natural_death(tok) -> bool:
    """"Milošević died of a heart attack in his cell": a death, but no killing to code."""
    if tok.lemma_.lower() not in ("die", "death", "pass"):
        return False
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in ("of", "from", "in", "after"):
            if _NATURAL_CAUSES.search(" ".join(t.text for t in c.subtree)):
                return True
    return False


def _whole_war(tok) -> bool:
    """"The Bosnian War was fought between A and B from 1992 to 1995" describes the war, the
    relation between its sides; it is no battle on a timeline."""
    if tok.pos_ != "VERB" or tok.lemma_.lower() not in ("fight", "wage"):
        return False
    return any(c.dep_ == "nsubjpass" and _WAR_NAME.search(" ".join(t.text for t in c.subtree))
               for c in tok.children)


def extract_events(sdoc, document: Document, mentions: list[Mention],
                   times: list[TimeExpr]) -> list[Event]:
    """Events of a document, one per trigger word, in text order.

    Args:
        sdoc: the spaCy ``Doc`` of the document (same length as ``document.text``).
        document: the document read, whose text every evidence span points into.
        mentions: actor mentions; ``Event.agents``/``targets`` are their keys.
        times: normalised time expressions of the whole document.

    Returns:
        One :class:`Event` per trigger that names an actor or a place; its evidence is
        the sentence. Reference sections and a run-in bibliography
        (:func:`~conflictlens.extract.figures.apparatus_spans`) give none.

    References:
        Event types and codes: PLOVER (Halterman et al. 2023), CAMEO (Gerner, Schrodt et
        al. 2002). Status cues follow TimeML's event modality/polarity (Pustejovsky et al.
        2003) in spirit: negation, modals, reporting and intensional verbs.
    """
    ctx = _Context(sdoc, document, mentions, times)
    events: list[Event] = []
    para_end = -1
    skipped = apparatus_spans(document)
    for sent in sdoc.sents:
        if not sent.text.strip():
            continue
        if any(a <= sent.start_char < b for a, b in skipped):
            continue  # a reference list states nothing: "X seizes Y" there is a headline
        if sent.start_char > para_end:  # a new paragraph: no pronoun carries over
            ctx.last_subjects = []
            nl = document.text.find("\n", sent.start_char)
            para_end = nl if nl >= 0 else len(document.text)
        found = {tok.i: entry for tok in sent
                 if (entry := _match(tok, ctx)) and not _whole_war(tok) and not _natural_death(tok)}
        ctx.found = found
        args: dict[int, tuple[list[str], list[str], object]] = {
            i: _arguments(sent.doc[i], e, ctx) for i, e in found.items()}
        # Only a trigger that is an event on its own can take another in.
        viable = {i: e for i, e in found.items() if _viable(e, args[i])}
        hosts = {i: absorbing_host(sent.doc[i], e, viable) for i, e in found.items()}
        for i in found:
            if hosts[i] is None:
                hosts[i] = (consequence_host(sent.doc[i], viable) if i in viable else None) \
                    or (shared_undergoer_host(sent.doc[i], viable) if i in viable else None)
        top = {i: _top(i, hosts) for i in found}
        # "the attacks on X, which killed 3,000 people": "which" is the attack itself,
        # no doer to hand on (the parser may hang it on X)
        tolls = {i for i in found if hosts[i] is not None and sent.doc[i].dep_ == "relcl"
                 and any(c.dep_ in SUBJ_DEPS and c.lower_ in ("which", "that")
                         for c in sent.doc[i].children)}
        told: list[tuple[Event, bool]] = []
        for i in found:
            t = top[i]
            if t != i and i not in tolls:
                ag, tg, _ = args[t]
                sub_ag, sub_tg, _ = args[i]
                if found[i].type == found[t].type:
                    extend(ag, sub_ag)
                    extend(tg, [k for k in sub_tg if k not in ag])
                elif not ag:  # "killed in a U.S. drone strike": the striker
                    extend(ag, [k for k in sub_ag if k not in tg])  # not who was repelled
        for i, entry in found.items():
            if top[i] != i:
                continue
            tok = sent.doc[i]
            agents, targets, undergoer = args[i]
            if not _viable(entry, args[i]):
                continue
            if _category_label(tok, sent, ctx):
                continue
            if "own-time" in entry.flags and _own_time(tok, sent, ctx) is None:
                continue  # "X stated that until 2001 …": a comment, not a dated deed
            if entry.type == "AID" and (_deployment(tok, targets, ctx)
                                         or _standing_aid(tok, entry, sent, ctx)):
                continue
            named = "named" in entry.flags
            reference = named or back_reference(tok, found)
            place, place_is_object = event_place.place(tok, entry, sent, ctx, own_only=reference)
            own = _own_time(tok, sent, ctx) if reference else None
            if not (agents or targets or place or (named and own)):
                continue
            if not (agents or targets or named) and place and not event_place.place(
                    tok, entry, sent, ctx, own_only=reference, nearest=False)[0] \
                    and not _scene_subject(tok, place, sent, ctx):
                continue  # no participant and only some place of the sentence: no event
            etype = entry.type
            fatalities = _fatalities(tok, etype, undergoer, ctx)
            if etype == "KILL" and (_massacre(fatalities, tok) if fatalities
                                    else _summary_executions(tok, undergoer)):
                etype = "MASSACRE"
            status = event_status.status(tok, set(found) - {i})
            if status in _NO_EVENT:
                continue
            if reference:
                status = "reference"
            told.append((Event(
                type=etype,
                agents=agents,
                targets=targets,
                evidence=[sentence_evidence(document.name, document.text,
                                            sent.start_char, sent.end_char)],
                trigger=tok.text,
                place=place,
                time=own if reference else _time_for(tok, sent, ctx),
                fatalities=fatalities,
                summary=_summary(tok, agents, targets, place, place_is_object, status,
                                 ctx, sent),
                status=status,
            ), tok.pos_ in ("NOUN", "PROPN")))
        events.extend(one_fight(told))
        _remember_subject(sent, ctx)
    return events


def _scene_subject(tok, place: str, sent, ctx: _Context) -> bool:
    """"Kabul witnessed weeks of calm, followed by heavy shelling": a place that is the
    sentence's subject is the scene of what its clause tells by a noun."""
    if tok.pos_ != "NOUN":
        return False
    subj = next((c for c in sent.root.children if c.dep_ == "nsubj"), None)
    return subj is not None and event_place.place_of(subj, ctx) == place


def _category_label(tok, sent, ctx: _Context) -> bool:
    """"Greek–Ottoman battles" on a line of its own (a table's caption, a list's label): a
    plural event noun in a verbless, undated line names a kind of event, not one."""
    if tok.tag_ not in ("NNS", "NNPS") or any(t.pos_ in ("VERB", "AUX") for t in sent):
        return False
    return not any(sent.start_char <= t.start < sent.end_char for t in ctx.times)


def _viable(entry: _Trigger, args) -> bool:
    """Do the trigger's arguments meet its need-* flags (events_triggers.tsv)?"""
    agents, targets, _ = args
    if "need-target" in entry.flags and not targets:
        return False
    if "need-agent" in entry.flags and not agents:
        return False
    return not ("need-actor" in entry.flags and not (agents or targets))


def _top(i: int, hosts: dict) -> int:
    """Follow fold-in chains ("killed in a strike in a raid") to the top trigger."""
    seen = set()
    while hosts.get(i) is not None and i not in seen:
        seen.add(i)
        i = hosts[i].i
    return i


def _massacre(fatalities: dict, tok) -> bool:
    n = max(x for x in (fatalities.get("low"), fatalities.get("high"), 0) if x is not None)
    return n >= _MASSACRE_MIN and (fatalities.get("who") == "civilians"
                                   or tok.lemma_.lower() == "execute")


def _summary_executions(tok, undergoer) -> bool:
    """"the prisoners were summarily executed": a group put to death without trial is a
    mass killing even when the text gives no number."""
    return (undergoer is not None and undergoer.tag_ in ("NNS", "NNPS")
            and not any(c.like_num for c in undergoer.children)
            and any(c.dep_ == "advmod" and c.lower_ in ("summarily", "systematically")
                    for c in tok.children))


def _remember_subject(sent, ctx: _Context) -> None:
    """Keep the actors named as subjects for a later he/she/they."""
    for t in sent:
        if t.dep_ in ("nsubj", "nsubjpass"):
            keys = actors_of(t, ctx.index)
            if keys:
                ctx.last_subjects.append((keys, _not_person(t)))
