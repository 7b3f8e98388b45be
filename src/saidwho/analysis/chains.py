"""Source chains and vague sources.

A chain runs from the publishing outlet (the article's metadata, or the ``outlet`` argument)
through the medium the article cites ("in an article published by the Israeli newspaper
Haaretz") and the speaker down to a nested speaker (the speaker reports what someone else
said): ``["outlet", "Haaretz", "Alon Pinkas", "Netanyahu"]``, outermost first, shown as
``outlet ← Haaretz ← Alon Pinkas ← Netanyahu``. A medium cited once for an actor stands for all
of that actor's statements in the article (an article summarising one op-ed).

An attribution is vague-sourced when it has no source at all ("it is said"), its speaker is
anonymous, or its source is headed by a vague word (``data/vague_sources.txt``: "some",
"officials", "critics") and names no person.
"""

from __future__ import annotations

import re
from typing import Any

from ..lexicon import wordlist
from ..types import Article, Attribution
from .actors import actor_key, display_names

OUTLET_KEYS = ("outlet", "publisher", "site_name", "sitename", "source_name", "hostname", "source")
_MEDIUM_NOUNS = "newspaper|paper|daily|weekly|magazine|broadcaster|channel|network|radio|television|tv|station|agency|news agency|website|site|outlet|journal|podcast|blog"
_CAP = r"[A-Z][\w'’.&-]*"
_STOP = r"(?=[,.;:!?”\"]|\s+(?:on|in|at|last|this|that|who|which|when|where|after|before|about|as|and|but|said|says|to)\b|$)"
_NAME = r"(?P<m>[^,.;:!?”\"]*?)" + _STOP
_MEDIUM_WORDS = frozenset(_MEDIUM_NOUNS.split("|"))
_PATTERNS = [
    re.compile(
        r"\b(?:in|on)\s+(?:an?|the|his|her|their|its)\s+(?:[\w-]+\s+){0,2}?(?:article|interview|op-ed|oped|column|editorial|piece|report|podcast|broadcast|post|letter|essay|commentary|programme|program|show)"
        r"(?:\s+(?:published|aired|broadcast|posted|carried|run|written|given))?\s+(?:by|in|on|with|for|to)\s+" + _NAME
    ),
    re.compile(r"\b(?:writing|wrote|write|writes)\s+(?:in|for)\s+" + _NAME),
    re.compile(r"\b(?:told|telling|tells|tell|speaking\s+to|spoke\s+to|in\s+an\s+interview\s+with)\s+" + _NAME),
]


def medium_name(phrase: str) -> str | None:
    """"in an article published by the Israeli newspaper Haaretz" -> "Haaretz": the first run
    of capitalised words after a medium noun ("newspaper"), else the first run."""
    words = phrase.split()
    for i, w in enumerate(words):
        if w.lower().strip(".,") in _MEDIUM_WORDS:
            runs = re.findall(rf"{_CAP}(?:\s+(?:of\s+(?:the\s+)?)?{_CAP})*", " ".join(words[i + 1 :]))
            if runs:
                return runs[0]
    runs = re.findall(rf"{_CAP}(?:\s+(?:of\s+(?:the\s+)?)?{_CAP})*", phrase)
    return runs[0] if runs else None


def detect_medium(doc, att: Attribution) -> str | None:
    """The medium an attribution's sentence cites, if any."""
    if att.medium is not None:
        return medium_name(att.medium.text) or att.medium.text.strip() or None
    pos = att.cue.start
    sent = next((s for s in doc.sents if s.start_char <= pos < s.end_char), None)
    if sent is None:
        return None
    orgs = {e.text for e in sent.ents if e.label_ in ("ORG", "WORK_OF_ART", "NORP", "PRODUCT")}
    for k, pat in enumerate(_PATTERNS):
        m = pat.search(sent.text)
        if not m:
            continue
        phrase = m.group("m")
        name = medium_name(phrase)
        if not name:
            continue
        if k == 2 and not any(w.lower() in _MEDIUM_WORDS for w in phrase.split()) and not any(name in o or o in name for o in orgs):
            continue  # "told Biden" names a person, not a medium
        return name
    return None


def outlet_of(article: Article, outlet: str | None) -> str | None:
    if outlet:
        return outlet
    meta = article.meta or {}
    for k in OUTLET_KEYS:
        v = meta.get(k)
        if isinstance(v, str) and v.strip():
            return v.strip()
    return None


def build_chains(article: Article, doc, outlet: str | None = None) -> dict[str, list[str]]:
    names = display_names(article, doc)
    by_id = {a.id: a for a in article.attributions}
    media: dict[str, str | None] = {a.id: detect_medium(doc, a) for a in article.attributions}
    per_actor: dict[str, set[str]] = {}
    for a in article.attributions:
        k = actor_key(a.speaker)
        if k and media[a.id]:
            per_actor.setdefault(k, set()).add(media[a.id])
    out_name = outlet_of(article, outlet)
    chains = {}
    for a in article.attributions:
        path = []
        cur: Attribution | None = a
        seen = set()
        while cur is not None and cur.id not in seen:
            seen.add(cur.id)
            path.append(cur)
            cur = by_id.get(cur.parent) if cur.parent else None
        path.reverse()  # outermost first
        root = path[0]
        medium = media[root.id]
        if medium is None:
            k = actor_key(root.speaker)
            if k and len(per_actor.get(k, ())) == 1:
                medium = next(iter(per_actor[k]))
        chain = [out_name] if out_name else []
        if medium:
            chain.append(medium)
        for x in path:
            if x.speaker is not None:
                nm = names.get(x.speaker.id, x.speaker.name)
            elif x.source is not None:
                nm = x.source.text
            else:
                nm = "(unnamed)"
            if not chain or chain[-1] != nm:
                chain.append(nm)
        chains[a.id] = chain
    return chains


def chain_text(attribution: dict[str, Any]) -> str:
    """``outlet ← Haaretz ← Alon Pinkas ← Netanyahu`` for an enriched attribution dict."""
    return " ← ".join(attribution.get("chain") or ())


# --- vague sources ----------------------------------------------------------------------------

_CUT = re.compile(r"\s+(?:of|who|familiar|close|with|in|at|from|on|for|that)\b|,|\(", re.I)


def is_vague(att: Attribution, doc) -> bool:
    sp = att.speaker
    if att.source is None and sp is None:
        return True
    if sp is not None and sp.type == "anonymous":
        return True
    phrase = att.source.text if att.source is not None else sp.name
    head_part = _CUT.split(phrase, maxsplit=1)[0]
    words = re.findall(r"[\w'’-]+", head_part)
    if not words:
        return False
    head = words[-1].lower()
    if head in ("it", "they") and words[-1] != phrase.strip():
        return False
    if head not in wordlist("vague_sources"):
        return False
    # a named person in the head part ("President Ilves and other officials") is not vague
    if att.source is not None:
        span = doc.char_span(att.source.start, att.source.start + len(head_part), alignment_mode="expand")
        if span is not None:
            for t in span:
                if t.ent_type_ == "PERSON":
                    return False
                if t.pos_ == "PROPN" and t.ent_type_ not in ("GPE", "NORP", "ORG", "LOC") and t.i != span.start:
                    return False
    return True
