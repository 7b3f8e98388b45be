"""Schema 2: ``attributions.vague`` (anonymous or group source), filled in and indexed."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Index, Integer, MetaData, String, Table, true, update
from sqlalchemy.engine import Connection

DESCRIPTION = "attributions.vague"


def upgrade(conn: Connection) -> None:
    # ALTER TABLE has no Core construct; the column type is rendered by the dialect.
    bool_type = Boolean().compile(dialect=conn.dialect)
    false = "0" if conn.dialect.name == "sqlite" else "false"
    conn.exec_driver_sql(
        f"ALTER TABLE attributions ADD COLUMN vague {bool_type} NOT NULL DEFAULT {false}"
    )
    md = MetaData()
    att = Table(
        "attributions",
        md,
        Column("id", Integer, primary_key=True),
        Column("speaker_type", String(16)),
        Column("vague", Boolean),
    )
    conn.execute(update(att).where(att.c.speaker_type.in_(("group", "anonymous"))).values(vague=true()))
    Index("ix_attributions_vague", att.c.vague).create(conn)
