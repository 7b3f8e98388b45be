"""Source chains and vague sources.

A chain runs from the publishing outlet (the article's metadata, or the ``outlet`` argument)
through the medium the article cites (the engine's ``medium`` span of the attribution: "in an
article published by the Israeli newspaper Haaretz" gives "Haaretz") and the speaker down to
a nested speaker (the speaker reports what someone else said):
``["outlet", "Haaretz", "Alon Pinkas", "Netanyahu"]``, outermost first, shown as
``outlet ← Haaretz ← Alon Pinkas ← Netanyahu``. A medium cited once for an actor stands for all
of that actor's statements in the article (an article summarising one op-ed).

An attribution is vague-sourced when it has no source at all ("it is said"), its speaker is
anonymous, or its source is headed by a vague word (``data/vague_sources.txt``: "some",
"officials", "critics") and names no person (:func:`is_vague`: the store's ``vague`` flag at
ingest follows the same rule).
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
_MEDIUM_WORDS = frozenset(_MEDIUM_NOUNS.split("|"))

#: The chain's name for an attribution without speaker or source ("it is said").
UNNAMED = "(unnamed)"


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


def detect_medium(att: Attribution) -> str | None:
    """The medium an attribution cites: the engine's ``medium`` span, named ("the Israeli
    newspaper Haaretz" -> "Haaretz"); None without one (the engine finds media, not this)."""
    if att.medium is None:
        return None
    return medium_name(att.medium.text) or att.medium.text.strip() or None


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
    media: dict[str, str | None] = {a.id: detect_medium(a) for a in article.attributions}
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
                nm = UNNAMED
            if not chain or chain[-1] != nm:
                chain.append(nm)
        chains[a.id] = chain
    return chains


def chain_text(attribution: dict[str, Any]) -> str:
    """``outlet ← Haaretz ← Alon Pinkas ← Netanyahu`` for an enriched attribution dict."""
    return " ← ".join(attribution.get("chain") or ())


# --- vague sources ----------------------------------------------------------------------------

_CUT = re.compile(r"\s+(?:of|who|familiar|close|with|in|at|from|on|for|that)\b|,|\(", re.I)


def is_vague(att: Attribution, doc=None) -> bool:
    """Whether an attribution is vague-sourced (see the module doc): the one rule for the
    ``vague`` flag, at ingest (the store, without a parse) and in the positions analysis.

    ``doc`` (the spaCy parse of the text) finds a named person in the source's head part
    ("President Ilves and other officials": not vague). Without one, the engine's speaker
    stands in: a speaker typed person whose name ends in a capitalised word that is not a vague
    one ("Ilves", not "Some critics").
    """
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
        if doc is None:
            return not _named_person(sp)
        span = doc.char_span(att.source.start, att.source.start + len(head_part), alignment_mode="expand")
        if span is not None:
            for t in span:
                if t.ent_type_ == "PERSON":
                    return False
                if t.pos_ == "PROPN" and t.ent_type_ not in ("GPE", "NORP", "ORG", "LOC") and t.i != span.start:
                    return False
    return True


def _named_person(sp) -> bool:
    if sp is None or sp.type != "person":
        return False
    words = re.findall(r"[\w'’-]+", sp.name or "")
    return bool(words) and words[-1][:1].isupper() and words[-1].lower() not in wordlist("vague_sources")
