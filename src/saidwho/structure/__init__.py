"""saidwho.structure: the layout of an article before it is parsed.

An article is a sequence of blocks (:class:`saidwho.types.Block`): headline, subheads, bylines,
datelines, body paragraphs, list items, block quotations, captions, teasers and boilerplate,
each a character range of the text. Plain text is read with the line rules of :mod:`.rules`
(:func:`infer_blocks`); an HTML page gives its blocks from its markup (see
:mod:`saidwho.ingest.html`), and the same rules then read its paragraphs.

The pipeline uses blocks twice: no sentence runs across a block boundary, and attributions come
only from body-like blocks (:data:`saidwho.types.BODY_KINDS`), or from a heading that holds a
whole attribution ("Mayor says park will be built").

This package is the ground floor: it imports nothing from the pipeline, the models or the store.
"""

from __future__ import annotations

from .layout import infer_blocks, sentence_starts
from .spans import HEADING_KINDS, BlockIndex

__all__ = ["BlockIndex", "HEADING_KINDS", "infer_blocks", "sentence_starts"]
