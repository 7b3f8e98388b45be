"""An averaged structured perceptron over label sequences, with Viterbi decoding.

Small, dependency-free and fast enough on one core: the engine's learned stages (cue tagging
and the per-cue source/content tagging) are linear models over sparse string features, so
the weights ship as one ``.npz`` file (:mod:`saidwho.learn.npz`) and load without any ML
framework.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from . import npz


class SequencePerceptron:
    """Labels a sequence of feature lists; first-order transitions between labels."""

    def __init__(self, labels: Sequence[str]) -> None:
        self.labels = list(labels)
        self.n = len(self.labels)
        self._w: dict[str, list[float]] | None = {}
        # a loaded model's weights, until something asks for ``w``: feature -> offset into one
        # flat list of floats (no list per feature to build at start-up; see :meth:`load`)
        self._offset: dict[str, int] | None = None
        self._flat: list[float] = []
        # transitions[prev][cur]; prev index n is the start state
        self.trans = [[0.0] * self.n for _ in range(self.n + 1)]
        # averaging bookkeeping (training only)
        self._u: dict[str, list[float]] = {}
        self._ut = [[0.0] * self.n for _ in range(self.n + 1)]
        self._c = 1

    @property
    def w(self) -> dict[str, list[float]]:
        """``feature -> [weight of each label]`` (built from the loaded form on first use)."""
        if self._w is None:
            flat, n = self._flat, self.n
            with npz.no_gc():
                self._w = {f: flat[k : k + n] for f, k in self._offset.items()}
            self._offset, self._flat = None, []
        return self._w

    @w.setter
    def w(self, weights: dict[str, list[float]]) -> None:
        self._w, self._offset, self._flat = weights, None, []

    def row(self, f: str) -> list[float] | None:
        """One feature's weights (None when the model has none), without building :attr:`w`."""
        if self._w is None:
            k = self._offset.get(f)
            return None if k is None else self._flat[k : k + self.n]
        return self._w.get(f)

    # -- inference -------------------------------------------------------------------------
    def emissions(
        self, feats: Sequence[Sequence[str]], start: Sequence[Sequence[float]] | None = None
    ) -> list[list[float]]:
        """Each position's label scores: the sum of its features' weights, added to
        ``start[i]`` when given (scores of other features of the same positions)."""
        n = self.n
        out = []
        if n == 3 and self._w is None:  # as below, reading the loaded form
            get, flat = self._offset.get, self._flat
            for k, fs in enumerate(feats):
                a, b, c = start[k] if start is not None else (0.0, 0.0, 0.0)
                for f in fs:
                    j = get(f)
                    if j is not None:
                        a += flat[j]
                        b += flat[j + 1]
                        c += flat[j + 2]
                out.append([a, b, c])
            return out
        w = self.w
        if n == 3:  # the engine's two models: unrolled, it is the hot loop of the engine
            get = w.get
            for k, fs in enumerate(feats):
                a, b, c = start[k] if start is not None else (0.0, 0.0, 0.0)
                for f in fs:
                    v = get(f)
                    if v is not None:
                        a += v[0]
                        b += v[1]
                        c += v[2]
                out.append([a, b, c])
            return out
        for k, fs in enumerate(feats):
            row = list(start[k]) if start is not None else [0.0] * n
            for f in fs:
                v = w.get(f)
                if v is not None:
                    for k in range(n):
                        row[k] += v[k]
            out.append(row)
        return out

    def decode(
        self,
        feats: Sequence[Sequence[str]],
        allowed: Sequence[Sequence[bool]] | None = None,
        bias: Sequence[float] | None = None,
    ) -> list[int]:
        """Best label index sequence; ``allowed[i][k]`` False forbids label k at position i;
        ``bias[k]`` is added to every emission of label k (trades precision for recall)."""
        if not feats:
            return []
        return self.viterbi(self.emissions(feats), allowed, bias)

    def viterbi(
        self,
        em: Sequence[Sequence[float]],
        allowed: Sequence[Sequence[bool]] | None = None,
        bias: Sequence[float] | None = None,
    ) -> list[int]:
        """Best label sequence for precomputed emission scores (see :meth:`decode`)."""
        if not em:
            return []
        if bias is not None:
            em = [[e + b for e, b in zip(row, bias)] for row in em]
        n = self.n
        neg = -1e18
        tr = self.trans
        if n == 3:  # the engine's two models: unrolled, same sums and the same tie-breaking
            return self._viterbi3(em, allowed)
        score = [tr[n][k] + em[0][k] for k in range(n)]
        if allowed is not None:
            score = [s if allowed[0][k] else neg for k, s in enumerate(score)]
        back: list[list[int]] = []
        for i in range(1, len(em)):
            new = [0.0] * n
            bp = [0] * n
            for k in range(n):
                if allowed is not None and not allowed[i][k]:
                    new[k] = neg
                    continue
                best, arg = neg * 2, 0
                for j in range(n):
                    s = score[j] + tr[j][k]
                    if s > best:
                        best, arg = s, j
                new[k] = best + em[i][k]
                bp[k] = arg
            back.append(bp)
            score = new
        k = max(range(n), key=lambda x: score[x])
        path = [k]
        for bp in reversed(back):
            k = bp[k]
            path.append(k)
        path.reverse()
        return path

    def _viterbi3(self, em: Sequence[Sequence[float]], allowed: Sequence[Sequence[bool]] | None) -> list[int]:
        """:meth:`viterbi` for three labels, written out: the first best previous label wins a
        tie, as in the general loop, and a label not allowed scores ``-1e18``."""
        neg = -1e18
        (t00, t01, t02), (t10, t11, t12), (t20, t21, t22), (i0, i1, i2) = self.trans
        e0, e1, e2 = em[0]
        s0, s1, s2 = i0 + e0, i1 + e1, i2 + e2
        if allowed is not None:
            ok0, ok1, ok2 = allowed[0]
            s0, s1, s2 = (s0 if ok0 else neg), (s1 if ok1 else neg), (s2 if ok2 else neg)
        back: list[tuple[int, int, int]] = []
        for i in range(1, len(em)):
            e0, e1, e2 = em[i]
            a, b, c = s0 + t00, s1 + t10, s2 + t20
            if a >= b:
                n0, p0 = (a, 0) if a >= c else (c, 2)
            else:
                n0, p0 = (b, 1) if b >= c else (c, 2)
            a, b, c = s0 + t01, s1 + t11, s2 + t21
            if a >= b:
                n1, p1 = (a, 0) if a >= c else (c, 2)
            else:
                n1, p1 = (b, 1) if b >= c else (c, 2)
            a, b, c = s0 + t02, s1 + t12, s2 + t22
            if a >= b:
                n2, p2 = (a, 0) if a >= c else (c, 2)
            else:
                n2, p2 = (b, 1) if b >= c else (c, 2)
            s0, s1, s2 = n0 + e0, n1 + e1, n2 + e2
            if allowed is not None:
                ok0, ok1, ok2 = allowed[i]
                if not ok0:
                    s0, p0 = neg, 0
                if not ok1:
                    s1, p1 = neg, 0
                if not ok2:
                    s2, p2 = neg, 0
            back.append((p0, p1, p2))
        k = 0 if s0 >= s1 and s0 >= s2 else 1 if s1 >= s2 else 2
        path = [k]
        for bp in reversed(back):
            k = bp[k]
            path.append(k)
        path.reverse()
        return path

    # -- training ---------------------------------------------------------------------------
    def update(self, feats: Sequence[Sequence[str]], gold: Sequence[int], allowed=None) -> bool:
        """One perceptron step on one sequence; returns True when the guess was wrong."""
        guess = self.decode(feats, allowed)
        if guess == list(gold):
            self._c += 1
            return False
        c = self._c
        n = self.n
        for i, (g, p) in enumerate(zip(gold, guess)):
            if g != p:
                for f in feats[i]:
                    v = self.w.get(f)
                    if v is None:
                        v = self.w[f] = [0.0] * n
                        self._u[f] = [0.0] * n
                    u = self._u[f]
                    v[g] += 1.0
                    v[p] -= 1.0
                    u[g] += c
                    u[p] -= c
            pg = gold[i - 1] if i else n
            pp = guess[i - 1] if i else n
            if pg != pp or g != p:
                self.trans[pg][g] += 1.0
                self.trans[pp][p] -= 1.0
                self._ut[pg][g] += c
                self._ut[pp][p] -= c
        self._c += 1
        return True

    def average(self, prune: float = 1e-3) -> None:
        """Replace weights by their average over all steps (and drop tiny ones)."""
        c = self._c
        for f, v in list(self.w.items()):
            u = self._u[f]
            avg = [v[k] - u[k] / c for k in range(self.n)]
            if max(abs(x) for x in avg) < prune:
                del self.w[f]
            else:
                self.w[f] = [round(x, 4) for x in avg]
        self.trans = [[round(self.trans[j][k] - self._ut[j][k] / c, 4) for k in range(self.n)] for j in range(self.n + 1)]
        self._u = {}

    @classmethod
    def mean(cls, models: Sequence["SequencePerceptron"]) -> "SequencePerceptron":
        """The element-wise mean of trained models over the same labels: a model trained with
        several shuffling seeds and averaged varies less with the seed than any one of them."""
        if not models or any(m.labels != models[0].labels for m in models):
            raise ValueError("mean() needs one or more models over the same labels")
        out = cls(models[0].labels)
        k, n = len(models), out.n
        for m in models:
            for f, v in m.w.items():
                acc = out.w.get(f)
                if acc is None:
                    acc = out.w[f] = [0.0] * n
                for i in range(n):
                    acc[i] += v[i]
        out.w = {f: [round(x / k, 4) for x in v] for f, v in out.w.items()}
        out.trans = [[round(sum(m.trans[j][i] for m in models) / k, 4) for i in range(n)] for j in range(n + 1)]
        return out

    # -- persistence ------------------------------------------------------------------------
    def to_dict(self) -> dict:
        return {"labels": self.labels, "trans": self.trans, "weights": self.w}

    @classmethod
    def from_dict(cls, d: dict) -> "SequencePerceptron":
        m = cls(d["labels"])
        m.trans = d["trans"]
        m.w = d["weights"]
        return m

    def save(self, path: str, **meta) -> None:
        """Write the model as ``.npz``: labels, transitions, feature names and their weights
        (float64, the numbers as they are), and ``meta`` (training facts) as JSON."""
        names, weights = npz.table_arrays(self.w, self.n)
        npz.save(
            path,
            labels=npz.text_array(self.labels),
            trans=np.array(self.trans, dtype=np.float64),
            names=names,
            weights=weights,
            meta=npz.text_array(meta),
        )

    @classmethod
    def load(cls, path: str) -> "SequencePerceptron":
        z = npz.load(path)
        m = cls(npz.array_text(z["labels"]))
        m.trans = z["trans"].tolist()
        names = npz.array_text(z["names"])
        with npz.no_gc():
            m._offset = dict(zip(names, range(0, m.n * len(names), m.n)))
            m._flat = z["weights"].ravel().tolist()
        m._w = None
        return m
