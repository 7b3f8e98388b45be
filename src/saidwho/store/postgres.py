"""PostgreSQL back end: psycopg 3; a generated tsvector column with a GIN index for ``--about``."""

from __future__ import annotations

from sqlalchemy import ColumnElement, create_engine, func, literal_column
from sqlalchemy.engine import URL

from .base import Store


class PostgresStore(Store):
    backend = "postgresql"

    def __init__(self, url: URL) -> None:
        url = url.set(drivername="postgresql+psycopg")
        args = {"connect_timeout": 5}
        engine = create_engine(url, connect_args=args, pool_pre_ping=True)
        super().__init__(engine, url.set(drivername="postgresql").render_as_string(hide_password=True))

    def about_condition(self, query: str) -> ColumnElement[bool]:
        # "tsv" is the generated column made by migration 1 (not in the Core table: it is
        # computed by the server and never written)
        tsv = literal_column("attributions.tsv")
        return tsv.op("@@")(func.plainto_tsquery("english", query))
