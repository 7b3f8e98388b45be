"""JSON Lines: one article per line, ``{"id", "url", "title", "outlet", "published", "text"|"html"}``.

A malformed line is reported with its line number and skipped; the rest of the file goes on.
Other fields are kept in the article's metadata (``extra``). ``published`` is read in the common
forms (:mod:`saidwho.ingest.dates`); one that is not a date is a warning, and the article is
kept without a date.

Types are checked, never converted: an ``id`` that is not a string or an integer makes the record
unusable (it could never be found again under the id the feed meant), so the record is skipped;
an optional field of the wrong type (``url``, ``title``, ``author``, ``outlet``, ``site``: strings;
``published``: a string or a number) is dropped with a warning and the article kept.
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


#: Optional metadata fields that must be strings when given.
STRING_FIELDS = ("url", "title", "author", "outlet", "site")


def _str(v) -> str | None:
    if v is None or v == "":
        return None
    return str(v)


def _shown(v) -> str:
    """A value as the feed wrote it (JSON), cut short for a one-line message."""
    text = json.dumps(v, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."


def _kind(v) -> str:
    """The JSON name of a value's type, as a feed's author knows it."""
    return {bool: "a boolean", int: "a number", float: "a number", str: "a string", list: "an array",
            dict: "an object"}.get(type(v), type(v).__name__)


def _fields(obj: dict, where: str, warnings: list[str]) -> dict[str, str | None]:
    """The metadata fields checked for type: a wrong ``id`` is an error, any other wrong field
    is dropped with a warning (a fact-checker wants the article, and to be told)."""
    ext_id = obj.get("id")
    if ext_id is not None and (isinstance(ext_id, bool) or not isinstance(ext_id, (str, int))):
        raise InputError(f"{where}: 'id' must be a string or an integer, not {_kind(ext_id)} "
                         f"({_shown(ext_id)}); the record is skipped")
    out: dict[str, str | None] = {"id": _str(ext_id)}
    for name in STRING_FIELDS:
        v = obj.get(name)
        if v is not None and not isinstance(v, str):
            warnings.append(f"'{name}' must be a string, not {_kind(v)} ({_shown(v)}); "
                            f"dropped, the article is kept")
            v = None
        out[name] = _str(v)
    return out


def parse_line(line: bytes, where: str, outlet: str | None = None) -> RawArticle:
    try:
        s = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{where}: not UTF-8 (byte offset {exc.start} in the line)") from None
    try:
        obj = json.loads(s.rstrip("\r\n"))  # an unclosed string then reads as one, not as a control character
    except json.JSONDecodeError as exc:
        # some of json's messages end in "at" ("Unterminated string starting at")
        at = "" if exc.msg.endswith(" at") else " at"
        raise InputError(f"{where}: not valid JSON ({exc.msg}{at} column {exc.colno})") from None
    if not isinstance(obj, dict):
        raise InputError(f"{where}: expected a JSON object, got {type(obj).__name__}")
    text, html = obj.get("text"), obj.get("html")
    if text is not None and not isinstance(text, str) or html is not None and not isinstance(html, str):
        raise InputError(f"{where}: 'text' and 'html' must be strings")
    warnings: list[str] = []
    f = _fields(obj, where, warnings)
    published = obj.get("published")
    if published is not None and (isinstance(published, bool) or not isinstance(published, (str, int, float))):
        warnings.append(f"'published' must be a string or a number, not {_kind(published)} "
                        f"({_shown(published)}); the article is kept without a date")
        published = None
    norm = parse_date(published)
    if published not in (None, "") and norm is None:
        # the article is worth more than its date: kept without one, and said so
        warnings.append(f"'published' is not a date: {str(published)[:40]!r}; the article is kept without a date")
    extra = {k: v for k, v in obj.items() if k not in KNOWN}
    if text and text.strip():
        meta = ArticleMeta(
            ext_id=f["id"],
            url=f["url"],
            title=f["title"],
            author=f["author"],
            outlet=outlet or f["outlet"],
            site=f["site"],
            published=norm,
            origin=where,
            extra=extra,
        )
        return RawArticle(text, meta, warnings)
    if html and html.strip():
        body, meta, blocks = article_page_from_html(html, where=where, url=f["url"], ext_id=f["id"])
        meta.outlet = outlet or f["outlet"] or meta.outlet
        meta.title = f["title"] or meta.title
        meta.author = f["author"] or meta.author
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
