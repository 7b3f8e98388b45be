"""Inputs named on the command line -> (path, format) pairs: files, folders, globs.

Folders are walked recursively in sorted order, keeping files whose extension saidwho reads;
globs (``news/**/*.html``) are expanded; a file named explicitly with another extension is
sniffed from its first bytes. Symbolic links to folders are not followed by folder walks and
``**`` (no loops), and each real file is read once.
"""

from __future__ import annotations

import fnmatch
import glob
import gzip
import os
from collections.abc import Iterable, Iterator

from . import Problem

FORMATS = ("text", "html", "jsonl", "warc")

_EXT = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".jsonl.gz": "jsonl",
    ".ndjson.gz": "jsonl",
    ".warc": "warc",
    ".warc.gz": "warc",
}


def format_of(path: str) -> str | None:
    """The format given by a file's extension, or None."""
    low = path.lower()
    for ext in sorted(_EXT, key=len, reverse=True):
        if low.endswith(ext):
            return _EXT[ext]
    return None


def sniff(path: str) -> str:
    """Guess a file's format from its first bytes (for explicitly named files)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return "text"  # the reader reports the error
    if head[:2] == b"\x1f\x8b":
        try:
            with gzip.open(path, "rb") as fh:
                head = fh.read(4096)
        except (OSError, EOFError):
            return "text"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"WARC/"):
        return "warc"
    if stripped[:1] == b"{":
        return "jsonl"
    low = stripped[:512].lower()
    if low.startswith((b"<!doctype html", b"<html")) or b"<body" in head.lower():
        return "html"
    return "text"


def _walk(top: str) -> Iterator[str]:
    """The files saidwho reads under ``top``, sorted. Symbolic links to folders are not followed
    (a link to ``..`` would walk the parent, or loop); links to files are read."""
    found = []
    for root, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in files:
            if not f.startswith(".") and format_of(f):
                found.append(os.path.join(root, f))
    yield from sorted(found)


def _match(pattern: list[str], names: list[str]) -> bool:
    """``names`` (a path's parts) match ``pattern``'s parts, ``**`` matching any number of
    folders; as in glob, a name starting with a dot is matched only by a part that does."""
    if not pattern:
        return not names
    head = pattern[0]
    if head == "**":
        if _match(pattern[1:], names):
            return True
        return bool(names) and not names[0].startswith(".") and _match(pattern, names[1:])
    if not names or (names[0].startswith(".") and not head.startswith(".")):
        return False
    return fnmatch.fnmatchcase(names[0], head) and _match(pattern[1:], names[1:])


def _glob(pattern: str) -> list[str]:
    """Files matching ``pattern``, sorted. Python's glob follows symbolic links to folders under
    ``**``, so a link to ``..`` makes it loop until paths grow too long; here ``**`` walks the
    real folders only (as pathlib does), and each file is found once."""
    if "**" not in pattern:
        return sorted(m for m in glob.glob(pattern) if os.path.isfile(m))
    parts = pattern.split(os.sep)
    i = 0
    while i < len(parts) and not glob.has_magic(parts[i]):
        i += 1
    root = os.sep.join(parts[:i]) or (os.sep if pattern.startswith(os.sep) else "")
    rest = [p for p in parts[i:] if p]
    found = []
    for dirpath, dirs, files in os.walk(root or os.curdir):
        dirs.sort()
        rel = os.path.relpath(dirpath, root or os.curdir)
        base = [] if rel == os.curdir else rel.split(os.sep)
        for f in files:
            if _match(rest, base + [f]):
                found.append(os.path.join(dirpath, f) if root else os.path.join(*base, f))
    return sorted(found)


def _identity(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None  # the reader reports it
    return st.st_dev, st.st_ino


def expand(paths: Iterable[str]) -> Iterator[tuple[str, str] | Problem]:
    """``(path, format)`` for every input file, or a :class:`Problem` for a name that gives none.

    Each real file is given once, however many names reach it (links, overlapping folders and
    patterns)."""
    seen: set[tuple[int, int]] = set()

    def first_time(f: str) -> bool:
        key = _identity(f)
        if key is None:
            return True
        if key in seen:
            return False
        seen.add(key)
        return True

    for p in paths:
        p = os.path.expanduser(str(p))
        if os.path.isdir(p):
            n = 0
            for f in _walk(p):
                n += 1
                if first_time(f):
                    yield f, format_of(f) or "text"
            if n == 0:
                yield Problem(p, "folder holds no file saidwho reads (.txt, .html, .jsonl, .warc[.gz])")
        elif os.path.exists(p) or os.path.islink(p):
            if first_time(p):
                yield p, format_of(p) or sniff(p)
        elif glob.has_magic(p):
            files = _glob(p)
            if not files:
                yield Problem(p, "no file matches this pattern")
            for f in files:
                if first_time(f):
                    yield f, format_of(f) or sniff(f)
        else:
            yield Problem(p, "no such file or folder")
