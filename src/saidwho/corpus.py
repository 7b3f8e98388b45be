"""The corpus from Python: ingest news, then ask who said what. Every answer is plain records.

    >>> import saidwho.corpus
    >>> corpus = saidwho.corpus.open_corpus("news.db")      # or "postgresql://user@host/db"
    >>> corpus.ingest(["crawl/*.warc.gz"])                  # doctest: +SKIP
    >>> corpus.quotes(speaker="Biden", about="tariffs", since="2024-01-01", limit=10)  # doctest: +SKIP
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
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
        options=None,
        reanalyse: bool = False,
        outlet: str | None = None,
        progress: bool | None = False,
        batch_size: int = 16,
    ) -> dict[str, Any]:
        """Read files, folders, globs, JSON Lines and WARC; analyse and store what is new.

        ``engine``: a loaded engine to use; else one built from ``options`` (an
        :class:`~saidwho.options.EngineOptions`; None: the environment's), loaded only if
        something needs analysing.

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
            options=options,
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

        The same text under the same identity is not stored twice: its number is returned,
        or with ``replace=True`` it is re-analysed in place. A different text under a known
        identity is stored as a new version beside the old one (``replace=True``: it replaces
        the latest version in place instead).
        """
        known = {"url", "title", "author", "outlet", "site", "published", "origin", "language", "note",
                 "crawl_url", "canonical_url"}
        extra = {k: v for k, v in meta.items() if k not in known and k != "id"}
        m = ArticleMeta(
            ext_id=str(meta["id"]) if meta.get("id") is not None else None,
            extra=extra,
            **{k: meta.get(k) for k in known},
        )
        key = m.key(article.text_sha256)
        found = self.store.lookup(key, article.text_sha256)
        if found is not None and not replace:
            return found[0]
        if found is None and replace:
            found = self.store.lookup(key)
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
        """Attributions, newest first. ``vague=True``: vague sources only (the rule of
        :func:`saidwho.analysis.is_vague`). An unknown ``speaker``, ``kind`` or a ``since``
        after ``until`` raise a one-line :class:`saidwho.store.StoreError`; ``limit`` 0 or None:
        no limit."""
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

    def suspicious_speakers(self) -> list[dict[str, Any]]:
        """Stored speakers whose name is unlikely to be a speaker's (a page word, a line break, a
        possessive, a headline's verb run into a name …), each with its ``reason``
        (:func:`saidwho.speakers.hygiene.suspicious_reason`); most-quoted first."""
        from .speakers.hygiene import suspicious_reason

        out = []
        for row in self.store.iter_speakers():
            reason = suspicious_reason(row["name"] or "", row["type"] or "unknown")
            if reason is not None:
                out.append({**row, "reason": reason})
        return sorted(out, key=lambda r: (-int(r["quotes"] or 0), r["id"]))

    def article(self, ref: str | int, text: bool = True) -> dict[str, Any]:
        """One article by number, id, URL or content hash, with its attributions."""
        return self.store.article(ref, text=text)

    def stats(self) -> dict[str, int]:
        return self.store.stats()

    # -- positions ------------------------------------------------------------------------

    def analyse_positions(
        self,
        reanalyse: bool = False,
        *,
        nlp=None,
        limit: int | None = None,
        on_article: Callable[[int, str], None] | None = None,
    ) -> dict[str, Any]:
        """Compute and store the positions analysis (:func:`saidwho.analysis.enrich`: propositions,
        relations, unattributed claims, vague flags, source chains) of the stored articles that
        lack it; with ``reanalyse=True`` of every article (oldest analysis first).

        Each article is analysed from its stored text and document (the engine is not run again)
        and written in its own transaction, so an interrupted run resumes where it stopped, and a
        second run finds nothing to do. ``nlp`` is a spaCy pipeline with a parser and NER (default:
        the configured model, loaded once). ``on_article(article_id, status)`` is called after
        each article with ``"analysed"``, ``"skipped"`` or ``"failed"``.

        Returns ``{"pending", "analysed", "skipped", "failed", "failures": [[id, reason]]}``.
        """
        import json
        from dataclasses import replace

        from .store.positions import compute_positions

        ids = self.store.pending_positions(everything=reanalyse)
        if limit:  # None or 0: every pending article (as --limit 0 means everywhere)
            ids = ids[: max(0, limit)]
        summary: dict[str, Any] = {"pending": len(ids), "analysed": 0, "skipped": 0, "failed": 0, "failures": []}
        if ids and nlp is None:
            from .analysis import _default_nlp

            nlp = _default_nlp()
        for aid in ids:
            row = self.store.positions_input(aid)
            status = "skipped"
            if row is not None and (reanalyse or not row["positions_at"]):
                try:
                    doc = row["doc"] if isinstance(row["doc"], dict) else json.loads(row["doc"] or "{}")
                    meta = row["meta"] if isinstance(row["meta"], dict) else {}
                    art = replace(Article.from_dict(doc, row["text"]), meta={k: v for k, v in meta.items() if v})
                    edoc, extras = compute_positions(art, outlet=row["outlet"] or row["site"] or None, nlp=nlp)
                except Exception as exc:  # noqa: BLE001 - reported per article; the others go on
                    status = "failed"
                    summary["failures"].append([aid, f"{type(exc).__name__}: {exc}"])
                else:
                    if self.store.save_positions(aid, edoc, extras, analysed_at=row["analysed_at"]):
                        status = "analysed"
            summary[status] += 1
            if on_article is not None:
                on_article(aid, status)
        return summary

    def positions(self, ref: str | int) -> dict[str, Any]:
        """One article's stored propositions, relations and unattributed claims."""
        return self.store.positions(ref)

    def disagreements(
        self,
        about: str | None = None,
        speakers: str | int | Sequence[str | int] = (),
        limit: int | None = None,
        kind: str = "disagree",
        scope: str = "all",
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> list[dict[str, Any]]:
        """Pairs of stored propositions by different speakers about the same topic that disagree
        (``kind="agree"``: agree), strongest first, decided as the positions analysis decides
        inside one article (the stance model gating the polarity rule).

        ``about``: words both sides are about (each side mentions one; together all).
        ``speakers``: one speaker (pairs involving them; they are side ``a``) or two (pairs
        between them, the first as ``a``), by id or name. ``outlet``, ``since``, ``until``: both
        sides' articles are of this outlet and published in these dates. ``scope``:
        ``"article"`` pairs found inside one article (the stored relations), ``"corpus"`` pairs
        across articles, ``"all"`` both; ``"self"`` a speaker's self-contradictions over time:
        one speaker's statements in different articles, the earlier as ``a``.

        Each record: ``{"kind", "score", "scope", "basis", "a": {...}, "b": {...}}``
        (``basis``: "polarity rule", "stance model", "polarity rule, stance model" or
        "rebuttal"; None for relations stored without one), each side with ``speaker`` ({id,
        name, type}), ``text`` (the evidence span), ``span``, ``proposition``, ``attribution``,
        ``topic``, ``polarity``, ``modality`` and the article (``article_id``,
        ``article_ext_id``, ``title``, ``outlet``, ``published``, ``url``).
        """
        if isinstance(speakers, (str, int)):
            speakers = [speakers]
        return self.store.disagreements(about=about, speakers=list(speakers), limit=limit, kind=kind, scope=scope,
                                        outlet=outlet, since=since, until=until)

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


def open_corpus(db: str | None = None, create: bool | None = None, readonly: bool = False) -> Corpus:
    """Open the corpus at a SQLite path or PostgreSQL URL (default ``$SAIDWHO_DB`` or
    ``saidwho.db``), upgrading its schema. A missing SQLite file is created, unless ``create``
    is false (then: a one-line :class:`saidwho.store.NotFoundError`). ``readonly=True``
    writes nothing, ever: a database that is not a current saidwho corpus is refused (a
    one-line :class:`saidwho.store.SchemaVersionError`); see :func:`saidwho.store.open_store`."""
    return Corpus(open_store(db, create=create, readonly=readonly))


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
    to_file = bool(out) and out != "-"
    try:
        fh = open(out, "w", encoding="utf-8", newline="") if to_file else sys.stdout
        try:
            if format == "jsonl":
                return _export.write_jsonl(records, fh)
            if format == "json":
                return _export.write_json(records, fh)
            return _export.write_csv(records, fh, columns)
        finally:
            if fh is not sys.stdout:
                fh.close()
    except OSError as exc:  # a folder that does not exist, no permission, a full disk
        if not to_file:
            raise
        raise _export.cannot_write(str(out), exc) from None


__all__ = ["Corpus", "open_corpus"]
