"""Quality of a long document built in segments: two JSON exports of one KB compared.

    python bench/compare_longdoc.py BASELINE.json NEW.json

Counts of actors, events, relations and figures in each, and how many facts of each the
other also has, a fact keyed by what it says and where: events by (type, agents' names,
targets' names, first quote), relations by (relation, source name, target name, first
quote; symmetric relations in either order), figures by (kind, low, high, first quote),
actors by name (any of the other's names). Make the exports from the same document, e.g.
the whole scale corpus concatenated into one file, built once with each version's CLI.
"""

from __future__ import annotations

import json
import sys

SYMMETRIC = {"allied_with", "fights", "hostile_to"}


def keys(kb: dict) -> dict[str, set]:
    name = {a["id"]: a["name"] for a in kb["actors"]}

    def names(ids):
        return tuple(sorted(name.get(i, "?") for i in ids))

    def quote(x):
        return x["evidence"][0]["quote"] if x["evidence"] else ""

    out = {"actors": {a["name"] for a in kb["actors"]},
           "events": {(e["type"], names(e["agents"]), names(e["targets"]), quote(e)) for e in kb["events"]},
           "relations": set(), "figures": {(f["kind"], f["low"], f["high"], quote(f)) for f in kb["figures"]}}
    for r in kb["relations"]:
        pair = (name.get(r["source"], "?"), name.get(r["target"], "?"))
        if r["relation"] in SYMMETRIC:
            pair = tuple(sorted(pair))
        out["relations"].add((r["relation"], *pair, quote(r)))
    return out


def main() -> int:
    a, b = (json.loads(open(p).read()) for p in sys.argv[1:3])
    ka, kb = keys(a), keys(b)
    all_names = {n for x in b["actors"] for n in (x["name"], *x["aliases"])}
    all_names_a = {n for x in a["actors"] for n in (x["name"], *x["aliases"])}
    print(f"{'':10}{'baseline':>10}{'new':>10}{'base in new':>14}{'new in base':>14}")
    for kind in ("actors", "events", "relations", "figures"):
        if kind == "actors":
            in_new = sum(1 for n in ka[kind] if n in all_names)
            in_base = sum(1 for n in kb[kind] if n in all_names_a)
        else:
            in_new, in_base = len(ka[kind] & kb[kind]), len(kb[kind] & ka[kind])
        na, nb = len(a[kind]), len(b[kind])
        print(f"{kind:10}{na:>10}{nb:>10}{in_new / max(1, len(ka[kind])):>14.3f}"
              f"{in_base / max(1, len(kb[kind])):>14.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
