"""Fixed attribution constructions read straight off the parse.

"In X's words, …" / "in the words of X, …" (like "according to X"), "X's view is that …"
(a cue noun from ``data/cue_nouns.txt`` as the subject of "is" with a clause), and a
paragraph opening "NAME: …" (transcripts, headlines; labels in ``data/colon_labels.txt``). PolNeAR has too
few of these for the tagger to learn them, and their shape leaves no doubt about the roles.
Each hit is ``(cue, source, content, label)`` in token ranges.
"""

from __future__ import annotations

from spacy.tokens import Token

from ..learn.features import DocInfo
from ..lexicon import wordlist

Hit = tuple[tuple[int, int], tuple[int, int] | None, list[tuple[int, int]], str]


def _clause_without(clause: Token, lo: int, hi: int) -> list[tuple[int, int]]:
    """The clause's token range with ``[lo, hi)`` (the attributing phrase) and commas cut out."""
    a, b = clause.left_edge.i, clause.right_edge.i + 1
    parts = [(a, lo), (hi, b)]
    doc = clause.doc
    out = []
    for x, y in parts:
        while x < y and doc[x].is_punct:
            x += 1
        while y > x and doc[y - 1].is_punct:
            y -= 1
        if y > x:
            out.append((x, y))
    return out


def _possessor(poss: Token) -> tuple[int, int]:
    """"the mayor's" → "the mayor": the possessor without its 's."""
    hi = poss.right_edge.i + 1
    while hi > poss.left_edge.i + 1 and poss.doc[hi - 1].dep_ == "case":
        hi -= 1
    return poss.left_edge.i, hi


def _in_words(info: DocInfo, i: int) -> Hit | None:
    """``i`` is "in" of "In X's words" / "in the words of X"."""
    doc = info.doc
    tok = doc[i]
    if tok.lower_ != "in" or tok.dep_ != "prep":
        return None
    words = next((c for c in tok.children if c.dep_ == "pobj" and c.lower_ == "words"), None)
    if words is None:
        return None
    poss = next((c for c in words.children if c.dep_ == "poss"), None)
    of = next((c for c in words.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    if poss is not None:
        source = _possessor(poss)
        cue = (i, words.i + 1)
    elif of is not None:
        pobj = next((c for c in of.children if c.dep_ == "pobj"), None)
        if pobj is None:
            return None
        source = (pobj.left_edge.i, pobj.right_edge.i + 1)
        cue = (i, of.i + 1)
    else:
        return None
    if tok.head.i == tok.i:
        return None
    content = _clause_without(tok.head, tok.left_edge.i, tok.right_edge.i + 1)
    return (cue, source, content, "according_to") if content else None


def _noun_view(info: DocInfo, i: int) -> Hit | None:
    """``i`` is the cue noun of "X's view is that …"."""
    doc = info.doc
    tok = doc[i]
    if tok.pos_ != "NOUN" or tok.dep_ != "nsubj" or tok.lemma_.lower() not in wordlist("cue_nouns"):
        return None
    cop = tok.head
    if cop.lemma_ != "be":
        return None
    clause = next((c for c in cop.children if c.dep_ in ("ccomp", "attr") and c.i > cop.i), None)
    poss = next((c for c in tok.children if c.dep_ == "poss"), None)
    if clause is None or poss is None:
        return None
    content = [(clause.left_edge.i, clause.right_edge.i + 1)]
    label = "belief" if tok.lemma_.lower() in wordlist("belief_verbs") | {"belief", "fear", "hope"} else "noun"
    return ((i, cop.i + 1), _possessor(poss), content, label)


def _speaker_colon(info: DocInfo, i: int) -> Hit | None:
    """``i`` opens a paragraph "NAME: what they said …" (a transcript line or a headline
    such as "Senator Vale: The Budget Is a Fantasy"): the rest of the paragraph is content."""
    doc = info.doc
    n = len(doc)
    if i > 0 and info.para[i - 1] == info.para[i]:
        return None
    if i < n and info.qmark[i]:
        i += 1  # a transcript line inside quotation marks: "WALLACE: …
    k = i
    while k < n and k < i + 6 and doc[k].text != ":":
        t = doc[k]
        if not (t.is_title or t.is_upper or t.text in (".", "'s", "’s")) or t.is_space:
            return None
        k += 1
    if k == i or k >= n or doc[k].text != ":" or info.para[k] != info.para[i]:
        return None
    if any(doc[j].lower_.rstrip("'’s") in wordlist("colon_labels") for j in range(i, k)):
        return None
    if all(doc[j].is_punct for j in range(i, k)):
        return None
    # a name, not a headline phrase ("The Gap Goes On:", "Stealth Over Health:")
    if any(doc[j].pos_ in ("VERB", "AUX") or (doc[j].pos_ == "ADP" and doc[j].lower_ != "of") for j in range(i, k)):
        return None
    end = k + 1
    while end < n and info.para[end] == info.para[i]:
        end += 1
    while end > k + 1 and (doc[end - 1].is_space or doc[end - 1].is_punct and doc[end - 1].text not in "”\"'’"):
        end -= 1
    if end <= k + 1:
        return None
    return ((k, k + 1), (i, k), [(k + 1, end)], "verb")


def find(info: DocInfo) -> list[Hit]:
    """All hits of the fixed constructions in a document. Each construction is tried only
    where its first test can pass (read from ``info``'s lists, without making spaCy tokens):
    "in" as a preposition, a noun subject, the first token of a paragraph."""
    out = []
    low, dep, pos, para = info.low, info.dep, info.pos, info.para
    for i in range(len(low)):
        hit = None
        if low[i] == "in" and dep[i] == "prep":
            hit = _in_words(info, i)
        if hit is None and pos[i] == "NOUN" and dep[i] == "nsubj":
            hit = _noun_view(info, i)
        if hit is None and (i == 0 or para[i - 1] != para[i]):
            hit = _speaker_colon(info, i)
        if hit is not None:
            out.append(hit)
    return out
