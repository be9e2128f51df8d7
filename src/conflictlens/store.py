"""Store: the knowledge base as one SQLite file (schema in docs/schema.md).

Writes are atomic: :func:`save` writes a new file beside the target and renames it over
the old one only when complete, so a build that fails midway leaves the previous KB as it
was. Reads go through :func:`load`, which returns the records every interface shares.
The schema carries a version in ``meta``; :data:`MIGRATIONS` upgrades older files, and a
file from a newer conflictlens is refused with a clear message.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import StoreError
from .records import KB, Actor, Document, Event, Evidence, Figure, Mention, Relation, TimeExpr

SCHEMA_VERSION = 3

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents (
    id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, path TEXT, title TEXT,
    sha256 TEXT NOT NULL, words INTEGER NOT NULL, text TEXT NOT NULL, infobox TEXT,
    date TEXT, date_source TEXT, pages TEXT, format TEXT, url TEXT);
CREATE TABLE actors (id TEXT PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL);
CREATE TABLE actor_names (actor_id TEXT NOT NULL REFERENCES actors(id), name TEXT NOT NULL,
    is_primary INTEGER NOT NULL, PRIMARY KEY (actor_id, name));
CREATE TABLE actor_mentions (actor_id TEXT NOT NULL REFERENCES actors(id), doc TEXT NOT NULL,
    count INTEGER NOT NULL, PRIMARY KEY (actor_id, doc));
CREATE TABLE mentions (actor_id TEXT NOT NULL REFERENCES actors(id), doc TEXT NOT NULL,
    start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL);
CREATE TABLE events (
    id TEXT PRIMARY KEY, type TEXT NOT NULL, trigger TEXT, place TEXT, summary TEXT,
    status TEXT NOT NULL, fatalities TEXT, plover_type TEXT, plover_mode TEXT, cameo TEXT,
    date TEXT, date_end TEXT, date_precision TEXT, date_modifier TEXT, date_text TEXT, time TEXT);
CREATE TABLE event_actors (event_id TEXT NOT NULL REFERENCES events(id),
    actor_id TEXT NOT NULL REFERENCES actors(id), role TEXT NOT NULL CHECK (role IN ('agent', 'target')),
    position INTEGER NOT NULL);
CREATE TABLE relations (
    id TEXT PRIMARY KEY, source TEXT NOT NULL REFERENCES actors(id), relation TEXT NOT NULL,
    target TEXT NOT NULL REFERENCES actors(id), start TEXT, end TEXT, qualifier TEXT, time TEXT);
CREATE TABLE figures (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, low REAL, high REAL, what TEXT, who TEXT,
    period_start TEXT, period_end TEXT, actor_id TEXT REFERENCES actors(id));
CREATE TABLE evidence (fact_id TEXT NOT NULL, doc TEXT NOT NULL, start INTEGER NOT NULL,
    end INTEGER NOT NULL, quote TEXT NOT NULL, position INTEGER NOT NULL);
CREATE TABLE overrides (position INTEGER PRIMARY KEY, op TEXT NOT NULL CHECK (op IN ('merge', 'split')),
    a TEXT NOT NULL, b TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE INDEX evidence_fact ON evidence (fact_id);
CREATE INDEX mentions_doc ON mentions (doc, start);
CREATE INDEX relations_source ON relations (source);
CREATE INDEX relations_target ON relations (target);
"""

#: version → SQL that upgrades a file of the version before it to this version.
MIGRATIONS: dict[int, str | Callable[[sqlite3.Connection], None]] = {
    # 2: the user's corrections of actor resolution (`conflictlens merge` / `split`).
    2: """CREATE TABLE overrides (position INTEGER PRIMARY KEY, op TEXT NOT NULL
            CHECK (op IN ('merge', 'split')), a TEXT NOT NULL, b TEXT NOT NULL, created_at TEXT NOT NULL);""",
    # 3: a document's own date and where it was read, its page map (PDF), format and URL.
    3: lambda con: _add_columns(con, "documents", ("date", "date_source", "pages", "format", "url")),
}


def _add_columns(con: sqlite3.Connection, table: str, names: tuple[str, ...]) -> None:
    """Add the TEXT columns ``names`` that ``table`` lacks."""
    have = {r[1] for r in con.execute(f"PRAGMA table_info({table})")}
    for n in names:
        if n not in have:
            con.execute(f"ALTER TABLE {table} ADD COLUMN {n} TEXT")


def _time_json(t: TimeExpr | None) -> str | None:
    if t is None:
        return None
    return json.dumps({"start": t.start, "end": t.end, "text": t.text, "value": t.value,
                       "value_end": t.value_end, "precision": t.precision,
                       "modifier": t.modifier, "relative": t.relative})


def _time_from(s: str | None) -> TimeExpr | None:
    return TimeExpr(**json.loads(s)) if s else None


def _num(x):
    return int(x) if isinstance(x, float) and x.is_integer() else x


def save(kb: KB, path: str | Path, meta: dict | None = None, overrides: list[dict] | None = None) -> None:
    """Write ``kb`` to ``path`` atomically (the old file stays until the new one is whole),
    with the user's ``overrides`` (``{"op", "a", "b", "created_at"}``) kept for rebuilds."""
    from .extract.events import event_codes

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        con = sqlite3.connect(tmp)
        try:
            con.executescript(SCHEMA)
            rows = {"schema_version": str(SCHEMA_VERSION), **{k: str(v) for k, v in (meta or {}).items()}}
            con.executemany("INSERT INTO meta VALUES (?, ?)", rows.items())
            con.executemany("INSERT INTO overrides VALUES (?,?,?,?,?)",
                            [(i, o["op"], o["a"], o["b"], o.get("created_at", "")) for i, o in
                             enumerate(overrides or [])])
            for d in kb.documents:
                infobox = json.dumps([f.__dict__ for f in d.infobox])
                con.execute("INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                            (d.id, d.name, d.path, d.title, d.sha256, d.words, d.text, infobox,
                             d.date, d.date_source, json.dumps(d.pages) if d.pages else None, d.format,
                             d.url))
            for a in kb.actors:
                con.execute("INSERT INTO actors VALUES (?,?,?)", (a.id, a.name, a.type))
                con.executemany("INSERT OR IGNORE INTO actor_names VALUES (?,?,?)",
                                [(a.id, a.name, 1)] + [(a.id, n, 0) for n in a.aliases])
                con.executemany("INSERT INTO actor_mentions VALUES (?,?,?)",
                                [(a.id, doc, n) for doc, n in a.mentions.items()])
                _evidence(con, a.id, a.evidence)
            con.executemany("INSERT INTO mentions VALUES (?,?,?,?,?)",
                            [(m.key, m.doc, m.start, m.end, m.text) for m in kb.mentions])
            for e in kb.events:
                t = e.time
                plover, mode, cameo = event_codes(e.type)
                con.execute(
                    "INSERT INTO events VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (e.id, e.type, e.trigger, e.place, e.summary, e.status,
                     json.dumps(e.fatalities) if e.fatalities else None, plover, mode, cameo,
                     t.value if t else None, t.value_end if t else None, t.precision if t else None,
                     t.modifier if t else None, t.text if t else None, _time_json(t)))
                con.executemany("INSERT INTO event_actors VALUES (?,?,?,?)",
                                [(e.id, a, "agent", i) for i, a in enumerate(e.agents)]
                                + [(e.id, a, "target", i) for i, a in enumerate(e.targets)])
                _evidence(con, e.id, e.evidence)
            for r in kb.relations:
                con.execute("INSERT INTO relations VALUES (?,?,?,?,?,?,?,?)",
                            (r.id, r.source, r.relation, r.target, r.start, r.end, r.qualifier,
                             _time_json(r.time)))
                _evidence(con, r.id, r.evidence)
            for f in kb.figures:
                con.execute("INSERT INTO figures VALUES (?,?,?,?,?,?,?,?,?)",
                            (f.id, f.kind, f.low, f.high, f.what, f.who, f.period_start,
                             f.period_end, f.actor))
                _evidence(con, f.id, f.evidence)
            con.commit()
        finally:
            con.close()
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _evidence(con, fact_id: str, evidence: list[Evidence]) -> None:
    con.executemany("INSERT INTO evidence VALUES (?,?,?,?,?,?)",
                    [(fact_id, e.doc, e.start, e.end, e.quote, i) for i, e in enumerate(evidence)])


def connect(path: str | Path) -> sqlite3.Connection:
    """Open a KB file read-only after checking it is one, upgrading an older schema first."""
    path = Path(path)
    if not path.is_file():
        raise StoreError("no knowledge base here; build one first with "
                         f"`conflictlens build DOCS --db {path}`", str(path))
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        version = int(con.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0])
    except (sqlite3.DatabaseError, TypeError, ValueError):
        raise StoreError("is not a conflictlens knowledge base (no readable meta table)", str(path)) from None
    if version > SCHEMA_VERSION:
        con.close()
        raise StoreError(f"was written by a newer conflictlens (schema {version} > {SCHEMA_VERSION}); "
                         "upgrade conflictlens or rebuild", str(path))
    if version < SCHEMA_VERSION:
        con.close()
        migrate(path, version)
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    return con


def migrate(path: Path, version: int) -> None:
    """Upgrade the file at ``path`` from ``version`` to :data:`SCHEMA_VERSION`, in place."""
    con = sqlite3.connect(path)
    try:
        with con:
            for v in range(version + 1, SCHEMA_VERSION + 1):
                step = MIGRATIONS[v]
                if callable(step):
                    step(con)
                else:
                    con.executescript(step)
                con.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(v),))
    finally:
        con.close()


def load_overrides(path: str | Path) -> list[dict]:
    """The user's corrections stored in the KB at ``path`` ([] when there is no KB yet)."""
    if not Path(path).is_file():
        return []
    con = connect(path)
    try:
        return [dict(r) for r in con.execute("SELECT op, a, b, created_at FROM overrides ORDER BY position")]
    finally:
        con.close()


def meta(path: str | Path) -> dict[str, str]:
    con = connect(path)
    try:
        return {r["key"]: r["value"] for r in con.execute("SELECT key, value FROM meta")}
    finally:
        con.close()


def load(path: str | Path) -> KB:
    """Read the whole KB back into records (the KB of a corpus is small)."""
    from .records import InfoboxField

    con = connect(path)
    try:
        ev: dict[str, list[Evidence]] = {}
        for r in con.execute("SELECT * FROM evidence ORDER BY fact_id, position"):
            ev.setdefault(r["fact_id"], []).append(Evidence(r["doc"], r["start"], r["end"], r["quote"]))
        kb = KB()
        for r in con.execute("SELECT * FROM documents ORDER BY name"):
            d = Document(id=r["id"], name=r["name"], path=r["path"], text=r["text"], sha256=r["sha256"],
                         title=r["title"] or "")
            d.infobox = [InfoboxField(**f) for f in json.loads(r["infobox"] or "[]")]
            d.date, d.date_source, d.format, d.url = (r["date"], r["date_source"] or "", r["format"] or "",
                                                      r["url"] or "")
            d.pages = json.loads(r["pages"] or "[]")
            kb.documents.append(d)
        names: dict[str, list[str]] = {}
        for r in con.execute("SELECT * FROM actor_names WHERE is_primary=0 ORDER BY rowid"):
            names.setdefault(r["actor_id"], []).append(r["name"])
        mentions: dict[str, dict[str, int]] = {}
        for r in con.execute("SELECT * FROM actor_mentions"):
            mentions.setdefault(r["actor_id"], {})[r["doc"]] = r["count"]
        for r in con.execute("SELECT * FROM actors ORDER BY CAST(substr(id, 2) AS INTEGER)"):
            kb.actors.append(Actor(r["id"], r["name"], r["type"], names.get(r["id"], []),
                                   mentions.get(r["id"], {}), ev.get(r["id"], [])))
        roles: dict[str, dict[str, list[str]]] = {}
        for r in con.execute("SELECT * FROM event_actors ORDER BY event_id, role, position"):
            roles.setdefault(r["event_id"], {"agent": [], "target": []})[r["role"]].append(r["actor_id"])
        for r in con.execute("SELECT * FROM events ORDER BY CAST(substr(id, 2) AS INTEGER)"):
            rl = roles.get(r["id"], {"agent": [], "target": []})
            kb.events.append(Event(
                type=r["type"], agents=rl["agent"], targets=rl["target"], evidence=ev.get(r["id"], []),
                trigger=r["trigger"] or "", place=r["place"], time=_time_from(r["time"]),
                fatalities=json.loads(r["fatalities"]) if r["fatalities"] else None,
                summary=r["summary"] or "", status=r["status"], id=r["id"]))
        for r in con.execute("SELECT * FROM relations ORDER BY CAST(substr(id, 2) AS INTEGER)"):
            kb.relations.append(Relation(
                source=r["source"], relation=r["relation"], target=r["target"],
                evidence=ev.get(r["id"], []), start=r["start"], end=r["end"],
                qualifier=r["qualifier"], time=_time_from(r["time"]), id=r["id"]))
        for r in con.execute("SELECT * FROM figures ORDER BY CAST(substr(id, 2) AS INTEGER)"):
            kb.figures.append(Figure(
                kind=r["kind"], low=_num(r["low"]), high=_num(r["high"]), what=r["what"] or "",
                evidence=ev.get(r["id"], []), who=r["who"], period_start=r["period_start"],
                period_end=r["period_end"], actor=r["actor_id"], id=r["id"]))
        kb.mentions = [Mention(r["actor_id"], r["text"], r["start"], r["end"], r["doc"])
                       for r in con.execute("SELECT * FROM mentions ORDER BY doc, start")]
        return kb
    finally:
        con.close()
