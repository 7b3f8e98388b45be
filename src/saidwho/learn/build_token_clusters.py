"""Rebuild ``data/token_centroids.npz`` (see :mod:`saidwho.learn.token_clusters`).

    python -m saidwho.learn.build_token_clusters ../shared/polnear

Token vectors of PolNeAR's train split only (the dev split is for evaluation, the test split
is never read); a 200,000-token sample, k-means at each size; a few minutes on one core.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from ..lexicon import data_path
from .token_clusters import SIZES, TABLE, WIDTH, model_id, token_vectors

SAMPLE = 200_000


def kmeans(x: np.ndarray, k: int, rng: np.random.Generator, iterations: int = 25) -> np.ndarray:
    """Centroids of the rows of ``x`` by Lloyd's k-means (squared Euclidean distance)."""
    c = x[rng.choice(len(x), k, replace=False)].copy()
    xx = (x * x).sum(1)
    for _ in range(iterations):
        a = (xx[:, None] - 2.0 * (x @ c.T) + (c * c).sum(1)[None, :]).argmin(1)
        for j in range(k):
            members = x[a == j]
            if len(members):
                c[j] = members.mean(0)
    return c


def build(vectors: np.ndarray, seed: int = 0) -> dict[str, np.ndarray]:
    """Centroids at each size of :data:`SIZES`, from one seeded sample of ``vectors``."""
    rng = np.random.default_rng(seed)
    x = vectors[rng.choice(len(vectors), min(SAMPLE, len(vectors)), replace=False)].astype(np.float32)
    return {f"c{k}": kmeans(x, k, rng).astype(np.float32) for k in SIZES}


def main(argv: list[str] | None = None) -> int:
    from ..engine import build_nlp
    from ..eval.polnear import load_split
    from ..pipeline.factories import PIPES

    ap = argparse.ArgumentParser(prog="python -m saidwho.learn.build_token_clusters", description=__doc__.splitlines()[0])
    ap.add_argument("polnear_dir")
    ap.add_argument("--out", default=None, help="file to write (default: the package's data/token_centroids.npz)")
    args = ap.parse_args(argv)
    arts = load_split(args.polnear_dir, "train")
    nlp = build_nlp()
    rows = []
    for doc in nlp.pipe((a.text for a in arts), batch_size=16, disable=list(PIPES)):
        v = token_vectors(doc)
        if v is None:
            raise SystemExit(f"the model {model_id(nlp)} gives no {WIDTH}-wide token vectors")
        rows.append(v)
    table = build(np.concatenate(rows))
    out = Path(args.out) if args.out else Path(data_path(TABLE))
    np.savez(out, model=np.array(model_id(nlp)), **table)
    print(f"wrote {out} ({', '.join(f'{k} centroids' for k in SIZES)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
