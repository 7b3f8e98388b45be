"""Generated articles and a stand-in engine, for tests and benchmarks of the store.

``make_article`` writes a small news text from (speaker, content, kind) triples and returns
the :class:`Article` the engine would give for it, with exact offsets, so the store can be
filled without running spaCy. ``FakeEngine`` "analyses" texts written that way (and simple
real ones) with two regular expressions; it has the engine's ``analyze``/``pipe`` interface.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Iterable, Iterator, Sequence

from ..types import Article, Attribution, Span, Speaker

OPEN, CLOSE = "\u201c", "\u201d"


def make_article(
    id: str,
    quotes: Sequence[tuple[str, str, str]],
    lead: str = "",
    types: dict[str, str] | None = None,
) -> Article:
    """An article quoting ``(speaker name, content, kind)`` in order; kind direct or indirect."""
    types = types or {}
    parts: list[str] = [lead + (" " if lead else "")]
    pos = len(parts[0])
    local: dict[str, Speaker] = {}
    mentions: dict[str, list[Span]] = {}
    atts = []
    text_so_far = parts[0]

    def add(s: str) -> tuple[int, int]:
        nonlocal pos, text_so_far
        start = pos
        text_so_far += s
        pos += len(s)
        return start, pos

    for k, (name, content, kind) in enumerate(quotes):
        if kind == "direct":
            add(OPEN)
            c = add(content)
            add("," + CLOSE + " ")
            s = add(name)
            add(" ")
            q = add("said")
            add(". ")
        else:
            s = add(name)
            add(" ")
            q = add("said")
            add(" that ")
            c = add(content)
            add(". ")
        sid = next((sp for sp, n in ((i, v.name) for i, v in local.items()) if n == name), None)
        if sid is None:
            sid = f"s{len(local) + 1}"
            local[sid] = Speaker(sid, name, None, types.get(name, "unknown"))
        mentions.setdefault(sid, []).append(Span(s[0], s[1], name))
        atts.append((f"a{k + 1}", kind, q, c, s, sid))
    text = text_so_far.rstrip()
    speakers = {sid: Speaker(sp.id, sp.name, sp.role, sp.type, tuple(mentions[sid])) for sid, sp in local.items()}
    out = []
    for aid, kind, q, c, s, sid in atts:
        out.append(
            Attribution(
                id=aid,
                kind=kind,  # type: ignore[arg-type]
                cue=Span.of(text, *q),
                content=(Span.of(text, *c),),
                source=Span.of(text, *s),
                speaker=speakers[sid],
                confidence=0.9,
            )
        )
    return Article(id=id, text=text, attributions=tuple(out), speakers=tuple(speakers.values()))


_DIRECT = re.compile(OPEN + r"([^" + CLOSE + r"]+?),?" + CLOSE + r" ((?:[A-Z][\w.'-]*|of|for|the|a|an)(?: (?:[A-Z][\w.'-]*|of|for|the))*|[a-z][\w ]*?) (said|says|added|told)")
_INDIRECT = re.compile(r"(?:(?<=^)|(?<=[.!?]\s))((?:[A-Z][\w.'-]*)(?: (?:[A-Z][\w.'-]*|of|for|the|[a-z]+))*?) (said|says|added) that ([^.]+)\.")


class FakeEngine:
    """Finds ``“content,” Name said.`` and ``Name said that content.``: enough to drive ingest.

    ``delay`` seconds are spent per text (to imitate the real engine's cost); a text containing
    ``fail_marker`` raises, to test that one bad article does not stop a run.
    """

    def __init__(self, delay: float = 0.0, fail_marker: str = "ENGINE-FAILS-HERE") -> None:
        self.delay = delay
        self.fail_marker = fail_marker
        self.calls = 0
        self.ids: list[str] = []  # the ids analysed, in order

    def analyze(self, text: str, id: str = "doc") -> Article:
        self.calls += 1
        self.ids.append(id)
        if self.delay:
            time.sleep(self.delay)
        if self.fail_marker and self.fail_marker in text:
            raise RuntimeError("the engine failed on this text")
        found = []
        for m in _DIRECT.finditer(text):
            found.append((m.start(), "direct", m.span(1), m.span(2), m.span(3)))
        for m in _INDIRECT.finditer(text):
            found.append((m.start(), "indirect", m.span(3), m.span(1), m.span(2)))
        found.sort()
        local: dict[str, Speaker] = {}
        spans: dict[str, list[Span]] = {}
        pending = []
        for k, (_, kind, c, s, q) in enumerate(found):
            name = text[s[0] : s[1]]
            sid = next((i for i, sp in local.items() if sp.name == name), None)
            if sid is None:
                sid = f"s{len(local) + 1}"
                local[sid] = Speaker(sid, name, None, "unknown")
            spans.setdefault(sid, []).append(Span.of(text, *s))
            pending.append((f"a{k + 1}", kind, q, c, s, sid))
        speakers = {i: Speaker(sp.id, sp.name, None, "unknown", tuple(spans[i])) for i, sp in local.items()}
        atts = tuple(
            Attribution(aid, kind, Span.of(text, *q), (Span.of(text, *c),), Span.of(text, *s), speakers[sid], confidence=0.8)
            for aid, kind, q, c, s, sid in pending
        )
        return Article(id=id, text=text, attributions=atts, speakers=tuple(speakers.values()))

    def pipe(self, items: Iterable[tuple[str, str]], batch_size: int = 16) -> Iterator[Article]:
        for i, t in items:
            yield self.analyze(t, id=i)


# -- generated corpora ----------------------------------------------------------------------

FIRST = ("Anna", "Ben", "Carla", "David", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas",
         "Kofi", "Lena", "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tara")
LAST = ("Okafor", "Lindqvist", "Moreau", "Tanaka", "Silva", "Novak", "Haddad", "Kowalski",
        "Brennan", "Ferreira", "Ivanova", "Mensah", "Rossi", "Schmidt", "Yilmaz", "Zhou",
        "Andersen", "Castillo", "Dubois", "Egan", "Fischer", "Gupta", "Horvat", "Jensen",
        "Kim", "Larsen", "Murphy", "Nakamura", "Olsen", "Petrov")
ROLES = ("Mayor", "Senator", "Minister", "Governor", "Professor", "Judge")
OUTLETS = ("Daily Planet", "Morning Globe", "Evening Star", "City Ledger", "Coast Herald")
VAGUE = ("officials", "two senior officials", "a spokesperson", "critics", "analysts", "residents")
WORDS = (
    "budget tax tariffs inflation housing transit climate flooding schools hospital vaccine "
    "election turnout pension wages strike harbour bridge police crime court verdict appeal "
    "drought harvest energy prices grid wind solar nuclear refinery export import steel "
    "factory jobs unemployment rent mortgage bank interest rates deficit reform council vote "
    "ballot campaign debate treaty border migration asylum ferry airport runway noise park "
    "library museum festival stadium football tournament trade union contract negotiations"
).split()


def people(n: int, seed: int = 1) -> list[tuple[str, str]]:
    """``n`` distinct (full name, role) pairs."""
    rng = random.Random(seed)
    names = [f"{f} {ln}" for ln in LAST for f in FIRST]
    rng.shuffle(names)
    return [(names[i % len(names)] + ("" if i < len(names) else f" {i // len(names) + 1}"), rng.choice(ROLES))
            for i in range(n)]


def sentence(rng: random.Random, n: int = 12) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def corpus(n_articles: int, quotes_per_article: int = 5, n_people: int = 400, seed: int = 7,
           start_year: int = 2020, body_words: int = 20) -> Iterator[tuple[Article, dict]]:
    """``(Article, metadata)`` pairs of a generated corpus, written the way news is: a person's
    first mention in an article is the full name (often with a title), later ones the surname
    ("Mayor Okafor", "Okafor"); a few surnames come without introduction; some sources are
    vague ("officials"). Speaker popularity is Zipf-like. ``body_words`` of filler per quote."""
    rng = random.Random(seed)
    cast = people(n_people, seed)
    weights = [1.0 / (i + 1) for i in range(len(cast))]
    for k in range(n_articles):
        n_people_here = max(1, min(quotes_per_article, rng.randint(2, 4)))
        here = []
        while len(here) < n_people_here:
            p = rng.choices(cast, weights)[0]
            if p not in here:
                here.append(p)
        introduced: set[str] = set()
        quotes = []
        for j in range(quotes_per_article):
            if rng.random() < 0.12:
                name = rng.choice(VAGUE)
            else:
                full, role = here[j % len(here)] if j < len(here) else rng.choice(here)
                surname = full.split()[-1]
                if full in introduced or rng.random() < 0.05:
                    name = surname if rng.random() < 0.6 else f"{role} {surname}"
                else:
                    name = full if rng.random() < 0.5 else f"{role} {full}"
                introduced.add(full)
            quotes.append((name, sentence(rng, rng.randint(6, 18)), rng.choice(("direct", "indirect"))))
        lead = " ".join(sentence(rng, body_words).capitalize() + "." for _ in range(quotes_per_article))
        art = make_article(f"gen-{k}", quotes, lead=lead)
        day = (k * 7) % 365
        meta = {
            "id": f"gen-{k}",
            "outlet": OUTLETS[k % len(OUTLETS)],
            "published": f"{start_year + (k * 3) // max(1, n_articles)}-{1 + day // 31 % 12:02d}-{1 + day % 28:02d}",
            "title": sentence(rng, 6).capitalize(),
        }
        yield art, meta
