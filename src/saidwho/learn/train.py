"""Train the learned stages on PolNeAR's train split and write ``data/*_model.npz``.

    python -m saidwho.learn.train ../shared/polnear --split train --epochs 8 --seeds 0 1 2

Data provenance: PolNeAR v1.0.0 (Newell, Margolin & Ruths, LREC 2018), train split only; the
dev split is for evaluation and the test split is never used. The gold annotator of an article
is the first one listed for it in ``metadata.tsv``.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from spacy.tokens import Doc

from .features import DocInfo, cue_features, role_features, role_window
from .perceptron import SequencePerceptron

CUE_LABELS = ("O", "B", "I")
ROLE_LABELS = ("O", "S", "C")


def _tokens(doc: Doc, frags: Iterable[Sequence[int]]) -> list[int]:
    out: set[int] = set()
    for s, e in frags:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None:
            out.update(range(span.start, span.end))
    return sorted(out)


def cue_instances(info: DocInfo, attributions: list[dict]) -> list[tuple[list[list[str]], list[int]]]:
    """One (features, gold labels) pair per sentence."""
    doc = info.doc
    lab = [0] * len(doc)
    for at in attributions:
        for s, e in at["cue"]:
            toks = _tokens(doc, [(s, e)])
            for k, i in enumerate(toks):
                lab[i] = 1 if k == 0 or lab[i] == 1 else 2
    out = []
    for a, b in info.sents:
        out.append(([cue_features(info, i) for i in range(a, b)], lab[a:b]))
    return out


def role_instances(info: DocInfo, attributions: list[dict]) -> list[tuple[list[list[str]], list[int], list[list[bool]]]]:
    """One (features, gold labels, allowed) triple per gold attribution with a cue."""
    doc = info.doc
    out = []
    for at in attributions:
        cue = _tokens(doc, at["cue"])
        if not cue:
            continue
        cs, ce = cue[0], cue[-1] + 1
        lo, hi = role_window(info, cs, ce)
        lab = [0] * (hi - lo)
        for i in _tokens(doc, at.get("content", [])):
            if lo <= i < hi and not (cs <= i < ce):
                lab[i - lo] = 2
        for i in _tokens(doc, at.get("source", [])):
            if lo <= i < hi and not (cs <= i < ce):
                lab[i - lo] = 1
        feats = role_features(info, cs, ce, lo, hi)
        allowed = [[True, not (cs <= i < ce), not (cs <= i < ce)] for i in range(lo, hi)]
        out.append((feats, lab, allowed))
    return out


def training_golds(article) -> list[dict]:
    """An article's gold attributions as fragment-list dicts in a fixed order (by content, then
    cue, then source), so that training, which shuffles with a fixed seed, gives the same
    weights on every run."""
    return sorted((at.to_dict() for at in article.attributions), key=lambda g: (g["content"], g["cue"], g["source"]))


#: The shuffling seeds whose models are averaged into the shipped ones (see :func:`train`).
SEEDS = (0, 1, 2)


def train(
    docs: list[Doc], golds: list[list[dict]], epochs: int = 8, seeds: Sequence[int] = SEEDS, log=print
):
    """Return (cue model, role model) trained on parsed docs and their gold attributions.

    The perceptron sees the sentences in a shuffled order, and on PolNeAR dev two seeds differ
    by up to 0.005 in content overlap F1; so one model is trained per seed (each from the same
    fixed order) and the models are averaged, which is also a little better than any one."""
    cue_data, role_data = [], []
    t0 = time.time()
    for doc, gold in zip(docs, golds):
        info = DocInfo.of(doc)
        cue_data.extend(cue_instances(info, gold))
        role_data.extend(role_instances(info, gold))
    log(f"features: {len(cue_data)} sentences, {len(role_data)} attributions ({time.time() - t0:.0f}s)")
    cues, roles = [], []
    for seed in seeds:
        rng = random.Random(seed)
        cue_order, role_order = list(cue_data), list(role_data)
        cue_m = SequencePerceptron(CUE_LABELS)
        role_m = SequencePerceptron(ROLE_LABELS)
        for ep in range(epochs):
            t0 = time.time()
            rng.shuffle(cue_order)
            rng.shuffle(role_order)
            ce = sum(cue_m.update(f, g) for f, g in cue_order)
            re_ = sum(role_m.update(f, g, a) for f, g, a in role_order)
            log(f"seed {seed}, epoch {ep + 1}: cue errors {ce}/{len(cue_data)}, role errors {re_}/{len(role_data)} ({time.time() - t0:.0f}s)")
        cue_m.average()
        role_m.average()
        cues.append(cue_m)
        roles.append(role_m)
    if len(cues) == 1:
        return cues[0], roles[0]
    return SequencePerceptron.mean(cues), SequencePerceptron.mean(roles)


def parsed_split(root: str, split: str = "train", limit: int = 0) -> tuple[list, list[Doc], list[list[dict]]]:
    """A PolNeAR split's articles (the first ``limit``, if set), parsed by the bare spaCy model
    (no saidwho stages), and their gold attributions in training order."""
    import spacy

    from .. import settings
    from ..eval.polnear import load_split

    arts = load_split(root, split)
    if limit:
        arts = arts[:limit]
    nlp = spacy.load(settings.model_name())
    docs = list(nlp.pipe((a.text for a in arts), batch_size=16))
    return arts, docs, [training_golds(a) for a in arts]


def main(argv: list[str] | None = None) -> int:
    from .. import settings
    from ..lexicon import data_path

    ap = argparse.ArgumentParser(prog="python -m saidwho.learn.train", description=__doc__.splitlines()[0])
    ap.add_argument("polnear_dir")
    ap.add_argument("--split", default="train", choices=["train"])
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS), help="shuffling seeds whose models are averaged")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--out", default=None, help="directory for the model files (default: the package's data/)")
    args = ap.parse_args(argv)
    arts, docs, golds = parsed_split(args.polnear_dir, args.split, args.limit)
    cue_m, role_m = train(docs, golds, epochs=args.epochs, seeds=args.seeds, log=lambda m: print(m, file=sys.stderr))
    meta = {
        "trained_on": f"PolNeAR {args.split} ({len(arts)} articles)",
        "model": settings.model_name(),
        "epochs": args.epochs,
        "seeds": list(args.seeds),
    }
    out = Path(args.out) if args.out else Path(data_path("cue_model.npz")).parent
    out.mkdir(parents=True, exist_ok=True)
    cue_m.save(str(out / "cue_model.npz"), **meta)
    role_m.save(str(out / "role_model.npz"), **meta)
    print(f"wrote {out / 'cue_model.npz'} and {out / 'role_model.npz'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
