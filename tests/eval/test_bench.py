"""The speed benchmark on a tiny input (the figures themselves are not checked)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from saidwho.bench import SAMPLE_TEXT, collect_texts, format_bench, run_bench
from saidwho.errors import InputError


def test_collect_texts_from_a_directory_and_files(tmp_path: Path):
    (tmp_path / "text").mkdir()
    (tmp_path / "text" / "b.txt").write_text("Two words.", encoding="utf-8")
    (tmp_path / "text" / "a.txt").write_text("One.", encoding="utf-8")
    (tmp_path / "text" / "empty.txt").write_text("  \n", encoding="utf-8")
    items, source = collect_texts(tmp_path)  # a split dir: its text/ is used
    assert [i for i, _ in items] == ["a", "b"] and source == str(tmp_path)
    items, _ = collect_texts(tmp_path / "text", limit=1)
    assert items == [("a", "One.")]
    items, _ = collect_texts(paths=[tmp_path / "text" / "b.txt"])
    assert items == [("b", "Two words.")]
    with pytest.raises(InputError):
        collect_texts(tmp_path / "text", paths=[tmp_path / "text" / "b.txt"])


def test_default_texts_fall_back_to_the_sample(monkeypatch, tmp_path: Path):
    monkeypatch.setattr("saidwho.eval.polnear.default_root", lambda: None)
    monkeypatch.setattr("saidwho.bench.Path.resolve", lambda self: tmp_path / "a" / "b" / "c")
    items, source = collect_texts()
    assert items == [("sample", SAMPLE_TEXT)] and source == "built-in sample"


def test_run_bench_reports_both_speeds_and_ratio(engine):
    before = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    res = run_bench([("s", SAMPLE_TEXT)], engine=engine, repeats=2)
    assert res["words"] == len(SAMPLE_TEXT.split()) and res["texts"] == 1
    assert len(res["parse"]["seconds"]) == 2 and len(res["engine"]["seconds"]) == 2
    assert res["parse"]["words_per_second"] > 0 and res["engine"]["words_per_second"] > 0
    assert res["ratio"] == pytest.approx(res["engine"]["words_per_second"] / res["parse"]["words_per_second"], rel=1e-3)
    assert res["peak_rss_mib"] > 10
    if before is not None:
        assert res["cpu"] in before
        assert os.sched_getaffinity(0) == before  # pinning is undone
    text = format_bench(res, "test")
    assert "words/s" in text and "ratio (b)/(a)" in text and "ratio (b)/(a2)" in text
    assert len(res["engine_parse"]["seconds"]) == 2
    assert res["ratio_own_parse"] == pytest.approx(res["engine"]["words_per_second"] / res["engine_parse"]["words_per_second"], rel=1e-3)


def test_run_bench_says_when_the_recall_pass_is_timed():
    from saidwho import Engine

    eng = Engine(recall="sentence")
    res = run_bench([("s", SAMPLE_TEXT)], engine=eng, repeats=1)
    assert res["recall"] == "sentence" and res["engine"]["words_per_second"] > 0
    # what is reported is the engine's own options, not a guess from its stages
    assert res["options"] == eng.options.as_dict() and res["model"] == eng.options.model
    assert "recall pass: sentence" in format_bench(res)
    assert "recall pass" in format_bench(res)


def test_each_timed_run_starts_with_empty_memo_tables(engine):
    """A repeat over the same texts must not find their words already scored."""
    from saidwho.bench import forget_caches
    from saidwho.learn import decode

    from saidwho.learn.context import encoder

    engine.analyze(SAMPLE_TEXT)
    encoder().tok.pieces("The mayor said so.")
    assert encoder().tok._known
    cues = engine.nlp.get_pipe("saidwho_cues")
    ruler = engine.nlp.get_pipe("attribute_ruler")
    assert decode._LOCAL_SUMS.get(cues.model) and ruler._saidwho_rules is not None
    forget_caches(engine.nlp)
    assert not decode._LOCAL_SUMS.get(cues.model) and ruler._saidwho_rules is None
    assert not encoder().tok._known
    assert engine.analyze(SAMPLE_TEXT).attributions  # rebuilt on the next call
