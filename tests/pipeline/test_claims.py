"""An attribution reports a claim: not a question nor a refusal (saidwho.pipeline.extraction.claims)."""

from __future__ import annotations

import pytest

from saidwho.learn.features import DocInfo
from saidwho.pipeline.extraction import claims


def _case(engine, text: str, cue: str, content: str):
    doc = engine.nlp(text)
    info = DocInfo.of(doc)
    toks = cue.split()
    cs = next(i for i in range(len(doc)) if [t.text for t in doc[i : i + len(toks)]] == toks)
    a = text.index(content)
    return info, cs, cs + len(toks), [(a, a + len(content))]


@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        ("Asked why she called the group the Reckoning Crew, Scott told reporters nothing.", "Asked", "why she called the group the Reckoning Crew"),
        ("Asked what it is about politics that fascinates him, Blocker said he grew up with it.", "Asked", "what it is about politics that fascinates him"),
        ("When asked if the debates matter to her, she shrugged.", "asked", "if the debates matter to her"),
        ("Asked “Will you run?”, she smiled.", "Asked", "“Will you run?”"),
        ("The office declined to comment for this story.", "declined", "to comment for this story"),
        ("Bennett refused to be interviewed.", "refused", "to be interviewed"),
    ],
)
def test_questions_and_refusals_are_no_claims(engine, text, cue, content):
    assert not claims(*_case(engine, text, cue, content))


@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        ("Rivera said why the plan failed was clear.", "said", "why the plan failed was clear"),
        ("He asked that the congressman refrain from endorsing anyone.", "asked", "that the congressman refrain from endorsing anyone"),
        ("She declined, saying the report was false.", "declined", "the report was false"),
        ("Trump refuses to release his tax returns.", "refuses", "to release his tax returns"),
        # a question asked by a named speaker stays an attribution (PolNeAR annotates it)
        ("He wondered whether the plan would survive.", "wondered", "whether the plan would survive"),
        ("“Are you concerned?” King asked.", "asked", "“Are you concerned?”"),
        ("“Is it over?” is the wrong question, Rivera said.", "said", "“Is it over?” is the wrong question"),
    ],
)
def test_claims_are_kept(engine, text, cue, content):
    assert claims(*_case(engine, text, cue, content))


def test_engine_reports_no_question(engine):
    art = engine.analyze(
        "Asked if the debates matter to her, Scott said they do not. "
        "Meadows' office declined to comment for this story. The mayor said the curfew would end soon."
    )
    cues = [a.cue.text for a in art.attributions]
    assert not any(c.lower() in ("asked", "declined") for c in cues)
    assert any(a.cue.text == "said" and "curfew" in a.content_text for a in art.attributions)
