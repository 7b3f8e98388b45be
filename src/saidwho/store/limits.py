"""Query limits, shared by the store's query modules (apart from :mod:`.base`, so that
:mod:`.positions` reads them without importing the module that imports it)."""

from __future__ import annotations

from .errors import StoreError


def check_limit(limit: int | None) -> int | None:
    """A query's ``limit``: None and 0 mean no limit (as ``--limit 0`` does for every command)."""
    if limit is None or limit == 0:
        return None
    if limit < 0:
        raise StoreError(f"limit {limit}: give 0 (no limit) or more")
    return int(limit)
