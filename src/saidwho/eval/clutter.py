"""Web-page clutter around PolNeAR articles, with the gold moved to the new offsets.

PolNeAR's texts are clean article bodies; the pages saidwho reads in practice are not. This
module wraps an article in what a saved news page carries around its text (compare the pages
in ``shared/realpages``): the headline without its final period, a byline and an "Updated …"
line, a dateline glued to the lede, photo captions and credits, "Read more"/"Related" link
lines and bracketed teasers, a subhead, and share/newsletter/copyright lines at the end.
Captions and teasers are written the way real ones are, reporting verbs included: the point is
to see whether the engine keeps away from them.

Everything is drawn from a ``random.Random`` seeded with the seed and the article id, so the
same seed gives the same pages. Clutter goes only where no gold fragment runs across, so every
gold fragment's text is the same before and after (see :func:`map_fragment`); the dateline
and all other clutter are never part of the gold.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from .polnear import Fragment, GoldArticle, GoldAttribution

# ---------------------------------------------------------------- word pools

_FIRST = (
    "Jane", "Michael", "Sarah", "David", "Emily", "Carlos", "Priya", "Tom", "Laura", "James",
    "Maria", "Kevin", "Rachel", "Ahmed", "Nicole", "Brian", "Hannah", "Luis", "Megan", "Daniel",
)
_LAST = (
    "Doe", "Harper", "Nguyen", "Goldberg", "Alvarez", "Patel", "Whitaker", "Okafor", "Lindqvist",
    "Murphy", "Castillo", "Brennan", "Kowalski", "Yamamoto", "Fischer", "Delgado", "Sullivan",
    "Chen", "Rossi", "Bennett",
)
_OUTLETS = ("Example Media", "The Daily Ledger", "Metro News Group", "Capitol Report", "News Network Inc")
_AGENCIES = ("AP", "Reuters", "AFP", "UPI")
_PHOTO_AGENCIES = ("Getty Images", "AFP/Getty Images", "Reuters", "EPA", "Bloomberg via Getty Images", "AP")
_PLACES = (
    ("WASHINGTON", "Washington"), ("NEW YORK", "New York"), ("DES MOINES, Iowa", "Des Moines, Iowa"),
    ("COLUMBUS, Ohio", "Columbus, Ohio"), ("LAS VEGAS", "Las Vegas"), ("PHILADELPHIA", "Philadelphia"),
    ("RALEIGH, N.C.", "Raleigh, North Carolina"), ("TAMPA, Fla.", "Tampa, Florida"),
    ("DENVER", "Denver"), ("MILWAUKEE", "Milwaukee"), ("LONDON", "London"), ("CHICAGO", "Chicago"),
)
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (("September", "Sept."), ("October", "Oct."), ("November", "Nov."))
_DASHES = ("—", "—", "--", "-", "–")

_NOT_NAME = {
    "The", "A", "An", "In", "On", "At", "But", "And", "If", "When", "As", "For", "It", "He", "She",
    "They", "We", "I", "This", "That", "Mr", "Mrs", "Ms", "Dr", "Sen", "Rep", "Gov", "Read",
    "New", "United", "White", "Supreme", "Republican", "Democratic", "Democrats", "Republicans",
    "President", "Senator", "Governor", "Vice", "Former", "Secretary", "Speaker", "Judge",
    "Congressional", "Russian", "Activist", "Consumer", "Clean", "During", "Human", "South",
    "North", "East", "West", "Crime", "Target", "Did", "Neither", "Help", "Brookings", "Maxwell",
}
_NOT_SURNAME = {
    "Committee", "House", "States", "Party", "Court", "Department", "Times", "News", "Post",
    "Street", "Journal", "Center", "Council", "Senate", "Congress", "Office", "Campaign", "Union",
    "American", "Americans", "European", "University", "Security", "Service", "Network",
}
_NAME = re.compile(r"\b([A-Z][a-z]{2,}) ([A-Z][a-z]{2,})\b")
#: A lede that has its own dateline ("WASHINGTON (AP) — ", "FLINT, Mich., Oct. 4 (UPI) — ").
_DATELINE = re.compile(r"^[A-Z]{2,}[A-Z ]*(?:,[^—―–\n-]{0,40})?(?:\([A-Za-z]+\))?\s*(?:—|―|–|--|-)\s")

_TEASER_TOPICS = (
    "{name} says the campaign will fight on in every state",
    "Governor says budget will pass before the deadline",
    "Why {name}'s allies fear a long fight",
    "Poll: voters say the economy is their top worry",
    "What {name} told donors behind closed doors",
    "Analysts warn turnout could decide the race",
    "The five moments that defined the week",
    "{name} denies report of a rift with party leaders",
    "Officials say early voting numbers are up",
    "How the debate changed the race, according to experts",
    "Fact check: what {name} got wrong about trade",
    "Senators expect a vote on the bill next week",
)
_SUBHEADS = (
    "A long road ahead", "What happens next", "Questions over funding", "A race tightens",
    "The view from the states", "Money and message", "A familiar fight", "Reaction",
    "Looking to November", "Why it matters", "‘We are not going anywhere’",
)


#: What each clutter span is, in the order the page has them.
CLUTTER_KINDS = ("byline", "date", "dateline", "caption", "teaser", "subhead", "footer")


@dataclass(frozen=True)
class Cluttered:
    """A cluttered article: the new text, the gold at its new offsets, and where clutter is."""

    article: GoldArticle
    clutter: tuple[Fragment, ...]
    kinds: tuple[str, ...]  #: of each clutter span, one of CLUTTER_KINDS
    start_map: tuple[int, ...]
    end_map: tuple[int, ...]


def _names(text: str, rng: random.Random) -> list[str]:
    """People of the article, most frequent first (then made-up ones): capitalised pairs
    whose second word also stands alone in the text ("Kevin Sullivan" … "Sullivan says")."""
    text = text.split("\n", 1)[-1]  # not the headline: its words are all capitalised
    alone = Counter(re.findall(r"(?<![A-Z][a-z] )(?<![A-Za-z])([A-Z][a-z]{2,})\b", text))
    counts = Counter(
        m.group(0)
        for m in _NAME.finditer(text)
        if m.group(1) not in _NOT_NAME
        and m.group(2) not in _NOT_NAME
        and m.group(2) not in _NOT_SURNAME
        and alone[m.group(2)] > sum(1 for _ in re.finditer(re.escape(m.group(0)), text))
    )
    found = [n for n, _ in counts.most_common(3)]
    pool = [f"{rng.choice(_FIRST)} {rng.choice(_LAST)}" for _ in range(3)]
    return found + pool if found else pool


def _person(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"


def _date(rng: random.Random) -> tuple[str, str, int, str]:
    month, abbr = rng.choice(_MONTHS)
    return month, abbr, rng.randint(1, 28), rng.choice(_DAYS)


def _time(rng: random.Random) -> str:
    return f"{rng.randint(1, 12)}:{rng.randint(0, 59):02d}"


def _byline(rng: random.Random) -> str:
    a, b = _person(rng), _person(rng)
    return rng.choice(
        (
            f"By {a}",
            f"By {a.upper()} and {b.upper()}",
            f"{a}, Reporter",
            f"By {a}, Associated Press",
            f"{a} | Staff Writer",
            f"By {a} and {b}",
            f"{a.upper()}\n{a.lower().replace(' ', '.')}@example.com",
        )
    )


def _dateline_of_update(rng: random.Random) -> str:
    month, abbr, d, day = _date(rng)
    t = _time(rng)
    return rng.choice(
        (
            f"Updated {t} PM ET, {day[:3]} {month} {d}, 2016",
            f"Published {t} a.m. ET {abbr} {d}, 2016",
            f"{month} {d}, 2016 | {t}pm",
            f"Last Updated: {day}, {abbr} {d}, 2016 at {t} AM",
            f"Posted: {abbr} {d}, 2016 {t} PM EDT\nUpdated: {abbr} {d}, 2016 {_time(rng)} PM EDT",
            f"{day} {d} {month} 2016 {t} BST",
        )
    )


def _dateline(rng: random.Random) -> str:
    place, _ = rng.choice(_PLACES)
    dash = rng.choice(_DASHES)
    return rng.choice(
        (
            f"{place} ({rng.choice(_AGENCIES)}) {dash} ",
            f"{place} {dash} ",
            f"{place}, {_date(rng)[1]} {rng.randint(1, 28)} ({rng.choice(_AGENCIES)}) {dash} ",
        )
    )


def _caption(rng: random.Random, names: Sequence[str]) -> str:
    name = rng.choice(names)
    _, place = rng.choice(_PLACES)
    month, abbr, d, day = _date(rng)
    photog = _person(rng)
    agency = rng.choice(_PHOTO_AGENCIES)
    return rng.choice(
        (
            f"{name} speaks to supporters in {place} on {day}. (AP Photo/{photog})",
            f"{name} at a campaign event in {place} on {month} {d}, 2016. Photograph: {photog}/{agency}",
            f"Photograph: {agency}",
            f"{name} says the country is ready for change. (Photo: {photog}, USA TODAY)",
            f"Image copyright {agency}\nImage caption {name} told the crowd the election was \"rigged\"",
            f"{name} listens during a meeting in {place}, {day}, {abbr} {d}, 2016. ({agency}/{photog})",
            f"{name} arrives for a rally in {place}. Credit: {photog} for The Daily Ledger",
            f"Supporters cheer as {name} speaks in {place} on {day}. {photog}/{agency}",
        )
    )


def _teaser(rng: random.Random, names: Sequence[str]) -> str:
    topic = rng.choice(_TEASER_TOPICS).format(name=rng.choice(names))
    return rng.choice(
        (
            f"Read more: {topic}",
            f"Related: {topic}",
            f"RELATED: {topic}",
            f"[Read: {topic}]",
            f"SEE ALSO: {topic}",
            f"- {rng.choice(('ANALYSIS', 'VIDEO', 'LIVE', 'OPINION'))}: {topic}",
            f"More on the election:\n{topic}\n{rng.choice(_TEASER_TOPICS).format(name=rng.choice(names))}",
        )
    )


def _footer(rng: random.Random) -> list[str]:
    outlet = rng.choice(_OUTLETS)
    lines = rng.sample(
        [
            "Share this article",
            "Share on Facebook\nShare on Twitter\nEmail",
            "Sign up for our newsletter",
            "Get the latest headlines delivered to your inbox. Sign up here.",
            f"Follow {_person(rng)} on Twitter @{rng.choice(_LAST).lower()}{rng.randint(1, 99)}",
            "Have a news tip? Email us at tips@example.com",
            "Comments",
        ],
        k=rng.randint(1, 3),
    )
    lines.append(
        rng.choice(
            (
                f"© 2016 {outlet}. All rights reserved.",
                "Copyright 2016 The Associated Press. All rights reserved. This material may not be "
                "published, broadcast, rewritten or redistributed.",
                f"Copyright © 2016 {outlet}",
            )
        )
    )
    return lines


# ---------------------------------------------------------------- offsets


def _fragments(article: GoldArticle) -> list[Fragment]:
    return [f for g in article.attributions for role in (g.source, g.cue, g.content) for f in role]


def _inside(point: int, frags: Sequence[Fragment]) -> bool:
    """True when ``point`` lies strictly inside a fragment: no clutter may go there."""
    return any(s < point < e for s, e in frags)


def apply_edits(text: str, inserts: dict[int, list[str]], deleted: set[int]) -> tuple[str, list[int], list[int], list[Fragment]]:
    """The new text, the start and end maps of every original offset, and the inserted spans.

    An insertion at ``p`` goes before the character at ``p``: a fragment that starts at ``p``
    starts after it (``start_map``), one that ends at ``p`` ends before it (``end_map``)."""
    out: list[str] = []
    start_map = [0] * (len(text) + 1)
    end_map = [0] * (len(text) + 1)
    spans: list[Fragment] = []
    pos = 0
    for i in range(len(text) + 1):
        end_map[i] = pos
        for s in inserts.get(i, ()):
            out.append(s)
            spans.append((pos, pos + len(s)))
            pos += len(s)
        start_map[i] = pos
        if i < len(text) and i not in deleted:
            out.append(text[i])
            pos += 1
    return "".join(out), start_map, end_map, spans


def map_fragment(frag: Fragment, start_map: Sequence[int], end_map: Sequence[int]) -> Fragment:
    """An original fragment's offsets in the new text."""
    s, e = frag
    if e <= s:
        return (start_map[s], start_map[s])
    return (start_map[s], end_map[e])


# ---------------------------------------------------------------- the page


def _paragraph_starts(text: str) -> list[int]:
    """Offsets where a non-empty line begins."""
    starts = []
    at = 0
    for line in text.split("\n"):
        if line.strip():
            starts.append(at)
        at += len(line) + 1
    return starts


def _headline_period(text: str, frags: Sequence[Fragment]) -> int | None:
    """The final period of the first line (before closing quotes), unless gold covers it."""
    line = text.split("\n", 1)[0].rstrip()
    i = len(line) - 1
    while i >= 0 and line[i] in "’'\"”":
        i -= 1
    if i < 1 or line[i] != "." or line[i - 1] == ".":
        return None
    if any(s <= i < e for s, e in frags):
        return None
    return i


def clutter_article(article: GoldArticle, seed: int = 0) -> Cluttered:
    """``article`` wrapped in web clutter drawn from ``seed``; gold moved to the new offsets."""
    rng = random.Random(f"saidwho-clutter:{seed}:{article.id}")
    text = article.text
    frags = _fragments(article)
    sep = "\n\n" if "\n\n" in text else "\n"
    names = _names(text, rng)
    starts = [p for p in _paragraph_starts(text) if not _inside(p, frags)]
    inserts: dict[int, list[str]] = {}
    kinds: dict[int, list[str]] = {}
    deleted: set[int] = set()

    def put(point: int, line: str, kind: str, end: str = sep) -> None:
        inserts.setdefault(point, []).append(line + end)
        kinds.setdefault(point, []).append(kind)

    # headline without its period, then byline and date line before the first body paragraph
    period = _headline_period(text, frags)
    if period is not None:
        deleted.add(period)
    body = [p for p in starts if p > 0]
    if body:
        lede = body[0]
        if rng.random() < 0.3:
            put(lede, f"Photograph: {rng.choice(_PHOTO_AGENCIES)}", "caption")
        put(lede, _byline(rng), "byline")
        put(lede, _dateline_of_update(rng), "date")
        first_line = text[lede:].split("\n", 1)[0]
        if not _DATELINE.match(first_line) and rng.random() < 0.8:
            put(lede, _dateline(rng), "dateline", end="")  # glued to the lede
    # captions, teasers and a subhead between later paragraphs
    later = body[2:]
    if later:
        n_caption = min(len(later), rng.randint(1, 3))
        n_teaser = min(len(later), rng.randint(1, 2))
        for point in rng.sample(later, n_caption):
            put(point, _caption(rng, names), "caption")
        for point in rng.sample(later, n_teaser):
            put(point, _teaser(rng, names), "teaser")
        if len(later) >= 4:
            put(rng.choice(later[len(later) // 3 :]), rng.choice(_SUBHEADS), "subhead")
    # share, newsletter and copyright lines at the end
    end = len(text)
    tail = "" if text.endswith("\n") else sep
    put(end, tail + sep.join(_footer(rng)), "footer", end="\n")

    new_text, start_map, end_map, spans = apply_edits(text, inserts, deleted)
    atts = tuple(
        GoldAttribution(
            **{
                role: tuple(map_fragment(f, start_map, end_map) for f in getattr(g, role))
                for role in ("source", "cue", "content")
            }
        )
        for g in article.attributions
    )
    new = GoldArticle(article.id, new_text, article.annotator, atts)
    span_kinds = tuple(k for point in sorted(kinds) for k in kinds[point])
    return Cluttered(new, tuple(spans), span_kinds, tuple(start_map), tuple(end_map))


def in_clutter(fragments: Sequence[Sequence[int]], clutter: Sequence[Fragment]) -> bool:
    """True when a fragment list (a cue) overlaps inserted clutter."""
    return clutter_kind(fragments, clutter, ("",) * len(clutter)) is not None


def clutter_kind(fragments: Sequence[Sequence[int]], clutter: Sequence[Fragment], kinds: Sequence[str]) -> str | None:
    """The kind of the first clutter span a fragment list overlaps (``None``: none)."""
    for (cs, ce), kind in zip(clutter, kinds):
        if any(s < ce and cs < e for s, e in fragments):
            return kind
    return None
