"""Speaker resolution: tie each attribution's source to one actor of the article.

:func:`saidwho.speakers.resolver.resolve_doc` is the entry point; the spaCy component in
:mod:`saidwho.pipeline.speakers` calls it. Word lists live in ``saidwho/data`` (titles,
group nouns, anonymous sources, pronouns, organisation words).
"""

from .resolver import resolve_doc

__all__ = ["resolve_doc"]
