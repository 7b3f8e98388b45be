"""The judge of candidate cues: its logistic model, its file, and the candidate pass of the cue tagger."""

import numpy as np
import pytest

from saidwho.learn.acceptor import JUDGES, CANDIDATE_BIAS, CueAcceptor
from saidwho.learn.context import DIM, GROUPS
from saidwho.learn.decode import cues_and_candidates, tag_cues
from saidwho.learn.features import DocInfo
from saidwho.pipeline.attribute import _merged
from saidwho.pipeline.cues import CANDIDATE_KEY
from saidwho.pipeline.models import load_acceptor, load_model


def _toy():
    # "src=PROPN" makes a candidate right, "src=none" wrong; "pos=VERB" says nothing
    examples = [(["src=PROPN", "pos=VERB"], 1)] * 30 + [(["src=none", "pos=VERB"], 0)] * 30
    examples += [(["src=PROPN", "rare=x"], 0)]
    return CueAcceptor.fit(examples)


def test_fit_learns_which_features_make_a_candidate_right():
    acc = _toy()
    assert acc.probability(["src=PROPN", "pos=VERB"]) > 0.8
    assert acc.probability(["src=none", "pos=VERB"]) < 0.2
    assert "rare=x" not in acc.weights  # seen once: below min_count
    acc.threshold = 0.5
    assert acc.accepts(["src=PROPN"]) and not acc.accepts(["src=none"])


def test_save_and_load_round_trip(tmp_path):
    acc = _toy()
    path = tmp_path / "acc.npz"
    acc.save(str(path), trained_on="our own toy examples")
    back = CueAcceptor.load(str(path))
    assert back.threshold == acc.threshold
    for feats in (["src=PROPN"], ["src=none", "pos=VERB"], ["unknown"]):
        assert back.probability(feats) == pytest.approx(acc.probability(feats), abs=1e-5)


@pytest.mark.parametrize("mode, reading", [("window", (2, 17)), ("sentence", (3, 126))])
def test_the_packaged_judges_load_and_are_real_models(mode, reading):
    acc = load_acceptor(JUDGES[mode])
    assert len(acc.weights) > 100 and 0 < acc.threshold < 1
    # a shipped judge reads the candidate's context: four pooled MiniLM groups
    assert acc.contextual and acc.dense.shape == (len(GROUPS) * DIM,)
    assert (acc.scale > 0).all() and float(abs(acc.dense).sum()) > 0
    assert (acc.layers, acc.max_pieces) == reading


def _contextual():
    # the first coordinate of the vector, standardised around 1, says right; "pos=VERB" nothing
    return CueAcceptor({"src=none": -2.0}, 0.0, 0.5, dense=[3.0, 0.0], mean=[1.0, 0.0], scale=[0.5, 1.0])


def test_a_contextual_judge_weighs_the_standardised_vector():
    acc = _contextual()
    assert acc.contextual and not CueAcceptor({}, 0.0).contextual
    assert acc.probability(["pos=VERB"], np.array([1.0, 5.0])) == pytest.approx(0.5)
    assert acc.probability(["pos=VERB"], np.array([2.0, 0.0])) > 0.99  # (2 - 1) / 0.5 * 3 = 6
    assert acc.probability(["src=none"], np.array([1.5, 0.0])) == pytest.approx(1 / (1 + np.exp(-1.0)), abs=1e-6)
    assert acc.accepts(["pos=VERB"], np.array([1.2, 0.0])) and not acc.accepts(["pos=VERB"], np.array([0.8, 0.0]))
    with pytest.raises(ValueError):
        acc.probability(["pos=VERB"])  # a contextual judge never guesses without the context
    with pytest.raises(ValueError):
        CueAcceptor({}, 0.0, dense=[1.0, 2.0], mean=[0.0], scale=[1.0, 1.0])


def test_a_contextual_judge_survives_save_and_load(tmp_path):
    acc = _contextual()
    acc.layers, acc.max_pieces = 2, 17
    path = tmp_path / "judge.npz"
    acc.save(str(path), trained_on="our own toy numbers")
    back = CueAcceptor.load(str(path))
    assert back.contextual and back.threshold == acc.threshold
    assert (back.layers, back.max_pieces) == (2, 17)  # how its vectors are read travels with it
    for feats, vec in ((["src=none"], [1.5, 0.0]), (["x"], [0.2, 9.0])):
        v = np.array(vec)
        assert back.probability(feats, v) == pytest.approx(acc.probability(feats, v), abs=1e-6)


def test_candidates_come_from_the_same_tagger_decoded_with_a_bias(engine):
    doc = engine.nlp("The mayor said the bridge would close. Residents are raising questions about the cost of the repairs.")
    info = DocInfo.of(doc)
    model = load_model("cue_model.npz")
    cues, cands = cues_and_candidates(info, model, CANDIDATE_BIAS)
    assert cues == tag_cues(info, model)
    taken = {i for a, b, _ in cues for i in range(a, b)}
    assert all(not any(i in taken for i in range(a, b)) for a, b, _ in cands)
    biased = tag_cues(info, model, bias=CANDIDATE_BIAS)
    assert {(a, b) for a, b, _ in cands} <= {(a, b) for a, b, _ in biased}


def test_merged_records_keep_their_parents_and_nest_the_new_ones():
    outer = {"cue": [10, 14], "content": [[20, 80]], "parent": None}
    inner = {"cue": [30, 35], "content": [[36, 50]], "parent": 0}
    records = [outer, inner]
    new_top = {"cue": [0, 5], "content": [[6, 9]], "parent": None}
    new_nested = {"cue": [60, 64], "content": [[65, 70]], "parent": None}
    out = _merged(records, [new_nested, new_top])
    assert [r["cue"][0] for r in out] == [0, 10, 30, 60]
    assert out[2]["parent"] == 1  # inner still hangs on outer, re-indexed
    assert new_top["parent"] is None and new_nested["parent"] == 1


@pytest.fixture(scope="module")
def engine_without_recall():
    from saidwho import Engine

    return Engine(recall="off")


def test_the_recall_pass_is_on_by_default_and_can_be_switched_off(engine, engine_without_recall):
    assert engine.nlp.get_pipe("saidwho_cues").candidate_bias == CANDIDATE_BIAS
    assert engine.nlp.get_pipe("saidwho_attribute").acceptor_name == JUDGES["window"]
    assert engine_without_recall.nlp.get_pipe("saidwho_cues").candidate_bias == 0
    doc = engine_without_recall.nlp("The group lobbied for stricter rules. The governor said the plant would stay open.")
    assert len(doc.spans[CANDIDATE_KEY]) == 0


def test_accepted_candidates_add_attributions_and_never_swallow_one(engine):
    att = engine.nlp.get_pipe("saidwho_attribute")
    cues = engine.nlp.get_pipe("saidwho_cues")
    text = "The group lobbied for stricter rules on emissions. The governor said the plant would stay open."
    saved = att.acceptor, cues.candidate_bias, cues.reporting_only
    try:
        cues.candidate_bias = 200.0  # force candidates out of this short text
        cues.reporting_only = False  # "lobbied for" does not report: the cue rule would drop it
        att.acceptor = CueAcceptor({}, -30.0)  # accepts nothing
        closed = engine.analyze(text).to_dict()["attributions"]
        att.acceptor = None
        off = engine.analyze(text).to_dict()["attributions"]
        att.acceptor = CueAcceptor({}, 30.0)  # accepts every candidate
        opened = engine.analyze(text).to_dict()["attributions"]
        att.acceptor = CueAcceptor({}, 0.0)  # probability 0.5 for every candidate
        even = engine.analyze(text).to_dict()["attributions"]
    finally:
        att.acceptor, cues.candidate_bias, cues.reporting_only = saved
    assert closed == off and [a["cue"]["text"] for a in off] == ["said"]
    assert len(opened) > len(off)
    # the attribution from the tagger's own cue is still there, still top-level
    said = [a for a in opened if a["cue"]["text"] == "said"]
    assert said and said[0]["parent"] is None and said[0]["content"] == off[0]["content"]
    # an added attribution's confidence is the judge's probability that it is right
    added = [a for a in even if a["cue"]["text"] != "said"]
    assert added and {a["confidence"] for a in added} == {0.5}
    assert {a["confidence"] for a in opened if a["cue"]["text"] != "said"} == {1.0}
