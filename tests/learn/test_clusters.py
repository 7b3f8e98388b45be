"""Word clusters shipped for the cue tagger."""

from saidwho.learn.clusters import lemma_clusters
from saidwho.learn.features import DocInfo, cue_features


def test_table_has_both_granularities():
    table = lemma_clusters()
    assert len(table) > 5000
    c128, c512 = table["say"]
    assert 0 <= int(c128) < 128 and 0 <= int(c512) < 512


def test_speech_verbs_share_a_coarse_cluster():
    table = lemma_clusters()
    assert table["claim"][0] == table["argue"][0]


def test_cue_features_carry_the_clusters(engine):
    info = DocInfo.of(engine.nlp("The mayor said the pier was safe."))
    feats = cue_features(info, 2)
    assert "k1=" + lemma_clusters()["say"][0] in feats
