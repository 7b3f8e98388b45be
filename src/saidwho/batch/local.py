"""``--workers N``: the engine in N local worker processes.

Each worker is a process of its own (forked from a clean ``forkserver``, or spawned: nothing
inherited from the parent's database connections or threads) that builds the engine once, says it is ready, then
analyses the partitions it is handed, one at a time, over a pipe. The parent always knows
which partition each worker holds: when a worker dies (killed, out of memory, a crash in a
native library), its partition goes back to the driver as a failed try, to be sent again,
and a new worker takes the dead one's place. A worker whose parent is gone stops by itself
(its pipe closes).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import time
from collections import deque
from multiprocessing.connection import Connection, wait
from typing import Any

from ..errors import ModelError, SaidwhoError
from .driver import Outcome, Partition
from .work import EngineSpec, analyse_partition, one_line

#: Seconds a worker may take to start and build its engine.
START_TIMEOUT = 600.0


class WorkerStartError(SaidwhoError):
    """Worker processes cannot start or cannot build the engine."""


def _worker_main(conn: Connection, spec: EngineSpec, batch_size: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    t0 = time.perf_counter()
    try:
        engine = spec.build()
    except BaseException as exc:  # noqa: BLE001 - reported to the parent as one line
        try:
            conn.send(("error", os.getpid(), one_line(exc), isinstance(exc, ModelError)))
        finally:
            return
    conn.send(("ready", os.getpid(), time.perf_counter() - t0))
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return  # the parent is gone
        if msg is None:
            return
        seq, pairs = msg
        try:
            out: Any = ("done", seq, analyse_partition(engine, pairs, batch_size))
        except Exception as exc:  # noqa: BLE001 - the partition fails, the worker goes on
            out = ("failed", seq, one_line(exc))
        try:
            conn.send(out)
        except (EOFError, OSError, BrokenPipeError):
            return
        except Exception as exc:  # noqa: BLE001 - a result that cannot be sent
            conn.send(("failed", seq, f"cannot send the result back: {one_line(exc)}"))


class _Worker:
    def __init__(self, proc: mp.process.BaseProcess, conn: Connection, number: int) -> None:
        self.proc = proc
        self.conn = conn
        self.number = number
        self.ready = False
        self.busy: Partition | None = None
        self.started = time.monotonic()


class LocalPool:
    """N worker processes on this machine (the :class:`~saidwho.batch.driver.Backend` of ``--workers``)."""

    def __init__(self, n: int, engine: EngineSpec | None = None, batch_size: int = 16,
                 start_method: str | None = None) -> None:
        if n < 1:
            raise ValueError("at least one worker")
        self.n = n
        self.spec = engine or EngineSpec.spacy()
        self.batch_size = batch_size
        self.ctx = _context(start_method)
        self.workers: list[_Worker] = []
        self.queue: deque[Partition] = deque()
        self.slots = n
        self.label = f"{n} local worker{'s' if n != 1 else ''}"
        self.started = 0
        self.deaths = 0
        self._startup_failures = 0
        self._waited = False
        try:
            for _ in range(n):
                self._spawn()  # they build their engines while the driver reads the inputs
        except BaseException:
            self.close()
            raise

    # -- processes ------------------------------------------------------------------------

    def _spawn(self) -> _Worker:
        parent, child = self.ctx.Pipe(duplex=True)
        self.started += 1
        proc = self.ctx.Process(target=_worker_main, args=(child, self.spec, self.batch_size),
                                name=f"saidwho-worker-{self.started}", daemon=True)
        proc.start()
        child.close()
        w = _Worker(proc, parent, self.started)
        self.workers.append(w)
        return w

    def _await_ready(self) -> None:
        """Until every worker has built its engine (a model error is raised here, before any
        work is sent)."""
        self._waited = True
        deadline = time.monotonic() + START_TIMEOUT
        while not all(w.ready for w in self.workers):
            if time.monotonic() > deadline:
                raise WorkerStartError(f"worker processes did not start within {START_TIMEOUT:.0f} s")
            for _ in self._poll(1.0):
                pass  # nothing is in flight yet

    def pids(self) -> list[int]:
        return [w.proc.pid for w in self.workers if w.proc.pid is not None]

    # -- the backend interface --------------------------------------------------------------

    def submit(self, part: Partition) -> None:
        if not self._waited:
            self._await_ready()
        self.queue.append(part)
        self._dispatch()

    def _dispatch(self) -> None:
        for w in self.workers:
            if not self.queue:
                return
            if w.ready and w.busy is None:
                part = self.queue.popleft()
                try:
                    w.conn.send((part.seq, part.pairs()))
                except (OSError, EOFError):
                    self.queue.appendleft(part)  # it died: its death is handled by _poll
                    continue
                w.busy = part

    def wait(self, timeout: float) -> list[tuple[Partition, Outcome]]:
        events = self._poll(timeout)
        self._dispatch()
        return events

    def _poll(self, timeout: float) -> list[tuple[Partition, Outcome]]:
        events: list[tuple[Partition, Outcome]] = []
        objs: list[Any] = [w.conn for w in self.workers] + [w.proc.sentinel for w in self.workers]
        wait(objs, timeout)
        for w in list(self.workers):
            try:
                while w.conn.poll():
                    self._message(w, w.conn.recv(), events)
            except (EOFError, OSError):
                pass
            if not w.proc.is_alive():
                self._died(w, events)
        return events

    def _message(self, w: _Worker, msg: tuple, events: list[tuple[Partition, Outcome]]) -> None:
        kind = msg[0]
        if kind == "ready":
            w.ready = True
            self._startup_failures = 0
        elif kind == "error":
            _, pid, reason, is_model = msg
            what = "cannot load the model" if is_model else "cannot build the engine"
            raise (ModelError if is_model else WorkerStartError)(f"worker process {pid} {what}: {reason}")
        elif kind in ("done", "failed"):
            part = w.busy
            w.busy = None
            if part is None or part.seq != msg[1]:
                return
            if kind == "done":
                events.append((part, Outcome(result=msg[2])))
            else:
                events.append((part, Outcome(reason=msg[2])))

    def _died(self, w: _Worker, events: list[tuple[Partition, Outcome]]) -> None:
        self.workers.remove(w)
        w.proc.join(0.1)
        code = w.proc.exitcode
        how = _exit_reason(code)
        try:
            w.conn.close()
        except OSError:
            pass
        self.deaths += 1
        if w.busy is not None:
            events.append((w.busy, Outcome(reason=f"worker process {w.proc.pid} died ({how})")))
            w.busy = None
        if not w.ready:
            self._startup_failures += 1
            if self._startup_failures >= 3:
                raise WorkerStartError(f"worker processes cannot start: they die while starting ({how})")
        self._spawn()

    def close(self) -> None:
        for w in self.workers:
            if not w.ready and w.proc.is_alive():
                w.proc.terminate()  # still loading its model: nothing to finish
                continue
            try:
                w.conn.send(None)
            except (OSError, EOFError, ValueError):
                pass
        deadline = time.monotonic() + 3.0
        for w in self.workers:
            w.proc.join(max(0.0, deadline - time.monotonic()))
            if w.proc.is_alive():
                w.proc.terminate()
                w.proc.join(2.0)
            if w.proc.is_alive():
                w.proc.kill()
                w.proc.join(1.0)
            try:
                w.conn.close()
            except OSError:
                pass
        self.workers.clear()


def _context(method: str | None):
    """``forkserver`` where there is one (a clean server process that has imported saidwho
    once; each worker, and each replacement of a dead one, is forked from it in milliseconds),
    else ``spawn``. Never plain ``fork``: the parent holds database connections and threads."""
    if method is None:
        method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
    ctx = mp.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload(["saidwho.batch.work"])
    return ctx


def _exit_reason(code: int | None) -> str:
    if code is None:
        return "exit status unknown"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit status {code}"
