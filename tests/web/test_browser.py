"""End to end in headless Chromium (Debian's chromium, driven by Playwright for Python).

Load an article page and check the highlights and their hover and focus details; paste a
text and see its attributions; search; follow a speaker. Screenshots of the main pages go to
artifacts/screenshots/ ($SAIDWHO_SCREENSHOTS=docs/screenshots refreshes the README's). Without Chromium or Playwright these fail when CI=true and skip otherwise.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def _styles(page, selector: str) -> dict:
    return page.eval_on_selector(selector, """e => {
        const s = getComputedStyle(e), b = getComputedStyle(e, '::before');
        return {bg: s.backgroundColor, line: s.textDecorationLine, style: s.textDecorationStyle,
                color: s.textDecorationColor, label: b.content, outline: s.outlineStyle, border: s.borderTopStyle};
    }""")


def test_article_page_highlights_and_details(page, live_server, shots):
    base, ids = live_server
    page.goto(f"{base}/articles/{ids['showcase']}")
    page.wait_for_selector("#article-text .hl")

    # distinct colours AND distinct line styles AND text labels
    src, cue, content = _styles(page, "#hl-a1-source"), _styles(page, "#hl-a1-cue"), _styles(page, "#hl-a1-content")
    assert len({src["bg"], cue["bg"], content["bg"]}) == 3
    assert (src["style"], cue["style"], content["style"]) == ("solid", "double", "dotted")
    assert all("underline" in s["line"] for s in (src, cue, content))
    assert (src["label"], cue["label"], content["label"]) == ('"source"', '"cue"', '"quote"')
    claim = _styles(page, "#hl-unattributed-0")
    assert claim["style"] == "wavy" and claim["label"] == '"unsourced claim"'
    vague = _styles(page, "#hl-a4-source")
    assert vague["outline"] == "dashed" and vague["label"] == '"vague source"'
    assert _styles(page, "#hl-a2-medium")["style"] == "dashed"

    # the nested attribution is drawn inside its parent's content, boxed
    assert page.eval_on_selector("#hl-a3-content", "e => !!e.closest('[data-a=a2][data-role=content]')")
    assert page.eval_on_selector("#hl-a3-content", "e => getComputedStyle(e).borderTopStyle") == "solid"

    # hovering a highlight shows speaker, role, kind, medium and chain
    tip = page.locator("#tip")
    assert tip.is_hidden()
    page.hover("#hl-a2-source")
    tip.wait_for(state="visible")
    text = tip.inner_text()
    chain = "Daily Planet ← Coast Herald ← Ben Lindqvist"
    for want in ("Ben Lindqvist", "senator", "mixed", "the Coast Herald", chain, "confidence"):
        assert want in text, (want, text)
    page.screenshot(path=str(shots / "article.png"), full_page=True)

    page.hover("#hl-a3-source")
    text = tip.inner_text()
    assert "his staff" in text and "vague" in text and "nested in" in text and "Ben Lindqvist ← his staff" in text

    page.hover("#hl-unattributed-0")
    assert "unattributed" in tip.inner_text() and "superlative" in tip.inner_text()

    # Escape hides the details
    page.mouse.move(5, 5)
    page.focus("#hl-a1-cue")
    tip.wait_for(state="visible")
    page.keyboard.press("Escape")
    tip.wait_for(state="hidden")
    assert not page.dialogs  # type: ignore[attr-defined]


def test_article_page_keyboard(page, live_server):
    base, ids = live_server
    page.goto(f"{base}/articles/{ids['showcase']}")
    page.wait_for_selector("#article-text .hl")
    # tab from the legend into the text: the first highlight takes focus and shows its details
    page.focus("#article-text")  # not focusable itself: focus goes to the body, so start from the legend
    page.focus(".legend summary")
    reached = []
    for _ in range(12):
        page.keyboard.press("Tab")
        info = page.evaluate("() => [document.activeElement.id, document.activeElement.className]")
        reached.append(info[0])
        if info[0] == "hl-a1-source":
            break
    assert reached[-1] == "hl-a1-source", reached
    tip = page.locator("#tip")
    tip.wait_for(state="visible")
    assert "Anna Okafor" in tip.inner_text() and "mayor" in tip.inner_text()
    # tab order follows the text: source, cue, content
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "hl-a1-cue"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "hl-a1-content"
    assert "Anna Okafor" in tip.inner_text()
    # Enter jumps to the attribution's entry in the list
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.closest('li') && document.activeElement.closest('li').id") == "att-a1"


def test_hostile_article_is_inert_in_the_browser(page, live_server):
    base, ids = live_server
    page.goto(f"{base}/articles/{ids['hostile']}")
    page.wait_for_selector("#article-text .hl")
    text = page.inner_text("#article-text")
    assert "<script>alert('xss')</script>" in text and '<a href="javascript:alert(3)">this link</a>' in text
    assert page.locator("#article-text script, #article-text img, #article-text a, #article-text b").count() == 0
    assert page.locator("h1 img").count() == 0
    page.hover("#hl-a1-content")
    page.wait_for_timeout(100)
    assert not page.dialogs  # type: ignore[attr-defined]


def test_paste_a_text_and_see_its_attributions(page, live_server, shots):
    base, _ = live_server
    page.goto(f"{base}/analyse")
    page.fill("#text", "\u201cThe ferry will run all winter,\u201d Rosa Novak said. "
                       "Tara Olsen said that the ferry service will stop in November.")
    page.fill("#title", "Ferry plans")
    page.screenshot(path=str(shots / "analyse-form.png"), full_page=True)
    page.click("#analyse-btn")
    page.wait_for_selector("#article-text .hl-source")
    assert "Analysed now" in page.inner_text("main")
    assert page.locator("#article-text .hl-source.first").count() == 2
    assert page.locator("#article-text .hl-cue.first").count() == 2
    page.hover("#hl-a1-source")
    page.locator("#tip").wait_for(state="visible")
    assert "Rosa Novak" in page.inner_text("#tip")
    assert "Disagreements" in page.inner_text("aside") and "disagree" in page.inner_text("aside")
    page.screenshot(path=str(shots / "analyse.png"), full_page=True)
    # this server runs with --allow-write: keep the text
    page.click("#store-btn")
    page.wait_for_url("**/articles/*")
    assert page.inner_text("h1") == "Ferry plans"
    assert page.locator("#article-text .hl-source.first").count() == 2


def test_search_and_follow_a_speaker(page, live_server, shots):
    base, _ = live_server
    page.goto(base + "/")
    page.screenshot(path=str(shots / "overview.png"), full_page=True)
    page.fill("#q", "bridge")
    page.press("#q", "Enter")
    page.wait_for_url("**/search?q=bridge")
    results = page.locator("li.quote")
    assert results.count() >= 2
    assert page.locator("li.quote mark").count() >= 2
    page.screenshot(path=str(shots / "search.png"), full_page=True)
    # follow a speaker
    link = page.locator("li.quote a.speaker", has_text="Ben Lindqvist").first
    link.click()
    page.wait_for_url("**/speakers/*")
    assert page.inner_text("h1").startswith("Ben Lindqvist")
    assert page.locator("svg.timeline rect.bar").count() >= 1
    assert "Daily Planet" in page.inner_text("main")
    page.screenshot(path=str(shots / "speaker.png"), full_page=True)
    # and from there to the article, at the quote
    page.locator("li.quote .where a").first.click()
    page.wait_for_selector("#article-text .hl")
    assert "#hl-a2-cue" in page.url


def test_outlet_and_disagreements_pages(page, live_server, shots):
    base, _ = live_server
    page.goto(base + "/outlets/Daily%20Planet")
    assert "Who it quotes" in page.inner_text("main") and "vague sources" in page.inner_text("main")
    page.screenshot(path=str(shots / "outlet.png"), full_page=True)
    page.goto(base + "/disagreements")
    assert "harbour bridge" in page.inner_text("main")
    page.screenshot(path=str(shots / "disagreements.png"), full_page=True)


def test_error_pages_in_the_browser(page, live_server):
    base, _ = live_server
    r = page.goto(base + "/articles/999999")
    assert r.status == 404 and "404" in page.inner_text("h1")
    r = page.goto(base + "/search?since=soon")
    assert r.status == 400 and "since" in page.inner_text("main")


def test_labels_are_legible_and_stay_on_one_line(page, live_server):
    base, ids = live_server
    page.set_viewport_size({"width": 700, "height": 900})  # a narrow column: labels near line ends
    page.goto(f"{base}/articles/{ids['showcase']}")
    page.wait_for_selector("#article-text .hl")
    labels = page.eval_on_selector_all("#article-text .hl.first", """els => els.map(e => {
        const b = getComputedStyle(e, '::before');
        return {id: e.id, size: parseFloat(b.fontSize), ws: b.whiteSpace, display: b.display, content: b.content};
    })""")
    assert labels and all(x["size"] >= 12 for x in labels), labels
    assert all(x["ws"] == "nowrap" and x["display"] == "inline-block" for x in labels if x["content"] != "none")
    key = page.eval_on_selector_all(".legend .sample", "els => els.map(e => parseFloat(getComputedStyle(e, '::before').fontSize))")
    assert key and min(key) >= 12
    # dates never break inside ("2016-10-/07")
    page.goto(f"{base}/")
    assert set(page.eval_on_selector_all("td.date, time", "els => els.map(e => getComputedStyle(e).whiteSpace)")) == {"nowrap"}


def test_a_deep_link_shows_the_quote_with_its_context(page, live_server):
    base, ids = live_server
    page.goto(f"{base}/articles/{ids['showcase']}#hl-a5-cue")
    page.wait_for_selector("#article-text .hl")
    page.wait_for_timeout(200)
    top = page.eval_on_selector("#hl-a5-cue", "e => e.getBoundingClientRect().top")
    assert 150 < top < 900 - 100, top  # not at the top edge: the lines before it are in view
    assert page.evaluate("document.activeElement.id") == "hl-a5-cue"
    assert page.locator("#tip").is_visible()


def test_following_a_highlight_updates_the_address(page, live_server):
    base, ids = live_server
    page.goto(f"{base}/articles/{ids['showcase']}")
    page.wait_for_selector("#article-text .hl")
    page.click("#hl-a4-source")
    assert page.url.endswith("#hl-a4-source")
    page.focus("#hl-a1-content")
    page.keyboard.press("Enter")
    assert page.url.endswith("#hl-a1-content")
    page.click('#att-a3 a.jump')
    assert page.url.endswith("#hl-a3-cue")


def test_skip_to_the_attributions(page, live_server):
    base, ids = live_server
    page.goto(f"{base}/articles/{ids['showcase']}")
    page.wait_for_selector("#article-text .hl")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the attributions"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "attributions"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('li') && document.activeElement.closest('li').id") == "att-a1"


def test_disagreements_page_reads_versus_and_links_both_sides(page, live_server):
    base, ids = live_server
    page.goto(base + "/disagreements")
    vs = page.locator(".pair .vs").first
    assert vs.get_attribute("aria-hidden") is None and vs.is_visible()
    page.locator("li.disagree a.said").nth(1).click()
    page.wait_for_selector("#article-text .hl")
    assert page.url.endswith("#hl-a3-content")
    assert page.evaluate("document.activeElement.id") == "hl-a3-content"
