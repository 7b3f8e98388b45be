"""The corpus commands on a small corpus built without the engine."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from saidwho.cli import cli
from saidwho.corpus import open_corpus
from saidwho.store.synth import make_article


@pytest.fixture
def db(tmp_path):
    path = str(tmp_path / "c.db")
    with open_corpus(path) as corpus:
        corpus.add(make_article("a", [("Mayor Jane Smith", "the harbour reopens", "direct"),
                                      ("officials", "the budget holds", "indirect")]),
                   id="a", outlet="Planet", published="2024-01-10", title="Harbour")
        corpus.add(make_article("b", [("Jane Smith", "rents must fall", "indirect"),
                                      ("Ziggy Marley", "music heals", "direct")]),
                   id="b", outlet="Globe", published="2024-02-10")
        corpus.add(make_article("c", [("Bob Marley", "one love", "direct")]), id="c", outlet="Globe",
                   published="2024-03-10")
    return path


def run(*args):
    res = CliRunner(mix_stderr=False).invoke(cli, list(args))
    assert res.exit_code == 0, (args, res.output, res.stderr)
    return res


def test_quotes_formats(db):
    table = run("quotes", "--db", db).stdout
    assert table.splitlines()[0].split()[:4] == ["art", "published", "outlet", "speaker"]
    assert "the harbour reopens" in table and "Jane Smith" in table
    rows = [json.loads(x) for x in run("quotes", "--db", db, "--format", "jsonl").stdout.splitlines()]
    assert len(rows) == 5 and rows[0]["published"] == "2024-03-10"
    got = list(csv.DictReader(io.StringIO(run("quotes", "--db", db, "--format", "csv", "--vague").stdout)))
    assert [r["content"] for r in got] == ["the budget holds"] and got[0]["speaker_type"] == "group"
    js = json.loads(run("quotes", "--db", db, "--format", "json", "--speaker", "Smith", "--since", "2024-02-01").stdout)
    assert [q["content"] for q in js] == ["rents must fall"]
    assert json.loads(run("quotes", "--db", db, "--format", "json", "--kind", "direct", "--outlet", "Planet",
                          "--limit", "5").stdout)[0]["content"] == "the harbour reopens"


def test_speakers_list_show_merge_split(db):
    top = json.loads(run("speakers", "--db", db, "--format", "json").stdout)
    assert top[0]["name"] == "Jane Smith" and top[0]["by_outlet"] == {"Globe": 1, "Planet": 1}
    assert "Jane Smith" in run("speakers", "--db", db).stdout
    shown = run("speakers", "--db", db, "show", "Jane Smith").stdout
    assert "names: " in shown and "roles: mayor" in shown
    out = run("speakers", "merge", "Bob Marley", "Ziggy Marley", "--db", db).stdout
    assert out.startswith("merged into speaker") and "2 quotes" in out
    rows = json.loads(run("quotes", "--db", db, "--format", "json", "--speaker", "Bob Marley").stdout)
    assert {q["content"] for q in rows} == {"one love", "music heals"}
    out = run("speakers", "--db", db, "split", "Bob Marley", "--name", "Ziggy Marley").stdout
    assert out.startswith("split off speaker") and "(Ziggy Marley)" in out
    rows = json.loads(run("quotes", "--db", db, "--format", "json", "--speaker", "Bob Marley").stdout)
    assert [q["content"] for q in rows] == ["one love"]
    res = CliRunner(mix_stderr=False).invoke(cli, ["speakers", "merge", "Nobody", "Bob Marley", "--db", db])
    assert res.exit_code == 2 and res.stderr.strip() == "saidwho: error: no speaker named 'Nobody'"


def test_show_article(db):
    out = run("show", "a", "--db", db).stdout
    assert "title: Harbour" in out and "the harbour reopens" in out and "outlet: Planet" in out
    js = json.loads(run("show", "a", "--db", db, "--format", "json", "--no-text").stdout)
    assert "text" not in js and js["doc"]["attributions"][0]["kind"] == "direct"


def test_progress_bar_when_forced(tmp_path, capsys):
    from saidwho.ingest.runner import ingest
    from saidwho.store import open_store
    from saidwho.store.synth import FakeEngine

    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(f"\u201cPoint {i},\u201d Jane Smith said.\n", encoding="utf-8")
    with open_store(str(tmp_path / "c.db")) as store:
        ingest(store, [str(tmp_path / "*.txt")], engine=FakeEngine(), progress=True)
        err = capsys.readouterr().err
        assert "3/3 articles" in err and "article/s" in err
        ingest(store, [str(tmp_path)], engine=FakeEngine(), progress=None)  # no terminal, short run
        assert capsys.readouterr().err == ""


def fail(*args):
    """A command that must fail with one line on stderr and exit status 2."""
    res = CliRunner(mix_stderr=False).invoke(cli, list(args))
    assert res.exit_code == 2, (args, res.output, res.stderr)
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("saidwho: error: "), res.stderr
    return lines[0]


def test_filters_that_can_match_nothing_are_errors(db):
    assert "unknown kind 'shouted'" in fail("quotes", "--db", db, "--kind", "direct,shouted")
    assert "is after --until" in fail("quotes", "--db", db, "--since", "2024-03-01", "--until", "2024-02-01")
    assert "unknown speaker type 'bogus'" in fail("speakers", "--db", db, "--type", "bogus")
    # an unknown speaker is not found, as for disagreements
    assert fail("quotes", "--db", db, "--speaker", "Nobody Atall") == "saidwho: error: no speaker named 'Nobody Atall'"
    assert "no speaker with id 999" in fail("quotes", "--db", db, "--speaker", "999")
    # the same day on both sides is fine
    js = json.loads(run("quotes", "--db", db, "--format", "json", "--since", "2024-01-10", "--until", "2024-01-10").stdout)
    assert len(js) == 2


def test_limit_0_means_no_limit(db):
    assert len(json.loads(run("quotes", "--db", db, "--format", "json", "--limit", "0").stdout)) == 5
    assert len(json.loads(run("speakers", "--db", db, "--format", "json", "--limit", "0").stdout)) == 4
    assert len(json.loads(run("speakers", "--db", db, "--format", "json", "--limit", "1").stdout)) == 1
    assert len(json.loads(run("quotes", "--db", db, "--format", "json", "--limit", "2").stdout)) == 2


def test_read_only_commands_refuse_a_missing_database(db, tmp_path):
    missing = str(tmp_path / "typo.db")
    for args in (["quotes"], ["speakers"], ["speakers", "show", "Jane Smith"], ["show", "1"], ["export"],
                 ["disagreements"], ["serve"]):
        line = fail(*args, "--db", missing)
        assert missing in line and "no corpus database" in line
    assert not (tmp_path / "typo.db").exists()
    # the backfill may create it (nothing to do), as ingest does
    res = CliRunner(mix_stderr=False).invoke(cli, ["positions", "--db", missing, "--no-progress"])
    assert res.exit_code == 0, res.stderr
    assert (tmp_path / "typo.db").exists()


@pytest.mark.parametrize("fmt_", ["csv", "jsonl", "parquet"])
def test_export_to_an_unwritable_path_is_one_line(db, tmp_path, fmt_):
    out = str(tmp_path / "no-such-folder" / f"x.{fmt_}")
    assert fail("export", "--db", db, "--format", fmt_, "--out", out).startswith(f"saidwho: error: cannot write {out}")


def test_export_parquet_fallback_writer_to_an_unwritable_path(db, tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pyarrow", None)  # saidwho's own writer
    out = str(tmp_path / "no-such-folder" / "x.parquet")
    assert fail("export", "--db", db, "--format", "parquet", "--out", out).startswith(f"saidwho: error: cannot write {out}")
