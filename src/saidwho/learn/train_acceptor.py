"""Train the judges of candidate cues (``data/cue_acceptor*.npz``, see :mod:`saidwho.learn.acceptor`).

    pip install -e ".[train]"      # PyTorch: the fold networks and the judge's fit
    # the default judge: 2 MiniLM layers over 17 wordpieces around the cue
    python -m saidwho.learn.train_acceptor ../shared/polnear --folds DIR [--report]
    # the sentence judge (--recall sentence): 3 layers over the sentence (126 wordpieces at most)
    python -m saidwho.learn.train_acceptor ../shared/polnear --folds DIR --layers 3 \
        --max-pieces 126 --name cue_acceptor_sentence.npz

Data provenance: PolNeAR v1.0.0 train split only, cross-fitted. Each half of train is tagged by
the cue and role perceptrons (``saidwho.learn.crossfit``, ``cue{k}.npz`` / ``role{k}.npz`` in
``--folds``) and the role network (``mlp{k}.npz``) trained on the other half; missing fold files
are trained and written there first. For every article the engine runs as shipped, and each
candidate attribution it offers is labelled 1 when its content matches (token Jaccard at least
0.5) a gold content that the attributions from the tagger's own cues left unmatched. Each
candidate also gets its context vector (:mod:`saidwho.learn.context`), and the judge is fitted
by :func:`fit_contextual`.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter

from .context import LAYERS, MAX_PIECES, WINDOW_LAYERS, WINDOW_PIECES
from pathlib import Path


def fold_networks(directory: str, docs, golds, log=print) -> list:
    """The role networks of folds 0 and 1 (``mlp{k}.npz``), each trained on the other half;
    trained and saved if missing."""
    from .features import DocInfo
    from .mlp import FeatureMLP
    from .train import role_instances

    out = []
    for k in (0, 1):
        path = Path(directory) / f"mlp{k}.npz"
        if not path.exists():
            import torch

            from .train_mlp import train_mlp

            torch.set_num_threads(1)  # as train_mlp's default: the weights depend on it slightly
            seqs = [s for i, (d, g) in enumerate(zip(docs, golds)) if i % 2 != k for s in role_instances(DocInfo.of(d), g)]
            train_mlp(seqs, seed=0, log=log).save(str(path))
        out.append(FeatureMLP.load(str(path)))
    return out


def candidate_examples(
    nlp, doc, gold: list[dict], layers: int = LAYERS, max_pieces: int = MAX_PIECES
) -> tuple[list[tuple[list[str], int]], tuple[int, int, int], "np.ndarray"]:
    """``(features, label)`` for each candidate attribution of one parsed article, with the
    models now set on ``nlp``'s saidwho stages; the article's content counts without
    candidates: gold contents, system contents, matched pairs (overlap); and the candidates'
    context vectors (one row each, read with ``layers`` and ``max_pieces``)."""
    from ..eval.scorer import Tokens, greedy_match, jaccard, normalise
    from ..pipeline.attribute import sentence_chars
    from ..pipeline.cues import CANDIDATE_KEY, CUE_KEY, scored_spans, take_info
    from ..pipeline.extraction import extract
    from .context import candidate_vectors

    cues_stage, att = nlp.get_pipe("saidwho_cues"), nlp.get_pipe("saidwho_attribute")
    doc = cues_stage(doc.copy())
    info = take_info(doc)
    cues, candidates = scored_spans(doc, CUE_KEY), scored_spans(doc, CANDIDATE_KEY)
    roles: dict = {}
    records = extract(info, cues, info.regions, att.model, att.extent, roles)
    text = doc.text
    toks = Tokens(text)

    def tk(frags):
        return toks.indices(normalise(text, frags)) if frags else frozenset()

    golds = [tk(g["content"]) for g in gold if g["content"]]
    found = [tk(r["content"]) for r in records if r["parent"] is None and r["content"]]
    matched = {g for g, _ in greedy_match(golds, found, jaccard, 0.5)}
    free = [g for i, g in enumerate(golds) if i not in matched]
    out = []
    pairs = att.candidate_records(info, records, cues, candidates, roles)
    for r, feats in pairs:
        c = tk(r["content"])
        out.append((feats, int(any(jaccard(c, g) >= 0.5 for g in free))))
    vectors = candidate_vectors([(text, sentence_chars(info, r), r) for r, _ in pairs], layers, max_pieces)
    return out, (len(golds), len(found), len(matched)), vectors


def fit_contextual(
    examples: list[tuple[list[str], int]],
    vectors,
    l2: float = 0.3,
    steps: int = 300,
    lr: float = 0.02,
    min_count: int = 2,
    seed: int = 0,
    layers: int = LAYERS,
    max_pieces: int = MAX_PIECES,
):
    """A contextual :class:`~saidwho.learn.acceptor.CueAcceptor`: logistic regression over the
    feature strings (seen at least ``min_count`` times) and the standardised context vectors,
    fitted full-batch by Adam on the log loss with an L2 penalty on all weights but the bias;
    ``layers`` and ``max_pieces`` record how the vectors were read. The settings were chosen
    on cross-fitted train (docs/evaluation.md)."""
    import numpy as np
    import torch

    from .acceptor import CueAcceptor

    torch.manual_seed(seed)
    torch.set_num_threads(2)  # as the shipped judge was fitted: the sums, and so the weights, depend on it slightly
    counts = Counter(f for x, _ in examples for f in x)
    names = sorted(f for f, c in counts.items() if c >= min_count)
    index = {f: i for i, f in enumerate(names)}
    ids = [[index[f] for f in x if f in index] for x, _ in examples]
    flat = torch.tensor([i for row in ids for i in row], dtype=torch.long)
    offsets = torch.tensor([0, *np.cumsum([len(r) for r in ids])[:-1].tolist()], dtype=torch.long)
    X = np.asarray(vectors, dtype=np.float32)
    mean, scale = X.mean(0), X.std(0) + 1e-6
    xt = torch.tensor((X - mean) / scale)
    y = torch.tensor([float(lab) for _, lab in examples])
    sparse = torch.nn.EmbeddingBag(len(names) + 1, 1, mode="sum")
    torch.nn.init.zeros_(sparse.weight)
    dense = torch.nn.Linear(X.shape[1], 1)
    opt = torch.optim.Adam([*sparse.parameters(), *dense.parameters()], lr=lr)
    for _ in range(steps):
        opt.zero_grad()
        z = sparse(flat, offsets).squeeze(1) + dense(xt).squeeze(1)
        loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)
        loss = loss + l2 * (sparse.weight.pow(2).sum() + dense.weight.pow(2).sum())
        loss.backward()
        opt.step()
    w = sparse.weight.detach().numpy()[:, 0]
    return CueAcceptor(
        {f: float(w[i]) for f, i in index.items() if w[i]},
        float(dense.bias.detach()[0]),
        dense=dense.weight.detach().numpy()[0],
        mean=mean,
        scale=scale,
        layers=layers,
        max_pieces=max_pieces,
    )


def _stacked(per_article: list, keep) -> tuple[list, "np.ndarray"]:
    """The examples and context vectors of the articles ``keep`` says yes to (by index)."""
    import numpy as np

    parts = [(ex, v) for i, (ex, _, v) in enumerate(per_article) if keep(i)]
    return [x for ex, _ in parts for x in ex], np.concatenate([v for _, v in parts if len(v)])


def half_split_report(
    per_article: list, thresholds=(0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6), log=print, **reading: int
) -> None:
    """Content overlap F1 on train with the candidates each threshold accepts, the judge
    fitted on one half's candidates and applied to the other's (an estimate: a candidate is
    counted right if it matches a gold content the others left free)."""
    n_gold = sum(c[0] for _, c, _ in per_article)
    n_sys = sum(c[1] for _, c, _ in per_article)
    tp = sum(c[2] for _, c, _ in per_article)
    probs: list[list[float]] = [[] for _ in per_article]
    for k in (0, 1):
        acc = fit_contextual(*_stacked(per_article, lambda i: i % 2 != k), **reading)
        for i in range(k, len(per_article), 2):
            ex, _, vecs = per_article[i]
            probs[i] = [acc.probability(f, v) for (f, _), v in zip(ex, vecs)]
    log(f"without candidates: content overlap F1 {2 * tp / (n_gold + n_sys):.4f}")
    for t in thresholds:
        taken = [y for (ex, _, _), ps in zip(per_article, probs) for (_, y), p in zip(ex, ps) if p >= t]
        f1 = 2 * (tp + sum(taken)) / (n_gold + n_sys + len(taken))
        log(f"threshold {t:.2f}: {len(taken)} added, {sum(taken)} right, content overlap F1 {f1:.4f}")


def main(argv: list[str] | None = None) -> int:
    from ..engine import build_nlp
    from ..eval.polnear import load_split
    from ..lexicon import data_path
    from ..pipeline.factories import PIPES
    from .acceptor import CANDIDATE_BIAS, THRESHOLD
    from .crossfit import fold_models, load_fold_models, save_fold_models
    from .mlp import ROLE_MLP_WEIGHT, BlendedTagger
    from .train import training_golds

    ap = argparse.ArgumentParser(prog="python -m saidwho.learn.train_acceptor", description=__doc__.splitlines()[0])
    ap.add_argument("polnear_dir")
    ap.add_argument("--folds", required=True, help="directory of the cross-fitting fold models")
    ap.add_argument("--out", default=None, help="where to write cue_acceptor.npz (default: the package's data/)")
    ap.add_argument("--report", action="store_true", help="also estimate F1 on train per threshold, half by half")
    ap.add_argument("--layers", type=int, default=WINDOW_LAYERS, help="MiniLM layers run for the context vectors")
    ap.add_argument("--max-pieces", type=int, default=WINDOW_PIECES, help="wordpieces read around the cue at most")
    ap.add_argument("--name", default="cue_acceptor.npz", help="file name of the judge written")
    args = ap.parse_args(argv)
    log = lambda m: print(m, file=sys.stderr)  # noqa: E731
    arts = load_split(args.polnear_dir, "train")
    nlp = build_nlp()
    t0 = time.time()
    docs = list(nlp.pipe((a.text for a in arts), batch_size=16, disable=list(PIPES)))
    golds = [training_golds(a) for a in arts]
    log(f"parsed {len(docs)} train articles ({time.time() - t0:.0f}s)")
    models = load_fold_models(args.folds)
    if models is None:
        models = fold_models(docs, golds, log=log)
        save_fold_models(models, args.folds)
    nets = fold_networks(args.folds, docs, golds, log=log)
    cues_stage, att = nlp.get_pipe("saidwho_cues"), nlp.get_pipe("saidwho_attribute")
    cues_stage.candidate_bias = CANDIDATE_BIAS
    per_article = []
    for i, (doc, gold) in enumerate(zip(docs, golds)):
        cue_m, role_m = models[i % 2]
        cues_stage.model, att.model = cue_m, BlendedTagger(role_m, nets[i % 2], ROLE_MLP_WEIGHT)
        per_article.append(candidate_examples(nlp, doc, gold, args.layers, args.max_pieces))
    examples, vectors = _stacked(per_article, lambda i: True)
    log(f"{len(examples)} candidates, {sum(y for _, y in examples)} right")
    if args.report:
        half_split_report(per_article, log=log, layers=args.layers, max_pieces=args.max_pieces)
    acceptor = fit_contextual(examples, vectors, layers=args.layers, max_pieces=args.max_pieces)
    acceptor.threshold = THRESHOLD
    out = Path(args.out) if args.out else Path(data_path("cue_model.npz")).parent
    out.mkdir(parents=True, exist_ok=True)
    path = out / args.name
    acceptor.save(
        str(path),
        trained_on=f"PolNeAR train ({len(arts)} articles), cross-fitted",
        candidate_bias=CANDIDATE_BIAS,
        examples=len(examples),
        context=f"all-MiniLM-L6-v2, {args.layers} layers, at most {args.max_pieces} wordpieces; sentence, cue, content, source",
    )
    print(f"wrote {path} ({len(examples)} examples)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
