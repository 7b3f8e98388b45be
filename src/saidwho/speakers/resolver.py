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

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from .lists import anonymous, business_words, first_names, group_nouns, is_org_word, is_title, pronouns
from .names import NameMention, _title_only, appos_anchor, is_propn, key_matches, name_mentions, np_text, osa, title_key

_PLACE = {"GPE", "LOC"}
_NOT_PERSON = {"GPE", "LOC", "NORP", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY", "EVENT", "LAW", "LANGUAGE", "WORK_OF_ART", "PRODUCT"}
_INDEF = {"a", "an", "another", "one", "some", "any"}
_QUANT = {"some", "many", "several", "few", "most", "other", "others", "all", "both", "one"}
_NAMED = {"GPE", "NORP", "ORG", "PERSON", "FAC", "LOC"}


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

    def sex(self) -> str | None:
        return self.gender or self.name_gender

    def canonical(self) -> str:
        if not self.names:
            return self.name
        best = max(
            self.names,
            key=lambda m: (len(m.tokens), all(w[:1].isupper() and not w[1:].isupper() for w in m.text.split()), -m.start),
        )
        return best.text


def _fuzzy(a: str, b: str) -> bool:
    """Case-folded names one edit apart (transpositions count as one), long enough to trust."""
    return min(len(a), len(b)) >= 5 and osa(a, b, 1) <= 1


class _Article:
    """Per-Doc state: names, actors, the mention timeline and resolved pronouns."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.sent_of = [0] * len(doc)
        self.sents = list(doc.sents)
        for k, s in enumerate(self.sents):
            for t in s:
                self.sent_of[t.i] = k
        self.quotes = [(s.start_char, s.end_char) for s in doc.spans.get("saidwho_quote", [])]
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
        return (m.person_ev and not m.org_ev) or (m.label == "PERSON" and not m.org_ev)

    def _is_org(self, m: NameMention) -> bool:
        return m.org_ev or (m.label in ("ORG", "FAC") and not m.person_ev)

    def _attach(self, m: NameMention, a: Actor) -> None:
        a.names.append(m)
        self.actor_of[id(m)] = a
        if m.role and a.role is None:
            a.role = m.role
        a.role_keys.extend(k for k in m.role_keys if k)
        if m.gender and a.gender is None:
            a.gender = m.gender
        if a.type == "person" and len(m.tokens) > 1 and a.name_gender is None:
            a.name_gender = first_names().get(m.tokens[0])

    def _cluster(self) -> None:
        names = self.names
        multi_person_keys: dict[tuple[str, ...], Actor] = {}
        # 1. full names of people
        person_keys = {m.tokens for m in names if len(m.tokens) > 1 and self._is_person(m)}
        for m in names:
            if m.tokens in person_keys:
                a = multi_person_keys.get(m.tokens)
                if a is None:
                    # a misspelt surname with the same first name ("Alon Pinaks")
                    a = next(
                        (
                            b
                            for k, b in multi_person_keys.items()
                            if len(k) == len(m.tokens) and k[:-1] == m.tokens[:-1] and _fuzzy(k[-1], m.tokens[-1])
                        ),
                        None,
                    )
                if a is None:
                    a = Actor("person", m.text, key=m.tokens)
                    multi_person_keys[m.tokens] = a
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
        for m in names:
            if id(m) in self.actor_of or len(m.tokens) != 1:
                continue
            w = m.tokens[0]
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
        for k, (a, b) in enumerate(self.quotes):
            if a <= tok.idx < b:
                return k
        return None

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
                    return self.other("group", doc.text[rng[0] : rng[1]], True, plural=True)
            return a
        # a description with a name in apposition
        for c in root.subtree:
            if c.dep_ == "appos" and c.i in self.name_at and (appos_anchor(doc, c) or c).i == root.i:
                a = self.actor_for_name(self.name_at[c.i])
                if a.type == "person" and a.role is None:
                    rng = np_text(doc, root, {t.i for t in c.subtree})
                    a.role = doc.text[rng[0] : rng[1]] if rng else None
                return a
        rng = np_text(doc, root)
        whole = np_text(doc, root, keep_det=True)
        text = doc.text[whole[0] : whole[1]] if whole else root.text
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
        if plural:
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
            if definite or root.pos_ == "PROPN":
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

    def compatible(self, cls: str, a: Actor) -> bool:
        if cls in ("male", "female"):
            return a.type == "person" and a.sex() in (None, cls[0])
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
            if a is None:
                continue
            out[tok.i] = a
            if cls in ("male", "female") and a.gender is None:
                a.gender = cls[0]
            self.timeline.append((tok.i, a, tok.dep_ in ("nsubj", "nsubjpass")))
            self.timeline.sort(key=lambda x: x[0])
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
        for i, a, subj in self.timeline:
            if i >= tok.i:
                break
            ds = s - self.sent_of[i]
            if ds > 2 or i in blocked:
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
        for k, tier in enumerate(tiers):
            if not tier:
                continue
            if k in (0, 3):  # same sentence: the nearest
                return tier[-1][1]
            # an earlier sentence: its main-clause subject first, else its first subject
            main = [x for x in tier if self.doc[x[0]].head.dep_ == "ROOT" or self.doc[x[0]].dep_ == "ROOT"]
            return (main or tier)[0][1]
        return None


def resolve_doc(doc: Doc) -> None:
    """Fill ``doc._.saidwho_speakers`` and each attribution record's ``speaker`` index."""
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
            actor_of_rec[k] = art.other("unknown", doc.text[src[0] : src[1]], False)
            continue
        if root.lower_ in table and root.tag_ in ("PRP", "PRP$") or (root.lower_ in table and root.pos_ == "PRON"):
            pron_recs.append((k, root))
            continue
        m = art.name_at.get(root.i)
        if m is not None and id(m) in art.ambiguous:
            amb_recs.append((k, m))
            continue
        # several people: "Smith and Jones", "President Biden and other US officials"
        if any(c.dep_ == "conj" for c in root.children) and any(c.dep_ == "cc" for c in root.children):
            rng = np_text(doc, root)
            text = doc.text[rng[0] : rng[1]] if rng else doc.text[src[0] : src[1]]
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
        name = a.canonical()
        if a.type in ("organization",) and name.lower().startswith("the "):
            name = name[4:]
        out.append({"name": name, "role": a.role, "type": a.type, "mentions": [list(m) for m in sorted(ments)]})
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
