"""The error breakdown on hand-made gold/system pairs: one reason per unmatched content, and
the counts always add up to what the scorer leaves unmatched."""

from __future__ import annotations

from saidwho.eval.errors import ErrorTally, content_errors, format_errors
from saidwho.eval.scorer import score_article

TEXT = (
    "The mayor said the bridge will reopen in May. "
    "Engineers warned that the cables are rusting badly and need replacing soon. "
    "Residents fear more delays. "
    "A union leader claimed the budget was cut twice."
)


def at(piece: str) -> list[int]:
    start = TEXT.index(piece)
    return [start, start + len(piece)]


def att(cue: str | None, content: str, source: str | None = None) -> dict:
    return {"source": [at(source)] if source else [], "cue": [at(cue)] if cue else [], "content": [at(content)]}


GOLD = [
    att("said", "the bridge will reopen in May", "The mayor"),
    att("warned", "that the cables are rusting badly and need replacing soon", "Engineers"),
    att("fear", "more delays", "Residents"),
    att("claimed", "the budget was cut twice", "A union leader"),
]


def _check_adds_up(gold, system, res) -> None:
    c = score_article(TEXT, gold, system).counts["overlap"]["content"]
    assert sum(res["gold"].values()) == c.n_gold - c.tp_gold
    assert sum(res["system"].values()) == c.n_sys - c.tp_sys


def test_each_reason_once():
    system = [
        att("said", "the bridge will reopen in May", "The mayor"),  # right
        att("warned", "the cables", "Engineers"),  # too short: extent on both sides
        att("Residents", "fear more delays"),  # the wrong cue, but the content matches (2 of 3 tokens)
        att("budget", "cut twice"),  # a wrong cue, and a content too short for the gold one
    ]
    res = content_errors(TEXT, GOLD, system)
    _check_adds_up(GOLD, system, res)
    # "warned": cue found, content too short; "claimed": no system cue on it
    assert res["gold"] == {"content extent": 1, "no system cue": 1}
    assert res["system"] == {"extent": 2}


def test_missed_cue_nested_and_spurious():
    system = [att("said", "the bridge will reopen in May. Engineers warned that the cables", "The mayor")]
    nested = [att("warned", "that the cables", "Engineers")]
    spurious = att("need", "replacing soon")
    res = content_errors(TEXT, GOLD, system + [spurious], nested)
    _check_adds_up(GOLD, system + [spurious], res)
    assert res["gold"]["cue nested"] == 1  # "warned" is only nested in the mayor's content
    assert res["gold"]["no system cue"] == 2  # "fear", "claimed": nothing there
    # the mayor's content runs on but still matches (6 of 11 tokens); "replacing soon" lies
    # inside the engineers' gold content, which stayed unmatched
    assert res["system"] == {"extent": 1}


def test_content_elsewhere_and_no_gold_cue():
    gold = GOLD + [{"source": [], "cue": [], "content": [at("Residents fear")]}]
    system = [att("claimed", "A union leader", None)]  # the cue found, the content on the wrong side
    res = content_errors(TEXT, gold, system)
    _check_adds_up(gold, system, res)
    assert res["gold"]["content elsewhere"] == 1
    assert res["gold"]["no gold cue"] == 1
    assert res["system"]["spurious"] == 1


def test_tally_and_table():
    tally = ErrorTally()
    tally.add(TEXT, GOLD, [att("said", "the bridge will reopen in May", "The mayor")])
    tally.add(TEXT, GOLD, [])
    res = tally.result()
    assert res["missed_gold"]["no system cue"] == 3 + 4
    assert list(res["wrong_system"]) == ["extent", "beside a matched gold", "spurious"]
    table = format_errors(res)
    assert "missed gold contents: 7" in table and "wrong system contents: 0" in table
