"""spaCy components, one stage per file; factories are registered in :mod:`.factories`."""

from .factories import register_factories

__all__ = ["register_factories"]
