"""Explicit rebuttals: "rejected the plan", "dismissed Vint's claim", "countered that"."""

from __future__ import annotations

from saidwho.analysis import enrich

from .conftest import make_article

TEXT = (
    "Mayor Lena Okafor said the city will build a new public park on the riverfront site. "
    "Nurse Carla Vint said the emergency ward is badly understaffed. "
    "Councillor Bram Dijkstra rejected the plan. "
    "Minister Ruth Abel dismissed Vint's claim. "
    "Coach Marta Lind said the team will sign a new striker. "
    "Union leader Dan Roe countered that the club cannot afford any new players."
)
SPECS = [
    {"speaker": ("Lena Okafor", "person"), "source": "Mayor Lena Okafor", "cue": "said", "content": ["the city will build a new public park on the riverfront site"]},
    {"speaker": ("Carla Vint", "person"), "source": "Nurse Carla Vint", "cue": "said", "content": ["the emergency ward is badly understaffed"], "after": "Nurse"},
    {"speaker": ("Bram Dijkstra", "person"), "source": "Councillor Bram Dijkstra", "cue": "rejected", "content": ["the plan"], "after": "Councillor"},
    {"speaker": ("Ruth Abel", "person"), "source": "Minister Ruth Abel", "cue": "dismissed", "content": ["Vint's claim"], "after": "Minister"},
    {"speaker": ("Marta Lind", "person"), "source": "Coach Marta Lind", "cue": "said", "content": ["the team will sign a new striker"], "after": "Coach"},
    {"speaker": ("Dan Roe", "person"), "source": "Union leader Dan Roe", "cue": "countered", "content": ["the club cannot afford any new players"], "after": "Union"},
]


def _rebuttals(d):
    P = {p["id"]: p for p in d["propositions"]}
    return {(P[r["a"]]["span"]["text"], P[r["b"]]["span"]["text"]) for r in d["relations"] if r["basis"] == "rebuttal" and r["kind"] == "disagree"}


def test_rebuttals_answer_the_statement_they_name(nlp):
    d = enrich(make_article(TEXT, SPECS), nlp=nlp)
    found = _rebuttals(d)
    # Abel names whom she answers; Roe answers the latest earlier statement of another actor
    assert ("the emergency ward is badly understaffed", "dismissed Vint's claim") in found
    assert ("the team will sign a new striker", "the club cannot afford any new players") in found
    rebut = [p for p in d["propositions"] if p["span"]["text"] == "dismissed Vint's claim"][0]
    assert rebut["polarity"] == "against" and rebut["attribution"] == "a4"
    assert TEXT[rebut["span"]["start"] : rebut["span"]["end"]] == rebut["span"]["text"]


def test_a_named_plan_is_answered(nlp):
    text = TEXT.split(" Nurse ")[0] + " Councillor Bram Dijkstra rejected the plan."
    specs = [SPECS[0], SPECS[2]]
    d = enrich(make_article(text, specs), nlp=nlp)
    assert _rebuttals(d) == {("the city will build a new public park on the riverfront site", "rejected the plan")}


def test_no_rebuttal_without_an_earlier_statement(nlp):
    text = "Councillor Bram Dijkstra rejected the plan."
    d = enrich(make_article(text, [dict(SPECS[2], after=None)]), nlp=nlp)
    assert d["relations"] == []


def test_the_rebutter_does_not_agree_with_what_he_rejected(nlp):
    text = (
        "Mayor Lena Okafor said the city will build a new public park on the riverfront site. "
        "Councillor Bram Dijkstra rejected the plan, saying the city should build a new car park on the riverfront site."
    )
    specs = [
        SPECS[0],
        dict(SPECS[2], after="Councillor"),
        {"speaker": ("Bram Dijkstra", "person"), "source": None, "cue": "saying", "content": ["the city should build a new car park on the riverfront site"], "after": "Councillor"},
    ]
    d = enrich(make_article(text, specs), nlp=nlp)
    assert ("the city will build a new public park on the riverfront site", "rejected the plan") in _rebuttals(d)
    assert not [r for r in d["relations"] if r["kind"] == "agree"], d["relations"]
