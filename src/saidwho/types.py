"""Plain records that saidwho returns: no spaCy in here, so they pickle, serialise and
travel between processes and back ends without a model loaded.

Offsets are Python ``str`` (code point) offsets into the input exactly as read.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

KINDS = ("direct", "indirect", "mixed", "according_to", "belief")
SPEAKER_TYPES = ("person", "organization", "group", "anonymous", "unknown")
#: The kinds of a text's blocks (see :mod:`saidwho.structure`).
BLOCK_KINDS = (
    "headline", "subhead", "byline", "dateline", "body", "list_item", "quote_block", "caption", "teaser", "boilerplate",
)
#: Blocks whose words can be reported speech; attributions come from these (and from a heading
#: that holds a whole attribution, "Mayor says park will be built").
BODY_KINDS = frozenset({"body", "list_item", "quote_block"})

Kind = Literal["direct", "indirect", "mixed", "according_to", "belief"]
SpeakerType = Literal["person", "organization", "group", "anonymous", "unknown"]
BlockKind = Literal[
    "headline", "subhead", "byline", "dateline", "body", "list_item", "quote_block", "caption", "teaser", "boilerplate"
]


def text_sha256(text: str) -> str:
    """The article's identity: SHA-256 of its UTF-8 bytes, as hex."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, order=True)
class Span:
    """A character range ``[start, end)`` of the input, with its text for readability."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> "Span":
        return cls(start, end, text[start:end])

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Span":
        return cls(int(d["start"]), int(d["end"]), str(d["text"]))


@dataclass(frozen=True)
class Block:
    """One part of the article's layout: a headline, a body paragraph, a caption …, as the
    character range ``[start, end)`` of the input. Blocks do not overlap and are in text order;
    a dateline ("LONDON — ") is a block of its own at the start of a body paragraph."""

    kind: BlockKind
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Block":
        kind = str(d["kind"])
        if kind not in BLOCK_KINDS:
            raise ValueError(f"unknown block kind {kind!r}")
        return cls(kind, int(d["start"]), int(d["end"]))  # type: ignore[arg-type]


@dataclass(frozen=True)
class Speaker:
    """One actor of an article: a person, organisation, group or an anonymous source."""

    id: str
    name: str
    role: str | None
    type: SpeakerType
    mentions: tuple[Span, ...] = ()

    def ref(self) -> dict[str, Any]:
        """The short form carried by each attribution."""
        return {"id": self.id, "name": self.name, "role": self.role, "type": self.type}

    def to_dict(self) -> dict[str, Any]:
        return {**self.ref(), "mentions": [m.to_dict() for m in self.mentions]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Speaker":
        return cls(
            id=d["id"],
            name=d["name"],
            role=d.get("role"),
            type=d.get("type", "unknown"),
            mentions=tuple(Span.from_dict(m) for m in d.get("mentions", ())),
        )


@dataclass(frozen=True)
class Attribution:
    """Who (source) says (cue) what (content): one attribution relation."""

    id: str
    kind: Kind
    cue: Span
    content: tuple[Span, ...]
    source: Span | None = None
    speaker: Speaker | None = None
    medium: Span | None = None
    parent: str | None = None
    confidence: float = 1.0

    @property
    def content_text(self) -> str:
        return " … ".join(s.text for s in self.content)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "source": self.source.to_dict() if self.source else None,
            "cue": self.cue.to_dict(),
            "content": [s.to_dict() for s in self.content],
            "speaker": self.speaker.ref() if self.speaker else None,
            "medium": self.medium.to_dict() if self.medium else None,
            "parent": self.parent,
            "confidence": round(float(self.confidence), 4),
        }


@dataclass(frozen=True)
class Article:
    """The engine's result for one input text: the JSON contract's document."""

    id: str
    text: str
    attributions: tuple[Attribution, ...] = ()
    speakers: tuple[Speaker, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict, compare=False)
    blocks: tuple[Block, ...] = ()

    @property
    def text_sha256(self) -> str:
        return text_sha256(self.text)

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON contract (README, "JSON output")."""
        return {
            "id": self.id,
            "text_sha256": self.text_sha256,
            "attributions": [a.to_dict() for a in self.attributions],
            "speakers": [s.to_dict() for s in self.speakers],
            "blocks": [b.to_dict() for b in self.blocks],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any], text: str) -> "Article":
        """Rebuild from the JSON contract (the text is not part of it)."""
        speakers = {s["id"]: Speaker.from_dict(s) for s in d.get("speakers", ())}
        atts = []
        for a in d.get("attributions", ()):
            sp = a.get("speaker")
            atts.append(
                Attribution(
                    id=a["id"],
                    kind=a["kind"],
                    cue=Span.from_dict(a["cue"]),
                    content=tuple(Span.from_dict(c) for c in a.get("content", ())),
                    source=Span.from_dict(a["source"]) if a.get("source") else None,
                    speaker=speakers.get(sp["id"]) if sp else None,
                    medium=Span.from_dict(a["medium"]) if a.get("medium") else None,
                    parent=a.get("parent"),
                    confidence=float(a.get("confidence", 1.0)),
                )
            )
        blocks = tuple(Block.from_dict(b) for b in d.get("blocks", ()))
        return cls(id=d["id"], text=text, attributions=tuple(atts), speakers=tuple(speakers.values()), blocks=blocks)
