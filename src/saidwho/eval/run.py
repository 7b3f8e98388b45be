"""Run the engine over a PolNeAR split and score it (``saidwho eval polnear``)."""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import SaidwhoError
from ..types import Article
from . import polnear
from .errors import ErrorTally
from .scorer import ITEMS, SPLIT_ITEMS, Scoreboard, metric

if TYPE_CHECKING:  # pragma: no cover
    from ..engine import Engine

#: The figures the project tracks (dotted paths into the result) and their labels.
HEADLINE = {
    "exact.content.f1": "content exact F1",
    "overlap.content.f1": "content overlap F1",
    "exact.source.f1": "source exact F1",
    "exact.cue.f1": "cue exact F1",
    "overlap.triple.f1": "whole attribution overlap F1",
    "direct.overlap.content.f1": "direct content overlap F1",
}


class EvalError(SaidwhoError):
    """An evaluation that cannot run: bad options, unwritable output."""


def _fragments(a) -> dict[str, Any]:
    return {
        "source": [[a.source.start, a.source.end]] if a.source else [],
        "cue": [[a.cue.start, a.cue.end]] if a.cue else [],
        "content": [[c.start, c.end] for c in a.content],
    }


def system_attributions(article: Article) -> list[dict[str, Any]]:
    """The engine's top-level attributions as fragment lists (nested ones, with a ``parent``,
    are left out: PolNeAR gives each token one role)."""
    return [_fragments(a) for a in article.attributions if a.parent is None]


def nested_attributions(article: Article) -> list[dict[str, Any]]:
    """The engine's nested attributions (with a ``parent``) as fragment lists: not scored,
    but the error breakdown looks at their cues."""
    return [_fragments(a) for a in article.attributions if a.parent is not None]


def evaluate_polnear(
    root: str | os.PathLike[str],
    split: str = "dev",
    *,
    limit: int | None = None,
    engine: "Engine | None" = None,
    system_out: str | os.PathLike[str] | None = None,
    batch_size: int = 16,
    errors: bool = False,
    clutter: bool = False,
    clutter_seed: int = 0,
    gold_out: str | os.PathLike[str] | None = None,
) -> dict[str, Any]:
    """Analyse every article of ``split`` (sorted by id) and score against the gold.

    Returns the scorer's result plus ``split``, ``seconds`` (engine and scoring, model load
    excluded) and ``headline`` (the tracked figures by dotted path). With ``system_out`` the
    predictions are also written as JSON lines ``{"id", "attributions": [{"source", "cue",
    "content"}]}``, the reference scorer's system format. With ``errors`` the result also has
    ``errors``: why each unmatched content was lost (:mod:`saidwho.eval.errors`).

    With ``clutter`` every article is first wrapped in web-page clutter drawn from
    ``clutter_seed`` (:mod:`saidwho.eval.clutter`) and the engine reads the cluttered text,
    scored against the article's own gold at its new offsets (``--system-out`` offsets are
    into the cluttered text, which ``gold_out`` writes with the moved gold). The result adds
    ``clean`` (the same scores on the clean texts) and ``clutter``: system attributions clean
    and cluttered, their ratio, and how many cluttered ones have their cue in the clutter.
    """
    if limit is not None and limit < 1:
        raise EvalError("--limit must be at least 1")
    gold = polnear.load_split(root, split, limit)
    clean_gold = gold
    spans: list[tuple[tuple[tuple[int, int], ...], tuple[str, ...]]] = []
    if clutter:
        from .clutter import CLUTTER_KINDS, clutter_article, clutter_kind

        wrapped = [clutter_article(g, clutter_seed) for g in gold]
        gold = [c.article for c in wrapped]
        spans = [(c.clutter, c.kinds) for c in wrapped]
    out_fh = _open_out(system_out)
    try:
        gold_fh = _open_out(gold_out)
    except EvalError:
        if out_fh is not None:
            out_fh.close()
        raise
    if engine is None:
        from ..engine import Engine

        engine = Engine()
    board = Scoreboard()
    tally = ErrorTally() if errors else None
    in_clutter: Counter = Counter()
    t0 = time.perf_counter()
    try:
        articles = engine.pipe(((g.id, g.text) for g in gold), batch_size=batch_size)
        for k, (g, art) in enumerate(zip(gold, articles)):
            sys_atts = system_attributions(art)
            gold_atts = [a.to_dict() for a in g.attributions]
            board.add(g.text, gold_atts, sys_atts)
            if tally is not None:
                tally.add(g.text, gold_atts, sys_atts, nested_attributions(art))
            if clutter:
                in_clutter.update(clutter_kind(a["cue"], *spans[k]) for a in sys_atts)
            if out_fh is not None:
                out_fh.write(json.dumps({"id": g.id, "attributions": sys_atts}) + "\n")
            if gold_fh is not None:
                gold_fh.write(json.dumps({"id": g.id, "text": g.text, "attributions": gold_atts}, ensure_ascii=False) + "\n")
    finally:
        for fh in (out_fh, gold_fh):
            if fh is not None:
                fh.close()
    result = board.result()
    result["split"] = split
    if clutter:
        clean = Scoreboard()
        for g, art in zip(clean_gold, engine.pipe(((g.id, g.text) for g in clean_gold), batch_size=batch_size)):
            clean.add(g.text, [a.to_dict() for a in g.attributions], system_attributions(art))
        result["clean"] = clean.result()
        result["clean"]["headline"] = {k: round(metric(result["clean"], k), 6) for k in HEADLINE}
        n_clean, n_cluttered = result["clean"]["system"], result["system"]
        result["clutter"] = {
            "seed": clutter_seed,
            "system_clean": n_clean,
            "system_cluttered": n_cluttered,
            "ratio": round(n_cluttered / n_clean, 6) if n_clean else 0.0,
            "cue_in_clutter": sum(n for kind, n in in_clutter.items() if kind is not None),
            "cue_in_clutter_by_kind": {kind: in_clutter.get(kind, 0) for kind in CLUTTER_KINDS},
        }
    result["seconds"] = round(time.perf_counter() - t0, 3)
    result["headline"] = {k: round(metric(result, k), 6) for k in HEADLINE}
    if tally is not None:
        result["errors"] = tally.result()
    return result


def _open_out(path: str | os.PathLike[str] | None):
    if path is None:
        return None
    try:
        return open(Path(path), "w", encoding="utf-8")
    except OSError as exc:
        raise EvalError(f"cannot write {path}: {exc.strerror or exc}") from None


def _row(label: str, c: dict[str, Any]) -> str:
    return (
        f"  {label:<18}{100 * c['p']:6.2f} {100 * c['r']:6.2f} {100 * c['f1']:6.2f}"
        f"   {c['tp_sys']:>5}/{c['n_sys']:<5} {c['tp_gold']:>5}/{c['n_gold']}"
    )


def format_table(result: dict[str, Any]) -> str:
    """The result as a terminal table (percentages)."""
    lines = [
        f"PolNeAR {result.get('split', '?')}{' with web clutter' if 'clutter' in result else ''}: "
        f"{result['articles']} articles, "
        f"{result['gold']} gold / {result['system']} system attributions, "
        f"{result.get('seconds', 0):.1f} s",
    ]
    head = f"  {'':<18}{'P':>6} {'R':>6} {'F1':>6}   {'sys tp/n':>11} {'gold tp/n':>11}"
    for mode, title in (("exact", "EXACT (normalised spans equal)"), ("overlap", "OVERLAP (one-to-one, token Jaccard >= 0.5)")):
        lines += ["", title, head]
        for k in ITEMS:
            lines.append(_row(k, result[mode][k]))
            if k in SPLIT_ITEMS:
                for label in ("direct", "other"):
                    lines.append(_row(f"  {label}", result[label][mode][k]))
    if "headline" in result and "clean" in result:
        c = result["clutter"]
        lines += ["", f"Tracked figures{'':<17}{'clean':>8} {'clutter':>8}"]
        for k, name in HEADLINE.items():
            lines.append(f"  {name:<30} {result['clean']['headline'][k]:8.4f} {result['headline'][k]:8.4f}")
        lines += [
            "",
            f"Clutter (seed {c['seed']}): {c['system_clean']} system attributions clean, "
            f"{c['system_cluttered']} cluttered (ratio {c['ratio']:.3f}); "
            f"{c['cue_in_clutter']} with their cue in the clutter",
            "  " + ", ".join(f"{kind} {n}" for kind, n in c["cue_in_clutter_by_kind"].items()),
        ]
    elif "headline" in result:
        lines += ["", "Tracked figures"]
        for k, name in HEADLINE.items():
            lines.append(f"  {name:<30} {result['headline'][k]:.4f}")
    return "\n".join(lines)


def load_floors() -> dict[str, Any]:
    """``floors.json``: ``floors`` (enforced by the gate test) and ``targets`` (goals)."""
    from importlib.resources import files

    return json.loads(files("saidwho.eval").joinpath("floors.json").read_text(encoding="utf-8"))


def below_floors(result: dict[str, Any], floors: dict[str, float]) -> list[str]:
    """One line per figure of ``result`` below its floor (empty when the gate passes)."""
    out = []
    for path, floor in sorted(floors.items()):
        value = metric(result, path)
        if value < floor:
            out.append(f"{path} = {value:.4f} is below its floor {floor:.2f}")
    return out
