"""saidwho.ingest: read news from files, folders, globs, JSON Lines and WARC into the corpus.

Readers yield :class:`RawArticle` (a text and its metadata) or :class:`Problem` (a file or line
that could not be read, or a note such as a skipped non-HTML WARC record); the runner
(:func:`saidwho.ingest.runner.ingest`) analyses and stores them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported on use (below): reading text for analysis loads no database code
    from ..store.records import ArticleMeta

from ..types import Block


@dataclass
class RawArticle:
    """An article read from the input, not yet analysed."""

    text: str
    meta: ArticleMeta
    #: what was read but not kept (a date that is not a date...): one line each, reported by the run
    warnings: list[str] = field(default_factory=list)
    blocks: list[Block] | None = None  # the layout, when the input's markup gave it (HTML)

    @property
    def origin(self) -> str:
        return self.meta.origin or "?"


@dataclass
class Problem:
    """Something read that is not an article: a failure (``note=False``) or just a note."""

    origin: str
    reason: str
    note: bool = False

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


__all__ = ["ArticleMeta", "Problem", "RawArticle"]


def __getattr__(name: str) -> Any:
    if name == "ArticleMeta":
        from ..store.records import ArticleMeta

        return ArticleMeta
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
