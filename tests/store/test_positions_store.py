"""The positions analysis in the store, on SQLite and PostgreSQL: round trip, vague flags,
re-analysis, upgrade from schema 2, and disagreements across articles (stand-in documents, so
no model runs here except in the last test)."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import MetaData, Table, create_engine, insert

from saidwho.store import open_store
from saidwho.store.migrations import migrate
from saidwho.store.synth import make_article


def _doc(art, props, rels=(), unatt=(), vague=()):
    """A stand-in for enrich(): the engine's document plus hand-made positions."""
    d = art.to_dict()
    for a in d["attributions"]:
        a["vague"] = a["id"] in vague
        a["chain"] = ["Harbour Post", a["speaker"]["name"]]
    d["propositions"] = [
        {"id": pid, "attribution": att, "span": {"start": s, "end": s + len(t), "text": t}, "actor": actor,
         "topic": topic, "polarity": pol, "modality": "wants"}
        for pid, att, actor, s, t, topic, pol in props
    ]
    d["relations"] = [{"a": a, "b": b, "kind": k, "score": sc} for a, b, k, sc in rels]
    d["unattributed"] = [{"span": {"start": s, "end": e, "text": t}, "reason": why} for s, e, t, why in unatt]
    return d


def _vec(*xs):
    v = np.zeros(384, dtype=np.float32)
    v[: len(xs)] = xs
    return v / np.linalg.norm(v)


def _save(store, art, **meta):
    from saidwho.store import ArticleMeta

    return store.save_article(art, ArticleMeta(ext_id=art.id, outlet=meta.get("outlet", "Harbour Post"),
                                               published=meta.get("published")))


def test_round_trip_vague_and_replace(store):
    art = make_article("r1", [("Lena Ostrova", "the ferry fare must fall", "indirect"),
                              ("Some critics", "the ferry fare must rise", "indirect")],
                       lead="Over 4,000 riders took the ferry on Sunday.", types={"Some critics": "person"})
    aid = _save(store, art)
    assert store.pending_positions() == [aid]
    # the analysis's rule at ingest too: "Some critics" is vague though typed "person"
    assert [q["attribution_id"] for q in store.quotes(vague=True)] == ["a2"]
    c1, c2 = (a.content[0] for a in art.attributions)
    doc = _doc(
        art,
        [("p1", "a1", "s1", c1.start, c1.text, ["ferry fare"], "against"),
         ("p2", "a2", "s2", c2.start, c2.text, ["ferry fare"], "for")],
        rels=[("p1", "p2", "disagree", 0.81)],
        unatt=[(0, 43, "Over 4,000 riders took the ferry on Sunday", "number")],
        vague={"a2"},
    )
    extras = {"p1": {"keys": ["ferry", "fare", "fall"], "places": [], "fields": ["transport"], "embedding": _vec(1, 0)},
              "p2": {"keys": ["ferry", "fare", "rise"], "places": [], "fields": [], "embedding": None}}
    row = store.positions_input(aid)
    assert store.save_positions(aid, doc, extras, analysed_at=row["analysed_at"]) is True
    assert store.pending_positions() == []

    got = store.positions("r1")
    assert got["positions_at"] and got["propositions"] == doc["propositions"]
    assert got["relations"] == doc["relations"] and got["unattributed"] == doc["unattributed"]
    rec = store.article("r1")
    assert rec["propositions"] == doc["propositions"] and rec["relations"] == doc["relations"]
    assert [q["chain"] for q in rec["attributions"]] == [["Harbour Post", "Lena Ostrova"], ["Harbour Post", "Some critics"]]
    assert rec["doc"]["relations"] == doc["relations"]  # the enriched document replaces the engine's
    # the analysis decides the vague flag: quotes --vague follows it
    assert [q["attribution_id"] for q in store.quotes(vague=True)] == ["a2"]
    with store.engine.connect() as conn:
        from sqlalchemy import select

        from saidwho.store.schema import propositions

        blobs = dict(conn.execute(select(propositions.c.local_id, propositions.c.embedding)).all())
    assert np.allclose(np.frombuffer(blobs["p1"], dtype=np.float16), _vec(1, 0), atol=1e-3)
    assert blobs["p2"] is None

    # a write for an analysis that is no longer the stored one is refused
    assert store.save_positions(aid, doc, extras, analysed_at="1999-01-01") is False
    # re-analysing the article in place drops its positions (they are of the old analysis)
    store.save_article(art, None, replace=aid)
    assert store.pending_positions() == [aid]
    assert store.positions(aid)["propositions"] == [] and store.positions(aid)["relations"] == []
    assert store.article(aid)["unattributed"] == []


def test_schema_2_database_upgrades_and_is_pending(db_url):
    eng = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://", 1) if "://" in db_url
                        else f"sqlite:///{db_url}")
    migrate(eng, target=2)
    with eng.begin() as conn:
        arts = Table("articles", MetaData(), autoload_with=conn)
        assert "positions_at" not in arts.c
        conn.execute(insert(arts).values(key="id:old", sha256="0" * 64, text="Rates rose.", doc={"id": "old"},
                                         n_attributions=0, ingested_at="2024-01-01", analysed_at="2024-01-01"))
    eng.dispose()
    with open_store(db_url) as s:
        [aid] = s.pending_positions()
        assert s.positions(aid) == {"article_id": aid, "positions_at": None, "propositions": [], "relations": [],
                                    "unattributed": []}


def _corpus(store):
    """Three articles; Orrin and Velden collide on the quota across articles, and on the
    harbour tax inside one; Brandt agrees with Velden on the quota, across articles."""
    specs = [
        ("c1", "2024-03-01", [("Mara Velden", "the harbour tax must go", "against", ["harbour tax"], ["harbour", "tax"], _vec(1, 0, 0)),
                              ("Tomas Orrin", "the harbour tax must stay", "for", ["harbour tax"], ["harbour", "tax", "stay"], _vec(1, 0.1, 0))]),
        ("c2", "2024-03-02", [("Tomas Orrin", "no cuts to the fishing quota", "for", ["cut", "fishing quota"], ["cut", "fish", "quota"], _vec(0, 1, 0)),
                              ("Ilse Brandt", "the fishing quota should shrink", "against", ["fishing quota"], ["fish", "quota", "shrink"], _vec(0, 1, 0.1))]),
        ("c3", "2024-03-03", [("Mara Velden", "cut the fishing quota by half", "against", ["fishing quota", "half"], ["cut", "fish", "quota", "half"], _vec(0, 1, 0.2))]),
    ]
    for ext, day, quotes in specs:
        art = make_article(ext, [(n, t, "indirect") for n, t, *_ in quotes])
        aid = _save(store, art, published=day)
        props, extras = [], {}
        for i, (a, (_n, t, pol, topic, keys, vec)) in enumerate(zip(art.attributions, quotes), 1):
            props.append((f"p{i}", a.id, a.speaker.id, a.content[0].start, t, topic, pol))
            extras[f"p{i}"] = {"keys": keys, "places": [], "fields": ["fisheries"] if "quota" in t else [], "embedding": vec}
        rels = [("p1", "p2", "disagree", 0.9)] if ext == "c1" else []
        assert store.save_positions(aid, _doc(art, props, rels), extras)


class StandIn:
    """A stand-in for the stance model: fixed probabilities (disagree, agree, neither) per pair
    of texts, "neither" for the rest; it records what it was asked to read."""

    thresholds = {"disagree": 0.6, "agree": 0.6}

    def __init__(self, probs=None):
        self.probs = {frozenset(k): v for k, v in (probs or {}).items()}
        self.read: list[frozenset] = []

    def predict(self, pairs):
        self.read.extend(frozenset(p) for p in pairs)
        return np.array([self.probs.get(frozenset(p), (0.1, 0.1, 0.8)) for p in pairs], dtype=np.float32)


@pytest.fixture
def rule_only(monkeypatch):
    """The polarity rule alone (as without the stance model)."""
    from saidwho.analysis import stance

    monkeypatch.setattr(stance, "get_model", lambda: None)


@pytest.fixture
def stand_in(monkeypatch):
    from saidwho.analysis import stance

    model = StandIn()
    monkeypatch.setattr(stance, "get_model", lambda: model)
    return model


def test_disagreements_across_and_within_articles(store, rule_only):
    _corpus(store)
    got = store.disagreements()
    assert [g["score"] for g in got] == sorted((g["score"] for g in got), reverse=True)
    pairs = {(g["scope"], frozenset((g["a"]["speaker"]["name"], g["b"]["speaker"]["name"])), frozenset((g["a"]["text"], g["b"]["text"])))
             for g in got}
    assert ("article", frozenset({"Mara Velden", "Tomas Orrin"}),
            frozenset({"the harbour tax must go", "the harbour tax must stay"})) in pairs
    assert ("corpus", frozenset({"Mara Velden", "Tomas Orrin"}),
            frozenset({"no cuts to the fishing quota", "cut the fishing quota by half"})) in pairs
    # Brandt and Orrin disagree inside c2, but no relation was stored there: not found; Velden and
    # Brandt agree; the harbour-tax pair is not repeated as an across-articles pair
    assert len(got) == 2
    quota = next(g for g in got if g["scope"] == "corpus")
    assert {quota["a"]["article_ext_id"], quota["b"]["article_ext_id"]} == {"c2", "c3"}
    assert quota["a"]["outlet"] == "Harbour Post" and quota["kind"] == "disagree"

    two = store.disagreements(speakers=["Velden", "Tomas Orrin"])
    assert len(two) == 2 and {g["a"]["speaker"]["name"] for g in two} == {"Mara Velden"}
    assert [g["scope"] for g in store.disagreements(speakers=["Tomas Orrin", "Velden"], about="quota")] == ["corpus"]
    assert store.disagreements(speakers=["Ilse Brandt"]) == []
    assert [g["scope"] for g in store.disagreements(about="harbour")] == ["article"]
    assert all(g["scope"] == "corpus" for g in store.disagreements(scope="corpus"))
    assert len(store.disagreements(limit=1)) == 1
    agree = store.disagreements(kind="agree")
    assert [{g["a"]["speaker"]["name"], g["b"]["speaker"]["name"]} for g in agree] == [{"Mara Velden", "Ilse Brandt"}]
    from saidwho.store import NotFoundError

    with pytest.raises(NotFoundError):
        store.disagreements(speakers=["Nobody Atall"])


def test_compute_positions_is_enrich(tmp_path):
    """The backfill stores exactly the document enrich() gives (plus its matching extras)."""
    from saidwho import analyze
    from saidwho.analysis import enrich
    from saidwho.store.positions import compute_positions

    art = analyze("Mayor Ana Kessler said that the harbour will reopen. Some residents say it will not.", id="k")
    doc, extras = compute_positions(art, outlet="Coast Herald")
    assert doc == enrich(art, outlet="Coast Herald")
    assert set(extras) == {p["id"] for p in doc["propositions"]}
    assert all(x["keys"] for x in extras.values())


def test_common_words_still_count_when_they_do_not_find_pairs(store, monkeypatch, rule_only):
    from saidwho.analysis import corpus_pairs

    _corpus(store)
    full = {(g["scope"], g["a"]["text"], g["b"]["text"]): g["score"] for g in store.disagreements()}
    # "quota" and "fish" are in three propositions: over the cap they only score, "cut" finds the pair
    monkeypatch.setattr(corpus_pairs, "BUCKET_CAP", 2)
    capped = {(g["scope"], g["a"]["text"], g["b"]["text"]): g["score"] for g in store.disagreements()}
    assert capped == full and len(full) == 2


def test_topic_match_is_same_topic():
    from saidwho.analysis.corpus_pairs import topic_match
    from saidwho.analysis.relations import same_topic

    grid = [(lex, emb, f) for lex in (0.0, 0.19, 0.2, 0.25, 0.3, 0.5, 0.9) for emb in (None, -0.2, 0.44, 0.45, 0.55, 0.71, 0.72, 1.0)
            for f in (False, True)]
    ok, score = topic_match(np.array([g[0] for g in grid]), np.array([np.nan if g[1] is None else g[1] for g in grid]),
                            np.array([g[2] for g in grid]))
    for (lex, emb, f), o, sc in zip(grid, ok, score):
        want_ok, want_score = same_topic(lex, emb, f)
        assert (bool(o), round(float(sc), 9)) == (want_ok, round(want_score, 9)), (lex, emb, f)


def test_vague_flag_at_ingest_is_the_analysis_rule(store):
    from saidwho.analysis import is_vague

    art = make_article("v1", [("His staff", "the mayor is tired", "indirect"),
                              ("Some critics", "the toll is unfair", "indirect"),
                              ("officials", "the bridge is safe", "indirect")],
                       types={"His staff": "group", "Some critics": "person", "officials": "group"})
    _save(store, art)
    got = [q["vague"] for q in sorted(store.quotes(), key=lambda q: q["attribution_id"])]
    assert got == [is_vague(a) for a in art.attributions] == [False, True, True]


def test_corpus_matching_uses_the_analysis_rules():
    from saidwho.analysis import corpus_pairs, relations
    from saidwho.store import positions

    assert corpus_pairs.topic_match is relations.topic_match  # not a copy of same_topic
    assert corpus_pairs.decide is relations.decide  # one rule inside an article and across
    assert corpus_pairs.word_weights is relations.word_weights
    # the store only loads and shapes: no matching or deciding of its own
    assert not any(hasattr(positions, n) for n in ("topic_match", "_cross_pairs", "_weights", "decide"))


def test_across_articles_the_stance_model_decides_as_inside_one(store, stand_in, monkeypatch):
    _corpus(store)
    quota = ("no cuts to the fishing quota", "cut the fishing quota by half")
    # the rule's pair (opposite polarity), which the model reads as "neither": vetoed
    assert store.disagreements(scope="corpus") == []
    assert frozenset(quota) in stand_in.read
    # the model confirms it: the rule and the model, the model's probability as the score
    stand_in.probs[frozenset(quota)] = (0.7, 0.1, 0.2)
    [got] = store.disagreements(scope="corpus")
    assert (got["basis"], got["score"], got["scope"]) == ("polarity rule, stance model", 0.7, "corpus")
    assert {got["a"]["article_ext_id"], got["b"]["article_ext_id"]} == {"c2", "c3"}
    # Velden and Brandt have the same polarity: the rule calls it agreement, the model a confident
    # disagreement, and the model decides
    vb = ("the fishing quota should shrink", "cut the fishing quota by half")
    stand_in.probs[frozenset(vb)] = (0.9, 0.05, 0.05)
    got = store.disagreements(scope="corpus")
    assert [(g["basis"], g["score"]) for g in got] == [("stance model", 0.9), ("polarity rule, stance model", 0.7)]
    assert store.disagreements(kind="agree", scope="corpus") == []
    # the same verdicts as the analysis inside one article (relations.decide, one function)
    from saidwho.analysis.relations import Candidate, decide

    assert decide([Candidate(*vb, False, 0.8), Candidate(*quota, True, 0.8)], stand_in) == [
        ("disagree", pytest.approx(0.9), "stance model"), ("disagree", pytest.approx(0.7), "polarity rule, stance model")]
    # without the model the polarity rule decides alone, and says so
    from saidwho.analysis import stance

    monkeypatch.setattr(stance, "get_model", lambda: None)
    [got] = store.disagreements(scope="corpus")
    assert got["basis"] == "polarity rule" and {got["a"]["text"], got["b"]["text"]} == set(quota)


def test_in_article_pairs_carry_their_stored_basis(store, rule_only):
    _corpus(store)
    [got] = store.disagreements(scope="article")
    assert got["basis"] is None  # stored without one
    art = make_article("c4", [("Mara Velden", "the ferry fare must fall", "indirect"),
                              ("Tomas Orrin", "the ferry fare must not fall", "indirect")])
    aid = _save(store, art, published="2024-03-04")
    c1, c2 = (a.content[0] for a in art.attributions)
    doc = _doc(art, [("p1", "a1", "s1", c1.start, c1.text, ["ferry fare"], "for"),
                     ("p2", "a2", "s2", c2.start, c2.text, ["ferry fare"], "against")], rels=[("p1", "p2", "disagree", 0.8)])
    doc["relations"][0]["basis"] = "polarity rule, stance model"
    assert store.save_positions(aid, doc, {})
    got = {g["a"]["article_ext_id"]: g["basis"] for g in store.disagreements(scope="article")}
    assert got == {"c1": None, "c4": "polarity rule, stance model"}


def _self_corpus(store):
    """Velden on the quota three times: for a cut (c1), against it later (c2, another outlet),
    and on the ferry (c3); Orrin once (c2)."""
    specs = [
        ("s1", "Harbour Post", "2024-01-10", [("Mara Velden", "cut the fishing quota now", "against", ["fish", "quota", "cut"])]),
        ("s2", "Coast Herald", "2024-05-02", [("Mara Velden", "the fishing quota must stay as it is", "for", ["fish", "quota", "stay"]),
                                             ("Tomas Orrin", "the fishing quota must grow", "for", ["fish", "quota", "grow"])]),
        ("s3", "Harbour Post", "2024-06-01", [("Mara Velden", "the ferry will run at night", "for", ["ferry", "night"])]),
    ]
    for ext, outlet, day, quotes in specs:
        art = make_article(ext, [(n, t, "indirect") for n, t, *_ in quotes])
        aid = _save(store, art, published=day, outlet=outlet)
        props, extras = [], {}
        for i, (a, (_n, t, pol, keys)) in enumerate(zip(art.attributions, quotes), 1):
            props.append((f"p{i}", a.id, a.speaker.id, a.content[0].start, t, ["fishing quota"], pol))
            extras[f"p{i}"] = {"keys": keys, "places": [], "fields": ["fisheries"] if "quota" in t else [], "embedding": None}
        assert store.save_positions(aid, _doc(art, props), extras)


def test_self_contradictions_over_time(store, stand_in):
    _self_corpus(store)
    early, late = "cut the fishing quota now", "the fishing quota must stay as it is"
    stand_in.probs[frozenset((early, late))] = (0.8, 0.1, 0.1)
    stand_in.probs[frozenset((early, "the fishing quota must grow"))] = (0.85, 0.1, 0.05)
    [got] = store.disagreements(scope="self")
    assert got["scope"] == "self" and got["basis"] == "polarity rule, stance model"
    assert got["a"]["speaker"] == got["b"]["speaker"] and got["a"]["speaker"]["name"] == "Mara Velden"
    # the earlier statement first, each side naming its article and date
    assert (got["a"]["text"], got["a"]["article_ext_id"], got["a"]["published"]) == (early, "s1", "2024-01-10")
    assert (got["b"]["text"], got["b"]["article_ext_id"], got["b"]["published"]) == (late, "s2", "2024-05-02")
    # a speaker's own pairs are not disagreements between speakers, and the reverse
    assert all(g["a"]["speaker"] != g["b"]["speaker"] for g in store.disagreements())
    assert [g["b"]["speaker"]["name"] for g in store.disagreements(scope="corpus")] == ["Tomas Orrin"]
    assert len(store.disagreements(scope="self", speakers=["Velden"])) == 1
    assert store.disagreements(scope="self", speakers=["Tomas Orrin"]) == []
    from saidwho.store import StoreError

    with pytest.raises(StoreError):
        store.disagreements(scope="self", speakers=["Velden", "Orrin"])


def test_filters_outlet_and_dates(store, rule_only):
    _self_corpus(store)
    assert len(store.disagreements(scope="self")) == 1
    assert len(store.disagreements(scope="corpus")) == 1
    # both articles must pass: the pair spans Harbour Post (s1) and Coast Herald (s2)
    assert store.disagreements(scope="self", outlet="harbour post") == []
    assert store.disagreements(scope="self", since="2024-02-01") == []
    assert store.disagreements(scope="self", until="2024-05-01") == []
    assert len(store.disagreements(scope="self", since="2024-01-10", until="2024-05-02")) == 1
    from saidwho.store import StoreError

    with pytest.raises(StoreError):
        store.disagreements(since="2024-06-01", until="2024-01-01")
