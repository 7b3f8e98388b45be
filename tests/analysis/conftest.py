"""Articles built by hand (the engine's contract, not its current output), so these tests
check the analysis alone."""

from __future__ import annotations

import pytest

from saidwho.types import Article, Attribution, Span, Speaker


@pytest.fixture(scope="session")
def nlp():
    from saidwho import analysis

    return analysis._default_nlp()


def _find(text: str, needle: str, after: int = 0) -> Span:
    i = text.index(needle, after)
    return Span(i, i + len(needle), needle)


def make_article(text: str, specs: list[dict], meta: dict | None = None) -> Article:
    """specs: {"speaker": (name, type), "source": str|None, "cue": str, "content": [str],
    "kind": str, "parent": "a1"|None, "medium": str|None, "after": str (search from here)}."""
    speakers: dict[str, Speaker] = {}
    atts = []
    for k, s in enumerate(specs):
        after = text.index(s["after"]) if s.get("after") else 0
        sp = None
        if s.get("speaker"):
            name, typ = s["speaker"]
            if name not in speakers:
                speakers[name] = Speaker(id=f"s{len(speakers) + 1}", name=name, role=None, type=typ)
            sp = speakers[name]
        cue = _find(text, s["cue"], after)
        atts.append(
            Attribution(
                id=f"a{k + 1}",
                kind=s.get("kind", "indirect"),
                cue=cue,
                content=tuple(_find(text, c, after) for c in s["content"]),
                source=_find(text, s["source"], after) if s.get("source") else None,
                speaker=sp,
                medium=_find(text, s["medium"], after) if s.get("medium") else None,
                parent=s.get("parent"),
            )
        )
    return Article(id="t", text=text, attributions=tuple(atts), speakers=tuple(speakers.values()), meta=meta or {})


@pytest.fixture
def article():
    return make_article
