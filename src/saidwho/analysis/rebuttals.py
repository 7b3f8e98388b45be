"""Explicit rebuttals: an actor who answers another's statement in so many words.

- "B rejected the plan", "B dismissed A's claim", "B disputed the figures", "B called the claim
  false": the attribution's content names a statement instead of making one. It becomes a
  proposition of its own (the cue and the content: "rejected the plan", polarity against) that
  disagrees with the statement it answers: the latest earlier proposition of the actor it
  names ("A's claim"), else of the latest other actor.
- "B countered that ...", "B hit back that ...": B's propositions disagree with the latest
  earlier statement of another actor.
- "B denied that X", "B disputed that X": B's proposition is X in B's words but B holds the
  opposite; :func:`denials` names these attributions so that agree and disagree swap for them.

The verbs are in ``data/rebuttals.txt``.
"""

from __future__ import annotations

import re

from ..types import Article, Attribution
from .actors import actor_key
from .lexicons import table
from .propositions import Proposition
from .relations import Relation
from .topics import TopicContext, content_keys, fields_of, place_keys, topic_phrases

#: The score of an explicit rebuttal (the words say it; only the answered statement is inferred).
REBUTTAL_SCORE = 0.9
_MAX_REFERENCE_WORDS = 8


def _kinds() -> dict[str, frozenset[str]]:
    return {k: frozenset(" ".join(p) for p in v) for k, v in table("rebuttals").items()}


def _cue_verb(doc, att: Attribution):
    span = doc.char_span(att.cue.start, att.cue.end, alignment_mode="expand")
    if span is None:
        return None
    verbs = [t for t in span if t.pos_ in ("VERB", "AUX")]
    return verbs[-1] if verbs else span[-1]


def _cue_kind(doc, att: Attribution, kinds: dict[str, frozenset[str]]) -> str | None:
    t = _cue_verb(doc, att)
    if t is None:
        return None
    lemma = t.lemma_.lower()
    nxt = doc[t.i + 1].lower_ if t.i + 1 < len(doc) else ""
    for kind in ("counter", "deny", "reject", "call"):
        if lemma in kinds.get(kind, ()) or f"{lemma} {nxt}" in kinds.get(kind, ()):
            return kind
    return None


def _content(doc, att: Attribution):
    if not att.content:
        return None
    s = min(c.start for c in att.content)
    e = max(c.end for c in att.content)
    return doc.char_span(s, e, alignment_mode="expand")


def _is_reference(span, kind: str, kinds: dict[str, frozenset[str]]) -> bool:
    """"the plan", "Vint's claim", "the claim false": a content that names a statement."""
    words = [t for t in span if t.is_alpha]
    if not words or len(words) > _MAX_REFERENCE_WORDS:
        return False
    if kind == "call":
        return any(t.lemma_.lower() in kinds.get("false", ()) or t.lower_ in kinds.get("false", ()) for t in span)
    return not any(t.pos_ in ("VERB", "AUX") and t.dep_ not in ("amod", "compound") for t in span) or span.root.pos_ in ("NOUN", "PROPN", "PRON")


def denials(article: Article, doc) -> frozenset[str]:
    """Attributions whose cue denies a content that is a statement ("denied that the ward is
    understaffed")."""
    kinds = _kinds()
    out = set()
    for a in article.attributions:
        if _cue_kind(doc, a, kinds) != "deny":
            continue
        span = _content(doc, a)
        if span is not None and not _is_reference(span, "deny", kinds):
            out.add(a.id)
    return frozenset(out)


def _named_actor(span, article: Article) -> str | None:
    """The actor key of a possessor in a reference ("Vint's claim", "the mayor's plan")."""
    for t in span:
        if t.dep_ == "poss" or (t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ in ("'s", "’s")):
            name = t.text.lower()
            for sp in article.speakers:
                k = actor_key(sp)
                if k and (name == k or name in k.split() or name in sp.name.lower().split()):
                    return k
    return None


def find_rebuttals(article: Article, doc, ctx: TopicContext, props: list[Proposition]) -> tuple[list[Proposition], list[Relation]]:
    """(new propositions for rebuttals that name what they answer, their disagreements)."""
    kinds = _kinds()
    by_att: dict[str, list[Proposition]] = {}
    for p in props:
        by_att.setdefault(p.attribution, []).append(p)
    new: list[Proposition] = []
    rels: list[Relation] = []
    n = len(props)
    for a in sorted(article.attributions, key=lambda x: x.cue.start):
        kind = _cue_kind(doc, a, kinds)
        if kind is None or a.speaker is None or actor_key(a.speaker) is None:
            continue
        me = actor_key(a.speaker)
        span = _content(doc, a)
        earlier = [p for p in props + new if p.start < a.cue.start and p.actor_key and p.actor_key != me]
        if kind == "counter":
            mine = by_att.get(a.id, [])
            if earlier and mine:
                target = max(earlier, key=lambda p: p.start)
                rels.extend(Relation(target.id, p.id, "disagree", REBUTTAL_SCORE, "rebuttal") for p in mine)
            continue
        if span is None or by_att.get(a.id) or not _is_reference(span, kind, kinds):
            continue
        named = _named_actor(span, article)
        pool = [p for p in earlier if p.actor_key == named] if named else earlier
        if not pool:
            continue
        target = max(pool, key=lambda p: p.start)
        s, e = min(a.cue.start, span.start_char), max(a.cue.end, span.end_char)
        whole = doc.char_span(s, e, alignment_mode="expand")
        if whole is None:
            continue
        n += 1
        prop = Proposition(
            id=f"p{n}",
            attribution=a.id,
            start=whole.start_char,
            end=whole.end_char,
            text=doc.text[whole.start_char : whole.end_char],
            actor=a.speaker.id,
            actor_key=me,
            topic=topic_phrases(span, ctx) or list(target.topic),
            polarity="against",
            modality="asserts",
            keys=content_keys(span, ctx, frozenset()),
            places=place_keys(span, ctx),
            fields=fields_of(span, ctx),
            embed_text=re.sub(r"\s+", " ", whole.text),
        )
        new.append(prop)
        rels.append(Relation(target.id, prop.id, "disagree", REBUTTAL_SCORE, "rebuttal"))
    return new, rels


def merge(found: list[Relation], rebuttals: list[Relation], props: list[Proposition]) -> list[Relation]:
    """The relations with the rebuttals added: a rebuttal replaces what was found for its pair,
    and no other statement of the rebutting actor is said to agree with the statement answered
    ("B rejected the plan, saying the site should be sold" does not agree with the plan)."""
    pairs = {frozenset((r.a, r.b)) for r in rebuttals}
    actor = {p.id: p.actor_key for p in props}
    answered = {(r.a, actor.get(r.b)) for r in rebuttals}

    def contradicted(r: Relation) -> bool:
        return r.kind == "agree" and ((r.a, actor.get(r.b)) in answered or (r.b, actor.get(r.a)) in answered)

    out = [r for r in found if frozenset((r.a, r.b)) not in pairs and not contradicted(r)] + rebuttals
    out.sort(key=lambda r: (-r.score, r.a, r.b))
    return out
