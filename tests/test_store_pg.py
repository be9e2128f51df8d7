"""The KB on a PostgreSQL server (``--db postgresql://…``): same schema, migrations and
corrections as the SQLite file; same answers from every command and the API; atomic, locked
builds; read-only readers; one-line errors. Runs against the session's real local server
(``pg_server`` in conftest.py); skipped where none can be started."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conflictlens import store
from conflictlens.errors import StoreError
from conflictlens.records import Relation
from test_store import small_kb
from test_use_hardening import one_error_line, run

SRC = str(Path(store.__file__).parent.parent)


def psql(url: str, *statements: str) -> list:
    import psycopg

    with psycopg.connect(url, autocommit=True) as con:
        rows = []
        for s in statements:
            cur = con.execute(s)
            rows = cur.fetchall() if cur.description else rows
        return rows


# ----------------------------------------------------------------------------- the store

def test_round_trip_and_schemas_select_the_kb(pg_url):
    kb = small_kb()
    store.save(kb, pg_url, meta={"built_at": "now"})
    back = store.load(pg_url)
    assert (back.actors, back.events, back.relations, back.figures, back.mentions) == (
        kb.actors, kb.events, kb.relations, kb.figures, kb.mentions)
    assert back.documents[0].text == kb.documents[0].text
    assert store.meta(pg_url)["schema_version"] == str(store.SCHEMA_VERSION)
    # a second KB in the same database, in a schema of its own
    other = small_kb()
    other.actors[1].name = "Republic of Albania"
    store.save(other, pg_url + "?schema=second")
    assert store.load(pg_url + "?schema=second").actors[1].name == "Republic of Albania"
    assert store.load(pg_url).actors[1].name == "Albania"
    with pytest.raises(StoreError, match="build one first"):
        store.load(pg_url + "?schema=third")
    with pytest.raises(StoreError, match="plain schema name"):
        store.load(pg_url + "?schema=x;drop")


def test_floats_and_text_order_are_sqlites(pg_url, tmp_path):
    """REAL is 8 bytes and text sorts byte-wise on both (not REAL(4) nor the server's locale)."""
    kb = small_kb()
    kb.relations[0].confidence = 0.123456789012345
    kb.figures[0].low = 1234567.891
    names = ["b.txt", "B.txt", "a b.txt", "_x.txt", "é.txt", "Z.txt"]
    kb.documents = [type(kb.documents[0])(id=f"d{i}", name=n, path=n, text="x", sha256="0")
                    for i, n in enumerate(names)]
    store.save(kb, pg_url)
    store.save(kb, tmp_path / "kb.db")
    a, b = store.load(pg_url), store.load(tmp_path / "kb.db")
    assert a.relations[0].confidence == 0.123456789012345 and a.figures[0].low == 1234567.891
    assert [d.name for d in a.documents] == [d.name for d in b.documents] == sorted(names)


def test_sqlite_dialect_runs_on_the_server(pg_url):
    """What another module's SQL may hold: a reserved column name, REAL, INTEGER PRIMARY KEY, a
    "%" and a "?" in literals, named parameters, OR IGNORE / OR REPLACE, IFNULL, a PRAGMA."""
    from conflictlens import store_pg

    con = store_pg._open(pg_url)
    try:
        con.executescript("CREATE TABLE notes (id INTEGER PRIMARY KEY, end TEXT, score REAL);"
                          "CREATE INDEX notes_end ON notes (end);")
        assert con.execute("PRAGMA foreign_keys=ON").fetchall() == []
        con.execute("INSERT INTO notes VALUES (?, ?, ?)", (1, "50%", 0.1 + 0.2))
        con.execute('INSERT INTO notes (id, "end", score) VALUES (:i, :e, :s)', {"i": 2, "e": "x?", "s": None})
        con.executemany("INSERT OR IGNORE INTO notes VALUES (?, ?, ?)", [(1, "dup", 0), (3, "c", 2.0)])
        con.execute("INSERT OR REPLACE INTO notes VALUES (?, ?, ?)", (3, "replaced", 2.5))
        rows = con.execute("""SELECT id, "end", IFNULL(score, -1) FROM notes WHERE "end" LIKE '%' OR "end" = '?'
                              ORDER BY rowid""").fetchall()
        assert [tuple(r) for r in rows] == [(1, "50%", 0.1 + 0.2), (2, "x?", -1), (3, "replaced", 2.5)]
        assert con.execute("SELECT count(*) FROM notes WHERE \"end\" LIKE '5%'").fetchone()[0] == 1
        assert store.table_columns(con, "notes") == {"id", "end", "score"}
    finally:
        con.close()


def test_a_failed_save_leaves_the_previous_kb_intact(pg_url):
    store.save(small_kb(), pg_url)
    broken = small_kb()
    broken.relations.append(Relation(object(), "supports", "a1", [], id="r2"))  # not storable
    with pytest.raises(StoreError, match="PostgreSQL"):
        store.save(broken, pg_url)
    assert store.load(pg_url).relations == small_kb().relations


def test_readers_see_the_old_kb_until_the_build_commits(pg_url, monkeypatch):
    store.save(small_kb(), pg_url)
    new = small_kb()
    new.actors[1].name = "Albania (new)"
    filled, release = threading.Event(), threading.Event()
    fill = store._fill

    def slow_fill(con, *args):
        fill(con, *args)
        filled.set()  # every row written, not committed
        assert release.wait(30)

    monkeypatch.setattr(store, "_fill", slow_fill)
    writer = threading.Thread(target=store.save, args=(new, pg_url))
    writer.start()
    try:
        assert filled.wait(30)
        during = store.load(pg_url)  # neither blocked nor half-written
        assert during.actors[1].name == "Albania" and len(during.events) == 1
    finally:
        release.set()
        writer.join(30)
    assert store.load(pg_url).actors[1].name == "Albania (new)"


def test_concurrent_builds_are_serialised_and_whole(pg_url):
    kbs = []
    for i in range(4):
        kb = small_kb()
        kb.actors[1].name = f"Albania {i}"
        kb.relations = kb.relations * (i + 1)
        for j, r in enumerate(kb.relations):
            kb.relations[j] = Relation(r.source, r.relation, r.target, r.evidence, id=f"r{j + 1}")
        kbs.append(kb)
    errors = []

    def save(kb):
        try:
            for _ in range(3):
                store.save(kb, pg_url, overrides=[])
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(kb,)) for kb in kbs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    back = store.load(pg_url)
    i = int(back.actors[1].name.split()[-1])
    assert len(back.relations) == i + 1  # one build's KB, whole
    assert psql(pg_url, "SELECT count(*) FROM meta WHERE key = 'schema_version'") == [(1,)]


def test_the_writers_lock_is_an_advisory_lock(pg_url):
    store.save(small_kb(), pg_url)
    code = ("import sys; from conflictlens import store\n"
            "with store.locked(sys.argv[1], blocking=False) as free: print(free)")
    env = {**os.environ, "PYTHONPATH": SRC}

    def other_process() -> str:
        out = subprocess.run([sys.executable, "-c", code, pg_url], capture_output=True, text=True, env=env)
        return out.stdout.strip() or out.stderr

    with store.locked(pg_url):
        assert other_process() == "False"
        with store.locked(pg_url):  # re-entrant in this thread
            pass
    assert other_process() == "True"
    # another schema is another KB with a lock of its own
    with store.locked(pg_url):
        store.save(small_kb(), pg_url + "?schema=other")


def test_migrations_run_on_the_server_and_newer_kbs_are_refused(pg_url, monkeypatch):
    store.save(small_kb(), pg_url)
    psql(pg_url, "ALTER TABLE relations DROP COLUMN method", "DROP TABLE fact_corrections",
         "UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    # a further migration as another module would add one: a table with BLOB, REAL, a
    # reserved column name, filled by INSERT OR REPLACE, all in SQLite's dialect
    new = store.SCHEMA_VERSION + 1

    def add_index(con):
        con.execute("CREATE TABLE ask_index (term TEXT PRIMARY KEY, postings BLOB, weight REAL, end INTEGER)")
        con.execute("INSERT OR REPLACE INTO ask_index VALUES (?, ?, ?, ?)", ("kabul", b"\x00\x01\xff", 0.1, 5))
        con.execute("INSERT OR REPLACE INTO ask_index VALUES (?, ?, ?, ?)", ("kabul", b"\x02", 0.25, 7))
        con.executemany("INSERT OR IGNORE INTO ask_index VALUES (?, ?, ?, ?)", [("kabul", b"", 0.0, 0),
                                                                               ("herat", b"\x03", 1e-9, 1)])

    monkeypatch.setattr(store, "SCHEMA_VERSION", new)
    monkeypatch.setitem(store.MIGRATIONS, new, add_index)
    kb = store.load(pg_url)
    assert kb.actors[0].name == "Kosovo Liberation Army" and kb.corrections == []
    assert store.meta(pg_url)["schema_version"] == str(new)
    rows = psql(pg_url, 'SELECT term, postings, weight, "end" FROM ask_index ORDER BY term')
    assert rows == [("herat", b"\x03", 1e-9, 1), ("kabul", b"\x02", 0.25, 7)]
    assert {"method", "confidence"} <= {r[0] for r in psql(
        pg_url, "SELECT column_name FROM information_schema.columns WHERE table_name = 'relations'")}
    psql(pg_url, "UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="newer conflictlens"):
        store.load(pg_url)
    with pytest.raises(StoreError, match="newer conflictlens"):
        store.save(small_kb(), pg_url)


def test_tables_that_are_not_a_kb_are_never_written_over(pg_url, tmp_path):
    psql(pg_url, "CREATE TABLE documents (thesis text)", "INSERT INTO documents VALUES ('my notes')")
    with pytest.raises(StoreError, match="not a conflictlens knowledge base"):
        store.load(pg_url)
    (tmp_path / "a.txt").write_text("Albania supported the Kosovo Liberation Army in 1998.", encoding="utf-8")
    line = one_error_line(run("build", tmp_path / "a.txt", "--db", pg_url, "--cache-dir", tmp_path / "c"))
    assert "not a conflictlens knowledge base" in line and "documents" in line
    assert psql(pg_url, "SELECT * FROM documents") == [("my notes",)]
    assert not (tmp_path / "c").exists()  # refused before any parse


def test_readers_are_read_only_and_a_reading_role_can_use_the_kb(pg_url, monkeypatch):
    import psycopg

    store.save(small_kb(), pg_url)
    con = store.connect(pg_url)
    try:
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            con.execute("INSERT INTO meta VALUES (?, ?)", ("x", "y"))
    finally:
        con.close()
    psql(pg_url, "DROP ROLE IF EXISTS reader", "CREATE ROLE reader LOGIN",
         "GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader")
    reader = pg_url.replace("postgres@", "reader@")
    assert store.load(reader).actors == small_kb().actors
    line = one_error_line(run("reject", "r1", "--db", reader))
    assert "permission denied" in line
    # an older KB: a reader upgrades a view of it, never the KB itself
    monkeypatch.setattr(store, "SCHEMA_VERSION", store.SCHEMA_VERSION + 1)
    monkeypatch.setitem(store.MIGRATIONS, store.SCHEMA_VERSION, "CREATE TABLE notes (x TEXT);")
    assert store.load(reader).actors == small_kb().actors
    assert psql(pg_url, "SELECT value FROM meta WHERE key = 'schema_version'") == [(str(store.SCHEMA_VERSION - 1),)]


def test_server_errors_are_one_line_without_the_password(pg_server):
    port = pg_server.rsplit(":", 1)[1]
    line = one_error_line(run("actors", "--db", f"postgresql://postgres:s3cret@127.0.0.1:{port}/nosuchdb"))
    assert f"postgresql://postgres@127.0.0.1:{port}/nosuchdb" in line and "s3cret" not in line
    assert "nosuchdb" in line and "does not exist" in line


def test_unreachable_server_or_missing_driver_is_one_line(monkeypatch, tmp_path):
    pytest.importorskip("psycopg")
    with __import__("socket").socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens there once closed
    url = f"postgresql://me:hunter2@127.0.0.1:{port}/kb"
    line = one_error_line(run("summary", "--db", url))
    assert "cannot connect to the PostgreSQL server" in line and "hunter2" not in line
    (tmp_path / "a.txt").write_text("Albania supported the Kosovo Liberation Army in 1998.", encoding="utf-8")
    line = one_error_line(run("build", tmp_path / "a.txt", "--db", url, "--cache-dir", tmp_path / "c"))
    assert "cannot connect" in line and not (tmp_path / "c").exists()
    monkeypatch.setitem(sys.modules, "psycopg", None)  # not installed
    line = one_error_line(run("summary", "--db", url))
    assert "needs the psycopg package" in line and "hunter2" not in line


def test_sqlite_users_never_load_the_driver(tmp_path):
    code = ("import sys; from conflictlens import store; from test_store import small_kb\n"
            "store.save(small_kb(), sys.argv[1]); store.load(sys.argv[1]); store.load_overrides(sys.argv[1])\n"
            "from conflictlens import cli\n"
            "print('psycopg' in sys.modules)")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([SRC, str(Path(__file__).parent)])}
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "kb.db")], capture_output=True, text=True,
                         env=env)
    assert out.stdout.strip() == "False", out.stderr


# ----------------------------------------------------------------------------- same answers

COMMANDS = [
    ["summary"], ["summary", "--json"], ["actors", "--limit", "25"], ["actors", "--json"],
    ["actor", "Northern Alliance"], ["actor", "Taliban", "--json"], ["actor", "Pakistan", "--json"],
    ["timeline", "--json"], ["timeline", "--actor", "Taliban", "--from", "1996", "--to", "2001"],
    ["relations", "--json"], ["relations", "--type", "supports"], ["figures"], ["figures", "--json"],
    ["history", "Taliban", "Pakistan"], ["history", "Taliban", "Northern Alliance", "--json"],
    ["contradictions"], ["contradictions", "--json"], ["sources", "r5", "--json"], ["sources", "e3"],
    ["ask", "Who supported the Taliban?", "--json"], ["ask", "When did the Taliban capture Kabul?"],
    ["corrections", "--json"], ["export", "--format", "json"], ["export", "--format", "csv"],
    ["export", "--format", "graphml"], ["export", "--format", "gexf"], ["export", "--format", "plover"],
    ["analyze", "balance", "--json"], ["analyze", "blocs", "--json"], ["analyze", "network", "--at", "1998"],
    ["analyze", "centrality", "--at", "1998", "--json"], ["relations", "--min-confidence", "0.8", "--json"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c[:3]) for c in COMMANDS])
def test_every_command_answers_the_same_on_both_backends(command, example_db, example_pg):
    lite, pg = run(*command, "--db", example_db), run(*command, "--db", example_pg)
    assert lite.exit_code == 0, lite.output
    assert pg.exit_code == 0, pg.output
    assert pg.stdout == lite.stdout and pg.stdout.strip()


def test_the_kbs_and_their_exports_are_identical(example_db, example_pg, tmp_path):
    from conflictlens.export import export

    a, b = store.load(example_db), store.load(example_pg)
    assert len(a.actors) > 100 and a.events and a.relations and a.figures
    for part in ("documents", "actors", "events", "relations", "figures", "mentions", "corrections"):
        assert getattr(a, part) == getattr(b, part), part
    assert export(a, "json", tmp_path / "a.json") == export(b, "json", tmp_path / "b.json")
    assert json.loads((tmp_path / "a.json").read_text()) == json.loads((tmp_path / "b.json").read_text())
    meta = store.meta(example_pg)
    assert meta["documents"] == "3" and meta["schema_version"] == str(store.SCHEMA_VERSION)


API = ["/api/summary", "/api/actors", "/api/actors?type=state", "/api/actors/a1", "/api/events",
       "/api/events?from=1996&to=2001", "/api/facts/e1", "/api/facts/r3", "/api/network",
       "/api/network?year=1998&undated=false", "/api/relations", "/api/figures", "/api/documents",
       "/api/places", "/api/blocs", "/api/overview", "/api/search?q=Taliban",
       "/api/ask?q=Who%20supported%20the%20Taliban%3F", "/api/facts/e999999", "/api/actors/Nobody"]


def test_the_api_answers_the_same_on_both_backends(example_db, example_pg):
    from fastapi.testclient import TestClient

    from conflictlens.api import create_app

    lite, pg = TestClient(create_app(example_db)), TestClient(create_app(example_pg))
    docs = lite.get("/api/documents").json()
    for url in [*API, f"/api/documents/{docs[0]['name']}"]:
        a, b = lite.get(url), pg.get(url)
        assert (a.status_code, a.content) == (b.status_code, b.content), url


def test_serve_says_which_kb_without_the_password(example_pg, monkeypatch):
    from conflictlens import api

    monkeypatch.setattr(api, "run", lambda app, host, port: None)
    url = example_pg.replace("postgres@", "postgres:pw123@")
    r = run("serve", "--db", url)
    assert r.exit_code == 0, r.output
    assert example_pg in r.stderr and "pw123" not in r.output + r.stderr
