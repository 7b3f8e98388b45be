"""Build ``eval/positions_set/perspectrum_dev.jsonl``: two-paragraph articles from PERSPECTRUM's
dev split (CC BY-SA 4.0, see ``PERSPECTRUM-LICENSE.txt`` beside the file), one actor stating a
claim and another a perspective on it.

    python -m saidwho.learn.build_stance_set ../shared/perspectrum

Each item is ``{"id", "a", "b", "label", "claim"}``: ``disagree`` where PERSPECTRUM's annotators
judged the perspective to undermine the claim, ``agree`` where it supports it, ``unrelated``
for a perspective of another claim on other topics. Wordings vary ("A argued that ...",
"According to B, ...", a quotation); no rebuttal verb is used, so the stance must be read from
what is said. Seeded: the same input gives the same file.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

from .train_stance import load

N = {"disagree": 130, "agree": 130, "unrelated": 40}
FIRST = ["Ada", "Bram", "Carla", "Dario", "Elif", "Femi", "Greta", "Hugo", "Ines", "Jonas", "Kira", "Lena",
         "Marco", "Nadia", "Oskar", "Petra", "Quinn", "Rosa", "Sven", "Tomas", "Uma", "Vera", "Wim", "Yusuf"]
LAST = ["Okafor", "Dijkstra", "Ferreira", "Lindqvist", "Amsel", "Whitcombe", "Kalani", "Mendel", "Brandt",
        "Patel", "Holm", "Varga", "Reyes", "Demir", "Lund", "Marr", "Voss", "Ruiz", "Kuyper", "Grieve"]
ROLES = ["Professor", "Senator", "Councillor", "Minister", "Dr.", "Activist", "Economist", "Mayor",
         "Campaigner", "Commentator", "Analyst", "Bishop"]
CLAIM_FORMS = ["{who} argued that {s}.", "{who} said that {s}.", "According to {who}, {s}.", "{who} insisted that {s}.",
               "{who} told reporters that {s}."]
PERSP_FORMS = ["{who} said that {s}.", "{who} argued that {s}.", "According to {who}, {s}.",
               "“{S},” {who} said.", "{who} wrote that {s}.", "{who} believes that {s}."]


def _sentence(t: str, proper: set[str]) -> str:
    t = re.sub(r"\s+", " ", t).strip().rstrip(".!;: ")
    first = t.split(" ", 1)[0]
    if first not in proper and first[1:].islower():
        t = first.lower() + t[len(first) :]
    return t


def build(folder: Path, seed: int = 7) -> list[dict]:
    rows = load(folder, "dev")
    rng = random.Random(seed)
    # a first word kept capitalised: one seen capitalised inside a sentence and never lower-case
    caps, lower = set(), set()
    for r in rows:
        for t in [r["text"], *(x for p in r["perspectives"] for x in p["texts"])]:
            words = t.split()
            for prev, w in zip(words, words[1:]):
                if w.islower():
                    lower.add(w)
                elif w[:1].isupper() and not prev.endswith((".", "!", "?", ":")):
                    caps.add(w)
    proper = (caps - {w.capitalize() for w in lower}) | {"I"}
    people = [f"{r} {f} {l}" for r in ROLES for f in FIRST for l in LAST]
    rng.shuffle(people)
    pools: dict[str, list[tuple[dict, str]]] = {"disagree": [], "agree": []}
    for r in rows:
        for p in r["perspectives"]:
            lab = "disagree" if p["stance_label_3"] == "UNDERMINE" else "agree"
            pools[lab].append((r, rng.choice(p["texts"])))
    items = []
    for lab in ("disagree", "agree"):
        for r, t in rng.sample(pools[lab], N[lab]):
            items.append((r, t, lab))
    for _ in range(N["unrelated"]):
        r = rng.choice(rows)
        others = [o for o in rows if o is not r and not set(o.get("topics") or []) & set(r.get("topics") or [])]
        o = rng.choice(others)
        items.append((r, rng.choice(rng.choice(o["perspectives"])["texts"]), "unrelated"))
    rng.shuffle(items)
    out = []
    for k, (r, t, lab) in enumerate(items):
        a_who, b_who = people[(2 * k) % len(people)], people[(2 * k + 1) % len(people)]
        c, s = _sentence(r["text"], proper), _sentence(t, proper)
        a = rng.choice(CLAIM_FORMS).format(who=a_who, s=c)
        form = rng.choice(PERSP_FORMS)
        b = form.format(who=b_who, s=s, S=s[:1].upper() + s[1:])
        out.append({"id": f"pd{k + 1:03d}", "a": a[:1].upper() + a[1:], "b": b[:1].upper() + b[1:], "label": lab, "claim": r["cId"]})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("perspectrum", help="folder with PERSPECTRUM's dev.jsonl")
    ap.add_argument("--out", default=None, help="where to write (default: the package's eval/positions_set/)")
    a = ap.parse_args(argv)
    out = Path(a.out) if a.out else Path(__file__).resolve().parent.parent / "eval" / "positions_set" / "perspectrum_dev.jsonl"
    items = build(Path(a.perspectrum))
    out.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in items), "utf-8")
    print(f"wrote {len(items)} items to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
