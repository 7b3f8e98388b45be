"""``saidwho analyze``: one or many texts to attributions (placeholder, replaced by the CLI work)."""

from __future__ import annotations

import json
import sys

import click

from ..engine import analyze as _analyze


@click.command("analyze")
@click.argument("paths", nargs=-1)
def analyze_cmd(paths: tuple[str, ...]) -> None:
    """Analyse texts and print the JSON contract."""
    for p in paths:
        text = sys.stdin.read() if p == "-" else open(p, encoding="utf-8").read()
        click.echo(json.dumps(_analyze(text).to_dict(), ensure_ascii=False))


COMMANDS = [analyze_cmd]
