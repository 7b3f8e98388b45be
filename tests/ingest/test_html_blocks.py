"""HTML pages give their blocks: the page's headings, paragraphs, lists and quotations, then the
plain-text rules over the paragraphs (bylines, credits and teasers come through as <p>)."""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))  # the helpers beside this file (importlib mode)
from ingest_inputs import html_page, quote_paragraphs  # noqa: E402

from saidwho.ingest.html import extract, extract_page, read_html_page  # noqa: E402
from saidwho.ingest.runner import engine_item, read_inputs  # noqa: E402


def _page() -> str:
    paras = [
        "By Lois Lane, Staff Reporter",
        *quote_paragraphs("Mayor Jane Smith", "We will reopen the harbour"),
        "Read more: Council says the budget will pass",
        "Harbour workers on the quay on Monday. (AP Photo/Jimmy Olsen)",
    ]
    return html_page("Harbour to reopen", paras).replace(
        "</article>", "<blockquote><p>“The harbour is our future.”</p></blockquote><ul><li>The pier opens in May</li></ul></article>"
    )


def test_page_blocks_have_exact_offsets_and_kinds():
    page = extract_page(_page(), where="page.html")
    text, meta = extract(_page(), where="page.html")
    assert page.text == text and page.meta == meta  # the text and metadata are as before
    got = [(b.kind, page.text[b.start : b.end]) for b in page.blocks]
    assert got[0] == ("headline", "Harbour to reopen")
    assert got[1] == ("byline", "By Lois Lane, Staff Reporter")
    kinds = [k for k, _ in got]
    assert kinds.count("body") == 2
    assert ("teaser", "Read more: Council says the budget will pass") in got
    assert ("caption", "Harbour workers on the quay on Monday. (AP Photo/Jimmy Olsen)") in got
    assert ("quote_block", "“The harbour is our future.”") in got
    assert any(k == "list_item" and "The pier opens in May" in s for k, s in got)
    for b in page.blocks:
        piece = page.text[b.start : b.end]
        assert piece and piece == piece.strip() and "\n" not in piece


def test_ingest_carries_the_blocks_to_the_engine(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(_page(), encoding="utf-8")
    text, _meta, blocks = read_html_page(str(path))
    [raw] = list(read_inputs([str(path)]))
    assert raw.text == text and raw.blocks == blocks
    item = engine_item(raw)
    assert item[1:] == (text, blocks)


def test_attributions_of_a_page_come_from_its_body(engine):
    page = extract_page(_page(), where="page.html")
    art = engine.analyze(page.text, blocks=page.blocks)
    body = [b for b in page.blocks if b.kind in ("body", "quote_block", "list_item")]
    assert art.attributions
    for a in art.attributions:
        assert any(b.start <= a.cue.start < b.end for b in body), a.cue.text
