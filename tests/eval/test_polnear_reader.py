"""The PolNeAR reader on a tiny corpus written by the tests (brat standoff + metadata.tsv)."""

from __future__ import annotations

from pathlib import Path

import pytest

from saidwho.eval.polnear import CorpusError, available_splits, load_split, parse_ann

from .conftest import TEXT_A, TEXT_B

def test_offsets_of_the_fixture_are_right():
    assert TEXT_B[49:58] == "a senator" and TEXT_B[30:46] == "It will not work" and TEXT_B[68:81] == "not this year"
    assert TEXT_A[3:12] == "is feared" and TEXT_A[13:36] == "the talks will collapse"


def test_split_sorted_by_id_with_first_listed_annotator(tiny_corpus: Path):
    arts = load_split(tiny_corpus, "dev")
    assert [a.id for a in arts] == ["a_article", "b_article"]
    b = arts[1]
    assert b.annotator == "zz01"  # first listed, although aa02 sorts first
    assert b.text == TEXT_B


def test_roles_discontinuous_numbered_and_dropped_events(tiny_corpus: Path):
    b = load_split(tiny_corpus, "dev")[1]
    atts = [g.to_dict() for g in b.attributions]
    assert atts[0] == {"source": [[0, 7]], "cue": [[8, 12]], "content": [[13, 27]]}
    assert atts[1] == {"source": [[49, 58]], "cue": [[59, 65]], "content": [[30, 46], [68, 81]]}
    # Content2 is content; no Source argument -> empty source
    assert atts[2] == {"source": [], "cue": [[59, 65]], "content": [[29, 30]]}
    # E4 has neither cue nor content; Discard/Discuss/A/# lines make nothing
    assert len(atts) == 3


def test_no_source_events_and_repeated_content(tiny_corpus: Path):
    a = load_split(tiny_corpus, "dev")[0]
    assert [g.to_dict() for g in a.attributions] == [
        {"source": [], "cue": [[13, 36]], "content": [[13, 36]]},
        {"source": [], "cue": [[3, 12]], "content": [[13, 36]]},
    ]


def test_limit_and_splits(tiny_corpus: Path):
    assert [a.id for a in load_split(tiny_corpus, "dev", limit=1)] == ["a_article"]
    assert [a.id for a in load_split(tiny_corpus, "train")] == ["c_article"]
    assert load_split(tiny_corpus, "train")[0].attributions == ()
    assert available_splits(tiny_corpus) == ["dev", "train"]


def test_falls_back_to_next_annotator_when_first_file_is_missing(tiny_corpus: Path):
    (tiny_corpus / "dev" / "attributions" / "b_article_zz01.ann").unlink()
    b = load_split(tiny_corpus, "dev")[1]
    assert b.annotator == "aa02"
    assert [g.to_dict() for g in b.attributions] == [{"source": [], "cue": [[8, 12]], "content": []}]


def test_errors_are_corpus_errors(tiny_corpus: Path, tmp_path: Path):
    with pytest.raises(CorpusError, match="not found"):
        load_split(tmp_path / "nowhere", "dev")
    with pytest.raises(CorpusError, match="metadata.tsv"):
        load_split(tmp_path, "dev")
    with pytest.raises(CorpusError, match=r"split 'gold' not found .*available: dev, train"):
        load_split(tiny_corpus, "gold")
    (tiny_corpus / "dev" / "text" / "a_article.txt").unlink()
    with pytest.raises(CorpusError, match="a_article.txt"):
        load_split(tiny_corpus, "dev")


def test_parse_ann_ignores_malformed_lines():
    ann = "T1\tCue 4 x\tbad\nT2\tContent 0 3\tabc\nE1\tAttribution:T9 Cue:T1 Content:T2\nE2\tOther:T1 Cue:T2\n"
    assert [g.to_dict() for g in parse_ann(ann)] == [{"source": [], "cue": [], "content": [[0, 3]]}]


def test_held_out_split_is_refused(tmp_path):
    import pytest

    from saidwho.eval.polnear import CorpusError, load_split

    with pytest.raises(CorpusError, match="held-out"):
        load_split(tmp_path, "test")
