"""Speaker resolution: each attribution's source tied to one actor of the article.

(First version: one speaker per distinct source text. Replaced by the resolver.)
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


def resolve(doc: Doc) -> None:
    """Fill ``doc._.saidwho_speakers`` and each attribution's ``speaker`` index."""
    speakers: list[dict] = []
    by_name: dict[str, int] = {}
    for rec in doc._.saidwho_attributions or []:
        if not rec["source"]:
            rec["speaker"] = None
            continue
        a, b = rec["source"]
        name = doc.text[a:b]
        if name not in by_name:
            by_name[name] = len(speakers)
            speakers.append({"name": name, "role": None, "type": "unknown", "mentions": []})
        idx = by_name[name]
        speakers[idx]["mentions"].append([a, b])
        rec["speaker"] = idx
    doc._.saidwho_speakers = speakers


class SpeakerResolver:
    """spaCy component wrapper around :func:`resolve`."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        resolve(doc)
        return doc
