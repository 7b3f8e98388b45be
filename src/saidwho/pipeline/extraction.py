"""Pure functions from a parsed Doc and its cues to attribution records (plain offsets).

For a verb cue the source is its subject (or the agent of a passive, or the subject of the
clause it is attached to), and the content is its clausal complement or the quotation next to
it. For "according to X" the source is X and the content is the clause it modifies.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

_SUBJ = {"nsubj", "nsubjpass", "csubj"}
_COMP = {"ccomp", "xcomp", "csubj"}
_EDGE_PUNCT = set(",;:—–-") | {" ", "\n"}


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Strip edge whitespace and separating punctuation (commas, dashes) off a char range."""
    text = doc.text
    while start < end and (text[start].isspace() or text[start] in ",;—–"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;—–"):
        end -= 1
    return start, end


def _tok_range_chars(doc: Doc, i: int, j: int) -> tuple[int, int]:
    """Character range of tokens ``[i, j)``."""
    return doc[i].idx, doc[j - 1].idx + len(doc[j - 1])


def subtree_range(tok: Token, exclude: set[int] = frozenset()) -> tuple[int, int]:
    """Contiguous token range of ``tok``'s subtree, cut before any excluded token."""
    lo, hi = tok.left_edge.i, tok.right_edge.i + 1
    for k in sorted(exclude):
        if lo <= k < tok.i:
            lo = k + 1
        elif tok.i < k < hi:
            hi = k
            break
    return lo, hi


def find_source(cue_head: Token) -> Token | None:
    """The head of the cue's source phrase, following conjunctions and participles upward."""
    tok = cue_head
    for _ in range(4):
        for c in tok.children:
            if c.dep_ in ("nsubj", "nsubjpass") and c.dep_ != "expl":
                if c.dep_ == "nsubjpass":
                    agent = next((a for a in tok.children if a.dep_ == "agent"), None)
                    if agent is not None:
                        pobj = next((p for p in agent.children if p.dep_ == "pobj"), None)
                        if pobj is not None:
                            return pobj
                    return None
                return c
        if tok.dep_ in ("conj", "advcl", "xcomp", "acl", "relcl") and tok.head is not tok:
            if tok.dep_ == "relcl":
                return tok.head
            tok = tok.head
            continue
        break
    return None


def _source_range(src: Token, cue_toks: set[int]) -> tuple[int, int]:
    lo, hi = subtree_range(src, cue_toks)
    # drop a trailing relative clause or appositive-final comma material? keep it simple: whole NP
    return lo, hi


def extract(doc: Doc, cues: list[Span], regions: list[tuple[int, int]]) -> list[dict]:
    """Build attribution records for ``cues``; quotations with no cue are left out."""
    records: list[dict] = []
    used_regions: set[int] = set()
    for cue in cues:
        cue_toks = set(range(cue.start, cue.end))
        head = cue.root
        source_tok: Token | None = None
        content: list[tuple[int, int]] = []
        kind = "indirect"
        if cue.label_ == "according_to":
            kind = "according_to"
            to = doc[cue.end - 1]
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
            if pobj is None and cue.end < len(doc):
                pobj = doc[cue.end]
            source_tok = pobj
            clause = cue.root.head if cue.root.head is not cue.root else None
            # the clause the prepositional phrase modifies
            acc = doc[cue.start]
            clause = acc.head if acc.dep_ != "ROOT" else None
            if clause is not None and clause.i not in cue_toks:
                excl = set(range(acc.left_edge.i, acc.right_edge.i + 1))
                sent = clause.sent
                toks = [t.i for t in clause.subtree if t.i not in excl]
                if toks:
                    lo, hi = min(toks), max(toks) + 1
                    if acc.i > lo and acc.i < hi:
                        # "X, according to Y, Z": content in two parts
                        left = (lo, acc.left_edge.i)
                        right = (acc.right_edge.i + 1, hi)
                        for a, b in (left, right):
                            if b > a:
                                content.append(_tok_range_chars(doc, a, b))
                    else:
                        content.append(_tok_range_chars(doc, lo, hi))
                _ = sent
        else:
            if cue.label_ == "belief":
                kind = "belief"
            comp = next((c for c in head.children if c.dep_ in _COMP and c.i not in cue_toks), None)
            if comp is None:
                # "X, he said." -- the content clause is the cue's head
                if head.dep_ in ("parataxis",) or (head.dep_ == "ROOT" and False):
                    comp = head.head
            source_tok = find_source(head)
            if comp is not None:
                excl = set(cue_toks)
                if source_tok is not None:
                    excl.update(range(source_tok.left_edge.i, source_tok.right_edge.i + 1))
                lo, hi = subtree_range(comp, excl)
                content.append(_tok_range_chars(doc, lo, hi))
            else:
                # a quotation immediately before or after the cue (same sentence)
                sent = cue.sent
                for k, (a, b) in enumerate(regions):
                    if k in used_regions:
                        continue
                    if sent.start_char <= a < sent.end_char or sent.start_char < b <= sent.end_char:
                        content.append((a, b))
                        used_regions.add(k)
        if not content:
            continue
        content = [_trim(doc, a, b) for a, b in content]
        content = [(a, b) for a, b in content if b > a]
        if not content:
            continue
        direct = all(any(ra <= a and b <= rb for ra, rb in regions) for a, b in content)
        if kind == "indirect":
            if direct:
                kind = "direct"
            elif any(ra >= a and rb <= b for a, b in content for ra, rb in regions):
                kind = "mixed"
        src = None
        if source_tok is not None:
            lo, hi = _source_range(source_tok, cue_toks)
            src = _trim(doc, *_tok_range_chars(doc, lo, hi))
        records.append(
            {
                "cue": [cue.start_char, cue.end_char],
                "source": list(src) if src else None,
                "content": [list(c) for c in content],
                "kind": kind,
                "medium": None,
                "parent": None,
                "confidence": 0.5,
                "speaker": None,
            }
        )
    _set_parents(records)
    return records


def _set_parents(records: list[dict]) -> None:
    """An attribution whose cue lies inside another's content is nested in it."""
    for i, r in enumerate(records):
        a, b = r["cue"]
        best = None
        for j, o in enumerate(records):
            if j == i:
                continue
            for ca, cb in o["content"]:
                if ca <= a and b <= cb:
                    if best is None or (cb - ca) < best[1]:
                        best = (j, cb - ca)
        r["parent"] = best[0] if best else None
