"""WARC files (news crawls): HTML responses become articles; other records are skipped with a note.

The file is read as a stream of records framed by their WARC headers: a damaged record (a
header that is not one, a wrong Content-Length, garbage between records) is reported in one
line and reading goes on at the next ``WARC/1.0`` or ``WARC/1.1`` header line, so one bad
record costs only itself. Each record is then parsed by warcio (HTTP headers, chunked and
compressed bodies).

``.warc.gz`` files are decompressed as one stream, so both kinds are read: gzipped record by
record (the usual way) or gzipped whole; a damaged gzip member is reported and reading goes on
at the next member. Nothing larger than the input cap
(:func:`saidwho.ingest.text.max_bytes`) is held in memory: a bigger record is skipped as it
streams past, and reported when it is an HTML page.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from ..errors import InputError
from . import Problem, RawArticle
from .html import article_page_from_html
from .text import max_bytes

#: Content types read as HTML.
HTML_TYPES = ("text/html", "application/xhtml+xml")
#: Record types that hold a page (warcinfo, request, metadata... do not).
PAGE_TYPES = ("response", "resource")

_CHUNK = 1 << 16
_MAX_HEADER = 1 << 16  # a WARC header block longer than this is not one
_HEADER_LINE = re.compile(rb"(?:^|\n)(WARC/1\.[01]\r?\n)")
_FIRST_LINE = re.compile(rb"WARC/1\.[01]\r?\n")
_GZIP_ERRORS = (OSError, EOFError, zlib.error)


class _Damaged(Exception):
    """A record whose framing is broken; reading resumes at the next header."""


@dataclass
class _Record:
    offset: int  # in the (uncompressed) stream
    headers: dict[str, str]  # WARC headers, names lower-cased
    raw: bytes | None  # header block and content block; None when too large to hold
    length: int
    head: bytes = b""  # the start of the content block of a record too large to hold


class _Reader:
    """A byte stream read through a buffer that never holds much more than one record."""

    def __init__(self, fh: IO[bytes]) -> None:
        self.fh = fh
        # read1: what one read gives, so a gzip stream cut short loses only what is past the cut
        self.read = getattr(fh, "read1", fh.read)
        self.buf = bytearray()
        self.pos = 0  # stream offset of buf[0]
        self.eof = False

    def fill(self, n: int) -> bool:
        """At least ``n`` bytes buffered (False at the end of the stream)."""
        while len(self.buf) < n and not self.eof:
            chunk = self.read(max(_CHUNK, n - len(self.buf)))
            if not chunk:
                self.eof = True
            else:
                self.buf += chunk
        return len(self.buf) >= n

    def drop(self, n: int) -> None:
        n = min(n, len(self.buf))
        del self.buf[:n]
        self.pos += n

    def skip(self, n: int) -> int:
        """Discard ``n`` bytes, reading past the buffer without keeping them; returns how many."""
        done = min(n, len(self.buf))
        self.drop(done)
        while done < n and not self.eof:
            chunk = self.read(min(_CHUNK, n - done))
            if not chunk:
                self.eof = True
                break
            done += len(chunk)
            self.pos += len(chunk)
        return done

    def skip_blank(self) -> None:
        while True:
            self.fill(1)
            if not self.buf:
                return
            stripped = self.buf.lstrip(b"\r\n")
            if stripped:
                self.drop(len(self.buf) - len(stripped))
                return
            self.drop(len(self.buf))

    def resync(self, start: int = 1) -> bool:
        """Drop bytes up to the next header line at or after buffer offset ``start``."""
        while True:
            m = _HEADER_LINE.search(self.buf, max(0, start - 1))
            while m is not None and m.start(1) < start:
                m = _HEADER_LINE.search(self.buf, m.start(1) + 1)
            if m is not None:
                self.drop(m.start(1))
                return True
            if self.eof:
                self.drop(len(self.buf))
                return False
            keep = min(len(self.buf), 16)
            self.drop(len(self.buf) - keep)
            start = 0
            self.fill(len(self.buf) + _CHUNK)


def _read_record(r: _Reader, limit: int) -> _Record:
    """The record at the reader's position (raises :class:`_Damaged` if its framing is broken)."""
    offset = r.pos
    r.fill(16)
    if not _FIRST_LINE.match(r.buf):
        raise _Damaged("no WARC record header here")
    end = -1
    while end < 0:
        for sep in (b"\r\n\r\n", b"\n\n"):
            i = r.buf.find(sep, 0, _MAX_HEADER)
            if i >= 0 and (end < 0 or i < end):
                end, sep_len = i, len(sep)
        if end < 0:
            if len(r.buf) >= _MAX_HEADER or not r.fill(len(r.buf) + _CHUNK):
                raise _Damaged("WARC header block not ended")
    lines = bytes(r.buf[:end]).decode("utf-8", "replace").splitlines()
    if not lines or not lines[0].startswith("WARC/1."):
        raise _Damaged("no WARC record header here")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if not colon:
            raise _Damaged(f"not a WARC header line: {line[:40]!r}")
        headers[name.strip().lower()] = value.strip()
    try:
        length = int(headers.get("content-length", ""))
        if length < 0:
            raise ValueError
    except ValueError:
        raise _Damaged("no valid Content-Length") from None
    body_at = end + sep_len
    if length > limit:
        r.fill(body_at + min(length, _CHUNK))
        head = bytes(r.buf[body_at : body_at + min(length, _CHUNK)])
        r.drop(body_at)
        if r.skip(length) < length:
            raise EOFError("record truncated (the file ends inside it)")
        return _Record(offset, headers, None, length, head)
    if not r.fill(body_at + length):
        raise EOFError("record truncated (the file ends inside it)")
    # the block must be followed by the blank lines that end a record, then another record
    r.fill(body_at + length + 64)
    after = bytes(r.buf[body_at + length : body_at + length + 64]).lstrip(b"\r\n")
    if after and not after.startswith(b"WARC/") and _HEADER_LINE.search(r.buf, 1, body_at + length):
        # a Content-Length too long: the block swallowed the start of the next record
        raise _Damaged("the record does not end where its Content-Length says")
    raw = bytes(r.buf[: body_at + length])
    r.drop(body_at + length)
    return _Record(offset, headers, raw, length)


def _parse(raw: bytes):
    """The record as warcio reads it (HTTP headers, decoded body), its warnings kept off stderr."""
    from warcio.archiveiterator import ArchiveIterator

    buf = io.StringIO()
    with contextlib.redirect_stderr(buf):
        return next(iter(ArchiveIterator(io.BytesIO(raw + b"\r\n\r\n"))))


def _content_type(record) -> str:
    if record.http_headers is not None:
        ctype = record.http_headers.get_header("Content-Type") or ""
    else:
        ctype = record.rec_headers.get_header("Content-Type") or ""
    return ctype.split(";")[0].strip().lower()


def _head_content_type(rec: _Record) -> str:
    """The content type of a record too large to parse, from the start of its block."""
    ctype = rec.headers.get("content-type", "")
    if ctype.startswith("application/http"):
        m = re.search(rb"\ncontent-type:\s*([^\r\n;]+)", rec.head, re.I)
        ctype = m.group(1).decode("latin-1") if m else ""
    return ctype.split(";")[0].strip().lower()


class _GzipMembers:
    """The gzip members of a file, decompressed as one stream (one record per member, or the
    whole file in one). A damaged member is skipped: reading goes on at the next gzip member
    header, and the compressed offset of the damage is noted in :attr:`damaged`."""

    _MAGIC = b"\x1f\x8b\x08"

    def __init__(self, fh: IO[bytes]) -> None:
        self.fh = fh
        self.inbuf = b""
        self.at = 0  # file offset of inbuf[0]
        self.member_at = 0
        self.d = None
        self.damaged: list[int] = []

    def _more(self) -> bool:
        chunk = self.fh.read(_CHUNK)
        self.inbuf += chunk
        return bool(chunk)

    def _consume(self, rest: bytes) -> None:
        self.at += len(self.inbuf) - len(rest)
        self.inbuf = rest

    def _skip_damage(self) -> None:
        self.damaged.append(self.member_at)
        self.d = None
        start = 1
        while True:
            i = self.inbuf.find(self._MAGIC, start)
            if i >= 0:
                self._consume(self.inbuf[i:])
                return
            start = max(1, len(self.inbuf) - 2)
            if not self._more():
                self._consume(b"")
                return

    def read1(self, n: int = _CHUNK) -> bytes:
        while True:
            if self.d is None:
                if not self.inbuf and not self._more():
                    return b""
                if not self.inbuf.startswith(self._MAGIC[: len(self.inbuf)]):
                    if self.inbuf.strip(b"\x00"):
                        self._skip_damage()  # bytes between members that are not a member
                    else:
                        self._consume(b"")  # zero padding at the end of a member
                    continue
                self.d = zlib.decompressobj(16 + zlib.MAX_WBITS)
                self.member_at = self.at
            try:
                out = self.d.decompress(self.inbuf, n)
            except zlib.error:
                self._skip_damage()
                continue
            if self.d.eof:
                self._consume(self.d.unused_data)
                self.d = None
            else:
                self._consume(self.d.unconsumed_tail)
                if not out and not self.inbuf and not self._more():
                    raise EOFError("Compressed file ended before the end-of-stream marker was reached")
            if out:
                return out

    read = read1

    def close(self) -> None:
        self.fh.close()

    def __enter__(self) -> "_GzipMembers":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _open(path: str) -> tuple[IO[bytes], bool]:
    fh = open(path, "rb")
    magic = fh.read(2)
    fh.seek(0)
    if magic == b"\x1f\x8b":
        return _GzipMembers(fh), True  # type: ignore[return-value]
    return fh, False


def _stream(path: str) -> Iterator[_Record | Problem]:
    """Every record of the file, or a :class:`Problem` (with ``where`` left to the caller)."""
    fh, gz = _open(path)
    r = _Reader(fh)
    byte = "byte {} of the uncompressed stream" if gz else "byte {}"
    limit = max_bytes()
    damaged: list[int] = getattr(fh, "damaged", [])
    told = 0

    def gzip_damage() -> list[Problem]:
        """Damaged gzip members met since last asked: the cause of what the framing saw."""
        nonlocal told
        found = [Problem("", f"malformed WARC: damaged gzip data at byte {at:,} of the file; "
                             "skipped to the next gzip member") for at in damaged[told:]]
        told = len(damaged)
        return found

    with fh:
        while True:
            try:
                r.skip_blank()
                if not r.buf:
                    yield from gzip_damage()
                    return
                offset = r.pos
                try:
                    rec = _read_record(r, limit)
                except _Damaged as exc:
                    yield from gzip_damage() or [Problem("", f"malformed WARC record at {byte.format(offset)}: "
                                                             f"{exc}; skipped to the next record")]
                    if not r.resync(1):
                        yield from gzip_damage()
                        return
                    continue
                except EOFError as exc:
                    yield from gzip_damage()
                    yield Problem("", f"malformed WARC record at {byte.format(offset)}: {exc}")
                    return
                yield from gzip_damage()
                yield rec
            except _GZIP_ERRORS as exc:
                line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                yield Problem("", f"malformed WARC: cannot decompress further ({line}); rest of the file skipped")
                return


def read_warc(path: str, outlet: str | None = None) -> Iterator[RawArticle | Problem]:
    try:
        with open(path, "rb") as fh:
            if not _looks_like_warc(fh):
                yield Problem(path, "not a WARC file (it does not start with a WARC/1.x record)")
                return
    except OSError as exc:
        yield Problem(path, f"cannot read: {exc.strerror or exc}")
        return
    n = 0
    limit = max_bytes()
    try:
        for rec in _stream(path):
            if isinstance(rec, Problem):
                yield Problem(f"{path}#{n + 1}", rec.reason)
                continue
            if rec.headers.get("warc-type") not in PAGE_TYPES:
                continue  # warcinfo, request, metadata...: not pages
            n += 1
            uri = rec.headers.get("warc-target-uri", "").strip("<>")
            where = f"{path}#{n}" + (f" {uri}" if uri else "")
            if rec.raw is None:
                ctype = _head_content_type(rec)
                if ctype in HTML_TYPES:
                    yield Problem(where, f"record too large ({rec.length:,} bytes; the limit is {limit:,} bytes)")
                else:
                    yield Problem(where, f"skipped: not HTML ({ctype or 'no content type'})", note=True)
                continue
            try:
                record = _parse(rec.raw)
            except Exception as exc:  # noqa: BLE001 - warcio raises many kinds on a bad record
                yield Problem(where, f"malformed WARC record: {type(exc).__name__}: {exc}".splitlines()[0])
                continue
            ctype = _content_type(record)
            if ctype not in HTML_TYPES:
                yield Problem(where, f"skipped: not HTML ({ctype or 'no content type'})", note=True)
                continue
            status = record.http_headers.get_statuscode() if record.http_headers is not None else "200"
            if status and not str(status).startswith("2"):
                yield Problem(where, f"skipped: HTTP status {status}", note=True)
                continue
            try:
                body = record.content_stream().read(limit + 1)
            except Exception as exc:  # noqa: BLE001 - a broken chunked or compressed body
                yield Problem(where, f"malformed WARC record: cannot read its body ({type(exc).__name__})")
                continue
            if len(body) > limit:
                yield Problem(where, f"page too large (over {limit:,} bytes once decoded)")
                continue
            try:
                text, meta, blocks = article_page_from_html(body, where=where, url=uri or None, outlet=outlet)
            except InputError as exc:
                msg = str(exc)
                yield Problem(where, msg[len(where) + 2 :] if msg.startswith(where + ": ") else msg)
                continue
            meta.extra["warc_date"] = rec.headers.get("warc-date")
            yield RawArticle(text, meta, blocks=blocks)
    except OSError as exc:
        yield Problem(f"{path}#{n + 1}", f"cannot read further: {exc.strerror or exc}")


def _looks_like_warc(fh) -> bool:
    head = fh.read(2)
    fh.seek(0)
    try:
        if head == b"\x1f\x8b":
            with gzip.GzipFile(fileobj=fh) as gz:
                start = gz.read(64)
        else:
            start = fh.read(64)
    except _GZIP_ERRORS:
        start = b""
    fh.seek(0)
    return start.lstrip(b"\r\n").startswith(b"WARC/")


def count_warc(path: str) -> int:
    """HTML responses in a WARC file (for the progress bar's total; best effort)."""
    n = 0
    try:
        with open(path, "rb") as fh:
            if not _looks_like_warc(fh):
                return 0
        for rec in _stream(path):
            if isinstance(rec, Problem) or rec.headers.get("warc-type") not in PAGE_TYPES:
                continue
            if rec.raw is None:
                n += _head_content_type(rec) in HTML_TYPES
                continue
            try:
                n += _content_type(_parse(rec.raw)) in HTML_TYPES
            except Exception:  # noqa: BLE001 - reading reports the problem
                pass
    except Exception:  # noqa: BLE001 - counting is best effort; reading reports the problem
        pass
    return n
