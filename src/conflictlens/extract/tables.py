"""Tables: grid and pipe tables of a converted article, and the battle lists among them.

Converters flatten an article's tables into text in two shapes:

* *grid* tables (pandoc): ``+----+----+`` borders, ``| a | b |`` content lines, a ``+====+``
  border under the header; a cell may run over several lines of one row;
* *pipe* tables (Markdown): ``| a | b |`` lines with a ``|---|---|`` separator under the header.

:func:`find_tables` reads both into :class:`Table` records whose cells keep their exact
character spans. :func:`battle_rows` then reads the tables that list engagements — a name
column ("Battle of X"), a date or year column and one column of commanders per side — into
:class:`BattleRow` records: the engagement, its date cell, the commanders of each side and
the side itself. The sides come from a commander column's own header ("Bulgarian
commander") or, when the headers are bare ("Commander | Commander"), from the caption line
above the table ("Bulgarian–Ottoman battles"), one demonym per commander column in order.

:func:`table_facts` turns those rows into facts with the row as evidence: a BATTLE (or
CAPTURE …) event whose agents are the first side and its commanders and whose targets the
second; ``fights`` between the two sides and between the opposing commanders, dated by the
row; and ``member_of`` from each commander to his side. The commanders are made actors by
:func:`table_actor_names`, which the actor extractor reads as candidates. A list with
"Belligerents" or "Victor | Defeated" columns instead of commanders gives its sides a row.

:func:`count_cells` reads casualty and strength tables — a row per party ("| Country |
Killed | Wounded |") or a column per party ("| | British | German |" with rows "| Killed |
…") — into figures owned by the party (:func:`table_figures`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

from .. import lexicons
from ..records import Document, Event, Figure, Mention, Relation, TimeExpr, sentence_evidence

_GRID_BORDER = re.compile(r"^\+(?:[-=:]+\+)+[ \t]*$")
_PIPE_SEP = re.compile(r"^\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-{0,}:?\s*\|?[ \t]*$")
_FOOTNOTE = re.compile(r"\[(?:\d+|[a-z]|note \d+)\]")
_YEAR = re.compile(r"\b(1\d{3}|20\d{2})\b")


@dataclass(frozen=True)
class Cell:
    """One cell: its text (lines joined by a space) and the spans of its non-blank lines."""

    text: str
    parts: tuple[tuple[int, int], ...] = ()

    @property
    def start(self) -> int:
        return self.parts[0][0] if self.parts else -1

    @property
    def end(self) -> int:
        return self.parts[-1][1] if self.parts else -1


@dataclass
class Row:
    cells: list[Cell]
    start: int  # first character of the row's first line
    end: int  # last character of its last line


@dataclass
class Table:
    header: list[str]
    rows: list[Row]
    start: int
    end: int
    caption: tuple[int, int] | None = None  # the short line just above the table
    header_cells: list[Cell] = field(default_factory=list)


@dataclass
class BattleRow:
    """One engagement of a battle list."""

    row: Row
    name: Cell
    date: Cell | None
    result: str
    place: str | None
    commanders: list[list[tuple[str, int, int]]] = field(default_factory=list)  # per side
    sides: list[tuple[str, int, int] | None] = field(default_factory=list)  # side word + span


# ---------------------------------------------------------------------------- reading tables


def _lines(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _cell(text: str, pieces: list[tuple[int, int]]) -> Cell:
    parts = []
    for s, e in pieces:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            parts.append((s, e))
    return Cell(" ".join(text[s:e] for s, e in parts), tuple(parts))


def _split_pipes(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """Spans between the ``|`` of one content line (without the outer bars)."""
    bars = [i for i in range(s, e) if text[i] == "|"]
    if len(bars) < 2:
        return []
    return [(a + 1, b) for a, b in zip(bars, bars[1:], strict=False)]


def _caption(text: str, lines: list[tuple[int, int]], first: int) -> tuple[int, int] | None:
    """The short non-sentence line within three lines above a table, if any."""
    for k in range(first - 1, max(-1, first - 4), -1):
        s, e = lines[k]
        line = text[s:e].strip()
        if not line:
            continue
        if len(line) > 80 or line.endswith((".", ":")) and len(line.split()) > 8 or line[0] in "|+":
            return None
        off = text.index(line, s)
        return off, off + len(line)
    return None


@lru_cache(maxsize=8)  # battle lists and count tables both read a document's tables
def find_tables(text: str) -> list[Table]:
    """Every grid or pipe table of ``text``, cells with exact spans, in order.

    Args:
        text: a document's text.

    Returns:
        :class:`Table` records; a block of ``|`` lines that is neither a grid nor a pipe
        table with a separator line is not a table (wiki templates such as ``| key = value``).
    """
    if "|" not in text:
        return []
    lines = _lines(text)
    out: list[Table] = []
    i = 0
    while i < len(lines):
        s, e = lines[i]
        line = text[s:e]
        if _GRID_BORDER.match(line):
            j = i
            while j < len(lines) and text[lines[j][0]:lines[j][0] + 1] in ("+", "|"):
                j += 1
            table = _grid(text, lines, i, j)
            if table is not None:
                table.caption = _caption(text, lines, i)
                out.append(table)
            i = j
            continue
        if line.startswith("|") and i + 1 < len(lines) and _PIPE_SEP.match(text[slice(*lines[i + 1])]):
            j = i + 2
            while j < len(lines) and text[lines[j][0]:lines[j][0] + 1] == "|":
                j += 1
            head_cells = [_cell(text, [p]) for p in _split_pipes(text, s, e)]
            header = [c.text for c in head_cells]
            rows = []
            for k in range(i + 2, j):
                ks, ke = lines[k]
                cells = [_cell(text, [p]) for p in _split_pipes(text, ks, ke)]
                if any(c.text for c in cells):
                    rows.append(Row(cells, ks, ke))
            if rows:
                out.append(Table(header, rows, s, lines[j - 1][1], _caption(text, lines, i), head_cells))
            i = j
            continue
        i += 1
    return out


def _grid(text: str, lines: list[tuple[int, int]], first: int, stop: int) -> Table | None:
    s0, e0 = lines[first]
    cols = [k - s0 for k in range(s0, e0) if text[k] == "+"]
    if len(cols) < 2:
        return None
    header: list[str] = []
    head_cells: list[Cell] = []
    rows: list[Row] = []
    pending: list[tuple[int, int]] = []  # content lines of the row being read

    def close(is_header: bool) -> None:
        nonlocal header, head_cells
        if not pending:
            return
        pieces: list[list[tuple[int, int]]] = [[] for _ in cols[1:]]
        for ls, le in pending:
            if all(ls + c < le and text[ls + c] == "|" for c in cols):
                for n, (a, b) in enumerate(zip(cols, cols[1:], strict=False)):
                    pieces[n].append((ls + a + 1, ls + b))
            else:  # a spanning cell or a ragged line: split on the bars it has
                for n, p in enumerate(_split_pipes(text, ls, le)[:len(pieces)]):
                    pieces[n].append(p)
        cells = [_cell(text, p) for p in pieces]
        if is_header and not rows:
            header, head_cells = [c.text for c in cells], cells
        elif any(c.text for c in cells):
            rows.append(Row(cells, pending[0][0], pending[-1][1]))
        pending.clear()

    for k in range(first + 1, stop):
        s, e = lines[k]
        line = text[s:e]
        if _GRID_BORDER.match(line):
            close("=" in line)
        elif line.startswith("|"):
            pending.append((s, e))
    close(False)
    if not header and rows:  # no "+===+" line: the first row is the header
        head_cells = rows.pop(0).cells
        header = [c.text for c in head_cells]
    if not rows:
        return None
    return Table(header, rows, s0, lines[stop - 1][1], header_cells=head_cells)


# ---------------------------------------------------------------------------- battle lists

_NAME_HEADS = {"battle", "battles", "engagement", "engagements", "name", "event", "action",
               "operation", "siege", "conflict", "clash"}
_DATE_HEADS = {"date", "dates", "year", "years", "period"}
_RESULT_HEADS = {"result", "results", "outcome"}
_PLACE_HEADS = {"location", "place", "site"}
_SIDE_HEADS = {"belligerent", "belligerents", "combatant", "combatants", "side", "attacker",
               "attackers", "defender", "defenders", "victor", "victors", "winner", "winners",
               "loser", "losers", "defeated", "opponent", "opponents"}
_COMMANDER = re.compile(r"\b(?:commanders?|leaders?)\b", re.I)
_SIDE_SPLIT = re.compile(r"\s*(?:[-–—/]|\bvs?\.?(?=\s)|\bversus\b|\band\b)\s*")


@lru_cache(maxsize=1)
def _event_nouns() -> dict[str, str]:
    """Nouns naming an engagement and their event type: the battle list's own words
    (lexicon ``tables_event_nouns``) before the event triggers'."""
    out = dict(lexicons.mapping("tables_event_nouns"))
    for r in lexicons.rows("events_triggers"):
        if len(r) > 2 and r[1] == "NOUN":
            out.setdefault(r[0].lower(), r[2])
    return out


def _head_words(h: str) -> set[str]:
    return set(re.findall(r"[a-z]+", h.lower()))


def _state_of(word: str) -> str | None:
    from .actor_aliases import state_word  # here: actors imports this module

    w = word.strip()
    return state_word(w) if w else None


def _sides_from(text: str, span: tuple[int, int] | None, n: int) -> list[tuple[str, int, int] | None]:
    """``n`` sides named by a caption such as "Bulgarian–Ottoman battles", else Nones."""
    if span is None:
        return [None] * n
    s, e = span
    words = []
    pos = s
    for piece in _SIDE_SPLIT.split(text[s:e]):
        at = text.find(piece, pos, e) if piece else -1
        if at < 0:
            continue
        pos = at + len(piece)
        first = re.match(r"[^\W\d_][\w'’]*", piece)
        if first and _state_of(first.group(0)):
            words.append((first.group(0), at, at + len(first.group(0))))
    return words if len(words) == n else [None] * n


def _names_in(text: str, cell: Cell) -> list[tuple[str, int, int]]:
    """The people a commander cell names: one a line, or comma-separated. A name the
    converter wrapped over two lines ("Francisco / Bolognesi") has no one span: left out."""
    out = []
    if len(cell.parts) > 1 and any(len(text[s:e].split()) == 1 for s, e in cell.parts):
        return out
    for s, e in cell.parts:
        for m in re.finditer(r"[^,;]+", text[s:e]):
            a, b = s + m.start(), s + m.end()
            raw = text[a:b]
            fn = _FOOTNOTE.search(raw)
            if fn:
                b = a + fn.start()
            while a < b and not text[a].isalnum():
                a += 1
            while b > a and not (text[b - 1].isalnum() or text[b - 1] in ".)"):
                b -= 1
            name = text[a:b]
            if not name or not name[0].isupper() or any(ch.isdigit() for ch in name) or len(name.split()) > 6:
                continue
            if name.lower() in ("unknown", "none", "n/a"):
                continue
            out.append((name, a, b))
    return out


def _battle_table(text: str, table: Table) -> list[BattleRow]:
    heads = [_head_words(h) for h in table.header]
    name_col = next((i for i, h in enumerate(heads) if h & _NAME_HEADS), None)
    date_col = next((i for i, h in enumerate(heads) if h & _DATE_HEADS), None)
    result_col = next((i for i, h in enumerate(heads) if h & _RESULT_HEADS), None)
    place_col = next((i for i, h in enumerate(heads) if h & _PLACE_HEADS), None)
    cmd_cols = [i for i, h in enumerate(table.header) if _COMMANDER.search(h)][:2]
    side_cols = [i for i, h in enumerate(heads) if h & _SIDE_HEADS and i not in cmd_cols][:2]
    if name_col is None or date_col is None:
        return []
    # A side a column header names ("Greek commander"), else the caption's sides in order.
    sides: list[tuple[str, int, int] | None] = [None, None]
    if len(cmd_cols) == 2:
        for n, c in enumerate(cmd_cols):
            word = next((w for w in re.findall(r"[^\W\d_]+", table.header[c]) if _state_of(w)), None)
            sides[n] = (word, -1, -1) if word else None
    else:
        cmd_cols = []
    if any(s is None for s in sides):
        sides = _sides_from(text, table.caption, 2)
    if not cmd_cols and len(side_cols) < 2 and sides == [None, None]:
        return []  # nobody on either side: a list of names and dates only
    nouns = _event_nouns()
    out = []
    for row in table.rows:
        if max(name_col, date_col, *cmd_cols, *side_cols) >= len(row.cells):
            continue
        row_sides = list(sides)
        if len(side_cols) == 2:  # "Belligerents" / "Victor | Defeated" columns: a side a row
            for n, c in enumerate(side_cols):
                named = _names_in(text, row.cells[c])
                row_sides[n] = named[0] if named else None
        name = row.cells[name_col]
        if not name.text or not re.search(r"[A-Za-z]", name.text):
            continue
        words = re.findall(r"[A-Za-z]+", name.text.lower())
        if not (set(words) & set(nouns)) and "battle" not in heads[name_col]:
            continue
        place = None
        if place_col is not None and place_col < len(row.cells) and row.cells[place_col].text:
            place = row.cells[place_col].text
        else:
            m = re.search(r"\b(?:of|at)\s+(.+)$", name.text)
            place = m.group(1).strip() if m else None
        result = row.cells[result_col].text if result_col is not None and result_col < len(row.cells) else ""
        out.append(BattleRow(row=row, name=name, date=row.cells[date_col], result=result,
                             place=place,
                             commanders=[_names_in(text, row.cells[c]) for c in cmd_cols] or [[], []],
                             sides=row_sides))
    return out


@lru_cache(maxsize=8)
def battle_rows(text: str) -> tuple[BattleRow, ...]:
    """The engagements of every battle list in ``text`` (see the module docstring)."""
    return tuple(r for t in find_tables(text) for r in _battle_table(text, t))


def table_actor_names(text: str) -> list[tuple[str, int, int]]:
    """(name, start, end) of every commander a battle list names: people, for the actor
    extractor to take as candidates."""
    return [n for r in battle_rows(text) for side in r.commanders for n in side]


def table_side_words(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) of the demonyms a battle list's caption names its sides by
    ("Bulgarian–Ottoman battles") and of the states a casualty table counts: the states,
    for the actor extractor."""
    out = {}
    for r in battle_rows(text):
        for side in r.sides:
            if side is not None and side[1] >= 0 and _state_of(side[0]):
                out[side[1]] = side
    for c in count_cells(text):  # the parties of a casualty table
        if _state_of(c.owner):
            out[c.owner_start] = (c.owner, c.owner_start, c.owner_end)
    return list(out.values())


def table_cell_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the cells of battle lists: the tagger's guesses inside them ("Kardzhali" in
    "Battle of Kardzhali" as a person) are replaced by what the columns say."""
    return sorted({p for r in battle_rows(text) for c in r.row.cells for p in c.parts})


def inside_cell(cells: list[tuple[int, int]], start: int, end: int) -> bool:
    """True when ``start:end`` lies inside one of ``cells`` (sorted, disjoint spans)."""
    i = bisect.bisect_right(cells, (start, float("inf"))) - 1
    return i >= 0 and cells[i][0] <= start and end <= cells[i][1]


def table_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the rows read as engagements: prose extractors read nothing there."""
    return [(r.row.start, r.row.end) for r in battle_rows(text)]


# ---------------------------------------------------------------------------- facts


def _row_time(text: str, cell: Cell | None, times: list[TimeExpr]) -> TimeExpr | None:
    if cell is None or not cell.text:
        return None
    inside = sorted((t for t in times if t.value and cell.start <= t.start < cell.end),
                    key=lambda t: t.start)
    if inside:
        first, last = inside[0], inside[-1]
        end = last.value_end or last.value
        return TimeExpr(first.start, last.end, text[first.start:last.end], first.value, first.precision,
                        value_end=end if end != first.value else first.value_end)
    m = _YEAR.search(cell.text)
    if m is None:
        return None
    at = text.find(m.group(1), cell.start, cell.end)
    return TimeExpr(at, at + 4, m.group(1), m.group(1), "year")


def table_facts(document: Document, mentions: list[Mention], actor_names: dict[str, str],
                times: list[TimeExpr]) -> tuple[list[Event], list[Relation]]:
    """Events and relations of the battle lists of ``document``.

    Args:
        document: the document; evidence is the table row.
        mentions: the document's actor mentions (commanders are found at their cell's span).
        actor_names: normalised name or alias → local actor key, to find a side's state.
        times: the document's time expressions (a date cell's value).

    Returns:
        ``(events, relations)`` with local actor keys.
    """
    from .actors import norm

    text = document.text
    rows = battle_rows(text)
    if not rows:
        return [], []
    at = {(m.start, m.end): m.key for m in mentions}
    by_start = {m.start: m.key for m in mentions}
    events: list[Event] = []
    relations: list[Relation] = []
    for r in rows:
        ev = sentence_evidence(document.name, text, r.row.start, r.row.end)
        when = _row_time(text, r.date, times)
        start = when.value if when else None
        end = (when.value_end or when.value) if when else None
        side_keys: list[str | None] = []
        for side in r.sides:
            key = None
            if side is not None:
                state = _state_of(side[0])
                # The state by name, else the actor the word itself names ("Ottoman" when the
                # document has no "Ottoman Empire"), else whatever its mention points at.
                key = next((actor_names[n] for n in (norm(state or ""), norm(side[0]), norm(side[0] + "s"))
                            if n in actor_names), None)
                if key is None and side[1] >= 0:
                    key = by_start.get(side[1])
            side_keys.append(key)
        people = [[k for k in (at.get((s, e)) for _, s, e in names) if k] for names in r.commanders]
        words = re.findall(r"[A-Za-z]+", r.name.text.lower())
        own = lexicons.mapping("tables_event_nouns")
        trigger = next((w for w in words if w in own), "")
        etype = own.get(trigger, "BATTLE")
        agents = list(dict.fromkeys([*people[0], *([side_keys[0]] if side_keys[0] else [])]))
        targets = list(dict.fromkeys([*people[1], *([side_keys[1]] if side_keys[1] else [])]))
        first = r.name.text.split()[0] if r.name.text.split() else ""
        if etype != "BATTLE" and r.sides[1] is not None and _state_of(first) == _state_of(r.sides[1][0]):
            agents, targets = targets, agents  # "Romanian Occupation of X": the Romanians act
        if not agents and not targets:
            continue
        summary = r.name.text + (f" ({r.result})" if r.result else "")
        events.append(Event(type=etype, agents=agents, targets=[t for t in targets if t not in agents],
                            evidence=[ev], trigger=trigger, place=r.place, time=when, summary=summary))
        a, b = side_keys
        if a and b and a != b:
            relations.append(Relation(a, "fights", b, [ev], start=start, end=end, time=when))
        for p in people[0]:
            for q in people[1]:
                if p != q:
                    relations.append(Relation(p, "fights", q, [ev], start=start, end=end, time=when))
        for ps, side in zip(people, side_keys, strict=False):
            for p in ps:
                if side and p != side:
                    relations.append(Relation(p, "member_of", side, [ev]))
    return events, relations


# ---------------------------------------------------------------------------- count tables


@dataclass(frozen=True)
class CountCell:
    """One number of a casualty or strength table: whose (a name and its span), what, where."""

    owner: str
    owner_start: int
    owner_end: int
    kind: str
    label: str  # the header or row label saying what is counted
    value: int | float
    row: Row


def _count_kind(label: str) -> str | None:
    """The figure kind a column or row label names ("Killed", "Wounded", "Troops"), else None."""
    from .figures import _nouns, _verbs  # here: figures does not import tables

    nouns, verbs = _nouns(), _verbs()
    for w in re.findall(r"[a-z]+", label.lower()):
        if w in ("captured", "missing", "prisoners", "pows", "pow", "captives"):
            return "other"
        for cand in (w, w[:-1], w[:-2], w[:-3] + "e" if len(w) > 3 else w):
            if cand in nouns:
                return nouns[cand][0]
            if cand in verbs:
                return verbs[cand][0]
    return None


def _cell_value(cell: Cell) -> int | float | None:
    from .figures import find_quantities

    qs = [q for q in find_quantities(cell.text) if not q.percent and not q.year_like]
    if len(qs) != 1 or qs[0].low is None or qs[0].low != qs[0].high:
        return None
    return qs[0].low


def _actor_name(cell: Cell, text: str) -> tuple[str, int, int] | None:
    if len(cell.parts) != 1 or not cell.text[:1].isupper():
        return None
    s, e = cell.parts[0]
    return (text[s:e], s, e) if _state_of(text[s:e]) or len(text[s:e].split()) <= 5 else None


@lru_cache(maxsize=8)
def count_cells(text: str) -> tuple[CountCell, ...]:
    """The numbers of casualty and strength tables, with their owner.

    Two shapes: a row per party ("| Country | Killed | Wounded |") whose first cell names
    the party, or a column per party ("| | British | German |") whose header names it and
    whose rows are labelled ("| Killed | 6,094 | 2,551 |"). A number counts only when its
    label is a kind of figure (lexicons ``figures_nouns`` / ``figures_verbs``, "captured",
    "missing"); ships, guns, rain and dates are left alone.
    """
    out: list[CountCell] = []
    for t in find_tables(text):
        kinds = [_count_kind(h) for h in t.header]
        if any(kinds[1:]):  # a row per party
            for row in t.rows:
                who = _actor_name(row.cells[0], text) if row.cells else None
                if who is None or _count_kind(row.cells[0].text):
                    continue
                for n, c in enumerate(row.cells[1:len(kinds)], 1):
                    v = _cell_value(c) if kinds[n] else None
                    if v is not None:
                        out.append(CountCell(who[0], who[1], who[2], kinds[n], t.header[n], v, row))
            continue
        heads = [_actor_name(c, text) for c in t.header_cells]
        if sum(1 for h in heads[1:] if h and _state_of(h[0])) < 2:
            continue  # a column per party: the header names states ("British", "German")
        for row in t.rows:
            kind = _count_kind(row.cells[0].text) if row.cells else None
            if kind is None:
                continue
            for n, c in enumerate(row.cells[1:len(heads)], 1):
                v = _cell_value(c)
                if v is not None and heads[n] and _state_of(heads[n][0]):
                    out.append(CountCell(heads[n][0], heads[n][1], heads[n][2], kind, row.cells[0].text, v, row))
    return tuple(out)


def table_figures(document: Document, mentions: list[Mention],
                  actor_names: dict[str, str]) -> list[Figure]:
    """Figures of the casualty and strength tables of ``document``, the row as evidence."""
    from .actors import norm

    text = document.text
    cells = count_cells(text)
    if not cells:
        return []
    at = {(m.start, m.end): m.key for m in mentions}
    out = []
    for c in cells:
        state = _state_of(c.owner)
        key = at.get((c.owner_start, c.owner_end)) or next(
            (actor_names[n] for n in (norm(state or ""), norm(c.owner)) if n in actor_names), None)
        ev = sentence_evidence(document.name, text, c.row.start, c.row.end)
        who = "combatants" if c.kind == "force_size" else "unknown"
        out.append(Figure(kind=c.kind, low=c.value, high=c.value, what=f"{c.label}: {c.owner}",
                          evidence=[ev], who=who, actor=key))
    return out
