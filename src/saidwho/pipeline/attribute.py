"""Linking: for each cue, its source and content taken from the parse and the quote marks.

Reads ``doc.spans["saidwho_cue"]`` and writes ``doc._.saidwho_attributions`` (plain offsets)
plus ``doc.spans["saidwho_source"]`` / ``["saidwho_content"]`` for display.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from . import extraction
from .quotes import quote_regions


class Attributor:
    """Turns cues into attributions: source, content, kind, medium, nesting."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        regions = quote_regions(doc.text)
        doc.spans["saidwho_quote"] = [
            s for s in (doc.char_span(a, b, alignment_mode="expand") for a, b in regions) if s is not None
        ]
        records = extraction.extract(doc, list(doc.spans.get("saidwho_cue", [])), regions)
        doc._.saidwho_attributions = records
        srcs, conts = [], []
        for r in records:
            if r["source"]:
                sp = doc.char_span(*r["source"], alignment_mode="expand")
                if sp is not None:
                    srcs.append(sp)
            for c in r["content"]:
                sp = doc.char_span(*c, alignment_mode="expand")
                if sp is not None:
                    conts.append(sp)
        doc.spans["saidwho_source"] = srcs
        doc.spans["saidwho_content"] = conts
        return doc
