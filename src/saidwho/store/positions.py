"""The positions analysis in the store: writing it per article, reading it back, and finding
disagreements (and agreements) across the corpus.

Per article (schema 3) the store keeps what :func:`saidwho.analysis.enrich` finds: the
propositions (``propositions``), their disagreements/agreements (``proposition_relations``), the
unattributed claims (``unattributed_claims``), each attribution's ``vague`` flag
(``attributions.vague``) and the enriched document itself (``articles.doc``, which then also
holds each attribution's ``chain``). ``articles.positions_at`` says when; NULL means not yet.

Across the corpus, two propositions are compared when they belong to different articles and
different corpus speakers (the proposition's actor joined to ``mentions``). They are about the
same topic by the rules the analysis uses inside one article (:func:`saidwho.analysis.relations
.same_topic`): the overlap of their stored content words (weighted by how many of the compared
propositions share each word; place and date words count half), their shared subject fields,
and, when both have a stored embedding (all-MiniLM-L6-v2, float16), the cosine of the two.
Candidate pairs are only those that share a content word or a subject field; words or fields
shared by more than :data:`BUCKET_CAP` of the compared propositions are not used to *find*
candidates (they still count in the score of the pairs found). So a paraphrase with no word or
field in common ("annex" / "take control") is found inside an article, where every pair is
compared, but not across articles. The comparison is vectorised (NumPy): without filters, about
4 s for 16,000 propositions (2,000 articles) on one core; ``about`` and ``speakers`` narrow the
propositions compared first.

With ``SAIDWHO_EMBEDDINGS=off`` (or rows stored without the model) the match is lexical only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.engine import Connection

from ..analysis.relations import topic_match
from ..types import Article
from .errors import NotFoundError, StoreError
from .schema import (
    articles,
    attributions,
    mentions,
    proposition_relations,
    propositions,
    speakers,
    unattributed_claims,
)

#: A word or subject field shared by more propositions than this is not used to find candidate
#: pairs across articles (it still counts in their score).
BUCKET_CAP = 1000

EMBED_DTYPE = np.float16
KINDS = ("disagree", "agree")
SCOPES = ("all", "article", "corpus")

_INSERT_PROPS = insert(propositions)
_INSERT_RELS = insert(proposition_relations)
_INSERT_UNATT = insert(unattributed_claims)


# -- computing --------------------------------------------------------------------------------


def compute_positions(
    article: Article, outlet: str | None = None, nlp=None
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """``(document, extras)``: the document :func:`saidwho.analysis.enrich` returns, and per
    proposition id what the store keeps besides it for matching across articles (content-word
    ``keys``, ``places``, subject ``fields`` and the ``embedding``, a float32 vector or None)."""
    from ..analysis import analyze_positions, embeddings, enriched_document

    res = analyze_positions(article, outlet=outlet, nlp=nlp)
    doc = enriched_document(article, res)  # the document enrich() returns
    props = res["_props"]
    with_actor = [p for p in props if p.actor]
    vecs = embeddings.encode([p.embed_text or p.text for p in with_actor]) if with_actor else None
    vec_of = {p.id: vecs[i] for i, p in enumerate(with_actor)} if vecs is not None else {}
    extras = {
        p.id: {
            "keys": sorted(p.keys),
            "places": sorted(p.places),
            "fields": sorted(p.fields),
            "embedding": vec_of.get(p.id),
        }
        for p in props
    }
    return doc, extras


# -- writing ----------------------------------------------------------------------------------


def delete_positions(conn: Connection, aid: int) -> None:
    for t in (propositions, proposition_relations, unattributed_claims):
        conn.execute(delete(t).where(t.c.article_id == aid))


def _span(d: Any) -> tuple[int, int, str]:
    d = d if isinstance(d, dict) else {}
    return int(d.get("start") or 0), int(d.get("end") or 0), str(d.get("text") or "")


def write_positions(
    conn: Connection, aid: int, doc: dict[str, Any], extras: dict[str, dict[str, Any]] | None, now: str
) -> None:
    """Replace the article's stored positions with those of ``doc`` (an enriched document)."""
    extras = extras or {}
    delete_positions(conn, aid)
    rows = []
    for p in doc.get("propositions") or ():
        s, e, text = _span(p.get("span"))
        x = extras.get(p["id"]) or {}
        topic = [str(t) for t in (p.get("topic") or ())]
        vec = x.get("embedding")
        rows.append(
            {
                "article_id": aid,
                "local_id": str(p["id"])[:32],
                "attribution": (str(p["attribution"])[:32] if p.get("attribution") else None),
                "actor": (str(p["actor"])[:32] if p.get("actor") else None),
                "span_start": s,
                "span_end": e,
                "text": text,
                "topic": topic,
                "topic_text": " | ".join(topic),
                "topic_keys": list(x["keys"]) if "keys" in x else None,
                "place_keys": list(x.get("places") or ()),
                "topic_fields": list(x.get("fields") or ()),
                "polarity": str(p.get("polarity") or "for")[:16],
                "modality": (str(p["modality"])[:16] if p.get("modality") else None),
                "embedding": None if vec is None else np.asarray(vec, dtype=EMBED_DTYPE).tobytes(),
            }
        )
    if rows:
        conn.execute(_INSERT_PROPS, rows)
    rels = [
        {"article_id": aid, "a": str(r["a"])[:32], "b": str(r["b"])[:32], "kind": str(r["kind"])[:16],
         "score": float(r.get("score") or 0.0)}
        for r in doc.get("relations") or ()
    ]
    if rels:
        conn.execute(_INSERT_RELS, rels)
    un = []
    for u in doc.get("unattributed") or ():
        s, e, text = _span(u.get("span"))
        un.append({"article_id": aid, "span_start": s, "span_end": e, "text": text, "reason": u.get("reason")})
    if un:
        conn.execute(_INSERT_UNATT, un)
    # the analysis decides vagueness per attribution (finer than the speaker type)
    flags: dict[bool, list[str]] = {True: [], False: []}
    for a in doc.get("attributions") or ():
        if "vague" in a:
            flags[bool(a["vague"])].append(str(a["id"]))
    for value, ids in flags.items():
        for i in range(0, len(ids), 500):
            conn.execute(
                update(attributions)
                .where(attributions.c.article_id == aid, attributions.c.local_id.in_(ids[i : i + 500]))
                .values(vague=value)
            )
    conn.execute(update(articles).where(articles.c.id == aid).values(doc=doc, positions_at=now))


# -- reading one article ----------------------------------------------------------------------


def read_positions(conn: Connection, aid: int) -> dict[str, Any]:
    """The article's stored positions, in the JSON contract's shape (empty lists when none)."""
    P, R, U = propositions, proposition_relations, unattributed_claims
    props = [
        {
            "id": r.local_id,
            "attribution": r.attribution,
            "span": {"start": r.span_start, "end": r.span_end, "text": r.text},
            "actor": r.actor,
            "topic": list(r.topic or ()),
            "polarity": r.polarity,
            "modality": r.modality,
        }
        for r in conn.execute(
            select(P.c.local_id, P.c.attribution, P.c.span_start, P.c.span_end, P.c.text, P.c.actor, P.c.topic,
                   P.c.polarity, P.c.modality).where(P.c.article_id == aid).order_by(P.c.id)
        )
    ]
    rels = [
        {"a": r.a, "b": r.b, "kind": r.kind, "score": r.score}
        for r in conn.execute(
            select(R.c.a, R.c.b, R.c.kind, R.c.score).where(R.c.article_id == aid).order_by(R.c.score.desc(), R.c.id)
        )
    ]
    unatt = [
        {"span": {"start": r.span_start, "end": r.span_end, "text": r.text}, "reason": r.reason}
        for r in conn.execute(
            select(U.c.span_start, U.c.span_end, U.c.text, U.c.reason).where(U.c.article_id == aid).order_by(U.c.id)
        )
    ]
    return {"propositions": props, "relations": rels, "unattributed": unatt}


# -- disagreements across the corpus -----------------------------------------------------------


@dataclass(eq=False)
class _Prop:
    """One stored proposition, with what matching needs (duck-types analysis.Proposition)."""

    row_id: int
    article_id: int
    local_id: str
    attribution: str | None
    speaker_id: int
    text: str
    start: int
    end: int
    topic: list[str]
    polarity: str
    modality: str | None
    keys: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    fields: set[str] = field(default_factory=set)
    terms: set[str] = field(default_factory=set)
    vec: np.ndarray | None = None


def _about_stems(about: str | None) -> list[str]:
    from ..analysis.topics import stem

    if about is None:
        return []
    words = re.findall(r"\w+", about.lower())
    if not words:
        raise StoreError("--about needs at least one word")
    return sorted({stem(w) for w in words})


def _terms(text: str, topic: Iterable[str], keys: Iterable[str]) -> set[str]:
    from ..analysis.topics import stem

    out = {stem(w) for w in re.findall(r"\w+", text.lower())}
    for t in topic:
        out |= {stem(w) for w in re.findall(r"\w+", t.lower())}
    return out | set(keys)


def _fallback_keys(topic: Sequence[str]) -> set[str]:
    """Keys from the topic phrases, for rows stored without content words."""
    from ..analysis.topics import stem

    return {stem(w) for t in topic for w in t.split() if len(w) >= 2}


def _load_props(
    store, conn: Connection, where: list, about_stems: list[str], with_vectors: bool
) -> dict[tuple[int, str], _Prop]:
    P, M = propositions, mentions
    cols = [P.c.id, P.c.article_id, P.c.local_id, P.c.attribution, M.c.speaker_id, P.c.text, P.c.span_start,
            P.c.span_end, P.c.topic, P.c.polarity, P.c.modality, P.c.topic_keys, P.c.place_keys, P.c.topic_fields]
    if with_vectors:
        cols.append(P.c.embedding)
    stmt = select(*cols).select_from(
        P.join(M, and_(M.c.article_id == P.c.article_id, M.c.local_id == P.c.actor))
    ).where(*where)
    if about_stems:
        # a cheap pre-filter (any of the words, as a substring); the exact test is per pair
        hay = [func.lower(P.c.text), func.lower(func.coalesce(P.c.topic_text, ""))]
        stmt = stmt.where(or_(*(h.contains(s, autoescape=True) for s in about_stems for h in hay)))
    out: dict[tuple[int, str], _Prop] = {}
    for r in conn.execution_options(yield_per=2000).execute(stmt.order_by(P.c.id)):
        topic = [str(t) for t in (r.topic or ())]
        keys = set(r.topic_keys) if r.topic_keys is not None else _fallback_keys(topic)
        vec = None
        if with_vectors and r.embedding:
            vec = np.frombuffer(r.embedding, dtype=EMBED_DTYPE).astype(np.float32)
        p = _Prop(
            row_id=r.id, article_id=r.article_id, local_id=r.local_id, attribution=r.attribution,
            speaker_id=r.speaker_id, text=r.text, start=r.span_start, end=r.span_end, topic=topic,
            polarity=r.polarity, modality=r.modality, keys=keys, places=set(r.place_keys or ()),
            fields=set(r.topic_fields or ()), vec=vec,
        )
        if about_stems:
            p.terms = _terms(p.text, topic, keys)
            if not p.terms.intersection(about_stems):
                continue
        out[(p.article_id, p.local_id)] = p
    return out


def _speaker_sets(store, conn: Connection, refs: Sequence[str | int]) -> list[set[int]]:
    sets = []
    for ref in refs:
        s = str(ref).strip()
        if not s:
            continue
        if s.isdigit():
            ids = [store._find_speaker(conn, s)]
        else:
            ids = store._speaker_ids(conn, s)
        if not ids:
            raise NotFoundError(f"no speaker named {s!r}")
        sets.append(set(ids))
    if len(sets) > 2:
        raise StoreError("give at most two speakers (--speaker A --speaker B)")
    return sets


def _pair_ok(p: _Prop, q: _Prop, sets: list[set[int]], about_stems: list[str]) -> tuple[_Prop, _Prop] | None:
    """``(p, q)`` oriented so ``p`` is the first speaker's, or None when the pair is filtered out."""
    if p.speaker_id == q.speaker_id:
        return None
    if about_stems:
        need = set(about_stems)
        if not (p.terms & need and q.terms & need and need <= (p.terms | q.terms)):
            return None
    if not sets:
        return (p, q)
    if len(sets) == 1:
        if p.speaker_id in sets[0]:
            return (p, q)
        if q.speaker_id in sets[0]:
            return (q, p)
        return None
    a, b = sets
    if p.speaker_id in a and q.speaker_id in b:
        return (p, q)
    if q.speaker_id in a and p.speaker_id in b:
        return (q, p)
    return None


def _pairs_of(a: np.ndarray, b: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs: every member of ``a`` with every member of ``b`` (``b`` None: of ``a``
    among themselves, each pair once)."""
    if b is None:
        x, y = np.triu_indices(len(a), 1)
        return a[x], a[y]
    return np.repeat(a, len(b)), np.tile(b, len(a))


def _cross_pairs(
    plist: list[_Prop], sets: list[set[int]], about_stems: list[str], kind: str, limit: int | None = None
) -> list[tuple[float, int, int]]:
    """``(score, i, j)`` for the pairs of ``plist`` in different articles, of different speakers,
    with the polarity ``kind`` needs, about the same topic. Vectorised: candidate pairs come from
    the words and fields they share (buckets of at most :data:`BUCKET_CAP`), each shared word
    adding its weight, as :func:`saidwho.analysis.relations.lexical` sums it."""
    from ..analysis.relations import AGREE_MIN, word_weights

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
        if kind == "disagree":
            return _pairs_of(m[against[m]], m[~against[m]])
        xs, ys = zip(*(_pairs_of(m[against[m] == side], None) for side in (True, False)))
        return np.concatenate(xs), np.concatenate(ys)

    codes: list[np.ndarray] = []
    contrib: list[np.ndarray] = []
    is_field: list[np.ndarray] = []
    for k, members in key_post.items():
        if not 2 <= len(members) <= BUCKET_CAP:
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
        if not 2 <= len(members) <= BUCKET_CAP:
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
    keep = (art[i] != art[j]) & (spk[i] != spk[j]) & ((against[i] != against[j]) == (kind == "disagree"))
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
        if len(members) > BUCKET_CAP:
            mem = np.zeros(n, dtype=bool)
            mem[members] = True
            f = np.ones(n)
            f[[x for x in members if k in plist[x].places]] = 0.5
            both = mem[i] & mem[j]
            shared[both] += w.get(k, 1.0) * np.minimum(f[i[both]], f[j[both]])
    for members in field_post.values():
        if len(members) > BUCKET_CAP:
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
    ok, score = topic_match(lex, emb, fld)  # analysis.relations.same_topic, on arrays
    if kind == "agree":
        ok &= score >= AGREE_MIN
    idx = np.flatnonzero(ok)
    if limit is not None and len(idx) > limit:  # only the strongest can make the answer
        idx = idx[np.argpartition(-score[idx], limit - 1)[:limit]] if limit > 0 else idx[:0]
    return [(float(score[x]), int(i[x]), int(j[x])) for x in idx]


def find_pairs(
    store,
    kind: str = "disagree",
    about: str | None = None,
    speakers_: Sequence[str | int] = (),
    scope: str = "all",
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Disagreements (or agreements) between corpus speakers, strongest first; see the module."""
    from ..analysis import embeddings

    if kind not in KINDS:
        raise StoreError(f"unknown kind {kind!r} (disagree, agree)")
    if scope not in SCOPES:
        raise StoreError(f"unknown scope {scope!r} (all, article, corpus)")
    from .limits import check_limit

    limit = check_limit(limit)
    about_stems = _about_stems(about)
    with store.engine.connect() as conn:
        sets = _speaker_sets(store, conn, speakers_)
        where: list = []
        if len(sets) == 2:
            where.append(mentions.c.speaker_id.in_(sorted(sets[0] | sets[1])))
        use_vectors = scope != "article" and embeddings.backend_name() != "off"
        props = _load_props(store, conn, where, about_stems, use_vectors)
        found: list[tuple[float, str, _Prop, _Prop]] = []

        # within one article: the relations the analysis stored
        if scope in ("all", "article") and props:
            R = proposition_relations
            art_ids = sorted({p.article_id for p in props.values()})
            for i in range(0, len(art_ids), 500):
                chunk = art_ids[i : i + 500]
                for r in conn.execute(
                    select(R.c.article_id, R.c.a, R.c.b, R.c.score)
                    .where(R.c.kind == kind, R.c.article_id.in_(chunk))
                    .order_by(R.c.id)
                ):
                    p, q = props.get((r.article_id, r.a)), props.get((r.article_id, r.b))
                    if p is None or q is None:
                        continue
                    pair = _pair_ok(p, q, sets, about_stems)
                    if pair:
                        found.append((float(r.score), "article", *pair))

        # across articles: same topic by the stored words, fields and embeddings
        if scope in ("all", "corpus") and len(props) > 1:
            plist = list(props.values())
            for score, i, j in _cross_pairs(plist, sets, about_stems, kind, limit):
                pair = _pair_ok(plist[i], plist[j], sets, about_stems)
                if pair is not None:
                    found.append((score, "corpus", *pair))

        found.sort(key=lambda t: (-t[0], t[2].article_id, t[2].row_id, t[3].row_id))
        if limit is not None:
            found = found[:limit]
        return _records(conn, found, kind)


def _records(conn: Connection, found: list[tuple[float, str, _Prop, _Prop]], kind: str) -> list[dict[str, Any]]:
    art_ids = sorted({p.article_id for _, _, a, b in found for p in (a, b)})
    sp_ids = sorted({p.speaker_id for _, _, a, b in found for p in (a, b)})
    arts: dict[int, Any] = {}
    sps: dict[int, Any] = {}
    for i in range(0, len(art_ids), 500):
        for r in conn.execute(
            select(articles.c.id, articles.c.ext_id, articles.c.title, articles.c.outlet, articles.c.published,
                   func.coalesce(articles.c.url, articles.c.crawl_url, articles.c.canonical_url).label("url"))
            .where(articles.c.id.in_(art_ids[i : i + 500]))
        ):
            arts[r.id] = r
    for i in range(0, len(sp_ids), 500):
        for r in conn.execute(
            select(speakers.c.id, speakers.c.name, speakers.c.type).where(speakers.c.id.in_(sp_ids[i : i + 500]))
        ):
            sps[r.id] = r

    def side(p: _Prop) -> dict[str, Any]:
        a, s = arts.get(p.article_id), sps.get(p.speaker_id)
        return {
            "speaker": {"id": p.speaker_id, "name": s.name if s else None, "type": s.type if s else None},
            "text": p.text,
            "span": {"start": p.start, "end": p.end},
            "proposition": p.local_id,
            "attribution": p.attribution,
            "topic": p.topic,
            "polarity": p.polarity,
            "modality": p.modality,
            "article_id": p.article_id,
            "article_ext_id": a.ext_id if a else None,
            "title": a.title if a else None,
            "outlet": a.outlet if a else None,
            "published": a.published if a else None,
            "url": a.url if a else None,
        }

    return [
        {"kind": kind, "score": round(score, 4), "scope": scope, "a": side(a), "b": side(b)}
        for score, scope, a, b in found
    ]


__all__ = ["BUCKET_CAP", "compute_positions", "topic_match", "delete_positions", "find_pairs", "read_positions", "write_positions"]
