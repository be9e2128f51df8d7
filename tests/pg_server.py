"""A throw-away local PostgreSQL server for tests and benchmarks (never a lasting service).

``start()`` runs Debian's ``initdb`` and ``pg_ctl start`` in a new temporary folder on a free
loopback port, trusting local connections (as the ``postgres`` user when run as root: initdb
refuses root); ``stop()`` stops it and removes the folder. :class:`Unavailable` says why no
server could be started (no server programs, no user to run it as, a failed start).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


class Unavailable(RuntimeError):
    """No PostgreSQL server can be started here (the reason is the message)."""


@dataclass
class Server:
    url: str  # postgresql://postgres@127.0.0.1:PORT (add /dbname)
    folder: Path
    bindir: str
    as_user: list[str]

    def stop(self) -> None:
        subprocess.run([*self.as_user, f"{self.bindir}/pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate",
                        "-w", "stop"], capture_output=True, timeout=60)
        shutil.rmtree(self.folder, ignore_errors=True)


def bindir() -> str | None:
    """The folder of Debian's server programs (initdb, pg_ctl), newest version first."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]),
                   reverse=True)
    if found:
        return str(Path(found[0]).parent)
    initdb = shutil.which("initdb")
    return str(Path(initdb).parent) if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(max_connections: int = 60) -> Server:
    programs = bindir()
    if programs is None:
        raise Unavailable("no PostgreSQL server programs (apt-get install postgresql)")
    as_user: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="conflictlens-pg-"))
    if os.geteuid() == 0:
        import pwd

        try:
            pw = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(folder)
            raise Unavailable("running as root and there is no 'postgres' user to run the server as") from None
        os.chown(folder, pw.pw_uid, pw.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    data, log = folder / "data", folder / "server.log"
    port = _free_port()

    def run(*cmd: str) -> subprocess.CompletedProcess:
        return subprocess.run([*as_user, *cmd], capture_output=True, text=True, timeout=120)

    r = run(f"{programs}/initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
            "--locale=C.UTF-8", "--no-sync")
    if r.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise Unavailable(f"initdb failed: {(r.stderr or r.stdout).strip()[-300:]}")
    # a test server: no fsync (its data is thrown away), sockets in its own folder
    options = (f"-p {port} -c listen_addresses=127.0.0.1 -k {folder} -c fsync=off -c synchronous_commit=off "
               f"-c full_page_writes=off -c max_connections={max_connections}")
    r = run(f"{programs}/pg_ctl", "-D", str(data), "-l", str(log), "-o", options, "-w", "-t", "60", "start")
    if r.returncode != 0:
        text = log.read_text(errors="replace")[-400:] if log.exists() else r.stderr
        shutil.rmtree(folder, ignore_errors=True)
        raise Unavailable(f"the PostgreSQL server did not start: {text.strip()}")
    return Server(f"postgresql://postgres@127.0.0.1:{port}", folder, programs, as_user)


def create_database(server_url: str, name: str) -> str:
    """A new empty database on the server: its URL."""
    import psycopg

    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    return f"{server_url}/{name}"
