"""CLI fixtures: run ``saidwho`` in-process with click's CliRunner, sharing one loaded engine."""

from __future__ import annotations

import pytest
from click.testing import CliRunner, Result

from saidwho.cli import cli


def invoke(args: list[str], input: bytes | str | None = None) -> Result:
    return CliRunner(mix_stderr=False).invoke(cli, args, input=input, catch_exceptions=False)


@pytest.fixture
def run_fresh():
    """The CLI in-process as a user runs it (loads whatever model it is asked for)."""
    return invoke


@pytest.fixture
def run(engine, monkeypatch):
    """``run(args, input=None)``: the CLI in-process, reusing the session's engine."""
    import saidwho.engine as engine_mod

    monkeypatch.setattr(engine_mod, "_shared", engine)
    return invoke


@pytest.fixture
def run_no_model(monkeypatch):
    """The CLI in-process, failing the test if it tries to load a model."""
    import saidwho.engine as engine_mod

    def boom(*a, **k):
        raise AssertionError("the model was loaded")

    monkeypatch.setattr(engine_mod, "get_engine", boom)
    monkeypatch.setattr(engine_mod, "Engine", boom)
    return invoke
