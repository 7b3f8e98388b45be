"""Quotation regions of a text, found from the marks alone (no parse needed).

A region is ``(start, end)`` including its marks. Curly marks pair “…”; straight double marks
toggle; a quote left open at a paragraph break closes there (the newspaper convention of
reopening the mark on each paragraph of a long quote).
"""

from __future__ import annotations

OPENERS = {"\u201c": "\u201d", "\u00ab": "\u00bb", "\u201e": "\u201c"}
TOGGLES = {'"'}
# marks that can open or close a whole quoted line; a closing mark opening a line is a
# common typo ("”We will…”") and still opens it
LINE_OPENERS = "\u201c\u201d\"\u00ab"
LINE_CLOSERS = "\u201d\"\u00bb\u201c"
_EDGE = " \t\r\n\u00a0,;:\u2014\u2013-"


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


def whole_quotation(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``text[start:end]`` without surrounding spaces, separators and closing full stop, when
    what is left is one whole quotation: it opens with a quotation mark and closes with one."""
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and (text[end - 1] in _EDGE or text[end - 1] in ".!?"):
        end -= 1
    if end - start < 3 or text[start] not in LINE_OPENERS or text[end - 1] not in LINE_CLOSERS:
        return None
    return start, end
