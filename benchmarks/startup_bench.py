"""Start-up and whole-process benchmark: ``saidwho analyze`` against the bare spaCy parse.

    python benchmarks/startup_bench.py [--runs 5] [--dev /work/shared/polnear/dev/text] [--skip-dev]

Every figure is of whole processes (interpreter start, imports and model loading included),
each run ``--runs`` times, the median reported; both wall-clock and CPU seconds (user + system
of the child, from ``os.wait4``) are given, since CPU time is steadier on a shared machine.

1. Start-up: ``saidwho analyze`` on a one-sentence file against
   ``python -c "import spacy; nlp = spacy.load(MODEL); nlp(TEXT)"`` on the same sentence.
2. A whole split (``--dev``: a folder of .txt files, PolNeAR dev by default) on one core
   (``taskset -c 0`` where available, and OMP/MKL/OpenBLAS threads 1): ``saidwho analyze
   --format jsonl`` against a process that loads spaCy and parses the same texts with
   ``nlp.pipe``; the speed ratio (bare time / saidwho time) and each one's peak resident memory.

``--without-torch``: thinc (under spaCy) imports PyTorch whenever it is installed, which adds
seconds to every spaCy start-up; saidwho needs PyTorch only to train (the ``train`` extra). The
option runs both sides as an installation without it does (an import of ``torch`` fails).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

SENTENCE = "“We will win,” the mayor said.\n"

BARE_ONE = "import spacy, sys; nlp = spacy.load(sys.argv[1]); nlp(open(sys.argv[2], encoding='utf-8').read())"
BARE_SPLIT = (
    "import spacy, sys, pathlib; nlp = spacy.load(sys.argv[1]); "
    "texts = [p.read_text('utf-8') for p in sorted(pathlib.Path(sys.argv[2]).glob('*.txt'))]; "
    "[None for _ in nlp.pipe(texts)]"
)


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system) and peak resident KiB of one child process."""
    import time

    t = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def median_of(cmd: list[str], env: dict[str, str], runs: int) -> dict[str, float]:
    rows = [run(cmd, env) for _ in range(runs)]
    return {
        "wall": statistics.median(r[0] for r in rows),
        "cpu": statistics.median(r[1] for r in rows),
        "rss_mb": statistics.median(r[2] for r in rows) / 1024,
    }


def one_core(cmd: list[str]) -> list[str]:
    return ["taskset", "-c", "0", *cmd] if shutil.which("taskset") else cmd


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--dev", default=os.environ.get("SAIDWHO_POLNEAR", "/work/shared/polnear") + "/dev/text")
    ap.add_argument("--dev-runs", type=int, default=3)
    ap.add_argument("--skip-dev", action="store_true")
    ap.add_argument("--recall", default=None, help="--recall for saidwho analyze (default: the engine's)")
    ap.add_argument("--without-torch", action="store_true", help="both sides as if PyTorch were not installed")
    args = ap.parse_args(argv)

    from saidwho.settings import model_name

    model = model_name()
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    py = sys.executable
    recall = ["--recall", args.recall] if args.recall else []
    with tempfile.TemporaryDirectory() as tmp:
        if args.without_torch:
            (Path(tmp) / "torch.py").write_text("raise ImportError('PyTorch left out of this benchmark')\n")
            env["PYTHONPATH"] = os.pathsep.join(p for p in (tmp, env.get("PYTHONPATH")) if p)
        one = Path(tmp) / "one.txt"
        one.write_text(SENTENCE, encoding="utf-8")
        ours = median_of([py, "-m", "saidwho.cli", "analyze", *recall, str(one)], env, args.runs)
        bare = median_of([py, "-c", BARE_ONE, model, str(one)], env, args.runs)
        print(f"start-up, one sentence, median of {args.runs} whole processes:")
        print(f"  saidwho analyze      wall {ours['wall']:6.2f} s  cpu {ours['cpu']:6.2f} s  peak {ours['rss_mb']:6.0f} MB")
        print(f"  spacy.load + parse   wall {bare['wall']:6.2f} s  cpu {bare['cpu']:6.2f} s  peak {bare['rss_mb']:6.0f} MB")
        print(f"  ratio (floor 1.6)    wall {ours['wall'] / bare['wall']:6.2f}    cpu {ours['cpu'] / bare['cpu']:6.2f}")
        sys.stdout.flush()
        if args.skip_dev:
            return 0
        dev = Path(args.dev)
        n = len(list(dev.glob("*.txt")))
        cmd = [py, "-m", "saidwho.cli", "analyze", "--format", "jsonl", *recall, str(dev)]
        ours = median_of(one_core(cmd), env, args.dev_runs)
        bare = median_of(one_core([py, "-c", BARE_SPLIT, model, str(dev)]), env, args.dev_runs)
    print(f"{dev} ({n} texts), one core, median of {args.dev_runs} whole processes:")
    print(f"  saidwho analyze      wall {ours['wall']:6.2f} s  cpu {ours['cpu']:6.2f} s  peak {ours['rss_mb']:6.0f} MB")
    print(f"  spacy parse (pipe)   wall {bare['wall']:6.2f} s  cpu {bare['cpu']:6.2f} s  peak {bare['rss_mb']:6.0f} MB")
    print(f"  speed ratio (floor 0.60)   wall {bare['wall'] / ours['wall']:5.2f}   cpu {bare['cpu'] / ours['cpu']:5.2f}")
    print(f"  memory ratio (floor 1.6)   {ours['rss_mb'] / bare['rss_mb']:5.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
