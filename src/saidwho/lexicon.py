"""Word lists kept as data (``saidwho/data/*.txt``), loaded once and cached.

Files hold one entry per line; ``#`` starts a comment. Keeping them apart from logic lets a
user read and extend them without touching code.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=None)
def wordlist(name: str) -> frozenset[str]:
    """Entries of ``data/<name>.txt``, lower-cased, comments and blanks dropped."""
    raw = resources.files("saidwho").joinpath("data", f"{name}.txt").read_text("utf-8")
    out = set()
    for line in raw.splitlines():
        line = line.split("#", 1)[0].strip().lower()
        if line:
            out.add(line)
    return frozenset(out)


@lru_cache(maxsize=None)
def data_path(name: str) -> str:
    """Filesystem path of a packaged data file (for models stored as JSON)."""
    return str(resources.files("saidwho").joinpath("data", name))
