"""Query limits and date ranges, shared by the store's query modules (apart from :mod:`.base`,
so that :mod:`.positions` reads them without importing the module that imports it)."""

from __future__ import annotations

from typing import Any

from .errors import StoreError
from .records import date_bound, normalise_date


def check_limit(limit: int | None) -> int | None:
    """A query's ``limit``: None and 0 mean no limit (as ``--limit 0`` does for every command)."""
    if limit is None or limit == 0:
        return None
    if limit < 0:
        raise StoreError(f"limit {limit}: give 0 (no limit) or more")
    return int(limit)


def published_between(column: Any, since: str | None, until: str | None) -> list[Any]:
    """Conditions on a ``published`` column for ``--since``/``--until``: one rule for every
    query. A whole day given as ``until`` includes that day; ``since`` after ``until`` is an
    error rather than an empty answer."""
    where: list[Any] = []
    lo = date_bound(since, upper=False)
    if lo:
        where.append(column >= lo)
    if until:
        hi = date_bound(until, upper=True)
        strict = hi != normalise_date(until)  # a whole day: strictly before the next one
        if lo and (lo >= hi if strict else lo > hi):
            raise StoreError(f"--since {since} is after --until {until}: nothing can match")
        where.append(column < hi if strict else column <= hi)
    return where

