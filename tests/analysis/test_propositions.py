from __future__ import annotations

from saidwho.analysis import enrich, learn_abbreviations

from .conftest import make_article

HARRIS = (
    "On Monday, Minister Ada Korr set out the government's goals: \u201cno new tolls on the "
    "Varn bridge; no privatisation of the northern ferry; no sale of the harbour to private owners; "
    "strengthening the Port Authority so it can manage the harbour.\u201d"
)


def _props(d):
    return d["propositions"]


def test_list_content_splits_into_one_proposition_per_item(nlp):
    content = HARRIS[HARRIS.index("\u201cno new") : HARRIS.rindex("\u201d") + 1]
    art = make_article(HARRIS, [{"speaker": ("Ada Korr", "person"), "source": "Minister Ada Korr", "cue": "set out", "content": [content], "kind": "direct"}])
    props = _props(enrich(art, nlp=nlp))
    texts = [p["span"]["text"] for p in props]
    assert texts == [
        "no new tolls on the Varn bridge",
        "no privatisation of the northern ferry",
        "no sale of the harbour to private owners",
        "strengthening the Port Authority so it can manage the harbour",
    ]
    for p in props:
        assert HARRIS[p["span"]["start"] : p["span"]["end"]] == p["span"]["text"]
        assert p["actor"] == "s1" and p["attribution"] == "a1"
    assert [p["polarity"] for p in props] == ["against", "against", "against", "for"]
    # "goals:" before the list makes every item a want
    assert {p["modality"] for p in props} == {"wants"}


COORD = (
    "Governor Lio Brant said that the state intends to build a dam on the Sella river; that "
    "the state will close the old mine by June; and that the farmers will have no say in the plan, "
    "and quietly raised water prices by 40 percent, despite a promise."
)


def test_coordinated_that_clauses_one_proposition_each_even_beyond_the_content(nlp):
    # the extraction only caught the first clause; the analysis continues the sentence
    art = make_article(COORD, [{"speaker": ("Lio Brant", "person"), "source": "Governor Lio Brant", "cue": "said", "content": ["that the state intends to build a dam on the Sella river"]}])
    d = enrich(art, nlp=nlp)
    texts = [p["span"]["text"] for p in d["propositions"]]
    assert texts == [
        "the state intends to build a dam on the Sella river",
        "the state will close the old mine by June",
        "the farmers will have no say in the plan",
    ]
    mods = [p["modality"] for p in d["propositions"]]
    assert mods == ["intends", "will", "will"]
    pols = [p["polarity"] for p in d["propositions"]]
    assert pols == ["for", "against", "against"]  # close X; will have no X
    # the past-tense tail is the writer's own statement, not the governor's
    assert any("raised water prices" in u["span"]["text"] for u in d["unattributed"])


def _one(nlp, sentence: str, content: str):
    art = make_article(sentence, [{"speaker": ("Ola Vent", "person"), "source": "Ola Vent", "cue": "said", "content": [content]}])
    props = enrich(art, nlp=nlp)["propositions"]
    assert len(props) == 1, props
    return props[0]


def test_polarity(nlp):
    assert _one(nlp, "Ola Vent said there will be no new tax on fuel.", "there will be no new tax on fuel")["polarity"] == "against"
    assert _one(nlp, "Ola Vent said the party rejects the new tax on fuel.", "the party rejects the new tax on fuel")["polarity"] == "against"
    assert _one(nlp, "Ola Vent said the council will have no role in the port.", "the council will have no role in the port")["polarity"] == "against"
    assert _one(nlp, "Ola Vent said the council will keep its role in the port.", "the council will keep its role in the port")["polarity"] == "for"
    # two flips cancel: "rejects any ban on X" is for X; "no cuts to X" is for X
    assert _one(nlp, "Ola Vent said the fleet rejects any ban on fishing.", "the fleet rejects any ban on fishing")["polarity"] == "for"
    assert _one(nlp, "Ola Vent said the budget includes no cuts to pensions.", "the budget includes no cuts to pensions")["polarity"] == "for"
    # a negation inside a subordinate clause does not flip the main statement
    assert _one(nlp, "Ola Vent said the army will stay until the rebels are not a threat.", "the army will stay until the rebels are not a threat")["polarity"] == "for"


def test_modality(nlp):
    cases = {
        "the city intends to sell the stadium": "intends",
        "the city will sell the stadium": "will",
        "the city wants to sell the stadium": "wants",
        "the city must sell the stadium": "demands",
        "the city sold the stadium": "asserts",
    }
    for content, expected in cases.items():
        assert _one(nlp, f"Ola Vent said {content}.", content)["modality"] == expected, content
    art = make_article(
        "Ola Vent predicted that the city will sell the stadium.",
        [{"speaker": ("Ola Vent", "person"), "source": "Ola Vent", "cue": "predicted", "content": ["that the city will sell the stadium"]}],
    )
    assert enrich(art, nlp=nlp)["propositions"][0]["modality"] == "predicts"


def test_abbreviations_are_learned_from_the_article():
    text = "Officials of the Palestinian Authority (PA) met the National Water Board (NWB) and UNICEF."
    abbr = learn_abbreviations(text)
    assert abbr["PA"] == "palestinian authority"
    assert abbr["NWB"] == "national water board"
    assert "UNICEF" not in abbr
    assert learn_abbreviations("The PA (Palestinian Authority) said.")["PA"] == "palestinian authority"


def test_abbreviation_makes_topics_meet(nlp):
    text = (
        "Ada Korr said she wants to strengthen the Palestinian Authority (PA) so that it can govern Gaza. "
        "Ben Sarid said the PA will have no governing role in Gaza."
    )
    art = make_article(
        text,
        [
            {"speaker": ("Ada Korr", "person"), "source": "Ada Korr", "cue": "said", "content": ["she wants to strengthen the Palestinian Authority (PA) so that it can govern Gaza"]},
            {"speaker": ("Ben Sarid", "person"), "source": "Ben Sarid", "cue": "said", "content": ["the PA will have no governing role in Gaza"], "after": "Ben Sarid"},
        ],
    )
    d = enrich(art, nlp=nlp)
    p1, p2 = d["propositions"]
    assert "palestinian authority" in p1["topic"] and "palestinian authority" in p2["topic"]
    assert (p1["polarity"], p2["polarity"]) == ("for", "against")
    rel = d["relations"]
    assert rel and rel[0]["kind"] == "disagree" and {rel[0]["a"], rel[0]["b"]} == {p1["id"], p2["id"]}


def test_nested_report_belongs_to_the_nested_speaker(nlp):
    text = "Rena Holt said that the mayor told her that the bridge will close in May."
    art = make_article(
        text,
        [
            {"speaker": ("Rena Holt", "person"), "source": "Rena Holt", "cue": "said", "content": ["that the mayor told her that the bridge will close in May"]},
            {"speaker": ("the mayor", "person"), "source": "the mayor", "cue": "told", "content": ["that the bridge will close in May"], "parent": "a1"},
        ],
    )
    props = enrich(art, nlp=nlp)["propositions"]
    assert [(p["attribution"], p["span"]["text"]) for p in props] == [("a2", "the bridge will close in May")]


def test_proposition_spans_do_not_end_in_unicode_spaces(nlp):
    text = "Mayor Ada Korr said that the ferry fare will fall\u00a0\u2009, and nothing else."
    art = make_article(text, [{"speaker": ("Ada Korr", "person"), "source": "Mayor Ada Korr", "cue": "said",
                               "content": ["the ferry fare will fall\u00a0\u2009"]}])
    [p] = _props(enrich(art, nlp=nlp))
    assert p["span"]["text"] == "the ferry fare will fall"
