"""The KB on a PostgreSQL server: ``--db postgresql://user@host:port/dbname[?schema=NAME]``.

Same tables, migrations and corrections as the SQLite file (:mod:`conflictlens.store`): the
schema is written once, in SQLite's dialect, and translated here (:func:`ddl`, :func:`translate`):
``?`` → ``%s``, INTEGER → BIGINT, REAL → DOUBLE PRECISION (SQLite's REAL is 8 bytes), BLOB →
BYTEA, TEXT compared byte-wise (``COLLATE "C"``, as SQLite's BINARY), SQLite's implicit ``rowid``
made a column, ``REFERENCES`` dropped (SQLite does not enforce them either), ``INSERT OR
IGNORE/REPLACE`` → ``ON CONFLICT``, PRAGMAs skipped. A table another module adds by a migration
works here with no extra code, as long as its SQL is portable (quote ``"end"``, no FTS5).

- The database (``dbname``) or ``?schema=NAME`` selects the KB: several KBs live in one database
  in several schemas. Without ``schema`` the KB is in the user's current schema (``public``).
- A build replaces the KB's rows in one transaction (DELETE + COPY, never TRUNCATE, which would
  block readers): readers see the old KB until it commits; a failed build leaves it intact.
- Writers take an advisory lock per schema (:func:`locked`) in place of the lock file.
- Readers use one REPEATABLE READ, READ ONLY transaction: a whole KB from one snapshot.
- psycopg is imported only here, on the first server KB: SQLite users never load it.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import threading
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from . import store, webviews
from .errors import StoreError

#: PostgreSQL keywords that cannot be column names unquoted (the ones a schema might use).
RESERVED = frozenset("""all analyse analyze and any array as asc both case cast check collate column constraint
create current_date current_role current_time current_timestamp current_user default deferrable desc distinct do
else end except false fetch for foreign from grant group having in initially intersect into lateral leading limit
localtime localtimestamp not null offset on only or order placing primary references returning select session_user
some symmetric table then to trailing true union unique user using variadic when where window with""".split())
_TYPES = {"INTEGER": "BIGINT", "INT": "BIGINT", "REAL": "DOUBLE PRECISION", "FLOAT": "DOUBLE PRECISION",
          "DOUBLE": "DOUBLE PRECISION", "BLOB": "BYTEA", "TEXT": 'TEXT COLLATE "C"', "NUMERIC": "NUMERIC"}
_COLUMN_DEF = re.compile(r'(^|[(,])(\s*)("?\w+"?)(\s+)(INTEGER|INT|REAL|FLOAT|DOUBLE|BLOB|TEXT|NUMERIC)\b', re.I)
_ADD_COLUMN = re.compile(r'(ADD\s+COLUMN\s+)("?\w+"?)(\s+)(\w+)', re.I)
_INSERT = re.compile(r'^\s*INSERT\s+(?:OR\s+(IGNORE|REPLACE)\s+)?INTO\s+("?\w+"?)\s*(\(([^)]*)\))?\s*VALUES\s*\(',
                     re.I | re.S)
_UPSERT = re.compile(r"\s*INSERT\s+OR\s+REPLACE\b", re.I)
_SCHEMA_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


def _psycopg(shown: str = ""):
    try:
        import psycopg
    except ImportError:
        raise StoreError("a PostgreSQL knowledge base needs the psycopg package: pip install 'psycopg[binary]'",
                         shown or None) from None
    return psycopg


# ----------------------------------------------------------------------------- URLs

def _split(url: str) -> tuple[str, str | None]:
    """The libpq URL without our ``schema`` parameter, and that schema (None: the current one)."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    schema = next((v for k, v in query if k == "schema"), None)
    if schema is not None and not _SCHEMA_NAME.match(schema):
        raise StoreError(f"?schema={schema!r} is not a plain schema name (letters, digits, _)", shown_url(url))
    rest = urlencode([(k, v) for k, v in query if k != "schema"])
    return urlunsplit((parts.scheme, parts.netloc, parts.path, rest, parts.fragment)), schema


def shown_url(url: str) -> str:
    """The URL without its password (for messages and logs)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit((parts.scheme, f"{user}@{host}", parts.path, parts.query, parts.fragment))


def _reason(exc: Exception, url: str) -> str:
    """A driver's error as one line, without the password even if the server echoed it."""
    text = "; ".join(x.strip() for x in str(exc).splitlines() if x.strip()) or type(exc).__name__
    password = urlsplit(url).password
    return text.replace(password, "***") if password else text


# ----------------------------------------------------------------------------- SQL translation

def _split_statements(script: str) -> list[str]:
    out, cur, quote = [], [], None
    for ch in script:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == ";":
            out.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    out.append("".join(cur))
    return [s.strip() for s in out if s.strip()]


def _quoted(name: str) -> str:
    return f'"{name}"' if name.lower() in RESERVED and not name.startswith('"') else name


def ddl(sql: str) -> str:
    """SQLite DDL (CREATE TABLE / INDEX, ALTER TABLE … ADD COLUMN) as PostgreSQL's."""
    sql = re.sub(r"\s+REFERENCES\s+\"?\w+\"?\s*(\([^)]*\))?", "", sql, flags=re.I)
    sql = re.sub(r"\bINTEGER\s+PRIMARY\s+KEY(\s+AUTOINCREMENT)?", "BIGINT PRIMARY KEY", sql, flags=re.I)
    head = sql.lstrip()[:40].upper()
    if head.startswith("ALTER"):
        return _ADD_COLUMN.sub(lambda m: m[1] + _quoted(m[2]) + m[3] + _TYPES.get(m[4].upper(), m[4]), sql)
    if head.startswith(("CREATE INDEX", "CREATE UNIQUE INDEX")):
        return re.sub(r"\(([^)]*)\)\s*$", lambda m: "(" + ", ".join(_quoted(c.strip()) for c in m[1].split(","))
                      + ")", sql.rstrip())

    def column(m: re.Match) -> str:
        return m[1] + m[2] + _quoted(m[3]) + m[4] + _TYPES.get(m[5].upper(), m[5])

    sql = _COLUMN_DEF.sub(column, sql)
    if head.startswith("CREATE TABLE") and not re.search(r"\browid\b", sql, re.I):
        # SQLite's implicit rowid (insertion order), which readers may ORDER BY
        sql = sql.rstrip()
        sql = sql[:-1].rstrip() + ", rowid BIGSERIAL)" if sql.endswith(")") else sql
    return sql


def translate(sql: str, named: bool = False) -> str | None:
    """A statement in SQLite's dialect as PostgreSQL's (None: nothing to run there, a PRAGMA);
    ``named``: its parameters are ``:name`` ones (given as a dict)."""
    head = sql.lstrip()[:40].upper()
    if head.startswith("PRAGMA"):
        return None
    if head.startswith(("CREATE TABLE", "ALTER TABLE", "CREATE INDEX", "CREATE UNIQUE INDEX")):
        return ddl(sql)
    m = _INSERT.match(sql)
    if m and m[1] and m[1].upper() == "IGNORE":
        sql = re.sub(r"\bOR\s+IGNORE\s+", "", sql, count=1, flags=re.I).rstrip().rstrip(";") + " ON CONFLICT DO NOTHING"
    sql = re.sub(r"\bIFNULL\s*\(", "COALESCE(", sql, flags=re.I)
    return _placeholders(sql, named)


def _placeholders(sql: str, named: bool = False) -> str:
    """``?`` → ``%s`` (``:name`` → ``%(name)s`` if ``named``) outside quoted strings and names;
    every ``%`` → ``%%`` (psycopg reads ``%`` everywhere, in literals too)."""
    if named:
        parts = re.split(r"""('[^']*'|"[^"]*")""", sql.replace("%", "%%"))
        return "".join(p if p[:1] in "'\"" else re.sub(r"(?<!:):(\w+)", r"%(\1)s", p) for p in parts)
    out, quote = [], None
    for ch in sql:
        if ch == "%":
            out.append("%%")
        elif quote:
            quote = None if ch == quote else quote
            out.append(ch)
        elif ch in "'\"":
            quote = ch
            out.append(ch)
        else:
            out.append("%s" if ch == "?" else ch)
    return "".join(out)


# ----------------------------------------------------------------------------- connections

class Row(tuple):
    """A row read by name (``r["id"]``), by position (``r[0]``) and as a dict (``dict(r)``), as
    sqlite3.Row is; a tuple with its cursor's name → position map (cheaper than a dict a row)."""

    __slots__ = ()
    _index: dict[str, int] = {}

    def __getitem__(self, key):
        if key.__class__ is str:
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._index)


def _rows(cursor):
    if not cursor.description:
        return lambda values: values
    index = {c.name: i for i, c in enumerate(cursor.description)}
    return type("Row", (Row,), {"__slots__": (), "_index": index})


class _NoRows:
    def fetchone(self):
        return None

    def fetchall(self):
        return []

    def __iter__(self):
        return iter(())


class PgConnection:
    """A psycopg connection that takes the SQL the SQLite store writes (see :func:`translate`),
    with sqlite3.Connection's methods: execute, executemany, executescript, commit, close."""

    backend = "postgresql"

    def __init__(self, raw, url: str, schema: str):
        self.raw, self.url, self.schema = raw, url, schema
        self._columns: dict[str, list[str]] = {}
        self._keys: dict[str, list[str]] = {}

    def execute(self, sql: str, params=None):
        named = isinstance(params, dict)
        sql = self._upsert(sql, named) if _UPSERT.match(sql) else translate(sql, named)
        if sql is None:
            return _NoRows()
        # always with parameters (maybe none): psycopg then reads "%%" as "%"
        return self.raw.execute(sql, params if isinstance(params, dict) else tuple(params or ()))

    def executemany(self, sql: str, rows) -> None:
        rows = list(rows)
        m = _INSERT.match(sql)
        if m and not m[1] and rows and re.fullmatch(r"[\s?,]*\)\s*;?\s*", sql[m.end():]):
            # a plain INSERT of many rows: COPY, an order of magnitude faster than INSERTs
            table = m[2].strip('"')
            cols = [c.strip().strip('"') for c in m[4].split(",")] if m[3] else self.columns_in_order(table)
            names = ", ".join(f'"{c}"' for c in cols)
            with self.raw.cursor() as cur, cur.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for r in rows:
                    copy.write_row(r)
            return
        named = bool(rows) and isinstance(rows[0], dict)
        sql = self._upsert(sql, named) if _UPSERT.match(sql) else translate(sql, named)
        if sql is not None and rows:
            with self.raw.cursor() as cur:
                cur.executemany(sql, rows)

    def executescript(self, script: str) -> None:
        for statement in _split_statements(script):
            self.execute(statement)

    def columns_in_order(self, table: str) -> list[str]:
        """``table``'s columns in order, without the rowid the translation adds."""
        if table not in self._columns:
            cur = self.raw.execute(
                "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(%s) AND attnum > 0 "
                "AND NOT attisdropped ORDER BY attnum", (f'"{table}"',))
            self._columns[table] = [r[0] for r in cur if r[0] != "rowid"]
        return self._columns[table]

    def columns(self, table: str) -> set[str]:
        self._columns.pop(table, None)  # a migration may just have added some
        return set(self.columns_in_order(table))

    def _upsert(self, sql: str, named: bool = False) -> str:
        m = _INSERT.match(sql)
        if not m:
            raise StoreError(f"cannot translate for PostgreSQL: {sql[:80]}", shown_url(self.url))
        table = m[2].strip('"')
        cols = [c.strip().strip('"') for c in m[4].split(",")] if m[3] else self.columns_in_order(table)
        if table not in self._keys:
            self._keys[table] = [r[0] for r in self.raw.execute(
                "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
                "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = to_regclass(%s) AND i.indisprimary",
                (f'"{table}"',))]
        key = self._keys[table]
        names = ", ".join(f'"{c}"' for c in cols)
        rest = sql[m.end() - 1:].rstrip().rstrip(";")
        update = ", ".join(f'"{c}" = EXCLUDED."{c}"' for c in cols if c not in key)
        conflict = (f" ON CONFLICT ({', '.join(chr(34) + k + chr(34) for k in key)}) "
                    + (f"DO UPDATE SET {update}" if update else "DO NOTHING")) if key else ""
        return _placeholders(f'INSERT INTO "{table}" ({names}) VALUES {rest}', named) + conflict

    def commit(self) -> None:
        self.raw.commit()

    def rollback(self) -> None:
        self.raw.rollback()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.raw.rollback()  # a reader never commits (a migrated view is dropped here)
        self.raw.close()

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if kind is None:
            self.raw.commit()
        else:
            self.raw.rollback()
        return False


def _open(url: str, *, autocommit: bool = False) -> PgConnection:
    """A connection to the KB at ``url`` (its schema first on the search path); a server that
    cannot be reached or refuses the user is one StoreError line naming the URL, no password."""
    shown = shown_url(url)
    psycopg = _psycopg(shown)
    conninfo, schema = _split(url)
    kwargs = {"autocommit": autocommit, "row_factory": _rows, "application_name": "conflictlens"}
    if "connect_timeout" not in conninfo:
        kwargs["connect_timeout"] = 10
    if schema:
        kwargs["options"] = f"-c search_path={schema}"
    try:
        raw = psycopg.connect(conninfo, **kwargs)
    except psycopg.Error as exc:
        raise StoreError(f"cannot connect to the PostgreSQL server ({_reason(exc, url)})", shown) from None
    if not schema:
        schema = raw.execute("SELECT current_schema()").fetchone()[0]
        if not autocommit:
            raw.rollback()
        if schema is None:
            raw.close()
            raise StoreError("has no schema to keep the knowledge base in (search_path); add ?schema=NAME",
                             shown)
    return PgConnection(raw, url, schema)


def _errors(url: str):
    """psycopg errors → one StoreError line (a failed query, a lost connection, permissions)."""
    psycopg = _psycopg(shown_url(url))

    @contextlib.contextmanager
    def guard():
        try:
            yield
        except psycopg.errors.InsufficientPrivilege as exc:
            raise StoreError(f"permission denied on the PostgreSQL server ({_reason(exc, url)})",
                             shown_url(url)) from None
        except psycopg.Error as exc:
            raise StoreError(f"the PostgreSQL server failed ({_reason(exc, url)})", shown_url(url)) from None

    return guard()


# ----------------------------------------------------------------------------- the KB's state

def kb_tables() -> list[str]:
    """The tables of a KB, as :data:`store.SCHEMA` creates them (in that order)."""
    return re.findall(r"CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?\"?(\w+)", store.SCHEMA, re.I)


def _state(con: PgConnection) -> int | None:
    """The schema version of the KB in ``con``'s schema; None when there is none. Raises when
    the schema holds tables of a KB's names that are not a KB (never written over)."""
    have = {r[0] for r in con.raw.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'v', 'm', 'f')", (con.schema,))}
    shown = shown_url(con.url)
    if "meta" not in have:
        clash = [t for t in kb_tables() if t in have]
        if clash:
            raise StoreError(f"schema {con.schema!r} holds tables that are not a conflictlens knowledge base "
                             f"({', '.join(clash)}); give another database or ?schema=NAME", shown)
        return None
    row = con.raw.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    try:
        return int(row[0])
    except (TypeError, ValueError):
        raise StoreError("is not a conflictlens knowledge base (no schema_version in its meta table)",
                         shown) from None


def _newer(version: int, url: str) -> StoreError:
    return StoreError(f"was written by a newer conflictlens (schema {version} > {store.SCHEMA_VERSION}); "
                      "upgrade conflictlens or rebuild", shown_url(url))


def _upgrade_from(con: PgConnection, version: int) -> None:
    for v in range(version + 1, store.SCHEMA_VERSION + 1):
        store._upgrade(con, v)
        con.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(v),))


def exists(url: str) -> bool:
    """Whether a KB is at ``url`` (raises when its schema holds foreign tables of its names)."""
    con = _open(url)
    try:
        with _errors(url):
            return _state(con) is not None
    finally:
        con.close()


def connect(url: str) -> PgConnection:
    """A reader's connection: every transaction READ ONLY, and the first one (which the caller
    reads the whole KB in) REPEATABLE READ: one snapshot, never half of a build."""
    psycopg = _psycopg(shown_url(url))
    con = _open(url)
    try:
        with _errors(url):
            con.raw.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            con.raw.read_only = True
            version = _state(con)
            if version is None:
                raise StoreError(f"no knowledge base here; build one first with `conflictlens build DOCS --db "
                                 f"{shown_url(url)}`", shown_url(url))
            if version > store.SCHEMA_VERSION:
                raise _newer(version, url)
            if version == store.SCHEMA_VERSION:
                return con
    except BaseException:
        con.close()
        raise
    con.close()
    try:
        migrate(url, version)
        return connect(url)
    except StoreError:
        # a user who may only read: upgrade a copy in temporary tables (as SQLite does in memory)
        con = _open(url)
        try:
            with _errors(url):
                con.raw.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
                _migrated_copy(con, _state(con) or version)
        except BaseException:
            con.close()
            raise
        return con


def _migrated_copy(con: PgConnection, version: int) -> None:
    """Copy the KB's tables into this session's temporary tables, put them first on the search
    path and upgrade them there; the KB itself is left as it is."""
    tables = [r[0] for r in con.raw.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND c.relkind = 'r'", (con.schema,))]
    for t in tables:
        con.raw.execute(f'CREATE TEMPORARY TABLE "{t}" AS SELECT * FROM "{con.schema}"."{t}"')
    con.raw.execute("SELECT set_config('search_path', 'pg_temp', true)")
    _upgrade_from(con, version)


def migrate(url: str, version: int) -> None:
    """Upgrade the KB at ``url`` to :data:`store.SCHEMA_VERSION` in one transaction (DDL is
    transactional here), under the writers' lock."""
    with locked(url):
        con = _open(url)
        try:
            with _errors(url), con:
                now = _state(con)  # another process may have upgraded it meanwhile
                if now is not None and now < store.SCHEMA_VERSION:
                    _upgrade_from(con, now)
        finally:
            con.close()


def check_writable(url: str) -> None:
    """Raise StoreError (one line) when a KB cannot be written at ``url``: no server, a refused
    login, foreign tables of a KB's names, no right to create tables in the schema."""
    con = _open(url)
    try:
        with _errors(url):
            _ensure_schema(con)
            _state(con)
            con.raw.execute(f'CREATE TABLE "{con.schema}".conflictlens_probe (x int)')
    finally:
        con.close()  # rolled back: the probe (and a schema made for it) are gone


def _ensure_schema(con: PgConnection) -> None:
    _, given = _split(con.url)
    if given and con.raw.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (given,)).fetchone() is None:
        con.raw.execute(f'CREATE SCHEMA "{given}"')


# ----------------------------------------------------------------------------- writers

_held: dict[tuple, list] = {}  # (KB, thread) → [connection, depth]: re-entrant within a thread


def _lock_id(schema: str) -> int:
    """The advisory lock of a KB: one 64-bit number per schema (advisory locks are per database)."""
    digest = hashlib.blake2b(f"conflictlens:{schema}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@contextlib.contextmanager
def locked(url: str, blocking: bool = True) -> Iterator[bool]:
    """Hold the writers' lock of the KB at ``url`` (a session advisory lock on a connection of
    its own, released when it closes: a killed writer never leaves it held)."""
    key = (shown_url(url), threading.get_ident())
    if key in _held:
        _held[key][1] += 1
        try:
            yield True
        finally:
            _held[key][1] -= 1
        return
    con = _open(url, autocommit=True)
    try:
        lock = _lock_id(con.schema)
        with _errors(url):
            if blocking:
                got = con.raw.execute("SELECT pg_advisory_lock(%s)", (lock,)) is not None
            else:
                got = con.raw.execute("SELECT pg_try_advisory_lock(%s)", (lock,)).fetchone()[0]
        if not got:
            yield False
            return
        _held[key] = [con, 1]
        try:
            yield True
        finally:
            del _held[key]
            with contextlib.suppress(Exception):
                con.raw.execute("SELECT pg_advisory_unlock(%s)", (lock,))
    finally:
        con.raw.close()


def write(kb, url: str, meta: dict | None, overrides: list[dict] | None) -> None:
    """Replace the KB at ``url`` by ``kb`` in one transaction (call under :func:`locked`): the
    schema made or upgraded, every KB table emptied and filled; nothing changes on failure."""
    con = _open(url)
    try:
        with _errors(url), con:
            _ensure_schema(con)
            version = _state(con)
            if version is None:
                con.executescript(store.SCHEMA)
            elif version > store.SCHEMA_VERSION:
                raise _newer(version, url)
            elif version < store.SCHEMA_VERSION:
                _upgrade_from(con, version)
            # the views of the KB replaced, to reuse (read before its rows are deleted; only
            # from a KB of this schema: a failed statement would abort the transaction)
            prior = webviews.previous(con) if version == store.SCHEMA_VERSION else ("", {})
            for table in reversed(kb_tables()):
                # DELETE, not TRUNCATE: readers keep reading the old rows until the commit
                con.raw.execute(f'DELETE FROM "{table}"')
            store._fill(con, kb, meta, overrides)
            store._fill_index(con, kb, prior)
    finally:
        con.close()
