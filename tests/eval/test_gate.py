"""The quality gate: the engine on the whole PolNeAR dev split must reach every floor of
``src/saidwho/eval/floors.json`` (about 20-30 s on one core, so the whole split is used).

The corpus is looked for at ``$SAIDWHO_POLNEAR``, else at ``../shared/polnear`` next to the
repository root (CI clones the repository at ``X/main`` and the data at ``X/shared``). Without
it the test fails in CI (``CI`` set) and is skipped elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from saidwho.eval.run import HEADLINE, below_floors, evaluate_polnear, load_floors

REPO = Path(__file__).resolve().parents[2]


def _corpus() -> Path | None:
    env = os.environ.get("SAIDWHO_POLNEAR")
    cand = Path(env) if env else REPO.parent / "shared" / "polnear"
    return cand if (cand / "metadata.tsv").is_file() else None


#: The floors table of each recall mode (Engine(recall=…)).
GATES = {"window": "floors", "sentence": "floors_candidates", "off": "floors_recall_off"}


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def test_floors_file_is_well_formed():
    floors = load_floors()
    assert set(HEADLINE) <= set(floors["floors"]), "every tracked figure needs a floor"
    assert set(HEADLINE) <= set(floors["targets"])
    for table in GATES.values():
        assert set(HEADLINE) <= set(floors[table]), f"every recall mode is gated ({table})"
    for table in (*GATES.values(), "targets"):
        for path, value in floors[table].items():
            assert 0.0 <= value <= 1.0 and round(value, 2) == value, (table, path)
    # dotted paths must name figures that exist in a result
    from saidwho.eval.scorer import metric, score_corpus

    empty = score_corpus([])
    empty["headline"] = {}
    for table in GATES.values():
        for path in floors[table]:
            metric(empty, path)


def _dev_root() -> Path:
    root = _corpus()
    if root is None:
        msg = "PolNeAR not found: set SAIDWHO_POLNEAR or put it at ../shared/polnear"
        if _in_ci():
            pytest.fail(msg)
        pytest.skip(msg)
    return root


@pytest.mark.slow
def test_dev_split_reaches_every_floor(engine):
    """The default engine (recall pass reading a window around each candidate cue)."""
    result = evaluate_polnear(_dev_root(), "dev", engine=engine)
    assert result["articles"] == 84 and result["gold"] > 2000
    failures = below_floors(result, load_floors()["floors"])
    assert not failures, "\n".join(failures)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["sentence", "off"])
def test_dev_split_in_each_other_recall_mode_reaches_its_floors(mode):
    from saidwho import Engine

    result = evaluate_polnear(_dev_root(), "dev", engine=Engine(recall=mode))
    assert result["articles"] == 84 and result["gold"] > 2000
    failures = below_floors(result, load_floors()[GATES[mode]])
    assert not failures, "\n".join(failures)
