"""Speed benchmark: words per second of the bare spaCy parse and of the whole engine.

Both are measured in one process on the same texts, pinned to one CPU where the platform
allows it (``os.sched_setaffinity``): (a) ``spacy.load(model)`` with no saidwho stages, run with
``nlp.pipe``; (a2) the engine's own parse (the same model with its attribute rules applied from
a table, :mod:`saidwho.pipeline.attribute_rules`; same annotations) with saidwho's stages
switched off; (b) :meth:`saidwho.Engine.pipe` down to :class:`~saidwho.types.Article` records.
Each is warmed up, then timed ``repeats`` times (interleaved), the engine's memo tables emptied
before each run (:func:`forget_caches`: a repeat must not find the texts' words already scored);
the medians are reported with the ratios (b)/(a) and (b)/(a2) of the speeds and the process's
peak resident memory. Words are whitespace-separated tokens.
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .errors import InputError
from .options import EngineOptions

#: Used when neither a PolNeAR split nor an example file is found (our own sentences).
SAMPLE_TEXT = (
    "The mayor said on Tuesday that the bridge would reopen in May. “We are ahead of "
    "schedule,” she told reporters outside City Hall. According to the transport department, "
    "repairs cost $4 million. Critics were unconvinced. “I will believe it when I drive over "
    "it,” said Tom Reyes, who runs a bakery near the river. The council believes the delay "
    "cost local shops thousands of dollars, a spokesman added.\n"
)


def _read(path: Path) -> str:
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            return fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None


def _txt_files(directory: Path) -> list[Path]:
    base = directory / "text" if (directory / "text").is_dir() else directory
    return sorted(p for p in base.glob("*.txt") if p.is_file())


def collect_texts(
    split_dir: str | os.PathLike[str] | None = None,
    paths: Sequence[str | os.PathLike[str]] = (),
    limit: int | None = None,
) -> tuple[list[tuple[str, str]], str]:
    """``(id, text)`` pairs to time and a description of where they came from.

    ``split_dir`` is a directory of ``.txt`` files or a PolNeAR split directory (its ``text/``
    is used); ``paths`` are files. With neither: the PolNeAR dev split if found (see
    :func:`saidwho.eval.polnear.default_root`), else ``examples/*.txt`` of the repository, else
    a short built-in sample.
    """
    files: list[Path]
    if split_dir is not None and paths:
        raise InputError("give either --split-dir or files, not both")
    if split_dir is not None:
        d = Path(split_dir)
        if d.resolve().name == "test" or d.resolve().parent.name == "test":
            raise InputError("the PolNeAR 'test' split is held out: benchmark on dev or your own texts")
        if not d.is_dir():
            raise InputError(f"directory not found: {d}")
        files = _txt_files(d)
        if not files:
            raise InputError(f"no .txt files in {d}")
        source = str(d)
    elif paths:
        files = [Path(p) for p in paths]
        for p in files:
            if not p.is_file():
                raise InputError(f"file not found: {p}")
        source = f"{len(files)} file(s)"
    else:
        from .eval.polnear import default_root

        root = default_root()
        files = _txt_files(root / "dev") if root is not None and (root / "dev").is_dir() else []
        source = f"{root / 'dev'}" if files else ""
        if not files:
            examples = Path(__file__).resolve().parents[2] / "examples"
            files = sorted(examples.glob("*.txt")) if examples.is_dir() else []
            source = str(examples) if files else ""
        if not files:
            return [("sample", SAMPLE_TEXT)], "built-in sample"
    if limit is not None:
        if limit < 1:
            raise InputError("--limit must be at least 1")
        files = files[:limit]
    items = [(p.stem, _read(p)) for p in files]
    items = [(i, t) for i, t in items if t.strip()]
    if not items:
        raise InputError("no non-empty texts to benchmark")
    return items, source


def pin_to_one_cpu() -> tuple[int | None, set[int] | None]:
    """Pin this process to one CPU; returns ``(cpu, previous affinity)`` (``None`` where the
    platform cannot)."""
    if not hasattr(os, "sched_setaffinity"):
        return None, None
    try:
        before = set(os.sched_getaffinity(0))
        cpu = min(before)
        os.sched_setaffinity(0, {cpu})
        return cpu, before
    except OSError:
        return None, None


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far, MiB (``ru_maxrss``)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def forget_caches(nlp: Any) -> None:
    """Empty the engine's memo tables (the attribute rules' token keys, the cue tagger's local
    scores, the encoder's wordpieces of words), so that each timed run pays what a fresh process
    pays on the texts, however many times the same texts are run."""
    from .learn.context import encoder
    from .learn.decode import forget_local_sums
    from .pipeline.attribute_rules import FastAttributeRuler

    forget_local_sums()
    if encoder.cache_info().currsize:
        encoder().tok.forget()
    for _, pipe in nlp.pipeline:
        if isinstance(pipe, FastAttributeRuler):
            pipe.forget()


def run_bench(
    items: Sequence[tuple[str, str]],
    *,
    model: str | None = None,
    repeats: int = 3,
    batch_size: int = 16,
    engine: Any = None,
    nlp: Any = None,
    pin: bool = True,
    recall: str | None = None,
    options: EngineOptions | None = None,
) -> dict[str, Any]:
    """Time (a) the bare spaCy pipeline and (b) the whole engine on ``items``.

    ``engine`` / ``nlp`` may be given to reuse loaded pipelines (tests); otherwise the engine
    is built from ``options`` (or from ``model`` and ``recall``: that mode's preset, default
    the environment's) and the bare pipeline loads the engine's model. What is reported of the
    engine (model, recall mode, tuned numbers) is read from ``engine.options``.
    """
    import spacy

    from . import settings
    from .engine import Engine, check_text
    from .pipeline.factories import PIPES

    if repeats < 1:
        raise InputError("--repeats must be at least 1")
    texts = [check_text(t) for _, t in items]
    words = sum(len(t.split()) for t in texts)
    cpu, before = pin_to_one_cpu() if pin else (None, None)
    try:
        if engine is None:
            engine = Engine(options=options) if options is not None else Engine(model, recall=recall)
        used: EngineOptions | None = getattr(engine, "options", None)
        name = used.model if used is not None else model or settings.model_name()
        stages = [p for p in PIPES if p in engine.nlp.pipe_names]
        if nlp is None:
            try:
                nlp = spacy.load(name)
            except OSError:
                from .errors import ModelError

                raise ModelError(f"spaCy model {name!r} is not installed") from None

        def parse() -> None:
            for _ in nlp.pipe(texts, batch_size=batch_size):
                pass

        def engine_parse() -> None:
            for _ in engine.nlp.pipe(texts, batch_size=batch_size, disable=stages):
                pass

        def whole() -> None:
            for _ in engine.pipe(list(items), batch_size=batch_size):
                pass

        # warm-up: a few texts through each (allocations, lazy loading, caches)
        warm = texts[: max(1, min(len(texts), 5))]
        for _ in nlp.pipe(warm, batch_size=batch_size):
            pass
        for _ in engine.pipe(list(items[: len(warm)]), batch_size=batch_size):
            pass

        times: dict[str, list[float]] = {"parse": [], "engine_parse": [], "engine": []}
        for _ in range(repeats):
            for key, fn in (("parse", parse), ("engine_parse", engine_parse), ("engine", whole)):
                forget_caches(engine.nlp)
                t0 = time.perf_counter()
                fn()
                times[key].append(time.perf_counter() - t0)
    finally:
        if before is not None:
            try:
                os.sched_setaffinity(0, before)
            except OSError:
                pass

    def summary(ts: list[float]) -> dict[str, Any]:
        med = statistics.median(ts)
        return {
            "seconds_median": round(med, 4),
            "seconds": [round(t, 4) for t in ts],
            "words_per_second": round(words / med, 1) if med > 0 else None,
        }

    a, a2, b = summary(times["parse"]), summary(times["engine_parse"]), summary(times["engine"])

    def speed_ratio(x: dict[str, Any], y: dict[str, Any]) -> float | None:
        return round(x["words_per_second"] / y["words_per_second"], 4) if x["words_per_second"] and y["words_per_second"] else None

    return {
        "model": name,
        "texts": len(texts),
        "words": words,
        "repeats": repeats,
        "cpu": cpu,
        "recall": used.recall if used is not None else None,
        "options": used.as_dict() if used is not None else None,
        "parse": a,
        "engine_parse": a2,
        "engine": b,
        "ratio": speed_ratio(b, a),
        "ratio_own_parse": speed_ratio(b, a2),
        "peak_rss_mib": round(peak_rss_mib(), 1),
    }


def format_bench(result: dict[str, Any], source: str = "") -> str:
    a, a2, b = result["parse"], result["engine_parse"], result["engine"]
    pinned = f"CPU {result['cpu']}" if result.get("cpu") is not None else "not pinned"

    def row(label: str, x: dict[str, Any], note: str = "") -> str:
        return f"  {label:<26}{x['words_per_second']:>8,.0f} words/s  ({x['seconds_median']:.2f} s){note}"

    def ratio(label: str, r: float | None, note: str) -> str:
        return f"  {label:<26}{r:>8.3f}  {note}" if r is not None else f"  {label:<26}       -"

    lines = [
        f"{result['texts']} texts, {result['words']:,} words{f' from {source}' if source else ''}; "
        f"model {result['model']}; {pinned}; median of {result['repeats']}",
        row("(a) spaCy parse alone", a),
        row("(a2) the engine's parse", a2, "  same model and annotations, attribute rules from a table"),
        row("(b) whole engine", b, f"  recall pass: {result.get('recall') or '-'}"),
        ratio("ratio (b)/(a)", result["ratio"], f"(the engine takes {1 / result['ratio']:.2f}x the parse time)" if result["ratio"] else ""),
        ratio("ratio (b)/(a2)", result["ratio_own_parse"], "(saidwho's stages against the parse they run on)"),
        f"  {'peak memory':<26}{result['peak_rss_mib']:>8.0f} MiB",
    ]
    return "\n".join(lines)
