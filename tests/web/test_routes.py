"""Every route, HTML and JSON, in-process (FastAPI's TestClient over the small corpus)."""

from __future__ import annotations

import pytest

HTML = "text/html; charset=utf-8"


def test_overview(client):
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"] == HTML
    assert 'action="/search"' in r.text and "Most quoted" in r.text
    j = client.get("/api/").json()
    assert j["stats"]["articles"] == 42
    assert j["pagination"]["total"] == 42 and len(j["articles"]) == 20 and j["pagination"]["next"] == 2
    assert j["top_speakers"] and {"id", "name", "quotes"} <= set(j["top_speakers"][0])
    assert client.get("/api").status_code == 200  # redirected to /api/


def test_overview_pagination(client):
    j = client.get("/api/?page=3&per_page=20").json()
    assert len(j["articles"]) == 2 and j["pagination"]["next"] is None and j["pagination"]["prev"] == 2
    r = client.get("/?page=2")
    assert "Page 2 of 3" in r.text and 'href="/?page=3"' in r.text and 'href="/?page=1"' in r.text


def test_article_page(client, web_corpus):
    aid = web_corpus[1]["showcase"]
    r = client.get(f"/articles/{aid}")
    assert r.status_code == 200
    t = r.text
    for cls in ("hl-source", "hl-cue", "hl-content", "hl-medium", "hl-unattributed", "vague", "nested"):
        assert cls in t
    assert 'id="hl-a3-content"' in t and 'tabindex="0"' in t
    assert "Disagreements" in t and "the bridge will stay open all summer" in t
    assert "Daily Planet ← Coast Herald ← Ben Lindqvist ← his staff" in t
    assert 'href="https://example.org/news/bridge"' in t
    # by external id too
    assert client.get("/articles/showcase").status_code == 200


def test_article_json(client, web_corpus):
    aid = web_corpus[1]["showcase"]
    j = client.get(f"/api/articles/{aid}").json()
    assert j["meta"]["article_id"] == aid and j["meta"]["outlet"] == "Daily Planet"
    by = {a["id"]: a for a in j["attributions"]}
    assert by["a3"]["parent"] == "a2" and by["a3"]["vague"] is True
    assert by["a1"]["speaker"]["corpus_id"] and by["a1"]["speaker"]["role"] == "mayor"
    assert j["disagreements"][0]["kind"] == "disagree" and j["unattributed"]
    assert j["doc"]["relations"] and j["analysed"] is True
    assert {s["name"] for s in j["speakers"]} >= {"Anna Okafor", "Ben Lindqvist"}


def test_article_positions_on_demand(client, web_corpus):
    # a generated article has no positions analysis stored: ?positions=1 runs it
    j = client.get("/api/articles/1").json()
    assert j["analysed"] is False and j["disagreements"] == []
    j = client.get("/api/articles/1?positions=1").json()
    assert j["analysed"] is True and len(j["disagreements"]) == 1
    assert "Find positions" in client.get("/articles/1").text


def test_search(client):
    j = client.get("/api/search?q=bridge").json()
    assert j["pagination"]["total"] >= 2
    assert all("bridge" in r["content"].lower() for r in j["results"])
    r = client.get("/search?q=bridge")
    assert r.status_code == 200 and "<mark>" in r.text
    # filters
    all_ = client.get("/api/search?per_page=100").json()
    assert all_["pagination"]["total"] == 40 * 4 + 5 + 2
    direct = client.get("/api/search?kind=direct&per_page=100").json()
    assert direct["results"] and all(x["kind"] == "direct" for x in direct["results"])
    o = client.get("/api/search?outlet=daily planet&per_page=100").json()
    assert o["results"] and all(x["outlet"] == "Daily Planet" for x in o["results"])
    d = client.get("/api/search?since=2024-03-05&until=2024-03-05").json()
    assert d["pagination"]["total"] == 5 and all(x["published"] == "2024-03-05" for x in d["results"])
    s = client.get("/api/search?speaker=Anna Okafor").json()
    assert s["pagination"]["total"] == 1 and s["results"][0]["speaker"]["name"] == "Anna Okafor"
    v = client.get("/api/search?vague=true&per_page=100").json()
    assert v["results"] and all(x["vague"] for x in v["results"])
    none = client.get("/api/search?q=zzzqqq").json()
    assert none["pagination"]["total"] == 0 and none["results"] == []


def test_search_pagination_links_keep_filters(client):
    r = client.get("/search?kind=indirect&per_page=5")
    assert 'href="/search?kind=indirect&amp;per_page=5&amp;page=2"' in r.text
    p2 = client.get("/api/search?kind=indirect&per_page=5&page=2").json()
    p1 = client.get("/api/search?kind=indirect&per_page=5&page=1").json()
    assert {x["id"] for x in p1["results"]}.isdisjoint({x["id"] for x in p2["results"]})


def test_search_finds_speakers_by_name(client):
    j = client.get("/api/search?q=Lindqvist").json()
    assert any(s["name"] == "Ben Lindqvist" for s in j["speakers"])


def test_speaker(client):
    sid = client.get("/api/search?speaker=Ben Lindqvist").json()["results"][0]["speaker"]["id"]
    j = client.get(f"/api/speakers/{sid}").json()
    assert j["speaker"]["name"] == "Ben Lindqvist"
    assert j["names"] and j["outlets"] == [{"name": "Daily Planet", "quotes": 1}]
    assert j["timeline"]["bins"] == [{"label": "2024-03", "count": 1}]
    assert j["attributions"][0]["cue"] == "said" and j["pagination"]["total"] == 1
    r = client.get(f"/speakers/{sid}")
    assert r.status_code == 200 and "<svg" in r.text and "How often quoted" in r.text and "Names used" in r.text


def test_speaker_pagination(client):
    top = client.get("/api/").json()["top_speakers"][0]
    j = client.get(f"/api/speakers/{top['id']}?per_page=2").json()
    assert j["pagination"]["total"] == top["quotes"] and len(j["attributions"]) == min(2, top["quotes"])


def test_outlet(client):
    j = client.get("/api/outlets/Daily Planet").json()
    o = j["outlet"]
    assert o["name"] == "Daily Planet" and o["articles"] >= 9
    assert 0 < o["vague_share"] < 1 and o["vague"] >= 2
    assert j["speakers"] and j["speakers"][0]["quotes"] >= j["speakers"][-1]["quotes"]
    assert client.get("/api/outlets/daily%20planet").json()["outlet"]["articles"] == o["articles"]
    r = client.get("/outlets/Daily%20Planet")
    assert r.status_code == 200 and "Who it quotes" in r.text and "vague sources" in r.text
    small = client.get("/api/outlets/Daily Planet?per_page=3&page=2").json()
    assert small["pagination"]["page"] == 2 and len(small["speakers"]) <= 3


def test_disagreements(client, web_corpus):
    j = client.get("/api/disagreements").json()
    assert j["pagination"]["total"] == 1
    d = j["disagreements"][0]
    assert d["article_id"] == web_corpus[1]["showcase"] and d["a"]["actor"] == "Anna Okafor"
    assert client.get("/api/disagreements?speaker=okafor").json()["pagination"]["total"] == 1
    assert client.get("/api/disagreements?speaker=nobody").json()["pagination"]["total"] == 0
    assert client.get("/api/disagreements?q=summer").json()["pagination"]["total"] == 1
    r = client.get("/disagreements")
    assert r.status_code == 200 and "versus" in r.text and "harbour bridge" in r.text


def test_analyse_form_and_info(client):
    r = client.get("/analyse")
    assert r.status_code == 200 and 'enctype="multipart/form-data"' in r.text
    assert 'name="store"' not in r.text  # read-only: no store option
    assert client.get("/api/analyse").json() == {
        "max_bytes": 2 * 1024 * 1024, "store_allowed": False,
        "accepts": ["text/plain (.txt)", "text/html (.html)"]}


def test_openapi_schema_and_docs(client):
    s = client.get("/api/openapi.json").json()
    paths = set(s["paths"])
    assert {"/api/", "/api/search", "/api/articles/{ref}", "/api/speakers/{ref}", "/api/outlets/{name}",
            "/api/disagreements", "/api/analyse"} <= paths
    assert not any(not p.startswith("/api") for p in paths)
    r = client.get("/api/docs")
    assert r.status_code == 200 and "/api/search" in r.text
    assert "cdn" not in r.text.lower() and "swagger" not in r.text.lower()
    assert client.get("/docs").status_code == 404


def test_static_assets_are_local(client):
    for path in ("/static/app.css", "/static/app.js", "/static/favicon.svg"):
        assert client.get(path).status_code == 200
    for page in ("/", "/search?q=bridge", "/articles/1", "/analyse", "/disagreements"):
        html = client.get(page).text
        assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")
        assert "https://" not in html


def test_security_headers(client):
    r = client.get("/")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'self'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"


# -- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/articles/999999", "/articles/no-such-id", "/speakers/999999",
                                  "/speakers/Nobody%20Atall", "/outlets/No%20Such%20Outlet", "/no/such/page"])
def test_unknown_gives_404_page(client, path):
    r = client.get(path)
    assert r.status_code == 404 and r.headers["content-type"] == HTML
    assert "404" in r.text and "Traceback" not in r.text
    j = client.get("/api" + path)
    assert j.status_code == 404 and j.json()["status"] == 404


@pytest.mark.parametrize("query", [
    "page=0", "page=abc", "per_page=1000", "per_page=-1", "since=2024-13-01", "since=yesterday",
    "until=2024-02-30", "kind=shouted", "vague=maybe", "q=%21%21%21", "since=2024-05-01&until=2024-01-01",
    "q=" + "x" * 600,
])
def test_malformed_params_give_400(client, query):
    r = client.get("/search?" + query)
    assert r.status_code == 400, r.text
    # the search form again, with what to fix
    assert "Traceback" not in r.text and 'role="alert"' in r.text and '<form class="search filters"' in r.text
    j = client.get("/api/search?" + query)
    assert j.status_code == 400 and j.json()["error"] == "Bad request"


@pytest.mark.parametrize("path", ["/?page=x", "/speakers/1?page=0", "/outlets/Daily%20Planet?per_page=0",
                                  "/disagreements?page=-2", "/articles/1?positions=perhaps"])
def test_malformed_params_everywhere(client, path):
    assert client.get(path).status_code == 400
    assert client.get("/api" + path if path != "/?page=x" else "/api/?page=x").status_code == 400


def test_wrong_method(client):
    r = client.delete("/articles/1")
    assert r.status_code == 405 and "Traceback" not in r.text


def test_disagreements_follow_a_positions_backfill(rw_client):
    """`saidwho positions` changes no article count nor analysed_at: the page still sees its pairs."""
    from saidwho.store import ArticleMeta, open_store
    from saidwho.store.synth import make_article

    before = rw_client.get("/api/disagreements").json()["pagination"]["total"]
    art = make_article("toll", [("Mira Tolvan", "the toll on the Varn bridge must go", "indirect"),
                                ("Oskar Brede", "the toll on the Varn bridge must stay", "indirect")])
    path = rw_client.app.state.saidwho.store.display
    with open_store(path) as store:
        aid = store.save_article(art, ArticleMeta(ext_id="toll", outlet="Daily Planet", published="2024-04-01"))
    assert rw_client.get("/api/disagreements").json()["pagination"]["total"] == before  # not analysed yet
    doc = art.to_dict()
    c1, c2 = (a.content[0] for a in art.attributions)
    doc["propositions"] = [
        {"id": f"p{k}", "attribution": f"a{k}", "span": c.to_dict(), "actor": f"s{k}", "topic": ["toll"],
         "polarity": pol, "modality": None}
        for k, c, pol in ((1, c1, "against"), (2, c2, "for"))]
    doc["relations"] = [{"a": "p1", "b": "p2", "kind": "disagree", "score": 0.8}]
    doc["unattributed"] = []
    with open_store(path) as store:
        assert store.save_positions(aid, doc)
    j = rw_client.get("/api/disagreements").json()
    assert j["pagination"]["total"] == before + 1
    d = j["disagreements"][0]  # the newest article first
    assert d["article_id"] == aid and (d["a"]["actor"], d["b"]["actor"]) == ("Mira Tolvan", "Oskar Brede")
    assert d["a"]["text"] == "the toll on the Varn bridge must go"
