"""Train the role tagger's network (``data/role_mlp.npz``, see :mod:`saidwho.learn.mlp`).

    pip install -e ".[train]"          # PyTorch, for training only; the engine runs the network in NumPy
    python -m saidwho.learn.train_mlp ../shared/polnear

Data provenance: PolNeAR v1.0.0 train split only (the dev split is for evaluation, the test
split is never read), the same role instances as the perceptron's (:func:`role_instances`: one
window per gold cue, labels O / source / content). About nine minutes on one core, parse included. The run is
seeded; with the same PyTorch build and ``--threads`` it writes the same weights.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from .mlp import BIAS, FeatureMLP

#: The recipe of the shipped network (chosen on PolNeAR dev: docs/evaluation.md).
RECIPE = {"dim": 64, "hidden": 128, "window": 2, "epochs": 12, "dropout": 0.5, "min_count": 2, "lr": 2e-3, "batch": 128}


def build_vocab(seqs: Sequence[tuple], min_count: int) -> list[str]:
    """Features seen at least ``min_count`` times, in order of first appearance, after the bias."""
    counts = Counter(f for feats, *_ in seqs for fs in feats for f in fs)
    vocab = [BIAS]
    seen = {BIAS}
    for feats, *_ in seqs:
        for fs in feats:
            for f in fs:
                if f not in seen and counts[f] >= min_count:
                    seen.add(f)
                    vocab.append(f)
    return vocab


def train_mlp(seqs: Sequence[tuple], seed: int = 0, log=print, **recipe) -> FeatureMLP:
    """Train on ``(features, labels[, allowed])`` sequences; token-level cross-entropy, labels
    a sequence does not allow masked out; each feature but the bias dropped with probability
    ``dropout`` (the rest scaled up to keep the expected sum)."""
    import numpy as np
    import torch

    r = {**RECIPE, **recipe}
    torch.manual_seed(seed)
    rng = random.Random(seed)
    vocab = build_vocab(seqs, r["min_count"])
    index = {f: i for i, f in enumerate(vocab)}
    dim, hidden, win = r["dim"], r["hidden"], r["window"]
    n_labels = max(3, 1 + max(max(s[1]) for s in seqs if s[1]))  # O, source, content at least
    emb = torch.nn.EmbeddingBag(len(vocab), dim, mode="sum", sparse=True)
    torch.nn.init.normal_(emb.weight, std=0.02)
    hid = torch.nn.Linear(dim * (2 * win + 1), hidden)
    out = torch.nn.Linear(hidden, n_labels)
    opt_emb = torch.optim.SparseAdam([emb.weight], lr=r["lr"])
    opt = torch.optim.Adam(list(hid.parameters()) + list(out.parameters()), lr=r["lr"])
    log(f"{len(seqs)} sequences, {sum(len(s[0]) for s in seqs)} tokens, {len(vocab)} features")

    def batch(items):
        ids, starts, rows, labs, masks = [], [], [], [], []
        total = 0
        for s in items:
            feats, lab = s[0], s[1]
            allowed = s[2] if len(s) > 2 and s[2] is not None else [[True] * n_labels] * len(feats)
            for fs in feats:
                starts.append(len(ids))
                ids.append(0)
                ids.extend(index[f] for f in fs if f in index)
            n = len(feats)
            rows.extend([total + i + d if 0 <= i + d < n else -1 for d in range(-win, win + 1)] for i in range(n))
            labs.extend(lab)
            masks.extend(allowed)
            total += n
        nb = torch.tensor(rows)
        nb[nb < 0] = total  # the zero row
        return torch.tensor(ids), torch.tensor(starts), nb, torch.tensor(labs), torch.tensor(masks), total

    order = list(range(len(seqs)))
    for ep in range(r["epochs"]):
        rng.shuffle(order)
        t0 = time.time()
        loss_sum, steps = 0.0, 0
        for b in range(0, len(order), r["batch"]):
            ids, starts, nb, lab, mask, total = batch([seqs[i] for i in order[b : b + r["batch"]]])
            weights = None
            if r["dropout"]:
                keep = (torch.rand(len(ids)) >= r["dropout"]).float() / (1.0 - r["dropout"])
                keep[starts] = 1.0
                weights = keep
            x = emb(ids, starts, per_sample_weights=weights)
            x = torch.cat([x, torch.zeros(1, dim)], 0)
            z = torch.cat([x[nb[:, k]] for k in range(nb.shape[1])], 1)
            logits = out(torch.relu(hid(z))).masked_fill(~mask, -1e4)
            loss = torch.nn.functional.cross_entropy(logits, lab)
            opt_emb.zero_grad()
            opt.zero_grad()
            loss.backward()
            opt_emb.step()
            opt.step()
            loss_sum += loss.item()
            steps += 1
        log(f"epoch {ep + 1}: loss {loss_sum / max(steps, 1):.4f} ({time.time() - t0:.0f}s)")
    t = lambda p: p.detach().numpy().astype(np.float32)  # noqa: E731
    return FeatureMLP(vocab, t(emb.weight), t(hid.weight).T, t(hid.bias), t(out.weight).T, t(out.bias), win)


def main(argv: list[str] | None = None) -> int:
    try:
        import torch
    except ImportError:
        print('error: training the network needs PyTorch: pip install -e ".[train]"', file=sys.stderr)
        return 2
    from .. import settings
    from ..lexicon import data_path
    from .features import DocInfo
    from .train import parsed_split, role_instances

    ap = argparse.ArgumentParser(prog="python -m saidwho.learn.train_mlp", description=__doc__.splitlines()[0])
    ap.add_argument("polnear_dir")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1, help="PyTorch threads (the weights depend on it slightly)")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--out", default=None, help="where to write role_mlp.npz (default: the package's data/)")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    arts, docs, golds = parsed_split(args.polnear_dir, "train", args.limit)
    seqs = [seq for doc, gold in zip(docs, golds) for seq in role_instances(DocInfo.of(doc), gold)]
    mlp = train_mlp(seqs, seed=args.seed, log=lambda m: print(m, file=sys.stderr))
    out = Path(args.out) if args.out else Path(data_path("role_model.npz")).parent
    out.mkdir(parents=True, exist_ok=True)
    path = out / "role_mlp.npz"
    mlp.save(str(path), trained_on=f"PolNeAR train ({len(arts)} articles)", model=settings.model_name(), seed=str(args.seed))
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
