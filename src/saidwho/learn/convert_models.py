"""Convert model files of the former JSON format to the ``.npz`` format the engine loads.

    python -m saidwho.learn.convert_models OLD.json [...] [--out DIR]

Each ``NAME.json`` becomes ``NAME.npz`` beside it (or in ``--out``); the kind of model (tagger,
content-extent ranker, judge) is read from the file's keys. The weights are the same numbers:
the converted file is read back and compared with the JSON before this reports success.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from .acceptor import CueAcceptor
from .context import LAYERS, MAX_PIECES
from .extent import ExtentRanker
from .perceptron import SequencePerceptron

_KINDS = ("perceptron", "extent", "acceptor")


def kind_of(data: dict[str, Any]) -> str:
    """Which model a parsed JSON file holds."""
    if "labels" in data and "trans" in data:
        return "perceptron"
    if "margin" in data and "weights" in data:
        return "extent"
    if "threshold" in data and "bias" in data:
        return "acceptor"
    raise ValueError("not a saidwho model file (no labels/trans, margin or threshold/bias)")


def from_json(data: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """The model a JSON file describes, and its metadata (everything else in the file)."""
    kind = kind_of(data)
    if kind == "perceptron":
        m = SequencePerceptron(data["labels"])
        m.trans = data["trans"]
        m.w = data["weights"]
        meta = {k: v for k, v in data.items() if k not in ("labels", "trans", "weights")}
        return m, meta
    if kind == "extent":
        meta = {k: v for k, v in data.items() if k not in ("margin", "weights")}
        return ExtentRanker(data["weights"], float(data.get("margin", 0.0))), meta
    dense = data.get("dense")
    if dense is None:
        model = CueAcceptor(data["weights"], data["bias"], data["threshold"])
    else:
        model = CueAcceptor(
            data["weights"], data["bias"], data["threshold"], dense["weights"], dense["mean"], dense["scale"],
            dense.get("layers", LAYERS), dense.get("max_pieces", MAX_PIECES),
        )
    return model, data.get("meta", {})


def same(a: Any, b: Any) -> bool:
    """Whether two models of one kind hold the same numbers."""
    if isinstance(a, SequencePerceptron):
        return a.labels == b.labels and a.trans == b.trans and a.w == b.w
    if isinstance(a, ExtentRanker):
        return a.w == b.w and a.margin == b.margin
    ok = (a.weights, a.bias, a.threshold, a.layers, a.max_pieces) == (b.weights, b.bias, b.threshold, b.layers, b.max_pieces)
    if (a.dense is None) != (b.dense is None):
        return False
    if a.dense is not None:
        ok = ok and all(np.array_equal(x, y) for x, y in ((a.dense, b.dense), (a.mean, b.mean), (a.scale, b.scale)))
    return ok


def convert(src: Path, out_dir: Path | None = None) -> Path:
    """Write ``src`` (JSON) as ``.npz``, check that it reads back the same, return its path."""
    data = json.loads(src.read_text("utf-8"))
    model, meta = from_json(data)
    dest = (out_dir or src.parent) / (src.stem + ".npz")
    model.save(str(dest), **meta)
    back = type(model).load(str(dest))
    if not same(model, back):
        raise RuntimeError(f"{dest} does not read back the weights of {src}")
    return dest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--out", type=Path, default=None, help="folder for the .npz files (default: beside each)")
    args = ap.parse_args(argv)
    for f in args.files:
        dest = convert(f, args.out)
        print(f"{f} -> {dest} ({dest.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
