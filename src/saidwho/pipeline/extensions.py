"""The Doc extensions saidwho writes: plain lists and dicts with character offsets only.

A ``Span`` stored in ``doc._`` would break DocBin and multiprocessing, so results live in
``doc.spans`` (for display) and in these JSON-able attributes (for conversion).

``doc._.saidwho_attributions``: list of dicts
    {"cue": [s, e], "source": [s, e] | None, "content": [[s, e], ...], "kind": str,
     "medium": [s, e] | None, "parent": int | None, "confidence": float, "speaker": int | None}
``doc._.saidwho_speakers``: list of dicts
    {"name": str, "role": str | None, "type": str, "mentions": [[s, e], ...]}
``doc._.saidwho_blocks``: list of ``[kind, start, end]`` (the article's blocks, see
    :mod:`saidwho.structure`; None until the structure stage has run or blocks were given)
"""

from __future__ import annotations

from spacy.tokens import Doc

SPAN_KEYS = ("saidwho_cue", "saidwho_source", "saidwho_content", "saidwho_quote")


def register() -> None:
    """Register the extensions (idempotent)."""
    for name in ("saidwho_attributions", "saidwho_speakers", "saidwho_blocks"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
