"""Cross-fitted scoring: each half is tagged by the models trained on the other half."""

from saidwho.learn.crossfit import crossfit_scores, fold_models, load_fold_models, save_fold_models
from saidwho.pipeline.factories import PIPES

TEXTS = [
    "Mayor Ines Vale said the pier would reopen in May.",
    "The harbour master said the boats were safe.",
    "Tomas Berg said the budget was too small.",
    "A spokesperson said the ferry would run again.",
]


def _gold(text: str) -> list[dict]:
    cue = text.index(" said ") + 1
    return [{"source": [[0, cue - 1]], "cue": [[cue, cue + 4]], "content": [[cue + 5, len(text) - 1]]}]


def test_folds_score_every_article_with_the_other_half_and_restore_the_engine(engine):
    nlp = engine.nlp
    docs = list(nlp.pipe(TEXTS, disable=list(PIPES)))
    golds = [_gold(t) for t in TEXTS]
    models = fold_models(docs, golds, epochs=2, log=lambda m: None)
    assert len(models) == 2 and models[0][0] is not models[1][0]
    cues = nlp.get_pipe("saidwho_cues")
    before = (cues.model, cues.article_boost)
    res = crossfit_scores(nlp, docs, golds, models, article_boost=0.0)
    assert res["exact"]["cue"]["n_gold"] == 4  # every article scored once
    # four "said" sentences: each half's models learned "said" from the other half
    assert res["exact"]["cue"]["f1"] == 1.0
    assert (cues.model, cues.article_boost) == before


def test_saved_fold_models_score_the_same_when_loaded_again(engine, tmp_path):
    nlp = engine.nlp
    docs = list(nlp.pipe(TEXTS, disable=list(PIPES)))
    golds = [_gold(t) for t in TEXTS]
    models = fold_models(docs, golds, epochs=2, log=lambda m: None)
    assert load_fold_models(str(tmp_path / "folds")) is None  # nothing saved yet
    save_fold_models(models, str(tmp_path / "folds"))
    again = load_fold_models(str(tmp_path / "folds"))
    assert [(c.w, r.w) for c, r in again] == [(c.w, r.w) for c, r in models]
    assert crossfit_scores(nlp, docs, golds, again) == crossfit_scores(nlp, docs, golds, models)
