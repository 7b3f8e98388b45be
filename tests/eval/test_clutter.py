"""Web-page clutter around PolNeAR articles: the gold keeps its text at the new offsets, the
clutter is drawn from the seed, and ``saidwho eval polnear --clutter`` reports both texts."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from saidwho.cli import cli
from saidwho.eval.clutter import CLUTTER_KINDS, apply_edits, clutter_article, in_clutter, map_fragment
from saidwho.eval.polnear import GoldArticle, GoldAttribution, load_split

REPO = Path(__file__).resolve().parents[2]

TEXT = (
    "Mayor Says Park Will Be Built.\n\n"
    "The city will build a park by the river, Mayor Maria Reyes said on Monday.\n\n"
    "“This harbour kept our grandparents fed,” Reyes said. “It can keep our children employed.”\n\n"
    "Council member Tom Walsh disagreed. Walsh said the money should go to schools.\n\n"
    "The council will vote next week, officials said.\n\n"
    "Reyes said she expects the plan to pass.\n\n"
    "Residents have mixed views.\n"
)


def _span(needle: str, nth: int = 0) -> tuple[int, int]:
    start = [m.start() for m in re.finditer(re.escape(needle), TEXT)][nth]
    return (start, start + len(needle))


ARTICLE = GoldArticle(
    "a1",
    TEXT,
    "x",
    (
        GoldAttribution((_span("Mayor"),), (_span("Says"),), (_span("Park Will Be Built"),)),
        GoldAttribution((_span("Mayor Maria Reyes"),), (_span("said"),), (_span("The city will build a park by the river"),)),
        GoldAttribution((_span("Reyes", 1),), (_span("said", 1),), (_span("“This harbour kept our grandparents fed,”"), _span("“It can keep our children employed.”"))),
        GoldAttribution((), (_span("officials said"),), (_span("The council will vote next week"),)),
    ),
)


def _texts(article: GoldArticle) -> list[str]:
    return [article.text[s:e] for g in article.attributions for role in (g.source, g.cue, g.content) for s, e in role]


def test_gold_text_unchanged_and_clutter_outside_it():
    for seed in range(20):
        c = clutter_article(ARTICLE, seed)
        assert _texts(c.article) == _texts(ARTICLE)
        for g in c.article.attributions:
            for role in (g.source, g.cue, g.content):
                assert not in_clutter(role, c.clutter)
        assert len(c.article.text) > len(TEXT) + 100
        assert len(c.kinds) == len(c.clutter) and {"byline", "date", "footer"} <= set(c.kinds) <= set(CLUTTER_KINDS)
        footer = c.clutter[c.kinds.index("footer")]
        assert c.article.text[footer[0] : footer[1]].rstrip().endswith(("reserved.", "redistributed.", "Example Media", "Ledger", "Group", "Report", "Inc"))


def test_same_seed_same_page_other_seed_other_page():
    assert clutter_article(ARTICLE, 3).article == clutter_article(ARTICLE, 3).article
    assert len({clutter_article(ARTICLE, s).article.text for s in range(10)}) == 10


def test_the_page_has_the_clutter_of_real_pages():
    pages = [clutter_article(ARTICLE, s).article.text for s in range(40)]
    first_lines = {p.split("\n", 1)[0] for p in pages}
    assert first_lines == {"Mayor Says Park Will Be Built"}  # the headline, its period gone
    joined = "\n".join(pages)
    for pattern in (
        r"\nBy [A-Z]", r"(Updated|Published|Posted|Last Updated)", r"\n[A-Z][A-Z .,]+(\([A-Za-z]+\))? [—–-]+ The city will build",
        r"\(AP Photo/", r"Photograph: ", r"(Read more|Related|RELATED|SEE ALSO): ", r"\[Read: ", r" says ",
        r"Share this article|Share on Facebook", r"Sign up", r"©|Copyright",
    ):
        assert re.search(pattern, joined), pattern
    # several wordings of each: bylines and footers vary with the seed
    assert len({p.split("\n\n")[1] for p in pages}) > 5
    assert len({p.rstrip().rsplit("\n", 1)[-1] for p in pages}) >= 3


def test_offsets_move_around_insertions_and_deletions():
    text = "ab.cd"
    new, start_map, end_map, spans = apply_edits(text, {3: ["XX"]}, {2})
    assert new == "abXXcd" and spans == [(2, 4)]
    assert map_fragment((0, 2), start_map, end_map) == (0, 2)  # ends where the clutter begins
    assert map_fragment((3, 5), start_map, end_map) == (4, 6)  # starts after it
    assert map_fragment((3, 3), start_map, end_map) == (4, 4)


def test_a_gold_period_in_the_headline_stays():
    text = "Trump says he will win.\n\nHe said so on Monday.\n"
    art = GoldArticle("h", text, None, (GoldAttribution((), ((6, 10),), ((11, 23),)),))
    c = clutter_article(art, 0)
    assert c.article.text.startswith("Trump says he will win.\n")
    assert _texts(c.article) == _texts(art)


def _corpus() -> Path | None:
    env = os.environ.get("SAIDWHO_POLNEAR")
    cand = Path(env) if env else REPO.parent / "shared" / "polnear"
    return cand if (cand / "metadata.tsv").is_file() else None


def test_every_dev_article_keeps_its_gold_text():
    root = _corpus()
    if root is None:
        if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
            pytest.fail("PolNeAR not found")
        pytest.skip("PolNeAR not found: set SAIDWHO_POLNEAR or put it at ../shared/polnear")
    articles = load_split(root, "dev")
    assert len(articles) == 84
    for a in articles:
        for seed in (0, 1):
            c = clutter_article(a, seed)
            assert _texts(c.article) == _texts(a), a.id
            assert all(not in_clutter(role, c.clutter) for g in c.article.attributions for role in (g.source, g.cue, g.content)), a.id
            assert c.article.text != a.text


def test_cli_clutter_reports_clean_and_cluttered(tiny_corpus: Path, engine, monkeypatch, tmp_path: Path):
    monkeypatch.setattr("saidwho.engine.Engine", lambda *a, **k: engine)
    runner = CliRunner(mix_stderr=False)
    sys_out, gold_out = tmp_path / "sys.jsonl", tmp_path / "gold.jsonl"
    args = ["eval", "polnear", str(tiny_corpus), "--clutter", "--clutter-seed", "5", "--json", "--system-out", str(sys_out), "--gold-out", str(gold_out)]
    res = runner.invoke(cli, args)
    assert res.exit_code == 0, res.stderr
    data = json.loads(res.stdout)
    c = data["clutter"]
    assert c["seed"] == 5 and c["system_cluttered"] == data["system"] and c["system_clean"] == data["clean"]["system"]
    assert sum(c["cue_in_clutter_by_kind"].values()) == c["cue_in_clutter"]
    assert c["ratio"] == pytest.approx(c["system_cluttered"] / c["system_clean"], abs=1e-6)
    assert set(data["clean"]["headline"]) == set(data["headline"])
    assert data["gold"] == data["clean"]["gold"] == 5
    golds = [json.loads(x) for x in gold_out.read_text(encoding="utf-8").splitlines()]
    clean = {a.id: a for a in load_split(tiny_corpus, "dev")}
    for g in golds:
        orig = clean[g["id"]]
        assert g["text"] != orig.text
        assert [g["text"][s:e] for a in g["attributions"] for r in ("source", "cue", "content") for s, e in a[r]] == _texts(orig)
    systems = [json.loads(x) for x in sys_out.read_text(encoding="utf-8").splitlines()]
    assert sum(len(x["attributions"]) for x in systems) == data["system"]
    table = runner.invoke(cli, ["eval", "polnear", str(tiny_corpus), "--clutter"])
    assert table.exit_code == 0 and "with web clutter" in table.stdout and "ratio" in table.stdout
