"""The learned cue classifier: is this token the head of an attribution cue?

A linear model over sparse features of the token and its parse neighbourhood (lemma, part of
speech, dependency label, the labels of its children, whether a quotation or a "that"-clause
hangs from it, membership in the cue lexicons). Weights are trained on PolNeAR's train split
by ``python -m saidwho.train.cues`` and shipped as ``data/cue_model.json``. Without the weights
file the lexicon alone decides, so the engine still runs.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterator

from spacy.tokens import Doc, Token

from ..lexicon import data_path, wordlist

MODEL_FILE = "cue_model.json"
_CANDIDATE_POS = {"VERB", "AUX", "NOUN", "ADJ", "PROPN", "ADP"}


def in_quote_mask(doc: Doc) -> list[bool]:
    """Per token: does it lie inside a quotation region (marks excluded)?"""
    from .quotes import quote_regions

    mask = [False] * len(doc)
    regions = quote_regions(doc.text)
    if not regions:
        return mask
    j = 0
    for tok in doc:
        while j < len(regions) and regions[j][1] <= tok.idx:
            j += 1
        if j < len(regions) and regions[j][0] < tok.idx and tok.idx + len(tok) < regions[j][1]:
            mask[tok.i] = True
    return mask


def token_features(tok: Token, inq: list[bool]) -> list[str]:
    """Sparse features of one candidate token (strings, hashed by the weight table)."""
    lem = tok.lemma_.lower()
    speech = wordlist("cue_verbs")
    belief = wordlist("belief_verbs")
    nouns = wordlist("cue_nouns")
    child_deps = sorted({c.dep_ for c in tok.children})
    f = [
        "bias",
        f"lem={lem}",
        f"pos={tok.pos_}",
        f"tag={tok.tag_}",
        f"dep={tok.dep_}",
        f"lem_pos={lem}|{tok.pos_}",
        f"lem_dep={lem}|{tok.dep_}",
        f"head_dep={tok.head.dep_}",
        f"head_lem={tok.head.lemma_.lower()}",
        f"inq={inq[tok.i]}",
    ]
    if lem in speech:
        f.append("lex=speech")
    if lem in belief:
        f.append("lex=belief")
    if lem in nouns:
        f.append("lex=noun")
    for d in child_deps:
        f.append(f"cdep={d}")
        f.append(f"lem_cdep={lem}|{d}")
    for c in tok.children:
        if c.dep_ in ("ccomp", "xcomp") and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children):
            f.append("that_clause")
            f.append(f"lem_that={lem}")
        if c.dep_ in ("nsubj", "nsubjpass"):
            f.append(f"subj_ent={c.ent_type_ or c.pos_}")
    # a quotation next to the token (within 3 tokens either side)
    doc = tok.doc
    lo, hi = max(0, tok.i - 3), min(len(doc), tok.i + 4)
    if any(doc[k].is_quote or inq[k] for k in range(lo, hi) if k != tok.i):
        f.append("near_quote")
        f.append(f"lem_near_quote={lem}")
    prev = doc[tok.i - 1].lower_ if tok.i > 0 else "<s>"
    nxt = doc[tok.i + 1].lower_ if tok.i + 1 < len(doc) else "</s>"
    f.append(f"prev={prev}")
    f.append(f"next={nxt}")
    return f


class CueModel:
    """Binary logistic model over hashed-by-name sparse features."""

    def __init__(self, weights: dict[str, float] | None) -> None:
        self.weights = weights

    @classmethod
    def load_default(cls) -> "CueModel":
        path = data_path(MODEL_FILE)
        if os.path.exists(path):
            with open(path, encoding="utf-8") as fh:
                return cls(json.load(fh)["weights"])
        return cls(None)

    def score(self, feats: list[str]) -> float:
        if self.weights is None:
            return 1.0 if ("lex=speech" in feats or "lex=belief" in feats) and (
                "that_clause" in feats or "near_quote" in feats or "cdep=ccomp" in feats
            ) else 0.0
        z = sum(self.weights.get(x, 0.0) for x in feats)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def predict_heads(self, doc: Doc) -> Iterator[tuple[Token, float]]:
        inq = in_quote_mask(doc)
        for tok in doc:
            if tok.pos_ not in _CANDIDATE_POS or inq[tok.i]:
                continue
            yield tok, self.score(token_features(tok, inq))
