"""Command line: ``conflictlens build``, then ask the KB with readable tables or ``--json``."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import json
import os
import re
import sqlite3
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from . import analyze, store
from .confidence import at_least, ranked
from .errors import ConflictlensError
from .records import KB, Evidence


class _App(typer.Typer):
    """The command line; a plain ``ask QUESTION [--db KB] [--json]`` is run without typer's
    argument machinery (which imports pydantic: a third of a second a process)."""

    def __call__(self, *args, **kwargs):
        if not args and not kwargs:
            try:
                code = _ask_fast(sys.argv[1:])
            except KeyboardInterrupt:  # as click ends a command
                print("\nAborted!", file=sys.stderr)
                code = 1
            except BrokenPipeError:  # `conflictlens ask … | head`: the reader left; say nothing more
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
                code = 1
            if code is not None:
                sys.exit(code)
        return super().__call__(*args, **kwargs)


def _ask_fast(argv: list[str]) -> int | None:
    """Run ``ask`` for the plain command lines: the question and at most ``--db``/``--json``;
    None for any other (typer parses it: help, errors, other commands)."""
    if len(argv) < 2 or argv[0] != "ask":
        return None
    question, db, given, as_json, rest = None, DEFAULT_DB, False, False, argv[1:]
    while rest:
        a = rest.pop(0)
        if a == "--json" and not as_json:
            as_json = True
        elif a == "--db" and rest and not given:
            db, given = rest.pop(0), True
        elif a.startswith("--db=") and not given:
            db, given = a[len("--db="):], True
        elif a == "--":
            if question is not None or len(rest) != 1:
                return None
            question = rest.pop(0)
        elif a.startswith("-") or question is not None:
            return None  # an option typer knows (--help) or a usage error: typer says it
        else:
            question = a
    if question is None or not db:
        return None
    try:
        _guard(ask)(question, Path(db), as_json)
    except typer.Exit as exc:
        return exc.exit_code
    return 0


app = _App(
    help="conflictlens: documents about an armed conflict in, a sourced knowledge base out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# Piped output is not squeezed to 80 columns: quotes stay readable in files and pagers.
out = Console(soft_wrap=False, width=None if sys.stdout.isatty() else 160)
# Error lines are never wrapped: a log or a test reads each as one line.
err = Console(stderr=True, soft_wrap=True)

#: Characters of a document that must not reach a terminal as they are: C0/C1 controls (ESC
#: sequences recolour, retitle or rewrite the terminal) and bidi overrides (reorder what is shown).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _plain(s: object) -> str:
    """Document-derived text made safe to show: one line, control characters as visible escapes."""
    s = str(s).replace("\t", " ").replace("\n", " ")
    return _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", s)


def _text(*parts) -> Text:
    """A line for the terminal from plain strings and (string, style) pairs; never read as
    Rich markup, so "[/]" or "[bold]" in a document are shown as they are."""
    return Text.assemble(*((_plain(p[0]), p[1]) if isinstance(p, tuple) else _plain(p) for p in parts))


def _say(*parts, console: Console | None = None) -> None:
    (console or out).print(_text(*parts), soft_wrap=True)


class Table(RichTable):
    """A Rich table whose title and cells are text, never markup (cells hold document text)."""

    def __init__(self, *headers: str, title: str | None = None, **kw):
        super().__init__(*headers, title=_text(title) if title is not None else None, **kw)

    def add_row(self, *cells, **kw) -> None:
        super().add_row(*(_text(c) if isinstance(c, str) else c for c in cells), **kw)

DEFAULT_DB = os.environ.get("CONFLICTLENS_DB", "conflictlens.db")
#: a string, not a Path: a Path would fold the "//" of a server URL
DbOpt = Annotated[str, typer.Option("--db", help="The knowledge base: a SQLite file, or a PostgreSQL server "
                                    "postgresql://user@host:port/dbname[?schema=NAME].")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for machines instead of a table.")]
FigureKindOpt = Annotated[str | None, typer.Option(help="deaths, wounded, force_size, displaced or other.")]
MinConfOpt = Annotated[float, typer.Option(
    "--min-confidence", min=0.0, max=1.0,
    help="Only facts at least this confident (0–1: the measured precision of how each was found).")]


def _fail(exc: Exception | str) -> None:
    _say(("error:", "red"), " ", str(exc), console=err)
    raise typer.Exit(1)


def _os_error(exc: OSError) -> str:
    """An OS error as one line: the file and the reason, without a traceback."""
    where = f"{exc.filename}: " if exc.filename else ""
    return f"{where}{exc.strerror or exc}"


def _guard(fn):
    """Run a command so that a file-system or SQLite failure ends it with one error line."""

    @functools.wraps(fn)
    def run(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ConflictlensError as exc:
            _fail(exc)
        except OSError as exc:
            _fail(_os_error(exc))
        except sqlite3.Error as exc:
            _fail(f"the knowledge base could not be read or written ({exc})")

    return run


def _load(db: str, min_confidence: float = 0.0) -> KB:
    try:
        return at_least(store.load(db), min_confidence)
    except ConflictlensError as exc:
        _fail(exc)
        raise  # unreachable: _fail exits


def _query(db: str, fn, *args, min_confidence: float = 0.0):
    """Load the KB and ask it ``fn(kb, *args)``; a user error (unknown name, bad id) ends the
    command with its one-line message."""
    kb = _load(db, min_confidence)
    try:
        return kb, fn(kb, *args)
    except ConflictlensError as exc:
        _fail(exc)
        raise  # unreachable: _fail exits


def _print_json(data) -> None:
    # json escapes C0 controls itself; C1 controls and bidi overrides are escaped here too
    text = json.dumps(analyze.jsonable(data), ensure_ascii=False, indent=1)
    sys.stdout.write(_CONTROL.sub(lambda m: f"\\u{ord(m[0]):04x}", text) + "\n")


def _conf(f) -> str:
    """A fact's confidence as shown: ✓ when the user confirmed it."""
    if f.confirmed:
        return "✓"
    return f"{f.confidence:.2f}" if f.confidence is not None else ""


def _quote(ev: list[Evidence], width: int = 160) -> str:
    if not ev:
        return ""
    q = " ".join(ev[0].quote.split())
    return (q[: width - 1] + "…") if len(q) > width else q


@app.command()
def build(
    paths: Annotated[list[Path], typer.Argument(help="Document files or folders of them.")],
    db: DbOpt = DEFAULT_DB,
    cache_dir: Annotated[Path | None, typer.Option(help="Where parses are cached (default: user cache).")] = None,
    processes: Annotated[int, typer.Option(help="spaCy processes for parsing.")] = 2,
    date: Annotated[str | None, typer.Option(
        help="The documents' own date (YYYY-MM-DD or YYYY-MM) where their file states none: "
             "it anchors 'last year', 'in June'.")] = None,
    engine: Annotated[str, typer.Option(
        help="Where parsing and extraction run: 'local' (processes on this machine) or 'dask' "
             "(a Dask cluster; needs conflictlens[dask]). The KB is the same.")] = "local",
    scheduler: Annotated[str | None, typer.Option(
        help="With --engine dask: a running Dask scheduler's address (tcp://host:8786); "
             "default: a local cluster of --processes workers.")] = None,
    max_memory_mb: Annotated[int, typer.Option(
        help="Memory (MB) the work on one document may take; a document over it is skipped "
             "with one error line and the build goes on.")] = 2048,
) -> None:
    """Build (or rebuild) the knowledge base from documents (.txt, .md, .pdf, .html, .docx,
    .jsonl news feeds). The old KB stays until the new one is whole."""
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .ingest import shown
    from .nlp import default_cache_dir
    from .pipeline import build as run_build
    from .readers.dates import iso_date

    if date is not None:
        given = iso_date(date) if len(date.strip()) >= 7 else None
        if given is None:
            _fail(ConflictlensError(f"--date {date!r} is not a date; give YYYY-MM-DD or YYYY-MM"))
        date = given

    cache = cache_dir if cache_dir is not None else default_cache_dir()
    if cache.exists() and not cache.is_dir():
        _fail(f"the parse cache {cache} is a file, not a folder; give --cache-dir DIR "
              "(or set $CONFLICTLENS_CACHE)")
    if engine not in ("local", "dask"):
        _fail(f"--engine {engine!r} is not an engine; give local or dask")
    if max_memory_mb < 1:
        _fail(f"--max-memory-mb {max_memory_mb} is not a budget; give a number of MB, e.g. 2048")
    if scheduler is not None and engine != "dask":
        _fail("--scheduler is the address of a Dask scheduler; give it with --engine dask")
    store.check_writable(db)  # before minutes of parsing, not after
    with contextlib.ExitStack() as stack, Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, transient=False) as progress:
        task = progress.add_task("reading documents", total=None)
        run_documents = None  # the local worker pool
        if engine == "dask":
            from .dask_engine import DaskEngine

            progress.update(task, description="starting the Dask cluster" if scheduler is None
                            else f"connecting to {escape(scheduler)}")
            try:
                run_documents = stack.enter_context(DaskEngine(scheduler, workers=processes)).run_documents
            except ConflictlensError as exc:
                progress.stop()
                _fail(exc)
            progress.update(task, description="reading documents")

        def on_documents(docs):
            progress.update(task, total=len(docs), description="parsing and extracting")

        def advance(name: str):
            # a file name is text, not Rich markup ("[/]" in a name would stop the build)
            progress.update(task, advance=1, description=f"extracted {escape(shown(name))}")

        try:
            report = run_build(paths, db, cache_dir=cache_dir, n_process=processes,
                               progress=advance, on_documents=on_documents, date=date,
                               engine=run_documents, memory_mb=max_memory_mb)
        except ConflictlensError as exc:
            progress.stop()
            _fail(exc)
            return
    for line in report.errors:
        _say(("skipped:", "yellow"), " ", line, console=err)
    for line in report.notes:
        _say(("correction not applied:", "yellow"), " ", line, console=err)
    c = report.counts
    _say(f"Built {shown(store.display(report.db))}: {len(report.documents)} documents ({report.words:,} words), "
         f"{c['actors']} actors, {c['events']} events, {c['relations']} relations, "
         f"{c['figures']} figures in {report.seconds:.1f} s"
         + (f"; {len(report.errors)} file(s) skipped" if report.errors else ""))


@app.command()
def summary(db: DbOpt = DEFAULT_DB, as_json: JsonOpt = False) -> None:
    """What the knowledge base holds: counts by kind and the most mentioned actors."""
    kb = _load(db)
    s = analyze.summary(kb)
    if as_json:
        _print_json(s)
        return
    _say(f"{s['documents']} documents, {s['words']:,} words")
    for kind in ("actor", "event", "relation"):
        types = ", ".join(f"{k} {v}" for k, v in s[f"{kind}_types"].items())
        _say(f"{s[kind + 's']} {kind}s: {types}")
    _say(f"{s['figures']} figures")
    _say("Most mentioned: " + ", ".join(f"{n} ({c})" for n, c in s["top_actors"]))


@app.command()
def actors(
    db: DbOpt = DEFAULT_DB,
    type_: Annotated[str | None, typer.Option("--type", help="Only actors of this type.")] = None,
    limit: Annotated[int, typer.Option(help="Show at most this many (0: all).")] = 0,
    as_json: JsonOpt = False,
) -> None:
    """Actors: name, type, other names, mentions per document."""
    kb = _load(db)
    rows = [a for a in kb.actors if not type_ or a.type == type_]
    rows = rows[:limit] if limit else rows
    if as_json:
        _print_json(rows)
        return
    t = Table("id", "name", "type", "aliases", "mentions")
    for a in rows:
        per_doc = ", ".join(f"{n} {Path(d).stem[:24]}" for d, n in a.mentions.items())
        t.add_row(a.id, a.name, a.type, "; ".join(a.aliases[:6]) + (" …" if len(a.aliases) > 6 else ""),
                  f"{a.mention_count} ({per_doc})")
    out.print(t)


@app.command()
def actor(
    name: Annotated[str, typer.Argument(help="Any name of the actor, or its id.")],
    db: DbOpt = DEFAULT_DB,
    as_json: JsonOpt = False,
    min_confidence: MinConfOpt = 0.0,
) -> None:
    """An actor's profile: its names, relations, events and figures, each with its quote."""
    kb, p = _query(db, analyze.actor_profile, name, min_confidence=min_confidence)
    for k in ("relations", "events", "figures"):
        if isinstance(p.get(k), list):
            p[k] = ranked(p[k])
    a = p["actor"]
    if as_json:
        _print_json(p)
        return
    _say((a.name, "bold"), f" ({a.type}, {a.id})")
    if a.aliases:
        _say("Also called: " + "; ".join(a.aliases))
    _say("Mentions: " + ", ".join(f"{d} {n}" for d, n in a.mentions.items()))
    if p["relations"]:
        t = Table("id", "relation", "with", "when", "conf", "quote", title="Relations", title_justify="left")
        for r in p["relations"]:
            arrow, other = analyze.other_end(r, a.id)
            when = f"{r.start or ''}–{r.end or ''}" if (r.start or r.end) else ""
            rel = r.relation + (f" [{r.qualifier}]" if r.qualifier else "")
            t.add_row(r.id, f"{arrow} {rel}", analyze.actor_name(kb, other), when, _conf(r),
                      _quote(r.evidence, 120))
        out.print(t)
    if p["events"]:
        out.print(_event_table(kb, p["events"], title="Events"))
    if p["figures"]:
        out.print(_figure_table(p["figures"]))


def _event_table(kb: KB, events, title: str | None = None) -> Table:
    t = Table("id", "date", "type", "who", "whom", "where", "conf", "quote", title=title, title_justify="left")
    for e in events:
        t.add_row(e.id, analyze.time_label(e.time), e.type,
                  ", ".join(analyze.actor_name(kb, x) for x in e.agents),
                  ", ".join(analyze.actor_name(kb, x) for x in e.targets), e.place or "", _conf(e),
                  _quote(e.evidence, 120))
    return t


def _figure_table(figs) -> Table:
    t = Table("id", "kind", "number", "what", "period", "conf", "quote", title="Figures", title_justify="left")
    for f in figs:
        period = "–".join(x for x in (f.period_start, f.period_end) if x)
        t.add_row(f.id, f.kind, analyze.format_range(f.low, f.high), f.what, period, _conf(f),
                  _quote(f.evidence, 100))
    return t


@app.command()
def timeline(
    db: DbOpt = DEFAULT_DB,
    actor_name: Annotated[str | None, typer.Option("--actor", help="Only events of this actor.")] = None,
    start: Annotated[int | None, typer.Option("--from", help="First year.")] = None,
    end: Annotated[int | None, typer.Option("--to", help="Last year.")] = None,
    type_: Annotated[str | None, typer.Option("--type", help="Only events of this type.")] = None,
    as_json: JsonOpt = False,
    min_confidence: MinConfOpt = 0.0,
) -> None:
    """Events in date order, with their precision, confidence and quote."""
    kb, events = _query(db, analyze.timeline, actor_name, start, end, type_, min_confidence=min_confidence)
    if as_json:
        _print_json(events)
        return
    out.print(_event_table(kb, events))


@app.command()
def relations(
    db: DbOpt = DEFAULT_DB,
    actor_name: Annotated[str | None, typer.Option("--actor", help="Only relations of this actor.")] = None,
    type_: Annotated[str | None, typer.Option("--type", help="Only this relation (supports, fights, …).")] = None,
    as_json: JsonOpt = False,
    min_confidence: MinConfOpt = 0.0,
) -> None:
    """Relations between actors, with their time span, confidence and quote (confirmed first)."""
    kb, rels = _query(db, analyze.relations, actor_name, type_, min_confidence=min_confidence)
    rels = ranked(rels)
    if as_json:
        _print_json(rels)
        return
    t = Table("id", "source", "relation", "target", "start", "end", "conf", "quote")
    for r in rels:
        t.add_row(r.id, analyze.actor_name(kb, r.source), r.relation + (f" [{r.qualifier}]" if r.qualifier else ""),
                  analyze.actor_name(kb, r.target), r.start or "", r.end or "", _conf(r), _quote(r.evidence, 120))
    out.print(t)


@app.command()
def figures(
    db: DbOpt = DEFAULT_DB,
    kind: FigureKindOpt = None,
    as_json: JsonOpt = False,
    min_confidence: MinConfOpt = 0.0,
) -> None:
    """Figures (deaths, force sizes, displaced …) as low–high ranges, with their quote (confirmed first)."""
    kb = _load(db, min_confidence)
    figs = ranked(analyze.figures(kb, kind))
    if as_json:
        _print_json(figs)
        return
    out.print(_figure_table(figs))


@app.command()
def history(
    first: Annotated[str, typer.Argument(help="An actor (any of its names).")],
    second: Annotated[str, typer.Argument(help="Another actor.")],
    db: DbOpt = DEFAULT_DB,
    as_json: JsonOpt = False,
    min_confidence: MinConfOpt = 0.0,
) -> None:
    """The relation history between two actors: dated spans, what ended each, and quotes."""
    kb, entries = _query(db, analyze.history, first, second, min_confidence=min_confidence)
    if as_json:
        _print_json([{**analyze.jsonable(e), "source_name": analyze.actor_name(kb, e.source),
                      "target_name": analyze.actor_name(kb, e.target)} for e in entries])
        return
    t = Table("from", "to", "source", "relation", "target", "ended by", "ids", "quote",
              title=f"{analyze.find_actor(kb, first).name} — {analyze.find_actor(kb, second).name}",
              title_justify="left")
    for e in entries:
        qual = f" [{', '.join(e.qualifiers)}]" if e.qualifiers else ""
        t.add_row(e.start or ("until" if e.end and not e.start else "undated"), e.end or "",
                  analyze.actor_name(kb, e.source), e.relation + qual, analyze.actor_name(kb, e.target),
                  e.change or "", ", ".join(e.relation_ids), _quote(e.evidence, 110))
    out.print(t)


def _quote_near(f, width: int) -> str:
    """The figure's quote cut around its number, so two quotes of one sentence differ."""
    q = " ".join(f.evidence[0].quote.split()) if f.evidence else ""
    for x in (f.low, f.high):
        if x is None or len(q) <= width:
            continue
        for form in (f"{x:,.0f}", f"{x:.0f}"):
            at = q.find(form)
            if at >= 0:
                lo = max(0, min(at - width // 2, len(q) - width))
                return ("…" if lo else "") + q[lo:lo + width] + ("…" if lo + width < len(q) else "")
    return _quote(f.evidence, width)


@app.command()
def contradictions(
    db: DbOpt = DEFAULT_DB,
    kind: FigureKindOpt = None,
    as_json: JsonOpt = False,
    min_confidence: MinConfOpt = 0.0,
) -> None:
    """Where the sources really disagree: two figures for one quantity, two dates for one
    event or founding, rival founders, a relation and its contrary at the same time — each
    claim with its quote, all kept in the KB."""
    kb = _load(db, min_confidence)
    found = analyze.disagreements(kb, kind)
    if as_json:
        _print_json([{"kind": d.kind, "subject": d.subject, "severity": d.severity,
                      "claims": [{"id": fid, "value": value, **ev.to_dict()} for fid, value, ev in d.claims]}
                     for d in found])
        return
    t = Table("kind", "about", "claim", "fact", "source", "quote", title="Sources that disagree",
              title_justify="left")
    for d in found:
        label = f"{d.kind} ({d.severity})" if d.severity else d.kind
        figures = {f.id: f for f in kb.figures} if d.kind == "figure" else {}
        for i, (fid, value, ev) in enumerate(d.claims):
            quote = _quote_near(figures[fid], 90) if fid in figures else _quote([ev], 90)
            t.add_row(label if i == 0 else "", d.subject if i == 0 else "", value, fid, ev.doc,
                      quote, end_section=i == len(d.claims) - 1)
    out.print(t)
    if not found:
        _say("No disagreement between the sources.")


@app.command()
def sources(
    fact_id: Annotated[str, typer.Argument(help="A fact id: a3, e12, r5, f1 …")],
    db: DbOpt = DEFAULT_DB,
    as_json: JsonOpt = False,
) -> None:
    """The quote(s) behind any fact: document, character span and exact words."""
    kb, f = _query(db, analyze.fact, fact_id)
    docs = {d.name: d for d in kb.documents}
    if as_json:
        _print_json({**dataclasses.asdict(f), "evidence": [
            {**ev.to_dict(), "page": analyze.evidence_page(kb, ev),
             "doc_date": docs[ev.doc].date if ev.doc in docs else None} for ev in f.evidence]})
        return
    _say((f.id, "bold"), f" {f.kind}: {f.description}")
    record = next((x for x in (*kb.relations, *kb.events, *kb.figures) if x.id == f.id), None)
    if record is not None and (record.confirmed or record.confidence is not None):
        _say("  confirmed by the user" if record.confirmed else
             f"  confidence {record.confidence:.2f} (found by {record.method or 'an earlier version'})")
    for ev in f.evidence:
        page = analyze.evidence_page(kb, ev)
        d = docs.get(ev.doc)
        dated = f" (dated {d.date})" if d is not None and d.date else ""
        _say(f"  {ev.doc}{dated}{f' p. {page}' if page else ''} [{ev.start}:{ev.end}]")
        _say(f"    “{' '.join(ev.quote.split())}”")


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="A question in plain English.")],
    db: DbOpt = DEFAULT_DB,
    as_json: JsonOpt = False,
) -> None:
    """Answer a question from the KB, with the quote and document behind each answer."""
    from .ask import answer
    from .search_index import open_kb

    try:
        kb = open_kb(db)  # with its stored search index: only what the question needs is read
    except ConflictlensError as exc:
        _fail(exc)
        return
    a = answer(kb, question)
    if as_json:
        _print_json({k: v for k, v in a.to_dict().items()})
        return
    if a.answers:
        _say(", ".join(x.text for x in a.answers))
        if a.source == "retrieval":
            _say("  (read from a retrieved passage, not a fact of the KB)")
    else:
        _say("I don't know. The closest passages:")
    for ev in a.evidence:
        _say(f"  “{' '.join(ev.quote.split())}” — {ev.doc}")


@app.command("export")
def export_cmd(
    db: DbOpt = DEFAULT_DB,
    fmt: Annotated[str, typer.Option("--format", help="Export format: json, csv (ACLED-like events), graphml, "
                                     "gexf (Gephi, dynamic), plover (JSON Lines) or sqlite (needs -o).")] = "json",
    output: Annotated[str, typer.Option("-o", "--output", help="Output file ('-' for stdout).")] = "-",
    min_confidence: MinConfOpt = 0.0,
) -> None:
    """Export the knowledge base (json: the conflictlens/kb@1 schema; formats in docs/export-format.md)."""
    from .export import export

    kb = _load(db, min_confidence)
    if output != "-" and Path(output).is_dir():
        _fail(f"{output} is a folder; give a file name with -o, e.g. -o {Path(output) / ('kb.' + fmt)}")
    try:
        text = export(kb, fmt, output)
    except ValueError as exc:
        _fail(exc)
        return
    except OSError as exc:
        _fail(f"cannot write {output}: {exc.strerror or exc}")
        return
    if output == "-":
        sys.stdout.write(text + "\n")
    else:
        _say(f"wrote {output}", console=err)


@app.command()
def serve(
    db: DbOpt = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Address to listen on; keep 127.0.0.1 unless you mean to share it.")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8765,
) -> None:
    """Open the web app: timeline, alliance network, map, actors, documents, ask (read-only)."""
    from .api import create_app, run

    if not _loopback(host):
        _say(("warning:", "yellow"), f" listening on {host}: anyone who can reach this machine on port {port} "
             "can read the knowledge base and its documents; use --host 127.0.0.1 to keep it local", console=err)

    _say(f"loading {store.display(db)} …", console=err)
    try:
        web = create_app(db, allowed_hosts=[host])
    except ConflictlensError as exc:
        _fail(exc)
        return
    shown = f"[{host}]" if ":" in host else host
    out.print(f"conflictlens web app on http://{shown}:{port}/  (API docs: http://{shown}:{port}/docs; "
              "Ctrl+C to stop)", highlight=False)
    run(web, host, port)


def _loopback(host: str) -> bool:
    import ipaddress

    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to any interface


# ----------------------------------------------------------------------------- analyze

analyze_app = typer.Typer(help="Analyses over time: the signed actor network, structural balance, blocs, "
                               "centrality (disagreements: `conflictlens contradictions`).", no_args_is_help=True)
app.add_typer(analyze_app, name="analyze")
TypesOpt = Annotated[list[str] | None, typer.Option("--type", help="Only actors of this type (repeatable).")]
FromOpt = Annotated[int | None, typer.Option("--from", help="First year (default: the densest half of the dates).")]
ToOpt = Annotated[int | None, typer.Option("--to", help="Last year.")]


def _names_list(kb: KB, ids, limit: int = 6) -> str:
    names = [analyze.actor_name(kb, i) for i in ids]
    return ", ".join(names[:limit]) + (f" … (+{len(names) - limit})" if len(names) > limit else "")


def _year_range(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else f"{labels[0]}–{labels[-1]}"


@analyze_app.command("network")
def analyze_network(
    at: Annotated[str, typer.Option("--at", help="A year (1998), month (1998-05) or day.")],
    db: DbOpt = DEFAULT_DB,
    types: TypesOpt = None,
    as_json: JsonOpt = False,
    min_confidence: MinConfOpt = 0.0,
) -> None:
    """The signed actor network valid at a time: who is tied to whom, +/−, and the quote."""
    from . import network as nw

    kb = _load(db, min_confidence)
    try:
        label, lo, hi = nw.period(at)
    except ValueError as exc:
        _fail(exc)
        return
    net = nw.network(kb, lo, hi, label=label, actor_types=types)
    if as_json:
        _print_json(nw.network_dict(kb, net))
        return
    t = Table("sign", "tie", "since", "ids", "quote", title=f"Signed network, {label}: {len(net.nodes)} actors, "
              f"{len(net.ties)} ties", title_justify="left")
    for tie in sorted(net.ties.values(), key=lambda x: (-x.sign, analyze.actor_name(kb, x.a))):
        f = tie.facts[0]
        t.add_row("+" if tie.sign > 0 else "−", nw.describe_fact(kb, f), f.start or "undated",
                  ", ".join(x.id for x in tie.facts), _quote(list(f.evidence), 100))
    out.print(t)


@analyze_app.command("balance")
def analyze_balance(
    db: DbOpt = DEFAULT_DB,
    by: Annotated[str, typer.Option("--by", help="Period: year.")] = "year",
    first: FromOpt = None,
    last: ToOpt = None,
    at: Annotated[str | None, typer.Option("--at", help="One period only (a year, month or day).")] = None,
    types: TypesOpt = None,
    as_json: JsonOpt = False,
    min_confidence: MinConfOpt = 0.0,
) -> None:
    """Structural balance per period: balanced triangles, frustration index, the two camps, the ties that break it."""
    from . import network as nw

    kb = _load(db, min_confidence)
    if by != "year":
        _fail(ValueError(f"--by {by!r}: only 'year' periods are supported"))
        return
    if at:
        try:
            label, lo, hi = nw.period(at)
        except ValueError as exc:
            _fail(exc)
            return
        rows = [nw.balance(kb, nw.network(kb, lo, hi, label=label, actor_types=types))]
    else:
        rows = nw.blocs(kb, first, last, types).periods
    if as_json:
        _print_json([nw.balance_dict(kb, b) for b in rows])
        return
    t = Table("period", "actors", "ties +/−", "balanced triangles", "frustration", "camp A", "camp B",
              title="Structural balance (Heider; Cartwright & Harary)", title_justify="left")
    for b in rows:
        share = f"{b.balanced_triads}/{b.triads} ({b.triad_balance:.0%})" if b.triads else "no triangle"
        t.add_row(b.label, str(b.actors), f"{b.positive}/{b.negative}", share,
                  f"{b.frustration}{'' if b.exact else ' (heuristic)'}",
                  _names_list(kb, b.camps[0]), _names_list(kb, b.camps[1]))
    out.print(t)
    # The ties that break balance, each once with the periods in which it does.
    seen: dict[tuple, list] = {}
    for b in rows:
        for x in b.broken:
            seen.setdefault((x.tie.a, x.tie.b, x.tie.sign, x.description), [x, []])[1].append(b.label)
    if seen:
        t = Table("periods", "tie", "why it breaks balance", "quote", title="Ties that break balance",
                  title_justify="left")
        for x, labels in seen.values():
            t.add_row(_year_range(labels), x.description, x.why, _quote([x.tie.evidence[0]], 100))
        out.print(t)


@analyze_app.command("blocs")
def analyze_blocs(
    db: DbOpt = DEFAULT_DB,
    first: FromOpt = None,
    last: ToOpt = None,
    types: TypesOpt = None,
    top: Annotated[int, typer.Option(help="Actors shown in the table and plot.")] = 25,
    plot: Annotated[Path | None, typer.Option("--plot", help="Also draw the camps per year to this .png/.svg.")] = None,
    as_json: JsonOpt = False,
    min_confidence: MinConfOpt = 0.0,
) -> None:
    """Camps per year and who switched sides, as a table (and a plot with --plot)."""
    from . import network as nw

    kb = _load(db, min_confidence)
    bl = nw.blocs(kb, first, last, types)
    if plot:
        from .plot import plot_blocs

        try:
            plot_blocs(kb, bl, plot, top=top)
        except ValueError as exc:
            _fail(exc)
            return
        _say(f"wrote {plot}", console=err)
    if as_json:
        _print_json(nw.blocs_dict(kb, bl))
        return
    presence: dict[str, int] = {}
    for b in bl.periods:
        for n in (*b.camps[0], *b.camps[1]):
            presence[n] = presence.get(n, 0) + 1
    switched = {s.actor for s in bl.switches}
    mentions = {a.id: a.mention_count for a in kb.actors}
    actors = sorted(presence, key=lambda n: (n not in switched, -presence[n], -mentions.get(n, 0)))[:top]
    t = Table("actor", *[b.label for b in bl.periods], title="Camps per year (A/B)", title_justify="left")
    for n in actors:
        cells = ["A" if n in b.camps[0] else "B" if n in b.camps[1] else "·" for b in bl.periods]
        t.add_row(analyze.actor_name(kb, n) + (" *" if n in switched else ""), *cells)
    out.print(t)
    if bl.switches:
        t = Table("actor", "when", "from → to", "ties that changed", "quote", title="Switched camp",
                  title_justify="left")
        for s in bl.switches:
            facts = [x.facts[0] for x in s.changed]
            t.add_row(analyze.actor_name(kb, s.actor), f"{s.before} → {s.after}",
                      f"{'AB'[s.from_camp]} → {'AB'[s.to_camp]}",
                      "; ".join(nw.describe_fact(kb, f) for f in facts) or "(the split moved around it)",
                      _quote(list(facts[0].evidence), 90) if facts else "")
        out.print(t)
    else:
        _say("No actor switched camp.")


@analyze_app.command("centrality")
def analyze_centrality(
    at: Annotated[str, typer.Option("--at", help="A year (1998), month or day.")],
    db: DbOpt = DEFAULT_DB,
    types: TypesOpt = None,
    limit: Annotated[int, typer.Option(help="Show at most this many (0: all).")] = 20,
    as_json: JsonOpt = False,
    min_confidence: MinConfOpt = 0.0,
) -> None:
    """Who is most connected and most supported in a period."""
    from . import network as nw

    kb = _load(db, min_confidence)
    try:
        label, lo, hi = nw.period(at)
    except ValueError as exc:
        _fail(exc)
        return
    rows = nw.centrality(kb, nw.network(kb, lo, hi, label=label, actor_types=types))
    rows = rows[:limit] if limit else rows
    if as_json:
        _print_json([{**dataclasses.asdict(r), "name": analyze.actor_name(kb, r.actor)} for r in rows])
        return
    t = Table("actor", "ties", "+", "−", "supported by", "supports", "betweenness",
              title=f"Centrality, {label}", title_justify="left")
    for r in rows:
        t.add_row(analyze.actor_name(kb, r.actor), str(r.degree), str(r.positive), str(r.negative),
                  str(r.supported_by), str(r.supports), f"{r.betweenness:.3f}")
    out.print(t)


def _save_correction(db: str, kb: KB, op: str, a: str, b: str) -> None:
    from datetime import UTC, datetime

    overrides = store.load_overrides(db) + [
        {"op": op, "a": a, "b": b, "created_at": datetime.now(UTC).isoformat(timespec="seconds")}]
    meta = {k: v for k, v in store.meta(db).items() if k != "schema_version"}
    store.save(kb, db, meta=meta, overrides=overrides)


def _correction(fn):
    """A correction reads the KB, changes it and saves it, under the writers' lock throughout:
    a build saving meanwhile then replays it (store.save), and two corrections never race."""

    @functools.wraps(fn)
    def run(*args, **kwargs):
        with store.locked(kwargs["db"]):
            return fn(*args, **kwargs)

    return run


@app.command()
@_correction
def merge(
    first: Annotated[str, typer.Argument(help="A name (or id) of the actor to keep.")],
    second: Annotated[str, typer.Argument(help="A name (or id) of the actor that is the same.")],
    db: DbOpt = DEFAULT_DB,
) -> None:
    """Correct the KB: two actors are one. Kept in the KB and replayed on every rebuild."""
    from .resolve import merge_actors

    kb = _load(db)
    try:
        a, b = analyze.find_actor(kb, first), analyze.find_actor(kb, second)
    except ConflictlensError as exc:
        _fail(exc)
        return
    if a.id == b.id:
        _say(f"{first!r} and {second!r} are already one actor: {a.name} ({a.id})")
        return
    a_name, b_name = a.name, b.name
    merged = merge_actors(kb, a.id, b.id)
    _save_correction(db, kb, "merge", a_name, b_name)
    _say(f"Merged {b_name} into {merged.name} ({merged.id}); names: "
         + "; ".join([merged.name, *merged.aliases]))


@app.command()
@_correction
def split(
    actor_name: Annotated[str, typer.Argument(help="A name (or id) of the actor.")],
    name: Annotated[str, typer.Argument(help="The name to take off it into an actor of its own.")],
    db: DbOpt = DEFAULT_DB,
) -> None:
    """Correct the KB: a name is not this actor's. Kept in the KB and replayed on every rebuild."""
    from .resolve import split_name

    kb, a = _query(db, analyze.find_actor, actor_name)
    if name not in (a.name, *a.aliases):
        _fail(ValueError(f"{a.name} ({a.id}) has no name {name!r}; its names: " + "; ".join([a.name, *a.aliases])))
        return
    try:
        new = split_name(kb, a.id, name)
    except ValueError as exc:
        _fail(exc)
        return
    _save_correction(db, kb, "split", a.name, name)
    _say(f"{name} is now an actor of its own ({new.id}); {a.name} ({a.id}) keeps: "
         + "; ".join([a.name, *a.aliases]))


WhyOpt = Annotated[str, typer.Option("--why", help="Why (kept with the correction).")]
FactIdArg = Annotated[str, typer.Argument(help="A relation, event or figure id: r5, e12, f1 …")]


def _fact_correction(db: str, fact_id: str, op: str, changes: dict | None, why: str) -> None:
    from . import corrections as fc

    kb = _load(db)
    try:
        c, fact = fc.correct(kb, fact_id, op, changes, why)
    except ConflictlensError as exc:
        _fail(exc)
        return
    meta = {k: v for k, v in store.meta(db).items() if k != "schema_version"}
    store.save(kb, db, meta=meta, overrides=store.load_overrides(db))
    done = {"reject": "Rejected", "confirm": "Confirmed", "fix": "Fixed"}[op]
    fixed = "; ".join(f"{k} → {v if v is not None else 'none'}" for k, v in c["changes"].items())
    _say(f"{done} {fact_id}: {fc.describe_key(c['fact'])}" + (f" ({fixed})" if fixed else "")
         + "; kept in the KB and replayed on every rebuild")


@app.command()
@_correction
def reject(fact_id: FactIdArg, db: DbOpt = DEFAULT_DB, why: WhyOpt = "") -> None:
    """Correct the KB: a relation, event or figure is wrong; it is removed (and on every rebuild)."""
    _fact_correction(db, fact_id, "reject", None, why)


@app.command()
@_correction
def confirm(fact_id: FactIdArg, db: DbOpt = DEFAULT_DB, why: WhyOpt = "") -> None:
    """Correct the KB: a fact is right; it becomes certain and ranks above unconfirmed facts."""
    _fact_correction(db, fact_id, "confirm", None, why)


@app.command()
@_correction
def fix(
    fact_id: FactIdArg,
    db: DbOpt = DEFAULT_DB,
    start: Annotated[str | None, typer.Option("--start", help="Its start date (YYYY[-MM[-DD]], 'none').")] = None,
    end: Annotated[str | None, typer.Option("--end", help="Its end date (YYYY[-MM[-DD]], 'none').")] = None,
    type_: Annotated[str | None, typer.Option("--type", help="Its type: relation, event type or figure kind.")] = None,
    place: Annotated[str | None, typer.Option("--place", help="Where an event happened ('none').")] = None,
    why: WhyOpt = "",
) -> None:
    """Correct a fact's dates, type or place; replayed on every rebuild (the fact is then confirmed)."""
    changes = {k: (None if v.strip().lower() == "none" else v.strip())
               for k, v in (("start", start), ("end", end), ("type", type_), ("place", place)) if v is not None}
    _fact_correction(db, fact_id, "fix", changes, why)


@app.command()
def corrections(db: DbOpt = DEFAULT_DB, as_json: JsonOpt = False) -> None:
    """The corrections made with `merge` / `split` (actors) and `reject` / `confirm` / `fix`
    (facts), replayed on every rebuild; a fact no longer found is marked so."""
    from .corrections import describe_key

    try:
        rows = store.load_overrides(db)
        facts = store.load_fact_corrections(db)
    except ConflictlensError as exc:
        _fail(exc)
        return
    if as_json:  # actors' corrections (op merge/split), then facts' (op reject/confirm/fix)
        _print_json([*rows, *facts])
        return
    if rows or not facts:
        t = Table("#", "correction", "when")
        for i, o in enumerate(rows, 1):
            what = f"merge {o['a']} + {o['b']}" if o["op"] == "merge" else f"split {o['b']} off {o['a']}"
            t.add_row(str(i), what, o["created_at"])
        out.print(t)
    if facts:
        t = Table("#", "correction", "fact", "now", "why", "when", title="Corrections of facts",
                  title_justify="left")
        for i, c in enumerate(facts, 1):
            fixed = "; ".join(f"{k} → {v if v is not None else 'none'}" for k, v in c["changes"].items())
            t.add_row(str(i), c["op"] + (f" ({fixed})" if fixed else ""), describe_key(c["fact"]),
                      "not found" if not c["fact_id"] else f"{c['fact_id']} (removed)" if c["op"] == "reject"
                      else c["fact_id"], c["why"], c["created_at"])
        out.print(t)


for _command in (*app.registered_commands, *analyze_app.registered_commands):
    _command.callback = _guard(_command.callback)


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
