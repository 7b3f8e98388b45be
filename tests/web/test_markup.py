"""Highlight markup from offsets: escaping, nesting, crossing spans, well-formedness."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from saidwho.web.data import article_view, json_island, marks_for, timeline
from saidwho.web.markup import Mark, highlight_words, render
from saidwho.web.svg import timeline_svg

from .conftest import showcase_article


class _Checker(HTMLParser):
    """Collects the tags and checks they nest properly; rebuilds the text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.ok = True

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.ok = False

    def handle_data(self, data):
        self.text.append(data)


def check(html: str) -> _Checker:
    c = _Checker()
    c.feed(html)
    c.close()
    assert c.ok and not c.stack, html
    return c


def test_plain_text_is_escaped():
    out = str(render("a <b>x</b> & \"q\"", []))
    assert out == "a &lt;b&gt;x&lt;/b&gt; &amp; \"q\""


def test_marks_nest_and_text_is_unchanged():
    text = "Ann said that Bob told her \"it is over\" today."
    outer = text.index("that")
    inner = text.index("\"it")
    marks = [
        Mark(0, 3, "source", "a1"),
        Mark(4, 8, "cue", "a1"),
        Mark(outer, text.index(" today"), "content", "a1"),
        Mark(inner, text.index(" today"), "content", "a2", ("nested",), depth=1),
    ]
    html = str(render(text, marks))
    c = check(html)
    assert "".join(c.text) == text
    # the nested content is inside the parent's content span
    a1 = html.index('id="hl-a1-content"')
    a2 = html.index('id="hl-a2-content"')
    assert a1 < a2 < html.index("</span>", a2)
    assert "depth-1" in html


def test_crossing_spans_are_split_and_well_formed():
    text = "0123456789"
    html = str(render(text, [Mark(0, 6, "content", "a1"), Mark(3, 9, "content", "a2")]))
    c = check(html)
    assert "".join(c.text) == text
    spans = [a for t, a in c.tags if t == "span"]
    # a2 is opened twice (a continuation fragment), only its first fragment is focusable
    a2 = [s for s in spans if s["data-a"] == "a2"]
    assert len(a2) == 2
    assert [s.get("tabindex") for s in a2] == ["0", None]
    assert "cont" in a2[1]["class"]


def test_attribute_values_are_escaped():
    html = str(render("abc", [Mark(0, 3, "source", 'a"1<', title='x" onmouseover="alert(1)')]))
    check(html)
    assert 'onmouseover="alert' not in html
    assert "&quot;" in html


def test_out_of_range_and_empty_marks_are_ignored():
    html = str(render("abc", [Mark(2, 99, "cue", "a1"), Mark(1, 1, "cue", "a2"), Mark(-5, 1, "source", "a3")]))
    c = check(html)
    assert "".join(c.text) == "abc"
    assert "a2" not in html


def test_highlight_words_escapes():
    out = str(highlight_words("<b>Budget</b> budgets & tax", ["budget"]))
    assert out.count("<mark>") == 2 and "&lt;b&gt;" in out


def test_json_island_cannot_close_the_script():
    s = json_island({"x": "</script><script>alert(1)</script>", "y": "<!--"})
    assert "</script" not in s and "<!--" not in s


def test_article_view_of_showcase():
    art, doc = showcase_article()
    view = article_view(art.text, doc, {"outlet": "Daily Planet"})
    by = {a["id"]: a for a in view["attributions"]}
    assert by["a3"]["parent"] == "a2" and by["a3"]["depth"] == 1 and by["a2"]["children"] == ["a3"]
    assert by["a3"]["vague"] and by["a4"]["vague"] and not by["a1"]["vague"]
    assert by["a2"]["medium"] == "the Coast Herald"
    assert by["a3"]["chain"][-2:] == ["Ben Lindqvist", "his staff"]
    assert len(view["disagreements"]) == 1 and view["disagreements"][0]["a"]["actor"] == "Anna Okafor"
    assert view["unattributed"][0]["reason"] == "number, superlative"
    html = str(render(art.text, marks_for(view)))
    c = check(html)
    assert "".join(c.text) == art.text
    for role in ("source", "cue", "content", "medium", "unattributed"):
        assert f"hl-{role}" in html


def test_chain_fallback_without_analysis():
    art, _ = showcase_article()
    view = article_view(art.text, art.to_dict(), {"outlet": "Daily Planet"})
    by = {a["id"]: a for a in view["attributions"]}
    assert by["a2"]["chain"] == ["Daily Planet", "the Coast Herald", "Ben Lindqvist"]
    assert by["a3"]["chain"] == ["Daily Planet", "the Coast Herald", "Ben Lindqvist", "his staff"]
    # vague from the speaker type when the document has no flags
    assert by["a3"]["vague"] and not by["a1"]["vague"]
    assert not view["analysed"]


def test_timeline_bins_and_svg():
    tl = timeline([("2024-01", 3), ("2024-03", 1), (None, 2)])
    assert [b["count"] for b in tl["bins"]] == [3, 0, 1] and tl["undated"] == 2 and tl["unit"] == "month"
    svg = str(timeline_svg(tl))
    assert svg.count("<rect") == 3 and "<title" in svg and "style=" not in svg
    years = timeline([("2010-01", 1), ("2020-06", 4)])
    assert years["unit"] == "year" and len(years["bins"]) == 11
    assert str(timeline_svg(timeline([]))) == ""


def test_chain_fallback_names_an_unnamed_source_as_the_analysis_does():
    from saidwho.analysis.chains import UNNAMED

    text = "The bridge will close, it was said."
    doc = {"id": "u", "text_sha256": "", "speakers": [], "attributions": [
        {"id": "a1", "kind": "indirect", "cue": {"start": 26, "end": 34, "text": "was said"},
         "content": [{"start": 0, "end": 21, "text": "The bridge will close"}], "source": None, "speaker": None}]}
    view = article_view(text, doc, {"outlet": "Daily Planet"})
    assert view["attributions"][0]["chain"] == ["Daily Planet", UNNAMED] == ["Daily Planet", "(unnamed)"]


def test_one_label_where_two_ranges_of_a_part_start_together():
    """One source for two cues: the words read SOURCE once, not SOURCE SOURCE."""
    text = "Ann Lee said the bridge will close and added that the ferry stays."
    marks = [Mark(0, 7, "source", "a1", label="source"), Mark(0, 7, "source", "a2", label="source"),
             Mark(8, 12, "cue", "a1", label="cue"), Mark(38, 43, "cue", "a2", label="cue")]
    html = str(render(text, marks))
    c = check(html)
    firsts = [a for t, a in c.tags if t == "span" and "first" in a["class"].split()]
    labelled = [a["data-label"] for a in firsts if "same" not in a["class"].split()]
    assert labelled.count("source") == 1 and labelled.count("cue") == 2
    assert 'id="hl-a1-source"' in html and 'id="hl-a2-source"' in html  # both still deep-linkable


def test_a_cue_is_labelled_cue_even_for_a_vague_source():
    text = "The bridge will close, it was said."
    doc = {"id": "u", "text_sha256": "", "speakers": [], "attributions": [
        {"id": "a1", "kind": "indirect", "cue": {"start": 26, "end": 34, "text": "was said"},
         "content": [{"start": 0, "end": 21, "text": "The bridge will close"}], "source": None, "speaker": None}]}
    view = article_view(text, doc, {})
    cue = [m for m in marks_for(view) if m.role == "cue"][0]
    assert cue.label == "cue" and "vague" in cue.classes


def test_the_key_uses_the_labels_words(client, web_corpus):
    import re

    from saidwho.web.markup import LABELS

    page = client.get(f"/articles/{web_corpus[1]['showcase']}").text
    key = page.split('<details class="legend"', 1)[1].split("</details>", 1)[0]
    # each sample shows its label as the text does (class "first"), no other word for the part
    assert key.count('class="hl first hl-') == 7
    used = set(re.findall(r'data-label="([^"]+)"', page.split('id="article-text"', 1)[1]))
    assert used <= set(re.findall(r'data-label="([^"]+)"', key))
    assert set(LABELS.values()) <= set(re.findall(r'data-label="([^"]+)"', key))


@pytest.mark.parametrize("counts,ticks", [([1], ["0", "1"]), ([3], ["0", "1", "2", "3"]), ([7], ["0", "5", "10"]),
                                          ([2, 0, 1], ["0", "1", "2"])])
def test_timeline_axis_has_whole_numbers_only(counts, ticks):
    import re

    tl = timeline([(f"2024-{k + 1:02d}", n) for k, n in enumerate(counts)])
    svg = str(timeline_svg(tl))
    axis = re.findall(r'<text class="axis" x="34" [^>]*>([^<]+)</text>', svg)
    assert axis == ticks
