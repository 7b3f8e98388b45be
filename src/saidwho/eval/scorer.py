"""Scoring attribution extraction against gold annotation: pure functions, no spaCy.

An attribution is compared role by role. Each role (``source``, ``cue``, ``content``) is a
list of character fragments ``[start, end)`` into the article text; content may be
discontinuous. The definitions (written out in ``docs/evaluation.md``):

* **Normalised value** of a role: each fragment is clipped to the text and loses surrounding
  whitespace, then leading and trailing "edge" characters (whitespace, Unicode punctuation of
  category ``P*``, and the backtick) -- except where nothing would remain, in which case the
  whitespace-stripped fragment stays (a ``:`` cue). Empty fragments go; the rest are sorted and
  neighbours that overlap, touch or are separated only by edge characters are joined. The
  value is the resulting tuple of ``(start, end)`` pairs; ``()`` means "no span".
* **Items** of an article: for each role, the *set* of distinct non-empty values over all its
  attributions; for whole attributions ("triples"), the set of distinct
  ``(source, cue, content)`` value tuples (a missing source is ``()``).
* **Exact**: an item matches when the same value is on the other side. P = matched system
  items / system items, R = matched gold items / gold items, micro-averaged over articles.
* **Overlap**: items are turned into token-index sets (tokens are the matches of
  ``\\w+|[^\\w\\s]`` in the text; a fragment takes every token it touches). A pair can match
  when the Jaccard index of the two sets is at least ``tau`` (0.5); for triples every role
  must reach ``tau`` (two empty roles agree fully) and the pair is ranked by the mean of the
  three.
  Pairs are taken greedily by descending score (ties: gold index, then system index, over the
  sorted items), each item at most once.
* **Direct / other**: a content value is *direct* when it has fragments and every fragment lies
  inside a double-quotation region (see :func:`quote_regions`). After matching on all items,
  gold items are split direct/other for recall and system items by the same rule for
  precision; triples are split by their content.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Fragment = tuple[int, int]
Value = tuple[Fragment, ...]
Triple = tuple[Value, Value, Value]

ROLES = ("source", "cue", "content")
ITEMS = ("source", "cue", "content", "triple")
SPLIT_ITEMS = ("content", "triple")
TAU = 0.5

_TOKEN = re.compile(r"\w+|[^\w\s]")


# ---------------------------------------------------------------- spans


def is_edge_char(ch: str) -> bool:
    """Characters trimmed from fragment edges: whitespace, punctuation (``P*``) and '`'."""
    return ch.isspace() or ch == "`" or unicodedata.category(ch).startswith("P")


def _strip(text: str, start: int, end: int, pred) -> tuple[int, int]:
    while start < end and pred(text[start]):
        start += 1
    while end > start and pred(text[end - 1]):
        end -= 1
    return start, end


def normalise(text: str, fragments: Iterable[Sequence[int]] | None) -> Value:
    """The normalised value of one role (see the module docstring)."""
    n = len(text)
    kept: list[Fragment] = []
    for frag in fragments or ():
        s, e = max(0, min(int(frag[0]), n)), max(0, min(int(frag[1]), n))
        s, e = _strip(text, s, e, str.isspace)
        if s >= e:
            continue
        ts, te = _strip(text, s, e, is_edge_char)
        kept.append((ts, te) if ts < te else (s, e))
    kept.sort()
    merged: list[list[int]] = []
    for s, e in kept:
        if merged:
            last = merged[-1]
            if s <= last[1] or all(is_edge_char(c) for c in text[last[1] : s]):
                last[1] = max(last[1], e)
                continue
        merged.append([s, e])
    return tuple((s, e) for s, e in merged)


class Tokens:
    """Token offsets of one text, for mapping fragments to token indices."""

    def __init__(self, text: str) -> None:
        self.spans = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
        self._ends = [e for _, e in self.spans]

    def __len__(self) -> int:
        return len(self.spans)

    def indices(self, value: Iterable[Fragment]) -> frozenset[int]:
        """Indices of every token that overlaps one of the fragments."""
        out: set[int] = set()
        for s, e in value:
            k = bisect_right(self._ends, s)  # first token ending after s
            while k < len(self.spans) and self.spans[k][0] < e:
                out.add(k)
                k += 1
        return frozenset(out)


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    """|a & b| / |a | b|; two empty sets agree fully (1.0)."""
    if not a and not b:
        return 1.0
    union = len(a | b)
    return len(a & b) / union if union else 0.0


# ---------------------------------------------------------------- quotations

# opening mark -> closing marks of its family
_OPENERS: dict[str, tuple[str, ...]] = {
    "\u201c": ("\u201d",),  # “ ... ”
    '"': ('"',),  # " ... "
    "\u00ab": ("\u00bb",),  # « ... »
    "\u201e": ("\u201c", "\u201d"),  # „ ... “  or  „ ... ”
}


def quote_regions(text: str) -> list[Fragment]:
    """Insides of double quotations: ``[start, end)`` between the marks, marks excluded.

    A region closes at a closing mark of the family that opened it (marks of other families
    inside it are ignored: nested quotations), at a line break (a quotation running over
    several paragraphs is reopened on each one), or at the end of the text. Single quotes are
    not used: they cannot be told from apostrophes.
    """
    regions: list[Fragment] = []
    start = -1
    closers: tuple[str, ...] = ()
    for i, ch in enumerate(text):
        if start < 0:
            if ch in _OPENERS:
                start, closers = i, _OPENERS[ch]
        elif ch in closers:
            regions.append((start + 1, i))
            start = -1
        elif ch == "\n" or ch == "\r":
            regions.append((start + 1, i))
            start = -1
    if start >= 0:
        regions.append((start + 1, len(text)))
    return regions


def is_direct(value: Value, regions: Sequence[Fragment]) -> bool:
    """A content value is direct when it has fragments, each inside one quotation region."""
    if not value:
        return False
    return all(any(rs <= s and e <= re_ for rs, re_ in regions) for s, e in value)


# ---------------------------------------------------------------- counting


@dataclass
class Counts:
    """Matched and total items, kept per side (overlap splits can differ between sides)."""

    tp_sys: int = 0
    n_sys: int = 0
    tp_gold: int = 0
    n_gold: int = 0

    def add(self, other: "Counts") -> None:
        self.tp_sys += other.tp_sys
        self.n_sys += other.n_sys
        self.tp_gold += other.tp_gold
        self.n_gold += other.n_gold

    @property
    def p(self) -> float:
        return self.tp_sys / self.n_sys if self.n_sys else 0.0

    @property
    def r(self) -> float:
        return self.tp_gold / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.p, self.r
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "p": round(self.p, 6),
            "r": round(self.r, 6),
            "f1": round(self.f1, 6),
            "tp_sys": self.tp_sys,
            "n_sys": self.n_sys,
            "tp_gold": self.tp_gold,
            "n_gold": self.n_gold,
        }


def greedy_match(
    gold: Sequence[Any], system: Sequence[Any], score, tau: float = TAU
) -> list[tuple[int, int]]:
    """One-to-one pairs ``(gold index, system index)``: best score first, each item once.

    ``score(g, s)`` returns a number or ``None`` (cannot match); pairs below ``tau`` are never
    taken; ties go to the lower gold index, then the lower system index.
    """
    cands = []
    for gi, g in enumerate(gold):
        for si, s in enumerate(system):
            sc = score(g, s)
            if sc is not None and sc >= tau:
                cands.append((-sc, gi, si))
    cands.sort()
    used_g: set[int] = set()
    used_s: set[int] = set()
    pairs = []
    for _, gi, si in cands:
        if gi in used_g or si in used_s:
            continue
        used_g.add(gi)
        used_s.add(si)
        pairs.append((gi, si))
    return pairs


def _triple_rank(js: Sequence[float]) -> float:
    """The score by which a matchable triple pair is ranked: the mean of its role scores."""
    return sum(js) / len(js)


def _values(text: str, attributions: Iterable[Mapping[str, Any]]) -> list[Triple]:
    out = []
    for a in attributions:
        out.append(tuple(normalise(text, a.get(role) or ()) for role in ROLES))  # type: ignore[arg-type]
    return out  # type: ignore[return-value]


def _items(triples: list[Triple]) -> dict[str, list]:
    items: dict[str, list] = {}
    for k, role in enumerate(ROLES):
        items[role] = sorted({t[k] for t in triples if t[k]})
    items["triple"] = sorted(set(triples))
    return items


def _content_of(kind: str, item) -> Value:
    return item[2] if kind == "triple" else item


@dataclass
class ArticleScore:
    """Counts of one article: ``counts[mode][name]`` with mode exact/overlap and name one of
    source, cue, content, triple, content/direct, content/other, triple/direct, triple/other."""

    counts: dict[str, dict[str, Counts]]


def score_article(
    text: str,
    gold: Iterable[Mapping[str, Any]],
    system: Iterable[Mapping[str, Any]],
    tau: float = TAU,
) -> ArticleScore:
    """Compare the attributions of one article (dicts with ``source``/``cue``/``content``
    fragment lists, offsets into ``text``)."""
    g_items = _items(_values(text, gold))
    s_items = _items(_values(text, system))
    tokens = Tokens(text)
    regions = quote_regions(text)
    cache: dict[Value, frozenset[int]] = {}

    def toks(v: Value) -> frozenset[int]:
        if v not in cache:
            cache[v] = tokens.indices(v)
        return cache[v]

    def role_score(g: Value, s: Value) -> float:
        return jaccard(toks(g), toks(s))

    def triple_score(g: Triple, s: Triple) -> float | None:
        js = [role_score(a, b) for a, b in zip(g, s)]
        return _triple_rank(js) if all(j >= tau for j in js) else None

    counts: dict[str, dict[str, Counts]] = {"exact": {}, "overlap": {}}
    for kind in ITEMS:
        gl, sl = g_items[kind], s_items[kind]
        fn = triple_score if kind == "triple" else role_score
        s_set = set(sl)
        g_set = set(gl)
        matched = {
            "exact": ({i for i, v in enumerate(gl) if v in s_set}, {i for i, v in enumerate(sl) if v in g_set}),
        }
        pairs = greedy_match(gl, sl, fn, tau)
        matched["overlap"] = ({gi for gi, _ in pairs}, {si for _, si in pairs})
        for mode, (mg, ms) in matched.items():
            counts[mode][kind] = Counts(len(ms), len(sl), len(mg), len(gl))
            if kind in SPLIT_ITEMS:
                g_dir = [is_direct(_content_of(kind, v), regions) for v in gl]
                s_dir = [is_direct(_content_of(kind, v), regions) for v in sl]
                for label, want in (("direct", True), ("other", False)):
                    c = Counts()
                    c.n_gold = sum(1 for d in g_dir if d is want)
                    c.tp_gold = sum(1 for i in mg if g_dir[i] is want)
                    c.n_sys = sum(1 for d in s_dir if d is want)
                    c.tp_sys = sum(1 for i in ms if s_dir[i] is want)
                    counts[mode][f"{kind}/{label}"] = c
    return ArticleScore(counts)


class Scoreboard:
    """Accumulates article scores into micro-averaged figures."""

    def __init__(self) -> None:
        self.counts: dict[str, dict[str, Counts]] = {"exact": {}, "overlap": {}}
        self.articles = 0
        self.gold = 0
        self.system = 0

    def add(
        self,
        text: str,
        gold: Sequence[Mapping[str, Any]],
        system: Sequence[Mapping[str, Any]],
        tau: float = TAU,
    ) -> ArticleScore:
        res = score_article(text, gold, system, tau)
        self.articles += 1
        self.gold += len(gold)
        self.system += len(system)
        for mode, table in res.counts.items():
            for name, c in table.items():
                self.counts[mode].setdefault(name, Counts()).add(c)
        return res

    def result(self) -> dict[str, Any]:
        """``{"exact": {...}, "overlap": {...}, "direct": {...}, "other": {...}, counts}``."""
        out: dict[str, Any] = {}
        for mode in ("exact", "overlap"):
            table = self.counts[mode]
            out[mode] = {k: table.get(k, Counts()).to_dict() for k in ITEMS}
        for label in ("direct", "other"):
            out[label] = {
                mode: {k: self.counts[mode].get(f"{k}/{label}", Counts()).to_dict() for k in SPLIT_ITEMS}
                for mode in ("exact", "overlap")
            }
        out["articles"] = self.articles
        out["gold"] = self.gold
        out["system"] = self.system
        return out


def score_corpus(
    articles: Iterable[tuple[str, Sequence[Mapping[str, Any]], Sequence[Mapping[str, Any]]]],
    tau: float = TAU,
) -> dict[str, Any]:
    """Score ``(text, gold attributions, system attributions)`` triples; see :class:`Scoreboard`."""
    board = Scoreboard()
    for text, gold, system in articles:
        board.add(text, gold, system, tau)
    return board.result()


def metric(result: Mapping[str, Any], path: str) -> float:
    """A figure of a result by dotted path, e.g. ``"direct.overlap.content.f1"``."""
    node: Any = result
    for part in path.split("."):
        node = node[part]
    return float(node)
