"""Bad ``--db`` values: one clear line, no traceback, nothing stored lost."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from saidwho.cli import cli
from saidwho.store import DatabaseUnreachableError, DatabaseURLError, StoreError, db_location, open_store


@pytest.mark.parametrize(
    "url, error",
    [
        ("postgresql://postgres@127.0.0.1:notaport/x", DatabaseURLError),
        ("postgresql:/nohost", DatabaseURLError),
        ("mysql://root@127.0.0.1/x", DatabaseURLError),
        ("postgresql://postgres@127.0.0.1:1/x", DatabaseUnreachableError),
        ("postgresql://postgres@127.0.0.1:5432", DatabaseURLError),
        ("sqlite://", DatabaseURLError),
    ],
)
def test_bad_urls_raise_one_line_errors(url, error):
    with pytest.raises(error) as err:
        open_store(url)
    assert "\n" not in str(err.value) and str(err.value)


def test_unreachable_server_names_it_without_password():
    with pytest.raises(DatabaseUnreachableError) as err:
        open_store("postgresql://bob:s3cret@127.0.0.1:1/corpus")
    assert "s3cret" not in str(err.value) and "127.0.0.1" in str(err.value)


def test_bad_sqlite_paths(tmp_path):
    with pytest.raises(DatabaseUnreachableError):
        open_store(str(tmp_path / "missing-folder" / "c.db"))
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all, just text\n" * 10)
    with pytest.raises(StoreError) as err:
        open_store(str(junk))
    assert "not a SQLite database" in str(err.value)
    assert junk.read_bytes().startswith(b"this is not")  # left alone


def test_default_location_and_env(monkeypatch):
    monkeypatch.delenv("SAIDWHO_DB", raising=False)
    assert db_location(None) == "saidwho.db"
    monkeypatch.setenv("SAIDWHO_DB", "/tmp/x.db")
    assert db_location(None) == "/tmp/x.db"
    assert db_location("y.db") == "y.db"


def test_cli_prints_one_line_and_exits_2(tmp_path):
    runner = CliRunner()
    for args in (["quotes", "--db", "postgresql://postgres@127.0.0.1:1/x"],
                 ["speakers", "--db", "mysql://x/y"],
                 ["show", "1", "--db", str(tmp_path / "nope" / "c.db")]):
        res = runner.invoke(cli, args)
        assert res.exit_code == 2, (args, res.output)
        lines = [ln for ln in res.output.splitlines() if ln.strip()]
        assert len(lines) == 1 and lines[0].startswith("saidwho: error: "), res.output
        assert "Traceback" not in res.output


def test_cli_uses_saidwho_db_env(tmp_path, monkeypatch):
    db = tmp_path / "env.db"
    monkeypatch.setenv("SAIDWHO_DB", str(db))
    # a read-only command does not create the corpus it is pointed at (it names the path)
    res = CliRunner().invoke(cli, ["quotes"])
    assert res.exit_code == 2 and str(db) in res.output and not os.path.exists(db)
    open_store(str(db)).close()
    res = CliRunner().invoke(cli, ["quotes"])
    assert res.exit_code == 0, res.output
    assert os.path.exists(db)
