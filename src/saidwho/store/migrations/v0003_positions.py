"""Schema 3: the positions analysis (``saidwho.analysis.enrich``) kept per article.

- ``articles.positions_at``: when the article's positions were stored (NULL: not yet; the
  ``saidwho positions`` backfill fills these in), indexed;
- ``propositions``: one row per proposition, with its actor (the speaker's local id in the
  article: joined to ``mentions`` for the corpus speaker), normalised topic phrases, content-word
  keys and subject fields (for matching across articles) and, when the model is installed, its
  sentence embedding (float16);
- ``proposition_relations``: the article's disagreements and agreements (proposition local ids);
- ``unattributed_claims``: claims in the article's own voice, with the reason.

Frozen: never edit; add a migration.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Connection

DESCRIPTION = "positions: propositions, relations, unattributed claims"

Json = JSON().with_variant(JSONB(), "postgresql")


def _tables() -> MetaData:
    md = MetaData()
    Table("articles", md, Column("id", Integer, primary_key=True))
    Table(
        "propositions",
        md,
        Column("id", Integer, primary_key=True),
        Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        Column("local_id", String(32), nullable=False),
        Column("attribution", String(32)),
        Column("actor", String(32)),
        Column("span_start", Integer, nullable=False),
        Column("span_end", Integer, nullable=False),
        Column("text", Text, nullable=False),
        Column("topic", Json),
        Column("topic_text", Text),
        Column("topic_keys", Json),
        Column("place_keys", Json),
        Column("topic_fields", Json),
        Column("polarity", String(16), nullable=False),
        Column("modality", String(16)),
        Column("embedding", LargeBinary),
        UniqueConstraint("article_id", "local_id", name="uq_propositions_article_local"),
        Index("ix_propositions_article", "article_id"),
    )
    Table(
        "proposition_relations",
        md,
        Column("id", Integer, primary_key=True),
        Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        Column("a", String(32), nullable=False),
        Column("b", String(32), nullable=False),
        Column("kind", String(16), nullable=False),
        Column("score", Float, nullable=False),
        Index("ix_proposition_relations_article", "article_id"),
        Index("ix_proposition_relations_kind", "kind"),
    )
    Table(
        "unattributed_claims",
        md,
        Column("id", Integer, primary_key=True),
        Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        Column("span_start", Integer, nullable=False),
        Column("span_end", Integer, nullable=False),
        Column("text", Text, nullable=False),
        Column("reason", Text),
        Index("ix_unattributed_claims_article", "article_id"),
    )
    return md


def upgrade(conn: Connection) -> None:
    # ALTER TABLE has no Core construct; the column type is rendered by the dialect.
    conn.exec_driver_sql("ALTER TABLE articles ADD COLUMN positions_at VARCHAR(32)")
    md = _tables()
    for name in ("propositions", "proposition_relations", "unattributed_claims"):
        md.tables[name].create(conn)
    art = Table("articles", MetaData(), Column("id", Integer, primary_key=True), Column("positions_at", String(32)))
    Index("ix_articles_positions_at", art.c.positions_at).create(conn)
