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

Load (``--clients 20``): the app served by uvicorn on 127.0.0.1 in a process held to one CPU
core, and 20 clients in threads, each requesting --repeat pages of a mix (articles, searches,
a speaker, an outlet, the overview, disagreements) over a kept-alive connection, with gzip as
a browser asks, reading each page for a while (--think seconds on average, drawn uniformly
from 0 to twice that) before the next, as people do. Reported: the median, 95th percentile
and maximum of all requests, and per page. Target: p95 under 500 ms; ``--check`` exits 1
when missed. (``--think 0`` is a stress test: every client asks again at once, so a request
waits for the 19 others on the one core.)

    python benchmarks/web_bench.py --db bench.db --clients 20 --repeat 25 --think 2 --check
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
LOAD_TARGET_MS = 500.0
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
    ap.add_argument("--clients", type=int, default=0,
                    help="load test: this many concurrent clients against a server on one core (0: off)")
    ap.add_argument("--think", type=float, default=2.0, help="load test: mean seconds a client waits between pages")
    ap.add_argument("--pages", metavar="REGEX", help="only the pages whose name matches")
    ap.add_argument("--cpu", type=int, default=0, help="the CPU core the load test's server is held to")
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
        "search page (phrase)": lambda i: f'/search?q="{word(i)}+{word(i + 7)}"',
        "speakers list": lambda i: f"/speakers?page={1 + i % 20}",
    }
    if args.pages:
        import re

        pages = {k: v for k, v in pages.items() if re.search(args.pages, k)}
    if args.clients:
        return load(db, stats, pages, args)
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


def _serve(db: str, port: int, cpu: int) -> None:  # the server process of the load test
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {cpu})
    import uvicorn

    from saidwho.web import create_app

    uvicorn.run(create_app(db), host="127.0.0.1", port=port, log_level="warning", access_log=False)


def load(db: str, stats: dict, pages: dict, args) -> int:
    """``--clients N``: N clients at once against one server process on one core."""
    import multiprocessing
    import socket
    import threading

    import httpx

    with socket.socket() as sk:
        sk.bind(("127.0.0.1", 0))
        port = sk.getsockname()[1]
    proc = multiprocessing.get_context("spawn").Process(target=_serve, args=(db, port, args.cpu), daemon=True)
    proc.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(base + "/api/?per_page=1", timeout=5).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or not proc.is_alive():
            raise SystemExit("the server did not start")
        time.sleep(0.2)
    names = list(pages)
    times: dict[str, list[float]] = {n: [] for n in names}
    errors: list[str] = []
    lock = threading.Lock()

    def client(k: int) -> None:
        pause = random.Random(k)
        with httpx.Client(base_url=base, timeout=60, headers={"accept-encoding": "gzip"}) as c:
            for i in range(args.warmup + args.repeat):
                if args.think:
                    time.sleep(pause.uniform(0, 2 * args.think))
                name = names[(k + i) % len(names)]
                url = pages[name](k * 1000 + i)
                t0 = time.perf_counter()
                r = c.get(url)
                dt = (time.perf_counter() - t0) * 1000
                if r.status_code != 200:
                    with lock:
                        errors.append(f"{url}: HTTP {r.status_code}")
                elif i >= args.warmup:
                    with lock:
                        times[name].append(dt)

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client, args=(k,)) for k in range(args.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    proc.terminate()
    proc.join(10)
    if errors:
        raise SystemExit("errors: " + "; ".join(errors[:5]))

    def pct(xs: list[float], q: float) -> float:
        xs = sorted(xs)
        return xs[min(len(xs) - 1, int(q * len(xs)))] if xs else 0.0

    every = [x for xs in times.values() for x in xs]
    print(f"corpus: {db}: {stats['articles']:,} articles, {stats['attributions']:,} attributions, "
          f"{stats['speakers']:,} speakers")
    print(f"load: {args.clients} clients x {args.repeat} requests, {args.think:g} s between pages on average, "
          f"server on CPU {args.cpu}; "
          f"{len(every)} requests in {wall:.1f} s ({len(every) / wall:.1f}/s)")
    print(f"{'page':32} {'median':>9} {'p95':>9} {'max':>9}")
    results = {}
    for name in names + ["all"]:
        xs = every if name == "all" else times[name]
        if not xs:
            continue
        results[name] = {"median_ms": round(statistics.median(xs), 1), "p95_ms": round(pct(xs, 0.95), 1),
                         "max_ms": round(max(xs), 1), "n": len(xs)}
        r = results[name]
        print(f"{name:32} {r['median_ms']:7.1f}ms {r['p95_ms']:7.1f}ms {r['max_ms']:7.1f}ms")
    ok = results["all"]["p95_ms"] < LOAD_TARGET_MS
    print(f"target: p95 of all requests under {LOAD_TARGET_MS:.0f} ms with {args.clients} clients: "
          f"{'met' if ok else 'MISSED'}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"corpus": stats, "db": db, "clients": args.clients, "think_s": args.think, "results": results,
                       "target_ms": LOAD_TARGET_MS, "met": ok}, fh, indent=2)
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
