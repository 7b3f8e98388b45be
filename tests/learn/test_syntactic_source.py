"""The tagger's source checked against the parse."""

from saidwho.learn.decode import _syntactic_source
from saidwho.learn.features import DocInfo


def test_words_outside_the_subject_phrase_are_trimmed(engine):
    info = DocInfo.of(engine.nlp("On Monday, Mayor Ines Vale said the pier would reopen."))
    # a run "Monday, Mayor Ines Vale" (tokens 1-5) for the cue "said" (token 6)
    assert _syntactic_source(info, 6, 7, (1, 6)) == (3, 6)


def test_source_that_is_the_subject_phrase_is_kept(engine):
    info = DocInfo.of(engine.nlp("Mayor Ines Vale said the pier would reopen."))
    assert _syntactic_source(info, 3, 4, (0, 3)) == (0, 3)


def test_dateline_and_participle_phrase_are_not_the_source(engine):
    from saidwho.learn.decode import _tidy_source

    info = DocInfo.of(engine.nlp("OSLO - Harbour officials said the pier would reopen."))
    assert info.doc[slice(*_tidy_source(info, (0, 4)))].text == "Harbour officials"
    info = DocInfo.of(engine.nlp("Vale, speaking to reporters in Tulsa, said the pier would reopen."))
    assert info.doc[slice(*_tidy_source(info, (0, 7)))].text == "Vale"
    info = DocInfo.of(engine.nlp("Many unions, including the teachers, said the pier would reopen."))
    assert info.doc[slice(*_tidy_source(info, (0, 7)))].text == "Many unions, including the teachers,"


def test_relative_clause_cue_without_source_speaks_for_its_pronoun(engine):
    info = DocInfo.of(engine.nlp("The agency released a report which notes that the pier is unsafe."))
    assert _syntactic_source(info, 6, 7, None) == (5, 6)  # "which" for "notes"


def test_subject_of_a_passive_cue_is_its_target_not_its_source(engine):
    info = DocInfo.of(engine.nlp("The mayor was accused of hiding the report."))
    assert _syntactic_source(info, 2, 5, (0, 2)) is None  # cue "was accused of"


def test_bare_seem_cue_has_no_source_but_seem_to_think_keeps_it(engine):
    info = DocInfo.of(engine.nlp("The plan seems shaky to the engineers."))
    assert _syntactic_source(info, 2, 3, (0, 2)) is None
    info = DocInfo.of(engine.nlp("The mayor seems to think the pier is safe."))
    assert _syntactic_source(info, 2, 3, (0, 2)) == (0, 2)
