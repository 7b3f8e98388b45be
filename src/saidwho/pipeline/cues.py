"""Cue detection: the words that report an attribution ("said", "according to", "fears").

The component marks cue spans in ``doc.spans["saidwho_cue"]`` with a label telling how the
cue reports: ``verb`` (speech), ``belief`` (internal state), ``according_to``, ``noun``.
A cue is its head word plus auxiliaries, negation and particles that PolNeAR includes
("is once again questioning", "pointed out").
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..lexicon import wordlist
from .cue_model import CueModel

CUE_KEY = "saidwho_cue"
_AUX_DEPS = {"aux", "auxpass", "neg"}
_ADVERB_IN_CUE = {"advmod"}


def cue_extent(tok: Token) -> tuple[int, int]:
    """Token range ``[i, j)`` of the cue headed by ``tok``: auxiliaries, particle, negation."""
    start = end = tok.i
    for child in tok.children:
        if child.dep_ in _AUX_DEPS and child.i < tok.i:
            start = min(start, child.i)
        elif child.dep_ == "advmod" and child.i < tok.i and start <= child.i + 1 and child.i > tok.i - 3:
            start = min(start, child.i)
        elif child.dep_ == "prt" and child.i > tok.i:
            end = max(end, child.i)
    # keep the span contiguous: only extend over the tokens between head and its aux
    while start < tok.i and tok.doc[start].is_punct:
        start += 1
    return start, end + 1


class CueDetector:
    """Finds cues with a learned token classifier backed by the cue lexicons."""

    def __init__(self, nlp: Language, name: str, threshold: float = 0.5) -> None:
        self.name = name
        self.threshold = threshold
        self.model = CueModel.load_default()
        self.speech = wordlist("cue_verbs")
        self.belief = wordlist("belief_verbs")

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        taken: set[int] = set()
        # "according to X"
        for tok in doc:
            if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
                spans.append(Span(doc, tok.i, tok.i + 2, label="according_to"))
                taken.update((tok.i, tok.i + 1))
        for tok, score in self.model.predict_heads(doc):
            if tok.i in taken or score < self.threshold:
                continue
            start, end = cue_extent(tok)
            if any(i in taken for i in range(start, end)):
                continue
            label = "belief" if tok.lemma_.lower() in self.belief else ("noun" if tok.pos_ in ("NOUN", "PROPN") else "verb")
            span = Span(doc, start, end, label=label)
            spans.append(span)
            taken.update(range(start, end))
        spans.sort(key=lambda s: s.start)
        doc.spans[CUE_KEY] = spans
        return doc
