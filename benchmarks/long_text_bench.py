"""Long texts: does the engine's time grow in proportion to the text's length?

    python benchmarks/long_text_bench.py [--sizes 20000 100000 200000] [--recall off]

Each text is PolNeAR dev articles (``$SAIDWHO_POLNEAR/dev/text``, sorted by name) joined by a
blank line and repeated until it reaches the size, cut at the last paragraph break before it.
One engine is loaded and warmed up on a short text; each size is then analysed once, on one
core where the platform allows it (``os.sched_setaffinity``). Reported: seconds, characters
per second, and each size's time per character against the smallest's (1.0 is linear; the
aim is at most 1.2 for ten times the text).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path


def long_text(size: int, folder: Path) -> str:
    """PolNeAR dev articles, repeated, to about ``size`` characters (whole paragraphs)."""
    arts = [p.read_text("utf-8").strip() for p in sorted(folder.glob("*.txt"))]
    if not arts:
        raise SystemExit(f"no .txt files in {folder}")
    parts: list[str] = []
    n = k = 0
    while n < size:
        a = arts[k % len(arts)]
        parts.append(a)
        n += len(a) + 2
        k += 1
    text = "\n\n".join(parts)
    cut = text.rfind("\n", 0, size)
    return text[:cut] if cut > 0 else text[:size]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[20_000, 100_000, 200_000])
    ap.add_argument("--recall", default=None, help="off, window or sentence (default: the engine's)")
    ap.add_argument("--dev", default=os.environ.get("SAIDWHO_POLNEAR", "/work/shared/polnear") + "/dev/text")
    args = ap.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    from saidwho.engine import Engine
    from saidwho.settings import DEFAULT_RECALL

    engine = Engine(recall=args.recall or DEFAULT_RECALL)
    engine.analyze(long_text(3000, Path(args.dev)))  # warm-up
    base = None
    print(f"{'chars':>10} {'seconds':>9} {'chars/s':>9} {'time/char vs first':>19} {'attributions':>13}")
    for size in args.sizes:
        text = long_text(size, Path(args.dev))
        t = time.process_time()
        art = engine.analyze(text)
        dt = time.process_time() - t
        per = dt / len(text)
        base = base or per
        print(f"{len(text):>10,} {dt:>9.1f} {len(text) / dt:>9,.0f} {per / base:>19.2f} {len(art.attributions):>13,}")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
