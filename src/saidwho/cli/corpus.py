"""Corpus commands: ``ingest``, ``quotes``, ``speakers`` (``merge``, ``split``, ``show``),
``show``, ``export`` and ``migrate``. Each takes ``--db`` (a SQLite path or ``postgresql://``
URL; default ``$SAIDWHO_DB`` or ``saidwho.db``, :data:`saidwho.store.DEFAULT_DB`).

The reading commands (``quotes``, ``speakers`` and ``speakers show``, ``show``, ``export``)
open the database read-only: they never write, and refuse with one line a database that is
not a saidwho corpus, or one made by an older saidwho (``saidwho migrate`` upgrades it).
"""

from __future__ import annotations

import contextlib
import json
import sys
from typing import Any

import click

from ..store import DEFAULT_DB
from ..store import export as fmt
from .options import chosen_options, engine_options

FORMATS = ("table", "json", "jsonl", "csv")

db_option = click.option(
    "--db",
    envvar="SAIDWHO_DB",
    default=DEFAULT_DB,
    show_default=True,
    metavar="PATH|URL",
    help="Corpus database: a SQLite file, or postgresql://user@host/name ($SAIDWHO_DB).",
)
format_option = click.option(
    "--format", "fmt_", type=click.Choice(FORMATS), default="table", show_default=True, help="Output format."
)


def _filters(f):
    for opt in reversed(
        [
            click.option("--speaker", help="Speaker id or name (any name variant seen)."),
            click.option("--about", metavar="TEXT", help="Full-text search in the quoted content."),
            click.option("--outlet", help="Only this outlet."),
            click.option("--since", metavar="DATE", help="Published on or after DATE (YYYY-MM-DD)."),
            click.option("--until", metavar="DATE", help="Published on or before DATE."),
            click.option("--kind", help="direct, indirect, mixed, according_to, belief (comma-separated)."),
            click.option("--vague", is_flag=True, default=False, help="Anonymous and group sources only."),
        ]
    ):
        f = opt(f)
    return f


def _open(db: str, readonly: bool = False):
    from ..corpus import open_corpus

    return open_corpus(db, readonly=readonly)


def _read(db: str):
    """The corpus, for a command that only reads it."""
    return _open(db, readonly=True)


def _emit(records: list[dict[str, Any]], fmt_: str, columns: list[tuple[str, str]], wide: str | None) -> None:
    out = sys.stdout
    if fmt_ == "json":
        fmt.write_json(records, out)
    elif fmt_ == "jsonl":
        fmt.write_jsonl(records, out)
    elif fmt_ == "csv":
        fmt.write_csv(records, out)
    else:
        click.echo(fmt.table(records, columns, wide))


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("--reanalyse", "--reanalyze", is_flag=True, help="Re-analyse articles already stored, in place.")
@click.option("--outlet", help="The outlet of these articles (overrides what the input says).")
@click.option("--progress/--no-progress", default=None, help="Force the progress bar on or off.")
@click.option("-q", "--quiet", is_flag=True,
              help="No progress bar, notes or end summary: only problems and warnings (and --summary-json).")
@click.option("--batch-size", type=click.IntRange(1, 1024), default=16, show_default=True)
@click.option("--workers", type=click.IntRange(1, 1024), default=None, metavar="N",
              help="Run the engine in N local worker processes (each loads the model once).")
@click.option("--scheduler", metavar="tcp://HOST:PORT",
              help="Run the engine on a Dask cluster (`dask scheduler`, `dask worker`); this process writes the store.")
@click.option("--partition-size", type=click.IntRange(1, 100_000), default=None, metavar="N",
              help="Articles per partition sent to a worker (with --workers/--scheduler; default 32).")
@click.option("--failed-list", metavar="FILE", default="failed-inputs.txt", show_default=True,
              help="With --workers/--scheduler: where to list the input files of partitions that failed three "
                   "times (written only then).")
@click.option("--summary-json", is_flag=True, help="Print the end summary as JSON on stdout.")
@engine_options
def ingest_cmd(paths, db, reanalyse, outlet, progress, quiet, batch_size, workers, scheduler, partition_size,
               failed_list, summary_json, model, recall, candidates) -> None:
    """Analyse and store news: text, HTML, JSON Lines and WARC files, folders and globs.

    Articles already stored (same id, URL or text) are skipped, so an interrupted run resumes
    when run again. Exit status (the same rule as `saidwho analyze`): 0 every input was stored
    or known; 1 some inputs failed (each is reported; the rest is stored); 2 usage or set-up error.

    With --workers N the engine runs in N local processes, with --scheduler on a Dask cluster;
    this process reads the inputs, sends only what is not stored, and writes every result.
    A partition whose worker dies is sent again; one that fails three times is reported and
    its input files listed in --failed-list for a retry.
    """
    if workers and scheduler:
        raise click.UsageError("give --workers (local processes) or --scheduler (a Dask cluster), not both")
    options = chosen_options(model, recall, candidates)
    if partition_size and not (workers or scheduler):
        raise click.UsageError("--partition-size goes with --workers or --scheduler")
    client = None
    muted = contextlib.nullcontext()
    if scheduler:
        from ..batch.cluster import connect
        from ..batch.cluster import quiet as dask_quiet

        client = connect(scheduler)  # before opening the corpus: an unreachable scheduler changes nothing
        muted = dask_quiet()  # Dask's own tracebacks (a lost scheduler): saidwho says what happened, in one line
    with muted:
        summary = _ingest_run(client, paths, db, reanalyse, outlet, progress, batch_size, workers, partition_size,
                              failed_list, options, quiet=quiet)
    _ingest_report(summary, summary_json, quiet=quiet)


def _ingest_run(client, paths, db, reanalyse, outlet, progress, batch_size, workers, partition_size, failed_list,
                options=None, quiet=False):
    from ..ingest.runner import ingest
    from ..options import EngineOptions

    # the environment's own options: the default engine (the shared one, or the workers' default spec)
    options = None if options is None or options == EngineOptions.from_env() else options

    try:
        corpus = _open(db)
        try:
            if not quiet:
                _say_upgrade(corpus.store)
            opts = dict(reanalyse=reanalyse, outlet=outlet, progress=progress, quiet=quiet)
            if workers or client is not None:
                from ..batch import PARTITION_SIZE, ingest_dask, ingest_workers

                opts.update(batch_size=batch_size, partition_size=partition_size or PARTITION_SIZE,
                            failed_list=failed_list or None)
                if options is not None:
                    from ..batch import EngineSpec

                    opts["engine"] = EngineSpec.spacy(options=options)
                if client is not None:
                    summary = ingest_dask(corpus.store, paths, client, **opts)
                else:
                    summary = ingest_workers(corpus.store, paths, workers=workers, **opts)
            else:
                summary = ingest(corpus.store, paths, batch_size=batch_size, options=options, **opts)
        finally:
            corpus.close()
    finally:
        if client is not None:
            client.close()
    return summary


def _ingest_report(summary, summary_json: bool, quiet: bool = False) -> None:
    if not quiet:
        click.echo(f"saidwho: {summary.line()}", err=True)
    if summary.n_failed:
        shown = summary.failed[:20]
        click.echo("saidwho: failed:", err=True)
        for where, reason in shown:
            click.echo(f"  {where}: {reason}", err=True)
        if summary.n_failed > len(shown):
            click.echo(f"  ... and {summary.n_failed - len(shown)} more", err=True)
    if summary.failed_partitions:
        n = len(summary.failed_partitions)
        click.echo(f"saidwho: {n} partition{'s' if n != 1 else ''} failed three times: "
                   + ", ".join(f.name for f in summary.failed_partitions[:10]) + (" ..." if n > 10 else ""), err=True)
        if summary.failed_list:
            click.echo(f"saidwho: their input files are listed in {summary.failed_list}; retry with: saidwho ingest "
                       f"$(cat {summary.failed_list}) (what is stored is skipped)", err=True)
    if summary_json:
        click.echo(json.dumps(summary.as_dict(), ensure_ascii=False))
    if summary.n_failed:
        sys.exit(1)


QUOTE_COLUMNS = [
    ("article_id", "art"),
    ("published", "published"),
    ("outlet", "outlet"),
    ("speaker_name", "speaker"),
    ("kind", "kind"),
    ("cue", "cue"),
    ("content", "content"),
]


def _quote_rows(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**r, "speaker_name": (r["speaker"] or {}).get("name") or r.get("source")} for r in records]


@click.command("quotes")
@db_option
@_filters
@click.option("--limit", type=click.IntRange(0), default=None, help="At most this many (default: all).")
@format_option
def quotes_cmd(db, speaker, about, outlet, since, until, kind, vague, limit, fmt_) -> None:
    """Stored attributions, newest first, filtered."""
    with _read(db) as corpus:
        filters = dict(speaker=speaker, about=about, outlet=outlet, since=since, until=until, kind=kind,
                       vague=True if vague else None)
        if fmt_ in ("jsonl", "csv"):
            records = corpus.iter_quotes(limit=limit, **filters)
            if fmt_ == "jsonl":
                fmt.write_jsonl(records, sys.stdout)
            else:
                fmt.write_csv(records, sys.stdout, fmt.QUOTE_COLUMNS)
            return
        records = corpus.quotes(limit=limit, **filters)
        if fmt_ == "table":
            click.echo(fmt.table(_quote_rows(records), QUOTE_COLUMNS, "content"))
            click.echo(f"({len(records)} attribution{'s' if len(records) != 1 else ''})", err=True)
        else:
            _emit(records, fmt_, QUOTE_COLUMNS, "content")


SPEAKER_COLUMNS = [
    ("id", "id"),
    ("name", "speaker"),
    ("type", "type"),
    ("role", "role"),
    ("quotes", "quotes"),
    ("by_outlet", "by outlet"),
    ("by_kind", "by kind"),
]


SUSPICIOUS_COLUMNS = [("id", "id"), ("name", "name"), ("type", "type"), ("quotes", "quotes"), ("reason", "reason")]


@click.group("speakers", invoke_without_command=True)
@db_option
@click.option("--limit", type=click.IntRange(0), default=20, show_default=True)
@click.option("--type", "type_", help="person, organization, group, anonymous, unknown (comma-separated).")
@click.option("--outlet", help="Count only this outlet.")
@click.option("--since", metavar="DATE")
@click.option("--until", metavar="DATE")
@click.option("--kind", help="Count only these kinds (comma-separated).")
@click.option("--suspicious", is_flag=True, default=False,
              help="List the stored speakers whose name is unlikely to be a speaker's, with the reason.")
@format_option
@click.pass_context
def speakers_cmd(ctx, db, limit, type_, outlet, since, until, kind, suspicious, fmt_) -> None:
    """Most-quoted speakers, with counts by outlet and kind; merge/split/show subcommands."""
    ctx.ensure_object(dict)
    ctx.obj["db"] = db
    if ctx.invoked_subcommand is not None:
        return
    if suspicious:
        with _read(db) as corpus:
            records = corpus.suspicious_speakers()
        _emit(records[:limit] if limit else records, fmt_, SUSPICIOUS_COLUMNS, None)
        return
    with _read(db) as corpus:
        records = corpus.speakers(limit=limit or None, type=type_, outlet=outlet, since=since, until=until, kind=kind)
    _emit(records, fmt_, SPEAKER_COLUMNS, "by_outlet")


def _sub_db(ctx: click.Context, db: str | None) -> str:
    return db or (ctx.obj or {}).get("db") or DEFAULT_DB


sub_db_option = click.option("--db", envvar="SAIDWHO_DB", default=None, metavar="PATH|URL", help="Corpus database.")


@speakers_cmd.command("merge")
@click.argument("keep")
@click.argument("other")
@sub_db_option
@click.pass_context
def merge_cmd(ctx, keep, other, db) -> None:
    """Make speaker OTHER part of speaker KEEP (ids or names); remembered across re-ingests."""
    with _open(_sub_db(ctx, db)) as corpus:
        row = corpus.merge_speakers(keep, other)
    click.echo(f"merged into speaker {row['id']} ({row['name']}): {row['quotes']} quotes")


@speakers_cmd.command("split")
@click.argument("speaker")
@click.option("--name", "names", multiple=True, required=True, help="A name variant to split off (repeatable).")
@sub_db_option
@click.pass_context
def split_cmd(ctx, speaker, names, db) -> None:
    """Move SPEAKER's mentions called --name into a new speaker; remembered across re-ingests."""
    with _open(_sub_db(ctx, db)) as corpus:
        row = corpus.split_speaker(speaker, list(names))
    click.echo(f"split off speaker {row['id']} ({row['name']}): {row['quotes']} quotes")


@speakers_cmd.command("show")
@click.argument("speaker")
@sub_db_option
@click.option("--format", "fmt_", type=click.Choice(("table", "json")), default="table")
@click.pass_context
def speaker_show_cmd(ctx, speaker, db, fmt_) -> None:
    """One speaker: name variants and roles seen, with dates."""
    with _read(_sub_db(ctx, db)) as corpus:
        rec = corpus.speaker(speaker)
    if fmt_ == "json":
        click.echo(json.dumps(rec, ensure_ascii=False, indent=2))
        return
    click.echo(f"speaker {rec['id']}: {rec['name']} ({rec['type']}"
               + (f", {rec['role']}" if rec["role"] else "") + ")")
    click.echo(f"  {rec['quotes']} quotes in {rec['articles']} articles, {rec['first_seen'] or '?'} .. {rec['last_seen'] or '?'}")
    click.echo("  names: " + "; ".join(f"{n['name']} ×{n['mentions']} ({n['first_seen'] or '?'}..{n['last_seen'] or '?'})"
                                       for n in rec["names"]))
    if rec["roles"]:
        click.echo("  roles: " + "; ".join(f"{r['role']} ×{r['mentions']} ({r['first_seen'] or '?'}..{r['last_seen'] or '?'})"
                                           for r in rec["roles"]))
    for c in rec["corrections"]:
        click.echo(f"  {c['action']} {c['speaker_id']} / {c['other_id']} at {c['at']}")


@click.command("show")
@click.argument("article")
@db_option
@click.option("--format", "fmt_", type=click.Choice(("table", "json")), default="table")
@click.option("--text/--no-text", default=True, help="Include the article's text.")
def show_cmd(article, db, fmt_, text) -> None:
    """An article (number, id, URL or content hash) with its attributions."""
    with _read(db) as corpus:
        rec = corpus.article(article, text=text)
    if fmt_ == "json":
        click.echo(json.dumps(rec, ensure_ascii=False, indent=2))
        return
    click.echo(f"article {rec['article_id']}" + (f" ({rec['ext_id']})" if rec["ext_id"] else ""))
    for k in ("title", "outlet", "author", "published", "url", "origin", "language", "note", "text_sha256"):
        if rec.get(k):
            click.echo(f"  {k}: {rec[k]}")
    if text:
        click.echo("")
        click.echo(rec["text"])
    click.echo("")
    cols = [("attribution_id", "id"), ("speaker_name", "speaker"), ("kind", "kind"), ("cue", "cue"),
            ("content", "content")]
    click.echo(fmt.table(_quote_rows(rec["attributions"]), cols, "content"))


@click.command("export")
@db_option
@click.option("--format", "fmt_", type=click.Choice(("jsonl", "csv", "parquet")), default="jsonl", show_default=True)
@click.option("--out", metavar="FILE", help="Output file (default: stdout; required for parquet).")
@click.option("--table", "table_", type=click.Choice(("attributions", "articles", "speakers")),
              default="attributions", show_default=True)
def export_cmd(db, fmt_, out, table_) -> None:
    """Export attributions (one row each, flat), articles or speakers for pandas or DuckDB."""
    from ..corpus import export

    with _read(db) as corpus:
        n = export(corpus.store, out, fmt_, table_)
    if out and out != "-":
        click.echo(f"saidwho: wrote {n} {table_} to {out}", err=True)


def _say_upgrade(store) -> None:
    from ..store import CURRENT_VERSION

    if 0 < store.found_version < CURRENT_VERSION:
        click.echo(f"saidwho: upgraded database {store.display} from schema version {store.found_version} "
                   f"to {CURRENT_VERSION}", err=True)


@click.command("migrate")
@db_option
def migrate_cmd(db) -> None:
    """Upgrade a corpus made by an older saidwho to this version's schema (the reading
    commands never do; ingest does as it starts). Each step is one transaction."""
    from ..store import OlderSchemaError

    try:  # a database that is not a saidwho corpus (empty, foreign) is refused, untouched
        with _read(db) as corpus:
            click.echo(f"saidwho: database {corpus.store.display} is at schema version "
                       f"{corpus.store.found_version} already", err=True)
        return
    except OlderSchemaError:
        pass
    with _open(db) as corpus:
        _say_upgrade(corpus.store)


COMMANDS = [ingest_cmd, quotes_cmd, speakers_cmd, show_cmd, export_cmd, migrate_cmd]
