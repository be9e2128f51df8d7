"""Route (a) by lemma: the nearest lexicon lemma of each out-of-lexicon verb (measurement only).

    PYTHONPATH=src OPENBLAS_NUM_THREADS=1 python bench/meaning_neighbours.py relations /tmp/meaning-cands.jsonl
    PYTHONPATH=src OPENBLAS_NUM_THREADS=1 python bench/meaning_neighbours.py events CORPUS ...

``relations``: for each candidate of ``meaning_candidates.py`` (verb phrase "lemma prep"),
the nearest phrase of ``relations_verbs.tsv`` by MiniLM cosine similarity, with its relation
and the gold label. ``events``: for each verb lemma of the corpora that
``events_triggers.tsv`` lacks, the nearest trigger verb and its event type. Sorted by
similarity, so one reads off what a threshold would let in.
"""
from __future__ import annotations

import json
import sys
from collections import Counter

import minilm
import numpy as np

from conflictlens.extract.events import _triggers
from conflictlens.extract.relations import _verb_rules


def relations(path: str) -> None:
    rules = _verb_rules()
    rel_of = {(lemma if r.prep == "-" else f"{lemma} {r.prep}"): r.relation for lemma, rs in rules.items() for r in rs}
    phrases = tuple(sorted(rel_of))
    seen, out = set(), []
    for r in (json.loads(x) for x in open(path)):
        q = r["lemma"] if r["prep"] == "-" else f"{r['lemma']} {r['prep']}"
        if r["had"] or q in seen:
            continue
        seen.add(q)
        s = minilm.similarities(q, phrases)
        b = int(np.argmax(s))
        out.append((float(s[b]), q, phrases[b], rel_of[phrases[b]], r["label"], r["anywhere"], r["doc"][:6]))
    for o in sorted(out, reverse=True):
        print(f"{o[0]:.2f} {o[1]:<22} -> {o[2]:<18} {o[3]:<12} gold={o[4]}/{o[5]} {o[6]}")


def events(corpora: list[str]) -> None:
    from conflictlens.nlp import parse_documents
    from conflictlens.pipeline import read_documents
    trig = _triggers()
    verbs = tuple(sorted(lemma for lemma, pos in trig if pos == "VERB"))
    docs, _ = read_documents(corpora)
    count: Counter = Counter()
    for _, sdoc in parse_documents(docs, n_process=1):
        count.update(t.lemma_.lower() for t in sdoc if t.pos_ == "VERB" and (t.lemma_.lower(), "VERB") not in trig)
    out = []
    for lemma, n in count.items():
        s = minilm.similarities(lemma, verbs)
        b = int(np.argmax(s))
        out.append((float(s[b]), lemma, verbs[b], trig[(verbs[b], "VERB")][0].type, n))
    print(len(out), "verb lemmas outside the trigger lexicon")
    for o in sorted(out, reverse=True):
        print(f"{o[0]:.2f} {o[1]:<16} -> {o[2]:<12} {o[3]:<18} n={o[4]}")


if __name__ == "__main__":
    if sys.argv[1] == "relations":
        relations(sys.argv[2])
    else:
        events(sys.argv[2:])
