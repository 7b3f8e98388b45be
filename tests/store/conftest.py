"""Back ends for the store's contract tests: SQLite in a temp file, and the local PostgreSQL
server (127.0.0.1:5432, user postgres, trust auth) in a database made for this run and dropped
after it. Each test gets a fresh schema in that database.

Without a reachable server the PostgreSQL cases fail when CI=true, and are skipped otherwise.
"""

from __future__ import annotations

import os
import uuid

import pytest

PG_ADMIN = os.environ.get("SAIDWHO_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@pytest.fixture(scope="session")
def pg_database():
    """URL of a fresh database for this test run (dropped at the end)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"saidwho_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001
        admin.dispose()
        msg = f"PostgreSQL at {PG_ADMIN} is not reachable: {str(exc).splitlines()[0]}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(msg)
        pytest.skip(msg)
    try:
        yield make_url(PG_ADMIN).set(database=name)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


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
