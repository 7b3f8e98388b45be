"""JSON Lines: one article per line, ``{"id", "url", "title", "outlet", "published", "text"|"html"}``.

A malformed line is reported with its line number and skipped; the rest of the file goes on.
Other fields are kept in the article's metadata (``extra``). ``published`` is read in the common
forms (:mod:`saidwho.ingest.dates`); one that is not a date is a warning, and the article is
kept without a date.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from typing import IO

from ..errors import InputError
from ..store.records import ArticleMeta
from . import Problem, RawArticle
from .dates import parse_date
from .html import article_page_from_html
from .text import MAX_BYTES_PER_CHAR, max_bytes

KNOWN = {"id", "url", "title", "outlet", "published", "text", "html", "author", "site"}


def _open(path: str) -> IO[bytes]:
    if path.lower().endswith(".gz"):
        return gzip.open(path, "rb")
    return open(path, "rb")


def _str(v) -> str | None:
    if v is None or v == "":
        return None
    return str(v)


def parse_line(line: bytes, where: str, outlet: str | None = None) -> RawArticle:
    try:
        s = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{where}: not UTF-8 (byte offset {exc.start} in the line)") from None
    try:
        obj = json.loads(s)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(obj, dict):
        raise InputError(f"{where}: expected a JSON object, got {type(obj).__name__}")
    text, html = obj.get("text"), obj.get("html")
    if text is not None and not isinstance(text, str) or html is not None and not isinstance(html, str):
        raise InputError(f"{where}: 'text' and 'html' must be strings")
    published = obj.get("published")
    norm = parse_date(published)
    warnings = []
    if published not in (None, "") and norm is None:
        # the article is worth more than its date: kept without one, and said so
        warnings.append(f"'published' is not a date: {str(published)[:40]!r}; the article is kept without a date")
    extra = {k: v for k, v in obj.items() if k not in KNOWN}
    if text and text.strip():
        meta = ArticleMeta(
            ext_id=_str(obj.get("id")),
            url=_str(obj.get("url")),
            title=_str(obj.get("title")),
            author=_str(obj.get("author")),
            outlet=outlet or _str(obj.get("outlet")),
            site=_str(obj.get("site")),
            published=norm,
            origin=where,
            extra=extra,
        )
        return RawArticle(text, meta, warnings)
    if html and html.strip():
        body, meta, blocks = article_page_from_html(html, where=where, url=_str(obj.get("url")), ext_id=_str(obj.get("id")))
        meta.outlet = outlet or _str(obj.get("outlet")) or meta.outlet
        meta.title = _str(obj.get("title")) or meta.title
        meta.author = _str(obj.get("author")) or meta.author
        meta.published = norm or meta.published
        meta.extra.update(extra)
        return RawArticle(body, meta, warnings, blocks=blocks)
    raise InputError(f"{where}: no 'text' or 'html' (or it is empty)")


def read_jsonl(path: str, outlet: str | None = None) -> Iterator[RawArticle | Problem]:
    try:
        fh = _open(path)
    except OSError as exc:
        yield Problem(path, f"cannot read: {exc.strerror or exc}")
        return
    limit = max_bytes()
    with fh:
        n = 0
        try:
            for n, line in _lines(fh, limit):
                where = f"{path}:{n}"
                if line is None:
                    yield Problem(where, f"line too large (over the limit of {limit:,} bytes, "
                                         f"{MAX_BYTES_PER_CHAR} per character of SAIDWHO_MAX_CHARS)")
                    continue
                if not line.strip():
                    continue
                try:
                    yield parse_line(line, where, outlet)
                except InputError as exc:
                    msg = str(exc)
                    yield Problem(where, msg[len(where) + 2 :] if msg.startswith(where + ": ") else msg)
        except (OSError, EOFError, zlib.error) as exc:  # a truncated or corrupt .gz
            yield Problem(f"{path}:{n + 1}", f"cannot read further: {exc}")


def _lines(fh: IO[bytes], limit: int) -> Iterator[tuple[int, bytes | None]]:
    """``(line number, line)``, each line read with a bound: one longer than ``limit`` bytes is
    passed over in pieces (never held, nor decompressed whole) and given as None."""
    n = 0
    while True:
        line = fh.readline(limit + 1)
        if not line:
            return
        n += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while True:
                rest = fh.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield n, None
        else:
            yield n, line


def count_jsonl(path: str) -> int:
    """Lines in a JSON Lines file (for the progress bar's total), counted in bounded pieces."""
    n = 0
    try:
        with _open(path) as fh:
            last = b"\n"
            while chunk := fh.read(1 << 20):
                n += chunk.count(b"\n")
                last = chunk[-1:]
            return n + (last != b"\n")
    except (OSError, EOFError, zlib.error):
        return n
