"""What runs in a worker process: load the engine once, analyse partitions with it.

The engine is named by an :class:`EngineSpec` (``"module:callable"`` and keyword arguments),
so that it can be sent to a process or a Dask worker and built there; each process keeps the
engines it built (:func:`engine_for`), so the spaCy pipeline is loaded once per worker and
reused by every partition it runs. A partition is analysed with
:func:`saidwho.ingest.runner.analyse_batch` (``nlp.pipe`` batching, one by one if a batch
fails), the same function the single-process ingest runs.
"""

from __future__ import annotations

import importlib
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from ..types import Article


@dataclass(frozen=True)
class EngineSpec:
    """How to build the engine in a worker: ``factory(**kwargs)``, ``factory`` as
    ``"package.module:name"`` (importable where the workers run)."""

    factory: str = "saidwho.engine:Engine"
    kwargs: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def spacy(cls, model: str | None = None, options: Any = None) -> "EngineSpec":
        """saidwho's engine built from ``options`` (an :class:`~saidwho.options.EngineOptions`;
        default: the environment's, ``$SAIDWHO_MODEL`` and ``$SAIDWHO_RECALL`` as seen by the
        process that starts the run, so every worker builds the same engine); ``model`` names
        another model. The options travel to the workers in the spec (they pickle)."""
        from ..options import EngineOptions

        if options is None:
            options = EngineOptions.from_env(model=model)
        elif model:
            options = options.replace(model=model)
        return cls("saidwho.engine:Engine", (("options", options),))

    @classmethod
    def of(cls, factory: str, **kwargs: Any) -> "EngineSpec":
        return cls(factory, tuple(sorted(kwargs.items())))

    def build(self):
        module, _, name = self.factory.partition(":")
        obj: Any = importlib.import_module(module)
        for part in name.split("."):
            obj = getattr(obj, part)
        return obj(**dict(self.kwargs))

    def __str__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.kwargs)
        return f"{self.factory}({args})"


@dataclass
class PartitionResult:
    """What a worker sends back: per article an :class:`Article` or the reason it failed."""

    results: list[Article | str]
    engine_seconds: float
    pid: int
    extra: dict[str, Any] = field(default_factory=dict)


_engines: dict[EngineSpec, tuple[Any, threading.Lock]] = {}
_build_lock = threading.Lock()


def engine_for(spec: EngineSpec) -> tuple[Any, threading.Lock]:
    """This process's engine for ``spec`` (built on first use), with a lock: a worker running
    several threads uses its one pipeline one batch at a time."""
    got = _engines.get(spec)
    if got is None:
        with _build_lock:
            got = _engines.get(spec)
            if got is None:
                got = (spec.build(), threading.Lock())
                _engines[spec] = got
    return got


def preload(spec: EngineSpec) -> dict[str, Any]:
    """Build the engine now (a run's first step on every worker): any error is raised here,
    before work is sent. Returns what the run reports about the worker."""
    from ..version import __version__

    t0 = time.perf_counter()
    engine_for(spec)
    return {"pid": os.getpid(), "saidwho": __version__, "load_seconds": round(time.perf_counter() - t0, 3)}


def analyse_partition(engine, pairs: list[tuple[str, str]], batch_size: int) -> PartitionResult:
    from ..ingest.runner import analyse_batch

    t0 = time.perf_counter()
    out = analyse_batch(engine, pairs, batch_size)
    results: list[Article | str] = [r if isinstance(r, Article) else _reason(r) for r in out]
    return PartitionResult(results, time.perf_counter() - t0, os.getpid())


def run_partition(spec: EngineSpec, pairs: list[tuple[str, str]], batch_size: int = 16) -> PartitionResult:
    """The task a Dask worker runs: analyse ``(id, text)`` pairs with this worker's engine."""
    engine, lock = engine_for(spec)
    with lock:
        return analyse_partition(engine, pairs, batch_size)


def _reason(exc: BaseException) -> str:
    msg = str(exc).strip()
    return msg.splitlines()[0] if msg else type(exc).__name__


def one_line(exc: BaseException) -> str:
    """An exception as one line, with its type when the message alone says little."""
    msg = _reason(exc)
    name = type(exc).__name__
    if msg == name or isinstance(exc, (ImportError, AttributeError, TypeError, ValueError)):
        return msg if msg == name else f"{name}: {msg}"
    return msg
