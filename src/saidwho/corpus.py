"""The corpus from Python: ingest news, then ask who said what. Every answer is plain records.

    >>> import saidwho.corpus
    >>> corpus = saidwho.corpus.open_corpus("news.db")      # or "postgresql://user@host/db"
    >>> corpus.ingest(["crawl/*.warc.gz"])                  # doctest: +SKIP
    >>> corpus.quotes(speaker="Biden", about="tariffs", since="2024-01-01", limit=10)  # doctest: +SKIP
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from .store import ArticleMeta, Store, open_store
from .store import export as _export
from .types import Article


class Corpus:
    """A corpus database. Close it when done (or use it in a ``with`` block)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- writing --------------------------------------------------------------------------

    def ingest(
        self,
        paths: str | Iterable[str],
        *,
        engine=None,
        reanalyse: bool = False,
        outlet: str | None = None,
        progress: bool | None = False,
        batch_size: int = 16,
    ) -> dict[str, Any]:
        """Read files, folders, globs, JSON Lines and WARC; analyse and store what is new.

        Returns the run's summary: read, stored, updated, duplicates, failed, failures...
        """
        from .ingest.runner import ingest

        if isinstance(paths, str):
            paths = [paths]
        problems: list[str] = []
        summary = ingest(
            self.store,
            paths,
            engine=engine,
            reanalyse=reanalyse,
            outlet=outlet,
            progress=progress,
            batch_size=batch_size,
            report=problems.append,
        )
        return summary.as_dict()

    def add(self, article: Article, replace: bool = False, **meta: Any) -> int:
        """Store an analysed :class:`Article` with metadata (``id``, ``url``, ``title``,
        ``author``, ``outlet``, ``site``, ``published``); returns its article number.

        An article with the same identity is not stored twice: its number is returned, or
        with ``replace=True`` it is replaced in place.
        """
        known = {"url", "title", "author", "outlet", "site", "published", "origin"}
        extra = {k: v for k, v in meta.items() if k not in known and k != "id"}
        m = ArticleMeta(
            ext_id=str(meta["id"]) if meta.get("id") is not None else None,
            extra=extra,
            **{k: meta.get(k) for k in known},
        )
        found = self.store.lookup(m.key(article.text_sha256))
        if found is not None and not replace:
            return found[0]
        return self.store.save_article(article, m, replace=found[0] if found else None)

    def analyse(self, text: str, **meta: Any) -> int:
        """Analyse one text with the shared engine and store it; returns its article number."""
        from .engine import get_engine

        return self.add(get_engine().analyze(text, id=str(meta.get("id") or "doc")), **meta)

    # -- asking ---------------------------------------------------------------------------

    def quotes(
        self,
        speaker: str | int | None = None,
        about: str | None = None,
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
        kind: str | Sequence[str] | None = None,
        vague: bool | None = None,
        article: str | int | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        """Attributions, newest first. ``vague=True``: anonymous and group sources only."""
        return self.store.quotes(
            speaker=speaker, about=about, outlet=outlet, since=since, until=until, kind=kind,
            vague=vague, article=article, limit=limit, offset=offset,
        )

    def iter_quotes(self, **filters: Any) -> Iterator[dict[str, Any]]:
        """Like :meth:`quotes`, streamed (for big exports)."""
        return _export.guard(self.store.iter_quotes(**filters))

    def count(self, **filters: Any) -> int:
        return self.store.count_quotes(**filters)

    def speakers(self, limit: int | None = 20, **filters: Any) -> list[dict[str, Any]]:
        """Most-quoted speakers with counts by outlet and kind (filters as for quotes, plus type)."""
        return self.store.speakers(limit=limit, **filters)

    def speaker(self, ref: str | int) -> dict[str, Any]:
        """One speaker: names and roles seen with dates, counts, corrections."""
        return self.store.speaker(ref)

    def article(self, ref: str | int, text: bool = True) -> dict[str, Any]:
        """One article by number, id, URL or content hash, with its attributions."""
        return self.store.article(ref, text=text)

    def stats(self) -> dict[str, int]:
        return self.store.stats()

    # -- corrections ----------------------------------------------------------------------

    def merge_speakers(self, keep: str | int, other: str | int) -> dict[str, Any]:
        """``other`` becomes part of ``keep``, now and in future ingests."""
        return self.store.merge_speakers(keep, other)

    def split_speaker(self, speaker: str | int, names: str | Sequence[str]) -> dict[str, Any]:
        """Mentions called one of ``names`` leave ``speaker`` for a new speaker, for good."""
        return self.store.split_speaker(speaker, [names] if isinstance(names, str) else list(names))

    # -- export ---------------------------------------------------------------------------

    def export(self, out: str | None = None, format: str = "jsonl", table: str = "attributions", **filters: Any) -> int:
        """Write a table (attributions, articles, speakers) as jsonl, csv or parquet."""
        return export(self.store, out, format, table, **filters)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> "Corpus":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def open_corpus(db: str | None = None) -> Corpus:
    """Open the corpus at a SQLite path or PostgreSQL URL (default ``$SAIDWHO_DB`` or
    ``saidwho.db``), creating or upgrading its schema."""
    return Corpus(open_store(db))


def export(store: Store, out: str | None, format: str = "jsonl", table: str = "attributions", **filters: Any) -> int:
    from .store.errors import StoreError

    if table == "attributions":
        records = _export.guard(store.iter_quotes(**filters))
        columns: Sequence[str] | None = _export.QUOTE_COLUMNS
    elif table == "articles":
        records = _export.guard(store.iter_articles())
        columns = None
    elif table == "speakers":
        records = _export.guard(store.iter_speakers())
        columns = None
    else:
        raise StoreError(f"unknown table {table!r} (attributions, articles, speakers)")
    if format == "parquet":
        if not out or out == "-":
            raise StoreError("parquet export needs --out FILE")
        return _export.write_parquet(records, out, columns)
    if format not in ("jsonl", "csv", "json"):
        raise StoreError(f"unknown export format {format!r} (jsonl, csv, parquet)")
    fh = sys.stdout if not out or out == "-" else open(out, "w", encoding="utf-8", newline="")
    try:
        if format == "jsonl":
            return _export.write_jsonl(records, fh)
        if format == "json":
            return _export.write_json(records, fh)
        return _export.write_csv(records, fh, columns)
    finally:
        if fh is not sys.stdout:
            fh.close()


__all__ = ["Corpus", "open_corpus"]
