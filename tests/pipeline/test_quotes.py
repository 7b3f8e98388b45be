from saidwho.pipeline.quotes import quote_regions


def test_curly_and_straight_marks():
    text = 'He said “yes” and then "no".'
    regions = quote_regions(text)
    assert [text[a:b] for a, b in regions] == ["“yes”", '"no"']


def test_quote_reopened_each_paragraph_closes_at_break():
    text = "“First paragraph goes on.\n\n“Second one ends here,” she said."
    regions = quote_regions(text)
    assert [text[a:b] for a, b in regions] == ["“First paragraph goes on.", "“Second one ends here,”"]


def test_doubled_apostrophes_toggle_like_straight_marks():
    # archive text converted from typewriter conventions marks quotes with two apostrophes
    text = "''Rents will fall,'' the planner said. ''Not this year.'' It's the planners' call."
    regions = quote_regions(text)
    assert [text[a:b] for a, b in regions] == ["''Rents will fall,''", "''Not this year.''"]


def test_backticks_open_a_quote_that_doubled_apostrophes_close():
    text = "She said ``we are ready'' and left."
    assert [text[a:b] for a, b in quote_regions(text)] == ["``we are ready''"]


def test_single_apostrophes_are_not_quotes():
    text = "The mayors' plan isn't new, the council's chair said."
    assert quote_regions(text) == []


def test_whole_quotation_with_doubled_apostrophes():
    from saidwho.pipeline.quotes import whole_quotation

    text = "  ''We will rebuild the pier.''  "
    a, b = whole_quotation(text, 0, len(text))
    assert text[a:b] == "''We will rebuild the pier.''"
    assert whole_quotation("''We will rebuild", 0, 17) is None
