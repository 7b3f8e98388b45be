"""Unattributed claims: parts of sentences in the article's own voice that make a check-worthy
claim (a number or quantity, a casualty or money figure, a superlative or comparison, a causal
or evaluative claim), each with its reasons.

A sentence's own voice is what no attribution covers (its source, cue and content, and the
propositions split from it). Words inside quotation marks (the engine's quotation regions:
“…”, "…", «…», „…“, ''…'', each within its paragraph) are someone else's words and are not
read for check-worthiness.
"""

from __future__ import annotations

import re
from typing import Any

from ..quotes import quote_regions
from ..types import Article
from .lexicons import find
from .propositions import Proposition, asides, subtract

_TRIM = " \t\r\n,;:.!?—–-"
_LEAD = re.compile(r"(?:(?:and|but|or|so|as|while|though|although|yet)\b[\s,]*)+", re.I)
_NON_FIGURE_ENTS = {"DATE", "TIME", "ORDINAL"}
REASON_ORDER = ("casualty figure", "money figure", "number", "quantity", "superlative", "comparison", "casualty", "causal", "evaluative")


def reasons_for(tokens) -> list[str]:
    """Why a run of the article's own words is check-worthy ([] when it is not)."""
    toks = list(tokens)
    if not toks:
        return []
    found = {kind for _, _, kind in find(toks, "checkworthy")}
    reasons = set()
    has_number = any(
        (t.like_num or t.pos_ == "NUM" or t.tag_ == "CD") and t.ent_type_ not in _NON_FIGURE_ENTS and not re.fullmatch(r"(19|20)\d\d", t.text)
        for t in toks
    )
    has_qty = "quantity" in found
    if has_number or has_qty:
        if "casualty" in found:
            reasons.add("casualty figure")
        if "money" in found or any(t.ent_type_ == "MONEY" for t in toks):
            reasons.add("money figure")
    if has_number:
        reasons.add("number")
    if has_qty:
        reasons.add("quantity")
    if any(t.tag_ in ("JJS", "RBS") for t in toks) or "superlative" in found:
        reasons.add("superlative")
    if any(t.tag_ in ("JJR", "RBR") for t in toks) and any(t.lower_ == "than" for t in toks):
        reasons.add("comparison")
    if "casualty" in found and "casualty figure" not in reasons:
        reasons.add("casualty")
    for k in ("causal", "evaluative"):
        if k in found:
            reasons.add(k)
    return [r for r in REASON_ORDER if r in reasons]


def covered_ranges(article: Article, props: list[Proposition]) -> list[tuple[int, int]]:
    out = []
    for a in article.attributions:
        for sp in (a.source, a.cue, a.medium, *a.content):
            if sp is not None and sp.end > sp.start:
                out.append((sp.start, sp.end))
        if a.source is not None and a.source.end <= a.cue.start and a.cue.start - a.source.end < 40:
            out.append((a.source.end, a.cue.start))
    for p in props:
        out.append((p.start, p.end))
    return out


def own_voice_asides(article: Article, doc) -> list[tuple[int, int]]:
    return [r for a in article.attributions if a.kind != "direct" for r in asides(doc, a)]


def _minus(r: tuple[int, int], cuts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = [r]
    for c in cuts:
        out = subtract(out, c)
    return out


def find_unattributed(article: Article, doc, props: list[Proposition]) -> list[dict[str, Any]]:
    text = doc.text
    covered = covered_ranges(article, props)
    own_asides = own_voice_asides(article, doc)
    quoted = quote_regions(text)  # as the engine reads them: «» „“ too, never across paragraphs
    out = []
    for sent in doc.sents:
        rest = [(sent.start_char, sent.end_char)]
        for c in covered:
            for piece in subtract([c], (0, 0)) if not own_asides else _minus(c, own_asides):
                rest = subtract(rest, piece)
        for s, e in rest:
            while s < e and (text[s] in _TRIM or text[s].isspace()):
                s += 1
            m = _LEAD.match(text, s, e)
            if m:
                s = m.end()
            while e > s and (text[e - 1] in _TRIM or text[e - 1].isspace()):
                e -= 1
            if e - s < 8:
                continue
            span = doc.char_span(s, e, alignment_mode="expand")
            if span is None or sum(t.is_alpha for t in span) < 3:
                continue
            if not any(t.pos_ in ("VERB", "AUX") for t in span) and not any(t.like_num for t in span):
                continue
            own = [t for t in span if not any(qs <= t.idx < qe for qs, qe in quoted)]
            reasons = reasons_for(own)
            if reasons:
                out.append({"span": {"start": s, "end": e, "text": text[s:e]}, "reason": ", ".join(reasons)})
    return out
