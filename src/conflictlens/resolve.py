"""Resolve: one knowledge base from the facts of many documents.

* Actors: the same actor in several documents becomes one, with all its names and its
  mention count per document. Two document-local actors are the same when they share a
  name (normalised: case, accents, punctuation, "the", possessive) and are both people or
  both not. People link across documents only through a full name (two words or more
  without titles), so "Rabbani" of one document never joins "Rabbani" of another by the
  surname alone; a one-word person joins the single person whose surname it is.
* Facts: document-local actor keys become global actor ids; identical facts told twice
  become one fact with several pieces of evidence; facts whose actor vanished are dropped.
* Events: the same event told twice (same type and status, one date inside the other's,
  shared actors, the same place) becomes one event with every telling as evidence and the
  most precise date (:func:`merge_events`); different events of one day stay apart.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from difflib import SequenceMatcher
from functools import lru_cache

from .extract.actor_surnames import similar_names, surname
from .extract.actors import (
    _pick_name,
    _state_name,
    _UnionFind,
    country_code,
    led_link_key,
    name_key,
    norm,
    organ_acronym,
    strip_honorifics,
)
from .records import (
    KB,
    SYMMETRIC_RELATIONS,
    Actor,
    DocFacts,
    Event,
    Evidence,
    Figure,
    LocalActor,
    Mention,
    Relation,
)
from .resolve_blocking import (
    TieIndex,
    masked_keys,
    may_be_misspelt,
    may_be_similar,
    shared_word_keys,
    union_alike,
)

#: Actor types that say less than any other: the fallback when nothing better is known.
_WEAK_TYPES = ("organisation",)


def _names(a: LocalActor) -> set[str]:
    return {n for n in {a.name, *a.aliases} if n}


def _link_forms(a: LocalActor) -> set[str]:
    """The normalised names through which ``a`` may join actors of other documents: its
    full names, never the short forms valid in its own document only ("Massoud")."""
    if a.key.startswith("iso:"):
        # "Uzbek" may be the state or the people: a demonym joins nothing across documents.
        return {a.key} | {norm(n) for n in _names(a) - a.weak_aliases if country_code(n)}
    if a.key.startswith(("ethnic:", "gov:")) or a.key.startswith("led:") and a.key != "led:coalition":
        return {a.key}
    if a.type == "person":
        out = set()
        for n in _names(a):
            bare = norm(strip_honorifics(n)[0])
            if len(bare.split()) >= 2:
                out.add(bare)
        return out
    forms = {name_key(n) for n in _names(a) - a.weak_aliases if name_key(n)}
    # "Pakistani ISI" in one document is the "ISI" of another.
    forms |= {name_key(o) for o in map(organ_acronym, _names(a) - a.weak_aliases) if o}
    if a.key == "led:coalition":
        forms |= {k for k in map(led_link_key, _names(a)) if k}
    return forms


def _misspelt(a: str, b: str) -> bool:
    """Two spellings of one group's name: as many words, all the same but one, and that one
    alike letter for letter ("al qaeda" / "al queda")."""
    ta, tb = norm(a).split(), norm(b).split()
    if len(ta) != len(tb) or len(ta) < 2:
        return False
    diff = [(x, y) for x, y in zip(ta, tb, strict=True) if x != y]
    return len(diff) == 1 and min(map(len, diff[0])) >= 4 and SequenceMatcher(None, *diff[0]).ratio() >= 0.8


def resolve_actors(facts: Iterable[DocFacts]) -> tuple[list[Actor], dict[tuple[str, str], str]]:
    """Merge document-local actors into global ones.

    Returns:
        ``(actors, ids)``: the actors (ids ``a1``, ``a2`` … by mention count) and a map
        ``(document name, local key) → actor id``.
    """
    local: list[tuple[str, LocalActor]] = [(f.document.name, a) for f in facts for a in f.actors]
    uf = _UnionFind()
    owner: dict[tuple[bool, str], tuple[str, str]] = {}
    for doc, a in local:
        node = (doc, a.key)
        uf.find(node)
        is_person = a.type == "person"
        for form in _link_forms(a):
            k = (is_person, form)
            if k in owner:
                uf.union(owner[k], node)
            else:
                owner[k] = node
    # Spelling variants of one person's full name across documents ("Mohaqiq"/"Muhaqiq"),
    # and misspellings of a group's name ("Al-Qaeda" / "Al-Queda"): compared only where the
    # names share a word, or all words but one (resolve_blocking; the same merges as
    # comparing every pair, which grew with the square of the corpus).
    people = [(doc, (doc, a.key), a.name) for doc, a in local if a.type == "person" and len(_link_forms(a)) > 0]
    union_alike(uf.union, people, similar_names, shared_word_keys, may_be_similar, other_docs=True)
    groups = [(doc, (doc, a.key), a.name) for doc, a in local if a.type not in ("person", "state", "ethnic_group")]
    union_alike(uf.union, groups, _misspelt, masked_keys, may_be_misspelt, other_docs=False)
    # One-word people ("Massoud" in a document that never gives the full name) join the one
    # person, anywhere, whose surname it is.
    surnames: dict[str, set] = defaultdict(set)
    for doc, a in local:
        if a.type == "person":
            for n in _names(a):
                s = surname(n)
                if s and len(norm(strip_honorifics(n)[0]).split()) >= 2:
                    surnames[norm(s)].add(uf.find((doc, a.key)))
    for doc, a in local:
        if a.type != "person" or _link_forms(a):
            continue
        roots = set()
        for n in _names(a):
            roots |= surnames.get(norm(strip_honorifics(n)[0]), set())
        roots = {uf.find(r) for r in roots}
        if len(roots) == 1:
            uf.union(roots.pop(), (doc, a.key))

    groups: dict = defaultdict(list)
    for doc, a in local:
        groups[uf.find((doc, a.key))].append((doc, a))
    built = []
    for members in groups.values():
        forms: Counter = Counter()
        type_weight: Counter = Counter()
        mentions: Counter = Counter()
        evidence = []
        for doc, a in members:
            forms[a.name] += max(1, len(a.mentions))
            for al in a.aliases:
                forms[al] += 1
            mentions[doc] += len(a.mentions)
            type_weight[a.type] += len(a.mentions) + (1000 if a.key.startswith("iso:") else 0)
            evidence.extend(a.evidence)
        strong = [t for t, _ in type_weight.most_common() if t not in _WEAK_TYPES]
        atype = strong[0] if strong else type_weight.most_common(1)[0][0]
        name = _pick_name(forms, atype)
        if any(a.key.startswith("iso:") for _, a in members) and not country_code(name):
            name = _state_name(forms, name)
        aliases = sorted(set(forms) - {name}, key=lambda f: (-forms[f], f))
        built.append((members, Actor(id="", name=name, type=atype, aliases=aliases,
                                     mentions=dict(mentions), evidence=evidence[:5])))
    built.sort(key=lambda ma: (-ma[1].mention_count, ma[1].name))
    ids: dict[tuple[str, str], str] = {}
    actors = []
    for i, (members, actor) in enumerate(built, 1):
        actor.id = f"a{i}"
        actors.append(actor)
        for doc, a in members:
            ids[(doc, a.key)] = actor.id
    return actors, ids


def _evkey(ev) -> tuple:
    return (ev.doc, ev.start, ev.end)


def _merge_evidence(dst: list, src: list) -> None:
    seen = {_evkey(e) for e in dst}
    for e in src:
        if _evkey(e) not in seen:
            dst.append(e)
            seen.add(_evkey(e))


def resolve(facts: list[DocFacts]) -> KB:
    """Build the knowledge base from the facts of every document."""
    actors, ids = resolve_actors(facts)
    kb = KB(documents=[f.document for f in facts], actors=actors)
    kb.mentions = [Mention(ids[(f.document.name, m.key)], m.text, m.start, m.end, f.document.name)
                   for f in facts for a in f.actors for m in a.mentions if (f.document.name, m.key) in ids]
    events: list[Event] = []
    relations: dict[tuple, Relation] = {}
    figures: dict[tuple, Figure] = {}
    for f in facts:
        doc = f.document.name

        def gid(key: str | None, _doc: str = doc) -> str | None:
            return ids.get((_doc, key)) if key else None

        for e in f.events:
            agents = _unique(gid(k) for k in e.agents)
            targets = [t for t in _unique(gid(k) for k in e.targets) if t not in agents]
            e.agents, e.targets = agents, targets
            events.append(e)
        for r in f.relations:
            s, t = gid(r.source), gid(r.target)
            if not s or not t or s == t:
                continue
            r.source, r.target = s, t
            a, b = (s, t) if r.relation not in SYMMETRIC_RELATIONS else tuple(sorted((s, t)))
            key = (a, r.relation, b, r.start, r.end, r.qualifier)
            if key in relations:
                _merge_evidence(relations[key].evidence, r.evidence)
            else:
                relations[key] = r
        for fig in f.figures:
            fig.actor = gid(fig.actor)
            key = (fig.kind, fig.low, fig.high, fig.what, fig.evidence[0].doc if fig.evidence else None,
                   fig.evidence[0].start if fig.evidence else None)
            if key in figures:
                _merge_evidence(figures[key].evidence, fig.evidence)
            else:
                figures[key] = fig
    people = frozenset(a.id for a in actors if a.type == "person")
    kb.events = sorted(merge_events(events, people), key=_event_order)
    kb.relations = _fold_undated(list(relations.values()))
    kb.figures = list(figures.values())
    for i, e in enumerate(kb.events, 1):
        e.id = f"e{i}"
    for i, r in enumerate(kb.relations, 1):
        r.id = f"r{i}"
    for i, fig in enumerate(kb.figures, 1):
        fig.id = f"f{i}"
    return kb


def _fold_undated(relations: list[Relation]) -> list[Relation]:
    """An undated statement of a relation is more evidence for the dated one between the same
    actors (same relation and qualifier), not a fact of its own; dated spans stay apart."""
    def pair(r: Relation) -> tuple:
        a, b = (r.source, r.target) if r.relation not in SYMMETRIC_RELATIONS else tuple(sorted((r.source, r.target)))
        return (a, r.relation, b, r.qualifier)

    dated: dict[tuple, Relation] = {}
    for r in relations:
        if r.start or r.end:
            dated.setdefault(pair(r), r)  # the first dated statement of the pair
    out = []
    for r in relations:
        home = dated.get(pair(r))
        if not (r.start or r.end) and home is not None:
            _merge_evidence(home.evidence, r.evidence)
        else:
            out.append(r)
    return _fold_coarse(out, pair)


def _fold_coarse(relations: list[Relation], pair) -> list[Relation]:
    """"since 1996" in one document and "since September 1996" in another are one span: the
    coarser statement is evidence for the one finer statement whose dates it contains (same
    pair, relation and qualifier; each end equal, a prefix of the other's, or missing on the
    coarse side). With two finer candidates the coarse one stays: which is meant is unknown."""
    def within(coarse: str | None, fine: str | None) -> bool:
        return coarse is None or (fine is not None and fine.startswith(coarse))

    by_pair: dict[tuple, list[Relation]] = defaultdict(list)
    for r in relations:
        by_pair[pair(r)].append(r)
    dropped: set[int] = set()
    for group in by_pair.values():
        # finest first: "1996-09" folds into "1996-09-27" before "1996" looks for its one finer
        for r in sorted(group, key=lambda r: -len((r.start or "") + (r.end or ""))):
            if not (r.start or r.end):
                continue
            finer = [f for f in group if f is not r and id(f) not in dropped
                     and (f.start, f.end) != (r.start, r.end)
                     and within(r.start, f.start) and within(r.end, f.end)]
            if len(finer) == 1:
                _merge_evidence(finer[0].evidence, r.evidence)
                dropped.add(id(r))
    return [r for r in relations if id(r) not in dropped]


#: Event types whose place is the thing taken or struck (as in extract.events).
_PLACE_EVENTS = frozenset({"CAPTURE", "ATTACK", "INVADE", "BATTLE", "MASSACRE"})


def _date_span(e: Event) -> tuple[str, str] | None:
    """The first and last day an event's date allows, as comparable ISO strings
    ("1997-05" → ("1997-05-00", "1997-05-99")); None when the event has no date."""
    if not e.time or not e.time.value:
        return None
    return _span(e.time.value, e.time.value_end, e.time.precision)


@lru_cache(maxsize=65536)
def _span(value: str, value_end: str | None, precision: str) -> tuple[str, str]:
    # cached: merge_events asks for the same few dates millions of times in a large archive
    lo, hi = value, value_end or value
    if precision == "decade" and not value_end and len(hi) == 4:
        hi = hi[:3] + "9"
    return lo + "-00" * ((10 - len(lo)) // 3), hi + "-99" * ((10 - len(hi)) // 3)


def _place_tokens(place: str | None) -> frozenset[str]:
    # "Mazar-i-Sharif", "Mazar-i Sharif" and "Mazar-i" (a cut-off name) compare by words
    return frozenset(norm(place).replace("-", " ").split()) if place else frozenset()


def _same_event(a: Event, b: Event, same_status: bool = True) -> bool:
    """Whether two event records can tell the same event.

    Same type and status; one date inside the other's span; agents (and targets) shared
    or missing on one side; places the same or one missing; and at least one shared agent,
    target or place to tie them. So "the Taliban took Mazar-i-Sharif in May 1997" and
    "On 25 May 1997 the Taliban entered Mazar-i-Sharif" are one event, while two attacks by
    the same group on the same day on two places stay two.
    """
    if a.type != b.type or (same_status and a.status != b.status):
        return False
    sa, sb = _date_span(a), _date_span(b)
    if sa is None or sb is None:
        # an undated telling could be any of several events: only a word-for-word repeat joins
        return sa == sb and sorted(a.agents) == sorted(b.agents) and sorted(a.targets) == \
            sorted(b.targets) and a.place == b.place and bool(a.agents or a.targets or a.place)
    ties = _ties(a, b, sa, sb)
    if ties is None:
        return False
    shared_agents, shared_targets, same_place = ties
    if a.type in _PLACE_EVENTS and bool(a.place) != bool(b.place):
        # the town taken or struck is what tells one capture from the next: a telling
        # without it joins one with it only through a shared target, not the agent alone
        return shared_targets
    return shared_targets or same_place or (shared_agents and _agent_ties(a, b))


def _agent_ties(a: Event, b: Event) -> bool:
    """Whether a shared agent alone can tie two tellings: not when one names a target the
    other lacks ("Zhou told Nehru …" is not "Zhou stated …" of that year), nor for the
    catch-all type OTHER, whose events an actor has many of — two events never merge
    only because they share an actor."""
    return a.type != "OTHER" and bool(a.targets) == bool(b.targets)


def _ties(a: Event, b: Event, sa, sb) -> tuple[bool, bool, bool] | None:
    """What ties two tellings of one type: ``(shared agent, shared target, same place)``,
    or None when they conflict — dates (``sa``, ``sb`` from :func:`_date_span`, either may
    be None) not inside one another, or different agents, targets or places on both sides."""
    if sa is not None and sb is not None and not (
            (sb[0] <= sa[0] and sa[1] <= sb[1]) or (sa[0] <= sb[0] and sb[1] <= sa[1])):
        return None
    shared_agents = set(a.agents) & set(b.agents)
    shared_targets = set(a.targets) & set(b.targets)
    if a.agents and b.agents and not shared_agents:
        return None
    if a.targets and b.targets and not shared_targets:
        return None
    pa, pb = _place_tokens(a.place), _place_tokens(b.place)
    same_place = bool(pa and pb) and (pa <= pb or pb <= pa)
    if pa and pb and not same_place:
        return None
    return bool(shared_agents), bool(shared_targets), same_place


def _precision_rank(e: Event) -> tuple:
    """Sort key: the narrowest date first, a date read in the sentence before one inherited
    from the narrative, then the fuller record."""
    span = _date_span(e)
    # 0 = one day, 1 = one month, 2 = one year, 3 = wider, 4 = no date
    width = 4 if span is None else next(
        (i for i, n in enumerate((10, 7, 4)) if span[0][:n] == span[1][:n]
         and (n < 10 or "-00" not in span[0][5:]) and (n < 7 or span[0][5:7] != "00")), 3)
    return (width, bool(e.time and e.time.relative),
            -(len(e.agents) + len(e.targets) + bool(e.place)))


def merge_events(events: list[Event], people: frozenset[str] = frozenset()) -> list[Event]:
    """One event for each thing that happened, however many times it is told.

    Events are taken from the most precisely dated to the least; each joins the single
    earlier event it can be the same as (:func:`_same_event`), adding its evidence, its
    actors and any place or fatalities the first telling lacked, and keeping the more
    precise date. An event compatible with two or more distinct events (a vague "1996"
    capture by a group that took two cities that year) stays on its own rather than guess.

    Then an undated telling joins the single dated event it can be (:func:`_refers_to`),
    and an event only referred to (status ``reference``, see ``extract.events``: "after
    the fall of X", "the Soviet invasion") adds its evidence to the single event it can
    be; without one it is kept as happened when dated in its own words and dropped
    otherwise, for a back-reference is no new event.

    An attack on a person (of ``people``) that the KB says was killed that same day is the
    killing told by its means ("X was the target of a suicide attack on 9 May" / "X was
    assassinated on 9 May"): it adds its evidence to the killing.

    Args:
        events: event records of every document, actor keys already global ids.
        people: ids of the actors that are persons.

    Returns:
        The merged events, in no particular order.
    """
    kept: list[Event] = []
    # _same_event needs the same type and status, and a shared agent, target or place word
    # (or, undated, the same who and where): each event is compared with the kept events of
    # its type and status that share one (resolve_blocking.TieIndex), not with every one.
    kind: dict[tuple[str, str], list[Event]] = {}
    index: dict[tuple[str, str], TieIndex] = {}
    told = [e for e in events if e.status != "reference"]
    for e in sorted(told, key=_precision_rank):
        same = index.get((e.type, e.status))
        if same is None:
            same = index[(e.type, e.status)] = TieIndex(_place_tokens)
        undated = _date_span(e) is None
        matches = [k for k in same.candidates(e, repeat=undated) if _same_event(k, e)]
        if len(matches) != 1:
            kept.append(e)
            kind.setdefault((e.type, e.status), []).append(e)
            same.add(e, undated)
            continue
        _join(matches[0], e)
        same.add(matches[0], undated)  # its new agents, targets or place
    # A telling that only reports or denies the happening ("is believed to", "denied the
    # death of X") joins the one event told as having happened that it can be: one
    # happening, one event, with the firmer telling's status. A failed attempt is another
    # happening and stays apart.
    gone: set[int] = set()
    for e in [k for k in kept if k.status in ("alleged", "denied")]:
        happened = index.get((e.type, "happened"))
        found = happened.candidates(e, repeat=_date_span(e) is None) if happened else []
        matches = [k for k in found if _same_event(k, e, same_status=False)]
        if len(matches) == 1:
            _join(matches[0], e, evidence_only=True)
            gone.add(id(e))
    kills: dict[str, list[Event]] = {}  # by day: an attack is compared with that day's killings only
    for k in kind.get(("KILL", "happened"), []):
        if k.time and k.time.value:
            kills.setdefault(k.time.value, []).append(k)
    for e in kind.get(("ATTACK", "happened"), []):
        matches = [k for k in kills.get(e.time.value if e.time else "", []) if _killed_by(e, k, people)]
        if len(matches) == 1:
            _join(matches[0], e, evidence_only=True)
            gone.add(id(e))
    kept = [k for k in kept if id(k) not in gone]
    # An undated telling joins the one dated event it can be ("those killed in X" after a
    # dated killing in X): undated, it could go on no timeline. (_refers_to needs a shared
    # agent, target or place word: the dated events are indexed by them.)
    dated: dict[tuple[str, str], TieIndex] = {}
    for k in kept:
        if _date_span(k) is not None:
            dated.setdefault((k.type, k.status), TieIndex(_place_tokens)).add(k, False)
    for e in [k for k in kept if _date_span(k) is None]:
        near = dated.get((e.type, e.status))
        matches = [k for k in (near.candidates(e) if near else []) if _refers_to(e, k) and _same_doc(k, e)]
        if len(matches) == 1:
            _join(matches[0], e)
            near.add(matches[0], False)
            gone.add(id(e))
    kept = [k for k in kept if id(k) not in gone]
    by_type: dict[str, TieIndex] = {}
    for k in kept:
        by_type.setdefault(k.type, TieIndex(_place_tokens)).add(k, False)
    for ref in sorted((e for e in events if e.status == "reference"), key=_precision_rank):
        dated_ref = _date_span(ref) is not None
        near = by_type.get(ref.type)
        matches = [k for k in (near.candidates(ref) if near else [])
                   if _refers_to(ref, k) and (_date_span(k) or not dated_ref)]
        # "until his assassination" may fit a failed attempt too: what happened is meant
        firm = [k for k in matches if k.status == "happened"]
        if len(matches) == 1 or len(firm) == 1:
            _join((firm or matches)[0], ref, evidence_only=True)
        elif ref.time and ref.time.value:
            # dated in its own words ("the conquest of X on 27 September 1996"), it is
            # the only telling the KB has
            ref.status = "happened"
            kept.append(ref)
            by_type.setdefault(ref.type, TieIndex(_place_tokens)).add(ref, False)
    return kept


def _killed_by(attack: Event, kill: Event, people: frozenset[str]) -> bool:
    """Whether ``attack`` is how ``kill`` was done: both of one day, every target of the
    attack a person the killing killed, and no agent of one that the other contradicts. The
    places are not compared: a village and its province name one spot."""
    ta, tk = attack.time, kill.time
    if not (ta and tk and ta.value and ta.value == tk.value and len(ta.value) == 10):
        return False
    if not attack.targets or not set(attack.targets) <= set(kill.targets) or not set(attack.targets) <= people:
        return False
    return not (attack.agents and kill.agents and not set(attack.agents) & set(kill.agents))


def _same_doc(k: Event, e: Event) -> bool:
    """Whether ``k`` has a telling in a document that tells ``e``: an undated telling can
    be dated by its own story, not by another document's (whose war may be a later one)."""
    return bool({ev.doc for ev in k.evidence} & {ev.doc for ev in e.evidence})


def _refers_to(ref: Event, k: Event) -> bool:
    """Can ``ref`` (an event only referred to, or told without a date) be the event ``k``?

    Same type; ``k`` happened (or is another undated telling's dated twin of the same
    status); dates compatible when both have one; no conflicting agents, targets or places;
    and at least one shared agent, target or place.
    """
    if ref.type != k.type or k is ref or k.status == "reference":
        return False
    if ref.status != "reference" and ref.status != k.status:
        return False
    ties = _ties(ref, k, _date_span(ref), _date_span(k))
    return ties is not None and any(ties)


def _join(k: Event, e: Event, evidence_only: bool = False) -> None:
    """Add the telling ``e`` to the event ``k``."""
    _merge_evidence(k.evidence, e.evidence)
    if evidence_only:
        return
    k.agents = _unique([*k.agents, *e.agents])
    k.targets = [t for t in _unique([*k.targets, *e.targets]) if t not in k.agents]
    if not k.place or (e.place and _place_tokens(k.place) < _place_tokens(e.place)):
        k.place = e.place or k.place
    if not k.fatalities and e.fatalities:
        k.fatalities = e.fatalities


def _event_order(e: Event) -> tuple:
    """Events in time order, a vague date at the end of its span: "1996" after "1996-09-27",
    as a chronology lists what it can place exactly before what it cannot."""
    date = e.time.value if e.time and e.time.value else "9999"
    end = (e.time.value_end if e.time and e.time.value_end else date)
    if e.time and e.time.precision == "decade" and not e.time.value_end and len(end) == 4:
        end = end[:3] + "9"  # "the 1990s" ends in 1999
    end = end + "-99" * ((10 - len(end)) // 3)  # "1996" → "1996-99-99", "1996-09" → "1996-09-99"
    ev = e.evidence[0] if e.evidence else None
    return (end, date, ev.doc if ev else "", ev.start if ev else 0)


def _unique(items: Iterable[str | None]) -> list[str]:
    out: list[str] = []
    for x in items:
        if x and x not in out:
            out.append(x)
    return out


# ---------------------------------------------------------------------------- user corrections


def _dedupe_relations(relations: list[Relation]) -> list[Relation]:
    seen: dict[tuple, Relation] = {}
    for r in relations:
        if r.source == r.target:
            continue
        a, b = (r.source, r.target) if r.relation not in SYMMETRIC_RELATIONS else tuple(sorted((r.source, r.target)))
        key = (a, r.relation, b, r.start, r.end, r.qualifier)
        if key in seen:
            _merge_evidence(seen[key].evidence, r.evidence)
        else:
            seen[key] = r
    return list(seen.values())


def merge_actors(kb: KB, keep: str, drop: str) -> Actor:
    """Make actor ``drop`` part of actor ``keep``: names, mentions and every fact move over."""
    by_id = {a.id: a for a in kb.actors}
    a, b = by_id[keep], by_id[drop]
    for n in (b.name, *b.aliases):
        if n != a.name and n not in a.aliases:
            a.aliases.append(n)
    for doc, n in b.mentions.items():
        a.mentions[doc] = a.mentions.get(doc, 0) + n
    _merge_evidence(a.evidence, b.evidence)
    if a.type in _WEAK_TYPES and b.type not in _WEAK_TYPES:
        a.type = b.type
    kb.actors = [x for x in kb.actors if x.id != drop]

    def swap(ids: list[str]) -> list[str]:
        return _unique(keep if x == drop else x for x in ids)

    for m in kb.mentions:
        if m.key == drop:
            m.key = keep
    for e in kb.events:
        e.agents = swap(e.agents)
        e.targets = [t for t in swap(e.targets) if t not in e.agents]
    for r in kb.relations:
        r.source = keep if r.source == drop else r.source
        r.target = keep if r.target == drop else r.target
    kb.relations = _dedupe_relations(kb.relations)
    for f in kb.figures:
        if f.actor == drop:
            f.actor = keep
    return a


def split_name(kb: KB, actor_id: str, name: str) -> Actor:
    """Take ``name`` off actor ``actor_id`` into an actor of its own, with the mentions
    written that way. Facts stay with the original actor (they were read of it)."""
    a = next(x for x in kb.actors if x.id == actor_id)
    if name == a.name:
        if not a.aliases:
            raise ValueError(f"{name!r} is the only name of {actor_id}; nothing to split off")
        a.name = a.aliases.pop(0)
    else:
        a.aliases.remove(name)
    new_id = f"a{max((int(x.id[1:]) for x in kb.actors if x.id[1:].isdigit()), default=0) + 1}"
    moved = [m for m in kb.mentions if m.key == actor_id and m.text == name]
    counts: Counter = Counter(m.doc for m in moved)
    for doc, n in counts.items():
        a.mentions[doc] -= n
        if a.mentions[doc] <= 0:
            del a.mentions[doc]
    for m in moved:
        m.key = new_id
    evidence = [Evidence(m.doc, m.start, m.end, m.text) for m in moved[:1]]
    new = Actor(id=new_id, name=name, type=a.type, aliases=[], mentions=dict(counts), evidence=evidence)
    kb.actors.append(new)
    return new


def _by_name(kb: KB, name: str) -> list[Actor]:
    want = norm(name)
    return [a for a in kb.actors if a.id == name or want in {norm(n) for n in (a.name, *a.aliases)}]


def apply_overrides(kb: KB, overrides: list[dict]) -> list[str]:
    """Replay the user's corrections (``{"op": "merge"|"split", "a": name, "b": name}``) on a
    freshly built KB, by name, in order. Returns one line per correction that no longer
    applies (a name gone from the documents), so the user can see it."""
    notes = []
    for o in overrides:
        first, second = _by_name(kb, o["a"]), _by_name(kb, o["b"])
        if o["op"] == "merge":
            if not first or not second:
                notes.append(f"merge {o['a']!r} + {o['b']!r}: {'first' if not first else 'second'} name not found")
                continue
            keep = first[0]
            for other in second:
                if other.id != keep.id:
                    merge_actors(kb, keep.id, other.id)
        elif o["op"] == "split":
            owner = [a for a in first if o["b"] in (a.name, *a.aliases)]
            if not owner:
                notes.append(f"split {o['b']!r} off {o['a']!r}: no such actor carries that name")
                continue
            if len(owner[0].aliases) or owner[0].name != o["b"]:
                split_name(kb, owner[0].id, o["b"])
    return notes
