"""The store's contract: every test here runs on SQLite and on PostgreSQL (see conftest)."""

from __future__ import annotations

import pytest

from saidwho.store import ArticleMeta, NotFoundError, StoreError
from saidwho.store.synth import make_article

QUOTE_KEYS = {"article_id", "speaker", "cue", "content", "kind", "outlet", "published"}


def save(store, id, quotes, published="2024-03-05", outlet="Daily Planet", replace=None, **meta):
    art = make_article(id, quotes)
    m = ArticleMeta(ext_id=id, outlet=outlet, published=published, **meta)
    return store.save_article(art, m, replace=replace), art


def test_article_round_trip_keeps_the_full_document(store):
    aid, art = save(store, "n1", [("Mayor Jane Smith", "we will rebuild the harbour", "direct")],
                    url="https://planet.example/n1", title="Harbour")
    got = store.article(aid)
    assert got["doc"] == art.to_dict()
    assert got["text"] == art.text
    assert got["ext_id"] == "n1" and got["url"] == "https://planet.example/n1" and got["title"] == "Harbour"
    [q] = got["attributions"]
    assert QUOTE_KEYS <= set(q)
    assert q["content"] == "we will rebuild the harbour"
    assert q["speaker"]["name"] == "Jane Smith" and q["speaker"]["role"] == "mayor"
    assert q["speaker"]["type"] == "person"
    assert store.check() == []


def test_lookup_and_replace_in_place(store):
    aid, art = save(store, "n1", [("Jane Smith", "taxes will fall", "indirect")])
    assert store.lookup("id:n1") == (aid, art.text_sha256)
    assert store.lookup("id:nope") is None
    again, _ = save(store, "n1", [("Jane Smith", "taxes will rise", "indirect"),
                                  ("John Doe", "nothing changes", "direct")], replace=aid)
    assert again == aid
    assert store.stats()["articles"] == 1
    assert sorted(q["content"] for q in store.quotes()) == ["nothing changes", "taxes will rise"]
    assert store.check() == []


def test_quote_filters(store):
    save(store, "a", [("Jane Smith", "the new tax on harbours is unfair", "direct"),
                      ("officials", "the budget is balanced", "indirect")], published="2024-01-10", outlet="Planet")
    save(store, "b", [("John Doe", "taxes hurt the harbour workers", "indirect")], published="2024-02-20",
         outlet="Globe")
    save(store, "c", [("Jane Smith", "the ferry will run on time", "direct")], published="2024-03-05T09:30:00Z",
         outlet="Globe")
    assert len(store.quotes()) == 4
    assert {q["content"] for q in store.quotes(speaker="Jane Smith")} == {
        "the new tax on harbours is unfair", "the ferry will run on time"}
    # full text, stemmed: "taxes" finds "tax" and "taxes"
    assert {q["article_id"] for q in store.quotes(about="taxes harbour")} == {
        store.lookup("id:a")[0], store.lookup("id:b")[0]}
    assert store.quotes(about="submarine") == []
    assert {q["outlet"] for q in store.quotes(outlet="globe")} == {"Globe"}
    assert [q["published"] for q in store.quotes(since="2024-02-01")] == ["2024-03-05T09:30:00", "2024-02-20"]
    assert {q["published"] for q in store.quotes(until="2024-02-20")} == {"2024-01-10", "2024-02-20"}
    assert {q["kind"] for q in store.quotes(kind="direct")} == {"direct"}
    vague = store.quotes(vague=True)
    assert [q["content"] for q in vague] == ["the budget is balanced"]
    assert vague[0]["speaker"]["type"] == "group" and vague[0]["vague"] is True
    assert len(store.quotes(limit=2)) == 2
    assert store.count_quotes(speaker="Jane Smith", about="ferry") == 1
    with pytest.raises(StoreError):
        store.quotes(about="!!!")


def test_same_person_merges_across_articles(store):
    save(store, "a", [("Joe Biden", "we will win", "direct")], published="2024-01-10")
    save(store, "b", [("President Biden", "inflation is falling", "indirect")], published="2024-02-10")
    save(store, "c", [("Biden", "the bill will pass", "direct")], published="2024-03-10")
    qs = store.quotes()
    assert len({q["speaker"]["id"] for q in qs}) == 1
    sp = store.speaker(qs[0]["speaker"]["id"])
    assert sp["name"] == "Joe Biden"
    assert {n["name"] for n in sp["names"]} == {"Joe Biden", "Biden"}
    assert sp["roles"] == [{"role": "president", "mentions": 1, "first_seen": "2024-02-10", "last_seen": "2024-02-10"}]
    assert (sp["first_seen"], sp["last_seen"]) == ("2024-01-10", "2024-03-10")
    assert sp["quotes"] == 3


def test_people_sharing_a_surname_are_kept_apart(store):
    save(store, "a", [("Joe Biden", "we will win", "direct"), ("President Biden", "the economy grows", "direct")],
         published="2024-01-10")
    save(store, "b", [("Hunter Biden", "I will testify", "indirect")], published="2024-01-12")
    joe = store.find_speaker("Joe Biden")
    hunter = store.find_speaker("Hunter Biden")
    assert joe != hunter
    # in the same article as a full name: that person
    save(store, "c", [("Hunter Biden", "the hearing is unfair", "direct"), ("Biden", "I did nothing wrong", "direct")],
         published="2024-01-20")
    assert {q["speaker"]["id"] for q in store.quotes(article="c")} == {hunter}
    # the role decides: only Joe has been "president"
    save(store, "d", [("President Biden", "the border bill is dead", "direct")], published="2024-02-01")
    assert {q["speaker"]["id"] for q in store.quotes(article="d")} == {joe}
    # no clue at all: neither of them
    save(store, "e", [("Biden", "it was a good day", "direct")], published="2024-02-03")
    [q] = store.quotes(article="e")
    assert q["speaker"]["id"] not in (joe, hunter)


def test_a_role_that_does_not_fit_keeps_apart(store):
    save(store, "a", [("Mayor Jane Smith", "the harbour reopens", "direct")], published="2024-01-10")
    save(store, "b", [("Judge Smith", "the appeal is denied", "direct")], published="2024-01-11")
    save(store, "c", [("Mayor Smith", "the ferry is back", "direct")], published="2024-01-12")
    ids = {q["content"]: q["speaker"]["id"] for q in store.quotes()}
    assert ids["the appeal is denied"] != ids["the harbour reopens"] == ids["the ferry is back"]


def test_surname_too_far_in_time_is_not_merged(store):
    save(store, "a", [("Joe Biden", "we will win", "direct")], published="2020-01-10")
    save(store, "b", [("Biden", "the war is over", "direct")], published="2031-01-10")
    assert len({q["speaker"]["id"] for q in store.quotes()}) == 2


def test_co_mentions_pick_the_right_person(store):
    save(store, "a", [("Joe Biden", "we will win", "direct"), ("Kamala Harris", "so will we", "direct")],
         published="2024-01-10")
    save(store, "b", [("Hunter Biden", "I will testify", "direct"), ("Abbe Lowell", "he is innocent", "direct")],
         published="2024-01-11")
    save(store, "c", [("Biden", "the vote is close", "direct"), ("Kamala Harris", "we agree", "direct")],
         published="2024-01-15")
    save(store, "d", [("Biden", "I am tired", "direct"), ("Abbe Lowell", "no comment", "direct")],
         published="2024-01-16")
    by_article = {q["article_ext_id"]: q["speaker"]["id"] for q in store.quotes() if q["content"] in (
        "the vote is close", "I am tired")}
    assert by_article == {"c": store.find_speaker("Joe Biden"), "d": store.find_speaker("Hunter Biden")}


def test_consolidate_revisits_surname_only_speakers(store):
    save(store, "a", [("Okafor", "the plan is sound", "direct")], published="2024-01-10")
    save(store, "b", [("Anna Okafor", "we start in May", "direct")], published="2024-01-12")
    assert len({q["speaker"]["id"] for q in store.quotes()}) == 2
    assert store.consolidate_speakers() == 1
    assert len({q["speaker"]["id"] for q in store.quotes()}) == 1
    assert store.stats()["speakers"] == 1
    assert store.check() == []


def test_vague_sources_stay_within_their_article(store):
    save(store, "a", [("officials", "the road is closed", "indirect")])
    save(store, "b", [("officials", "the road is open", "indirect")])
    assert len({q["speaker"]["id"] for q in store.quotes(vague=True)}) == 2


def test_merge_and_split_survive_reanalysis(store):
    a, art_a = save(store, "a", [("Bob Marley", "one love", "direct")], published="2024-01-01")
    b, art_b = save(store, "b", [("Robert Nesta Marley", "get up stand up", "direct")], published="2024-01-02")
    c, art_c = save(store, "c", [("Ziggy Marley", "my father sang", "direct")], published="2024-01-03")
    bob = store.find_speaker("Bob Marley")
    assert store.find_speaker("Robert Nesta Marley") == bob  # nicknames fold: Bob = Robert
    ziggy = store.find_speaker("Ziggy Marley")
    assert ziggy != bob
    merged = store.merge_speakers(bob, ziggy)
    assert merged["id"] == bob and merged["quotes"] == 3
    with pytest.raises(NotFoundError):
        store.find_speaker(ziggy)
    # re-analysing (re-ingesting) keeps the correction
    for aid, art, ext in ((a, art_a, "a"), (c, art_c, "c")):
        store.save_article(art, ArticleMeta(ext_id=ext, published="2024-01-0" + ("1" if ext == "a" else "3")),
                           replace=aid)
    assert {q["speaker"]["id"] for q in store.quotes()} == {bob}
    # a new article with the merged name goes to the merged speaker too
    save(store, "d", [("Ziggy Marley", "more music", "direct")], published="2024-01-04")
    assert {q["speaker"]["id"] for q in store.quotes()} == {bob}

    new = store.split_speaker(bob, ["Ziggy Marley"])
    assert new["id"] != bob and new["name"] == "Ziggy Marley" and new["quotes"] == 2
    store.save_article(art_c, ArticleMeta(ext_id="c", published="2024-01-03"), replace=c)
    save(store, "e", [("Ziggy Marley", "a new album", "direct")], published="2024-01-05")
    ids = {q["content"]: q["speaker"]["id"] for q in store.quotes()}
    assert ids["my father sang"] == ids["a new album"] == ids["more music"] == new["id"]
    assert ids["one love"] == ids["get up stand up"] == bob
    assert [c["action"] for c in store.speaker(bob)["corrections"]] == ["merge", "split"]
    with pytest.raises(StoreError):
        store.split_speaker(bob, ["Nobody Here"])
    with pytest.raises(StoreError):
        store.merge_speakers(bob, bob)
    assert store.check() == []


def test_speakers_listing_counts_by_outlet_and_kind(store):
    save(store, "a", [("Jane Smith", "one", "direct"), ("Jane Smith", "two", "indirect"),
                      ("John Doe", "three", "direct")], outlet="Planet")
    save(store, "b", [("Jane Smith", "four", "direct")], outlet="Globe")
    top = store.speakers()
    assert [s["name"] for s in top] == ["Jane Smith", "John Doe"]
    assert top[0]["quotes"] == 3
    assert top[0]["by_outlet"] == {"Planet": 2, "Globe": 1}
    assert top[0]["by_kind"] == {"direct": 2, "indirect": 1}
    assert [s["name"] for s in store.speakers(outlet="Globe")] == ["Jane Smith"]
    assert store.speakers(limit=1)[0]["name"] == "Jane Smith" and len(store.speakers(limit=1)) == 1


def test_article_lookup_by_any_reference(store):
    aid, art = save(store, "ext-9", [("Jane Smith", "yes", "direct")], url=None)
    plain = store.save_article(make_article("p", [("John Doe", "no", "direct")]),
                               ArticleMeta(url="https://x.example/p"))
    assert store.article(aid)["article_id"] == aid
    assert store.article("ext-9")["article_id"] == aid
    assert store.article(art.text_sha256[:12])["article_id"] == aid
    assert store.article("https://x.example/p")["article_id"] == plain
    with pytest.raises(NotFoundError):
        store.article("missing")


def test_schema_version_is_current(store):
    from sqlalchemy import func, select

    from saidwho.store.schema import CURRENT_VERSION, schema_version

    with store.engine.connect() as conn:
        assert conn.execute(select(func.max(schema_version.c.version))).scalar() == CURRENT_VERSION


def test_ingest_runs_the_same_on_each_back_end(store, tmp_path):
    import json

    from saidwho.ingest.runner import ingest
    from saidwho.store.synth import FakeEngine

    feed = tmp_path / "feed.jsonl"
    lines = [json.dumps({"id": f"f{i}", "outlet": "Globe", "published": f"2024-01-{i + 1:02d}",
                         "text": f"\u201cPoint {i} stands,\u201d Jane Smith said. Smith said that {i} is {i}."})
             for i in range(5)] + ["{bad"]
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    s = ingest(store, [str(feed)], engine=FakeEngine(), progress=False, report=lambda _: None)
    assert (s.read, s.stored, s.n_failed) == (6, 5, 1)
    again = ingest(store, [str(feed)], engine=FakeEngine(), progress=False, report=lambda _: None)
    assert (again.stored, again.duplicates) == (0, 5)
    assert store.stats()["articles"] == 5 and store.stats()["speakers"] == 1
    assert len(store.quotes(speaker="Jane Smith")) == 10
    assert store.check() == []
