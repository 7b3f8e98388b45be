"""``--scheduler tcp://HOST:PORT``: the same partitions on a Dask cluster (``dask.distributed``).

The process that runs ``saidwho ingest`` is the Dask client and the only writer of the store;
the workers only analyse. Before any work is sent, every worker builds the engine
(:func:`saidwho.batch.work.preload`), so a worker that cannot load the model is reported by
address at once. Each partition is one task (a unique key per try); when a worker dies
mid-partition, the scheduler runs the task again on another worker; a task that keeps
killing its workers ends as ``KilledWorker`` (after ``distributed.scheduler.allowed-failures``
+ 1 deaths: :data:`SCHEDULER_CONFIG` sets that to two, so three tries) and is reported by the
driver, which also sends again a partition whose task raised, up to three tries.

Start a cluster (docs/scale.md)::

    DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES=2 \
    DASK_DISTRIBUTED__SCHEDULER__WORKER_SATURATION=1.0 dask scheduler --port 8786
    dask worker tcp://SCHEDULER:8786 --nworkers 8 --nthreads 1   # each worker machine
"""

from __future__ import annotations

import asyncio
import gc
import logging
import socket
import sys
import time
import uuid
from typing import Any
from urllib.parse import urlsplit

from ..errors import ModelError, SaidwhoError
from .driver import MAX_ATTEMPTS, Outcome, Partition
from .work import EngineSpec, one_line, preload, run_partition

#: Seconds to wait for the scheduler to answer, and for a first worker to join it.
CONNECT_TIMEOUT = 10.0
WORKERS_TIMEOUT = 60.0


class SchedulerError(SaidwhoError):
    """The Dask scheduler cannot be reached, or has no usable workers."""


def parse_address(address: str) -> tuple[str, str, int]:
    """``tcp://HOST:PORT`` (``HOST:PORT`` too) as (address, host, port); a one-line error else."""
    a = (address or "").strip()
    if not a:
        raise SchedulerError("--scheduler needs an address: tcp://HOST:PORT")
    if "://" not in a:
        a = "tcp://" + a
    parts = urlsplit(a)
    if parts.scheme != "tcp":
        raise SchedulerError(f"unsupported scheduler address {address!r}: give tcp://HOST:PORT")
    try:
        port = parts.port
    except ValueError:
        port = None
    if not parts.hostname or port is None or parts.path not in ("", "/"):
        raise SchedulerError(f"malformed scheduler address {address!r}: give tcp://HOST:PORT (e.g. tcp://10.0.0.5:8786)")
    return f"tcp://{parts.netloc}", parts.hostname, port


def connect(address: str, timeout: float | None = None):
    """A ``distributed.Client`` for the scheduler at ``address``, or one clear line why not."""
    timeout = CONNECT_TIMEOUT if timeout is None else timeout
    addr, host, port = parse_address(address)
    try:  # a plain connection first: a refused or unknown address fails fast, without Dask's retries
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except socket.gaierror as exc:
        raise SchedulerError(f"cannot reach the Dask scheduler at {addr}: unknown host {host!r} ({exc.strerror})") from None
    except OSError as exc:
        why = exc.strerror or str(exc) or type(exc).__name__
        if isinstance(exc, TimeoutError) or "timed out" in why:
            why = f"no answer within {timeout:g} s"
        raise SchedulerError(f"cannot reach the Dask scheduler at {addr}: {why.lower()}") from None
    try:
        who = asyncio.run(_identity(addr, timeout))
    except BaseException as exc:  # noqa: BLE001 - garbage, a reset, a timeout: not a scheduler
        who = exc
    if not isinstance(who, dict) or who.get("type") != "Scheduler":
        what = f" ({one_line(who)})" if isinstance(who, OSError) else ""
        raise SchedulerError(f"{addr} answers, but not as a Dask scheduler{what}: is `dask scheduler` running there?")
    from distributed import Client

    err = ""
    with _quiet():
        try:
            return Client(addr, timeout=timeout, set_as_default=False)
        except Exception as exc:  # noqa: BLE001
            err = one_line(exc)
        gc.collect()  # the half-made Client goes now, its noise muted
    raise SchedulerError(f"cannot connect to the Dask scheduler at {addr}: {err}")


async def _identity(addr: str, timeout: float) -> Any:
    """The scheduler's answer to an ``identity`` request (a dict with ``type: Scheduler``)."""
    from distributed.comm import connect as dask_connect

    comm = await dask_connect(addr, timeout=timeout)
    try:
        await comm.write({"op": "identity", "reply": True})
        return await asyncio.wait_for(comm.read(), timeout)
    finally:
        comm.abort()


class _quiet:
    """Mute distributed's log lines and the 'Exception ignored' noise of a half-made Client.

    Also held for a whole ``--scheduler`` run (:func:`quiet`): a lost scheduler makes the
    client log some thirty lines of reconnection tracebacks before saidwho says, in one line,
    what happened; every event a user needs is reported by saidwho itself."""

    def __enter__(self):
        self.hook = sys.unraisablehook
        sys.unraisablehook = lambda unraisable: None
        self.levels = {}
        for name in ("distributed", "distributed.client", "distributed.core", "distributed.comm"):
            lg = logging.getLogger(name)
            self.levels[name] = lg.level
            lg.setLevel(logging.CRITICAL)
        return self

    def __exit__(self, *exc: Any) -> None:
        sys.unraisablehook = self.hook
        for name, level in self.levels.items():
            logging.getLogger(name).setLevel(level)


def quiet() -> _quiet:
    """A context in which ``distributed`` logs nothing below CRITICAL (see :class:`_quiet`)."""
    return _quiet()


#: Scheduler settings for saidwho's runs (``local_cluster`` sets them; for ``dask scheduler``
#: give them as environment variables, docs/scale.md): a task that killed three workers is
#: given up on; a worker gets a task only when a thread is free, so that when a partition kills
#: its worker, no other partition waiting on that worker is blamed for it.
SCHEDULER_CONFIG = {
    "distributed.scheduler.allowed-failures": MAX_ATTEMPTS - 1,
    "distributed.scheduler.worker-saturation": 1.0,
}


def local_cluster(n_workers: int = 2, threads_per_worker: int = 1, **kwargs: Any):
    """A ``LocalCluster`` of worker processes with :data:`SCHEDULER_CONFIG` (tests,
    benchmarks, one-machine runs)."""
    import dask
    from distributed import LocalCluster

    opts = dict(n_workers=n_workers, threads_per_worker=threads_per_worker, processes=True,
                dashboard_address=None, silence_logs=logging.ERROR)
    opts.update(kwargs)
    with dask.config.set(SCHEDULER_CONFIG):
        return LocalCluster(**opts)


class DaskBackend:
    """Partitions as tasks on a Dask cluster (the :class:`~saidwho.batch.driver.Backend` of ``--scheduler``)."""

    def __init__(self, client, engine: EngineSpec | None = None, batch_size: int = 16,
                 workers_timeout: float | None = None) -> None:
        from distributed import as_completed

        self.client = client
        self.spec = engine or EngineSpec.spacy()
        self.batch_size = batch_size
        self.address = getattr(client.scheduler, "address", "?")
        self.run_id = uuid.uuid4().hex[:8]
        self.futures: dict[Any, Partition] = {}
        self.ac = as_completed([], loop=client.loop)
        self._checked = 0.0
        self._no_workers_since: float | None = None
        self.workers = self._preload(WORKERS_TIMEOUT if workers_timeout is None else workers_timeout)
        self.slots = max(1, sum(client.nthreads().values()))
        n = len(self.workers)
        self.label = f"{n} Dask worker{'s' if n != 1 else ''} ({self.slots} threads) at {self.address}"

    def _preload(self, timeout: float) -> dict[str, Any]:
        """Build the engine on every worker now: a worker that cannot is named before any work."""
        c = self.client
        if not c.scheduler_info().get("workers"):
            try:
                c.wait_for_workers(1, timeout=timeout)
            except Exception:  # noqa: BLE001 - dask's TimeoutError
                raise SchedulerError(
                    f"the Dask scheduler at {self.address} has no workers (waited {timeout:g} s): start some with "
                    f"`dask worker {self.address} --nthreads 1`"
                ) from None
        got = c.run(preload, self.spec, on_error="return")
        bad = {addr: r for addr, r in got.items() if isinstance(r, BaseException)}
        if bad:
            addr, exc = sorted(bad.items())[0]
            more = f" (and {len(bad) - 1} more of {len(got)} workers)" if len(bad) > 1 else ""
            what = "cannot load the model" if isinstance(exc, ModelError) else "cannot build the engine"
            if isinstance(exc, ImportError):
                what = "cannot import the engine (is saidwho installed there, same version?)"
            cls = ModelError if isinstance(exc, ModelError) else SchedulerError
            raise cls(f"Dask worker {addr} {what}: {one_line(exc)}{more}")
        from ..version import __version__

        other = sorted({r["saidwho"] for r in got.values()} - {__version__})
        if other:
            print(f"saidwho: warning: Dask workers run saidwho {', '.join(other)}, this is {__version__}",
                  file=sys.stderr)
        return got

    def pids(self) -> dict[str, int]:
        import os

        return self.client.run(os.getpid)

    def submit(self, part: Partition) -> None:
        f = self.client.submit(
            run_partition, self.spec, part.pairs(), self.batch_size,
            key=f"saidwho-{self.run_id}-p{part.seq}-t{part.attempts}", pure=False,
        )
        self.futures[f] = part
        self.ac.add(f)

    def wait(self, timeout: float) -> list[tuple[Partition, Outcome]]:
        from distributed import KilledWorker

        self._check_workers()
        deadline = time.monotonic() + timeout
        while not self.ac.has_ready() and time.monotonic() < deadline:
            with self.ac.thread_condition:
                self.ac.thread_condition.wait(0.05)
        events: list[tuple[Partition, Outcome]] = []
        for f in self.ac.next_batch(block=False):
            part = self.futures.pop(f, None)
            if part is None:
                continue
            if f.status == "finished":
                try:
                    events.append((part, Outcome(result=f.result())))
                except Exception as exc:  # noqa: BLE001 - lost while fetching
                    events.append((part, Outcome(reason=f"its result was lost: {one_line(exc)}")))
            elif f.status == "error":
                exc = f.exception()
                if isinstance(exc, KilledWorker):
                    events.append((part, Outcome(reason="the workers running it died each time (killed, out of "
                                                        "memory or crashed)", final=True)))
                elif isinstance(exc, ModelError):
                    events.append((part, Outcome(reason=f"a worker cannot load the model: {one_line(exc)}")))
                else:
                    events.append((part, Outcome(reason=one_line(exc))))
            else:
                if self.client.status != "running":
                    raise SchedulerError(f"lost the Dask scheduler at {self.address}; what is stored stays stored: "
                                         "run the same command again to go on")
                events.append((part, Outcome(reason=f"task {f.status}")))
            f.release()
        return events

    def _check_workers(self) -> None:
        """A cluster left without workers for :data:`WORKERS_TIMEOUT` s ends the run (clearly)."""
        now = time.monotonic()
        if now - self._checked < 5.0:
            return
        self._checked = now
        try:
            n = len(self.client.scheduler_info().get("workers", {}))
        except Exception:  # noqa: BLE001 - the scheduler is gone: the futures say so
            n = 1
        if n:
            self._no_workers_since = None
        elif self._no_workers_since is None:
            self._no_workers_since = now
        elif now - self._no_workers_since > WORKERS_TIMEOUT:
            raise SchedulerError(f"the Dask cluster at {self.address} has had no workers for {WORKERS_TIMEOUT:g} s; "
                                 "what is stored stays stored: run the same command again to go on")

    def close(self) -> None:
        for f in list(self.futures):
            try:
                f.cancel()
            except Exception:  # noqa: BLE001
                pass
        self.futures.clear()

