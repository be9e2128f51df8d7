"""Load and slow clients against ``conflictlens serve`` on 127.0.0.1 (bounded in count and time).

    python bench/load.py --db KB.db [--requests 10000] [--concurrency 50] [--slow 100]
                         [--max-seconds 600] [--markdown docs/load.md]

Starts ``conflictlens serve`` on a free port of 127.0.0.1 (the real command, in its own
process), then runs at once:

- ``--concurrency`` normal clients on keep-alive connections, sharing ``--requests`` GETs over
  the API's endpoints (summary, actors, an actor's profile, events, network, relations,
  figures, facts, search, ask, a document, places, the page);
- ``--slow`` slow clients: four in five trickle a request head one byte a second (slowloris)
  and open a new connection whenever the server hangs up; one in five sends a whole request
  for a document and reads the answer 100 bytes a second.

It stops when the normal requests are done or ``--max-seconds`` have passed, and reports the
latency of normal requests (p50/p95/p99/max), their errors (any status but 200, or a broken
connection), and what happened to the slow clients. Exit code 1 when a normal request failed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def paths(db: Path | str) -> list[str]:
    """The GETs normal clients make, from the names the KB holds."""
    from conflictlens import store

    kb = store.load(db)
    top = sorted(kb.actors, key=lambda a: -a.mention_count)[:10]
    out = ["/api/summary", "/api/actors?limit=50", "/api/figures", "/", "/static/app.js"]
    for a in top:
        out += [f"/api/actors/{quote(a.id)}", f"/api/events?actor={quote(a.name)}",
                f"/api/relations?actor={quote(a.name)}", f"/api/search?q={quote(a.name)}",
                f"/api/ask?q={quote(f'Who supported {a.name}?')}"]
    years = sorted({int(r.start[:4]) for r in kb.relations if r.start and r.start[:4].isdigit()})
    out += [f"/api/network?year={y}" for y in years[:: max(1, len(years) // 5)]]
    out += [f"/api/facts/{f.id}" for f in (kb.events[:5] + kb.relations[:5] + kb.figures[:3])]
    out += [f"/api/documents/{quote(d.name)}" for d in kb.documents[:3]]
    out += ["/api/places", "/api/events"]
    return out


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Status and whether the server keeps the connection, after reading the whole body."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:] if x)}
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status, headers.get("connection", "").lower() != "close"


def endpoint(url: str) -> str:
    path = url.split("?")[0]
    parts = path.split("/")
    return "/".join(parts[:3] + ["{x}"]) if len(parts) > 3 and parts[1] == "api" else path


class Load:
    def __init__(self, port: int, urls: list[str], requests: int, deadline: float):
        self.port, self.urls, self.left, self.deadline = port, urls, requests, deadline
        self.latencies: list[float] = []
        self.by_endpoint: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}
        self.done = asyncio.Event()
        self.slow = {"hung_up_by_server": 0, "slow_reads_finished": 0, "slow_errors": 0}

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1

    async def client(self, rng: random.Random) -> None:
        conn = None
        while self.left > 0 and time.monotonic() < self.deadline:
            self.left -= 1
            url = rng.choice(self.urls)
            t0 = time.perf_counter()
            try:
                if conn is None:
                    conn = await asyncio.open_connection("127.0.0.1", self.port)
                reader, writer = conn
                writer.write(f"GET {url} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n\r\n".encode())
                await writer.drain()
                status, keep = await asyncio.wait_for(read_response(reader), 30)
                self.latencies.append(time.perf_counter() - t0)
                self.by_endpoint.setdefault(endpoint(url), []).append(self.latencies[-1])
                if status != 200:
                    self.error(f"HTTP {status}")
                if not keep:
                    writer.close()
                    conn = None
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError) as exc:
                self.latencies.append(time.perf_counter() - t0)
                self.error(type(exc).__name__)
                if conn:
                    conn[1].close()
                conn = None
        if conn:
            conn[1].close()

    async def slowloris(self) -> None:
        head = f"GET /api/summary HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nUser-Agent: slow\r\n\r\n".encode()
        while not self.done.is_set():
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
                for i in range(len(head)):
                    writer.write(head[i:i + 1])
                    await writer.drain()
                    try:
                        if await asyncio.wait_for(reader.read(1), 1.0) == b"":
                            self.slow["hung_up_by_server"] += 1
                            break
                    except TimeoutError:
                        pass
                    if self.done.is_set():
                        break
                writer.close()
            except OSError:
                self.slow["hung_up_by_server"] += 1
                await asyncio.sleep(0.2)

    async def slow_reader(self, url: str) -> None:
        while not self.done.is_set():
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", self.port, limit=1024)
                writer.transport.set_write_buffer_limits(0)
                writer.write(f"GET {url} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nConnection: close\r\n\r\n".encode())
                await writer.drain()
                while not self.done.is_set():
                    chunk = await reader.read(100)
                    if not chunk:
                        self.slow["slow_reads_finished"] += 1
                        break
                    await asyncio.sleep(1.0)
                writer.close()
            except OSError:
                self.slow["slow_errors"] += 1
                await asyncio.sleep(0.2)

    async def run(self, concurrency: int, slow: int, seed: int) -> float:
        doc = next((u for u in self.urls if u.startswith("/api/documents/")), "/api/summary")
        slow_tasks = [asyncio.create_task(self.slowloris() if i % 5 else self.slow_reader(doc)) for i in range(slow)]
        await asyncio.sleep(2.0)  # the slow clients hold their connections before the load starts
        t0 = time.perf_counter()
        await asyncio.gather(*(self.client(random.Random(seed + i)) for i in range(concurrency)))
        elapsed = time.perf_counter() - t0
        self.done.set()
        for t in slow_tasks:
            t.cancel()
        await asyncio.gather(*slow_tasks, return_exceptions=True)
        return elapsed


def start_server(db: Path | str, port: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen([sys.executable, "-c", "from conflictlens.cli import app; app()", "serve", "--db",
                             str(db), "--host", "127.0.0.1", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server stopped: {proc.stderr.read().decode()[-500:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(f"GET /api/summary HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
                if s.recv(12).startswith(b"HTTP/1.1 200"):
                    return proc
        except OSError:
            pass
        time.sleep(0.3)
    proc.kill()
    raise SystemExit("the server did not answer within 120 s")


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else float("nan")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True, help="a KB file or a postgresql:// URL")
    ap.add_argument("--requests", type=int, default=10000)
    ap.add_argument("--concurrency", type=int, default=50)
    ap.add_argument("--slow", type=int, default=100)
    ap.add_argument("--max-seconds", type=float, default=600)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--markdown", type=Path, help="also write the figures as a Markdown table here")
    args = ap.parse_args(argv)

    urls = paths(args.db)
    port = free_port()
    proc = start_server(args.db, port)
    try:
        load = Load(port, urls, args.requests, time.monotonic() + args.max_seconds)
        elapsed = asyncio.run(load.run(args.concurrency, args.slow, args.seed))
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    lat = [x * 1000 for x in load.latencies]
    errors = sum(load.errors.values())
    result = {
        "requests": len(lat), "concurrency": args.concurrency, "slow_clients": args.slow,
        "seconds": round(elapsed, 1), "requests_per_second": round(len(lat) / elapsed, 1) if elapsed else 0,
        "p50_ms": round(statistics.median(lat), 1) if lat else None, "p95_ms": round(pct(lat, 95), 1),
        "p99_ms": round(pct(lat, 99), 1), "max_ms": round(max(lat), 1) if lat else None,
        "errors": errors, "error_kinds": load.errors, **load.slow,
        "endpoints": len(urls), "cpus": os.cpu_count(), "python": platform.python_version(),
        "load_average_after": round(os.getloadavg()[0], 1),
    }
    per = {k: (len(v), round(pct([x * 1000 for x in v], 50), 1), round(pct([x * 1000 for x in v], 95), 1))
           for k, v in sorted(load.by_endpoint.items())}
    print(json.dumps({**result, "per_endpoint_n_p50_p95_ms": per}, indent=1))
    if args.markdown:
        rows = "\n".join(f"| {k} | {v} |" for k, v in result.items())
        ends = "\n".join(f"| `{k}` | {n} | {p50} | {p95} |" for k, (n, p50, p95) in per.items())
        args.markdown.write_text(f"| measure | value |\n|---|---|\n{rows}\n\n"
                                 f"| endpoint | requests | p50 ms | p95 ms |\n|---|---|---|---|\n{ends}\n",
                                 encoding="utf-8")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
