"""``saidwho eval realpages``: the text scorer on small synthetic pages, the gold reader, the
command's one-line errors, and (slow) the whole HTML path on two real dev pages."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from saidwho.cli import cli
from saidwho.eval.realpages import (
    RealPagesError,
    SysItem,
    evaluate_realpages,
    load_gold,
    load_splits,
    normalise,
    parse_gold,
    score_page,
    speaker_right,
    token_f1,
)

REPO = Path(__file__).resolve().parents[2]
BRIEF_DEV = {
    "abc13.com-Copperfield", "bbc.com.52241221", "cbsnews.com.carolina", "gothamist.com-plagues",
    "haitiantimes.com-family", "kaieteurnewsonline.com-essequibo", "metrotimes.com-Mezcal",
    "newsday.co.tt-forex", "politico.com.retirement", "theintercept.com-Gaza",
    "ticotimes.net-migration", "tribune242.com-gunned",
}


def gold_att(i: int, content, speaker="Maria Reyes", aliases=("Reyes",), stype="person", cue="said", kind="direct", parent=None):
    return {
        "id": f"g{i}",
        "block": "body",
        "speaker": speaker,
        "speaker_aliases": list(aliases),
        "speaker_type": stype,
        "source_text": "",
        "cue": cue,
        "content": [content] if isinstance(content, str) else list(content),
        "kind": kind,
        "parent": parent,
    }


def gold_page(atts, page="en/x.html", news=True) -> dict:
    return {"page": page, "language": "en", "news": news, "title": "T", "annotated_by": "test", "notes": "", "attributions": atts}


def sys_item(content, speaker="Maria Reyes", cue="said", kind="direct") -> SysItem:
    return SysItem(speaker=speaker, speaker_type="person", cue=cue, content=content, kind=kind, sentence="", parent=False)


# ---------------------------------------------------------------- text


def test_normalise_drops_quotes_punctuation_case_and_spacing():
    assert normalise("  “This HARBOUR — kept us fed,”\n she said. ") == "this harbour kept us fed she said"
    assert normalise("Don’t") == normalise("don't") == "dont"
    assert normalise("ﬁre") == "fire"  # NFKC
    assert normalise(None) == ""


def test_token_f1_counts_repeated_tokens_once_each():
    assert token_f1(["a", "a", "b"], ["a", "b"]) == pytest.approx(0.8)
    assert token_f1([], ["a"]) == 0.0
    assert token_f1(["a"], ["b"]) == 0.0


# ---------------------------------------------------------------- scoring


def test_a_match_a_junk_attribution_and_a_miss():
    page = parse_gold(
        gold_page(
            [
                gold_att(1, ["“This harbour kept our grandparents fed,”", "“and it can keep our children employed.”"]),
                gold_att(2, "the plant will close in May", cue="announced", kind="indirect"),
            ]
        ),
        "x",
    )
    system = [
        sys_item("This harbour kept our grandparents fed … and it can keep our children employed"),
        sys_item("Governor says budget will pass", speaker=None, cue="says", kind="indirect"),  # a teaser
    ]
    tally, detail = score_page(page.items, system)
    d = tally.to_dict()
    assert (d["gold"], d["system"], d["matched"]) == (2, 2, 1)
    assert d["precision"] == 0.5 and d["recall"] == 0.5 and d["f1"] == 0.5
    assert d["speaker_accuracy"] == d["cue_accuracy"] == d["kind_accuracy"] == 1.0
    assert [s["content"] for s in detail["unmatched_system"]] == ["Governor says budget will pass"]
    assert [g["id"] for g in detail["missed_gold"]] == ["g2"]


def test_content_below_half_f1_is_no_match():
    page = parse_gold(gold_page([gold_att(1, "the city will build a new park next to the river this year")]), "x")
    tally, _ = score_page(page.items, [sys_item("the city will build")])  # 4 of 13 tokens: F1 0.47
    assert tally.matched == 0


def test_speaker_alias_null_and_lenient_types():
    named = parse_gold(gold_page([gold_att(1, "x", speaker="Maria Reyes", aliases=["Reyes", "the nurse"])]), "x").items[0]
    assert speaker_right(named, "Maria Reyes")
    assert speaker_right(named, "reyes")
    assert speaker_right(named, "The nurse")
    assert speaker_right(named, "nurse")  # a leading "the" does not count
    assert not speaker_right(named, "the")
    assert not speaker_right(named, "Reyes family")
    assert not speaker_right(named, None)
    unsourced = parse_gold(gold_page([gold_att(1, "x", speaker=None, aliases=[], stype="anonymous")]), "x").items[0]
    assert speaker_right(unsourced, None)
    assert speaker_right(unsourced, "")
    assert not speaker_right(unsourced, "officials")
    group = parse_gold(gold_page([gold_att(1, "x", speaker="US officials", aliases=[], stype="group")]), "x").items[0]
    assert speaker_right(group, "officials")  # token F1 2/3
    assert not speaker_right(group, "the agency")
    person = parse_gold(gold_page([gold_att(1, "x", speaker="Brian Manning", aliases=[], stype="person")]), "x").items[0]
    assert not speaker_right(person, "Manning")  # people need the name or an annotated alias


def test_wrong_speaker_cue_and_kind_are_counted_over_matched_pairs():
    page = parse_gold(
        gold_page([gold_att(1, "we will win", cue="told reporters"), gold_att(2, "taxes will rise", speaker=None, aliases=[], stype="anonymous", cue="it is feared", kind="belief")]),
        "x",
    )
    system = [sys_item("we will win", speaker="Tom Harper", cue="told"), sys_item("taxes will rise", speaker=None, cue="feared", kind="indirect")]
    tally, detail = score_page(page.items, system)
    d = tally.to_dict()
    assert d["matched"] == 2
    assert d["speaker_accuracy"] == 0.5  # Tom Harper is wrong; null for null is right
    assert d["cue_accuracy"] == 1.0  # "told" ~ "told reporters", "feared" ~ "it is feared"
    assert d["kind_accuracy"] == 0.5
    assert [w["speaker"] for w in detail["wrong_speaker"]] == ["Tom Harper"]


def test_matching_is_one_to_one_and_takes_the_best_pair_first():
    page = parse_gold(gold_page([gold_att(1, "the plan will fail next year"), gold_att(2, "the plan will fail")]), "x")
    # one system content, equal to the second gold: it goes there (F1 1.0), not to the first (0.8)
    tally, detail = score_page(page.items, [sys_item("the plan will fail")])
    assert tally.matched == 1
    assert [g["id"] for g in detail["missed_gold"]] == ["g1"]
    # two identical system contents cannot both take one gold
    page1 = parse_gold(gold_page([gold_att(1, "the plan will fail")]), "x")
    tally, detail = score_page(page1.items, [sys_item("the plan will fail"), sys_item("“The plan will fail.”")])
    assert (tally.matched, tally.system) == (1, 2) and len(detail["unmatched_system"]) == 1


# ---------------------------------------------------------------- gold, splits, run


def test_splits_manifest_holds_the_dev_and_test_lists():
    splits = load_splits()
    assert set(splits["dev"]) == BRIEF_DEV and len(splits["dev"]) == 12
    assert len(splits["test"]) == len(set(splits["test"])) == 12
    assert not set(splits["dev"]) & set(splits["test"])


def test_packaged_non_news_gold():
    other = [p for p in load_gold(REPO / "src/saidwho/eval/realpages_set/gold") if not p.news]
    assert sorted(p.stem for p in other) == [
        "foxyfolksy.com.buttercream", "realsimple.com.hydrangea", "reddit.com.init",
        "spiegel.de.albtraum", "stardewvalleywiki.com.penny", "zeit.de.zugverkehr",
    ]
    assert {p.stem for p in other if p.language == "de"} == {"spiegel.de.albtraum", "zeit.de.zugverkehr"}
    assert all(not p.items and p.page == f"other/{p.stem}.html" for p in other)


def test_every_packaged_gold_file_reads_and_names_its_page():
    from saidwho.eval.realpages import default_gold_dir

    pages = load_gold(default_gold_dir())
    splits = load_splits()
    assert len({p.stem for p in pages}) == len(pages)
    for p in pages:
        folder = "en" if p.news else "other"
        assert p.page == f"{folder}/{p.stem}.html", p.path
        assert Path(p.path).name == (f"{p.stem}.json" if p.news else f"other-{p.stem}.json")
        assert p.news or not p.items
        for g in p.items:
            assert g.content_text.strip() and g.kind in ("direct", "indirect", "mixed", "according_to", "belief"), (p.path, g.id)
    assert not ({p.stem for p in pages if not p.news} & (set(splits["dev"]) | set(splits["test"])))


def test_bad_gold_fields_name_the_file():
    with pytest.raises(RealPagesError, match="g.json: attribution 1: 'content'"):
        parse_gold(gold_page([{"content": 3, "cue": "said"}]), "g.json")
    with pytest.raises(RealPagesError, match="'page'"):
        parse_gold({"attributions": []}, "g.json")


HTML = """<html><head><title>Mayor backs park</title></head><body><article><h1>Mayor backs park</h1>
<p>The city council met on Tuesday to discuss the future of the old harbour district and its warehouses.</p>
<p>“This harbour kept our grandparents fed,” Mayor Maria Reyes said at the meeting on Tuesday evening.</p>
<p>Council members voted eight to one for the plan after a long debate that ran late into the night.</p>
</article></body></html>"""


class FakeEngine:
    """Returns fixed attributions for any text: the scorer and the HTML path, without a model."""

    def analyze(self, text: str, id: str = "doc"):
        from saidwho.types import Article, Attribution, Span, Speaker

        i = text.index("This harbour")
        c = text.index("said")
        spk = Speaker("s1", "Maria Reyes", "mayor", "person")
        att = Attribution("a1", "direct", Span.of(text, c, c + 4), (Span.of(text, i, i + 38),), speaker=spk)
        junk = Attribution("a2", "indirect", Span.of(text, text.index("voted"), text.index("voted") + 5), (Span.of(text, 0, 20),))
        return Article(id, text, (att, junk), (spk,))


@pytest.fixture()
def tiny_pages(tmp_path: Path) -> tuple[Path, Path]:
    pages, gold = tmp_path / "pages", tmp_path / "gold"
    (pages / "en").mkdir(parents=True)
    (pages / "other").mkdir()
    gold.mkdir()
    (pages / "en" / "ticotimes.net-migration.html").write_text(HTML, encoding="utf-8")  # a dev stem
    (pages / "en" / "wsvn.com-crash.html").write_text(HTML, encoding="utf-8")  # a test stem
    (pages / "other" / "recipe.html").write_text(HTML, encoding="utf-8")
    att = gold_att(1, "“This harbour kept our grandparents fed,”", aliases=["Reyes", "the mayor"])
    for stem in ("ticotimes.net-migration", "wsvn.com-crash"):
        (gold / f"{stem}.json").write_text(json.dumps(gold_page([att], page=f"en/{stem}.html")), encoding="utf-8")
    (gold / "other-recipe.json").write_text(json.dumps(gold_page([], page="other/recipe.html", news=False)), encoding="utf-8")
    return pages, gold


def test_run_groups_pages_and_hides_test_pages(tiny_pages):
    pages, gold = tiny_pages
    res = evaluate_realpages(pages, gold, "all", engine=FakeEngine(), errors=True)
    assert res["groups"]["dev"]["matched"] == 1 and res["groups"]["dev"]["precision"] == 0.5
    assert res["groups"]["test"]["pages"] == 1 and res["groups"]["news"]["pages"] == 2
    assert [r["page"] for r in res["pages"]] == ["en/ticotimes.net-migration.html"]  # the test page is summed only
    assert res["other"] == {"pages": 1, "system": 2, "rows": res["other"]["rows"]}
    assert len(res["pages"][0]["unmatched_system"]) == 1
    assert "abc13.com-Copperfield" in res["missing_gold"]
    dev = evaluate_realpages(pages, gold, "dev", engine=FakeEngine())
    assert set(dev["groups"]) == {"dev", "news"} and dev["other"]["pages"] == 1


# ---------------------------------------------------------------- command line



def test_cli_missing_pages_dir(runner, tmp_path: Path, one_line_error):
    one_line_error(runner.invoke(cli, ["eval", "realpages", "--pages", str(tmp_path / "absent")]), "real pages directory not found")


def test_cli_bad_gold_json(runner, tiny_pages, one_line_error):
    pages, gold = tiny_pages
    (gold / "broken.json").write_text('{"page": "en/x.html", ', encoding="utf-8")
    one_line_error(runner.invoke(cli, ["eval", "realpages", "--pages", str(pages), "--gold", str(gold)]), "broken.json", "not valid JSON")


def test_cli_missing_gold_dir_and_page(runner, tiny_pages, tmp_path: Path, one_line_error):
    pages, gold = tiny_pages
    one_line_error(runner.invoke(cli, ["eval", "realpages", "--pages", str(pages), "--gold", str(tmp_path / "nogold")]), "gold directory not found")
    (pages / "en" / "ticotimes.net-migration.html").unlink()
    one_line_error(runner.invoke(cli, ["eval", "realpages", "--pages", str(pages), "--gold", str(gold)]), "not found")


def test_cli_table_and_json(runner, tiny_pages, monkeypatch):
    pages, gold = tiny_pages
    monkeypatch.setattr("saidwho.engine.Engine", lambda *a, **k: FakeEngine())
    res = runner.invoke(cli, ["eval", "realpages", "--pages", str(pages), "--gold", str(gold), "--errors"])
    assert res.exit_code == 0, res.stderr
    for word in ("SUMMARY", "ticotimes.net-migration", "NOT ENGLISH NEWS: 2 attributions", "JUNK", "No gold yet"):
        assert word in res.stdout
    res = runner.invoke(cli, ["eval", "realpages", "--pages", str(pages), "--gold", str(gold), "--json", "--recall", "off", "--split", "test"])
    assert res.exit_code == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["recall"] == "off" and data["pages"] == [] and data["groups"]["test"]["gold"] == 1


# ---------------------------------------------------------------- the real thing


def _realpages() -> Path | None:
    env = os.environ.get("SAIDWHO_REALPAGES")
    cand = Path(env) if env else REPO.parent / "shared" / "realpages"
    return cand if (cand / "en").is_dir() else None


@pytest.mark.slow
def test_html_path_on_two_real_dev_pages(engine, tmp_path: Path):
    """Gold written for this test from two dev pages (one quotation each, read off the page):
    the extraction and the engine must find both, with their speakers."""
    root = _realpages()
    if root is None:
        pytest.skip("real pages not found: set SAIDWHO_REALPAGES or put them at ../shared/realpages")
    gold = tmp_path / "gold"
    gold.mkdir()
    pages = {
        "bbc.com.52241221": gold_att(1, "“Obviously the place we have used historically is Hart Island,”", speaker="Bill de Blasio", aliases=["he", "New York City Mayor Bill de Blasio"]),
        "ticotimes.net-migration": gold_att(
            1,
            "“We can make a profound difference in the lives of our most vulnerable fellow citizens and in the future of our region,”",
            speaker="Antony Blinken",
            aliases=["Blinken", "U.S. Secretary of State Antony Blinken"],
            cue="commented",
        ),
    }
    for stem, att in pages.items():
        (gold / f"{stem}.json").write_text(json.dumps(gold_page([att], page=f"en/{stem}.html")), encoding="utf-8")
    res = evaluate_realpages(root, gold, "dev", engine=engine, errors=True)
    assert [r["page"] for r in res["pages"]] == [f"en/{s}.html" for s in sorted(pages)]
    dev = res["groups"]["dev"]
    assert dev["gold"] == 2 and dev["matched"] == 2, res["pages"]
    assert dev["speaker_accuracy"] == 1.0, res["pages"]
    assert dev["system"] > 2  # the pages say much more than the two annotated quotations
