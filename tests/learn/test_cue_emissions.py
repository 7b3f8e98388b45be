"""The cue tagger's emissions reuse the scores of a token's local features: same sums as
scoring every feature of every token, with each word's local part computed once."""

from collections import Counter

import pytest

from saidwho.learn import decode
from saidwho.learn.features import DocInfo, cue_context, cue_features, cue_local, cue_local_key
from saidwho.pipeline.models import load_model

TEXT = (
    "The mayor said on Tuesday that the bridge would reopen in May. “We are ahead of schedule,” "
    "she told reporters. Anna said it rained. Ben said it snowed."
)


@pytest.fixture(scope="module")
def info(engine):
    return DocInfo.of(engine.nlp(TEXT))


def test_features_are_local_and_context_parts(info):
    for i in range(len(info.doc)):
        assert Counter(cue_features(info, i)) == Counter(cue_local(info, i) + cue_context(info, i))


def test_same_key_same_local_features(info):
    seen = {}
    for i in range(len(info.doc)):
        seen.setdefault(cue_local_key(info, i), cue_local(info, i))
        assert seen[cue_local_key(info, i)] == cue_local(info, i)
    # "said" as the root of two sentences, with the same dependents' labels: one key
    saids = [i for i in range(len(info.doc)) if info.low[i] == "said" and info.dep[i] == "ROOT"]
    assert len(saids) >= 2 and len({cue_local_key(info, i) for i in saids}) < len(saids)


def test_emissions_equal_the_plain_sums(info):
    model = load_model("cue_model.npz")
    decode.forget_local_sums()
    for _ in range(2):  # from an empty table, then from a full one
        got = decode._cue_emissions(info, model)
        for (a, b), em in zip(info.sents, got):
            plain = model.emissions([cue_features(info, i) for i in range(a, b)])
            assert [x for row in em for x in row] == pytest.approx([x for row in plain for x in row], abs=1e-9)
    assert decode._LOCAL_SUMS[model]
    decode.forget_local_sums()
    assert model not in decode._LOCAL_SUMS


def test_emissions_start_rows_add_up():
    from saidwho.learn.perceptron import SequencePerceptron

    m = SequencePerceptron(["O", "B", "I"])
    m.w = {"x": [1.0, 2.0, 3.0], "y": [0.5, 0.0, -1.0]}
    assert m.emissions([["x", "y"]]) == [[1.5, 2.0, 2.0]]
    assert m.emissions([["y"]], start=[[1.0, 2.0, 3.0]]) == [[1.5, 2.0, 2.0]]
    four = SequencePerceptron(["O", "B", "I", "E"])
    four.w = {"x": [1.0, 1.0, 1.0, 1.0]}
    assert four.emissions([["x"]], start=[[0.0, 1.0, 2.0, 3.0]]) == [[1.0, 2.0, 3.0, 4.0]]
