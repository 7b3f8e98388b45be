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


# -- writes from other sites ---------------------------------------------------------------------

STORE_FORM = {"form": "1", "text": "Anna Okafor said that the bridge will close.", "store": "1"}


def _articles(c) -> int:
    return c.get("/api/").json()["stats"]["articles"]


def test_a_form_from_another_site_cannot_store(rw_client):
    from .conftest import csrf_token

    before = _articles(rw_client)
    token = csrf_token(rw_client)
    evil = {"origin": "http://evil.example"}
    r = rw_client.post("/analyse", data={**STORE_FORM, "csrf": token}, headers=evil, follow_redirects=False)
    assert r.status_code == 403 and "another site" in r.text
    r = rw_client.post("/api/analyse", data={**STORE_FORM, "csrf": token}, headers=evil)
    assert r.status_code == 403
    r = rw_client.post("/api/analyse", json={"text": STORE_FORM["text"], "store": True}, headers=evil)
    assert r.status_code == 403
    r = rw_client.post("/analyse", data={**STORE_FORM, "csrf": token}, headers={"sec-fetch-site": "cross-site"},
                       follow_redirects=False)
    assert r.status_code == 403
    r = rw_client.post("/analyse", data={**STORE_FORM, "csrf": token},
                       headers={"origin": "null", "sec-fetch-site": "cross-site"}, follow_redirects=False)
    assert r.status_code == 403  # a sandboxed page elsewhere
    # a form without this server's token (an old page, or a page made elsewhere) is refused too
    for fields in (STORE_FORM, {**STORE_FORM, "csrf": "guessed"}):
        r = rw_client.post("/analyse", data=fields, follow_redirects=False)
        assert r.status_code == 403 and "token" in r.text
        assert rw_client.post("/api/analyse", data=fields).status_code == 403
    assert _articles(rw_client) == before
    # the same form from this server's own page stores
    r = rw_client.post("/analyse", data={**STORE_FORM, "csrf": token},
                       headers={"origin": "http://127.0.0.1:8000", "sec-fetch-site": "same-origin"},
                       follow_redirects=False)
    assert r.status_code == 303 and _articles(rw_client) == before + 1
    r = rw_client.post("/analyse", data={**STORE_FORM, "text": "Rosa Novak said that the ferry runs.", "csrf": token},
                       headers={"origin": "null", "sec-fetch-site": "same-origin"}, follow_redirects=False)
    assert r.status_code == 303 and _articles(rw_client) == before + 2
    # JSON cannot be sent across sites without CORS: the API stores without a token
    j = rw_client.post("/api/analyse", json={"text": "Ben Lindqvist said that the bridge stays open.", "store": True})
    assert j.status_code == 200 and j.json()["stored"]
    assert rw_client.get("/").headers["referrer-policy"] == "same-origin"


def test_a_foreign_host_is_refused(rw_client, client):
    before = _articles(rw_client)
    from .conftest import csrf_token

    token = csrf_token(rw_client)
    r = rw_client.post("/analyse", data={**STORE_FORM, "csrf": token}, headers={"host": "evil.example"},
                       follow_redirects=False)
    assert r.status_code == 403 and _articles(rw_client) == before
    assert client.get("/", headers={"host": "evil.example"}).status_code == 403  # DNS rebinding
    assert client.get("/api/", headers={"host": "evil.example:8000"}).status_code == 403
    for host in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000", "localhost"):
        assert client.get("/api/", headers={"host": host}).status_code == 200, host


def test_the_served_host_is_allowed(web_corpus):
    from fastapi.testclient import TestClient

    from saidwho.web import create_app

    app = create_app(web_corpus[0], hosts=("127.0.0.1", "news.example"))
    with TestClient(app, base_url="http://news.example") as c:
        assert c.get("/api/").status_code == 200
        assert c.get("/api/", headers={"host": "other.example"}).status_code == 403
    with TestClient(create_app(web_corpus[0], hosts=None), base_url="http://anything.example") as c:
        assert c.get("/api/").status_code == 200
