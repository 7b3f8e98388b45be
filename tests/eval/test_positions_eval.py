"""Floors for the positions evaluation (issue 4): run_positions_eval() on our labelled set."""

from __future__ import annotations

import pytest

from saidwho.eval.positions import load_claims, load_pairs, run_positions_eval


def test_positions_set_size_and_labels():
    pairs = load_pairs()
    claims = load_claims()
    assert len(pairs) >= 60 and len(claims) >= 40
    assert {p["label"] for p in pairs} == {"disagree", "agree", "unrelated"}
    assert {c["label"] for c in claims} == {"claim", "not"}
    assert len({p["id"] for p in pairs}) == len(pairs)


@pytest.fixture(scope="module")
def report(engine):
    return run_positions_eval(engine)


def test_disagreement_floor(report):
    d = report["disagreement"]
    assert d["recall"] >= 0.60, report["errors"]
    assert d["precision"] >= 0.80, report["errors"]


def test_unattributed_floor(report):
    u = report["unattributed"]
    assert u["precision"] >= 0.80, report["errors"]
    assert u["recall"] >= 0.70, report["errors"]


def test_report_shape(report):
    assert report["pairs"] >= 60 and report["claims"] >= 40
    for k in ("disagreement", "agreement", "unattributed"):
        assert set(report[k]) >= {"precision", "recall", "tp", "fp", "fn"}
    assert isinstance(report["embeddings"], str)
