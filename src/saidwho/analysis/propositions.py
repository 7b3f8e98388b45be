"""Propositions: an attribution's content split into the separate things it states.

A content that is a list ("no changes to the borders; no displacement; strengthening the
authority") gives one proposition per item; coordinated that-clauses ("said that A; that B; and
that C") give one each, including clauses the extraction left out of the content when they
continue the same sentence. A nested attribution's content belongs to the nested speaker, not to
the outer one. Each proposition keeps its span, actor, topic, polarity and modality.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..types import Article, Attribution
from .actors import actor_key
from .lexicons import find, table
from .topics import TopicContext, content_keys, fields_of, place_keys, topic_phrases

MODALITIES = ("intends", "demands", "wants", "predicts", "will", "asserts")
SUBORDINATORS = frozenset(
    "until because although though unless while whereas since after before despite so when if as once whether".split()
)
_TRIM_CHARS = " \t\r\n,;:.!?“”\"'‘’…—–-()[]"
_LEAD_WORDS = re.compile(r"(?:(?:and|but|or|that|then|also|while|whereas|so)\b[\s,]*)+", re.I)
_TAIL_WORDS = re.compile(r"(?:[\s,]+(?:and|but|or|that|so|as|for))+$", re.I)
_THAT_CONT = re.compile(r"[\s”\"’]*[;,]\s*(?:and\s+|but\s+|or\s+)?that\s", re.I)
_THAT_NEXT = re.compile(r"[;,]\s*(?:and\s+|but\s+|or\s+)?that\s", re.I)
_MODALS = frozenset("will would can could shall may might must".split())


@dataclass
class Proposition:
    id: str
    attribution: str
    start: int
    end: int
    text: str
    actor: str | None
    actor_key: str | None
    topic: list[str]
    polarity: str
    modality: str
    keys: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    fields: set[str] = field(default_factory=set)
    embed_text: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "attribution": self.attribution,
            "span": {"start": self.start, "end": self.end, "text": self.text},
            "actor": self.actor,
            "topic": list(self.topic),
            "polarity": self.polarity,
            "modality": self.modality,
        }


# --- ranges -----------------------------------------------------------------------------------


def subtract(ranges: list[tuple[int, int]], cut: tuple[int, int]) -> list[tuple[int, int]]:
    a, b = cut
    out = []
    for s, e in ranges:
        if b <= s or a >= e:
            out.append((s, e))
            continue
        if s < a:
            out.append((s, a))
        if b < e:
            out.append((b, e))
    return out


def _sent_bounds(doc, pos: int) -> tuple[int, int]:
    for s in doc.sents:
        if s.start_char <= pos < s.end_char:
            return s.start_char, s.end_char
    return 0, len(doc.text)


def coordinated_that_clauses(doc, att: Attribution) -> list[tuple[int, int]]:
    """Clauses "; that ..." / ", and that ..." that continue an attribution's that-clause
    content in the same sentence but were left out of the content."""
    if not att.content:
        return []
    text = doc.text
    first = min(att.content, key=lambda s: s.start)
    last = max(att.content, key=lambda s: s.end)
    opens_with_that = text[first.start : first.start + 5].lower() == "that " or text[
        max(0, first.start - 6) : first.start
    ].strip().lower().endswith("that")
    if not opens_with_that:
        return []
    _, sent_end = _sent_bounds(doc, max(last.end - 1, last.start))
    out = []
    pos = last.end
    while pos < sent_end:
        m = _THAT_CONT.match(text, pos)
        if not m:
            break
        nxt = _THAT_NEXT.search(text, m.end(), sent_end)
        end = nxt.start() if nxt else sent_end
        out.append((m.start(), end))
        pos = end
    return out


_ASIDE = re.compile(r",\s+which\s")
_LABEL = re.compile(r"\s*((?:[\w'’.-]+\s+){0,4}[\w'’.-]+)\s*:\s*[“\"]?")


def asides(doc, att: Attribution) -> list[tuple[int, int]]:
    """", which have so far killed 16,000 people" closing reported (not quoted) content: the
    writer's own elaboration, not part of what the source said."""
    out = []
    text = doc.text
    for c in att.content:
        seg = text[c.start : c.end]
        for m in _ASIDE.finditer(seg):
            before = seg[: m.start()]
            if before.count("“") > before.count("”") or before.count('"') % 2:
                continue  # inside a quotation
            out.append((c.start + m.start(), c.end))
            break
    return out


def content_label(doc, att: Attribution) -> tuple[int, int] | None:
    """"US goals: “no changes ...": a short label before a colon that opens the content."""
    if not att.content:
        return None
    first = min(att.content, key=lambda s: s.start)
    m = _LABEL.match(doc.text, first.start, first.end)
    if m and m.end() < first.end:
        return first.start, m.end()
    return None


# --- splitting --------------------------------------------------------------------------------


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while True:
        before = (s, e)
        while s < e and (text[s] in _TRIM_CHARS or text[s].isspace()):  # NBSP and the like too
            s += 1
        while e > s and (text[e - 1] in _TRIM_CHARS or text[e - 1].isspace()):
            e -= 1
        m = _LEAD_WORDS.match(text, s, e)
        if m and m.end() > s:
            s = m.end()
        m = _TAIL_WORDS.search(text, s, e)
        if m and m.start() >= s:
            e = m.start()
        if (s, e) == before:
            return s, e


def _split_points(text: str, s: int, e: int) -> list[int]:
    """Character positions where a region splits into list items."""
    pts = []
    depth = 0
    for i in range(s, e):
        c = text[i]
        if c in "([":
            depth += 1
        elif c in ")]" and depth:
            depth -= 1
        elif c == ";" and depth == 0:
            pts.append(i)
    for m in re.finditer(r",\s*(?:and\s+|but\s+|or\s+)?that\s", text[s:e], re.I):
        pts.append(s + m.start())
    body = re.sub(r"^[\s" + re.escape(_TRIM_CHARS) + "]+", "", text[s:e])
    body = _LEAD_WORDS.sub("", body)
    if re.match(r"no\s", body, re.I):
        for m in re.finditer(r",\s*(?:and\s+|or\s+)?no\s", text[s:e], re.I):
            pts.append(s + m.start())
    return sorted(set(pts))


def _cut_past_tense_tail(doc, s: int, e: int) -> int:
    """"that the PA will have no role, and significantly cut aid": the past-tense verb after
    ", and" does not continue the modal clause; it coordinates with the reporting verb, so it is
    the article's own statement. Returns the new end."""
    span = doc.char_span(s, e, alignment_mode="expand")
    if span is None:
        return e
    toks = list(span)
    seen_modal = False
    for i, t in enumerate(toks):
        if t.lower_ in _MODALS and t.tag_ == "MD":
            seen_modal = True
        if seen_modal and t.text == "," and i + 2 < len(toks) and toks[i + 1].lower_ == "and":
            j = i + 2
            while j < len(toks) and toks[j].pos_ == "ADV":
                j += 1
            if j < len(toks) and toks[j].tag_ in ("VBD", "VBZ"):
                return t.idx
    return e


def split_region(doc, s: int, e: int) -> list[tuple[int, int]]:
    """One region of content -> trimmed item ranges."""
    text = doc.text
    pieces = []
    for sent in doc.sents:
        a, b = max(s, sent.start_char), min(e, sent.end_char)
        if a < b:
            pieces.append((a, b))
    items = []
    for a, b in pieces:
        pts = [a, *_split_points(text, a, b), b]
        for x, y in zip(pts, pts[1:]):
            x, y = _trim(text, x, y)
            if x >= y:
                continue
            y = _cut_past_tense_tail(doc, x, y)
            x, y = _trim(text, x, y)
            if x < y:
                items.append((x, y))
    return items


def _is_statement(span) -> bool:
    alpha = [t for t in span if t.is_alpha]
    if len(alpha) < 3:
        return False
    return any(t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ", "NUM") for t in span)


# --- polarity and modality --------------------------------------------------------------------


def polarity_of(span) -> str:
    """for / against: the parity of negators and against-words before the first subordinate
    clause ("Israel will continue the operation until Hamas is toppled" is for)."""
    toks = []
    for t in span:
        if t.lower_ in SUBORDINATORS and toks and (t.pos_ == "SCONJ" or t.dep_ == "mark" or t.lower_ in ("until", "despite", "unless", "because")):
            break
        toks.append(t)
    tab = table("polarity")
    nouns = {ph[0] for ph in tab.get("against-noun", ())}
    flips = 0
    for a, b, kind in find(toks, "polarity"):
        head = toks[a]
        if kind == "negator":
            flips += 1
        elif head.lower_ == "against" and head.pos_ == "ADP":
            flips += 1
        elif head.pos_ in ("VERB", "AUX") and kind == "against":
            flips += 1
        elif head.pos_ in ("NOUN", "ADJ", "PROPN", "VERB") and (head.lemma_.lower() in nouns or head.lower_ in nouns):
            flips += 1
    # split phrasal verbs: "pull its troops out", "call the strike off"
    phrasal = {ph for ph in table("polarity").get("against", ()) if len(ph) == 2}
    inside = {t.i for t in toks}
    for t in toks:
        if t.pos_ != "VERB":
            continue
        for c in t.children:
            if c.dep_ in ("prt", "prep", "advmod") and c.i in inside and c.i > t.i + 1 and (t.lemma_.lower(), c.lower_) in phrasal:
                flips += 1
    return "against" if flips % 2 else "for"


_ORDER = {m: i for i, m in enumerate(MODALITIES)}


def modality_in(tokens, nouns_free: bool = False) -> str | None:
    """The strongest modality cue in a token run. Inside a proposition a noun counts only
    before "to" ("no plans to strike", not "the plan")."""
    toks = list(tokens)
    found = []
    for a, b, kind in find(toks, "modality"):
        t = toks[a]
        if t.pos_ in ("NOUN", "PROPN") and not nouns_free:
            if not (b < len(toks) and toks[b].lower_ == "to"):
                continue
        found.append(kind)
    if not found:
        return None
    return min(found, key=lambda k: _ORDER.get(k, 99))


def modality_of(span, context_tokens) -> str:
    own = modality_in(span)
    ctx = modality_in(context_tokens, nouns_free=True)
    if ctx and ctx != "will" and own in (None, "will"):
        return ctx
    return own or ctx or "asserts"


# --- building ---------------------------------------------------------------------------------


def _context_tokens(doc, att: Attribution, content_start: int):
    """The reporting cue, the words between it and the content ("articulated US goals:") and a
    label that opens the content ("US goals: ...")."""
    s = att.cue.start
    e = att.cue.end
    if att.cue.end <= content_start and content_start - att.cue.end < 80:
        e = content_start
    span = doc.char_span(s, e, alignment_mode="expand")
    toks = list(span) if span is not None else []
    label = content_label(doc, att)
    if label:
        ls = doc.char_span(label[0], label[1], alignment_mode="expand")
        if ls is not None:
            toks += list(ls)
    return toks


def _neg_words() -> frozenset[str]:
    out = set()
    for phrases in table("polarity").values():
        for ph in phrases:
            if len(ph) == 1:
                out.add(ph[0])
    return frozenset(out)


def _mod_words() -> frozenset[str]:
    return frozenset(ph[0] for phrases in table("modality").values() for ph in phrases if len(ph) == 1)


def build_propositions(article: Article, doc, ctx: TopicContext) -> list[Proposition]:
    atts = list(article.attributions)
    text = doc.text
    neg = _neg_words()
    skip = _mod_words()
    # regions of each attribution: its content, plus continued that-clauses
    own: dict[str, list[tuple[int, int]]] = {}
    for a in atts:
        own[a.id] = [(c.start, c.end) for c in a.content if c.end > c.start]
    regions = {a.id: list(own[a.id]) + coordinated_that_clauses(doc, a) for a in atts}
    for a in atts:
        for cut in [*asides(doc, a), *([content_label(doc, a)] if content_label(doc, a) else [])]:
            regions[a.id] = subtract(regions[a.id], cut)
    # a nested attribution's part belongs to the nested speaker
    for a in atts:
        for b in atts:
            if b.id == a.id:
                continue
            inside = any(s <= b.cue.start < e for s, e in own[a.id])
            if not (b.parent == a.id or inside):
                continue
            cut_end = max([b.cue.end, *(c.end for c in b.content)])
            regions[a.id] = subtract(regions[a.id], (b.cue.start, cut_end))
            for c in b.content:
                regions[a.id] = subtract(regions[a.id], (c.start, c.end))
            if b.source is not None and 0 <= b.cue.start - b.source.end <= 12 and not re.sub(r"[\s,]+|openly", "", text[b.source.end : b.cue.start]):
                regions[a.id] = subtract(regions[a.id], (b.source.start, b.source.end))
    by_id = {a.id: a for a in atts}

    def speaker_of(a: Attribution):
        """A pronoun speaker of a nested report ("X said she wants ...") is the outer speaker."""
        cur, hops = a, 0
        while cur is not None and actor_key(cur.speaker) is None and cur.parent and hops < 4:
            cur = by_id.get(cur.parent)
            hops += 1
        if cur is not None and actor_key(cur.speaker) is not None:
            return cur.speaker
        return a.speaker

    props: list[Proposition] = []
    seen: set[tuple[int, int]] = set()
    for a in atts:
        sp = speaker_of(a)
        content_start = min((c.start for c in a.content), default=a.cue.end)
        context = _context_tokens(doc, a, content_start)
        for s, e in sorted(regions[a.id]):
            for x, y in split_region(doc, s, e):
                if (x, y) in seen:
                    continue
                span = doc.char_span(x, y, alignment_mode="expand")
                if span is None or not _is_statement(span):
                    continue
                seen.add((x, y))
                props.append(
                    Proposition(
                        id=f"p{len(props) + 1}",
                        attribution=a.id,
                        start=x,
                        end=y,
                        text=text[x:y],
                        actor=sp.id if sp else None,
                        actor_key=actor_key(sp),
                        topic=topic_phrases(span, ctx, neg),
                        polarity=polarity_of(span),
                        modality=modality_of(span, context),
                        keys=content_keys(span, ctx, neg, skip),
                        places=place_keys(span, ctx),
                        fields=fields_of(span, ctx),
                        embed_text=ctx.expand(text[x:y]),
                    )
                )
    return props
