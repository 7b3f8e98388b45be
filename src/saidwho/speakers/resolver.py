"""Resolve each attribution's source to one actor (speaker) of the article.

The article's actors are built first from its proper names (:mod:`.names`): full names of people
cluster with their surnames, first names and near-misspellings ("Pinkas", "BIden"); names of
organisations cluster with their short forms. Each source is then read from the parse:

* a name, or a description with a name in apposition, is that name's actor; the title is kept
  as the role ("US Vice President Kamala Harris");
* a titled description ("the minister") is the one person the article gave that title;
* "the company", "the institute" is the organisation named earlier; "its office" stays as is;
* plural people nouns are a ``group`` when the phrase says whose ("US officials", "Many members
  of Biden's party") and ``anonymous`` when it does not ("officials", "critics", "some",
  "a source familiar with the matter");
* pronouns go to the nearest compatible earlier mention, subjects first, using the gender
  that titles and earlier pronouns give; "it" to organisations, "they" to groups;
  "I"/"we" inside a quotation to the speaker of that quotation.

Anything unsure stays a speaker of its own, of type ``unknown``: a wrong speaker is worse
than a missing one.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from .hygiene import clean_name, clean_role, suspicious_reason
from .lists import anonymous, business_words, first_names, group_nouns, is_org_word, is_title, pronouns, title_gender
from .names import NameMention, _text, cached_text, _title_only, appos_anchor, is_propn, key_matches, name_mentions, np_text, osa, title_key

_PLACE = {"GPE", "LOC"}
_NOT_PERSON = {"GPE", "LOC", "NORP", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY", "EVENT", "LAW", "LANGUAGE", "WORK_OF_ART", "PRODUCT"}
_INDEF = {"a", "an", "another", "one", "some", "any"}
_QUANT = {"some", "many", "several", "few", "most", "other", "others", "all", "both", "one"}
_NAMED = {"GPE", "NORP", "ORG", "PERSON", "FAC", "LOC"}
_COLLECTIVE = {"group", "number", "handful", "majority", "minority", "coalition", "team", "delegation", "panel", "bunch", "couple", "pair", "dozen", "few"}


@dataclass(eq=False)
class Actor:
    type: str
    name: str
    role: str | None = None
    gender: str | None = None
    plural: bool = False
    names: list[NameMention] = field(default_factory=list)
    role_keys: list[tuple[str, ...]] = field(default_factory=list)
    mentions: set[tuple[int, int]] = field(default_factory=set)
    key: tuple[str, ...] = ()
    name_gender: str | None = None  # a weak hint from the first name
    kin: bool = False  # introduced as someone's relative
    person_like: bool = False  # an unnamed person ("the woman", "a police officer")

    def sex(self) -> str | None:
        return self.gender or self.name_gender

    def canonical(self) -> str:
        if not self.names:
            return self.name
        names = [m for m in self.names if len(self.key) < 2 or (m.tokens and m.tokens[0] == self.key[0])] or self.names
        best = max(
            names,
            key=lambda m: (len(m.tokens), all(w[:1].isupper() and not w[1:].isupper() for w in m.text.split()), -m.start),
        )
        return best.text


_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}


def _full_key(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """First and last name ("Loretta E. Lynch" -> (loretta, lynch)); one word stays one."""
    toks = [t for t in tokens if t not in _SUFFIXES and t != "."]
    if len(toks) < 2:
        return tuple(toks)
    return (toks[0], toks[-1])


def _fuzzy(a: str, b: str) -> bool:
    """Case-folded names one edit apart (transpositions count as one), long enough to trust."""
    return min(len(a), len(b)) >= 5 and within_one_edit(a, b)


def within_one_edit(a: str, b: str) -> bool:
    """``osa(a, b, 1) <= 1`` without the table: equal, or one substitution, insertion, deletion
    or swap of neighbours at the first difference. Every name is compared with every other in a
    long text, so this runs in time proportional to the names' length."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    p = 0
    while p < la and p < lb and a[p] == b[p]:
        p += 1
    if la == lb:
        return a[p + 1 :] == b[p + 1 :] or (p + 1 < la and a[p] == b[p + 1] and a[p + 1] == b[p] and a[p + 2 :] == b[p + 2 :])
    return a[p + 1 :] == b[p:] if la > lb else a[p:] == b[p + 1 :]


class _Article:
    """Per-Doc state: names, actors, the mention timeline and resolved pronouns."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.sent_of = [0] * len(doc)
        self.sents = list(doc.sents)
        for k, s in enumerate(self.sents):
            for t in s:
                self.sent_of[t.i] = k
        self.quotes = [(s.start_char, s.end_char) for s in doc.spans.get("saidwho_quote", []) if s is not None]
        # the quotation each token is in (None outside), by one sweep over sorted regions
        self.tok_quote: list[int | None] = [None] * len(doc)
        order = sorted(range(len(self.quotes)), key=lambda k: self.quotes[k])
        r = 0
        for t in doc:
            while r < len(order) and self.quotes[order[r]][1] <= t.idx:
                r += 1
            if r < len(order) and self.quotes[order[r]][0] <= t.idx < self.quotes[order[r]][1]:
                self.tok_quote[t.i] = order[r]
        # narrative distance: sentences wholly inside a quotation do not count
        self.narr = []
        k = 0
        for s in self.sents:
            inside = sum(len(t) for t in s if not t.is_space and self.tok_quote[t.i] is not None)
            total = sum(len(t) for t in s if not t.is_space) or 1
            if inside / total < 0.8:
                k += 1
            self.narr.append(k)
        self.names = name_mentions(doc)
        self.name_at: dict[int, NameMention] = {}
        for m in self.names:
            for k in range(m.start, m.end):
                self.name_at[k] = m
        self.actor_of: dict[int, Actor] = {}  # id(NameMention) -> Actor
        self.persons: list[Actor] = []
        self.orgs: list[Actor] = []
        self.others: dict[tuple[str, ...], Actor] = {}
        self.by_root: dict[int, Actor] = {}
        self.timeline: list[tuple[int, Actor, bool]] = []
        self.ambiguous: dict[int, tuple[NameMention, list[Actor]]] = {}
        self._cluster()

    # -- actors from names ----------------------------------------------------------------
    def _is_person(self, m: NameMention) -> bool:
        if m.person_ev and not m.org_ev:
            return True
        # a recognised person's name with a known first name outweighs an organisation-like role
        if m.label == "PERSON":
            return not m.org_ev or (len(m.tokens) > 1 and m.tokens[0] in first_names())
        # a known first name before a surname the recogniser left unlabelled ("Ana Ruiz")
        return m.label == "" and not m.org_ev and len(m.tokens) > 1 and m.tokens[0] in first_names()

    def _is_org(self, m: NameMention) -> bool:
        if self._is_person(m):
            return False
        return m.org_ev or (m.label in ("ORG", "FAC") and not m.person_ev)

    def _attach(self, m: NameMention, a: Actor) -> None:
        a.names.append(m)
        self.actor_of[id(m)] = a
        if m.role and a.role is None:
            a.role = m.role
        a.role_keys.extend(k for k in m.role_keys if k)
        if m.gender and a.gender is None:
            a.gender = m.gender
        a.kin = a.kin or m.kin
        if a.type == "person" and len(m.tokens) > 1 and a.name_gender is None:
            a.name_gender = first_names().get(m.tokens[0])

    def _cluster(self) -> None:
        names = self.names
        multi_person_keys: dict[tuple[str, ...], Actor] = {}
        # 1. full names of people
        person_keys = {_full_key(m.tokens) for m in names if len(_full_key(m.tokens)) > 1 and self._is_person(m)}
        for m in names:
            fk = _full_key(m.tokens)
            if fk in person_keys:
                a = multi_person_keys.get(fk)
                if a is None:
                    # a misspelt surname with the same first name ("Alon Pinaks")
                    a = next((b for k, b in multi_person_keys.items() if k[0] == fk[0] and _fuzzy(k[-1], fk[-1])), None)
                if a is None and len(m.tokens) >= 3 and m.tokens[0] not in first_names():
                    # a nickname or descriptor run into a known name ("Crooked Hillary Clinton")
                    a = multi_person_keys.get((m.tokens[-2], m.tokens[-1]))
                if a is None:
                    a = Actor("person", m.text, key=fk)
                    multi_person_keys[fk] = a
                    self.persons.append(a)
                self._attach(m, a)
        full = list(multi_person_keys.values())
        # 2. organisations with names of several words
        org_keys: dict[tuple[str, ...], Actor] = {}
        for m in names:
            if id(m) in self.actor_of or len(m.tokens) < 2 or not self._is_org(m):
                continue
            a = org_keys.get(m.tokens)
            if a is None:
                a = Actor("organization", m.text, key=m.tokens)
                org_keys[m.tokens] = a
                self.orgs.append(a)
            self._attach(m, a)
        # 3. single words: surnames, first names, variants of a known name
        single_person: dict[str, Actor] = {}
        # a one-word name is a person's when the article treats it so more often than not
        votes: dict[str, list[int]] = {}
        for m in names:
            if len(m.tokens) == 1 and id(m) not in self.actor_of:
                v = votes.setdefault(m.tokens[0], [0, 0])
                v[0] += 2 if m.person_ev else int(m.label == "PERSON")
                v[1] += 2 if m.org_ev else int(m.label in ("ORG", "FAC"))
        person_words = {w for w, (p, o) in votes.items() if p > 0 and p >= o}
        # and an organisation's when it does so more often ("the space agency Roscosmos" …
        # "Roscosmos added"): the bare mention is not a person of its own
        org_words_ = {w for w, (p, o) in votes.items() if o > p}
        for m in names:
            if id(m) in self.actor_of or len(m.tokens) != 1:
                continue
            w = m.tokens[0]
            if w in person_words and not m.org_ev and m.label in ("ORG", "FAC", "", "PERSON"):
                m.label = "PERSON"
            if w in org_words_ and not m.person_ev and m.label not in _PLACE and not any(w in a.key for a in full):
                m.org_ev = True
            if m.label in _NOT_PERSON or m.org_ev:
                if m.org_ev or m.label in ("ORG", "FAC"):
                    self._single_org(m, org_keys)
                continue
            a = self._match_single(w, m, full, single_person)
            if id(m) in self.ambiguous:
                continue
            if a is None and self._is_org(m):
                if self._single_org(m, org_keys):
                    continue
            if a is None and self._is_person(m):
                a = Actor("person", m.text, key=(w,))
                single_person[w] = a
                self.persons.append(a)
            if a is not None:
                self._attach(m, a)
        self._single_person = single_person
        self._full = full

    def _single_org(self, m: NameMention, org_keys: dict) -> bool:
        w = m.tokens[0]
        a = next((b for k, b in org_keys.items() if k[0] == w or k[-1] == w and len(k) == 1), None)
        if a is None:
            if not self._is_org(m):
                return False
            a = Actor("organization", m.text, key=m.tokens)
            org_keys[m.tokens] = a
            self.orgs.append(a)
        self._attach(m, a)
        return True

    def _match_single(self, w: str, m: NameMention, full: list[Actor], single: dict[str, Actor]) -> Actor | None:
        def pick(cands: list[Actor]) -> Actor | None:
            cands = list(dict.fromkeys(cands))
            if len(cands) > 1 and m.gender:
                cands = [c for c in cands if c.sex() in (None, m.gender)]
            if len(cands) > 1:
                # a "name" seen once at the start of a sentence may be a capitalised word ("Neither Clinton")
                solid = [c for c in cands if not self._weak(c)]
                if solid:
                    cands = solid
            if len(cands) > 1:
                # the others were introduced as relatives ("his wife, ...", "the nominee's daughter")
                main = [c for c in cands if not c.kin]
                if len(main) == 1:
                    cands = main
            if len(cands) > 1:
                # two people share the name: settled later by gender, or left apart
                self.ambiguous[id(m)] = (m, cands)
            return cands[0] if len(cands) == 1 else None

        if w in single:
            return single[w]
        by_last = [a for a in full if a.key[-1] == w]
        if by_last:
            return pick(by_last)
        if self._is_person(m):
            by_first = [a for a in full if a.key[0] == w]
            if by_first:
                return pick(by_first)
        known = {a.key[-1] for a in full} | set(single)
        if w in known:
            return None
        fuzzy = [a for a in full if _fuzzy(a.key[-1], w)] + [a for k, a in single.items() if _fuzzy(k, w)]
        return pick(fuzzy) if fuzzy else None

    def _match_source_name(self, m: NameMention) -> Actor | None:
        """A one-word source name no clustering took (tagged as a place, say)."""
        if len(m.tokens) != 1:
            return None
        return self._match_single(m.tokens[0], m, self._full, self._single_person)

    def _weak(self, a: Actor) -> bool:
        if len(a.names) != 1 or len(a.key) < 2:
            return False
        m = a.names[0]
        return self.doc[m.start].is_sent_start and a.key[0] not in first_names() and not m.person_ev

    def settle_ambiguous(self) -> None:
        """A surname two people share, once gender is known: "Mrs. Okoro" -> Grace Okoro."""
        for key, (m, cands) in list(self.ambiguous.items()):
            if m.gender:
                fit = [c for c in cands if c.sex() == m.gender]
                if len(fit) != 1:
                    fit = [c for c in cands if c.sex() in (None, m.gender)]
                if len(fit) == 1:
                    self._attach(m, fit[0])
                    del self.ambiguous[key]

    # -- helpers -------------------------------------------------------------------------
    def in_quote(self, tok: Token) -> int | None:
        return self.tok_quote[tok.i]

    def other(self, type_: str, name: str, merge: bool, plural: bool = False) -> Actor:
        key = (type_, " ".join(name.lower().split()))
        if merge and key in self.others:
            return self.others[key]
        a = Actor(type_, name, plural=plural)
        if merge:
            self.others[key] = a
        return a

    def span_root(self, a: int, b: int) -> tuple[Token | None, list[Token]]:
        span = self.doc.char_span(a, b, alignment_mode="expand")
        if span is None or not len(span):
            return None, []
        toks = [t for t in span if not t.is_punct and not t.is_space]
        if not toks:
            return None, []
        inside = {t.i for t in span}

        def depth(t: Token) -> int:
            d = 0
            while t.head.i != t.i and d < 50:
                t = t.head
                d += 1
            return d

        roots = [t for t in toks if t.head.i not in inside or t.head.i == t.i]
        root = min(roots or toks, key=lambda t: (depth(t), t.i))
        if root.pos_ in ("VERB", "AUX"):
            # a span that took in a clause ("Harris set out the goals"): its subject is the one
            subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass") and c.i in inside), None)
            if subj is not None:
                root = subj
        return root, toks

    # -- sources ---------------------------------------------------------------------------
    def actor_for_name(self, m: NameMention) -> Actor:
        a = self.actor_of.get(id(m))
        if a is None:
            a = self._match_source_name(m)
            if a is not None:
                self._attach(m, a)
                return a
        if a is None:
            if m.label in _PLACE:
                a = Actor("organization", m.text, key=m.tokens)
            elif m.label == "NORP":
                a = Actor("group", m.text, key=m.tokens, plural=True)
            elif self._is_org(m):
                a = Actor("organization", m.text, key=m.tokens)
            else:
                a = Actor("unknown", m.text, key=m.tokens)
            self._attach(m, a)
            # later mentions of the very same words belong to it too
            for n in self.names:
                if n is not m and n.tokens == m.tokens and id(n) not in self.actor_of:
                    self._attach(n, a)
        return a

    def classify(self, root: Token, for_source: bool = True) -> Actor | None:
        """The actor of a noun phrase headed by ``root`` (no pronouns)."""
        doc = self.doc
        # a proper name
        m = self.name_at.get(root.i)
        if m is not None:
            a = self.actor_for_name(m)
            if a.type == "group":  # "Many Okanee Republicans": the phrase as written
                rng = np_text(doc, root)
                if rng:
                    return self.other("group", _text(doc)[rng[0] : rng[1]], True, plural=True)
            return a
        # a description with a name in apposition
        for c in root.subtree:
            if c.dep_ == "appos" and c.i in self.name_at and (appos_anchor(doc, c) or c).i == root.i:
                a = self.actor_for_name(self.name_at[c.i])
                if a.type == "person" and a.role is None:
                    rng = np_text(doc, root, {t.i for t in c.subtree})
                    a.role = _text(doc)[rng[0] : rng[1]] if rng else None
                return a
        # a capitalised word the tagger did not take for a name, matching a known person ("Trump" as NN)
        if (
            root.text[:1].isupper()
            and root.is_alpha
            and not any(c.dep_ in ("det", "poss", "amod", "compound") for c in root.children)
            and root.lower_ not in anonymous()
            and root.lower_ not in group_nouns()
            and not is_title(root)
            and not is_org_word(root)
        ):
            w = root.lower_
            hits = [a for a in self._full if a.key[-1] == w] or ([self._single_person[w]] if w in self._single_person else [])
            if len(hits) == 1:
                return hits[0]
        rng = np_text(doc, root)
        whole = np_text(doc, root, keep_det=True)
        text = _text(doc)[whole[0] : whole[1]] if whole else root.text
        low = root.lower_
        lemma = root.lemma_.lower()
        kids = list(root.children)
        dets = {c.lower_ for c in kids if c.dep_ in ("det", "nummod", "amod", "predet") and c.i < root.i}
        poss = next((c for c in kids if c.dep_ == "poss"), None)
        clause_cut = {t.i for c in kids if c.dep_ in ("relcl", "acl", "appos", "advcl") for t in c.subtree}
        np_toks = [t for t in root.subtree if t.i not in clause_cut and t.i != root.i]
        # whose people they are: a name, a nationality, an organisation ("Party officials")
        named = any(
            t.ent_type_ in _NAMED or (is_propn(t) and not is_title(t)) or (t.dep_ == "compound" and is_org_word(t))
            for t in np_toks
        )
        plural = root.tag_ in ("NNS", "NNPS") or (low in group_nouns() and not low.endswith("ss"))
        # "some", "many", "others", "one"
        if root.pos_ in ("PRON", "DET", "ADJ", "NUM") and (low in anonymous() or low in _QUANT):
            if named and root.pos_ != "PRON" and any(c.dep_ == "prep" for c in kids):
                return self.other("group", text, True, plural=True)  # "many of the party's members"
            return self.other("anonymous", text, False, plural=True)
        # "a group of Republicans and Democrats", "a number of tax experts"
        of = next((c for c in kids if c.dep_ == "prep" and c.lower_ == "of"), None)
        pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if lemma in _COLLECTIVE and pobj is not None and pobj.tag_ in ("NNS", "NNPS"):
            if named or pobj.ent_type_ in _NAMED or is_propn(pobj):
                return self.other("group", text, True, plural=True)
            return self.other("anonymous", text, False, plural=True)
        if plural:
            # "the senators", "these voters": people the article has already identified
            if any(c.dep_ == "det" and c.lower_ in ("the", "these", "those") for c in kids) and (low in group_nouns() or is_title(root)):
                return self.other("group", text, True, plural=True)
            if is_org_word(root) and low not in ("police",):
                return self.other("group", text, True, plural=True)
            if low in group_nouns() or low in anonymous() or root.ent_type_ == "NORP" or is_propn(root):
                if named or poss is not None or root.ent_type_ == "NORP" or is_propn(root):
                    return self.other("group", text, True, plural=True)
                return self.other("anonymous", text, False, plural=True)
            return self.other("unknown", text, False, plural=True)
        indefinite = bool(dets & _INDEF) and poss is None
        definite = "the" in dets or poss is not None or any(c.dep_ == "det" and c.lower_ in ("this", "that") for c in kids)
        if indefinite and (low in anonymous() or is_title(root) or lemma in anonymous()):
            return self.other("anonymous", text, False)
        if is_org_word(root) and not is_title(root):
            if poss is not None and poss.lower_ not in ("its", "their"):
                return self.other("organization", text, True)
            org = self.org_antecedent(root, np_toks)
            if org is not None:
                return org
            return self.other("organization", text, True)
        if is_title(root) or (is_propn(root) and _title_only(doc, root)):
            # "his lawyer" is somebody's lawyer: not matched by the title alone
            if (definite or root.pos_ == "PROPN") and poss is None:
                toks = [t for t in doc[root.left_edge.i : root.i + 1] if rng and rng[0] <= t.idx < rng[1]]
                key = title_key(toks, len(toks) - 1) if toks else ()
                p = self.title_antecedent(key, root)
                if p is not None:
                    return p
            return self.other("unknown", text, False)
        if low in anonymous() or lemma in anonymous():
            if definite:
                prev = [a for a in self.by_root.values() if a.type == "anonymous" and a.name.lower().split()[-1:] == [low]]
                if prev:
                    return prev[-1]
            return self.other("anonymous", text, False)
        return self.other("unknown", text, False)

    def org_antecedent(self, root: Token, np_toks: list[Token]) -> Actor | None:
        """"the institute" -> the organisation named earlier whose name has those words."""
        words = {t.lower_ for t in np_toks if not t.is_punct and t.pos_ in ("NOUN", "PROPN", "ADJ")} | {root.lower_}
        best = None
        for m in self.names:
            if m.start >= root.i:
                break
            a = self.actor_of.get(id(m))
            if a is None or a.type != "organization":
                continue
            if words <= set(m.tokens):
                best = a
        if best is not None:
            return best
        if (root.lower_ in business_words() or root.lemma_.lower() in business_words()) and len(words) == 1:
            s = self.sent_of[root.i]
            for m in reversed(self.names):
                if m.start < root.i and s - self.sent_of[m.start] <= 2:
                    a = self.actor_of.get(id(m))
                    if a is not None and a.type == "organization":
                        return a
        return None

    def title_antecedent(self, key: tuple[str, ...], root: Token) -> Actor | None:
        """"the minister" -> the one person named earlier with that title."""
        if not key:
            return None
        found = []
        for a in self.persons:
            if any(m.start < root.i for m in a.names) and any(key_matches(key, k) for k in a.role_keys):
                found.append(a)
        return found[0] if len(found) == 1 else None

    # -- pronouns --------------------------------------------------------------------------
    def build_timeline(self, sources: dict[int, Actor]) -> None:
        tl: list[tuple[int, Actor, bool]] = []
        for m in self.names:
            a = self.actor_of.get(id(m))
            if a is not None and a.type in ("person", "organization"):
                tl.append((m.head, a, m.subject))
        for i, a in sources.items():
            tl.append((i, a, True))
        # a surname two people share: a pronoun that would go to it stays unresolved
        for m, cands in self.ambiguous.values():
            blocker = Actor("ambiguous", m.text, person_like=True)
            sexes = {c.sex() for c in cands}
            blocker.gender = sexes.pop() if len(sexes) == 1 else None
            tl.append((m.head, blocker, m.subject))
        # unnamed people as subjects ("The woman ...", "A police officer ..."): "she" may be them
        for t in self.doc:
            if (
                t.dep_ in ("nsubj", "nsubjpass")
                and t.tag_ == "NN"
                and t.i not in sources
                and t.i not in self.name_at
                and is_title(t)
                and not is_org_word(t)
            ):
                a = self.by_root.get(t.i) or self.classify(t)
                if a is not None and a.type in ("anonymous", "unknown", "person"):
                    if a.type != "person":
                        a.person_like = True
                        a.gender = a.gender or title_gender(t)
                    self.by_root.setdefault(t.i, a)
                    tl.append((t.i, a, True))
        # plural subjects that can be taken up by "they"
        for t in self.doc:
            if t.dep_ in ("nsubj", "nsubjpass") and t.tag_ in ("NNS", "NNPS") and t.i not in sources:
                low = t.lower_
                if low in group_nouns() or low in anonymous() or t.ent_type_ == "NORP":
                    a = self.by_root.get(t.i) or self.classify(t)
                    if a is not None and a.type in ("group", "anonymous"):
                        self.by_root.setdefault(t.i, a)
                        tl.append((t.i, a, True))
        tl.sort(key=lambda x: x[0])
        self.timeline = tl
        self._tl_keys = [x[0] for x in tl]

    def _subjects_before(self, tok: Token, q: int | None) -> list[int]:
        """Subject tokens before ``tok``: any in its own sentence, the main clause's in the one
        before (outside other quotes)."""
        s = self.sent_of[tok.i]
        out = []
        for sent in self.sents[max(0, s - 1) : s + 1]:
            own = sent.start <= tok.i < sent.end
            for t in sent:
                if t.i >= tok.i:
                    break
                main = t.head.dep_ == "ROOT" or (t.head.dep_ == "conj" and t.head.head.dep_ == "ROOT")
                if (own or main) and t.dep_ in ("nsubj", "nsubjpass") and t.pos_ in ("NOUN", "PROPN", "PRON") and t.lower_ not in ("that", "which", "who"):
                    cq = self.in_quote(t)
                    if cq is None or cq == q:
                        out.append(t.i)
        return out

    def compatible(self, cls: str, a: Actor) -> bool:
        if cls in ("male", "female"):
            return (a.type == "person" or a.person_like) and a.sex() in (None, cls[0])
        if cls == "plural":
            return a.type in ("group", "anonymous") and a.plural
        if cls == "neuter":
            return a.type == "organization"
        return False

    def resolve_pronouns(self) -> dict[int, Actor]:
        table = pronouns()
        out: dict[int, Actor] = {}
        for tok in self.doc:
            cls = table.get(tok.lower_)
            if cls not in ("male", "female", "plural", "neuter") or tok.tag_ not in ("PRP", "PRP$"):
                continue
            if cls == "neuter" and tok.dep_ not in ("nsubj", "nsubjpass", "poss"):
                continue
            a = self.antecedent(tok, cls)
            if a is None or a.type == "ambiguous":
                continue
            out[tok.i] = a
            # only a subject pronoun teaches the antecedent's gender (possessives are less sure)
            if cls in ("male", "female") and a.gender is None and tok.dep_ in ("nsubj", "nsubjpass"):
                a.gender = cls[0]
            k = bisect.bisect_right(self._tl_keys, tok.i)
            self.timeline.insert(k, (tok.i, a, tok.dep_ in ("nsubj", "nsubjpass")))
            self._tl_keys.insert(k, tok.i)
        return out

    def antecedent(self, tok: Token, cls: str) -> Actor | None:
        s = self.sent_of[tok.i]
        q = self.in_quote(tok)
        # a non-reflexive object pronoun does not refer to its own clause's subject
        blocked = set()
        if tok.dep_ in ("dobj", "dative", "pobj"):
            verb = tok.head if tok.dep_ != "pobj" else tok.head.head
            blocked = {c.i for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")}
        tiers: list[list[tuple[int, Actor]]] = [[] for _ in range(5)]
        # walk back from the pronoun while within reach (the timeline is sorted by token)
        hi = bisect.bisect_left(self._tl_keys, tok.i)
        window = []
        for k in range(hi - 1, -1, -1):
            i = self.timeline[k][0]
            ds = self.narr[s] - self.narr[self.sent_of[i]]
            if self.sent_of[i] == s:
                ds = 0
            elif ds == 0:
                ds = 1
            if ds > 2:
                break
            window.append(self.timeline[k])
        window.reverse()
        for i, a, subj in window:
            ds = self.narr[s] - self.narr[self.sent_of[i]]
            if self.sent_of[i] == s:
                ds = 0
            elif ds == 0:
                ds = 1
            if i in blocked:
                continue
            cand = self.doc[i]
            cq = self.in_quote(cand)
            if cq is not None and cq != q:
                continue
            if not self.compatible(cls, a):
                continue
            if cls == "plural" and ds > 1:
                continue
            if subj:
                tiers[ds].append((i, a))
            elif ds <= 1:
                tiers[3 + ds].append((i, a))
        if cls == "neuter":
            # "it" is an organisation only when the nearest subject before it is one
            subj = [x for x in self._subjects_before(tok, q)]
            if not subj:
                return None
            i = subj[-1]
            lo, hi = bisect.bisect_left(self._tl_keys, i), bisect.bisect_right(self._tl_keys, i)
            hit = [a for _, a, _ in self.timeline[lo:hi] if self.compatible(cls, a)]
            return hit[0] if hit else None
        if tok.tag_ == "PRP$":
            # a possessive goes to the nearest compatible mention of its own sentence, whatever its role
            same = sorted(tiers[0] + tiers[3])
            if same:
                return same[-1][1]
        for k, tier in enumerate(tiers):
            if not tier:
                continue
            if k in (0, 3):  # same sentence: the nearest
                return tier[-1][1]
            # the latest earlier sentence with a candidate: its main-clause subject, else its first
            last = max(self.sent_of[i] for i, _ in tier)
            tier = [x for x in tier if self.sent_of[x[0]] == last]
            main = [x for x in tier if self.doc[x[0]].head.dep_ == "ROOT" or self.doc[x[0]].dep_ == "ROOT"]
            return (main or tier)[0][1]
        return None


def resolve_doc(doc: Doc) -> None:
    """Fill ``doc._.saidwho_speakers`` and each attribution record's ``speaker`` index."""
    with cached_text(doc):
        _resolve(doc)


def _resolve(doc: Doc) -> None:
    records = doc._.saidwho_attributions or []
    art = _Article(doc)
    table = pronouns()
    actor_of_rec: dict[int, Actor | None] = {}
    pron_recs: list[tuple[int, Token]] = []
    amb_recs: list[tuple[int, NameMention]] = []
    sources: dict[int, Actor] = {}
    for k, rec in enumerate(records):
        src = rec.get("source")
        if not src:
            actor_of_rec[k] = None
            continue
        root, toks = art.span_root(int(src[0]), int(src[1]))
        if root is None:
            actor_of_rec[k] = art.other("unknown", _text(doc)[src[0] : src[1]], False)
            continue
        if root.lower_ in table and root.tag_ in ("PRP", "PRP$") or (root.lower_ in table and root.pos_ == "PRON"):
            pron_recs.append((k, root))
            continue
        # "X, who said ...": the relative pronoun stands for X
        if root.lower_ in ("who", "which", "that", "whom") and root.head.dep_ in ("relcl", "acl") and root.head.head.i != root.head.i:
            root = root.head.head
        m = art.name_at.get(root.i)
        if m is not None and id(m) in art.ambiguous:
            amb_recs.append((k, m))
            continue
        # several people: "Smith and Jones", "President Biden and other US officials"
        span_ids = set(range(root.left_edge.i, root.right_edge.i + 1))
        if any(c.dep_ == "conj" and c.i in span_ids and c.pos_ in ("NOUN", "PROPN", "PRON") for c in root.children):
            rng = np_text(doc, root)
            text = _text(doc)[rng[0] : rng[1]] if rng else _text(doc)[src[0] : src[1]]
            a = art.other("group", text, True, plural=True)
        else:
            a = art.by_root.get(root.i) or art.classify(root)
        art.by_root[root.i] = a
        sources[root.i] = a
        actor_of_rec[k] = a
    art.build_timeline(sources)
    resolved = art.resolve_pronouns()
    art.settle_ambiguous()
    for k, m in amb_recs:
        a = art.actor_of.get(id(m))
        actor_of_rec[k] = a if a is not None else art.other("unknown", m.text, True)
    for k, root in pron_recs:
        cls = table.get(root.lower_)
        a = resolved.get(root.i)
        if a is None and cls in ("first", "first_plural"):
            a = _quote_speaker(records, k, actor_of_rec, art, root, cls)
        if a is None:
            a = art.other("unknown", root.text, False)
        actor_of_rec[k] = a
    # speakers in order of first use
    speakers: list[dict] = []
    index: dict[int, int] = {}
    for k, rec in enumerate(records):
        a = actor_of_rec.get(k)
        if a is None:
            rec["speaker"] = None
            continue
        if id(a) not in index:
            index[id(a)] = len(speakers)
            speakers.append(a)
        a.mentions.add((int(rec["source"][0]), int(rec["source"][1])))
        rec["speaker"] = index[id(a)]
    out = []
    for a in speakers:
        ments = set(a.mentions) | {m.chars for m in a.names}
        name = clean_name(a.canonical(), a.type)
        type_ = a.type
        if type_ == "person" and suspicious_reason(name, type_) is not None:
            type_ = "unknown"  # "Gallery", "Host", "Trump avoids": not a person's name
        out.append({"name": name, "role": clean_role(a.role), "type": type_, "mentions": [list(m) for m in sorted(ments)]})
    doc._.saidwho_speakers = out


def _quote_speaker(records, k, actor_of_rec, art: _Article, root: Token, cls: str) -> Actor | None:
    """"I"/"we" inside a quotation: the speaker of the attribution that quotes it."""
    parent = records[k].get("parent")
    cand = None
    if parent is not None:
        cand = actor_of_rec.get(parent)
    else:
        for j, r in enumerate(records):
            if j != k and any(a <= root.idx < b for a, b in r["content"]):
                cand = actor_of_rec.get(j)
                break
    if cand is None:
        return None
    if cls == "first" and cand.type == "person":
        return cand
    if cls == "first_plural" and cand.type in ("organization", "group"):
        return cand
    return None
