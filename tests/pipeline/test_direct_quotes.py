"""Direct quotes: straight and curly marks, split around the cue, after a colon, inverted."""


def _by_cue(article, word):
    return [a for a in article.attributions if word in a.cue.text]


def test_curly_quote_with_speaker_after(engine):
    art = engine.analyze("“The bridge will open in May,” the mayor said.")
    [att] = _by_cue(art, "said")
    assert att.kind == "direct"
    assert "bridge will open in May" in att.content_text
    assert att.source is not None and att.source.text == "the mayor"


def test_straight_quote_inverted_speaker(engine):
    text = '"We have no plans to raise taxes," said Finance Minister Oren Vasko.'
    art = engine.analyze(text)
    [att] = _by_cue(art, "said")
    assert att.kind == "direct"
    assert "Oren Vasko" in att.source.text
    assert att.speaker is not None and att.speaker.name == "Oren Vasko"


def test_split_quote_has_two_content_fragments(engine):
    text = "“Frankly,” Dana Whitlow said, “the harbour is a disgrace. We will fix it.”"
    art = engine.analyze(text)
    [att] = _by_cue(art, "said")
    assert len(att.content) == 2
    assert att.content[0].text.startswith("“Frankly") or "Frankly" in att.content[0].text
    assert "harbour is a disgrace" in att.content[1].text
    assert att.speaker.name == "Dana Whitlow"


def test_offsets_point_into_the_input_exactly(engine):
    text = "Intro line.\r\n\r\n“Prices will fall,” the governor said on Monday."
    art = engine.analyze(text)
    for att in art.attributions:
        for span in (att.cue, att.source, *att.content):
            if span is not None:
                assert text[span.start : span.end] == span.text


def test_quote_over_paragraphs_each_reopening_the_mark(engine):
    text = (
        "The harbour master spoke at length.\n\n"
        "“We have lost three boats this winter. The pier is failing.\n\n"
        "“Nobody in the capital listens. We will keep asking,” said Harbour Master Elin Vasko."
    )
    [att] = _by_cue(engine.analyze(text), "said")
    assert att.kind == "direct"
    assert "three boats" in att.content[0].text
    assert "Nobody in the capital listens" in att.content[-1].text
    assert att.speaker.name == "Elin Vasko"


def test_doubled_apostrophe_quote_split_by_its_cue(engine):
    # the second part is a sentence of its own inside the same quotation, and it holds a
    # reporting verb ("wish"): it is still what the economist said, word for word
    text = (
        "''Nobody plans a budget around a windfall,'' said Maren Doyle, an economist at the "
        "institute. ''Most families wish they could go back and save more of it.''"
    )
    art = engine.analyze(text)
    [att] = _by_cue(art, "said")
    assert att.kind == "direct"
    assert att.speaker is not None and att.speaker.name == "Maren Doyle"
    assert [c.text for c in att.content] == [
        "''Nobody plans a budget around a windfall,''",
        "''Most families wish they could go back and save more of it.''",
    ]
