"""The role tagger's network: NumPy inference, its file format, and the blend with the perceptron."""

import numpy as np
import pytest

from saidwho.learn.mlp import BIAS, BlendedTagger, FeatureMLP
from saidwho.learn.perceptron import SequencePerceptron
from saidwho.pipeline.models import load_mlp, load_model


def _tiny(window=1, seed=0):
    rng = np.random.default_rng(seed)
    vocab = [BIAS, "w=said", "w=that", "dep=ccomp"]
    dim, hidden = 4, 5
    return FeatureMLP(
        vocab,
        rng.normal(size=(len(vocab), dim)),
        rng.normal(size=((2 * window + 1) * dim, hidden)),
        rng.normal(size=hidden),
        rng.normal(size=(hidden, 3)),
        rng.normal(size=3),
        window,
    )


def _reference(m, feats):
    """The same network written out token by token, without batching tricks."""
    bags = [m.emb[0] + sum((m.emb[m.index[f]] for f in fs if f in m.index), np.zeros(m.emb.shape[1])) for fs in feats]
    zero = np.zeros(m.emb.shape[1])
    out = []
    for i in range(len(feats)):
        x = np.concatenate([bags[i + d] if 0 <= i + d < len(feats) else zero for d in range(-m.window, m.window + 1)])
        h = np.maximum(x @ m.w1 + m.b1, 0)
        o = h @ m.w2 + m.b2
        out.append(o - np.log(np.exp(o).sum()))
    return np.array(out)


@pytest.mark.parametrize("window", [0, 1, 2])
def test_logprobs_match_a_token_by_token_reference(window):
    m = _tiny(window)
    feats = [["w=said"], ["w=that", "unknown"], [], ["dep=ccomp", "w=said", "w=said"]]
    got = m.logprobs(feats)
    assert got.shape == (4, 3)
    np.testing.assert_allclose(got, _reference(m, feats), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(np.exp(got).sum(1), 1.0, rtol=1e-5)
    assert m.logprobs([]).shape == (0, 3)


def test_save_and_load_round_trip(tmp_path):
    m = _tiny()
    path = tmp_path / "net.npz"
    m.save(str(path), trained_on="our own sentences")
    back = FeatureMLP.load(str(path))
    assert back.vocab == m.vocab and back.window == m.window
    feats = [["w=said"], ["w=that"]]
    np.testing.assert_allclose(back.logprobs(feats), m.logprobs(feats), atol=1e-2)  # float16 weights


def test_a_vocabulary_without_the_bias_first_is_refused():
    m = _tiny()
    with pytest.raises(ValueError):
        FeatureMLP(["w=said", BIAS], m.emb[:2], m.w1, m.b1, m.w2, m.b2, 1)


def test_blend_adds_weighted_logprobs_and_keeps_the_transitions():
    p = SequencePerceptron(["O", "S", "C"])
    p.w = {"w=said": [1.0, -2.0, 0.5]}
    p.trans[0][2] = -3.0
    m = _tiny()
    feats = [["w=said"], ["w=that"]]
    b = BlendedTagger(p, m, 10.0)
    want = np.array(p.emissions(feats)) + 10.0 * m.logprobs(feats)
    np.testing.assert_allclose(b.emissions(feats), want, rtol=1e-5)
    assert b.trans is p.trans and b.labels == p.labels
    assert b.decode(feats) == p.viterbi(b.emissions(feats))
    assert BlendedTagger(p, m, 0.0).emissions(feats) == p.emissions(feats)


def test_blended_emissions_read_each_feature_once_and_sum_the_same():
    """One lookup per feature for both models gives exactly the two models' own sums."""
    p = SequencePerceptron(["O", "S", "C"])
    p.w = {"w=said": [1.0, -2.0, 0.5], "only=perceptron": [0.25, 0.0, -1.0], "dep=ccomp": [0.1, 0.2, 0.3]}
    m = _tiny(window=2)
    feats = [["w=said", "only=perceptron", "unknown"], [], ["w=that", "dep=ccomp", "w=said"], ["only=perceptron"]]
    b = BlendedTagger(p, m, 7.0)
    want = (np.asarray(p.emissions(feats), dtype=np.float32) + 7.0 * m.logprobs(feats)).tolist()
    assert b.emissions(feats) == want  # bit for bit
    assert b.emissions([]) == []


def test_the_packaged_network_reads_the_role_tagger_features():
    m = load_mlp()
    role = load_model("role_model.npz")
    assert m.n_labels == role.n == 3
    # nearly every feature the network knows is one the perceptron has a weight for
    known = sum(1 for f in m.vocab[1:] if f in role.w)
    assert known / (len(m.vocab) - 1) > 0.8


def test_the_engine_blends_the_network_into_the_role_tagger(engine):
    comp = dict(engine.nlp.pipeline)["saidwho_attribute"]
    assert isinstance(comp.model, BlendedTagger) and comp.model.weight > 0


def test_features_holding_newlines_survive_save_and_load(tmp_path):
    # spaCy makes whitespace tokens such as "\n\n"; their word features hold newlines.
    m = _tiny()
    vocab = list(m.vocab)
    vocab[1] = "w=\n\n"
    m2 = FeatureMLP(vocab, m.emb, m.w1, m.b1, m.w2, m.b2, m.window)
    path = tmp_path / "net.npz"
    m2.save(str(path))
    back = FeatureMLP.load(str(path))
    assert back.vocab == vocab
    np.testing.assert_allclose(back.logprobs([["w=\n\n"]]), m2.logprobs([["w=\n\n"]]), atol=1e-2)


def test_a_vocabulary_that_does_not_fit_the_embeddings_is_refused():
    m = _tiny()
    with pytest.raises(ValueError):
        FeatureMLP(m.vocab + ["w=extra"], m.emb, m.w1, m.b1, m.w2, m.b2, m.window)
