"""Where content overlap is lost: each unmatched gold and system content, given one reason.

The scorer says how many contents were missed; this module says why, in the scorer's own
terms (normalised values, one-to-one matching at token Jaccard 0.5), so that the two always add
up: the missed gold contents are exactly ``n_gold - tp_gold`` of overlap content, the wrong
system contents exactly ``n_sys - tp_sys``. The reasons point at a stage of the engine:

Missed gold contents

* ``no system cue``: no attribution of the engine, top-level or nested, has a cue that
  overlaps the gold cue. Cue recall: the tagger never offered one.
* ``cue nested``: only a nested attribution does. PolNeAR gives each token one role, so the
  gold attribution is top-level and the engine's enclosing content runs over it.
* ``content extent``: a top-level attribution with an overlapping cue has a content that
  shares tokens with the gold one, but not enough (or the pair went to a better match).
* ``content elsewhere``: the cue was found, but its content shares no token with the gold one
  (a role tagging or linking error, or no content at all).
* ``no gold cue``: the gold content has no cue to look for (PolNeAR has a few such events).

Wrong system contents

* ``extent``: shares tokens with a gold content that stayed unmatched: the other side of a
  ``content extent`` miss.
* ``beside a matched gold``: shares tokens only with gold contents matched to something else
  (a split or doubled attribution).
* ``spurious``: shares no token with any gold content: an attribution PolNeAR does not have.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .scorer import TAU, Tokens, greedy_match, jaccard, normalise

#: The reasons, in the order they are reported.
GOLD_REASONS = ("no system cue", "cue nested", "content extent", "content elsewhere", "no gold cue")
SYSTEM_REASONS = ("extent", "beside a matched gold", "spurious")


def _overlap(a: Iterable[Sequence[int]], b: Iterable[Sequence[int]]) -> bool:
    return any(x[0] < y[1] and y[0] < x[1] for x in a for y in b)


def content_errors(
    text: str,
    gold: Sequence[Mapping[str, Any]],
    system: Sequence[Mapping[str, Any]],
    nested: Sequence[Mapping[str, Any]] = (),
    tau: float = TAU,
) -> dict[str, Counter]:
    """``{"gold": Counter(reason), "system": Counter(reason)}`` for one article.

    ``gold`` and ``system`` are attributions as the scorer takes them (``source``/``cue``/
    ``content`` fragment lists, character offsets into ``text``); ``nested`` are the engine's
    attributions that have a parent, which the scorer leaves out."""
    toks = Tokens(text)

    def values(atts: Iterable[Mapping[str, Any]]) -> dict[tuple, list[Mapping[str, Any]]]:
        out: dict[tuple, list[Mapping[str, Any]]] = {}
        for a in atts:
            v = normalise(text, a.get("content") or ())
            if v:
                out.setdefault(v, []).append(a)
        return out

    g_by, s_by = values(gold), values(system)
    g_vals, s_vals = sorted(g_by), sorted(s_by)
    g_tok = [toks.indices(v) for v in g_vals]
    s_tok = [toks.indices(v) for v in s_vals]
    pairs = greedy_match(g_tok, s_tok, jaccard, tau)
    g_hit, s_hit = {g for g, _ in pairs}, {s for _, s in pairs}

    missed: Counter = Counter()
    for gi, v in enumerate(g_vals):
        if gi in g_hit:
            continue
        cues = [f for a in g_by[v] for f in (a.get("cue") or ())]
        if not cues:
            missed["no gold cue"] += 1
            continue
        tops = [si for si, sv in enumerate(s_vals) if any(_overlap(cues, a.get("cue") or ()) for a in s_by[sv])]
        no_content = [a for a in system if not normalise(text, a.get("content") or ()) and _overlap(cues, a.get("cue") or ())]
        if not tops and not no_content:
            if any(_overlap(cues, a.get("cue") or ()) for a in nested):
                missed["cue nested"] += 1
            else:
                missed["no system cue"] += 1
        elif any(g_tok[gi] & s_tok[si] for si in tops):
            missed["content extent"] += 1
        else:
            missed["content elsewhere"] += 1

    wrong: Counter = Counter()
    for si in range(len(s_vals)):
        if si in s_hit:
            continue
        touched = [gi for gi in range(len(g_vals)) if g_tok[gi] & s_tok[si]]
        if any(gi not in g_hit for gi in touched):
            wrong["extent"] += 1
        elif touched:
            wrong["beside a matched gold"] += 1
        else:
            wrong["spurious"] += 1
    return {"gold": missed, "system": wrong}


class ErrorTally:
    """Sums :func:`content_errors` over articles."""

    def __init__(self) -> None:
        self.gold: Counter = Counter()
        self.system: Counter = Counter()

    def add(self, text: str, gold, system, nested=()) -> None:
        res = content_errors(text, gold, system, nested)
        self.gold.update(res["gold"])
        self.system.update(res["system"])

    def result(self) -> dict[str, dict[str, int]]:
        """Every reason with its count (0 included), in report order."""
        return {
            "missed_gold": {r: self.gold.get(r, 0) for r in GOLD_REASONS},
            "wrong_system": {r: self.system.get(r, 0) for r in SYSTEM_REASONS},
        }


def format_errors(errors: Mapping[str, Mapping[str, int]]) -> str:
    """The tally as a short terminal table."""
    lines = ["WHERE CONTENT OVERLAP IS LOST (one reason per unmatched content)"]
    for key, title in (("missed_gold", "missed gold contents"), ("wrong_system", "wrong system contents")):
        counts = errors[key]
        total = sum(counts.values())
        lines.append(f"  {title}: {total}")
        for reason, n in counts.items():
            share = 100 * n / total if total else 0.0
            lines.append(f"    {reason:<24}{n:>6}  {share:5.1f}%")
    return "\n".join(lines)
