"""Where an indirect content starts and stops: a learned choice among parse constituents.

The role tagger labels each token on its own, so a content it finds can stop inside a phrase
("the unseemly specter of her husband" | "making millions …") or run on past where the
reported words end (", which …", ", after …"). This stage takes the tagger's content run and
puts beside it the spans the parse offers: the subtree of each dependent of the cue, runs of
its successive dependents ("painted Romney | as an out-of-touch rich guy"), the run cut where
a modifier starts, the run grown to the edge of a phrase it stops inside. A linear ranker,
trained on PolNeAR train with the role tagger's cross-fitted output (see
:mod:`saidwho.learn.train_extent`), scores each candidate from how it was made, what the
tagger thinks of the tokens it adds or drops (scaled by the tagger's own confidence in the
window, so that models of different strength read alike), and the words at its edges; the
best one wins. The tagger's run is always a candidate, so the ranker only moves a boundary
when its features say so.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from . import npz
from .features import DocInfo, cue_head

#: dependents of the cue whose subtree may be the whole content
_SUB_DEPS = frozenset({"ccomp", "xcomp", "dobj", "prep", "advcl", "conj", "oprd", "dative", "attr", "acomp", "pcomp", "npadvmod", "parataxis"})
#: modifiers at whose first word a content may end
_CUT_DEPS = frozenset({"relcl", "appos", "acl", "advcl", "conj", "prep", "cc", "punct", "npadvmod", "parataxis", "ccomp"})
_FUNCTION = frozenset({"that", "to", "how", "whether", "if", "why", "what", "about", "of", "for", "on", "as", "the", "a", "an", "with", "in", "by"})
_MAX_CANDIDATES = 24


def _word(info: DocInfo, i: int) -> str:
    """A token for a boundary feature: function words and punctuation as they are, else the POS."""
    if i < 0 or i >= len(info.low):
        return "<edge>"
    w = info.low[i]
    if w in _FUNCTION or info.pos[i] == "PUNCT" or info.pos[i] in ("SCONJ", "CCONJ"):
        return w
    return info.pos[i]


def _bucket(x: float, cuts: Sequence[float]) -> str:
    for c in cuts:
        if x <= c:
            return str(c)
    return "inf"


def extent_candidates(
    info: DocInfo,
    cs: int,
    ce: int,
    lo: int,
    path: Sequence[int],
    em: Sequence[Sequence[float]],
    run: tuple[int, int],
    source: tuple[int, int] | None,
) -> list[tuple[tuple[int, int], dict[str, float]]]:
    """``[(span, features)]`` for the cue ``[cs, ce)`` whose role tagging over the window from
    ``lo`` gave ``path`` (label indices: 0 O, 1 source, 2 content), emissions ``em`` and the one
    content ``run``; the first candidate is ``run`` itself."""
    doc = info.doc
    hi = lo + len(path)
    sent_of = info.sent
    s_cue = sent_of[cs]
    spans: dict[tuple[int, int], str] = {run: "tagger"}

    def add(a: int, b: int, how: str) -> None:
        if b <= a or a < lo or b > hi or (a < ce and cs < b):
            return
        if source is not None and a < source[1] and source[0] < b:
            return
        if abs(sent_of[a] - s_cue) > 1 or abs(sent_of[b - 1] - s_cue) > 1:
            return
        while b > a + 1 and info.pos[b - 1] == "PUNCT" and info.low[b - 1] not in ('"', "”", "’", "'", ")"):
            b -= 1
        if (a, b) not in spans and len(spans) < _MAX_CANDIDATES:
            spans[(a, b)] = how

    h = cue_head(info, cs, ce)
    chain = [h]
    if info.dep[h] in ("xcomp", "conj", "advcl") and info.head[h] != h:
        chain.append(info.head[h])
    for x in chain:
        right = [c for c in info.kids[x] if c >= ce and not (cs <= c < ce)]
        for c in info.kids[x]:
            if cs <= c < ce or info.dep[c] not in _SUB_DEPS:
                continue
            t = doc[c]
            add(t.left_edge.i, t.right_edge.i + 1, "sub:" + info.dep[c])
            if info.dep[c] == "prep":
                for g in info.kids[c]:
                    if info.dep[g] in ("pobj", "pcomp"):
                        add(doc[g].left_edge.i, doc[g].right_edge.i + 1, "sub:pobj")
        right = [c for c in right if info.dep[c] not in ("punct", "cc")]
        if len(right) > 1:
            first = doc[right[0]].left_edge.i
            for c in right[1:3]:
                add(first, doc[c].right_edge.i + 1, "seq:" + info.dep[c])
    a0, b0 = run
    for t in range(a0, b0):
        for k in info.kids[t]:
            if k > t and info.dep[k] in _CUT_DEPS:
                le = doc[k].left_edge.i
                if a0 < le < b0:
                    add(a0, le, "cut:" + info.dep[k])
        tok = doc[t]
        if tok.right_edge.i + 1 > b0:
            add(a0, tok.right_edge.i + 1, "ext:" + info.dep[t])
        if tok.left_edge.i < a0:
            add(tok.left_edge.i, b0, "lext:" + info.dep[t])
    for k in range(a0 + 1, b0):
        if sent_of[k] != sent_of[k - 1]:
            add(a0, k, "cut:sent")
            break

    # how sure the tagger is in this window: the mean gap between its best and second label
    gaps = [r[-1] - r[-2] for r in map(sorted, em)]
    scale = max(1e-6, sum(gaps) / len(gaps))
    lex = info.lex[h]
    out = []
    for (a, b), how in spans.items():
        delta = 0.0
        for t in range(min(a, a0), max(b, b0)):  # outside both, nothing changes
            inside = a <= t < b
            was = path[t - lo]
            if inside and was != 2:
                delta += em[t - lo][2] - em[t - lo][was]
            elif not inside and was == 2:
                delta += em[t - lo][0] - em[t - lo][2]
        d = delta / scale
        gen = how.split(":")[0]
        ratio = (b - a) / max(1, b0 - a0)
        db = _bucket(d, (-40, -20, -10, -5, -2, 0))
        f = {
            "gen=" + how: 1.0,
            "g=" + gen: 1.0,
            "delta": max(-60.0, d) / 10.0,
            "db=" + db: 1.0,
            "gdb=" + gen + "|" + db: 1.0,
            "ratio=" + gen + "|" + _bucket(ratio, (0.3, 0.6, 0.9, 1.1, 1.5, 2.5)): 1.0,
            "end=" + gen + "|" + _word(info, b - 1) + "|" + _word(info, b): 1.0,
            "next=" + _word(info, b): 1.0,
            "first=" + gen + "|" + _word(info, a): 1.0,
            "lex=" + lex + "|" + how: 1.0,
            "hl=" + info.lem[h] + "|" + gen: 1.0,
            "side=" + ("L" if b <= cs else "R") + "|" + gen: 1.0,
        }
        if sent_of[b - 1] != sent_of[a]:
            f["xsent|" + gen] = 1.0
        if b < len(info.low) and sent_of[b] != sent_of[b - 1]:
            f["sentend|" + gen] = 1.0
        if info.quote[b - 1] >= 0 and (b >= len(info.low) or info.quote[b] == info.quote[b - 1]):
            f["endinquote|" + gen] = 1.0
        out.append(((a, b), f))
    return out


class ExtentRanker:
    """A linear scorer of candidate spans (averaged perceptron, trained as a ranker)."""

    def __init__(self, weights: dict[str, float] | None = None, margin: float = 0.0) -> None:
        self.w: dict[str, float] = dict(weights or {})
        self.margin = margin  # how far another candidate must outscore the tagger's run
        self._u: dict[str, float] = {}
        self._c = 1

    def score(self, feats: dict[str, float]) -> float:
        w = self.w
        return sum(w.get(k, 0.0) * v for k, v in feats.items())

    def best(self, cands: Sequence[tuple[tuple[int, int], dict[str, float]]], margin: float | None = None) -> int:
        """Index of the highest-scoring candidate; the first (the tagger's run) unless another
        outscores it by more than ``margin`` (default: the model's own)."""
        scores = [self.score(f) for _, f in cands]
        arg = 0
        for k in range(1, len(scores)):
            if scores[k] > scores[arg] + 1e-9:
                arg = k
        m = self.margin if margin is None else margin
        return arg if arg and scores[arg] > scores[0] + m else 0

    def update(self, cands: Sequence[tuple[tuple[int, int], dict[str, float]]], utility: Sequence[float]) -> bool:
        """One ranking step: toward the most useful candidate when the guess is less useful."""
        guess = self.best(cands, margin=0.0)
        # among the equally useful candidates, the one the ranker already likes best
        top = max(utility)
        target = max((k for k in range(len(cands)) if utility[k] == top), key=lambda k: (self.score(cands[k][1]), -k))
        if utility[guess] >= utility[target]:
            self._c += 1
            return False
        c = self._c
        for k, sign in ((target, 1.0), (guess, -1.0)):
            for f, v in cands[k][1].items():
                self.w[f] = self.w.get(f, 0.0) + sign * v
                self._u[f] = self._u.get(f, 0.0) + sign * v * c
        self._c += 1
        return True

    def average(self) -> None:
        c = self._c
        self.w = {f: round(v - self._u.get(f, 0.0) / c, 4) for f, v in self.w.items()}
        self.w = {f: v for f, v in self.w.items() if abs(v) >= 1e-4}
        self._u = {}

    def save(self, path: str, **meta) -> None:
        """Write the ranker as ``.npz`` (feature names, float64 weights, margin, ``meta``)."""
        names, weights = npz.table_arrays(dict(sorted(self.w.items())))
        npz.save(path, names=names, weights=weights, margin=np.float64(self.margin), meta=npz.text_array(meta))

    @classmethod
    def load(cls, path: str) -> "ExtentRanker":
        z = npz.load(path)
        return cls(npz.table(npz.array_text(z["names"]), z["weights"]), float(z["margin"]))
