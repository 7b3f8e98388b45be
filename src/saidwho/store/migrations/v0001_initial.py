"""Schema 1: articles, speakers, mentions, attributions, corrections; full-text search.

Frozen: this is the schema as saidwho 0.1 first released it. Never edit; add a migration.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Connection

DESCRIPTION = "initial schema"

Json = JSON().with_variant(JSONB(), "postgresql")


def _tables() -> MetaData:
    md = MetaData()
    Table(
        "schema_version",
        md,
        Column("version", Integer, primary_key=True, autoincrement=False),
        Column("applied_at", String(32), nullable=False),
        Column("saidwho", String(32)),
        Column("description", Text),
    )
    Table(
        "articles",
        md,
        Column("id", Integer, primary_key=True),
        Column("key", String(1024), nullable=False, unique=True),
        Column("ext_id", String(512)),
        Column("url", Text),
        Column("sha256", String(64), nullable=False),
        Column("title", Text),
        Column("author", Text),
        Column("outlet", String(256)),
        Column("site", String(256)),
        Column("published", String(32)),
        Column("origin", Text),
        Column("text", Text, nullable=False),
        Column("doc", Json, nullable=False),
        Column("meta", Json),
        Column("engine", String(64)),
        Column("n_attributions", Integer, nullable=False),
        Column("ingested_at", String(32), nullable=False),
        Column("analysed_at", String(32), nullable=False),
        Index("ix_articles_sha256", "sha256"),
        Index("ix_articles_ext_id", "ext_id"),
        Index("ix_articles_published", "published"),
        Index("ix_articles_outlet_published", "outlet", "published"),
    )
    Table(
        "speakers",
        md,
        Column("id", Integer, primary_key=True),
        Column("name", Text, nullable=False),
        Column("type", String(16), nullable=False),
        Column("role", Text),
        Column("first", String(128)),
        Column("surname", String(256)),
        Column("first_seen", String(32)),
        Column("last_seen", String(32)),
        Column("created_at", String(32), nullable=False),
        Index("ix_speakers_surname", "surname"),
        Index("ix_speakers_name", "name"),
    )
    Table(
        "speaker_keys",
        md,
        Column("key", String(1024), primary_key=True),
        Column("speaker_id", Integer, ForeignKey("speakers.id", ondelete="CASCADE"), nullable=False),
        Column("pinned", Boolean, nullable=False),
        Index("ix_speaker_keys_speaker", "speaker_id"),
    )
    Table(
        "mentions",
        md,
        Column("id", Integer, primary_key=True),
        Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        Column("local_id", String(32), nullable=False),
        Column("speaker_id", Integer, ForeignKey("speakers.id"), nullable=False),
        Column("name", Text, nullable=False),
        Column("clean", Text, nullable=False),
        Column("norm", String(512), nullable=False),
        Column("role", Text),
        Column("type", String(16), nullable=False),
        Column("key", String(1024), nullable=False),
        Column("published", String(32)),
        UniqueConstraint("article_id", "local_id", name="uq_mentions_article_local"),
        Index("ix_mentions_article", "article_id"),
        Index("ix_mentions_speaker", "speaker_id"),
        Index("ix_mentions_norm", "norm"),
    )
    Table(
        "attributions",
        md,
        Column("id", Integer, primary_key=True),
        Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        Column("local_id", String(32), nullable=False),
        Column("position", Integer, nullable=False),
        Column("kind", String(24), nullable=False),
        Column("cue", Text, nullable=False),
        Column("content", Text, nullable=False),
        Column("source", Text),
        Column("mention_id", Integer, ForeignKey("mentions.id", ondelete="SET NULL")),
        Column("speaker_id", Integer, ForeignKey("speakers.id", ondelete="SET NULL")),
        Column("speaker_role", Text),
        Column("speaker_type", String(16)),
        Column("confidence", Float, nullable=False),
        Column("parent", String(32)),
        UniqueConstraint("article_id", "local_id", name="uq_attributions_article_local"),
        Index("ix_attributions_article", "article_id"),
        Index("ix_attributions_speaker", "speaker_id", "article_id"),
        Index("ix_attributions_kind", "kind"),
    )
    Table(
        "corrections",
        md,
        Column("id", Integer, primary_key=True),
        Column("action", String(16), nullable=False),
        Column("speaker_id", Integer, nullable=False),
        Column("other_id", Integer),
        Column("detail", Json),
        Column("created_at", String(32), nullable=False),
    )
    return md


# Full-text search DDL: the one place with SQL text, because neither FTS5 virtual tables nor
# generated tsvector columns have SQLAlchemy Core constructs. Fixed strings, no user input.
SQLITE_FTS = (
    "CREATE VIRTUAL TABLE attributions_fts USING fts5(content, content='attributions', "
    "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER attributions_fts_ai AFTER INSERT ON attributions BEGIN "
    "INSERT INTO attributions_fts(rowid, content) VALUES (new.id, new.content); END",
    "CREATE TRIGGER attributions_fts_ad AFTER DELETE ON attributions BEGIN "
    "INSERT INTO attributions_fts(attributions_fts, rowid, content) "
    "VALUES ('delete', old.id, old.content); END",
    "CREATE TRIGGER attributions_fts_au AFTER UPDATE OF content ON attributions BEGIN "
    "INSERT INTO attributions_fts(attributions_fts, rowid, content) "
    "VALUES ('delete', old.id, old.content); "
    "INSERT INTO attributions_fts(rowid, content) VALUES (new.id, new.content); END",
)

POSTGRES_FTS = (
    "ALTER TABLE attributions ADD COLUMN tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english', coalesce(content, ''))) STORED",
    "CREATE INDEX ix_attributions_tsv ON attributions USING GIN (tsv)",
)


def upgrade(conn: Connection) -> None:
    _tables().create_all(conn)
    ddl = SQLITE_FTS if conn.dialect.name == "sqlite" else POSTGRES_FTS
    for stmt in ddl:
        conn.exec_driver_sql(stmt)
