"""The status of an event: happened, or failed / alleged / denied / planned, from the cues that govern its trigger."""

from __future__ import annotations

from functools import lru_cache

from .. import lexicons

#: Verbs that only carry a nominal trigger ("fighting broke out", "led a raid"): status
#: cues above them still speak of the event.
CARRIER_VERBS = frozenset({"occur", "happen", "break", "begin", "start", "continue", "erupt",
                           "lead", "launch", "carry", "conduct", "take", "stage", "mount",
                           "resume", "be", "have", "make", "wage"})
_STATUS_RANK = {"negated": 5, "denied": 4, "failed": 3, "planned": 2, "alleged": 1}
#: Adverbs that turn "would" into the future in the past of a narrative ("he would later
#: become president"): the event happened.
_NARRATIVE_LATER = frozenset({"later", "eventually", "subsequently", "afterwards", "soon",
                              "ultimately", "thereafter"})
#: Subordinators of an adverbial clause that states its own fact: the main clause's
#: expectation or denial does not reach into it (unlike "if", "unless", "so that").
_FACT_MARKS = frozenset({"while", "whereas", "when", "although", "though", "because",
                         "since", "after", "once"})
#: Verbs whose "to form X" tells what came of them: "the parties merged to form X".
_JOINING_VERBS = frozenset({"ally", "unite", "join", "merge", "combine", "band", "team",
                            "gather", "amalgamate", "coalesce", "come", "allying"})


@lru_cache(maxsize=1)
def _status_cues() -> dict[tuple[str, str], str]:
    return {(r[2], r[0].lower()): r[1] for r in lexicons.rows("events_status")}


def _governors(tok, limit: int = 4):
    """The words ``tok`` depends on, up the clause, stopping at another clause's root."""
    node = tok
    for _ in range(limit):
        if node.head.i == node.i or node.dep_ not in ("xcomp", "ccomp", "pcomp", "pobj", "prep",
                                                  "agent", "acomp", "dobj", "acl", "conj", "advcl",
                                                  "attr", "nsubj", "nsubjpass"):
            return
        if node.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in _FACT_MARKS
                                        for c in node.children):
            return  # "while X is providing Y, the number is expected to rise": its own fact
        node = node.head
        yield node


def status(tok, trigger_ids: set[int]) -> str:
    """happened | failed | planned | alleged | denied, from the cues of events_status.tsv.

    The trigger and the verbs it depends on are read up to the first governing verb that
    is not a mere carrier ("fighting broke out", "clashes had occurred", "led a raid"):
    a report or denial higher up speaks of the event; one further up speaks of another.
    """
    cues = _status_cues()
    found: list[str] = []
    nodes = [tok]
    for g in _governors(tok, limit=6):
        if g.i in trigger_ids and nodes[-1].dep_ == "conj" and nodes[-1].head.i == g.i:
            continue  # "designed to capture or kill X": the conjuncts share what governs
        if g.i in trigger_ids:
            # Another event's verb: its modality is its own, but what it governs as its
            # content is only agreed, promised or refused ("agreed to withdraw").
            s = next((cues[("gov", f)] for f in _lemma_forms(g) if ("gov", f) in cues), None)
            if s and g.pos_ in ("VERB", "AUX"):
                found.append(s)
            break
        nodes.append(g)
    verbs_seen = 0
    for n, node in enumerate(nodes):
        is_verb = node.pos_ in ("VERB", "AUX")
        if n > 0 and node.pos_ in ("VERB", "AUX", "NOUN"):
            s = next((cues[("gov", f)] for f in _lemma_forms(node) if ("gov", f) in cues), None)
            if s:
                found.append(s)
        for c in node.children:
            low = c.lower_
            if c.dep_ == "neg" and ("neg", low) in cues:
                found.append(cues[("neg", low)])
            elif c.dep_ == "advmod" and ("adv", low) in cues:
                found.append(cues[("adv", low)])
            elif c.dep_ == "aux" and ("aux", low) in cues and not _future_in_past(node, c):
                found.append(cues[("aux", low)])
            elif c.dep_ in ("amod", "compound") and ("amod", low) in cues and n == 0:
                found.append(cues[("amod", low)])
        # the trigger, or the verb a noun trigger is the object of ("to reach an
        # agreement"), in a purpose clause; not a verb further up ("fled to avoid it as
        # the city fell": the fall happened)
        if is_verb and (n == 0 or (verbs_seen == 0 and tok.pos_ != "VERB")) and _purpose(node):
            found.append("planned")
        if n > 0 and is_verb:
            verbs_seen += 1
            carrier = node.lemma_.lower() in CARRIER_VERBS and verbs_seen == 1
            if not carrier:
                break  # the first real governing verb decides
    if _subjunctive(tok) or _assigned_task(tok, cues):
        found.append("planned")
    if not found:
        return "happened"
    return max(found, key=lambda s: _STATUS_RANK.get(s, 0))


def _assigned_task(tok, cues) -> bool:
    """"The unit's main functions are the control of X and the establishment of Y": a noun
    said to be a body's function, task or mandate names what it is for, not a deed."""
    node = tok
    for _ in range(4):  # "the control, training and establishment of": the conjuncts
        if node.dep_ != "conj":
            break
        node = node.head
    if node.lemma_ == "be" and tok.pos_ == "NOUN":
        copula = node  # a complement the parser joined to the copula itself
    elif node.dep_ == "attr" and node.head.lemma_ == "be":
        copula = node.head
    else:
        return False
    subj = next((c for c in copula.children if c.dep_ == "nsubj"), None)
    return subj is not None and ("task", subj.lemma_.lower()) in cues


def _subjunctive(verb) -> bool:
    """"the demand that China withdraw": a bare verb with its own subject in a that-clause
    is a mandative subjunctive, what was demanded, not done (Quirk et al. 1985, §16.32)."""
    kids = list(verb.children)
    if verb.pos_ != "VERB" or verb.tag_ not in ("VB", "VBP") or verb.lower_ != verb.lemma_.lower() \
            or verb.dep_ not in ("ccomp", "acl", "relcl") \
            or any(c.dep_ in ("aux", "auxpass") for c in kids):
        return False
    # a singular subject with the bare form: "that China withdraw", not "that they withdraw"
    return any(c.dep_ == "nsubj" and c.tag_ in ("NN", "NNP") for c in kids)


def _purpose(verb) -> bool:
    """Is ``verb`` a purpose infinitive ("sent men to capture the town", "a plan for X to
    conduct a bombardment", "gathered leaders to reach an agreement")? It tells what was
    meant to happen, not what happened (Quirk et al. 1985, §15.48: purpose clauses)."""
    if verb.lemma_.lower() in ("form", "create") and verb.head.lemma_.lower() in _JOINING_VERBS:
        return False  # "allied to form a front": a result, it was formed
    return (verb.tag_ == "VB" and verb.dep_ in ("advcl", "acl", "relcl")  # "requests to hand"
            and any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children)
            and verb.head.lemma_.lower() not in CARRIER_VERBS | {"go"})  # "go on to"


def _future_in_past(verb, aux) -> bool:
    """"would go on to become", "would later become": a narrative telling what came next,
    not a plan (Quirk et al. 1985, §4.58: the future in the past)."""
    if aux.lower_ != "would":
        return False
    kids = list(verb.children)
    if verb.lemma_.lower() == "go" and any(c.lower_ == "on" for c in kids):
        return True
    return any(c.dep_ == "advmod" and c.lower_ in _NARRATIVE_LATER for c in kids)


def _lemma_forms(tok) -> list[str]:
    """The lemma of a verb, then the base forms its -ing/-ed spelling allows: the small
    model's lemmatiser sometimes misses ("hoping" → "hop"), and a missed cue turns a
    hoped-for capture into one that happened."""
    forms, low = [tok.lemma_.lower()], tok.lower_
    for suffix in ("ing", "ed"):
        if low.endswith(suffix) and len(low) > len(suffix) + 2:
            stem = low[: -len(suffix)]
            forms += [stem, stem + "e"]
            if len(stem) > 2 and stem[-1] == stem[-2]:
                forms.append(stem[:-1])  # "planning" → "plan"
    return forms
