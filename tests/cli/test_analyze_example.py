"""The bundled example article analyses cleanly and shows the main kinds of attribution."""

from __future__ import annotations

import json
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "example-article.txt"


def test_example_article(run):
    text = EXAMPLE.read_text(encoding="utf-8")
    assert 250 <= len(text.split()) <= 350
    r = run(["analyze", "-f", "jsonl", str(EXAMPLE)])
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["id"] == "example-article"
    atts = d["attributions"]
    assert len(atts) >= 5
    for a in atts:  # offsets point into the file as read
        assert text[a["cue"]["start"] : a["cue"]["end"]] == a["cue"]["text"]
    assert "direct" in {a["kind"] for a in atts}
