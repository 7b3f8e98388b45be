"""Content boundaries: whole quotations, and fragments that belong to another clause."""

from saidwho.learn.features import DocInfo
from saidwho.pipeline.extraction import complete_quotes, parallel_that_clauses, quotes_after_the_cue
from saidwho.pipeline.quotes import quote_regions


def test_fragment_opening_a_quotation_takes_the_whole_quotation():
    text = "“We lost the vote. ... We will be back in spring!” Vale said."
    first = (1, text.index(" ..."))
    assert complete_quotes(text, [first], quote_regions(text)) == [(1, text.index("!") + 1)]


def test_quotation_claimed_by_another_attribution_is_not_taken():
    text = "“We lost the vote. Ask the clerk, who said it was close,” Vale said."
    first = (1, text.index(" Ask"))
    other = (text.index("said"), text.index("said") + 4)
    assert complete_quotes(text, [first], quote_regions(text), [other]) == [first]


def test_reported_speech_stopping_inside_a_quotation_runs_to_its_closing_mark():
    text = 'Vale said there is a "real gap between the harbour and the town," and left.'
    frag = (10, text.index(" between"))  # the tagger stopped after "real"
    assert complete_quotes(text, [frag], quote_regions(text)) == [(10, text.index(",\" and") + 2)]
    curly = "Vale said the plan was “a gift to the harbour.” Then she left."
    frag = (10, curly.index(" to the"))
    assert complete_quotes(curly, [frag], quote_regions(curly)) == [(10, curly.index(".”") + 2)]


def test_reported_speech_ending_just_before_the_closing_mark_is_kept():
    text = 'Vale said the vote was a "clear win for the harbour." Then she left.'
    frag = (10, text.index('."'))
    assert complete_quotes(text, [frag], quote_regions(text)) == [frag]


def test_a_quotation_claimed_by_another_attribution_is_not_run_into():
    text = 'Vale said there is a "real gap, as Reyes put it, between the two," and left.'
    frag = (10, text.index(", as"))
    other = (text.index("put"), text.index("put") + 6)
    assert complete_quotes(text, [frag], quote_regions(text), [other]) == [frag]


def test_fragment_outside_quotes_is_unchanged():
    text = "Vale said the vote was lost."
    frag = (10, len(text) - 1)
    assert complete_quotes(text, [frag], quote_regions(text)) == [frag]


def test_clause_before_a_semicolon_is_not_content(engine):
    art = engine.analyze("It is an unlikely outcome; the mayor's office says the ferry will keep running.")
    [att] = [a for a in art.attributions if a.cue.text == "says"]
    assert "unlikely" not in att.content_text
    assert "the ferry will keep running" in att.content_text


def test_participle_clause_after_a_quote_is_not_its_content(engine):
    art = engine.analyze("“The harbour is safe,” Vale said, suggesting the inspectors had been wrong.")
    [att] = [a for a in art.attributions if a.cue.text == "said"]
    assert att.content_text.strip("“”,") == "The harbour is safe"


def test_quote_paragraph_without_cue_goes_on_with_the_previous_quote(engine):
    text = (
        "“The pier will reopen in May,” said Ines Vale, the harbour master.\n\n"
        "“We have ordered the timber and the divers start on Monday.”\n\n"
        "The council meets next week."
    )
    [att] = [a for a in engine.analyze(text).attributions if a.parent is None]
    assert [c.text.strip("“”,.") for c in att.content] == [
        "The pier will reopen in May",
        "We have ordered the timber and the divers start on Monday",
    ]


def test_second_coordinated_statement_stands_on_its_own(engine):
    art = engine.analyze(
        "The council said the budget was balanced and warned that taxes would rise."
    )
    atts = {a.cue.text: a for a in art.attributions}
    assert atts["said"].content_text == "the budget was balanced"
    assert atts["warned"].parent is None
    assert atts["warned"].source.text == "The council"
    assert atts["warned"].content_text == "that taxes would rise"


def test_quote_sentence_after_the_cue_sentence_goes_on_with_the_quote(engine):
    text = "“The levee will hold,” the engineer said on Monday. “We tested every metre of it.”\n\nRain is due."
    info = DocInfo.of(engine.nlp(text))
    said = text.index("said")
    record = {"cue": [said, said + 4], "source": None, "content": [[0, text.index(" the engineer")]]}
    quotes_after_the_cue(info, [record], quote_regions(text))
    assert [text[a:b].strip("“”,.") for a, b in record["content"]] == ["The levee will hold", "We tested every metre of it"]


def test_coordinated_verb_of_the_content_stays_nested(engine):
    # "bragging" goes with "is ignoring" (the mayor's), not with "argued" (the columnist's)
    art = engine.analyze(
        "The columnist argued that the mayor is ignoring expert advice, delaying repairs, "
        "and bragging that the harbour never looked better."
    )
    atts = {a.cue.text: a for a in art.attributions}
    assert atts["bragging"].parent == atts["argued"].id
    assert atts["bragging"].source is None or atts["bragging"].source.text != "The columnist"
    assert "bragging" in atts["argued"].content_text


def test_parallel_that_clauses_after_a_semicolon_are_all_content(engine):
    text = (
        "The mayor openly said that the pier will close in May; that the ferry will stop at the "
        "old dock; that the fares will rise."
    )
    info = DocInfo.of(engine.nlp(text))
    first = (text.index("that"), text.index(";"))
    [(a, b)] = parallel_that_clauses(info, [first])
    assert text[a:b] == "that the pier will close in May; that the ferry will stop at the old dock; that the fares will rise"
    plain = "The mayor said that the pier will close; the ferry runs on."
    info = DocInfo.of(engine.nlp(plain))
    frag = (plain.index("that"), plain.index(";"))
    assert parallel_that_clauses(info, [frag]) == [frag]
