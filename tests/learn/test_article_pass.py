"""The cue tagger's article pass: a verb it is sure of once counts where it recurs."""

from saidwho.learn.decode import tag_cues
from saidwho.learn.features import DocInfo
from saidwho.learn.perceptron import SequencePerceptron

TEXT = "Ortiz contended that the plan had failed. The mayor also contended the opposite."


def _toy_model() -> SequencePerceptron:
    """O wins by 5 everywhere, except that "contend" with a that-clause is a sure cue (+30)."""
    m = SequencePerceptron(("O", "B", "I"))
    m.w = {"b": [5.0, 0.0, -10.0], "lthat=contend": [0.0, 30.0, 0.0]}
    return m


def _words(info: DocInfo, cues) -> list[tuple[str, float]]:
    return [(info.doc[s:e].text, m) for s, e, m in cues]


def test_a_sure_cue_lifts_the_same_verb_elsewhere_in_the_article(engine):
    info = DocInfo.of(engine.nlp(TEXT))
    cues = _words(info, tag_cues(info, _toy_model(), boost=40.0, confident=15.0))
    assert [w for w, _ in cues] == ["contended", "contended"]
    # the second one is reported with the tagger's own (unboosted) margin: it was unsure there
    assert cues[0][1] == 25.0 and cues[1][1] == -5.0


def test_without_the_article_pass_only_the_sure_cue_is_found(engine):
    info = DocInfo.of(engine.nlp(TEXT))
    assert [w for w, _ in _words(info, tag_cues(info, _toy_model(), boost=0.0))] == ["contended"]


def test_an_unsure_cue_lifts_nothing(engine):
    info = DocInfo.of(engine.nlp(TEXT))
    # the first "contended" scores 25 over O, under a required margin of 30: no second pass
    cues = _words(info, tag_cues(info, _toy_model(), boost=40.0, confident=30.0))
    assert [w for w, _ in cues] == ["contended"]
