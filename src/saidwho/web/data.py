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

from sqlalchemy import distinct, func, select

from ..analysis.chains import UNNAMED

from ..store import Store
from ..store.errors import NotFoundError
from ..store.schema import articles, attributions, speakers
from .markup import Mark, excerpt

VAGUE_TYPES = ("group", "anonymous")


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
                              nested + (base if not a["source"] else ()), title,
                              "cue, vague source" if a["vague"] and not a["source"] else "cue", a["depth"]))
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
        self._cache = _TTL(30.0)
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
        with self.store.engine.connect() as conn:
            rows = conn.execute(
                select(articles.c.id, articles.c.ext_id, articles.c.title, articles.c.outlet, articles.c.published,
                       articles.c.n_attributions)
                .order_by(articles.c.published.desc().nulls_last(), articles.c.id.desc())
                .limit(per_page).offset((page - 1) * per_page)
            ).all()
        recent = [
            {"article_id": r.id, "ext_id": r.ext_id, "title": r.title, "outlet": r.outlet,
             "published": r.published, "attributions": r.n_attributions}
            for r in rows
        ]
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
                                        "published", "origin", "text_sha256", "engine", "analysed_at")}
        doc = rec.get("doc") or {}
        if isinstance(doc, str):
            doc = json.loads(doc)
        view = article_view(rec.get("text") or "", doc, meta, rec.get("attributions"), rec.get("speakers"))
        view["meta"] = meta
        view["doc"] = doc
        return view

    # search

    def search(self, page: int, per_page: int, **filters: Any) -> dict[str, Any]:
        f = {k: v for k, v in filters.items() if v not in (None, "")}
        try:
            total = self.store.count_quotes(**f)
        except NotFoundError:
            if not f.get("speaker"):
                raise
            total = 0  # a speaker nobody is called: the search finds nothing (the CLI says so)
        items = self.store.quotes(limit=per_page, offset=(page - 1) * per_page, **f) if total else []
        speakers_found: list[dict[str, Any]] = []
        q = f.get("about")
        if q and page == 1:
            speakers_found = self.speakers_named(q, limit=8)
        return {
            "query": f,
            "results": items,
            "speakers": speakers_found,
            "pagination": pages(total, page, per_page),
        }

    def speakers_named(self, q: str, limit: int = 8) -> list[dict[str, Any]]:
        words = re.findall(r"\w+", q)
        if not words or len(q) > 100:
            return []
        pattern = "%" + " ".join(words).lower().replace("%", "").replace("_", "") + "%"
        with self.store.engine.connect() as conn:
            rows = conn.execute(
                select(speakers.c.id, speakers.c.name, speakers.c.role, speakers.c.type)
                .where(func.lower(speakers.c.name).like(pattern))
                .order_by(func.length(speakers.c.name), speakers.c.id).limit(limit)
            ).all()
        return [{"id": r.id, "name": r.name, "role": r.role, "type": r.type} for r in rows]

    # one speaker

    def speaker(self, ref: str, page: int, per_page: int) -> dict[str, Any]:
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
        total = sum(o["quotes"] for o in outlets)
        quotes = self.store.quotes(speaker=str(sid), limit=per_page, offset=(page - 1) * per_page)
        return {
            "speaker": {k: info.get(k) for k in info if k not in ("names", "roles", "corrections")},
            "names": info.get("names", []),
            "roles": info.get("roles", []),
            "corrections": info.get("corrections", []),
            "outlets": outlets,
            "kinds": kinds,
            "timeline": timeline(timeline_rows),
            "attributions": quotes,
            "pagination": pages(total, page, per_page),
        }

    # one outlet

    def outlet(self, name: str, page: int, per_page: int) -> dict[str, Any]:
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
        newest article first, strongest first within one. Cached until an article is stored,
        re-analysed or given positions (``saidwho positions`` changes only ``positions_at``)."""
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
            return {"id": x.get("proposition"), "text": x.get("text") or "", "span": span,
                    "actor": (x.get("speaker") or {}).get("name"), "speaker_id": (x.get("speaker") or {}).get("id"),
                    "attribution": x.get("attribution"), "polarity": x.get("polarity"),
                    "modality": x.get("modality"), "topic": x.get("topic") or []}

        out = [
            {"article_id": r["a"]["article_id"], "title": r["a"]["title"], "outlet": r["a"]["outlet"],
             "published": r["a"]["published"], "kind": r["kind"], "score": r["score"],
             "a": side(r["a"]), "b": side(r["b"])}
            for r in self.store.disagreements(kind="disagree", scope="article")
        ]
        # newest article first (undated last), strongest first within one: stable sorts, last key first
        out.sort(key=lambda d: -d["score"])
        out.sort(key=lambda d: d["article_id"], reverse=True)
        out.sort(key=lambda d: d["published"] or "", reverse=True)
        with self._lock:
            self._disagreements_cache = (key, out)
        return out

    def disagreements(self, page: int, per_page: int, speaker: str | None = None, q: str | None = None,
                      outlet: str | None = None) -> dict[str, Any]:
        items = self._all_disagreements()
        if speaker:
            s = speaker.lower()
            items = [d for d in items if s in (d["a"]["actor"] or "").lower() or s in (d["b"]["actor"] or "").lower()]
        if outlet:
            o = outlet.strip().lower()
            items = [d for d in items if (d["outlet"] or "").lower() == o]
        if q:
            words = [w.lower() for w in re.findall(r"\w+", q)]
            items = [d for d in items
                     if all(w in (d["a"]["text"] + " " + d["b"]["text"]).lower() for w in words)]
        start = (page - 1) * per_page
        return {
            "query": {k: v for k, v in (("speaker", speaker), ("q", q), ("outlet", outlet)) if v},
            "disagreements": items[start : start + per_page],
            "pagination": pages(len(items), page, per_page),
        }


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
