"""``saidwho analyze``: texts (files, directories, stdin) to attributions in four formats."""

from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Iterator
from itertools import chain
from typing import Any

import click

from .. import formats
from ..engine import pipe_or_errors
from ..errors import SaidwhoError
from ..ingest.language import not_english_note
from ..ingest.text import STDIN, TextInput, display_path, iter_inputs
from .options import chosen_options, engine_options, engine_for
from ..types import Article

#: Exit status, the same rule as ``saidwho ingest``: 0 every input was done; 1 some input
#: failed (each reported on stderr; the others were done), or all did; 2 usage or set-up error.
EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_NOTHING_READ = EXIT_SOME_FAILED


def _report(message: str) -> None:
    click.echo(f"saidwho: error: {message}", err=True)


def _analysed(engine, items: Iterator[TextInput]) -> Iterator[tuple[TextInput, Article | BaseException | str]]:
    """``(input, article or exception)`` in order, streaming through the engine's batching; an
    input not in English is not sent to the engine: its result is its language code."""
    from ..ingest.language import detect

    kept: deque[tuple[TextInput, str | None]] = deque()

    def pairs() -> Iterator[tuple[str, str]]:
        for it in items:
            found = detect(it.text)
            kept.append((it, None if found.english else found.code))
            if found.english:
                yield it.id, it.text

    def not_english() -> Iterator[tuple[TextInput, str]]:
        while kept and kept[0][1] is not None:
            it, code = kept.popleft()
            yield it, code  # type: ignore[misc]

    for res in pipe_or_errors(engine, pairs()):
        yield from not_english()
        yield kept.popleft()[0], res
    yield from not_english()


def _failure(it: TextInput, exc: BaseException) -> str:
    if isinstance(exc, SaidwhoError):
        return f"{display_path(it.path)}: {exc}"
    return f"{display_path(it.path)}: analysis failed ({type(exc).__name__}: {exc})"


def _write_text_file(path: str, content: str) -> None:
    try:
        with open(path, "w", encoding="utf-8", newline="") as fh:
            fh.write(content)
    except OSError as exc:
        raise SaidwhoError(f"{path}: cannot write: {exc.strerror or exc}") from None


@click.command("analyze")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...|-")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(formats.FORMATS),
    default="text",
    show_default=True,
    help="text: a table per article; json: the JSON contract (an array for several inputs); "
    "jsonl: one line per input; brat: PolNeAR-style standoff (.ann).",
)
@click.option(
    "-o",
    "--out",
    "out_dir",
    metavar="DIR",
    help="With --format brat: write <id>.txt and <id>.ann for each input into DIR "
    "(needed for several inputs).",
)
@click.option("-q", "--quiet", is_flag=True, help="No notes on stderr (inputs not in English); errors are always said.")
@click.option(
    "--positions",
    is_flag=True,
    help="Add source chains, vague sources, unattributed claims, propositions and "
    "disagreements/agreements (text, json, jsonl; needs saidwho.analysis).",
)
@click.option(
    "--outlet",
    metavar="NAME",
    help="With --positions: the publishing outlet, where each source chain starts "
    "(e.g. for a pasted article).",
)
@engine_options
def analyze_cmd(
    paths: tuple[str, ...],
    fmt: str,
    out_dir: str | None,
    quiet: bool,
    positions: bool,
    outlet: str | None,
    model: str | None,
    recall: str,
    candidates: bool,
) -> None:
    """Find who said what in news texts.

    PATH is a UTF-8 text file, a directory (all its *.txt files, recursively, in sorted
    order) or - for stdin. Each input's id is its file name without extension (stdin: "stdin").

    Inputs that cannot be read (empty, binary, not UTF-8, too large, unreadable) are reported
    on stderr as "saidwho: error: PATH: reason"; the others are still analysed.

    With --positions, json/jsonl gain "propositions", "relations", "unattributed" and each
    attribution's "vague" and "chain"; the text format shows, after the table, each source
    chain (outlet ← Haaretz ← Alon Pinkas ← Netanyahu) flagged [vague source] where the source
    is vague, the unattributed claims with their reason, the propositions by actor, and the
    disagreements/agreements strongest first with both evidence spans and the score.

    \b
    Exit status (the same rule as `saidwho ingest`):
      0  every input was analysed
      1  some input could not be read or analysed (each is reported; the others
         were analysed), or no input could be read
      2  usage error, or a problem such as a missing model
    """
    single = len(paths) == 1 and (paths[0] == STDIN or not os.path.isdir(paths[0]))
    if out_dir is not None and fmt != "brat":
        raise click.UsageError("--out is only used with --format brat (redirect stdout for other formats)")
    if fmt == "brat" and out_dir is None and not single:
        raise click.UsageError("--format brat with a directory or several inputs needs --out DIR")
    if positions and fmt not in ("text", "json", "jsonl"):
        raise click.UsageError("--positions applies to --format text, json or jsonl")
    if outlet is not None and not positions:
        raise click.UsageError("--outlet is only used with --positions")
    outlet = (outlet or "").strip() or None
    if positions:
        from ..analysis import enrich
    else:
        enrich = None
    if out_dir is not None:
        try:
            os.makedirs(out_dir, exist_ok=True)
        except OSError as exc:
            raise SaidwhoError(f"{out_dir}: cannot create output directory: {exc.strerror or exc}") from None

    stdin = click.get_binary_stream("stdin") if STDIN in paths else None

    failed = 0

    def readable() -> Iterator[TextInput]:
        nonlocal failed
        for item in iter_inputs(paths, stdin=stdin):
            if isinstance(item, TextInput):
                yield item
            else:
                failed += 1
                _report(str(item))

    items = readable()
    first = next(items, None)
    if first is None:  # nothing to analyse: don't even load the model
        click.get_current_context().exit(EXIT_NOTHING_READ)
    engine = engine_for(chosen_options(model, recall, candidates), model)

    def results() -> Iterator[tuple[TextInput, Article, dict[str, Any] | None]]:
        nonlocal failed
        for it, res in _analysed(engine, chain([first], items)):
            if isinstance(res, BaseException):
                failed += 1
                _report(_failure(it, res))
                continue
            if isinstance(res, str):  # not English: said on stderr, an empty result on stdout
                note = not_english_note(res)
                if not quiet:
                    click.echo(f"saidwho: note: {display_path(it.path)}: {note}", err=True)
                yield it, Article(id=it.id, text=it.text), (None if fmt == "text" else {"language": res, "note": note})
                continue
            extra = None
            if enrich is not None:
                try:
                    # the engine's own pipeline parses the propositions: no second model load
                    extra = enrich(res, outlet=outlet, nlp=engine.nlp)
                except Exception as exc:  # noqa: BLE001
                    failed += 1
                    _report(f"{display_path(it.path)}: --positions failed ({type(exc).__name__}: {exc})")
                    continue
            yield it, res, extra

    done = 0
    try:
        if fmt == "json" and not single:
            rendered = (formats.to_json(a, extra) for _it, a, extra in results())

            def counted() -> Iterator[str]:
                nonlocal done
                for r in rendered:
                    done += 1
                    yield r

            for chunk in formats.json_array(counted()):
                click.echo(chunk, nl=False)
            click.echo()
        else:
            for _it, art, extra in results():
                if fmt == "text":
                    click.echo(("\n" if done else "") + formats.to_text(art, positions=extra), nl=False)
                elif fmt == "json":
                    click.echo(formats.to_json(art, extra))
                elif fmt == "jsonl":
                    click.echo(formats.to_jsonl(art, extra))
                elif out_dir is not None:
                    _write_text_file(os.path.join(out_dir, f"{art.id}.txt"), art.text)
                    _write_text_file(os.path.join(out_dir, f"{art.id}.ann"), formats.to_brat(art))
                else:
                    click.echo(formats.to_brat(art), nl=False)
                done += 1
        if fmt == "brat" and out_dir is not None and done:
            conf = os.path.join(out_dir, "annotation.conf")
            if not os.path.exists(conf):
                _write_text_file(conf, formats.BRAT_ANNOTATION_CONF)
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. `saidwho analyze dir | head`: stop quietly
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):
            pass
        click.get_current_context().exit(EXIT_OK if done else EXIT_NOTHING_READ)
    click.get_current_context().exit(EXIT_OK if done and not failed else EXIT_SOME_FAILED)


COMMANDS = [analyze_cmd]
