"""Pairs of statements across the corpus: candidates by shared topic (vectorised, bounded), then
the same decision the positions analysis makes inside one article (:func:`.relations.decide`:
the stance model gating the polarity rule), read by the model only on those candidates.

Used by the store for ``saidwho disagreements`` across articles and for a speaker's
self-contradictions over time; the store loads the propositions, this module decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from . import stance
from .relations import AGREE_MIN, Candidate, decide, topic_match, word_weights

#: A word or subject field shared by more propositions than this is not used to find candidate
#: pairs across articles (it still counts in their score).
BUCKET_CAP = 1000

#: At most this many candidate pairs (the strongest by topic) are read by the stance model in
#: one query; narrow it with a speaker, words, an outlet or dates to reach the rest.
MODEL_PAIRS = 2000


def _pairs_of(a: np.ndarray, b: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs: every member of ``a`` with every member of ``b`` (``b`` None: of ``a``
    among themselves, each pair once)."""
    if b is None:
        x, y = np.triu_indices(len(a), 1)
        return a[x], a[y]
    return np.repeat(a, len(b)), np.tile(b, len(a))


def topic_pairs(
    plist: Sequence[Any],
    sets: Sequence[set[int]] = (),
    about_stems: Sequence[str] = (),
    polarity: str | None = None,
    same_speaker: bool = False,
    limit: int | None = None,
    bucket_cap: int | None = None,
) -> list[tuple[float, int, int]]:
    """``(topic score, i, j)`` for the pairs of ``plist`` in different articles about the same
    topic (:func:`.relations.topic_match`): of different speakers, or with ``same_speaker`` of
    the same one. ``polarity``: ``"disagree"`` only opposite polarities, ``"agree"`` only the
    same (at least ``AGREE_MIN``), None all (for :func:`.relations.decide` with the stance
    model). ``sets``: one or two sets of speaker ids the pairs must involve; ``about_stems``:
    each side has one, together all; ``limit``: only the strongest. Vectorised: candidate pairs
    come from the words and fields they share (buckets of at most ``bucket_cap``), each shared
    word adding its weight, as :func:`.relations.lexical` sums it. Each item of ``plist`` has
    ``article_id``, ``speaker_id``, ``polarity``, ``keys``, ``places``, ``fields``, ``terms``
    and ``vec`` (float32 or None)."""
    cap = BUCKET_CAP if bucket_cap is None else bucket_cap
    kind = polarity

    n = len(plist)
    w = word_weights(plist)
    art = np.fromiter((p.article_id for p in plist), dtype=np.int64, count=n)
    spk = np.fromiter((p.speaker_id for p in plist), dtype=np.int64, count=n)
    against = np.fromiter((p.polarity == "against" for p in plist), dtype=bool, count=n)
    wsum = np.fromiter(
        (sum(w.get(k, 1.0) * (0.5 if k in p.places else 1.0) for k in p.keys) for p in plist), dtype=np.float64, count=n
    )
    key_post: dict[str, list[int]] = {}
    field_post: dict[str, list[int]] = {}
    for i, p in enumerate(plist):
        for k in p.keys:
            key_post.setdefault(k, []).append(i)
        for f in p.fields:
            field_post.setdefault(f, []).append(i)

    # with a speaker given, only pairs with one of theirs are made
    left = np.isin(spk, list(sets[0])) if sets else None

    def bucket_pairs(members: list[int]) -> tuple[np.ndarray, np.ndarray]:
        m = np.asarray(members, dtype=np.int64)
        if left is not None:
            mine = m[left[m]]
            x, y = _pairs_of(mine, m)
            return x, y  # pairs with itself and of the wrong polarity are dropped below
        if kind == "disagree" and not same_speaker:
            return _pairs_of(m[against[m]], m[~against[m]])
        if kind is None or same_speaker:
            return _pairs_of(m, None)
        xs, ys = zip(*(_pairs_of(m[against[m] == side], None) for side in (True, False)))
        return np.concatenate(xs), np.concatenate(ys)

    codes: list[np.ndarray] = []
    contrib: list[np.ndarray] = []
    is_field: list[np.ndarray] = []
    for k, members in key_post.items():
        if not 2 <= len(members) <= cap:
            continue
        x, y = bucket_pairs(members)
        if not len(x):
            continue
        placed = [i for i in members if k in plist[i].places]
        if placed:  # a place or date word counts half for the side that has it as one
            factor = np.minimum(np.where(np.isin(x, placed), 0.5, 1.0), np.where(np.isin(y, placed), 0.5, 1.0))
        else:
            factor = np.ones(len(x))
        codes.append(np.minimum(x, y) * n + np.maximum(x, y))
        contrib.append(w.get(k, 1.0) * factor)
        is_field.append(np.zeros(len(x)))
    for members in field_post.values():
        if not 2 <= len(members) <= cap:
            continue
        x, y = bucket_pairs(members)
        if not len(x):
            continue
        codes.append(np.minimum(x, y) * n + np.maximum(x, y))
        contrib.append(np.zeros(len(x)))
        is_field.append(np.ones(len(x)))
    if not codes:
        return []
    uniq, inv = np.unique(np.concatenate(codes), return_inverse=True)
    shared = np.bincount(inv, weights=np.concatenate(contrib))
    fld = np.bincount(inv, weights=np.concatenate(is_field)) > 0
    i, j = uniq // n, uniq % n
    keep = (art[i] != art[j]) & ((spk[i] == spk[j]) if same_speaker else (spk[i] != spk[j]))
    if kind is not None:
        keep &= (against[i] != against[j]) == (kind == "disagree")
    if len(sets) == 2:
        in0, in1 = np.isin(spk, list(sets[0])), np.isin(spk, list(sets[1]))
        keep &= (in0[i] & in1[j]) | (in1[i] & in0[j])
    if about_stems:
        bits = np.zeros(n, dtype=np.int64)
        for bit, st in enumerate(about_stems[:62]):
            bits |= np.fromiter((st in p.terms for p in plist), dtype=bool, count=n).astype(np.int64) << bit
        full = (1 << min(len(about_stems), 62)) - 1
        keep &= (bits[i] != 0) & (bits[j] != 0) & ((bits[i] | bits[j]) == full)
    i, j, shared, fld = i[keep], j[keep], shared[keep], fld[keep]
    if not len(i):
        return []
    # words and fields too common to find candidates with still count for the pairs found
    for k, members in key_post.items():
        if len(members) > cap:
            mem = np.zeros(n, dtype=bool)
            mem[members] = True
            f = np.ones(n)
            f[[x for x in members if k in plist[x].places]] = 0.5
            both = mem[i] & mem[j]
            shared[both] += w.get(k, 1.0) * np.minimum(f[i[both]], f[j[both]])
    for members in field_post.values():
        if len(members) > cap:
            mem = np.zeros(n, dtype=bool)
            mem[members] = True
            fld |= mem[i] & mem[j]
    with np.errstate(divide="ignore", invalid="ignore"):
        lex = 0.5 * (np.where(wsum[i] > 0, shared / wsum[i], 0.0) + np.where(wsum[j] > 0, shared / wsum[j], 0.0))
    emb = np.full(len(i), np.nan)
    vec_rows = [k for k, p in enumerate(plist) if p.vec is not None]
    if vec_rows:
        row_of = np.full(n, -1, dtype=np.int64)
        row_of[vec_rows] = np.arange(len(vec_rows))
        mat = np.stack([plist[k].vec for k in vec_rows]).astype(np.float32)
        both = np.flatnonzero((row_of[i] >= 0) & (row_of[j] >= 0))
        for c in range(0, len(both), 65536):  # bounded memory
            sel = both[c : c + 65536]
            emb[sel] = np.einsum("ij,ij->i", mat[row_of[i[sel]]], mat[row_of[j[sel]]])
    ok, score = topic_match(lex, emb, fld)  # same_topic, on arrays
    if kind == "agree":
        ok &= score >= AGREE_MIN
    idx = np.flatnonzero(ok)
    if limit is not None and len(idx) > limit:  # only the strongest can make the answer
        idx = idx[np.argpartition(-score[idx], limit - 1)[:limit]] if limit > 0 else idx[:0]
    return [(float(score[x]), int(i[x]), int(j[x])) for x in idx]


def relate(
    plist: Sequence[Any],
    kind: str = "disagree",
    sets: Sequence[set[int]] = (),
    about_stems: Sequence[str] = (),
    same_speaker: bool = False,
    limit: int | None = None,
    model: Any = "auto",
    bucket_cap: int | None = None,
) -> list[tuple[float, str, int, int]]:
    """``(score, basis, i, j)`` for the pairs of ``plist`` in different articles that stand in
    relation ``kind`` ("disagree" or "agree") by :func:`.relations.decide`, strongest first.
    ``model``: "auto" the stance model when installed and embeddings are on, None the polarity
    rule alone, or a stand-in with ``predict`` and ``thresholds``. Items of ``plist`` also have
    ``text`` (what the model reads)."""
    if model == "auto":
        from . import embeddings

        model = stance.get_model() if embeddings.backend_name() != "off" else None
    # without the model the rule needs only the pairs of the right polarity, and the strongest;
    # the model reads every polarity, on the strongest candidates by topic
    found = topic_pairs(plist, sets, about_stems, polarity=kind if model is None else None, same_speaker=same_speaker,
                        limit=limit if model is None else MODEL_PAIRS, bucket_cap=bucket_cap)
    cands = [Candidate(plist[i].text, plist[j].text, plist[i].polarity != plist[j].polarity, sc) for sc, i, j in found]
    out = [
        (v[1], v[2], i, j)
        for (_, i, j), v in zip(found, decide(cands, model))
        if v is not None and v[0] == kind
    ]
    out.sort(key=lambda t: (-t[0], t[2], t[3]))
    return out if limit is None else out[:limit]


__all__ = ["BUCKET_CAP", "MODEL_PAIRS", "relate", "topic_pairs"]
