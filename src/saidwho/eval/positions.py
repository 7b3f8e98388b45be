"""Positions evaluation: disagreements/agreements between proposition pairs and unattributed
claims, scored on our own labelled sentences (``positions_set/``).

    >>> from saidwho.eval.positions import run_positions_eval
    >>> r = run_positions_eval()
    >>> r["disagreement"]["precision"], r["unattributed"]["recall"]

Each pair is analysed as a two-sentence article through the real engine and the analysis; the
prediction is the strongest relation between a proposition of the first sentence and one of the
second. Each claim sentence is analysed alone; it is predicted a claim when the analysis flags
any unattributed claim in it.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

SET = "positions_set"


def _load(name: str) -> list[dict[str, Any]]:
    raw = resources.files("saidwho.eval").joinpath(SET, name).read_text("utf-8")
    return [json.loads(line) for line in raw.splitlines() if line.strip()]


def load_pairs() -> list[dict[str, Any]]:
    return _load("pairs.jsonl")


def load_claims() -> list[dict[str, Any]]:
    return _load("claims.jsonl")


def load_perspectrum() -> list[dict[str, Any]]:
    """Two-paragraph articles from PERSPECTRUM's dev split (CC BY-SA 4.0): a claim and a
    perspective the annotators judged to undermine (``disagree``) or support (``agree``) it, or
    one of another claim (``unrelated``); built by ``python -m saidwho.learn.build_stance_set``."""
    return _load("perspectrum_dev.jsonl")


def _pr(gold: list[str], pred: list[str], label: str) -> dict[str, Any]:
    tp = sum(1 for g, p in zip(gold, pred) if g == label and p == label)
    fp = sum(1 for g, p in zip(gold, pred) if g != label and p == label)
    fn = sum(1 for g, p in zip(gold, pred) if g == label and p != label)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4), "tp": tp, "fp": fp, "fn": fn, "gold": tp + fn}


def predict_pair(engine, parser, a: str, b: str, sep: str = " ") -> tuple[str, float]:
    from ..analysis import analyze_positions

    text = f"{a}{sep}{b}"
    art = engine.analyze(text)
    res = analyze_positions(art, nlp=parser)
    cut = len(a)
    side = {p.id: (p.start < cut) for p in res["_props"]}
    for r in res["relations"]:  # strongest first
        if side.get(r.a) != side.get(r.b):
            return r.kind, r.score
    return "unrelated", 0.0


def predict_claim(engine, parser, text: str) -> tuple[str, str]:
    from ..analysis import analyze_positions

    art = engine.analyze(text)
    res = analyze_positions(art, nlp=parser)
    if res["unattributed"]:
        return "claim", "; ".join(u["reason"] for u in res["unattributed"])
    return "not", ""


def run_positions_eval(engine=None, perspectrum: bool = True) -> dict[str, Any]:
    """Precision and recall for disagreements (and agreements) on the labelled pairs, for
    unattributed claims on the labelled sentences, and (``perspectrum``) for disagreements and
    agreements on the PERSPECTRUM-dev articles; ``errors`` lists each miss of the first two."""
    from .. import analysis
    from ..engine import get_engine

    engine = engine or get_engine()
    parser = analysis._default_nlp()
    pairs = load_pairs()
    claims = load_claims()
    gold_p, pred_p, errors = [], [], []
    for item in pairs:
        kind, score = predict_pair(engine, parser, item["a"], item["b"])
        gold_p.append(item["label"])
        pred_p.append(kind)
        if kind != item["label"]:
            errors.append({"id": item["id"], "gold": item["label"], "pred": kind, "score": round(score, 4)})
    gold_c, pred_c = [], []
    for item in claims:
        kind, why = predict_claim(engine, parser, item["text"])
        gold_c.append(item["label"])
        pred_c.append(kind)
        if kind != item["label"]:
            errors.append({"id": item["id"], "gold": item["label"], "pred": kind, "reason": why})
    out = {
        "pairs": len(pairs),
        "claims": len(claims),
        "disagreement": _pr(gold_p, pred_p, "disagree"),
        "agreement": _pr(gold_p, pred_p, "agree"),
        "unattributed": _pr(gold_c, pred_c, "claim"),
        "embeddings": analysis.embeddings.status(),
        "stance": analysis.stance.status(),
        "errors": errors,
    }
    if perspectrum:
        items = load_perspectrum()
        gold, pred = [], []
        for item in items:
            kind, _ = predict_pair(engine, parser, item["a"], item["b"], sep="\n\n")
            gold.append(item["label"])
            pred.append(kind)
        out["perspectrum"] = {
            "pairs": len(items),
            "disagreement": _pr(gold, pred, "disagree"),
            "agreement": _pr(gold, pred, "agree"),
        }
    return out


def main() -> None:  # python -m saidwho.eval.positions
    r = run_positions_eval()
    print(json.dumps(r, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
