"""Lexicons: rules as data, one concept a file (HeidelTime's way).

Each ``*.tsv`` file beside this module holds one table: ``#`` starts a comment, blank
lines are skipped, columns are separated by tabs. Files are general English or general
world knowledge (verbs of attack, honorifics, demonyms) — never facts of one corpus.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def rows(name: str) -> tuple[tuple[str, ...], ...]:
    """The rows of lexicon ``name`` (file ``name.tsv``), each a tuple of stripped columns."""
    text = resources.files(__package__).joinpath(f"{name}.tsv").read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        out.append(tuple(col.strip() for col in line.split("\t")))
    return tuple(out)


@cache
def mapping(name: str) -> dict[str, str]:
    """Lexicon ``name`` as a dict from its first column (lower-cased) to its second."""
    return {r[0].lower(): (r[1] if len(r) > 1 else "") for r in rows(name)}


@cache
def words(name: str) -> frozenset[str]:
    """Lexicon ``name``'s first column as a set of lower-cased entries."""
    return frozenset(r[0].lower() for r in rows(name))
