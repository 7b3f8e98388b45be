"""Reported speech, according-to, beliefs and nesting."""


def _one(article, word):
    found = [a for a in article.attributions if word in a.cue.text]
    assert found, [a.cue.text for a in article.attributions]
    return found[0]


def test_that_clause(engine):
    art = engine.analyze("The senator argued that the new tariff would hurt farmers in the north.")
    att = _one(art, "argued")
    assert att.kind == "indirect"
    assert "the new tariff would hurt farmers" in att.content_text
    assert att.source.text == "The senator"


def test_according_to(engine):
    art = engine.analyze("According to the ministry, unemployment fell to four percent in March.")
    att = _one(art, "According to")
    assert att.kind == "according_to"
    assert att.source is not None and "ministry" in att.source.text
    assert "unemployment fell" in att.content_text


def test_belief_is_an_attribution(engine):
    art = engine.analyze("Local officials fear that the river will flood the lower town again.")
    att = _one(art, "fear")
    assert att.kind == "belief"
    assert "river will flood" in att.content_text


def test_nested_attribution_has_parent(engine):
    text = (
        "The columnist Mara Lind wrote in the Daily Ledger that the governor was bragging "
        "that he had beaten the unions."
    )
    art = engine.analyze(text)
    outer = _one(art, "wrote")
    inner = _one(art, "bragging")
    assert inner.parent == outer.id
    assert outer.parent is None
    assert outer.medium is not None and "Daily Ledger" in outer.medium.text


def test_no_attribution_without_cue_or_quote(engine):
    art = engine.analyze("The river rose two metres overnight and the lower town was evacuated.")
    assert art.attributions == ()


def test_participle_cue_speaks_for_the_earlier_speaker(engine):
    text = (
        "The analyst Iva Marsh predicts that the central bank and other lenders will soon cut rates, "
        "explaining that, “inflation has fallen for six months in a row.”"
    )
    art = engine.analyze(text)
    explaining = _one(art, "explaining")
    assert explaining.speaker is not None and explaining.speaker.name == "Iva Marsh"


def test_stray_fragment_far_from_the_cue_is_dropped():
    from saidwho.pipeline.extraction import connected

    text = "Officials said the dam is safe. Farmers near the river disagree, calling it “a gamble.”"
    cue = (text.index("said"), text.index("said") + 4)
    src = (0, len("Officials"))
    near = (text.index("the dam"), text.index(" is safe") + len(" is safe"))
    far = (text.index("“a gamble"), len(text) - 1)
    assert connected(text, [near, far], [cue, src]) == [near]


def test_split_quote_fragments_are_kept():
    from saidwho.pipeline.extraction import connected

    text = "“We will rebuild,” the mayor said, “and we will start tomorrow.”"
    cue = (text.index("said"), text.index("said") + 4)
    src = (text.index("the mayor"), text.index("the mayor") + 9)
    first = (0, text.index("”") + 1)
    second = (text.index("“and"), len(text))
    assert connected(text, [first, second], [cue, src]) == [first, second]


def test_neighbouring_attributions_do_not_share_content(engine):
    text = (
        'Piet Anselm said he would welcome any repair. "I just want a pier that stays put," he said.'
    )
    art = engine.analyze(text)
    first, second = sorted((a for a in art.attributions if a.cue.text == "said"), key=lambda a: a.cue.start)
    assert "welcome any repair" in first.content_text
    assert "pier" not in first.content_text
    assert "pier that stays put" in second.content_text


def test_perception_view_as_is_a_belief(engine):
    art = engine.analyze("Many voters in the valley are beginning to view the governor as out of touch.")
    att = _one(art, "view")
    assert att.kind == "belief"
    assert att.content_text.startswith("the governor as out of touch")
    assert att.source is not None and att.source.text == "Many voters in the valley"
