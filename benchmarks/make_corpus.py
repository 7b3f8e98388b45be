"""Generate a corpus of N articles (default 10,000) for the web benchmark, without spaCy.

    python benchmarks/make_corpus.py bench.db --articles 10000

Articles come from :func:`saidwho.store.synth.corpus`: news-like texts with exact offsets,
Zipf-popular speakers introduced by full name and title then by surname, some vague sources,
five outlets over three years. A share of them (``--analysed``) also gets a positions analysis
in its stored document (propositions and one disagreement between its first two speakers), so
the disagreements page has something to list.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from sqlalchemy import update


def positions_for(doc: dict) -> dict:
    """A made-up positions analysis: each attribution one proposition; the first two of
    different speakers disagree."""
    atts = doc.get("attributions", [])
    props = []
    for k, a in enumerate(atts):
        if not a.get("content") or not a.get("speaker"):
            continue
        c = a["content"][0]
        words = c["text"].split()
        props.append({"id": f"p{k + 1}", "attribution": a["id"], "span": c, "actor": a["speaker"]["id"],
                      "topic": words[:2], "polarity": "for" if k % 2 == 0 else "against", "modality": "asserts"})
    rels = []
    for i, p in enumerate(props):
        q = next((q for q in props[i + 1:] if q["actor"] != p["actor"]), None)
        if q is not None:
            rels.append({"a": p["id"], "b": q["id"], "kind": "disagree", "score": 0.71})
            break
    return {**doc, "propositions": props, "relations": rels, "unattributed": []}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("db", help="SQLite file (replaced) or postgresql:// URL")
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--quotes", type=int, default=5, help="attributions per article")
    ap.add_argument("--people", type=int, default=400)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--analysed", type=float, default=0.05, help="share of articles with a positions analysis")
    ap.add_argument("--batch", type=int, default=500)
    args = ap.parse_args(argv)

    from saidwho.store import ArticleMeta, open_store
    from saidwho.store.schema import articles
    from saidwho.store.synth import corpus

    if "://" not in args.db:
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(args.db + suffix):
                os.remove(args.db + suffix)
    t0 = time.perf_counter()
    every = round(1 / args.analysed) if args.analysed > 0 else 0
    with open_store(args.db) as store:
        batch: list = []
        done = 0

        def flush() -> None:
            nonlocal batch, done
            if not batch:
                return
            ids = store.save_articles(batch, engine_name="synth")
            if every:
                with store.engine.begin() as conn:
                    for aid, (art, _m) in zip(ids, batch):
                        if aid % every == 0:
                            conn.execute(update(articles).where(articles.c.id == aid)
                                         .values(doc=positions_for(art.to_dict())))
            done += len(batch)
            batch = []
            print(f"\r{done:,} articles, {time.perf_counter() - t0:.0f} s", end="", file=sys.stderr)

        for art, meta in corpus(args.articles, quotes_per_article=args.quotes, n_people=args.people, seed=args.seed):
            batch.append((art, ArticleMeta(ext_id=meta["id"], title=meta["title"], outlet=meta["outlet"],
                                           published=meta["published"], origin="synth")))
            if len(batch) >= args.batch:
                flush()
        flush()
        print(file=sys.stderr)
        print(f"{args.db}: {store.stats()} in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
