"""Fixtures for the web app: a small pre-built corpus (no spaCy), clients, a live server and a
headless Chromium.

The corpus holds 40 generated articles and two written here: ``showcase`` (nested attribution,
a cited medium, vague sources, an unsourced claim and a disagreement in its stored positions
analysis) and ``hostile`` (markup, a script and a ``javascript:`` link in its text, title and URL).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
from saidwho.store import ArticleMeta, open_store
from saidwho.store.synth import FakeEngine, corpus
from saidwho.types import Article, Attribution, Span, Speaker

#: Where the in-process clients say they are (the app answers only to local host names).
BASE = "http://127.0.0.1:8000"

SHOWCASE = (
    "Mayor Anna Okafor said on Tuesday that the harbour bridge will close in May for repairs. "
    "In an interview with the Coast Herald, Senator Ben Lindqvist said his staff had told him "
    "\u201cthe bridge will stay open all summer.\u201d Officials said the repairs would cost $40 million.\n\n"
    "Some 400 residents signed a petition against the closure, the largest protest in the city's history. "
    "\u201cWe were never consulted,\u201d said Rosa Novak, who runs a ferry company."
)

HOSTILE = (
    "Councillor Grace Murphy said that <script>alert('xss')</script> the vote was rigged. "
    "She said <b>bold</b> claims need <img src=x onerror=alert(2)> evidence, "
    "see <a href=\"javascript:alert(3)\">this link</a> and javascript:alert(4) too."
)


def _span(text: str, needle: str, after: int = 0) -> Span:
    i = text.index(needle, after)
    return Span(i, i + len(needle), needle)


def showcase_article() -> tuple[Article, dict]:
    t = SHOWCASE
    okafor = Speaker("s1", "Anna Okafor", "mayor", "person", (_span(t, "Mayor Anna Okafor"),))
    lind = Speaker("s2", "Ben Lindqvist", "senator", "person", (_span(t, "Senator Ben Lindqvist"),))
    staff = Speaker("s3", "his staff", None, "group", (_span(t, "his staff"),))
    offs = Speaker("s4", "officials", None, "group", (_span(t, "Officials"),))
    novak = Speaker("s5", "Rosa Novak", None, "person", (_span(t, "Rosa Novak"),))
    quote = "\u201cthe bridge will stay open all summer.\u201d"
    atts = (
        Attribution("a1", "indirect", _span(t, "said"), (_span(t, "the harbour bridge will close in May for repairs"),),
                    _span(t, "Mayor Anna Okafor"), okafor),
        Attribution("a2", "mixed", _span(t, "said", t.index("Lindqvist")),
                    (_span(t, "his staff had told him " + quote),), _span(t, "Senator Ben Lindqvist"), lind,
                    medium=_span(t, "the Coast Herald")),
        Attribution("a3", "direct", _span(t, "told"), (_span(t, quote),), _span(t, "his staff"), staff, parent="a2"),
        Attribution("a4", "indirect", _span(t, "said", t.index("Officials")),
                    (_span(t, "the repairs would cost $40 million"),), _span(t, "Officials"), offs),
        Attribution("a5", "direct", _span(t, "said", t.index("consulted")),
                    (_span(t, "\u201cWe were never consulted,\u201d"),), _span(t, "Rosa Novak"), novak),
    )
    art = Article("showcase", t, atts, (okafor, lind, staff, offs, novak))
    doc = art.to_dict()
    chains = {"a1": ["Daily Planet", "Anna Okafor"], "a2": ["Daily Planet", "Coast Herald", "Ben Lindqvist"],
              "a3": ["Daily Planet", "Coast Herald", "Ben Lindqvist", "his staff"],
              "a4": ["Daily Planet", "officials"], "a5": ["Daily Planet", "Rosa Novak"]}
    for a in doc["attributions"]:
        a["vague"] = a["id"] in ("a3", "a4")
        a["chain"] = chains[a["id"]]
    p1 = _span(t, "the harbour bridge will close in May for repairs")
    p2 = _span(t, "the bridge will stay open all summer")
    doc["propositions"] = [
        {"id": "p1", "attribution": "a1", "span": p1.to_dict(), "actor": "s1", "topic": ["bridge"],
         "polarity": "against", "modality": "will"},
        {"id": "p2", "attribution": "a3", "span": p2.to_dict(), "actor": "s3", "topic": ["bridge"],
         "polarity": "for", "modality": "will"},
    ]
    doc["relations"] = [{"a": "p1", "b": "p2", "kind": "disagree", "score": 0.78}]
    claim = _span(t, "Some 400 residents signed a petition against the closure, "
                     "the largest protest in the city's history")
    doc["unattributed"] = [{"span": claim.to_dict(), "reason": "number, superlative"}]
    return art, doc


def hostile_article() -> Article:
    t = HOSTILE
    murphy = Speaker("s1", "Grace Murphy", "councillor", "person", (_span(t, "Councillor Grace Murphy"),))
    atts = (
        Attribution("a1", "indirect", _span(t, "said"),
                    (_span(t, "<script>alert('xss')</script> the vote was rigged"),),
                    _span(t, "Councillor Grace Murphy"), murphy),
        Attribution("a2", "indirect", _span(t, "said", t.index("She")),
                    (_span(t, "<b>bold</b> claims need <img src=x onerror=alert(2)> evidence"),),
                    _span(t, "She"), murphy),
    )
    return Article("hostile", t, atts, (murphy,))


def fake_enrich(article: Article, outlet: str | None = None) -> dict:
    """A stand-in for saidwho.analysis.enrich: the first two attributions of different
    speakers disagree; chains are outlet then speaker."""
    doc = article.to_dict()
    props = []
    for k, a in enumerate(doc["attributions"]):
        a["vague"] = bool(a.get("speaker") and a["speaker"]["type"] in ("group", "anonymous"))
        a["chain"] = [x for x in (outlet, (a.get("speaker") or {}).get("name")) if x]
        if a["content"] and a.get("speaker"):
            props.append({"id": f"p{k + 1}", "attribution": a["id"], "span": a["content"][0],
                          "actor": a["speaker"]["id"], "topic": [], "polarity": "for", "modality": "asserts"})
    rels = []
    if len(props) >= 2 and props[0]["actor"] != props[1]["actor"]:
        rels.append({"a": props[0]["id"], "b": props[1]["id"], "kind": "disagree", "score": 0.9})
    doc.update(propositions=props, relations=rels, unattributed=[])
    return doc


def build_corpus(path) -> dict[str, int]:
    """Fill a corpus at ``path`` (SQLite file or database URL); returns the article numbers of
    the articles written here."""
    ids: dict[str, int] = {}
    with open_store(path) as store:
        items = [
            (art, ArticleMeta(ext_id=m["id"], title=m["title"], outlet=m["outlet"], published=m["published"]))
            for art, m in corpus(40, quotes_per_article=4, n_people=30, seed=3)
        ]
        store.save_articles(items, engine_name="synth")
        art, doc = showcase_article()
        ids["showcase"] = store.save_article(art, ArticleMeta(
            ext_id="showcase", title="Harbour bridge to close in May, mayor says", outlet="Daily Planet",
            published="2024-03-05", url="https://example.org/news/bridge", author="Tara Olsen"))
        assert store.save_positions(ids["showcase"], doc)  # as `saidwho positions` stores them
        ids["hostile"] = store.save_article(hostile_article(), ArticleMeta(
            ext_id="hostile", title="<img src=x onerror=alert(1)>Vote <i>rigged</i>", outlet="<b>Evil</b> Times",
            published="2024-03-06", url="javascript:alert(document.cookie)"))
    return ids


@pytest.fixture(scope="session")
def web_corpus(tmp_path_factory) -> tuple[str, dict[str, int]]:
    path = str(tmp_path_factory.mktemp("webcorpus") / "corpus.db")
    ids = build_corpus(path)
    return path, ids


@pytest.fixture(scope="session")
def app(web_corpus):
    from saidwho.web import create_app

    return create_app(web_corpus[0], engine=FakeEngine(), enricher=fake_enrich)


@pytest.fixture(scope="session")
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app, raise_server_exceptions=False, base_url=BASE) as c:
        yield c


def csrf_token(client) -> str:
    """The form token of the analyse page (a form that stores must carry it)."""
    import re

    return re.search(r'name="csrf" value="([^"]+)"', client.get("/analyse").text).group(1)


@pytest.fixture
def rw_client(web_corpus, tmp_path):
    """A read-write app over a private copy of the corpus."""
    from fastapi.testclient import TestClient

    from saidwho.web import create_app

    path = str(tmp_path / "rw.db")
    shutil.copy(web_corpus[0], path)
    app = create_app(path, allow_write=True, engine=FakeEngine(), enricher=fake_enrich)
    with TestClient(app, raise_server_exceptions=False, base_url=BASE) as c:
        yield c


# -- a live server and a browser ---------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(web_corpus, tmp_path_factory):
    """The app served by uvicorn on 127.0.0.1 (read-write, over a copy of the corpus)."""
    import uvicorn

    from saidwho.web import create_app

    path = str(tmp_path_factory.mktemp("live") / "live.db")
    shutil.copy(web_corpus[0], path)
    app = create_app(path, allow_write=True, engine=FakeEngine(), enricher=fake_enrich)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the web server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", web_corpus[1]
    server.should_exit = True
    thread.join(10)


CHROMIUM = os.environ.get("SAIDWHO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


def _missing(why: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests need {why} (CI=true: not skipping)")
    pytest.skip(f"browser tests need {why}")


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright for Python (pip install playwright==1.65.2)")
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        _missing(f"Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
    p = ctx.new_page()
    p.set_default_timeout(15_000)
    dialogs: list[str] = []
    p.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    p.dialogs = dialogs  # type: ignore[attr-defined]
    yield p
    ctx.close()


@pytest.fixture(scope="session")
def shots() -> Path:
    """Where screenshots go: artifacts/screenshots/ (test artefacts, not tracked), or
    $SAIDWHO_SCREENSHOTS (``SAIDWHO_SCREENSHOTS=docs/screenshots`` refreshes the README's)."""
    root = Path(__file__).resolve().parents[2]
    d = Path(os.environ.get("SAIDWHO_SCREENSHOTS") or root / "artifacts" / "screenshots")
    d.mkdir(parents=True, exist_ok=True)
    return d
