"""Role features that tell the content of a cue from what else hangs on it: an addressee
before a "that"-clause, circumstances after it, the word that links a modifier."""

import pytest

from saidwho.learn.features import DocInfo, role_features, role_window
from saidwho.pipeline.factories import PIPES


def _features(engine, text: str, cue: str) -> dict[str, list[str]]:
    doc = engine.nlp(text, disable=list(PIPES))
    info = DocInfo.of(doc)
    c = next(t.i for t in doc if t.text == cue)
    lo, hi = role_window(info, c, c + 1)
    return {doc[t].text: f for t, f in zip(range(lo, hi), role_features(info, c, c + 1, lo, hi))}


@pytest.fixture(scope="module")
def warned(engine):
    return _features(engine, "The agency warned voters that the roads would close after the storm hit.", "warned")


def test_object_followed_by_a_clause_is_marked_as_such(warned):
    # "voters" is who was warned, not what: the clause after it is the content
    assert "sib=dobj|ccomp" in warned["voters"]
    assert "sib=ccomp|" in warned["roads"]


def test_linking_word_of_an_adverbial_clause(warned):
    assert "on=advcl|after" in warned["storm"]
    assert not any(f.startswith("on=") for f in warned["roads"])


def test_preposition_hanging_on_the_cue(engine):
    f = _features(engine, "The mayor complained about the budget during a meeting.", "complained")
    assert {"bprep=aboutR", "lbprep=complain|about"} <= set(f["budget"])
    assert {"bprep=duringR", "lbprep=complain|during"} <= set(f["meeting"])
    assert "on=prep|during" in f["meeting"]
