"""Extraction's range look-ups give the answers of a scan over every range, and the rewritten
steps (set_parents, separate_contents) those of their former pairwise loops, on random input."""

import random

import pytest

from saidwho.pipeline.extraction import separate_contents, set_parents
from saidwho.pipeline.spanindex import Regions, SpanIndex, overlapping
from saidwho.speakers.names import osa
from saidwho.speakers.resolver import within_one_edit


def _regions(rng: random.Random, n: int) -> list[tuple[int, int]]:
    out, pos = [], 0
    for _ in range(n):
        a = pos + rng.randint(0, 30)
        b = a + rng.randint(1, 40)
        out.append((a, b))
        pos = b + rng.choice((0, 1, 5))
    return out


@pytest.mark.parametrize("ordered", [True, False])
def test_region_look_ups_match_a_scan(ordered):
    rng = random.Random(7)
    for _ in range(50):
        ranges = _regions(rng, rng.randint(0, 12))
        if not ordered:
            ranges += [(x, x + rng.randint(1, 60)) for x in rng.sample(range(400), 3)]
        reg = Regions(ranges)
        assert reg.ordered or not ordered
        for _ in range(40):
            a = rng.randint(-5, 420)
            b = a + rng.randint(0, 50)
            assert reg.index_of(a) == next((k for k, (x, y) in enumerate(ranges) if x <= a < y), None)
            assert reg.covers(a, b) == any(x <= a and b <= y for x, y in ranges)
            assert reg.starts_in(a, b) == any(a <= x < b for x, _ in ranges)
            assert reg.holding(a, b) == next((r for r in ranges if r[0] <= a < r[1] and b <= r[1]), None)
            assert next((r for r in reg.starting_between(a, b) if b < r[1]), None) == next(
                (r for r in ranges if a < r[0] < b < r[1]), None
            )


def test_span_index_matches_a_scan_as_ranges_come_and_go():
    rng = random.Random(3)
    index, live = SpanIndex(), []
    for step in range(600):
        if live and rng.random() < 0.3:
            x, y, o = live.pop(rng.randrange(len(live)))
            index.remove(x, y, o)
        else:
            x = rng.randint(0, 500)
            item = (x, x + rng.randint(1, 80), rng.randint(0, 9))
            live.append(item)
            index.add(*item)
        a = rng.randint(0, 560)
        b = a + rng.randint(1, 60)
        ex = rng.randint(0, 9)
        expect = sorted((x, y) for x, y, o in live if x < b and a < y and o != ex)
        assert sorted(index.overlapping(a, b, ex)) == expect
        assert sorted(overlapping(index.without(ex), a, b)) == expect
        assert sorted(overlapping([(x, y) for x, y, o in live if o != ex], a, b)) == expect


def _old_set_parents(records):
    for i, r in enumerate(records):
        a, b = r["cue"]
        best = None
        for j, o in enumerate(records):
            if j == i:
                continue
            for ca, cb in o["content"]:
                if ca <= a and b <= cb and (best is None or cb - ca < best[1]):
                    best = (j, cb - ca)
        r["parent"] = best[0] if best else None


def _old_separate_contents(text, records):
    from saidwho.pipeline.extraction import trim_chars

    for i, r in enumerate(records):
        for j, o in enumerate(records):
            if i == j or r["parent"] == j or o["parent"] == i:
                continue
            for a, b in o["content"]:
                new = []
                for x, y in r["content"]:
                    if x < b and a < y:
                        mid = (max(x, a) + min(y, b)) // 2
                        if abs(mid - r["cue"][0]) <= abs(mid - o["cue"][0]):
                            new.append((x, y))
                            continue
                        for p, q in ((x, a), (b, y)):
                            p, q = trim_chars(text, p, q) if q > p else (p, q)
                            if q > p and any(ch.isalnum() for ch in text[p:q]):
                                new.append((p, q))
                    else:
                        new.append((x, y))
                r["content"] = [list(c) for c in new]


def _records(rng: random.Random, n: int, size: int) -> list[dict]:
    out = []
    for _ in range(n):
        c = rng.randrange(size - 10)
        content = []
        for _ in range(rng.randint(1, 3)):
            x = rng.randrange(size - 5)
            content.append([x, min(size, x + rng.randint(1, 120))])
        out.append({"cue": [c, c + rng.randint(1, 6)], "content": sorted(content), "parent": None})
    return out


def test_set_parents_and_separate_contents_match_the_pairwise_loops():
    rng = random.Random(11)
    words = "the mayor said that we will win , and she added : “ no ” . \n".split(" ")
    for _ in range(60):
        text = " ".join(rng.choice(words) for _ in range(200))
        recs = _records(rng, rng.randint(0, 14), len(text))
        old = [dict(r, cue=list(r["cue"]), content=[list(c) for c in r["content"]]) for r in recs]
        set_parents(recs)
        _old_set_parents(old)
        assert recs == old
        separate_contents(text, recs)
        _old_separate_contents(text, old)
        assert recs == old


def test_one_edit_apart_is_the_alignment_distance_within_one():
    rng = random.Random(5)
    for _ in range(3000):
        a = "".join(rng.choice("abcd") for _ in range(rng.randint(0, 7)))
        b = list(a)
        for _ in range(rng.randint(0, 2)):
            op = rng.choice("sidt")
            k = rng.randint(0, len(b))
            if op == "s" and k < len(b):
                b[k] = rng.choice("abcd")
            elif op == "i":
                b.insert(k, rng.choice("abcd"))
            elif op == "d" and k < len(b):
                del b[k]
            elif op == "t" and k + 1 < len(b):
                b[k], b[k + 1] = b[k + 1], b[k]
        b = "".join(b)
        assert within_one_edit(a, b) == (osa(a, b, 1) <= 1), (a, b)
