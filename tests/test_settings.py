"""Settings from the environment: a bad value is one clear line, not a traceback."""

import pytest

from saidwho import settings
from saidwho.errors import SaidwhoError


def test_max_chars_default_and_override(monkeypatch):
    monkeypatch.delenv("SAIDWHO_MAX_CHARS", raising=False)
    assert settings.max_chars() == settings.DEFAULT_MAX_CHARS
    monkeypatch.setenv("SAIDWHO_MAX_CHARS", "1_000")
    assert settings.max_chars() == 1000


def test_max_chars_bad_value_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("SAIDWHO_MAX_CHARS", "2MB")
    with pytest.raises(SaidwhoError, match="whole number"):
        settings.max_chars()


def test_cli_reports_bad_setting_in_one_line(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from saidwho.cli import cli

    f = tmp_path / "a.txt"
    f.write_text("“We will win,” the coach said.", encoding="utf-8")
    monkeypatch.setenv("SAIDWHO_MAX_CHARS", "2MB")
    r = CliRunner().invoke(cli, ["analyze", str(f)])
    assert r.exit_code != 0
    assert "SAIDWHO_MAX_CHARS" in r.output
    assert "Traceback" not in r.output
