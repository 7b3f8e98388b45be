"""Fixed constructions: "in X's words", "in the words of X", "X's view is that"."""


def _only(art):
    assert len(art.attributions) == 1, [a.cue.text for a in art.attributions]
    return art.attributions[0]


def test_in_the_words_of(engine):
    att = _only(engine.analyze("In the words of the harbour master, the pier is beyond repair."))
    assert att.kind == "according_to"
    assert att.source.text == "the harbour master"
    assert att.content_text == "the pier is beyond repair"


def test_in_possessive_words(engine):
    att = _only(engine.analyze("In her words, the budget was a fantasy."))
    assert att.cue.text == "In her words"
    assert att.source.text == "her"
    assert att.content_text == "the budget was a fantasy"


def test_possessive_view_is_that(engine):
    att = _only(engine.analyze("The minister's view is that the tunnel costs too much."))
    assert att.source.text == "The minister"
    assert att.kind == "belief"
    assert "the tunnel costs too much" in att.content_text


def test_transcript_line_speaker_colon(engine):
    text = (
        "The interview went on for an hour.\n\n"
        "HALVORSEN: We never promised a new bridge. We promised a study.\n\n"
        "The host moved on."
    )
    [att] = [a for a in engine.analyze(text).attributions if a.cue.text == ":"]
    assert att.source.text == "HALVORSEN"
    assert att.content_text == "We never promised a new bridge. We promised a study"


def test_label_before_colon_is_not_a_speaker(engine):
    text = "The plant closed in May.\n\nUpdate: The plant reopened on Monday after repairs."
    assert not [a for a in engine.analyze(text).attributions if a.cue.text == ":"]


def test_quote_after_a_colon_belongs_to_the_subject_of_the_clause(engine):
    text = "On Monday, speaking in Tulsa, Mayor Ines Vale set out her goals: “a new pier; lower fares; no closures of the old harbour.”"
    [att] = engine.analyze(text).attributions
    assert att.cue.text == "set out her goals:"
    assert att.source.text == "Mayor Ines Vale"
    assert att.speaker.name == "Ines Vale"
    assert att.kind == "direct"
