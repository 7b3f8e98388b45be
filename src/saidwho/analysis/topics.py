"""Topics: the key noun phrases of a proposition, normalised so that mentions of one thing meet.

- Abbreviations are learned from the article itself: "the Palestinian Authority (PA)" teaches
  PA = palestinian authority, and so does "PA (Palestinian Authority)".
- Demonyms meet their place when the place is named in the article ("Gazan" -> "gaza").
- Words are lemmatised and reduced to a crude stem, so "governing" and "governance" meet.
- ``data/topic_fields.txt`` groups words that name one subject in the news ("territory",
  "border", "buffer zone", "annex"...), for topics worded differently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from ..lexicon import wordlist

_ABBR_AFTER = re.compile(
    r"\b((?:[A-Z][\w'’.-]*|of|the|and|for|on|de|la|du|des|&)(?:\s+(?:[A-Z][\w'’.-]*|of|the|and|for|on|de|la|du|des|&)){0,8})\s*\(\s*([A-Z][A-Za-z&.]{1,9})\s*\)"
)
_ABBR_BEFORE = re.compile(r"\b([A-Z][A-Z&.]{1,9})\s*\(\s*((?:the\s+)?[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|of|the|and|for|on|&)){0,8})\s*\)")
_SMALL = {"of", "the", "and", "for", "on", "de", "la", "du", "des", "&"}

STOP_POS = {"DET", "PRON", "ADP", "AUX", "CCONJ", "SCONJ", "PART", "PUNCT", "SPACE", "SYM", "NUM", "X", "INTJ"}
CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ"}


def _initials_match(abbr: str, words: list[str]) -> bool:
    letters = [c.lower() for c in abbr if c.isalpha()]
    big = [w for w in words if w.lower() not in _SMALL]
    if not big:
        return False
    ini = [w[0].lower() for w in big]
    if ini == letters:
        return True
    ini_all = [w[0].lower() for w in words if w.lower() != "the"]
    return ini_all == letters


def learn_abbreviations(text: str) -> dict[str, str]:
    """``{"PA": "palestinian authority"}`` for each abbreviation the text defines."""
    out: dict[str, str] = {}
    for m in _ABBR_AFTER.finditer(text):
        words = m.group(1).split()
        abbr = m.group(2)
        n_letters = sum(c.isalpha() for c in abbr)
        # take the shortest tail of the preceding words whose initials spell the abbreviation
        for k in range(1, len(words) + 1):
            tail = words[-k:]
            if tail[0].lower() in _SMALL:
                continue
            if _initials_match(abbr, tail):
                out[abbr] = " ".join(tail).lower()
                break
            if sum(1 for w in tail if w.lower() not in _SMALL) > n_letters:
                break
    for m in _ABBR_BEFORE.finditer(text):
        abbr, long = m.group(1), re.sub(r"^the\s+", "", m.group(2))
        if abbr not in out and _initials_match(abbr, long.split()):
            out[abbr] = long.lower()
    return out


@lru_cache(maxsize=1)
def topic_fields() -> dict[str, frozenset[str]]:
    """``data/topic_fields.txt``: ``field: word, multi word, ...`` -> {stemmed phrase: fields}."""
    raw = resources.files("saidwho").joinpath("data", "topic_fields.txt").read_text("utf-8")
    out: dict[str, frozenset[str]] = {}
    for line in raw.splitlines():
        line = line.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        name, words = line.split(":", 1)
        for w in words.split(","):
            w = w.strip().lower()
            if w:
                key = " ".join(w.split())
                out[key] = out.get(key, frozenset()) | {name.strip().lower()}
    return out


_SUFFIXES = ("ational", "ations", "ation", "ments", "ment", "ances", "ance", "ences", "ence", "ings", "ing", "ers", "er", "ies", "ied", "ed", "es", "s", "al", "e")


def stem(word: str) -> str:
    """A crude stem that makes govern / governing / governance / government meet."""
    w = word.lower().strip("'’\"“”")
    for suf in _SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            w = w[: -len(suf)]
            break
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    return w


def _singular(w: str) -> str:
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith("es") and w[-3] in "sxz" or w.endswith(("ches", "shes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def lemma_of(tok) -> str:
    """The lemma, except where the tagger's noun lemma is odd ("taxes" -> "taxis")."""
    w = tok.text.lower().strip("'’\"“”")
    lemma = tok.lemma_.lower()
    if tok.pos_ == "VERB" or tok.pos_ == "ADJ":
        return lemma or w
    if tok.pos_ == "NOUN":
        if lemma and len(lemma) < len(w) and w.startswith(lemma[: max(1, len(lemma) - 1)]):
            return lemma
        return _singular(w)
    return w


@dataclass
class TopicContext:
    """What the article teaches about its own words: abbreviations and demonyms."""

    abbreviations: dict[str, str] = field(default_factory=dict)
    demonyms: dict[str, str] = field(default_factory=dict)
    light: frozenset[str] = frozenset()

    @classmethod
    def from_doc(cls, doc) -> "TopicContext":
        abbr = learn_abbreviations(doc.text)
        places = {t.text.lower() for t in doc if t.pos_ == "PROPN" or t.ent_type_ in ("GPE", "LOC", "NORP")}
        dem = {}
        for t in doc:
            w = t.text.lower()
            if not t.text[:1].isupper():
                continue
            for suf, rep in (("ians", "ia"), ("ian", "ia"), ("ian", "e"), ("ans", "a"), ("an", "a"), ("an", ""), ("is", ""), ("i", ""), ("ese", ""), ("ish", "")):
                if w.endswith(suf):
                    base = w[: -len(suf)] + rep
                    if base != w and base in places and len(base) >= 3:
                        dem[w] = base
                        break
        light = wordlist("topic_light")
        return cls(abbreviations=abbr, demonyms=dem, light=light)

    def expand(self, text: str) -> str:
        """The text with the article's abbreviations spelled out (for embeddings)."""
        for abbr, long in self.abbreviations.items():
            text = re.sub(rf"(?<![\w(]){re.escape(abbr)}(?![\w)])", long.title(), text)
        return text

    def norm_word(self, tok) -> list[str]:
        """Normalised words for one token: [] for function words; several for an abbreviation."""
        if tok.pos_ in STOP_POS and tok.text not in self.abbreviations:
            return []
        if tok.text in self.abbreviations:
            return self.abbreviations[tok.text].split()
        w = tok.text.lower().strip("'’\"“”")
        if not w or not any(c.isalpha() for c in w):
            return []
        if w in self.demonyms:
            return [self.demonyms[w]]
        return [lemma_of(tok)]


def _phrase_tokens(span, ctx: TopicContext, neg_words: frozenset[str]) -> list[str]:
    out = []
    for t in span:
        if t.lower_ in neg_words:
            continue
        out.extend(ctx.norm_word(t))
    return out


def topic_phrases(span, ctx: TopicContext, neg_words: frozenset[str] = frozenset()) -> list[str]:
    """Key noun phrases of a span, normalised: determiners, negators and quotes dropped,
    abbreviations spelled out, demonyms mapped to their place, lemmatised."""
    doc = span.doc
    phrases: list[str] = []
    seen = set()
    chunks = [c for c in doc.noun_chunks if c.start >= span.start and c.end <= span.end]
    for c in chunks:
        if c.root.pos_ == "PRON":
            continue
        words = [w for w in _phrase_tokens(c, ctx, neg_words) if w not in ctx.light]
        if not words:
            continue
        p = " ".join(words)
        if p not in seen:
            seen.add(p)
            phrases.append(p)
    return phrases


def content_keys(span, ctx: TopicContext, neg_words: frozenset[str], skip: frozenset[str] = frozenset()) -> set[str]:
    """Stemmed content words of a span (nouns, names, verbs, adjectives), for lexical overlap."""
    keys = set()
    for t in span:
        if t.lower_ in neg_words or t.lemma_.lower() in neg_words or t.lower_ in skip or t.lemma_.lower() in skip:
            continue
        if t.pos_ not in CONTENT_POS and t.text not in ctx.abbreviations:
            continue
        for w in ctx.norm_word(t):
            if w in ctx.light or len(w) < 2:
                continue
            keys.add(stem(w))
    return keys


def place_keys(span, ctx: TopicContext) -> set[str]:
    """Keys that name places or dates (weaker topic evidence: a whole article is about Gaza)."""
    out = set()
    for t in span:
        if t.ent_type_ in ("GPE", "LOC", "DATE", "NORP", "FAC") or t.lower_ in ctx.demonyms:
            for w in ctx.norm_word(t):
                out.add(stem(w))
    return out


def fields_of(span, ctx: TopicContext) -> set[str]:
    """Subject fields (``data/topic_fields.txt``) that a span's words belong to."""
    words = []
    for t in span:
        if t.pos_ in STOP_POS:
            words.append("|" if t.lower_ not in ("of", "out", "off", "up") else t.lower_)
        else:
            words.extend(ctx.norm_word(t))
    table = topic_fields()
    found = set()
    for n in (3, 2, 1):
        for i in range(len(words) - n + 1):
            gram = words[i : i + n]
            if "|" in gram:
                continue
            found |= table.get(" ".join(gram), frozenset())
    return found
