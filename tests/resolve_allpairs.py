"""The all-pairs versions of :func:`conflictlens.resolve.resolve_actors`,
:func:`conflictlens.resolve.merge_events`, :func:`conflictlens.extract.time.refine_event_dates`
and :func:`conflictlens.extract.time.anchor_event_references` as they were before blocking (main 7a5302f), kept
verbatim as the reference the blocked versions must agree with (tests/test_resolve_blocking.py,
bench/bench_resolve.py). Not used by the package."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from conflictlens.extract.actor_surnames import similar_names, surname
from conflictlens.extract.actors import _pick_name, _state_name, _UnionFind, country_code, norm, strip_honorifics
from conflictlens.extract.time import _AFTER_WORDS, _CONTAINING, _EVENT_REFERENCE, _event_nouns
from conflictlens.records import Actor, DocFacts, Event, LocalActor, TimeExpr
from conflictlens.resolve import (
    _WEAK_TYPES,
    _date_span,
    _join,
    _killed_by,
    _link_forms,
    _misspelt,
    _names,
    _precision_rank,
    _refers_to,
    _same_doc,
    _same_event,
)


def resolve_actors_allpairs(facts: Iterable[DocFacts]) -> tuple[list[Actor], dict[tuple[str, str], str]]:
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
    # Spelling variants of one person's full name across documents ("Mohaqiq"/"Muhaqiq").
    people = [(doc, a) for doc, a in local if a.type == "person" and len(_link_forms(a)) > 0]
    for i, (d1, a1) in enumerate(people):
        for d2, a2 in people[i + 1:]:
            if d1 != d2 and uf.find((d1, a1.key)) != uf.find((d2, a2.key)) and similar_names(a1.name, a2.name):
                uf.union((d1, a1.key), (d2, a2.key))
    # Misspellings of a group's name ("Al-Qaeda" / "Al-Queda").
    groups = [(doc, a) for doc, a in local if a.type not in ("person", "state", "ethnic_group")]
    for i, (d1, a1) in enumerate(groups):
        for d2, a2 in groups[i + 1:]:
            if uf.find((d1, a1.key)) != uf.find((d2, a2.key)) and _misspelt(a1.name, a2.name):
                uf.union((d1, a1.key), (d2, a2.key))
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


def merge_events_allpairs(events: list[Event], people: frozenset[str] = frozenset()) -> list[Event]:
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
    # _same_event needs the same type and status: compare within those only (a news
    # archive of thousands of events would otherwise compare every pair)
    kind: dict[tuple[str, str], list[Event]] = {}
    told = [e for e in events if e.status != "reference"]
    for e in sorted(told, key=_precision_rank):
        same = kind.setdefault((e.type, e.status), [])
        matches = [k for k in same if _same_event(k, e)]
        if len(matches) != 1:
            kept.append(e)
            same.append(e)
            continue
        _join(matches[0], e)
    # A telling that only reports or denies the happening ("is believed to", "denied the
    # death of X") joins the one event told as having happened that it can be: one
    # happening, one event, with the firmer telling's status. A failed attempt is another
    # happening and stays apart.
    gone: set[int] = set()
    for e in [k for k in kept if k.status in ("alleged", "denied")]:
        matches = [k for k in kind.get((e.type, "happened"), []) if _same_event(k, e, same_status=False)]
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
    # dated killing in X): undated, it could go on no timeline.
    undated = [k for k in kept if _date_span(k) is None]
    for e in undated:
        matches = [k for k in kept if _date_span(k) is not None and _refers_to(e, k)
                   and _same_doc(k, e)]
        if len(matches) == 1:
            _join(matches[0], e)
            kept.remove(e)
    for ref in sorted((e for e in events if e.status == "reference"), key=_precision_rank):
        dated = _date_span(ref) is not None
        matches = [k for k in kept if _refers_to(ref, k) and (_date_span(k) or not dated)]
        # "until his assassination" may fit a failed attempt too: what happened is meant
        firm = [k for k in matches if k.status == "happened"]
        if len(matches) == 1 or len(firm) == 1:
            _join((firm or matches)[0], ref, evidence_only=True)
        elif ref.time and ref.time.value:
            # dated in its own words ("the conquest of X on 27 September 1996"), it is
            # the only telling the KB has
            ref.status = "happened"
            kept.append(ref)
    return kept


def refine_event_dates_allpairs(events: list) -> int:
    """Give a coarsely dated event the finer date the KB knows for the same event.

    One event is often told twice: "the Taliban seized Kabul in 1996" in one document,
    "the Taliban's conquest of Kabul on 27 September 1996" in another. Two events are taken
    to be the same when they have the same type and status, share a participant (agent or
    target), name no different places, and the finer date lies inside the coarser one
    ("1996" ⊃ "1996-09-27"). A coarse event adopts the finer date only when every such
    candidate agrees on it; the words it was dated by (``TimeExpr.text``) stay, and the
    value is marked ``relative`` (it came from context). Dates that disagree are never
    merged: two dates for one event stay, each with its evidence. "By 1996" (BEFORE) and
    "after 1996" (AFTER) do not contain the event and are left alone.

    Args:
        events: The KB's events after resolution (actor ids global across documents);
            changed in place.

    Returns:
        How many events got a finer date.

    References:
        Event coreference by type, arguments and compatible time, as in event-data
        de-duplication (Schrodt & Van Brackle 2013, "Automated coding of political event
        data"); TimeML intervals (Pustejovsky et al. 2003): a year contains its days.
    """
    dated = [e for e in events if e.time is not None and e.time.value and e.time.value_end is None]
    by_type: dict[tuple[str, str], list] = {}
    for e in dated:
        by_type.setdefault((e.type, e.status), []).append(e)
    changes = []
    for e in dated:
        t = e.time
        if t.precision not in ("month", "year") or t.modifier not in _CONTAINING:
            continue
        who = set(e.agents) | set(e.targets)
        finer = {
            (f.time.value, f.time.precision)
            for f in by_type[(e.type, e.status)]
            if f is not e and len(f.time.value) > len(t.value) and f.time.value.startswith(t.value)
            and f.time.modifier in _CONTAINING and who & (set(f.agents) | set(f.targets))
            and not (e.place and f.place and e.place != f.place)
        }
        if len(finer) == 1:
            changes.append((e, *finer.pop()))
    for e, value, precision in changes:
        t = e.time
        e.time = TimeExpr(t.start, t.end, t.text, value, precision, None, t.modifier, True)
    return len(changes)


def anchor_event_references_allpairs(events: list, relations: list, actor_named: Callable[[str], str | None]) -> int:
    """Date "after the Soviet withdrawal", "until the assassination of Massoud", "before the
    fall of Kabul" by the event the KB itself knows.

    The phrase names an event by its noun (the event lexicon's nouns: withdrawal → WITHDRAW)
    and its actor or place (a possessor or demonym, an "of" phrase). The KB event meant has
    that type, happened, and carries every actor or place the phrase names. A fact told with
    no date of its own (undated, or dated only by its context) gets that date with the
    phrase's direction (AFTER for after/since/following, BEFORE for before/until/prior to).
    Of the events meant, the most precisely dated are taken; they must lie within two years
    of each other ("after" takes the last, "since", "before" and "until" the first). A fact
    never takes a date from its own sentence's event, nor from the event it is a mention of.

    Args:
        events: The KB's events (actor ids global); changed in place.
        relations: The KB's relations; changed in place.
        actor_named: the id of the actor a name or demonym stands for, or None.

    Returns:
        How many facts got a date from an event reference.

    References:
        Strötgen & Gertz (2013), "Multilingual and cross-domain temporal tagging": event-
        anchored expressions need the event's own time, which the KB knows.
    """
    nouns = _event_nouns()

    def anchor(ev, own_type: str | None = None, own_trigger: str = "") -> tuple[TimeExpr, str] | None:
        m = _EVENT_REFERENCE.search(ev.quote)
        if not m or m.group("noun") not in nouns:
            return None
        etype, of_agent = nouns[m.group("noun")]
        if own_type == etype and own_trigger.lower() == m.group("noun"):
            return None  # the fact is the referenced event itself
        who = actor_named(m.group("who")) if m.group("who") else None
        obj_text = m.group("obj")
        obj = actor_named(obj_text) if obj_text else None
        if (m.group("who") and not who) or (obj_text and not obj and of_agent):
            return None
        if not who and not obj_text:
            return None
        values: dict[str, TimeExpr] = {}
        for e in events:
            if e.type != etype or e.status != "happened" or e.time is None or not e.time.value \
                    or e.time.value_end or e.time.modifier not in _CONTAINING:
                continue
            if any(x.doc == ev.doc and x.start < ev.end and ev.start < x.end for x in e.evidence):
                continue  # the same sentence: no date from itself
            people = set(e.agents) | set(e.targets)
            if who and who not in (e.agents if not of_agent else people):
                continue
            if obj_text:
                if of_agent and obj not in e.agents:
                    continue
                if not of_agent and obj not in people and not (
                        e.place and e.place.lower() == obj_text.lower()):
                    continue
            values[e.time.value] = e.time
        if not values:
            return None
        # The most precisely dated tellings are the event itself ("completed in February
        # 1989"); coarse ones may be its build-up ("discussed withdrawals" in 1980).
        depth = max(len(v) for v in values)
        values = {v: t for v, t in values.items() if len(v) == depth}
        if int(max(values)[:4]) - int(min(values)[:4]) > 2:
            return None  # several events of that kind, years apart: which one is unknown
        rel = m.group("rel").split()[0].lower()
        direction = "AFTER" if rel in _AFTER_WORDS else "BEFORE"
        # after a drawn-out event: after its end; since / before / until it: its start
        t = values[max(values) if rel != "since" and direction == "AFTER" else min(values)]
        return TimeExpr(ev.start + m.start(), ev.start + m.end(), m.group(0), t.value, t.precision,
                        None, direction, True), direction

    changed = 0
    for e in events:
        if not e.evidence or (e.time is not None and e.time.value and not e.time.relative):
            continue
        found = anchor(e.evidence[0], e.type, e.trigger)
        if found:
            e.time = found[0]
            changed += 1
    for r in relations:
        if not r.evidence or (r.time is not None and r.time.value and not r.time.relative):
            continue
        found = anchor(r.evidence[0])
        if not found:
            continue
        t, direction = found
        if direction == "AFTER":
            r.start, r.time = t.value, t
        elif r.end is None:
            r.end = t.value
        changed += 1
    return changed
