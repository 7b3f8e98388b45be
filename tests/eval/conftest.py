"""Fixtures of the evaluation tests: a tiny PolNeAR-shaped corpus written for them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

HEADER = "compartment\tfilename\tlevel\tannotators\tpublisher\tpublication_date\tauthor\ttitle\n"

TEXT_B = "Critics said the plan fails. “It will not work,” a senator warned, “not this year.”\n"
ANN_B_FIRST = "\n".join(
    [
        "T1\tSource 0 7\tCritics",
        "T2\tCue 8 12\tsaid",
        "T3\tContent 13 27\tthe plan fails",
        "T4\tAttribution 8 12\tsaid",
        "E1\tAttribution:T4 Source:T1 Cue:T2 Content:T3",
        "T5\tSource 49 58\ta senator",
        "T6\tCue 59 65\twarned",
        "T7\tContent 30 46;68 81\tIt will not work not this year",
        "T8\tAttribution 59 65\twarned",
        "E2\tAttribution:T8 Content:T7 Cue:T6 Source:T5",
        "T9\tContent 29 30\t“",
        "E3\tAttribution:T8 Content2:T9 Cue:T6",
        "E4\tAttribution-no-source:T10 ",
        "T11\tDiscard 0 7\tCritics",
        "T12\tDiscuss 8 12\tsaid",
        "A1\tSomething T1",
        "#1\tAnnotatorNotes T1\ta note",
    ]
)
ANN_B_SECOND = "T1\tCue 8 12\tsaid\nE1\tAttribution:T1 Cue:T1\n"

TEXT_A = "It is feared the talks will collapse.\n"
ANN_A = "\n".join(
    [
        "T1\tCue 3 12\tis feared",
        "T2\tContent 13 36\tthe talks will collapse",
        "T3\tAttribution-no-source 3 12\tis feared",
        "E1\tAttribution-no-source:T3 Cue:T2 Content:T2",
        "E2\tAttribution-no-source:T3 Cue:T1 Content:T2 Content2:T2",
    ]
)


@pytest.fixture()
def tiny_corpus(tmp_path: Path) -> Path:
    root = tmp_path / "polnear"
    for split in ("dev", "train"):
        (root / split / "text").mkdir(parents=True)
        (root / split / "attributions").mkdir(parents=True)
    (root / "metadata.tsv").write_text(
        HEADER
        + "dev\tb_article\t3\tzz01|aa02\tpub\t2016-01-01\tX\tT\n"
        + "dev\ta_article\t3\tqq09\tpub\t2016-01-02\tY\tU\n"
        + "train\tc_article\t3\tqq09\tpub\t2016-01-03\tZ\tV\n",
        encoding="utf-8",
    )
    (root / "dev" / "text" / "b_article.txt").write_text(TEXT_B, encoding="utf-8")
    (root / "dev" / "attributions" / "b_article_zz01.ann").write_text(ANN_B_FIRST, encoding="utf-8")
    (root / "dev" / "attributions" / "b_article_aa02.ann").write_text(ANN_B_SECOND, encoding="utf-8")
    (root / "dev" / "text" / "a_article.txt").write_text(TEXT_A, encoding="utf-8")
    (root / "dev" / "attributions" / "a_article_qq09.ann").write_text(ANN_A, encoding="utf-8")
    (root / "train" / "text" / "c_article.txt").write_text("Nothing.\n", encoding="utf-8")
    (root / "train" / "attributions" / "c_article_qq09.ann").write_text("", encoding="utf-8")
    return root


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner(mix_stderr=False)


def _check_one_line_error(result, *needles: str) -> None:
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("saidwho: error:"), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    for n in needles:
        assert n in lines[0]


@pytest.fixture()
def one_line_error():
    """The check every CLI error of the evaluation commands passes: a non-zero exit and one
    ``saidwho: error:`` line on stderr naming each of ``needles``, never a traceback."""
    return _check_one_line_error

