"""One happening told several times: triggers folded into one event, back-references to an event told elsewhere."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..records import Event, TimeExpr

if TYPE_CHECKING:
    from .events import _Trigger

SUBJ_DEPS = ("nsubj", "nsubjpass", "csubj")
OBJ_DEPS = ("dobj", "attr", "oprd")
#: Heads of partitive phrases: "most of X", "thousands of X", "one of X".
PARTITIVES = frozenset({"most", "many", "some", "all", "several", "part", "none", "one",
                        "thousand", "thousands", "hundred", "hundreds", "dozen", "dozens",
                        "majority", "rest", "remnant", "remnants", "number", "each", "few"})
#: Prepositions whose object event only places another in time or gives its background:
#: "after the fall of X", "from the conquest in 1996 until 2001", "upon the capture of X".
BACKGROUND_PREPS = frozenset({"after", "following", "before", "since", "from", "until",
                              "till", "upon", "between"})
#: Subordinators of a clause that only places the main one in time, telling an event that
#: comes after it in the story: "… before the Taliban took power".
_BACKGROUND_MARKS = frozenset({"before", "until", "till", "since"})
#: Verbs that refer to an event told elsewhere: "referring to the offensive".
_REFERRING_VERBS = frozenset({"refer", "mention", "recall", "remember", "commemorate",
                              "recount", "describe"})
#: Verbs that characterise an event told elsewhere: "the massacre was ruled a genocide by
#: the tribunal", "described as ethnic cleansing" — their subject or "by" agent judged it.
CHARACTERISING_VERBS = frozenset({
    "rule", "call", "label", "term", "brand", "describe", "classify", "deem", "consider",
    "dub", "qualify", "characterise", "characterize", "designate", "judge", "find"})
#: Verbs that end an event told elsewhere: "the agreement ended the fighting".
_ENDING_VERBS = frozenset({"end", "halt", "stop", "conclude"})
#: Nouns whose "of" object is an event only placed in time: "at the time of the invasion",
#: "on the eve of the offensive", "in the aftermath of the massacre".
_TIME_NOUNS = frozenset({"time", "eve", "day", "days", "aftermath", "wake", "end", "start",
                         "beginning", "outbreak", "height", "anniversary", "run-up",
                         "period", "years", "months", "weeks", "onset", "course"})
#: Nouns counting events: "launched a series of operations" — the verb is the host.
_EVENT_COUNTS = frozenset({"series", "wave", "string", "spate", "round", "number", "couple"})


# The parse helpers below are shared with events.py, which imports them from here.

def extend(into: list[str], keys) -> None:
    for k in keys:
        if k and k not in into:
            into.append(k)


def counted_by(noun):
    """The noun counting ``noun`` ("a series of raids" → series), else None."""
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" \
            and noun.head.head.lemma_.lower() in _EVENT_COUNTS:
        return noun.head.head
    return None


def host_verb(noun):
    """The verb a noun trigger hangs on as object or subject ("launched an attack", "launched
    a series of raids")."""
    noun = counted_by(noun) or noun
    if noun.dep_ in OBJ_DEPS + ("nsubj", "nsubjpass") and noun.head.pos_ in ("VERB", "AUX"):
        return noun.head
    if noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.pos_ in ("VERB", "AUX"):
        return noun.head.head
    return None


def clause_verb(tok):
    if tok.pos_ in ("VERB", "AUX"):
        return tok
    host = host_verb(tok)
    return host if host is not None else tok


def absorbing_host(tok, entry: _Trigger, found: dict[int, _Trigger]):
    """The trigger ``tok`` folds into, if any (see module docstring)."""
    head = tok.head
    if tok.pos_ == "NOUN" or "named" in entry.flags:
        if tok.dep_ in OBJ_DEPS and head.i in found:
            return head
        if tok.dep_ == "appos" and head.dep_ in OBJ_DEPS and head.head.i in found:
            return head.head  # "launched Operation X, an air campaign against Y"
        cause = _caused(tok)
        if cause is not None and cause.i in found:
            return cause
        if tok.dep_ == "pobj" and head.dep_ in ("prep", "agent") and head.head.i in found \
                and head.head.pos_ in ("VERB", "AUX"):
            return head.head
    elif tok.dep_ == "conj" and head.i in found and found[head.i].type == entry.type \
            and not _own_clause(tok):
        return head
    elif tok.dep_ == "pcomp" and head.lower_ == "by" and head.head.i in found \
            and head.head.pos_ in ("VERB", "AUX"):
        return head.head  # the means: "seized power by overthrowing the militias"
    return None


def other_clauses(tok) -> set[int]:
    """Tokens of the conjoined clauses around ``tok``'s own one ("X was arrested in
    Belgrade, and Y was captured in May 2011": Belgrade is not where Y was captured)."""
    verb = clause_verb(tok)
    out: set[int] = set()
    if not _dated(verb):
        return out  # "they abandoned Kabul, and the Taliban seized the capital": one scene
    if verb.dep_ == "conj" and _own_clause(verb):
        mine = {t.i for t in verb.subtree}
        return {t.i for t in verb.sent if t.i not in mine}
    for c in verb.children:
        if c.dep_ == "conj" and _own_clause(c):
            out |= {t.i for t in c.subtree}
    return out


def _dated(verb) -> bool:
    """Does a date hang on the verb itself ("captured in May 2011")?"""
    return any(c.dep_ in ("prep", "npadvmod") and any(t.ent_type_ == "DATE" for t in c.subtree)
               for c in verb.children)


def _own_clause(verb) -> bool:
    """Is a conjoined verb a clause of its own, with its own subject or its own date?
    "X was arrested in 2008, and Y was captured in 2011", "the accord was initialled on
    21 November and signed on 14 December": two events, each with its date."""
    if verb.pos_ not in ("VERB", "AUX"):
        return False
    return any(c.dep_ in SUBJ_DEPS for c in verb.children) or _dated(verb)


def back_reference(tok, found: dict[int, _Trigger]) -> bool:
    """Does the noun trigger ``tok`` only refer to an event told elsewhere?

    - the object of a background preposition: "after the fall of X", "following their
      capture of X", "from the conquest in 1996 until 2001";
    - the object of a preposition on a noun that is no event: "the resistance against the
      invasion", "his involvement in the assassination" (not "of": "a series of raids");
    - the object of a verb of referring: "referring to the offensive".
    """
    if tok.pos_ in ("VERB", "AUX"):
        # "before the Taliban took power": a clause placing another in time; "those killed
        # in X": the victims of a killing told before
        return (tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in _BACKGROUND_MARKS
                                            for c in tok.children)) or (
            tok.dep_ == "acl" and tok.head.lower_ in ("those", "these")) or (
            # "a leading role in driving X out": a deed named as someone's part in it
            tok.tag_ == "VBG" and tok.dep_ == "pcomp" and tok.head.dep_ == "prep"
            and tok.head.lower_ in ("in", "for", "of", "behind")
            and ((tok.head.head.pos_ == "NOUN" and tok.head.head.i not in found
                  and tok.head.head.lemma_.lower() not in PARTITIVES)
                 or any(c.dep_ == "dobj" and c.lemma_.lower() in ("role", "part", "hand")
                        for c in tok.head.head.children)))
    if tok.pos_ != "NOUN":
        return False
    if _anaphoric(tok):
        return True
    while tok.dep_ == "conj" and tok.head.pos_ == "NOUN":
        tok = tok.head  # "following the rise of X and their capture of Y"
    head = tok.head
    if tok.dep_ == "dobj" and head.lower_ in ("following", "after"):
        return True  # "following" tagged as a verb
    if tok.dep_ == "dobj" and head.lemma_.lower() in _REFERRING_VERBS | _ENDING_VERBS:
        return True
    if tok.dep_ in ("oprd", "attr", "xcomp", "dobj") \
            and head.lemma_.lower() in CHARACTERISING_VERBS:
        return True  # "the massacre was ruled a genocide": a judgment on it
    if tok.dep_ != "pobj" or head.dep_ not in ("prep", "agent"):
        return False
    prep, above = head.lower_, head.head
    if prep in BACKGROUND_PREPS or (prep == "to" and above.lower_ == "prior"):
        return True
    if prep == "of" and above.pos_ == "NOUN" and above.lower_ in _TIME_NOUNS:
        return True  # "at the time of the Soviet invasion"
    if above.pos_ in ("VERB", "AUX"):
        return above.lemma_.lower() in _REFERRING_VERBS | CHARACTERISING_VERBS
    return (prep != "of" and above.pos_ == "NOUN" and above.i not in found
            and above.lemma_.lower() not in PARTITIVES)


def _anaphoric(tok) -> bool:
    """"the fighting", "this offensive", "the siege" with nothing of its own (no actor,
    place or number: "the siege of X", "the Serb attack" tell which): a definite noun
    taking up an event already told."""
    kids = list(tok.children)
    if not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those")
               for c in kids):
        return False
    return not any(c.dep_ in ("prep", "poss", "compound", "nmod", "nummod", "acl", "relcl",
                              "appos") or (c.dep_ == "amod" and c.pos_ == "PROPN")
                   or c.ent_type_ for c in kids)


def consequence_host(tok, found: dict[int, _Trigger]):
    """The event noun a killing verb tells the toll of: "the attacks, which killed 3,000
    people", "the raid (in which 40 people died)" — the nearest viable noun trigger
    before the relative clause; None when the clause is not such a one."""
    if tok.dep_ != "relcl" or found[tok.i].type not in ("KILL", "MASSACRE"):
        return None
    rel = next((t for t in tok.subtree if t.i < tok.i and t.lower_ in ("which", "that")), None)
    if rel is None:
        return None
    nouns = [i for i in found if i < rel.i and tok.doc[i].pos_ == "NOUN"]
    return tok.doc[max(nouns)] if nouns else None


def shared_undergoer_host(tok, found: dict[int, _Trigger]):
    """"were captured and killed", "attacked and captured the town": conjoined verbs of
    two types with one undergoer tell one happening, named by the last verb (its
    outcome). Returns the conjunct ``tok`` folds into, or None."""
    conj = next((c for c in tok.children if c.dep_ == "conj" and c.i in found
                 and c.pos_ in ("VERB", "AUX") and found[c.i].type != found[tok.i].type), None)
    if conj is None or tok.pos_ not in ("VERB", "AUX"):
        return None
    kids, ckids = list(tok.children), list(conj.children)
    if any(c.dep_ in SUBJ_DEPS for c in ckids):
        return None  # a clause of its own: "X attacked Y and Z captured W"
    tok_obj = any(c.dep_ in ("dobj", "nsubjpass") for c in kids)
    conj_obj = any(c.dep_ in ("dobj",) for c in ckids)
    if tok_obj and conj_obj:
        return None  # each has its own object: two events
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in kids)
    if passive != (conj.tag_ == "VBN" and not conj_obj):
        return None
    return conj


def _caused(noun):
    """The verb of "killed as a result of a strike", "died as a consequence of the
    bombing": the noun names the cause of what the verb tells, one happening."""
    of = noun.head
    if noun.dep_ != "pobj" or of.lower_ != "of" or of.head.lemma_.lower() not in (
            "result", "consequence"):
        return None
    node = of.head
    while node.dep_ in ("pobj", "prep", "det", "amod") and node.head.i != node.i:
        node = node.head
        if node.pos_ in ("VERB", "AUX"):
            return node
    return None


def one_fight(told: list[tuple[Event, bool]]) -> list[Event]:
    """Violence of one sentence at one place and time is one happening.

    - attacks and battles: "they shelled X but were defeated", "the offensive on X, where
      they fought …" — one event, a BATTLE when one of them is, with all participants;
    - a killing and a strike named by a noun: "X was killed as a result of a U.S. strike
      in Y" (however the parser hung the noun) — the killing, by the striker.

    Args:
        told: the sentence's events, each with whether its trigger is a noun.
    """
    out: list[Event] = []
    for e, noun in told:
        fold = e.type in ("ATTACK", "BATTLE")
        same = next((k for k in out if fold and _same_scene(k, e) and k.status == e.status
                     and _same_time(k.time, e.time)
                     and (k.type in ("ATTACK", "BATTLE")
                          or (noun and e.type == "ATTACK" and k.type == "KILL"))), None)
        if same is None:
            out.append(e)
            continue
        if same.type == "KILL":
            if not same.agents:
                extend(same.agents, e.agents)
        else:
            flipped = e.type == "BATTLE" and same.type == "ATTACK"
            if flipped:
                same.type, same.trigger, same.summary = e.type, e.trigger, e.summary
            if set(e.targets) & set(same.agents) or set(e.agents) & set(same.targets):
                # "they shelled X but were defeated by Y": who shelled is who was defeated
                lead, other = (e, same) if flipped else (same, e)
                agents, targets = [*lead.agents], [*lead.targets]
                extend(agents, other.targets)
                extend(targets, other.agents)
                same.agents[:], same.targets[:] = agents, targets
            else:
                extend(same.agents, e.agents)
                extend(same.targets, e.targets)
        same.targets[:] = [k for k in same.targets if k not in same.agents]
        same.fatalities = same.fatalities or e.fatalities
    return out


def _same_scene(a: Event, b: Event) -> bool:
    """One place, or one place named once and a participant shared."""
    if a.place and b.place:
        return a.place == b.place
    return bool(a.place or b.place) and bool(
        (set(a.agents) | set(a.targets)) & (set(b.agents) | set(b.targets)))


def _same_time(a: TimeExpr | None, b: TimeExpr | None) -> bool:
    return a is None or b is None or (a.value, a.value_end) == (b.value, b.value_end)
