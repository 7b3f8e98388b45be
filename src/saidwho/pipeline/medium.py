"""The medium of an attribution: where it was said or published.

"said in an article published by the Israeli newspaper Haaretz" → "Haaretz";
"told CNN" → "CNN"; "wrote on social media" → "social media". Read from the phrases that hang
from the cue's head: a named outlet (an ORG / WORK_OF_ART entity or proper noun) wins over a
common noun from ``data/media_nouns.txt``.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from ..lexicon import wordlist

_PREPS = {"in", "on", "to", "with", "during", "via", "through"}
_OUTLET_ENTS = {"ORG", "WORK_OF_ART", "NORP", "PRODUCT", "FAC"}


def _np_range(tok: Token) -> tuple[int, int]:
    """The noun phrase headed by ``tok`` without trailing clauses or prepositional phrases."""
    lo = tok.left_edge.i
    hi = tok.i + 1
    for c in tok.rights:
        if c.dep_ in ("compound", "appos", "flat", "nmod") or (c.dep_ == "punct" and False):
            hi = c.right_edge.i + 1
    while lo < tok.i and tok.doc[lo].dep_ == "det":
        lo += 1
    return lo, hi


def _named(tok: Token) -> Token | None:
    """A proper-noun outlet at or under ``tok`` (the newspaper's name in an appositive)."""
    media = wordlist("media_nouns")
    # "the newspaper Tribuna", "the Valdoran newspaper Tidende": a name next to a media noun
    # is the outlet whatever the entity tagger thinks it is; the appositive name wins over a
    # modifier before the noun
    named = [
        t
        for t in tok.subtree
        if t.pos_ == "PROPN" and t.head.lemma_.lower() in media and t.dep_ in ("appos", "compound", "npadvmod")
    ]
    if named:
        return min(named, key=lambda t: (t.dep_ != "appos", t.i < t.head.i))
    for t in [tok, *tok.subtree]:
        if t.pos_ == "PROPN" and (t.ent_type_ in _OUTLET_ENTS or t.ent_type_ == "" or t.ent_type_ == "GPE"):
            if t.ent_type_ == "PERSON":
                continue
            return t
    return None


def entity_at(tok: Token) -> Span | None:
    """The entity of ``doc.ents`` that holds ``tok``, read off the tokens' IOB tags as spaCy
    builds ``doc.ents`` (a B token with a label, then its I tokens): building all of
    ``doc.ents`` for each cue made long texts cost the square of their length."""
    doc = tok.doc
    s = tok.i
    while s > 0 and doc[s].ent_iob_ == "I":
        s -= 1
    if doc[s].ent_iob_ != "B" or not doc[s].ent_type_ or (s != tok.i and tok.ent_iob_ != "I"):
        return None
    e = s + 1
    while e < len(doc) and doc[e].ent_iob_ == "I":
        e += 1
    return Span(doc, s, e, label=doc[s].ent_type_)


def _media_pobj(prep: Token, media: frozenset[str]) -> tuple[int, int] | None:
    pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    if pobj is None:
        return None
    named = _named(pobj)
    if pobj.lemma_.lower() in media or (named is not None and named.ent_type_ in _OUTLET_ENTS):
        if named is not None and named.ent_type_ != "GPE":
            ent = entity_at(named)
            ent = ent if ent is not None and ent.label_ != "PERSON" else None
            return (ent.start_char, ent.end_char) if ent is not None else (named.idx, named.idx + len(named))
        lo, hi = _np_range(pobj)
        return pobj.doc[lo].idx, pobj.doc[hi - 1].idx + len(pobj.doc[hi - 1])
    return None


def find_medium(doc: Doc, cs: int, ce: int) -> tuple[int, int] | None:
    """Character range of the medium of the cue ``[cs, ce)``, or None."""
    media = wordlist("media_nouns")
    if doc[cs].lower_ == "according":
        return None  # "according to X": X is the source, not a medium
    heads = [doc[i] for i in range(cs, ce) if doc[i].pos_ in ("VERB", "AUX", "NOUN")]
    for head in heads:
        lem = head.lemma_.lower()
        for c in head.children:
            if c.dep_ == "prep" and c.lower_ in _PREPS:
                found = _media_pobj(c, media)
                if found:
                    return found
            # "told CNN": the addressee of a speech verb is the medium when it is an outlet
            if lem in ("tell", "write") and c.dep_ in ("dobj", "dative") and c.ent_type_ in ("ORG", "WORK_OF_ART"):
                ent = entity_at(c)
                if ent is not None:
                    return ent.start_char, ent.end_char
    return None
