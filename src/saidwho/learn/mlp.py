"""A small feed-forward network over a tagger's sparse features, run in NumPy.

The role tagger is linear: each token's label score is a sum of feature weights, so it cannot
weigh one feature differently in the presence of another (", which" after a noun the cue took
as its object, against "which" opening the reported clause). This network reads the same
feature strings, sums a learned vector for each (an embedding bag), joins each token's vector
with its neighbours' (``window`` on each side), and scores the labels through one hidden layer.
Its log-probabilities are added, with a weight, to the perceptron's emissions
(:class:`BlendedTagger`); decoding, transitions and everything after stay as they are.

Training needs PyTorch (:mod:`saidwho.learn.train_mlp`); running it needs only NumPy, and the
weights ship in ``data/role_mlp.npz``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import numpy as np

from ..options import PRESETS
from .perceptron import SequencePerceptron

#: The feature every token has, so that no token's bag is empty.
BIAS = "__bias__"

#: How much the network's log-probabilities count beside the role perceptron's emissions
#: (whose margins run to the hundreds); 0 leaves the perceptron alone. Chosen on PolNeAR dev;
#: set in ``saidwho.options.PRESETS``.
ROLE_MLP_WEIGHT = PRESETS["window"].role_mlp_weight


class FeatureMLP:
    """Label log-probabilities for a sequence of feature lists."""

    def __init__(
        self,
        vocab: Sequence[str],
        emb: np.ndarray,
        w1: np.ndarray,
        b1: np.ndarray,
        w2: np.ndarray,
        b2: np.ndarray,
        window: int,
    ) -> None:
        if not vocab or vocab[0] != BIAS:
            raise ValueError(f"the first feature of the vocabulary must be {BIAS!r}")
        if len(vocab) != len(emb):
            raise ValueError(f"{len(vocab)} features but {len(emb)} embedding rows")
        self.vocab = list(vocab)
        self.index = dict(zip(self.vocab, range(len(self.vocab))))
        self.emb = np.asarray(emb, dtype=np.float32)
        self.w1 = np.asarray(w1, dtype=np.float32)  # (2 * window + 1) * dim x hidden
        self.b1 = np.asarray(b1, dtype=np.float32)
        self.w2 = np.asarray(w2, dtype=np.float32)  # hidden x labels
        self.b2 = np.asarray(b2, dtype=np.float32)
        self.window = int(window)
        dim = self.emb.shape[1]
        if self.w1.shape[0] != (2 * self.window + 1) * dim or self.w2.shape[0] != self.w1.shape[1]:
            raise ValueError("inconsistent layer shapes")

    @property
    def n_labels(self) -> int:
        return int(self.w2.shape[1])

    def encode(self, feats: Sequence[Sequence[str]]) -> tuple[list[int], list[int]]:
        """Feature ids of all tokens in one list, and where each token's ids start (unknown
        features are dropped; every token has the bias feature, id 0)."""
        get = self.index.get
        ids: list[int] = []
        starts: list[int] = []
        for fs in feats:
            starts.append(len(ids))
            ids.append(0)
            # filter(None, …) drops the unknown features (None) and would drop id 0, the bias,
            # which no feature string names (a string equal to BIAS is not a feature)
            ids.extend(filter(None, map(get, fs)))
        return ids, starts

    def logprobs(self, feats: Sequence[Sequence[str]]) -> np.ndarray:
        """``(len(feats), labels)`` log-probabilities; tokens beyond the sequence's ends are
        zero vectors, as in training."""
        if not feats:
            return np.zeros((0, self.n_labels), dtype=np.float32)
        return self.logprobs_of_ids(*self.encode(feats))

    def logprobs_of_ids(self, ids: list[int], starts: list[int]) -> np.ndarray:
        """:meth:`logprobs` from the feature ids :meth:`encode` gives (one token per start)."""
        n = len(starts)
        bags = np.add.reduceat(self.emb[ids], starts, axis=0)
        w = self.window
        if w:
            padded = np.zeros((n + 2 * w, bags.shape[1]), dtype=np.float32)
            padded[w : w + n] = bags
            x = np.concatenate([padded[k : k + n] for k in range(2 * w + 1)], axis=1)
        else:
            x = bags
        h = np.maximum(x @ self.w1 + self.b1, 0.0)
        out = h @ self.w2 + self.b2
        out -= out.max(axis=1, keepdims=True)
        return out - np.log(np.exp(out).sum(axis=1, keepdims=True))

    # -- persistence ------------------------------------------------------------------------
    def save(self, path: str, **meta: str) -> None:
        """Write the network as one ``.npz`` (weights as float16, the vocabulary as a JSON list:
        feature strings may hold any character, newlines included)."""
        np.savez_compressed(
            path,
            vocab=np.frombuffer(json.dumps(self.vocab, ensure_ascii=False).encode("utf-8"), dtype=np.uint8),
            emb=self.emb.astype(np.float16),
            w1=self.w1.astype(np.float16),
            b1=self.b1,
            w2=self.w2,
            b2=self.b2,
            window=np.array(self.window),
            meta=np.frombuffer(repr(sorted(meta.items())).encode("utf-8"), dtype=np.uint8),
        )

    @classmethod
    def load(cls, path: str) -> "FeatureMLP":
        with np.load(path) as z:
            vocab = json.loads(bytes(z["vocab"]).decode("utf-8"))
            return cls(vocab, z["emb"], z["w1"], z["b1"], z["w2"], z["b2"], int(z["window"]))


class BlendedTagger:
    """A perceptron tagger whose emissions get ``weight`` × the network's log-probabilities.

    Offers what decoding uses of a :class:`SequencePerceptron` (``emissions``, ``viterbi``,
    ``decode``, ``labels``), with the perceptron's own transitions."""

    def __init__(self, perceptron: SequencePerceptron, mlp: FeatureMLP, weight: float) -> None:
        if mlp.n_labels != perceptron.n:
            raise ValueError("the network and the perceptron have different labels")
        self.perceptron = perceptron
        self.mlp = mlp
        self.weight = float(weight)
        self.labels = perceptron.labels
        self.n = perceptron.n
        self.trans = perceptron.trans
        # each feature met so far: its perceptron weights (or None) and network id (or 0)
        self._joint_table: dict[str, tuple[list[float] | None, int]] = {}

    def emissions(self, feats: Sequence[Sequence[str]]) -> list[list[float]]:
        if not feats or not self.weight or self.n != 3:
            em = self.perceptron.emissions(feats)
            if not em or not self.weight:
                return em
            return (np.asarray(em, dtype=np.float32) + self.weight * self.mlp.logprobs(feats)).tolist()
        # one pass over the feature strings for both models (the same sums, in the same order,
        # and the same network ids as perceptron.emissions and mlp.encode): one lookup each
        em: list[list[float]] = []
        ids: list[int] = []
        starts: list[int] = []
        get, meet = self._joint_table.get, self._meet
        for fs in feats:
            a = b = c = 0.0
            starts.append(len(ids))
            ids.append(0)
            for f in fs:
                j = get(f)
                if j is None:
                    j = meet(f)
                    if j is None:
                        continue
                v, k = j
                if v is not None:
                    a += v[0]
                    b += v[1]
                    c += v[2]
                if k:
                    ids.append(k)
            em.append([a, b, c])
        return (np.asarray(em, dtype=np.float32) + self.weight * self.mlp.logprobs_of_ids(ids, starts)).tolist()

    def _meet(self, f: str) -> tuple[list[float] | None, int] | None:
        """A feature's entry, the first time it is met: its perceptron weights and network id,
        kept for the next time (None, and not kept, for a feature neither model knows; the bias
        feature is the network's own). The table grows with the features met instead of being
        built whole at start-up (it would cost a quarter of a second before the first text)."""
        if f == BIAS:
            return None
        v, k = self.perceptron.row(f), self.mlp.index.get(f, 0)
        if v is None and not k:
            return None
        j = self._joint_table[f] = (v, k)
        return j

    def viterbi(self, em, allowed=None, bias=None) -> list[int]:
        return self.perceptron.viterbi(em, allowed, bias)

    def decode(self, feats, allowed=None, bias=None) -> list[int]:
        return self.viterbi(self.emissions(feats), allowed, bias)
