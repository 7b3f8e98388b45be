"""The store: one interface over SQLite and PostgreSQL (SQLAlchemy Core, same schema).

Back ends differ only in connection set-up and full-text search (:mod:`.sqlite`,
:mod:`.postgres`). Every write of an article (row, mentions, attributions, speaker
resolution) is one transaction: a process killed at any moment leaves either the whole
article or nothing.

Several processes may write one corpus at once: an article is inserted-or-skipped on its
identity and text, under a lock (SQLite's write lock; a PostgreSQL advisory lock per
identity), so two runs store it once; a transaction that meets a transient
error (the server restarting, a lock held too long, a deadlock) is run again with backoff
for up to :data:`RETRY_SECONDS`.
"""

from __future__ import annotations

import functools
import os
import re
import time
from collections.abc import Iterator, Sequence
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    delete,
    distinct,
    false,
    func,
    insert,
    or_,
    select,
    true,
    update,
)
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.engine import Connection, Engine

from ..analysis.chains import is_vague
from ..types import KINDS, SPEAKER_TYPES, Article
from .errors import DatabaseUnreachableError, NotFoundError, StoreError
from .migrations import check_current, migrate, write_transaction
from .names import analyse_name, fold
from .records import ArticleMeta, Saved, identity_key, normalise_date, row_key
from .schema import articles, attributions, corrections, mentions, speaker_keys, speaker_review, speakers
from .positions import delete_positions, find_pairs, read_positions, write_positions
from .speakers import (
    Mention,
    Resolver,
    consolidate,
    drop_orphans,
    mention_key,
    move_mentions,
    refresh_speaker,
    speakers_touched,
)

VAGUE_TYPES = ("group", "anonymous")

#: How long a transaction that meets a transient database error is tried again (seconds;
#: ``$SAIDWHO_DB_RETRY_SECONDS``): a server restart, a lock held by another writer, a deadlock.
RETRY_SECONDS = 60.0
#: The first key of the PostgreSQL advisory locks taken per article identity while storing.
_IDENTITY_LOCKS = 0x5A1D

#: Tries of a transaction that lost a race on a unique key to another writer.
RACE_TRIES = 5

# built once; parameters are passed at execution
_INSERT_ARTICLE = insert(articles).returning(articles.c.id)
_REVIEW_PG = pg_dialect.insert(speaker_review).on_conflict_do_nothing(index_elements=["surname"])
_INSERT_MENTIONS = insert(mentions).returning(mentions.c.id, mentions.c.local_id)
_INSERT_ATTRIBUTIONS = insert(attributions)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _cut(value: str | None, n: int) -> str | None:
    """Fit a value to a VARCHAR(n) column (PostgreSQL refuses longer ones)."""
    return value[:n] if value else value


def _one_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()
    return text[0] if text else type(orig).__name__


from .limits import check_limit, published_between  # noqa: E402 - defined apart for .positions; used here too


def _choices(value: str | Sequence[str], allowed: Sequence[str], what: str) -> list[str]:
    """Comma-separated (or listed) values, each one of ``allowed``, else a one-line error."""
    items = [v.strip() for v in (value.split(",") if isinstance(value, str) else value) if v and v.strip()]
    bad = [v for v in items if v not in allowed]
    if bad:
        raise StoreError(f"unknown {what} {bad[0]!r} (one of: {', '.join(allowed)})")
    return items


_LOST = (
    "server closed the connection", "terminating connection", "connection refused", "connection reset",
    "could not receive data", "could not send data", "consuming input failed", "the connection is closed",
    "connection is lost", "ssl connection has been closed", "no connection to the server", "could not connect",
    "connection to server", "connection timeout expired",
)


def transient(exc: sa_exc.DBAPIError, connected: bool) -> str | None:
    """Why a failed transaction may succeed if run again ("wait": the database will be back
    or the lock free; "race": another writer took a unique key first), else None.

    A connection refused before the store ever connected is not transient: a wrong port."""
    orig = getattr(exc, "orig", None)
    msg = str(orig or exc).lower()
    code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None) or ""
    if code in ("40001", "40P01", "55P03", "57P03") or "deadlock detected" in msg:
        return "wait"  # serialisation failure, deadlock, lock not available, cannot connect now
    if "database is locked" in msg or "database table is locked" in msg:
        return "wait"
    if "starting up" in msg or "shutting down" in msg or "in recovery mode" in msg:
        return "wait"
    if code == "23505" and isinstance(exc, sa_exc.IntegrityError):
        return "race"
    if not connected:
        return None
    if exc.connection_invalidated or code.startswith(("08", "57P")):
        return "wait"
    return "wait" if any(s in msg for s in _LOST) else None


def db_errors(fn):
    """Turn driver errors into one-line :class:`StoreError`s, running the call again (with
    backoff, for a bounded time) when the error is transient (see :func:`transient`).

    Every wrapped method is one transaction, or reads only, so running it again is safe; an
    article's insert skips a text already stored, should a lost connection hide a commit."""

    @functools.wraps(fn)
    def wrapper(self: "Store", *args, **kwargs):
        start = time.monotonic()
        delay, races = 0.05, 0
        while True:
            try:
                return fn(self, *args, **kwargs)
            except sa_exc.DBAPIError as exc:
                why = transient(exc, self.connected)
                budget = float(os.environ.get("SAIDWHO_DB_RETRY_SECONDS", RETRY_SECONDS))
                if why == "race" and races < RACE_TRIES:
                    races += 1
                    continue
                if why == "wait" and time.monotonic() - start + delay <= budget:
                    time.sleep(delay)
                    delay = min(delay * 2, 2.0)
                    continue
                if isinstance(exc, sa_exc.OperationalError):
                    raise DatabaseUnreachableError(f"database {self.display}: {_one_line(exc)}") from None
                if isinstance(exc, sa_exc.DatabaseError):
                    raise StoreError(f"database {self.display}: {_one_line(exc)}") from None
                raise

    return wrapper


class Store:
    """A corpus database. Use :func:`saidwho.store.open_store` to get one."""

    backend = "?"

    def __init__(self, engine: Engine, display: str, readonly: bool = False) -> None:
        self.engine = engine
        self.display = display
        self.readonly = readonly
        self.connected = False  # set once the database answered: later losses are transient
        self.resolver = Resolver()
        #: the schema version found when opened (below the current one: this open upgraded it)
        self.found_version = self._check() if readonly else self._migrate()
        self.connected = True

    # -- set-up ---------------------------------------------------------------------------

    @db_errors
    def _migrate(self) -> int:
        return migrate(self.engine, where=f"database {self.display}")

    @db_errors
    def _check(self) -> int:
        return check_current(self.engine, f"database {self.display}", f"`saidwho migrate --db {self.display}`")

    def _write(self):
        """A write transaction (see :func:`saidwho.store.migrations.write_transaction`)."""
        if self.readonly:
            raise StoreError(f"database {self.display} is open for reading only")
        return write_transaction(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # dialect hooks
    def about_condition(self, query: str) -> ColumnElement[bool]:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- writing --------------------------------------------------------------------------

    @db_errors
    def lookup(self, key: str, sha256: str | None = None) -> tuple[int, str] | None:
        """``(article id, sha256)`` of a stored article with this identity key
        (:meth:`ArticleMeta.key`): the one with this text when ``sha256`` is given (None if
        that text is not stored), else the latest version."""
        if sha256 is not None:
            stmt = select(articles.c.id, articles.c.sha256).where(articles.c.key == row_key(key, sha256))
        else:
            stmt = (select(articles.c.id, articles.c.sha256).where(articles.c.identity == key)
                    .order_by(articles.c.version.desc(), articles.c.id.desc()).limit(1))
        row = self.engine_connect_one(stmt)
        return (row[0], row[1]) if row else None

    def engine_connect_one(self, stmt):
        with self.engine.connect() as conn:
            return conn.execute(stmt).first()

    @db_errors
    def save_article(
        self,
        article: Article,
        meta: ArticleMeta | None = None,
        replace: int | None = None,
        engine_name: str | None = None,
    ) -> int:
        """Store an analysed article with its attributions and speakers, in one transaction.

        ``replace`` is the id of a stored article to re-analyse in place (same id, old
        attributions and mentions replaced). Returns the article's id: the stored one when
        this text under this identity was there already (see :meth:`add_article`).
        """
        return self.add_article(article, meta, replace, engine_name).article_id

    @db_errors
    def add_article(
        self,
        article: Article,
        meta: ArticleMeta | None = None,
        replace: int | None = None,
        engine_name: str | None = None,
    ) -> Saved:
        """As :meth:`save_article`, saying what was done: a new article, a new version of a
        known identity (a changed text is kept beside the old one), or nothing (stored already,
        by this or another process)."""
        meta = meta or ArticleMeta()
        with self._write() as conn:
            return self._save(conn, article, meta, replace, engine_name)

    @db_errors
    def save_articles(self, items: Sequence[tuple[Article, ArticleMeta]], engine_name: str | None = None) -> list[int]:
        """Store several new articles in one transaction (bulk loads, benchmarks)."""
        return [s.article_id for s in self.add_articles(items, engine_name)]

    @db_errors
    def add_articles(self, items: Sequence[tuple[Article, ArticleMeta]], engine_name: str | None = None) -> list[Saved]:
        """Store several articles in one transaction; what was done for each."""
        with self._write() as conn:
            return [self._save(conn, a, m, None, engine_name) for a, m in items]

    def _save(
        self, conn: Connection, article: Article, meta: ArticleMeta, replace: int | None, engine_name: str | None
    ) -> Saved:
        now = _now()
        doc = article.to_dict()
        published = normalise_date(meta.published)
        identity = meta.key(article.text_sha256)
        key = row_key(identity, doc["text_sha256"])
        row = {
            "key": key,
            "identity": identity,
            "ext_id": _cut(meta.ext_id, 512),
            "url": meta.url,
            "crawl_url": meta.crawl_url,
            "canonical_url": meta.canonical_url,
            "sha256": doc["text_sha256"],
            "title": meta.title,
            "author": meta.author,
            "outlet": _cut(meta.outlet, 256),
            "site": _cut(meta.site, 256),
            "published": published,
            "origin": meta.origin,
            "text": article.text,
            "doc": doc,
            "meta": meta.as_dict(),
            "engine": engine_name,
            "n_attributions": len(article.attributions),
            "analysed_at": now,
            "positions_at": None,  # the positions analysis, if any, is of the old text: redone
        }
        touched: list[int] = []
        previous = None
        if replace is None:
            if conn.dialect.name == "postgresql":
                # one writer at a time per identity, so concurrent runs number versions right
                # (SQLite's write transactions are one at a time already)
                conn.execute(select(func.pg_advisory_xact_lock(_IDENTITY_LOCKS, func.hashtext(identity))))
            # insert-or-skip: inside the write lock (SQLite) or the identity's lock (PostgreSQL),
            # so no other writer can store this text between this look and the insert
            versions = conn.execute(
                select(articles.c.id, articles.c.version, articles.c.sha256).where(articles.c.identity == identity)
                .order_by(articles.c.version.desc(), articles.c.id.desc())
            ).all()
            for v in versions:
                if v.sha256 == doc["text_sha256"]:  # this text under this identity is stored already
                    return Saved(v.id, False, v.version)
            version = versions[0].version + 1 if versions else 1
            aid = conn.execute(_INSERT_ARTICLE, {**row, "version": version, "ingested_at": now}).scalar_one()
            previous = versions[0].id if versions else None
        else:
            aid = replace
            version = conn.execute(select(articles.c.version).where(articles.c.id == aid)).scalar() or 1
            touched = speakers_touched(conn, aid)
            conn.execute(delete(attributions).where(attributions.c.article_id == aid))
            conn.execute(delete(mentions).where(mentions.c.article_id == aid))
            delete_positions(conn, aid)
            conn.execute(update(articles).where(articles.c.id == aid).values(**row))
        self._write_analysis(conn, aid, article, published)
        if touched:
            drop_orphans(conn, touched)
        return Saved(aid, True, version, previous)

    def _write_analysis(self, conn: Connection, aid: int, article: Article, published: str | None) -> None:
        local = {s.id: s for s in article.speakers}
        for a in article.attributions:
            if a.speaker is not None and a.speaker.id not in local:
                local[a.speaker.id] = a.speaker
        items = []
        for sp in local.values():
            info = analyse_name(sp.name, sp.role, sp.type)
            items.append(Mention(sp.id, sp.name, info, mention_key(info, aid)))
        resolved = self.resolver.resolve_article(conn, aid, published, items) if items else {}
        mention_ids: dict[str, int] = {}
        if items:
            rows = [
                {
                    "article_id": aid,
                    "local_id": m.local_id,
                    "speaker_id": resolved[m.local_id],
                    "name": m.name,
                    "clean": m.info.clean,
                    "norm": m.norm,
                    "role": m.info.role,
                    "type": m.info.type,
                    "key": m.key,
                    "published": published,
                }
                for m in items
            ]
            for r in conn.execute(_INSERT_MENTIONS, rows):
                mention_ids[r.local_id] = r.id
            roles: dict[int, str | None] = {sid: None for sid in resolved.values()}
            for m in items:
                if m.info.role:
                    roles[resolved[m.local_id]] = m.info.role
            self.resolver.touch(conn, roles, published)
            # surnames whose surname-only speakers the next consolidation revisits: kept in
            # the database, so a run killed before its end leaves them to the next run
            review = sorted({m.info.surname[:256] for m in items if m.info.type == "person" and m.info.surname})
            if review and conn.dialect.name == "postgresql":
                conn.execute(_REVIEW_PG, [{"surname": x} for x in review])
            elif review:  # SQLite: inside the write lock
                known = {r[0] for r in conn.execute(
                    select(speaker_review.c.surname).where(speaker_review.c.surname.in_(review)))}
                if len(known) < len(review):
                    conn.execute(insert(speaker_review), [{"surname": x} for x in review if x not in known])
        infos = {m.local_id: m.info for m in items}
        att_rows = []
        for a in article.attributions:
            lid = a.speaker.id if a.speaker else None
            info = infos.get(lid) if lid else None
            starts = [a.cue.start] + [c.start for c in a.content]
            att_rows.append(
                {
                    "article_id": aid,
                    "local_id": a.id,
                    "position": min(starts),
                    "kind": a.kind,
                    "cue": a.cue.text,
                    "content": a.content_text,
                    "source": a.source.text if a.source else (a.speaker.name if a.speaker else None),
                    "mention_id": mention_ids.get(lid) if lid else None,
                    "speaker_id": resolved.get(lid) if lid else None,
                    "speaker_role": info.role if info else None,
                    "speaker_type": info.type if info else None,
                    "confidence": float(a.confidence),
                    "parent": a.parent,
                    # the analysis's rule, so `--vague` means the same before and after `positions`
                    "vague": is_vague(a),
                }
            )
        if att_rows:
            conn.execute(_INSERT_ATTRIBUTIONS, att_rows)

    @db_errors
    def consolidate_speakers(self, everything: bool = False) -> int:
        """Revisit surname-only speakers against the whole corpus; returns mentions moved.

        By default only those whose surname was met by an ingest since the last
        consolidation, by any run (the list is kept in the database: a run killed before its
        end leaves it to the next run, which calls this as it starts); ``everything=True``
        revisits them all.
        """
        with self._write() as conn:
            queued = {r[0] for r in conn.execute(select(speaker_review.c.surname))}
            moved = consolidate(conn, self.resolver, None if everything else queued)
            if queued:
                conn.execute(delete(speaker_review).where(speaker_review.c.surname.in_(sorted(queued))))
        self.resolver.dirty.clear()
        return moved

    @db_errors
    def review_pending(self) -> int:
        """How many surnames wait for a consolidation (an ingest that did not reach its end)."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(speaker_review)).scalar() or 0)

    # -- corrections ----------------------------------------------------------------------

    @db_errors
    def find_speaker(self, ref: str | int) -> int:
        """A speaker id from an id or a name (exact, then any name variant seen)."""
        with self.engine.connect() as conn:
            return self._find_speaker(conn, ref)

    def _find_speaker(self, conn: Connection, ref: str | int) -> int:
        s = str(ref).strip()
        if s.isdigit():
            row = conn.execute(select(speakers.c.id).where(speakers.c.id == int(s))).first()
            if row:
                return row[0]
            raise NotFoundError(f"no speaker with id {s}")
        ids = self._speaker_ids(conn, s)
        if not ids:
            raise NotFoundError(f"no speaker named {s!r}")
        if len(ids) > 1:
            raise StoreError(f"{s!r} names {len(ids)} speakers (ids {', '.join(map(str, ids[:10]))}); give an id")
        return ids[0]

    def _speaker_ids(self, conn: Connection, name: str) -> list[int]:
        """Speakers called ``name``: by display name, else by a name variant of a mention."""
        f = fold(name)
        clean = fold(analyse_name(name).clean)
        ids = [
            r[0]
            for r in conn.execute(
                select(speakers.c.id).where(func.lower(speakers.c.name).in_({name.lower(), clean})).order_by(speakers.c.id)
            )
        ]
        if ids:
            return ids
        ids = [
            r[0]
            for r in conn.execute(
                select(distinct(mentions.c.speaker_id))
                .where(mentions.c.norm.in_({f, clean}))
                .order_by(mentions.c.speaker_id)
            )
        ]
        if ids or " " in clean:
            return ids
        # a bare surname: every person of that name ("--speaker Smith")
        return [
            r[0]
            for r in conn.execute(
                select(speakers.c.id).where(speakers.c.surname == clean, speakers.c.type == "person").order_by(speakers.c.id)
            )
        ]

    @db_errors
    def merge_speakers(self, keep: str | int, other: str | int) -> dict[str, Any]:
        """Make ``other`` part of ``keep``; future mentions that went to ``other`` go to ``keep``."""
        with self._write() as conn:
            a = self._find_speaker(conn, keep)
            b = self._find_speaker(conn, other)
            if a == b:
                raise StoreError(f"speaker {a} and speaker {b} are the same speaker")
            conn.execute(update(mentions).where(mentions.c.speaker_id == b).values(speaker_id=a))
            conn.execute(update(attributions).where(attributions.c.speaker_id == b).values(speaker_id=a))
            conn.execute(update(speaker_keys).where(speaker_keys.c.speaker_id == b).values(speaker_id=a))
            conn.execute(update(speaker_keys).where(speaker_keys.c.speaker_id == a).values(pinned=True))
            conn.execute(delete(speakers).where(speakers.c.id == b))
            refresh_speaker(conn, a)
            conn.execute(
                insert(corrections).values(action="merge", speaker_id=a, other_id=b, detail=None, created_at=_now())
            )
            return self._speaker_row(conn, a)

    @db_errors
    def split_speaker(self, ref: str | int, names: Sequence[str]) -> dict[str, Any]:
        """Move the mentions called one of ``names`` out of a speaker into a new one.

        The split is remembered: those name variants go to the new speaker from now on.
        """
        if not names:
            raise StoreError("split needs at least one name variant (--name)")
        with self._write() as conn:
            a = self._find_speaker(conn, ref)
            wanted = {fold(n) for n in names} | {fold(analyse_name(n).clean) for n in names}
            rows = conn.execute(
                select(mentions.c.id, mentions.c.name, mentions.c.clean, mentions.c.role, mentions.c.type,
                       mentions.c.published).where(mentions.c.speaker_id == a)
            ).all()
            moving = [r for r in rows if fold(r.clean) in wanted or fold(r.name) in wanted]
            if not moving:
                seen = sorted({r.clean for r in rows})
                raise StoreError(
                    f"speaker {a} has no mention named {', '.join(map(repr, names))} "
                    f"(its names: {', '.join(seen[:10]) or 'none'})"
                )
            if len(moving) == len(rows):
                raise StoreError(f"every mention of speaker {a} has that name: nothing would be left to split from")
            first = moving[0]
            info = analyse_name(first.clean, first.role, first.type)
            new = self.resolver.create_speaker(conn, info, None, first.published)
            move_mentions(conn, [r.id for r in moving], new)
            for variant in sorted({fold(r.clean) for r in moving}):
                nk = ("n:" + variant)[:1024]  # as name_key() writes it for a mention
                exists = conn.execute(select(speaker_keys.c.key).where(speaker_keys.c.key == nk)).first()
                if exists:
                    conn.execute(update(speaker_keys).where(speaker_keys.c.key == nk).values(speaker_id=new, pinned=True))
                else:
                    conn.execute(insert(speaker_keys).values(key=nk, speaker_id=new, pinned=True))
            refresh_speaker(conn, a)
            refresh_speaker(conn, new)
            conn.execute(
                insert(corrections).values(
                    action="split", speaker_id=a, other_id=new, detail={"names": list(names)}, created_at=_now()
                )
            )
            return self._speaker_row(conn, new)

    # -- reading --------------------------------------------------------------------------

    def _speaker_row(self, conn: Connection, sid: int) -> dict[str, Any]:
        r = conn.execute(select(speakers).where(speakers.c.id == sid)).first()
        if r is None:
            raise NotFoundError(f"no speaker with id {sid}")
        n = conn.execute(select(func.count()).select_from(attributions).where(attributions.c.speaker_id == sid)).scalar()
        return {
            "id": r.id,
            "name": r.name,
            "type": r.type,
            "role": r.role,
            "first_seen": r.first_seen,
            "last_seen": r.last_seen,
            "quotes": int(n or 0),
        }

    def _quote_select(self) -> Select:
        a, ar, sp = attributions, articles, speakers
        return select(
            a.c.id,
            a.c.article_id,
            a.c.local_id,
            a.c.kind,
            a.c.cue,
            a.c.content,
            a.c.source,
            a.c.vague,
            a.c.confidence,
            a.c.parent,
            a.c.position,
            a.c.speaker_role,
            a.c.speaker_type,
            sp.c.id.label("sp_id"),
            sp.c.name.label("sp_name"),
            sp.c.role.label("sp_role"),
            sp.c.type.label("sp_type"),
            ar.c.ext_id,
            func.coalesce(ar.c.url, ar.c.crawl_url, ar.c.canonical_url).label("url"),
            ar.c.title,
            ar.c.outlet,
            ar.c.published,
        ).select_from(a.join(ar, ar.c.id == a.c.article_id).outerjoin(sp, sp.c.id == a.c.speaker_id))

    @staticmethod
    def _quote_record(r: Any) -> dict[str, Any]:
        (id_, article_id, local_id, kind, cue, content, source, vague, confidence, parent, _position,
         speaker_role, speaker_type, sp_id, sp_name, sp_role, sp_type, ext_id, url, title, outlet,
         published) = r  # positional: this runs for every row of big answers
        return {
            "id": id_,
            "article_id": article_id,
            "article_ext_id": ext_id,
            "attribution_id": local_id,
            "speaker": None if sp_id is None else {
                "id": sp_id,
                "name": sp_name,
                "role": speaker_role or sp_role,
                "type": speaker_type or sp_type,
            },
            "source": source,
            "cue": cue,
            "content": content,
            "kind": kind,
            "vague": bool(vague),
            "confidence": confidence,
            "parent": parent,
            "outlet": outlet,
            "published": published,
            "title": title,
            "url": url,
        }

    def _filters(
        self,
        conn: Connection,
        speaker: str | int | None = None,
        about: str | None = None,
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
        kind: str | Sequence[str] | None = None,
        vague: bool | None = None,
        article: str | int | None = None,
    ) -> list[ColumnElement[bool]]:
        a, ar = attributions, articles
        where: list[ColumnElement[bool]] = []
        if speaker is not None and str(speaker).strip():
            s = str(speaker).strip()
            # an unknown speaker is an error (as for disagreements), not an empty answer
            ids = [self._find_speaker(conn, s)] if s.isdigit() else self._speaker_ids(conn, s)
            if not ids:
                raise NotFoundError(f"no speaker named {s!r}")
            where.append(a.c.speaker_id.in_(ids))
        if about is not None:
            words = re.findall(r"\w+", about)
            if not words:
                raise StoreError("--about needs at least one word")
            where.append(self.about_condition(" ".join(words)))
        if outlet:
            where.append(func.lower(ar.c.outlet) == outlet.strip().lower())
        where.extend(published_between(ar.c.published, since, until))
        if kind:
            kinds = _choices(kind, KINDS, "kind")
            if kinds:
                where.append(a.c.kind.in_(kinds))
        if vague is True:
            where.append(a.c.vague.is_(true()))
        elif vague is False:
            where.append(a.c.vague.is_(false()))
        if article is not None:
            where.append(a.c.article_id == self._find_article(conn, article))
        return where

    @db_errors
    def quotes(self, limit: int | None = None, offset: int = 0, **filters: Any) -> list[dict[str, Any]]:
        """Attributions matching the filters, newest articles first (see :meth:`_filters`)."""
        return list(self.iter_quotes(limit=limit, offset=offset, **filters))

    def iter_quotes(self, limit: int | None = None, offset: int = 0, **filters: Any) -> Iterator[dict[str, Any]]:
        a, ar = attributions, articles
        with self.engine.connect() as conn:
            stmt = (
                self._quote_select()
                .where(*self._filters(conn, **filters))
                .order_by(ar.c.published.desc().nulls_last(), a.c.article_id, a.c.position, a.c.id)
            )
            limit = check_limit(limit)
            if limit is not None:
                stmt = stmt.limit(limit)
            if offset:
                stmt = stmt.offset(offset)
            for r in conn.execution_options(yield_per=2000).execute(stmt):
                yield self._quote_record(r)

    @db_errors
    def count_quotes(self, **filters: Any) -> int:
        a, ar = attributions, articles
        with self.engine.connect() as conn:
            stmt = (
                select(func.count())
                .select_from(a.join(ar, ar.c.id == a.c.article_id))
                .where(*self._filters(conn, **filters))
            )
            return int(conn.execute(stmt).scalar() or 0)

    @db_errors
    def speakers(
        self,
        limit: int | None = 20,
        type: str | Sequence[str] | None = None,
        **filters: Any,
    ) -> list[dict[str, Any]]:
        """Most-quoted speakers with their counts by outlet and by kind."""
        a, ar, sp = attributions, articles, speakers
        with self.engine.connect() as conn:
            where = self._filters(conn, **filters)
            where.append(a.c.speaker_id.is_not(None))
            if type:
                types = _choices(type, SPEAKER_TYPES, "speaker type")
                if types:
                    where.append(sp.c.type.in_(types))
            base = a.join(ar, ar.c.id == a.c.article_id).join(sp, sp.c.id == a.c.speaker_id)
            n = func.count().label("n")
            stmt = (
                select(sp.c.id, sp.c.name, sp.c.type, sp.c.role, sp.c.first_seen, sp.c.last_seen, n)
                .select_from(base)
                .where(*where)
                .group_by(sp.c.id, sp.c.name, sp.c.type, sp.c.role, sp.c.first_seen, sp.c.last_seen)
                .order_by(n.desc(), sp.c.id)
            )
            limit = check_limit(limit)
            if limit is not None:
                stmt = stmt.limit(limit)
            top = conn.execute(stmt).all()
            ids = [r.id for r in top]
            by_outlet: dict[int, dict[str, int]] = {i: {} for i in ids}
            by_kind: dict[int, dict[str, int]] = {i: {} for i in ids}
            if ids:
                cond = [*where, a.c.speaker_id.in_(ids)]
                for sid, outlet, c in conn.execute(
                    select(a.c.speaker_id, ar.c.outlet, func.count()).select_from(base).where(*cond)
                    .group_by(a.c.speaker_id, ar.c.outlet)
                ):
                    by_outlet[sid][outlet or "(unknown)"] = int(c)
                for sid, kind, c in conn.execute(
                    select(a.c.speaker_id, a.c.kind, func.count()).select_from(base).where(*cond)
                    .group_by(a.c.speaker_id, a.c.kind)
                ):
                    by_kind[sid][kind] = int(c)
            return [
                {
                    "id": r.id,
                    "name": r.name,
                    "type": r.type,
                    "role": r.role,
                    "quotes": int(r.n),
                    "by_outlet": dict(sorted(by_outlet[r.id].items(), key=lambda kv: (-kv[1], kv[0]))),
                    "by_kind": dict(sorted(by_kind[r.id].items(), key=lambda kv: (-kv[1], kv[0]))),
                    "first_seen": r.first_seen,
                    "last_seen": r.last_seen,
                }
                for r in top
            ]

    @db_errors
    def speaker(self, ref: str | int) -> dict[str, Any]:
        """One speaker with every name variant and role seen, with counts and dates."""
        m = mentions
        with self.engine.connect() as conn:
            sid = self._find_speaker(conn, ref)
            out = self._speaker_row(conn, sid)
            out["names"] = [
                {"name": r[0], "mentions": int(r[1]), "first_seen": r[2], "last_seen": r[3]}
                for r in conn.execute(
                    select(m.c.clean, func.count(), func.min(m.c.published), func.max(m.c.published))
                    .where(m.c.speaker_id == sid)
                    .group_by(m.c.clean)
                    .order_by(func.count().desc(), m.c.clean)
                )
            ]
            out["roles"] = [
                {"role": r[0], "mentions": int(r[1]), "first_seen": r[2], "last_seen": r[3]}
                for r in conn.execute(
                    select(m.c.role, func.count(), func.min(m.c.published), func.max(m.c.published))
                    .where(m.c.speaker_id == sid, m.c.role.is_not(None))
                    .group_by(m.c.role)
                    .order_by(func.min(m.c.published), m.c.role)
                )
            ]
            out["articles"] = int(
                conn.execute(select(func.count(distinct(m.c.article_id))).where(m.c.speaker_id == sid)).scalar() or 0
            )
            out["corrections"] = [
                {"action": r.action, "speaker_id": r.speaker_id, "other_id": r.other_id, "detail": r.detail,
                 "at": r.created_at}
                for r in conn.execute(
                    select(corrections).where(or_(corrections.c.speaker_id == sid, corrections.c.other_id == sid))
                    .order_by(corrections.c.id)
                )
            ]
            return out

    def _find_article(self, conn: Connection, ref: str | int) -> int:
        """An article by number, id, URL (crawl or canonical) or content hash; an identity
        with several versions gives the latest."""
        s = str(ref).strip()
        if s.isdigit():
            row = conn.execute(select(articles.c.id).where(articles.c.id == int(s))).first()
            if row:
                return row[0]
        keys = [identity_key("id", s), identity_key("url", s), f"sha:{s}"]
        conds = [articles.c.identity.in_(keys), articles.c.url == s, articles.c.crawl_url == s,
                 articles.c.canonical_url == s]
        rows = conn.execute(
            select(articles.c.id, articles.c.identity).where(or_(*conds))
            .order_by(articles.c.version.desc(), articles.c.id.desc())
        ).all()
        if not rows and re.fullmatch(r"[0-9a-f]{8,64}", s):
            rows = conn.execute(
                select(articles.c.id, articles.c.identity).where(articles.c.sha256.startswith(s))
                .order_by(articles.c.id.desc())
            ).all()
        if not rows:
            raise NotFoundError(f"no article {s!r} (give its number, id, URL or content hash)")
        if len({r.identity for r in rows}) > 1:
            ids = ", ".join(str(r.id) for r in sorted(rows, key=lambda r: r.id)[:10])
            raise StoreError(f"{s!r} names {len(rows)} articles (numbers {ids}); give its number")
        return rows[0].id

    @db_errors
    def article(self, ref: str | int, text: bool = True) -> dict[str, Any]:
        """A stored article: metadata, text, its attributions and speakers, the engine's document."""
        with self.engine.connect() as conn:
            aid = self._find_article(conn, ref)
            r = conn.execute(select(articles).where(articles.c.id == aid)).one()
            out: dict[str, Any] = {
                "article_id": r.id,
                "ext_id": r.ext_id,
                "url": r.url,
                "crawl_url": r.crawl_url,
                "canonical_url": r.canonical_url,
                "version": r.version,
                "title": r.title,
                "author": r.author,
                "outlet": r.outlet,
                "site": r.site,
                "published": r.published,
                "origin": r.origin,
                # kept in the metadata document: the text's language, and why it was not analysed
                "language": (r.meta or {}).get("language") if isinstance(r.meta, dict) else None,
                "note": (r.meta or {}).get("note") if isinstance(r.meta, dict) else None,
                "text_sha256": r.sha256,
                "engine": r.engine,
                "ingested_at": r.ingested_at,
                "analysed_at": r.analysed_at,
                "positions_at": r.positions_at,
            }
            if text:
                out["text"] = r.text
            # every text stored under this identity: [{article_id, version, text_sha256, ingested_at}]
            out["versions"] = [
                {"article_id": v.id, "version": v.version, "text_sha256": v.sha256, "ingested_at": v.ingested_at}
                for v in conn.execute(
                    select(articles.c.id, articles.c.version, articles.c.sha256, articles.c.ingested_at)
                    .where(articles.c.identity == r.identity).order_by(articles.c.version, articles.c.id)
                )
            ]
            stmt = (
                self._quote_select()
                .where(attributions.c.article_id == aid)
                .order_by(attributions.c.position, attributions.c.id)
            )
            out["attributions"] = [self._quote_record(q) for q in conn.execute(stmt)]
            doc = r.doc if isinstance(r.doc, dict) else {}
            chains = {a.get("id"): a["chain"] for a in doc.get("attributions") or () if "chain" in a}
            if chains:
                for q in out["attributions"]:
                    q["chain"] = chains.get(q["attribution_id"], [])
            out.update(read_positions(conn, aid))
            out["speakers"] = [
                {"local_id": m.local_id, "speaker_id": m.speaker_id, "name": m.name, "role": m.role, "type": m.type}
                for m in conn.execute(
                    select(mentions).where(mentions.c.article_id == aid).order_by(mentions.c.id)
                )
            ]
            out["doc"] = r.doc
            return out

    # -- positions (schema 3) ----------------------------------------------------------------

    @db_errors
    def pending_positions(self, everything: bool = False) -> list[int]:
        """Ids of the articles without stored positions (``everything``: all, oldest first)."""
        stmt = select(articles.c.id)
        if everything:
            stmt = stmt.order_by(articles.c.positions_at.is_not(None), articles.c.positions_at, articles.c.id)
        else:
            stmt = stmt.where(articles.c.positions_at.is_(None)).order_by(articles.c.id)
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(stmt)]

    @db_errors
    def positions_input(self, aid: int) -> dict[str, Any] | None:
        """What the positions analysis of a stored article needs: its text, document, outlet and
        metadata, and ``analysed_at`` (to pass back to :meth:`save_positions`). None if gone."""
        a = articles
        with self.engine.connect() as conn:
            r = conn.execute(
                select(a.c.id, a.c.text, a.c.doc, a.c.outlet, a.c.site, a.c.meta, a.c.analysed_at, a.c.positions_at)
                .where(a.c.id == aid)
            ).first()
        return dict(r._mapping) if r is not None else None

    @db_errors
    def save_positions(
        self,
        aid: int,
        doc: dict[str, Any],
        extras: dict[str, dict[str, Any]] | None = None,
        analysed_at: str | None = None,
    ) -> bool:
        """Store an article's positions (the document of ``saidwho.analysis.enrich``; ``extras``
        as :func:`saidwho.store.positions.compute_positions` gives them) in one transaction,
        replacing any stored before. With ``analysed_at``, nothing is written (False) when the
        article was re-analysed since: the positions would be of another analysis."""
        with self._write() as conn:
            cond = [articles.c.id == aid]
            if analysed_at is not None:
                cond.append(articles.c.analysed_at == analysed_at)
            # touch the row first: it is locked (PostgreSQL) for the rest of the transaction
            hit = conn.execute(update(articles).where(*cond).values(positions_at=_now())).rowcount
            if not hit:
                return False
            write_positions(conn, aid, doc, extras, _now())
            return True

    @db_errors
    def positions(self, ref: str | int) -> dict[str, Any]:
        """One article's stored propositions, relations and unattributed claims."""
        with self.engine.connect() as conn:
            aid = self._find_article(conn, ref)
            at = conn.execute(select(articles.c.positions_at).where(articles.c.id == aid)).scalar()
            return {"article_id": aid, "positions_at": at, **read_positions(conn, aid)}

    @db_errors
    def disagreements(
        self,
        about: str | None = None,
        speakers: Sequence[str | int] = (),
        limit: int | None = None,
        kind: str = "disagree",
        scope: str = "all",
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> list[dict[str, Any]]:
        """Disagreements (``kind="agree"``: agreements) between propositions of corpus speakers,
        strongest first; ``scope="self"``: a speaker's own over time (see :mod:`.positions`)."""
        return find_pairs(self, kind=kind, about=about, speakers_=speakers, scope=scope, limit=limit,
                          outlet=outlet, since=since, until=until)

    @db_errors
    def iter_articles(self, text: bool = True) -> Iterator[dict[str, Any]]:
        cols = [c for c in articles.c if c.name not in ("doc", "meta", "key", "identity") and (text or c.name != "text")]
        with self.engine.connect() as conn:
            for r in conn.execution_options(yield_per=500).execute(select(*cols).order_by(articles.c.id)):
                d = dict(r._mapping)
                d["article_id"] = d.pop("id")
                yield d

    @db_errors
    def iter_speakers(self) -> Iterator[dict[str, Any]]:
        n = (
            select(attributions.c.speaker_id, func.count().label("quotes"))
            .group_by(attributions.c.speaker_id)
            .subquery()
        )
        stmt = (
            select(speakers.c.id, speakers.c.name, speakers.c.type, speakers.c.role, speakers.c.first_seen,
                   speakers.c.last_seen, func.coalesce(n.c.quotes, 0).label("quotes"))
            .select_from(speakers.outerjoin(n, n.c.speaker_id == speakers.c.id))
            .order_by(speakers.c.id)
        )
        with self.engine.connect() as conn:
            for r in conn.execute(stmt):
                yield dict(r._mapping)

    @db_errors
    def stats(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            def count(t) -> int:
                return int(conn.execute(select(func.count()).select_from(t)).scalar() or 0)

            return {
                "articles": count(articles),
                "attributions": count(attributions),
                "speakers": count(speakers),
                "mentions": count(mentions),
            }

    @db_errors
    def check(self) -> list[str]:
        """Consistency problems (empty when fine): every article has all its attributions."""
        problems = []
        with self.engine.connect() as conn:
            counts = dict(
                conn.execute(
                    select(attributions.c.article_id, func.count()).group_by(attributions.c.article_id)
                ).all()
            )
            for aid, n in conn.execute(select(articles.c.id, articles.c.n_attributions)):
                if counts.get(aid, 0) != n:
                    problems.append(f"article {aid}: {counts.get(aid, 0)} attributions stored, {n} expected")
            dangling = conn.execute(
                select(func.count()).select_from(attributions).where(
                    attributions.c.speaker_id.is_not(None),
                    attributions.c.speaker_id.not_in(select(speakers.c.id)),
                )
            ).scalar()
            if dangling:
                problems.append(f"{dangling} attributions point at missing speakers")
            orphan = conn.execute(
                select(func.count()).select_from(mentions).where(mentions.c.article_id.not_in(select(articles.c.id)))
            ).scalar()
            if orphan:
                problems.append(f"{orphan} mentions of missing articles")
        return problems


__all__ = ["Store", "VAGUE_TYPES"]
