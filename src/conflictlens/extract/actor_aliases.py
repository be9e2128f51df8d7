"""Alias links between one document's names: acronyms, short names, peoples, services, offices, factions."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator

from .. import lexicons
from . import actors as _act
from .actor_forms import office_names, service_name_key


def is_acronym_of(short: str, full: str) -> bool:
    """Schwartz–Hearst test: the short form's letters occur in order in the long form,
    the first letter starting a word of it."""
    letters = [c.lower() for c in short if c.isalnum()]
    if len(letters) < 2 or not full:
        return False
    words = re.findall(r"[A-Za-z0-9]+", full)
    if not words or words[0][0].lower() != letters[0]:
        return False
    initials = "".join(w[0].lower() for w in words)
    it = iter(initials)
    if all(c in it for c in letters):
        return True
    it2 = iter(full.lower())
    return all(c in it2 for c in letters)


_PAREN_ACRONYM = re.compile(r"\(\s*([A-Z][A-Za-z0-9&\-.]{1,9})\s*\)")


_POLITY = re.compile(r"(?:The\s+)?([A-Z][a-z]+)\s+(?:Empire|Sultanate|Khanate)")


_POSSESSED_BY = re.compile(r"([A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){0,3})['’]s\s+$")


_JOINERS = ("of", "for", "in", "–", "-", "—")


def acronym_long_forms(text: str, cands: list[_act.Candidate]) -> Iterator[_act.Candidate]:
    """Long forms the tagger missed, read off their acronym: "Liberation Tigers of Tamil
    Eelam (LTTE)" — the shortest run of words before the parenthesis that starts with a
    capitalised word and through which the acronym's letters run (Schwartz & Hearst)."""
    ends = {c.end for c in cands}
    for m in _PAREN_ACRONYM.finditer(text):
        short = m.group(1)
        if short.upper() != short or sum(c.isalpha() for c in short) < 2:
            continue
        before_end = m.start()
        while before_end > 0 and text[before_end - 1] in " \t":
            before_end -= 1
        if before_end in ends:
            continue  # a known name stands right there
        # a long form is at most 20 words: read back no further than that (a paragraph is a line)
        line_start = max(text.rfind("\n", 0, before_end) + 1, before_end - 600)
        words = list(re.finditer(r"[\w'’\-]+", text[line_start:before_end]))
        limit = min(len(short) + 5, 2 * len(short))
        for i in range(len(words) - 1, max(-1, len(words) - 1 - limit), -1):
            w = words[i].group(0)
            if not w[0].isupper() or w[0].lower() != short[0].lower():
                continue
            start = line_start + words[i].start()
            end = before_end
            while end > start and text[end - 1] in "\"”’'»":
                end -= 1  # “Jamiat Ulema-e-Islam” (JUI): the quotes are not the name
            long_form = text[start:end]
            if end in ends:
                break  # a known name stands there, inside the quotes
            if is_acronym_of(short, long_form) and not re.search(r"[.,;:]", long_form):
                kw = _act.keyword_type(long_form)
                if kw == "-":  # "Organization for Security and Co-operation": its head's type
                    kw = _act.keyword_type(re.split(r"\s(?:of|for)\s", long_form)[0])
                yield _act.Candidate(long_form, start, end, kw if kw and kw != "-" else "organisation",
                                 1, "ACRONYM")
                break


def polity_peoples(forms: dict[str, Counter], votes: dict[str, Counter]
                    ) -> Iterator[tuple[str, str, str]]:
    """("Ottoman Empire" key, "Ottomans" key): a people named after an empire that no
    present-day state continues stands for the empire in a war narrative."""
    for k, fs in list(forms.items()):
        if votes[k].get("state", 0) < 4:
            continue
        for f in fs:
            m = _POLITY.fullmatch(f)
            state = m and _act.demonym_state(m.group(1))
            if m and (not state or _act.norm(state) == _act.norm(f)) and _act.ethnic_key(m.group(1)) in forms:
                yield k, _act.ethnic_key(m.group(1)), f
                break


def state_word(word: str) -> str | None:
    """The state a demonym or a state's own name stands for: "Greek", "Greece" → "Greece"."""
    return _act.demonym_state(word) or (word if _act.country_code(word) else None)


def link_services(forms: dict[str, Counter], link, text: str) -> None:
    """"Pakistan Army", "Pakistani Armed Forces", "the Bulgarian army": one service of one
    state, whatever the case and the demonym. A bare "forces" name joins only by its phrase."""
    first: dict[str, str] = {}
    for k, fs in list(forms.items()):
        for f in fs:
            sk = None if f.lower().endswith("forces") and not k.startswith("service:") and \
                not f.lower().endswith("armed forces") else service_name_key(f, state_word)
            if sk:
                if sk in first:
                    at = max(text.find(f), 0)
                    link(first[sk], k, at, at + len(f))
                else:
                    first[sk] = k
                break


def office_candidates(text: str, cands: list[_act.Candidate]) -> list[tuple[_act.Candidate, str | None, bool]]:
    """Offices standing for their holder ("the Minister of Foreign Affairs"), as person
    candidates, with the longer office a bare one stands for and whether it is appositive.
    An office that a personal name overlaps ("Secretary of Defense Massoud") is a title."""
    people = [(c.start, c.end) for c in cands if c.type == "person"]
    surnames = {c.text.split()[-1] for c in cands if c.type == "person" and " " in c.text.strip()}
    # "Chief of Staff of the Ottoman Army": an actor of its own stands in the office's
    # name, and the office is that actor's post, which the relations read from the title.
    others = [(c.start, c.end, c.text) for c in cands if c.type != "person" and c.label != "SERVICE"]
    out = []
    for name, s, e, core_of, comma in office_names(text):
        if any(s < ps < e or ps < s < pe < e for ps, pe in people) or (
                " of " in name and name.split()[-1] in surnames):
            continue
        if any(s < os_ and oe <= e and text.count(ot) > 1 for os_, oe, ot in others):
            continue
        if " of " not in name and state_word(name.split()[0]):
            continue  # "the Bulgarian King" describes a person the text names elsewhere
        out.append((_act.Candidate(name, s, e, "person", 4, "OFFICE"), core_of, comma))
    kept = {" ".join(c.text.split()) for c, core_of, _ in out if not core_of}
    return [o for o in out if not o[1] or o[1] in kept]  # "its President" of a dropped office


def link_offices(text: str, offices, cands: list[_act.Candidate], by_span: dict, link) -> None:
    """"the Maharaja" is the document's one "Maharaja of Kashmir"; "X, Special
    Representative of the Secretary-General," is X."""
    people = {(by_span[(c.start, c.end)], c.text) for c in cands
              if c.type == "person" and c.label != "OFFICE" and (c.start, c.end) in by_span}
    for c, core_of, comma in offices:
        k = by_span.get((c.start, c.end))
        if not k:
            continue
        if core_of:
            link(_act.name_key(core_of), k, c.start, c.end)
        if comma:
            # the person whose name (any of its written forms) ends right before the comma
            before = re.sub(r",\s+$", "", text[max(0, c.start - 80):c.start])
            names = [(len(f), pk) for pk, f in people if before.endswith(f)]
            if names:
                pk = max(names)[1]
                link(pk, k, c.start - 1, c.end)


def leader_named_factions(text: str, cands: list[_act.Candidate]) -> Iterator[tuple[tuple, tuple, int]]:
    """"Hezb-e Islami Gulbuddin" is the "Gulbuddin Hekmatyar's Hezb-e Islami" of the same
    text: a faction named after its leader. Yields ``(span of the suffixed name, span of the
    bare name, where the possessive stands)`` when the document has exactly one suffixed name
    for that bare name (two would be two factions, "… Khalis" and "… Gulbuddin")."""
    groups = [c for c in cands if c.type not in ("person", "state", "ethnic_group")]
    owners: dict[str, tuple[set[str], tuple[int, int], int]] = {}
    for c in groups:
        m = _POSSESSED_BY.search(text, max(0, c.start - 60), c.start)
        if m:
            words, span, at = owners.setdefault(_act.name_key(c.text), (set(), (c.start, c.end), m.start()))
            words.update(w.lower() for w in m.group(1).split())
    suffixed: dict[str, set[tuple[str, tuple[int, int]]]] = defaultdict(set)
    for c in groups:
        head, _, last = c.text.rpartition(" ")
        if head and _act.name_key(head) in owners:
            suffixed[_act.name_key(head)].add((_act.name_key(c.text), (c.start, c.end)))
    for bare, found in suffixed.items():
        words, bare_span, at = owners[bare]
        names = {n for n, _ in found}
        if len(names) == 1 and names.pop().rsplit(" ", 1)[-1] in words:
            yield next(iter(found))[1], bare_span, at


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[\w'’]+", name) if w[0].isupper())


def short_name_links(forms: dict[str, Counter], kind, root) -> Iterator[tuple[str, str, str]]:
    """Short names of groups that the document uses for one long name only:

    * a leading part: "Islamic Emirate" for "Islamic Emirate of Afghanistan";
    * the initials of a long name used alone: "UN" for "United Nations";
    * the distinctive last word: "Wahdat" for "Hezb-e Wahdat".

    Each is given only when exactly one actor of the document (``root`` tells which keys
    are one actor already) fits it. Yields ``(long key, short key, short form)``.
    """
    groups = [(k, f) for k, fs in forms.items() for f in fs
              if not k.startswith(("iso:", "ethnic:")) and kind(k) != "person"]
    multi = [(k, f) for k, f in groups if len(f.split()) >= 2]
    type_words = lexicons.words("actor_types")
    for sk, short in groups:
        words = short.split()
        fits: set[str] = set()
        if len(words) >= 2:
            cont = {lk for lk, lf in multi if lk != sk and lf.startswith(short + " ")}
            fits = {lk for lk, lf in multi if lk in cont and lf[len(short) + 1:].split()[0] in _JOINERS}
            if cont - fits:
                continue  # "Islamic State" before "Islamic State – Khorasan Province" too: unclear
        elif re.fullmatch(r"[A-Z](?:\.?[A-Z]){1,5}\.?", short):
            letters = short.replace(".", "")
            fits = {lk for lk, lf in multi if lk != sk and _initials(lf) == letters}
        elif short[:1].isupper() and short.lower() not in type_words and len(short) > 3:
            fits = {lk for lk, lf in multi if lk != sk and lf.split()[-1] == short
                    and len(lf.split()) >= 2 and not re.search(r"\b(?:of|for)\b", lf)}
        if len({root(k) for k in fits}) == 1:
            yield fits.pop(), sk, short


def qualified(long: str, short: str) -> bool:
    """True when ``long`` is ``short`` with a people's word before it ("Afghan Taliban"):
    the short name is then the actor's own, not a document-local short form."""
    rest = long[: -len(short)].strip() if long.endswith(short) else ""
    return bool(rest) and " " not in rest and bool(_act.demonym_state(rest))
