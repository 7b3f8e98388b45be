"""Unattributed claims, vague sources, source chains."""

from __future__ import annotations

from saidwho.analysis import chain_text, enrich

from .conftest import make_article


def test_unattributed_claim_with_reason(nlp):
    text = (
        "Mayor Ilse Marr said the river will be cleaned. The floods have killed at least 212 people "
        "since March. The brutal crackdown left protesters injured. The council met on Tuesday."
    )
    art = make_article(text, [{"speaker": ("Ilse Marr", "person"), "source": "Mayor Ilse Marr", "cue": "said", "content": ["the river will be cleaned"]}])
    un = enrich(art, nlp=nlp)["unattributed"]
    by_text = {u["span"]["text"]: u["reason"] for u in un}
    assert "The floods have killed at least 212 people since March" in by_text
    assert "casualty figure" in by_text["The floods have killed at least 212 people since March"]
    assert "evaluative" in by_text["The brutal crackdown left protesters injured"]
    assert not any("council met" in t for t in by_text)  # nothing to check
    assert not any("river" in t for t in by_text)  # attributed


def test_attributed_figures_and_quoted_words_are_not_unattributed(nlp):
    text = "Dr. Mira Santos said 40 people had died. He is pushing a \u201cdevastating and brutal plan.\u201d"
    art = make_article(text, [{"speaker": ("Mira Santos", "person"), "source": "Dr. Mira Santos", "cue": "said", "content": ["40 people had died"]}])
    assert enrich(art, nlp=nlp)["unattributed"] == []


def test_which_clause_closing_reported_content_is_the_writers_own(nlp):
    text = "Officials urged the army to spare the town, which has lost some 3,000 residents since May."
    art = make_article(text, [{"speaker": ("Officials", "group"), "source": "Officials", "cue": "urged", "content": ["the army to spare the town, which has lost some 3,000 residents since May"]}])
    d = enrich(art, nlp=nlp)
    assert [p["span"]["text"] for p in d["propositions"]] == ["the army to spare the town"]
    assert [u["span"]["text"] for u in d["unattributed"]] == ["which has lost some 3,000 residents since May"]


def test_vague_flag(nlp):
    text = (
        "Some speculate that the deal is dead. Officials said the talks had stalled. "
        "Critics say the plan is flawed. Minister Ada Korr said the deal is alive. "
        "President Ilves and other officials said the talks will resume."
    )
    specs = [
        {"speaker": ("some", "anonymous"), "source": "Some", "cue": "speculate", "content": ["that the deal is dead"]},
        {"speaker": ("officials", "group"), "source": "Officials", "cue": "said", "content": ["the talks had stalled"]},
        {"speaker": ("critics", "group"), "source": "Critics", "cue": "say", "content": ["the plan is flawed"]},
        {"speaker": ("Ada Korr", "person"), "source": "Minister Ada Korr", "cue": "said", "content": ["the deal is alive"]},
        {"speaker": ("President Ilves and other officials", "group"), "source": "President Ilves and other officials", "cue": "said", "content": ["the talks will resume"], "after": "President Ilves"},
        {"speaker": None, "source": None, "cue": "said", "content": ["the talks had stalled"], "after": "Officials"},
    ]
    d = enrich(make_article(text, specs), nlp=nlp)
    assert [a["vague"] for a in d["attributions"]] == [True, True, True, False, False, True]


CHAIN_TEXT = (
    "Ship owners are ignoring the ban, the former harbour master Alon Pekar said in an article "
    "published by the Valdoran newspaper Tidende. Pekar argued that the minister was bragging "
    "that \u201cthe ban is dead.\u201d Mayor Ilse Marr said the port is calm."
)


def _chain_article(meta=None):
    specs = [
        {"speaker": ("Alon Pekar", "person"), "source": "the former harbour master Alon Pekar", "cue": "said", "content": ["Ship owners are ignoring the ban"], "medium": "the Valdoran newspaper Tidende"},
        {"speaker": ("Pekar", "person"), "source": "Pekar", "cue": "argued", "content": ["that the minister was bragging that \u201cthe ban is dead.\u201d"]},
        {"speaker": ("the minister", "person"), "source": "the minister", "cue": "bragging", "content": ["\u201cthe ban is dead.\u201d"], "parent": "a2", "kind": "direct"},
        {"speaker": ("Ilse Marr", "person"), "source": "Mayor Ilse Marr", "cue": "said", "content": ["the port is calm"], "after": "Mayor"},
    ]
    return make_article(CHAIN_TEXT, specs, meta=meta)


def test_chain_outlet_medium_speaker_nested(nlp):
    d = enrich(_chain_article(), outlet="Harbour Times", nlp=nlp)
    chains = [a["chain"] for a in d["attributions"]]
    assert chains[0] == ["Harbour Times", "Tidende", "Alon Pekar"]
    # the medium cited once for Pekar carries to his other statements
    assert chains[1] == ["Harbour Times", "Tidende", "Alon Pekar"]
    assert chains[2] == ["Harbour Times", "Tidende", "Alon Pekar", "the minister"]
    assert chains[3] == ["Harbour Times", "Ilse Marr"]
    assert chain_text(d["attributions"][2]) == "Harbour Times \u2190 Tidende \u2190 Alon Pekar \u2190 the minister"


def test_chain_outlet_from_metadata_and_without_one(nlp):
    d = enrich(_chain_article(meta={"outlet": "Port News"}), nlp=nlp)
    assert d["attributions"][3]["chain"] == ["Port News", "Ilse Marr"]
    d = enrich(_chain_article(), nlp=nlp)
    assert d["attributions"][0]["chain"] == ["Tidende", "Alon Pekar"]


def test_medium_from_the_extraction_is_used(nlp):
    text = "The strike is over, Rosa Mendel told the Durnford Herald on Sunday."
    art = make_article(text, [{"speaker": ("Rosa Mendel", "person"), "source": "Rosa Mendel", "cue": "told", "content": ["The strike is over"], "medium": "the Durnford Herald"}])
    assert enrich(art, nlp=nlp)["attributions"][0]["chain"] == ["Durnford Herald", "Rosa Mendel"]
    # the medium is the engine's to find: without its span the chain names none
    art = make_article(text, [{"speaker": ("Rosa Mendel", "person"), "source": "Rosa Mendel", "cue": "told", "content": ["The strike is over"]}])
    assert enrich(art, nlp=nlp)["attributions"][0]["chain"] == ["Rosa Mendel"]


def test_vague_flag_without_a_parse_is_the_same_rule(nlp):
    """The store flags vague sources at ingest with is_vague() and no parse: same answers."""
    from saidwho.analysis import is_vague

    text = (
        "Some critics said the toll is unfair. Officials said the bridge is safe. "
        "Mayor Ana Kessler said repairs start soon. His staff said the mayor is tired. "
        "It was said that the bridge is old."
    )
    specs = [
        {"speaker": ("Some critics", "person"), "source": "Some critics", "cue": "said", "content": ["the toll is unfair"]},
        {"speaker": ("officials", "group"), "source": "Officials", "cue": "said", "content": ["the bridge is safe"]},
        {"speaker": ("Ana Kessler", "person"), "source": "Mayor Ana Kessler", "cue": "said", "content": ["repairs start soon"]},
        {"speaker": ("his staff", "group"), "source": "His staff", "cue": "said", "content": ["the mayor is tired"]},
        {"speaker": None, "source": None, "cue": "was said", "content": ["the bridge is old"]},
    ]
    art = make_article(text, specs)
    with_parse = [a["vague"] for a in enrich(art, nlp=nlp)["attributions"]]
    assert with_parse == [is_vague(a) for a in art.attributions] == [True, True, False, False, True]


def test_quoted_words_are_the_engines_quotation_regions(nlp):
    text = (
        "Mayor Ilse Marr said the river will be cleaned. Locals call it \u00abthe worst flood in 300 years\u00bb. "
        "Fishers spoke of a \u201cbroken promise.\n\n"
        "The floods have killed at least 212 people since March."
    )
    art = make_article(text, [{"speaker": ("Ilse Marr", "person"), "source": "Mayor Ilse Marr", "cue": "said", "content": ["the river will be cleaned"]}])
    texts = [u["span"]["text"] for u in enrich(art, nlp=nlp)["unattributed"]]
    # «…» is someone else's words; a quote left open closes at the paragraph's end
    assert not any("worst" in t or "300" in t for t in texts)
    assert "The floods have killed at least 212 people since March" in texts
