"""Untrusted text stays inert; nothing writes without --allow-write; no tracebacks."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from saidwho.store import ArticleMeta
from saidwho.web.app import ReadOnlyError, safe_url

from .conftest import HOSTILE, hostile_article


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict]]:
    p = _Tags()
    p.feed(html)
    return p.tags


def _assert_inert(html: str) -> None:
    tags = _tags(html)
    names = {t for t, _ in tags}
    assert "img" not in names and "b" not in names and "i" not in names
    scripts = [a for t, a in tags if t == "script"]
    # only our own scripts: the app's file and the JSON island
    assert all(a.get("src") == "/static/app.js" or a.get("type") == "application/json" for a in scripts)
    for _t, a in tags:
        for k, v in a.items():
            assert not k.startswith("on"), (k, v)
            if k in ("href", "src", "action"):
                assert not (v or "").strip().lower().startswith("javascript:"), v
    assert "<script>alert" not in html


def test_hostile_article_is_shown_as_text(client, web_corpus):
    r = client.get(f"/articles/{web_corpus[1]['hostile']}")
    assert r.status_code == 200
    html = r.text
    _assert_inert(html)
    assert "&lt;script&gt;alert('xss')&lt;/script&gt;" in html
    assert "&lt;b&gt;Evil&lt;/b&gt; Times" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "javascript:alert(3)" in html  # as text
    # the JSON island cannot end its script element early
    island = re.search(r'<script type="application/json" id="tips">(.*?)</script>', html, re.S).group(1)
    assert "<" not in island


def test_hostile_text_in_search_and_lists(client):
    for path in ("/search?q=rigged", "/search?q=evidence", "/", "/outlets/%3Cb%3EEvil%3C%2Fb%3E%20Times",
                 "/disagreements", "/speakers/Grace%20Murphy"):
        r = client.get(path)
        assert r.status_code == 200, path
        _assert_inert(r.text)


def test_hostile_paste_is_inert(client):
    r = client.post("/analyse", data={"text": HOSTILE + " \u201cNo <script>alert(5)</script>,\u201d Tara Olsen said."})
    assert r.status_code == 200
    _assert_inert(r.text)
    assert "&lt;script&gt;alert(5)&lt;/script&gt;" in r.text


def test_safe_url():
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    for bad in ("javascript:alert(1)", " JaVaScRiPt:alert(1)", "data:text/html,<b>", "vbscript:x", "//evil.org",
                "https://x.org/\"onmouseover=alert(1)", None, 5):
        assert safe_url(bad) is None


def test_read_only_server_refuses_to_store(client):
    before = client.get("/api/").json()["stats"]["articles"]
    r = client.post("/analyse", data={"form": "1", "text": "Anna Okafor said that the bridge will close.",
                                      "store": "1"})
    assert r.status_code == 403 and "--allow-write" in r.text and "Traceback" not in r.text
    j = client.post("/api/analyse", json={"text": "Anna Okafor said that the bridge will close.", "store": True})
    assert j.status_code == 403 and j.json()["status"] == 403
    assert client.get("/api/").json()["stats"]["articles"] == before


def test_read_only_guard_blocks_writes_at_the_database(app):
    store = app.state.saidwho.store
    with pytest.raises(ReadOnlyError):
        store.save_article(hostile_article(), ArticleMeta(ext_id="sneaky"))
    with pytest.raises(ReadOnlyError):
        store.merge_speakers(1, 2)


def test_no_write_routes_without_allow_write(app):
    """Only /analyse takes POST, and it stores only with --allow-write (tested above)."""
    for route in app.routes:
        methods = getattr(route, "methods", None) or set()
        if methods - {"GET", "HEAD"}:
            assert route.path in ("/analyse", "/api/analyse"), route.path


def test_server_error_page_has_no_traceback(client, monkeypatch, app):
    def boom(*a, **k):
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr(app.state.saidwho.data, "overview", boom)
    r = client.get("/")
    assert r.status_code == 500 and "Traceback" not in r.text and "secret" not in r.text
    j = client.get("/api/")
    assert j.status_code == 500 and "secret" not in j.text and j.json()["status"] == 500
