"""Features for the two learned stages, computed once per Doc.

* cue tagging: each token of a sentence, described by its word, lemma, tags, parse
  neighbourhood, the cue lexicons and nearby quotation marks;
* role tagging: each token of a window around one cue, described by where it sits relative to
  that cue: the dependency path between them, which of the cue's dependents governs it, side
  and distance, quotation regions.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from ..lexicon import wordlist
from ..quotes import quote_regions
from .clusters import lemma_clusters

_DIST = (0, 1, 2, 3, 5, 10, 20, 40)
#: dependents of the cue that may follow the branch a token is on (see ``sib=`` below)
_SIB_DEPS = frozenset({"ccomp", "xcomp", "prep", "dobj", "oprd", "advcl", "conj", "dative"})
#: modifiers whose linking word is a role feature (``on=``): whether a content runs on past
#: ", after …", ", which …" or ", because …" depends much on that word
_ON_DEPS = frozenset({"advcl", "prep", "relcl", "acl", "appos", "conj", "npadvmod"})


def _clause_word(info: "DocInfo", x: int) -> str:
    """The word that says how a modifier hangs on: the preposition of a prepositional phrase,
    the subordinator of an adverbial clause ("after", "although", "because"), the first word
    of a relative clause or apposition."""
    d = info.dep[x]
    if d == "prep":
        return info.low[x]
    for c in info.kids[x]:
        if info.dep[c] in ("mark", "cc") or (d == "relcl" and info.tag[c] in ("WDT", "WP", "WRB")):
            return info.low[c]
    return "-"


def _branch_features(info: "DocInfo", h: int, below: int, hl: str, side: str) -> list[str]:
    """Features shared by every token of the branch ``below`` that hangs on the cue head ``h``."""
    dep, low = info.dep, info.low
    top = dep[below]
    # what else hangs from the cue after this branch: an object followed by a "that"/"to"/"of"
    # complement ("warned voters that …") is the addressee
    sib = [dep[c] for c in info.kids[h] if c > below and dep[c] in _SIB_DEPS]
    f = ["sib=" + top + "|" + ",".join(sib[:2])]
    if top == "prep":
        # which preposition: "complained about X" (what was said) against "said in an
        # interview", "tweeted in the early hours" (circumstances)
        pw = low[below]
        f += ["bprep=" + pw + side, "lbprep=" + hl + "|" + pw]
        for c in info.kids[below]:
            if dep[c] == "pobj":
                f.append("bpobj=" + pw + "|" + (info.ent[c] or info.pos[c]))
    return f


def _bucket(d: int) -> int:
    for b in _DIST:
        if d <= b:
            return b
    return 99


@dataclass
class DocInfo:
    """Per-token values read once from a parsed Doc."""

    doc: Doc
    text: str  # doc.text, read once (spaCy rebuilds it from the tokens on every access)
    low: list[str]
    lem: list[str]
    pos: list[str]
    tag: list[str]
    dep: list[str]
    head: list[int]
    ent: list[str]
    kids: list[list[int]]  # children of each token, in order
    sent: list[int]
    sents: list[tuple[int, int]]
    regions: list[tuple[int, int]]  # quotation regions of the text, in characters
    quote: list[int]  # index of the quotation region a token is inside, -1 if none
    qmark: list[bool]
    lex: list[str]
    cdeps: list[tuple[str, ...]]
    that: list[bool]
    para: list[int]
    clu: list[tuple[str, str] | None]  # word clusters of the lemma (see clusters.py)

    @classmethod
    def of(cls, doc: Doc) -> "DocInfo":
        speech, belief, nouns = wordlist("cue_verbs"), wordlist("belief_verbs"), wordlist("cue_nouns")
        tokens = list(doc)  # one pass over the Doc; everything else works on plain lists
        n = len(tokens)
        low = [t.lower_ for t in tokens]
        lem = [t.lemma_.lower() for t in tokens]
        dep = [t.dep_ for t in tokens]
        head = [t.head.i for t in tokens]
        sents = [(s.start, s.end) for s in doc.sents]
        sent = [0] * n
        for k, (a, b) in enumerate(sents):
            for i in range(a, b):
                sent[i] = k
        text = doc.text
        regions = quote_regions(text)
        quote = [-1] * n
        qmark = [False] * n
        j = 0
        for t in tokens:
            while j < len(regions) and regions[j][1] <= t.idx:
                j += 1
            if j < len(regions) and regions[j][0] <= t.idx < regions[j][1]:
                quote[t.i] = j
                if t.idx == regions[j][0] or t.idx + len(t) == regions[j][1]:
                    qmark[t.i] = True
        lex = []
        for x in lem:
            lex.append("S" if x in speech else "B" if x in belief else "N" if x in nouns else "-")
        kids: list[list[int]] = [[] for _ in range(n)]
        for i, h in enumerate(head):
            if h != i:
                kids[h].append(i)
        cdeps = [tuple(sorted({dep[c] for c in kids[i]})) for i in range(n)]
        that = [
            any(
                dep[c] in ("ccomp", "xcomp", "advcl", "acl") and any(dep[g] == "mark" and low[g] in ("that", "if", "whether") for g in kids[c])
                for c in kids[i]
            )
            for i in range(n)
        ]
        para = [0] * n
        p = 0
        for t in tokens:
            para[t.i] = p
            if "\n" in t.text or "\n" in t.whitespace_:
                p += 1
        clusters = lemma_clusters()
        return cls(
            doc=doc,
            text=text,
            low=low,
            lem=lem,
            pos=[t.pos_ for t in tokens],
            tag=[t.tag_ for t in tokens],
            dep=dep,
            head=head,
            ent=[t.ent_type_ for t in tokens],
            kids=kids,
            sent=sent,
            sents=sents,
            regions=regions,
            quote=quote,
            qmark=qmark,
            lex=lex,
            cdeps=cdeps,
            that=that,
            para=para,
            clu=[clusters.get(x) for x in lem],
        )


def cue_features(info: DocInfo, i: int) -> list[str]:
    """Features of token ``i`` for the cue tagger: :func:`cue_local` and :func:`cue_context`."""
    return cue_local(info, i) + cue_context(info, i)


def cue_local_key(info: DocInfo, i: int) -> tuple:
    """Everything :func:`cue_local` reads of token ``i``: tokens with the same key have the
    same local features, so their part of the tagger's score is computed once per key."""
    return (info.low[i], info.lem[i], info.pos[i], info.tag[i], info.dep[i], info.quote[i] >= 0, info.qmark[i], info.cdeps[i], info.that[i])


def cue_local(info: DocInfo, i: int) -> list[str]:
    """The cue tagger's features of token ``i`` that depend only on :func:`cue_local_key`: the
    word, its tags, its dependents' labels, its lexicon class and word clusters, quotation."""
    l, p, d = info.lem[i], info.pos[i], info.dep[i]
    x = info.lex[i]  # a function of the lemma
    f = [
        "b",
        "w=" + info.low[i],
        "l=" + l,
        "p=" + p,
        "t=" + info.tag[i],
        "d=" + d,
        "lp=" + l + "|" + p,
        "ld=" + l + "|" + d,
        "x=" + x + p,
        "xd=" + x + d,
        "q=" + str(info.quote[i] >= 0) + x,
        "qm=" + str(info.qmark[i]),
    ]
    for cd in info.cdeps[i]:
        f.append("c=" + cd)
        f.append("lc=" + l + "|" + cd)
        f.append("xc=" + x + cd)
    if info.that[i]:
        f.append("that")
        f.append("lthat=" + l)
    c = info.clu[i]  # a function of the lemma
    if c is not None:
        f += ["k1=" + c[0], "k2=" + c[1], "k1p=" + c[0] + p, "k2p=" + c[1] + p, "k1d=" + c[0] + d, "k2d=" + c[1] + d]
        if info.that[i]:
            f.append("k1that=" + c[0])
    return f


def cue_context(info: DocInfo, i: int) -> list[str]:
    """The cue tagger's features of token ``i`` that read its surroundings: its head, its
    dependents' words, the verb above it, nearby quotation marks and neighbouring words."""
    low, lem, pos, dep, head = info.low, info.lem, info.pos, info.dep, info.head
    n = len(low)
    h = head[i]
    l = lem[i]
    f = [
        "hl=" + lem[h],
        "hd=" + dep[h],
        "hp=" + pos[h],
        "lhl=" + l + "|" + lem[h],
        "xh=" + info.lex[h] + dep[i],
    ]
    ent = info.ent
    for c in info.kids[i]:
        cd = dep[c]
        if cd in ("nsubj", "nsubjpass", "agent"):
            f.append("subj=" + (ent[c] or ("PRON" if pos[c] == "PRON" else pos[c])))
            f.append("lsubj=" + l + "|" + (ent[c] or pos[c]))
        elif cd in ("ccomp", "xcomp", "dobj", "prep"):
            f.append("cp=" + cd + "|" + pos[c])
            if cd == "prep":
                f.append("lprep=" + l + "|" + low[c])
    # the nearest verb above the token: lets "in an interview Monday" join the "said" before it
    a, chain = i, []
    while head[a] != a and len(chain) < 3:
        chain.append(dep[a])
        a = head[a]
        if pos[a] in ("VERB", "AUX"):
            f.append("av=" + lem[a] + "|" + ">".join(chain))
            f.append("avx=" + info.lex[a] + "|" + ">".join(chain) + "|" + str(a < i))
            break
    if pos[i] == "ADP":
        for c in info.kids[i]:
            if dep[c] == "pobj":
                f.append("pobj=" + lem[c])
    c = info.clu[i]
    if c is not None:
        ch = info.clu[h]
        if ch is not None:
            f.append("hk1=" + ch[0] + dep[i])
    lo, hi = max(0, i - 3), min(n, i + 4)
    if any(info.qmark[k] for k in range(lo, hi) if k != i):
        f.append("nq")
        f.append("lnq=" + l)
    pw = low[i - 1] if i > 0 else "<s>"
    pw2 = low[i - 2] if i > 1 else "<s>"
    nw = low[i + 1] if i + 1 < n else "</s>"
    nw2 = low[i + 2] if i + 2 < n else "</s>"
    f += [
        "pw=" + pw,
        "nw=" + nw,
        "pw2=" + pw2,
        "nw2=" + nw2,
        "pp=" + (pos[i - 1] if i > 0 else "<s>"),
        "np=" + (pos[i + 1] if i + 1 < n else "</s>"),
        "pwl=" + pw + "|" + l,
        "lnw=" + l + "|" + nw,
        "pl=" + (lem[i - 1] if i > 0 else "<s>"),
        "nl=" + (lem[i + 1] if i + 1 < n else "</s>"),
    ]
    return f


def _ancestors(head: list[int], i: int, limit: int = 30) -> list[int]:
    out = [i]
    while head[out[-1]] != out[-1] and len(out) < limit:
        out.append(head[out[-1]])
    return out


def role_window(info: DocInfo, cue_start: int, cue_end: int, before: int = 2, after: int = 2) -> tuple[int, int]:
    """Token range considered for one cue: nearby sentences of the same paragraph."""
    s = info.sent[cue_start]
    para = info.para[cue_start]
    lo_s = max(0, s - before)
    hi_s = min(len(info.sents) - 1, info.sent[cue_end - 1] + after)
    lo = info.sents[lo_s][0]
    hi = info.sents[hi_s][1]
    while lo < cue_start and info.para[lo] != para:
        lo += 1
    while hi > cue_end and info.para[hi - 1] != para:
        hi -= 1
    return lo, hi


def cue_head(info: DocInfo, start: int, end: int) -> int:
    """The token of a cue span whose head lies outside it (its syntactic root)."""
    for i in range(start, end):
        h = info.head[i]
        if h < start or h >= end or h == i:
            if info.pos[i] != "PUNCT" or end - start == 1:
                return i
    return start


def syntactic_subject(info: DocInfo, h: int) -> tuple[int, str] | None:
    """The subject the cue head ``h`` inherits: its own, or that of the verb it hangs from
    when it is a participle or coordinated verb ("…, explaining that", "and bragging that")."""
    doc = info.doc
    tok = h
    how = "own"
    for _ in range(4):
        for c in doc[tok].children:
            if c.dep_ == "nsubj":
                return c.i, how
            if c.dep_ == "nsubjpass":
                for a in doc[tok].children:
                    if a.dep_ == "agent":
                        for p in a.children:
                            if p.dep_ == "pobj":
                                return p.i, how + "_agent"
                return c.i, how + "_pass"
        d = info.dep[tok]
        if d == "relcl":
            return info.head[tok], "relcl"
        if d in ("conj", "advcl", "xcomp", "acl") and info.head[tok] != tok:
            how = d
            tok = info.head[tok]
            continue
        break
    return None


def role_features(info: DocInfo, cs: int, ce: int, lo: int, hi: int) -> list[list[str]]:
    """Features of tokens ``lo..hi`` relative to the cue ``[cs, ce)``."""
    h = cue_head(info, cs, ce)
    subj = syntactic_subject(info, h)
    subj_toks: set[int] = set()
    if subj is not None:
        st = info.doc[subj[0]]
        subj_toks = {t.i for t in st.subtree}
    low, lem, pos, dep, head = info.low, info.lem, info.pos, info.dep, info.head
    hl = lem[h]
    cw = low[cs]
    anc_h = _ancestors(head, h)
    anc_set = {a: k for k, a in enumerate(anc_h)}
    hq = info.quote[h]
    s_h = info.sent[h]
    hdep = dep[h]
    sent, quote, qmark = info.sent, info.quote, info.qmark
    # the features that depend only on the side of the cue, built once per side
    sided = {x: ("s=" + x, "hl=" + hl + x, "cw=" + cw, "hd=" + hdep + x) for x in "LR"}
    out = []
    for t in range(lo, hi):
        if cs <= t < ce:
            out.append(["incue"])
            continue
        side = "L" if t < cs else "R"
        s_f, hl_f, cw_f, hd_f = sided[side]
        dist = _bucket(cs - t if t < cs else t - ce + 1)
        so = sent[t] - s_h
        tq = quote[t]
        f = [
            "b",
            s_f,
            "sd=" + side + str(dist),
            "so=" + str(so),
            "p=" + pos[t],
            "d=" + dep[t],
            "sp=" + side + pos[t],
            "sdp=" + side + dep[t],
            "q=" + ("same" if tq >= 0 and tq == hq else "in" if tq >= 0 else "out"),
            "qm=" + str(qmark[t]) + side,
            hl_f,
            cw_f,
            hd_f,
        ]
        if t in subj_toks:
            f.append("insubj=" + subj[1])
            if t == subj[0]:
                f.append("subjhead=" + subj[1])
        f.append("w=" + low[t] + side)
        f.append("dd=" + dep[t] + "|" + dep[head[t]])
        if dep[t] == "conj":
            f.append("conjsubj=" + str(any(d in ("nsubj", "nsubjpass") for d in info.cdeps[t])))
        if t > lo:
            f.append("pw=" + low[t - 1] + "|" + pos[t])
        if so == 0:
            # dependency path between cue head and token
            up = []
            a = t
            k = 0
            below = t  # the token's ancestor that hangs on the cue's chain
            marks = []  # the first two modifiers on the way up, with their linking word
            while a not in anc_set and k < 30:
                up.append(dep[a])
                below = a
                if dep[a] in _ON_DEPS and len(marks) < 2:
                    marks.append("on=" + dep[a] + "|" + _clause_word(info, a))
                a = head[a]
                k += 1
                if head[a] == a and a not in anc_set:
                    break
            if a in anc_set:
                down = [dep[x] for x in anc_h[: anc_set[a]]]
                top = up[-1] if up else "self"
                f.append("top=" + top + ("^" if down else ""))
                f.append("ltop=" + hl + "|" + top + ("^" if down else ""))
                f.append("up=" + ">".join(up[-3:]) + "|" + str(len(down)))
                f.append("path=" + ">".join(up[-2:]) + "/" + "<".join(down[:2]))
                f.append("dn=" + "<".join(down[:3]))
                f.append("sdn=" + side + "<".join(down[:2]) + "|" + top)
                f.append("ul=" + str(min(len(up), 6)) + side)
                f.extend(marks)
                if a == h and up:
                    f.extend(_branch_features(info, h, below, hl, side))
            else:
                f.append("nopath")
        else:
            f.append("xs=" + str(so) + "|" + ("q" if tq >= 0 else "n"))
        out.append(f)
    return out
