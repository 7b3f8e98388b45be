"""Where something was said: a named outlet, an addressee outlet, a common medium noun."""


def _cue(art, word):
    return next(a for a in art.attributions if word in a.cue.text)


def test_article_published_by_named_newspaper(engine):
    text = "The economist Ruth Abara said in an article published by the newspaper Tribuna that rents would rise."
    att = _cue(engine.analyze(text), "said")
    assert att.medium is not None and att.medium.text == "Tribuna"


def test_no_medium_for_according_to(engine):
    att = _cue(engine.analyze("According to Ruth Abara, rents will rise."), "According")
    assert att.medium is None


def test_appositive_name_of_the_newspaper_wins(engine):
    text = "She said in an interview with the Valdoran newspaper Tidende that prices would rise."
    att = _cue(engine.analyze(text), "said")
    assert att.medium is not None and att.medium.text == "Tidende"
