"""Every regular expression of the reader and the extractors runs in linear time on hostile
text (issue 15): a future pattern that backtracks super-linearly fails here, in seconds.

The patterns are gathered two ways: compiled patterns held by the modules, and every pattern
compiled (or searched with) while one document goes through extraction, with the modules'
pattern caches emptied first. Each is tried on long runs of one unit ("=", spaces, "a ", …):

* ``match`` at the start of a run four times as long, after prefixes that lead into a pattern's repeats ("- Key: a",
  "= a", …): catastrophic backtracking at one position (the old heading pattern was cubic);
* ``finditer`` over the whole run: a pattern searched through a document must not restart
  a long scan at every position.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import pkgutil
import re
import signal
import time
from pathlib import Path

import pytest

import conflictlens

SRC = str(Path(conflictlens.__file__).parent)
N = 3000  # characters of a run: a quadratic pattern takes ~0.1-0.5 s on it, a linear one < 2 ms
LIMIT = 0.1  # seconds for one pattern on one input (a wide margin for a loaded machine)
UNITS = [" ", "\t", "\n", "=", "a", "A", "1", ".", ",", "-", "(", ")", "#", "|", ":", "'", "[", "+",
         "a ", "1 ", "A. ", "1,", "- ", "= ", "Aa ", "1.", "a-", "A ", ", ", "(a", "a\n", "a,"]
PREFIXES = ["", "- Key: a", "= a", "# a", "1. A", "The ", "the A", "A", "(", "between 1", "A, "]

#: Patterns that are quadratic when *searched* through a long run of one unit (they start
#: with a repeat such as "\s+" or "[A-Z][\w]*"), kept because each is only matched at an
#: offset (``rx.match(text, i)``) or searched in a bounded window ("anchored": match still
#: checked), or only ever run on a short string ("short": not checked). Keyed by their first
#: 40 characters, so a changed pattern is checked again. Never list here a pattern that is
#: searched through a whole document or sentence.
ANCHORED_OR_BOUNDED: dict[str, tuple[str, str]] = {
    "(?:[ \\t]+[\\w'’-]+){1,3}": ('anchored', 'time._words_after: match on 80 characters'),
    '(?:[a-z][\\w.]*\\.?\\s+|The\\s+|[\\"“\'‘]\\s*)+': ('anchored', 'actors: match at the start of a name'),
    '(?:^|[,;:]|\\band\\b)\\s*(?:the\\s+)?((?:[A-': ('short', 'enumerations._NAME_BEFORE: 80 chars before an item'),
    '(?:the\\s+)?(?:(?P<state>[A-Z][\\w.]*(?:\\s': ('anchored', 'actors: fullmatch of a name'),
    "(?:the\\s+)?([A-Z][a-z]+)(?:['’]s)?\\s+(?:": ('anchored', 'actor_forms._SERVICE_NAME: fullmatch of a name'),
    '(?P<state>(?:[A-Z][\\w.]*\\s+){0,2}?[A-Z][': ('anchored', 'actors._EXECUTIVE: fullmatch of a name'),
    "([A-Z][\\w'’\\-]+(?:\\s+[A-Z][\\w'’\\-]+){0,3": ('anchored', 'actor_aliases._POSSESSED_BY: 60 chars before'),
    '([A-Z][\\w.]*)\\s+([A-Z]{2,6})': ('anchored', 'actors: fullmatch of a name'),
    '([A-Z][\\w\\-.]*(?:\\s[A-Z][\\w\\-.]*){0,3})[': ('anchored', 'actors._POSSESSOR: match inside an entity'),
    '(\\S+)[ \\t]+$': ('anchored', 'structure._WORD_BEFORE: 40 characters before a name'),
    '(\\w+)\\s+(?=[A-Z])': ('anchored', 'actors: match on an entity'),
    "[ \\t]+(?P<num>[IVX]{1,5})(?![\\w'’-])": ('anchored', 'actor_forms._REGNAL: match on 8 characters'),
    "[A-Z][\\w'’.-]+\\s+\\(\\s*$": ('anchored', 'time: 30 characters before a date'),
    '\\s*(?:%|percent\\b|per\\s+cent\\b)': ('anchored', 'figures._PERCENT: match after a number'),
    '\\s*(?:(?:million|billion|thousand)\\s+)?(': ('anchored', 'figures._CURRENCY_AFTER: match after a number'),
    '\\s*(?:[-–—/]|\\bvs?\\.?(?=\\s)|\\bversus\\b|\\': ('anchored', 'tables._SIDE_SPLIT: split of one table cell'),
    '\\s+(?:(?:of|in|from)\\s+(?:the\\s+)?(?:[A-': ('anchored', 'actor_forms._PLACED: match after a name'),
    '\\s+(?:International\\s+)?(?:Airport|Airba': ('anchored', 'actors._FACILITY_AFTER: match on 40 characters'),
    '^(.+?)\\s+(?:Army|Navy|Air Force|Armed Fo': ('short', 'actors._STATE_FORCES: match on a name'),
    '(?:\\s+(?:of|for)\\s+(?:the\\s+)?(?:former\\': ('anchored', "actors._OF_TAIL: match at a name's end"),
    '[ \\t]+(?:component|pillar|section)\\b': ('anchored', 'actor_forms._ORGAN_AFTER: match on 16 characters'),
    '[ \\t]+(?:of|for)(?:[ \\t]+the)?[ \\t]+': ('anchored', 'actor_spans._JOIN: fullmatch between two names'),
    '\\s*,\\s+(?:(?:the|a|an)\\s+)?': ('anchored', 'structure._APPOS: match after a name'),
    "([A-Z][\\w'’\\-]*(?:\\s[A-Z][\\w'’\\-]*)?)(?:": ('short', 'actor_misreads._LIST_BEFORE: 40 chars before a name'),
    ',\\s+(?:a|an|the)\\s+(?:\\w+\\s+){0,2}(?:tow': ('anchored', 'actor_misreads._PLACE_AFTER: match after a name'),
}


class _Slow(Exception):
    pass


def _on_alarm(*_):
    raise _Slow


def _modules():
    for info in pkgutil.walk_packages(conflictlens.__path__, "conflictlens."):
        if info.name.split(".")[-1] in ("api", "cli", "ask", "web"):
            continue  # interfaces: no document text goes through their patterns
        yield importlib.import_module(info.name)


def _held(obj, out, depth=0):
    """Compiled patterns held by ``obj`` (containers and dataclasses, a few levels deep)."""
    if isinstance(obj, re.Pattern):
        out.add((obj.pattern, obj.flags))
    elif depth < 3 and isinstance(obj, dict):
        for v in obj.values():
            _held(v, out, depth + 1)
    elif depth < 3 and isinstance(obj, (list, tuple, set, frozenset)):
        for v in obj:
            _held(v, out, depth + 1)
    elif depth < 3 and dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            _held(getattr(obj, f.name), out, depth + 1)


SAMPLE = """= The Example War (1990–1995) =
- Conflict: The Example War
- Date: 3 May 1990 – 1 June 1995
- Combatant1: Alpha Front, Supported by:, Beta Land
- Commander1: General John Doe, Jane Roe
- Casualties1: 1,200 killed

The Example War was fought between the Alpha Front and the Republic of Gamma from 1990 to 1995.
On 3 May 1990 the Alpha Front, led by General John Doe, attacked the town of Delta, killing between
200 and 300 soldiers. Beta Land supported the Alpha Front until late 1993. In the spring of 1994
the United Nations sent about 5,000 troops from the following countries: Norway (1,200), Chile (800).
== Aftermath ==
Two years later, about 2.2 million people were displaced. The Gamma government's army withdrew.

+---------------+---------------+----------+
| Battle        | Date          | Result   |
+===============+===============+==========+
| Battle of Zeta| 4 June 1992   | Victory  |
+---------------+---------------+----------+
"""


@pytest.fixture(scope="module")
def patterns(nlp):
    from conflictlens.ingest import parse_text
    from conflictlens.pipeline import extract_document

    found: set[tuple[str, int]] = set()
    modules = list(_modules())
    for mod in modules:
        for name, value in vars(mod).items():
            if not name.startswith("__"):
                _held(value, found)
    # Patterns built on first use (cached builders) or written inline: compile them again
    # while a document goes through, and keep those compiled from conflictlens' own code.
    for mod in modules:
        for value in vars(mod).values():
            if isinstance(value, functools._lru_cache_wrapper):
                value.cache_clear()
            elif isinstance(value, dict) and value and all(isinstance(v, re.Pattern) for v in value.values()):
                value.clear()
    re.purge()
    original = re._compile

    def recording(pattern, flags):
        import sys

        f = sys._getframe(1)
        while f is not None and f.f_code.co_filename.startswith(str(Path(re.__file__).parent)):
            f = f.f_back
        if f is not None and f.f_code.co_filename.startswith(SRC) and isinstance(pattern, str):
            found.add((pattern, int(flags)))
        return original(pattern, flags)

    re._compile = recording
    try:
        doc = parse_text(SAMPLE, "sample.txt")
        from conflictlens.nlp import parse_text as masked

        extract_document(doc, nlp(masked(doc)))
    finally:
        re._compile = original
    return sorted(found)


def _time(fn, limit: float) -> float:
    signal.setitimer(signal.ITIMER_REAL, limit * 4)
    t = time.perf_counter()
    try:
        fn()
    except _Slow:
        pass
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return time.perf_counter() - t


def _grows(fn, prefix: str, unit: str, n: int) -> bool:
    """Is ``fn`` super-linear in the run's length? A slow time alone may be a busy machine: the
    best of three runs on ``n`` characters against the best of three on ``n / 4`` (a linear
    pattern takes ~4× as long, a quadratic one ~16×)."""
    def best(k: int) -> float:
        s = prefix + unit * (k // len(unit)) + "!"
        return min(_time(lambda: fn(s), LIMIT) for _ in range(3))

    big, small = best(n), best(n // 4)
    return big > LIMIT and big > 8 * max(small, 1e-4)


def test_every_pattern_is_linear_on_hostile_runs(patterns):
    assert len(patterns) > 150  # the gathering works (about 270 patterns today)
    matched = [(prefix, unit, prefix + unit * (4 * N // len(unit)) + "!") for unit in UNITS for prefix in PREFIXES]
    searched_in = [(unit, unit * (N // len(unit)) + "!") for unit in UNITS]
    old = signal.signal(signal.SIGALRM, _on_alarm)
    slow = []
    try:
        for pattern, flags in patterns:
            rx = re.compile(pattern, flags)
            exempt = ANCHORED_OR_BOUNDED.get(pattern[:40], ("", ""))[0]
            if exempt == "short":
                continue
            for prefix, unit, s in matched:
                t = _time(lambda s=s, rx=rx: rx.match(s), LIMIT)
                if t > LIMIT and _grows(lambda x, rx=rx: rx.match(x), prefix, unit, 4 * N):
                    slow.append(f"match {t:.2f} s on {prefix!r}+{unit!r}*n: {pattern[:80]!r}")
                    break
            for unit, s in ([] if exempt else searched_in):
                t = _time(lambda s=s, rx=rx: sum(1 for _ in rx.finditer(s)), LIMIT)
                if t > LIMIT and _grows(lambda x, rx=rx: sum(1 for _ in rx.finditer(x)), "", unit, N):
                    slow.append(f"search {t:.2f} s on {unit!r}*n: {pattern[:80]!r}")
    finally:
        signal.signal(signal.SIGALRM, old)
    assert not slow, "super-linear patterns:\n" + "\n".join(slow)


@pytest.mark.parametrize("pattern", sorted(ANCHORED_OR_BOUNDED))
def test_the_exempt_patterns_still_exist(patterns, pattern):
    """An entry whose pattern is gone or changed is removed, so the list does not grow stale."""
    assert any(p[:40] == pattern for p, _ in patterns)
