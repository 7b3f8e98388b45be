"""The shipped models' ``.npz`` format: what is saved is what loads, number for number, and the
converter from the former JSON files keeps every weight."""

import json
import random

import numpy as np
import pytest

from saidwho.learn.acceptor import CueAcceptor
from saidwho.learn.convert_models import convert, kind_of
from saidwho.learn.extent import ExtentRanker
from saidwho.learn.perceptron import SequencePerceptron
from saidwho.pipeline.models import load_extent_model, load_model

#: feature strings as the trainers make them, and some no trainer would, but a format must carry
ODD = ["w=said", "lem=é|ü", "pre=\n", "q=“", "tab=\t|x", "nul=\x00", "emoji=🙂", 'quote="', "back=\\"]


def _perceptron(seed: int = 0) -> SequencePerceptron:
    rng = random.Random(seed)
    m = SequencePerceptron(["O", "B", "I"])
    m.w = {f: [round(rng.uniform(-50, 50), 4) for _ in range(3)] for f in ODD + [f"f{k}" for k in range(300)]}
    m.trans = [[round(rng.uniform(-5, 5), 4) for _ in range(3)] for _ in range(4)]
    return m


def test_a_tagger_loads_back_bit_for_bit(tmp_path):
    m = _perceptron()
    m.w["tiny"] = [1e-4, -0.0001, 123456.7891]
    path = tmp_path / "tagger.npz"
    m.save(str(path), trained_on="our own numbers", seeds=[0, 1])
    back = SequencePerceptron.load(str(path))
    assert back.labels == m.labels and back.trans == m.trans
    assert back.w == m.w and list(back.w) == list(m.w)
    assert all(type(x) is float for v in back.w.values() for x in v)
    feats = [["w=said", "nul=\x00"], ["f3", "unknown"], ["pre=\n"]]
    assert back.decode(feats) == m.decode(feats) and back.emissions(feats) == m.emissions(feats)


def test_model_files_must_be_npz(tmp_path):
    with pytest.raises(ValueError, match=".npz"):
        _perceptron().save(str(tmp_path / "tagger.json"))


def test_a_ranker_and_a_judge_load_back_bit_for_bit(tmp_path):
    r = ExtentRanker({f: float(k) / 7 for k, f in enumerate(ODD)}, margin=1.5)
    r.save(str(tmp_path / "ranker.npz"), epochs=5)
    back = ExtentRanker.load(str(tmp_path / "ranker.npz"))
    assert back.w == r.w and back.margin == 1.5

    j = CueAcceptor({f: round(k / 3, 6) for k, f in enumerate(ODD)}, bias=-0.25, threshold=0.35,
                    dense=[0.5, -1.25], mean=[0.0, 1.0], scale=[2.0, 0.5], layers=2, max_pieces=17)
    j.save(str(tmp_path / "judge.npz"), examples=3)
    back = CueAcceptor.load(str(tmp_path / "judge.npz"))
    assert (back.weights, back.bias, back.threshold, back.layers, back.max_pieces) == (j.weights, -0.25, 0.35, 2, 17)
    assert np.array_equal(back.dense, j.dense) and np.array_equal(back.mean, j.mean) and np.array_equal(back.scale, j.scale)


def test_the_converter_keeps_every_weight_of_a_json_model(tmp_path):
    m = _perceptron(1)
    src = tmp_path / "tagger.json"
    # the former format: labels, transitions and weights beside the training facts
    src.write_text(json.dumps({"trained_on": "x", "labels": m.labels, "trans": m.trans, "weights": m.w}), "utf-8")
    dest = convert(src)
    assert dest == tmp_path / "tagger.npz"
    back = SequencePerceptron.load(str(dest))
    assert back.w == json.loads(src.read_text("utf-8"))["weights"] and back.trans == m.trans

    judge = tmp_path / "judge.json"
    judge.write_text(json.dumps({"meta": {}, "threshold": 0.35, "bias": 0.5, "weights": {"a": 0.123456},
                                 "dense": {"weights": [1.0], "mean": [0.0], "scale": [1.0], "layers": 2, "max_pieces": 17}}))
    back = CueAcceptor.load(str(convert(judge)))
    assert back.weights == {"a": 0.123456} and back.contextual and (back.layers, back.max_pieces) == (2, 17)

    ranker = tmp_path / "ranker.json"
    ranker.write_text(json.dumps({"epochs": 5, "margin": 0.0, "weights": {"g=tagger": -0.5}}))
    assert ExtentRanker.load(str(convert(ranker))).w == {"g=tagger": -0.5}
    with pytest.raises(ValueError):
        kind_of({"weights": {}})


def test_the_shipped_taggers_are_real_models():
    cue, role = load_model("cue_model.npz"), load_model("role_model.npz")
    assert cue.labels == ["O", "B", "I"] and len(cue.w) > 100_000
    assert len(role.labels) == 3 and len(role.w) > 10_000
    assert len(load_extent_model().w) > 100
