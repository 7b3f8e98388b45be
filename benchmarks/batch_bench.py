"""Batch benchmark: throughput of the ingest paths, and where one core's time goes.

    python benchmarks/batch_bench.py                    # 5,000 generated articles, every path
    python benchmarks/batch_bench.py --n 300 --rounds 3 # a quick run
    python benchmarks/batch_bench.py --profile 300      # the single-core path, stage by stage
    python benchmarks/batch_bench.py --n 300 --profile 300 --json out.json

Throughput (``--n``): a synthetic corpus of our own generated articles
(:func:`saidwho.store.synth.corpus`, about 450 words and 6 attributions each) as JSON Lines
goes into a fresh SQLite corpus through each path, with the real spaCy engine:

* ``plain``: a plain loop on one core: read the lines, ``Engine.pipe`` (batches of 16),
  ``store.save_article`` for each;
* ``ingest``: the single-process ``saidwho ingest`` (the runner);
* ``workers1``, ``workers2``: ``--workers 1`` and ``--workers 2`` (local worker processes);
* ``cluster2``: ``--scheduler`` on a 2-worker ``LocalCluster`` (processes, 1 thread each).

Each reports articles/s and words/s over the run (starting workers and loading their models is
timed apart, as ``startup``), and its overhead against the plain loop: 1 - rate / plain rate.
With ``--rounds R`` every path runs R times, interleaved (the load of a shared machine drifts):
the figures are medians, the overhead the median of each run against the plain loop of its
round. Every path must store the same articles and attributions.

Profile (``--profile N``): N generated articles as HTML pages (with navigation, related links
and footer, as news sites have) in a WARC file, through the single-core path with a timer on
each stage: read the WARC, extract the HTML (trafilatura), check and look up, tokenize, each
spaCy component, saidwho's stages (cues, attribution, speakers), conversion to the Article,
corpus speaker resolution, the rest of the store write, end-of-run consolidation. Then the
same path under cProfile: the functions where most time is spent.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import contextmanager

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))

from saidwho.store import ArticleMeta, open_store  # noqa: E402
from saidwho.store.synth import corpus  # noqa: E402


def write_feed(path: str, n: int) -> int:
    """``n`` generated articles as JSON Lines; returns their words."""
    words = 0
    with open(path, "w", encoding="utf-8") as fh:
        for art, m in corpus(n, quotes_per_article=6, body_words=60, n_people=300, seed=11):
            words += len(art.text.split())
            fh.write(json.dumps({**m, "text": art.text}, ensure_ascii=False) + "\n")
    return words


def _stats(db: str) -> dict:
    with open_store(db) as store:
        return store.stats()


# -- throughput -------------------------------------------------------------------------------

def run_plain(feed: str, db: str, engine) -> dict:
    from saidwho.ingest.runner import _engine_name

    name = _engine_name()
    store = open_store(db)
    t0 = time.perf_counter()
    n = 0

    def lines():
        with open(feed, encoding="utf-8") as fh:
            for line in fh:
                d = json.loads(line)
                yield d

    batch: list[dict] = []

    def flush():
        nonlocal n
        for d, art in zip(batch, engine.pipe([(d["id"], d["text"]) for d in batch], batch_size=16)):
            meta = ArticleMeta(ext_id=d["id"], outlet=d["outlet"], published=d["published"], title=d["title"])
            store.save_article(art, meta, engine_name=name)
            n += 1
        batch.clear()

    for d in lines():
        batch.append(d)
        if len(batch) >= 16:
            flush()
    flush()
    store.consolidate_speakers()
    seconds = time.perf_counter() - t0
    store.close()
    return {"seconds": seconds, "stored": n, "startup": 0.0}


def run_ingest(feed: str, db: str, engine) -> dict:
    from saidwho.ingest.runner import ingest

    with open_store(db) as store:
        s = ingest(store, [feed], engine=engine, progress=False, report=lambda _m: None)
    return {"seconds": s.seconds, "stored": s.stored, "startup": 0.0, "store_share": s.store_share}


def run_workers(feed: str, db: str, n_workers: int, partition_size: int) -> dict:
    from saidwho.batch.driver import run_partitions
    from saidwho.batch.local import LocalPool
    from saidwho.batch.work import EngineSpec

    t0 = time.perf_counter()
    pool = LocalPool(n_workers, EngineSpec.spacy(), batch_size=16)
    pool._await_ready()  # start-up (processes, models) timed apart
    startup = time.perf_counter() - t0
    with open_store(db) as store:
        s = run_partitions(store, [feed], pool, progress=False, partition_size=partition_size, report=lambda _m: None)
    return {"seconds": s.seconds, "stored": s.stored, "startup": startup, "store_share": s.store_share,
            "partitions": s.partitions}


def run_cluster(feed: str, db: str, n_workers: int, partition_size: int) -> dict:
    from distributed import Client

    from saidwho.batch.cluster import DaskBackend, local_cluster
    from saidwho.batch.driver import run_partitions
    from saidwho.batch.work import EngineSpec

    t0 = time.perf_counter()
    cluster = local_cluster(n_workers, threads_per_worker=1)
    client = Client(cluster, set_as_default=False)
    try:
        backend = DaskBackend(client, EngineSpec.spacy(), batch_size=16)  # every worker loads the model
        startup = time.perf_counter() - t0
        with open_store(db) as store:
            s = run_partitions(store, [feed], backend, progress=False, partition_size=partition_size,
                               report=lambda _m: None)
    finally:
        client.close()
        cluster.close()
    return {"seconds": s.seconds, "stored": s.stored, "startup": startup, "store_share": s.store_share,
            "partitions": s.partitions}


def throughput(n: int, workdir: str, partition_size: int, modes: list[str], rounds: int = 1) -> dict:
    from saidwho.engine import Engine

    feed = os.path.join(workdir, "news.jsonl")
    words = write_feed(feed, n)
    print(f"{n} generated articles, {words / n:.0f} words each on average", file=sys.stderr)
    engine = Engine()
    engine.analyze("Warm-up, the mayor said.")
    order = ["plain", *[m for m in modes if m != "plain"]]
    runs: dict[str, list[dict]] = {m: [] for m in order}
    for k in range(rounds):  # interleaved, so that the machine's load drifts over every path alike
        for mode in order:
            db = os.path.join(workdir, f"{mode}-{k}.db")
            print(f"  round {k + 1}: {mode} ...", file=sys.stderr, flush=True)
            if mode == "plain":
                r = run_plain(feed, db, engine)
            elif mode == "ingest":
                r = run_ingest(feed, db, engine)
            elif mode.startswith("workers"):
                r = run_workers(feed, db, int(mode[len("workers"):]), partition_size)
            elif mode.startswith("cluster"):
                r = run_cluster(feed, db, int(mode[len("cluster"):]), partition_size)
            else:
                raise SystemExit(f"unknown mode {mode}")
            r["stats"] = _stats(db)
            os.remove(db)
            r["articles_per_s"] = r["stored"] / r["seconds"]
            r["words_per_s"] = words * r["stored"] / n / r["seconds"]
            print(f"    {r['stored']} articles in {r['seconds']:.1f} s: {r['articles_per_s']:.2f} articles/s "
                  f"(start-up {r['startup']:.1f} s)", file=sys.stderr, flush=True)
            runs[mode].append(r)
    out: dict[str, dict] = {}
    for m, rs in runs.items():
        rates = [r["articles_per_s"] for r in rs]
        # overhead: each run against the plain loop of the same round, then the median
        paired = [1 - r["articles_per_s"] / p["articles_per_s"] for r, p in zip(rs, runs["plain"])]
        out[m] = {
            "articles_per_s": statistics.median(rates),
            "words_per_s": statistics.median(r["words_per_s"] for r in rs),
            "seconds": statistics.median(r["seconds"] for r in rs),
            "startup": statistics.median(r["startup"] for r in rs),
            "overhead": statistics.median(paired),
            "rates": [round(x, 2) for x in rates],
            "stored": [r["stored"] for r in rs],
            "attributions": [r["stats"]["attributions"] for r in rs],
        }
    ref = out["plain"]["attributions"][0]
    same = {m: all(a == ref for a in x["attributions"]) and all(s == n for s in x["stored"]) for m, x in out.items()}
    return {"n": n, "rounds": rounds, "words": words, "words_per_article": words / n,
            "partition_size": partition_size, "cpus": os.cpu_count(), "load_average": os.getloadavg(),
            "runs": out, "same_corpus": same}


def print_throughput(r: dict) -> None:
    print(f"\nThroughput: {r['n']} generated articles (~{r['words_per_article']:.0f} words), SQLite, "
          f"partitions of {r['partition_size']}, {r['cpus']} CPUs, median of {r['rounds']} interleaved rounds; "
          f"load average at the end {r['load_average'][0]:.2f}")
    print(f"  {'path':10s} {'articles/s':>10s} {'words/s':>9s} {'seconds':>8s} {'start-up':>9s} {'overhead':>9s}  rounds")
    for m, x in r["runs"].items():
        print(f"  {m:10s} {x['articles_per_s']:10.2f} {x['words_per_s']:9.0f} {x['seconds']:8.1f} "
              f"{x['startup']:9.1f} {x['overhead']:+9.1%}  {', '.join(f'{y:.2f}' for y in x['rates'])}")
    bad = [m for m, ok in r["same_corpus"].items() if not ok]
    print("  every path stored the same articles and attributions" if not bad else f"  DIFFERENT corpus: {bad}")


# -- profile ----------------------------------------------------------------------------------

NAV = "".join(f"<li><a href='/section/{w}'>{w.title()}</a></li>" for w in
              "world politics business tech science health sport culture opinion video podcasts weather".split())


def html_page(art, m: dict, k: int) -> str:
    paras = "".join(f"<p>{p.strip()}.</p>" for p in art.text.split(". ") if p.strip())
    related = "".join(f"<li><a href='/news/{k}-{j}'>Related story number {j} about the {m['outlet']}</a></li>"
                      for j in range(8))
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{m['title']} | {m['outlet']}</title>"
        f"<meta name='author' content='Staff Reporter'><meta property='og:site_name' content='{m['outlet']}'>"
        f"<meta property='article:published_time' content='{m['published']}T08:00:00Z'>"
        f"<link rel='canonical' href='https://news{k % 5}.example/{m['id']}'>"
        f"<script>window.dataLayer=[];function track(){{return 1}}</script>"
        f"<style>body{{font-family:serif}} .ad{{display:block}}</style></head><body>"
        f"<header><div class='logo'>{m['outlet']}</div><nav><ul>{NAV}</ul></nav>"
        f"<form action='/search'><input name='q'><button>Search</button></form></header>"
        f"<main><article><h1>{m['title']}</h1><div class='byline'>By Staff Reporter, {m['published']}</div>"
        f"{paras}</article><aside class='ad'>Advertisement</aside>"
        f"<section class='related'><h2>Related</h2><ul>{related}</ul></section></main>"
        f"<footer><p>Copyright {m['outlet']}. All rights reserved.</p><ul>{NAV}</ul>"
        f"<p>Subscribe to our newsletter for the latest news every morning.</p></footer></body></html>"
    )


def write_warc(path: str, n: int) -> int:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    size = 0
    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=True)
        for k, (art, m) in enumerate(corpus(n, quotes_per_article=6, body_words=60, n_people=300, seed=11)):
            body = html_page(art, m, k).encode("utf-8")
            size += len(body)
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(f"https://news{k % 5}.example/{m['id']}", "response",
                                                payload=io.BytesIO(body), http_headers=headers))
    return size


class Timers:
    def __init__(self) -> None:
        self.t: dict[str, float] = defaultdict(float)

    @contextmanager
    def __call__(self, name: str):
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.t[name] += time.perf_counter() - t0

    def wrap(self, obj, attr: str, name: str):
        fn = getattr(obj, attr)

        def timed(*a, **kw):
            with self(name):
                return fn(*a, **kw)

        setattr(obj, attr, timed)
        return fn


def single_core_path(warc: str, db: str, engine, timers: Timers | None = None) -> int:
    """The single-process ingest, its stages opened up: read, extract, admit, each pipeline
    component, conversion, store (speaker resolution apart), consolidation."""
    import saidwho.ingest.warc as warc_mod
    from saidwho.convert import doc_to_article
    from saidwho.engine import check_text
    from saidwho.ingest import RawArticle
    from saidwho.ingest.runner import _engine_name
    from saidwho.types import text_sha256

    T = timers or Timers()
    nlp = engine.nlp
    store = open_store(db)
    name = _engine_name()
    orig_extract = T.wrap(warc_mod, "article_from_html", "extract HTML (trafilatura)")
    orig_resolve = T.wrap(store.resolver, "resolve_article", "store: speaker resolution")
    n = 0
    try:
        batch: list[tuple[RawArticle, int | None]] = []

        def flush():
            nonlocal n
            texts = [r.text for r, _ in batch]
            with T("tokenize"):
                docs = [nlp.make_doc(t) for t in texts]
            for pname, proc in nlp.pipeline:
                with T(pname):
                    docs = list(proc.pipe(docs, batch_size=16)) if hasattr(proc, "pipe") else [proc(d) for d in docs]
            with T("convert to Article"):
                arts = [doc_to_article(d, r.meta.url or "doc") for d, (r, _) in zip(docs, batch)]
            with T("store: write"):
                for (r, replace), a in zip(batch, arts):
                    store.save_article(a, r.meta, replace=replace, engine_name=name)
                    n += 1
            batch.clear()

        it = iter(warc_mod.read_warc(warc))
        while True:
            with T("read WARC"):
                item = next(it, None)
            if item is None:
                break
            if not isinstance(item, RawArticle):
                continue
            with T("check, hash, look up"):
                check_text(item.text)
                sha = text_sha256(item.text)
                found = store.lookup(item.meta.key(sha))
            if found is not None:
                continue
            batch.append((item, None))
            if len(batch) >= 16:
                flush()
        flush()
        with T("store: consolidate speakers"):
            store.consolidate_speakers()
    finally:
        warc_mod.article_from_html = orig_extract
        store.resolver.resolve_article = orig_resolve
        store.close()
    # the wrapped functions ran inside other timers: take them out of those
    T.t["read WARC"] -= T.t["extract HTML (trafilatura)"]
    T.t["store: write"] -= T.t["store: speaker resolution"]
    return n


GROUPS = [
    ("read", ["read WARC"]),
    ("extract HTML", ["extract HTML (trafilatura)"]),
    ("check, hash, look up", ["check, hash, look up"]),
    ("parse (spaCy)", ["tokenize", "tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"]),
    ("attribute (saidwho)", ["saidwho_cues", "saidwho_attribute"]),
    ("resolve speakers", ["saidwho_speakers", "store: speaker resolution", "store: consolidate speakers"]),
    ("convert to Article", ["convert to Article"]),
    ("write (store)", ["store: write"]),
]


def profile(n: int, workdir: str, top: int = 25) -> dict:
    from saidwho.engine import Engine

    warc = os.path.join(workdir, "news.warc.gz")
    size = write_warc(warc, n)
    engine = Engine()
    engine.analyze("Warm-up, the mayor said.")
    T = Timers()
    t0 = time.perf_counter()
    stored = single_core_path(warc, os.path.join(workdir, "profile.db"), engine, T)
    total = time.perf_counter() - t0
    os.remove(os.path.join(workdir, "profile.db"))
    accounted = sum(T.t.values())
    stages = {k: round(v, 3) for k, v in sorted(T.t.items(), key=lambda kv: -kv[1])}
    groups = {g: round(sum(T.t.get(s, 0.0) for s in names), 3) for g, names in GROUPS}
    groups["other (loop, batching)"] = round(total - accounted, 3)

    prof = cProfile.Profile()
    prof.enable()
    single_core_path(warc, os.path.join(workdir, "cprofile.db"), engine)
    prof.disable()
    buf = io.StringIO()
    ps = pstats.Stats(prof, stream=buf).sort_stats("tottime")
    ps.print_stats(top)
    hot = []
    for (file, line, func), (cc, nc, tt, ct, _callers) in sorted(ps.stats.items(), key=lambda kv: -kv[1][2])[:top]:
        short = file.split("site-packages/")[-1].split("/src/")[-1]
        hot.append({"function": f"{short}:{line}({func})", "calls": nc, "tottime": round(tt, 3),
                    "cumtime": round(ct, 3)})
    return {"n": n, "stored": stored, "html_kb_per_page": round(size / n / 1024, 1), "seconds": round(total, 2),
            "ms_per_article": round(total * 1000 / max(1, stored), 2), "stages": stages, "groups": groups,
            "cprofile_top": hot}


def print_profile(p: dict) -> None:
    total = p["seconds"]
    print(f"\nSingle-core path: {p['stored']} articles from a WARC of HTML pages (~{p['html_kb_per_page']} KB each), "
          f"{total} s, {p['ms_per_article']} ms per article")
    print(f"  {'stage':34s} {'seconds':>8s} {'ms/article':>10s} {'share':>7s}")
    for g, v in sorted(p["groups"].items(), key=lambda kv: -kv[1]):
        print(f"  {g:34s} {v:8.2f} {v * 1000 / max(1, p['stored']):10.2f} {v / total:7.1%}")
    print("  by component:")
    for s, v in p["stages"].items():
        print(f"    {s:32s} {v:8.2f} {v * 1000 / max(1, p['stored']):10.2f} {v / total:7.1%}")
    print("  cProfile, most time spent in the function itself:")
    for h in p["cprofile_top"][:15]:
        print(f"    {h['tottime']:7.2f} s {h['calls']:9d} calls  {h['function']}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=5000, help="Articles for the throughput runs (0: none).")
    ap.add_argument("--modes", default="ingest,workers1,workers2,cluster2",
                    help="Paths besides the plain loop (comma-separated).")
    ap.add_argument("--partition-size", type=int, default=32)
    ap.add_argument("--rounds", type=int, default=1, help="Run every path this many times, interleaved (median).")
    ap.add_argument("--profile", type=int, default=0, metavar="N", help="Profile the single-core path on N articles.")
    ap.add_argument("--json", help="Write the figures to this file.")
    args = ap.parse_args(argv)
    report: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        if args.n:
            modes = [m.strip() for m in args.modes.split(",") if m.strip()]
            report["throughput"] = throughput(args.n, tmp, args.partition_size, modes, args.rounds)
            print_throughput(report["throughput"])
        if args.profile:
            report["profile"] = profile(args.profile, tmp)
            print_profile(report["profile"])
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(report, fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
