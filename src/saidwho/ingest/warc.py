"""WARC files (news crawls): HTML responses become articles; other records are skipped with a note."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import InputError
from . import Problem, RawArticle
from .html import article_from_html

#: Content types read as HTML.
HTML_TYPES = ("text/html", "application/xhtml+xml")


def _content_type(record) -> str:
    if record.http_headers is not None:
        ctype = record.http_headers.get_header("Content-Type") or ""
    else:
        ctype = record.rec_headers.get_header("Content-Type") or ""
    return ctype.split(";")[0].strip().lower()


def read_warc(path: str, outlet: str | None = None) -> Iterator[RawArticle | Problem]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        fh = open(path, "rb")
    except OSError as exc:
        yield Problem(path, f"cannot read: {exc.strerror or exc}")
        return
    n = 0
    with fh:
        try:
            for record in ArchiveIterator(fh):
                if record.rec_type not in ("response", "resource"):
                    continue  # warcinfo, request, metadata...: not pages
                n += 1
                uri = record.rec_headers.get_header("WARC-Target-URI") or ""
                where = f"{path}#{n}" + (f" {uri}" if uri else "")
                ctype = _content_type(record)
                if ctype not in HTML_TYPES:
                    yield Problem(where, f"skipped: not HTML ({ctype or 'no content type'})", note=True)
                    continue
                status = record.http_headers.get_statuscode() if record.http_headers is not None else "200"
                if status and not str(status).startswith("2"):
                    yield Problem(where, f"skipped: HTTP status {status}", note=True)
                    continue
                body = record.content_stream().read()
                try:
                    text, meta = article_from_html(body, where=where, url=uri or None, outlet=outlet)
                except InputError as exc:
                    msg = str(exc)
                    yield Problem(where, msg[len(where) + 2 :] if msg.startswith(where + ": ") else msg)
                    continue
                meta.extra["warc_date"] = record.rec_headers.get_header("WARC-Date")
                yield RawArticle(text, meta)
        except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
            line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            yield Problem(f"{path}#{n + 1}", f"malformed WARC, rest of the file skipped: {line}")


def count_warc(path: str) -> int:
    """HTML responses in a WARC file (headers only; for the progress bar's total)."""
    from warcio.archiveiterator import ArchiveIterator

    n = 0
    try:
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type in ("response", "resource") and _content_type(record) in HTML_TYPES:
                    n += 1
    except Exception:  # counting is best effort; reading reports the problem
        pass
    return n
