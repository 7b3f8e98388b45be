"""Stand-in engines for the batch tests, importable in worker processes (this folder is on
``sys.path``, which spawned workers inherit)."""

from __future__ import annotations

import os

from saidwho.store.synth import FakeEngine

#: A text holding this makes the worker process exit at once (a crash, an OOM kill...).
KILL_MARKER = "KILL-THE-WORKER"


class LoggingEngine(FakeEngine):
    """:class:`FakeEngine` that appends ``pid id`` to ``log`` for every article it analyses,
    and kills its own process on :data:`KILL_MARKER`. The first time it meets the article
    ``hold``, it stops there (for a test to kill it in the middle of a partition)."""

    def __init__(self, log: str, delay: float = 0.0, hold: str | None = None) -> None:
        super().__init__(delay=delay)
        self.log = log
        self.hold = hold

    def analyze(self, text: str, id: str = "doc"):
        import time

        if KILL_MARKER in text:
            os._exit(3)
        art = super().analyze(text, id=id)
        with open(self.log, "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()} {id}\n")
        if id == self.hold:
            try:
                os.close(os.open(self.log + ".held", os.O_CREAT | os.O_EXCL))
            except FileExistsError:
                return art  # held once already: this is the partition run again
            time.sleep(60)
        return art


def read_log(path) -> list[tuple[int, str]]:
    try:
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
    except FileNotFoundError:
        return []
    out = []
    for line in lines:
        pid, _, id_ = line.partition(" ")
        if pid.isdigit() and id_:
            out.append((int(pid), id_))
    return out


def assert_partition_redone(log, victim: int, n: int, hold: str = "k70") -> None:
    """The killed worker had taken ``hold``'s partition, another worker did it again, and
    between them every one of the ``n`` records was analysed."""
    done = read_log(log)
    by_victim = {i for p, i in done if p == victim}
    by_others = {i for p, i in done if p != victim}
    assert hold in by_victim & by_others, "the killed worker's partition was not redone"
    assert by_victim | by_others == {f"k{i}" for i in range(n)}


def feed_records(n: int, prefix: str = "k", poison: set[int] = frozenset()) -> list[dict]:
    """``n`` JSON Lines records, each quoting two speakers (two attributions); those numbered
    in ``poison`` kill the worker that analyses them."""
    out = []
    for i in range(n):
        text = (f"\u201cPoint {i} matters,\u201d Speaker{i % 13} Person said. "
                f"Jane Smith said that item {i} counts.")
        if i in poison:
            text += f" {KILL_MARKER}."
        out.append({"id": f"{prefix}{i}", "outlet": "Globe", "published": "2024-01-%02d" % (1 + i % 28), "text": text})
    return out


def killer(log, hold: str, timeout: float = 60.0):
    """A thread that SIGKILLs the worker that logged article ``hold`` (and stopped there, in
    the middle of its partition); ``.victim`` is its pid."""
    import signal
    import threading
    import time

    class Killer(threading.Thread):
        victim: int | None = None

        def run(self) -> None:
            deadline = time.time() + timeout
            while time.time() < deadline:
                held = [pid for pid, i in read_log(log) if i == hold]
                if held:
                    self.victim = held[0]
                    os.kill(self.victim, signal.SIGKILL)
                    return
                time.sleep(0.01)

    t = Killer(daemon=True)
    t.start()
    return t
