"""Decoding the learned stages into token spans (pure functions of DocInfo and a model)."""

from __future__ import annotations

from .features import DocInfo, cue_features, role_features, role_window
from .perceptron import SequencePerceptron


def tag_cues(info: DocInfo, model: SequencePerceptron, bias: float = 0.0) -> list[tuple[int, int, float]]:
    """Cue spans ``(start, end, margin)`` in token indices, tagged sentence by sentence (B/I/O)."""
    out: list[tuple[int, int, float]] = []
    for a, b in info.sents:
        # cheap pre-filter: a sentence without any verb-like or lexicon word has no cue
        feats = [cue_features(info, i) for i in range(a, b)]
        path = model.decode(feats, bias=(0.0, bias, bias) if bias else None)
        em = None
        i = 0
        while i < len(path):
            if path[i] == 0:
                i += 1
                continue
            j = i + 1
            while j < len(path) and path[j] == 2:
                j += 1
            if em is None:
                em = model.emissions(feats)
            margin = min(max(em[k][1], em[k][2]) - em[k][0] for k in range(i, j))
            out.append((a + i, a + j, margin))
            i = j
    return out


def _runs(labels: list[int], value: int, lo: int) -> list[tuple[int, int]]:
    runs = []
    i = 0
    while i < len(labels):
        if labels[i] == value:
            j = i
            while j < len(labels) and labels[j] == value:
                j += 1
            runs.append((lo + i, lo + j))
            i = j
        else:
            i += 1
    return runs


def tag_roles(
    info: DocInfo, model: SequencePerceptron, cs: int, ce: int
) -> tuple[tuple[int, int] | None, list[tuple[int, int]]]:
    """Source token range (or None) and content token ranges for the cue ``[cs, ce)``."""
    lo, hi = role_window(info, cs, ce)
    feats = role_features(info, cs, ce, lo, hi)
    allowed = [[True, not (cs <= i < ce), not (cs <= i < ce)] for i in range(lo, hi)]
    path = model.decode(feats, allowed)
    src_runs = _runs(path, 1, lo)
    content = _runs(path, 2, lo)
    source = None
    if src_runs:
        # the run nearest the cue
        source = min(src_runs, key=lambda r: min(abs(r[0] - cs), abs(r[1] - ce)))
    return source, content
