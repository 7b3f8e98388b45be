"""The scorer on small hand-made gold/system pairs (sentences written for these tests)."""

from __future__ import annotations

import pytest

from saidwho.eval.scorer import (
    Tokens,
    greedy_match,
    is_direct,
    jaccard,
    normalise,
    quote_regions,
    score_article,
    score_corpus,
)


def at(text: str, piece: str, nth: int = 0) -> list[int]:
    """[start, end] of the nth occurrence of piece in text."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(piece, start + 1)
    return [start, start + len(piece)]


def att(source=None, cue=None, content=()):
    return {"source": [source] if source else [], "cue": [cue] if cue else [], "content": list(content)}


def figures(res, mode, name):
    c = res.counts[mode][name]
    return (c.tp_sys, c.n_sys, c.tp_gold, c.n_gold)


# ------------------------------------------------------------------ normalisation


def test_trim_strips_whitespace_quotes_and_final_stop():
    text = 'The coach said: “We never stop training.” Then he left.'
    raw = at(text, "“We never stop training.” ")
    assert normalise(text, [raw]) == (tuple(at(text, "We never stop training")),)


def test_trim_keeps_a_fragment_made_only_of_punctuation():
    text = "Verdict: guilty, says the jury."
    colon = at(text, ":")
    assert normalise(text, [colon]) == (tuple(colon),)
    # whitespace around it still goes
    assert normalise(text, [[colon[0], colon[1] + 1]]) == (tuple(colon),)


def test_fragments_sorted_and_merged_across_punctuation_only():
    text = "Rain, she said, is coming; floods, too."
    first, second = at(text, "Rain"), at(text, "is coming")
    # separated by ", she said," -> words in between: stay two fragments, sorted
    assert normalise(text, [second, first]) == (tuple(first), tuple(second))
    # separated only by "; " -> one fragment
    a, b = at(text, "is coming"), at(text, "floods")
    assert normalise(text, [b, a]) == ((a[0], b[1]),)
    # overlapping fragments merge
    assert normalise(text, [[0, 10], [5, 14]]) == ((0, 14),)


def test_empty_and_out_of_range_fragments():
    text = "Short text."
    assert normalise(text, []) == ()
    assert normalise(text, [[3, 3], [5, 6]]) == ()  # empty, then a single space
    assert normalise(text, [[6, 999]]) == ((6, 10),)


def test_tokens_and_jaccard():
    text = "Don't stop, said Ann."
    toks = Tokens(text)
    assert [text[s:e] for s, e in toks.spans] == ["Don", "'", "t", "stop", ",", "said", "Ann", "."]
    # a fragment touching part of a word takes the whole token
    assert toks.indices([(1, 2)]) == frozenset({0})
    assert toks.indices([(0, 10)]) == frozenset({0, 1, 2, 3})
    assert jaccard(frozenset({1, 2}), frozenset({2, 3})) == pytest.approx(1 / 3)
    assert jaccard(frozenset(), frozenset()) == 1.0
    assert jaccard(frozenset({1}), frozenset()) == 0.0


# ------------------------------------------------------------------ exact vs overlap

TEXT = "Officials said the new bridge will open in spring next year."


def test_exact_needs_equal_spans_overlap_tolerates_boundaries():
    gold = [att(at(TEXT, "Officials"), at(TEXT, "said"), [at(TEXT, "the new bridge will open in spring next year")])]
    system = [att(at(TEXT, "Officials"), at(TEXT, "said"), [at(TEXT, "the new bridge will open in spring")])]
    res = score_article(TEXT, gold, system)
    assert figures(res, "exact", "content") == (0, 1, 0, 1)
    assert figures(res, "overlap", "content") == (1, 1, 1, 1)
    assert figures(res, "exact", "source") == (1, 1, 1, 1)
    assert figures(res, "exact", "triple") == (0, 1, 0, 1)
    assert figures(res, "overlap", "triple") == (1, 1, 1, 1)


def test_trimming_makes_punctuation_differences_exact():
    text = 'Ann said: "Go home."'
    gold = [att(at(text, "Ann"), at(text, "said"), [at(text, "Go home")])]
    system = [att(at(text, "Ann"), at(text, "said"), [at(text, '"Go home."')])]
    res = score_article(text, gold, system)
    assert figures(res, "exact", "content") == (1, 1, 1, 1)


def test_overlap_threshold_is_half_the_token_union():
    text = "one two three four five six"
    gold = [att(None, at(text, "one"), [at(text, "two three four five")])]
    half = [att(None, at(text, "one"), [at(text, "four five six")])]  # 2 shared of 5: 0.4
    assert figures(score_article(text, gold, half), "overlap", "content") == (0, 1, 0, 1)
    exactly = [att(None, at(text, "one"), [at(text, "three four")])]  # 2 / 4 = 0.5
    assert figures(score_article(text, gold, exactly), "overlap", "content") == (1, 1, 1, 1)


def test_overlap_is_one_to_one():
    text = "Mayor Lee said taxes will rise and the budget will shrink."
    gold = [att(at(text, "Mayor Lee"), at(text, "said"), [at(text, "taxes will rise and the budget will shrink")])]
    system = [
        att(at(text, "Mayor Lee"), at(text, "said"), [at(text, "taxes will rise and the budget")]),
        att(at(text, "Lee"), at(text, "said"), [at(text, "and the budget will shrink")]),
    ]
    res = score_article(text, gold, system)
    # both system contents overlap the gold one, only one can take it
    assert figures(res, "overlap", "content") == (1, 2, 1, 1)
    assert figures(res, "overlap", "source") == (1, 2, 1, 1)
    # both system cues are the same span: one distinct item, matched
    assert figures(res, "exact", "cue") == (1, 1, 1, 1)


def test_greedy_takes_best_pairs_first():
    # gold 0 and system 0 are the best pair; system 1 can only go with gold 1
    scores = {(0, 0): 0.9, (0, 1): 0.6, (1, 0): 0.7, (1, 1): 0.55}
    pairs = greedy_match([0, 1], [0, 1], lambda g, s: scores[(g, s)])
    assert sorted(pairs) == [(0, 0), (1, 1)]
    # the first pair met is not taken unless it is the best one
    scores = {(0, 0): 0.6, (0, 1): 0.9, (1, 0): 0.8, (1, 1): 0.1}
    assert sorted(greedy_match([0, 1], [0, 1], lambda g, s: scores[(g, s)])) == [(0, 1), (1, 0)]
    # below tau never pairs
    assert greedy_match([0], [0], lambda g, s: 0.49) == []
    # a tie goes to the lower gold index
    assert greedy_match([0, 1], [0], lambda g, s: 0.8) == [(0, 0)]


def test_duplicate_values_count_once():
    text = "Sam said yes, and Sam said no."
    gold = [
        att(at(text, "Sam"), at(text, "said"), [at(text, "yes")]),
        att(at(text, "Sam"), at(text, "said"), [at(text, "yes")]),
    ]
    res = score_article(text, gold, [])
    assert figures(res, "exact", "source") == (0, 0, 0, 1)
    assert figures(res, "exact", "triple") == (0, 0, 0, 1)


def test_triples_need_every_role_and_missing_sources_agree():
    text = "It was decided, aides said, that the vote would wait."
    content = at(text, "that the vote would wait")
    gold = [att(None, at(text, "was decided"), [content])]
    same = [att(None, at(text, "was decided"), [content])]
    res = score_article(text, gold, same)
    assert figures(res, "exact", "triple") == (1, 1, 1, 1)
    assert figures(res, "overlap", "triple") == (1, 1, 1, 1)
    assert figures(res, "exact", "source") == (0, 0, 0, 0)  # no source on either side
    wrong_source = [att(at(text, "aides"), at(text, "was decided"), [content])]
    res = score_article(text, gold, wrong_source)
    assert figures(res, "exact", "triple") == (0, 1, 0, 1)
    assert figures(res, "overlap", "triple") == (0, 1, 0, 1)
    assert figures(res, "exact", "content") == (1, 1, 1, 1)
    wrong_cue = [att(None, at(text, "said"), [content])]
    assert figures(score_article(text, gold, wrong_cue), "overlap", "triple") == (0, 1, 0, 1)


def test_discontinuous_content_exact_and_overlap():
    text = "“We will appeal,” the lawyer said, “and we will win.”"
    parts = [at(text, "We will appeal"), at(text, "and we will win")]
    gold = [att(at(text, "the lawyer"), at(text, "said"), parts)]
    assert figures(score_article(text, gold, [att(at(text, "the lawyer"), at(text, "said"), parts[::-1])]), "exact", "content") == (1, 1, 1, 1)
    only_first = [att(at(text, "the lawyer"), at(text, "said"), parts[:1])]
    res = score_article(text, gold, only_first)
    assert figures(res, "exact", "content") == (0, 1, 0, 1)
    assert figures(res, "overlap", "content") == (0, 1, 0, 1)  # 3 of 7 tokens
    # one span running over the narration is not the two fragments, exactly
    whole = [att(at(text, "the lawyer"), at(text, "said"), [at(text, "We will appeal,” the lawyer said, “and we will win")])]
    assert figures(score_article(text, gold, whole), "exact", "content") == (0, 1, 0, 1)


# ------------------------------------------------------------------ direct / other


def test_quote_regions_families_nesting_and_line_breaks():
    text = 'A “b "c" d” e "f" g «h» i „j“ k “l\n“m”'
    inside = [text[s:e] for s, e in quote_regions(text)]
    assert inside == ['b "c" d', "f", "h", "j", "l", "m"]
    assert quote_regions("it's Ann's") == []  # single quotes are not quotations
    assert quote_regions("x ”y“ z") == [(5, 7)]  # a lone closer opens nothing; the “ opens to the end


def test_is_direct():
    text = "“We won,” he said. “Again,” she added. Not quoted."
    regions = quote_regions(text)
    a, b = tuple(at(text, "We won")), tuple(at(text, "Again"))
    assert is_direct((a,), regions)
    assert is_direct((a, b), regions)  # every fragment in some quotation
    assert not is_direct((a, tuple(at(text, "Not quoted"))), regions)
    assert not is_direct(((0, 1),), regions)  # a quotation mark alone is not inside
    assert not is_direct((), regions)


def test_direct_other_split_and_sides_counted_separately():
    text = "“Prices will fall soon,” the minister said. He added that wages would rise."
    direct = at(text, "Prices will fall soon")
    other = at(text, "that wages would rise")
    gold = [att(at(text, "the minister"), at(text, "said"), [direct]), att(at(text, "He"), at(text, "added"), [other])]
    # the system stretches the quote out of the marks: its item is 'other', the gold one 'direct'
    system = [att(at(text, "the minister"), at(text, "said"), [at(text, "Prices will fall soon,” the minister")])]
    res = score_article(text, gold, system)
    assert figures(res, "overlap", "content") == (1, 1, 1, 2)
    assert figures(res, "overlap", "content/direct") == (0, 0, 1, 1)
    assert figures(res, "overlap", "content/other") == (1, 1, 0, 1)
    assert figures(res, "exact", "content/direct") == (0, 0, 0, 1)
    assert figures(res, "overlap", "triple/direct") == (0, 0, 1, 1)


# ------------------------------------------------------------------ corpus level


def test_empty_everything_is_zero_not_an_error():
    res = score_corpus([("Nothing here.", [], [])])
    assert res["articles"] == 1 and res["gold"] == 0 and res["system"] == 0
    for mode in ("exact", "overlap"):
        for k in ("source", "cue", "content", "triple"):
            assert res[mode][k]["f1"] == 0.0 and res[mode][k]["n_gold"] == 0
    assert score_corpus([])["articles"] == 0


def test_no_system_output_gives_zero_precision_and_recall():
    text = "Ben said hi."
    res = score_corpus([(text, [att(at(text, "Ben"), at(text, "said"), [at(text, "hi")])], [])])
    assert res["exact"]["cue"] == {"p": 0.0, "r": 0.0, "f1": 0.0, "tp_sys": 0, "n_sys": 0, "tp_gold": 0, "n_gold": 1}


def test_micro_average_over_articles():
    t1, t2 = "Kim said go.", "Lou said stop."
    g1 = [att(at(t1, "Kim"), at(t1, "said"), [at(t1, "go")])]
    g2 = [att(at(t2, "Lou"), at(t2, "said"), [at(t2, "stop")])]
    s1 = g1
    s2 = [att(at(t2, "Lou"), at(t2, "said"), [at(t2, "Lou")]), att(None, at(t2, "stop"), [at(t2, "said")])]
    res = score_corpus([(t1, g1, s1), (t2, g2, s2)])
    c = res["exact"]["cue"]
    assert (c["tp_sys"], c["n_sys"], c["tp_gold"], c["n_gold"]) == (2, 3, 2, 2)
    assert c["p"] == pytest.approx(2 / 3) and c["r"] == 1.0 and c["f1"] == pytest.approx(0.8)
    assert res["direct"]["exact"]["content"]["n_gold"] == 0
    assert res["other"]["exact"]["content"]["n_gold"] == 2
    assert res["gold"] == 2 and res["system"] == 3


def test_triple_pairs_ranked_by_mean_role_score():
    text = " ".join(f"w{i}" for i in range(60))
    starts = [i for i in range(len(text)) if i == 0 or text[i - 1] == " "]

    def words(a: int, b: int) -> list[int]:
        return [starts[a], starts[b] + len(f"w{b}")]

    cue = words(50, 50)
    g0 = att(words(30, 36), cue, [words(7, 15)])
    g1 = att(words(30, 39), cue, [words(10, 19)])
    s0 = att(words(30, 36), cue, [words(10, 16)])  # vs g0: 1, 1, 0.6 (mean .87); vs g1: .7, 1, .7 (mean .8)
    s1 = att(words(30, 39), cue, [words(12, 21)])  # vs g1 only: 1, 1, .67 (mean .89)
    res = score_article(text, [g0, g1], [s0, s1])
    # ranking by the weakest role would pair s0-g1 first and leave s1 alone
    assert figures(res, "overlap", "triple") == (2, 2, 2, 2)
