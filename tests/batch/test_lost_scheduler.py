"""``--scheduler``: the scheduler dies in the middle of a run. One clear line and the exit
status, not Dask's reconnection tracebacks; what is stored stays stored. Real processes (a
`dask scheduler`, a `dask worker`, the `saidwho ingest` client) with the stand-in engine."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(__file__)
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "ingest"))
from batch_fakes import feed_records  # noqa: E402
from ingest_inputs import write_jsonl  # noqa: E402

CLIENT = """
import sys
from saidwho.batch import EngineSpec
from saidwho.cli import main
log = sys.argv[1]
EngineSpec.spacy = classmethod(lambda cls, model=None: EngineSpec.of("batch_fakes:LoggingEngine", log=log, delay=0.05))
sys.exit(main(sys.argv[2:]))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _lines(path) -> int:
    try:
        with open(path, encoding="utf-8") as fh:
            return sum(1 for _ in fh)
    except FileNotFoundError:
        return 0


def test_a_lost_scheduler_is_one_line(tmp_path):
    feed, log, db = tmp_path / "feed.jsonl", tmp_path / "log.txt", str(tmp_path / "c.db")
    write_jsonl(feed, feed_records(400))
    port = _free_port()
    addr = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([HERE, *sys.path])}
    procs = []
    try:
        sched = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--port", str(port), "--no-dashboard"],
                                 env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(sched)
        worker = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", addr, "--nthreads", "1", "--no-dashboard"],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(worker)
        deadline = time.time() + 60
        while time.time() < deadline:  # the scheduler listens
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        client = subprocess.Popen([sys.executable, "-c", CLIENT, str(log), "ingest", str(feed), "--db", db,
                                   "--scheduler", addr, "--partition-size", "4", "--no-progress"],
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        procs.append(client)
        deadline = time.time() + 120
        while _lines(log) < 20 and time.time() < deadline and client.poll() is None:
            time.sleep(0.1)
        assert client.poll() is None, client.communicate()[1]
        sched.send_signal(signal.SIGKILL)  # the scheduler's machine goes away
        _, err = client.communicate(timeout=120)
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    assert client.returncode == 2, err
    assert err.splitlines() == [f"saidwho: error: lost the Dask scheduler at {addr}; what is stored stays stored: "
                                "run the same command again to go on"], err
