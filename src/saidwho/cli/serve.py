"""``saidwho serve``: the corpus in a browser, like datasette for a SQLite file.

Read-only unless ``--allow-write``; bound to 127.0.0.1 unless ``--host`` says otherwise.
"""

from __future__ import annotations

import ipaddress

import click

from .corpus import db_option
from .options import chosen_options, engine_options


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@click.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--allow-write", is_flag=True, help="Let the analyse form store texts in the corpus.")
@click.option("--log-level", type=click.Choice(["critical", "error", "warning", "info", "debug"]), default="info",
              show_default=True)
@engine_options
def serve_cmd(db: str, host: str, port: int, allow_write: bool, log_level: str, model: str | None, recall: str,
              candidates: bool) -> None:
    """Browse the corpus: articles with attributions highlighted, search, speakers, outlets.

    Every page is also JSON under /api/ (OpenAPI schema at /api/openapi.json). Works offline.
    The analyse page runs the engine set by --model and --recall.
    """
    import uvicorn

    from ..web import create_app
    from ..web.app import LOCAL_HOSTS

    # answer only to the names this address is reached by (a page on another site that
    # resolves its own name to this address gets 403); an address on every interface answers any
    hosts = None if host.strip("[]") in ("0.0.0.0", "::", "") else (*LOCAL_HOSTS, host)
    options = chosen_options(model, recall, candidates)
    app = create_app(db, allow_write=allow_write, hosts=hosts, options=options)
    if not _is_loopback(host):
        click.echo(f"saidwho: warning: listening on {host}: anyone who can reach it can read the corpus", err=True)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"saidwho: serving {db} at http://{shown}:{port}/ ({'read-write' if allow_write else 'read-only'}); "
               "Ctrl-C stops", err=True)
    uvicorn.run(app, host=host, port=port, log_level=log_level, server_header=False, proxy_headers=False)


COMMANDS = [serve_cmd]
