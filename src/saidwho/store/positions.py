"""The positions analysis in the store: writing it per article, reading it back, and finding
disagreements (and agreements) across the corpus.

Per article (schema 3) the store keeps what :func:`saidwho.analysis.enrich` finds: the
propositions (``propositions``), their disagreements/agreements (``proposition_relations``), the
unattributed claims (``unattributed_claims``), each attribution's ``vague`` flag
(``attributions.vague``) and the enriched document itself (``articles.doc``, which then also
holds each attribution's ``chain``). ``articles.positions_at`` says when; NULL means not yet.

Across the corpus, :mod:`saidwho.analysis.corpus_pairs` decides, by the rule the analysis uses
inside one article (:func:`saidwho.analysis.relations.decide`: the stance model gating the
polarity rule): pairs of propositions of different articles about the same topic, of different
corpus speakers (the proposition's actor joined to ``mentions``) or, for a speaker's
self-contradictions over time, of the same one. This module loads the propositions (their
stored content words, places, subject fields, embeddings and article dates), narrowed first by
speaker, words, outlet and dates, and shapes the records; it computes nothing itself.

With ``SAIDWHO_EMBEDDINGS=off`` (or rows stored without the model) the match is lexical only and
the polarity rule decides alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.engine import Connection

from ..analysis import corpus_pairs
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

EMBED_DTYPE = np.float16
KINDS = ("disagree", "agree")
SCOPES = ("all", "article", "corpus", "self")

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
    published: str | None = None
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
    cols.append(articles.c.published)
    stmt = select(*cols).select_from(
        P.join(M, and_(M.c.article_id == P.c.article_id, M.c.local_id == P.c.actor))
        .join(articles, articles.c.id == P.c.article_id)
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
            fields=set(r.topic_fields or ()), vec=vec, published=r.published,
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


def _article_where(outlet: str | None, since: str | None, until: str | None) -> list:
    """Conditions on the articles for ``--outlet``, ``--since`` and ``--until`` (as ``quotes``)."""
    from .limits import published_between

    where: list = []
    if outlet is not None:
        if not outlet.strip():
            raise StoreError("--outlet needs a name")
        where.append(func.lower(articles.c.outlet) == outlet.strip().lower())
    where.extend(published_between(articles.c.published, since, until))
    return where


def _in_time_order(p: _Prop, q: _Prop) -> tuple[_Prop, _Prop]:
    """The earlier statement first (undated after dated, then by article)."""
    key = lambda x: (x.published is None, x.published or "", x.article_id, x.row_id)  # noqa: E731
    return (p, q) if key(p) <= key(q) else (q, p)


def find_pairs(
    store,
    kind: str = "disagree",
    about: str | None = None,
    speakers_: Sequence[str | int] = (),
    scope: str = "all",
    limit: int | None = None,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> list[dict[str, Any]]:
    """Disagreements (or agreements) between corpus speakers, strongest first; ``scope="self"``:
    a speaker's statements in different articles, the earlier as ``a``; see the module."""
    from ..analysis import embeddings

    if kind not in KINDS:
        raise StoreError(f"unknown kind {kind!r} (disagree, agree)")
    if scope not in SCOPES:
        raise StoreError(f"unknown scope {scope!r} ({', '.join(SCOPES)})")
    from .limits import check_limit

    limit = check_limit(limit)
    about_stems = _about_stems(about)
    where = _article_where(outlet, since, until)
    with store.engine.connect() as conn:
        sets = _speaker_sets(store, conn, speakers_)
        if scope == "self" and len(sets) > 1:
            raise StoreError("self-contradictions are of one speaker: give --speaker at most once")
        if len(sets) == 2:
            where.append(mentions.c.speaker_id.in_(sorted(sets[0] | sets[1])))
        elif scope == "self" and sets:
            where.append(mentions.c.speaker_id.in_(sorted(sets[0])))
        use_vectors = scope != "article" and embeddings.backend_name() != "off"
        props = _load_props(store, conn, where, about_stems, use_vectors)
        found: list[tuple[float, str, str | None, _Prop, _Prop]] = []

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
                        found.append((float(r.score), "article", None, *pair))

        # across articles: candidates by shared topic, then the analysis's decision
        if scope in ("all", "corpus", "self") and len(props) > 1:
            plist = list(props.values())
            self_ = scope == "self"
            for score, basis, i, j in corpus_pairs.relate(
                plist, kind, sets, about_stems, same_speaker=self_, limit=limit
            ):
                if self_:
                    found.append((score, "self", basis, *_in_time_order(plist[i], plist[j])))
                    continue
                pair = _pair_ok(plist[i], plist[j], sets, about_stems)
                if pair is not None:
                    found.append((score, "corpus", basis, *pair))

        found.sort(key=lambda t: (-t[0], t[3].article_id, t[3].row_id, t[4].row_id))
        if limit is not None:
            found = found[:limit]
        return _records(conn, found, kind)


def _stored_bases(conn: Connection, art_ids: list[int]) -> dict[tuple[int, str, str], str]:
    """``basis`` of the relations the analysis found inside these articles (from the stored
    enriched documents; relations stored before bases were recorded have none)."""
    out: dict[tuple[int, str, str], str] = {}
    for i in range(0, len(art_ids), 100):
        for aid, doc in conn.execute(select(articles.c.id, articles.c.doc).where(articles.c.id.in_(art_ids[i : i + 100]))):
            for r in (doc or {}).get("relations") or ():
                if isinstance(r, dict) and r.get("basis"):
                    out[(aid, str(r.get("a")), str(r.get("b")))] = str(r["basis"])
    return out


def _records(
    conn: Connection, found: list[tuple[float, str, str | None, _Prop, _Prop]], kind: str
) -> list[dict[str, Any]]:
    art_ids = sorted({p.article_id for _, _, _, a, b in found for p in (a, b)})
    sp_ids = sorted({p.speaker_id for _, _, _, a, b in found for p in (a, b)})
    in_article = sorted({a.article_id for _, scope, _, a, _ in found if scope == "article"})
    bases = _stored_bases(conn, in_article) if in_article else {}
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

    def basis_of(scope: str, basis: str | None, a: _Prop, b: _Prop) -> str | None:
        if scope != "article":
            return basis
        return bases.get((a.article_id, a.local_id, b.local_id)) or bases.get((a.article_id, b.local_id, a.local_id))

    return [
        {"kind": kind, "score": round(score, 4), "scope": scope, "basis": basis_of(scope, basis, a, b),
         "a": side(a), "b": side(b)}
        for score, scope, basis, a, b in found
    ]


__all__ = ["compute_positions", "topic_match", "delete_positions", "find_pairs", "read_positions", "write_positions"]
