"""The English model's attribute rules, applied without spaCy's Matcher.

en_core_web_sm's ``attribute_ruler`` maps fine tags to POS and morphology and fixes a few
words ("gonna", "ain't"): 179 rules, nearly all of them one token compared for equality. The
stock component runs them through the Matcher, whose ``IN`` and ``REGEX`` tests call back into
Python for every token: on PolNeAR dev that took 1.6 s of a 10.7 s parse, more than the tagger
and parser together. :class:`FastAttributeRuler` applies the same rules, in the same order,
from a table keyed on each token's (tag, lower-case form, dependency, is-space), so a word form
seen once costs one dictionary lookup afterwards. Same rules, same results: the test suite
compares every token's POS, tag, dependency, lemma and morphology with the stock component's.

Rules of a shape the table does not cover (an operator such as ``"OP": "+"``, or an attribute
other than the four above) make the component fall back to the stock code for the whole Doc.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, POS, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

_KEYS = ("TAG", "LOWER", "DEP", "IS_SPACE")  # the token key, in this order
_BULK = (POS, MORPH, LEMMA)  # attributes written for the whole Doc at once
_MAX_KEYS = 500_000  # token keys remembered (about 100 MiB at most)


class _Rules:
    """The ruler's rules compiled into per-token-key tables (or ``supported`` False)."""

    def __init__(self, ruler: AttributeRuler) -> None:
        strings = ruler.vocab.strings
        self.supported = True
        # one-token equality rules, grouped by the key slots they test: slots -> values -> rules
        self.simple: dict[tuple[int, ...], dict[tuple[int, ...], list[int]]] = {}
        # the other rules: (rule, index of the token it sets, per token [(slot, test, arg)])
        self.complex: list[tuple[int, int, list[list[tuple[int, str, Any]]]]] = []
        for k in range(len(ruler.attrs)):
            index = ruler.indices[k]
            for pattern in ruler.matcher.get(str(k))[1]:
                if not pattern or not all(set(tok) <= set(_KEYS) for tok in pattern):
                    self.supported = False
                    return
                if len(pattern) == 1 and index in (0, -1) and all(isinstance(v, (str, bool)) for v in pattern[0].values()):
                    conds = sorted((_KEYS.index(a), _value(strings, v)) for a, v in pattern[0].items())
                    slots = tuple(slot for slot, _ in conds)
                    values = tuple(v for _, v in conds)
                    self.simple.setdefault(slots, {}).setdefault(values, []).append(k)
                    continue
                tokens = []
                for tok in pattern:
                    conds = []
                    for a, v in tok.items():
                        test = _compile(strings, v)
                        if test is None:
                            self.supported = False
                            return
                        conds.append((_KEYS.index(a), *test))
                    tokens.append(conds)
                self.complex.append((k, index, tokens))
        self.strings = strings
        self.attrs = ruler.attrs
        self._by_key: dict[tuple[int, int, int, int], tuple[tuple[int, ...], tuple[int, ...]]] = {}
        self._merged: dict[tuple[int, ...], tuple[list[tuple[int, int]], dict[int, int]]] = {}

    def lookup(self, key: tuple[int, int, int, int]) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """Rules a token with this key matches on its own, and complex rules it may start."""
        hit = self._by_key.get(key)
        if hit is None:
            if len(self._by_key) > _MAX_KEYS:  # a long run over many articles: start afresh
                self._by_key.clear()
            ks = tuple(sorted(k for slots, table in self.simple.items() for k in table.get(tuple(key[s] for s in slots), ())))
            starts = tuple(c for c in range(len(self.complex)) if self.token_matches(c, 0, key))
            hit = self._by_key[key] = (ks, starts)
        return hit

    def token_matches(self, c: int, pos: int, key: tuple[int, int, int, int]) -> bool:
        """Whether a token with this key meets token ``pos`` of complex rule ``c``."""
        for slot, test, arg in self.complex[c][2][pos]:
            v = key[slot]
            if test == "eq":
                ok = v == arg
            elif test == "in":
                ok = v in arg
            elif test == "not_in":
                ok = v not in arg
            else:  # "regex", on the text of the attribute
                ok = arg.search(self.strings[v] if v else "") is not None
            if not ok:
                return False
        return True

    def merged(self, ks: tuple[int, ...]) -> tuple[list[tuple[int, int]], dict[int, int]]:
        """The attributes rules ``ks`` (ascending) leave on a token: later rules win."""
        got = self._merged.get(ks)
        if got is None:
            final: dict[int, int] = {}
            for k in ks:
                final.update(self.attrs[k])
            bulk = [(col, final[a]) for col, a in enumerate(_BULK) if a in final]
            rest = {a: v for a, v in final.items() if a not in _BULK}
            got = self._merged[ks] = (bulk, rest)
        return got


def _value(strings, v: str | bool) -> int:
    return int(v) if isinstance(v, bool) else strings.add(v)


def _compile(strings, cond: Any) -> tuple[str, Any] | None:
    """One pattern condition as a test on the attribute's hash (None: not supported)."""
    if isinstance(cond, (str, bool)):
        return ("eq", _value(strings, cond))
    if isinstance(cond, dict) and len(cond) == 1:
        (op, arg), = cond.items()
        if op == "IN":
            return ("in", frozenset(_value(strings, x) for x in arg))
        if op == "NOT_IN":
            return ("not_in", frozenset(_value(strings, x) for x in arg))
        if op == "REGEX" and isinstance(arg, str):
            return ("regex", re.compile(arg))
    return None


class FastAttributeRuler(AttributeRuler):
    """:class:`spacy.pipeline.AttributeRuler` with a table-driven ``__call__`` (same output)."""

    def add(self, *args: Any, **kwargs: Any) -> None:
        self._saidwho_rules = None  # compiled again on the next call
        super().add(*args, **kwargs)

    def clear(self) -> None:
        self._saidwho_rules = None
        super().clear()

    def forget(self) -> None:
        """Drop the compiled table and the token keys it remembers (rebuilt on the next call)."""
        self._saidwho_rules = None

    def __call__(self, doc: Doc) -> Doc:
        rules = getattr(self, "_saidwho_rules", None)
        if rules is None:
            rules = self._saidwho_rules = _Rules(self)
        if not rules.supported or not len(doc):
            return super().__call__(doc)
        keys = list(zip(*doc.to_array([TAG, LOWER, DEP, IS_SPACE]).T.tolist()))
        n = len(keys)
        found = [rules.lookup(key) for key in keys]
        extra: dict[int, list[int]] = {}
        for i, (_, starts) in enumerate(found):
            for c in starts:
                k, index, toks = rules.complex[c]
                end = i + len(toks)
                if end <= n and all(rules.token_matches(c, p, keys[i + p]) for p in range(1, len(toks))):
                    extra.setdefault(i + index if index >= 0 else end + index, []).append(k)
        bulk = doc.to_array(list(_BULK))
        rest_jobs: list[tuple[int, dict[int, int]]] = []
        for i, (ks, _) in enumerate(found):
            if i in extra:
                ks = tuple(sorted((*ks, *extra[i])))
            if not ks:
                continue
            cols, rest = rules.merged(ks)
            for col, v in cols:
                bulk[i, col] = v
            if rest:
                rest_jobs.append((i, rest))
        doc.from_array(list(_BULK), bulk)
        for i, rest in rest_jobs:
            set_token_attrs(doc[i], rest)
        return doc


def speed_up(nlp: Language, names: Iterable[str] = ("attribute_ruler",)) -> None:
    """Swap the stock attribute ruler(s) of ``nlp`` for :class:`FastAttributeRuler` in place
    (rules, config and serialisation are kept: only ``__call__`` differs)."""
    for name in names:
        if name in nlp.pipe_names:
            pipe = nlp.get_pipe(name)
            if type(pipe) is AttributeRuler:
                pipe.__class__ = FastAttributeRuler
