"""Store benchmark: query times on a 100,000-attribution SQLite corpus, and the store's share
of ingest time.

    python benchmarks/store_bench.py                 # both parts
    python benchmarks/store_bench.py --part queries  # (a) only
    python benchmarks/store_bench.py --part ingest --ingest-articles 300

(a) builds a SQLite database of generated articles (``saidwho.store.synth``: no spaCy; the
    Article records go straight to the store, with speaker resolution and full-text index as
    in a real ingest) until it holds --attributions attributions, then times ``quotes``
    queries (``--speaker``, ``--about``) through the Python API, median of --repeat runs.
    Target: under 100 ms each.
(b) writes --ingest-articles generated news articles (about 450 words, 6 attributions each)
    as JSON Lines and ingests them through the real engine into a fresh SQLite database,
    timing the engine and the store separately (the runner's own accounting: lookups,
    writes with speaker resolution, end-of-run consolidation). Target: store under 10% of
    the ingest time; the per-article costs are extrapolated to 10,000 articles.

Prints a report and, with --json FILE, writes the figures there too.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))

from saidwho.store import ArticleMeta, open_store  # noqa: E402
from saidwho.store.synth import corpus  # noqa: E402


def build(db: str, n_attributions: int, per_article: int = 5, batch: int = 500) -> dict:
    store = open_store(db)
    n_articles = -(-n_attributions // per_article)
    t0 = time.perf_counter()
    buf = []
    for art, m in corpus(n_articles, quotes_per_article=per_article, n_people=2000):
        meta = ArticleMeta(ext_id=m["id"], outlet=m["outlet"], published=m["published"], title=m["title"])
        buf.append((art, meta))
        if len(buf) >= batch:
            store.save_articles(buf)
            buf.clear()
    if buf:
        store.save_articles(buf)
    store.consolidate_speakers()
    seconds = time.perf_counter() - t0
    stats = store.stats()
    store.close()
    return {"build_seconds": round(seconds, 1), **stats}


def timed(fn, repeat: int) -> tuple[float, int]:
    fn()  # warm: first run pays for statement compilation and a cold page cache
    times = []
    n = 0
    for _ in range(repeat):
        t = time.perf_counter()
        n = len(fn())
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000, n


def queries(db: str, repeat: int) -> list[dict]:
    store = open_store(db)
    top = store.speakers(limit=200, type="person")
    busiest, typical = top[0], top[min(len(top) - 1, 99)]
    cases = [
        (f"quotes --speaker {typical['name']!r} (the 100th most quoted)", dict(speaker=typical["name"])),
        (f"quotes --speaker {busiest['name']!r} --limit 100 (the most quoted)", dict(speaker=busiest["name"], limit=100)),
        (f"quotes --speaker {busiest['name']!r} (the most quoted, all rows)", dict(speaker=busiest["name"])),
        ("quotes --about 'harbour ferry'", dict(about="harbour ferry")),
        ("quotes --about 'refinery' --limit 100", dict(about="refinery", limit=100)),
        ("quotes --about 'refinery' (all rows)", dict(about="refinery")),
        (f"quotes --speaker {typical['name']!r} --about 'budget'", dict(speaker=typical["name"], about="budget")),
    ]
    out = []
    for label, kw in cases:
        ms, n = timed(lambda kw=kw: store.quotes(**kw), repeat)
        out.append({"query": label, "median_ms": round(ms, 2), "rows": n})
    store.close()
    return out


def ingest_share(n_articles: int, workdir: str) -> dict:
    from saidwho.engine import get_engine
    from saidwho.ingest.runner import ingest

    feed = os.path.join(workdir, "news.jsonl")
    with open(feed, "w", encoding="utf-8") as fh:
        for art, m in corpus(n_articles, quotes_per_article=6, body_words=60, n_people=300, seed=11):
            fh.write(json.dumps({**m, "text": art.text}, ensure_ascii=False) + "\n")
    engine = get_engine()
    engine.analyze("Warm-up, the mayor said.")  # model loading is not part of ingest
    db = os.path.join(workdir, "ingest.db")
    store = open_store(db)
    s = ingest(store, [feed], engine=engine, progress=False, report=lambda _m: None)
    stats = store.stats()
    store.close()
    per_article = {
        "engine_ms": s.engine_seconds * 1000 / max(1, s.stored),
        "store_ms": s.store_seconds * 1000 / max(1, s.stored),
        "total_ms": s.seconds * 1000 / max(1, s.stored),
    }
    words = 0
    with open(feed, encoding="utf-8") as fh:
        for line in fh:
            words += len(json.loads(line)["text"].split())
    return {
        "articles": s.stored,
        "failed": s.n_failed,
        "words_per_article": round(words / max(1, n_articles)),
        "attributions": stats["attributions"],
        "seconds": round(s.seconds, 2),
        "engine_seconds": round(s.engine_seconds, 2),
        "store_seconds": round(s.store_seconds, 3),
        "store_share": round(s.store_share, 4),
        "per_article_ms": {k: round(v, 2) for k, v in per_article.items()},
        "extrapolated_10000": {
            "minutes": round(per_article["total_ms"] * 10000 / 60000, 1),
            "store_minutes": round(per_article["store_ms"] * 10000 / 60000, 2),
        },
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--part", choices=("all", "queries", "ingest"), default="all")
    ap.add_argument("--attributions", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--ingest-articles", type=int, default=300)
    ap.add_argument("--db", help="Reuse or keep the query database here (default: a temp file).")
    ap.add_argument("--json", help="Write the figures to this file.")
    args = ap.parse_args(argv)
    report: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        if args.part in ("all", "queries"):
            db = args.db or os.path.join(tmp, "bench.db")
            if not os.path.exists(db):
                print(f"building {args.attributions:,} attributions in {db} ...", file=sys.stderr)
                report["build"] = build(db, args.attributions)
                print(f"  {report['build']}", file=sys.stderr)
            report["queries"] = queries(db, args.repeat)
            print(f"\n(a) queries on {args.attributions:,} attributions (SQLite), median of {args.repeat}:")
            for q in report["queries"]:
                flag = "ok " if q["median_ms"] < 100 else "SLOW"
                print(f"  {flag} {q['median_ms']:8.2f} ms  {q['rows']:6d} rows  {q['query']}")
        if args.part in ("all", "ingest"):
            print(f"\ningesting {args.ingest_articles} generated articles through the engine ...", file=sys.stderr)
            r = report["ingest"] = ingest_share(args.ingest_articles, tmp)
            print(f"\n(b) ingest of {r['articles']} articles (~{r['words_per_article']} words, "
                  f"{r['attributions'] / max(1, r['articles']):.1f} attributions each) into SQLite:")
            print(f"  total {r['seconds']} s; engine {r['engine_seconds']} s; store {r['store_seconds']} s")
            print(f"  store share of ingest time: {r['store_share']:.1%} (target < 10%)")
            pa = r["per_article_ms"]
            print(f"  per article: engine {pa['engine_ms']} ms, store {pa['store_ms']} ms, total {pa['total_ms']} ms")
            ex = r["extrapolated_10000"]
            print(f"  10,000 articles: about {ex['minutes']} min, of which store {ex['store_minutes']} min")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(report, fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
