"""The shipped models' file format: one uncompressed NumPy ``.npz`` per model.

A model is a table of feature strings and their weights. Parsing it from JSON cost more than a
second at start-up (17 MB for the cue tagger); from an ``.npz`` the weights come back as one
float64 array (the same numbers as the JSON held, bit for bit) and the feature strings as one
JSON list (feature strings may hold any character), which Python turns into a dict in C.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import numpy as np


def text_array(value: Any) -> np.ndarray:
    """``value`` as JSON in a uint8 array (a string list, a dict of metadata, ...)."""
    return np.frombuffer(json.dumps(value, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)


def array_text(arr: np.ndarray) -> Any:
    """The inverse of :func:`text_array`."""
    return json.loads(bytes(arr).decode("utf-8"))


def check_path(path: str) -> str:
    """``np.savez`` adds ``.npz`` to any other name; insist on it so the file is where asked."""
    if not str(path).endswith(".npz"):
        raise ValueError(f"model files are .npz: {path}")
    return str(path)


@contextmanager
def no_gc() -> Iterator[None]:
    """Build large tables of small lists without the cyclic collector scanning them over and
    over (it would otherwise run hundreds of times while a model loads)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def save(path: str, **arrays: Any) -> None:
    np.savez(check_path(path), **arrays)


def load(path: str) -> dict[str, np.ndarray]:
    """All arrays of one ``.npz`` file, read at once."""
    with np.load(path, allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


def table(names: Iterable[str], values: np.ndarray) -> dict[str, Any]:
    """``{name: row}``: rows as Python lists (2-D ``values``) or floats (1-D)."""
    with no_gc():
        return dict(zip(names, values.tolist()))


def table_arrays(weights: Mapping[str, Any], width: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The two arrays :func:`table` reads back: names as JSON and values as float64."""
    names = list(weights)
    if width is None:
        values = np.array([weights[f] for f in names], dtype=np.float64)
    else:
        values = np.array([weights[f] for f in names], dtype=np.float64).reshape(len(names), width)
    return text_array(names), values
