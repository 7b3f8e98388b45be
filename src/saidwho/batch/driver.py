"""The partitioned ingest: read and admit here, analyse in workers, write here, in order.

The process that runs the driver is the only one that touches the store. It reads the inputs
as a stream, admits each article as the single-process ingest does
(:meth:`saidwho.ingest.runner.IngestRun.admit`: problems reported, duplicates and articles
stored with the same text skipped, so a restarted run sends only what is missing), and groups
the admitted ones into partitions: consecutive articles of one JSON Lines or WARC file, or
several single-article files (text, HTML). A bounded number of partitions is in flight at a
time (twice the workers' slots), so memory does not grow with the input.

Results are written in input order (partitions that finish early wait for the earlier ones),
so the corpus is the one a single-process run builds, speaker resolution included; the new
articles of a partition are written in one transaction. A partition whose worker dies or
fails is sent again; after :data:`MAX_ATTEMPTS` failures it is reported by name, its articles
are counted as failed (its input files listed for a retry), and the run goes on.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from ..ingest import Problem, RawArticle
from ..ingest.runner import IngestRun, IngestSummary, Pending, count_inputs, engine_item, read_inputs_by_file
from .work import PartitionResult

#: Tries per partition (a worker dying with it counts as a try).
MAX_ATTEMPTS = 3
#: Articles per partition, by default.
PARTITION_SIZE = 32


@dataclass
class Partition:
    """Admitted articles sent to a worker together."""

    seq: int
    items: list[Pending]
    files: list[str]
    single: bool  # a group of single-article files (text, HTML)
    attempts: int = 0
    name: str = ""

    def pairs(self) -> list[tuple]:
        """``(id, text)`` per article, or ``(id, text, blocks)`` where its markup gave blocks."""
        return [engine_item(p.raw) for p in self.items]

    def __len__(self) -> int:
        return len(self.items)


@dataclass
class Outcome:
    """A partition's try: its result, or why it failed (``final``: no point in trying again)."""

    result: PartitionResult | None = None
    reason: str = ""
    final: bool = False


class Backend(Protocol):
    """Runs partitions somewhere: local processes (:mod:`.local`) or a Dask cluster (:mod:`.cluster`)."""

    #: partitions it runs at once
    slots: int
    #: how its workers are named in the summary ("2 local workers")
    label: str

    def submit(self, part: Partition) -> None: ...

    def wait(self, timeout: float) -> list[tuple[Partition, Outcome]]: ...

    def close(self) -> None: ...


def partition_name(files: list[str], items: list[Pending], single: bool) -> str:
    """``feed.jsonl:1-64``, ``crawl.warc.gz#3-40``, ``news/a.txt``, ``news/a.txt .. news/k.txt (12 files)``."""
    first, last = items[0].raw.origin, items[-1].raw.origin
    if single:
        if len(files) == 1:
            return files[0]
        return f"{files[0]} .. {files[-1]} ({len(files)} files)"
    path = files[0]

    def pos(origin: str) -> str:
        rest = origin[len(path):] if origin.startswith(path) else origin
        return rest.split(" ", 1)[0]

    a, b = pos(first), pos(last)
    if a == b:
        return path + a
    if a[:1] == b[:1] and a[:1] in (":", "#"):
        return f"{path}{a}-{b[1:]}"
    return f"{path}{a}..{b}"


def partitions(run: IngestRun, paths: Iterable[str], outlet: str | None, size: int) -> Iterator[Partition]:
    """The admitted articles of the inputs, in partitions of at most ``size``, streamed."""
    seq = 0
    items: list[Pending] = []
    files: list[str] = []
    single = False

    def cut() -> Partition:
        nonlocal seq, items, files
        part = Partition(seq, items, files, single)
        part.name = partition_name(files, items, single)
        seq += 1
        items, files = [], []
        return part

    for path, item in read_inputs_by_file(paths, outlet):
        p = run.admit(item)
        if p is None:
            continue
        is_single = isinstance(item, RawArticle) and item.origin == path
        if items and (len(items) >= size or is_single != single or (not single and path != files[-1])):
            yield cut()
        if not items:
            single = is_single
        items.append(p)
        if not files or files[-1] != path:
            files.append(path)
    if items:
        yield cut()


@dataclass
class FailedPartition:
    name: str
    reason: str
    attempts: int
    files: list[str]
    origins: list[str] = field(default_factory=list)


def run_partitions(
    store,
    paths: Iterable[str],
    backend: Backend,
    *,
    reanalyse: bool = False,
    outlet: str | None = None,
    progress: bool | None = None,
    partition_size: int = PARTITION_SIZE,
    window: int | None = None,
    report: Callable[[str], None] | None = None,
    failed_list: str | None = None,
    quiet: bool = False,
) -> IngestSummary:
    """Ingest ``paths`` with ``backend`` doing the analysis; returns the run's summary.

    ``window``: partitions in flight at most (default: twice the backend's slots).
    ``failed_list``: a file to write the input files of failed partitions to, one a line
    (written only when a partition failed). ``quiet``: no bar and no notes (see :class:`IngestRun`).
    """
    paths = list(paths)
    run = IngestRun(store, reanalyse=reanalyse, progress=progress, report=report, total=lambda: count_inputs(paths),
                    quiet=quiet)
    s = run.summary
    s.workers = backend.label
    window = max(1, window or 2 * max(1, backend.slots))
    buffer_max = 4 * window  # finished partitions waiting for an earlier one to be written
    source = partitions(run, paths, outlet, max(1, partition_size))
    in_flight: dict[int, Partition] = {}
    ready: dict[int, PartitionResult | FailedPartition] = {}
    parts: dict[int, Partition] = {}
    next_write = 0
    exhausted = False
    try:
        while True:
            while not exhausted and len(in_flight) < window and len(ready) < buffer_max:
                part = next(source, None)
                if part is None:
                    exhausted = True
                    break
                s.partitions += 1
                part.attempts = 1
                parts[part.seq] = part
                in_flight[part.seq] = part
                backend.submit(part)
            if not in_flight and not ready:
                break
            if in_flight:
                for part, out in backend.wait(timeout=1.0):
                    if in_flight.get(part.seq) is not part:
                        continue  # a late answer for a partition already settled
                    if out.result is not None:
                        del in_flight[part.seq]
                        ready[part.seq] = out.result
                    elif out.final or part.attempts >= MAX_ATTEMPTS:
                        del in_flight[part.seq]
                        tries = max(part.attempts, MAX_ATTEMPTS) if out.final else part.attempts
                        ready[part.seq] = FailedPartition(part.name, out.reason, tries, part.files)
                    else:
                        s.retried += 1
                        run.say(f"saidwho: partition {part.name} ({len(part)} articles) failed "
                                f"(try {part.attempts} of {MAX_ATTEMPTS}): {out.reason}; sending it again")
                        part.attempts += 1
                        backend.submit(part)
            while next_write in ready:
                done = ready.pop(next_write)
                part = parts.pop(next_write)
                next_write += 1
                if isinstance(done, FailedPartition):
                    _give_up(run, part, done)
                else:
                    s.engine_seconds += done.engine_seconds
                    run.write(part.items, done.results, together=True)
        run.finish()
    finally:
        backend.close()
        run.close()
    if s.failed_partitions and failed_list:
        _write_failed_list(failed_list, s.failed_partitions)
        s.failed_list = failed_list
    return s


def _give_up(run: IngestRun, part: Partition, failed: FailedPartition) -> None:
    s = run.summary
    failed.origins = [p.raw.origin for p in part.items]
    s.failed_partitions.append(failed)
    run.say(f"saidwho: partition {part.name} ({len(part)} articles) failed {failed.attempts} times: "
            f"{failed.reason}; its articles are not stored")
    for p in part.items:
        run.fail(p.raw.origin, f"partition {part.name} failed {failed.attempts} times: {failed.reason}", quiet=True)


def _write_failed_list(path: str, failed: list[FailedPartition]) -> None:
    seen: dict[str, None] = {}
    for f in failed:
        for name in f.files:
            seen.setdefault(name, None)
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for name in seen:
            fh.write(name + "\n")


__all__ = ["MAX_ATTEMPTS", "PARTITION_SIZE", "Backend", "FailedPartition", "Outcome", "Partition", "Problem",
           "partition_name", "partitions", "run_partitions"]
