"""A second look at the cues the tagger nearly took: keep the attributions they make when they look right.

The cue tagger decides each cue from the words around it, before anyone has looked for a
source or a content. Decoded again with a bias toward cues (``CANDIDATE_BIAS``), it offers
more spans ("is raising questions about", "stripping out a call for"); taken all together
they are right too rarely to pay. But once the role tagger has read a candidate's source and
content, the whole attribution says more than the cue did: a proper-noun source, a content
opening with "that" or a quotation mark, a reporting verb in the lexicons. A logistic model
over such features (:func:`candidate_features`) gives the probability that the attribution
matches a gold one; it is added when that probability reaches ``threshold``.

Feature strings still miss how the sentence uses its words, and that is what separates most
right candidates from wrong ones. The shipped model is therefore *contextual*: beside the
feature strings it weighs the candidate's MiniLM vectors (:mod:`saidwho.learn.context`:
sentence, cue, content and source, standardised), which on cross-fitted train made a wider
candidate net pay (``CANDIDATE_BIAS`` 40 instead of 20; docs/evaluation.md). A model without
the dense part (``dense`` None) is the plain logistic model over feature strings.

The model is trained on PolNeAR train, cross-fitted (``python -m saidwho.learn.train_acceptor``):
each half of train is tagged by cue, role and network models trained on the other half, so the
candidates and their labels are those of text the models have not seen.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence

import numpy as np
from spacy.tokens import Doc

from ..lexicon import wordlist
from ..options import PRESETS
from . import npz
from .context import LAYERS, MAX_PIECES
from .features import DocInfo, cue_head

#: The cue tagger's bias for the candidate pass (its scores for B and I, against O); chosen
#: on cross-fitted train with the contextual judge (20 and 40 measured). Set in
#: ``saidwho.options.PRESETS``, as are the two names below.
CANDIDATE_BIAS = PRESETS["window"].candidate_bias

#: The packaged judges, by how much of a candidate's sentence they read: ``window`` (the
#: default: 2 MiniLM layers over 17 wordpieces around the cue) and ``sentence`` (3 layers over
#: up to 126 wordpieces: a little better, several times the cost).
JUDGES = {mode: PRESETS[mode].judge for mode in ("window", "sentence")}

#: Adding an attribution that is right with probability p raises F1 when p exceeds about F1 / 2;
#: cross-fitted content overlap F1 on train is about 0.71, so the bar is set at 0.35.
THRESHOLD = 0.35

#: The bar the engine sets for a judge where it differs from the one in the judge's file. On
#: real pages the window judge's candidates between 0.35 and 0.45 were nearly all wrong (the
#: real-page dev split: 8 added, 1 right); at 0.45 PolNeAR dev keeps its floors
#: (docs/evaluation.md, "The recall pass on real pages").
ENGINE_THRESHOLDS = {m: o.judge_threshold for m, o in PRESETS.items() if o.judge_threshold is not None}

_LEXICONS = ("cue_verbs", "belief_verbs", "cue_nouns", "core_cues")


def _bucket(x: float, edges: Sequence[float]) -> str:
    for e in edges:
        if x <= e:
            return str(e)
    return "big"


def candidate_features(info: DocInfo, record: dict, margin: float, cues_in_sentence: int) -> list[str]:
    """Feature strings of one candidate attribution (a record of ``extract``, in characters),
    its cue's tagger margin and how many kept attributions its sentence already has."""
    doc: Doc = info.doc
    cs = doc.char_span(*record["cue"], alignment_mode="expand")
    h = cue_head(info, cs.start, cs.end)
    lem, pos = info.lem[h], info.pos[h]
    lex = [n for n in _LEXICONS if lem in wordlist(n)] or ["none"]
    m = _bucket(margin, (-15, -10, -6, -3, 0, 3))
    f = [
        f"lem={lem}",
        f"pos={pos}",
        f"tag={doc[h].tag_}",
        f"dep={info.dep[h]}",
        f"ncue={min(len(cs), 4)}",
        f"kind={record['kind']}",
        f"m={m}",
        f"cueq={info.quote[cs.start] >= 0}",
        f"that={bool(info.that[h])}",
        f"subj={any(x in ('nsubj', 'nsubjpass') for x in info.cdeps[h])}",
        f"sentc={min(cues_in_sentence, 2)}",
        f"words={cs.text.lower()}",
    ]
    f += [f"lex={x}" for x in lex]
    src = "none"
    if record["source"]:
        root = doc.char_span(*record["source"], alignment_mode="expand").root
        src = root.pos_
        f += [f"src={src}", f"srcent={root.ent_type_ or '-'}", f"srcdep={root.dep_}"]
    else:
        f.append("src=none")
    first = doc.char_span(*record["content"][0], alignment_mode="expand")
    length = sum(b - a for a, b in record["content"])
    f += [
        f"clen={_bucket(length, (10, 25, 50, 100, 200))}",
        f"cfirst={first[0].lower_ if first else '-'}",
        f"cpos={first[0].pos_ if first else '-'}",
        f"nfrag={min(len(record['content']), 3)}",
        f"kind+src={record['kind']}|{src}",
        f"lex+that={lex[0]}|{bool(info.that[h])}",
        f"pos+m={pos}|{m}",
    ]
    return f


class CueAcceptor:
    """Logistic regression over feature strings (weights in a dict; unknown features count 0),
    plus, when ``dense`` is given, a linear term over the candidate's standardised context
    vector: ``dense · (vector - mean) / scale``."""

    def __init__(
        self,
        weights: dict[str, float] | None = None,
        bias: float = 0.0,
        threshold: float = THRESHOLD,
        dense: Sequence[float] | None = None,
        mean: Sequence[float] | None = None,
        scale: Sequence[float] | None = None,
        layers: int = LAYERS,
        max_pieces: int = MAX_PIECES,
    ) -> None:
        self.weights = dict(weights or {})
        # how the context vectors it was trained on were read (learn/context.py)
        self.layers = int(layers)
        self.max_pieces = int(max_pieces)
        self.bias = float(bias)
        self.threshold = float(threshold)
        self.dense = None if dense is None else np.asarray(dense, dtype=np.float32)
        if self.dense is not None:
            n = len(self.dense)
            self.mean = np.zeros(n, np.float32) if mean is None else np.asarray(mean, dtype=np.float32)
            self.scale = np.ones(n, np.float32) if scale is None else np.asarray(scale, dtype=np.float32)
            if len(self.mean) != n or len(self.scale) != n:
                raise ValueError("dense weights, mean and scale differ in length")

    @property
    def contextual(self) -> bool:
        """Whether the model needs a context vector for each candidate."""
        return self.dense is not None

    def probability(self, feats: Sequence[str], vector: np.ndarray | None = None) -> float:
        get = self.weights.get
        z = self.bias + sum(get(f, 0.0) for f in feats)
        if self.dense is not None:
            if vector is None:
                raise ValueError("this judge reads a context vector for each candidate")
            z += float(((np.asarray(vector, dtype=np.float32) - self.mean) / self.scale) @ self.dense)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def accepts(self, feats: Sequence[str], vector: np.ndarray | None = None) -> bool:
        return self.probability(feats, vector) >= self.threshold

    @classmethod
    def fit(
        cls,
        examples: Sequence[tuple[Sequence[str], int]],
        epochs: int = 30,
        l2: float = 1e-3,
        lr: float = 0.3,
        min_count: int = 2,
        seed: int = 0,
    ) -> "CueAcceptor":
        """Fit on ``(features, label)`` pairs by AdaGrad on the log loss, with L2; features seen
        fewer than ``min_count`` times are left out."""
        counts = Counter(f for x, _ in examples for f in x)
        names = sorted(f for f, c in counts.items() if c >= min_count)
        index = {f: i for i, f in enumerate(names)}
        n = len(names)
        w = [0.0] * (n + 1)  # the last weight is the bias
        g2 = [1e-8] * (n + 1)
        rows = [([index[f] for f in x if f in index] + [n], y) for x, y in examples]
        order = list(range(len(rows)))
        rng = random.Random(seed)
        for _ in range(epochs):
            rng.shuffle(order)
            for k in order:
                ids, y = rows[k]
                z = sum(w[i] for i in ids)
                p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
                for i in ids:
                    g = (p - y) + l2 * w[i]
                    g2[i] += g * g
                    w[i] -= lr * g / math.sqrt(g2[i])
        return cls({f: w[i] for f, i in index.items() if w[i]}, w[n])

    def save(self, path: str, **meta) -> None:
        """Write the judge as ``.npz``: the feature weights, bias and threshold, the dense part
        (weights, mean, scale and the reading: layers, wordpieces) when it has one, ``meta``.
        Numbers are rounded to 6 decimals and kept as float64."""
        names, weights = npz.table_arrays({f: round(v, 6) for f, v in sorted(self.weights.items())})
        arrays = {
            "names": names,
            "weights": weights,
            "bias": np.float64(round(self.bias, 6)),
            "threshold": np.float64(self.threshold),
            "meta": npz.text_array(meta),
        }
        if self.dense is not None:
            for k, v in (("dense", self.dense), ("mean", self.mean), ("scale", self.scale)):
                arrays[k] = np.array([round(float(x), 6) for x in v], dtype=np.float64)
            arrays["reading"] = np.array([self.layers, self.max_pieces], dtype=np.int64)
        npz.save(path, **arrays)

    @classmethod
    def load(cls, path: str) -> "CueAcceptor":
        z = npz.load(path)
        weights = npz.table(npz.array_text(z["names"]), z["weights"])
        bias, threshold = float(z["bias"]), float(z["threshold"])
        if "dense" not in z:
            return cls(weights, bias, threshold)
        layers, max_pieces = (int(x) for x in z["reading"])
        return cls(weights, bias, threshold, z["dense"], z["mean"], z["scale"], layers, max_pieces)
