"""Store errors: each one reaches the user as one clear line (see :mod:`saidwho.errors`)."""

from __future__ import annotations

from ..errors import SaidwhoError


class StoreError(SaidwhoError):
    """Something about the corpus database the user can fix."""


class DatabaseURLError(StoreError):
    """The ``--db`` value is not a usable database path or URL."""


class DatabaseUnreachableError(StoreError):
    """The database server cannot be reached, or the file cannot be opened."""


class SchemaVersionError(StoreError):
    """The database was made by a newer saidwho, or is not a saidwho database."""


class OlderSchemaError(SchemaVersionError):
    """The database was made by an older saidwho and a reader may not upgrade it."""


class NotFoundError(StoreError):
    """An article or speaker the user named is not in the corpus."""
