"""Quote bylines: a quotation followed by a dash and the speaker's name.

Quote round-ups, pull quotes and reader responses put the speaker after the quote::

    “We will rebuild the pier.” ― Dana Whitlock
    "Prices are too high."
    - Omar Reyes, Tulsa.

The dash is the cue, the name the source and the quotation the content. The construction is
read off the characters, not the parse: the dash often shares a token with the closing mark.
"""

from __future__ import annotations

import re

from ..lexicon import wordlist
from .quotes import LINE_CLOSERS, whole_quotation

# a dash that introduces a byline; the hyphen only when it opens the paragraph
_DASHES = "\u2015\u2014\u2013"
_NAME_WORD = re.compile(r"[A-Z][\w'’.\-]*|[a-z]{1,3}(?= [A-Z])|@\w+")
_INLINE = re.compile(r"([" + LINE_CLOSERS + r"][.,]?)[ \t\u00a0]*([" + _DASHES + r"]|--)[ \t\u00a0]*(?=\S)")
_LINE = re.compile(r"[ \t\u00a0]*([" + _DASHES + r"]|--|-)[ \t\u00a0]*(?=[A-Z])")

_NOT_NAMES = {"a", "an", "the", "he", "she", "it", "they", "we", "i", "you", "this", "that", "and", "but", "or", "not"}

Byline = tuple[tuple[int, int], tuple[int, int], tuple[int, int]]  # cue, source, content (chars)


def _name(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The name that opens ``text[start:end]``: capitalised words (with short particles such
    as "de"), up to a comma, bracket or the end of the line; at most six words."""
    words = []
    for m in re.finditer(r"\S+", text[start:end]):
        w = m.group().rstrip(".,;:")
        stop = m.group() != w and m.group()[len(w):][:1] in ",;:"
        if not w or not _NAME_WORD.fullmatch(w) or w.startswith("("):
            break
        words.append((start + m.start(), start + m.start() + len(w)))
        if stop or len(words) > 6:
            break
    while words and text[words[-1][0]].islower():
        words.pop()
    if not words or len(words) > 6:
        return None
    first = text[words[0][0] : words[0][1]].lower()
    if first in wordlist("colon_labels") or first in _NOT_NAMES:
        return None
    a, b = words[0][0], words[-1][1]
    rest = text[b:end].strip()
    if rest and rest[0] not in ",(.;@":
        return None  # the line goes on with other words: not a byline
    if b > a and text[b - 1] == "." and not re.search(r"\b[A-Z]\.$", text[a:b]):
        b -= 1  # the sentence's full stop, not an initial
    return (a, b)


def find_bylines(text: str) -> list[Byline]:
    """Every "“quote” ― Name" of ``text``, in character offsets."""
    out: list[Byline] = []
    lines = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    prev_quote: tuple[int, int] | None = None
    for a, b in lines:
        if not text[a:b].strip():
            continue
        hit = None
        m = _LINE.match(text, a, b)
        if m is not None and prev_quote is not None:
            name = _name(text, m.end(), b)
            if name is not None:
                hit = ((m.start(1), m.end(1)), name, prev_quote)
        if hit is None:
            for m in _INLINE.finditer(text, a, b):
                content = whole_quotation(text, a, m.start(1) + 1)
                name = _name(text, m.end(), b)
                if content is not None and name is not None:
                    hit = ((m.start(2), m.end(2)), name, content)
                    break
        if hit is not None:
            out.append(hit)
            prev_quote = None
        else:
            prev_quote = whole_quotation(text, a, b)
    return out
