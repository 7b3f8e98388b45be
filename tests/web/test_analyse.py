"""The analyse form: paste, upload, JSON, the size cap, and storing with --allow-write."""

from __future__ import annotations

from saidwho.web.forms import MAX_TEXT_BYTES

from .conftest import csrf_token

TEXT = ("\u201cThe harbour bridge will close in May,\u201d Anna Okafor said. "
        "Ben Lindqvist said that the bridge will stay open all summer.")


def test_paste_shows_the_article_at_once(client):
    r = client.post("/analyse", data={"form": "1", "text": TEXT, "positions": "1"})
    assert r.status_code == 200
    t = r.text
    assert "Analysed now" in t and "not stored" in t
    assert t.count('class="hl hl-source') >= 2 and "hl-cue" in t and "hl-content" in t
    assert "Anna Okafor" in t and "Ben Lindqvist" in t
    assert 'class="badge disagree"' in t  # the (fake) positions analysis ran


def test_paste_without_positions(client):
    r = client.post("/analyse", data={"form": "1", "text": TEXT})  # checkbox not ticked
    assert r.status_code == 200 and 'class="badge disagree"' not in r.text and "Not analysed" in r.text


def test_multipart_paste_and_txt_upload(client):
    r = client.post("/analyse", data={"form": "1", "text": ""},
                    files={"file": ("news.txt", TEXT.encode("utf-8"), "text/plain")})
    assert r.status_code == 200 and "Anna Okafor" in r.text and "hl-source" in r.text


def test_html_upload(client):
    page = ("<html><head><title>Bridge row</title></head><body><nav>Home | News</nav><article><h1>Bridge row</h1>"
            f"<p>{TEXT}</p><p>The council meets again on Friday to discuss the harbour plans and the budget.</p>"
            "</article></body></html>")
    r = client.post("/analyse", files={"file": ("page.html", page.encode(), "text/html")}, data={"form": "1"})
    assert r.status_code == 200, r.text
    assert "Anna Okafor" in r.text and "hl-source" in r.text and "Home | News" not in r.text


def test_api_analyse_json(client):
    j = client.post("/api/analyse", json={"text": TEXT, "title": "Bridge", "outlet": "Coast Herald"}).json()
    assert j["stored"] is None and len(j["attributions"]) == 2
    assert j["attributions"][0]["speaker"]["name"] == "Anna Okafor"
    assert j["attributions"][0]["chain"] == ["Coast Herald", "Anna Okafor"]
    assert j["disagreements"] and j["meta"]["title"] == "Bridge"
    assert j["doc"]["text_sha256"]


def test_too_large_is_refused_with_a_clear_message(client):
    big = "Anna Okafor said that the bridge will close. " * (MAX_TEXT_BYTES // 40)
    r = client.post("/analyse", files={"file": ("big.txt", big.encode(), "text/plain")}, data={"form": "1"})
    assert r.status_code == 413
    assert "too large" in r.text and "limit is 2 MB" in r.text
    j = client.post("/api/analyse", json={"text": big})
    assert j.status_code == 413 and "limit is 2 MB" in j.json()["message"]
    huge = b"x" * (7 * MAX_TEXT_BYTES)
    r = client.post("/api/analyse", content=huge, headers={"content-type": "text/plain"})
    assert r.status_code == 413


def test_bad_inputs_give_400(client):
    r = client.post("/analyse", data={"form": "1", "text": "   "})
    assert r.status_code == 400 and "Paste a text" in r.text and 'role="alert"' in r.text
    r = client.post("/analyse", files={"file": ("x.txt", b"\xff\xfe\x00bad", "text/plain")}, data={"form": "1"})
    assert r.status_code == 400 and "Traceback" not in r.text
    r = client.post("/analyse", files={"file": ("x.pdf", b"%PDF-1.4", "application/pdf")}, data={"form": "1"})
    assert r.status_code == 415
    assert client.post("/api/analyse", content=b"{not json", headers={"content-type": "application/json"}
                       ).status_code == 400
    assert client.post("/api/analyse", json=["a list"]).status_code == 400
    assert client.post("/api/analyse", content=b"text=x", headers={"content-type": "image/png"}).status_code == 415
    assert client.post("/api/analyse", json={"text": TEXT, "published": "not a date"}).status_code == 400


def test_store_with_allow_write(rw_client):
    before = rw_client.get("/api/").json()["stats"]["articles"]
    r = rw_client.get("/analyse")
    assert 'name="store"' in r.text
    r = rw_client.post("/analyse", data={"form": "1", "text": TEXT, "store": "1", "title": "Bridge row",
                                         "outlet": "Coast Herald", "published": "2024-04-01",
                                         "csrf": csrf_token(rw_client)},
                       follow_redirects=False)
    assert r.status_code == 303
    loc = r.headers["location"]
    assert loc.startswith("/articles/")
    page = rw_client.get(loc)
    assert page.status_code == 200 and "Bridge row" in page.text and "hl-source" in page.text
    assert rw_client.get("/api/").json()["stats"]["articles"] == before + 1
    # the same text again is not stored twice
    j = rw_client.post("/api/analyse", json={"text": TEXT, "store": True, "title": "Bridge row"}).json()
    assert rw_client.get("/api/").json()["stats"]["articles"] in (before + 1, before + 2)
    assert j["stored"]
    # and it is searchable at once
    assert rw_client.get("/api/search?q=summer&outlet=Coast Herald").json()["pagination"]["total"] >= 1


def test_store_button_after_paste(rw_client):
    text = "\n  " + TEXT + "\n"
    r = rw_client.post("/analyse", data={"form": "1", "text": text, "title": "Kept"})
    assert r.status_code == 200 and 'id="store-btn"' in r.text
    import re

    kept = re.search(r'<textarea name="text"[^>]*>(.*?)</textarea>', r.text, re.S).group(1)
    import html

    assert html.unescape(kept)[1:] == text  # the browser drops the first newline
    token = re.search(r'name="csrf" value="([^"]+)"', r.text).group(1)  # the store button's form
    r = rw_client.post("/analyse", data={"form": "1", "store": "1", "text": text, "title": "Kept", "csrf": token},
                       follow_redirects=True)
    assert r.status_code == 200 and "<h1>Kept</h1>" in r.text
