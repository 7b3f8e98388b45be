"""saidwho.store: the corpus database (SQLite file or PostgreSQL), one interface.

    >>> from saidwho.store import open_store
    >>> store = open_store("corpus.db")            # or "postgresql://user@host/db"
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from .base import Store
from .errors import (
    DatabaseUnreachableError,
    DatabaseURLError,
    NotFoundError,
    OlderSchemaError,
    SchemaVersionError,
    StoreError,
)
from .records import ArticleMeta, Saved, normalise_date
from .schema import CURRENT_VERSION

DEFAULT_DB = "saidwho.db"

#: Whether :func:`open_store` may create a missing SQLite file when not told (``create=None``).
_MAY_CREATE: ContextVar[bool] = ContextVar("saidwho_may_create_db", default=True)


@contextmanager
def existing_only() -> Iterator[None]:
    """Inside this block :func:`open_store` (without ``create``) refuses a missing SQLite file:
    the read-only commands run in one, so a typo in ``--db`` does not make an empty corpus."""
    token = _MAY_CREATE.set(False)
    try:
        yield
    finally:
        _MAY_CREATE.reset(token)


def db_location(db: str | None = None) -> str:
    """The database to use: ``db``, else ``$SAIDWHO_DB``, else ``saidwho.db``."""
    return db or os.environ.get("SAIDWHO_DB") or DEFAULT_DB


def open_store(db: str | None = None, create: bool | None = None, readonly: bool = False) -> Store:
    """Open (upgrading as needed) the corpus at a file path or database URL.

    A missing SQLite file is created when ``create`` is true, and refused with a one-line
    :class:`NotFoundError` when it is false (reading a corpus that is not there: a typo).
    ``None``: true, unless inside :func:`existing_only`.

    ``readonly``: nothing is ever written (no schema, no upgrade, no journal change): a
    database that is not a saidwho corpus of this version is refused with one line
    (:class:`SchemaVersionError`; ``saidwho migrate`` upgrades an older one).
    """
    if create is None:
        create = _MAY_CREATE.get()
    loc = db_location(db).strip()
    if not loc:
        raise DatabaseURLError("empty database location")
    if "://" not in loc and not loc.startswith(("postgres:", "postgresql:", "sqlite:")):
        from .sqlite import SQLiteStore

        return SQLiteStore(os.path.expanduser(loc), create=create, readonly=readonly)
    try:
        url = make_url(loc)
    except (ArgumentError, ValueError) as exc:
        raise DatabaseURLError(f"malformed database URL {_redact(loc)!r}: {exc}") from None
    backend = url.get_backend_name()
    if backend in ("postgresql", "postgres"):
        from .postgres import PostgresStore

        if not url.database:
            raise DatabaseURLError(f"database URL {_redact(loc)!r} names no database (postgresql://user@host/NAME)")
        return PostgresStore(url, readonly=readonly)
    if backend == "sqlite":
        from .sqlite import SQLiteStore

        if not url.database or url.database == ":memory:":
            raise DatabaseURLError("an in-memory SQLite database keeps nothing: give a file path")
        return SQLiteStore(url.database, create=create, readonly=readonly)
    raise DatabaseURLError(
        f"unsupported database {backend!r} in {_redact(loc)!r}: give a file path (SQLite) or postgresql://..."
    )


def _redact(loc: str) -> str:
    """The location with any password hidden."""
    import re

    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", loc)


__all__ = [
    "CURRENT_VERSION",
    "DEFAULT_DB",
    "ArticleMeta",
    "DatabaseURLError",
    "DatabaseUnreachableError",
    "NotFoundError",
    "OlderSchemaError",
    "Saved",
    "SchemaVersionError",
    "Store",
    "StoreError",
    "db_location",
    "existing_only",
    "normalise_date",
    "open_store",
]
