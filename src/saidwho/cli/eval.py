"""``saidwho eval`` (PolNeAR scores, real pages, speakers, positions) and ``saidwho bench`` (speed)."""

from __future__ import annotations

import json

import click

from ..settings import DEFAULT_RECALL
from .options import chosen_options, chosen_recall, engine_options, recall_options


@click.group("eval")
def eval_group() -> None:
    """Measure the engine against annotated data."""


@eval_group.command("polnear")
@click.argument("directory")
@click.option("--split", default="dev", show_default=True, help="Split to score (train or dev).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Only the first N articles (by id).")
@click.option(
    "--system-out",
    type=click.Path(dir_okay=False, path_type=str),
    default=None,
    help="Also write the predictions as SYSTEM.jsonl for the reference scorer.",
)
@click.option(
    "--gold-out",
    type=click.Path(dir_okay=False, path_type=str),
    default=None,
    help="Also write the gold (with --clutter: the cluttered texts and moved gold) as GOLD.jsonl for the reference scorer.",
)
@recall_options
@click.option("--errors", is_flag=True, help="Also say why each unmatched content was lost (no cue, extent, spurious …).")
@click.option("--clutter", is_flag=True, help="Wrap each article in web-page clutter (headline, byline, captions, teasers, footer) first.")
@click.option("--clutter-seed", type=int, default=0, show_default=True, help="Seed of the clutter drawn with --clutter.")
def polnear_cmd(
    directory: str,
    split: str,
    as_json: bool,
    limit: int | None,
    system_out: str | None,
    gold_out: str | None,
    recall: str,
    candidates: bool,
    errors: bool,
    clutter: bool,
    clutter_seed: int,
) -> None:
    """Score the engine on a PolNeAR split found in DIRECTORY (with --clutter: on the same
    articles wrapped in web-page clutter, beside the clean figures)."""
    from ..eval.polnear import load_split
    from ..eval.errors import format_errors
    from ..eval.run import evaluate_polnear, format_table

    load_split(directory, split, limit=1)  # fail fast on a bad corpus or split, before loading the model
    mode = chosen_recall(recall, candidates)
    engine = None
    if mode != DEFAULT_RECALL:
        from ..engine import Engine

        engine = Engine(recall=mode)
    result = evaluate_polnear(
        directory,
        split,
        limit=limit,
        system_out=system_out,
        gold_out=gold_out,
        engine=engine,
        errors=errors,
        clutter=clutter,
        clutter_seed=clutter_seed,
    )
    if as_json:
        click.echo(json.dumps(result, indent=1))
    else:
        click.echo(format_table(result) + ("\n\n" + format_errors(result["errors"]) if errors else ""))


@eval_group.command("realpages")
@click.option("--pages", "pages_dir", type=click.Path(path_type=str), default=None, help="Saved pages (default: $SAIDWHO_REALPAGES or ../shared/realpages).")
@click.option("--gold", "gold_dir", type=click.Path(path_type=str), default=None, help="Gold files (default: the packaged realpages_set/gold).")
@click.option("--split", type=click.Choice(["dev", "test", "all"]), default="dev", show_default=True, help="Pages to score (splits.json); test is held out.")
@recall_options
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of tables.")
@click.option("--errors", is_flag=True, help="Also list every unmatched system attribution and every missed gold one (never for test pages).")
def realpages_cmd(
    pages_dir: str | None, gold_dir: str | None, split: str, recall: str, candidates: bool, as_json: bool, errors: bool
) -> None:
    """Score the whole HTML path (extraction, then the engine) on real saved news pages
    against hand-written gold, compared on normalised text."""
    from ..eval.realpages import evaluate_realpages, format_realpages

    mode = chosen_recall(recall, candidates)

    class _LazyEngine:
        """The model loads only once the pages and gold have been checked."""

        _engine = None
        accepts_blocks = True

        def analyze(self, text: str, id: str = "doc", blocks=None):
            if self._engine is None:
                from ..engine import Engine

                self._engine = Engine(recall=mode)
            layout = {"blocks": blocks} if getattr(self._engine, "accepts_blocks", False) else {}
            return self._engine.analyze(text, id=id, **layout)

    result = evaluate_realpages(pages_dir, gold_dir, split, engine=_LazyEngine(), errors=errors)  # type: ignore[arg-type]
    result["recall"] = mode
    if as_json:
        click.echo(json.dumps(result, indent=1, ensure_ascii=False))
    else:
        click.echo(f"recall {mode}; " + format_realpages(result, errors))


def _flatten(d: object, prefix: str = "") -> list[tuple[str, object]]:
    if isinstance(d, dict):
        out: list[tuple[str, object]] = []
        for k, v in d.items():
            out += _flatten(v, f"{prefix}.{k}" if prefix else str(k))
        return out
    return [(prefix, d)]


@eval_group.command("speakers")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
def speakers_cmd(as_json: bool) -> None:
    """Evaluate speaker identification on the bundled speaker set."""
    from ..eval.speakers import run_speaker_eval

    _print_result(run_speaker_eval(), as_json)


@eval_group.command("positions")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def positions_cmd(as_json: bool) -> None:
    """Evaluate disagreement/agreement and unattributed-claim detection on the bundled sets
    (our labelled pairs and sentences, and 300 two-actor articles from PERSPECTRUM dev)."""
    from ..eval.positions import run_positions_eval

    _print_result(run_positions_eval(), as_json)


def _print_result(result: dict, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(result, indent=1, default=str))
        return
    rows = _flatten(result)
    width = max((len(k) for k, _ in rows), default=0)
    for k, v in rows:
        if isinstance(v, float):
            click.echo(f"{k:<{width}}  {v:.4f}")
        elif isinstance(v, (list, tuple)):
            click.echo(f"{k:<{width}}  {len(v)}")
            for item in v:
                click.echo(f"  - {json.dumps(item, ensure_ascii=False, default=str)}")
        else:
            click.echo(f"{k:<{width}}  {v}")


@click.command("bench")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--split-dir", type=click.Path(path_type=str), default=None, help="Directory of .txt files (or a PolNeAR split).")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Only the first N texts.")
@click.option("--repeats", type=click.IntRange(min=1), default=3, show_default=True, help="Timed runs per measurement.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@engine_options
def bench_cmd(
    paths: tuple[str, ...], split_dir: str | None, limit: int | None, repeats: int, as_json: bool, model: str | None,
    recall: str, candidates: bool
) -> None:
    """Words per second: spaCy parse alone vs the whole engine, on one CPU."""
    from ..bench import collect_texts, format_bench, run_bench

    items, source = collect_texts(split_dir, paths, limit)
    result = run_bench(items, repeats=repeats, options=chosen_options(model, recall, candidates))
    result["source"] = source
    if as_json:
        click.echo(json.dumps(result, indent=1))
    else:
        click.echo(format_bench(result, source))


COMMANDS = [eval_group, bench_cmd]
