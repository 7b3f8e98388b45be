"""Back ends for the store's contract tests: SQLite in a temp file, and the local PostgreSQL
server (127.0.0.1:5432, user postgres, trust auth) in a database made for this run and dropped
after it. Each test gets a fresh schema in that database.

Without a reachable server the PostgreSQL cases fail when CI=true, and are skipped otherwise.
"""

from __future__ import annotations

import uuid

import pytest

@pytest.fixture(scope="session")
def pg_database(fresh_pg_database):
    """URL of a fresh database for this test run (dropped at the end)."""
    with fresh_pg_database("test") as url:
        yield url


@pytest.fixture
def pg_url(pg_database):
    """A PostgreSQL URL whose connections use a schema of their own (dropped after the test)."""
    from sqlalchemy import create_engine, text

    schema = f"t_{uuid.uuid4().hex[:10]}"
    eng = create_engine(pg_database, isolation_level="AUTOCOMMIT")
    with eng.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = pg_database.update_query_dict({"options": f"-csearch_path={schema}"})
    yield url.render_as_string(hide_password=False).replace("postgresql+psycopg://", "postgresql://", 1)
    with eng.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    eng.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """The same test on each back end."""
    if request.param == "sqlite":
        return str(tmp_path / "corpus.db")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(db_url):
    from saidwho.store import open_store

    s = open_store(db_url)
    yield s
    s.close()
