"""Route (b): a small classifier over out-of-lexicon verb candidates, leave-one-document-out.

    PYTHONPATH=src python bench/meaning_candidates.py --out /tmp/meaning-cands.jsonl
    PYTHONPATH=src python bench/meaning_loo.py /tmp/meaning-cands.jsonl [--embed]

Each candidate (subject actor, verb outside ``relations_verbs.tsv``, object actor) gets
features: verb lemma, preposition, verb dependency, voice, negation, hypothetical, the two
actors' types, and with ``--embed`` the MiniLM vector of "lemma prep" (``bench/minilm.py``). A
multinomial logistic regression (numpy, L2) is trained on three documents and tested on the
fourth, for each document in turn. A prediction is right when it equals the gold relation of
the pair in the sentence (``label``) or, the scorer being set-based, any gold relation of
the pair in the document (``anywhere``).
"""
from __future__ import annotations

import argparse
import json
from collections import Counter

import numpy as np


def features(r: dict) -> list[str]:
    return [f"lemma={r['lemma']}", f"prep={r['prep']}", f"dep={r['dep']}", f"pass={r['passive']}",
            f"neg={r['negated']}", f"hyp={r['hypothetical']}", f"st={r['src_type']}", f"tt={r['tgt_type']}",
            f"pair={r['src_type']}>{r['tgt_type']}", f"lemprep={r['lemma']}|{r['prep']}"]


def train(X: np.ndarray, y: np.ndarray, k: int, l2: float = 1.0, steps: int = 500, lr: float = 0.5) -> np.ndarray:
    W = np.zeros((X.shape[1], k))
    Y = np.eye(k)[y]
    for _ in range(steps):
        Z = X @ W
        P = np.exp(Z - Z.max(1, keepdims=True))
        P /= P.sum(1, keepdims=True)
        W -= lr * (X.T @ (P - Y) / len(X) + l2 * W / len(X))
    return W


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("cands")
    ap.add_argument("--embed", action="store_true", help="add the MiniLM vector of the verb phrase")
    ap.add_argument("--l2", type=float, default=1.0)
    a = ap.parse_args()
    rows = [json.loads(x) for x in open(a.cands) if not json.loads(x)["had"]]
    vocab = {f: i for i, f in enumerate(sorted({f for r in rows for f in features(r)}))}
    X = np.zeros((len(rows), len(vocab) + 1))
    for i, r in enumerate(rows):
        X[i, -1] = 1.0
        for f in features(r):
            X[i, vocab[f]] = 1.0
    if a.embed:
        import minilm as meaning
        E = np.stack([meaning._vector(r["lemma"] if r["prep"] == "-" else f"{r['lemma']} {r['prep']}") for r in rows])
        X = np.hstack([X, E])
    labels = sorted({r["label"] for r in rows})
    y = np.array([labels.index(r["label"]) for r in rows])
    docs = sorted({r["doc"] for r in rows})
    tot = Counter()
    for d in docs:
        tr = np.array([r["doc"] != d for r in rows])
        W = train(X[tr], y[tr], len(labels), l2=a.l2)
        pred = (X[~tr] @ W).argmax(1)
        test = [r for r in rows if r["doc"] == d]
        c = Counter()
        for r, p in zip(test, pred, strict=True):
            lab = labels[p]
            c["gold"] += r["label"] != "none"
            if lab != "none":
                c["pred"] += 1
                c["right"] += lab == r["label"]
                c["right_anywhere"] += lab in (r["label"], r["anywhere"])
        tot.update(c)
        print(d, dict(c))
    print("all", dict(tot))
    print("ranking (binary, balanced):")
    ranking(rows, X, a.l2)
    return 0


def ranking(rows: list[dict], X: np.ndarray, l2: float) -> None:
    """Binary 'relation or none' with balanced classes: the test document's top candidates."""
    y = np.array([r["label"] != "none" for r in rows], dtype=int)
    for d in sorted({r["doc"] for r in rows}):
        tr = np.array([r["doc"] != d for r in rows])
        pos = y[tr].mean()
        Xw = X[tr]
        # balance by repeating positives
        rep = max(1, int(round((1 - pos) / max(pos, 1e-9))))
        idx = np.concatenate([np.arange(tr.sum())] + [np.where(y[tr] == 1)[0]] * (rep - 1))
        W = train(Xw[idx], y[tr][idx], 2, l2=l2)
        s = (X[~tr] @ W)
        s = s[:, 1] - s[:, 0]
        test = [r for r in rows if r["doc"] == d]
        order = np.argsort(-s)
        print(d, "positives:", int(y[~tr].sum()), "of", len(test))
        for j in order[:5]:
            r = test[j]
            print(f"   {s[j]:+.2f} {r['lemma']} {r['prep']} {r['src_type']}>{r['tgt_type']}",
                  f"gold={r['label']}/{r['anywhere']}")


if __name__ == "__main__":
    raise SystemExit(main())
