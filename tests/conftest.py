"""Shared fixtures: one engine per test session (loading the model costs about a second), and
fresh PostgreSQL databases on the local server for the back-end tests."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

PG_ADMIN = os.environ.get("SAIDWHO_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@pytest.fixture(scope="session")
def engine():
    from saidwho import Engine

    return Engine()


@contextmanager
def _fresh_pg_database(prefix: str) -> Iterator:
    """A new database on the local PostgreSQL server (127.0.0.1:5432, trust auth), dropped
    afterwards; yields its SQLAlchemy URL. Unreachable server: the test fails when CI=true
    (CI must test the back end for real) and is skipped otherwise."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"saidwho_{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
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


@pytest.fixture(scope="session")
def fresh_pg_database():
    """``with fresh_pg_database("web") as url:`` — a new PostgreSQL database, dropped after."""
    return _fresh_pg_database


def _count_articles(db) -> int:
    """Articles in a SQLite corpus, read-only (0 while it cannot be read yet: another process
    may be in the middle of creating it)."""
    import sqlite3

    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return con.execute("select count(*) from articles").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


@pytest.fixture
def count_articles():
    """The article count of a SQLite corpus that another process is writing (kill -9 tests)."""
    return _count_articles
