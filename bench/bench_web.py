"""Benchmark: how fast each view of the web app paints on a KB, against a baseline app.

    python bench/bench_web.py --db KB.db [--baseline REV|DIR] [--repeat N] [--views a,b]

Serves the KB twice, each with ``conflictlens serve`` in its own process: this checkout's
app ("new") and a baseline's ("base": a git revision, extracted to a temporary folder, or a
folder holding ``src/conflictlens``; default ``main``). One server at a time, in alternating
order round by round (a baseline still working in the background would slow the other), it loads
each view afresh in headless Debian chromium (a new browser context, so
nothing cached) and prints the milliseconds from navigation to the view painted (the app
marks ``body[data-ready=VIEW]`` after its first animation frame; both apps set
``window.clTimings[VIEW]`` to ``performance.now()`` then), the longest main-thread task after
that paint (how long the page stays unresponsive), and a few interactions: the network's year
slider moved, the timeline zoomed in, the map's period moved. The ratio column is base / new.

The KB: both apps serve ``--db``, unless ``--new-db`` names another file for the new app, or
``--resave`` makes one: a copy of ``--db`` saved again by the new app's code (what a build by
it stores beside the facts: the web app's first views, ``webviews.py``; a baseline that
predates them reads ``--db`` as it is). ``--db`` itself is never written.

Views: overview, network, timeline, map, actor (the most mentioned actor's page), doc (the
longest document in the reader), ask (a question about the most mentioned actor). A view that
does not paint within ``--timeout`` seconds is reported as ``>TIMEOUT``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]
VIEWS = ("overview", "network", "timeline", "map", "actor", "doc", "ask")
#: Long tasks (≥ 50 ms) observed from the start of the load; the page keeps them in a list.
LONGTASKS = """() => { window.__lt = []; try { new PerformanceObserver((l) => { for (const e of l.getEntries())
  window.__lt.push([e.startTime, e.duration]); }).observe({ type: 'longtask', buffered: true }); } catch (e) {} }"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _baseline_src(spec: str, tmp: Path) -> Path:
    """The ``src`` folder of a baseline: a folder as given, or a git revision extracted."""
    p = Path(spec)
    if (p / "src" / "conflictlens").is_dir():
        return p / "src"
    if (p / "conflictlens").is_dir():
        return p
    tmp.mkdir(parents=True, exist_ok=True)
    archive = tmp / "src.tar"
    subprocess.run(["git", "-C", str(ROOT), "archive", "-o", str(archive), spec, "src"], check=True)
    with tarfile.open(archive) as t:
        t.extractall(tmp, filter="data")
    return tmp / "src"


def _get(url: str, timeout: float = 120) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.read()


class Server:
    """``conflictlens serve`` of one source tree in a child process."""

    def __init__(self, name: str, src: Path, db: str):
        self.name, self.port = name, _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PYTHONPATH": str(src), "CONFLICTLENS_NODE_MODULES": str(_node_modules())}
        t0 = time.perf_counter()
        self.proc = subprocess.Popen([sys.executable, "-m", "conflictlens.cli", "serve", "--db", db,
                                      "--port", str(self.port)], env=env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE)
        deadline = time.time() + 300
        while True:
            try:
                _get(self.base + "/api/summary", 5)
                break
            except OSError:
                if self.proc.poll() is not None or time.time() > deadline:
                    err = self.proc.stderr.read().decode()[-2000:]
                    raise SystemExit(f"{name}: the server did not start: {err}") from None
                time.sleep(0.2)
        self.start_s = time.perf_counter() - t0
        while True:  # the map's index, built beside the server at start (503 while it takes > 10 s)
            try:
                _get(self.base + "/api/places", 300)
                break
            except OSError:
                if self.proc.poll() is not None or time.time() > deadline:
                    raise SystemExit(f"{name}: /api/places never answered") from None
                time.sleep(0.5)
        self.warm_s = time.perf_counter() - t0
        try:  # one request (the camps of a many-war KB take long; a 503 after the time limit)
            _get(self.base + "/api/overview", 600)
            self.overview = f"overview ready after {time.perf_counter() - t0:.1f} s"
        except OSError as exc:
            self.overview = f"overview: {exc} after {time.perf_counter() - t0:.1f} s"

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def _node_modules() -> Path:
    for cand in (os.environ.get("CONFLICTLENS_NODE_MODULES"), ROOT / "node_modules"):
        if cand and (Path(cand) / "leaflet").is_dir():
            return Path(cand).resolve()
    raise SystemExit("node_modules missing: run npm ci")


RESAVE = """import sys
from conflictlens import store
db = sys.argv[1]
kb = store.load(db)
meta = {k: v for k, v in store.meta(db).items() if k != "schema_version"}
store.save(kb, db, meta=meta, overrides=store.load_overrides(db))
"""


def _resaved(db: str, src: Path, tmp: Path) -> str:
    """A copy of ``db`` saved by the code under ``src`` (the KB as its build would store it)."""
    out = tmp / ("resaved-" + Path(db).name)
    shutil.copyfile(db, out)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", RESAVE, str(out)], env={**os.environ, "PYTHONPATH": str(src)}, check=True)
    print(f"{db} saved again by the new app's code in {time.perf_counter() - t0:.1f} s: {out}", flush=True)
    return str(out)


def _targets(db: str) -> tuple[dict[str, str], int]:
    """The hash of each view: the most mentioned actor, the longest document, a question."""
    sys.path.insert(0, str(ROOT / "src"))
    from conflictlens import store

    kb = store.load(db)
    top = max(kb.actors, key=lambda x: x.mention_count)
    actor_id, actor_name = top.id, top.name
    doc = max(kb.documents, key=lambda d: len(d.text)).name
    words = sum(d.words for d in kb.documents)
    from urllib.parse import quote, urlencode

    return {"overview": "#/overview", "network": "#/network", "timeline": "#/timeline", "map": "#/map",
            "actor": f"#/actor/{quote(actor_id)}", "doc": f"#/doc/{quote(doc)}",
            "ask": "#/ask?" + urlencode({"q": f"Who supported {actor_name}?"})}, words


def _measure(browser, server: Server, view: str, target: str, n: int, timeout: float) -> dict:
    ctx = browser.new_context(viewport={"width": 1440, "height": 900})
    page = ctx.new_page()
    page.add_init_script(f"({LONGTASKS})()")
    route = target.split("?")[0].split("/")[1]
    out: dict = {}
    try:
        t0 = time.perf_counter()
        page.goto(f"{server.base}/?bench{n}{target}", timeout=timeout * 1000)
        page.wait_for_selector(f"body[data-ready='{route}']", timeout=timeout * 1000, state="attached")
        wall = (time.perf_counter() - t0) * 1000
        painted = page.evaluate(f"window.clTimings && window.clTimings['{route}']")
        out["paint"] = float(painted) if isinstance(painted, (int, float)) else wall
        page.wait_for_timeout(1500)  # what runs after the paint (a deferred layout, tiles of work)
        tasks = page.evaluate("window.__lt || []")
        out["after"] = max([d for s, d in tasks if s + d > out["paint"]], default=0.0)
        out["errors"] = page.locator("#view .error").count()
        out.update(_interact(page, view, timeout))
    except Exception as exc:  # a timeout: reported, the run goes on
        out.setdefault("paint", None)
        out["fail"] = type(exc).__name__
    finally:
        ctx.close()
    return out


def _interact(page, view: str, timeout: float) -> dict:
    """One interaction per view with a library: the time until it has been drawn."""
    ms = timeout * 1000
    if view == "network" and page.locator("#year").count():
        lo, hi = int(page.get_attribute("#year", "min")), int(page.get_attribute("#year", "max"))
        year = (lo + hi) // 2
        t0 = time.perf_counter()
        page.locator("#year").fill(str(year))
        page.wait_for_selector(f"#network-box[data-year='{year}']", timeout=ms, state="attached")
        page.evaluate("new Promise(r => requestAnimationFrame(() => r()))")
        return {"interact": (time.perf_counter() - t0) * 1000, "what": f"year {year}"}
    if view == "timeline" and page.locator("#zoom-in").count():
        t0 = time.perf_counter()
        page.click("#zoom-in")
        page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r())))")
        return {"interact": (time.perf_counter() - t0) * 1000, "what": "zoom in"}
    if view == "map" and page.locator("#map-to").count():
        lo = int(page.get_attribute("#map-to", "min"))
        t0 = time.perf_counter()
        page.locator("#map-to").fill(str(lo + 1))
        page.evaluate("new Promise(r => requestAnimationFrame(() => r()))")
        return {"interact": (time.perf_counter() - t0) * 1000, "what": "period"}
    return {}


def _fmt(x: float | None, timeout: float) -> str:
    return f">{timeout * 1000:.0f}" if x is None else f"{x:.0f}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--baseline", default="main", help="git revision or folder of the baseline app (default: main)")
    ap.add_argument("--no-baseline", action="store_true", help="measure this checkout only")
    ap.add_argument("--new", help="git revision or folder of the new app (default: this checkout's src)")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--views", default=",".join(VIEWS))
    ap.add_argument("--timeout", type=float, default=90.0, help="seconds a view may take to paint")
    ap.add_argument("--json", help="write the raw measurements here")
    ap.add_argument("--new-db", help="the KB the new app serves (default: --db)")
    ap.add_argument("--resave", action="store_true",
                    help="the new app serves a copy of --db saved again by its own code")
    a = ap.parse_args()
    from playwright.sync_api import sync_playwright

    views = [v for v in a.views.split(",") if v]
    with tempfile.TemporaryDirectory() as tmp:
        specs = [("new", _baseline_src(a.new, Path(tmp) / "new") if a.new else ROOT / "src")]
        if not a.no_baseline:
            specs.insert(0, ("base", _baseline_src(a.baseline, Path(tmp) / "base")))
        new_db = _resaved(a.db, specs[-1][1], Path(tmp)) if a.resave else (a.new_db or a.db)
        dbs = {"base": a.db, "new": new_db}
        targets, words = _targets(new_db)
        cols = [name for name, _ in specs]
        results: dict[str, dict[str, list[dict]]] = {c: {v: [] for v in views} for c in cols}
        starts: dict[str, list[str]] = {c: [] for c in cols}
        # One server at a time (a baseline still computing in the background would slow the
        # other), in alternating order round by round.
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            for n in range(a.repeat):
                for name, src in (specs if n % 2 == 0 else specs[::-1]):
                    s = Server(name, src, dbs[name])
                    try:
                        starts[name].append(f"answers after {s.start_s:.1f} s, map index after {s.warm_s:.1f} s, "
                                            + s.overview)
                        for v in views:
                            results[name][v].append(_measure(browser, s, v, targets[v], n, a.timeout))
                    finally:
                        s.stop()
            browser.close()
    print(f"KB {a.db}: {words:,} words; chromium headless 1440×900; median of {a.repeat} fresh loads (ms)"
          + (f"; the new app serves {new_db}" if new_db != a.db else ""))
    for c in cols:
        for line in starts[c]:
            print(f"  {c} server: {line}")

    def med(rows: list[dict], key: str) -> float | None:
        xs = [r[key] for r in rows if r.get(key) is not None]
        return statistics.median(xs) if len(xs) == len(rows) and xs else None

    head = f"{'view':10}" + "".join(f"{c + ' paint':>12}" for c in cols) + (f"{'ratio':>8}" if len(cols) == 2 else "")
    head += "".join(f"{c + ' after':>12}" for c in cols) + "".join(f"{c + ' act':>10}" for c in cols) + "  interaction"
    print(head)
    for v in views:
        paint = [med(results[c][v], "paint") for c in cols]
        row = f"{v:10}" + "".join(f"{_fmt(x, a.timeout):>12}" for x in paint)
        if len(cols) == 2:
            row += f"{(paint[0] or a.timeout * 1000) / paint[1]:>7.1f}×" if paint[1] else f"{'-':>8}"
        row += "".join(f"{_fmt(med(results[c][v], 'after'), a.timeout):>12}" for c in cols)
        acts = [med(results[c][v], "interact") for c in cols]
        row += "".join(f"{_fmt(x, a.timeout) if any(r.get('what') for r in results[c][v]) else '-':>10}"
                       for c, x in zip(cols, acts, strict=True))
        what = next((r["what"] for c in cols for r in results[c][v] if r.get("what")), "")
        fails = {c: [r["fail"] if r.get("fail") else "error shown" for r in results[c][v]
                     if r.get("fail") or r.get("errors")] for c in cols}
        print(row + f"  {what}" + "".join(f"  {c} failed: {f}" for c, f in fails.items() if f))
    if a.json:
        Path(a.json).write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
