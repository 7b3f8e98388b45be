"""Proper names in a parsed Doc: each name split from its title or role, with the evidence the
article gives about what it names (a person, an organisation, a place).

"US Vice President Kamala Harris" -> name "Kamala Harris", role "US Vice President";
"the former Israeli Consul General in New York, Alon Pinkas" -> name "Alon Pinkas", role
"former Israeli Consul General in New York".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from .lists import first_names, is_honorific, is_org_word, is_title, title_gender, titles

# entity labels that never belong to a person's name (a date or place before a name)
_NOT_NAME = {"DATE", "TIME", "GPE", "NORP", "LOC", "CARDINAL", "ORDINAL", "EVENT", "QUANTITY", "MONEY", "PERCENT"}
_DETS = {"the", "a", "an"}
_PREDET = {"both", "all", "each", "either", "neither"}
_POSS_PRON = {"its", "his", "her", "their", "our", "my", "your"}
_CLAUSE_DEPS = {"relcl", "acl", "appos", "advcl", "parataxis"}


@dataclass
class NameMention:
    """One occurrence of a proper name (name tokens ``[start, end)``)."""

    start: int
    end: int
    head: int
    text: str
    tokens: tuple[str, ...]  # case-folded name tokens
    label: str  # NER label of the name ("" when none)
    role: str | None = None
    role_keys: list[tuple[str, ...]] = field(default_factory=list)
    person_ev: bool = False
    org_ev: bool = False
    gender: str | None = None
    subject: bool = False
    kin: bool = False  # introduced as someone's relative ("his wife, ...")

    @property
    def chars(self) -> tuple[int, int]:
        return self._chars

    def set_chars(self, doc: Doc) -> None:
        self._chars = (doc[self.start].idx, doc[self.end - 1].idx + len(doc[self.end - 1]))


_TEXTS: dict[int, str] = {}


def _text(doc: Doc) -> str:
    """``doc.text`` (spaCy joins the tokens on every access: kept while a Doc is resolved)."""
    t = _TEXTS.get(id(doc))
    return t if t is not None else doc.text


class cached_text:
    """``with cached_text(doc):`` keeps ``doc.text`` for :func:`_text` until the block ends."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc

    def __enter__(self) -> None:
        _TEXTS[id(self.doc)] = self.doc.text

    def __exit__(self, *exc) -> None:
        _TEXTS.pop(id(self.doc), None)


def osa(a: str, b: str, limit: int = 2) -> int:
    """Optimal string alignment distance (edits incl. transpositions), capped at ``limit + 1``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return min(prev[len(b)], limit + 1)


def is_propn(tok: Token) -> bool:
    """A proper-noun token; a word in capitals ("OKAFOR") counts whatever its tag."""
    if tok.tag_ in ("NNP", "NNPS") or tok.pos_ == "PROPN":
        return True
    t = tok.text
    # a capitalised word inside a named entity, whatever the tagger said ("Pike" as UH)
    if t[:1].isupper() and t.isalpha() and tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP", "FAC", "LOC") and tok.pos_ not in ("DET", "ADP", "CCONJ", "PRON", "AUX"):
        return True
    return len(t) >= 3 and t.isalpha() and t.isupper() and tok.pos_ in ("NOUN", "PROPN", "ADJ", "X")


def title_key(tokens: list[Token], head_pos: int) -> tuple[str, ...]:
    """The title words ending at ``tokens[head_pos]``: "US Vice President" -> (vice, president)."""
    if head_pos < 0 or not is_title(tokens[head_pos]) or is_honorific(tokens[head_pos]):
        return ()
    k = head_pos
    while k - 1 >= 0 and is_title(tokens[k - 1]) and not is_honorific(tokens[k - 1]):
        k -= 1
    return tuple(t.lower_.rstrip(".") for t in tokens[k : head_pos + 1])


def key_matches(desc: tuple[str, ...], role: tuple[str, ...]) -> bool:
    """Does a description's title ("the minister") fit a role's ("Foreign Minister")?

    Extra leading words on the role are fine unless they make another office ("vice").
    """
    if not desc or len(desc) > len(role) or role[len(role) - len(desc) :] != desc:
        return False
    return not any(w in titles().rank for w in role[: len(role) - len(desc)])


def np_text(doc: Doc, head: Token, drop: set[int] = frozenset(), lo: int | None = None, keep_det: bool = False) -> tuple[int, int] | None:
    """Character range of ``head``'s noun phrase without clauses/appositions after a comma,
    a leading determiner or possessive pronoun (unless ``keep_det``), and edge punctuation."""
    toks = []
    cut = set(drop)
    for c in head.children:
        if c.dep_ in _CLAUSE_DEPS and c.i > head.i:
            cut.update(t.i for t in c.subtree)
    for t in head.subtree:
        if t.i in cut or (lo is not None and t.i < lo):
            continue
        toks.append(t)
    # keep one contiguous stretch around the head
    toks.sort(key=lambda t: t.i)
    idx = [t.i for t in toks]
    if head.i not in idx:
        return None
    p = idx.index(head.i)
    a = b = p
    while a > 0 and idx[a - 1] == idx[a] - 1:
        a -= 1
    while b + 1 < len(idx) and idx[b + 1] == idx[b] + 1:
        b += 1
    toks = toks[a : b + 1]
    while toks and (toks[0].is_punct or (not keep_det and (toks[0].lower_ in _DETS or toks[0].lower_ in _POSS_PRON))):
        toks = toks[1:]
    while toks and toks[-1].is_punct:
        toks = toks[:-1]
    if not toks:
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1])


def _runs(doc: Doc) -> list[tuple[int, int]]:
    """Maximal runs of proper-noun tokens within a sentence; a connector inside one named
    entity ("Norland Institute for Climate Research", "Fishermen's Association") is kept."""
    out = []
    i, n = 0, len(doc)
    while i < n:
        if is_propn(doc[i]) and not doc[i].is_punct:
            j = i + 1
            while j < n and not doc[j].is_sent_start:
                if is_propn(doc[j]) and not doc[j].is_punct:
                    j += 1
                    continue
                # a connector inside the same entity, followed by more of the name
                k = j
                while k < n and not is_propn(doc[k]) and doc[k].ent_iob_ == "I" and k - j < 2:
                    k += 1
                if k > j and k < n and is_propn(doc[k]) and doc[k].ent_iob_ == "I":
                    j = k
                    continue
                break
            out.append((i, j))
            i = j
        else:
            i += 1
    return out


def _ent_label(doc: Doc, start: int, end: int) -> str:
    labels = [doc[k].ent_type_ for k in range(start, end) if doc[k].ent_type_]
    if not labels:
        return ""
    return max(set(labels), key=lambda l: (labels.count(l), l == doc[end - 1].ent_type_))


def _is_subject(tok: Token) -> bool:
    t = tok
    for _ in range(3):
        if t.dep_ in ("nsubj", "nsubjpass"):
            return True
        if t.dep_ in ("appos", "compound", "conj", "poss") and t.head.i != t.i:
            t = t.head
            continue
        break
    # the object of "according to"
    return tok.dep_ == "pobj" and tok.head.lower_ == "to" and tok.head.head.lower_ == "according"


def split_run(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """The name part ``[s, end)`` of a proper-noun run: title words and leading places cut off."""
    # "Ministry of Finance Brian Manning": an organisation's name the recogniser ran into a
    # person's; a known first name after the organisation's word starts the person's name
    org_at = [k for k in range(start, end - 2) if is_org_word(doc[k])]
    if org_at:
        k = next((k for k in range(org_at[-1] + 1, end - 1) if doc[k].lower_ in first_names()), None)
        if k is not None:
            start = k
    toks = [doc[k] for k in range(start, end)]
    last = toks[-1]
    # a title word inside an organisation's or place's name stays ("Westbrook General Hospital")
    if last.ent_type_ and last.ent_type_ != "PERSON":
        b = end - 1
        while b > start and doc[b].ent_iob_ == "I":
            b -= 1
        if any(is_title(doc[k]) for k in range(b, end)) and (
            is_org_word(last) or last.ent_type_ != "ORG" or not is_title(doc[b])
        ):
            return b, end
    if is_org_word(last) and end - start > 1:
        return start, end  # "Westbrook General Hospital"
    s = end
    while s - 1 >= start and not is_title(doc[s - 1]):
        s -= 1
    if s == end and last.ent_type_ == "PERSON":
        # a surname that is also a title word ("John Major")
        s = end - 1
        while s - 1 >= start and doc[s - 1].ent_type_ == "PERSON" and doc[s - 1].ent_iob_ != "O":
            s -= 1
    # words before a person's name that the recogniser left out of it ("Rip Donald Trump")
    if last.ent_type_ == "PERSON":
        b = end - 1
        while b > s and doc[b].ent_iob_ == "I":
            b -= 1
        if doc[b].ent_iob_ == "B" and b > s and (end - b >= 2 or (doc[s].is_sent_start and all(doc[k].ent_iob_ == "O" for k in range(s, b)))):
            s = b  # ("Neither Clinton" at the start of a sentence)
    # drop leading dates/places that the tagger ran into the name ("Saturday Harris")
    while s < end - 1 and doc[s].ent_type_ in _NOT_NAME and doc[s].ent_type_ != doc[end - 1].ent_type_:
        s += 1
    return s, end


def _same_line(doc: Doc, a: int, b: int) -> bool:
    """Whether tokens ``a`` and ``b`` are on one line (a role on the line above a name is a
    caption's or a headline's, not the name's)."""
    lo, hi = min(a, b), max(a, b)
    return "\n" not in _text(doc)[doc[lo].idx : doc[hi].idx]


def _role_tokens(doc: Doc, head: Token, name_start: int) -> list[Token]:
    lo = head.left_edge.i
    toks = [doc[k] for k in range(lo, name_start) if doc[k].head.i >= lo and _same_line(doc, k, name_start)]
    toks = [t for t in toks if not is_honorific(t) and t.ent_type_ not in ("DATE", "TIME")]
    while toks and (toks[0].is_punct or toks[0].lower_ in _DETS or toks[0].lower_ in _POSS_PRON or toks[0].lower_ in _PREDET):
        toks = toks[1:]
    while toks and toks[-1].is_punct:
        toks = toks[:-1]
    return toks


def describe_role(doc: Doc, head: Token, drop: set[int] = frozenset()) -> tuple[str | None, tuple, bool, bool, str | None]:
    """Role text, title key, person evidence, organisation evidence and gender of a
    description noun phrase headed by ``head`` (tokens in ``drop`` left out)."""
    rng = np_text(doc, head, drop)
    if rng is None:
        return None, (), False, False, None
    toks = [t for t in doc[head.left_edge.i : head.right_edge.i + 1] if rng[0] <= t.idx < rng[1] and t.i not in drop]
    hp = next((k for k, t in enumerate(toks) if t.i == head.i), len(toks) - 1)
    key = title_key(toks, hp)
    org = is_org_word(head) and not key
    person = bool(key) and not org
    gender = title_gender(head)
    return _text(doc)[rng[0] : rng[1]], key, person, org, gender


def name_mentions(doc: Doc) -> list[NameMention]:
    """Every proper name of the article with its role and evidence."""
    out = []
    for start, end in _runs(doc):
        s, e = split_run(doc, start, end)
        if s >= e:
            continue
        toks = [doc[k] for k in range(s, e)]
        # syntactic head of the name: the token whose head lies outside it
        head = next((t for t in reversed(toks) if not (s <= t.head.i < e) or t.head.i == t.i), toks[-1])
        label = _ent_label(doc, s, e)
        m = NameMention(
            start=s,
            end=e,
            head=head.i,
            text=_text(doc)[toks[0].idx : toks[-1].idx + len(toks[-1])],
            tokens=tuple(t.lower_ for t in toks),
            label=label,
            subject=_is_subject(head),
        )
        m.set_chars(doc)
        # title words and honorifics before the name
        pre = _role_tokens(doc, head, s)
        for t in pre:
            g = title_gender(t)
            if g:
                m.gender = g
        honor = [doc[k] for k in range(max(0, s - 1), s) if is_honorific(doc[k])]
        if honor:
            m.person_ev = True
            m.gender = m.gender or title_gender(honor[0])
        if pre:
            titled = [k for k, t in enumerate(pre) if is_title(t) and not is_honorific(t)]
            if pre[-1].lower_ in titles().kin:
                m.kin = True
            if pre and is_org_word(pre[-1]) and not is_title(pre[-1]):
                m.org_ev = True
                m.role = _text(doc)[pre[0].idx : pre[-1].idx + len(pre[-1])]
            elif titled:
                m.person_ev = True
                m.role_keys.append(title_key(pre, titled[-1]))
                m.role = _text(doc)[pre[0].idx : pre[-1].idx + len(pre[-1])]
                # "Mayor Elena Vasquez of Port Calder"
                of = next((c for c in head.children if c.dep_ == "prep" and c.i == e and c.lower_ in ("of", "in", "at")), None)
                if of is not None:
                    m.role += " " + _text(doc)[of.idx : of.right_edge.idx + len(of.right_edge)]
        # appositions: "the union's president, Adaeze Okafor" / "Graham Pell, the chief executive"
        desc = None
        if head.dep_ == "appos":
            desc = appos_anchor(doc, head)
        if desc is None:
            desc = next(
                (c for c in head.children if c.dep_ == "appos" and (not is_propn(c) or _title_only(doc, c)) and c.pos_ in ("NOUN", "PROPN")),
                None,
            )
        if desc is not None and not _same_line(doc, desc.i, head.i):
            desc = None
        if desc is not None:
            drop = {t.i for t in head.subtree} if desc.i < head.i else set()
            text, key, person, org, gender = describe_role(doc, desc, drop)
            if desc.lower_ in titles().kin:
                m.kin = True
            if person or org:
                m.person_ev = m.person_ev or person
                m.org_ev = m.org_ev or org
                m.gender = m.gender or gender
                if key:
                    m.role_keys.append(key)
                if text and (m.role is None or desc.i < head.i):
                    m.role = text
        if is_org_word(toks[-1]) and not (label == "PERSON" and len(toks) > 1 and not m.org_ev):
            m.org_ev = True
        out.append(m)
    return out


def _title_only(doc: Doc, tok: Token) -> bool:
    """A proper-noun token heading a run made only of title words ("Consul General")."""
    if not is_title(tok):
        return False
    lo = tok.i
    while lo - 1 >= 0 and doc[lo - 1].head.i == tok.i and doc[lo - 1].dep_ == "compound":
        lo -= 1
    return all(is_title(doc[k]) or doc[k].ent_type_ in _NOT_NAME for k in range(lo, tok.i + 1))


def appos_anchor(doc: Doc, name_head: Token) -> Token | None:
    """The description a name stands in apposition to: "the union's president, Adaeze Okafor";
    also when the parser hung the name on the description's "of" phrase ("the foreign minister
    of Sarkand, Yusuf Demirel")."""
    h = name_head.head
    for _ in range(3):
        up = h.head.head if h.dep_ == "pobj" and h.head.dep_ == "prep" and h.head.head.i < h.i else None
        # climb "X of Y" to X when X is a title and Y is not ("the chair of the judges, ...")
        if up is not None and is_title(up) and not is_title(h) and up.pos_ in ("NOUN", "PROPN"):
            h = up
            continue
        if not is_propn(h) or _title_only(doc, h):
            return h if h.pos_ in ("NOUN", "PROPN") else None
        return None
    return None
