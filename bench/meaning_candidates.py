"""Candidates for relations worded outside the lexicons, labelled from gold (measurement only).

    PYTHONPATH=src python bench/meaning_candidates.py [--gold-root DIR] [--out cands.jsonl]

A candidate is a verb of a sentence whose grammatical subject names an actor and whose direct
object, or the object of one of its prepositions, names another actor, where the verb has no
row in ``relations_verbs.tsv`` and the sentence gave no relation between the two. Each
candidate is labelled with the gold relation between the two actors whose quote overlaps the
sentence (or ``none``), so the share of candidates that are real relations, and which
wordings they use, can be read before any classifier is built on them.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter

from conflictlens.extract import relations as R
from conflictlens.nlp import parse_documents
from conflictlens.pipeline import extract_document, read_documents

GOLD_ROOT = "/work/shared/gold-dev"


def _score_module(gold_root: str):
    sys.path.insert(0, os.path.join(gold_root, "..", "eval"))
    import score  # noqa: PLC0415
    return score


def verb_candidates(sdoc, document, facts):
    """(sentence, verb, prep, subject key, object key) for verbs outside the lexicon."""
    mentions = [m for a in facts.actors for m in a.mentions]
    index = R._RelIndex(mentions, document.text)
    sents = list(sdoc.sents)
    R._resolve_pronouns(sents, document.text, index)
    have = {(r.source, r.target) for r in facts.relations} | {(r.target, r.source) for r in facts.relations}
    for sent in sents:
        for verb in sent:
            if verb.pos_ != "VERB" or R._verb_lemma_rules(verb):
                continue
            if R._is_passive(verb):
                subjects = R._prep_objects(verb, ("by",), index)
                objs = [("-", k) for k in R._gram_subject(verb, index)]
            else:
                subjects = R._gram_subject(verb, index)
                objs = [("-", k) for k in R._deps(verb, ("dobj",), index)]
            for c in verb.children:
                if c.dep_ == "prep" and c.lower_ != "by":
                    objs += [(c.lower_, k) for k in R._prep_objects(verb, (c.lower_,), index)]
            for s in subjects:
                for prep, o in objs:
                    if s != o:
                        yield sent, verb, prep, s, o, (s, o) in have


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gold-root", default=GOLD_ROOT)
    ap.add_argument("--out", default="/tmp/meaning-cands.jsonl")
    a = ap.parse_args()
    score = _score_module(a.gold_root)
    rows = []
    for slug in sorted(os.listdir(a.gold_root)):
        folder = os.path.join(a.gold_root, slug)
        if not os.path.isfile(os.path.join(folder, "CORPUS")):
            continue
        gold = score.Gold(folder)
        corpus = os.path.normpath(os.path.join(a.gold_root, open(os.path.join(folder, "CORPUS")).read().strip()))
        docs, _ = read_documents([corpus])
        docs = [d for d in docs if d.name in gold.docs_relations]
        for document, sdoc in parse_documents(docs, n_process=1):
            facts = extract_document(document, sdoc)
            names = {a_.key: {score.norm(n) for n in [a_.name, *a_.aliases, *a_.weak_aliases]} for a_ in facts.actors}
            gid = {k: {g for g, gn in gold.names.items() if gn & ns} for k, ns in names.items()}
            grels = [g for g in gold.relations if os.path.basename(g["doc"]) == document.name]
            for sent, verb, prep, s, o, had in verb_candidates(sdoc, document, facts):
                label, anywhere = "none", "none"
                for g in grels:
                    fwd = g["source"] in gid.get(s, ()) and g["target"] in gid.get(o, ())
                    rev = g["source"] in gid.get(o, ()) and g["target"] in gid.get(s, ())
                    if not (fwd or rev):
                        continue
                    rel = g["relation"] if fwd or g["relation"] in score.SYMMETRIC else g["relation"] + "^-1"
                    anywhere = rel
                    q = document.text.find(g["quote"])
                    if q >= 0 and q < sent.end_char and sent.start_char < q + len(g["quote"]):
                        label = rel
                types = {a_.key: a_.type for a_ in facts.actors}
                rows.append({"doc": slug, "lemma": verb.lemma_.lower(), "prep": prep, "src": s, "tgt": o,
                             "src_type": types.get(s, "?"), "tgt_type": types.get(o, "?"),
                             "negated": R._negated(verb), "passive": R._is_passive(verb),
                             "hypothetical": R._hypothetical(verb), "dep": verb.dep_,
                             "had": had, "label": label, "anywhere": anywhere,
                             "sent": sent.text[:300], "verb_i": verb.i - sent.start})
    with open(a.out, "w") as fh:
        for r in rows:
            fh.write(json.dumps(r) + "\n")
    print(f"{len(rows)} candidates; new pairs: {sum(not r['had'] for r in rows)}")
    for doc in sorted({r["doc"] for r in rows}):
        new = [r for r in rows if r["doc"] == doc and not r["had"]]
        print(doc, len(new), Counter(r["label"] for r in new).most_common(), "anywhere:",
              Counter(r["anywhere"] for r in new).most_common())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
