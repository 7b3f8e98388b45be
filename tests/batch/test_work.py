"""An EngineSpec carries the engine's options to a worker: it pickles and rebuilds the same engine."""

from __future__ import annotations

import pickle

from saidwho.batch import EngineSpec
from saidwho.options import PRESETS, EngineOptions


def test_spacy_spec_carries_the_environments_options(monkeypatch):
    monkeypatch.setenv("SAIDWHO_MODEL", "some_model")
    monkeypatch.setenv("SAIDWHO_RECALL", "off")
    spec = EngineSpec.spacy()
    assert dict(spec.kwargs) == {"options": PRESETS["off"].replace(model="some_model")}
    assert dict(EngineSpec.spacy("other").kwargs)["options"].model == "other"


def test_pickled_spec_rebuilds_an_engine_with_equal_options():
    opts = EngineOptions.preset("off")
    spec = EngineSpec.spacy(options=opts)
    back = pickle.loads(pickle.dumps(spec))
    assert back == spec and hash(back) == hash(spec)
    engine = back.build()
    assert engine.options == opts
    assert engine.nlp.get_pipe("saidwho_cues").candidate_bias == 0
