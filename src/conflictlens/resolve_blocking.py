"""Blocking for resolve: compare only the pairs that share a key, with the result of
comparing every pair.

Resolve once compared every pair of people, of groups and of events of one kind: 20 M
pairs at 500k words. Each comparison it makes needs something the two share (a word of
the name, all words of the name but one, an actor, a place word); an inverted index on
those keys yields every pair that can pass, and only those are compared. The keys are
chosen so that no pair the comparison accepts lacks one (see each function), so the merges
are exactly those of the all-pairs loops (tests/test_resolve_blocking.py checks it against
them on generated inputs).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence

from .extract.actors import norm

# ---------------------------------------------------------------------------- actors' names


def shared_word_keys(tokens: tuple[str, ...]) -> set[tuple]:
    """Keys of ``extract.actor_surnames.similar_names``: it needs as many words (two or more)
    and one word in common."""
    return {(len(tokens), w) for w in tokens} if len(tokens) >= 2 else set()


def masked_keys(tokens: tuple[str, ...]) -> set[tuple]:
    """Keys of ``resolve._misspelt``: it needs as many words (two or more), all the same but
    one: the name with one word masked, for each word."""
    if len(tokens) < 2:
        return set()
    return {(len(tokens), i, tokens[:i] + tokens[i + 1:]) for i in range(len(tokens))}


def _may_be_alike(x: str, y: str) -> bool:
    # difflib's ratio is 2·matches/(len x + len y), and its matches are at most the shorter
    # length and at most the letters the two have in common (its real_quick_ratio and
    # quick_ratio bounds): a pair whose bound is under 0.8 cannot reach 0.8.
    if 2.0 * min(len(x), len(y)) / (len(x) + len(y)) < 0.8:
        return False
    return 2.0 * sum((Counter(x) & Counter(y)).values()) / (len(x) + len(y)) >= 0.8


def may_be_similar(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """False only when ``similar_names`` of names with these words is False."""
    return len(a) == len(b) and all(x == y or (len(x) > 3 and _may_be_alike(x, y)) for x, y in zip(a, b, strict=True))


def may_be_misspelt(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """False only when ``_misspelt`` of names with these words is False."""
    if len(a) != len(b):
        return False
    diff = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return len(diff) == 1 and min(map(len, diff[0])) >= 4 and _may_be_alike(*diff[0])


def union_alike(
    union: Callable[[Hashable, Hashable], None],
    members: Sequence[tuple[str, Hashable, str]],
    alike: Callable[[str, str], bool],
    keys: Callable[[tuple[str, ...]], Iterable[Hashable]],
    maybe: Callable[[tuple[str, ...], tuple[str, ...]], bool],
    other_docs: bool,
) -> None:
    """``union(n1, n2)`` for each pair ``(doc1, n1, name1)``, ``(doc2, n2, name2)`` of
    ``members`` (the first earlier in the list) with ``alike(name1, name2)`` (and
    ``doc1 != doc2`` if ``other_docs``): the components of the all-pairs loop.

    ``alike`` must depend on the names' normalised words only (``norm(name).split()``), and
    every pair it accepts must share one of ``keys(words)``; ``maybe(words1, words2)`` is a
    cheap test that is False only where ``alike`` is. Names with the same words are
    compared once (``alike`` may differ in the two directions: each is asked as needed).
    """
    # the members of each distinct name, in list order; the name's first spelling asks for it
    by_words: dict[tuple[str, ...], list[int]] = {}
    for i, (_, _, name) in enumerate(members):
        by_words.setdefault(tuple(norm(name).split()), []).append(i)
    words = list(by_words)
    spelling = [members[by_words[w][0]][2] for w in words]
    # pairs of one name: alike or not, the same answer for all of them
    for w, name in zip(words, spelling, strict=True):
        group = by_words[w]
        if len(group) < 2 or not alike(name, name):
            continue
        docs = {members[i][0] for i in group}
        if not other_docs or len(docs) >= 2:
            # with two documents or more, each member has a partner in another document and
            # any two of different documents are a pair: all of them are one component
            for i in group[1:]:
                union(members[group[0]][1], members[i][1])
    # pairs of two names that share a key
    block: dict[Hashable, list[int]] = defaultdict(list)
    for t, w in enumerate(words):
        for k in keys(w):
            block[k].append(t)
    for t, w in enumerate(words):
        seen: set[int] = set()
        for k in keys(w):
            for u in block[k]:
                if u <= t or u in seen:
                    continue
                seen.add(u)
                _union_two(union, members, by_words[w], by_words[words[u]], spelling[t], spelling[u],
                           w, words[u], alike, maybe, other_docs)


def _union_two(union, members, first, second, name1, name2, words1, words2, alike, maybe, other_docs) -> None:
    """The pairs between the members of two names (``first``, ``second``: their positions)."""
    answers: dict[bool, bool] = {}

    def asked(forward: bool) -> bool:  # forward: the member of ``first`` comes first
        if forward not in answers:
            a, b = (name1, name2) if forward else (name2, name1)
            wa, wb = (words1, words2) if forward else (words2, words1)
            answers[forward] = maybe(wa, wb) and alike(a, b)
        return answers[forward]

    # the directions some pair of members is asked in (both when they interleave)
    ways = {True} if first[0] < second[-1] else set()
    if second[0] < first[-1]:
        ways.add(False)
    said = {asked(w) for w in ways}
    if said == {False}:
        return
    if said == {True}:  # every pair (of two documents) is a pair: its components, in linear time
        ones, twos = [members[i][:2] for i in first], [members[j][:2] for j in second]
        if other_docs:
            union_across(union, ones, twos)
        else:
            for _, n in twos:
                union(ones[0][1], n)
            for _, n in ones[1:]:
                union(twos[0][1], n)
        return
    for i in first:  # alike one way only: pair by pair, in the order of the list
        for j in second:
            if other_docs and members[i][0] == members[j][0]:
                continue
            if asked(i < j):
                union(members[i][1], members[j][1])


def union_across(union, first: list[tuple[str, Hashable]], second: list[tuple[str, Hashable]]) -> None:
    """``union`` so that the components are those of the graph joining each ``(doc, node)`` of
    ``first`` to each of ``second`` of another document, in O(len) unions, not O(len²)."""
    doc_a, a0 = first[0]
    across = [n for d, n in second if d != doc_a]
    if not across:  # all of second in document A: the members of first elsewhere meet all of it
        others = [n for d, n in first if d != doc_a]
        if others:
            for _, n in second:
                union(others[0], n)
            for n in others[1:]:
                union(second[0][1], n)
        return
    for n in across:
        union(a0, n)
    doc_b, b0 = next((d, n) for d, n in second if d != doc_a)
    for d, n in first:
        if d != doc_b:
            union(b0, n)
    # left: first's members in B and second's in A, each joined to the rest through a member
    # of a third document, and to each other
    in_b = [n for d, n in first if d == doc_b]
    in_a = [n for d, n in second if d == doc_a]
    third_second = next((n for d, n in second if d not in (doc_a, doc_b)), None)
    third_first = next((n for d, n in first if d not in (doc_a, doc_b)), None)
    if third_second is not None:
        for n in in_b:
            union(n, third_second)
    if third_first is not None:
        for n in in_a:
            union(n, third_first)
    if in_b and in_a:
        for n in in_a:
            union(in_b[0], n)
        for n in in_b[1:]:
            union(in_a[0], n)


# ---------------------------------------------------------------------------- events


class TieIndex:
    """Events by what can tie two of them (``resolve._ties``): each agent, each target, each
    word of the place — a telling that shares none can be no other's — and, for an undated
    telling, which joins only its word-for-word repeat, the whole of who and where.

    An event's keys are added again after it grows (:meth:`add` after ``_join``); keys it
    lost stay, which only brings a candidate that the full comparison then turns down.
    """

    def __init__(self, place_tokens: Callable[[str | None], frozenset[str]]):
        self._place_tokens = place_tokens
        self._places: dict[str | None, frozenset[str]] = {}  # a place's words, read once
        self._by: dict[Hashable, list] = defaultdict(list)
        self._keys: dict[int, set] = {}

    def keys(self, e, undated: bool) -> set:
        out: set = {("a", x) for x in e.agents} | {("t", x) for x in e.targets}
        words = self._places.get(e.place)
        if words is None:
            words = self._places[e.place] = self._place_tokens(e.place)
        out |= {("p", w) for w in words}
        if undated:
            out.add(self.repeat_key(e))
        return out

    @staticmethod
    def repeat_key(e) -> tuple:
        """What an undated telling must repeat word for word (``resolve._same_event``)."""
        return ("u", tuple(sorted(e.agents)), tuple(sorted(e.targets)), e.place)

    def add(self, e, undated: bool) -> None:
        """Index ``e`` (again, after it grew); ``undated``: whether it has no date."""
        have = self._keys.setdefault(id(e), set())
        for k in self.keys(e, undated) - have:
            have.add(k)
            self._by[k].append(e)

    def candidates(self, e, repeat: bool = False) -> list:
        """The indexed events that share an agent, a target or a place word with ``e`` (with
        ``repeat``: that tell its who and where word for word), each once."""
        found: dict[int, object] = {}
        for k in ((self.repeat_key(e),) if repeat else self.keys(e, False)):
            for c in self._by.get(k, ()):
                found.setdefault(id(c), c)
        return list(found.values())
