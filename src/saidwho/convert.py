"""Doc -> records: the one place where spaCy objects become saidwho's plain types."""

from __future__ import annotations

from spacy.tokens import Doc

from .types import Article, Attribution, Block, Span, Speaker


def _span(text: str, pair: list[int] | tuple[int, int] | None) -> Span | None:
    if not pair:
        return None
    a, b = int(pair[0]), int(pair[1])
    return Span(a, b, text[a:b])


def doc_to_article(doc: Doc, article_id: str) -> Article:
    """Build the :class:`Article` for a processed Doc (offsets into ``doc.text``)."""
    text = doc.text
    speakers = []
    for k, s in enumerate(doc._.saidwho_speakers or []):
        speakers.append(
            Speaker(
                id=f"s{k + 1}",
                name=s["name"],
                role=s.get("role"),
                type=s.get("type", "unknown"),
                mentions=tuple(sorted({_span(text, m) for m in s.get("mentions", [])})),
            )
        )
    records = doc._.saidwho_attributions or []
    atts = []
    for k, r in enumerate(records):
        sp = r.get("speaker")
        atts.append(
            Attribution(
                id=f"a{k + 1}",
                kind=r["kind"],
                cue=_span(text, r["cue"]),
                content=tuple(_span(text, c) for c in r["content"]),
                source=_span(text, r.get("source")),
                speaker=speakers[sp] if sp is not None and sp < len(speakers) else None,
                medium=_span(text, r.get("medium")),
                parent=f"a{r['parent'] + 1}" if r.get("parent") is not None else None,
                confidence=float(r.get("confidence", 1.0)),
            )
        )
    blocks = tuple(Block(k, int(a), int(b)) for k, a, b in (doc._.saidwho_blocks or ()))
    return Article(id=article_id, text=text, attributions=tuple(atts), speakers=tuple(speakers), blocks=blocks)
