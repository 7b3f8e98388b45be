"""saidwho: who said what in the news.

    >>> import saidwho
    >>> art = saidwho.analyze("“We will win,” the mayor said.")
    >>> art.attributions[0].kind
    'direct'
"""

from .corpus import open_corpus as open  # noqa: A001 - saidwho.open(db), like sqlite3.connect
from .engine import Engine, analyze
from .errors import InputError, SaidwhoError
from .pipeline.factories import PIPES, register_factories
from .types import Article, Attribution, Span, Speaker

register_factories()

__version__ = "0.1.0"
__all__ = [
    "Article",
    "Attribution",
    "Engine",
    "InputError",
    "PIPES",
    "SaidwhoError",
    "Span",
    "Speaker",
    "analyze",
    "open",
    "__version__",
]
