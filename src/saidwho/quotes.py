"""Quotation regions of a text, found from the marks alone (no parse needed).

A region is ``(start, end)`` including its marks. Curly marks pair “…”; straight double marks
toggle, and so do doubled apostrophes (''…'', the mark of text converted from typewriter or
TeX conventions, as in much newspaper archive text; ``…'' pairs too); a quote left open at a
paragraph break closes there (the newspaper convention of reopening the mark on each
paragraph of a long quote).
"""

from __future__ import annotations

import re

OPENERS = {"\u201c": "\u201d", "\u00ab": "\u00bb", "\u201e": "\u201c"}
TOGGLES = {'"'}
#: two-character marks: two apostrophes toggle; two backticks open a quote that two apostrophes close
PAIR_TOGGLE, PAIR_OPENER = "''", "``"
# marks that can open or close a whole quoted line; a closing mark opening a line is a
# common typo ("”We will…”") and still opens it
LINE_OPENERS = "\u201c\u201d\"\u00ab"
LINE_CLOSERS = "\u201d\"\u00bb\u201c"
_EDGE = " \t\r\n\u00a0,;:\u2014\u2013-"
#: every character :func:`quote_regions` acts on: openers, their closers, toggles, the first
#: characters of the two-character marks, and the line break that closes an open quote
_MARKS = re.compile("[" + re.escape("".join(OPENERS) + "".join(OPENERS.values()) + "".join(TOGGLES) + "'`\n") + "]")


def quote_regions(text: str) -> list[tuple[int, int]]:
    """Return the double-quotation regions of ``text`` in order, marks included."""
    regions: list[tuple[int, int]] = []
    start = -1
    closer = ""
    i = 0
    n = len(text)
    while i < n:
        # jump to the next character that can open or close a quotation (any other does nothing)
        m = _MARKS.search(text, i)
        if m is None:
            break
        i = m.start()
        ch = text[i]
        pair = text[i : i + 2]
        if start < 0:
            if ch in OPENERS:
                start, closer = i, OPENERS[ch]
            elif ch in TOGGLES:
                start, closer = i, ch
            elif pair in (PAIR_TOGGLE, PAIR_OPENER):
                start, closer = i, PAIR_TOGGLE
                i += 1
        else:
            if ch == closer or (closer == PAIR_TOGGLE and pair == PAIR_TOGGLE):
                i += len(closer) - 1
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


def opening_mark(text: str, start: int) -> int:
    """Length of the quotation mark that opens at ``start`` (0 if none)."""
    if text[start : start + 2] in (PAIR_TOGGLE, PAIR_OPENER):
        return 2
    return 1 if start < len(text) and text[start] in LINE_OPENERS else 0


def closing_mark(text: str, end: int) -> int:
    """Length of the quotation mark that closes just before ``end`` (0 if none)."""
    if end >= 2 and text[end - 2 : end] == PAIR_TOGGLE:
        return 2
    return 1 if end >= 1 and text[end - 1] in LINE_CLOSERS else 0


def whole_quotation(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``text[start:end]`` without surrounding spaces, separators and closing full stop, when
    what is left is one whole quotation: it opens with a quotation mark and closes with one."""
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and (text[end - 1] in _EDGE or text[end - 1] in ".!?"):
        end -= 1
    if end - start < 3 or not opening_mark(text, start) or not closing_mark(text, end):
        return None
    return start, end
