"""Linking: for each cue, its source and content, with kind, medium and nesting.

Reads ``doc.spans["saidwho_cue"]`` and writes ``doc._.saidwho_attributions`` (plain offsets)
plus ``doc.spans["saidwho_source"]`` / ``["saidwho_content"]`` / ``["saidwho_quote"]``.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from .cues import CUE_KEY, take_info
from .extraction import extract
from ..learn.mlp import ROLE_MLP_WEIGHT, BlendedTagger
from .models import load_extent_model, load_mlp, load_model


def _spans(doc: Doc, pairs: list[list[int]]):
    out = []
    for a, b in pairs:
        sp = doc.char_span(a, b, alignment_mode="expand")
        if sp is not None:
            out.append(sp)
    return out


class Attributor:
    """spaCy component: cues → attribution records."""

    def __init__(self, nlp: Language, name: str, use_extent: bool = True, mlp_weight: float = ROLE_MLP_WEIGHT) -> None:
        self.name = name
        self.model = load_model("role_model.json")
        if mlp_weight:
            self.model = BlendedTagger(self.model, load_mlp(), mlp_weight)
        self.extent = load_extent_model() if use_extent else None

    def __call__(self, doc: Doc) -> Doc:
        info = take_info(doc)
        regions = info.regions
        group = doc.spans.get(CUE_KEY, [])
        scores = list(group.attrs.get("scores", [])) if hasattr(group, "attrs") else []
        scores += [0.0] * (len(group) - len(scores))
        cues = [(s.start, s.end, s.label_, sc) for s, sc in zip(group, scores)]
        records = extract(info, cues, regions, self.model, self.extent)
        doc._.saidwho_attributions = records
        # every cue that made an attribution (fixed constructions included), labelled by kind
        cue_spans = []
        for r in records:
            sp = doc.char_span(*r["cue"], alignment_mode="expand")
            if sp is not None:
                sp.label_ = r["kind"]
                cue_spans.append(sp)
        doc.spans[CUE_KEY] = cue_spans
        doc.spans["saidwho_quote"] = _spans(doc, [list(r) for r in regions])
        doc.spans["saidwho_source"] = _spans(doc, [r["source"] for r in records if r["source"]])
        doc.spans["saidwho_content"] = _spans(doc, [c for r in records for c in r["content"]])
        return doc
