"""Store: the knowledge base as one SQLite file, or in a PostgreSQL database (schema in docs/schema.md).

``--db file.db`` is SQLite (embedded, the default); ``--db postgresql://user@host:port/dbname``
(optionally ``?schema=NAME``) keeps the same tables on a PostgreSQL server
(:mod:`conflictlens.store_pg`). Both share one schema (:data:`SCHEMA`, written in SQLite's
dialect and translated for the server), one list of :data:`MIGRATIONS`, one writer of rows
(:func:`_fill`) and one reader (:func:`_read`); every public function here takes either.

Writes are atomic: :func:`save` writes a new file beside the target and renames it over
the old one only when complete, so a build that fails midway leaves the previous KB as it
was. Reads go through :func:`load`, which returns the records every interface shares.
The schema carries a version in ``meta``; :data:`MIGRATIONS` upgrades older files, and a
file from a newer conflictlens is refused with a clear message.

Writers take a lock beside the file (:func:`locked`): a correction (`merge`/`split`) made
while a build runs is kept and replayed by the build's save instead of being overwritten,
and temporary files of a killed save are removed by the next writer. A KB path that is a
symlink is written through to its target. Every failure is a :class:`StoreError` line.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

from . import search_index, webviews
from .errors import StoreError
from .records import KB, Actor, Document, Event, Evidence, Figure, Mention, Relation, TimeExpr

SCHEMA_VERSION = 6

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
    date TEXT, date_end TEXT, date_precision TEXT, date_modifier TEXT, date_text TEXT, time TEXT,
    method TEXT, confidence REAL, confirmed INTEGER);
CREATE TABLE event_actors (event_id TEXT NOT NULL REFERENCES events(id),
    actor_id TEXT NOT NULL REFERENCES actors(id), role TEXT NOT NULL CHECK (role IN ('agent', 'target')),
    position INTEGER NOT NULL);
CREATE TABLE relations (
    id TEXT PRIMARY KEY, source TEXT NOT NULL REFERENCES actors(id), relation TEXT NOT NULL,
    target TEXT NOT NULL REFERENCES actors(id), start TEXT, end TEXT, qualifier TEXT, time TEXT,
    method TEXT, confidence REAL, confirmed INTEGER);
CREATE TABLE figures (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, low REAL, high REAL, what TEXT, who TEXT,
    period_start TEXT, period_end TEXT, actor_id TEXT REFERENCES actors(id),
    method TEXT, confidence REAL, confirmed INTEGER);
CREATE TABLE evidence (fact_id TEXT NOT NULL, doc TEXT NOT NULL, start INTEGER NOT NULL,
    end INTEGER NOT NULL, quote TEXT NOT NULL, position INTEGER NOT NULL);
CREATE TABLE overrides (position INTEGER PRIMARY KEY, op TEXT NOT NULL CHECK (op IN ('merge', 'split')),
    a TEXT NOT NULL, b TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE fact_corrections (position INTEGER PRIMARY KEY,
    op TEXT NOT NULL CHECK (op IN ('reject', 'confirm', 'fix')), fact TEXT NOT NULL, changes TEXT,
    why TEXT, created_at TEXT NOT NULL, fact_id TEXT);
CREATE INDEX evidence_fact ON evidence (fact_id);
CREATE INDEX mentions_doc ON mentions (doc, start);
CREATE INDEX relations_source ON relations (source);
CREATE INDEX relations_target ON relations (target);
""" + search_index.SCHEMA + webviews.SCHEMA

#: version → SQL that upgrades a file of the version before it to this version.
MIGRATIONS: dict[int, str | Callable[[sqlite3.Connection], None]] = {
    # 2: the user's corrections of actor resolution (`conflictlens merge` / `split`).
    2: """CREATE TABLE overrides (position INTEGER PRIMARY KEY, op TEXT NOT NULL
            CHECK (op IN ('merge', 'split')), a TEXT NOT NULL, b TEXT NOT NULL, created_at TEXT NOT NULL);""",
    # 3: a document's own date and where it was read, its page map (PDF), format and URL.
    3: lambda con: _add_columns(con, "documents", ("date", "date_source", "pages", "format", "url")),
    # 4: how each fact was found and its confidence; the user's corrections of facts.
    4: lambda con: _schema_4(con),
    # 5: the search index of `ask` (empty here: an upgraded KB's index is built in memory
    # until the next build or correction writes it).
    5: search_index.SCHEMA,
    # 6: what the web app's first views need (empty here: the server works them out in memory
    # until the next build or correction stores them).
    6: webviews.SCHEMA,
}


def _schema_4(con: sqlite3.Connection) -> None:
    for table in ("events", "relations", "figures"):
        _add_columns(con, table, ("method",))
        _add_columns(con, table, ("confidence", "confirmed"), "REAL")
    con.execute("""CREATE TABLE IF NOT EXISTS fact_corrections (position INTEGER PRIMARY KEY,
        op TEXT NOT NULL CHECK (op IN ('reject', 'confirm', 'fix')), fact TEXT NOT NULL,
        changes TEXT, why TEXT, created_at TEXT NOT NULL, fact_id TEXT)""")


def _add_columns(con: sqlite3.Connection, table: str, names: tuple[str, ...], kind: str = "TEXT") -> None:
    """Add the columns ``names`` (of type ``kind``) that ``table`` lacks."""
    have = table_columns(con, table)
    for n in names:
        if n not in have:
            con.execute(f"ALTER TABLE {table} ADD COLUMN {n} {kind}")


def table_columns(con, table: str) -> set[str]:
    """The column names of ``table`` on either backend (PRAGMA is SQLite's)."""
    if isinstance(con, sqlite3.Connection):
        return {r[1] for r in con.execute(f"PRAGMA table_info({table})")}
    return con.columns(table)


def is_server(db: str | Path) -> bool:
    """Whether ``db`` names a PostgreSQL KB (a ``postgresql://`` URL) rather than a SQLite file."""
    return isinstance(db, str) and db.startswith(("postgresql://", "postgres://"))


def display(db: str | Path) -> str:
    """``db`` as shown in messages: a server URL without its password."""
    if is_server(db):
        from .store_pg import shown_url

        return shown_url(db)
    return str(db)


def _pg():
    from . import store_pg

    return store_pg


def _upgrade(con, v: int) -> None:
    """Apply migration ``v`` (SQL, or a function of the connection)."""
    step = MIGRATIONS[v]
    if callable(step):
        step(con)
    else:
        con.executescript(step)


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


def _target(path: str | Path) -> Path:
    """The file a KB path stands for: a symlink's target (written through, not replaced)."""
    path = Path(path)
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def _os_reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


_held: dict[str, tuple[int, int]] = {}  # lock file → (fd, depth): the lock is re-entrant here


@contextlib.contextmanager
def locked(path: str | Path, blocking: bool = True) -> Iterator[bool]:
    """Hold the writers' lock of the KB at ``path`` (a ``.NAME.lock`` file beside it).

    Yields True when held; with ``blocking=False`` yields False at once when another process
    holds it. Raises :class:`StoreError` when the folder cannot hold a lock file. On PostgreSQL
    it is an advisory lock of the KB's database and schema (:func:`store_pg.locked`)."""
    if is_server(path):
        with _pg().locked(path, blocking) as held:
            yield held
        return
    target = _target(path)
    lock = str(target.parent / f".{target.name}.lock")
    if lock in _held:
        fd, depth = _held[lock]
        _held[lock] = (fd, depth + 1)
        try:
            yield True
        finally:
            _held[lock] = (fd, _held[lock][1] - 1)
        return
    while True:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as exc:
            raise StoreError(f"cannot write the knowledge base here ({_os_reason(exc)})", str(path)) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            os.close(fd)
            yield False
            return
        try:
            same = os.stat(lock).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)  # its holder removed that lock file on release: lock the new one
    _held[lock] = (fd, 1)
    try:
        yield True
    finally:
        del _held[lock]
        # removed while held (no lock file is left beside the KB); a waiter then sees its
        # file is gone and locks a new one
        with contextlib.suppress(OSError):
            os.unlink(lock)
        os.close(fd)


def _temporary_files(target: Path) -> list[Path]:
    """Files a save of ``target`` writes before its rename (and SQLite's journal of one)."""
    try:
        return [p for p in target.parent.glob(f".{target.name}.*")
                if p.name.endswith((".tmp", ".tmp-journal"))]
    except OSError:
        return []


def _remove_stale(target: Path) -> None:
    """Remove what a killed save left; call with the lock held (no save is running then)."""
    for p in _temporary_files(target):
        with contextlib.suppress(OSError):
            p.unlink()


def check_writable(path: str | Path) -> None:
    """Raise :class:`StoreError` (one line) when a KB cannot be saved at ``path``: a folder, a
    device or pipe, a folder that cannot be created or written (read-only media, /proc); on
    PostgreSQL, a server that cannot be reached or a schema the user may not create tables in."""
    if is_server(path):
        _pg().check_writable(path)
        return
    target = _target(path)
    if target.is_dir():
        raise StoreError("is a folder; give a file name for the knowledge base, e.g. --db "
                         f"{Path(path) / 'kb.db'}", str(path))
    if target.exists() and not target.is_file():
        # a device or a pipe (--db /dev/null): the save's rename would replace it by a plain file
        raise StoreError("is not a regular file (a device or a pipe); give a file name for the knowledge base",
                         str(path))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        probe = target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp"
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        probe.unlink()
    except OSError as exc:
        raise StoreError(f"cannot write the knowledge base here ({_os_reason(exc)})", str(path)) from None


def save(kb: KB, path: str | Path, meta: dict | None = None, overrides: list[dict] | None = None) -> None:
    """Write ``kb`` to ``path`` atomically (the old file stays until the new one is whole),
    with the user's ``overrides`` (``{"op", "a", "b", "created_at"}``) kept for rebuilds.

    With ``overrides`` given, corrections the file on disk holds beyond them (made by `merge` or
    `split` while a build ran) are applied to ``kb`` and kept: corrections are only ever added.
    The new file gets the usual mode (0666 less the umask), or the mode of the file it replaces.
    On PostgreSQL the KB's tables are replaced in one transaction (readers see the old KB until
    it commits) under the writers' advisory lock.
    """
    if is_server(path):
        with locked(path):
            if overrides is not None:
                overrides = _with_new_corrections(kb, path, overrides)
                _with_new_fact_corrections(kb, path)
            _pg().write(kb, path, meta, overrides)
        return
    target = _target(path)
    check_writable(target)
    with locked(target):
        _remove_stale(target)
        if overrides is not None:
            overrides = _with_new_corrections(kb, target, overrides)
            _with_new_fact_corrections(kb, target)
        try:
            _write(kb, target, meta, overrides)
        except OSError as exc:
            raise StoreError(f"cannot write the knowledge base ({_os_reason(exc)})", str(path)) from None
        except sqlite3.OperationalError as exc:  # disk full, I/O error
            raise StoreError(f"cannot write the knowledge base ({exc})", str(path)) from None


def _key(o: dict) -> tuple:
    return o["op"], o["a"], o["b"], o.get("created_at", "")


def _with_new_corrections(kb: KB, target: Path | str, overrides: list[dict]) -> list[dict]:
    if not is_server(target) and not target.is_file():
        return overrides
    try:
        current = load_overrides(target)
    except StoreError:
        return overrides  # not a KB (the build refused it before); nothing to keep
    given = {_key(o) for o in overrides}
    extra = [o for o in current if _key(o) not in given]
    if not extra:
        return overrides
    from .resolve import apply_overrides

    apply_overrides(kb, extra)
    return [*overrides, *extra]


def _fact_key(c: dict) -> tuple:
    return c["op"], c.get("created_at", ""), json.dumps(c["fact"], sort_keys=True)


def _with_new_fact_corrections(kb: KB, target: Path | str) -> None:
    """Replay on ``kb`` the corrections of facts the file on disk holds beyond its own (a
    `reject`, `confirm` or `fix` made while a build ran): they are kept, never overwritten."""
    if not is_server(target) and not target.is_file():
        return
    try:
        current = load_fact_corrections(target)
    except StoreError:
        return
    have = {_fact_key(c) for c in kb.corrections}
    extra = [c for c in current if _fact_key(c) not in have]
    if extra:
        from .corrections import replay

        replay(kb, extra)


def _write(kb: KB, path: Path, meta: dict | None, overrides: list[dict] | None) -> None:
    prior = webviews.previous_at(path)  # the views of the KB replaced, to reuse
    tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
    # O_CREAT with 0o666: the umask decides the mode, as for any file the user writes
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    os.close(fd)
    try:
        with contextlib.suppress(FileNotFoundError):
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        con = sqlite3.connect(tmp)
        try:
            # a fresh file is thrown away on any failure: no journal needed (none is left behind)
            con.execute("PRAGMA journal_mode=OFF")
            con.executescript(SCHEMA)
            _fill(con, kb, meta, overrides)
            _fill_index(con, kb, prior)
            con.commit()
        finally:
            con.close()
        with open(tmp, "rb+") as fh:  # on disk before the rename makes it the KB
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


#: The columns each KB table is written with (named: a server KB migrated from an older schema
#: may hold them in another order than :data:`SCHEMA`).
COLUMNS = {
    "meta": ("key", "value"),
    "fact_corrections": ("position", "op", "fact", "changes", "why", "created_at", "fact_id"),
    "overrides": ("position", "op", "a", "b", "created_at"),
    "documents": ("id", "name", "path", "title", "sha256", "words", "text", "infobox", "date", "date_source",
                  "pages", "format", "url"),
    "actors": ("id", "name", "type"),
    "actor_names": ("actor_id", "name", "is_primary"),
    "actor_mentions": ("actor_id", "doc", "count"),
    "mentions": ("actor_id", "doc", "start", "end", "text"),
    "events": ("id", "type", "trigger", "place", "summary", "status", "fatalities", "plover_type", "plover_mode",
               "cameo", "date", "date_end", "date_precision", "date_modifier", "date_text", "time", "method",
               "confidence", "confirmed"),
    "event_actors": ("event_id", "actor_id", "role", "position"),
    "relations": ("id", "source", "relation", "target", "start", "end", "qualifier", "time", "method",
                  "confidence", "confirmed"),
    "figures": ("id", "kind", "low", "high", "what", "who", "period_start", "period_end", "actor_id", "method",
                "confidence", "confirmed"),
    "evidence": ("fact_id", "doc", "start", "end", "quote", "position"),
}


def insert_sql(table: str) -> str:
    """``INSERT INTO table (columns) VALUES (?, …)`` with quoted names ("end" is reserved on a server)."""
    cols = COLUMNS[table]
    return (f"INSERT INTO {table} ({', '.join(chr(34) + c + chr(34) for c in cols)}) "
            f"VALUES ({', '.join('?' * len(cols))})")


def _fill(con, kb: KB, meta: dict | None, overrides: list[dict] | None) -> None:
    """Insert ``kb`` into the empty tables of ``con`` (either backend: ``?`` placeholders, one
    ``executemany`` per table, which the server store turns into COPY)."""
    from .extract.events import event_codes

    rows: dict[str, list[tuple]] = {t: [] for t in COLUMNS}
    meta_rows = {"schema_version": str(SCHEMA_VERSION), **{k: str(v) for k, v in (meta or {}).items()}}
    rows["meta"] = list(meta_rows.items())
    rows["fact_corrections"] = [
        (i, c["op"], json.dumps(c["fact"], ensure_ascii=False), json.dumps(c.get("changes") or {}, ensure_ascii=False),
         c.get("why") or "", c.get("created_at", ""), c.get("fact_id")) for i, c in enumerate(kb.corrections)]
    rows["overrides"] = [(i, o["op"], o["a"], o["b"], o.get("created_at", "")) for i, o in enumerate(overrides or [])]
    for d in kb.documents:
        infobox = json.dumps([f.__dict__ for f in d.infobox])
        rows["documents"].append((d.id, d.name, d.path, d.title, d.sha256, d.words, d.text, infobox, d.date,
                                  d.date_source, json.dumps(d.pages) if d.pages else None, d.format, d.url))
    evidence = rows["evidence"]

    def add_evidence(fact_id: str, evs: list[Evidence]) -> None:
        evidence.extend((fact_id, e.doc, e.start, e.end, e.quote, i) for i, e in enumerate(evs))

    for a in kb.actors:
        rows["actors"].append((a.id, a.name, a.type))
        seen = set()  # a name once per actor (the display name first)
        for n, primary in [(a.name, 1), *((n, 0) for n in a.aliases)]:
            if n not in seen:
                seen.add(n)
                rows["actor_names"].append((a.id, n, primary))
        rows["actor_mentions"].extend((a.id, doc, n) for doc, n in a.mentions.items())
        add_evidence(a.id, a.evidence)
    rows["mentions"] = [(m.key, m.doc, m.start, m.end, m.text) for m in kb.mentions]
    for e in kb.events:
        t = e.time
        plover, mode, cameo = event_codes(e.type)
        rows["events"].append(
            (e.id, e.type, e.trigger, e.place, e.summary, e.status,
             json.dumps(e.fatalities) if e.fatalities else None, plover, mode, cameo,
             t.value if t else None, t.value_end if t else None, t.precision if t else None,
             t.modifier if t else None, t.text if t else None, _time_json(t), *_trust(e)))
        rows["event_actors"].extend([(e.id, a, "agent", i) for i, a in enumerate(e.agents)]
                                    + [(e.id, a, "target", i) for i, a in enumerate(e.targets)])
        add_evidence(e.id, e.evidence)
    for r in kb.relations:
        rows["relations"].append((r.id, r.source, r.relation, r.target, r.start, r.end, r.qualifier,
                                  _time_json(r.time), *_trust(r)))
        add_evidence(r.id, r.evidence)
    for f in kb.figures:
        rows["figures"].append((f.id, f.kind, f.low, f.high, f.what, f.who, f.period_start, f.period_end,
                                f.actor, *_trust(f)))
        add_evidence(f.id, f.evidence)
    for table, values in rows.items():
        if values:
            con.executemany(insert_sql(table), values)


def _fill_index(con, kb: KB, prior: tuple[str, dict[str, str]] = ("", {})) -> None:
    """The search index and the web app's views of ``kb``, just filled in ``con`` (either
    backend), from the KB as :func:`load` reads it back: its order decides ties between equal
    answers. ``prior``: the views of the KB this save replaces (:func:`webviews.previous`),
    reused when they were computed from the same content."""
    if isinstance(con, sqlite3.Connection):
        con.row_factory = sqlite3.Row
    back = _read(con)
    search_index.write(con, back, parts=kb.search_parts)
    webviews.write(con, back, prior)


def _trust(f) -> tuple:
    return f.method or None, f.confidence, int(f.confirmed)


def connect(path: str | Path) -> sqlite3.Connection:
    """Open a KB read-only after checking it is one, upgrading an older schema first (a server
    KB: a connection whose transactions are read-only, reading one snapshot)."""
    if is_server(path):
        return _pg().connect(path)
    path = Path(path)
    if path.is_dir():
        raise StoreError("is a folder, not a knowledge base file; give the .db file with --db", str(path))
    if not path.is_file():
        raise StoreError("no knowledge base here; build one first with "
                         f"`conflictlens build DOCS --db {path}`", str(path))
    target = _target(path)
    if _temporary_files(target):  # a killed save's leftovers: remove them if no save runs now
        with contextlib.suppress(StoreError), locked(target, blocking=False) as free:
            if free:
                _remove_stale(target)
    con = None
    try:
        con = sqlite3.connect(_ro_uri(target), uri=True)
        version = int(con.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0])
    except (sqlite3.DatabaseError, TypeError, ValueError):
        if con is not None:
            con.close()
        if not os.access(target, os.R_OK):
            raise StoreError("cannot be read (permission denied)", str(path)) from None
        raise StoreError("is not a conflictlens knowledge base (no readable meta table)", str(path)) from None
    if version > SCHEMA_VERSION:
        con.close()
        raise StoreError(f"was written by a newer conflictlens (schema {version} > {SCHEMA_VERSION}); "
                         "upgrade conflictlens or rebuild", str(path))
    if version < SCHEMA_VERSION:
        try:
            con.close()
            migrate(target, version)
            con = sqlite3.connect(_ro_uri(target), uri=True)
        except (sqlite3.Error, OSError, StoreError):
            # read-only media: upgrade a copy in memory, leave the file as it is
            con = _migrated_copy(target, version, str(path))
    con.row_factory = sqlite3.Row
    return con


def _ro_uri(target: Path) -> str:
    # as a URI, so that "?" or "#" in a file name stay part of the name
    return f"{target.absolute().as_uri()}?mode=ro"


def _migrated_copy(target: Path, version: int, shown: str) -> sqlite3.Connection:
    try:
        src = sqlite3.connect(_ro_uri(target), uri=True)
        mem = sqlite3.connect(":memory:")
        try:
            src.backup(mem)
        finally:
            src.close()
        with mem:
            for v in range(version + 1, SCHEMA_VERSION + 1):
                _upgrade(mem, v)
        return mem
    except sqlite3.Error as exc:
        raise StoreError(f"is damaged ({exc}); rebuild it", shown) from None


def migrate(path: Path | str, version: int) -> None:
    """Upgrade the KB at ``path`` from ``version`` to :data:`SCHEMA_VERSION`, in place."""
    if is_server(path):
        _pg().migrate(path, version)
        return
    with locked(path):
        con = sqlite3.connect(path)
        try:
            with con:
                for v in range(version + 1, SCHEMA_VERSION + 1):
                    _upgrade(con, v)
                    con.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(v),))
        finally:
            con.close()


def load_overrides(path: str | Path) -> list[dict]:
    """The user's corrections stored in the KB at ``path`` ([] when there is no KB yet)."""
    if is_server(path):
        if not _pg().exists(path):
            return []
    elif Path(path).is_dir():
        raise StoreError("is a folder, not a knowledge base file; give a file name with --db", str(path))
    elif not Path(path).is_file():
        return []
    con = connect(path)
    try:
        return [dict(r) for r in con.execute("SELECT op, a, b, created_at FROM overrides ORDER BY position")]
    except _damaged() as exc:
        raise StoreError(f"is damaged ({exc}); rebuild it", display(path)) from None
    finally:
        con.close()


def meta(path: str | Path) -> dict[str, str]:
    con = connect(path)
    try:
        return {r["key"]: r["value"] for r in con.execute("SELECT key, value FROM meta")}
    except _damaged() as exc:
        raise StoreError(f"is damaged ({exc}); rebuild it", display(path)) from None
    finally:
        con.close()


def load(path: str | Path) -> KB:
    """Read the whole KB back into records (the KB of a corpus is small)."""
    con = connect(path)
    try:
        return read(con, path)
    finally:
        con.close()


def _damaged() -> tuple[type[Exception], ...]:
    """The errors of reading a damaged KB: SQLite's, and the server's when its driver is loaded."""
    import sys

    pg = sys.modules.get("psycopg")
    return (sqlite3.DatabaseError, pg.Error) if pg is not None else (sqlite3.DatabaseError,)


def read(con, path: str | Path, lean: bool = False) -> KB:
    """The KB open at ``con`` as records. ``lean``: without the actors' mentions and evidence
    (``kb.mentions`` and ``Actor.evidence`` empty; the largest tables, which ``ask`` does not
    need whole: its stored index reads the mentions of the sentences it looks at)."""
    try:
        return _read(con, lean)
    except (*_damaged(), KeyError, IndexError, TypeError, ValueError) as exc:
        # damaged pages, or a table a hand-edited file lacks
        raise StoreError(f"is damaged or not a conflictlens knowledge base ({type(exc).__name__}: {exc}); "
                         "rebuild it", display(path)) from None


def _read(con, lean: bool = False) -> KB:
    from .records import InfoboxField

    ev: dict[str, list[Evidence]] = {}
    for r in con.execute("SELECT * FROM evidence " + ("WHERE fact_id NOT LIKE 'a%' " if lean else "")
                         + "ORDER BY fact_id, position"):
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
    counts: dict[str, dict[str, int]] = {}
    for r in con.execute("SELECT * FROM actor_mentions ORDER BY rowid"):
        counts.setdefault(r["actor_id"], {})[r["doc"]] = r["count"]
    for r in con.execute("SELECT * FROM actors ORDER BY CAST(substr(id, 2) AS INTEGER)"):
        kb.actors.append(Actor(r["id"], r["name"], r["type"], names.get(r["id"], []),
                               counts.get(r["id"], {}), ev.get(r["id"], [])))
    roles: dict[str, dict[str, list[str]]] = {}
    for r in con.execute("SELECT * FROM event_actors ORDER BY event_id, role, position"):
        roles.setdefault(r["event_id"], {"agent": [], "target": []})[r["role"]].append(r["actor_id"])
    for r in con.execute("SELECT * FROM events ORDER BY CAST(substr(id, 2) AS INTEGER)"):
        rl = roles.get(r["id"], {"agent": [], "target": []})
        kb.events.append(Event(
            type=r["type"], agents=rl["agent"], targets=rl["target"], evidence=ev.get(r["id"], []),
            trigger=r["trigger"] or "", place=r["place"], time=_time_from(r["time"]),
            fatalities=json.loads(r["fatalities"]) if r["fatalities"] else None,
            summary=r["summary"] or "", status=r["status"], id=r["id"], **_trust_from(r)))
    for r in con.execute("SELECT * FROM relations ORDER BY CAST(substr(id, 2) AS INTEGER)"):
        kb.relations.append(Relation(
            source=r["source"], relation=r["relation"], target=r["target"],
            evidence=ev.get(r["id"], []), start=r["start"], end=r["end"],
            qualifier=r["qualifier"], time=_time_from(r["time"]), id=r["id"], **_trust_from(r)))
    for r in con.execute("SELECT * FROM figures ORDER BY CAST(substr(id, 2) AS INTEGER)"):
        kb.figures.append(Figure(
            kind=r["kind"], low=_num(r["low"]), high=_num(r["high"]), what=r["what"] or "",
            evidence=ev.get(r["id"], []), who=r["who"], period_start=r["period_start"],
            period_end=r["period_end"], actor=r["actor_id"], id=r["id"], **_trust_from(r)))
    if not lean:
        kb.mentions = [Mention(r["actor_id"], r["text"], r["start"], r["end"], r["doc"])
                       for r in con.execute("SELECT * FROM mentions ORDER BY doc, start, rowid")]
    kb.corrections = _fact_corrections(con)
    return kb


def _trust_from(r) -> dict:
    return {"method": r["method"] or "", "confidence": r["confidence"], "confirmed": bool(r["confirmed"])}


def _fact_corrections(con) -> list[dict]:
    return [{"op": r["op"], "fact": json.loads(r["fact"]), "changes": json.loads(r["changes"] or "{}"),
             "why": r["why"] or "", "created_at": r["created_at"], "fact_id": r["fact_id"]}
            for r in con.execute("SELECT * FROM fact_corrections ORDER BY position")]


def load_fact_corrections(path: str | Path) -> list[dict]:
    """The user's corrections of facts stored in the KB at ``path`` ([] when there is none)."""
    if not (_pg().exists(path) if is_server(path) else Path(path).is_file()):
        return []
    con = connect(path)
    try:
        return _fact_corrections(con)
    except _damaged() as exc:
        raise StoreError(f"is damaged ({exc}); rebuild it", display(path)) from None
    finally:
        con.close()
