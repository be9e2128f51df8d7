"""Route (a) in context: an out-of-lexicon verb with actor arguments, compared with the
lexicon's trigger verbs put in its own place (measurement only).

    PYTHONPATH=src python bench/meaning_context.py [--gold-root DIR]

For each verb outside ``events_triggers.tsv`` whose subject or object names an actor, the
short clause "subject verb [prep] object" is embedded (MiniLM, :mod:`meaning`) and compared
with the same clause where the verb is replaced by each of its ten nearest trigger verbs:
the context is the same, so the similarity says how well that trigger verb could stand in
the verb's place. The candidates are listed by that similarity with the gold event type of
the sentence (an overlapping gold quote naming the actor), to see whether any threshold
separates events from the rest.
"""
from __future__ import annotations

import argparse
import json
import os

import minilm as M
import numpy as np

from conflictlens.extract import events as E
from conflictlens.extract import relations as R
from conflictlens.nlp import parse_documents
from conflictlens.pipeline import extract_document, read_documents


def head_text(tok) -> str:
    parts = [c for c in tok.children if c.dep_ in ("compound", "amod")] + [tok]
    return " ".join(t.text for t in sorted(parts, key=lambda t: t.i))


def clause(verb, lemma: str) -> str | None:
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    prep = None
    if obj is None:
        prep = next((c for c in verb.children if c.dep_ == "prep"
                     and any(g.dep_ == "pobj" for g in c.children)), None)
        if prep is not None:
            obj = next(g for g in prep.children if g.dep_ == "pobj")
    if subj is None and obj is None:
        return None
    words = [head_text(subj) if subj is not None else "", lemma]
    if prep is not None:
        words.append(prep.lower_)
    if obj is not None:
        words.append(head_text(obj))
    return " ".join(w for w in words if w)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gold-root", default="/work/shared/gold-dev")
    ap.add_argument("--top", type=int, default=10)
    a = ap.parse_args()
    verbs = tuple(sorted(lemma for lemma, pos in E._triggers() if pos == "VERB"))
    rows = []
    for slug in sorted(os.listdir(a.gold_root)):
        folder = os.path.join(a.gold_root, slug)
        if not os.path.isfile(os.path.join(folder, "CORPUS")):
            continue
        gold = [json.loads(x) for x in open(os.path.join(folder, "events.jsonl")) if x.strip()]
        corpus = os.path.normpath(os.path.join(a.gold_root, open(os.path.join(folder, "CORPUS")).read().strip()))
        docs, _ = read_documents([corpus])
        docs = [d for d in docs if d.name in {os.path.basename(g["doc"]) for g in gold}]
        for document, sdoc in parse_documents(docs, n_process=1):
            facts = extract_document(document, sdoc)
            index = R._RelIndex([m for x in facts.actors for m in x.mentions], document.text)
            spans = [(document.text.find(g["quote"]), g) for g in gold]
            for verb in sdoc:
                if verb.pos_ != "VERB" or (verb.lemma_.lower(), "VERB") in E._triggers():
                    continue
                actors = R._gram_subject(verb, index) + R._deps(verb, ("dobj",), index)
                if not actors:
                    continue
                lemma = verb.lemma_.lower()
                text = clause(verb, lemma)
                if text is None:
                    continue
                sims = M.similarities(lemma, verbs)
                near = [verbs[i] for i in np.argsort(-sims)[:a.top]]
                enc = M._encoder()
                vecs = enc.embed([text] + [clause(verb, n) for n in near])
                ctx = vecs[1:] @ vecs[0]
                best = int(np.argmax(ctx))
                etype = E._triggers()[(near[best], "VERB")][0].type
                sent = verb.sent
                label = next((g["type"] for q, g in spans if q >= 0 and q < sent.end_char
                              and sent.start_char < q + len(g["quote"])), "none")
                rows.append((float(ctx[best]), slug[:6], text, near[best], etype, label))
    rows.sort(reverse=True)
    for r in rows[:60]:
        print(f"{r[0]:.3f} {r[1]} {r[2]:<45} -> {r[3]:<10} {r[4]:<18} gold={r[5]}")
    for th in (0.95, 0.9, 0.85, 0.8):
        sel = [r for r in rows if r[0] >= th]
        right = sum(r[4] == r[5] for r in sel)
        print(f"threshold {th}: {len(sel)} read as events, type equal to the sentence's gold event: {right}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
