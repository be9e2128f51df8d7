"""Hostile or careless *use* of the CLI, the store and the server (issue 15, items 5 and 7–12).

Each test reproduces one failure seen as an attacker or a careless user would cause it: Rich
markup and terminal escapes in document text, a correction lost to a concurrent build,
wrapped error lines, half-open connections starving the server, tracebacks instead of one
error line, leftovers of killed saves, a replaced symlink, a private KB file mode, HEAD → 405.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import stat
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conflictlens import store
from conflictlens.cli import app
from conflictlens.ingest import parse_text
from conflictlens.records import KB, Actor, Event, Evidence, Figure, Mention, Relation, TimeExpr

runner = CliRunner()

#: A document that is also Rich markup, a terminal escape (retitle the window, clear the
#: screen) and a bidi override.
HOSTILE = ("The [/] Militia [bold]attacked[/bold] Tuzla in 1995. \x1b]0;pwned\x07\x1b[2J"
           "The \u202eGuard\u202c [red]supported[/red] the [/] Militia in 1994.")


def hostile_kb() -> KB:
    doc = parse_text(HOSTILE, "evil[/].txt")
    q1 = HOSTILE.index("The [/] Militia"), HOSTILE.index("1995.") + 5
    q2 = HOSTILE.index("The \u202e"), len(HOSTILE)
    ev1 = Evidence(doc.name, *q1, HOSTILE[q1[0]:q1[1]])
    ev2 = Evidence(doc.name, *q2, HOSTILE[q2[0]:q2[1]])
    t = TimeExpr(q1[1] - 5, q1[1] - 1, "1995", "1995", "year")
    return KB(
        documents=[doc],
        actors=[Actor("a1", "The [/] Militia", "armed_group", ["[bold]M[/bold]"], {doc.name: 2}, [ev1]),
                Actor("a2", "\u202eGuard\u202c\x1b[31m", "armed_group", [], {doc.name: 1}, [ev2]),
                Actor("a3", "Tuzla", "location", [], {doc.name: 1}, [ev1])],
        events=[Event("ATTACK", ["a1"], ["a3"], [ev1], trigger="attacked", place="[/]Tuzla", time=t,
                      summary="[/] attacked", id="e1")],
        relations=[Relation("a2", "supports", "a1", [ev2], start="1994", qualifier="[/]", id="r1")],
        figures=[Figure("deaths", 10, 20, "[/] killed", [ev1], who="[/]", id="f1")],
        mentions=[Mention("a1", "[/] Militia", 4, 15, doc.name)],
    )


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def one_error_line(r) -> str:
    """The command ended with exit code 1 and one error line (no traceback)."""
    assert r.exit_code == 1, (r.exit_code, r.output, r.exception)
    assert isinstance(r.exception, SystemExit), r.exception
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), r.stderr
    return lines[0]


# ----------------------------------------------------------------------------- 5: markup, escapes

@pytest.fixture
def hostile_db(tmp_path) -> Path:
    db = tmp_path / "hostile.db"
    store.save(hostile_kb(), db)
    return db


@pytest.mark.parametrize("command", [
    ["timeline"], ["actor", "a1"], ["actor", "a2"], ["actors"], ["relations"], ["figures"], ["sources", "e1"],
    ["sources", "r1"], ["history", "a1", "a2"], ["ask", "Who attacked Tuzla in 1995?"],
    ["ask", "Which militia was supported by the guard?"], ["summary"], ["analyze", "network", "--at", "1994"],
])
def test_document_text_is_shown_as_text_never_markup_or_escapes(hostile_db, command):
    r = run(*command, "--db", hostile_db)
    assert r.exit_code == 0, (r.output, r.exception)
    assert "\x1b" not in r.output and "\u202e" not in r.output and "\x07" not in r.output
    if command[0] in ("timeline", "actor", "sources") and command[-1] in ("timeline", "a1", "e1"):
        assert "[/]" in r.output  # shown as written, not swallowed
    if command == ["actor", "a2"]:
        assert "\\u202eGuard" in r.output and "\\x1b[31m" in r.output  # visible escapes


def test_json_output_escapes_c1_controls_and_bidi(hostile_db):
    r = run("actors", "--json", "--db", hostile_db)
    assert r.exit_code == 0
    assert "\u202e" not in r.stdout and "\\u202e" in r.stdout


def test_error_lines_show_control_characters_of_file_names_escaped(tmp_path):
    r = run("actors", "--db", tmp_path / "x\x1b[2Jy\nz.db")
    line = one_error_line(r)
    assert "\\x1b[2Jy z.db" in line


# ----------------------------------------------------------------------------- 7: corrections

def test_a_correction_made_while_a_build_runs_is_kept(tmp_path, monkeypatch, fresh_db):
    from conflictlens import pipeline

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "k.txt").write_text("The Kosovo Liberation Army fought Serbia in 1998.", encoding="utf-8")
    db = fresh_db
    store.save(hostile_kb(), db, overrides=[])

    def build_kb(docs, **kw):
        # meanwhile the user corrects the KB the build is about to replace
        r = run("merge", "a1", "a3", "--db", db)
        assert r.exit_code == 0, r.output
        return hostile_kb()

    monkeypatch.setattr(pipeline, "build_kb", build_kb)
    pipeline.build([folder], db)
    assert [(o["op"], o["a"], o["b"]) for o in store.load_overrides(db)] == [
        ("merge", "The [/] Militia", "Tuzla")]
    kb = store.load(db)
    assert "Tuzla" in kb.actors[0].aliases and len(kb.actors) == 2  # applied to the new KB too


def test_corrections_hold_the_writers_lock(tmp_path):
    db = tmp_path / "kb.db"
    store.save(hostile_kb(), db, overrides=[])
    with store.locked(db):
        # another process's correction waits for the lock; a non-blocking try says it is taken
        import subprocess
        import sys

        code = ("import sys; from conflictlens import store\n"
                "with store.locked(sys.argv[1], blocking=False) as free: print(free)")
        env = {**os.environ, "PYTHONPATH": str(Path(store.__file__).parent.parent)}
        out = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True, env=env)
        assert out.stdout.strip() == "False", out.stderr
    assert not list(tmp_path.glob(".*.lock"))  # no lock file left beside the KB


# ----------------------------------------------------------------------------- 8: error lines

def test_error_lines_are_not_wrapped_when_stderr_is_not_a_terminal(tmp_path):
    deep = tmp_path / ("a-rather-long-folder-name-" * 4) / "missing.db"
    line = one_error_line(run("actors", "--db", deep))
    assert str(deep) in line and "build one first" in line


# ----------------------------------------------------------------------------- 9: server

def test_serve_warns_when_listening_beyond_this_machine(example_db, monkeypatch):
    import uvicorn

    from conflictlens import api

    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: None)
    monkeypatch.setattr(api, "run", lambda *a, **k: None, raising=False)
    r = run("serve", "--db", example_db, "--host", "0.0.0.0")
    assert r.exit_code == 0, r.output
    assert "warning:" in r.stderr and "127.0.0.1" in r.stderr
    r = run("serve", "--db", example_db, "--host", "127.0.0.1")
    assert "warning:" not in r.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str = "/api/summary", method: str = "GET") -> tuple[int, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


@pytest.fixture
def live_server(second_db):
    import uvicorn

    from conflictlens.api import create_app, server_config

    port = _free_port()
    server = uvicorn.Server(server_config(create_app(second_db), "127.0.0.1", port, header_timeout=1.0))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    yield port
    server.should_exit = True
    thread.join(10)


def test_half_open_connections_do_not_starve_the_server(live_server):
    port = live_server
    idle = []
    for i in range(80):  # more than the 64 connections the server allowed before
        s = socket.create_connection(("127.0.0.1", port))
        if i % 2:
            s.sendall(b"GET /api/summary HTTP/1.1\r\nHost: 127")  # a head never finished
        idle.append(s)
    try:
        status, _ = _get(port)
        assert status == 200
        # the server hangs up on them once the head deadline passes
        time.sleep(1.6)
        for s in idle:
            s.settimeout(2)
            assert s.recv(100) == b""
    finally:
        for s in idle:
            s.close()


def test_head_is_answered_like_get_without_a_body(live_server):
    status, body = _get(live_server, "/api/summary", "HEAD")
    assert status == 200 and body == b""
    status, _ = _get(live_server, "/", "HEAD")
    assert status == 200


# ----------------------------------------------------------------------------- 10: one clear line

def test_db_that_is_a_folder_is_one_line(tmp_path):
    assert "is a folder" in one_error_line(run("actors", "--db", tmp_path))
    (tmp_path / "a.txt").write_text("Serbia fought the Kosovo Liberation Army in 1998.", encoding="utf-8")
    line = one_error_line(run("build", tmp_path / "a.txt", "--db", tmp_path, "--cache-dir", tmp_path / "c"))
    assert "is a folder" in line


def test_db_that_cannot_be_written_is_one_line_before_parsing(tmp_path):
    (tmp_path / "a.txt").write_text("Serbia fought the Kosovo Liberation Army in 1998.", encoding="utf-8")
    line = one_error_line(run("build", tmp_path / "a.txt", "--db", "/proc/kb.db", "--cache-dir", tmp_path / "c"))
    assert "cannot write" in line
    assert not (tmp_path / "c").exists()  # refused before any parse


def test_db_that_is_a_device_or_pipe_is_never_replaced(tmp_path, hostile_db):
    # `--db /dev/null` run as root replaced the device by a plain file; a pipe stands in for it here
    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo)
    line = one_error_line(run("export", "--db", hostile_db, "--format", "sqlite", "-o", fifo))
    assert "not a regular file" in line
    with pytest.raises(store.StoreError, match="not a regular file"):
        store.save(hostile_kb(), fifo)
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_cache_dir_that_is_a_file_is_one_line(tmp_path):
    (tmp_path / "a.txt").write_text("Serbia fought the Kosovo Liberation Army in 1998.", encoding="utf-8")
    (tmp_path / "cache").write_text("not a folder")
    line = one_error_line(run("build", tmp_path / "a.txt", "--db", tmp_path / "kb.db", "--cache-dir",
                              tmp_path / "cache"))
    assert "cache" in line and "folder" in line


def test_export_to_a_folder_is_one_line(tmp_path, hostile_db):
    assert "is a folder" in one_error_line(run("export", "--db", hostile_db, "-o", tmp_path))
    line = one_error_line(run("export", "--db", hostile_db, "-o", tmp_path / "no" / "such" / "kb.json"))
    assert "cannot write" in line


def test_port_out_of_range_is_a_usage_error(hostile_db):
    r = run("serve", "--db", hostile_db, "--port", 70000)
    assert r.exit_code == 2 and not isinstance(r.exception, OverflowError)
    assert "65535" in r.output


def test_damaged_kb_pages_are_one_line(tmp_path):
    db = tmp_path / "kb.db"
    kb = hostile_kb()
    kb.documents[0].text = "x" * 200_000  # several pages of data to damage
    store.save(kb, db)
    raw = bytearray(db.read_bytes())
    raw[8192:len(raw) - 4096] = b"\xa5" * (len(raw) - 12288)
    db.write_bytes(bytes(raw))
    line = one_error_line(run("actors", "--db", db))
    assert "damaged" in line or "not a conflictlens" in line


def test_old_schema_kb_on_read_only_media_is_read_without_upgrading(tmp_path, monkeypatch):
    db = tmp_path / "old.db"
    store.save(hostile_kb(), db)
    con = sqlite3.connect(db)
    con.execute("DROP TABLE overrides")
    con.execute("UPDATE meta SET value='1' WHERE key='schema_version'")
    con.commit()
    con.close()
    before = db.read_bytes()

    def read_only(path, version):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(store, "migrate", read_only)
    assert store.load_overrides(db) == []
    assert [a.id for a in store.load(db).actors] == ["a1", "a2", "a3"]
    r = run("actors", "--db", db)
    assert r.exit_code == 0, r.output
    assert db.read_bytes() == before


# ----------------------------------------------------------------------------- 11: leftovers, symlinks

def test_a_killed_saves_temporary_files_are_removed_at_next_open(tmp_path):
    db = tmp_path / "kb.db"
    store.save(hostile_kb(), db)
    for name in (".kb.db.k1ll3d.tmp", ".kb.db.k1ll3d.tmp-journal"):
        (tmp_path / name).write_bytes(b"half a KB")
    store.load(db)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kb.db"]
    (tmp_path / ".kb.db.again.tmp").write_bytes(b"half a KB")
    store.save(hostile_kb(), db)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kb.db"]


def test_a_save_leaves_no_journal_file(tmp_path, monkeypatch):
    seen: list[str] = []
    real = store._fill

    def spy(con, *args):  # look at the folder while the save writes
        real(con, *args)
        seen.extend(p.name for p in tmp_path.iterdir())

    monkeypatch.setattr(store, "_fill", spy)
    store.save(hostile_kb(), tmp_path / "kb.db")
    assert seen and not any(n.endswith("-journal") for n in seen)


def test_a_db_symlink_is_written_through_not_replaced(tmp_path):
    real = tmp_path / "store" / "real.db"
    real.parent.mkdir()
    store.save(KB(), real)
    link = tmp_path / "kb.db"
    link.symlink_to(real)
    store.save(hostile_kb(), link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert [a.id for a in store.load(real).actors] == ["a1", "a2", "a3"]


# ----------------------------------------------------------------------------- 12: file mode

def test_kb_file_gets_the_usual_mode(tmp_path):
    old = os.umask(0o022)
    try:
        store.save(hostile_kb(), tmp_path / "kb.db")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "kb.db").stat().st_mode) == 0o644
