"""Speaker resolution: each attribution's source tied to one actor of the article.

The work is done in :mod:`saidwho.speakers` (names, titles, pronouns, groups); this module
keeps the spaCy component and the :func:`resolve` entry point.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..speakers.resolver import resolve_doc


def resolve(doc: Doc) -> None:
    """Fill ``doc._.saidwho_speakers`` and each attribution's ``speaker`` index.

    Speakers are plain dicts ``{"name", "role", "type", "mentions": [[s, e], ...]}``; each
    attribution record's ``"speaker"`` is an index into that list (None without a source).
    """
    resolve_doc(doc)


class SpeakerResolver:
    """spaCy component wrapper around :func:`resolve`."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        resolve(doc)
        return doc
