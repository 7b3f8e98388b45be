"""Token clusters: the nearest centroid of each token's vector in context, as features."""

import numpy as np

from saidwho.learn.build_token_clusters import kmeans
from saidwho.learn.features import DocInfo, cue_features, role_features, role_window
from saidwho.learn.token_clusters import SIZES, WIDTH, centroids, token_clusters

TEXT = "The harbour master said the boats were safe. Police charged the driver with theft."


def test_the_packaged_centroids_have_every_size():
    cs = centroids()
    assert [c.shape for c, _ in cs] == [(k, WIDTH) for k in SIZES]


def test_each_token_gets_its_nearest_centroid_at_each_size(engine):
    doc = engine.nlp(TEXT)
    got = token_clusters(doc)
    assert len(got) == len(doc)
    for (c, _), k in zip(centroids(), range(len(SIZES))):
        brute = ((doc.tensor[:, None, :] - c[None, :, :]) ** 2).sum(-1).argmin(1)
        assert [int(t[k]) for t in got] == brute.tolist()


def test_both_taggers_see_the_clusters(engine):
    doc = engine.nlp(TEXT)
    info = DocInfo.of(doc)
    said = [t.i for t in doc if t.text == "said"][0]
    f = cue_features(info, said)
    assert "tc0=" + info.tcl[said][0] in f and "tc2=" + info.tcl[said][2] in f
    lo, hi = role_window(info, said, said + 1)
    rf = role_features(info, said, said + 1, lo, hi)
    assert any(x.startswith("tc=") for x in rf[said + 2 - lo])


def test_a_doc_without_token_vectors_gets_no_cluster_features(engine):
    doc = engine.nlp(TEXT)
    doc.tensor = np.zeros((0, 0), dtype="float32")  # as a Doc read back from a DocBin
    info = DocInfo.of(doc)
    assert token_clusters(doc) is None and info.tcl is None
    said = [t.i for t in doc if t.text == "said"][0]
    assert not any(x.startswith("tc") for x in cue_features(info, said))


def test_kmeans_finds_well_separated_groups():
    rng = np.random.default_rng(1)
    x = np.concatenate([rng.normal(m, 0.1, size=(50, 2)) for m in (-5.0, 0.0, 5.0)]).astype(np.float32)
    c = kmeans(x, 3, np.random.default_rng(0))
    assert sorted(round(float(v)) for v in c[:, 0]) == [-5, 0, 5]
