"""Reliability: no article ever lost or merged silently.

Concurrent ingests into one corpus (SQLite and PostgreSQL, empty and existing), read commands
that never write, transient database loss, and the speaker clean-up of a killed run. Real
processes run the ingests, with the stand-in engine: the point is the store, not the model.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, event, func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ingest"))  # the input helpers
from ingest_inputs import quote_text, write_jsonl  # noqa: E402
from saidwho.cli import cli  # noqa: E402
from saidwho.store import DatabaseUnreachableError, open_store  # noqa: E402
from saidwho.store.schema import articles  # noqa: E402

INGEST = """
import json, sys
from saidwho.corpus import open_corpus
from saidwho.store.synth import FakeEngine
with open_corpus(sys.argv[1]) as corpus:
    s = corpus.ingest(sys.argv[2:], engine=FakeEngine(delay=0.002), batch_size=4)
print(json.dumps({"stored": s["stored"], "duplicates": s["duplicates"], "failed": s["failed"]}))
"""


def _feed(path: Path, ids: range) -> str:
    write_jsonl(path, [{"id": f"n{i}", "outlet": "Globe", "published": "2024-01-%02d" % (1 + i % 28),
                        "text": quote_text(f"Speaker{i % 7} Person", f"Point {i} matters")} for i in ids])
    return str(path)


def _ingest_at_once(db: str, feeds: list[list[str]]) -> list[dict]:
    """One process per list of inputs, all started together; each one's summary."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    procs = [subprocess.Popen([sys.executable, "-c", INGEST, db, *f], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env) for f in feeds]
    out = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=300)
        assert p.returncode == 0, stderr
        assert "Traceback" not in stderr, stderr
        out.append(json.loads(stdout.strip().splitlines()[-1]))
    return out


def _each_once(db: str, n: int) -> None:
    with open_store(db) as store:
        rows = list(store.iter_articles(text=False))
        assert sorted(r["ext_id"] for r in rows) == sorted(f"n{i}" for i in range(n))
        assert store.stats()["attributions"] == n
        assert store.check() == []


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_db(request, tmp_path, fresh_pg_database):
    """An empty corpus location: a new SQLite path, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield str(tmp_path / "c.db")
        return
    with fresh_pg_database("store_rel") as url:
        yield url.render_as_string(hide_password=False).replace("postgresql+psycopg://", "postgresql://", 1)


def _ingest_in_threads(db: str, feeds: list[list[str]]) -> list[dict]:
    """One ingest per list of inputs, each with its own store (own connections), all at once.
    Threads stand in for processes where the point is the database's handling of concurrent
    transactions (the driver calls release the GIL); one test below uses real processes."""
    import threading

    from saidwho.ingest.runner import ingest
    from saidwho.store.synth import FakeEngine

    out: list = [None] * len(feeds)
    start = threading.Barrier(len(feeds))

    def run(i: int) -> None:
        try:
            start.wait()
            with open_store(db) as store:
                s = ingest(store, feeds[i], engine=FakeEngine(delay=0.002), batch_size=4, progress=False,
                           report=lambda line: None)
            out[i] = {"stored": s.stored, "duplicates": s.duplicates, "failed": s.n_failed}
        except BaseException as exc:  # noqa: BLE001 - reported below, with the others
            out[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(feeds))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    errors = [r for r in out if not isinstance(r, dict)]
    assert not errors, errors
    return out


def _overlapping_feeds(tmp_path: Path, n: int, runs: int) -> list[list[str]]:
    return [[_feed(tmp_path / "all.jsonl", range(n))],
            [_feed(tmp_path / "back.jsonl", range(n - 1, -1, -1))],
            [_feed(tmp_path / "half.jsonl", range(n // 4, 3 * n // 4))]][:runs]


@pytest.mark.parametrize("existing", [False, True], ids=["empty", "existing"])
@pytest.mark.parametrize("runs", [2, 3])
def test_concurrent_ingests_with_overlapping_inputs_store_each_article_once(tmp_path, empty_db, runs, existing):
    n = 40
    if existing:  # a corpus holding some of the articles already
        _ingest_in_threads(empty_db, [[_feed(tmp_path / "old.jsonl", range(0, n, 5))]])
    got = _ingest_in_threads(empty_db, _overlapping_feeds(tmp_path, n, runs))
    assert all(s["failed"] == 0 for s in got)
    stored_before = len(range(0, n, 5)) if existing else 0
    assert sum(s["stored"] for s in got) == n - stored_before
    _each_once(empty_db, n)


@pytest.mark.parametrize("empty_db", ["postgresql"], indirect=True)
def test_concurrent_ingest_processes_on_an_empty_database(tmp_path, empty_db):
    """Three `ingest` processes started together on a new PostgreSQL database: they race on
    creating the schema, then on storing the same articles. (Processes cost some ten seconds
    of imports each: SQLite's case runs in threads above.)"""
    n = 40
    got = _ingest_at_once(empty_db, _overlapping_feeds(tmp_path, n, 3))
    assert sum(s["stored"] for s in got) == n and all(s["failed"] == 0 for s in got)
    _each_once(empty_db, n)


# -- read commands never write ---------------------------------------------------------------


def _fail_one_line(*args) -> str:
    res = CliRunner(mix_stderr=False).invoke(cli, list(args))
    assert res.exit_code != 0, res.stdout
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("saidwho: error: "), res.stderr
    return lines[0]


READERS = (["quotes"], ["speakers"], ["speakers", "show", "Smith"], ["show", "1"], ["export"], ["disagreements"])


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_read_commands_leave_a_foreign_sqlite_file_byte_identical(tmp_path):
    import sqlite3

    folder = tmp_path / "dbs"
    folder.mkdir()
    foreign = folder / "foreign.db"
    con = sqlite3.connect(foreign)
    con.execute("create table customers (id integer primary key, name text)")
    con.execute("insert into customers (name) values ('Ada')")
    con.commit()
    con.close()
    (folder / "empty.db").write_bytes(b"")
    before = _files(folder)
    for args in READERS:
        assert "not a saidwho corpus (its tables: customers)" in _fail_one_line(*args, "--db", str(foreign))
        assert "is empty: not a saidwho corpus" in _fail_one_line(*args, "--db", str(folder / "empty.db"))
    assert _files(folder) == before  # byte for byte, and no -wal or -shm file


def _older_corpus(db_url: str) -> None:
    """A corpus at the previous schema version, holding one article."""
    from saidwho.store.migrations import migrate

    eng = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://", 1) if "://" in db_url
                        else f"sqlite:///{db_url}")
    migrate(eng, target=3)
    from sqlalchemy import MetaData, Table, insert

    with eng.begin() as conn:
        arts = Table("articles", MetaData(), autoload_with=conn)
        conn.execute(insert(arts).values(key="id:old", sha256="0" * 64, text="Officials said it works.",
                                         doc={"id": "old"}, n_attributions=0, ingested_at="2024-01-01",
                                         analysed_at="2024-01-01"))
    eng.dispose()


def test_an_older_corpus_is_not_upgraded_by_reading_but_by_migrate(db_url, tmp_path):
    from saidwho.store import OlderSchemaError

    _older_corpus(db_url)
    snapshot = Path(db_url).read_bytes() if "://" not in db_url else None
    for args in READERS:
        line = _fail_one_line(*args, "--db", db_url)
        assert "older saidwho" in line and "saidwho migrate --db" in line
    with pytest.raises(OlderSchemaError):
        open_store(db_url, readonly=True)
    if snapshot is not None:
        assert Path(db_url).read_bytes() == snapshot
    res = CliRunner(mix_stderr=False).invoke(cli, ["migrate", "--db", db_url])
    assert res.exit_code == 0 and "from schema version 3 to 4" in res.stderr, res.stderr
    res = CliRunner(mix_stderr=False).invoke(cli, ["show", "old", "--db", db_url, "--format", "json"])
    assert res.exit_code == 0 and json.loads(res.stdout)["text"] == "Officials said it works."
    res = CliRunner(mix_stderr=False).invoke(cli, ["migrate", "--db", db_url])
    assert res.exit_code == 0 and "already" in res.stderr


def test_read_commands_create_nothing_in_a_foreign_postgresql_database(pg_url):
    from sqlalchemy import inspect, text

    eng = create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with eng.begin() as conn:
        conn.execute(text("create table customers (id serial primary key, name text)"))
    for args in READERS:
        assert "not a saidwho corpus (its tables: customers)" in _fail_one_line(*args, "--db", pg_url)
    with eng.connect() as conn:
        assert inspect(conn).get_table_names() == ["customers"]
    eng.dispose()
    # a migrate refuses it too: it is not an older corpus
    assert "not a saidwho corpus" in _fail_one_line("migrate", "--db", pg_url)


def test_a_corpus_on_a_read_only_place_can_be_read(tmp_path):
    """A WAL corpus, closed cleanly, in a folder nothing can be written to (immutable: not
    even root may create SQLite's -shm file there), as on a read-only mount."""
    if not shutil.which("chattr"):
        pytest.skip("needs chattr")
    from saidwho.corpus import open_corpus
    from saidwho.store.synth import make_article

    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "c.db"
    with open_corpus(str(db)) as corpus:
        corpus.add(make_article("a", [("Jane Smith", "the harbour reopens", "direct")]), id="a")
    assert not (folder / "c.db-wal").exists()
    before = _files(folder)
    locked = subprocess.run(["chattr", "+i", str(db), str(folder)], capture_output=True).returncode == 0
    if not locked:
        pytest.skip("this file system cannot make a folder immutable")
    try:
        with pytest.raises(OSError):
            (folder / "probe").write_bytes(b"")
        res = CliRunner(mix_stderr=False).invoke(cli, ["quotes", "--db", str(db), "--format", "jsonl"])
        assert res.exit_code == 0, res.stderr
        assert json.loads(res.stdout)["content"] == "the harbour reopens"
    finally:
        subprocess.run(["chattr", "-i", str(db), str(folder)], check=True)
    assert _files(folder) == before


# -- transient database loss -----------------------------------------------------------------


def _failing_connects(store, until: float, message: str) -> dict:
    """Make every new connection fail with ``message`` until the clock passes ``until``, as a
    server restarting does; the pool is emptied so the next statement needs a new one."""
    import psycopg

    seen = {"refused": 0}

    @event.listens_for(store.engine, "do_connect")
    def _refuse(dialect, conn_rec, cargs, cparams):
        if time.monotonic() < until:
            seen["refused"] += 1
            raise psycopg.OperationalError(message)

    store.engine.dispose()
    return seen


def test_a_postgresql_restart_mid_run_is_waited_for(pg_url, tmp_path, monkeypatch):
    from saidwho.ingest.runner import ingest
    from saidwho.store.synth import FakeEngine

    monkeypatch.setenv("SAIDWHO_DB_RETRY_SECONDS", "10")
    feed = _feed(tmp_path / "f.jsonl", range(20))
    with open_store(pg_url) as store:

        class Restarting(FakeEngine):
            def analyze(self, text, id="doc"):
                if id == "n9":  # the server goes away for 0.4 s while the run goes on
                    box["seen"] = _failing_connects(store, time.monotonic() + 0.4,
                                                    "connection failed: FATAL:  the database system is starting up")
                return super().analyze(text, id)

        box: dict = {}
        s = ingest(store, [feed], engine=Restarting(), batch_size=4, progress=False)
        assert box["seen"]["refused"] >= 1  # the run met the restart, and waited it out
        assert (s.stored, s.n_failed) == (20, 0)
    _each_once(pg_url, 20)


def test_a_lost_connection_is_retried_for_a_bounded_time(pg_url, monkeypatch):
    monkeypatch.setenv("SAIDWHO_DB_RETRY_SECONDS", "0.5")
    with open_store(pg_url) as store:
        seen = _failing_connects(store, time.monotonic() + 3600, "connection failed: server closed the connection "
                                 "unexpectedly")
        t0 = time.monotonic()
        with pytest.raises(DatabaseUnreachableError) as err:
            store.stats()
        assert 0.3 < time.monotonic() - t0 < 5 and seen["refused"] >= 3
        assert "\n" not in str(err.value)


def test_a_wrong_port_fails_at_once():
    t0 = time.monotonic()
    with pytest.raises(DatabaseUnreachableError):
        open_store("postgresql://postgres@127.0.0.1:1/x")
    assert time.monotonic() - t0 < 5


# -- the speaker clean-up of a killed run ------------------------------------------------------

KILLED_AT_THE_END = """
import os, signal, sys
from saidwho.corpus import open_corpus
from saidwho.ingest import runner
from saidwho.store.synth import FakeEngine
runner.IngestRun.finish = lambda self: os.kill(os.getpid(), signal.SIGKILL)  # killed before its end
open_corpus(sys.argv[1]).ingest([sys.argv[2]], engine=FakeEngine())
"""


def test_a_killed_runs_speaker_clean_up_is_done_when_it_resumes(tmp_path):
    feed = tmp_path / "f.jsonl"
    write_jsonl(feed, [
        # "Obama" first, with no Obama in the corpus yet: a surname-only speaker of its own,
        # which the end of the run links to Barack Obama, met later in the same run
        {"id": "1", "published": "2015-03-01", "text": quote_text("Obama", "The deal is good")},
        {"id": "2", "published": "2015-03-02", "text": quote_text("Barack Obama", "Congress must act")},
    ])
    db = str(tmp_path / "c.db")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    res = subprocess.run([sys.executable, "-c", KILLED_AT_THE_END, db, str(feed)], capture_output=True, env=env,
                         timeout=120)
    assert res.returncode == -signal.SIGKILL
    with open_store(db) as store:
        assert len(store.speakers()) == 2  # "Obama" still apart: the run never reached its end
    from saidwho.ingest.runner import ingest
    from saidwho.store.synth import FakeEngine

    with open_store(db) as store:
        s = ingest(store, [str(feed)], engine=FakeEngine(), progress=False)
        assert (s.stored, s.duplicates, s.speakers_consolidated) == (0, 2, 1)
        [obama] = store.speakers()
        assert obama["name"] == "Barack Obama" and obama["quotes"] == 2
        assert store.review_pending() == 0


# -- identity: the upgrade of stored keys -----------------------------------------------------


def test_upgrade_recomputes_cut_identity_keys(db_url):
    """Schema 3 cut keys at 1,024 characters; schema 4 hashes the whole id, read back from
    the article's metadata, so a second long id sharing the start is a new article."""
    from sqlalchemy import MetaData, Table, insert

    from saidwho.store import ArticleMeta
    from saidwho.store.migrations import migrate
    from saidwho.store.synth import make_article

    long_id = "x" * 1100
    eng = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://", 1) if "://" in db_url
                        else f"sqlite:///{db_url}")
    migrate(eng, target=3)
    with eng.begin() as conn:
        arts = Table("articles", MetaData(), autoload_with=conn)
        conn.execute(insert(arts).values(key=f"id:{long_id}-one"[:1024], ext_id=long_id[:512], sha256="1" * 64,
                                         text="One.", doc={"id": "1"}, meta={"id": long_id + "-one"},
                                         n_attributions=0, ingested_at="2024-01-01", analysed_at="2024-01-01"))
        conn.execute(insert(arts).values(key="id:short", ext_id="short", sha256="2" * 64, text="Two.",
                                         doc={"id": "2"}, meta={"id": "short"}, n_attributions=0,
                                         ingested_at="2024-01-01", analysed_at="2024-01-01"))
    eng.dispose()
    with open_store(db_url) as store:
        assert store.found_version == 3
        one = ArticleMeta(ext_id=long_id + "-one").key("1" * 64)
        assert store.lookup(one, "1" * 64) is not None
        assert store.lookup("id:short", "2" * 64) is not None
        art = make_article("t", [("Jane Smith", "two", "direct")])
        got = store.add_article(art, ArticleMeta(ext_id=long_id + "-two"))
        assert got.stored and got.version == 1
        with store.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(articles)).scalar() == 3
            assert conn.execute(select(func.max(func.length(articles.c.identity)))).scalar() < 512


def test_concurrent_changed_texts_under_one_id_are_numbered_versions(db_url):
    """Three writers store three different texts under one id at the same moment."""
    import threading

    from saidwho.store import ArticleMeta
    from saidwho.store.synth import make_article

    open_store(db_url).close()  # the schema, made once
    start = threading.Barrier(3)
    got: list = []

    def write(i: int) -> None:
        with open_store(db_url) as store:
            art = make_article("x", [("Jane Smith", f"version {i} of the story", "direct")])
            start.wait()
            got.append(store.add_article(art, ArticleMeta(ext_id="x")))

    threads = [threading.Thread(target=write, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(s.version for s in got) == [1, 2, 3] and all(s.stored for s in got)
    with open_store(db_url) as store:
        assert [v["version"] for v in store.article("x")["versions"]] == [1, 2, 3]
