"""saidwho.analysis: what an article's attributions add up to for a fact-checker.

    >>> from saidwho import analyze
    >>> from saidwho.analysis import enrich, chain_text
    >>> doc = enrich(analyze(text), outlet="Mondoweiss")

``enrich`` returns the engine's JSON document (``Article.to_dict()``) extended with

- ``"propositions"``: ``[{"id", "attribution", "span", "actor", "topic", "polarity", "modality"}]``
- ``"relations"``: ``[{"a", "b", "kind": "disagree"|"agree", "score", "basis"}]``, strongest
  first (``basis``: "stance model", "polarity rule" without the model, or "rebuttal")
- ``"unattributed"``: ``[{"span", "reason"}]``
- on each attribution, ``"vague": bool`` and ``"chain": [names, outermost first]``.

See docs/analysis.md.
"""

from __future__ import annotations

import threading
from typing import Any

from ..types import Article
from . import embeddings, stance
from .chains import build_chains, chain_text, is_vague
from .propositions import Proposition, build_propositions
from .rebuttals import denials, find_rebuttals, merge
from .relations import Relation, find_relations
from .topics import TopicContext, learn_abbreviations
from .unattributed import find_unattributed

__all__ = [
    "Proposition",
    "Relation",
    "analyze_positions",
    "chain_text",
    "embeddings",
    "stance",
    "enrich",
    "enriched_document",
    "is_vague",
    "learn_abbreviations",
]

_lock = threading.Lock()
_parser = None


def _default_nlp():
    """A plain spaCy pipeline (tagger, parser, NER) for the analysis, loaded once."""
    global _parser
    with _lock:
        if _parser is None:
            import spacy

            from .. import settings

            _parser = spacy.load(settings.model_name())
        from ..settings import fit_max_length

        return fit_max_length(_parser)  # stored texts are as long as saidwho's limit allows


def analyze_positions(article: Article, outlet: str | None = None, nlp=None) -> dict[str, Any]:
    """The analysis parts alone: propositions, relations, unattributed, and per attribution id
    its ``vague`` flag and ``chain`` (objects, not yet dicts, under ``"_props"``)."""
    nlp = nlp if nlp is not None else _default_nlp()
    doc = nlp(article.text)
    ctx = TopicContext.from_doc(doc)
    props = build_propositions(article, doc, ctx)
    rels = find_relations(props, denials(article, doc))
    extra, rebuttals = find_rebuttals(article, doc, ctx, props)
    props = props + extra
    rels = merge(rels, rebuttals, props)
    unatt = find_unattributed(article, doc, props)
    chains = build_chains(article, doc, outlet)
    vague = {a.id: is_vague(a, doc) for a in article.attributions}
    return {"_props": props, "_doc": doc, "relations": rels, "unattributed": unatt, "chains": chains, "vague": vague}


def enrich(article: Article, outlet: str | None = None, nlp=None) -> dict[str, Any]:
    """``article.to_dict()`` extended with propositions, relations, unattributed claims, and
    each attribution's ``vague`` flag and source ``chain``.

    ``outlet`` names the publishing outlet (else ``article.meta["outlet"]`` and similar keys;
    without one the chain starts at the cited medium or the speaker). ``nlp`` is a spaCy
    pipeline with a parser and NER to use instead of loading the configured model once more.
    """
    return enriched_document(article, analyze_positions(article, outlet=outlet, nlp=nlp))


def enriched_document(article: Article, res: dict[str, Any]) -> dict[str, Any]:
    """The document :func:`enrich` returns, from what :func:`analyze_positions` found (the
    store builds the same from the same parts)."""
    d = article.to_dict()
    for a in d["attributions"]:
        a["vague"] = bool(res["vague"].get(a["id"], False))
        a["chain"] = list(res["chains"].get(a["id"], []))
    d["propositions"] = [p.to_dict() for p in res["_props"]]
    d["relations"] = [r.to_dict() for r in res["relations"]]
    d["unattributed"] = res["unattributed"]
    return d
