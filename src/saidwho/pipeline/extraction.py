"""Pure functions from a parsed Doc and its cues to attribution records (plain offsets).

For each cue the learned role tagger (``data/role_model.npz``) labels the tokens around it as
source, content or neither; contiguous runs become spans. Kind, medium and nesting are then
read off the spans, the quotation marks and the parse.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left

from spacy.tokens import Doc

from ..learn.decode import tag_roles
from ..learn.extent import ExtentRanker
from ..learn.features import DocInfo, cue_head
from ..learn.perceptron import SequencePerceptron
from ..lexicon import wordlist
from . import patterns
from .bylines import find_bylines
from .cues import reporting_words
from .medium import find_medium
from .quotes import closing_mark, opening_mark, whole_quotation
from .spanindex import Regions, SpanIndex, overlapping
from .structure import block_index, confine, cue_allowed, list_after

_EDGE = set(",;:—–-")
FIXED_MARGIN = 8.0  # confidence 0.88 for the fixed constructions of patterns.py


def trim_chars(text: str, start: int, end: int) -> tuple[int, int]:
    """Strip whitespace and separating punctuation (commas, dashes, colons) off a range."""
    while start < end and (text[start].isspace() or text[start] in _EDGE):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _EDGE):
        end -= 1
    return start, end


def _chars(doc: Doc, i: int, j: int) -> tuple[int, int]:
    return doc[i].idx, doc[j - 1].idx + len(doc[j - 1])


def _split_at_newlines(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """A content run that crosses a paragraph break becomes one fragment per paragraph."""
    out = []
    start = a
    k = text.find("\n", a, b)
    while k != -1:
        out.append((start, k))
        start = k + 1
        k = text.find("\n", start, b)
    out.append((start, b))
    return out


def syntactic_content(info: DocInfo, cs: int, ce: int) -> list[tuple[int, int]]:
    """Content read off the parse when the tagger gave none: the clause the cue governs
    ("… said that X"), or the object and its "as" phrase ("… view him as complicit")."""
    doc = info.doc
    h = doc[cue_head(info, cs, ce)]
    for c in h.children:
        if c.dep_ == "ccomp" and c.i >= ce:
            return [(c.left_edge.i, c.right_edge.i + 1)]
    obj = next((c for c in h.children if c.dep_ == "dobj" and c.i >= ce), None)
    as_ = next((c for c in h.children if c.dep_ == "prep" and c.lower_ == "as" and c.i >= ce), None)
    if obj is not None and as_ is not None:
        return [(obj.left_edge.i, max(obj.right_edge.i, as_.right_edge.i) + 1)]
    return []


_CLOSERS = "\"'”’»)]"


def claims(info: DocInfo, cs: int, ce: int, content: list[tuple[int, int]]) -> bool:
    """Whether the attribution of the cue ``[cs, ce)`` with ``content`` (character ranges)
    reports a claim. It does not when a verb of refusing (``data/refusal_verbs.txt``) reports
    an infinitive of saying ("declined to comment": nothing was said), nor when a verb of
    asking (``data/asking_verbs.txt``) heads a participial clause without a subject whose
    content is a question ("Asked why she left, Scott said …", "When asked if it mattered, …"):
    the question was put to the speaker, whose answer is the attribution of the main clause.
    A question asked by a named speaker ("King asked whether …") stays an attribution: PolNeAR
    annotates those, and the gate's floors hold no room for them."""
    lemmas = {info.lem[i] for i in range(cs, ce)}
    asking, refusing = lemmas & wordlist("asking_verbs"), lemmas & wordlist("refusal_verbs")
    if not (asking or refusing) or not content:
        return True
    text = info.text
    first = min(content)
    words = re.findall(r"[A-Za-z]+", text[first[0] : first[1]])
    opener = words[0].lower() if words else ""
    if refusing and opener == "to" and _says(info, first):
        return False
    if asking and _put_to_speaker(info, cs, ce):
        last = max(content, key=lambda c: c[1])
        end = last[1]
        while end < len(text) and text[end] in _CLOSERS + "?":  # a mark just past the content
            end += 1
        tail = text[last[0] : end].rstrip().rstrip(_CLOSERS).rstrip()
        if tail.endswith("?") or opener in wordlist("question_words"):
            return False
    return True


def _put_to_speaker(info: DocInfo, cs: int, ce: int) -> bool:
    """Whether the cue is a past participle with no subject nor auxiliary of its own ("Asked
    why …, Scott said"), so that the question it reports was put to the main clause's speaker."""
    doc = info.doc
    h = doc[cue_head(info, cs, ce)]
    participle = h.tag_ == "VBN" or h.tag_ == "VBD" and h.dep_ == "advcl"  # the tagger reads some "Asked" as VBD
    return participle and not any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in h.children)


def _says(info: DocInfo, span: tuple[int, int]) -> bool:
    """Whether the infinitive opening ``span`` (characters) is a verb of saying ("to comment",
    "to be interviewed"): refusing it says nothing, where refusing to act is a stance."""
    doc = info.doc
    toks = doc.char_span(*span, alignment_mode="expand")
    verb = next((t for t in toks or () if t.pos_ == "VERB"), None)
    return verb is not None and (info.lem[verb.i] in reporting_words() or info.low[verb.i] in reporting_words())


def _colon_verb(info: DocInfo, colon: int) -> int | None:
    """The verb whose clause a colon closes ("Vale set out her goals:" → "set"), with a subject."""
    v = info.head[colon]
    for _ in range(3):
        if info.pos[v] in ("VERB", "AUX") or info.head[v] == v:
            break
        v = info.head[v]
    if info.pos[v] not in ("VERB", "AUX") or v > colon:
        return None
    if not any(info.dep[c] in ("nsubj", "nsubjpass") for c in info.kids[v]):
        return None
    return v


def _merge_colon_cues(info: DocInfo, jobs: list[tuple]) -> list[tuple]:
    """"Harris set out the goals: “…”": a colon tagged as a cue on its own runs back to the
    verb of the clause it closes, taking in a cue tagged on that verb ("set out", ":" → one
    cue); the role tagger then finds the verb's subject as the source."""
    out = list(jobs)
    for j in jobs:
        cs, ce = j[0], j[1]
        if ce - cs != 1 or info.low[cs] != ":":
            continue
        v = _colon_verb(info, cs)
        if v is None or j not in out:
            continue
        out.remove(j)
        start, label, margin = v, j[2], j[3]
        k = next((o for o in out if o[0] <= v < o[1] and o[1] <= cs), None)
        if k is not None:
            out.remove(k)
            start, label, margin = k[0], k[2], min(margin, k[3])
        out.append((start, ce, label, margin, None))
    return out


def kind_of(label: str, content: list[tuple[int, int]], regions: list[tuple[int, int]]) -> str:
    """direct / mixed / indirect / according_to / belief for one attribution."""
    if label == "according_to":
        return "according_to"
    regions = Regions.of(regions)
    inside = all(regions.covers(a, b) for a, b in content)
    if inside:
        return "direct"
    if label == "belief":
        return "belief"
    if any(regions.starts_in(a, b) for a, b in content):
        return "mixed"
    return "indirect"


def _fixed_jobs(info: DocInfo) -> tuple[list[tuple], list[tuple]]:
    """The jobs of the fixed constructions and of the quote bylines, which need no cue."""
    doc = info.doc
    fixed_jobs = [(c[0], c[1], label, FIXED_MARGIN, (src, runs)) for c, src, runs, label in patterns.find(info)]
    # quote bylines ("“…” ― Name") are found in characters: the dash may share a token
    byline_jobs = []
    for cue_c, src_c, content_c in find_bylines(info.text):
        cue_t = doc.char_span(*cue_c, alignment_mode="expand")
        if cue_t is not None:
            byline_jobs.append((cue_t.start, cue_t.end, "verb", FIXED_MARGIN, (cue_c, src_c, content_c)))
    fixed_jobs = [j for j in fixed_jobs if not any(b[0] <= i < b[1] for b in byline_jobs for i in range(j[0], j[1]))]
    return fixed_jobs, byline_jobs


def extract(
    info: DocInfo,
    cues: list[tuple[int, int, str, float]],
    regions: list[tuple[int, int]],
    model: SequencePerceptron,
    extent: ExtentRanker | None = None,
    roles: dict | None = None,
) -> list[dict]:
    """Attribution records for ``cues`` = ``[(start_tok, end_tok, label, margin)]``; ``extent``
    is the content-extent ranker (None: the role tagger's runs as they are). ``roles``, when
    given, keeps the role tagger's output per cue span (and, under ``"fixed"``, the fixed
    constructions found), so that a second extraction over the same Doc (the recall pass
    extracts its candidates beside the cues) tags each cue once."""
    doc = info.doc
    text = info.text
    regions = Regions.of(regions)
    starts = {doc[a].idx for a, _ in info.sents}
    records: list[dict] = []
    heads: list[int] = []
    labels: list[str] = []
    # the fixed constructions leave no doubt about the roles: they replace a learned cue
    # that overlaps them (and are reported with a high confidence, as a clear tagger margin)
    if roles is not None and "fixed" in roles:
        fixed_jobs, byline_jobs = roles["fixed"]  # they depend on the Doc alone
    else:
        fixed_jobs, byline_jobs = _fixed_jobs(info)
        if roles is not None:
            roles["fixed"] = fixed_jobs, byline_jobs
    fixed_toks = {i for j in fixed_jobs + byline_jobs for i in range(j[0], j[1])}
    byline_chars = [c for j in byline_jobs for c in j[4][:2]]
    jobs = [
        (cs, ce, label, margin, None)
        for cs, ce, label, margin in cues
        if not any(i in fixed_toks for i in range(cs, ce))
        and not any(a < doc[ce - 1].idx + len(doc[ce - 1]) and doc[cs].idx < b for a, b in byline_chars)
    ]
    jobs = _merge_colon_cues(info, jobs) + fixed_jobs + byline_jobs
    blocks = block_index(doc)
    if blocks:  # attributions come from the body, not from captions, bylines, teasers …
        jobs = [j for j in jobs if cue_allowed(blocks, doc[j[0]].idx)]
    jobs.sort(key=lambda j: j[0])
    for cs, ce, label, margin, fixed in jobs:
        if fixed is not None and len(fixed) == 3:
            # a byline job: cue, source and content are already character ranges
            cue_c, src_c, content_c = fixed
            if blocks:
                src_c, kept = confine(blocks, cue_c[0], list(src_c), [tuple(content_c)])
                if src_c is None or len(kept) != 1:
                    continue
                content_c = kept[0]
            heads.append(cs)
            labels.append(label)
            records.append(_record(cue_c, list(src_c), [list(content_c)], None, margin))
            continue
        if fixed is not None:
            src, runs = fixed
        else:
            if roles is None:
                src, runs = tag_roles(info, model, cs, ce, extent)
            else:
                if (cs, ce) not in roles:
                    roles[cs, ce] = tag_roles(info, model, cs, ce, extent)
                src, runs = roles[cs, ce]
            if not runs:
                runs = syntactic_content(info, cs, ce)
        content: list[tuple[int, int]] = []
        for i, j in runs:
            a, b = _chars(doc, i, j)
            for x, y in _split_at_newlines(text, a, b):
                x, y = trim_chars(text, x, y)
                if y > x and any(ch.isalnum() for ch in text[x:y]):
                    content.append((x, y))
        if not content:
            continue  # precision first: a cue with nothing said is not an attribution
        source = None
        if src is not None:
            a, b = trim_chars(text, *_chars(doc, *src))
            if b > a:
                source = [a, b]
        cue_chars = (doc[cs].idx, doc[ce - 1].idx + len(doc[ce - 1]))
        if blocks:  # no source or content across a block boundary, none outside the body
            source, content = confine(blocks, cue_chars[0], source, content)
            source, content = _tidy(text, source), _tidy_all(text, content)
            if not content:
                continue
        content = connected(text, content, [cue_chars, *([tuple(source)] if source else [])], regions, starts)
        if fixed is None:
            content = parallel_that_clauses(info, content)
        content = attached(info, content, cue_chars, source, regions)
        medium = find_medium(doc, cs, ce)
        if medium:
            content = _cut_medium(text, content, medium)
            if not content:
                continue
        if not claims(info, cs, ce, content):
            continue  # a question or a refusal: nothing is claimed
        heads.append(cue_head(info, cs, ce))
        labels.append(label)
        records.append(_record(cue_chars, source, [list(c) for c in content], medium, margin))
    taken = SpanIndex()  # every attribution's cue and content, as they stand
    for k, r in enumerate(records):
        for x, y in (*r["content"], r["cue"]):
            taken.add(x, y, k)
    for k, r in enumerate(records):
        others = taken.without(k)
        content = complete_quotes(text, [tuple(c) for c in r["content"]], regions, others)
        new = [list(c) for c in continue_quotes(text, content, regions, others)]
        for x, y in r["content"]:
            taken.remove(x, y, k)
        for x, y in new:
            taken.add(x, y, k)
        r["content"] = new
    follow_on_quotes(text, records, regions)
    quotes_after_the_cue(info, records, regions)
    if blocks:  # the quotation steps above must not reach out of the body either
        for r in records:
            r["content"] = [list(c) for c in _tidy_all(text, confine(blocks, r["cue"][0], None, [tuple(c) for c in r["content"]])[1])]
        records, heads, labels = _one_per_item(text, blocks, records, heads, labels)
    set_parents(records)
    if split_coordinated(info, records, heads):
        set_parents(records)
    reattach_participles(info, records, heads)
    separate_contents(text, records)
    if not all(r["content"] for r in records):
        keep = [k for k, r in enumerate(records) if r["content"]]
        records, heads, labels = [records[k] for k in keep], [heads[k] for k in keep], [labels[k] for k in keep]
        set_parents(records)
        reattach_participles(info, records, heads)
    for r, label in zip(records, labels):
        r["kind"] = kind_of(label, [tuple(c) for c in r["content"]], regions)
    return records


def _one_per_item(text: str, blocks, records: list[dict], heads: list[int], labels: list[str]):
    """"Obama also said:" over a list: one attribution per item, each item its content."""
    out: tuple[list, list, list] = ([], [], [])
    for r, h, label in zip(records, heads, labels):
        items = list_after(blocks, text, r["cue"])
        for content in [[list(i)] for i in items] or [r["content"]]:
            out[0].append({**r, "cue": list(r["cue"]), "source": list(r["source"]) if r["source"] else None, "content": content})
            out[1].append(h)
            out[2].append(label)
    return out


def _tidy(text: str, span: list[int] | None) -> list[int] | None:
    """A span cut at a block boundary, trimmed; None if nothing of it is left."""
    if span is None:
        return None
    a, b = trim_chars(text, *span)
    return [a, b] if b > a and any(ch.isalnum() for ch in text[a:b]) else None


def _tidy_all(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return [tuple(t) for t in (_tidy(text, list(s)) for s in spans) if t is not None]


def _record(cue, source, content, medium, margin: float) -> dict:
    """One attribution record in character offsets (kind, parent and speaker set later)."""
    return {
        "cue": list(cue),
        "source": source,
        "content": content,
        "kind": "",  # set once the contents are final
        "medium": list(medium) if medium else None,
        "parent": None,
        "confidence": round(1.0 / (1.0 + math.exp(-margin / 4.0)), 3),
        "speaker": None,
    }


def continue_quotes(
    text: str,
    content: list[tuple[int, int]],
    regions: list[tuple[int, int]],
    taken: list[tuple[int, int]] = (),
) -> list[tuple[int, int]]:
    """A quotation over several paragraphs (each reopening the mark, only the last closing it)
    is one content: a fragment inside such a quotation takes in its other paragraphs, unless
    another attribution already claims them (``taken``)."""
    if not regions:
        return content
    regions = Regions.of(regions)

    def open_ended(k: int) -> bool:  # closed by the paragraph break, not by a mark
        return not closing_mark(text, regions[k][1])

    def follows(k: int) -> bool:  # region k+1 opens the paragraph right after region k
        return k + 1 < len(regions) and "\n" in text[regions[k][1] : regions[k + 1][0]] and not text[regions[k][1] : regions[k + 1][0]].strip()

    out = list(content)
    for a, b in content:
        k = regions.index_of(a)
        if k is None:
            continue
        lo = k
        while lo > 0 and open_ended(lo - 1) and follows(lo - 1):
            lo -= 1
        hi = k
        while open_ended(hi) and follows(hi):
            hi += 1
        for j in range(lo, hi + 1):
            ra, rb = trim_chars(text, *regions[j])
            if j != k and not any(x < rb and ra < y for x, y in out) and not overlapping(taken, ra, rb):
                out.append((ra, rb))
    return sorted(out)


def complete_quotes(
    text: str,
    content: list[tuple[int, int]],
    regions: list[tuple[int, int]],
    taken: list[tuple[int, int]] = (),
) -> list[tuple[int, int]]:
    """A fragment that opens or closes a quotation takes in the whole quotation: the tagger
    looks at a few sentences, but a quote runs to its closing mark ("“We lost. ... We will
    win next time,” she said"), unless another attribution claims part of it (``taken``).
    Reported speech that runs into a quotation and stops inside it ("said there is a
    “significant difference in private practice" + "”") takes the quotation in to its closing
    mark, as said whole."""
    out = []
    regions = Regions.of(regions)
    for a, b in content:
        r = regions.holding(a, b)
        if r is None:
            inner = next((r for r in regions.starting_between(a, b) if b < r[1]), None)
            if inner is not None and closing_mark(text, inner[1]):
                ra, rb = _quoted_words(text, inner)
                while rb > ra and text[rb - 1] in ".!?":  # stopping before these is not stopping short
                    rb -= 1
                if ra < b < rb and not overlapping(taken, b, inner[1]):
                    b = inner[1]
            out.append((a, b))
            continue
        ra, rb = _quoted_words(text, r)
        opens, closes = a <= ra, b >= rb
        if (opens or closes) and not (opens and closes):
            na, nb = min(a, ra), max(b, rb)
            if not any(not (a <= x and y <= b) for x, y in overlapping(taken, na, nb)):
                a, b = na, nb
        out.append((a, b))
    return out


def _quoted_words(text: str, region: tuple[int, int]) -> tuple[int, int]:
    """The words of a quotation region: without its marks and the separators next to them."""
    r0, r1 = region
    return trim_chars(text, r0 + max(1, opening_mark(text, r0)), r1 - closing_mark(text, r1))


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _cues_and_contents(records: list[dict]) -> SpanIndex:
    """Each record's content fragments and the first character of its cue (a range overlaps
    ``(c, c + 1)`` exactly when it holds ``c``), owned by the record's index."""
    index = SpanIndex()
    for n, r in enumerate(records):
        index.add(r["cue"][0], r["cue"][0] + 1, n)
        for x, y in r["content"]:
            index.add(x, y, n)
    return index


def follow_on_quotes(text: str, records: list[dict], regions: list[tuple[int, int]]) -> None:
    """A paragraph that is only a quotation, with no cue of its own, right after a paragraph
    whose attribution quotes someone, goes on with that quote ("“…,” she said.¶“And more.”"):
    it joins that attribution's content (as PolNeAR annotates it)."""
    paras = _paragraphs(text)
    regions = Regions.of(regions)
    said = _cues_and_contents(records)
    cue_starts = sorted((r["cue"][0], n) for n, r in enumerate(records))
    for k in range(1, len(paras)):
        pa, pb = paras[k]
        q = whole_quotation(text, pa, pb)
        if q is None:
            continue
        a, b = q
        if said.overlapping(pa, pb):  # a cue in the paragraph, or words of a content
            continue
        qa, qb = paras[k - 1]
        in_prev = cue_starts[bisect_left(cue_starts, (qa,)) : bisect_left(cue_starts, (qb,))]
        prev = [n for _, n in in_prev if records[n]["parent"] is None]
        if len(prev) != 1:
            continue
        r = records[prev[0]]
        quoting = any(regions.covers(x, y) for x, y in r["content"])
        if quoting:
            r["content"] = sorted([*r["content"], [a, b]])
            said.add(a, b, prev[0])


def quotes_after_the_cue(info: DocInfo, records: list[dict], regions: list[tuple[int, int]]) -> None:
    """"“Bad things will happen,” he warned on Monday. “This is a trap.”": the rest of the
    paragraph after the cue's sentence, when it is only a quotation with no cue of its own,
    goes on with the quote of that attribution."""
    doc, text = info.doc, info.text
    regions = Regions.of(regions)
    said = _cues_and_contents(records)
    for n, r in enumerate(records):
        if not any(regions.covers(x, y) for x, y in r["content"]):
            continue
        cue_tok = doc.char_span(*r["cue"], alignment_mode="expand")
        if cue_tok is None:
            continue
        s_end = info.sents[info.sent[cue_tok.start]][1]
        if s_end >= len(doc) or info.para[s_end] != info.para[cue_tok.start]:
            continue
        start = max(doc[s_end].idx, max(y for _, y in r["content"]))
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        q = whole_quotation(text, start, end)
        if q is None:
            continue
        if said.overlapping(q[0], q[1], exclude=n):  # another's cue or content in the quotation
            continue
        r["content"] = sorted([*r["content"], list(q)])
        said.add(q[0], q[1], n)


def _cut_medium(text: str, content: list[tuple[int, int]], medium: tuple[int, int]) -> list[tuple[int, int]]:
    """"wrote in the Daily Ledger that …": the medium and what precedes it are not content."""
    out = []
    ma, mb = medium
    for a, b in content:
        if a <= ma < b and b > mb and not text[a:ma].strip(" ,").count(" ") > 2:
            a, b = trim_chars(text, mb, b)
        if b > a:
            out.append((a, b))
    return out


_WORD = re.compile(r"\w+")


def connected(
    text: str,
    content: list[tuple[int, int]],
    anchors: list[tuple[int, int]],
    regions: list[tuple[int, int]] = (),
    sentence_starts: set[int] = frozenset(),
    max_gap: int = 3,
) -> list[tuple[int, int]]:
    """Keep the content fragments that hang together with the cue and source.

    A split quote ("“A,” she said, “B.”") has fragments on both sides of the cue with only the
    cue and source between them; a stray fragment further away (another quotation in the
    window, starting mid-sentence) has other words in between and is dropped; a fragment that
    opens a sentence (a quote continued after "…, she said, adding …") stays. Words inside
    quotation marks do not separate. The nearest fragment always stays.
    """
    if len(content) <= 1:
        return content
    regions = Regions.of(regions)

    def gap(a: int, b: int) -> int:
        lo, hi = min(a, b), max(a, b)
        n = 0
        for m in _WORD.finditer(text, lo, hi):
            if not any(x <= m.start() < y for x, y in anchors) and regions.index_of(m.start()) is None:
                n += 1
        return n

    def dist(f: tuple[int, int], r: tuple[int, int]) -> int:
        if f[1] <= r[0]:
            return gap(f[1], r[0])
        if r[1] <= f[0]:
            return gap(r[1], f[0])
        return 0

    kept: list[tuple[int, int]] = []
    ranges = list(anchors)
    rest = sorted(content)
    changed = True
    while changed and rest:
        changed = False
        for f in list(rest):
            opens = f[0] in sentence_starts or (f[0] - 1) in sentence_starts
            # the second half of a split quote, after "she said at the meeting,"
            reopens = regions.starts_in(f[0] - 1, f[0] + 1) and any(
                text[k[1] - 1] in "”\"" or text[k[1] - 2 : k[1]] == "''" for k in kept
            )
            if opens or reopens or min(dist(f, r) for r in ranges) <= max_gap:
                kept.append(f)
                ranges.append(f)
                rest.remove(f)
                changed = True
    if not kept:
        kept = [min(content, key=lambda f: min(dist(f, r) for r in anchors))]
    return sorted(kept)


_PARALLEL_THAT = re.compile(r"\s*;\s*that\b", re.IGNORECASE)


def parallel_that_clauses(info: DocInfo, content: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """"said that A; that B; that C": the tagger stops at the first semicolon, but the
    "that"-clauses after it are said too: the content runs on to the end of the sentence."""
    if not content:
        return content
    text = info.text
    a, b = content[-1]
    if not _PARALLEL_THAT.match(text, b):
        return content
    tok = info.doc.char_span(a, b, alignment_mode="expand")
    if tok is None:
        return content
    s_end = info.sents[info.sent[tok.end - 1]][1]
    last = info.doc[s_end - 1]
    end = trim_chars(text, b, last.idx + len(last))[1]
    while end > b and text[end - 1] in ".!?":
        end -= 1
    return [*content[:-1], (a, end)] if end > b else content


def attached(
    info: DocInfo,
    content: list[tuple[int, int]],
    cue: tuple[int, int],
    source: list[int] | None,
    regions: list[tuple[int, int]] = (),
) -> list[tuple[int, int]]:
    """Drop content fragments that belong to another clause: one before the cue set off by a
    semicolon or colon ("It is unlikely; her team says she will go on"), and one after it
    that is a participle clause of its own ("…,” Reyes recalled, suggesting that …"). A
    fragment inside quotation marks is left to :func:`connected`."""
    if len(content) <= 1:
        return content
    doc, text = info.doc, info.text
    anchors = [cue, *([tuple(source)] if source else [])]
    lo = min(a for a, _ in anchors)
    hi = max(b for _, b in anchors)

    regions = Regions.of(regions)

    def quoted(f: tuple[int, int]) -> bool:
        return regions.covers(f[0], f[1])

    keep = []
    for f in content:
        if not quoted(f):
            if f[1] <= lo and any(ch in ";:" for ch in text[f[1] : lo]):
                continue
            if f[0] >= hi and text[hi : f[0]].strip() == ",":
                tok = doc.char_span(f[0], f[1], alignment_mode="expand")
                if tok is not None and tok[0].tag_ == "VBG":
                    continue
        keep.append(f)
    return keep or [min(content, key=lambda f: min(abs(f[0] - hi), abs(lo - f[1])))]


def split_coordinated(info: DocInfo, records: list[dict], heads: list[int]) -> bool:
    """"The ministry said it opposed the test and warned against more": the parser often hangs
    the second verb on the verb of the first one's content, so "warned …" lands inside the
    content of "said". A nested cue verb coordinated with its outer cue, or with the verb of
    the outer content, and without a subject of its own, is a second statement of the same
    speaker: the outer content stops before it and it stands on its own, with that speaker.
    Returns True when a content was cut."""
    doc, text = info.doc, info.text
    changed = False
    for k, r in enumerate(records):
        p = r["parent"]
        if p is None:
            continue
        h, hp = heads[k], heads[p]
        if info.dep[h] != "conj" or any(d in ("nsubj", "nsubjpass", "expl") for d in info.cdeps[h]):
            continue
        g = info.head[h]
        if not (g == hp or (info.head[g] == hp and info.dep[g] == "ccomp")):
            continue
        if g != hp and not (info.tag[h] == info.tag[hp] and (info.tag[g] != info.tag[h] or info.lem[g] == "be")):
            # "argued that he is ignoring advice and bragging that …": the second verb goes
            # with the content's verb (same form), not with the cue
            continue
        j = doc[h].left_edge.i
        while j - 1 > g and (info.dep[j - 1] == "cc" or info.pos[j - 1] == "PUNCT"):
            j -= 1
        end = doc[h].right_edge
        a, b = doc[j].idx, end.idx + len(end)
        outer = records[p]
        src = r["source"]
        if src is None or any(x <= src[0] and src[1] <= y for x, y in outer["content"]):
            r["source"] = outer["source"]
        kept = []
        for x, y in outer["content"]:
            for u, v in ((x, min(y, a)), (max(x, b), y)):
                u, v = trim_chars(text, u, v) if v > u else (u, v)
                if v > u and any(ch.isalnum() for ch in text[u:v]):
                    kept.append([u, v])
        if kept:
            outer["content"] = kept
            changed = True
    return changed


def reattach_participles(info: DocInfo, records: list[dict], heads: list[int]) -> None:
    """"A predicts that B will act, explaining that …": the parser often hangs the participle
    on the reported verb, which would make B the speaker. A comma-led participle cue whose
    source lies inside the content of an earlier attribution of the same sentence speaks for
    that attribution's source instead (and is not nested in it)."""
    doc = info.doc
    cue_starts = sorted((q["cue"][0], n) for n, q in enumerate(records))
    for r, h in zip(records, heads):
        src = r["source"]
        if src is None or info.tag[h] != "VBG" or info.dep[h] != "advcl":
            continue
        first = doc[h].left_edge.i if doc[h].left_edge.i < h else h
        if first == 0 or doc[first - 1].text != ",":
            continue
        # only a cue that starts in h's sentence, before r's cue, can be the one
        sent_start = doc[info.sents[info.sent[h]][0]].idx
        near = cue_starts[bisect_left(cue_starts, (sent_start,)) : bisect_left(cue_starts, (r["cue"][0],))]
        for q in (records[n] for n in sorted(n for _, n in near)):
            if q is r or q["cue"][0] >= r["cue"][0] or q["source"] is None:
                continue
            if info.sent[doc.char_span(*q["cue"], alignment_mode="expand").start] != info.sent[h]:
                continue
            if any(a <= src[0] and src[1] <= b for a, b in q["content"]):
                r["source"] = q["source"]
                if r["parent"] is not None and records[r["parent"]] is q:
                    r["parent"] = q["parent"]
                break


def separate_contents(text: str, records: list[dict]) -> None:
    """Two attributions side by side do not share words: where one's content runs into the
    other's ("He said he would help. “I just want a pier,” he said."), the one whose cue is
    further from the shared stretch gives it up. Nested attributions are left alone.

    Contents only shrink here, so the pairs whose contents overlap at the start are the only
    ones that can need it; they are taken in the order of a scan over all pairs."""
    for i, j in _overlapping_pairs(records):
        r, o = records[i], records[j]
        if r["parent"] == j or o["parent"] == i:
            continue
        for a, b in o["content"]:
            new = []
            for x, y in r["content"]:
                if x < b and a < y:  # overlap
                    mid = (max(x, a) + min(y, b)) // 2
                    if abs(mid - r["cue"][0]) <= abs(mid - o["cue"][0]):
                        new.append((x, y))
                        continue
                    for p, q in ((x, a), (b, y)):
                        p, q = trim_chars(text, p, q) if q > p else (p, q)
                        if q > p and any(ch.isalnum() for ch in text[p:q]):
                            new.append((p, q))
                else:
                    new.append((x, y))
            r["content"] = [list(c) for c in new]


def _overlapping_pairs(records: list[dict]) -> list[tuple[int, int]]:
    """``(i, j)``, ``i != j``, in the order of ``for i: for j:``, where a content fragment of
    record ``i`` overlaps one of record ``j`` (a sweep over the fragments sorted by start)."""
    frags = sorted((x, y, n) for n, r in enumerate(records) for x, y in r["content"])
    partners: dict[int, set[int]] = {}
    for k, (x, y, n) in enumerate(frags):
        for u, v, m in frags[k + 1 :]:
            if u >= y:
                break
            if m != n and x < v and u < y:
                partners.setdefault(n, set()).add(m)
                partners.setdefault(m, set()).add(n)
    return [(i, j) for i in sorted(partners) for j in sorted(partners[i])]


def set_parents(records: list[dict]) -> None:
    """An attribution whose cue lies inside another's content is nested in it: the smallest
    such content (the first record's, of equals)."""
    frags = sorted((ca, cb, j, k) for j, o in enumerate(records) for k, (ca, cb) in enumerate(o["content"]))
    longest = max((cb - ca for ca, cb, _, _ in frags), default=0)
    for i, r in enumerate(records):
        a, b = r["cue"]
        # a fragment that holds [a, b) starts at or before a and at most `longest` before b
        near = frags[bisect_left(frags, (b - longest,)) : bisect_left(frags, (a + 1,))]
        holders = [(cb - ca, j, k) for ca, cb, j, k in near if j != i and ca <= a and b <= cb]
        r["parent"] = min(holders)[1] if holders else None
