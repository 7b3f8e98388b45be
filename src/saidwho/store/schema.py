"""The corpus schema as the code uses it now (SQLAlchemy Core), the same on SQLite and PostgreSQL.

The tables are *created* by the migrations in :mod:`saidwho.store.migrations`, never from this
module: each migration is frozen as it was released, and a test checks that running them all
gives exactly these tables. Change the schema by adding a migration and updating this module.

Full-text search lives outside these tables: an FTS5 table ``attributions_fts`` kept in step by
triggers on SQLite; a generated ``tsv`` column with a GIN index on PostgreSQL.
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
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB

#: The schema version this saidwho writes; a database with a higher one is refused.
CURRENT_VERSION = 4

Json = JSON().with_variant(JSONB(), "postgresql")

metadata = MetaData()

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("applied_at", String(32), nullable=False),
    Column("saidwho", String(32)),
    Column("description", Text),
)

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True),
    # since schema 4: "<identity>@<sha256>", one stored text under one identity (a second
    # insert of the same is skipped: concurrent ingests store each article once)
    Column("key", String(1024), nullable=False, unique=True),
    # since schema 4: "id:<id>", else "url:<url>", else "sha:<sha256 of the text>"; long
    # values hashed (records.identity_key). Several texts under one identity are versions.
    Column("identity", String(512), nullable=False),
    Column("version", Integer, nullable=False),  # since schema 4: 1, 2, ... under the identity
    Column("crawl_url", Text),  # since schema 4: where it was fetched from (a WARC-Target-URI)
    Column("canonical_url", Text),  # since schema 4: the page's canonical URL (metadata only)
    Column("ext_id", String(512)),
    Column("url", Text),
    Column("sha256", String(64), nullable=False),
    Column("title", Text),
    Column("author", Text),
    Column("outlet", String(256)),
    Column("site", String(256)),
    Column("published", String(32)),  # ISO 8601: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS (UTC)
    Column("origin", Text),  # where it was read: path, path:line, warc path#record
    Column("text", Text, nullable=False),
    Column("doc", Json, nullable=False),  # the engine's full JSON document (Article.to_dict())
    Column("meta", Json),  # every metadata field read, including ones without a column
    Column("engine", String(64)),
    Column("n_attributions", Integer, nullable=False),
    Column("ingested_at", String(32), nullable=False),
    Column("analysed_at", String(32), nullable=False),
    Column("positions_at", String(32)),  # since schema 3: positions stored (NULL: not yet)
    Index("ix_articles_sha256", "sha256"),
    Index("ix_articles_ext_id", "ext_id"),
    Index("ix_articles_published", "published"),
    Index("ix_articles_outlet_published", "outlet", "published"),
    Index("ix_articles_positions_at", "positions_at"),
    Index("ix_articles_identity", "identity"),
)

speakers = Table(
    "speakers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("type", String(16), nullable=False),
    Column("role", Text),  # the latest role seen
    Column("first", String(128)),  # normalised first name (persons with a full name)
    Column("surname", String(256)),  # normalised surname (persons)
    Column("first_seen", String(32)),
    Column("last_seen", String(32)),
    Column("created_at", String(32), nullable=False),
    Index("ix_speakers_surname", "surname"),
    Index("ix_speakers_name", "name"),
)

speaker_keys = Table(
    "speaker_keys",
    metadata,
    Column("key", String(1024), primary_key=True),
    Column("speaker_id", Integer, ForeignKey("speakers.id", ondelete="CASCADE"), nullable=False),
    Column("pinned", Boolean, nullable=False),  # set by a user's merge/split: wins over heuristics
    Index("ix_speaker_keys_speaker", "speaker_id"),
)

mentions = Table(
    "mentions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("local_id", String(32), nullable=False),  # the engine's speaker id in the article
    Column("speaker_id", Integer, ForeignKey("speakers.id"), nullable=False),
    Column("name", Text, nullable=False),  # as the engine gave it
    Column("clean", Text, nullable=False),  # without titles
    Column("norm", String(512), nullable=False),  # clean, folded: for lookups
    Column("role", Text),
    Column("type", String(16), nullable=False),
    Column("key", String(1024), nullable=False),
    Column("published", String(32)),  # the article's date, kept here for speaker timelines
    UniqueConstraint("article_id", "local_id", name="uq_mentions_article_local"),
    Index("ix_mentions_article", "article_id"),
    Index("ix_mentions_speaker", "speaker_id"),
    Index("ix_mentions_norm", "norm"),
)

attributions = Table(
    "attributions",
    metadata,
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
    Column("vague", Boolean, nullable=False),  # since schema 2
    UniqueConstraint("article_id", "local_id", name="uq_attributions_article_local"),
    Index("ix_attributions_article", "article_id"),
    Index("ix_attributions_speaker", "speaker_id", "article_id"),
    Index("ix_attributions_kind", "kind"),
    Index("ix_attributions_vague", "vague"),
)

# -- since schema 3: the positions analysis (saidwho.analysis.enrich) per article ------------

propositions = Table(
    "propositions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("local_id", String(32), nullable=False),  # "p1"
    Column("attribution", String(32)),  # the attribution's local id ("a9")
    Column("actor", String(32)),  # the speaker's local id: mentions(article_id, local_id)
    Column("span_start", Integer, nullable=False),
    Column("span_end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("topic", Json),  # normalised topic phrases
    Column("topic_text", Text),  # the phrases joined with " | " (for search)
    Column("topic_keys", Json),  # stemmed content words (for matching across articles)
    Column("place_keys", Json),  # the keys that name places or dates (weigh half)
    Column("topic_fields", Json),  # subject fields (data/topic_fields.txt)
    Column("polarity", String(16), nullable=False),  # for / against
    Column("modality", String(16)),
    Column("embedding", LargeBinary),  # all-MiniLM-L6-v2, float16, L2-normalised; NULL without the model
    UniqueConstraint("article_id", "local_id", name="uq_propositions_article_local"),
    Index("ix_propositions_article", "article_id"),
)

proposition_relations = Table(
    "proposition_relations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("a", String(32), nullable=False),  # proposition local ids
    Column("b", String(32), nullable=False),
    Column("kind", String(16), nullable=False),  # disagree / agree
    Column("score", Float, nullable=False),
    Index("ix_proposition_relations_article", "article_id"),
    Index("ix_proposition_relations_kind", "kind"),
)

unattributed_claims = Table(
    "unattributed_claims",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("span_start", Integer, nullable=False),
    Column("span_end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("reason", Text),
    Index("ix_unattributed_claims_article", "article_id"),
)

corrections = Table(
    "corrections",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("action", String(16), nullable=False),  # merge / split
    Column("speaker_id", Integer, nullable=False),
    Column("other_id", Integer),
    Column("detail", Json),
    Column("created_at", String(32), nullable=False),
)

# since schema 4: surnames met by ingests whose surname-only speakers are still to be
# revisited (consolidated); kept in the database so a run killed before its end leaves them
# for the next one
speaker_review = Table(
    "speaker_review",
    metadata,
    Column("surname", String(256), primary_key=True),
)

#: Tables in dependency order (parents first).
TABLES = (
    schema_version,
    articles,
    speakers,
    speaker_keys,
    mentions,
    attributions,
    corrections,
    propositions,
    proposition_relations,
    unattributed_claims,
    speaker_review,
)
