"""Train the stance model (``data/stance_model.npz``, see :mod:`saidwho.analysis.stance`).

    pip install -e ".[train]"          # PyTorch, for training only; the analysis runs the model in NumPy
    python -m saidwho.learn.train_stance ../shared/perspectrum

Data provenance: PERSPECTRUM (Chen et al. 2019, CC BY-SA 4.0), its train split for training and
its dev split for choosing (epoch, temperature, thresholds); its test split is not used. Pairs:

- a claim and each wording of each of its perspectives: ``agree`` (SUPPORT) or ``disagree``
  (UNDERMINE);
- the claim negated by rule ("should" -> "should not", "is not" -> "is") against the same
  perspectives, the label flipped, and against the claim itself (``disagree``);
- two wordings of one perspective (``agree``), and one of them negated against the other
  (``disagree``);
- a claim and a perspective of another claim, preferably one sharing a topic tag (``neither``).

The lower layers of all-MiniLM-L6-v2 stay frozen (their outputs are computed once by the NumPy
encoder the analysis uses); the top layers and a linear head are fine-tuned, one thread (about
48 minutes of wall time on a busy shared two-core machine). Seeded: with the same PyTorch build
it writes the same weights.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path

import numpy as np

from ..analysis import embeddings
from ..analysis.stance import FILE, LABELS, MAX_PIECES

DIS, AGR, NEI = 0, 1, 2

#: The recipe of the shipped model (chosen on PERSPECTRUM dev).
RECIPE = {"top": 2, "epochs": 3, "batch": 32, "lr": 5e-5, "head_lr": 1e-3, "dropout": 0.1,
          "negated": 0.5, "neither": 0.5, "seed": 0}
#: Precision the thresholds are chosen to reach on dev pairs (above the issue's floors).
TARGET_PRECISION = {"disagree": 0.78, "agree": 0.73}

_AUX = re.compile(
    r"\b(is|are|was|were|should|must|will|would|can|could|may|might|does|do|did|has|have|had|need|ought to)"
    r"(\s+not\b|n['’]t\b|\b)",
    re.I,
)


def negate(text: str) -> str | None:
    """The statement negated at its first auxiliary ("should ban" -> "should not ban",
    "is not" -> "is", "cannot" -> "can"); None without one."""
    m = re.search(r"\bcannot\b", text, re.I)
    m2 = _AUX.search(text)
    if m and (not m2 or m.start() < m2.start()):
        return text[: m.start()] + text[m.start() : m.start() + 3] + text[m.end() :]
    if not m2:
        return None
    if m2.group(2):
        return text[: m2.end(1)] + text[m2.end() :]
    if m2.group(1).lower() in ("do", "does", "did"):
        return None
    if m2.group(1).lower() in ("has", "have", "had"):  # only as an auxiliary ("has been", "have led")
        nxt = re.match(r"\s+(\w+)", text[m2.end() :])
        if not nxt or not re.search(r"(ed|en|been|wn|ne)$", nxt.group(1)):
            return None
    return text[: m2.end(1)] + " not" + text[m2.end(1) :]


def load(folder: Path, split: str) -> list[dict]:
    path = Path(folder) / f"{split}.jsonl"
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def _clean(t: str) -> str:
    return re.sub(r"\s+", " ", t).strip()


def pairs_for(rows: list[dict], rng: random.Random, augment: bool, negated: float, neither: float) -> list[tuple[str, str, int]]:
    """(a, b, label) pairs of one split (see the module doc)."""
    out: list[tuple[str, str, int]] = []
    by_topic: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        for t in r.get("topics") or ["-"]:
            by_topic.setdefault(t, []).append(i)
    for i, r in enumerate(rows):
        claim = _clean(r["text"])
        neg = negate(claim) if augment else None
        if neg:
            out.append((claim, neg, DIS))
        for p in r["perspectives"]:
            lab = DIS if p["stance_label_3"] == "UNDERMINE" else AGR
            texts = [_clean(t) for t in p["texts"] if t.strip()]
            for t in texts:
                out.append((claim, t, lab))
                if neg and rng.random() < negated:
                    out.append((neg, t, AGR if lab == DIS else DIS))
            if augment and len(texts) >= 2:
                a, b = rng.sample(texts, 2)
                out.append((a, b, AGR))
                na = negate(a)
                if na:
                    out.append((na, b, DIS))
        # unrelated: perspectives of another claim, one sharing a topic tag when there is one
        n_texts = sum(len(p["texts"]) for p in r["perspectives"])
        for _ in range(int(round(n_texts * neither))):
            tags = r.get("topics") or ["-"]
            pool = by_topic.get(rng.choice(tags), [])
            j = rng.choice(pool) if len(pool) > 1 else rng.randrange(len(rows))
            if j == i:
                j = (i + 1) % len(rows)
            other = rows[j]
            if not other["perspectives"]:
                continue
            p = rng.choice(other["perspectives"])
            out.append((claim, _clean(rng.choice(p["texts"])), NEI))
    return out


# --- the model in torch (the same layers as embeddings.NumpyMiniLM.layer) ----------------------


def _torch_top(base, top: int, dropout: float):
    import torch
    from torch import nn

    H = base.w["embeddings.word_embeddings.weight"].shape[1]
    heads = base.heads
    eps = base.eps

    class Layer(nn.Module):
        def __init__(self, p: str) -> None:
            super().__init__()
            self.qkv = nn.Linear(H, 3 * H)
            self.out = nn.Linear(H, H)
            self.ln1 = nn.LayerNorm(H, eps=eps)
            self.inter = nn.Linear(H, 4 * H)
            self.out2 = nn.Linear(4 * H, H)
            self.ln2 = nn.LayerNorm(H, eps=eps)
            w = base.w
            for mod, name in ((self.qkv, "attention.self.qkv"), (self.out, "attention.output.dense"),
                              (self.inter, "intermediate.dense"), (self.out2, "output.dense")):
                mod.weight.data = torch.tensor(w[p + name + ".weight"].T.copy())
                mod.bias.data = torch.tensor(w[p + name + ".bias"].copy())
            for mod, name in ((self.ln1, "attention.output.LayerNorm"), (self.ln2, "output.LayerNorm")):
                mod.weight.data = torch.tensor(w[p + name + ".weight"].copy())
                mod.bias.data = torch.tensor(w[p + name + ".bias"].copy())
            self.drop = nn.Dropout(dropout)

        def forward(self, x, neg):
            n, L, _ = x.shape
            q, k, v = self.qkv(x).view(n, L, 3, heads, H // heads).permute(2, 0, 3, 1, 4)
            s = (q @ k.transpose(-1, -2)) / (H // heads) ** 0.5 + neg
            ctx = (s.softmax(-1) @ v).transpose(1, 2).reshape(n, L, H)
            x = self.ln1(self.drop(self.out(ctx)) + x)
            return self.ln2(self.drop(self.out2(torch.nn.functional.gelu(self.inter(x)))) + x)

    class Top(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            first = base.layers - top
            self.layers = nn.ModuleList([Layer(f"encoder.layer.{first + k}.") for k in range(top)])
            self.drop = nn.Dropout(dropout)
            self.head = nn.Linear(3 * H, 3)

        def forward(self, x, mask, seg_a):
            neg = ((1.0 - mask) * -1e9)[:, None, None, :]
            for layer in self.layers:
                x = layer(x, neg)
            seg_b = mask - seg_a
            ma = (x * seg_a[..., None]).sum(1) / seg_a.sum(1, keepdim=True)
            mb = (x * seg_b[..., None]).sum(1) / seg_b.sum(1, keepdim=True)
            return self.head(self.drop(torch.cat([ma + mb, ma * mb, (ma - mb).abs()], 1)))

    return Top()


def _batch(states: list[np.ndarray], pairs: list[tuple[int, int]]):
    import torch

    n = len(pairs)
    L = max(len(states[a]) + len(states[b]) for a, b in pairs)
    H = states[pairs[0][0]].shape[-1]
    x = np.zeros((n, L, H), dtype=np.float32)
    mask = np.zeros((n, L), dtype=np.float32)
    seg = np.zeros((n, L), dtype=np.float32)
    for j, (a, b) in enumerate(pairs):
        la, lb = len(states[a]), len(states[b])
        x[j, :la] = states[a]
        x[j, la : la + lb] = states[b]
        mask[j, : la + lb] = 1
        seg[j, :la] = 1
    return torch.from_numpy(x), torch.from_numpy(mask), torch.from_numpy(seg)


def _logits(model, states, pairs, batch: int = 64) -> np.ndarray:
    import torch

    model.eval()
    out = np.zeros((len(pairs), 3), dtype=np.float32)
    order = sorted(range(len(pairs)), key=lambda i: len(states[pairs[i][0]]) + len(states[pairs[i][1]]))
    with torch.no_grad():
        for s in range(0, len(order), batch):
            idx = order[s : s + batch]
            out[idx] = model(*_batch(states, [pairs[i] for i in idx])).numpy()
    return out


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(1, keepdims=True)


def precision_at_recall(p: np.ndarray, gold: np.ndarray, label: int, recall: float) -> tuple[float, float]:
    """(precision, threshold) at the highest threshold whose recall reaches ``recall``."""
    pos = gold == label
    order = np.argsort(-p[:, label], kind="stable")
    tp = np.cumsum(pos[order])
    k = int(np.searchsorted(tp, recall * pos.sum() - 1e-9)) if pos.any() else 0
    k = min(k, len(order) - 1)
    return float(tp[k] / (k + 1)), float(p[order[k], label])


def threshold_for(p: np.ndarray, gold: np.ndarray, label: int, precision: float) -> tuple[float, float, float]:
    """(threshold, precision, recall): the lowest threshold whose precision reaches ``precision``."""
    pos = gold == label
    order = np.argsort(-p[:, label], kind="stable")
    tp = np.cumsum(pos[order])
    prec = tp / np.arange(1, len(order) + 1)
    ok = np.nonzero(prec >= precision)[0]
    ok = ok[ok >= 9]  # at least ten above the threshold
    if not len(ok):
        return 1.0, 0.0, 0.0
    k = int(ok[-1])
    return float(p[order[k], label]), float(prec[k]), float(tp[k] / max(pos.sum(), 1))


def dev_report(p: np.ndarray, gold: np.ndarray) -> dict:
    return {
        "accuracy": round(float((p.argmax(1) == gold).mean()), 4),
        "disagree_p@r0.40": round(precision_at_recall(p, gold, DIS, 0.40)[0], 4),
        "agree_p@r0.30": round(precision_at_recall(p, gold, AGR, 0.30)[0], 4),
    }


def train(folder: Path, out: Path, log=print, **recipe) -> dict:
    import torch

    r = {**RECIPE, **recipe}
    torch.set_num_threads(1)
    torch.manual_seed(r["seed"])
    rng = random.Random(r["seed"])
    base = embeddings.NumpyMiniLM(embeddings.model_dir())
    bottom = base.layers - r["top"]
    train_pairs = pairs_for(load(folder, "train"), rng, True, r["negated"], r["neither"])
    dev_pairs = pairs_for(load(folder, "dev"), random.Random(1), False, 0.0, 0.5)
    if r.get("limit"):
        rng.shuffle(train_pairs)
        train_pairs, dev_pairs = train_pairs[: r["limit"]], dev_pairs[: r["limit"]]
    texts = sorted({t for a, b, _ in train_pairs + dev_pairs for t in (a, b)})
    log(f"{len(train_pairs)} train pairs, {len(dev_pairs)} dev pairs, {len(texts)} texts; "
        f"labels train {np.bincount([y for *_, y in train_pairs]).tolist()}")
    t0 = time.time()
    toks = [base.tok.encode(t, max_len=MAX_PIECES) for t in texts]
    states: list[np.ndarray] = [np.zeros(0)] * len(texts)
    order = sorted(range(len(toks)), key=lambda i: len(toks[i]))
    for s in range(0, len(order), 64):
        idx = order[s : s + 64]
        x, _ = base.hidden([toks[i] for i in idx], bottom)
        for j, i in enumerate(idx):
            states[i] = x[j, : len(toks[i])].copy()
    log(f"lower {bottom} layers: {time.time() - t0:.0f}s")
    pos = {t: i for i, t in enumerate(texts)}
    tr = [(pos[a], pos[b]) for a, b, _ in train_pairs]
    ytr = np.array([y for *_, y in train_pairs])
    dv = [(pos[a], pos[b]) for a, b, _ in dev_pairs]
    ydv = np.array([y for *_, y in dev_pairs])

    model = _torch_top(base, r["top"], r["dropout"])
    params = [{"params": [p for n, p in model.named_parameters() if not n.startswith("head")], "lr": r["lr"]},
              {"params": model.head.parameters(), "lr": r["head_lr"]}]
    opt = torch.optim.AdamW(params, weight_decay=0.01)
    steps = r["epochs"] * ((len(tr) + r["batch"] - 1) // r["batch"])
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / (0.06 * steps)) * max(0.0, 1 - s / steps))
    weights = torch.tensor(len(ytr) / (3 * np.bincount(ytr, minlength=3)), dtype=torch.float32)
    lossf = torch.nn.CrossEntropyLoss(weight=weights)
    best, report = -1.0, {}
    for ep in range(r["epochs"]):
        model.train()
        # batches of similar length, in random order
        idx = list(range(len(tr)))
        rng.shuffle(idx)
        chunks = [sorted(idx[s : s + 50 * r["batch"]], key=lambda i: len(states[tr[i][0]]) + len(states[tr[i][1]]))
                  for s in range(0, len(idx), 50 * r["batch"])]
        batches = [c[s : s + r["batch"]] for c in chunks for s in range(0, len(c), r["batch"])]
        rng.shuffle(batches)
        total = 0.0
        for k, b in enumerate(batches):
            x, mask, seg = _batch(states, [tr[i] for i in b])
            loss = lossf(model(x, mask, seg), torch.from_numpy(ytr[b]))
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss.detach())
            if k % 100 == 0:
                log(f"  epoch {ep + 1} batch {k}/{len(batches)} loss {total / (k + 1):.4f} ({time.time() - t0:.0f}s)")
        rep = dev_report(_softmax(_logits(model, states, dv)), ydv)
        score = rep["disagree_p@r0.40"] + rep["agree_p@r0.30"]
        log(f"epoch {ep + 1}: dev {rep} ({time.time() - t0:.0f}s)")
        if score > best:  # written at once: the best epoch so far is kept whatever happens later
            best = score
            report = _save(model, r, bottom, _logits(model, states, dv), ydv, out, log)
    return report


def _save(model, r: dict, bottom: int, z: np.ndarray, ydv: np.ndarray, out: Path, log) -> dict:
    """Choose the temperature and thresholds on dev logits ``z`` and write the model."""
    # temperature: the lowest negative log-likelihood on dev
    temps = np.arange(0.5, 3.01, 0.05)
    nll = [-np.log(_softmax(z / t)[np.arange(len(ydv)), ydv] + 1e-12).mean() for t in temps]
    temp = float(temps[int(np.argmin(nll))])
    p = _softmax(z / temp)
    thresholds, chosen = {}, {}
    for name, lab in (("disagree", DIS), ("agree", AGR)):
        th, pr, rc = threshold_for(p, ydv, lab, TARGET_PRECISION[name])
        thresholds[name] = round(th, 4)
        chosen[name] = {"threshold": round(th, 4), "precision": round(pr, 4), "recall": round(rc, 4)}
    report = {**dev_report(p, ydv), "temperature": round(temp, 2), "thresholds": chosen}
    log(f"chosen: {report}")
    arrays = {}
    sd = model.state_dict()
    names = {"qkv": "attention.self.qkv", "out": "attention.output.dense", "inter": "intermediate.dense",
             "out2": "output.dense", "ln1": "attention.output.LayerNorm", "ln2": "output.LayerNorm"}
    for k in range(r["top"]):
        for short, long in names.items():
            w = sd[f"layers.{k}.{short}.weight"].numpy()
            arrays[f"layer.{k}.{long}.weight"] = (w.T if w.ndim == 2 else w).astype(np.float16)
            arrays[f"layer.{k}.{long}.bias"] = sd[f"layers.{k}.{short}.bias"].numpy().astype(np.float16)
    arrays["head.weight"] = sd["head.weight"].numpy().T.astype(np.float16)
    arrays["head.bias"] = sd["head.bias"].numpy().astype(np.float16)
    meta = {"labels": list(LABELS), "bottom_layers": bottom, "top_layers": r["top"], "temperature": temp,
            "thresholds": thresholds, "recipe": r, "dev": report,
            "data": "PERSPECTRUM train (dev for choosing), CC BY-SA 4.0; see stance_model.LICENSE.txt"}
    out.mkdir(parents=True, exist_ok=True)
    path = out / FILE
    np.savez_compressed(path, meta=np.array(json.dumps(meta)), **arrays)
    log(f"wrote {path}")
    return report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("perspectrum", help="folder with PERSPECTRUM's train.jsonl and dev.jsonl")
    ap.add_argument("--out", default=None, help="where to write stance_model.npz (default: the package's data/)")
    ap.add_argument("--top", type=int, default=RECIPE["top"], help="fine-tuned top layers")
    ap.add_argument("--epochs", type=int, default=RECIPE["epochs"])
    ap.add_argument("--limit", type=int, default=0, help="train on the first N pairs only (a quick check)")
    a = ap.parse_args(argv)
    out = Path(a.out) if a.out else Path(__file__).resolve().parent.parent / "data"
    train(Path(a.perspectrum), out, top=a.top, epochs=a.epochs, limit=a.limit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
