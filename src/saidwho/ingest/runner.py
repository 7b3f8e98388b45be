"""The ingest run: read inputs, skip what is stored, analyse in batches, store one by one.

Each article is committed in its own transaction with its attributions, so a run killed at
any moment leaves a consistent database; running the same command again skips what is
already stored (by identity and content hash) and goes on with the rest, first doing the
speaker consolidation the killed run did not reach. Several runs may write one corpus at
once: each article is stored once. A changed text under a known identity is kept as a new
version beside the old one, with a line saying so.

:class:`IngestRun` holds the per-article steps (admit, write) shared with the local worker
pool and the Dask runner of :mod:`saidwho.batch`; :func:`analyse_batch` is what every engine,
here or in a worker, runs on a batch.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError
from ..store.errors import DatabaseUnreachableError, StoreError
from ..store.records import Saved
from ..types import Article, text_sha256
from . import Problem, RawArticle
from .html import read_html_page
from .jsonl import count_jsonl, read_jsonl
from .sources import expand
from .warc import count_warc, read_warc

#: Without a terminal, the progress bar appears only on runs longer than this (seconds).
LONG_RUN_DELAY = 10.0
#: Failures kept in the summary (all are reported as they happen).
KEEP_FAILURES = 1000


@dataclass
class IngestSummary:
    read: int = 0
    stored: int = 0
    updated: int = 0
    duplicates: int = 0
    versions: int = 0  # of the stored: changed texts under a known id or URL, kept beside the old
    failed: list[tuple[str, str]] = field(default_factory=list)
    n_failed: int = 0
    notes: int = 0
    #: stored with their language and a note, not analysed (saidwho reads English only)
    not_english: int = 0
    warnings: int = 0
    seconds: float = 0.0
    engine_seconds: float = 0.0
    store_seconds: float = 0.0
    speakers_consolidated: int = 0
    # partitioned runs (saidwho.batch): who ran the engine, partitions sent, tries again,
    # partitions given up on (after three failures) and the file listing their inputs
    workers: str = ""
    partitions: int = 0
    retried: int = 0
    failed_partitions: list[Any] = field(default_factory=list)
    failed_list: str | None = None

    @property
    def store_share(self) -> float:
        return self.store_seconds / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, Any]:
        out = {
            "read": self.read,
            "stored": self.stored,
            "updated": self.updated,
            "duplicates": self.duplicates,
            "versions": self.versions,
            "failed": self.n_failed,
            "failures": [{"where": w, "reason": r} for w, r in self.failed],
            "notes": self.notes,
            "not_english": self.not_english,
            "warnings": self.warnings,
            "seconds": round(self.seconds, 3),
            "engine_seconds": round(self.engine_seconds, 3),
            "store_seconds": round(self.store_seconds, 3),
            "store_share": round(self.store_share, 4),
        }
        if self.workers:
            out.update(
                workers=self.workers,
                partitions=self.partitions,
                retried=self.retried,
                failed_partitions=[
                    {"partition": f.name, "reason": f.reason, "attempts": f.attempts, "files": f.files,
                     "articles": f.origins}
                    for f in self.failed_partitions
                ],
                failed_list=self.failed_list,
            )
        return out

    def line(self) -> str:
        parts = [
            f"read {self.read}",
            f"stored {self.stored}" + (f" ({self.versions} as new versions of changed texts)" if self.versions else ""),
            *([f"re-analysed {self.updated}"] if self.updated else []),
            f"skipped {self.duplicates} as duplicates",
            f"failed {self.n_failed}",
        ]
        if self.not_english:
            parts.append(f"{self.not_english} not in English (stored, not analysed)")
        if self.notes:
            parts.append(f"{self.notes} non-article records skipped")
        rate = (self.stored + self.updated) / self.seconds if self.seconds else 0.0
        timing = f"in {self.seconds:.1f} s"
        if self.stored + self.updated:
            timing += f" ({rate:.1f} articles/s; store {self.store_share:.1%} of the time)"
        if self.workers:
            parts.append(f"{self.partitions} partitions on {self.workers}"
                         + (f", {self.retried} sent again" if self.retried else "")
                         + (f", {len(self.failed_partitions)} failed" if self.failed_partitions else ""))
        return "; ".join(parts) + " " + timing


def read_inputs(paths: Iterable[str], outlet: str | None = None) -> Iterator[RawArticle | Problem]:
    """Every article (or problem) in the inputs, in order."""
    for _, item in read_inputs_by_file(paths, outlet):
        yield item


def read_inputs_by_file(paths: Iterable[str], outlet: str | None = None) -> Iterator[tuple[str, RawArticle | Problem]]:
    """``(input file, article or problem)`` for everything in the inputs, in order (the file
    is the problem's origin for a name that gives no file)."""
    from .text import read_text

    for item in expand(paths):
        if isinstance(item, Problem):
            yield item.origin, item
            continue
        path, fmt = item
        if fmt == "jsonl":
            for got in read_jsonl(path, outlet):
                yield path, got
        elif fmt == "warc":
            for got in read_warc(path, outlet):
                yield path, got
        else:
            try:
                blocks = None
                if fmt == "html":
                    text, meta, blocks = read_html_page(path, outlet)
                else:
                    text = read_text(path)
                    from ..store.records import ArticleMeta

                    meta = ArticleMeta(outlet=outlet, origin=path)
            except InputError as exc:
                msg = str(exc)
                # messages name the path first already; keep the reason only
                for prefix in (path + ": ",):
                    if msg.startswith(prefix):
                        msg = msg[len(prefix):]
                yield path, Problem(path, msg)
                continue
            yield path, RawArticle(text, meta, blocks=blocks)


def count_inputs(paths: Iterable[str]) -> int:
    """How many articles the inputs hold (for the progress bar's ETA)."""
    n = 0
    for item in expand(paths):
        if isinstance(item, Problem):
            continue
        path, fmt = item
        n += count_jsonl(path) if fmt == "jsonl" else count_warc(path) if fmt == "warc" else 1
    return n


class _Progress:
    """tqdm on stderr: from the start on a terminal (or when forced), else only once a run
    has lasted :data:`LONG_RUN_DELAY` seconds (then with a slow refresh, for logs).

    The bar has one clock, started by :meth:`start_clock` when the engine is ready for the
    first article: the model's loading and the articles passed over before it (duplicates,
    stored ones) count in neither the rate nor the ETA, and a bar that appears late (off a
    terminal) shows the time since that start, not since it appeared.
    """

    def __init__(self, enabled: bool | None, total: Callable[[], int | None]) -> None:
        self.tty = sys.stderr.isatty()
        self.enabled = enabled
        self.total = total
        self.done = 0
        self.t0 = time.monotonic()
        self.clock: float | None = None  # when the first article went to the engine
        self.done_before = 0  # articles counted before that
        self.bar = None
        if enabled or (enabled is None and self.tty):
            self._start()

    def _start(self) -> None:
        from tqdm import tqdm

        self.bar = tqdm(
            total=self.total(),
            initial=self.done,
            unit="article",  # tqdm writes the rate as "2.31article/s" or "5.74s/article"
            bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} articles [{elapsed}<{remaining}, {rate_fmt}]",
            file=sys.stderr,
            dynamic_ncols=True,
            mininterval=0.2 if (self.tty or self.enabled) else 30.0,
            smoothing=0.1,
            leave=True,
        )
        if self.clock is not None:
            self._align()

    def start_clock(self) -> None:
        """The engine is ready and analyses its first article: the rate and ETA count from now."""
        if self.clock is not None:
            return
        self.clock, self.done_before = time.monotonic(), self.done
        if self.bar is not None:
            self._align()

    def _align(self) -> None:
        """Put the bar on the run's clock: its elapsed time from :attr:`clock`, its rate over
        the articles counted since (tqdm's ``reset`` clears the smoothing of what came before)."""
        bar, age = self.bar, time.monotonic() - self.clock
        bar.reset()
        bar.start_t -= age
        bar.last_print_t = bar.start_t
        bar.initial = bar.last_print_n = self.done_before
        bar.n = self.done
        bar.refresh()

    def update(self, n: int = 1) -> None:
        self.done += n
        if self.bar is not None:
            self.bar.update(n)
        elif self.enabled is None and time.monotonic() - self.t0 > LONG_RUN_DELAY:
            self._start()

    def write(self, msg: str) -> None:
        if self.bar is not None:
            self.bar.write(msg, file=sys.stderr)
        else:
            print(msg, file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


class IngestRun:
    """The per-article steps every ingest shares, whatever runs the engine.

    The single-process loop below, the local worker pool and the Dask runner
    (:mod:`saidwho.batch`) all go through the same three steps, in the process that holds the
    store: :meth:`admit` (count, check the text, drop what this run met already or what is
    stored with the same text), then :func:`analyse_batch` (here, or in a worker), then
    :meth:`write` (store each result, report each failure). Only the admitted articles are
    ever sent to an engine, so a run restarted after a stop resumes where it was.
    """

    def __init__(
        self,
        store,
        reanalyse: bool = False,
        progress: bool | None = None,
        report: Callable[[str], None] | None = None,
        total: Callable[[], int | None] | None = None,
        quiet: bool = False,
    ) -> None:
        self.store = store
        self.reanalyse = reanalyse
        self.summary = IngestSummary()
        self.t_start = time.perf_counter()
        self.bar = _Progress(False if quiet else progress, total or (lambda: None))
        self.say = report or self.bar.write
        #: what is said for information only (notes, new versions): nothing with ``quiet``;
        #: problems and warnings always go through :attr:`say`
        self.note = (lambda msg: None) if quiet else self.say
        self.engine_name = _engine_name()
        self.seen: set[tuple[str, str]] = set()
        self._resume()

    def _resume(self) -> None:
        """A run killed before its end left its speakers unconsolidated: do it now."""
        if self.store.review_pending():
            t1 = time.perf_counter()
            self.summary.speakers_consolidated += self.store.consolidate_speakers()
            self.summary.store_seconds += time.perf_counter() - t1

    def fail(self, where: str, reason: str, quiet: bool = False) -> None:
        s = self.summary
        s.n_failed += 1
        if len(s.failed) < KEEP_FAILURES:
            s.failed.append((where, reason))
        if not quiet:
            self.say(f"saidwho: skipped {where}: {reason}")
        self.bar.update()

    def admit(self, item: RawArticle | Problem) -> Pending | None:
        """The article as work to do, or None when it is a problem, a duplicate or stored."""
        from ..engine import check_text

        s = self.summary
        if isinstance(item, Problem):
            if item.note:
                s.notes += 1
            else:
                s.read += 1
                self.fail(item.origin, item.reason)
            return None
        s.read += 1
        for w in item.warnings:
            s.warnings += 1
            self.say(f"saidwho: warning: {item.origin}: {w}")
        try:
            check_text(item.text)
        except InputError as exc:
            self.fail(item.origin, str(exc))
            return None
        sha = text_sha256(item.text)
        key = item.meta.key(sha)
        if (key, sha) in self.seen:
            s.duplicates += 1
            self.bar.update()
            return None
        self.seen.add((key, sha))
        t1 = time.perf_counter()
        found = self.store.lookup(key, sha)  # this very text under this identity
        s.store_seconds += time.perf_counter() - t1
        if found is not None and not self.reanalyse:
            s.duplicates += 1
            self.bar.update()
            return None
        pending = Pending(item, key, found[0] if found else None)
        if not self._english(item):
            # stored with its language and the note, without attributions; never sent to an engine
            self._save_one(pending, Article(id=engine_id(item), text=item.text), engine_name=None)
            s.not_english += 1
            return None
        return pending

    def _english(self, item: RawArticle) -> bool:
        """Detect the text's language (kept on the article); False, with a note, when not English."""
        from .language import detect, not_english_note

        found = detect(item.text)
        item.meta.language = found.stored
        if found.english:
            return True
        item.meta.note = not_english_note(found.code or "?")
        self.note(f"saidwho: note: {item.origin}: {item.meta.note}")
        return False

    def write(self, pending: Sequence[Pending], results: Sequence[Article | BaseException | str],
              together: bool = False) -> None:
        """Store each analysed article (one transaction each, or with ``together`` the new ones
        of the batch in one); report each failed analysis."""
        s = self.summary
        self.bar.start_clock()  # at the latest: results are in (a worker loaded its engine)
        fresh: list[tuple[Pending, Article]] = []
        for p, res in zip(pending, results):
            if not isinstance(res, Article):
                self.fail(p.raw.origin, f"analysis failed: {_reason(res)}")
            elif together and p.replace is None:
                fresh.append((p, res))
            else:
                self._save_one(p, res)
        if len(fresh) > 1:
            t1 = time.perf_counter()
            try:
                saved = self.store.add_articles([(a, p.raw.meta) for p, a in fresh], engine_name=self.engine_name)
            except DatabaseUnreachableError:
                raise
            except StoreError:  # one article the database refuses must not sink the batch
                s.store_seconds += time.perf_counter() - t1
                for p, a in fresh:
                    self._save_one(p, a)
                return
            s.store_seconds += time.perf_counter() - t1
            for p, got in zip((p for p, _ in fresh), saved):
                self._count(p, got)
        elif fresh:
            self._save_one(*fresh[0])

    def _save_one(self, p: Pending, article: Article, engine_name: str | None = "") -> None:
        s = self.summary
        t1 = time.perf_counter()
        got = self.store.add_article(article, p.raw.meta, replace=p.replace,
                                     engine_name=self.engine_name if engine_name == "" else engine_name)
        s.store_seconds += time.perf_counter() - t1
        self._count(p, got)

    def _count(self, p: Pending, got: Saved) -> None:
        s = self.summary
        if p.replace is not None:
            s.updated += 1
        elif not got.stored:  # another run stored this very text meanwhile
            s.duplicates += 1
        else:
            s.stored += 1
            if got.version > 1:
                s.versions += 1
                self.note(f"saidwho: {p.raw.origin}: its text differs from the one stored under {_shown(p.key)} "
                         f"(article {got.previous}); both kept: this is article {got.article_id}, "
                         f"version {got.version}")
        self.bar.update()

    def finish(self) -> None:
        """End-of-run speaker consolidation (when something was stored)."""
        s = self.summary
        if s.stored or s.updated:
            t1 = time.perf_counter()
            s.speakers_consolidated += self.store.consolidate_speakers()
            s.store_seconds += time.perf_counter() - t1

    def close(self) -> IngestSummary:
        self.bar.close()
        self.summary.seconds = time.perf_counter() - self.t_start
        return self.summary


@dataclass
class Pending:
    """An admitted article: to analyse, then store (``replace``: the stored id it updates)."""

    raw: RawArticle
    key: str
    replace: int | None


def analyse_batch(engine, pairs: Sequence[tuple], batch_size: int = 16) -> list[Article | BaseException]:
    """``(id, text)`` pairs (or ``(id, text, blocks)``, see :func:`engine_item`) through the engine, one result or exception each, in order (see
    :func:`saidwho.engine.pipe_or_errors`). The same function runs here and in every worker."""
    from ..engine import pipe_or_errors  # spaCy is imported only where texts are analysed

    if not getattr(engine, "accepts_blocks", False):
        pairs = [tuple(p[:2]) for p in pairs]  # an engine that reads the layout itself
    return list(pipe_or_errors(engine, list(pairs), batch_size=batch_size))


def _shown(key: str) -> str:
    """An identity key as a user reads it: ``id x``, ``URL u``."""
    kind, _, value = key.partition(":")
    value = value if len(value) <= 120 else value[:117] + "..."
    return {"id": f"id {value}", "url": f"URL {value}", "id-sha256": "a long id", "url-sha256": "a long URL"}.get(
        kind, key)


def _reason(res: BaseException | str) -> str:
    msg = str(res)
    return msg.splitlines()[0] if msg.strip() else (type(res).__name__ if isinstance(res, BaseException) else "?")


def ingest(
    store,
    paths: Iterable[str],
    engine=None,
    reanalyse: bool = False,
    outlet: str | None = None,
    progress: bool | None = None,
    quiet: bool = False,
    batch_size: int = 16,
    report: Callable[[str], None] | None = None,
    options=None,
) -> IngestSummary:
    """Read, analyse and store; returns the run's summary.

    ``engine`` is anything with ``pipe(pairs)`` and ``analyze(text, id)`` (default: the shared
    spaCy engine for ``options``, a :class:`~saidwho.options.EngineOptions` or None for the
    environment's, loaded only if something needs analysing). ``progress``: True forces the bar,
    False hides it, None shows it on a terminal or, without one, on long runs. ``report``
    receives each problem as a line (default: stderr, above the bar).
    ``quiet``: no bar and no notes; problems and warnings are still reported.

    For several worker processes or a Dask cluster, see :mod:`saidwho.batch`.
    """
    if engine is not None and options is not None:
        raise InputError("give an engine or engine options, not both")
    paths = list(paths)
    run = IngestRun(store, reanalyse=reanalyse, progress=progress, report=report,
                    total=lambda: count_inputs(paths), quiet=quiet)
    pending: list[Pending] = []

    def flush() -> None:
        nonlocal engine
        if not pending:
            return
        if engine is None:
            from ..engine import get_engine

            engine = get_engine(options)
        t0 = time.perf_counter()
        run.bar.start_clock()  # the engine is loaded: its loading is no article's time
        results = analyse_batch(engine, [engine_item(p.raw) for p in pending], batch_size)
        run.summary.engine_seconds += time.perf_counter() - t0
        run.write(pending, results)
        pending.clear()

    try:
        for item in read_inputs(paths, outlet):
            p = run.admit(item)
            if p is None:
                continue
            pending.append(p)
            if len(pending) >= batch_size:
                flush()
        flush()
        run.finish()
    finally:
        run.close()
    return run.summary


def engine_item(raw: RawArticle) -> tuple:
    """What the engine is given for an article: ``(id, text)``, with its blocks when known."""
    if raw.blocks is not None:
        return engine_id(raw), raw.text, raw.blocks
    return engine_id(raw), raw.text


def engine_id(raw: RawArticle) -> str:
    """The id the engine is given for an article (its id, URL or origin)."""
    m = raw.meta
    return m.ext_id or m.url or m.origin or "doc"


def _engine_name() -> str:
    from .. import settings
    from ..version import __version__

    return f"saidwho {__version__}; {settings.model_name()}"[:64]
