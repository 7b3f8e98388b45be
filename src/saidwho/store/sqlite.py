"""SQLite back end: one file, WAL journal, FTS5 for ``--about``.

Write transactions begin with BEGIN IMMEDIATE (the write lock taken at once, waiting up to
the busy timeout) so concurrent writers queue instead of failing; readers use plain BEGIN. A
store opened ``readonly`` connects with ``mode=ro`` and sets nothing, so the file is never
changed (and a corpus on a read-only file or mount can be read).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy import Column, ColumnElement, Integer, MetaData, Table, Text, create_engine, event, select
from sqlalchemy.engine import URL
from sqlalchemy.pool import QueuePool

from .base import Store
from .errors import DatabaseUnreachableError, NotFoundError, StoreError

# The FTS5 table made by migration 1, for queries only (never created from here).
_fts = Table(
    "attributions_fts",
    MetaData(),
    Column("rowid", Integer),
    Column("attributions_fts", Text),  # FTS5's hidden column named after the table: MATCH target
    Column("content", Text),
)


def _fts_query(words: str) -> str:
    """Words to an FTS5 query: each word quoted (no operators from user text), all required."""
    return " ".join('"' + w.replace('"', "") + '"' for w in words.split())


class SQLiteStore(Store):
    backend = "sqlite"

    def __init__(self, path: str, create: bool = True, readonly: bool = False) -> None:
        self.path = path
        folder = os.path.dirname(os.path.abspath(path)) or "."
        if not os.path.isdir(folder):
            raise DatabaseUnreachableError(f"cannot open SQLite database {path}: folder {folder} does not exist")
        if os.path.isdir(path):
            raise DatabaseUnreachableError(f"cannot open SQLite database {path}: it is a folder")
        if (readonly or not create) and not os.path.exists(path):
            raise NotFoundError(
                f"no corpus database at {path} (check --db; `saidwho ingest` creates one)"
            )
        if os.path.exists(path):
            with open(path, "rb") as fh:
                head = fh.read(16)
            if head and head != b"SQLite format 3\x00":
                raise StoreError(f"{path} is not a SQLite database (use a new file name, or postgresql://...)")
        if readonly:
            engine = create_engine("sqlite+pysqlite://", creator=_read_only_connector(path), poolclass=QueuePool)
        else:
            engine = create_engine(URL.create("sqlite+pysqlite", database=path), connect_args={"timeout": 60})

        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn: sqlite3.Connection, _record) -> None:
            # let SQLAlchemy's "begin" event issue BEGIN, so DDL is transactional too
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA busy_timeout=60000")  # first: the next pragma may wait for a lock
            if not readonly:
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=NORMAL")  # WAL: durable against process crashes
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn) -> None:
            write = conn.get_execution_options().get("saidwho_write") and not readonly
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        super().__init__(engine, path, readonly=readonly)

    def about_condition(self, query: str) -> ColumnElement[bool]:
        from .schema import attributions

        return attributions.c.id.in_(select(_fts.c.rowid).where(_fts.c.attributions_fts.match(_fts_query(query))))


def _read_only_connector(path: str):
    """Connections that cannot write: ``mode=ro``. A WAL corpus in a place that cannot be
    written (a read-only mount), closed cleanly (no ``-wal`` file: no writer at work) opens
    only as ``immutable`` (SQLite cannot make its ``-shm`` file there): tried then."""
    uri = Path(path).resolve().as_uri()
    state = {"immutable": False}

    def connect() -> sqlite3.Connection:
        if not state["immutable"]:
            conn = sqlite3.connect(uri + "?mode=ro", uri=True, timeout=60, check_same_thread=False)
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                return conn
            except sqlite3.OperationalError:
                conn.close()
                if os.path.exists(path + "-wal"):
                    raise  # a writer may be at work: immutable reads would be wrong
                state["immutable"] = True
        return sqlite3.connect(uri + "?immutable=1", uri=True, timeout=60, check_same_thread=False)

    return connect
