"""Train the content-extent ranker (``data/extent_model.npz``) on PolNeAR train.

    python -m saidwho.learn.train_extent ../shared/polnear --folds DIR

The ranker must learn to correct the role tagger as it behaves on text it has not seen, so its
examples come from cross-fitting: each half of train is tagged by the cue and role models
trained on the other half (``saidwho.learn.crossfit``; their files are read from ``--folds``,
and trained and written there first if missing). For each cue that overlaps a gold cue and
whose content the ranker would decide, every candidate span is scored against that gold
content: 2 for the same tokens, else its token Jaccard plus 1 when that reaches 0.5 (the
overlap criterion of ``saidwho eval``). The ranker is an averaged perceptron stepped toward the
best candidate whenever its choice is worth less; it reproduces the shipped file byte for byte
from the same fold models.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from spacy.tokens import Doc

from .decode import role_candidates, tag_cues
from .extent import ExtentRanker
from .features import DocInfo
from .train import _tokens


#: The ranker moves a boundary only when another candidate outscores the tagger's run by more
#: than this. Chosen on train: a ranker trained on one half's cross-fitted examples, scored on
#: the other's (CHANGELOG.md, development notes of 2026-12-02); with no margin it finds more exact
#: contents but loses as many overlapping ones as it gains.
MARGIN = 8.0


def _utility(cand: tuple[int, int], gold: set[int]) -> float:
    toks = set(range(*cand))
    if toks == gold:
        return 2.0
    j = len(toks & gold) / len(toks | gold)
    return j + (1.0 if j >= 0.5 else 0.0)


def extent_instances(info: DocInfo, golds: list[dict], cue_model, role_model) -> list[tuple[list, list[float]]]:
    """``[(candidates, utilities)]`` for one parsed article tagged with the given models."""
    doc = info.doc
    gold_cues = [(set(_tokens(doc, g["cue"])), set(_tokens(doc, g.get("content", [])))) for g in golds]
    out = []
    for cs, ce, _ in tag_cues(info, cue_model):
        cue = set(range(cs, ce))
        match = [c for k, c in gold_cues if k & cue and c]
        if not match:
            continue
        cands = role_candidates(info, role_model, cs, ce)[2]
        if len(cands) < 2:
            continue
        gold = match[0]
        out.append((cands, [_utility(c, gold) for c, _ in cands]))
    return out


def train_ranker(instances: Sequence[tuple[list, list[float]]], epochs: int = 5, seed: int = 0, log=print) -> ExtentRanker:
    """An averaged ranking perceptron over ``instances`` (shuffled with ``seed`` each epoch)."""
    ranker = ExtentRanker()
    order = list(instances)
    rng = random.Random(seed)
    for ep in range(epochs):
        rng.shuffle(order)
        errors = sum(ranker.update(c, u) for c, u in order)
        log(f"extent epoch {ep + 1}: {errors}/{len(order)} updates")
    ranker.average()
    return ranker


def crossfit_instances(docs: Sequence[Doc], golds: Sequence[list[dict]], models) -> list[list]:
    """Instances per article, each article tagged by the fold models that did not see it."""
    out = []
    for i, (doc, gold) in enumerate(zip(docs, golds)):
        cue_m, role_m = models[i % 2]
        out.append(extent_instances(DocInfo.of(doc), gold, cue_m, role_m))
    return out


def main(argv: list[str] | None = None) -> int:
    from ..engine import build_nlp
    from ..eval.polnear import load_split
    from ..lexicon import data_path
    from ..pipeline.factories import PIPES
    from .crossfit import fold_models, load_fold_models, save_fold_models
    from .train import training_golds

    ap = argparse.ArgumentParser(prog="python -m saidwho.learn.train_extent", description=__doc__.splitlines()[0])
    ap.add_argument("polnear_dir")
    ap.add_argument("--folds", required=True, help="directory of the cross-fitting fold models")
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--margin", type=float, default=MARGIN, help="how far a candidate must outscore the tagger's run")
    ap.add_argument("--out", default=None, help="where to write extent_model.npz (default: the package's data/)")
    args = ap.parse_args(argv)
    arts = load_split(args.polnear_dir, "train")
    nlp = build_nlp()
    t0 = time.time()
    docs = list(nlp.pipe((a.text for a in arts), batch_size=16, disable=list(PIPES)))
    golds = [training_golds(a) for a in arts]
    print(f"parsed {len(docs)} train articles ({time.time() - t0:.0f}s)", file=sys.stderr)
    models = load_fold_models(args.folds)
    if models is None:
        models = fold_models(docs, golds, log=lambda m: print(m, file=sys.stderr))
        save_fold_models(models, args.folds)
    instances = [x for per in crossfit_instances(docs, golds, models) for x in per]
    ranker = train_ranker(instances, epochs=args.epochs, log=lambda m: print(m, file=sys.stderr))
    ranker.margin = args.margin
    out = Path(args.out) if args.out else Path(data_path("extent_model.npz")).parent
    out.mkdir(parents=True, exist_ok=True)
    ranker.save(str(out / "extent_model.npz"), trained_on=f"PolNeAR train ({len(arts)} articles), cross-fitted", epochs=args.epochs)
    print(f"wrote {out / 'extent_model.npz'} ({len(instances)} examples)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
