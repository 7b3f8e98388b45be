"""Versioned schema: each migration takes the database from version N-1 to N.

``schema_version`` holds one row per applied migration. Opening a database applies the missing
ones in order, each in a transaction with its version row, so an interrupted upgrade leaves the
database at the last complete version. A database whose version is above
:data:`saidwho.store.schema.CURRENT_VERSION` was made by a newer saidwho and is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

from sqlalchemy import func, insert, inspect, select
from sqlalchemy.engine import Connection, Engine

from ..errors import SchemaVersionError
from ..schema import CURRENT_VERSION, schema_version
from . import v0001_initial, v0002_vague, v0003_positions

#: (version, description, upgrade function), in order.
MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, v0001_initial.DESCRIPTION, v0001_initial.upgrade),
    (2, v0002_vague.DESCRIPTION, v0002_vague.upgrade),
    (3, v0003_positions.DESCRIPTION, v0003_positions.upgrade),
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


def migrate(engine: Engine, target: int = CURRENT_VERSION, where: str = "the database") -> int:
    """Bring the schema up to ``target``; returns the version found before."""
    from ...version import __version__

    with engine.begin() as conn:
        found = current_version(conn)
    if found > CURRENT_VERSION:
        raise SchemaVersionError(
            f"{where} has schema version {found}, made by a newer saidwho; this saidwho "
            f"({__version__}) knows versions up to {CURRENT_VERSION}: upgrade saidwho"
        )
    for version, description, upgrade in MIGRATIONS:
        if version <= found or version > target:
            continue
        with engine.begin() as conn:
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
