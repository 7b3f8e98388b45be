"""The analysis word lists (``saidwho/data/*.txt``) as phrase tables, and phrase matching on
spaCy tokens (by lemma or by lower-case form)."""

from __future__ import annotations

from functools import lru_cache

from ..lexicon import wordlist

PRONOUNS = frozenset(
    "i me we us you he him she her it they them this that these those who someone one".split()
)


@lru_cache(maxsize=None)
def table(name: str) -> dict[str, tuple[tuple[str, ...], ...]]:
    """``data/<name>.txt`` of ``<kind> <word or phrase>`` lines -> {kind: (phrase words, ...)}."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for line in wordlist(name):
        kind, _, phrase = line.partition(" ")
        if phrase.strip():
            out.setdefault(kind, []).append(tuple(phrase.split()))
    # longest phrases first, so "pull out" is found before "pull"
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in out.items()}


def _forms(tok) -> tuple[str, str]:
    return tok.lower_, tok.lemma_.lower()


def match_at(tokens, i: int, phrase: tuple[str, ...]) -> bool:
    """Does ``phrase`` start at ``tokens[i]`` (each word matching the token's form or lemma)?"""
    if i + len(phrase) > len(tokens):
        return False
    for k, w in enumerate(phrase):
        if w not in _forms(tokens[i + k]):
            return False
    return True


def find(tokens, name: str, kinds: tuple[str, ...] | None = None) -> list[tuple[int, int, str]]:
    """Matches of a phrase table in a token sequence: ``(start, end, kind)``, left to right,
    not overlapping, longest first at each position."""
    tab = table(name)
    ks = kinds or tuple(tab)
    out = []
    i = 0
    n = len(tokens)
    while i < n:
        best = None
        for kind in ks:
            for ph in tab.get(kind, ()):
                if (best is None or len(ph) > best[1] - best[0]) and match_at(tokens, i, ph):
                    best = (i, i + len(ph), kind)
                    break
        if best:
            out.append(best)
            i = best[1]
        else:
            i += 1
    return out


def words(name: str) -> frozenset[str]:
    return wordlist(name)
