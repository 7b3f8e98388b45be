"""Inputs named on the command line -> (path, format) pairs: files, folders, globs.

Folders are walked recursively in sorted order, keeping files whose extension saidwho reads;
globs (``news/**/*.html``) are expanded; a file named explicitly with another extension is
sniffed from its first bytes.
"""

from __future__ import annotations

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
    found = []
    for root, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in files:
            if not f.startswith(".") and format_of(f):
                found.append(os.path.join(root, f))
    yield from sorted(found)


def expand(paths: Iterable[str]) -> Iterator[tuple[str, str] | Problem]:
    """``(path, format)`` for every input file, or a :class:`Problem` for a name that gives none."""
    for p in paths:
        p = os.path.expanduser(str(p))
        if os.path.isdir(p):
            n = 0
            for f in _walk(p):
                n += 1
                yield f, format_of(f) or "text"
            if n == 0:
                yield Problem(p, "folder holds no file saidwho reads (.txt, .html, .jsonl, .warc[.gz])")
        elif os.path.exists(p) or os.path.islink(p):
            yield p, format_of(p) or sniff(p)
        elif glob.has_magic(p):
            matches = sorted(glob.glob(p, recursive=True))
            files = [m for m in matches if os.path.isfile(m)]
            if not files:
                yield Problem(p, "no file matches this pattern")
            for f in files:
                yield f, format_of(f) or sniff(f)
        else:
            yield Problem(p, "no such file or folder")
