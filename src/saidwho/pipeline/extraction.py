"""Pure functions from a parsed Doc and its cues to attribution records (plain offsets).

For each cue the learned role tagger (``data/role_model.json``) labels the tokens around it as
source, content or neither; contiguous runs become spans. Kind, medium and nesting are then
read off the spans, the quotation marks and the parse.
"""

from __future__ import annotations

import math

from spacy.tokens import Doc

from ..learn.decode import tag_roles
from ..learn.features import DocInfo
from ..learn.perceptron import SequencePerceptron
from .medium import find_medium

_EDGE = set(",;:—–-")


def trim_chars(text: str, start: int, end: int) -> tuple[int, int]:
    """Strip whitespace and separating punctuation (commas, dashes, colons) off a range."""
    while start < end and (text[start].isspace() or text[start] in _EDGE):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _EDGE):
        end -= 1
    return start, end


def _chars(doc: Doc, i: int, j: int) -> tuple[int, int]:
    return doc[i].idx, doc[j - 1].idx + len(doc[j - 1])


def _split_at_newlines(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """A content run that crosses a paragraph break becomes one fragment per paragraph."""
    out = []
    start = a
    k = text.find("\n", a, b)
    while k != -1:
        out.append((start, k))
        start = k + 1
        k = text.find("\n", start, b)
    out.append((start, b))
    return out


def kind_of(label: str, content: list[tuple[int, int]], regions: list[tuple[int, int]]) -> str:
    """direct / mixed / indirect / according_to / belief for one attribution."""
    if label == "according_to":
        return "according_to"
    inside = all(any(ra <= a and b <= rb for ra, rb in regions) for a, b in content)
    if inside:
        return "direct"
    if label == "belief":
        return "belief"
    if any(a <= ra < b for a, b in content for ra, _ in regions):
        return "mixed"
    return "indirect"


def extract(
    info: DocInfo,
    cues: list[tuple[int, int, str, float]],
    regions: list[tuple[int, int]],
    model: SequencePerceptron,
) -> list[dict]:
    """Attribution records for ``cues`` = ``[(start_tok, end_tok, label, margin)]``."""
    doc = info.doc
    text = doc.text
    records: list[dict] = []
    for cs, ce, label, margin in cues:
        src, runs = tag_roles(info, model, cs, ce)
        content: list[tuple[int, int]] = []
        for i, j in runs:
            a, b = _chars(doc, i, j)
            for x, y in _split_at_newlines(text, a, b):
                x, y = trim_chars(text, x, y)
                if y > x and any(ch.isalnum() for ch in text[x:y]):
                    content.append((x, y))
        if not content:
            continue  # precision first: a cue with nothing said is not an attribution
        source = None
        if src is not None:
            a, b = trim_chars(text, *_chars(doc, *src))
            if b > a:
                source = [a, b]
        medium = find_medium(doc, cs, ce)
        if medium:
            content = _cut_medium(text, content, medium)
            if not content:
                continue
        records.append(
            {
                "cue": [doc[cs].idx, doc[ce - 1].idx + len(doc[ce - 1])],
                "source": source,
                "content": [list(c) for c in content],
                "kind": kind_of(label, content, regions),
                "medium": list(medium) if medium else None,
                "parent": None,
                "confidence": round(1.0 / (1.0 + math.exp(-margin / 4.0)), 3),
                "speaker": None,
            }
        )
    set_parents(records)
    return records


def _cut_medium(text: str, content: list[tuple[int, int]], medium: tuple[int, int]) -> list[tuple[int, int]]:
    """"wrote in the Daily Ledger that …": the medium and what precedes it are not content."""
    out = []
    ma, mb = medium
    for a, b in content:
        if a <= ma < b and b > mb and not text[a:ma].strip(" ,").count(" ") > 2:
            a, b = trim_chars(text, mb, b)
        if b > a:
            out.append((a, b))
    return out


def set_parents(records: list[dict]) -> None:
    """An attribution whose cue lies inside another's content is nested in it."""
    for i, r in enumerate(records):
        a, b = r["cue"]
        best = None
        for j, o in enumerate(records):
            if j == i:
                continue
            for ca, cb in o["content"]:
                if ca <= a and b <= cb and (best is None or cb - ca < best[1]):
                    best = (j, cb - ca)
        r["parent"] = best[0] if best else None
