"""WARC files (news crawls): HTML responses become articles; other records are skipped with a note."""

from __future__ import annotations

import contextlib
import io
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
        if not _looks_like_warc(fh):
            yield Problem(path, "not a WARC file (it does not start with a WARC/1.x record)")
            return
        warned = False
        try:
            for record, warnings in _records(ArchiveIterator(fh)):
                if warnings and not warned:
                    warned = True
                    yield Problem(f"{path}#{n + 1}", f"irregular WARC: {warnings}", note=True)
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
                if getattr(record.raw_stream, "limit", 0):  # fewer bytes than the record declares
                    yield Problem(where, "malformed WARC: record truncated, rest of the file skipped")
                    return
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


def _looks_like_warc(fh) -> bool:
    import gzip

    head = fh.read(2)
    fh.seek(0)
    try:
        if head == b"\x1f\x8b":
            with gzip.GzipFile(fileobj=fh) as gz:
                start = gz.read(8)
        else:
            start = fh.read(8)
    except (OSError, EOFError):
        start = b""
    fh.seek(0)
    return start.lstrip(b"\r\n").startswith(b"WARC/")


def _records(iterator) -> Iterator[tuple[object, str]]:
    """Records with the warnings warcio printed while finding each (kept off our stderr)."""
    it = iter(iterator)
    while True:
        buf = io.StringIO()
        with contextlib.redirect_stderr(buf):
            try:
                record = next(it)
            except StopIteration:
                return
        lines = [ln.strip() for ln in buf.getvalue().splitlines() if ln.strip()]
        yield record, (lines[0] if lines else "")


def count_warc(path: str) -> int:
    """HTML responses in a WARC file (headers only; for the progress bar's total)."""
    from warcio.archiveiterator import ArchiveIterator

    n = 0
    try:
        with open(path, "rb") as fh:
            if not _looks_like_warc(fh):
                return 0
            for record, _ in _records(ArchiveIterator(fh)):
                if record.rec_type in ("response", "resource") and _content_type(record) in HTML_TYPES:
                    n += 1
    except Exception:  # counting is best effort; reading reports the problem
        pass
    return n
