"""Character ranges against blocks: which block holds an offset, and a range cut at block
boundaries (so that no source or content runs from one block into the next)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence

from ..types import BODY_KINDS, Block

#: Headings: a cue in one makes an attribution only if the whole attribution lies inside it.
HEADING_KINDS = frozenset({"headline", "subhead"})


class BlockIndex:
    """Blocks sorted by start, for lookups by character offset."""

    def __init__(self, blocks: Iterable[Block]) -> None:
        self.blocks: list[Block] = sorted(blocks, key=lambda b: (b.start, b.end))
        self._starts = [b.start for b in self.blocks]

    def __bool__(self) -> bool:
        return bool(self.blocks)

    def at(self, pos: int) -> Block | None:
        """The block that holds character ``pos`` (None: white space between blocks)."""
        k = bisect_right(self._starts, pos) - 1
        if k >= 0 and pos < self.blocks[k].end:
            return self.blocks[k]
        return None

    def pieces(self, start: int, end: int) -> list[tuple[int, int, Block]]:
        """``[start, end)`` cut at block boundaries: the parts that lie inside a block, with it."""
        out = []
        k = max(bisect_right(self._starts, start) - 1, 0)
        while k < len(self.blocks) and self.blocks[k].start < end:
            b = self.blocks[k]
            a, z = max(start, b.start), min(end, b.end)
            if a < z:
                out.append((a, z, b))
            k += 1
        return out


def body_like(block: Block | None) -> bool:
    return block is not None and block.kind in BODY_KINDS


def in_blocks(index: BlockIndex, spans: Sequence[tuple[int, int]], home: Block | None) -> list[tuple[int, int]]:
    """The parts of ``spans`` an attribution may hold: inside ``home`` alone when ``home`` is a
    heading, else inside body-like blocks; each part within one block."""
    out = []
    for a, b in spans:
        for x, y, blk in index.pieces(a, b):
            if (blk is home) if home is not None and home.kind in HEADING_KINDS else body_like(blk):
                out.append((x, y))
    return out
