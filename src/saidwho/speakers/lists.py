"""The word lists speaker resolution reads, parsed once from ``saidwho/data``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Token

from ..lexicon import wordlist


@dataclass(frozen=True)
class Titles:
    words: frozenset[str]
    honorific: frozenset[str]
    rank: frozenset[str]
    gender: dict[str, str]
    kin: frozenset[str]


@lru_cache(maxsize=None)
def titles() -> Titles:
    words, hon, rank, gender, kin = set(), set(), set(), {}, set()
    for line in wordlist("titles"):
        w, *flags = line.split()
        words.add(w)
        if "honorific" in flags:
            hon.add(w)
        if "rank" in flags:
            rank.add(w)
        if "kin" in flags:
            kin.add(w)
        if "male" in flags:
            gender[w] = "m"
        elif "female" in flags:
            gender[w] = "f"
    return Titles(frozenset(words), frozenset(hon), frozenset(rank), gender, frozenset(kin))


@lru_cache(maxsize=None)
def pronouns() -> dict[str, str]:
    out = {}
    for line in wordlist("pronouns"):
        w, cls = line.split()[:2]
        out[w] = cls
    return out


def group_nouns() -> frozenset[str]:
    return wordlist("group_nouns")


def anonymous() -> frozenset[str]:
    return wordlist("anonymous_sources")


@lru_cache(maxsize=None)
def _org_table() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for line in wordlist("org_words"):
        w, *flags = line.split()
        out[w] = set(flags)
    return out


@lru_cache(maxsize=None)
def org_words() -> frozenset[str]:
    return frozenset(_org_table())


@lru_cache(maxsize=None)
def business_words() -> frozenset[str]:
    """Common nouns for a company ("the carmaker") that can stand for the one named before."""
    return frozenset(w for w, f in _org_table().items() if "business" in f)


def low(tok: Token) -> str:
    return tok.lower_


def is_title(tok: Token) -> bool:
    t = tok.lower_
    return t in titles().words or (t.endswith(".") and t[:-1] in titles().words)


def is_honorific(tok: Token) -> bool:
    return tok.lower_ in titles().honorific


def is_org_word(tok: Token) -> bool:
    return tok.lower_ in org_words() or tok.lemma_.lower() in org_words()


def title_gender(tok: Token) -> str | None:
    return titles().gender.get(tok.lower_)


@lru_cache(maxsize=None)
def first_names() -> dict[str, str]:
    """Given name -> "m"/"f": a weak gender hint for pronoun agreement."""
    out = {}
    for line in wordlist("first_names"):
        w, g = line.split()[:2]
        out[w] = "m" if g == "male" else "f"
    return out
