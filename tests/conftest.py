"""Shared fixtures: the spaCy pipeline, and one build of the example corpus per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "afghanistan"


@pytest.fixture(scope="session")
def nlp():
    from conflictlens.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def parse_cache(tmp_path_factory) -> Path:
    """A parse cache shared by the tests of one session (never the user's own cache)."""
    return tmp_path_factory.mktemp("parses")


@pytest.fixture(scope="session")
def example_db(tmp_path_factory, parse_cache) -> Path:
    """The example corpus built once into a KB file."""
    from conflictlens.pipeline import build

    db = tmp_path_factory.mktemp("kb") / "afghanistan.db"
    build([EXAMPLES], db, cache_dir=parse_cache, n_process=2)
    return db


@pytest.fixture(scope="session")
def example_kb(example_db):
    from conflictlens import store

    return store.load(example_db)


def parsed(text: str, name: str = "test.txt"):
    """``(document, spacy doc)`` for a text, parsed the way a build parses it."""
    from conflictlens.ingest import parse_text
    from conflictlens.nlp import load_nlp
    from conflictlens.nlp import parse_text as nlp_text

    doc = parse_text(text, name=name)
    return doc, load_nlp()(nlp_text(doc))
