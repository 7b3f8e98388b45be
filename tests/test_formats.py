"""Renderers: JSON contract, JSON lines, brat standoff and the terminal table."""

from __future__ import annotations

import json

from saidwho import formats
import pytest

from saidwho.types import Article, Attribution, Block, Span, Speaker

TEXT = (
    "“The bridge is safe,” the engineer said, “and it will stay open.”\n"
    "Some critics say the\nrepairs were rushed.\r\n"
    "Dana Reyes wrote that Olaf Brandt boasted that costs fell."
)


def _sp(needle: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(needle, start + 1)
    return Span.of(TEXT, start, start + len(needle))


def _article() -> Article:
    engineer = Speaker("s1", "the engineer", "engineer", "person", (_sp("the engineer"),))
    critics = Speaker("s2", "Some critics", None, "anonymous", (_sp("Some critics"),))
    reyes = Speaker("s3", "Dana Reyes", "columnist", "person", (_sp("Dana Reyes"),))
    brandt = Speaker("s4", "Olaf Brandt", None, "person", (_sp("Olaf Brandt"),))
    atts = (
        Attribution(
            "a1", "direct", _sp("said"),
            (_sp("The bridge is safe"), _sp("and it will stay open.")),
            source=_sp("the engineer"), speaker=engineer,
        ),
        Attribution(
            "a2", "indirect", _sp("say"), (_sp("the\nrepairs were rushed"),),
            source=_sp("Some critics"), speaker=critics,
        ),
        Attribution(
            "a3", "indirect", _sp("wrote"), (_sp("that Olaf Brandt boasted that costs fell"),),
            source=_sp("Dana Reyes"), speaker=reyes,
        ),
        Attribution(
            "a4", "indirect", _sp("boasted"), (_sp("that costs fell"),),
            source=_sp("Olaf Brandt"), speaker=brandt, parent="a3",
        ),
        Attribution("a5", "belief", _sp("say"), (_sp("repairs were rushed"),)),  # no source
    )
    return Article("news-1", TEXT, atts, (engineer, critics, reyes, brandt))


def test_json_matches_contract():
    art = _article()
    d = json.loads(formats.to_json(art))
    assert list(d) == ["id", "text_sha256", "attributions", "speakers", "blocks"]
    assert d == art.to_dict()
    a = d["attributions"][0]
    assert set(a) == {"id", "kind", "source", "cue", "content", "speaker", "medium", "parent", "confidence"}
    assert a["cue"] == {"start": TEXT.index("said"), "end": TEXT.index("said") + 4, "text": "said"}
    assert set(d["speakers"][0]) == {"id", "name", "role", "type", "mentions"}
    assert json.loads(formats.to_json(art, {"positions": []}))["positions"] == []


def test_jsonl_is_one_compact_line_and_array_streams():
    art = _article()
    line = formats.to_jsonl(art)
    assert "\n" not in line and json.loads(line) == art.to_dict()
    arr = json.loads("".join(formats.json_array([formats.to_json(art), formats.to_json(art)])))
    assert [x["id"] for x in arr] == ["news-1", "news-1"]
    assert json.loads("".join(formats.json_array([]))) == []


def test_brat_lines_parse_back_and_point_at_text():
    art = _article()
    ann = formats.to_brat(art)
    parsed = formats.parse_brat(ann)
    ts, es = parsed["T"], parsed["E"]
    for tid, (kind, frags, span_text) in ts.items():
        assert kind in {"Source", "Cue", "Content", "Attribution", "Attribution-no-source"}
        for s, e in frags:
            assert 0 <= s < e <= len(TEXT)
            assert not any(c in TEXT[s:e] for c in "\r\n")  # fragments never cross a line break
        assert span_text == " ".join(TEXT[s:e] for s, e in frags)
    assert len(es) == 5
    # the direct quote split around the cue: one discontinuous Content entity
    etype, trig, args = es["E1"]
    assert etype == "Attribution" and ts[trig][0] == "Attribution" and ts[trig][2] == "said"
    assert ts[args["Source"]][2] == "the engineer" and ts[args["Cue"]][2] == "said"
    assert ts[args["Content"]][2] == "The bridge is safe and it will stay open."
    assert len(ts[args["Content"]][1]) == 2
    # content crossing a newline is split into fragments at the newline
    _, _, args2 = es["E2"]
    assert ts[args2["Content"]][1] == [
        (TEXT.index("the\nrepairs"), TEXT.index("the\nrepairs") + 3),
        (TEXT.index("repairs were"), TEXT.index(" rushed") + 7),
    ]
    # no source: the -no-source event type, without a Source argument
    etype5, trig5, args5 = es["E5"]
    assert etype5 == "Attribution-no-source" and ts[trig5][0] == "Attribution-no-source"
    assert "Source" not in args5
    assert ann.splitlines()[-1] == f"E5\tAttribution-no-source:{trig5} Content:{args5['Content']} Cue:{args5['Cue']}"


def test_text_table_shows_speakers_cues_nesting_and_vague_sources():
    out = formats.to_text(_article(), width=120)
    lines = out.splitlines()
    assert lines[0].startswith("news-1: 5 attributions, 4 speakers")
    assert "SPEAKER" in lines[1] and "CUE" in lines[1] and "KIND" in lines[1]
    row1 = next(ln for ln in lines if ln.lstrip().startswith("a1 "))
    assert "the engineer (person)" in row1 and "said" in row1 and "direct" in row1
    assert "The bridge is safe … and it will stay open." in row1
    row_critics = next(ln for ln in lines if ln.lstrip().startswith("a2 "))
    assert "Some critics" in row_critics and "anonymous" in row_critics
    # the nested attribution comes right after its parent, indented
    ids = [ln.split()[0] for ln in lines[2:]]
    assert ids.index("a4") == ids.index("a3") + 1
    assert "Dana Reyes (columnist, person)" in lines[2 + ids.index("a3")]
    row4 = lines[2 + ids.index("a4")]
    assert "└ Olaf Brandt" in row4
    assert "(no source)" in lines[2 + ids.index("a5")]
    assert all(len(ln) <= 120 for ln in lines)


def test_text_table_empty_article():
    out = formats.to_text(Article("quiet", "Nothing was said."), width=80)
    assert "quiet: 0 attributions" in out and "no attributions found" in out


def test_brat_with_engine_output(engine):
    text = "The river is rising.\n“We will win,” the mayor said."
    art = engine.analyze(text, id="x")
    parsed = formats.parse_brat(formats.to_brat(art))
    cues = [parsed["T"][args["Cue"]] for _, _, args in parsed["E"].values()]
    assert ("Cue", [(text.index("said"), text.index("said") + 4)], "said") in cues


def _positions_doc() -> dict:
    d = _article().to_dict()
    chains = {"a1": ["Harbour Post", "the engineer"], "a2": ["Harbour Post", "Some critics"],
              "a3": ["Harbour Post", "Tidewater Weekly", "Dana Reyes"],
              "a4": ["Harbour Post", "Tidewater Weekly", "Dana Reyes", "Olaf Brandt"], "a5": ["Harbour Post"]}
    for a in d["attributions"]:
        a["chain"] = chains[a["id"]]
        a["vague"] = a["id"] in ("a2", "a5")
    d["propositions"] = [
        {"id": "p1", "attribution": "a1", "span": {"start": 1, "end": 19, "text": "The bridge is safe"},
         "actor": "s1", "topic": ["bridge"], "polarity": "for", "modality": "asserts"},
        {"id": "p2", "attribution": "a1", "span": {"start": 45, "end": 66, "text": "it will stay open"},
         "actor": "s1", "topic": ["bridge"], "polarity": "for", "modality": "will"},
        {"id": "p3", "attribution": "a2", "span": {"start": 85, "end": 105, "text": "the\nrepairs were rushed"},
         "actor": "s2", "topic": ["repair"], "polarity": "for", "modality": "asserts"},
        {"id": "p4", "attribution": "a4", "span": {"start": 0, "end": 0, "text": "costs fell"},
         "actor": "s4", "topic": ["cost"], "polarity": "against", "modality": "asserts"},
    ]
    d["relations"] = [{"a": "p1", "b": "p3", "kind": "disagree", "score": 0.41},
                      {"a": "p2", "b": "p4", "kind": "agree", "score": 0.9}]
    d["unattributed"] = [{"span": {"start": 0, "end": 10, "text": "Repairs cost 3 million"},
                          "reason": "money figure, number"}]
    return d


def test_text_with_positions_shows_chains_flags_claims_positions_relations():
    art = _article()
    out = formats.to_text(art, width=100, positions=_positions_doc())
    assert out.startswith(formats.to_text(art, width=100) + "\n")  # the table unchanged, then the rest
    rest = out[len(formats.to_text(art, width=100)):]
    sections = rest.strip("\n").split("\n\n")
    assert [s.splitlines()[0] for s in sections] == [
        "SOURCE CHAINS", "UNATTRIBUTED CLAIMS (1)", "POSITIONS (4)", "DISAGREEMENTS AND AGREEMENTS (2, strongest first)"]
    chains = sections[0].splitlines()[1:]
    assert chains[3].split()[0] == "a4"
    assert "Harbour Post ← Tidewater Weekly ← Dana Reyes ← Olaf Brandt" in chains[3]
    assert [ln.split()[0] for ln in chains if ln.endswith("[vague source]")] == ["a2", "a5"]
    assert "“Repairs cost 3 million” — money figure, number" in sections[1]
    pos = sections[2].splitlines()
    assert pos[1] == "  the engineer (s1)" and pos[2].split()[0] == "p1" and pos[3].split()[0] == "p2"
    assert "the repairs were rushed [for, asserts]" in sections[2]  # one line, with polarity and modality
    assert "Olaf Brandt (s4)" in sections[2]
    rel = sections[3].splitlines()
    assert rel[1].split()[:2] == ["agree", "0.90"]  # strongest first
    assert "the engineer: “it will stay open” (p2)" in rel[1] and "↔ Olaf Brandt: “costs fell” (p4)" in rel[2]
    assert rel[3].split()[:2] == ["disagree", "0.41"] and "Some critics: “the repairs were rushed” (p3)" in rel[4]
    assert all(len(ln) <= 100 for ln in out.splitlines())


def test_text_with_empty_positions_says_none():
    doc = {"attributions": [], "propositions": [], "relations": [], "unattributed": []}
    out = formats.positions_text(Article("quiet", "Nothing was said."), doc, width=80)
    assert out.count("(none)") == 4 and "UNATTRIBUTED CLAIMS (0)" in out


def test_pairs_text_shows_both_sides():
    side = {"speaker": {"name": "Mara Velden"}, "text": "cut the quota", "article_id": 3, "outlet": "Velport Daily",
            "published": "2024-03-03"}
    other = {**side, "speaker": {"name": "Tomas Orrin"}, "text": "no cuts to the quota", "article_id": 2}
    out = formats.pairs_text([{"kind": "disagree", "score": 0.8765, "scope": "corpus", "a": side, "b": other}], width=100)
    lines = out.splitlines()
    assert lines[0] == "1. disagree  0.88  (across articles)"
    assert lines[1].strip() == "Mara Velden (art 3, Velport Daily, 2024-03-03): “cut the quota”"
    assert lines[2].strip().startswith("↔ Tomas Orrin (art 2") and lines[2].endswith("“no cuts to the quota”")
    assert formats.pairs_text([]) == "(none)\n"


def test_blocks_round_trip_through_the_json_contract():
    end1 = TEXT.index("\n")
    blocks = (Block("body", 0, end1), Block("caption", end1 + 1, end1 + 21))
    art = Article("news-1", TEXT, _article().attributions, _article().speakers, blocks=blocks)
    d = json.loads(formats.to_json(art))
    assert d["blocks"][1] == {"kind": "caption", "start": end1 + 1, "end": end1 + 21}
    back = Article.from_dict(d, TEXT)
    assert back.blocks == blocks and back.to_dict() == d
    assert Article.from_dict({**d, "blocks": []}, TEXT).blocks == ()
    with pytest.raises(ValueError, match="unknown block kind"):
        Block.from_dict({"kind": "sidebar", "start": 0, "end": 1})
