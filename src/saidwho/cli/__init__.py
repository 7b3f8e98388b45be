"""The ``saidwho`` command: a thin wrapper over the Python API.

Each command group lives in its own module and is registered here. Errors the user can fix
(:class:`saidwho.errors.SaidwhoError`) are printed as one line with a non-zero exit status.
"""

from __future__ import annotations

import sys

import click

from ..errors import SaidwhoError


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


#: The commands that may create a missing corpus database (SQLite file); every other command
#: reads an existing one, so a typo in ``--db`` is an error rather than a new empty corpus.
CREATES_DB = frozenset({"ingest", "positions"})


@click.group(cls=_Group)
@click.version_option(package_name="saidwho")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """saidwho: who said what in the news."""
    if ctx.invoked_subcommand not in CREATES_DB:
        from ..store import existing_only

        ctx.with_resource(existing_only())


def _register() -> None:
    from . import analyze as _analyze
    from . import corpus as _corpus
    from . import eval as _eval
    from . import positions as _positions
    from . import serve as _serve

    for mod in (_analyze, _eval, _corpus, _positions, _serve):
        for cmd in getattr(mod, "COMMANDS", ()):
            cli.add_command(cmd)


_register()


def main(argv: list[str] | None = None) -> int:
    """Console entry point."""
    try:
        cli.main(args=argv, prog_name="saidwho", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
