"""Actors: who a proposition belongs to, as a key that lets "Alon Pinkas", "Pinkas" and "the
former consul general, Alon Pinkas" meet even when the speaker resolution kept them apart, and a
display name for source chains."""

from __future__ import annotations

import re

from ..types import Article, Speaker
from .lexicons import PRONOUNS

_ORG_WORDS = frozenset(
    """union party ministry ministers council board authority agency office department committee
    commission company corporation group alliance league association federation institute
    bank court army police government administration parliament senate congress house
    organisation organization foundation network club team newspaper league front movement
    coalition service services forces force watch fund""".split()
)


def _name_part(name: str) -> str:
    name = re.sub(r"\s*\([^)]*\)", "", name).strip()
    if "," in name:
        parts = [p.strip() for p in name.split(",") if p.strip()]
        named = [p for p in parts if any(w[:1].isupper() for w in p.split())]
        name = named[-1] if named else parts[-1]
    return name


def actor_key(sp: Speaker | None) -> str | None:
    """A key per actor; None for an unresolved pronoun or no speaker."""
    if sp is None:
        return None
    name = _name_part(sp.name)
    if not name or (name.lower() in PRONOUNS and not name.isupper()):
        return None
    ws = re.findall(r"[\w'’.&-]+", name)
    ws = [w for w in ws if w.lower() not in ("the", "a", "an")]
    if not ws:
        return None
    all_caps = all(w[:1].isupper() for w in ws)
    if sp.type in ("person", "unknown") and all_caps and ws[-1].lower() not in _ORG_WORDS:
        return re.sub(r"['’]s$", "", ws[-1]).lower()
    return " ".join(w.lower() for w in ws)


def display_names(article: Article, doc) -> dict[str, str]:
    """Speaker id -> the name to show: the person's name where the speaker phrase holds one
    ("US Vice President Kamala Harris" -> "Kamala Harris"), the longest such name among
    speakers that share an actor key ("Pinkas" -> "Alon Pinkas")."""
    persons = sorted({e.text for e in doc.ents if e.label_ == "PERSON"}, key=len, reverse=True)
    base: dict[str, str] = {}
    for sp in article.speakers:
        name = _name_part(sp.name)
        best = None
        if not re.search(r"\s(?:and|or|&)\s", name):
            best = next((p for p in persons if p in name), None)
        base[sp.id] = best or name
    by_key: dict[str, str] = {}
    for sp in article.speakers:
        k = actor_key(sp)
        if k is None:
            continue
        cand = base[sp.id]
        if k in by_key:
            cur = by_key[k]
            if len(cand.split()) > len(cur.split()) and len(cand.split()) <= 4:
                by_key[k] = cand
        else:
            by_key[k] = cand
    out = {}
    for sp in article.speakers:
        k = actor_key(sp)
        out[sp.id] = by_key.get(k, base[sp.id]) if k else base[sp.id]
    return out
