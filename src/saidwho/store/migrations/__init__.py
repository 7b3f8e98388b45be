"""Versioned schema: each migration takes the database from version N-1 to N.

``schema_version`` holds one row per applied migration. Opening a database applies the missing
ones in order, each in a transaction with its version row, so an interrupted upgrade leaves the
database at the last complete version. A database whose version is above
:data:`saidwho.store.schema.CURRENT_VERSION` was made by a newer saidwho and is refused.

Several processes may open one database at once (parallel ingests): migrations run under a
lock (a PostgreSQL advisory lock; on SQLite, write transactions that take the lock when they
begin), and each re-checks the version inside, so the schema is built once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone

from sqlalchemy import func, insert, inspect, select
from sqlalchemy.engine import Connection, Engine

from ..errors import OlderSchemaError, SchemaVersionError
from ..schema import CURRENT_VERSION, schema_version
from . import v0001_initial, v0002_vague, v0003_positions, v0004_identity

#: The PostgreSQL advisory lock held while migrating (any bigint; the same for every saidwho).
ADVISORY_LOCK = 0x5A1D_3710

#: (version, description, upgrade function), in order.
MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, v0001_initial.DESCRIPTION, v0001_initial.upgrade),
    (2, v0002_vague.DESCRIPTION, v0002_vague.upgrade),
    (3, v0003_positions.DESCRIPTION, v0003_positions.upgrade),
    (4, v0004_identity.DESCRIPTION, v0004_identity.upgrade),
]

assert [m[0] for m in MIGRATIONS] == list(range(1, CURRENT_VERSION + 1))


def current_version(conn: Connection) -> int:
    """The database's schema version; 0 for an empty database."""
    names = set(inspect(conn).get_table_names())
    if "schema_version" not in names:
        if names & {"articles", "attributions", "speakers"}:
            raise SchemaVersionError(
                "the database has saidwho-like tables but no schema_version table; "
                "it was not made by saidwho"
            )
        return 0
    return int(conn.execute(select(func.max(schema_version.c.version))).scalar() or 0)


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that writes: on SQLite it takes the write lock as it begins (BEGIN
    IMMEDIATE, waiting up to the busy timeout), so two writers never deadlock on upgrading a
    read lock ("database is locked")."""
    with engine.connect() as conn:
        conn.execution_options(saidwho_write=True)
        with conn.begin():
            yield conn


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    if engine.dialect.name != "postgresql":
        yield  # SQLite: each migration's write transaction is the lock
        return
    with engine.connect() as conn:
        conn.execute(select(func.pg_advisory_lock(ADVISORY_LOCK)))
        conn.commit()
        try:
            yield
        finally:
            conn.execute(select(func.pg_advisory_unlock(ADVISORY_LOCK)))
            conn.commit()


def found_version(engine: Engine) -> int:
    with engine.connect() as conn:
        return current_version(conn)


def check_current(engine: Engine, where: str, upgrade_hint: str) -> int:
    """Refuse, with one line and without writing anything, a database a reader cannot use
    as it is: not a saidwho corpus (empty or foreign), older (``upgrade_hint``) or newer."""
    from ...version import __version__

    with engine.connect() as conn:
        names = set(inspect(conn).get_table_names())
        if "schema_version" not in names:
            if not names:
                raise SchemaVersionError(f"{where} is empty: not a saidwho corpus (`saidwho ingest` makes one)")
            if names & {"articles", "attributions", "speakers"}:
                current_version(conn)  # the saidwho-like message
            shown = ", ".join(sorted(names)[:5]) + (", ..." if len(names) > 5 else "")
            raise SchemaVersionError(f"{where} is not a saidwho corpus (its tables: {shown}); nothing was changed")
        found = int(conn.execute(select(func.max(schema_version.c.version))).scalar() or 0)
    if found > CURRENT_VERSION:
        raise SchemaVersionError(
            f"{where} has schema version {found}, made by a newer saidwho; this saidwho "
            f"({__version__}) knows versions up to {CURRENT_VERSION}: upgrade saidwho"
        )
    if found < CURRENT_VERSION:
        raise OlderSchemaError(
            f"{where} has schema version {found}, made by an older saidwho (this one uses {CURRENT_VERSION}); "
            f"reading commands never change a corpus: upgrade it first with {upgrade_hint}"
        )
    return found


def migrate(engine: Engine, target: int = CURRENT_VERSION, where: str = "the database") -> int:
    """Bring the schema up to ``target``; returns the version found before."""
    from ...version import __version__

    found = found_version(engine)
    if found > CURRENT_VERSION:
        raise SchemaVersionError(
            f"{where} has schema version {found}, made by a newer saidwho; this saidwho "
            f"({__version__}) knows versions up to {CURRENT_VERSION}: upgrade saidwho"
        )
    if found >= target:
        return found
    with _migration_lock(engine):
        for version, description, upgrade in MIGRATIONS:
            if version <= found or version > target:
                continue
            with write_transaction(engine) as conn:
                # re-check inside the transaction: another process may have migrated meanwhile
                if current_version(conn) >= version:
                    continue
                upgrade(conn)
                conn.execute(
                    insert(schema_version).values(
                        version=version,
                        applied_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                        saidwho=__version__,
                        description=description,
                    )
                )
    return found
