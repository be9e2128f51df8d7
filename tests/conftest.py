"""Shared fixtures: the spaCy pipeline, one build of the example corpus per test session (into
a SQLite file, and into a real local PostgreSQL server started for the session)."""

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


#: A second, small corpus about another war, and a hostile document: the web app must show
#: both, and the markup in the second must stay text.
SECOND_CORPUS = {
    "bosnian-war.txt": """= Bosnian War =

- Combatant1: Republic of Bosnia and Herzegovina
- Combatant2: Republika Srpska

The Bosnian War began in April 1992 in Bosnia and Herzegovina. The Army of Republika Srpska \
besieged Sarajevo from 1992 to 1996. The United States recognized Bosnia and Herzegovina in \
April 1992. Serbia supported the Army of Republika Srpska throughout the war. Croatia supported \
the Croatian Defence Council. In March 1994 the Washington Agreement ended the fighting between \
the Army of the Republic of Bosnia and Herzegovina and the Croatian Defence Council. In July 1995 \
the Army of Republika Srpska captured Srebrenica and killed more than 8,000 Bosniak men. NATO \
launched air strikes against the Army of Republika Srpska in August 1995. The Dayton Agreement \
was signed in Dayton in December 1995. About 100,000 people were killed and 2.2 million were \
displaced.
""",
    "xss.txt": """= <script>window.__xss = 1</script> Field report =

The <img src=x onerror="window.__xss=2"> militia attacked Tuzla in May 1995. \
<script>window.__xss=3</script> Croatia supported the Army of the Republic of Bosnia and \
Herzegovina in 1994. The Army of Republika Srpska shelled Tuzla on 25 May 1995 and killed 71 \
people. <svg onload="window.__xss=4"></svg> <a href="javascript:window.__xss=5">link</a>
""",
}


@pytest.fixture(scope="session")
def second_db(tmp_path_factory, parse_cache) -> Path:
    """A small second corpus (:data:`SECOND_CORPUS`) built once into a KB file."""
    from conflictlens.pipeline import build

    folder = tmp_path_factory.mktemp("second")
    for name, text in SECOND_CORPUS.items():
        (folder / name).write_text(text, encoding="utf-8")
    db = tmp_path_factory.mktemp("kb2") / "second.db"
    build([folder], db, cache_dir=parse_cache, n_process=1)
    return db


def parsed(text: str, name: str = "test.txt"):
    """``(document, spacy doc)`` for a text, parsed the way a build parses it."""
    from conflictlens.ingest import parse_text
    from conflictlens.nlp import load_nlp
    from conflictlens.nlp import parse_text as nlp_text

    doc = parse_text(text, name=name)
    return doc, load_nlp()(nlp_text(doc))


def actors_of(text: str):
    """``(actors, mentions)`` of one text, every mention checked against its span."""
    from conflictlens.extract.actors import extract_actors

    doc, sdoc = parsed(text)
    actors, mentions = extract_actors(sdoc, doc)
    for m in mentions:
        assert text[m.start:m.end] == m.text
    return actors, mentions


def find(actors, name):
    """The one actor that has ``name`` among its names."""
    hits = [a for a in actors if name in {a.name, *a.aliases}]
    assert len(hits) == 1, f"{name!r} is on {len(hits)} actors: {[(a.name, a.aliases) for a in actors]}"
    return hits[0]


def sentence_evidence(text: str, doc: str, phrase: str):
    """Evidence for the sentence of ``text`` (sentences end with ". ") that holds ``phrase``."""
    from conflictlens.records import Evidence

    i = text.index(phrase)
    start = text.rfind(". ", 0, i)
    start = 0 if start < 0 else start + 2
    end = text.find(". ", i)
    end = len(text) if end < 0 else end + 1
    return Evidence(doc, start, end, text[start:end])


def text_mentions(text: str, doc: str, actors) -> list:
    """A mention of each actor at every place ``text`` spells one of its names."""
    from conflictlens.records import Mention

    mentions = []
    for a in actors:
        for n in (a.name, *a.aliases):
            at = text.find(n)
            while at >= 0:
                mentions.append(Mention(a.id, n, at, at + len(n), doc))
                at = text.find(n, at + 1)
    return mentions


# ----------------------------------------------------------------------------- PostgreSQL

@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server of this session (tests/pg_server.py: initdb + pg_ctl in a temporary
    folder, on a free loopback port), stopped and removed at the end; skipped, saying why,
    where none can be started."""
    import pg_server as pg

    pytest.importorskip("psycopg", reason="psycopg is not installed (pip install 'psycopg[binary]')")
    try:
        server = pg.start()
    except pg.Unavailable as exc:
        pytest.skip(f"no PostgreSQL server for the tests: {exc}")
    try:
        yield server.url
    finally:
        server.stop()


_databases = iter(range(1, 10**6))


@pytest.fixture
def pg_url(pg_server) -> str:
    """A fresh, empty database on the session's server: its URL."""
    from pg_server import create_database

    return create_database(pg_server, f"t{next(_databases)}")


@pytest.fixture(scope="session")
def example_pg(pg_server, parse_cache) -> str:
    """The example corpus built once into a PostgreSQL database (by the build, like the file)."""
    from conflictlens.pipeline import build
    from pg_server import create_database

    url = create_database(pg_server, "example")
    build([EXAMPLES], url, cache_dir=parse_cache, n_process=2)
    return url


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def any_db(request) -> str:
    """The example KB on each backend: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("example_db"))
    return request.getfixturevalue("example_pg")


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_db(request, tmp_path) -> str:
    """Where a test builds its own KB: a new SQLite file, then a new PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "kb.db")
    return request.getfixturevalue("pg_url")
