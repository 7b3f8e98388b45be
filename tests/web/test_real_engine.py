"""The analyse page with the real spaCy engine and the real positions analysis (one text)."""

from __future__ import annotations

import html as htmllib

from .test_markup import check

TEXT = (
    "The mayor, Anna Okafor, said on Tuesday that officials had told her \"the bridge will close in May.\" "
    "In an interview with the Daily Planet, Senator Ben Lindqvist said the bridge would stay open all summer. "
    "Critics said the plan was a disaster. Some 400 people were displaced last year, the worst flooding on record."
)


def test_analyse_with_the_real_engine(engine, web_corpus):
    from fastapi.testclient import TestClient

    from saidwho.web import create_app

    app = create_app(web_corpus[0], engine=engine)
    with TestClient(app, raise_server_exceptions=False, base_url="http://127.0.0.1") as c:
        j = c.post("/api/analyse", json={"text": TEXT, "outlet": "Coast Herald"}).json()
        assert len(j["attributions"]) >= 2, j
        names = {a["speaker"]["name"] for a in j["attributions"]}
        assert "Anna Okafor" in names and "Ben Lindqvist" in names
        assert j["analysed"] is True and all(a["chain"][0] == "Coast Herald" for a in j["attributions"])
        assert any(a["vague"] for a in j["attributions"])  # critics
        r = c.post("/analyse", data={"form": "1", "text": TEXT, "positions": "1"})
        assert r.status_code == 200
        body = r.text.split('id="article-text"', 1)[1].split(">", 1)[1].split('<div id="tip"', 1)[0]
        body = body.rsplit("</div>", 1)[0]
        parsed = check(body)
        assert htmllib.unescape("".join(parsed.text)) == TEXT
        assert "hl-source" in body and "hl-cue" in body and "hl-content" in body
