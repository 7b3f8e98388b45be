"""Decoding the learned stages into token spans (pure functions of DocInfo and a model)."""

from __future__ import annotations

import weakref

from ..lexicon import wordlist
from ..options import PRESETS
from .features import DocInfo, cue_context, cue_head, cue_local, cue_local_key, role_features, role_window, syntactic_subject
from .extent import ExtentRanker, extent_candidates
from .perceptron import SequencePerceptron


#: The article pass of :func:`tag_cues`: a verb whose lemma the first pass tagged as a cue with
#: a margin above ARTICLE_MARGIN elsewhere in the article gets ARTICLE_BOOST added to its "B"
#: score. Both chosen on PolNeAR train, cross-fitted (each half tagged by models trained on the
#: other half), never on dev: docs/evaluation.md has the sweep. Set in ``saidwho.options.PRESETS``.
ARTICLE_BOOST = PRESETS["window"].article_boost
ARTICLE_MARGIN = PRESETS["window"].article_margin


def tag_cues(
    info: DocInfo,
    model: SequencePerceptron,
    bias: float = 0.0,
    boost: float = ARTICLE_BOOST,
    confident: float = ARTICLE_MARGIN,
) -> list[tuple[int, int, float]]:
    """Cue spans ``(start, end, margin)`` in token indices, tagged sentence by sentence (B/I/O);
    ``bias`` is added to the cue labels' scores (above 0 trades precision for recall).

    Two passes, because an article reports speech consistently: a reporting verb the tagger is
    sure of in one sentence ("Mr. Ortiz contended that …") is a cue more often than not where
    it comes back ("the mayor also contended …"), even in a sentence whose own evidence is weak.
    The second pass adds ``boost`` to the "B" score of each verb whose lemma was a confident
    cue (margin above ``confident``) and decodes those sentences again (``boost=0``: one pass).
    Margins are always the tagger's own, without the boost, so a cue found this way reports a
    lower confidence."""
    return _decode_cues(info, model, _cue_emissions(info, model), bias, boost, confident)


def cues_and_candidates(
    info: DocInfo,
    model: SequencePerceptron,
    candidate_bias: float,
    bias: float = 0.0,
    boost: float = ARTICLE_BOOST,
    confident: float = ARTICLE_MARGIN,
) -> tuple[list[tuple[int, int, float]], list[tuple[int, int, float]]]:
    """:func:`tag_cues`, and the candidate cues that decoding the same emissions with
    ``candidate_bias`` finds besides: the spans that overlap none of the cues."""
    ems = _cue_emissions(info, model)
    cues = _decode_cues(info, model, ems, bias, boost, confident)
    taken = {i for a, b, _ in cues for i in range(a, b)}
    more = _decode_cues(info, model, ems, candidate_bias, boost, confident)
    return cues, [c for c in more if not any(i in taken for i in range(c[0], c[1]))]


#: Scores of the local cue features (:func:`~saidwho.learn.features.cue_local`) per model
#: and local key: a word seen again in the same role costs one lookup. A model must not be
#: trained further once it has decoded (training never decodes through here).
_LOCAL_SUMS: "weakref.WeakKeyDictionary[SequencePerceptron, dict]" = weakref.WeakKeyDictionary()
_LOCAL_MAX = 200_000  # keys kept per model (a long run over many articles starts afresh)


def forget_local_sums() -> None:
    """Empty the table of local feature scores (the benchmark times each run from empty)."""
    _LOCAL_SUMS.clear()


def _cue_emissions(info: DocInfo, model: SequencePerceptron) -> list[list[list[float]]]:
    """The cue tagger's emissions, sentence by sentence: the same sums as
    ``model.emissions([cue_features(…)])``, with the local features' part reused."""
    sums = _LOCAL_SUMS.setdefault(model, {})
    if len(sums) > _LOCAL_MAX:
        sums.clear()
    out = []
    for a, b in info.sents:
        start = []
        for i in range(a, b):
            key = cue_local_key(info, i)
            row = sums.get(key)
            if row is None:
                row = sums[key] = model.emissions([cue_local(info, i)])[0]
            start.append(row)
        out.append(model.emissions([cue_context(info, i) for i in range(a, b)], start))
    return out


def _decode_cues(
    info: DocInfo, model: SequencePerceptron, ems: list, bias: float, boost: float, confident: float
) -> list[tuple[int, int, float]]:
    scores = (0.0, bias, bias) if bias else None
    first = [_spans(model.viterbi(em, bias=scores), em, a) for (a, _), em in zip(info.sents, ems)]
    sure = {info.lem[cue_head(info, s, e)] for cs in first for s, e, m in cs if m > confident} if boost else set()
    out: list[tuple[int, int, float]] = []
    for (a, b), em, cs in zip(info.sents, ems, first):
        hits = [i for i in range(a, b) if info.pos[i] == "VERB" and info.lem[i] in sure] if sure else []
        if hits:
            boosted = [list(row) for row in em]
            for i in hits:
                boosted[i - a][1] += boost
            cs = [(s, e, _margin(em, s - a, e - a)) for s, e, _ in _spans(model.viterbi(boosted, bias=scores), boosted, a)]
        out.extend(cs)
    return _with_backstop(info, out)


def _margin(em: list[list[float]], i: int, j: int) -> float:
    """How sure the tagger is of the span ``[i, j)``: its weakest token's cue-over-O score."""
    return min(max(em[k][1], em[k][2]) - em[k][0] for k in range(i, j))


def _spans(path: list[int], em: list[list[float]], offset: int) -> list[tuple[int, int, float]]:
    """The B/I runs of a label path as ``(start, end, margin)``, shifted by ``offset``."""
    out = []
    i = 0
    while i < len(path):
        if path[i] == 0:
            i += 1
            continue
        j = i + 1
        while j < len(path) and path[j] == 2:
            j += 1
        out.append((offset + i, offset + j, _margin(em, i, j)))
        i = j
    return out


def _with_backstop(info: DocInfo, cues: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """Add the unmistakable cues the tagger missed: a core speech or belief verb with its own
    subject and a "that"-clause ("Netanyahu openly said that …"), and a perception verb with a
    subject, an object and "as" ("members are beginning to view him as …"), outside quotes."""
    core = wordlist("core_cues")
    perception = wordlist("perception_cues")
    taken = set()
    for a, b, _ in cues:
        taken.update(range(a, b))
    extra = []
    for i, lem in enumerate(info.lem):
        if i in taken or info.pos[i] != "VERB" or info.quote[i] >= 0:
            continue
        if lem in perception:
            span = _perception_cue(info, i)
            if span is not None and not any(k in taken for k in range(*span)):
                extra.append((span[0], span[1], 0.0))
                taken.update(range(*span))
            continue
        if lem not in core:
            continue
        if not info.that[i] or not any(d in ("nsubj", "nsubjpass") for d in info.cdeps[i]):
            continue
        start = i
        for c in info.doc[i].lefts:
            if c.dep_ in ("aux", "neg", "advmod") and c.i >= i - 3:
                start = min(start, c.i)
        extra.append((start, i + 1, 0.0))
    if not extra:
        return cues
    return sorted(cues + extra)


def _perception_cue(info: DocInfo, i: int) -> tuple[int, int] | None:
    """``[start, end)`` of "are beginning to view" when ``i`` is "view" in "X … view Y as Z"."""
    doc = info.doc
    tok = doc[i]
    if "dobj" not in info.cdeps[i]:
        return None
    has_as = any(c.dep_ == "prep" and c.lower_ == "as" for c in tok.children) or any(
        g.dep_ == "prep" and g.lower_ == "as" for c in tok.children if c.dep_ == "dobj" for g in c.children
    )
    if not has_as:
        return None
    j = i
    while info.dep[j] == "xcomp" and info.head[j] != j:
        j = info.head[j]
    if not any(d in ("nsubj", "nsubjpass") for d in info.cdeps[j]):
        return None
    start = min([j] + [c.i for c in doc[j].lefts if c.dep_ in ("aux", "auxpass", "neg")])
    return start, i + 1


def _runs(labels: list[int], value: int, lo: int) -> list[tuple[int, int]]:
    runs = []
    i = 0
    while i < len(labels):
        if labels[i] == value:
            j = i
            while j < len(labels) and labels[j] == value:
                j += 1
            runs.append((lo + i, lo + j))
            i = j
        else:
            i += 1
    return runs


def role_path(info: DocInfo, model: SequencePerceptron, cs: int, ce: int) -> tuple[int, list[int], list[list[float]]]:
    """The role tagger's labels for the window around the cue ``[cs, ce)``: ``(lo, path,
    emissions)``, the window starting at token ``lo`` (labels 0 O, 1 source, 2 content)."""
    lo, hi = role_window(info, cs, ce)
    em = model.emissions(role_features(info, cs, ce, lo, hi))
    allowed = [[True, not (cs <= i < ce), not (cs <= i < ce)] for i in range(lo, hi)]
    return lo, model.viterbi(em, allowed), em


def tag_roles(
    info: DocInfo, model: SequencePerceptron, cs: int, ce: int, extent: "ExtentRanker | None" = None
) -> tuple[tuple[int, int] | None, list[tuple[int, int]]]:
    """Source token range (or None) and content token ranges for the cue ``[cs, ce)``; with an
    ``extent`` ranker, a content the tagger found as one run outside quotation marks may be
    moved to a parse constituent (see :mod:`saidwho.learn.extent`)."""
    source, content, cands = role_candidates(info, model, cs, ce, extent is not None)
    if cands:
        content = [cands[extent.best(cands)][0]]
    return source, content


def role_candidates(
    info: DocInfo, model: SequencePerceptron, cs: int, ce: int, candidates: bool = True
) -> tuple[tuple[int, int] | None, list[tuple[int, int]], list]:
    """The role tagger's source and content runs for the cue ``[cs, ce)``, and (when
    ``candidates``) the extent ranker's candidate spans for that content, empty where the
    ranker does not decide it (:func:`rerankable`)."""
    lo, path, em = role_path(info, model, cs, ce)
    source, content = roles_of_path(info, cs, ce, lo, path)
    if not candidates or not rerankable(info, content):
        return source, content, []
    return source, content, extent_candidates(info, cs, ce, lo, path, em, content[0], source)


def roles_of_path(
    info: DocInfo, cs: int, ce: int, lo: int, path: list[int]
) -> tuple[tuple[int, int] | None, list[tuple[int, int]]]:
    """Source (the run nearest the cue, checked against the parse) and content runs of a path."""
    src_runs = _runs(path, 1, lo)
    source = None
    if src_runs:
        source = min(src_runs, key=lambda r: min(abs(r[0] - cs), abs(r[1] - ce)))
    return _tidy_source(info, _syntactic_source(info, cs, ce, source)), _runs(path, 2, lo)


def rerankable(info: DocInfo, content: list[tuple[int, int]]) -> bool:
    """Whether the extent ranker decides this content: one run, not all inside one quotation
    (a direct quote keeps the span of its marks)."""
    if len(content) != 1:
        return False
    a, b = content[0]
    q = info.quote[a]
    return not (q >= 0 and all(info.quote[t] == q for t in range(a, b)))


def _tidy_source(info: DocInfo, source: tuple[int, int] | None) -> tuple[int, int] | None:
    """Cut what is not the speaker off a source run: a dateline before it ("BRUSSELS -
    European leaders") and a participle phrase after it ("Trump, speaking to veterans, said";
    "including …" stays: it names members of the source)."""
    if source is None:
        return None
    a, b = source
    low = info.low
    for k in range(a, b):
        if low[k] in ("-", "—", "―", "--") and k > a and all(info.doc[j].is_upper for j in range(a, k)):
            a = k + 1
            break
    for k in range(a + 1, b - 1):
        if low[k] == "," and info.tag[k + 1] == "VBG" and low[k + 1] not in ("including", "according"):
            b = k
            break
    return (a, b) if b > a else source


def _syntactic_source(
    info: DocInfo, cs: int, ce: int, source: tuple[int, int] | None
) -> tuple[int, int] | None:
    """Check the tagger's source against the parse: a participle or coordinated cue
    ("…, explaining that", "and bragging that") speaks for the subject of the verb it hangs
    from; a coordinated cue left without a source takes the shared subject. (On PolNeAR dev this is
    neutral for source F1; on reported chains of statements it fixes the speaker.)"""
    if (
        source is not None
        and [info.lem[i] for i in range(cs, ce) if info.pos[i] != "AUX"] in (["seem"], ["appear"])
        and "xcomp" not in info.cdeps[cue_head(info, cs, ce)]
    ):
        # "The plan seems shaky", "it appeared that …": the subject is what seems so, not who
        # thinks it (in PolNeAR train such a bare cue has no source 4 times in 5);
        # "she seems to think …" keeps hers
        return None
    subj = syntactic_subject(info, cue_head(info, cs, ce))
    if subj is None or info.pos[subj[0]] not in ("PROPN", "NOUN", "PRON"):
        return source
    tok = info.doc[subj[0]]
    rng = (tok.left_edge.i, tok.right_edge.i + 1)
    if rng[0] <= cs < rng[1] or rng[0] < ce <= rng[1]:
        return source  # the subject phrase contains the cue itself
    if source is None:
        # a coordinated cue shares its subject; a relative clause cue speaks for its pronoun
        relative = info.tag[subj[0]] in ("WDT", "WP") and subj[1] == "own"
        return rng if subj[1] == "conj" or relative else None
    overlaps = source[0] < rng[1] and rng[0] < source[1]
    if subj[1] in ("advcl", "conj") and not overlaps:
        return rng
    if subj[1] == "own_pass" and source == rng and info.lex[cue_head(info, cs, ce)] == "S":
        # "Mr. Quiros was accused of …": the subject of a passive speech verb is its target, not
        # its source (a state such as "is convinced" keeps its subject)
        return None
    if source[0] <= subj[0] < source[1] and (source[0] < rng[0] or source[1] > rng[1]):
        # words outside the subject phrase ("Everything Trump says"): not part of the source
        return (max(source[0], rng[0]), min(source[1], rng[1]))
    return source

