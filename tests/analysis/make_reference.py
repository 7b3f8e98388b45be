"""Regenerate data/minilm_reference.json from the torch implementation (needs
sentence-transformers and torch==2.13.0 installed; not part of the test run)."""

import json
from pathlib import Path

from saidwho.analysis import embeddings

HERE = Path(__file__).parent
ref = json.loads((HERE / "data" / "minilm_reference.json").read_text())
vecs = embeddings.TorchMiniLM(embeddings.model_dir()).encode(ref["texts"])
ref["vectors"] = [[round(float(x), 6) for x in row] for row in vecs]
(HERE / "data" / "minilm_reference.json").write_text(json.dumps(ref))
