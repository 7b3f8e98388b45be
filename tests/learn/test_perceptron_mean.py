"""Averaging models trained with different shuffling seeds."""

import pytest

from saidwho.learn.perceptron import SequencePerceptron
from saidwho.learn.train import train
from saidwho.pipeline.factories import PIPES


def test_mean_is_elementwise_and_keeps_features_of_either_model():
    a, b = SequencePerceptron(("O", "B")), SequencePerceptron(("O", "B"))
    a.w = {"x": [1.0, 3.0]}
    b.w = {"x": [3.0, -1.0], "y": [0.0, 2.0]}
    a.trans = [[1.0, 1.0]] * 3
    b.trans = [[3.0, 0.0]] * 3
    m = SequencePerceptron.mean([a, b])
    assert m.w == {"x": [2.0, 1.0], "y": [0.0, 1.0]}
    assert m.trans == [[2.0, 0.5]] * 3


def test_mean_refuses_models_over_other_labels():
    with pytest.raises(ValueError):
        SequencePerceptron.mean([SequencePerceptron(("O", "B")), SequencePerceptron(("O", "S"))])


def test_training_with_several_seeds_averages_the_single_seed_models(engine):
    texts = [
        "Mayor Ines Vale said the pier would reopen in May.",
        "The harbour master told reporters the boats were safe.",
        "Tomas Berg argued that the budget was too small.",
    ]
    docs = list(engine.nlp.pipe(texts, disable=list(PIPES)))
    golds = []
    for t, verb in zip(texts, ("said", "told", "argued")):
        c = t.index(verb)
        golds.append([{"source": [[0, c - 1]], "cue": [[c, c + len(verb)]], "content": [[c + len(verb) + 1, len(t) - 1]]}])
    quiet = dict(epochs=2, log=lambda m: None)
    singles = [train(docs, golds, seeds=(s,), **quiet) for s in (0, 1)]
    both = train(docs, golds, seeds=(0, 1), **quiet)
    for k in (0, 1):
        assert both[k].w == SequencePerceptron.mean([singles[0][k], singles[1][k]]).w
    # the seed matters for a single model, so averaging is not a no-op
    assert singles[0][1].w != singles[1][1].w
