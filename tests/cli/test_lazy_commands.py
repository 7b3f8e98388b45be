"""The command table that lets ``saidwho analyze`` import only its own command's module."""

import importlib
import pkgutil

import saidwho.cli as cli_pkg
from saidwho.cli import COMMAND_MODULES, cli


def test_every_command_is_in_the_table_with_its_module():
    found = {}
    for info in pkgutil.iter_modules(cli_pkg.__path__):
        if info.name == "__main__":
            continue
        module = importlib.import_module(f"saidwho.cli.{info.name}")
        for cmd in getattr(module, "COMMANDS", ()):
            found[cmd.name] = info.name
    assert found == COMMAND_MODULES


def test_help_lists_every_command(run_fresh):
    r = run_fresh(["--help"])
    assert r.exit_code == 0
    for name in COMMAND_MODULES:
        assert name in r.stdout
    assert cli.get_command(None, "no-such-command") is None
