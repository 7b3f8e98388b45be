"""saidwho.web: ``saidwho serve``, the corpus in a browser (FastAPI + uvicorn).

    >>> from saidwho.web import create_app
    >>> app = create_app("news.db")                     # doctest: +SKIP

See docs/web.md.
"""

from __future__ import annotations

from typing import Any


def create_app(*args: Any, **kwargs: Any):
    """The FastAPI app over a corpus; see :func:`saidwho.web.app.create_app`."""
    from .app import create_app as _create

    return _create(*args, **kwargs)


__all__ = ["create_app"]
