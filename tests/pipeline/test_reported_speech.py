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
