"""The ingest progress bar: one clock, started when the engine analyses its first article; the
unit as a reader writes it; nothing but problems and warnings with ``quiet``."""

from __future__ import annotations

import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))  # the helpers beside this file (importlib mode)
from ingest_inputs import write_jsonl  # noqa: E402
import saidwho.engine as engine_mod  # noqa: E402
from saidwho.ingest import runner  # noqa: E402
from saidwho.ingest.runner import ingest  # noqa: E402
from saidwho.store import open_store  # noqa: E402
from saidwho.store.synth import FakeEngine  # noqa: E402

#: what tqdm writes on the right of the bar: ``[elapsed<remaining, rate]``
STATS = re.compile(r"\[(\d\d:\d\d)<(\d\d:\d\d|\?), ([^\]]+)\]")


def _feed(path, n: int):
    write_jsonl(path, [{"id": f"a{i}", "text": f"Jane Smith said that point {i} stands."} for i in range(n)])


def _stats(err: str) -> list[tuple[str, str, str]]:
    return STATS.findall(err)


def test_model_loading_counts_in_neither_the_eta_nor_the_elapsed_time(tmp_path, monkeypatch, capsys):
    _feed(tmp_path / "feed.jsonl", 4)

    def slow_loading(*args, **kwargs):
        time.sleep(1.3)  # a model loading
        return FakeEngine(delay=0.01)

    monkeypatch.setattr(engine_mod, "get_engine", slow_loading)
    with open_store(str(tmp_path / "c.db")) as store:
        s = ingest(store, [str(tmp_path / "feed.jsonl")], progress=True, batch_size=1, report=lambda _: None)
    assert s.stored == 4
    shown = _stats(capsys.readouterr().err)
    assert shown, "no progress bar"
    # four articles of 10 ms each: no ETA nor elapsed time in seconds, whatever the model took
    assert all(remaining in ("00:00", "?") for _, remaining, _ in shown), shown
    assert shown[-1][0] == "00:00", shown


def test_the_unit_reads_as_articles(tmp_path, capsys):
    _feed(tmp_path / "feed.jsonl", 3)
    with open_store(str(tmp_path / "c.db")) as store:
        ingest(store, [str(tmp_path / "feed.jsonl")], engine=FakeEngine(delay=0.3), progress=True, batch_size=1)
    err = capsys.readouterr().err
    last = err.replace("\r", "\n").strip().splitlines()[-1]
    assert re.search(r"\| 3/3 articles \[", last), last
    rate = _stats(last)[-1][2].strip()
    assert re.fullmatch(r"\d+\.\d\ds/article|\d+\.\d\darticle/s", rate), rate
    assert "/ articles" not in err and "s/ " not in err


def test_a_bar_that_appears_late_keeps_the_runs_clock(tmp_path, monkeypatch, capsys):
    # off a terminal the bar appears only after LONG_RUN_DELAY; its elapsed time is the run's
    monkeypatch.setattr(runner, "LONG_RUN_DELAY", 0.7)
    _feed(tmp_path / "feed.jsonl", 5)
    with open_store(str(tmp_path / "c.db")) as store:
        ingest(store, [str(tmp_path / "feed.jsonl")], engine=FakeEngine(delay=0.3), progress=None, batch_size=1,
               report=lambda _: None)
    shown = _stats(capsys.readouterr().err)
    assert shown, "no progress bar on a long run"
    assert shown[-1][0] == "00:01", shown  # 5 x 0.3 s, not the 0.6 s since the bar appeared


def test_quiet_says_problems_and_warnings_only(tmp_path, capsys):
    write_jsonl(tmp_path / "feed.jsonl", [
        {"id": "en", "text": "Jane Smith said that the ferry runs again on Monday morning.", "url": False},
        {"id": "fr", "text": "Le ministre a déclaré mardi que le gouvernement ne reculerait pas sur la réforme, "
                             "malgré les grèves qui paralysent les transports depuis une semaine."},
        {"id": ["x"], "text": "Jane Smith said that it works."},
        {"id": "en", "text": "Jane Smith said that the ferry runs again on Tuesday morning."},
    ])
    with open_store(str(tmp_path / "c.db")) as store:
        s = ingest(store, [str(tmp_path / "feed.jsonl")], engine=FakeEngine(), quiet=True, progress=True)
    assert (s.stored, s.not_english, s.n_failed, s.versions) == (3, 1, 1, 1)
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2, lines  # no bar, no note on French, no line on the new version
    assert lines[0].startswith("saidwho: warning: ") and "'url' must be a string" in lines[0]
    assert lines[1].startswith("saidwho: skipped ") and "'id' must be a string or an integer" in lines[1]
