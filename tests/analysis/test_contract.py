"""enrich() on the real engine: the JSON contract of issue 4, on an invented article."""

from __future__ import annotations

import json

from saidwho.analysis import chain_text, enrich

ARTICLE = """Minister Ada Korr is ignoring the courts, the former judge Alon Pekar said in an article published by the Valdoran newspaper Tidende.

On Monday, Premier Ravi Kalani set out the government's goals: \u201cno new tolls on the Varn bridge; no sale of the harbour; strengthening the Port Authority (PA) so it can manage the harbour.\u201d

In contrast, Ada Korr said that the city intends to sell the harbour; that the PA will have no role in the harbour, and quietly cut the ferry budget by half.

Floods have killed some 212 people since March. Some speculate that the minister will resign."""


def test_enrich_document(engine, nlp):
    art = engine.analyze(ARTICLE)
    d = enrich(art, outlet="Harbour Times", nlp=nlp)
    json.dumps(d)
    base = art.to_dict()
    for k in base:
        assert k in d
    assert set(d) >= {"propositions", "relations", "unattributed"}
    ids = {p["id"] for p in d["propositions"]}
    att_ids = {a["id"] for a in d["attributions"]}
    sp_ids = {s["id"] for s in d["speakers"]}
    for p in d["propositions"]:
        assert set(p) == {"id", "attribution", "span", "actor", "topic", "polarity", "modality"}
        assert p["attribution"] in att_ids
        assert p["actor"] is None or p["actor"] in sp_ids
        assert ARTICLE[p["span"]["start"] : p["span"]["end"]] == p["span"]["text"]
        assert p["polarity"] in ("for", "against")
        assert isinstance(p["topic"], list)
    for r in d["relations"]:
        assert set(r) == {"a", "b", "kind", "score", "basis"} and r["a"] in ids and r["b"] in ids
        assert r["kind"] in ("disagree", "agree")
    for u in d["unattributed"]:
        assert set(u) == {"span", "reason"} and u["reason"]
    for a in d["attributions"]:
        assert isinstance(a["vague"], bool)
        assert a["chain"] and a["chain"][0] == "Harbour Times"
        assert chain_text(a).startswith("Harbour Times")
    # what the analysis adds on top of whatever the extraction finds
    assert any("212 people" in u["span"]["text"] for u in d["unattributed"])
