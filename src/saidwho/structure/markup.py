"""Blocks of an HTML page's article text, from the structure its extractor found.

trafilatura keeps the page's headings (``<head rend="h1">``), paragraphs, list items and block
quotations in its XML tree and writes one line of text per element. Each line takes the kind of
the element it came from; paragraphs are then read by the plain-text rules
(:func:`saidwho.structure.infer_blocks`), since pages let teasers, credits and bylines through as
paragraphs.
"""

from __future__ import annotations

from typing import Any

from ..types import Block
from .layout import infer_blocks

#: Element → block kind; ``head`` is a headline at level 1 (or when it opens the text) and a
#: subhead otherwise.
ELEMENT_KINDS = {"p": "body", "item": "list_item", "quote": "quote_block", "head": "subhead"}
#: How far ahead of the last matched element a line is looked for.
_LOOKAHEAD = 8


def _norm(s: str) -> str:
    return " ".join(s.split())


def _elements(body: Any) -> list[tuple[str, str]]:
    """``(kind, text)`` of the block elements of ``body``, in order; an element inside another
    (a paragraph inside a list item or a quotation) belongs to the outer one."""
    out: list[tuple[str, str]] = []
    taken: set[int] = set()
    for el in body.iter():
        if el is body or not isinstance(el.tag, str) or el.tag not in ELEMENT_KINDS:
            continue
        if any(id(a) in taken for a in el.iterancestors()):
            continue
        taken.add(id(el))
        kind = ELEMENT_KINDS[el.tag]
        if el.tag == "head" and ((el.get("rend") or "").lower() == "h1" or not out):
            kind = "headline"
        text = _norm("".join(el.itertext()))
        if text:
            out.append((kind, text))
    return out


def markup_blocks(text: str, body: Any) -> list[Block]:
    """The blocks of ``text`` (the extractor's text of the page) given the extractor's XML
    ``body``: each line is matched to the element it was written from, in order."""
    elements = _elements(body) if body is not None else []
    hints: list[tuple[int, int, str]] = []
    j = 0
    pos = 0
    for raw in text.split("\n"):
        line = _norm(raw)
        if line:
            probe = line[2:] if line.startswith("- ") else line
            for m in range(j, min(j + _LOOKAHEAD, len(elements))):
                kind, el_text = elements[m]
                if probe in el_text or line in el_text:
                    start = pos + len(raw) - len(raw.lstrip())
                    hints.append((start, pos + len(raw.rstrip()), kind))
                    j = m
                    break
        pos += len(raw) + 1
    return infer_blocks(text, hints)
