"""``--workers N``: partitions, the same corpus as one process, a worker killed mid-partition,
a partition that kills its worker three times, the client killed and restarted, a model that
will not load, and the real engine in a worker."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

HERE = os.path.dirname(__file__)
sys.path.insert(0, HERE)  # batch_fakes, for this process and the workers it spawns
sys.path.insert(0, os.path.join(HERE, "..", "ingest"))  # the ingest tests' input writers
from batch_fakes import KILL_MARKER, assert_partition_redone, feed_records, killer, read_log  # noqa: E402
from ingest_inputs import html_page, quote_paragraphs, quote_text, write_jsonl, write_warc  # noqa: E402
from saidwho.batch import EngineSpec, ingest_workers  # noqa: E402
from saidwho.batch.driver import partition_name, partitions  # noqa: E402
from saidwho.cli import cli  # noqa: E402
from saidwho.ingest.runner import IngestRun, ingest  # noqa: E402
from saidwho.store import open_store  # noqa: E402
from saidwho.store.synth import FakeEngine  # noqa: E402

FAKE = EngineSpec.of("saidwho.store.synth:FakeEngine")


def mixed_inputs(root):
    """Every input kind, with duplicates, bad lines, an engine failure and a non-HTML record."""
    news = root / "news"
    (news / "more").mkdir(parents=True)
    (news / "a.txt").write_text(quote_text("Jane Smith", "The harbour reopens in May"), encoding="utf-8")
    (news / "b.txt").write_text(quote_text("Smith", "Ferries run again"), encoding="utf-8")
    (news / "copy-of-a.txt").write_text(quote_text("Jane Smith", "The harbour reopens in May"), encoding="utf-8")
    (news / "page.html").write_text(
        html_page("Ferry", quote_paragraphs("Mayor John Doe", "The ferry is back"), url="https://planet.example/f"),
        encoding="utf-8")
    recs = feed_records(23, prefix="j")
    recs[5]["text"] += " ENGINE-FAILS-HERE"
    write_jsonl(news / "more" / "feed.jsonl", recs[:10] + ["{broken"] + recs[10:] + [recs[3]])
    write_warc(news / "more" / "crawl.warc.gz", [
        ("https://star.example/w1", "text/html",
         html_page("W1", quote_paragraphs("Lena Novak", "The bridge is safe"), site="Evening Star")),
        ("https://star.example/img.jpg", "image/jpeg", "JPEG"),
        ("https://star.example/w2", "text/html",
         html_page("W2", quote_paragraphs("Omar Haddad", "Tolls will rise"), site="Evening Star")),
    ])
    return news


def corpus_rows(db):
    with open_store(db) as store:
        arts = [(a["article_id"], a["ext_id"], a["url"], a["origin"], a["sha256"]) for a in store.iter_articles(False)]
        quotes = [(q["article_id"], q["attribution_id"], q["speaker"] and (q["speaker"]["id"], q["speaker"]["name"]),
                   q["content"]) for q in store.quotes()]
        assert store.check() == []
        return arts, quotes, store.stats()


def test_partitions_follow_the_inputs(tmp_path):
    news = mixed_inputs(tmp_path)
    with open_store(str(tmp_path / "c.db")) as store:
        run = IngestRun(store, progress=False, report=lambda m: None)
        parts = list(partitions(run, [str(news)], None, 8))
        run.close()
    names = [p.name.replace(str(news) + "/", "") for p in parts]
    # single-article files go together; a JSON Lines or WARC file is cut in runs of <= 8 of its articles
    assert names == ["a.txt .. b.txt (2 files)", "more/crawl.warc.gz#1-3", "more/feed.jsonl:1-8",
                     "more/feed.jsonl:9-17", "more/feed.jsonl:18-24", "page.html"]
    assert [len(p) for p in parts] == [2, 2, 8, 8, 7, 1]
    assert run.summary.duplicates == 2 and run.summary.n_failed == 1  # copy-of-a.txt, feed:25; feed:11
    assert partition_name([str(news / "more" / "feed.jsonl")], parts[2].items[:1], False).endswith("feed.jsonl:1")


def test_workers_store_what_one_process_stores(tmp_path):
    news = mixed_inputs(tmp_path)
    one, two = str(tmp_path / "one.db"), str(tmp_path / "two.db")
    with open_store(one) as store:
        a = ingest(store, [str(news)], engine=FakeEngine(), progress=False, report=lambda m: None)
    msgs: list[str] = []
    with open_store(two) as store:
        b = ingest_workers(store, [str(news)], workers=2, engine=FAKE, partition_size=3, progress=False,
                           report=msgs.append)
    assert (b.read, b.stored, b.duplicates, b.n_failed, b.notes) == (a.read, a.stored, a.duplicates, a.n_failed,
                                                                      a.notes) == (31, 27, 2, 2, 1)
    assert sorted(b.failed) == sorted(a.failed)
    assert b.partitions == 11 and b.retried == 0 and b.failed_partitions == []
    assert "11 partitions on 2 local workers" in b.line()
    # written in input order: the same article numbers, quotes and corpus speakers
    assert corpus_rows(two) == corpus_rows(one)
    with open_store(two) as store:  # a second run sends nothing
        again = ingest_workers(store, [str(news)], workers=1, engine=FAKE, progress=False, report=msgs.append)
    assert (again.stored, again.duplicates, again.partitions) == (0, 29, 1)  # only the engine failure is tried again


def test_a_worker_killed_mid_partition_is_replaced_and_its_partition_redone(tmp_path):
    n = 240
    feed, log, db = tmp_path / "feed.jsonl", tmp_path / "log.txt", str(tmp_path / "c.db")
    write_jsonl(feed, feed_records(n))
    spec = EngineSpec.of("batch_fakes:LoggingEngine", log=str(log), delay=0.008, hold="k70")
    msgs: list[str] = []
    k = killer(log, hold="k70")
    with open_store(db) as store:
        s = ingest_workers(store, [str(feed)], workers=2, engine=spec, partition_size=16, progress=False,
                           report=msgs.append)
        k.join(5)
        assert k.victim is not None, "the run ended before a worker could be killed"
        assert (s.stored, s.n_failed, s.duplicates) == (n, 0, 0) and s.retried >= 1
        assert any("died (killed by SIGKILL)" in m and "sending it again" in m for m in msgs), msgs
        assert store.stats()["articles"] == n and store.stats()["attributions"] == 2 * n
        assert store.check() == []
    assert_partition_redone(log, k.victim, n)
    con = sqlite3.connect(db)
    assert con.execute("select count(distinct ext_id) from articles").fetchone()[0] == n


def test_a_partition_failing_three_times_is_reported_and_the_rest_stored(tmp_path, monkeypatch):
    feed, log, db = tmp_path / "feed.jsonl", tmp_path / "log.txt", str(tmp_path / "c.db")
    write_jsonl(feed, feed_records(60, poison={25}))
    monkeypatch.setattr(EngineSpec, "spacy",
                        classmethod(lambda cls, model=None: EngineSpec.of("batch_fakes:LoggingEngine", log=str(log))))
    failed = tmp_path / "out" / "failed-inputs.txt"
    runner = CliRunner(mix_stderr=False)
    res = runner.invoke(cli, ["ingest", str(feed), "--db", db, "--workers", "2", "--partition-size", "10",
                              "--failed-list", str(failed), "--summary-json", "--no-progress"])
    assert res.exit_code == 1, res.output
    assert "Traceback" not in res.stderr
    summary = json.loads(res.stdout.strip().splitlines()[-1])
    assert (summary["stored"], summary["failed"], summary["retried"]) == (50, 10, 2)
    [fp] = summary["failed_partitions"]
    assert fp["partition"] == f"{feed}:21-30" and fp["attempts"] == 3 and len(fp["articles"]) == 10
    assert f"partition {feed}:21-30 (10 articles) failed (try 1 of 3): worker process" in res.stderr
    assert f"partition {feed}:21-30 (10 articles) failed 3 times: worker process" in res.stderr
    assert "exit status 3" in res.stderr and str(failed) in res.stderr
    assert failed.read_text() == f"{feed}\n"
    # fixed input, retried from the list: only the missing partition is sent
    write_jsonl(feed, feed_records(60))
    res = runner.invoke(cli, ["ingest", *failed.read_text().split("\n")[:-1], "--db", db, "--workers", "1",
                              "--failed-list", str(failed), "--summary-json"])
    assert res.exit_code == 0, res.stderr
    summary = json.loads(res.stdout.strip().splitlines()[-1])
    assert (summary["stored"], summary["duplicates"], summary["partitions"]) == (10, 50, 1)
    with open_store(db) as store:
        assert store.stats()["articles"] == 60 and store.check() == []


KILL_SCRIPT = """
import sys
sys.path.insert(0, sys.argv[3])
from saidwho.batch import EngineSpec, ingest_workers
from saidwho.store import open_store
spec = EngineSpec.of("batch_fakes:LoggingEngine", log=sys.argv[4], delay=0.01)
with open_store(sys.argv[1]) as store:
    s = ingest_workers(store, [sys.argv[2]], workers=2, engine=spec, partition_size=12, progress=False)
print(s.stored, s.duplicates, s.partitions, flush=True)
"""


def _alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(") ", 1)[1][:1] not in ("Z", "X")
    except (FileNotFoundError, IndexError):
        return False


def test_client_killed_then_restarted_resumes_with_what_is_missing(tmp_path, count_articles):
    n = 300
    feed, log, db = tmp_path / "feed.jsonl", tmp_path / "log.txt", str(tmp_path / "c.db")
    write_jsonl(feed, feed_records(n))
    args = [sys.executable, "-c", KILL_SCRIPT, db, str(feed), HERE, str(log)]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while count_articles(db) < 48 and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    workers = {p for p, _ in read_log(log)}
    deadline = time.time() + 10
    while any(_alive(p) for p in workers) and time.time() < deadline:
        time.sleep(0.1)
    assert not any(_alive(p) for p in workers), "worker processes outlived their parent"
    first = count_articles(db)
    assert 48 <= first < n
    open(log, "w").close()
    out = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    stored, dups, parts = map(int, out.stdout.split())
    assert (stored, dups) == (n - first, first) and parts == -(-(n - first) // 12)
    assert len(read_log(log)) == n - first  # nothing stored was sent again
    with open_store(db) as store:
        assert store.stats()["articles"] == n and store.stats()["attributions"] == 2 * n
        assert store.check() == []


def test_a_worker_that_cannot_load_the_model_is_one_clear_line(tmp_path, monkeypatch):
    write_jsonl(tmp_path / "feed.jsonl", feed_records(3))
    monkeypatch.setenv("SAIDWHO_MODEL", "no_such_model_xyz")
    res = CliRunner(mix_stderr=False).invoke(cli, ["ingest", str(tmp_path / "feed.jsonl"), "--db",
                                                   str(tmp_path / "c.db"), "--workers", "2"])
    assert res.exit_code == 2
    [line] = res.stderr.strip().splitlines()
    assert line.startswith("saidwho: error: worker process ") and "cannot load the model" in line
    assert "'no_such_model_xyz' is not installed" in line


def test_usage_errors(tmp_path):
    runner = CliRunner(mix_stderr=False)
    res = runner.invoke(cli, ["ingest", "x", "--workers", "2", "--scheduler", "tcp://127.0.0.1:8786"])
    assert res.exit_code == 2 and "not both" in res.stderr
    res = runner.invoke(cli, ["ingest", "x", "--partition-size", "5"])
    assert res.exit_code == 2 and "--partition-size goes with" in res.stderr


def test_the_real_engine_in_a_worker_stores_what_one_process_stores(tmp_path, engine, monkeypatch):
    monkeypatch.setattr("saidwho.engine._shared", engine)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(
        "\u201cWe will rebuild the harbour,\u201d Mayor Jane Smith said on Monday. "
        "Critics say the plan is too expensive.\n", encoding="utf-8")
    write_jsonl(tmp_path / "in" / "b.jsonl", [
        {"id": "b1", "outlet": "Globe", "published": "2024-02-01",
         "text": "Jane Smith said that rents would fall next year. \u201cIt is done,\u201d she added."},
        {"id": "b2", "outlet": "Globe", "published": "2024-02-02",
         "text": "According to the ministry, 40 schools will close. Smith said she was sorry."},
    ])
    runner = CliRunner(mix_stderr=False)
    one, two = str(tmp_path / "one.db"), str(tmp_path / "two.db")
    res = runner.invoke(cli, ["ingest", str(tmp_path / "in"), "--db", one])
    assert res.exit_code == 0, res.stderr
    res = runner.invoke(cli, ["ingest", str(tmp_path / "in"), "--db", two, "--workers", "1"])
    assert res.exit_code == 0, res.stderr
    assert "stored 3;" in res.stderr and "2 partitions on 1 local worker" in res.stderr
    a, b = corpus_rows(one), corpus_rows(two)
    assert b == a and a[2]["attributions"] >= 4


@pytest.mark.parametrize("size", [1, 5])
def test_partition_sizes(tmp_path, size):
    write_jsonl(tmp_path / "f.jsonl", feed_records(7))
    with open_store(str(tmp_path / "c.db")) as store:
        run = IngestRun(store, progress=False)
        parts = list(partitions(run, [str(tmp_path / "f.jsonl")], None, size))
        run.close()
    assert [len(p) for p in parts] == ([1] * 7 if size == 1 else [5, 2])
    assert parts[0].name.endswith("f.jsonl:1" if size == 1 else "f.jsonl:1-5")
    assert KILL_MARKER not in parts[0].items[0].raw.text
