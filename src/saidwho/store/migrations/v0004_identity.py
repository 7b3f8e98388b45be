"""Schema 4: nothing lost or merged through identity.

- ``articles.identity``: the article's identity (``id:``, ``url:`` or ``sha:``), with values
  too long for an index hashed whole (they used to be cut at 1,024 characters, so two long
  ids or URLs sharing their start were one article);
- ``articles.key`` becomes ``<identity>@<sha256>``: one row per text under an identity, so a
  changed text is a new version beside the old, and two ingests storing the same article at
  once store it once (insert-or-skip on this unique key);
- ``articles.version``: 1, 2, ... under the identity;
- ``articles.crawl_url`` and ``articles.canonical_url``: where the page was fetched from
  (the identity) and the URL the page names as its own, both kept;
- ``speaker_review``: surnames whose surname-only speakers are still to be revisited, so the
  end-of-run consolidation survives a killed run.

Frozen: never edit; add a migration.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import JSON, Column, Index, Integer, MetaData, String, Table, Text, func, select, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Connection

DESCRIPTION = "article identity and versions, canonical URL, speaker review queue"

Json = JSON().with_variant(JSONB(), "postgresql")

MAX_KEY = 400


def _identity(kind: str, value: str) -> str:
    key = f"{kind}:{value}"
    if len(key) <= MAX_KEY:
        return key
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{kind}-sha256:{digest}:{value[:300]}"


def upgrade(conn: Connection) -> None:
    # ALTER TABLE has no Core construct
    conn.exec_driver_sql("ALTER TABLE articles ADD COLUMN identity VARCHAR(512) NOT NULL DEFAULT ''")
    conn.exec_driver_sql("ALTER TABLE articles ADD COLUMN version INTEGER NOT NULL DEFAULT 1")
    conn.exec_driver_sql("ALTER TABLE articles ADD COLUMN crawl_url TEXT")
    conn.exec_driver_sql("ALTER TABLE articles ADD COLUMN canonical_url TEXT")
    art = Table(
        "articles",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("key", String(1024)),
        Column("identity", String(512)),
        Column("url", Text),
        Column("sha256", String(64)),
        Column("meta", Json),
    )
    # keys short enough are the identity as it was; longer ones may have been cut: recomputed
    # from the full id (kept in the metadata) or URL
    conn.execute(
        update(art)
        .where(func.length(art.c.key) <= MAX_KEY)
        .values(identity=art.c.key, key=art.c.key + "@" + art.c.sha256)
    )
    for row in conn.execute(
        select(art.c.id, art.c.key, art.c.url, art.c.sha256, art.c.meta).where(func.length(art.c.key) > MAX_KEY)
    ).all():
        kind, _, cut = row.key.partition(":")
        meta = row.meta if isinstance(row.meta, dict) else {}
        if kind == "id":
            value = str(meta.get("id") or cut)
        elif kind == "url":
            value = (row.url or cut).strip()
        else:
            value = cut
        ident = _identity(kind, value)
        conn.execute(update(art).where(art.c.id == row.id).values(identity=ident, key=f"{ident}@{row.sha256}"))
    Index("ix_articles_identity", art.c.identity).create(conn)
    Table("speaker_review", MetaData(), Column("surname", String(256), primary_key=True)).create(conn)
