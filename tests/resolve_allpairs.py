"""The all-pairs versions of :func:`conflictlens.resolve.resolve_actors` and
:func:`conflictlens.resolve.merge_events` as they were before blocking (main 7a5302f), kept
verbatim as the reference the blocked versions must agree with (tests/test_resolve_blocking.py,
bench/bench_resolve.py). Not used by the package."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from conflictlens.extract.actor_surnames import similar_names, surname
from conflictlens.extract.actors import _pick_name, _state_name, _UnionFind, country_code, norm, strip_honorifics
from conflictlens.records import Actor, DocFacts, Event, LocalActor
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
