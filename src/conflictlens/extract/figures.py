"""Figures: the numbers a text states about people in a war.

Extracts deaths, wounded, force sizes, displaced people (and a few ``other`` counts:
prisoners, percentages of a counted group) from prose sentences and from the infobox
``Casualties*`` / ``Strength*`` fields. Each figure carries the sentence (or infobox line)
it was read from as evidence.

How, in three steps:

1. *Quantities* are found with a small grammar over the sentence text (:func:`find_quantities`):
   digits with thousands separators, decimals with a scale ("1.5 million"), number words
   ("two million"), ranges ("1,500–3,000", "2,500 to 4,000", "between X and Y", "1.5 to 2
   million" — the scale distributes) and percentages. Vague plurals ("thousands of",
   "hundreds of thousands") are not numbers and are never turned into one.
2. *Bounds* come from the words before the number (lexicon ``figures_bounds``):
   "more than N" → ``low=N, high=None``; "less than / up to / nearly N" → ``low=None,
   high=N``; "about / some / an estimated N" → ``low=high=N``. A range keeps its two ends.
3. *Kinds* come from the dependency parse around the number: the counted noun
   ("3,000 fighters", lexicon ``figures_nouns``), the verb whose victim or agent the
   counted phrase is ("16 civilians were killed", "200 people died", lexicon
   ``figures_verbs`` with the role the number must fill), a governing noun ("a force of
   50,000 men", "a death toll of 500"), a copula's subject ("estimates of the number
   killed were 3000", lexicon ``figures_copulas``), or — for a bare number in apposition or
   ellipsis — the counted noun of an earlier number in the same sentence ("Of 45,000
   soldiers only 14,000 were Afghan"). A verb's kind wins over the noun's: "3,000
   fighters were killed" is a death toll, not a force size. A number with no kind is not a
   figure; that single rule keeps years, pages, unit names ("055 Brigade"), distances and
   money out, on top of explicit filters for dates, ordinals, codes and currency.

Decisions worth knowing:

* ``casualties`` counts as deaths; "N percent of <counted people>" is kind ``other`` with
  the percent kept in ``what``; percentages of territory or population are skipped.
* Number words without a scale ("two soldiers") count only when a verb gives the kind
  ("shot dead one journalist"): alone they are too often not a tally.
* ``actor`` is the actor the counted people belong to — the victims' side for deaths
  ("1,500 Wahdat fighters were killed" → Wahdat), the owner for a force (possessor,
  modifier, or the subject of an owning verb such as *have*, *lead*, *amass*: lexicon
  ``figures_owners``); ``None`` when not clear (several actors, or a pronoun).

References:
    TimeML's treatment of value + modifier inspires the bound modifiers;
    ACLED / UCDP-GED codebooks for reporting fatalities as low/best/high estimates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from .. import lexicons
from ..nlp import doc_text, ents_in
from ..records import Document, Figure, Mention, TimeExpr, sentence_evidence
from .arguments import MentionIndex, actors_of

_MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_CURRENCY_BEFORE = re.compile(r"(?:[$£€¥₹]|\b(?:US|USD|EUR|Rs)\.?)\s*$")
# Matched at an offset (``rx.match(text, end)``), hence no "^"; the patterns before a number are
# searched in a window ending at it: slicing ``text[:start]`` for every number was quadratic
# (8 s on a page of "1 1 1 …").
_CURRENCY_AFTER = re.compile(
    r"\s*(?:(?:million|billion|thousand)\s+)?(?:dollars|euros|pounds|rupees|usd|francs|marks|"
    r"roubles|rubles|yen|dinars)\b", re.I)
_PERCENT = re.compile(r"\s*(?:%|percent\b|per\s+cent\b)", re.I)
_BETWEEN_BEFORE = re.compile(r"\bbetween\s+$", re.I)
#: How far before a number its currency sign, "between" or bound words are looked for.
_LOOK_BEFORE = 80
_DASHES = "–—-"


@dataclass(frozen=True)
class Quantity:
    """A number or range found in a text: offsets are into the text searched."""

    start: int
    end: int
    low: float | None
    high: float | None
    percent: bool = False
    words_only: bool = False  # spelled in words without a scale ("two", "eight")
    bound: str | None = None  # lower | upper | approx, from the words before
    year_like: bool = False  # a bare four-digit number that reads as a year


# ---------------------------------------------------------------------------- numbers


@lru_cache(maxsize=1)
def _number_words() -> tuple[dict[str, float], dict[str, float]]:
    units, scales = {}, {}
    for row in lexicons.rows("figures_numbers"):
        (scales if len(row) > 2 and row[2] == "scale" else units)[row[0].lower()] = float(row[1])
    return units, scales


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_REGEX_CACHE: dict[str, re.Pattern] = {}


def _quantity_regex() -> re.Pattern:
    if "q" not in _REGEX_CACHE:
        units, scales = _number_words()
        word = rf"(?:{_alt(units)})(?:-(?:{_alt(units)}))?"
        # Digits not glued to letters, codes or other digits ("Storm-333", "9/11", "1:00").
        digits = r"(?<![\w.,/:\-])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w/:]|[.,]\d)"
        base = rf"(?:{digits}|\b{word}\b)"
        scaled = rf"{base}(?:\s+(?:{_alt(scales)})\b)*"
        sep = rf"\s*[{_DASHES}]\s*|\s+to\s+|\s+and\s+"
        _REGEX_CACHE["q"] = re.compile(rf"(?P<a>{scaled})(?:(?P<sep>{sep})(?P<b>{scaled}))?", re.I)
        _REGEX_CACHE["p"] = re.compile(rf"\b(?:{_alt(p for p, _ in _bound_rows())})\b")
        _REGEX_CACHE["b"] = re.compile(
            rf"(?:\b(?:{_alt(p for p, _ in _bound_rows())})\s+)+$", re.I)
    return _REGEX_CACHE["q"]


@lru_cache(maxsize=1)
def _bound_rows() -> list[tuple[str, str]]:
    return [(r[0].lower(), r[1]) for r in lexicons.rows("figures_bounds")]


def _value(text: str) -> tuple[float | None, bool, bool]:
    """(value, has_scale, words_only) of one number phrase ("1.5 million", "two thousand")."""
    units, scales = _number_words()
    parts = text.lower().split()
    if not parts:
        return None, False, False
    head, rest = parts[0], parts[1:]
    words_only = False
    if head[0].isdigit():
        try:
            value = float(head.replace(",", ""))
        except ValueError:
            return None, False, False
    else:
        value = sum(units.get(p, 0.0) for p in head.split("-"))
        words_only = True
    scale = 1.0
    for p in rest:
        scale *= scales.get(p, 1.0)
    has_scale = bool(rest)
    return value * scale, has_scale, words_only and not has_scale


def _whole(x: float | None) -> float | int | None:
    if x is None:
        return None
    return int(x) if float(x).is_integer() else x


def find_quantities(text: str) -> list[Quantity]:
    """Numbers and ranges in ``text``, with their bounds, in order of appearance.

    Args:
        text: any string (a sentence, an infobox value).

    Returns:
        One :class:`Quantity` per number or range; money, ordinals and numbers glued to
        codes ("Storm-333", "9/11") are left out. Never raises on odd input.
    """
    rx = _quantity_regex()
    brx = _REGEX_CACHE["b"]
    bounds = dict(_bound_rows())
    out: list[Quantity] = []
    pos = 0
    while (m := rx.search(text, pos)) is not None:
        a, b, sep = m.group("a"), m.group("b"), m.group("sep")
        start, end = m.start(), m.end()
        pos = max(end, start + 1)
        lo = max(0, start - _LOOK_BEFORE)
        if b is not None and sep is not None and sep.strip().lower() == "and":
            # "X and Y" is a range only after "between"; otherwise X stands alone and Y is
            # read next ("200 soldiers and 300 civilians").
            if not _BETWEEN_BEFORE.search(text, lo, start):
                b, end = None, m.start("sep")
                pos = end
        if _CURRENCY_BEFORE.search(text, lo, start) or _CURRENCY_AFTER.match(text, end):
            continue
        if text[start - 1:start] == "[" and text[end:end + 1] == "]":
            continue  # a footnote mark: "policemen.[65]"

        va, sa, wa = _value(a)
        if va is None:
            continue
        vb, sb, wb = _value(b) if b is not None else (None, False, False)
        if b is not None and vb is None:
            continue
        if b is not None and sb and not sa:
            # "1.5 to 2 million", "five to ten million": the second end's scale distributes
            # to a first end that is smaller than its mantissa.
            mant_b = _value(b.split()[0])[0] or 0.0
            if 0 < va < mant_b:
                va = va * (vb / mant_b)
                wa = False
        pm = _PERCENT.match(text, end)
        pct = pm is not None
        if pm:
            end = pm.end()
        bound = None
        bm = brx.search(text, lo, start)
        if bm:
            # Longest phrases first, so "no more than" is not read as "more than".
            chain = " ".join(text[bm.start():start].lower().split())
            found = [bounds[p.group(0)] for p in _REGEX_CACHE["p"].finditer(chain)]
            bound = "lower" if "lower" in found else "upper" if "upper" in found else "approx"
        year_like = not pct and all(
            x is None or (re.fullmatch(r"\d{4}", x.strip()) is not None and 1000 <= int(x) <= 2100)
            for x in (a, b))
        if b is not None:
            low, high, bound = va, vb, None if bound in ("lower", "upper") else bound
            words_only = wa and wb
        else:
            words_only = wa
            low = high = va
            if bound == "lower":
                high = None
            elif bound == "upper":
                low = None
        out.append(Quantity(start, end, _whole(low), _whole(high), pct, words_only, bound, year_like))
    return out


def _number_word_rx() -> re.Pattern:
    if "w" not in _REGEX_CACHE:
        units, scales = _number_words()
        _REGEX_CACHE["w"] = re.compile(rf"\b(?:{_alt([*units, *scales])})\b", re.I)
    return _REGEX_CACHE["w"]


def parse_quantity(text: str) -> Quantity | None:
    """The first quantity in ``text`` ("between 1,405,111 and 2,084,468", "more than 200")."""
    found = find_quantities(text)
    return found[0] if found else None


# ---------------------------------------------------------------------------- lexicons


@lru_cache(maxsize=1)
def _nouns() -> dict[str, tuple[str, str]]:
    return {r[0].lower(): (r[1], r[2] if len(r) > 2 else "unknown")
            for r in lexicons.rows("figures_nouns")}


@lru_cache(maxsize=1)
def _people() -> dict[str, str]:
    return lexicons.mapping("figures_people")


@lru_cache(maxsize=1)
def _verbs() -> dict[str, tuple[str, str]]:
    return {r[0].lower(): (r[1], r[2]) for r in lexicons.rows("figures_verbs")}


_KIND_LABEL = {"deaths": "deaths", "wounded": "wounded", "force_size": "force size",
               "displaced": "displaced", "other": "count"}


# ---------------------------------------------------------------------------- parse helpers


#: A footnote mark the tokenizer glued to a word: "policemen.[65".
_GLUED_FOOTNOTE = re.compile(r"\.?\[\d*\]?$")


def _word(tok) -> str:
    return _GLUED_FOOTNOTE.sub("", tok.lower_) or tok.lower_


def _noun_kind(tok) -> tuple[str, str] | None:
    """(kind, who) when ``tok`` is a counted noun that says what it counts."""
    nouns = _nouns()
    return nouns.get(_word(tok)) or nouns.get(tok.lemma_.lower()) if tok is not None else None


def _is_people(tok) -> bool:
    if tok is None:
        return False
    low = _word(tok)
    if low in _nouns() or low in _people() or tok.lemma_.lower() in _people():
        return True
    # Plural demonyms and group names ("Serbs", "Afghans", "Tamils").
    return tok.ent_type_ in ("NORP",) or tok.tag_ == "NNPS"


def _who_of(tok) -> str | None:
    if tok is None:
        return None
    nk = _noun_kind(tok)
    if nk and nk[1] in ("civilians", "combatants"):
        return nk[1]
    who = _people().get(_word(tok)) or _people().get(tok.lemma_.lower())
    return who or "unknown"


def _verb_group(verb) -> list:
    """The verb, its coordinated verbs and its predicative complements ("trapped and killed",
    "shot dead", "reported killed")."""
    out, todo, seen = [], [verb], set()
    while todo:
        v = todo.pop()
        if v.i in seen or len(seen) > 8:
            continue
        seen.add(v.i)
        out.append(v)
        for c in v.children:
            if c.dep_ in ("conj", "xcomp", "acomp", "oprd", "attr") and c.pos_ in ("VERB", "ADJ", "AUX"):
                todo.append(c)
    return out


def _verb_kind(verbs: list, passive: bool, role_needed: str) -> tuple[str, object] | None:
    """The kind given by a verb group to the phrase filling ``role_needed`` (obj|subj)."""
    table = _verbs()
    for v in verbs:
        v_passive = passive or any(c.dep_ in ("auxpass", "nsubjpass") for c in v.children)
        if v.lemma_.lower() in _CAPTURE_VERBS and (role_needed == "obj") != v_passive and any(
                c.lemma_.lower() in _CAPTIVE_NOUNS for c in v.children if c.dep_ in ("oprd", "xcomp", "dobj", "attr")):
            return "other", v  # "took 300 prisoners", "700 soldiers were taken prisoner"
        if v.pos_ == "ADJ" or (v.tag_ == "JJ"):
            nk = _nouns().get(v.lower_)
            if nk and nk[0] in ("deaths", "wounded", "displaced") and role_needed == "obj":
                return nk[0], v  # "shot dead N", "left N wounded", "left N homeless"
            continue
        row = table.get(v.lemma_.lower())
        if not row:
            continue
        kind, role = row
        is_passive = passive or any(c.dep_ in ("auxpass", "nsubjpass") for c in v.children)
        if role_needed == "subj" and is_passive:
            want = "obj"
        else:
            want = role_needed
        if role == want:
            return kind, v
    return None


def _governing_kind(head):
    """Kind from the verb the noun phrase headed by ``head`` belongs to. Returns (kind, trigger)."""
    node = head
    for _ in range(6):  # climb coordination and apposition: "one journalist and 8 officers"
        if node.dep_ in ("conj", "appos") and node.head.i != node.i:
            node = node.head
        else:
            break
    # Participles and relative clauses on the noun itself ("civilians killed in ...").
    for c in head.children:
        if c.dep_ == "acl" and c.pos_ == "VERB":
            role = "obj" if c.tag_ == "VBN" else "subj"
            got = _verb_kind(_verb_group(c), role == "obj", role)
            if got:
                return got
        if c.dep_ == "relcl":
            subj = next((g for g in c.children if g.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None and subj.lower_ in ("who", "that", "which"):
                passive = subj.dep_ == "nsubjpass"
                got = _verb_kind(_verb_group(c), passive, "subj")
                if got:
                    return got
    dep, verb = node.dep_, node.head
    if dep == "dobj" and verb.lemma_.lower() in lexicons.words("figures_part_verbs"):
        # "the force comprised 8,000 nationals": the part counts what the whole counts.
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        nk = _noun_kind(subj) if subj is not None else None
        if nk and nk[0] == "force_size":
            return nk[0], subj
        if subj is not None and subj.lemma_.lower() in lexicons.words("lists_receiver_nouns") \
                and _is_people(node):
            return "force_size", subj  # "the brigade comprised 3,000 officers and men"
    if dep == "dobj":
        return _verb_kind(_verb_group(verb), False, "obj")
    if dep == "nsubjpass":
        return _verb_kind(_verb_group(verb), True, "subj")
    if dep == "nsubj":
        # "N fighters were trapped and killed": a copula with participles is a passive.
        if verb.lemma_ == "be":
            parts = [v for v in _verb_group(verb)[1:] if v.tag_ == "VBN"]
            return _verb_kind(parts, True, "subj") if parts else None
        return _verb_kind(_verb_group(verb), False, "subj")
    return None


def _number_head(tokens: list):
    """The token of a number span whose head lies outside it (the span's syntactic head)."""
    ids = {t.i for t in tokens}
    for t in tokens:
        if t.head.i not in ids or t.head.i == t.i:
            return t
    return tokens[-1]


def _counted_noun(tokens: list, sent):
    """The noun a number counts, or None for a bare number. Returns (noun, np_head)."""
    ids = {t.i for t in tokens}
    head = _number_head(tokens)
    if head.dep_ in ("nummod", "quantmod", "compound", "amod", "nmod") and head.head.i not in ids \
            and head.head.pos_ in ("NOUN", "PROPN", "ADJ") and head.head.i > head.i:
        return head.head, head.head
    # Partitive: "200 of his guards".
    for c in head.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None and _is_people(pobj):
                return pobj, head
    # Linear scan over modifiers: "45,000 Pakistani, Taliban and Al Qaeda soldiers".
    last = max(ids)
    for j in range(last + 1, min(last + 9, sent.end)):
        t = sent.doc[j]
        if t.pos_ == "NOUN" and t.dep_ not in ("compound", "amod"):
            return t, t
        if t.pos_ in ("ADJ", "PROPN", "NOUN") or t.lower_ in (",", "and", "-", "["):
            if t.lower_ == "," and j + 1 < sent.end and sent.doc[j + 1].pos_ in ("VERB", "AUX"):
                break
            continue
        if t.text in ("]",):
            continue
        break
    return None, head


def _of_governor(np_head):
    """The noun governing "<noun> of N" ("a force of 50,000 men", "a toll of 500")."""
    if np_head.dep_ == "pobj" and np_head.head.lower_ == "of" and np_head.head.head.pos_ == "NOUN":
        return np_head.head.head
    return None


def _copula_kind(head):
    """Kind from a copula's subject for a bare number ("the number killed were 3000")."""
    verb = head.head
    copulas = lexicons.words("figures_copulas")
    if head.dep_ not in ("attr", "dobj", "npadvmod", "pobj") or verb.lemma_.lower() not in copulas:
        # "the toll rose to 500", "deaths were estimated at 3,000"
        if head.dep_ == "pobj" and head.head.head.lemma_.lower() in copulas:
            verb = head.head.head
        else:
            return None
    # The subject says what is counted; with "put the toll at N" the object does.
    says = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "dobj") and c is not head]
    for t in (t for c in says for t in c.subtree):
        nk = _noun_kind(t)
        if nk and t.pos_ in ("NOUN", "ADJ"):
            return nk[0], t
        row = _verbs().get(t.lemma_.lower())
        if row and t.pos_ == "VERB" and t.tag_ == "VBN" and row[1] == "obj":
            return row[0], t
    return None


def _attr_noun(head):
    """"20,000 were regular soldiers": the bare subject of a copula counts its attribute."""
    if head.dep_ == "nsubj" and head.head.lemma_ == "be":
        return next((c for c in head.head.children if c.dep_ == "attr" and c.pos_ == "NOUN"), None)
    return None


def _owner_actor(np_head, index: MentionIndex) -> str | None:
    """The actor owning a force: subject of an owning verb above the counted phrase."""
    node = np_head
    for _ in range(6):
        if node.dep_ in ("conj", "appos"):
            node = node.head
        elif node.dep_ == "pobj" and node.head.lower_ == "of" and _noun_kind(node.head.head):
            node = node.head.head  # "a force of 50,000 men" → force
        elif node.dep_ == "npadvmod" and node.head.lower_ == "strong":
            node = node.head  # "2000 men strong"
        else:
            break
    if node.dep_ not in ("dobj", "attr", "acomp"):
        return None
    verb = node.head
    if verb.lemma_.lower() not in lexicons.words("figures_owners"):
        return None
    v = verb
    for _ in range(4):
        subj = next((c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None:
            if subj.lower_ in ("which", "who", "that") and v.dep_ == "relcl":
                subj = v.head  # "Iran, which has amassed 200,000 troops": the antecedent owns
            keys = actors_of(subj, index)
            return keys[0] if len(keys) == 1 else None
        if v.dep_ in ("xcomp", "conj", "ccomp") and v.head.i != v.i:
            v = v.head
        else:
            break
    return None


def _np_text(noun, exclude: set[int]) -> str:
    """The counted noun with its modifiers, minus the number and its qualifiers."""
    if noun is None:
        return ""
    left = [t for t in noun.subtree if t.i <= noun.i and t.i not in exclude
            and t.pos_ not in ("DET", "NUM", "ADV", "PUNCT", "CCONJ")
            and t.dep_ not in ("quantmod", "advmod")]
    if not left:
        return noun.text
    # Keep a contiguous run ending at the noun.
    run = [noun]
    ids = {t.i for t in left}
    j = noun.i - 1
    while j in ids or (j >= 0 and noun.doc[j].text in ",-" and j - 1 in ids):
        run.insert(0, noun.doc[j])
        j -= 1
    while run and run[0].text in ",-":
        run.pop(0)
    return " ".join(t.text for t in run)


# ---------------------------------------------------------------------------- dates


def _period(sent_start: int, sent_end: int, skip: tuple[int, int], times: list[TimeExpr] | None,
            sent) -> tuple[str | None, str | None]:
    if times is not None:
        inside = [t for t in times if t.value and sent_start <= t.start and t.end <= sent_end
                  and not (t.start < skip[1] and skip[0] < t.end)]
        if not inside:
            return None, None
        starts = sorted(t.value for t in inside)
        ends = sorted((t.value_end or t.value) for t in inside)
        return starts[0], ends[-1]
    # Without a time tagger, fall back to the years of the parser's DATE entities.
    years = []
    for ent in ents_in(sent):
        if ent.label_ == "DATE" and not (ent.start_char < skip[1] and skip[0] < ent.end_char):
            years += re.findall(r"\b(1[5-9]\d\d|20\d\d)(?:s\b|\b)", ent.text)
    if not years:
        return None, None
    return min(years), max(years)


# ---------------------------------------------------------------------------- extraction


def _sentence_figures(sent, document: Document, times: list[TimeExpr] | None,
                      index: MentionIndex) -> list[Figure]:
    doc = sent.doc
    text = doc_text(doc)[sent.start_char:sent.end_char]
    off = sent.start_char
    times_spans = [(t.start, t.end) for t in (times or [])]
    out: list[Figure] = []
    last_counted = None  # (noun, kind) of an earlier number in the sentence, for ellipsis
    for q in find_quantities(text):
        span = doc.char_span(off + q.start, off + q.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        tokens = list(span)
        # "the 055 Brigade", "1st", codes with a leading zero.
        first = text[q.start:q.end].lstrip()
        if first[:1] == "0" and len(first) > 1 and first[1:2].isdigit():
            continue
        noun, np_head = _counted_noun(tokens, sent)
        after = doc[span.end] if span.end < sent.end else None
        # "45,000-strong", "2000 men strong".
        strong = (after is not None and after.text in _DASHES and span.end + 1 < sent.end
                  and doc[span.end + 1].lower_ == "strong")
        if noun is not None and noun.i + 1 < sent.end and doc[noun.i + 1].lower_ == "strong":
            strong = True
        prev = re.findall(r"[A-Za-z]+", text[max(0, q.start - 12):q.start])
        nxt = re.findall(r"[A-Za-z]+", text[q.end:q.end + 12])
        if (prev and prev[-1].lower() in _MONTHS) or (nxt and nxt[0].lower() in _MONTHS):
            continue  # "27 September", "May 2, 2011"
        a, b = off + q.start, off + q.end
        if q.year_like or any(s < b and a < e for s, e in times_spans):
            # A year-like number is a count only with a qualifier or a counted noun after it
            # ("approximately 2000 men strong").
            counted = noun is not None and noun.i == span.end and (_noun_kind(noun) or _is_people(noun))
            if not (counted or (q.bound and not q.year_like)):
                continue
        kind = who = trigger = None
        if noun is None:
            attr = _attr_noun(np_head)
            if attr is not None:
                noun = attr
        # A post-number participle or adjective: "35,775 killed", "300 dead".
        if noun is None and after is not None:
            nk = _noun_kind(after)
            row = _verbs().get(after.lemma_.lower())
            if nk and nk[0] in ("deaths", "wounded", "displaced"):
                kind, who, trigger = nk[0], None, after
            elif row and after.tag_ == "VBN" and row[1] == "obj":
                kind, trigger = row[0], after
        # A predicative adjective after the counted noun: "left 100,000 people homeless".
        if noun is not None and noun.i + 1 < sent.end:
            nxt_kind = _noun_kind(doc[noun.i + 1]) if doc[noun.i + 1].pos_ == "ADJ" else None
            if nxt_kind and nxt_kind[0] in ("deaths", "wounded", "displaced"):
                kind, trigger = nxt_kind[0], doc[noun.i + 1]
        got = _governing_kind(noun if noun is not None and np_head is noun else np_head)
        if got is None and noun is not None and np_head is not noun:
            got = _governing_kind(noun)
        if got:
            kind, trigger = got[0], got[1]
        nk = _noun_kind(noun) if noun is not None else None
        if nk is None and noun is not None:
            # "refugee families", "militia members": a compound modifier says what is counted.
            nk = next((_noun_kind(c) for c in noun.children if c.dep_ == "compound" and _noun_kind(c)), None)
        if kind is None and noun is not None:
            # "the deaths of 200 soldiers": the governing toll says what happened to them.
            gov = _of_governor(noun)
            gk = _noun_kind(gov) if gov is not None else None
            if gk and gk[0] in ("deaths", "wounded", "displaced"):
                kind, trigger = gk[0], gov
        if kind is None and nk:
            kind, trigger = nk[0], noun
        if kind is None and strong:
            kind, trigger = "force_size", None
        if kind is None:
            gov = _of_governor(np_head if noun is None or np_head is not noun else noun)
            gk = _noun_kind(gov) if gov is not None else None
            if gk:
                kind, trigger = gk[0], gov
        if kind is None and noun is None:
            got = _copula_kind(np_head)
            if got:
                kind, trigger = got
        if kind is None and noun is None and last_counted is not None and (
                np_head.dep_ in ("appos", "conj", "nsubj", "nsubjpass", "attr")):
            noun, kind = last_counted  # ellipsis: "..., only 14,000 were Afghan"
        if q.percent:
            # "20–40 percent of [regular] soldiers": a share of a counted group only; "80
            # percent Sunni" (a composition) and "85% of the country" (territory) are not.
            m_of = re.match(r"\s*of\s+", text[q.end:], re.I)
            if not m_of:
                continue
            k = doc.char_span(off + q.end + m_of.end(), sent.end_char, alignment_mode="expand")
            pobj = None
            for t in k if k is not None else []:
                if t.pos_ in ("DET", "ADJ", "PUNCT") or t.lower_ in ("[", "]"):
                    continue
                pobj = t
                break
            while pobj is not None and pobj.dep_ in ("compound", "amod", "nmod") and pobj.head.i > pobj.i:
                pobj = pobj.head
            if pobj is None or pobj.ent_type_ in ("GPE", "LOC", "FAC") or not (
                    _noun_kind(pobj) or _is_people(pobj)):
                continue
            noun, kind, trigger = pobj, "other", None
        if kind is None:
            continue
        if kind == "force_size" and noun is not None and any(
                c.lower_ in lexicons.words("figures_captives") for c in noun.children
                if c.dep_ in ("amod", "compound")):
            continue  # "1,000 captive soldiers" are prisoners, not a force
        # The victims of a killing, wounding or expulsion are people even when the noun is
        # not in the people lexicon ("killed 12 teachers").
        by_verb = (trigger is not None and trigger.pos_ in ("VERB", "ADJ")
                   and kind in ("deaths", "wounded", "displaced"))
        if noun is not None and nk is None and not q.percent and not strong and not _is_people(noun) \
                and not (by_verb and noun.tag_ == "NNS"):
            # "8 intelligence and diplomatic officers": the modifier was parsed as the head.
            conj = next((c for c in noun.children if c.dep_ == "conj" and c.i - noun.i <= 4
                         and _is_people(c)), None)
            if conj is None:
                continue  # "4,500 attacks", "75 aircraft", "20 km"
            noun = conj
        if kind == "other" and noun is None and not q.percent and trigger is not None and trigger.i < span.start:
            continue  # "captured 32 of them": districts as often as people; "70,000 captured" counts
        if q.words_only and (trigger is None or trigger.pos_ not in ("VERB", "ADJ")) and not (
                kind in ("deaths", "wounded") and trigger is not None and noun is not None
                and _of_governor(noun) is not None and _of_governor(noun).i == trigger.i):
            # "two soldiers": a spelled small number alone is rarely a tally; "the death of
            # nine policemen" is one.
            continue
        if noun is not None and _noun_kind(noun):
            last_counted = (noun, _noun_kind(noun)[0])
        who = _who_of(noun) if noun is not None else "unknown"
        if kind == "force_size" and who == "unknown":
            who = "combatants"  # a force counts combatants whoever they are
        if noun is not None:
            # "men and boys" share the number; "one journalist and 8 officers" do not.
            shared = [c for c in noun.children if c.dep_ == "conj"
                      and not any(g.dep_ == "nummod" for g in c.children)]
            whos = {_who_of(c) for c in [noun, *shared]}
            if {"civilians", "combatants"} <= whos:
                who = "mixed"
        ids = {t.i for t in tokens}
        label = (trigger.lower_ if trigger is not None and trigger.pos_ in ("VERB", "ADJ")
                 and kind in ("deaths", "wounded", "displaced", "other") else _KIND_LABEL[kind])
        if q.percent:
            label = "percent of"
        np = _np_text(noun, ids)
        if q.percent:
            what = f"percent of {np}" if np else "percent"
        else:
            what = f"{label}: {np}" if np and np.lower() != label else label
        actor = None
        if index.mentions:
            if noun is not None:
                keys = actors_of(noun, index)
                actor = keys[0] if len(keys) == 1 else None
            if actor is None and kind == "force_size":
                actor = _owner_actor(noun if noun is not None else np_head, index)
        a, b = off + q.start, off + q.end
        p0, p1 = _period(sent.start_char, sent.end_char, (a, b), times, sent)
        ev = sentence_evidence(document.name, document.text, sent.start_char, sent.end_char)
        out.append(Figure(kind=kind, low=q.low, high=q.high, what=what, evidence=[ev], who=who,
                          period_start=p0, period_end=p1, actor=actor))
    return out


_INFOBOX_KEY = re.compile(r"^(casualties|strength|losses|killed|deaths|wounded|displaced)\s*(\d*)", re.I)


def _infobox_kind(words: list[str], key: str) -> tuple[str, str | None]:
    nouns, verbs = _nouns(), _verbs()
    for w in words:
        for cand in (w, w[:-1], w[:-2], w[:-3] + "e" if len(w) > 3 else w):
            if cand in nouns and nouns[cand][0] != "force_size":
                return nouns[cand][0], nouns[cand][1]
            if cand in verbs:
                return verbs[cand][0], None
        if w in ("captured", "missing"):
            return "other", None
    if key.startswith("strength"):
        return "force_size", "combatants"
    return "deaths", None


def _infobox_figures(document: Document, times: list[TimeExpr] | None,
                     index: MentionIndex) -> list[Figure]:
    out: list[Figure] = []
    fields = {f.key.lower(): f for f in document.infobox}
    date = fields.get("date")
    p0 = p1 = None
    if date is not None:
        if times is not None:
            inside = sorted((t for t in times if t.value and date.start <= t.start < date.end),
                            key=lambda t: t.start)
            if inside:
                p0, p1 = min(t.value for t in inside), max((t.value_end or t.value) for t in inside)
        else:
            years = re.findall(r"\b(1[5-9]\d\d|20\d\d)\b", date.value)
            if years:
                p0, p1 = min(years), max(years)
    for f in document.infobox:
        m = _INFOBOX_KEY.match(f.key)
        if not m:
            continue
        key, side = m.group(1).lower(), m.group(2)
        key_start = document.text.find(f.key, f.line_start, f.end)
        ev = sentence_evidence(document.name, document.text,
                               key_start if key_start >= 0 else f.line_start, f.line_end)
        quantities = [q for q in find_quantities(f.value) if not q.year_like]
        for i, q in enumerate(quantities):
            stop = quantities[i + 1].start if i + 1 < len(quantities) else len(f.value)
            tail = f.value[q.end:stop]
            words = re.findall(r"[a-z]+", tail.lower())[:4]
            kind, who = _infobox_kind(words, key)
            if who is None:
                # Casualties1/2 are the losses of the two sides' combatants.
                who = ("civilians" if "civilians" in words
                       else "combatants" if side in ("1", "2") else "unknown")
            actor = None
            combatant = fields.get(f"combatant{side}") if side else None
            if combatant is not None and index.mentions:
                found = index.in_span(combatant.start, combatant.end)
                actor = found[0].key if found else None
            label = " ".join(words[:2]) or _KIND_LABEL[kind]
            out.append(Figure(kind=kind, low=q.low, high=q.high, what=f"{f.key}: {label}",
                              evidence=[ev], who=who, period_start=p0, period_end=p1, actor=actor))
    return out


#: Marks of a bibliography entry ("Retrieved 5 January 2017.", "ISBN 978-…", "Archived from
#: the original on …", "doi:10.…"): prose never has them.
_CITATION_MARK = re.compile(r"\bRetrieved\s+(?:\d|on\b|[A-Z][a-z]+\s+\d)|\bISBN(?:-1[03])?:?\s*[\dX-]{10,}"
                            r"|\bArchived from the original\b|\bdoi:\s*10\.", re.I)
#: Largest gap between two citation marks inside one run of references, in characters.
_CITATION_GAP = 4000
#: How far before the first mark of a reference run its first entry may begin.
_CITATION_LEAD = 250


def citation_spans(text: str) -> list[tuple[int, int]]:
    """Spans of a text that are a bibliography without a heading.

    Flattened articles often end with their reference list run into the prose, with no
    "References" heading to skip. Such a tail is found by its marks (:data:`_CITATION_MARK`):
    a run of at least five marks, none further than ``_CITATION_GAP`` characters from the
    next, that reaches the end of the text. The span starts a short entry
    (``_CITATION_LEAD``) before the run's first mark; news headlines and book titles in it
    are not statements of fact.

    Args:
        text: the document text.

    Returns:
        ``[(start, len(text))]`` for such a tail, else ``[]``.
    """
    marks = [m.start() for m in _CITATION_MARK.finditer(text)]
    if len(marks) < 5 or len(text) - marks[-1] > _CITATION_GAP:
        return []
    i = len(marks) - 1
    while i > 0 and marks[i] - marks[i - 1] <= _CITATION_GAP:
        i -= 1
    if len(marks) - i < 5:
        return []
    return [(max(0, marks[i] - _CITATION_LEAD), len(text))]


def apparatus_spans(document: Document) -> list[tuple[int, int]]:
    """Spans of sections such as References or Notes: citation titles are not statements."""
    names = lexicons.words("figures_skip_sections")
    text = document.text
    spans, open_at = citation_spans(text), None
    for start, end in sorted(document.markup):
        title = re.sub(r"^[\d.]+\s+", "", text[start:end].strip().strip("=#").strip()).lower()
        if not re.match(r"^\s*(=|#|\d)", text[start:end]):
            continue  # an infobox line, not a heading
        if open_at is not None:
            spans.append((open_at, start))
            open_at = None
        if title in names:
            open_at = end
    if open_at is not None:
        spans.append((open_at, len(text)))
    return spans


def extract_figures(sdoc, document: Document, times: list[TimeExpr] | None = None,
                    mentions: list[Mention] | None = None) -> list[Figure]:
    """Figures stated in a document: infobox casualty/strength fields, then prose, in order.

    Args:
        sdoc: the spaCy ``Doc`` of ``document`` (markup lines blanked, same length).
        document: the document as read; evidence offsets point into ``document.text``.
        times: normalised time expressions of the document; those inside a sentence give
            the figure's period, and numbers inside them are dates, not counts. Without
            them the parser's DATE entities give the period.
        mentions: actor mentions of the document, to name the actor a figure belongs to.

    Returns:
        :class:`~conflictlens.records.Figure` records, each with one sentence (or infobox
        line) of evidence whose quote equals ``document.text[start:end]``.
    """
    index = MentionIndex(mentions or [])
    figures = _infobox_figures(document, times, index)
    skipped = apparatus_spans(document)
    for sent in sdoc.sents:
        if not any(c.isdigit() for c in sent.text) and not _number_word_rx().search(sent.text):
            continue
        if any(a <= sent.start_char < b for a, b in skipped):
            continue
        figures.extend(_sentence_figures(sent, document, times, index))
    for sent in sdoc.sents:
        if any(a <= sent.start_char < b for a, b in skipped):
            continue
        figures.extend(_single_figures(sent, document, times, index))
    return figures


#: Verbs of taking someone prisoner: "took an Indian prisoner".
_CAPTURE_VERBS = frozenset({"take", "capture", "seize"})
_CAPTIVE_NOUNS = frozenset({"prisoner", "captive", "hostage"})
_HYPOTHETICAL = frozenset({"if", "unless", "whether", "would", "could", "might", "may", "should",
                           "will", "shall", "can", "must"})


def _single_figures(sent, document: Document, times: list[TimeExpr] | None,
                    index: MentionIndex) -> list[Figure]:
    """One person a past event happened to, counted by the article: "a New Zealand soldier was
    killed", "an Australian soldier was injured", "took an Indian prisoner" (1 each).

    Only a past-tense verb of killing, wounding or capture counts; a conditional, a
    modal or a negation ("if a soldier is killed", "no civilian died") does not.
    """
    out: list[Figure] = []
    for det in sent:
        if det.lower_ not in ("a", "an") or det.dep_ != "det":
            continue
        noun = det.head
        if noun.tag_ != "NN":
            continue
        verb = noun.head
        got = None
        if noun.lemma_.lower() in _CAPTIVE_NOUNS and noun.dep_ in ("dobj", "oprd") \
                and verb.lemma_.lower() in _CAPTURE_VERBS:
            got = ("other", verb, "taken prisoner")
        elif noun.dep_ in ("nsubjpass", "nsubj") and (noun.lower_ + "s" in _people() or _noun_kind(noun)):
            kv = _governing_kind(noun)
            if kv and kv[0] in ("deaths", "wounded") and kv[1].pos_ == "VERB":
                got = (kv[0], kv[1], kv[1].lower_)
        if got is None:
            continue
        kind, v, label = got
        past = v.tag_ == "VBD" or any(c.dep_ in ("auxpass", "aux") and c.tag_ == "VBD" for c in v.children)
        doubt = any(c.lower_ in _HYPOTHETICAL or c.dep_ == "neg" for c in v.children) or any(
            t.lower_ in _HYPOTHETICAL for t in v.ancestors)
        if not past or doubt:
            continue
        np = _np_text(noun, {det.i})
        keys = actors_of(noun, index) if index.mentions else []
        ev = sentence_evidence(document.name, document.text, sent.start_char, sent.end_char)
        p0, p1 = _period(sent.start_char, sent.end_char, (det.idx, det.idx + len(det)), times, sent)
        out.append(Figure(kind=kind, low=1, high=1, what=f"{label}: {np}", evidence=[ev],
                          who=_who_of(noun) if kind != "other" else "unknown",
                          period_start=p0, period_end=p1, actor=keys[0] if len(keys) == 1 else None))
    return out
