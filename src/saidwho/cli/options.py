"""Options shared by several commands."""

from __future__ import annotations

from collections.abc import Callable

import click

from ..settings import DEFAULT_RECALL, RECALL_MODES


def recall_options(f: Callable) -> Callable:
    """``--recall MODE`` and its older spelling ``--candidates`` (= ``--recall sentence``)."""
    f = click.option("--candidates", is_flag=True, help="The same as --recall sentence (its older name).")(f)
    return click.option(
        "--recall",
        type=click.Choice(RECALL_MODES),
        default=DEFAULT_RECALL,
        show_default=True,
        help="Recall pass: 'window' judges the cues the tagger nearly took by 17 wordpieces around "
        "each; 'sentence' reads the whole sentence (a little more found, slower); 'off' keeps only "
        "the tagger's own cues (fewer found, more of them right).",
    )(f)


def chosen_recall(recall: str, candidates: bool) -> str:
    """The recall mode the two options ask for."""
    if not candidates:
        return recall
    if recall == "off":
        raise click.UsageError("--candidates (--recall sentence) contradicts --recall off")
    return "sentence"
