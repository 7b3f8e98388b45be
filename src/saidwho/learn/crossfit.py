"""Cross-fitted evaluation on PolNeAR train: the place to choose decoding settings.

    python -m saidwho.learn.crossfit ../shared/polnear --boost 0 10 20 40 70

The train split is cut in two halves (even and odd articles, in id order); each half is tagged
by cue and role models trained (as ``saidwho.learn.train`` does, same epochs and seed) on the
other half, and the engine's figures are scored over all 840 articles. That is ten times the
dev split, with no article scored by a model that saw it: settings such as the cue tagger's
article pass (``ARTICLE_BOOST`` in ``decode.py``) are chosen here, so that dev stays a clean
check. One line of headline figures per setting; the fold models take a few minutes to train.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from spacy.tokens import Doc


def fold_models(docs: Sequence[Doc], golds: Sequence[list[dict]], epochs: int = 8, log=print) -> list[tuple]:
    """``[(cue model, role model)]`` for folds 0 and 1, each trained on the other half
    (``golds`` in :func:`~saidwho.learn.train.training_golds` order)."""
    from .train import train

    out = []
    for k in (0, 1):
        idx = [i for i in range(len(docs)) if i % 2 != k]
        out.append(train([docs[i] for i in idx], [golds[i] for i in idx], epochs=epochs, log=log))
    return out


def _fold_files(directory: str) -> list[tuple[Path, Path]]:
    """``(cue model, role model)`` paths of folds 0 and 1 in ``directory``."""
    d = Path(directory)
    return [(d / f"cue{k}.npz", d / f"role{k}.npz") for k in (0, 1)]


def save_fold_models(models, directory: str) -> None:
    """Write fold models as ``cue0.npz``, ``role0.npz``, ``cue1.npz``, ``role1.npz``."""
    Path(directory).mkdir(parents=True, exist_ok=True)
    for (cue_m, role_m), (c, r) in zip(models, _fold_files(directory)):
        cue_m.save(str(c))
        role_m.save(str(r))


def load_fold_models(directory: str) -> list[tuple] | None:
    """Fold models written by :func:`save_fold_models` (None if any file is missing)."""
    from .perceptron import SequencePerceptron

    files = _fold_files(directory)
    if not all(c.exists() and r.exists() for c, r in files):
        return None
    return [(SequencePerceptron.load(str(c)), SequencePerceptron.load(str(r))) for c, r in files]


def crossfit_scores(nlp, docs: Sequence[Doc], golds: Sequence[list[dict]], models, **cue_settings: float) -> dict[str, Any]:
    """Scoreboard result of the engine over all ``docs`` (parsed, without saidwho's stages)
    against ``golds`` (attribution dicts of fragment lists), each Doc tagged with the fold
    models that did not see it; ``cue_settings`` are set on the cue component for the run
    (``article_boost``, ``article_margin``, ``bias``) and restored afterwards."""
    from ..convert import doc_to_article
    from ..eval.run import system_attributions
    from ..eval.scorer import Scoreboard
    from ..pipeline.factories import PIPES

    cues, attribute, speakers = (nlp.get_pipe(n) for n in PIPES)
    saved = (cues.model, attribute.model, {k: getattr(cues, k) for k in cue_settings})
    board = Scoreboard()
    try:
        for k, v in cue_settings.items():
            setattr(cues, k, v)
        for fold in (0, 1):
            cues.model, attribute.model = models[fold]
            for i in range(fold, len(docs), 2):
                doc = speakers(attribute(cues(docs[i].copy())))
                board.add(doc.text, golds[i], system_attributions(doc_to_article(doc, str(i))))
    finally:
        cues.model, attribute.model = saved[0], saved[1]
        for k, v in saved[2].items():
            setattr(cues, k, v)
    return board.result()


def main(argv: list[str] | None = None) -> int:
    from ..engine import build_nlp
    from ..eval.polnear import load_split
    from ..eval.run import HEADLINE
    from ..eval.scorer import metric
    from ..pipeline.factories import PIPES
    from .decode import ARTICLE_MARGIN
    from .train import training_golds

    ap = argparse.ArgumentParser(prog="python -m saidwho.learn.crossfit", description=__doc__.splitlines()[0])
    ap.add_argument("polnear_dir")
    ap.add_argument("--boost", type=float, nargs="+", default=[0.0, 40.0], help="article-pass boosts to score")
    ap.add_argument("--margin", type=float, default=ARTICLE_MARGIN, help="article-pass confidence margin")
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--limit", type=int, default=0, help="only the first N train articles (a quick look)")
    ap.add_argument(
        "--models",
        default=None,
        help="directory of fold models: loaded if there, else trained and saved there (to score "
        "decoding changes again without retraining; the models must match the features)",
    )
    args = ap.parse_args(argv)
    arts = load_split(args.polnear_dir, "train")
    if args.limit:
        arts = arts[: args.limit]
    nlp = build_nlp()
    t0 = time.time()
    docs = list(nlp.pipe((a.text for a in arts), batch_size=16, disable=list(PIPES)))
    print(f"parsed {len(docs)} train articles ({time.time() - t0:.0f}s)", file=sys.stderr)
    golds = [training_golds(a) for a in arts]
    models = load_fold_models(args.models) if args.models else None
    if models is None:
        models = fold_models(docs, golds, epochs=args.epochs, log=lambda m: print(m, file=sys.stderr))
        if args.models:
            save_fold_models(models, args.models)
    else:
        print(f"fold models from {args.models}", file=sys.stderr)
    print("boost  " + "  ".join(HEADLINE[k] for k in HEADLINE))
    for boost in args.boost:
        res = crossfit_scores(nlp, docs, golds, models, article_boost=boost, article_margin=args.margin)
        print(f"{boost:5g}  " + "  ".join(f"{metric(res, k):.4f}".rjust(len(HEADLINE[k])) for k in HEADLINE), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
