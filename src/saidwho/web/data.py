"""What the pages show, as plain dicts: read from the store, or from a freshly analysed text.

The HTML views and the JSON API use the same functions, so ``/articles/7`` and
``/api/articles/7`` always agree. Disagreements come from the store's query
(:meth:`saidwho.store.Store.disagreements`); queries the store does not offer (outlets,
timelines, recent articles) are read here from its tables with SQLAlchemy Core, the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import math
import re
import threading
import time
from collections import OrderedDict
from typing import Any

from sqlalchemy import Column, Float, Integer, MetaData, Table, Text, case, distinct, func, literal_column, select

from ..analysis.chains import UNNAMED
from ..store import Store
from ..store.errors import NotFoundError
from ..store.names import fold
from ..store.schema import articles, attributions, mentions, speakers
from .markup import Mark, excerpt

VAGUE_TYPES = ("group", "anonymous")
#: Largest id the databases hold (SQLite INTEGER, PostgreSQL bigint): a longer number names nothing.
MAX_ID = 2**63 - 1
#: Sort orders of the search.
SORTS = ("relevance", "date", "oldest", "outlet")

# SQLite's FTS5 table over attributions.content (made by the store's first migration), read here
# for phrase queries and ranking; PostgreSQL uses the generated ``tsv`` column.
_fts = Table(
    "attributions_fts",
    MetaData(),
    Column("rowid", Integer),
    Column("attributions_fts", Text),
    Column("rank", Float),
)


def too_big(ref: Any) -> bool:
    """Whether ``ref`` is a number no database id can reach (it would overflow the driver)."""
    s = str(ref).strip()
    return s.isdigit() and int(s) > MAX_ID


# -- search terms ---------------------------------------------------------------------------


def parse_query(q: str) -> list[list[str]]:
    """The terms of a search: each a list of words that must appear together and in order.

    A quoted ``"tax code"`` is one phrase (so ``"tax code"`` and ``"code tax"`` differ); so is
    a word with an apostrophe or hyphen (``Clinton's``, ``Holtz-Eakin``), since the full-text
    index splits it there; other words stand alone and may appear anywhere.
    """
    q = re.sub("[\u201c\u201d\u201e\u00ab\u00bb]", '"', q or "")
    terms: list[list[str]] = []
    for i, part in enumerate(q.split('"')):
        chunks = [part] if i % 2 else part.split()
        for chunk in chunks:
            words = [w.lower() for w in re.findall(r"\w+", chunk)]
            if words and words not in terms:
                terms.append(words)
    return terms


def highlight_terms(q: str) -> list[str]:
    """The words of a query, to mark in the results."""
    return [w for t in parse_query(q) for w in t]


def name_tokens(s: str) -> list[str]:
    """A name as folded word tokens: ``O'Brien`` -> ``o, brien``; a possessive 's dropped."""
    s = (s or "").lower() if (s or "").isascii() else fold(s)  # fold: accents off, ’ as '
    s = re.sub(r"(?<=\w)'s\b", "", s)
    return re.findall(r"\w+", s)


def _contains_run(hay: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return any(hay[i : i + n] == needle for i in range(len(hay) - n + 1))


def _like_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def article_label(title: str | None, head: str | None, outlet: str | None, site: str | None, origin: str | None,
                  published: str | None, ingested_at: str | None) -> dict[str, Any]:
    """How an article is named in lists: its title, else the first line of its text; its outlet,
    else its site or file; its date, else the day it was added."""
    headline = title
    if not headline and head:
        line = next((ln.strip() for ln in head.splitlines() if ln.strip()), "")
        headline = excerpt(line, 100) if line else None
    source = outlet or site
    if not source and origin:
        source = "pasted text" if origin == "web" else origin.replace("\\", "/").rsplit("/", 1)[-1].split("#")[0]
    return {
        "headline": headline,
        "source": source,
        "date": published or None,
        "added": (ingested_at or "")[:10] or None,
    }


# -- pagination -----------------------------------------------------------------------------


def pages(total: int, page: int, per_page: int) -> dict[str, Any]:
    n = max(1, math.ceil(total / per_page)) if per_page else 1
    return {
        "total": int(total),
        "page": page,
        "per_page": per_page,
        "pages": n,
        "prev": page - 1 if page > 1 else None,
        "next": page + 1 if page < n else None,
    }


class _TTL:
    """A small time-limited cache for corpus-wide figures (outlets, overview counts)."""

    def __init__(self, seconds: float = 30.0, size: int = 64) -> None:
        self.seconds, self.size = seconds, size
        self._d: OrderedDict[Any, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any, make):
        now = time.monotonic()
        with self._lock:
            hit = self._d.get(key)
            if hit and now - hit[0] < self.seconds:
                return hit[1]
        value = make()
        with self._lock:
            self._d[key] = (now, value)
            while len(self._d) > self.size:
                self._d.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._d.clear()


# -- the article view -------------------------------------------------------------------------


def _span_text(sp: dict | None) -> str | None:
    return sp.get("text") if sp else None


def article_view(text: str, doc: dict[str, Any], meta: dict[str, Any] | None = None,
                 records: list[dict[str, Any]] | None = None,
                 mentions: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Everything the article page shows: attributions with speaker, chain, vague flag and
    nesting; speakers; disagreements; unattributed claims; and the highlight marks.

    ``doc`` is the engine's document (``Article.to_dict()``), perhaps enriched by
    :func:`saidwho.analysis.enrich`; ``records`` and ``mentions`` are the store's rows for it
    (corpus speaker ids, vague flags) when the article is stored.
    """
    meta = meta or {}
    by_local = {r.get("attribution_id"): r for r in records or ()}
    corpus_ids = {m["local_id"]: m.get("speaker_id") for m in mentions or ()}
    local_speakers = {s["id"]: s for s in doc.get("speakers", ())}
    raw = list(doc.get("attributions", ()))
    by_id = {a["id"]: a for a in raw}
    outlet = meta.get("outlet") or meta.get("site")

    def depth_of(a: dict) -> int:
        d, seen, cur = 0, {a["id"]}, a
        while cur.get("parent") and cur["parent"] in by_id and cur["parent"] not in seen:
            seen.add(cur["parent"])
            cur = by_id[cur["parent"]]
            d += 1
        return d

    def speaker_name(a: dict) -> str | None:
        sp = a.get("speaker")
        return (sp or {}).get("name") or _span_text(a.get("source"))

    chains: dict[str, list[str]] = {}

    def chain_of(a: dict, seen: frozenset = frozenset()) -> list[str]:
        if a.get("chain"):
            return [str(x) for x in a["chain"]]
        if a["id"] in chains:
            return chains[a["id"]]
        parent = by_id.get(a.get("parent") or "")
        if parent is not None and parent["id"] not in seen:
            head = chain_of(parent, seen | {a["id"]})
        else:
            head = [outlet] if outlet else []
            if a.get("medium"):
                head = head + [_span_text(a["medium"]) or "?"]
        out = head + [speaker_name(a) or UNNAMED]
        chains[a["id"]] = out
        return out

    atts: list[dict[str, Any]] = []
    for a in raw:
        sp = a.get("speaker") or None
        rec = by_local.get(a["id"])
        full = local_speakers.get(sp["id"]) if sp else None
        stype = (sp or {}).get("type") or (full or {}).get("type")
        if "vague" in a:
            vague = bool(a["vague"])
        elif rec is not None:
            vague = bool(rec.get("vague"))
        else:
            vague = (stype in VAGUE_TYPES) or (sp is None and not a.get("source"))
        corpus_id = (rec or {}).get("speaker", {}) or {}
        corpus_id = corpus_id.get("id") if isinstance(corpus_id, dict) else None
        if corpus_id is None and sp:
            corpus_id = corpus_ids.get(sp["id"])
        contents = [c for c in a.get("content", ()) if c]
        atts.append({
            "id": a["id"],
            "kind": a.get("kind"),
            "speaker": {
                "local_id": sp["id"] if sp else None,
                "name": speaker_name(a),
                "role": (sp or {}).get("role"),
                "type": stype,
                "corpus_id": corpus_id,
            },
            "source": a.get("source"),
            "cue": a.get("cue"),
            "content": contents,
            "content_text": " … ".join(c.get("text", "") for c in contents),
            "medium": _span_text(a.get("medium")),
            "medium_span": a.get("medium"),
            "chain": chain_of(a),
            "vague": vague,
            "parent": a.get("parent") if a.get("parent") in by_id else None,
            "depth": depth_of(a),
            "confidence": a.get("confidence"),
        })
    for a in atts:
        a["children"] = [b["id"] for b in atts if b["parent"] == a["id"]]
        parent = next((b for b in atts if b["id"] == a["parent"]), None)
        a["parent_speaker"] = parent["speaker"]["name"] if parent else None

    # speakers: one line each, with the number of attributions
    counts: dict[str, int] = {}
    for a in atts:
        if a["speaker"]["local_id"]:
            counts[a["speaker"]["local_id"]] = counts.get(a["speaker"]["local_id"], 0) + 1
    speakers_out = []
    for s in doc.get("speakers", ()):
        speakers_out.append({
            "local_id": s["id"],
            "name": s.get("name"),
            "role": s.get("role"),
            "type": s.get("type"),
            "vague": s.get("type") in VAGUE_TYPES,
            "attributions": counts.get(s["id"], 0),
            "corpus_id": corpus_ids.get(s["id"]) or next(
                (a["speaker"]["corpus_id"] for a in atts if a["speaker"]["local_id"] == s["id"]), None),
        })
    speakers_out.sort(key=lambda s: (-s["attributions"], s["name"] or ""))

    # propositions and relations (from an enriched document)
    props = {p["id"]: p for p in doc.get("propositions", ()) if isinstance(p, dict) and "id" in p}
    names = {s["id"]: s.get("name") for s in doc.get("speakers", ())}

    def prop_view(pid: str) -> dict[str, Any]:
        p = props.get(pid) or {}
        return {
            "id": pid,
            "text": _span_text(p.get("span")) or "",
            "span": p.get("span"),
            "actor": names.get(p.get("actor"), p.get("actor")),
            "corpus_id": corpus_ids.get(p.get("actor")) if p.get("actor") else None,
            "attribution": p.get("attribution"),
            "polarity": p.get("polarity"),
            "modality": p.get("modality"),
            "topic": p.get("topic") or [],
        }

    relations = [
        {"kind": r.get("kind"), "score": r.get("score"), "a": prop_view(r.get("a")), "b": prop_view(r.get("b"))}
        for r in doc.get("relations", ())
        if isinstance(r, dict)
    ]
    unattributed = [
        {"span": u.get("span"), "text": _span_text(u.get("span")) or "", "reason": u.get("reason")}
        for u in doc.get("unattributed", ())
        if isinstance(u, dict) and u.get("span")
    ]
    return {
        "text": text,
        "attributions": atts,
        "speakers": speakers_out,
        "disagreements": [r for r in relations if r["kind"] == "disagree"],
        "agreements": [r for r in relations if r["kind"] == "agree"],
        "unattributed": unattributed,
        "analysed": "relations" in doc or "unattributed" in doc,
        "vague_count": sum(1 for a in atts if a["vague"]),
    }


def marks_for(view: dict[str, Any]) -> list[Mark]:
    """The highlight ranges of an article view (see :func:`saidwho.web.markup.render`)."""
    marks: list[Mark] = []
    for a in view["attributions"]:
        sp = a["speaker"]
        who = sp["name"] or UNNAMED
        if sp.get("role"):
            who += f" ({sp['role']})"
        title = f"{who} · {a['kind']}" + (" · vague source" if a["vague"] else "")
        if a["chain"]:
            title += " · " + " ← ".join(a["chain"])
        base = ("vague",) if a["vague"] else ()
        nested = ("nested",) if a["depth"] else ()
        if a["source"]:
            marks.append(Mark(a["source"]["start"], a["source"]["end"], "source", a["id"], base + nested, title,
                              "vague source" if a["vague"] else "source", a["depth"]))
        if a["cue"]:
            marks.append(Mark(a["cue"]["start"], a["cue"]["end"], "cue", a["id"],
                              nested + (base if not a["source"] else ()), title, "cue", a["depth"]))
        for c in a["content"]:
            marks.append(Mark(c["start"], c["end"], "content", a["id"], nested, title,
                              "nested quote" if a["depth"] else "quote", a["depth"]))
        if a["medium_span"]:
            m = a["medium_span"]
            marks.append(Mark(m["start"], m["end"], "medium", a["id"], nested, title, "medium", a["depth"]))
    for k, u in enumerate(view["unattributed"]):
        sp = u["span"]
        marks.append(Mark(sp["start"], sp["end"], "unattributed", None, (), f"Unattributed claim: {u['reason']}",
                          "unsourced claim", 0, ident=f"hl-unattributed-{k}", extra={"data-u": f"u{k}"}))
    return marks


def tooltip_data(view: dict[str, Any]) -> dict[str, Any]:
    """Per attribution id, what its tooltip shows (a JSON island read by app.js)."""
    out: dict[str, Any] = {}
    for a in view["attributions"]:
        sp = a["speaker"]
        out[a["id"]] = {
            "speaker": sp["name"],
            "role": sp.get("role"),
            "type": sp.get("type"),
            "kind": a["kind"],
            "medium": a["medium"],
            "chain": a["chain"],
            "vague": a["vague"],
            "parent": a["parent"],
            "parent_speaker": a["parent_speaker"],
            "confidence": a.get("confidence"),
            "href": f"/speakers/{sp['corpus_id']}" if sp.get("corpus_id") else None,
        }
    for k, u in enumerate(view["unattributed"]):
        out[f"u{k}"] = {"unattributed": True, "reason": u["reason"]}
    return out


def json_island(data: Any) -> str:
    """JSON safe to put inside ``<script type="application/json">`` (no ``</script>``, no ``<!--``)."""
    s = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return s.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e").replace(
        "\u2028", "\\u2028").replace("\u2029", "\\u2029")


# -- the corpus ---------------------------------------------------------------------------------


class CorpusData:
    """The read side of a store, shaped for the pages."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._cache = _TTL(30.0, size=512)
        self._disagreements_cache: tuple[Any, list[dict[str, Any]]] | None = None
        self._lock = threading.Lock()

    def invalidate(self) -> None:
        self._cache.clear()
        self._disagreements_cache = None

    # overview

    def outlets(self) -> list[dict[str, Any]]:
        def make():
            with self.store.engine.connect() as conn:
                n = func.count().label("n")
                rows = conn.execute(
                    select(articles.c.outlet, n).where(articles.c.outlet.is_not(None))
                    .group_by(articles.c.outlet).order_by(n.desc(), articles.c.outlet)
                ).all()
            return [{"name": r[0], "articles": int(r[1])} for r in rows]

        return self._cache.get("outlets", make)

    def overview(self, page: int, per_page: int) -> dict[str, Any]:
        stats = self._cache.get("stats", self.store.stats)
        top = self._cache.get("top", lambda: self.store.speakers(limit=10))
        ar = articles
        want = page * per_page
        with self.store.engine.connect() as conn:
            # newest first by publication date, an undated article (a pasted or plain text) by the
            # day it was added; each half is read through its own index order, then merged
            dated = conn.execute(
                select(ar.c.id, ar.c.published.label("when")).where(ar.c.published.is_not(None))
                .order_by(ar.c.published.desc(), ar.c.id.desc()).limit(want)
            ).all()
            undated = conn.execute(
                select(ar.c.id, ar.c.ingested_at.label("when")).where(ar.c.published.is_(None))
                .order_by(ar.c.ingested_at.desc(), ar.c.id.desc()).limit(want)
            ).all()
            merged = sorted([*dated, *undated], key=lambda r: (r.when or "", r.id), reverse=True)
            ids = [r.id for r in merged[(page - 1) * per_page : want]]
            rows = {r.id: r for r in conn.execute(
                select(ar.c.id, ar.c.ext_id, ar.c.title, ar.c.outlet, ar.c.site, ar.c.origin, ar.c.published,
                       ar.c.ingested_at, ar.c.n_attributions,
                       case((ar.c.title.is_(None), func.substr(ar.c.text, 1, 300)), else_=None).label("head"))
                .where(ar.c.id.in_(ids))
            )} if ids else {}
        recent = []
        for i in ids:
            r = rows[i]
            label = article_label(r.title, r.head, r.outlet, r.site, r.origin, r.published, r.ingested_at)
            recent.append({"article_id": r.id, "ext_id": r.ext_id, "title": r.title, "outlet": r.outlet,
                           "published": r.published, "attributions": r.n_attributions, "headline": label["headline"],
                           "source_name": label["source"], "added": label["added"]})
        return {
            "stats": stats,
            "top_speakers": [
                {k: s[k] for k in ("id", "name", "type", "role", "quotes")} for s in top
            ],
            "outlets": self.outlets()[:20],
            "articles": recent,
            "pagination": pages(stats["articles"], page, per_page),
        }

    # one article

    def article(self, ref: str) -> dict[str, Any]:
        rec = self.store.article(ref)
        meta = {k: rec.get(k) for k in ("article_id", "ext_id", "url", "title", "author", "outlet", "site",
                                        "published", "origin", "text_sha256", "engine", "analysed_at", "ingested_at")}
        label = article_label(meta["title"], (rec.get("text") or "")[:300], meta["outlet"], meta["site"],
                              meta["origin"], meta["published"], meta["ingested_at"])
        meta.update(headline=label["headline"], source_name=label["source"], added=label["added"])
        doc = rec.get("doc") or {}
        if isinstance(doc, str):
            doc = json.loads(doc)
        view = article_view(rec.get("text") or "", doc, meta, rec.get("attributions"), rec.get("speakers"))
        view["meta"] = meta
        view["doc"] = doc
        return view

    # search

    def _text_query(self, terms: list[list[str]], ranked: bool = False):
        """The full-text query for the terms (every term, a phrase in order): a condition, a
        subquery to join (SQLite: the FTS5 matches with their rank) and a rank expression
        (lower is better) for sorting by relevance."""
        if self.store.backend == "postgresql":
            from functools import reduce

            tsv = literal_column("attributions.tsv")
            tsq = reduce(lambda x, y: x.op("&&")(y),
                         [func.phraseto_tsquery("english", " ".join(t)) for t in terms])
            return tsv.op("@@")(tsq), None, -func.ts_rank(tsv, tsq)
        match = " ".join('"' + " ".join(t) + '"' for t in terms)
        if not ranked:
            return attributions.c.id.in_(select(_fts.c.rowid).where(_fts.c.attributions_fts.match(match))), None, None
        hits = select(_fts.c.rowid, _fts.c.rank).where(_fts.c.attributions_fts.match(match)).subquery("hits")
        return None, hits, hits.c.rank

    def _where(self, conn, f: dict[str, Any], ranked: bool = False):
        """Conditions for the search filters, the FROM clause, and the text query's rank."""
        a, ar = attributions, articles
        store_f = {k: f[k] for k in ("speaker", "outlet", "since", "until", "kind", "vague", "article")
                   if f.get(k) not in (None, "")}
        where = list(self.store._filters(conn, **store_f))
        frm = a.join(ar, ar.c.id == a.c.article_id)
        rank = None
        if f.get("about"):
            terms = parse_query(f["about"])
            if not terms:
                raise NotFoundError("give at least one word to search for")
            cond, hits, rank = self._text_query(terms, ranked)
            if cond is not None:
                where.append(cond)
            if hits is not None:
                frm = hits.join(a, a.c.id == hits.c.rowid).join(ar, ar.c.id == a.c.article_id)
        if f.get("title"):
            for w in name_tokens(f["title"]) or [f["title"].strip().lower()]:
                where.append(func.lower(ar.c.title).like("%" + _like_escape(w) + "%", escape="\\"))
        return where, frm, rank

    def _quote_stmt(self, conn, f: dict[str, Any] | None, sort: str, ids_only: bool = False):
        """The search's SELECT, in order; ``ids_only``: the attribution ids alone (a page is
        found by sorting the ids, then its rows are read: sorting whole rows of a common word's
        thousands of matches is what takes the time); ``f=None``: no filter or order."""
        a, ar, sp = attributions, articles, speakers
        cols = [
            a.c.id, a.c.article_id, a.c.local_id, a.c.kind, a.c.cue, a.c.content, a.c.source, a.c.vague,
            a.c.confidence, a.c.parent, a.c.speaker_role, a.c.speaker_type,
            sp.c.id.label("sp_id"), sp.c.name.label("sp_name"), sp.c.type.label("sp_type"),
            ar.c.ext_id, ar.c.url, ar.c.title, ar.c.outlet, ar.c.site, ar.c.origin, ar.c.published,
            ar.c.ingested_at,
            case((ar.c.title.is_(None), func.substr(ar.c.text, 1, 300)), else_=None).label("head"),
        ]
        if f is None:
            return select(*cols).select_from(a.join(ar, ar.c.id == a.c.article_id).outerjoin(sp, sp.c.id == a.c.speaker_id))
        where, frm, rank = self._where(conn, f, ranked=sort == "relevance")
        when = func.coalesce(ar.c.published, ar.c.ingested_at)
        if ids_only:
            stmt = select(a.c.id).select_from(frm).where(*where)
        else:
            stmt = select(*cols).select_from(frm.outerjoin(sp, sp.c.id == a.c.speaker_id)).where(*where)
        tail = (a.c.article_id, a.c.position, a.c.id)
        if sort == "relevance" and rank is not None:
            stmt = stmt.order_by(rank, when.desc(), *tail)
        elif sort == "oldest":
            stmt = stmt.order_by(when.is_(None), when, *tail)
        elif sort == "outlet":
            stmt = stmt.order_by(ar.c.outlet.is_(None), func.lower(ar.c.outlet), when.desc(), *tail)
        else:
            stmt = stmt.order_by(when.desc().nulls_last(), *tail)
        return stmt

    @staticmethod
    def _quote_record(r: Any) -> dict[str, Any]:
        label = article_label(r.title, r.head, r.outlet, r.site, r.origin, r.published, r.ingested_at)
        return {
            "id": r.id,
            "article_id": r.article_id,
            "article_ext_id": r.ext_id,
            "attribution_id": r.local_id,
            # the role and type given in this article, not the speaker's latest
            "speaker": None if r.sp_id is None else {
                "id": r.sp_id, "name": r.sp_name, "role": r.speaker_role, "type": r.speaker_type or r.sp_type},
            "source": r.source,
            "cue": r.cue,
            "content": r.content,
            "kind": r.kind,
            "vague": bool(r.vague),
            "confidence": r.confidence,
            "parent": r.parent,
            "outlet": r.outlet,
            "published": r.published,
            "title": r.title,
            "url": r.url,
            "headline": label["headline"],
            "source_name": label["source"],
            "added": label["added"],
        }

    def count_quotes(self, **f: Any) -> int:
        """How many attributions match; remembered for 30 s while no article or attribution is
        added (the count is the slow half of a search for a common word)."""
        with self.store.engine.connect() as conn:
            version = tuple(conn.execute(select(select(func.max(articles.c.id)).scalar_subquery(),
                                                select(func.max(attributions.c.id)).scalar_subquery())).one())

            def make() -> int:
                where, frm, _ = self._where(conn, f)
                return int(conn.execute(select(func.count()).select_from(frm).where(*where)).scalar() or 0)

            return self._cache.get(("count", version, tuple(sorted((k, str(v)) for k, v in f.items()))), make)

    def quotes(self, limit: int | None, offset: int = 0, sort: str = "date", **f: Any) -> list[dict[str, Any]]:
        return list(self.iter_quotes(limit, offset, sort, **f))

    def iter_quotes(self, limit: int | None = None, offset: int = 0, sort: str = "date", **f: Any):
        with self.store.engine.connect() as conn:
            if limit is not None:  # one page: the ids in order, then their rows
                ids = [r[0] for r in conn.execute(self._quote_stmt(conn, f, sort, ids_only=True)
                                                  .limit(limit).offset(offset or 0))]
                rows = {r.id: r for r in conn.execute(self._quote_stmt(conn, None, sort)
                                                      .where(attributions.c.id.in_(ids)))} if ids else {}
                for i in ids:
                    yield self._quote_record(rows[i])
                return
            stmt = self._quote_stmt(conn, f, sort)
            if offset:
                stmt = stmt.offset(offset)
            for r in conn.execution_options(yield_per=1000).execute(stmt):
                yield self._quote_record(r)

    def search(self, page: int, per_page: int, sort: str | None = None, **filters: Any) -> dict[str, Any]:
        f = {k: v for k, v in filters.items() if v not in (None, "")}
        sort = sort or "date"
        try:
            total = self.count_quotes(**f)
        except NotFoundError:
            if not f.get("speaker"):
                raise
            total = 0  # a speaker nobody is called: the search finds nothing (the CLI says so)
        items = self.quotes(per_page, (page - 1) * per_page, sort, **f) if total else []
        speakers_found: list[dict[str, Any]] = []
        q = f.get("about")
        if q and page == 1:
            speakers_found = self.speakers_named(q, limit=8)
        return {
            "query": f,
            "sort": sort,
            "results": items,
            "speakers": speakers_found,
            "pagination": pages(total, page, per_page),
        }

    def speakers_named(self, q: str, limit: int = 8) -> list[dict[str, Any]]:
        """Speakers whose name holds the query's words in order, as whole words (``O'Brien``,
        ``Holtz-Eakin``, ``Harry B. Harris``; ``Clinton's`` finds every Clinton): the name itself
        first, then persons, then the most quoted."""
        want = name_tokens(q)
        if not want or len(q) > 100:
            return []
        first = want[0]
        cands = [r for r in self._cache.get("speaker_list", self._speaker_counts)
                 if first in r["_tokens"] and _contains_run(r["_seq"], want)]
        cands.sort(key=lambda r: (r["_seq"] != want, r["type"] != "person", -r["quotes"], len(r["name"]), r["id"]))
        return [{k: r[k] for k in ("id", "name", "role", "type", "quotes")} for r in cands[:limit]]

    # all speakers

    def speaker_list(self, page: int, per_page: int, q: str | None = None, type: str | None = None) -> dict[str, Any]:
        """Speakers by number of attributions (most first), filtered by name words and type."""
        rows = self._cache.get("speaker_list", self._speaker_counts)
        if q:
            want = name_tokens(q)
            rows = [r for r in rows if want and all(w in r["_tokens"] for w in want)]
        if type:
            types = {t.strip() for t in type.split(",") if t.strip()}
            rows = [r for r in rows if r["type"] in types]
        start = (page - 1) * per_page
        return {
            "query": {k: v for k, v in (("q", q), ("type", type)) if v},
            "speakers": [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows[start:start + per_page]],
            "pagination": pages(len(rows), page, per_page),
        }

    def _speaker_counts(self) -> list[dict[str, Any]]:
        a, sp = attributions, speakers
        with self.store.engine.connect() as conn:
            counts = dict(conn.execute(select(a.c.speaker_id, func.count()).where(a.c.speaker_id.is_not(None))
                                       .group_by(a.c.speaker_id)).all())
            rows = conn.execute(select(sp.c.id, sp.c.name, sp.c.type, sp.c.role, sp.c.first_seen, sp.c.last_seen)
                                ).all()
        out = []
        for r in rows:
            seq = name_tokens(r.name)
            out.append({"id": r.id, "name": r.name, "type": r.type, "role": r.role, "quotes": int(counts.get(r.id, 0)),
                        "vague": r.type in VAGUE_TYPES, "first_seen": r.first_seen, "last_seen": r.last_seen,
                        "_seq": seq, "_tokens": set(seq)})
        out.sort(key=lambda r: (-r["quotes"], r["id"]))
        return out

    # one speaker

    def speaker(self, ref: str, page: int, per_page: int) -> dict[str, Any]:
        """One speaker's page; the figures over all their attributions are remembered for 30 s."""
        head = self._cache.get(("speaker", str(ref).strip().lower()), lambda: self._speaker_head(ref))
        sid = head["speaker"]["id"]
        quotes = self.quotes(per_page, (page - 1) * per_page, "date", speaker=str(sid))
        return {**head, "attributions": quotes, "pagination": pages(head["total"], page, per_page)}

    def _speaker_head(self, ref: str) -> dict[str, Any]:
        info = self.store.speaker(ref)
        sid = info["id"]
        a, ar = attributions, articles
        with self.store.engine.connect() as conn:
            n = func.count().label("n")
            outlets = [
                {"name": r[0] or "(unknown)", "quotes": int(r[1])}
                for r in conn.execute(
                    select(ar.c.outlet, n).select_from(a.join(ar, ar.c.id == a.c.article_id))
                    .where(a.c.speaker_id == sid).group_by(ar.c.outlet).order_by(n.desc(), ar.c.outlet)
                )
            ]
            month = func.substr(ar.c.published, 1, 7).label("month")
            timeline_rows = conn.execute(
                select(month, func.count()).select_from(a.join(ar, ar.c.id == a.c.article_id))
                .where(a.c.speaker_id == sid).group_by(month).order_by(month)
            ).all()
            kinds = {
                r[0]: int(r[1]) for r in conn.execute(
                    select(a.c.kind, func.count()).where(a.c.speaker_id == sid).group_by(a.c.kind)
                )
            }
        return {
            "speaker": {k: info.get(k) for k in info if k not in ("names", "roles", "corrections")},
            "names": info.get("names", []),
            "roles": info.get("roles", []),
            "corrections": info.get("corrections", []),
            "outlets": outlets,
            "kinds": kinds,
            "timeline": timeline(timeline_rows),
            "total": sum(o["quotes"] for o in outlets),
        }

    # one outlet

    def outlet(self, name: str, page: int, per_page: int) -> dict[str, Any]:
        """One outlet's page, remembered for 30 s (its figures count every attribution it holds)."""
        return self._cache.get(("outlet", name.strip().lower(), page, per_page),
                               lambda: self._outlet(name, page, per_page))

    def _outlet(self, name: str, page: int, per_page: int) -> dict[str, Any]:
        a, ar, sp = attributions, articles, speakers
        key = name.strip().lower()
        with self.store.engine.connect() as conn:
            row = conn.execute(
                select(func.count(), func.min(ar.c.published), func.max(ar.c.published), func.min(ar.c.outlet))
                .where(func.lower(ar.c.outlet) == key)
            ).first()
            if not row or not row[0]:
                raise NotFoundError(f"no articles from outlet {name!r}")
            n_articles, first, last, display = int(row[0]), row[1], row[2], row[3]
            base = a.join(ar, ar.c.id == a.c.article_id)
            cond = func.lower(ar.c.outlet) == key
            kinds = {r[0]: int(r[1]) for r in conn.execute(
                select(a.c.kind, func.count()).select_from(base).where(cond).group_by(a.c.kind))}
            vague = int(conn.execute(
                select(func.count()).select_from(base).where(cond, a.c.vague.is_(True))).scalar() or 0)
            n_speakers = int(conn.execute(
                select(func.count(distinct(a.c.speaker_id))).select_from(base).where(cond)).scalar() or 0)
            n = func.count().label("n")
            rows = conn.execute(
                select(sp.c.id, sp.c.name, sp.c.role, sp.c.type, n)
                .select_from(base.join(sp, sp.c.id == a.c.speaker_id))
                .where(cond).group_by(sp.c.id, sp.c.name, sp.c.role, sp.c.type)
                .order_by(n.desc(), sp.c.id).limit(per_page).offset((page - 1) * per_page)
            ).all()
        total_q = sum(kinds.values())
        return {
            "outlet": {
                "name": display,
                "articles": n_articles,
                "attributions": total_q,
                "speakers": n_speakers,
                "first": first,
                "last": last,
                "vague": vague,
                "vague_share": round(vague / total_q, 4) if total_q else 0.0,
                "kinds": dict(sorted(kinds.items(), key=lambda kv: -kv[1])),
            },
            "speakers": [
                {"id": r.id, "name": r.name, "role": r.role, "type": r.type, "quotes": int(r.n),
                 "vague": r.type in VAGUE_TYPES,
                 "share": round(int(r.n) / total_q, 4) if total_q else 0.0}
                for r in rows
            ],
            "pagination": pages(n_speakers, page, per_page),
        }

    # disagreements across the corpus

    def _all_disagreements(self) -> list[dict[str, Any]]:
        """The disagreements inside each article, from the store's query (the stored positions),
        grouped so that a statement opposed by several others is one item (its strongest
        opponent first, the rest in ``others``); newest article first, strongest first within
        one. Cached until an article is stored, re-analysed or given positions (``saidwho
        positions`` changes only ``positions_at``)."""
        with self.store.engine.connect() as conn:
            key = tuple(conn.execute(
                select(func.count(), func.max(articles.c.analysed_at), func.max(articles.c.positions_at))
            ).first() or ())
        with self._lock:
            cached = self._disagreements_cache
            if cached is not None and cached[0] == key:
                return cached[1]

        def side(x: dict[str, Any]) -> dict[str, Any]:
            span = dict(x.get("span") or {}, text=x.get("text") or "")
            att = x.get("attribution")
            aid = x.get("article_id")
            return {"id": x.get("proposition"), "text": x.get("text") or "", "span": span,
                    "actor": (x.get("speaker") or {}).get("name"), "speaker_id": (x.get("speaker") or {}).get("id"),
                    "attribution": att, "polarity": x.get("polarity"), "modality": x.get("modality"),
                    "topic": x.get("topic") or [], "article_id": aid, "title": x.get("title"),
                    "outlet": x.get("outlet"), "published": x.get("published"),
                    "link": f"/articles/{aid}#hl-{att}-content" if att else f"/articles/{aid}"}

        pairs = [
            {"article_id": r["a"]["article_id"], "title": r["a"]["title"], "outlet": r["a"]["outlet"],
             "published": r["a"]["published"], "kind": r["kind"], "score": r["score"],
             "a": side(r["a"]), "b": side(r["b"])}
            for r in self.store.disagreements(kind="disagree", scope="article")
        ]
        out = group_pairs(pairs)
        # newest article first (undated last), strongest first within one: stable sorts, last key first
        out.sort(key=lambda d: -d["score"])
        out.sort(key=lambda d: d["article_id"], reverse=True)
        out.sort(key=lambda d: d["published"] or "", reverse=True)
        with self._lock:
            self._disagreements_cache = (key, out)
        return out

    def disagreements(self, page: int, per_page: int, speaker: str | None = None, q: str | None = None,
                      outlet: str | None = None, since: str | None = None, until: str | None = None,
                      min_score: float | None = None) -> dict[str, Any]:
        items = self._all_disagreements()
        if speaker:
            s = speaker.strip()
            if s.isdigit():
                sid = int(s) if not too_big(s) else -1
                items = [d for d in items if sid in _speaker_ids(d)]
            else:
                want = name_tokens(s)
                items = [d for d in items if any(
                    all(w in name_tokens(x.get("actor") or "") for w in want) for x in _sides(d))]
        if outlet:
            o = outlet.strip().lower()
            items = [d for d in items if (d["outlet"] or "").lower() == o]
        if since:
            items = [d for d in items if (d["published"] or "")[:10] >= since]
        if until:
            items = [d for d in items if d["published"] and d["published"][:10] <= until]
        if min_score is not None:
            items = [d for d in items if (d["score"] or 0) >= min_score]
        if q:
            words = [w.lower() for w in re.findall(r"\w+", q)]
            items = [d for d in items
                     if all(w in " ".join(x["text"] for x in _sides(d)).lower() for w in words)]
        start = (page - 1) * per_page
        query = {"speaker": speaker, "q": q, "outlet": outlet, "since": since, "until": until,
                 "min_score": min_score}
        return {
            "query": {k: v for k, v in query.items() if v not in (None, "")},
            "disagreements": items[start : start + per_page],
            "pagination": pages(len(items), page, per_page),
        }


def _sides(d: dict[str, Any]) -> list[dict[str, Any]]:
    return [d["a"], d["b"], *d.get("others", ())]


def _speaker_ids(d: dict[str, Any]) -> set[int]:
    return {x.get("speaker_id") for x in _sides(d)}


def _statement_key(x: dict[str, Any]) -> tuple:
    return (x.get("article_id"), x.get("speaker_id"), " ".join((x.get("text") or "").lower().split()))


def group_pairs(pairs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Disagreeing pairs grouped by the statement they share: a statement opposed by several
    others (or repeated word for word) becomes one item, ``a``, with its strongest opponent as
    ``b`` and the rest, strongest first, in ``others``; the same two statements twice count once."""
    count: dict[tuple, int] = {}
    seen: set[frozenset] = set()
    unique = []
    for d in sorted(pairs, key=lambda d: -(d["score"] or 0)):
        ka, kb = _statement_key(d["a"]), _statement_key(d["b"])
        pair = frozenset((ka, kb))
        if pair in seen or ka == kb:
            continue
        seen.add(pair)
        unique.append((d, ka, kb))
        count[ka] = count.get(ka, 0) + 1
        count[kb] = count.get(kb, 0) + 1
    groups: dict[tuple, dict[str, Any]] = {}
    out: list[dict[str, Any]] = []
    for d, ka, kb in unique:  # strongest first
        hub, other = ("a", "b") if count[ka] >= count[kb] else ("b", "a")
        key = ka if hub == "a" else kb
        g = groups.get(key)
        if g is None:
            g = dict(d, a=d[hub], b=d[other], others=[])
            groups[key] = g
            out.append(g)
        else:
            g["others"].append(dict(d[other], score=d["score"]))
    return out


# -- the timeline chart -----------------------------------------------------------------------


def timeline(rows: list[tuple[str | None, int]]) -> dict[str, Any]:
    """Counts per month (per year when the span is over five years), gaps filled with zeros."""
    undated = sum(int(c) for m, c in rows if not m or not re.fullmatch(r"\d{4}-\d{2}", m))
    dated = {m: int(c) for m, c in rows if m and re.fullmatch(r"\d{4}-\d{2}", m)}
    if not dated:
        return {"unit": "month", "bins": [], "undated": undated, "max": 0}
    first, last = min(dated), max(dated)
    y0, m0 = int(first[:4]), int(first[5:])
    y1, m1 = int(last[:4]), int(last[5:])
    months = (y1 - y0) * 12 + (m1 - m0) + 1
    bins: list[dict[str, Any]] = []
    if months > 60:
        years: dict[str, int] = {}
        for m, c in dated.items():
            years[m[:4]] = years.get(m[:4], 0) + c
        for y in range(y0, y1 + 1):
            bins.append({"label": str(y), "count": years.get(str(y), 0)})
        unit = "year"
    else:
        y, m = y0, m0
        for _ in range(months):
            key = f"{y:04d}-{m:02d}"
            bins.append({"label": key, "count": dated.get(key, 0)})
            m += 1
            if m > 12:
                y, m = y + 1, 1
        unit = "month"
    return {"unit": unit, "bins": bins, "undated": undated, "max": max(b["count"] for b in bins)}


__all__ = ["CorpusData", "article_view", "excerpt", "json_island", "marks_for", "pages", "timeline", "tooltip_data"]
