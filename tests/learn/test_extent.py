"""The content-extent ranker: its candidates come from the parse, its choice from its weights."""

from saidwho.learn.decode import rerankable, role_candidates, role_path, roles_of_path
from saidwho.learn.extent import ExtentRanker, extent_candidates
from saidwho.learn.features import DocInfo
from saidwho.learn.train_extent import _utility, train_ranker
from saidwho.pipeline.models import load_model


def _candidates(engine, text, cue_word):
    info = DocInfo.of(engine.nlp(text))
    cs = [t.i for t in info.doc if t.text == cue_word][0]
    lo, path, em = role_path(info, load_model("role_model.npz"), cs, cs + 1)
    source, content = roles_of_path(info, cs, cs + 1, lo, path)
    assert rerankable(info, content)
    cands = extent_candidates(info, cs, cs + 1, lo, path, em, content[0], source)
    assert role_candidates(info, load_model("role_model.npz"), cs, cs + 1) == (source, content, cands)
    return info, cands, content[0]


def test_tagger_run_comes_first_and_the_clause_is_offered(engine):
    text = "Ms. Vale said the new pier, which opened in May, would bring visitors back to Tulsa."
    info, cands, run = _candidates(engine, text, "said")
    spans = [s for s, _ in cands]
    assert spans[0] == run and "gen=tagger" in cands[0][1]
    words = {info.doc[a:b].text for a, b in spans}
    assert "the new pier, which opened in May, would bring visitors back to Tulsa" in words
    assert "the new pier" in words  # cut where the relative clause starts
    # no candidate takes in the cue or the speaker
    cue = [t.i for t in info.doc if t.text == "said"][0]
    assert all(not (a <= cue < b) and a > 2 for a, b in spans)


def test_quoted_content_is_left_to_the_quotation_marks(engine):
    info = DocInfo.of(engine.nlp("“The pier will reopen,” Ms. Vale said."))
    assert not rerankable(info, [(1, 5)])
    assert not rerankable(info, [(1, 3), (6, 7)])


def test_an_empty_ranker_keeps_the_tagger_run(engine):
    _, cands, run = _candidates(engine, "Vale said the pier would reopen after the storm passed.", "said")
    assert cands[ExtentRanker().best(cands)][0] == run


def test_ranker_learns_to_prefer_the_useful_candidate():
    a = ((0, 4), {"gen=tagger": 1.0, "delta": 0.0})
    b = ((0, 9), {"gen=sub:ccomp": 1.0, "delta": -0.5})
    c = ((0, 2), {"gen=cut:prep": 1.0, "delta": -0.2})
    ranker = train_ranker([([a, b, c], [0.4, 2.0, 0.2])] * 3, epochs=2, log=lambda m: None)
    assert ranker.best([a, b, c]) == 1
    assert ranker.w["gen=sub:ccomp"] > 0 > ranker.w["gen=tagger"]


def test_utility_rewards_exact_then_overlap():
    gold = set(range(2, 8))
    assert _utility((2, 8), gold) == 2.0
    assert 1.5 < _utility((2, 9), gold) < 2.0  # Jaccard 6/7, counts as a match
    assert _utility((2, 4), gold) < 0.5  # Jaccard 2/6, no match


def test_engine_loads_the_shipped_ranker_and_it_can_be_switched_off(engine):
    ranker = engine.nlp.get_pipe("saidwho_attribute").extent
    assert ranker is not None and ranker.w and ranker.margin > 0
    import spacy

    import saidwho  # noqa: F401  (registers the factories)

    nlp = spacy.blank("en")
    assert nlp.add_pipe("saidwho_attribute", config={"use_extent": False}).extent is None


def test_margin_keeps_the_tagger_run_unless_clearly_beaten():
    a = ((0, 4), {"gen=tagger": 1.0})
    b = ((0, 9), {"gen=sub:ccomp": 1.0})
    ranker = ExtentRanker({"gen=sub:ccomp": 3.0}, margin=5.0)
    assert ranker.best([a, b]) == 0
    assert ranker.best([a, b], margin=2.0) == 1
