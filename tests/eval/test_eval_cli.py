"""``saidwho eval`` and ``saidwho bench`` from the command line: output and bad input."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest

from saidwho.cli import cli



def test_missing_directory(runner, tmp_path: Path, one_line_error):
    one_line_error(runner.invoke(cli, ["eval", "polnear", str(tmp_path / "absent")]), "not found")


def test_directory_without_metadata(runner, tmp_path: Path, one_line_error):
    one_line_error(runner.invoke(cli, ["eval", "polnear", str(tmp_path)]), "metadata.tsv")


def test_unknown_split(runner, tiny_corpus: Path, one_line_error):
    one_line_error(runner.invoke(cli, ["eval", "polnear", str(tiny_corpus), "--split", "nope"]), "'nope'", "dev, train")


def test_unwritable_system_out(runner, tiny_corpus: Path, engine, monkeypatch, tmp_path: Path, one_line_error):
    monkeypatch.setattr("saidwho.engine.Engine", lambda *a, **k: engine)
    res = runner.invoke(cli, ["eval", "polnear", str(tiny_corpus), "--system-out", str(tmp_path / "no" / "x.jsonl")])
    one_line_error(res, "cannot write")


def test_polnear_json_and_system_out(runner, tiny_corpus: Path, engine, monkeypatch, tmp_path: Path):
    monkeypatch.setattr("saidwho.engine.Engine", lambda *a, **k: engine)
    out = tmp_path / "system.jsonl"
    res = runner.invoke(cli, ["eval", "polnear", str(tiny_corpus), "--split", "dev", "--json", "--system-out", str(out)])
    assert res.exit_code == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["articles"] == 2 and data["gold"] == 5 and data["split"] == "dev"
    for mode in ("exact", "overlap"):
        for k in ("source", "cue", "content", "triple"):
            assert set(data[mode][k]) >= {"p", "r", "f1"}
        assert set(data["direct"][mode]) == {"content", "triple"}
        assert set(data["other"][mode]) == {"content", "triple"}
    assert set(data["headline"]) == {
        "exact.content.f1",
        "overlap.content.f1",
        "exact.source.f1",
        "exact.cue.f1",
        "overlap.triple.f1",
        "direct.overlap.content.f1",
    }
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [x["id"] for x in lines] == ["a_article", "b_article"]
    assert sum(len(x["attributions"]) for x in lines) == data["system"]
    for x in lines:
        for a in x["attributions"]:
            assert set(a) == {"source", "cue", "content"}
            assert all(len(f) == 2 and f[0] <= f[1] for f in a["cue"] + a["content"] + a["source"])


def test_polnear_table_and_limit(runner, tiny_corpus: Path, engine, monkeypatch):
    monkeypatch.setattr("saidwho.engine.Engine", lambda *a, **k: engine)
    res = runner.invoke(cli, ["eval", "polnear", str(tiny_corpus), "--limit", "1"])
    assert res.exit_code == 0, res.stderr
    assert "1 articles" in res.stdout
    for word in ("EXACT", "OVERLAP", "triple", "direct", "content exact F1"):
        assert word in res.stdout
    assert runner.invoke(cli, ["eval", "polnear", str(tiny_corpus), "--limit", "0"]).exit_code != 0


def test_speakers_prints_the_module_result(runner, monkeypatch):
    fake = types.ModuleType("saidwho.eval.speakers")
    fake.run_speaker_eval = lambda: {"accuracy": 0.75, "counts": {"found": 4, "labelled": 5}, "errors": [{"cue": "said"}]}  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "saidwho.eval.speakers", fake)
    res = runner.invoke(cli, ["eval", "speakers", "--json"])
    assert res.exit_code == 0 and json.loads(res.stdout)["counts"]["labelled"] == 5
    res = runner.invoke(cli, ["eval", "speakers"])
    assert res.exit_code == 0 and "accuracy" in res.stdout and "0.7500" in res.stdout and "counts.found" in res.stdout
    assert '  - {"cue": "said"}' in res.stdout


def test_positions_prints_the_module_result(runner, monkeypatch):
    fake = types.ModuleType("saidwho.eval.positions")
    fake.run_positions_eval = lambda: {"disagreement": {"precision": 0.9, "recall": 0.8}}  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "saidwho.eval.positions", fake)
    res = runner.invoke(cli, ["eval", "positions"])
    assert res.exit_code == 0 and "disagreement.precision" in res.stdout and "0.9000" in res.stdout


def test_bench_bad_inputs(runner, tmp_path: Path, one_line_error):
    one_line_error(runner.invoke(cli, ["bench", "--split-dir", str(tmp_path / "absent")]), "not found")
    one_line_error(runner.invoke(cli, ["bench", str(tmp_path / "absent.txt")]), "not found")
    one_line_error(runner.invoke(cli, ["bench", "--split-dir", str(tmp_path)]), "no .txt")


def test_polnear_errors_add_up(runner, tiny_corpus: Path, engine, monkeypatch):
    monkeypatch.setattr("saidwho.engine.Engine", lambda *a, **k: engine)
    res = runner.invoke(cli, ["eval", "polnear", str(tiny_corpus), "--json", "--errors"])
    assert res.exit_code == 0, res.stderr
    data = json.loads(res.stdout)
    content = data["overlap"]["content"]
    assert sum(data["errors"]["missed_gold"].values()) == content["n_gold"] - content["tp_gold"]
    assert sum(data["errors"]["wrong_system"].values()) == content["n_sys"] - content["tp_sys"]
    table = runner.invoke(cli, ["eval", "polnear", str(tiny_corpus), "--errors"])
    assert table.exit_code == 0 and "WHERE CONTENT OVERLAP IS LOST" in table.stdout
