"""saidwho: who said what in the news.

    >>> import saidwho
    >>> art = saidwho.analyze("“We will win,” the mayor said.")
    >>> art.attributions[0].kind
    'direct'
"""

from typing import Any

from .engine import Engine, analyze
from .errors import InputError, SaidwhoError
from .options import EngineOptions
from .pipeline.factories import PIPES, register_factories
from .types import Article, Attribution, Span, Speaker
from .version import __version__

register_factories()


def __getattr__(name: str) -> Any:
    """``saidwho.open`` (the corpus: SQLAlchemy and the store) is imported on first use, so
    that analysing text never loads the database stack."""
    if name == "open":
        from .corpus import open_corpus

        globals()["open"] = open_corpus
        return open_corpus
    raise AttributeError(f"module 'saidwho' has no attribute {name!r}")

__all__ = [
    "Article",
    "Attribution",
    "Engine",
    "EngineOptions",
    "InputError",
    "PIPES",
    "SaidwhoError",
    "Span",
    "Speaker",
    "analyze",
    "open",
    "__version__",
]
