"""Positions in the corpus: ``positions`` (compute and store the analysis of stored articles)
and ``disagreements`` (who contradicts whom, across the corpus). Both take ``--db``.
"""

from __future__ import annotations

import json
import sys

import click

from ..store import export as fmt
from .corpus import db_option


def _open(db: str, create: bool, readonly: bool = False):
    from ..corpus import open_corpus

    return open_corpus(db, create=create, readonly=readonly)


@click.command("positions")
@db_option
@click.option(
    "--reanalyse", "--reanalyze", is_flag=True,
    help="Redo every article, not only those without stored positions (oldest analysis first).",
)
@click.option("--limit", type=click.IntRange(0), default=None,
              help="At most this many articles in this run (0: all).")
@click.option("--progress/--no-progress", default=None, help="Force the progress bar on or off (default: on a terminal).")
@click.option("--summary-json", is_flag=True, help="Print the end summary as JSON on stdout.")
def positions_cmd(db, reanalyse, limit, progress, summary_json) -> None:
    """Store the positions analysis of stored articles: propositions, disagreements and
    agreements, unattributed claims, vague sources and source chains.

    Only articles without it are analysed (from their stored text; the engine is not run
    again), each in its own transaction: an interrupted run resumes when run again, and a
    second run does nothing. Articles re-ingested later lose theirs and are picked up by the
    next run. Exit status 1 when some articles failed (the rest is stored).
    """
    if progress is None:
        progress = sys.stderr.isatty()
    with _open(db, create=True) as corpus:
        n = len(corpus.store.pending_positions(everything=reanalyse))
        if limit:
            n = min(n, limit)
        if progress and n:
            with click.progressbar(length=n, label="positions", file=sys.stderr) as bar:
                summary = corpus.analyse_positions(reanalyse=reanalyse, limit=limit,
                                                   on_article=lambda _aid, _s: bar.update(1))
        else:
            summary = corpus.analyse_positions(reanalyse=reanalyse, limit=limit)
    click.echo(
        f"saidwho: positions: {summary['analysed']} analysed, {summary['skipped']} skipped, "
        f"{summary['failed']} failed (of {summary['pending']} to do)",
        err=True,
    )
    for aid, reason in summary["failures"][:20]:
        click.echo(f"  article {aid}: {reason}", err=True)
    if summary["failed"] > 20:
        click.echo(f"  ... and {summary['failed'] - 20} more", err=True)
    if summary_json:
        click.echo(json.dumps(summary, ensure_ascii=False))
    if summary["failed"]:
        sys.exit(1)


@click.command("disagreements")
@db_option
@click.option("--about", metavar="TEXT", help="Only pairs about these words (each side mentions one, together all).")
@click.option(
    "--speaker", "speakers", multiple=True, metavar="NAME|ID",
    help="Pairs involving this speaker; twice (--speaker A --speaker B): pairs between the two.",
)
@click.option("--limit", type=click.IntRange(0), default=50, show_default=True, help="At most this many (0: all).")
@click.option(
    "--scope", type=click.Choice(("all", "article", "corpus")), default="all", show_default=True,
    help="article: pairs inside one article; corpus: pairs across articles; all: both.",
)
@click.option("--agreements", is_flag=True, help="Agreements instead of disagreements.")
@click.option("--self", "self_", is_flag=True,
              help="A speaker's self-contradictions over time: their statements in different articles, "
                   "the earlier first (with --agreements: where they repeat themselves).")
@click.option("--outlet", metavar="NAME", help="Both articles from this outlet.")
@click.option("--since", metavar="DATE", help="Both articles published on or after DATE (YYYY-MM-DD).")
@click.option("--until", metavar="DATE", help="Both articles published on or before DATE (YYYY-MM-DD).")
@click.option(
    "--format", "fmt_", type=click.Choice(("table", "json", "jsonl")), default="table", show_default=True,
    help="Output format.",
)
def disagreements_cmd(db, about, speakers, limit, scope, agreements, self_, outlet, since, until, fmt_) -> None:
    """Where stored speakers' positions collide: pairs of propositions by different speakers
    about the same topic that disagree, strongest first, with both evidence spans and articles.

    Inside one article the pairs are those the analysis found; across articles candidates are
    the pairs that share stored topic words or subject fields (scored with the stored sentence
    embeddings when the model was installed), and the same rule decides: the stance model
    gating the polarity rule. Each pair says on what basis. Needs `saidwho positions` first.
    """
    from .. import formats

    if len(speakers) > 2:
        raise click.UsageError("--speaker is given at most twice")
    if self_:
        if len(speakers) > 1:
            raise click.UsageError("--self takes --speaker at most once")
        if scope != "all":
            raise click.UsageError("--self is across articles: leave --scope out")
        scope = "self"
    with _open(db, create=False, readonly=True) as corpus:  # reads only: never writes
        records = corpus.disagreements(
            about=about, speakers=list(speakers), limit=limit or None,
            kind="agree" if agreements else "disagree", scope=scope, outlet=outlet, since=since, until=until,
        )
        missing = len(corpus.store.pending_positions()) if not records else 0
    if fmt_ == "json":
        fmt.write_json(records, sys.stdout)
    elif fmt_ == "jsonl":
        fmt.write_jsonl(records, sys.stdout)
    else:
        click.echo(formats.pairs_text(records), nl=False)
        word = "agreement" if agreements else "disagreement"
        click.echo(f"({len(records)} {word}{'s' if len(records) != 1 else ''})", err=True)
    if missing:
        click.echo(f"saidwho: {missing} stored article{'s have' if missing != 1 else ' has'} no positions yet: "
                   "run `saidwho positions`", err=True)


COMMANDS = [positions_cmd, disagreements_cmd]
