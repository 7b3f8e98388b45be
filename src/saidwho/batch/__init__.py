"""saidwho.batch: ingest with the engine in several processes or on a Dask cluster.

    >>> from saidwho.batch import ingest_workers, ingest_dask
    >>> ingest_workers(store, ["news/"], workers=4)                      # doctest: +SKIP
    >>> ingest_dask(store, ["crawl/*.warc.gz"], "tcp://10.0.0.5:8786")   # doctest: +SKIP

The calling process reads the inputs, skips what is stored, and is the only writer of the
store; the workers run the engine on partitions of admitted articles (:mod:`.driver`).
``--workers N`` uses :class:`~.local.LocalPool`, ``--scheduler`` a Dask cluster
(:mod:`.cluster`). Both return the same :class:`~saidwho.ingest.runner.IngestSummary` as the
single-process ingest, and store the same corpus.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..ingest.runner import IngestSummary
from .driver import MAX_ATTEMPTS, PARTITION_SIZE, run_partitions
from .work import EngineSpec


def ingest_workers(store, paths: Iterable[str], workers: int = 2, engine: EngineSpec | None = None,
                   batch_size: int = 16, **kwargs: Any) -> IngestSummary:
    """Ingest with the engine in ``workers`` local processes (each builds it once).

    Other keyword arguments go to :func:`~.driver.run_partitions` (``reanalyse``, ``outlet``,
    ``progress``, ``partition_size``, ``report``, ``failed_list``...).
    """
    from .local import LocalPool

    backend = LocalPool(workers, engine, batch_size=batch_size)
    return run_partitions(store, paths, backend, **kwargs)


def ingest_dask(store, paths: Iterable[str], scheduler, engine: EngineSpec | None = None,
                batch_size: int = 16, **kwargs: Any) -> IngestSummary:
    """Ingest with the engine on a Dask cluster: ``scheduler`` is ``tcp://HOST:PORT``, a
    ``distributed.Client`` or a ``LocalCluster``."""
    from .cluster import DaskBackend, connect

    own = None
    if isinstance(scheduler, str):
        client = own = connect(scheduler)
    elif hasattr(scheduler, "submit"):
        client = scheduler
    else:  # a cluster object
        from distributed import Client

        client = own = Client(scheduler, set_as_default=False)
    try:
        backend = DaskBackend(client, engine, batch_size=batch_size)
        return run_partitions(store, paths, backend, **kwargs)
    finally:
        if own is not None:
            own.close()


__all__ = ["MAX_ATTEMPTS", "PARTITION_SIZE", "EngineSpec", "ingest_dask", "ingest_workers", "run_partitions"]
