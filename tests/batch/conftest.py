"""Fixtures of the batch tests: the local PostgreSQL server (as in tests/store: skipped when
unreachable, failed when CI=true)."""

from __future__ import annotations

import os
import uuid

import pytest

PG_ADMIN = os.environ.get("SAIDWHO_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@pytest.fixture
def pg_url():
    """A fresh PostgreSQL database for one test (dropped after it)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"saidwho_batch_{os.getpid()}_{uuid.uuid4().hex[:8]}"
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
    url = make_url(PG_ADMIN).set(database=name)
    try:
        yield url.render_as_string(hide_password=False).replace("postgresql+psycopg://", "postgresql://", 1)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
