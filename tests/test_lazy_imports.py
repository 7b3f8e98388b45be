"""What a process loads to analyse text: no database, web or Dask code, no training code, and
no judge when the recall pass is off. Checked in a fresh interpreter (this one has loaded
everything the other tests use)."""

import json
import subprocess
import sys

import pytest

#: Stacks that analysis never uses (the corpus, the web page, batch runs on a cluster).
NOT_FOR_ANALYSIS = ("sqlalchemy", "psycopg", "psycopg2", "dask", "distributed", "fastapi", "starlette", "uvicorn",
                    "saidwho.store", "saidwho.web", "saidwho.batch", "saidwho.corpus")
#: Training code (house rule: runtime code never imports it).
TRAINING = ("saidwho.learn.train", "saidwho.learn.train_mlp", "saidwho.learn.train_extent",
            "saidwho.learn.train_acceptor", "saidwho.learn.crossfit", "saidwho.learn.build_clusters",
            "saidwho.learn.convert_models")

SCRIPT = r"""
import json, sys
stage = {}
import saidwho
stage["import"] = sorted(sys.modules)
MODE
from saidwho.pipeline import models
stage["after"] = sorted(sys.modules)
stage["judges_loaded"] = models.load_acceptor.cache_info().currsize
print(json.dumps(stage))
"""


def _run(body: str, tmp_path) -> dict:
    code = SCRIPT.replace("MODE", body)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def _hits(modules: list[str], names: tuple[str, ...]) -> list[str]:
    return [m for m in modules if any(m == n or m.startswith(n + ".") for n in names)]


@pytest.mark.parametrize("recall", ["off", "window"])
def test_analysing_an_article_loads_no_database_web_or_training_code(recall, tmp_path):
    stage = _run(
        "from saidwho.engine import Engine\n"
        f"art = Engine(recall={recall!r}).analyze('“We will win,” the mayor said on Tuesday. The council believes it.')\n"
        "assert art.attributions",
        tmp_path,
    )
    assert _hits(stage["import"], NOT_FOR_ANALYSIS + TRAINING) == []
    assert _hits(stage["after"], NOT_FOR_ANALYSIS + TRAINING) == []
    if recall == "off":
        assert stage["judges_loaded"] == 0  # no candidates are offered, so the judge is never read


def test_the_command_line_analysis_loads_no_database_web_or_training_code(tmp_path):
    (tmp_path / "one.txt").write_text("“We will win,” the mayor said.\n", encoding="utf-8")
    stage = _run(
        "from saidwho.cli import main\n"
        "assert main(['analyze', '--recall', 'off', '--format', 'jsonl', 'one.txt']) == 0",
        tmp_path,
    )
    assert _hits(stage["after"], NOT_FOR_ANALYSIS + TRAINING) == []
    assert stage["judges_loaded"] == 0


def test_the_corpus_is_still_reachable_as_saidwho_open():
    import saidwho
    from saidwho.corpus import open_corpus

    assert saidwho.open is open_corpus
    with pytest.raises(AttributeError):
        saidwho.no_such_thing  # noqa: B018
