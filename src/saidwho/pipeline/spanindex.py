"""Range look-ups for extraction that stay cheap on long texts.

Extraction asks, for every attribution, which quotation region holds a point, whether another
attribution's words overlap a range, which content holds a cue. Scanning every region or every
other attribution for each one made a text's time grow with the square of its length (a book-
length text ran for many minutes). These indexes answer the same questions by bisection over
sorted starts; every answer is the one the scan gave, in the same order where order matters.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable, Sequence


class Regions(list):
    """Quotation regions (sorted, non-overlapping ``(start, end)``, as
    :func:`saidwho.quotes.quote_regions` gives them), still a plain list to read, with
    look-ups by bisection. Ranges that are not sorted and disjoint are searched one by one."""

    def __init__(self, ranges: Iterable[tuple[int, int]] = ()) -> None:
        super().__init__(ranges)
        self.starts = [a for a, _ in self]
        self.ordered = all(self[k][1] <= self[k + 1][0] for k in range(len(self) - 1)) and all(a <= b for a, b in self)

    @classmethod
    def of(cls, ranges: Sequence[tuple[int, int]]) -> "Regions":
        return ranges if isinstance(ranges, Regions) else cls(ranges)

    def index_of(self, pos: int) -> int | None:
        """The first region ``k`` with ``start <= pos < end``, or None."""
        if not self.ordered:
            return next((k for k, (ra, rb) in enumerate(self) if ra <= pos < rb), None)
        k = bisect_right(self.starts, pos) - 1
        return k if k >= 0 and pos < self[k][1] else None

    def covers(self, a: int, b: int) -> bool:
        """Whether one region holds all of ``[a, b)`` (``start <= a`` and ``b <= end``)."""
        if not self.ordered or b <= a:
            return any(ra <= a and b <= rb for ra, rb in self)
        k = bisect_right(self.starts, a) - 1
        return k >= 0 and b <= self[k][1]

    def starts_in(self, a: int, b: int) -> bool:
        """Whether a region starts at ``a <= start < b``."""
        if not self.ordered:
            return any(a <= ra < b for ra, _ in self)
        k = bisect_left(self.starts, a)
        return k < len(self) and self.starts[k] < b

    def holding(self, a: int, b: int) -> tuple[int, int] | None:
        """The first region with ``start <= a < end`` and ``b <= end``, or None."""
        if not self.ordered:
            return next((r for r in self if r[0] <= a < r[1] and b <= r[1]), None)
        k = self.index_of(a)
        return self[k] if k is not None and b <= self[k][1] else None

    def starting_between(self, a: int, b: int) -> Iterable[tuple[int, int]]:
        """The regions with ``a < start < b``, in order."""
        if not self.ordered:
            return (r for r in self if a < r[0] < b)
        return (self[k] for k in range(bisect_right(self.starts, a), bisect_left(self.starts, b)))


class SpanIndex:
    """Character ranges with an owner each (an attribution's index), kept sorted by start,
    which can change as extraction goes: which ranges overlap ``[a, b)``, leaving one owner out."""

    def __init__(self) -> None:
        self.items: list[tuple[int, int, int]] = []
        self.longest = 0  # only grows: a look-up window may be wider than needed, never narrower

    def add(self, x: int, y: int, owner: int) -> None:
        insort(self.items, (x, y, owner))
        self.longest = max(self.longest, y - x)

    def remove(self, x: int, y: int, owner: int) -> None:
        k = bisect_left(self.items, (x, y, owner))
        if k < len(self.items) and self.items[k] == (x, y, owner):
            del self.items[k]

    def overlapping(self, a: int, b: int, exclude: int | None = None) -> list[tuple[int, int]]:
        """``(x, y)`` of the ranges with ``x < b`` and ``a < y`` whose owner is not ``exclude``."""
        items = self.items
        lo = bisect_left(items, (a - self.longest,))
        hi = bisect_left(items, (b,))
        return [(x, y) for x, y, o in items[lo:hi] if a < y and o != exclude]

    def without(self, owner: int) -> "OtherSpans":
        return OtherSpans(self, owner)


class OtherSpans:
    """The ranges of a :class:`SpanIndex` but one owner's: what "taken by another attribution"
    means to :func:`saidwho.pipeline.extraction.complete_quotes` and ``continue_quotes``."""

    def __init__(self, index: SpanIndex, owner: int) -> None:
        self.index = index
        self.owner = owner

    def overlapping(self, a: int, b: int) -> list[tuple[int, int]]:
        return self.index.overlapping(a, b, self.owner)


def overlapping(taken, a: int, b: int) -> list[tuple[int, int]]:
    """The ranges of ``taken`` (a sequence of ``(x, y)`` or an :class:`OtherSpans`) that overlap
    ``[a, b)``: ``x < b`` and ``a < y``."""
    if isinstance(taken, OtherSpans):
        return taken.overlapping(a, b)
    return [(x, y) for x, y in taken if x < b and a < y]
