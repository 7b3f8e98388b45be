"""Web benchmark: server-side render times of the web pages on a 10,000-article corpus.

    python benchmarks/web_bench.py                       # builds the corpus in a temp folder
    python benchmarks/web_bench.py --db bench.db         # reuses (or builds) bench.db
    python benchmarks/web_bench.py --articles 2000 --repeat 50 --json out.json --check

The corpus comes from ``benchmarks/make_corpus.py`` (generated articles written straight into
the store, no spaCy). Each page is requested --repeat times in process through the ASGI app
(FastAPI's TestClient: routing, the store's queries, the template, the response; no network),
after --warmup requests, and the median, 90th percentile and maximum are reported. Article
pages are random articles; search pages cycle through one-word and two-word queries.

Target (issue 5): article page and search page under 150 ms at the median. ``--check`` exits
with status 1 when either misses it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TARGET_MS = 150.0
WORDS = ("budget", "tariffs", "housing", "climate", "vote", "strike", "bridge", "hospital", "wages", "election",
         "border", "energy", "rent", "court", "harbour", "police", "pension", "schools")


def build(db: str, articles: int) -> float:
    sys.path.insert(0, HERE)
    from make_corpus import main as make

    t0 = time.perf_counter()
    make([db, "--articles", str(articles)])
    return time.perf_counter() - t0


def measure(client, urls, repeat: int, warmup: int) -> dict:
    for i in range(warmup):
        client.get(urls(i))
    times = []
    for i in range(repeat):
        url = urls(warmup + i)
        t0 = time.perf_counter()
        r = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        if r.status_code != 200:
            raise SystemExit(f"{url}: HTTP {r.status_code}: {r.text[:300]}")
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 2),
        "p90_ms": round(times[int(0.9 * (len(times) - 1))], 2),
        "max_ms": round(times[-1], 2),
        "n": len(times),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="corpus database (built if it does not exist); default: a temp file")
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=100)
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", metavar="FILE", help="write the figures here too")
    ap.add_argument("--check", action="store_true", help=f"exit 1 if a target ({TARGET_MS:.0f} ms) is missed")
    args = ap.parse_args(argv)

    import warnings

    warnings.filterwarnings("ignore", message=".*httpx.*")  # Starlette's note on its TestClient
    from fastapi.testclient import TestClient

    from saidwho.store import open_store
    from saidwho.web import create_app

    tmp = None
    db = args.db
    if not db:
        tmp = tempfile.mkdtemp(prefix="saidwho-web-bench-")
        db = os.path.join(tmp, "bench.db")
    built = None
    if "://" in db or not os.path.exists(db):
        built = build(db, args.articles)
    with open_store(db) as s:
        stats = s.stats()
    app = create_app(db)  # read-only, as `saidwho serve` starts
    client = TestClient(app, base_url="http://127.0.0.1")
    rng = random.Random(args.seed)
    n = stats["articles"]
    top = client.get("/api/?per_page=1").json()["top_speakers"]
    speaker_id = top[0]["id"] if top else 1
    outlet = (client.get("/api/").json()["outlets"] or [{"name": "x"}])[0]["name"]

    def word(i: int) -> str:
        return WORDS[i % len(WORDS)]

    pages = {
        "article page": lambda i: f"/articles/{rng.randint(1, n)}",
        "search page (one word)": lambda i: f"/search?q={word(i)}",
        "search page (two words)": lambda i: f"/search?q={word(i)}+{word(i + 7)}",
        "search page (word + filters)": lambda i: f"/search?q={word(i)}&kind=direct&since=2021-01-01&until=2021-12-31",
        "search page (no query, all)": lambda i: "/search",
        "search page (speaker)": lambda i: f"/search?speaker={speaker_id}",
        "search page 5": lambda i: f"/search?q={word(i)}&page=5",
        "api article": lambda i: f"/api/articles/{rng.randint(1, n)}",
        "api search": lambda i: f"/api/search?q={word(i)}",
        "overview": lambda i: f"/?page={1 + i % 50}",
        "speaker page (most quoted)": lambda i: f"/speakers/{speaker_id}",
        "outlet page": lambda i: f"/outlets/{outlet}",
        "disagreements": lambda i: f"/disagreements?page={1 + i % 5}",
    }
    results = {}
    print(f"corpus: {db}: {stats['articles']:,} articles, {stats['attributions']:,} attributions, "
          f"{stats['speakers']:,} speakers" + (f" (built in {built:.0f} s)" if built else ""))
    print(f"{'page':32} {'median':>9} {'p90':>9} {'max':>9}")
    for name, urls in pages.items():
        r = measure(client, urls, args.repeat, args.warmup)
        results[name] = r
        print(f"{name:32} {r['median_ms']:7.1f}ms {r['p90_ms']:7.1f}ms {r['max_ms']:7.1f}ms")
    ok = results["article page"]["median_ms"] < TARGET_MS and all(
        v["median_ms"] < TARGET_MS for k, v in results.items() if k.startswith("search page"))
    print(f"target: article and search pages under {TARGET_MS:.0f} ms at the median: {'met' if ok else 'MISSED'}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"corpus": stats, "db": db, "results": results, "target_ms": TARGET_MS, "met": ok}, fh,
                      indent=2)
    if tmp:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
