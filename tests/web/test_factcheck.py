"""What a fact-checker relies on all day: ids that name nothing, phrase search, names with
apostrophes and hyphens, the role a speaker had in that article, articles without metadata,
downloads of every list, disagreements that link both sides, compression and ETags."""

from __future__ import annotations

import csv
import dataclasses
import io
import json

import pytest

from saidwho.store import ArticleMeta, open_store
from saidwho.store.synth import make_article

HUGE = "9223372036854775808"  # 2**63: past any database id
HUGER = "99999999999999999999"


# -- numbers past any id ------------------------------------------------------------------------


@pytest.mark.parametrize("path", [f"/articles/{HUGE}", f"/speakers/{HUGER}", f"/articles/{HUGER}",
                                  f"/speakers/{HUGE}"])
def test_huge_ids_are_not_found(client, path):
    r = client.get(path)
    assert r.status_code == 404 and "Traceback" not in r.text
    j = client.get("/api" + path)
    assert j.status_code == 404 and j.json()["status"] == 404


@pytest.mark.parametrize("path", [f"/search?speaker={HUGER}", f"/search?speaker={HUGE}",
                                  f"/search?q=bridge&speaker={HUGER}"])
def test_huge_speaker_filter_is_a_bad_request(client, path):
    r = client.get(path)
    assert r.status_code == 400 and "speaker" in r.text
    j = client.get("/api" + path)
    assert j.status_code == 400 and "speaker" in j.json()["message"]


def test_huge_speaker_in_disagreements_finds_nothing(client):
    j = client.get(f"/api/disagreements?speaker={HUGER}")
    assert j.status_code == 200 and j.json()["pagination"]["total"] == 0


# -- a corpus of our own ------------------------------------------------------------------------


def _with_roles(art, roles: dict[str, str]):
    sps = {s.id: dataclasses.replace(s, role=roles.get(s.name), type="person") for s in art.speakers}
    atts = tuple(dataclasses.replace(a, speaker=sps[a.speaker.id]) for a in art.attributions)
    return dataclasses.replace(art, speakers=tuple(sps.values()), attributions=atts)


@pytest.fixture
def rw_corpus(rw_client):
    """rw_client over a copy of the corpus with articles about names, roles and phrases."""
    path = rw_client.app.state.saidwho.store.display
    ids = {}
    with open_store(path) as store:
        a06 = _with_roles(make_article("clinton-2006", [
            ("Hillary Clinton", "the tax code needs a rewrite", "indirect"),
            ("Pat O'Brien", "the code tax debate is over", "indirect")]), {"Hillary Clinton": "senator"})
        ids["2006"] = store.save_article(a06, ArticleMeta(ext_id="clinton-2006", title="Tax plans", outlet="Ledger",
                                                          published="2006-05-02"))
        a16 = _with_roles(make_article("clinton-2016", [
            ("Hillary Clinton", "wages must rise this year", "indirect"),
            ("Douglas Holtz-Eakin", "wages will not rise this year", "indirect"),
            ("Harry B. Harris", "the fleet is ready", "indirect"),
            ("Clinton supporters", "the rally was the largest yet", "indirect")]),
            {"Hillary Clinton": "longtime member of the Senate Armed Services Committee"})
        ids["2016"] = store.save_article(a16, ArticleMeta(ext_id="clinton-2016", title="Wage debate", outlet="Ledger",
                                                          published="2016-10-07"))
        plain = make_article("notes", [("Rosa Novak", "the ferry will run all winter", "indirect")],
                             lead="Ferry plans for the winter\n\nThe council met on Monday.")
        ids["plain"] = store.save_article(plain, ArticleMeta(origin="/home/me/notes/ferry-notes.txt"))
    rw_client.app.state.saidwho.data.invalidate()
    return rw_client, ids


def test_quoted_phrases_are_phrases(rw_corpus):
    c, ids = rw_corpus
    a = c.get('/api/search?q="tax code"').json()
    b = c.get('/api/search?q="code tax"').json()
    assert [r["content"] for r in a["results"]] == ["the tax code needs a rewrite"]
    assert [r["content"] for r in b["results"]] == ["the code tax debate is over"]
    both = c.get("/api/search?q=tax code").json()  # unquoted: both words anywhere
    assert both["pagination"]["total"] == 2
    typographic = c.get("/api/search?q=\u201ctax code\u201d").json()
    assert typographic["pagination"]["total"] == 1


@pytest.mark.parametrize("q,name", [("O'Brien", "Pat O'Brien"), ("o\u2019brien", "Pat O'Brien"),
                                    ("Holtz-Eakin", "Douglas Holtz-Eakin"), ("Harry B. Harris", "Harry B. Harris"),
                                    ("Clinton's", "Hillary Clinton"), ("clinton", "Hillary Clinton")])
def test_speakers_named(rw_corpus, q, name):
    c, _ = rw_corpus
    found = [s["name"] for s in c.get("/api/search", params={"q": q}).json()["speakers"]]
    assert name in found, found
    if "linton" in q:
        assert found[0] == "Hillary Clinton" and "Clinton supporters" in found


def test_roles_are_the_ones_from_that_article(rw_corpus):
    c, ids = rw_corpus
    res = c.get("/api/search?speaker=Hillary Clinton").json()["results"]
    roles = {r["published"]: r["speaker"]["role"] for r in res}
    assert roles == {"2006-05-02": "senator",
                     "2016-10-07": "longtime member of the Senate Armed Services Committee"}
    page = c.get("/search?speaker=Hillary Clinton").text
    assert "(senator)" in page
    sid = res[0]["speaker"]["id"]
    sp = c.get(f"/api/speakers/{sid}").json()["attributions"]
    assert {r["published"]: r["speaker"]["role"] for r in sp} == roles


def test_plain_text_articles_have_a_name_a_source_and_a_date(rw_corpus):
    c, ids = rw_corpus
    first = c.get("/api/").json()["articles"][0]  # added today: the newest
    assert first["article_id"] == ids["plain"]
    assert first["headline"] == "Ferry plans for the winter" and first["source_name"] == "ferry-notes.txt"
    assert first["added"] and first["published"] is None
    home = c.get("/").text
    assert "Ferry plans for the winter" in home and "ferry-notes.txt" in home and "added" in home
    page = c.get(f"/articles/{ids['plain']}").text
    assert "<h1>Ferry plans for the winter</h1>" in page and "<title>Ferry plans for the winter · saidwho</title>" in page
    hit = c.get("/api/search?q=ferry winter").json()["results"][0]
    assert hit["headline"] == "Ferry plans for the winter" and hit["source_name"] == "ferry-notes.txt"


def test_search_sort_title_and_confidence(rw_corpus):
    c, _ = rw_corpus
    newest = c.get("/api/search?q=wages OR tax&outlet=Ledger").json()
    assert newest["pagination"]["total"] == 0  # every word is needed; OR is a word like any other
    j = c.get("/api/search?outlet=Ledger&sort=oldest").json()["results"]
    assert j[0]["published"] == "2006-05-02" and j[-1]["published"] == "2016-10-07"
    j = c.get("/api/search?outlet=Ledger&sort=date").json()["results"]
    assert j[0]["published"] == "2016-10-07"
    rel = c.get("/api/search?q=wages rise&sort=relevance").json()
    assert rel["sort"] == "relevance" and rel["pagination"]["total"] == 2
    assert c.get("/api/search?sort=loudest").status_code == 400
    t = c.get("/api/search?title=wage debate").json()
    assert t["pagination"]["total"] == 4 and {r["title"] for r in t["results"]} == {"Wage debate"}
    page = c.get("/search?title=wage debate").text
    assert 'name="title"' in page and 'name="sort"' in page and "confidence 0.90" in page


# -- errors keep the form -----------------------------------------------------------------------


def test_a_bad_query_shows_the_search_form_again(client):
    r = client.get("/search?q=%21%21%21&outlet=Daily%20Planet")
    assert r.status_code == 400
    assert '<form class="search filters"' in r.text and 'role="alert"' in r.text
    assert "give at least one word" in r.text and 'value="!!!"' in r.text
    r = client.get("/disagreements?since=soon")
    assert r.status_code == 400 and 'action="/disagreements"' in r.text and "since" in r.text


def test_tab_titles_name_the_site(client, web_corpus):
    for path, title in (("/", "Who said what · saidwho"), ("/search?q=bridge", "Search: bridge · saidwho"),
                        (f"/articles/{web_corpus[1]['showcase']}", "Harbour bridge to close in May, mayor says · saidwho"),
                        ("/disagreements", "Disagreements · saidwho")):
        assert f"<title>{title}</title>" in client.get(path).text


# -- compression and caching --------------------------------------------------------------------


def test_pages_are_compressed_and_carry_an_etag(client, web_corpus):
    path = f"/articles/{web_corpus[1]['showcase']}"
    r = client.get(path, headers={"accept-encoding": "gzip"})
    assert r.status_code == 200 and r.headers["content-encoding"] == "gzip"
    tag = r.headers["etag"]
    again = client.get(path, headers={"if-none-match": tag, "accept-encoding": "gzip"})
    assert again.status_code == 304 and again.content == b""
    j = client.get("/api/search?q=bridge")
    assert j.headers.get("etag") and client.get("/api/search?q=bridge", headers={"if-none-match": j.headers["etag"]}
                                                ).status_code == 304
    assert client.get(path, headers={"if-none-match": 'W/"other"'}).status_code == 200


# -- downloads ----------------------------------------------------------------------------------


def _csv(r) -> list[dict]:
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    return list(csv.DictReader(io.StringIO(r.text)))


@pytest.mark.parametrize("prefix", ["", "/api"])
def test_every_list_downloads(client, prefix):
    total = client.get("/api/search?q=bridge").json()["pagination"]["total"]
    rows = _csv(client.get(prefix + "/search?q=bridge&format=csv&per_page=1"))
    assert len(rows) == total and all("bridge" in r["content"].lower() for r in rows)
    assert {"speaker_name", "speaker_role", "content", "cue", "outlet", "published"} <= set(rows[0])
    js = client.get(prefix + "/search?q=bridge&format=json")
    assert js.status_code == 200 and "attachment" in js.headers["content-disposition"]
    assert len(json.loads(js.text)) == total
    sid = client.get("/api/").json()["top_speakers"][0]
    assert len(_csv(client.get(f"{prefix}/speakers/{sid['id']}?format=csv"))) == sid["quotes"]
    assert len(json.loads(client.get(f"{prefix}/speakers/{sid['id']}?format=json").text)) == sid["quotes"]
    outlet = client.get("/api/outlets/Daily Planet").json()
    assert len(_csv(client.get(prefix + "/outlets/Daily%20Planet?format=csv"))) == outlet["outlet"]["speakers"]
    pairs = _csv(client.get(prefix + "/disagreements?format=csv"))
    assert len(pairs) == 1 and pairs[0]["a_actor"] == "Anna Okafor" and pairs[0]["a_link"].endswith("#hl-a1-content")
    assert len(json.loads(client.get(prefix + "/disagreements?format=json").text)) == 1
    people = _csv(client.get(prefix + "/speakers?format=csv"))
    assert len(people) == client.get("/api/speakers").json()["pagination"]["total"] > 20
    assert client.get(prefix + "/search?format=xml").status_code == 400


def test_download_links_on_the_pages(client):
    page = client.get("/search?q=bridge&page=1").text
    assert 'href="/search?q=bridge&amp;format=csv"' in page and 'href="/search?q=bridge&amp;format=json"' in page
    for path in ("/disagreements", "/speakers", "/outlets/Daily%20Planet"):
        assert "format=csv" in client.get(path).text, path


def test_csv_cells_never_run_as_formulas(rw_client):
    path = rw_client.app.state.saidwho.store.display
    with open_store(path) as store:
        store.save_article(make_article("formula", [("Eve Mallory", '=HYPERLINK("http://evil.example","x")', "direct")]),
                           ArticleMeta(ext_id="formula", outlet="Daily Planet", published="2024-05-01"))
    rw_client.app.state.saidwho.data.invalidate()
    rows = _csv(rw_client.get("/search?q=hyperlink&format=csv"))
    assert rows[0]["content"].startswith("'=HYPERLINK")


# -- speakers list ------------------------------------------------------------------------------


def test_speakers_list(client):
    j = client.get("/api/speakers?per_page=5").json()
    assert len(j["speakers"]) == 5 and j["speakers"][0]["quotes"] >= j["speakers"][-1]["quotes"]
    one = client.get("/api/speakers?q=lindqvist ben").json()
    assert [s["name"] for s in one["speakers"]] == ["Ben Lindqvist"]
    assert len(client.get("/api/speakers?q=lindqvist").json()["speakers"]) > 1
    r = client.get("/speakers?q=lindqvist")
    assert r.status_code == 200 and "Ben Lindqvist" in r.text


# -- disagreements ------------------------------------------------------------------------------


def test_disagreements_link_both_sides(client, web_corpus):
    aid = web_corpus[1]["showcase"]
    d = client.get("/api/disagreements").json()["disagreements"][0]
    assert d["a"]["link"] == f"/articles/{aid}#hl-a1-content" and d["b"]["link"] == f"/articles/{aid}#hl-a3-content"
    assert d["a"]["speaker_id"] and d["b"]["speaker_id"]
    page = client.get("/disagreements").text
    for side in ("a", "b"):
        assert f'href="/speakers/{d[side]["speaker_id"]}"' in page
        assert f'href="{d[side]["link"]}"' in page
    assert f'href="/articles/{aid}"' in page
    assert '<p class="vs">versus</p>' in page  # read out, not hidden from screen readers
    # and the article's side panel links them too
    art = client.get(f"/articles/{aid}").text
    assert 'href="#hl-a1-content"' in art and 'href="#hl-a3-content"' in art


def _positions(store, aid, art, pairs):
    doc = art.to_dict()
    doc["propositions"] = [
        {"id": f"p{k + 1}", "attribution": a.id, "span": a.content[0].to_dict(), "actor": a.speaker.id,
         "topic": ["toll"], "polarity": "against" if k == 0 else "for", "modality": None}
        for k, a in enumerate(art.attributions)]
    doc["relations"] = [{"a": f"p{i}", "b": f"p{j}", "kind": "disagree", "score": s} for i, j, s in pairs]
    doc["unattributed"] = []
    assert store.save_positions(aid, doc)


def test_disagreements_group_a_repeated_statement_and_filter(rw_client):
    path = rw_client.app.state.saidwho.store.display
    art = make_article("toll", [("Mira Tolvan", "the toll on the Varn bridge must go", "indirect"),
                                ("Oskar Brede", "the toll on the Varn bridge must stay", "indirect"),
                                ("Lena Brede", "the toll on the Varn bridge must stay for now", "indirect"),
                                ("Tom Ucker", "the Varn bridge toll is needed", "indirect")])
    with open_store(path) as store:
        aid = store.save_article(art, ArticleMeta(ext_id="toll", outlet="Coast Herald", published="2024-04-01"))
        _positions(store, aid, art, [(1, 2, 0.9), (1, 3, 0.8), (1, 4, 0.5), (2, 1, 0.9)])
    base = rw_client.get("/api/disagreements").json()["pagination"]["total"]
    j = rw_client.get("/api/disagreements?outlet=coast herald").json()
    assert j["pagination"]["total"] == 1  # one statement against three: one item, not three (nor four)
    d = j["disagreements"][0]
    assert d["a"]["actor"] == "Mira Tolvan" and d["b"]["actor"] == "Oskar Brede" and d["score"] == 0.9
    assert [x["actor"] for x in d["others"]] == ["Lena Brede", "Tom Ucker"]
    assert base == 2
    q = rw_client.get
    assert q("/api/disagreements?since=2024-04-01&until=2024-04-01").json()["pagination"]["total"] == 1
    assert q("/api/disagreements?until=2024-03-31").json()["pagination"]["total"] == 1  # the showcase's
    assert q("/api/disagreements?min_score=0.85").json()["pagination"]["total"] == 1
    assert q("/api/disagreements?min_score=0.95").json()["pagination"]["total"] == 0
    sid = d["b"]["speaker_id"]
    assert q(f"/api/disagreements?speaker={sid}").json()["pagination"]["total"] == 1
    assert q("/api/disagreements?speaker=tom ucker").json()["pagination"]["total"] == 1
    assert q("/api/disagreements?min_score=2").status_code == 400
    page = q("/disagreements?outlet=Coast Herald").text
    assert "and 2 more statements against it" in page


@pytest.mark.parametrize("query", ["", "q=bridge", "q=bridge&sort=relevance", "kind=indirect&sort=outlet",
                                   "sort=oldest"])
def test_pages_follow_the_order_of_the_whole_list(client, query):
    whole = [r["id"] for r in json.loads(client.get(f"/api/search?{query}&format=json").text)]
    paged = []
    for page in range(1, 100):
        j = client.get(f"/api/search?{query}&per_page=7&page={page}").json()
        paged += [r["id"] for r in j["results"]]
        if not j["pagination"]["next"]:
            break
    assert paged == whole and len(whole) == len(set(whole)) > 0


def test_article_page_shows_confidence(client):
    r = client.get("/articles/1")
    assert r.status_code == 200 and "confidence 0.90" in r.text
    assert '"confidence":0.9' in r.text  # in the details of each highlight too
