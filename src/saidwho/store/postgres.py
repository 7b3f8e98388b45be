"""PostgreSQL back end: psycopg 3; a generated tsvector column with a GIN index for ``--about``."""

from __future__ import annotations

from sqlalchemy import ColumnElement, create_engine, event, func, literal_column
from sqlalchemy.engine import URL

from .base import Store


class PostgresStore(Store):
    backend = "postgresql"

    def __init__(self, url: URL, readonly: bool = False) -> None:
        url = url.set(drivername="postgresql+psycopg")
        args = {"connect_timeout": 5}
        engine = create_engine(url, connect_args=args, pool_pre_ping=True)
        if readonly:

            @event.listens_for(engine, "connect")
            def _read_only(dbapi_conn, _record) -> None:
                # the server refuses any write in these sessions, whatever the code asks
                with dbapi_conn.cursor() as cur:
                    cur.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
                dbapi_conn.commit()

        display = url.set(drivername="postgresql").render_as_string(hide_password=True)
        super().__init__(engine, display, readonly=readonly)

    def about_condition(self, query: str) -> ColumnElement[bool]:
        # "tsv" is the generated column made by migration 1 (not in the Core table: it is
        # computed by the server and never written)
        tsv = literal_column("attributions.tsv")
        return tsv.op("@@")(func.plainto_tsquery("english", query))
