"""Cue detection: the words that report an attribution ("said", "according to", "fears").

A learned B/I/O tagger (``data/cue_model.npz``, trained on PolNeAR train) marks cue spans,
sentence by sentence, then once more where a verb it was sure of elsewhere in the article comes
back (the article pass, see :func:`saidwho.learn.decode.tag_cues`), in
``doc.spans["saidwho_cue"]``. Each span's label says how it reports:
``verb`` (speech), ``belief`` (an internal state), ``according_to``, ``noun``; the group's
``attrs["scores"]`` holds the tagger's margin for each span (higher = surer).

Cues that do not report are dropped (:func:`keeps_cue`): the tagger learned PolNeAR's wide
notion of a cue, which takes in actions ("imposed a curfew", "voted for it"); on real pages
those are a large share of its mistakes, and of the recall pass's.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..learn.decode import ARTICLE_BOOST, ARTICLE_MARGIN, cues_and_candidates, tag_cues
from ..learn.features import DocInfo, cue_head
from ..lexicon import wordlist
from .models import load_model

CUE_KEY = "saidwho_cue"
#: Cues the tagger nearly took, for the attribute stage to judge (:mod:`saidwho.learn.acceptor`).
CANDIDATE_KEY = "saidwho_cue_candidate"

# The parse features computed here are handed to the attribute stage, which runs next on the
# same Doc. They are kept beside the Doc, not in it: doc.user_data must stay serialisable
# (DocBin), so a Doc that leaves the pipeline early carries nothing extra. Several Docs may be
# in flight between the two stages (the attribute stage takes them in batches), so the last
# _HANDOFF_MAX are kept, oldest dropped first; a Doc whose features were dropped gets them anew.
_HANDOFF_MAX = 128
_handoff: dict[int, tuple[Doc, DocInfo]] = {}


def take_info(doc: Doc) -> DocInfo:
    """The features the cue stage computed for ``doc`` (computed afresh if it did not)."""
    held = _handoff.pop(id(doc), None)
    if held is not None and held[0] is doc:
        return held[1]
    return DocInfo.of(doc)


def _hand_on(doc: Doc, info: DocInfo) -> None:
    while len(_handoff) >= _HANDOFF_MAX:
        del _handoff[next(iter(_handoff))]
    _handoff[id(doc)] = (doc, info)


def scored_spans(doc: Doc, key: str) -> list[tuple[int, int, str, float]]:
    """``(start, end, label, margin)`` of the spans this stage wrote under ``key`` (margin 0
    where a group carries no scores, as one a user built by hand)."""
    group = doc.spans.get(key, [])
    scores = list(group.attrs.get("scores", [])) if hasattr(group, "attrs") else []
    scores += [0.0] * (len(group) - len(scores))
    return [(s.start, s.end, s.label_, sc) for s, sc in zip(group, scores)]


#: The word lists whose entries make a cue report (``data/<name>.txt``).
REPORTING_LISTS = ("reporting_words", "cue_verbs", "belief_verbs", "cue_nouns", "core_cues", "perception_cues")


@lru_cache(maxsize=None)
def reporting_words() -> frozenset[str]:
    """Lemmas of saying, writing, thinking, believing and reporting (all of REPORTING_LISTS)."""
    return frozenset().union(*(wordlist(name) for name in REPORTING_LISTS))


def reports(info: DocInfo, start: int, end: int) -> bool | None:
    """What the words of the cue ``[start, end)`` say about it: True when one of them (lemma or
    form) is a word of saying, thinking or reporting ("said", "according to", "made it
    clear", "is convinced"), or the cue is punctuation alone (a colon or dash before a
    quotation); False when its head is a verb of doing (``data/action_words.txt``: "imposed",
    "opened fire", "voted"); None when the words do not tell."""
    words = reporting_words()
    if not any(ch.isalnum() for i in range(start, end) for ch in info.low[i]):
        return True
    if any(info.lem[i] in words or info.low[i] in words for i in range(start, end)):
        return True
    if info.lem[cue_head(info, start, end)] in wordlist("action_words"):
        return False
    return None


def keeps_cue(info: DocInfo, start: int, end: int, candidate: bool = False) -> bool:
    """The rule by which cues are kept: a cue of the tagger unless its words show an action
    (the tagger weighed its context and is trusted where the words do not tell); a candidate
    of the recall pass only when its words report (the tagger found too little to take it)."""
    said = reports(info, start, end)
    return said is True if candidate else said is not False


def cue_label(info: DocInfo, start: int, end: int) -> str:
    """How a cue reports, from its words: according_to, belief, noun or verb."""
    words = info.low[start:end]
    if "according" in words or words[:2] == ["in", "the"] and "words" in words:
        return "according_to"
    h = cue_head(info, start, end)
    belief = wordlist("belief_verbs")
    if any(info.lem[i] in belief and info.pos[i] == "VERB" for i in range(start, end)):
        return "belief"
    if info.pos[h] in ("NOUN", "PROPN"):
        return "noun"
    return "verb"


class CueDetector:
    """spaCy component: tags cues with the learned model."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        bias: float = 0.0,
        article_boost: float = ARTICLE_BOOST,
        article_margin: float = ARTICLE_MARGIN,
        candidate_bias: float = 0.0,
        reporting_only: bool = True,
    ) -> None:
        self.name = name
        self.reporting_only = reporting_only  # drop the cues that do not report (keeps_cue)
        self.candidate_bias = candidate_bias  # 0: offer no candidates (the default); see learn/acceptor.py
        self.bias = bias
        self.article_boost = article_boost  # the article pass of tag_cues (0: off)
        self.article_margin = article_margin
        self.model = load_model("cue_model.npz")

    def __call__(self, doc: Doc) -> Doc:
        info = DocInfo.of(doc)
        _hand_on(doc, info)
        args = (self.bias, self.article_boost, self.article_margin)
        if self.candidate_bias:
            cues, candidates = cues_and_candidates(info, self.model, self.candidate_bias, *args)
        else:
            cues, candidates = tag_cues(info, self.model, *args), []
        if self.reporting_only:
            cues = [c for c in cues if keeps_cue(info, c[0], c[1])]
            candidates = [c for c in candidates if keeps_cue(info, c[0], c[1], candidate=True)]
        for key, found in ((CUE_KEY, cues), (CANDIDATE_KEY, candidates)):
            doc.spans[key] = [Span(doc, s, e, label=cue_label(info, s, e)) for s, e, _ in found]
            doc.spans[key].attrs["scores"] = [round(float(m), 3) for _, _, m in found]
        return doc
