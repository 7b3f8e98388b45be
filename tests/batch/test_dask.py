"""``--scheduler``: a 2-worker LocalCluster (processes, one thread each). A worker killed
mid-partition, a partition that kills every worker it lands on, a restarted run, a worker that
cannot load the model, an unreachable scheduler, PostgreSQL as the store."""

from __future__ import annotations

import json
import os
import sys

import pytest
from click.testing import CliRunner

HERE = os.path.dirname(__file__)
sys.path.insert(0, HERE)  # batch_fakes, for this process and the workers it spawns
sys.path.insert(0, os.path.join(HERE, "..", "ingest"))
from batch_fakes import assert_partition_redone, feed_records, killer, read_log  # noqa: E402
from ingest_inputs import write_jsonl  # noqa: E402
from saidwho.batch import EngineSpec, ingest_dask  # noqa: E402
from saidwho.cli import cli  # noqa: E402
from saidwho.errors import ModelError  # noqa: E402
from saidwho.store import open_store  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    from saidwho.batch.cluster import local_cluster

    c = local_cluster(2, threads_per_worker=1)
    yield c
    c.close()


@pytest.fixture(scope="module")
def client(cluster):
    from distributed import Client

    c = Client(cluster, set_as_default=False)
    yield c
    c.close()


def test_a_worker_killed_mid_partition_its_partition_is_redone_once(tmp_path, client):
    n = 300
    feed, log, db = tmp_path / "feed.jsonl", tmp_path / "log.txt", str(tmp_path / "c.db")
    write_jsonl(feed, feed_records(n))
    spec = EngineSpec.of("batch_fakes:LoggingEngine", log=str(log), delay=0.008, hold="k70")
    k = killer(log, hold="k70")
    with open_store(db) as store:
        s = ingest_dask(store, [str(feed)], client, engine=spec, partition_size=15, progress=False,
                        report=lambda m: None)
        k.join(5)
        assert k.victim is not None, "the run ended before a worker could be killed"
        assert (s.stored, s.n_failed, s.duplicates, s.partitions) == (n, 0, 0, 20)
        assert "2 Dask workers" in s.workers
        assert store.stats()["articles"] == n and store.stats()["attributions"] == 2 * n
        assert store.check() == []
    assert_partition_redone(log, k.victim, n)

    # restarted: what is stored is not sent again, what is new is
    write_jsonl(feed, feed_records(n) + feed_records(10, prefix="new"))
    open(log, "w").close()
    with open_store(db) as store:
        again = ingest_dask(store, [str(feed)], client, engine=spec, partition_size=15, progress=False)
    assert (again.stored, again.duplicates, again.partitions) == (10, n, 1)
    assert sorted(i for _, i in read_log(log)) == sorted(f"new{i}" for i in range(10))


def test_a_partition_killing_its_workers_fails_after_three_and_the_rest_completes(tmp_path, client, monkeypatch):
    feed, log, db = tmp_path / "feed.jsonl", tmp_path / "log.txt", str(tmp_path / "c.db")
    write_jsonl(feed, feed_records(40, poison={12}))
    monkeypatch.setattr(EngineSpec, "spacy",
                        classmethod(lambda cls, model=None: EngineSpec.of("batch_fakes:LoggingEngine", log=str(log))))
    failed = tmp_path / "failed.txt"
    res = CliRunner(mix_stderr=False).invoke(cli, [
        "ingest", str(feed), "--db", db, "--scheduler", client.scheduler.address, "--partition-size", "10",
        "--failed-list", str(failed), "--summary-json", "--no-progress"])
    assert res.exit_code == 1, res.stderr
    summary = json.loads(res.stdout.strip().splitlines()[-1])
    assert (summary["stored"], summary["failed"]) == (30, 10)
    [fp] = summary["failed_partitions"]
    assert fp["partition"] == f"{feed}:11-20" and fp["attempts"] == 3
    assert f"partition {feed}:11-20 (10 articles) failed 3 times: the workers running it died" in res.stderr
    assert failed.read_text() == f"{feed}\n" and "Traceback" not in res.stderr
    with open_store(db) as store:
        assert store.stats()["articles"] == 30 and store.check() == []
    client.wait_for_workers(2, timeout=60)  # the nannies have restarted the killed ones


def test_a_worker_that_cannot_load_the_model_is_named(tmp_path, client):
    client.wait_for_workers(2, timeout=60)
    write_jsonl(tmp_path / "feed.jsonl", feed_records(3))
    with open_store(str(tmp_path / "c.db")) as store:
        with pytest.raises(ModelError) as err:
            ingest_dask(store, [str(tmp_path / "feed.jsonl")], client, engine=EngineSpec.spacy("no_such_model_xyz"))
        assert store.stats()["articles"] == 0
    msg = str(err.value)
    assert msg.startswith("Dask worker tcp://127.0.0.1:") and "cannot load the model" in msg
    assert "'no_such_model_xyz' is not installed" in msg and "(and 1 more of 2 workers)" in msg


def test_an_unreachable_scheduler_is_one_clear_line(tmp_path, monkeypatch):
    import socket

    monkeypatch.setattr("saidwho.batch.cluster.CONNECT_TIMEOUT", 2.0)
    with socket.socket() as s:  # a port where nothing listens
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    write_jsonl(tmp_path / "feed.jsonl", feed_records(2))
    runner = CliRunner(mix_stderr=False)
    for addr, expect in ((f"tcp://127.0.0.1:{port}", f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}: "
                                                     "connection refused"),
                         ("127.0.0.1", "malformed scheduler address '127.0.0.1'"),
                         ("udp://x:1", "unsupported scheduler address")):
        res = runner.invoke(cli, ["ingest", str(tmp_path / "feed.jsonl"), "--db", str(tmp_path / "c.db"),
                                  "--scheduler", addr])
        assert res.exit_code == 2, res.output
        assert res.stderr.strip().splitlines() == [f"saidwho: error: {res.stderr.strip()[16:]}"]
        assert expect in res.stderr
    assert not os.path.exists(tmp_path / "c.db")  # nothing opened, nothing changed


def test_postgresql_store_same_corpus_as_sqlite(tmp_path, client, pg_url):
    feed = tmp_path / "feed.jsonl"
    write_jsonl(feed, feed_records(45) + ["{broken"])
    spec = EngineSpec.of("saidwho.store.synth:FakeEngine")
    got = []
    for db in (str(tmp_path / "c.db"), pg_url):
        with open_store(db) as store:
            s = ingest_dask(store, [str(feed)], client, engine=spec, partition_size=8, progress=False,
                            report=lambda m: None)
            assert (s.stored, s.n_failed, s.partitions) == (45, 1, 6)
            got.append(([(q["article_id"], q["speaker"]["id"], q["content"]) for q in store.quotes()],
                        store.stats(), store.check()))
    assert got[0] == got[1] and got[0][2] == []
