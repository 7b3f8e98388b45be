"""Versioned schema: migrations build exactly the schema the code uses; an old database is
upgraded with its data; a newer one is refused with a clear message and left untouched."""

from __future__ import annotations

import pytest
from sqlalchemy import MetaData, Table, create_engine, func, insert, inspect, select

from saidwho.store import SchemaVersionError, open_store
from saidwho.store.migrations import migrate
from saidwho.store.schema import CURRENT_VERSION, TABLES


def _engine(db_url):
    if "://" in db_url:
        return create_engine(db_url.replace("postgresql://", "postgresql+psycopg://", 1))
    return create_engine(f"sqlite:///{db_url}")


def test_migrations_build_the_schema_the_code_uses(store):
    insp = inspect(store.engine)
    for table in TABLES:
        got = {c["name"] for c in insp.get_columns(table.name)} - {"tsv"}
        assert got == {c.name for c in table.columns}, table.name
        want_idx = {i.name for i in table.indexes}
        assert want_idx <= {i["name"] for i in insp.get_indexes(table.name)}, table.name


def test_old_database_is_upgraded_with_its_data(db_url):
    eng = _engine(db_url)
    migrate(eng, target=1)
    md = MetaData()
    with eng.begin() as conn:
        arts = Table("articles", md, autoload_with=conn)
        atts = Table("attributions", md, autoload_with=conn)
        assert "vague" not in atts.c
        aid = conn.execute(
            insert(arts).values(key="id:old", sha256="0" * 64, text="Officials said it works.", doc={"id": "old"},
                                n_attributions=1, ingested_at="2024-01-01", analysed_at="2024-01-01",
                                published="2023-05-01", outlet="Old Times").returning(arts.c.id)
        ).scalar_one()
        conn.execute(insert(atts).values(article_id=aid, local_id="a1", position=0, kind="indirect", cue="said",
                                         content="it works", confidence=1.0, speaker_type="group"))
    eng.dispose()
    with open_store(db_url) as store:
        [q] = store.quotes()
        assert q["content"] == "it works" and q["outlet"] == "Old Times"
        assert q["vague"] is True  # filled in by migration 2
        assert store.quotes(about="works")[0]["content"] == "it works"
        with store.engine.connect() as conn:
            from saidwho.store.schema import schema_version

            assert conn.execute(select(func.max(schema_version.c.version))).scalar() == CURRENT_VERSION


def test_newer_database_is_refused_and_untouched(db_url):
    with open_store(db_url) as store:
        from saidwho.store.schema import schema_version
        from saidwho.store.synth import make_article

        store.save_article(make_article("x", [("Jane Smith", "hello", "direct")]))
        with store.engine.begin() as conn:
            conn.execute(insert(schema_version).values(version=CURRENT_VERSION + 7, applied_at="2099-01-01"))
    with pytest.raises(SchemaVersionError) as err:
        open_store(db_url)
    msg = str(err.value)
    assert "newer saidwho" in msg and f"version {CURRENT_VERSION + 7}" in msg and "\n" not in msg
    eng = _engine(db_url)
    with eng.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Table("attributions", MetaData(), autoload_with=conn))).scalar() == 1
    eng.dispose()
