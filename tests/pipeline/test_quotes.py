from saidwho.pipeline.quotes import quote_regions


def test_curly_and_straight_marks():
    text = 'He said “yes” and then "no".'
    regions = quote_regions(text)
    assert [text[a:b] for a, b in regions] == ["“yes”", '"no"']


def test_quote_reopened_each_paragraph_closes_at_break():
    text = "“First paragraph goes on.\n\n“Second one ends here,” she said."
    regions = quote_regions(text)
    assert [text[a:b] for a, b in regions] == ["“First paragraph goes on.", "“Second one ends here,”"]
