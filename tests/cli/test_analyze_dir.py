"""``saidwho analyze DIR``: recursive *.txt, sorted, one model load, ids from file stems."""

from __future__ import annotations

import json

from saidwho import formats


def _corpus(tmp_path):
    (tmp_path / "news" / "world").mkdir(parents=True)
    (tmp_path / "news" / "b-harbour.txt").write_text("“The pier is safe,” the engineer said.\n")
    (tmp_path / "news" / "world" / "a-budget.txt").write_bytes(
        "The budget is late.\r\n“We need more time,” the treasurer said.\r\n".encode()
    )
    (tmp_path / "news" / "readme.md").write_text("not an input")
    return tmp_path / "news"


def test_directory_jsonl(run, tmp_path):
    r = run(["analyze", "-f", "jsonl", str(_corpus(tmp_path))])
    assert r.exit_code == 0, r.stderr
    assert r.stderr == ""
    docs = [json.loads(ln) for ln in r.stdout.splitlines()]
    # sorted by path inside the directory: b-harbour.txt < world/a-budget.txt
    assert [d["id"] for d in docs] == ["b-harbour", "a-budget"]


def test_several_inputs_json_array(run, tmp_path):
    news = _corpus(tmp_path)
    r = run(["analyze", "-f", "json", str(news / "b-harbour.txt"), str(news / "world")])
    assert r.exit_code == 0, r.stderr
    arr = json.loads(r.stdout)
    assert [d["id"] for d in arr] == ["b-harbour", "a-budget"]
    assert set(arr[0]) >= {"id", "text_sha256", "attributions", "speakers"}


def test_directory_brat_out(run, tmp_path):
    out = tmp_path / "ann"
    r = run(["analyze", "-f", "brat", "--out", str(out), str(_corpus(tmp_path))])
    assert r.exit_code == 0, r.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "a-budget.ann", "a-budget.txt", "annotation.conf", "b-harbour.ann", "b-harbour.txt",
    ]
    # the .txt is the text exactly as analysed (CRLF kept), and offsets point into it
    text = (out / "a-budget.txt").read_bytes().decode()
    assert "\r\n" in text
    parsed = formats.parse_brat((out / "a-budget.ann").read_text())
    assert parsed["E"]
    for kind, frags, span_text in parsed["T"].values():
        assert span_text == " ".join(text[s:e] for s, e in frags)
    cues = [parsed["T"][args["Cue"]][2] for _, _, args in parsed["E"].values()]
    assert "said" in cues


def test_text_tables_for_each_file(run, tmp_path):
    r = run(["analyze", str(_corpus(tmp_path))])
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith("b-harbour: ")
    assert "\na-budget: " in r.stdout
    assert "engineer" in r.stdout and "treasurer" in r.stdout
