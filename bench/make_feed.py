#!/usr/bin/env python3
"""Write a .jsonl news feed of N short generated articles (invented names), to time the
build of a news archive:  make_feed.py N OUT.jsonl"""

from __future__ import annotations

import json
import random
import sys

GROUPS = ["Northern Front", "People's Liberation Movement", "Coastal Defence League", "Highland Union"]
STATES = ["Norland", "Sudavia", "Estmark", "Karovia"]
TOWNS = ["Ardel", "Bessin", "Corvo", "Dunmore", "Elsing", "Farrow", "Galen", "Harwick"]
PEOPLE = ["Amal Serrat", "Jonas Vellin", "Mira Okafor", "Tomas Rell"]
TEMPLATES = [
    "Fighters of the {g} attacked government forces in {t} on Tuesday, killing {n} soldiers, "
    "officials said. Last year the {g} seized the town of {t2}.",
    "The government of {s} said it had sent troops to {t} after the {g} captured the town. "
    "{p}, the leader of the {g}, said the group would hold {t}.",
    "{s} recognized the {g} as a legitimate party to the conflict, the foreign ministry said. "
    "Earlier this year {s2} imposed sanctions on the {g}.",
    "At least {n} civilians were killed when the {g} shelled {t}, a local official said. "
    "The {g} denied that it had targeted civilians.",
]


def main() -> int:
    n, out = int(sys.argv[1]), sys.argv[2]
    rnd = random.Random(7)
    with open(out, "w", encoding="utf-8") as fh:
        for i in range(n):
            y, m, d = rnd.randint(2015, 2020), rnd.randint(1, 12), rnd.randint(1, 28)
            g, t, t2 = rnd.choice(GROUPS), rnd.choice(TOWNS), rnd.choice(TOWNS)
            s, s2, p = rnd.choice(STATES), rnd.choice(STATES), rnd.choice(PEOPLE)
            text = " ".join(rnd.choice(TEMPLATES).format(g=g, t=t, t2=t2, s=s, s2=s2, p=p, n=rnd.randint(3, 40))
                            for _ in range(rnd.randint(1, 3)))
            fh.write(json.dumps({"id": f"a{i}", "title": f"Fighting near {t}", "date": f"{y}-{m:02d}-{d:02d}",
                                 "url": f"https://news.example/{i}", "text": text}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
