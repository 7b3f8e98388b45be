"""Blocks of a plain text, read off its lines and blank lines with the rules of :mod:`.rules`.

A block is a headline, a body paragraph, a byline, a caption … (:data:`saidwho.types.BLOCK_KINDS`)
with exact character offsets into the text. Body lines that wrap a sentence (a line that does not
end like one) stay in one block with the next line; every other line break inside a paragraph
ends a block, and so does every blank line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..types import BODY_KINDS, Block
from . import rules

_NONBLANK = re.compile(r"\S")
_OPENS = re.compile(r"[A-Z0-9“\"‘'«(\[¿¡]")
_CONTINUES = re.compile(r"[a-z][a-z'’\-]*(?:[\s,;:]|$)")  # a line that goes on with a lowercase word
_QUOTE_CLOSED = re.compile(r",[”\"’']")  # "“The pier will reopen,” she said." is a paragraph, not a headline
_CLUTTER = frozenset({"boilerplate", "caption", "teaser", "byline"})


@dataclass
class _Line:
    start: int  # first non-space character
    end: int  # after the last non-space character
    text: str
    para_first: bool  # the first line of its paragraph (a blank line or the text's start before it)
    para_last: bool  # the last line of its paragraph
    hint: str | None = None  # the kind the page's markup gives it, if any


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    blank_before = True
    for raw in text.split("\n"):
        m = _NONBLANK.search(raw)
        if m is None:
            blank_before = True
            if out:
                out[-1].para_last = True
        else:
            stripped = raw.rstrip()
            a, b = pos + m.start(), pos + len(stripped)
            out.append(_Line(a, b, text[a:b], blank_before, False))
            blank_before = False
        pos += len(raw) + 1
    if out:
        out[-1].para_last = True
    return out


def _rule(line: str) -> rules.LineRule | None:
    """The first rule that matches ``line``. In a list, a question ends no sentence: "- A
    SIMPLE GUIDE: How do I protect myself?" is a teaser (outside lists, "Q: Is he
    conservative?" is an interview's question, and "Hannity interjected: “…?”" a quotation)."""
    bullet = rules.BULLET.match(line)
    line = line[bullet.end() :] if bullet else line  # "- WATCH: …" is a teaser in a list
    words = len(line.split())
    prose = bool((rules.STATEMENT_END if bullet else rules.SENTENCE_END).search(line))
    for rule in rules.LINE_RULES:
        if words <= rule.max_words and (rule.prose or not prose) and rule.pattern.search(line):
            return rule
    return None


def _rule_kind(line: str) -> str | None:
    rule = _rule(line)
    return rule.kind if rule is not None else None


def _heading_like(line: str, max_words: int, max_chars: int) -> bool:
    return (
        len(line.split()) <= max_words
        and len(line) <= max_chars
        and bool(_OPENS.match(line))
        and not rules.FINAL_PUNCT.search(line)
        and not rules.DASH_LINE.match(line)
        and any(ch.isalpha() for ch in line)
    )


def _headline_like(line: str) -> bool:
    return (
        len(line.split()) <= rules.HEADLINE_WORDS
        and len(line) <= rules.HEADLINE_CHARS
        and bool(_OPENS.match(line))
        and not line.endswith(":")
    )


def _kind(lines: Sequence[_Line], k: int, first: bool, after_colon: bool) -> str:
    """The kind of line ``k``. ``first``: the text's first line, read without markup;
    ``after_colon``: the lines before it introduce a list ("… the following tasks:")."""
    ln = lines[k]
    text = ln.text
    more = k + 1 < len(lines)
    if not ln.para_last and more and _CONTINUES.match(lines[k + 1].text) and not rules.SENTENCE_END.search(text):
        return "body"  # a sentence wrapped over lines goes on below
    rule = _rule(text)
    found = rule.kind if rule is not None else None
    if rules.BULLET.match(text):
        return found if found in _CLUTTER else "list_item"
    if first and more and (rule is None or rule.weak) and _headline_like(text) and not _QUOTE_CLOSED.search(text):
        # the first line, a paragraph of its own (or with a deck line under it): the headline,
        # even with a final period; a headline that reports speech keeps its attribution
        deck = not ln.para_last and lines[k + 1].para_last and _headline_like(lines[k + 1].text) and k + 2 < len(lines)
        if ln.para_last or deck:
            return "headline"
    if found is not None:
        return found
    if after_colon and _heading_like(text, rules.HEADING_WORDS, rules.HEADING_CHARS) and not (ln.para_first and ln.para_last):
        return "list_item"  # an item of a list without bullets, after "… the following tasks:"
    prev_closed = ln.para_first or bool(rules.SENTENCE_END.search(lines[k - 1].text)) or lines[k - 1].text.endswith(":")
    next_opens = ln.para_last or not more or bool(_OPENS.match(lines[k + 1].text))
    if prev_closed and next_opens and more and _heading_like(text, rules.HEADING_WORDS, rules.HEADING_CHARS):
        return "headline" if first else "subhead"
    return "body"


def _is_name_line(block: Block, text: str) -> bool:
    """A short line without punctuation (a name) right above a byline belongs to it."""
    return block.kind in ("body", "subhead") and _heading_like(text[block.start : block.end], 5, 60)


def _dateline(text: str, start: int, end: int) -> int | None:
    """End of a dateline opening ``text[start:end]`` ("LONDON — "), or None."""
    for pattern in rules.DATELINES:
        m = pattern.match(text, start, min(end, start + rules.DATELINE_MAX + 4))
        if m is not None and m.end() - start <= rules.DATELINE_MAX and rules.DATELINE_NEXT.match(text, m.end()):
            return m.end()
    return None


def infer_blocks(text: str, hints: Sequence[tuple[int, int, str]] = ()) -> list[Block]:
    """The blocks of ``text``. ``hints``: ``(start, end, kind)`` ranges whose kind the page's
    markup gave (from HTML); lines inside a hint of a kind other than ``body`` keep that kind,
    the others are read by the rules (markup lets teasers, credits and bylines through as
    paragraphs)."""
    lines = _lines(text)
    if hints:
        for ln in lines:  # one line per element of the page: each a paragraph of its own
            ln.para_first = ln.para_last = True
        hs = sorted(hints)
        j = 0
        for ln in lines:
            while j < len(hs) and hs[j][1] <= ln.start:
                j += 1
            if j < len(hs) and hs[j][0] <= ln.start < hs[j][1]:
                ln.hint = hs[j][2]
    blocks: list[Block] = []
    first = True
    after_colon = teasers = False
    for k, ln in enumerate(lines):
        if ln.hint is not None and ln.hint not in ("body", "list_item"):
            kind = ln.hint
        elif ln.hint == "list_item":  # a list of links to other stories is no list of claims
            found = _rule_kind(ln.text if rules.BULLET.match(ln.text) else "- " + ln.text)
            kind = found if found in _CLUTTER else "list_item"
        elif k == 1 and blocks and blocks[0].kind == "headline" and not ln.para_first and ln.para_last and _headline_like(ln.text):
            kind = "subhead"  # the deck under the headline
        elif teasers and not ln.para_first and _heading_like(ln.text, rules.HEADING_WORDS, rules.HEADING_CHARS):
            kind = "teaser"  # the links under "More on the election:"
        else:
            kind = _kind(lines, k, first and not hints, after_colon)
        first = False
        teasers = (kind == "teaser" and ln.text.endswith(":")) or (teasers and kind == "teaser")
        after_colon = ln.text.endswith(":") or (after_colon and kind == "list_item")
        if kind == "byline" and blocks and not ln.para_first and _is_name_line(blocks[-1], text):
            blocks[-1] = Block("byline", blocks[-1].start, blocks[-1].end)  # "JANE DOE⏎jane.doe@example.com"
        prev = blocks[-1] if blocks else None
        if (
            kind == "body"
            and prev is not None
            and prev.kind == "body"
            and not hints
            and not ln.para_first
            and not rules.SENTENCE_END.search(lines[k - 1].text)
            and not lines[k - 1].text.endswith(":")
        ):
            blocks[-1] = Block("body", prev.start, ln.end)  # a sentence wrapped over lines
            continue
        start = ln.start
        if kind == "body":
            cut = _dateline(text, ln.start, ln.end)
            if cut is not None:
                end = cut
                while end > ln.start and text[end - 1].isspace():
                    end -= 1
                blocks.append(Block("dateline", ln.start, end))
                start = cut
        blocks.append(Block(kind, start, ln.end))  # type: ignore[arg-type]
    return blocks


def sentence_starts(text: str, blocks: Sequence[Block]) -> list[int]:
    """Character offsets where a sentence must begin: the start of each block that follows a
    block of another sort (a headline, byline, caption, dateline … and the body after it).
    Between two body-like blocks the parser's own sentences stay: the taggers were trained on
    them, and the attribute stage keeps every source and content inside one block anyway (a
    paragraph that ends with a colon, "The New York Times reports:", is read with the next)."""
    ordered = sorted(blocks, key=lambda b: b.start)
    return [b.start for prev, b in zip(ordered, ordered[1:]) if not (prev.kind in BODY_KINDS and b.kind in BODY_KINDS)]
