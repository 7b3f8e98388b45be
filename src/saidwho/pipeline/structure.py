"""The structure stage: blocks of the article and sentence starts at their boundaries.

Runs before the parser. When the Doc carries no blocks (``doc._.saidwho_blocks`` unset, as for
plain text) they are read off the text with :func:`saidwho.structure.infer_blocks`; blocks given
with the text (from an HTML page's markup) are kept. Every block start, and the first word after
every blank line, then starts a sentence: spaCy's parser keeps boundaries set before it, so a
headline, a caption or a byline never joins the paragraph after it.

``doc._.saidwho_blocks`` is a list of ``[kind, start, end]`` (plain values, DocBin safe).
"""

from __future__ import annotations

from bisect import bisect_left

from spacy.language import Language
from spacy.tokens import Doc

from ..structure import HEADING_KINDS, BlockIndex, infer_blocks, sentence_starts
from ..structure.rules import BULLET
from ..structure.spans import in_blocks
from ..types import BODY_KINDS, Block
from .extensions import register as register_extensions


def doc_blocks(doc: Doc) -> list[Block]:
    """The blocks the structure stage left on ``doc`` (none: the stage did not run)."""
    raw = doc._.saidwho_blocks if Doc.has_extension("saidwho_blocks") else None
    return [Block(k, int(a), int(b)) for k, a, b in raw or ()]


def block_index(doc: Doc) -> BlockIndex:
    return BlockIndex(doc_blocks(doc))


def set_blocks(doc: Doc, blocks: list[Block] | None) -> Doc:
    """Put given blocks on a Doc not yet parsed (``None``: leave them to the stage)."""
    register_extensions()
    doc._.saidwho_blocks = None if blocks is None else [[b.kind, b.start, b.end] for b in blocks]
    return doc


class StructureMarker:
    """spaCy component: blocks on the Doc, sentence starts at their boundaries."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        if doc._.saidwho_blocks is None:
            set_blocks(doc, infer_blocks(text))
        if len(doc) < 2 or doc.has_annotation("DEP"):
            return doc  # placed after the parser: the blocks still confine the attributions
        idx = [t.idx for t in doc]
        for pos in sentence_starts(text, doc_blocks(doc)):
            i = bisect_left(idx, pos)
            if 0 < i < len(doc) and idx[i] == pos and not doc[i].is_space:
                doc[i].is_sent_start = True
        return doc


def cue_allowed(index: BlockIndex, cue_start: int) -> bool:
    """A cue can make an attribution in a body-like block or in a heading (where the whole
    attribution must then lie inside the heading); not in a caption, byline, teaser …"""
    home = index.at(cue_start)
    return home is not None and (home.kind in BODY_KINDS or home.kind in HEADING_KINDS)


def confine(
    index: BlockIndex, cue_start: int, source: list[int] | None, content: list[tuple[int, int]]
) -> tuple[list[int] | None, list[tuple[int, int]]]:
    """``source`` and ``content`` cut to what the cue's attribution may hold: nothing runs
    across a block boundary; the parts in body-like blocks stay (all inside the cue's own
    heading, for a cue in a heading). A source cut in several parts keeps the one in the cue's
    block, else the one nearest the cue."""
    home = index.at(cue_start)
    content = in_blocks(index, content, home)
    if source is not None:
        parts = in_blocks(index, [tuple(source)], home)
        if not parts:
            source = None
        else:
            own = [p for p in parts if home is not None and home.start <= p[0] and p[1] <= home.end]
            best = own[0] if own else min(parts, key=lambda p: abs(p[0] - cue_start))
            source = [best[0], best[1]]
    return source, content


def list_after(index: BlockIndex, text: str, cue: list[int]) -> list[tuple[int, int]]:
    """"Obama also said:" and a list under it: the items (their words, without the bullet and
    the final stop), when the cue closes its paragraph with a colon; otherwise none."""
    home = index.at(cue[0])
    if home is None or home.kind not in BODY_KINDS or text[cue[1] : home.end].strip() not in ("", ":"):
        return []
    if not text[home.start : home.end].endswith(":"):
        return []
    items = []
    k = index.blocks.index(home) + 1
    while k < len(index.blocks) and index.blocks[k].kind == "list_item":
        b = index.blocks[k]
        m = BULLET.match(text[b.start : b.end])
        a, z = b.start + (m.end() if m else 0), b.end
        while z > a and text[z - 1] in ".;,":
            z -= 1
        if z > a:
            items.append((a, z))
        k += 1
    return items
