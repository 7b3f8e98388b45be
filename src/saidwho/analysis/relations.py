"""Disagreements and agreements between propositions of different actors.

Two propositions are about the same topic when

- their normalised content words overlap strongly (weighted by how rare each word is among the
  article's propositions, so "Gaza" in every sentence of a Gaza story counts for little), or
- their sentence embeddings (all-MiniLM-L6-v2) are very close, or
- they share a subject field (``data/topic_fields.txt``: "territory" holds "border" and "buffer
  zone") and their embeddings are at least moderately close, or
- a weaker word overlap is backed by moderately close embeddings, or
- they share a subject field and some words (the test used alone without the model).

The stance model (:mod:`.stance`) then reads each pair of the same topic and decides:

- a disagreement when the polarity rule sees one (same topic, opposite negation parity) and the
  model gives disagree at least ``STANCE_GATE`` (the model vetoes the rule's false alarms), or
  when the model alone is confident (its disagree threshold);
- an agreement when the model is confident (its agree threshold), or when the rule sees one
  (same polarity, topic score at least ``AGREE_MIN``).

Without the model (no embeddings) the polarity rule decides alone. Each relation says on what
``basis`` it was found. Scores are in [0, 1] (the model's calibrated probability where it
decided), strongest first.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import embeddings, stance
from .propositions import Proposition

# thresholds (see docs/analysis.md for how they were set)
LEX_STRONG = 0.5
EMB_STRONG = 0.72
EMB_FIELD = 0.45
LEX_WEAK = 0.25
EMB_WEAK = 0.55
AGREE_MIN = 0.62
NO_EMB_FIELD_LEX = 0.2
# a polarity-rule disagreement stands when the stance model gives disagree at least this much
# (chosen on the PERSPECTRUM-dev articles and the seed article: docs/analysis.md); the model
# alone decides at its own thresholds (``StanceModel.thresholds``, chosen on PERSPECTRUM dev
# pairs by the trainer)
STANCE_GATE = 0.45


@dataclass
class Relation:
    a: str
    b: str
    kind: str
    score: float
    basis: str = "polarity rule"  # or "stance model", "rebuttal"

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "kind": self.kind, "score": round(self.score, 4), "basis": self.basis}


def word_weights(props: Sequence[Any]) -> dict[str, float]:
    """1 for a word in at most two propositions (or a quarter of them); less the more of the
    compared propositions share it (so "Gaza" in a Gaza story weighs little). ``props``: anything
    with a ``keys`` set (the store's propositions too)."""
    n = len(props)
    df: dict[str, int] = {}
    for p in props:
        for k in p.keys:
            df[k] = df.get(k, 0) + 1
    out = {}
    for k, c in df.items():
        if c <= max(2, n / 4):
            out[k] = 1.0
        else:
            out[k] = max(0.15, math.log(n / c) / math.log(n / 2))
    return out


def lexical(p: Proposition, q: Proposition, w: dict[str, float]) -> float:
    """Mean weighted containment of the two propositions' content words (shared weight over each
    side's weight, averaged); place and date words count half."""
    if not p.keys or not q.keys:
        return 0.0

    def wt(k: str, prop: Proposition) -> float:
        return w.get(k, 1.0) * (0.5 if k in prop.places else 1.0)

    shared = sum(min(wt(k, p), wt(k, q)) for k in p.keys & q.keys)
    wp = sum(wt(k, p) for k in p.keys)
    wq = sum(wt(k, q) for k in q.keys)
    if not wp or not wq:
        return 0.0
    return 0.5 * (shared / wp + shared / wq)


def topic_match(lex: np.ndarray, emb: np.ndarray, shared_field: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`same_topic` on arrays of pairs (``emb`` NaN: no embedding): (same topic?, score)."""
    lex = np.asarray(lex, dtype=np.float64)
    emb = np.asarray(emb, dtype=np.float64)
    fld = np.asarray(shared_field).astype(bool)
    has = ~np.isnan(emb)
    e = np.where(has, emb, 0.0)
    lexical_ok = (lex >= LEX_STRONG) | (fld & (lex >= NO_EMB_FIELD_LEX))
    # the embeddings only add matches: whatever the words show stays a match
    with_emb = lexical_ok | (e >= EMB_STRONG) | (fld & (e >= EMB_FIELD)) | ((lex >= LEX_WEAK) & (e >= EMB_WEAK))
    ok = np.where(has, with_emb, lexical_ok)
    score = np.where(
        has,
        np.minimum(1.0, 0.55 * np.maximum(e, 0.0) + 0.3 * lex + 0.15 * fld),
        np.minimum(1.0, 0.75 * lex + 0.25 * fld),
    )
    return ok, score


def same_topic(lex: float, emb: float | None, shared_field: bool) -> tuple[bool, float]:
    """(same topic?, topic score in [0, 1]) of one pair."""
    ok, score = topic_match(np.array([lex]), np.array([np.nan if emb is None else emb]), np.array([shared_field]))
    return bool(ok[0]), float(score[0])


@dataclass(frozen=True)
class Candidate:
    """A pair of propositions of the same topic, as the decision reads it."""

    a_text: str
    b_text: str
    opposite: bool  # opposite polarity (negation parity)
    topic_score: float
    flip: bool = False  # one side's cue denies its content: agree and disagree swap


def decide(cands: Sequence[Candidate], model: Any = None) -> list[tuple[str, float, str] | None]:
    """The one rule for disagreement and agreement, inside an article and across the corpus:
    per candidate ``(kind, score, basis)`` or None (no relation). ``model``: the stance model
    (:func:`stance.get_model`) or None, when the polarity rule decides alone."""
    out: list[tuple[str, float, str] | None] = []
    if model is None:
        for c in cands:
            if c.opposite != c.flip:
                out.append(("disagree", c.topic_score, "polarity rule"))
            elif c.topic_score >= AGREE_MIN:
                out.append(("agree", c.topic_score, "polarity rule"))
            else:
                out.append(None)
        return out
    if not cands:
        return out
    probs = model.predict([(c.a_text, c.b_text) for c in cands])
    for c, pr in zip(cands, probs):
        dis, agr = (float(pr[1]), float(pr[0])) if c.flip else (float(pr[0]), float(pr[1]))
        rule_disagrees = c.opposite != c.flip
        rule_agrees = not rule_disagrees and c.topic_score >= AGREE_MIN
        if rule_disagrees and dis >= STANCE_GATE:
            out.append(("disagree", dis, "polarity rule, stance model"))
        elif dis >= model.thresholds["disagree"] and dis >= agr:
            out.append(("disagree", dis, "stance model"))
        elif not rule_disagrees and agr >= model.thresholds["agree"]:
            out.append(("agree", agr, "stance model"))
        elif rule_agrees:
            out.append(("agree", c.topic_score, "polarity rule"))
        else:
            out.append(None)
    return out


def find_relations(props: list[Proposition], denials: frozenset[str] = frozenset()) -> list[Relation]:
    """Disagreements and agreements between propositions of different actors, strongest first.

    With the stance model (:mod:`.stance`) every pair of the same topic is read by the model
    and its calibrated probabilities decide with the polarity rule (see the module doc);
    without it, the polarity rule decides alone. ``denials``: attributions whose cue denies their
    content ("denied that the ward is understaffed"): their propositions state the opposite of
    their words, so agree and disagree swap for them."""
    usable = [p for p in props if p.actor_key]
    if len(usable) < 2:
        return []
    w = word_weights(props)
    vecs = embeddings.encode([p.embed_text for p in usable])
    index = {p.id: i for i, p in enumerate(usable)}
    model = stance.get_model() if vecs is not None else None
    cands: list[tuple[Proposition, Proposition, float, bool]] = []
    for i, p in enumerate(usable):
        for q in usable[i + 1 :]:
            if p.actor_key == q.actor_key or p.attribution == q.attribution:
                continue
            lex = lexical(p, q, w)
            emb = float(np.dot(vecs[index[p.id]], vecs[index[q.id]])) if vecs is not None else None
            shared_field = bool(p.fields & q.fields)
            ok, score = same_topic(lex, emb, shared_field)
            if ok:
                cands.append((p, q, score, (p.attribution in denials) != (q.attribution in denials)))
    verdicts = decide(
        [Candidate(p.embed_text, q.embed_text, p.polarity != q.polarity, score, flip) for p, q, score, flip in cands],
        model,
    )
    out = [Relation(p.id, q.id, *v) for (p, q, *_), v in zip(cands, verdicts) if v is not None]
    out.sort(key=lambda r: (-r.score, r.a, r.b))
    return out

