"""Command line: ``conflictlens build``, then ask the KB with readable tables or ``--json``."""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from . import analyze, store
from .errors import ConflictlensError
from .records import KB, Evidence

app = typer.Typer(
    help="conflictlens: documents about an armed conflict in, a sourced knowledge base out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# Piped output is not squeezed to 80 columns: quotes stay readable in files and pagers.
out = Console(soft_wrap=False, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True)

DEFAULT_DB = os.environ.get("CONFLICTLENS_DB", "conflictlens.db")
DbOpt = Annotated[Path, typer.Option("--db", help="The knowledge-base file (SQLite).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for machines instead of a table.")]


def _fail(exc: Exception) -> None:
    err.print(f"[red]error:[/red] {exc}", markup=True, highlight=False)
    raise typer.Exit(1)


def _load(db: Path) -> KB:
    try:
        return store.load(db)
    except ConflictlensError as exc:
        _fail(exc)
        raise  # unreachable: _fail exits


def _jsonable(x):
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return {k: _jsonable(v) for k, v in dataclasses.asdict(x).items()}
    if isinstance(x, dict):
        return {k: _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple, set)):
        return [_jsonable(v) for v in x]
    return x


def _print_json(data) -> None:
    sys.stdout.write(json.dumps(_jsonable(data), ensure_ascii=False, indent=1) + "\n")


def _quote(ev: list[Evidence], width: int = 160) -> str:
    if not ev:
        return ""
    q = " ".join(ev[0].quote.split())
    return (q[: width - 1] + "…") if len(q) > width else q


@app.command()
def build(
    paths: Annotated[list[Path], typer.Argument(help="Document files or folders of .txt/.md files.")],
    db: DbOpt = Path(DEFAULT_DB),
    cache_dir: Annotated[Path | None, typer.Option(help="Where parses are cached (default: user cache).")] = None,
    processes: Annotated[int, typer.Option(help="spaCy processes for parsing.")] = 2,
) -> None:
    """Build (or rebuild) the knowledge base from documents. The old KB stays until the new one is whole."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .pipeline import build as run_build

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, transient=False) as progress:
        task = progress.add_task("reading documents", total=None)

        def on_documents(docs):
            progress.update(task, total=len(docs), description="parsing and extracting")

        def advance(name: str):
            progress.update(task, advance=1, description=f"extracted {name}")

        try:
            report = run_build(paths, db, cache_dir=cache_dir, n_process=processes,
                               progress=advance, on_documents=on_documents)
        except ConflictlensError as exc:
            progress.stop()
            _fail(exc)
            return
    for line in report.errors:
        err.print(f"[yellow]skipped:[/yellow] {line}", highlight=False)
    c = report.counts
    out.print(f"Built {report.db}: {len(report.documents)} documents ({report.words:,} words), "
              f"{c['actors']} actors, {c['events']} events, {c['relations']} relations, "
              f"{c['figures']} figures in {report.seconds:.1f} s"
              + (f"; {len(report.errors)} file(s) skipped" if report.errors else ""), highlight=False)


@app.command()
def summary(db: DbOpt = Path(DEFAULT_DB), as_json: JsonOpt = False) -> None:
    """What the knowledge base holds: counts by kind and the most mentioned actors."""
    kb = _load(db)
    s = analyze.summary(kb)
    if as_json:
        _print_json(s)
        return
    out.print(f"{s['documents']} documents, {s['words']:,} words")
    for kind in ("actor", "event", "relation"):
        types = ", ".join(f"{k} {v}" for k, v in s[f"{kind}_types"].items())
        out.print(f"{s[kind + 's']} {kind}s: {types}", highlight=False)
    out.print(f"{s['figures']} figures")
    out.print("Most mentioned: " + ", ".join(f"{n} ({c})" for n, c in s["top_actors"]), highlight=False)


@app.command()
def actors(
    db: DbOpt = Path(DEFAULT_DB),
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
    db: DbOpt = Path(DEFAULT_DB),
    as_json: JsonOpt = False,
) -> None:
    """An actor's profile: its names, relations, events and figures, each with its quote."""
    kb = _load(db)
    try:
        p = analyze.actor_profile(kb, name)
    except ConflictlensError as exc:
        _fail(exc)
        return
    a = p["actor"]
    if as_json:
        _print_json(p)
        return
    out.print(f"[bold]{a.name}[/bold] ({a.type}, {a.id})", highlight=False)
    if a.aliases:
        out.print("Also called: " + "; ".join(a.aliases), highlight=False)
    out.print("Mentions: " + ", ".join(f"{d} {n}" for d, n in a.mentions.items()), highlight=False)
    if p["relations"]:
        t = Table("id", "relation", "with", "when", "quote", title="Relations", title_justify="left")
        for r in p["relations"]:
            arrow, other = analyze.other_end(r, a.id)
            when = f"{r.start or ''}–{r.end or ''}" if (r.start or r.end) else ""
            rel = r.relation + (f" [{r.qualifier}]" if r.qualifier else "")
            t.add_row(r.id, f"{arrow} {rel}", analyze.actor_name(kb, other), when, _quote(r.evidence, 120))
        out.print(t)
    if p["events"]:
        out.print(_event_table(kb, p["events"], title="Events"))
    if p["figures"]:
        out.print(_figure_table(p["figures"]))


def _event_table(kb: KB, events, title: str | None = None) -> Table:
    t = Table("id", "date", "type", "who", "whom", "where", "quote", title=title, title_justify="left")
    for e in events:
        t.add_row(e.id, analyze.time_label(e.time), e.type,
                  ", ".join(analyze.actor_name(kb, x) for x in e.agents),
                  ", ".join(analyze.actor_name(kb, x) for x in e.targets), e.place or "",
                  _quote(e.evidence, 120))
    return t


def _figure_table(figs) -> Table:
    t = Table("id", "kind", "number", "what", "period", "quote", title="Figures", title_justify="left")
    for f in figs:
        period = "–".join(x for x in (f.period_start, f.period_end) if x)
        t.add_row(f.id, f.kind, analyze.format_range(f.low, f.high), f.what, period, _quote(f.evidence, 100))
    return t


@app.command()
def timeline(
    db: DbOpt = Path(DEFAULT_DB),
    actor_name: Annotated[str | None, typer.Option("--actor", help="Only events of this actor.")] = None,
    start: Annotated[int | None, typer.Option("--from", help="First year.")] = None,
    end: Annotated[int | None, typer.Option("--to", help="Last year.")] = None,
    type_: Annotated[str | None, typer.Option("--type", help="Only events of this type.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Events in date order, with their precision and quote."""
    kb = _load(db)
    try:
        events = analyze.timeline(kb, actor_name, start, end, type_)
    except ConflictlensError as exc:
        _fail(exc)
        return
    if as_json:
        _print_json(events)
        return
    out.print(_event_table(kb, events))


@app.command()
def relations(
    db: DbOpt = Path(DEFAULT_DB),
    actor_name: Annotated[str | None, typer.Option("--actor", help="Only relations of this actor.")] = None,
    type_: Annotated[str | None, typer.Option("--type", help="Only this relation (supports, fights, …).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Relations between actors, with their time span and quote."""
    kb = _load(db)
    try:
        rels = analyze.relations(kb, actor_name, type_)
    except ConflictlensError as exc:
        _fail(exc)
        return
    if as_json:
        _print_json(rels)
        return
    t = Table("id", "source", "relation", "target", "start", "end", "quote")
    for r in rels:
        t.add_row(r.id, analyze.actor_name(kb, r.source), r.relation + (f" [{r.qualifier}]" if r.qualifier else ""),
                  analyze.actor_name(kb, r.target), r.start or "", r.end or "", _quote(r.evidence, 120))
    out.print(t)


@app.command()
def figures(
    db: DbOpt = Path(DEFAULT_DB),
    kind: Annotated[str | None, typer.Option(help="deaths, wounded, force_size, displaced or other.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Figures (deaths, force sizes, displaced …) as low–high ranges, with their quote."""
    kb = _load(db)
    figs = analyze.figures(kb, kind)
    if as_json:
        _print_json(figs)
        return
    out.print(_figure_table(figs))


@app.command()
def sources(
    fact_id: Annotated[str, typer.Argument(help="A fact id: a3, e12, r5, f1 …")],
    db: DbOpt = Path(DEFAULT_DB),
    as_json: JsonOpt = False,
) -> None:
    """The quote(s) behind any fact: document, character span and exact words."""
    kb = _load(db)
    try:
        f = analyze.fact(kb, fact_id)
    except ConflictlensError as exc:
        _fail(exc)
        return
    if as_json:
        _print_json(f)
        return
    out.print(f"[bold]{f.id}[/bold] {f.kind}: {f.description}", highlight=False)
    for ev in f.evidence:
        out.print(f"  {ev.doc} [{ev.start}:{ev.end}]", highlight=False)
        out.print(f"    “{' '.join(ev.quote.split())}”", highlight=False)


@app.command("export")
def export_cmd(
    db: DbOpt = Path(DEFAULT_DB),
    fmt: Annotated[str, typer.Option("--format", help="Export format: json.")] = "json",
    output: Annotated[str, typer.Option("-o", "--output", help="Output file ('-' for stdout).")] = "-",
) -> None:
    """Export the knowledge base (json: the conflictlens/kb@1 schema)."""
    from .export import export

    kb = _load(db)
    try:
        text = export(kb, fmt, output)
    except ValueError as exc:
        _fail(exc)
        return
    if output == "-":
        sys.stdout.write(text + "\n")
    else:
        err.print(f"wrote {output}", highlight=False)


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
