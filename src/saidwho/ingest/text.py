"""Reading plain-text inputs robustly: files, directories of ``*.txt`` files and stdin.

Texts are decoded as strict UTF-8 (a leading byte-order mark is dropped) and otherwise kept
exactly as read: newlines are never normalised, so every offset saidwho reports points into
the file's own characters.

Anything that cannot be analysed raises :class:`saidwho.errors.InputError` with one line that
names the path and the reason: an empty or whitespace-only file, a binary file, invalid UTF-8
(with the byte offset), a file over the size cap (``settings.max_chars()`` characters; the byte
size is checked before reading), a missing or unreadable path, a directory where a file was
expected.
"""

from __future__ import annotations

import codecs
import os
import stat
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from .. import settings
from ..errors import InputError

#: A UTF-8 character is at most four bytes, so a file larger than this many bytes per allowed
#: character is refused from its size alone, without reading it.
MAX_BYTES_PER_CHAR = 4

#: Share of control characters (other than tab, newlines, form feed) above which a text is
#: treated as binary rather than prose.
BINARY_CONTROL_RATIO = 0.10

_SAMPLE = 65536
_TEXT_CONTROLS = frozenset("\t\n\r\x0b\x0c")
_UTF16_32_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)

STDIN = "-"
STDIN_ID = "stdin"


class TextInput(tuple):
    """One readable input: unpacks as ``(id, text)``; ``.path`` is the path as given."""

    path: str

    def __new__(cls, id: str, text: str, path: str) -> "TextInput":
        self = super().__new__(cls, (id, text))
        self.path = path
        return self

    @property
    def id(self) -> str:
        return self[0]

    @property
    def text(self) -> str:
        return self[1]


def display_path(path: str | os.PathLike[str]) -> str:
    """The path as shown in messages: control characters escaped so a message stays one line."""
    s = os.fsdecode(path)
    if s == STDIN:
        return "<stdin>"
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in s)


def _error(path: str | os.PathLike[str], reason: str) -> InputError:
    err = InputError(f"{display_path(path)}: {reason}")
    err.path = os.fsdecode(path)  # type: ignore[attr-defined]
    err.reason = reason  # type: ignore[attr-defined]
    return err


def _max_chars() -> int:
    return settings.max_chars()


def _max_bytes() -> int:
    return _max_chars() * MAX_BYTES_PER_CHAR


def max_bytes() -> int:
    """The most bytes read from one input: a file, an HTML page, a JSON line or a WARC record
    (:data:`MAX_BYTES_PER_CHAR` bytes per allowed character); reading stops one byte past it, so
    nothing larger is ever held, parsed or decompressed whole."""
    return _max_bytes()


def _too_large(path: str | os.PathLike[str], nbytes: int | None = None, nchars: int | None = None) -> InputError:
    size = f"{nbytes:,} bytes" if nbytes is not None else f"{nchars:,} characters"
    return _error(path, f"file is too large ({size}; the limit is {_max_chars():,} characters, set by SAIDWHO_MAX_CHARS)")


def _control_ratio(chars: Iterable[str] | bytes) -> float:
    n = bad = 0
    for c in chars:
        if isinstance(c, int):
            c = chr(c)
        n += 1
        o = ord(c)
        if (o < 32 or o == 127) and c not in _TEXT_CONTROLS:
            bad += 1
    return bad / n if n else 0.0


def decode_text(data: bytes, path: str | os.PathLike[str] = STDIN) -> str:
    """Decode raw bytes as strict UTF-8 and refuse what is not analysable prose.

    The BOM is stripped; nothing else is changed (no newline translation).
    """
    for bom, name in _UTF16_32_BOMS:
        if data.startswith(bom):
            raise _error(path, f"file is {name}-encoded, not UTF-8; convert it to UTF-8 first")
    if b"\x00" in data:
        raise _error(path, "file looks binary (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if _control_ratio(data[:_SAMPLE]) > BINARY_CONTROL_RATIO:
            raise _error(path, "file looks binary, not text") from None
        bad = data[exc.start : exc.start + 1].hex().upper()
        raise _error(
            path,
            f"not valid UTF-8 (byte 0x{bad} at byte offset {exc.start}); "
            f"convert it to UTF-8 first (e.g. iconv -f windows-1252 -t utf-8)",
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise _error(path, "file is empty" if not text else "file is empty (only whitespace)")
    if _control_ratio(text[:_SAMPLE]) > BINARY_CONTROL_RATIO:
        raise _error(path, "file looks binary (mostly control characters), not text")
    if len(text) > _max_chars():
        raise _too_large(path, nchars=len(text))
    return text


def _os_reason(exc: OSError, path: str | os.PathLike[str]) -> str:
    if isinstance(exc, FileNotFoundError):
        if os.path.islink(path):
            return "cannot read: broken symbolic link (its target does not exist)"
        return "cannot read: no such file or directory"
    if isinstance(exc, PermissionError):
        return "cannot read: permission denied"
    if isinstance(exc, IsADirectoryError):
        return "is a directory, not a text file"
    if isinstance(exc, NotADirectoryError):
        return "cannot read: a part of the path is not a directory"
    return f"cannot read: {exc.strerror or exc.__class__.__name__}"


def _read_limited(fh: BinaryIO, limit: int) -> bytes:
    """Read at most ``limit + 1`` bytes (one more than allowed, to detect too-large streams)."""
    chunks: list[bytes] = []
    total = 0
    while total <= limit:
        chunk = fh.read(min(1 << 20, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def read_text(path: str | os.PathLike[str], *, regular_only: bool = False) -> str:
    """The text of one file, decoded as strict UTF-8 and exactly as read otherwise.

    Raises :class:`InputError` (one line naming the path) for anything that cannot be
    analysed. With ``regular_only`` a FIFO, socket or device is refused instead of read (so a
    directory walk never blocks on a named pipe); an explicitly named one, such as the pipe
    behind ``<(command)``, is read up to the size cap.
    """
    try:
        st = os.stat(path)
    except OSError as exc:
        raise _error(path, _os_reason(exc, path)) from None
    except ValueError:  # e.g. an embedded NUL in the path
        raise _error(path, "cannot read: invalid path") from None
    if stat.S_ISDIR(st.st_mode):
        raise _error(path, "is a directory, not a text file")
    regular = stat.S_ISREG(st.st_mode)
    if not regular and regular_only:
        raise _error(path, "is not a regular file (a FIFO, socket or device); skipped")
    limit = _max_bytes()
    if regular and st.st_size > limit:
        raise _too_large(path, nbytes=st.st_size)
    try:
        with open(path, "rb") as fh:
            data = _read_limited(fh, limit)
    except OSError as exc:
        raise _error(path, _os_reason(exc, path)) from None
    if len(data) > limit:
        raise _too_large(path, nbytes=len(data))
    return decode_text(data, path)


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The raw bytes of one input file (an HTML page), at most :func:`max_bytes`: a larger file
    is refused from its size, or, when it has none (a pipe), after one byte past the limit, so a
    268 MB page is never read whole. Raises :class:`InputError` naming the path."""
    limit = max_bytes()
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            raise _error(path, "is a directory, not a file")
        if stat.S_ISREG(st.st_mode) and st.st_size > limit:
            data = None
        else:
            with open(path, "rb") as fh:
                data = _read_limited(fh, limit)
    except OSError as exc:
        raise _error(path, _os_reason(exc, path)) from None
    if data is None or len(data) > limit:
        size = f"{st.st_size:,} bytes" if data is None else f"over {limit:,} bytes"
        raise _error(path, f"file is too large ({size}; the limit is {limit:,} bytes, "
                           f"{MAX_BYTES_PER_CHAR} per character of SAIDWHO_MAX_CHARS)")
    return data


def read_stream(stream: BinaryIO, name: str = STDIN) -> str:
    """The text of a binary stream (stdin), with the same checks as :func:`read_text`."""
    try:
        data = _read_limited(stream, _max_bytes())
    except OSError as exc:
        raise _error(name, _os_reason(exc, name)) from None
    if len(data) > _max_bytes():
        raise _error(name, f"input is too large (over {_max_bytes():,} bytes; the limit is {_max_chars():,} characters)")
    return decode_text(data, name)


def _stdin_binary() -> BinaryIO:
    import sys

    stream = sys.stdin
    return getattr(stream, "buffer", stream)  # type: ignore[return-value]


def expand(paths: Iterable[str | os.PathLike[str]]) -> Iterator[str | InputError]:
    """Input paths in order: files as given, directories as their ``*.txt`` files, recursively
    and sorted. Errors met while walking a directory are yielded as :class:`InputError`."""
    for p in paths:
        s = os.fsdecode(p)
        if s != STDIN and os.path.isdir(s):
            yield from _walk(s)
        else:
            yield s


def _walk(top: str) -> Iterator[str | InputError]:
    errors: list[OSError] = []
    found: list[tuple[str, ...]] = []
    for root, dirs, files in os.walk(top, onerror=errors.append):
        rel = os.path.relpath(root, top)
        parts = () if rel == os.curdir else tuple(rel.split(os.sep))
        for f in files:
            if f.endswith(".txt"):
                found.append((*parts, f))
    for parts in sorted(found):
        yield os.path.join(top, *parts)
    if not found and not errors:
        yield _error(top, "directory holds no *.txt files")
    for exc in errors:
        where = exc.filename or top
        yield _error(where, _os_reason(exc, where).replace("cannot read", "cannot read directory"))


def _unique_id(stem: str, used: set[str]) -> str:
    candidate, n = stem, 1
    while candidate in used:
        n += 1
        candidate = f"{stem}-{n}"
    used.add(candidate)
    return candidate


def input_id(path: str) -> str:
    """An input's id: the file's stem (``news/a.txt`` -> ``a``); stdin is ``stdin``."""
    if path == STDIN:
        return STDIN_ID
    name = os.path.basename(os.path.normpath(path))
    stem, _ext = os.path.splitext(name)
    return stem or name or "doc"


def iter_inputs(
    paths: Iterable[str | os.PathLike[str]], stdin: BinaryIO | None = None
) -> Iterator[TextInput | InputError]:
    """Read each input in turn: ``(id, text)`` for a readable one, an :class:`InputError`
    (not raised) for one that is not, so the caller reports it and goes on.

    Directories expand to their ``*.txt`` files (recursively, sorted); ``-`` reads stdin
    (id ``stdin``). The id is the file's stem; a repeated stem gets a suffix (``a``, ``a-2``).
    """
    named = [os.fsdecode(p) for p in paths]
    explicit = set(named)
    used: set[str] = set()
    for item in expand(named):
        if isinstance(item, InputError):
            yield item
            continue
        try:
            if item == STDIN:
                text = read_stream(stdin if stdin is not None else _stdin_binary(), STDIN)
            else:
                # Files found by walking a directory must be regular files (never block on a
                # FIFO named *.txt); a path named on the command line may be a pipe.
                text = read_text(item, regular_only=item not in explicit)
        except InputError as exc:
            yield exc
            continue
        yield TextInput(_unique_id(input_id(item), used), text, item)
