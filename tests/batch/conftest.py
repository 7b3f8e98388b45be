"""Fixtures of the batch tests: the local PostgreSQL server (as in tests/store: skipped when
unreachable, failed when CI=true)."""

from __future__ import annotations


import pytest


@pytest.fixture
def pg_url(fresh_pg_database):
    """A fresh PostgreSQL database for one test (dropped after it)."""
    with fresh_pg_database("batch") as url:
        yield url.render_as_string(hide_password=False).replace("postgresql+psycopg://", "postgresql://", 1)
