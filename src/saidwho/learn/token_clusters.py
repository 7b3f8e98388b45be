"""Token clusters: the parse's own contextual token vectors, grouped, as tagger features.

en_core_web_sm's tok2vec layer gives every token a 96-wide vector of its word in context
(``doc.tensor``). Fed to the perceptron as they are, these vectors did not help it (a linear
model over dense inputs learns little a sparse feature does not already say); the id of the
nearest centroid does, as a word cluster does, but one that knows the context: "charged" in
"charged with murder" and in "charged the battery" fall apart. The centroids (k-means at
three sizes, 64, 256 and 1024, over 200,000 tokens sampled from PolNeAR's train split) ship as
``data/token_centroids.npz``:

    python -m saidwho.learn.build_token_clusters ../shared/polnear

rebuilds them (deterministic: fixed seed, fixed order). The file names the spaCy model whose
vectors it clusters; a pipeline of another model (whose vectors mean something else), or a Doc
without such vectors (one read back from a DocBin), gets no token-cluster features.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from ..lexicon import data_path

TABLE = "token_centroids.npz"
#: clustering sizes, in the order of the features ``tc0``, ``tc1``, ``tc2``
SIZES = (64, 256, 1024)
#: width of the vectors (en_core_web_sm's tok2vec)
WIDTH = 96


def model_id(nlp: Language) -> str:
    """``lang_name-version`` of a loaded pipeline, as the centroids file records it."""
    m = nlp.meta
    return f"{m.get('lang')}_{m.get('name')}-{m.get('version')}"


@lru_cache(maxsize=None)
def clustered_model() -> str | None:
    """The model whose vectors the packaged centroids cluster (None if the file is missing)."""
    path = Path(data_path(TABLE))
    if not path.exists():
        return None
    with np.load(path) as z:
        return str(z["model"])


def fits(nlp: Language) -> bool:
    """Whether the packaged centroids were made from this pipeline's own token vectors."""
    return clustered_model() == model_id(nlp)


@lru_cache(maxsize=None)
def centroids() -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    """``(centroids, their squared norms)`` per size from the packaged file (empty if missing)."""
    path = Path(data_path(TABLE))
    if not path.exists():
        return ()
    with np.load(path) as z:
        out = []
        for k in SIZES:
            c = z[f"c{k}"].astype(np.float32)
            out.append((c, (c * c).sum(1)))
    return tuple(out)


def token_vectors(doc: Doc) -> np.ndarray | None:
    """``doc.tensor`` when it holds one row of the expected width per token, else None."""
    t = getattr(doc, "tensor", None)
    if t is None or getattr(t, "ndim", 0) != 2 or t.shape[0] != len(doc) or t.shape[1] != WIDTH:
        return None
    return np.asarray(t, dtype=np.float32)


def token_clusters(doc: Doc) -> list[tuple[str, ...]] | None:
    """The nearest centroid of each token's vector at each size, as strings (None when the
    Doc has no vectors of the right width or the centroids are missing)."""
    cs = centroids()
    vec = token_vectors(doc)
    if vec is None or not cs:
        return None
    cols = [((c2[None, :] - 2.0 * (vec @ c.T)).argmin(1)).tolist() for c, c2 in cs]
    return [tuple(str(x) for x in t) for t in zip(*cols)]
