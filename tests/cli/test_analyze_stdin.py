"""``saidwho analyze -``: stdin in every format."""

from __future__ import annotations

import json

QUOTE = "“We will win,” the mayor said.\n"


def test_stdin_jsonl_id_is_stdin(run):
    r = run(["analyze", "-f", "jsonl", "-"], input=QUOTE.encode())
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == 1
    d = json.loads(lines[0])
    assert d["id"] == "stdin"
    said = [a for a in d["attributions"] if a["cue"]["text"] == "said"]
    assert said and said[0]["kind"] == "direct"
    assert QUOTE[said[0]["cue"]["start"] : said[0]["cue"]["end"]] == "said"


def test_stdin_json_single_object(run):
    r = run(["analyze", "--format", "json", "-"], input=QUOTE.encode())
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    assert isinstance(d, dict) and d["id"] == "stdin" and "\n  " in r.stdout  # pretty-printed


def test_stdin_text_table_is_default(run):
    r = run(["analyze", "-"], input=QUOTE.encode())
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith("stdin: ")
    assert "SPEAKER" in r.stdout and "mayor" in r.stdout and "said" in r.stdout


def test_stdin_brat_prints_ann(run):
    r = run(["analyze", "-f", "brat", "-"], input=QUOTE.encode())
    assert r.exit_code == 0, r.stderr
    assert "\tCue 25 29\tsaid" in r.stdout
    assert any(ln.startswith("E1\tAttribution") for ln in r.stdout.splitlines())


def test_stdin_empty_is_an_error(run_no_model):
    r = run_no_model(["analyze", "-"], input=b"  \n")
    assert r.exit_code == 1
    assert r.stderr == "saidwho: error: <stdin>: file is empty (only whitespace)\n"
    assert r.stdout == ""
