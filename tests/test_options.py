"""EngineOptions: the presets, their checks, pickling, and what the engine makes of them."""

from __future__ import annotations

import pickle

import pytest

from saidwho import settings
from saidwho.errors import InputError
from saidwho.options import PRESETS, EngineOptions


def test_one_preset_per_recall_mode():
    assert set(PRESETS) == set(settings.RECALL_MODES)
    for mode, opts in PRESETS.items():
        assert opts.recall == mode
    off = PRESETS["off"]
    assert off.candidate_bias == 0 and off.judge is None
    assert PRESETS["window"].judge != PRESETS["sentence"].judge
    assert PRESETS["window"].judge_threshold == 0.45 and PRESETS["sentence"].judge_threshold is None


def test_the_learned_stages_read_their_numbers_from_the_presets():
    from saidwho.learn.acceptor import CANDIDATE_BIAS, ENGINE_THRESHOLDS, JUDGES
    from saidwho.learn.decode import ARTICLE_BOOST, ARTICLE_MARGIN
    from saidwho.learn.mlp import ROLE_MLP_WEIGHT

    w = PRESETS["window"]
    assert (CANDIDATE_BIAS, ARTICLE_BOOST, ARTICLE_MARGIN, ROLE_MLP_WEIGHT) == (
        w.candidate_bias, w.article_boost, w.article_margin, w.role_mlp_weight)
    assert JUDGES == {"window": w.judge, "sentence": PRESETS["sentence"].judge}
    assert ENGINE_THRESHOLDS == {"window": w.judge_threshold}


def test_preset_and_from_env(monkeypatch):
    monkeypatch.delenv("SAIDWHO_RECALL", raising=False)
    monkeypatch.setenv("SAIDWHO_MODEL", "some_model")
    assert EngineOptions.from_env() == PRESETS["window"].replace(model="some_model")
    monkeypatch.setenv("SAIDWHO_RECALL", "off")
    assert EngineOptions.from_env().recall == "off"
    assert EngineOptions.from_env(recall="sentence", model="m").replace(model="x") == PRESETS["sentence"].replace(model="x")
    assert EngineOptions.preset("off", model="m").model == "m"


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: EngineOptions.preset("everything"), "recall must be one of window, sentence, off"),
        (lambda: PRESETS["window"].replace(model=""), "model must be"),
        (lambda: PRESETS["window"].replace(candidate_bias=-1.0), "candidate_bias must be 0 or more"),
        (lambda: PRESETS["window"].replace(article_boost=float("nan")), "article_boost must be a finite number"),
        (lambda: PRESETS["window"].replace(judge_threshold=1.5), "judge_threshold must be"),
        (lambda: PRESETS["window"].replace(judge="weights.pkl"), "judge must be"),
        (lambda: PRESETS["off"].replace(candidate_bias=40.0), "recall 'off' takes no candidates"),
        (lambda: PRESETS["window"].replace(judge=None), "needs a candidate_bias above 0 and a judge"),
        (lambda: PRESETS["window"].replace(speed="fast"), "unknown engine option 'speed'"),
    ],
)
def test_bad_options_are_one_line_input_errors(make, message):
    with pytest.raises(InputError, match=message) as got:
        make()
    assert "\n" not in str(got.value)


def test_options_are_frozen_hashable_and_pickle():
    opts = PRESETS["sentence"].replace(model="m")
    with pytest.raises(AttributeError):
        opts.recall = "off"  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(opts)) == opts
    assert len({opts, PRESETS["sentence"].replace(model="m")}) == 1


def test_stage_configs_off_loads_no_judge():
    cues = PRESETS["off"].stage_configs()["saidwho_cues"]
    att = PRESETS["off"].stage_configs()["saidwho_attribute"]
    assert cues["candidate_bias"] == 0.0 and att["use_acceptor"] is False
    w = PRESETS["window"].stage_configs()
    assert w["saidwho_cues"]["candidate_bias"] == 40.0
    assert w["saidwho_attribute"] == {"mlp_weight": 60.0, "use_acceptor": True, "acceptor": "cue_acceptor.npz",
                                      "threshold": 0.45}


def test_the_stages_defaults_are_the_default_preset():
    import spacy

    from saidwho.pipeline.factories import register_factories

    register_factories()
    want = PRESETS[settings.DEFAULT_RECALL].stage_configs()
    for name, config in want.items():
        meta = spacy.language.Language.get_factory_meta(name)
        assert {k: meta.default_config[k] for k in config} == config
