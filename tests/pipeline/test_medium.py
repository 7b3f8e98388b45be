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


def test_the_entity_of_a_token_is_the_one_doc_ents_has(engine):
    from saidwho.pipeline.medium import entity_at

    doc = engine.nlp.make_doc(
        "Ruth Abara of the New York Times told CNN on Monday that the Bank of England would act. "
        "The Guardian and Reuters reported it; President Joe Biden said so in Washington."
    )
    for _, pipe in engine.nlp.pipeline:
        if not getattr(pipe, "name", "").startswith("saidwho"):
            doc = pipe(doc)
    assert doc.ents
    for tok in doc:
        want = next((e for e in doc.ents if e.start <= tok.i < e.end), None)
        got = entity_at(tok)
        assert (got.start, got.end, got.label_) == (want.start, want.end, want.label_) if want is not None else got is None
