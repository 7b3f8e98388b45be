"""The engine keeps the options it was built from; the older model/recall keywords build them."""

from __future__ import annotations

import pytest

from saidwho import Engine
from saidwho.errors import InputError
from saidwho.options import PRESETS, EngineOptions


def test_engine_keeps_its_options(engine, monkeypatch):
    monkeypatch.delenv("SAIDWHO_RECALL", raising=False)
    assert engine.options == EngineOptions.from_env()
    opts = PRESETS["off"].replace(model=engine.options.model)
    assert Engine(options=opts, nlp=engine.nlp).options is opts


def test_older_keywords_build_the_options(engine):
    e = Engine(model="some_model", nlp=engine.nlp, recall="sentence")
    assert e.options == PRESETS["sentence"].replace(model="some_model")


def test_options_and_older_keywords_together_are_refused(engine):
    with pytest.raises(InputError, match="not both"):
        Engine(options=PRESETS["off"], recall="off", nlp=engine.nlp)
    with pytest.raises(InputError, match="recall must be one of"):
        Engine(recall="everything", nlp=engine.nlp)


def test_recall_off_builds_no_candidates_and_never_loads_a_judge(engine):
    from saidwho.engine import build_nlp
    from saidwho.pipeline import models

    before = models.load_acceptor.cache_info().currsize
    nlp = build_nlp(PRESETS["off"].replace(model=engine.options.model))
    assert nlp.get_pipe("saidwho_cues").candidate_bias == 0
    att = nlp.get_pipe("saidwho_attribute")
    assert att.use_acceptor is False and att.acceptor is None
    nlp("“We will win,” the coach said, according to a report that was raising questions.")
    assert models.load_acceptor.cache_info().currsize == before


def test_options_reach_the_stages(engine):
    cues, att = engine.nlp.get_pipe("saidwho_cues"), engine.nlp.get_pipe("saidwho_attribute")
    o = engine.options
    assert (cues.candidate_bias, att.acceptor_name, att.threshold) == (o.candidate_bias, o.judge, o.judge_threshold)
