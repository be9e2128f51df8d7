"""The conflict at a glance, for the web app's overview page: sides and who switched, leaders,
strength and casualty figures per side, the date span and key events — each line with the ids
of the facts behind it, so that the page links every line to its quotes.

Sides are the two camps of the structural-balance analysis (:func:`conflictlens.network.blocs`),
an actor's side being the camp it is in for most years (the later on a tie); a side is named by
its leading members, those with the most ties to either side; nothing here re-extracts facts.
"""

from __future__ import annotations

import re
from collections import Counter

from . import analyze
from . import network as nw
from .records import KB

#: Relations that say which side an actor is on (the tie shown as its source).
SIDE_RELATIONS = ("fights", "supports", "allied_with", "hostile_to", "recognizes", "sheltered", "controls")
#: Event types that make a key event, most telling first.
KEY_TYPES = {"INVADE": 5, "BATTLE": 4, "CAPTURE": 4, "MASSACRE": 4, "COUP": 4, "AGREE": 3, "ESTABLISH": 2,
             "WITHDRAW": 2, "ATTACK": 2, "KILL": 1, "ELECTION": 1, "LEADERSHIP_CHANGE": 1}
FIGURE_KINDS = ("force_size", "deaths", "wounded", "displaced")


def blocs(kb: KB) -> dict:
    """Camps per year and overall (actor id → 0/1), and the switches, as JSON-ready data."""
    try:
        bl = nw.blocs(kb)
    except Exception:  # no dated ties: no camps
        return {"camp": {}, "years": {}, "switches": []}
    seen: dict[str, Counter] = {}
    last: dict[tuple[str, int], int] = {}
    years = {}
    for i, b in enumerate(bl.periods):
        years[b.label] = {}
        for camp_no, camp in enumerate(b.camps):
            for n in camp:
                seen.setdefault(n, Counter())[camp_no] += 1
                last[n, camp_no] = i
                years[b.label][n] = camp_no
    # the camp of most years; on a tie the later one (where a war ended it: a country that
    # was its enemy's friend one year and fought it the next is on the fighting side)
    camp = {n: max(c, key=lambda k, n=n, c=c: (c[k], last[n, k])) for n, c in seen.items()}
    switches = [{"actor": s.actor, "before": s.before, "after": s.after, "from_camp": s.from_camp,
                 "to_camp": s.to_camp, "facts": sorted({f.id for t in s.changed for f in t.facts})}
                for s in bl.switches]
    return {"camp": camp, "years": years, "switches": switches}


#: Members, figures and leaders of a side sent to the page (the counts say how many there are).
MAX_MEMBERS, MAX_FIGURES = 40, 20
#: How many leading members name a side.
NAME_MEMBERS = 3


def side_name(ranked: list[dict]) -> tuple[str, str]:
    """``(name, short)`` of a side from its members, leading ones first: the first
    :data:`NAME_MEMBERS` groups (states, armies, parties; people only when the side has no
    group), as an analyst names a coalition ("Taliban, Pakistan, al-Qaeda"); ``short`` is the
    first two, for a lane label."""
    groups = [x["actor"]["name"] for x in ranked if x["actor"]["type"] != "person"]
    names = groups or [x["actor"]["name"] for x in ranked]
    return ", ".join(names[:NAME_MEMBERS]), ", ".join(names[:2])


def charts(kb: KB) -> dict:
    """Events per month by type and deaths per year (the events' own figures), for the charts.

    Only dated events count: a month needs a month-precise date, a death toll a year; a time
    spanning more than 12 years places nothing (as on the timeline)."""
    months: dict[str, Counter] = {}
    deaths: Counter = Counter()
    for e in kb.events:
        t = e.time
        if not t or not t.value or not _YEAR.match(t.value):
            continue
        y = int(_YEAR.match(t.value).group(1))
        end = _YEAR.match(t.value_end or "")
        if end and int(end.group(1)) - y > 12:
            continue
        month = _MONTH.match(t.value)
        if month:
            months.setdefault(month.group(0), Counter())[e.type] += 1
        f = e.fatalities or {}
        n = f.get("high") if f.get("high") is not None else f.get("low")
        if n:
            deaths[y] += n
    return {"months": [{"month": k, "types": dict(months[k])} for k in sorted(months)],
            "deaths": [{"year": y, "deaths": deaths[y]} for y in sorted(deaths)]}


_YEAR = re.compile(r"^(-?\d{4})")
_MONTH = re.compile(r"^-?\d{4}-\d{2}")


def overview(kb: KB, js, bl: dict | None) -> dict:
    """The overview page's data (``js``: the API's record → JSON converter, for actor refs;
    ``bl``: :func:`blocs` of the KB, or None while they are being worked out: then no sides,
    and ``"pending": true``)."""
    pending = bl is None
    bl = bl or {"camp": {}, "years": {}, "switches": []}
    camp = bl["camp"]
    actors = analyze.actor_index(kb)
    by_actor: dict[str, list] = {}
    for r in kb.relations:
        if r.relation in SIDE_RELATIONS:
            for x in (r.source, r.target):
                by_actor.setdefault(x, []).append(r)
    sides = []
    for no in (() if pending else (0, 1)):
        # Leading members first: the most ties to actors of either side (who anchors the
        # coalition and whom it fights), then the most mentioned.
        ties = {a: sum(1 for r in by_actor.get(a, []) if camp.get(analyze.other_end(r, a)[1]) is not None)
                for a, c in camp.items() if c == no and a in actors}
        members = sorted(ties, key=lambda a: (-ties[a], -actors[a].mention_count, a))
        rows = []
        for a in members:
            rel = next((r for r in by_actor.get(a, []) if camp.get(analyze.other_end(r, a)[1]) is not None), None)
            rows.append({"actor": js.ref(a), "fact": rel.id if rel else None,
                         "why": analyze.describe_relation(kb, rel, actors) if rel else ""})
        name, short = side_name(rows)
        ids = set(members)
        leaders = []
        for r in kb.relations:
            if r.relation == "leads" and r.target in ids and actors.get(r.source) and actors[r.source].type == "person":
                leaders.append({"actor": js.ref(r.source), "of": js.ref(r.target), "fact": r.id})
        seen_leader: set[str] = set()
        leaders = [x for x in leaders if not (x["actor"]["id"] in seen_leader or seen_leader.add(x["actor"]["id"]))]
        for x in rows:
            if x["actor"]["type"] == "person" and x["actor"]["id"] not in seen_leader:
                leaders.append({"actor": x["actor"], "of": None, "fact": x["fact"]})
                seen_leader.add(x["actor"]["id"])
        figures = [f for f in kb.figures if f.kind in FIGURE_KINDS and f.actor in ids]
        sides.append({"camp": no, "name": name, "short": short, "member_count": len(rows),
                      "members": rows[:MAX_MEMBERS], "leaders": leaders[:12], "figure_count": len(figures),
                      "figures": [js.figure(f) for f in figures[:MAX_FIGURES]]})
    unattributed = [] if pending else [f for f in kb.figures
                                       if f.kind in FIGURE_KINDS and (f.actor is None or f.actor not in camp)]
    switched = [{**s, "actor": js.ref(s["actor"])} for s in bl["switches"]]
    dated = [e for e in kb.events if e.time and e.time.value and e.time.precision in ("day", "month", "year")
             and not e.time.modifier]
    dated.sort(key=lambda e: e.time.value)
    span = None
    if dated:  # the middle 90 % of the dated events: a look back or ahead does not stretch it
        lo, hi = dated[int(len(dated) * 0.05)], dated[min(len(dated) - 1, int(len(dated) * 0.95))]
        span = {"start": lo.time.value, "end": hi.time.value, "start_fact": lo.id, "end_fact": hi.id,
                "first": dated[0].time.value, "last": dated[-1].time.value}
    key = sorted((e for e in dated if e.type in KEY_TYPES),
                 key=lambda e: -(KEY_TYPES[e.type] + len(e.evidence) + (2 if e.fatalities else 0)))[:12]
    key.sort(key=lambda e: e.time.value)
    return {"pending": pending, "sides": sides, "switched": switched[:MAX_MEMBERS], "switched_count": len(switched),
            "unattributed_count": len(unattributed),
            "unattributed_figures": [js.figure(f) for f in unattributed[:MAX_FIGURES]], "span": span,
            "key_events": [js.event(e) for e in key], "charts": charts(kb), "camps": {"camp": camp},
            "documents": [{"name": d.name, "title": d.title} for d in kb.documents]}
