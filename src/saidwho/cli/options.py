"""Options shared by several commands."""

from __future__ import annotations

from collections.abc import Callable

import click

from ..options import EngineOptions
from ..settings import DEFAULT_RECALL, RECALL_MODES


def recall_options(f: Callable) -> Callable:
    """``--recall MODE`` and its older spelling ``--candidates`` (= ``--recall sentence``)."""
    f = click.option("--candidates", is_flag=True, help="The same as --recall sentence (its older name).")(f)
    return click.option(
        "--recall",
        type=click.Choice(RECALL_MODES),
        default=DEFAULT_RECALL,
        envvar="SAIDWHO_RECALL",
        show_default=True,
        help="Recall pass: 'window' judges the cues the tagger nearly took by 17 wordpieces around "
        "each; 'sentence' reads the whole sentence (a little more found, slower); 'off' keeps only "
        "the tagger's own cues (fewer found, more of them right). ($SAIDWHO_RECALL)",
    )(f)


def engine_options(f: Callable) -> Callable:
    """``--model NAME`` and the recall options: what a command that runs the engine is told."""
    f = recall_options(f)
    return click.option(
        "--model", metavar="NAME", help="spaCy pipeline package to load (default: SAIDWHO_MODEL or the built-in one)."
    )(f)


def chosen_recall(recall: str, candidates: bool) -> str:
    """The recall mode the two options ask for."""
    if not candidates:
        return recall
    if recall == "off":
        raise click.UsageError("--candidates (--recall sentence) contradicts --recall off")
    return "sentence"


def chosen_options(model: str | None, recall: str, candidates: bool) -> EngineOptions:
    """The one :class:`EngineOptions` a command's ``--model`` / ``--recall`` / ``--candidates`` ask for."""
    return EngineOptions.preset(chosen_recall(recall, candidates), model=model)


def engine_for(options: EngineOptions, model: str | None = None):
    """The engine for ``options``: the process-wide one when they are the environment's own
    and no model was named (loaded once per process), else one built from them (a named
    ``--model`` is always loaded, so that a missing one is reported)."""
    from ..engine import Engine, get_engine

    if model or options != EngineOptions.from_env():
        return Engine(options=options)
    return get_engine()
