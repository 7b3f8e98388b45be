"""``--quiet`` on ``ingest`` and ``analyze``: no progress, notes or summary, but every problem
and warning still said, and the exit status unchanged."""

from __future__ import annotations

import json

import pytest

import saidwho.engine as engine_mod
from saidwho.store.synth import FakeEngine

ENGLISH = "Jane Smith said that the ferry runs again on Monday morning, after a week of repairs."
FRENCH = ("Le ministre a déclaré mardi que le gouvernement ne reculerait pas sur la réforme, "
          "malgré les grèves qui paralysent les transports depuis une semaine.")


@pytest.fixture
def fake(monkeypatch):
    eng = FakeEngine()
    monkeypatch.setattr(engine_mod, "_shared", eng)
    return eng


def _feed(path):
    rows = [{"id": "en", "text": ENGLISH, "url": False}, {"id": "fr", "text": FRENCH},
            {"id": ["x"], "text": ENGLISH}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def test_ingest_quiet_says_only_problems_and_warnings(tmp_path, fake, run_fresh):
    _feed(tmp_path / "feed.jsonl")
    db = str(tmp_path / "c.db")
    res = run_fresh(["ingest", str(tmp_path / "feed.jsonl"), "--db", db, "--quiet", "--progress"])
    assert res.exit_code == 1  # one record failed: the same status as without --quiet
    lines = res.stderr.splitlines()
    assert lines[0].startswith("saidwho: warning: ") and "'url' must be a string" in lines[0]
    assert lines[1].startswith("saidwho: skipped ") and "'id' must be a string or an integer" in lines[1]
    assert lines[2:] == ["saidwho: failed:", f"  {tmp_path / 'feed.jsonl'}:3: " + lines[1].split(":3: ", 1)[1]]
    assert not any("note:" in x or x.startswith("saidwho: read ") or "article" in x and "%" in x for x in lines)
    assert res.stdout == ""


def test_ingest_without_quiet_says_the_notes_and_the_summary(tmp_path, fake, run_fresh):
    _feed(tmp_path / "feed.jsonl")
    res = run_fresh(["ingest", str(tmp_path / "feed.jsonl"), "--db", str(tmp_path / "c.db"), "--no-progress"])
    assert res.exit_code == 1
    assert any(x.startswith("saidwho: note: ") for x in res.stderr.splitlines())
    assert any(x.startswith("saidwho: read 3; stored 2") for x in res.stderr.splitlines())


def test_ingest_quiet_keeps_the_summary_json(tmp_path, fake, run_fresh):
    (tmp_path / "a.txt").write_text(ENGLISH, encoding="utf-8")
    res = run_fresh(["ingest", str(tmp_path / "a.txt"), "--db", str(tmp_path / "c.db"), "-q", "--summary-json"])
    assert res.exit_code == 0 and res.stderr == ""
    assert json.loads(res.stdout)["stored"] == 1


def test_analyze_quiet_drops_the_notes_not_the_errors(tmp_path, fake, run_fresh):
    (tmp_path / "a.txt").write_text(ENGLISH, encoding="utf-8")
    (tmp_path / "b.txt").write_text(FRENCH, encoding="utf-8")
    (tmp_path / "c.txt").write_bytes(b"caf\xe9 said so")
    loud = run_fresh(["analyze", "-f", "jsonl", str(tmp_path)])
    quiet = run_fresh(["analyze", "-f", "jsonl", "--quiet", str(tmp_path)])
    assert loud.exit_code == quiet.exit_code == 1 and loud.stdout == quiet.stdout
    assert any(x.startswith("saidwho: note: ") for x in loud.stderr.splitlines())
    errors = [x for x in loud.stderr.splitlines() if x.startswith("saidwho: error: ")]
    assert len(errors) == 1 and quiet.stderr.splitlines() == errors
