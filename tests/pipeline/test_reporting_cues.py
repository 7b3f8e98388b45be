"""Only cues that report are kept (saidwho.pipeline.cues.keeps_cue)."""

from __future__ import annotations

import pytest

from saidwho.learn.features import DocInfo
from saidwho.pipeline.cues import keeps_cue, reports


def _span(doc, words: str) -> tuple[int, int]:
    toks = words.split()
    for i in range(len(doc) - len(toks) + 1):
        if [t.text for t in doc[i : i + len(toks)]] == toks:
            return i, i + len(toks)
    raise AssertionError(words)


TEXT = (
    "Chicago imposed a curfew on alcohol sales. Troops opened fire on the crowd. "
    "The council voted against the plan. Rivera said the curfew would end soon. "
    "She made it clear that she would run. Officials toured the site. "
    "According to the mayor, the plan works. He is convinced that it will pass."
)


@pytest.fixture(scope="module")
def info(engine):
    return DocInfo.of(engine.nlp(TEXT))


@pytest.mark.parametrize("words", ["imposed", "opened", "voted against"])
def test_actions_are_not_cues(info, words):
    s, e = _span(info.doc, words)
    assert reports(info, s, e) is False
    assert not keeps_cue(info, s, e) and not keeps_cue(info, s, e, candidate=True)


@pytest.mark.parametrize("words", ["said", "made it clear", "According to", "is convinced"])
def test_reporting_words_make_cues(info, words):
    s, e = _span(info.doc, words)
    assert reports(info, s, e) is True
    assert keeps_cue(info, s, e) and keeps_cue(info, s, e, candidate=True)


def test_unknown_words_keep_a_tagger_cue_but_not_a_candidate(info):
    s, e = _span(info.doc, "toured")
    assert reports(info, s, e) is None
    assert keeps_cue(info, s, e) and not keeps_cue(info, s, e, candidate=True)


def test_punctuation_cue(engine):
    doc = engine.nlp("The mayor was blunt: “We are done.”")
    info = DocInfo.of(doc)
    s, e = _span(doc, ":")
    assert reports(info, s, e) is True


def test_engine_drops_an_action_the_tagger_took(engine):
    art = engine.analyze("Emergency Medical Services pronounced him dead at the scene. Chicago imposed a curfew on alcohol sales, officials said.")
    assert not any(a.cue.text == "imposed" for a in art.attributions)
