"""The ``saidwho`` command: a thin wrapper over the Python API.

Each command group lives in its own module and is registered here. Errors the user can fix
(:class:`saidwho.errors.SaidwhoError`) are printed as one line with a non-zero exit status.
"""

from __future__ import annotations

import importlib
import sys

import click

from ..errors import SaidwhoError


#: Each command's module, imported when the command runs or help lists it, so that
#: ``saidwho analyze`` loads no database or web code (tests/cli/test_lazy_commands.py checks
#: the table against the modules' ``COMMANDS``).
COMMAND_MODULES = {
    "analyze": "analyze",
    "eval": "eval",
    "bench": "eval",
    "ingest": "corpus",
    "quotes": "corpus",
    "speakers": "corpus",
    "show": "corpus",
    "export": "corpus",
    "migrate": "corpus",
    "positions": "positions",
    "disagreements": "positions",
    "serve": "serve",
}

#: The commands that may create a missing corpus database (SQLite file); every other command
#: reads an existing one, so a typo in ``--db`` is an error rather than a new empty corpus.
CREATES_DB = frozenset({"ingest", "positions"})
#: The commands that open no corpus at all (the store is not even imported for them).
NO_DB = frozenset({"analyze", "eval", "bench"})


class _Group(click.Group):
    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except SaidwhoError as exc:
            click.echo(f"saidwho: error: {exc}", err=True)
            ctx.exit(2)
        except KeyboardInterrupt:
            click.echo("saidwho: interrupted", err=True)
            ctx.exit(130)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(COMMAND_MODULES))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in COMMAND_MODULES:
            module = importlib.import_module(f"{__package__}.{COMMAND_MODULES[name]}")
            for cmd in module.COMMANDS:
                self.commands.setdefault(cmd.name, cmd)
        return super().get_command(ctx, name)


@click.group(cls=_Group)
@click.version_option(package_name="saidwho")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """saidwho: who said what in the news."""
    if ctx.invoked_subcommand not in CREATES_DB and ctx.invoked_subcommand not in NO_DB:
        from ..store import existing_only

        ctx.with_resource(existing_only())


def main(argv: list[str] | None = None) -> int:
    """Console entry point."""
    try:
        cli.main(args=argv, prog_name="saidwho", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
