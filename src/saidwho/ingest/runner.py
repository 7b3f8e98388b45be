"""The ingest run: read inputs, skip what is stored, analyse in batches, store one by one.

Each article is committed in its own transaction with its attributions, so a run killed at
any moment leaves a consistent database; running the same command again skips what is
already stored (by identity and content hash) and goes on with the rest.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError
from ..types import Article, text_sha256
from . import Problem, RawArticle
from .html import read_html_file
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
    failed: list[tuple[str, str]] = field(default_factory=list)
    n_failed: int = 0
    notes: int = 0
    seconds: float = 0.0
    engine_seconds: float = 0.0
    store_seconds: float = 0.0
    speakers_consolidated: int = 0

    @property
    def store_share(self) -> float:
        return self.store_seconds / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "stored": self.stored,
            "updated": self.updated,
            "duplicates": self.duplicates,
            "failed": self.n_failed,
            "failures": [{"where": w, "reason": r} for w, r in self.failed],
            "notes": self.notes,
            "seconds": round(self.seconds, 3),
            "engine_seconds": round(self.engine_seconds, 3),
            "store_seconds": round(self.store_seconds, 3),
            "store_share": round(self.store_share, 4),
        }

    def line(self) -> str:
        parts = [
            f"read {self.read}",
            f"stored {self.stored}",
            *([f"re-analysed {self.updated}"] if self.updated else []),
            f"skipped {self.duplicates} as duplicates",
            f"failed {self.n_failed}",
        ]
        if self.notes:
            parts.append(f"{self.notes} non-article records skipped")
        rate = (self.stored + self.updated) / self.seconds if self.seconds else 0.0
        timing = f"in {self.seconds:.1f} s"
        if self.stored + self.updated:
            timing += f" ({rate:.1f} articles/s; store {self.store_share:.1%} of the time)"
        return "; ".join(parts) + " " + timing


def read_inputs(paths: Iterable[str], outlet: str | None = None) -> Iterator[RawArticle | Problem]:
    """Every article (or problem) in the inputs, in order."""
    from .text import read_text

    for item in expand(paths):
        if isinstance(item, Problem):
            yield item
            continue
        path, fmt = item
        if fmt == "jsonl":
            yield from read_jsonl(path, outlet)
        elif fmt == "warc":
            yield from read_warc(path, outlet)
        else:
            try:
                if fmt == "html":
                    text, meta = read_html_file(path, outlet)
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
                yield Problem(path, msg)
                continue
            yield RawArticle(text, meta)


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
    has lasted :data:`LONG_RUN_DELAY` seconds (then with a slow refresh, for logs)."""

    def __init__(self, enabled: bool | None, total: Callable[[], int | None]) -> None:
        self.tty = sys.stderr.isatty()
        self.enabled = enabled
        self.total = total
        self.done = 0
        self.t0 = time.monotonic()
        self.bar = None
        if enabled or (enabled is None and self.tty):
            self._start()

    def _start(self) -> None:
        from tqdm import tqdm

        self.bar = tqdm(
            total=self.total(),
            initial=self.done,
            unit=" articles",
            file=sys.stderr,
            dynamic_ncols=True,
            mininterval=0.2 if (self.tty or self.enabled) else 30.0,
            smoothing=0.1,
            leave=True,
        )

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


def ingest(
    store,
    paths: Iterable[str],
    engine=None,
    reanalyse: bool = False,
    outlet: str | None = None,
    progress: bool | None = None,
    batch_size: int = 16,
    report: Callable[[str], None] | None = None,
) -> IngestSummary:
    """Read, analyse and store; returns the run's summary.

    ``engine`` is anything with ``pipe(pairs)`` and ``analyze(text, id)`` (default: the shared
    spaCy engine, loaded only if something needs analysing). ``progress``: True forces the bar,
    False hides it, None shows it on a terminal or, without one, on long runs. ``report``
    receives each problem as a line (default: stderr, above the bar).
    """
    from ..engine import check_text

    paths = list(paths)
    summary = IngestSummary()
    t_start = time.perf_counter()
    bar = _Progress(progress, lambda: count_inputs(paths))
    say = report or bar.write
    engine_name = _engine_name()
    seen: set[str] = set()
    pending: list[tuple[RawArticle, str, int | None]] = []

    def fail(where: str, reason: str) -> None:
        summary.n_failed += 1
        if len(summary.failed) < KEEP_FAILURES:
            summary.failed.append((where, reason))
        say(f"saidwho: skipped {where}: {reason}")
        bar.update()

    def flush() -> None:
        nonlocal engine
        if not pending:
            return
        if engine is None:
            from ..engine import get_engine

            engine = get_engine()
        t0 = time.perf_counter()
        results: list[Article | Exception]
        try:
            results = list(engine.pipe([(_engine_id(r), r.text) for r, _, _ in pending], batch_size=batch_size))
        except Exception:  # one bad text must not sink the batch: redo one by one
            results = []
            for r, _, _ in pending:
                try:
                    results.append(engine.analyze(r.text, id=_engine_id(r)))
                except Exception as exc:  # noqa: BLE001 - reported per article
                    results.append(exc)
        summary.engine_seconds += time.perf_counter() - t0
        for (raw, key, replace), res in zip(pending, results):
            if isinstance(res, Exception):
                fail(raw.origin, f"analysis failed: {str(res).splitlines()[0] if str(res) else type(res).__name__}")
                continue
            t1 = time.perf_counter()
            store.save_article(res, raw.meta, replace=replace, engine_name=engine_name)
            summary.store_seconds += time.perf_counter() - t1
            if replace is None:
                summary.stored += 1
            else:
                summary.updated += 1
            bar.update()
        pending.clear()

    try:
        for item in read_inputs(paths, outlet):
            if isinstance(item, Problem):
                if item.note:
                    summary.notes += 1
                else:
                    summary.read += 1
                    fail(item.origin, item.reason)
                continue
            summary.read += 1
            try:
                check_text(item.text)
            except InputError as exc:
                fail(item.origin, str(exc))
                continue
            sha = text_sha256(item.text)
            key = item.meta.key(sha)
            if key in seen:
                summary.duplicates += 1
                bar.update()
                continue
            seen.add(key)
            t1 = time.perf_counter()
            found = store.lookup(key)
            summary.store_seconds += time.perf_counter() - t1
            if found is not None and found[1] == sha and not reanalyse:
                summary.duplicates += 1
                bar.update()
                continue
            pending.append((item, key, found[0] if found else None))
            if len(pending) >= batch_size:
                flush()
        flush()
        if summary.stored or summary.updated:
            t1 = time.perf_counter()
            summary.speakers_consolidated = store.consolidate_speakers()
            summary.store_seconds += time.perf_counter() - t1
    finally:
        bar.close()
        summary.seconds = time.perf_counter() - t_start
    return summary


def _engine_id(raw: RawArticle) -> str:
    m = raw.meta
    return m.ext_id or m.url or m.origin or "doc"


def _engine_name() -> str:
    from .. import __version__, settings

    return f"saidwho {__version__}; {settings.model_name()}"[:64]
