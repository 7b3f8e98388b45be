"""Quotation regions of a text, found from the marks alone (no parse needed).

A region is ``(start, end)`` including its marks. Curly marks pair “…”; straight double marks
toggle; a quote left open at a paragraph break closes there (the newspaper convention of
reopening the mark on each paragraph of a long quote).
"""

from __future__ import annotations

OPENERS = {"\u201c": "\u201d", "\u00ab": "\u00bb", "\u201e": "\u201c"}
TOGGLES = {'"'}


def quote_regions(text: str) -> list[tuple[int, int]]:
    """Return the double-quotation regions of ``text`` in order, marks included."""
    regions: list[tuple[int, int]] = []
    start = -1
    closer = ""
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if start < 0:
            if ch in OPENERS:
                start, closer = i, OPENERS[ch]
            elif ch in TOGGLES:
                start, closer = i, ch
        else:
            if ch == closer:
                regions.append((start, i + 1))
                start = -1
            elif ch == "\n":
                # paragraph break inside a quote: close it here; the next paragraph reopens
                end = i
                while end > start and text[end - 1].isspace():
                    end -= 1
                if end - start > 1:
                    regions.append((start, end))
                start = -1
        i += 1
    if start >= 0:
        end = n
        while end > start and text[end - 1].isspace():
            end -= 1
        if end - start > 1:
            regions.append((start, end))
    return regions
