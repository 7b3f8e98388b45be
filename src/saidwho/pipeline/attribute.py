"""Linking: for each cue, its source and content, with kind, medium and nesting.

Reads ``doc.spans["saidwho_cue"]`` and writes ``doc._.saidwho_attributions`` (plain offsets)
plus ``doc.spans["saidwho_source"]`` / ``["saidwho_content"]`` / ``["saidwho_quote"]``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import repeat

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from .cues import CANDIDATE_KEY, CUE_KEY, scored_spans, take_info
from .extraction import extract
from ..learn.acceptor import CueAcceptor, candidate_features
from ..learn.context import candidate_vectors
from ..learn.features import DocInfo
from ..learn.mlp import ROLE_MLP_WEIGHT, BlendedTagger
from .models import load_acceptor, load_extent_model, load_mlp, load_model


def _overlaps(a: list[int], b: list[int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _merged(records: list[dict], extra: list[dict]) -> list[dict]:
    """``records`` and ``extra`` in cue order; the records keep their parents (re-indexed),
    each extra one is nested in the smallest content that holds its cue, if any."""
    order = sorted(records + extra, key=lambda r: (r["cue"][0], r["cue"][1]))
    pos = {id(r): i for i, r in enumerate(order)}
    for r in records:
        if r["parent"] is not None:
            r["parent"] = pos[id(records[r["parent"]])]
    for r in extra:
        a, b = r["cue"]
        holders = [(cb - ca, pos[id(o)]) for o in order if o is not r for ca, cb in o["content"] if ca <= a and b <= cb]
        r["parent"] = min(holders)[1] if holders else None
    return order


def _spans(doc: Doc, pairs: list[list[int]]):
    out = []
    for a, b in pairs:
        sp = doc.char_span(a, b, alignment_mode="expand")
        if sp is not None:
            out.append(sp)
    return out


def _sentence(info: DocInfo, record: dict) -> int:
    """Index of the sentence that holds ``record``'s cue."""
    return info.sent[info.doc.char_span(*record["cue"], alignment_mode="expand").start]


def sentence_chars(info: DocInfo, record: dict) -> tuple[int, int]:
    """Character range of the sentence that holds ``record``'s cue."""
    doc = info.doc
    a, b = info.sents[_sentence(info, record)]
    return doc[a].idx, doc[b - 1].idx + len(doc[b - 1])


class Attributor:
    """spaCy component: cues → attribution records."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        use_extent: bool = True,
        mlp_weight: float = ROLE_MLP_WEIGHT,
        use_acceptor: bool = True,
        acceptor: str = "cue_acceptor.npz",
        threshold: float | None = None,
    ) -> None:
        self.name = name
        self.model = load_model("role_model.npz")
        if mlp_weight:
            self.model = BlendedTagger(self.model, load_mlp(), mlp_weight)
        self.extent = load_extent_model() if use_extent else None
        # the judge of the recall pass's candidates (packaged file name; see learn/acceptor.py),
        # read when the first candidate comes: a pipeline that offers none never loads it
        self.use_acceptor = use_acceptor
        self.threshold = threshold  # the engine's bar for the judge (ENGINE_THRESHOLDS), None: the file's
        self.acceptor_name = acceptor
        self._acceptor: CueAcceptor | None = None

    @property
    def acceptor(self) -> CueAcceptor | None:
        """The judge of the candidates (None: candidates are not read), loaded on first use."""
        if self._acceptor is None and self.use_acceptor:
            self._acceptor = load_acceptor(self.acceptor_name)
            if self.threshold is not None:
                self._acceptor.threshold = float(self.threshold)
        return self._acceptor

    @acceptor.setter
    def acceptor(self, judge: CueAcceptor | None) -> None:
        self._acceptor = judge
        self.use_acceptor = judge is not None

    def __call__(self, doc: Doc) -> Doc:
        return self._batch([doc])[0]

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        """Docs in batches: the recall pass's judge encodes the candidates of a whole batch
        together, which keeps the encoder's matrices large enough to be cheap."""
        for batch in minibatch(docs, size=batch_size):
            yield from self._batch(list(batch))

    def _batch(self, docs: list[Doc]) -> list[Doc]:
        found = []  # per doc: (info, records, candidate (record, features) pairs)
        for doc in docs:
            info = take_info(doc)
            cues = scored_spans(doc, CUE_KEY)
            candidates = scored_spans(doc, CANDIDATE_KEY) if self.use_acceptor else []
            roles: dict | None = {} if candidates else None
            records = extract(info, cues, info.regions, self.model, self.extent, roles)
            offered = self.offered(info, records, cues, candidates, roles) if candidates else []
            found.append((info, records, offered))
        judge = self.acceptor if any(offered for _, _, offered in found) else None
        if judge is not None and judge.contextual:
            items = [(info.text, sentence_chars(info, r), r) for info, _, offered in found for r, _ in offered]
            vectors = iter(candidate_vectors(items, judge.layers, judge.max_pieces))
        else:
            vectors = repeat(None)  # a judge over feature strings alone
        for info, records, offered in found:
            accepted = []
            for r, feats in offered:
                p = judge.probability(feats, next(vectors))
                if p >= judge.threshold:
                    # the judge's estimate that the attribution is right (the tagger's margin,
                    # below zero for a candidate, would say it is almost surely wrong)
                    r["confidence"] = round(p, 3)
                    accepted.append(r)
            self._set(info.doc, _merged(records, accepted) if accepted else records, info.regions)
        return docs

    @staticmethod
    def _set(doc: Doc, records: list[dict], regions: list) -> None:
        doc._.saidwho_attributions = records
        # every cue that made an attribution (fixed constructions included), labelled by kind
        cue_spans = []
        for r in records:
            sp = doc.char_span(*r["cue"], alignment_mode="expand")
            if sp is not None:
                sp.label_ = r["kind"]
                cue_spans.append(sp)
        doc.spans[CUE_KEY] = cue_spans
        doc.spans["saidwho_quote"] = _spans(doc, [list(r) for r in regions])
        doc.spans["saidwho_source"] = _spans(doc, [r["source"] for r in records if r["source"]])
        doc.spans["saidwho_content"] = _spans(doc, [c for r in records for c in r["content"]])

    def offered(
        self, info: DocInfo, records: list[dict], cues: list, candidates: list, roles: dict | None = None
    ) -> list[tuple[dict, list[str]]]:
        """The candidate attributions the judge is asked about, with their features: those of
        :meth:`candidate_records` that would not take in an attribution made from the tagger's
        own cues. ``roles``: the role tagger's memo from the first extraction (see :func:`extract`)."""
        top = [r for r in records if r["parent"] is None]
        return [
            (r, feats)
            for r, feats in self.candidate_records(info, records, cues, candidates, roles)
            if not any(a <= t["cue"][0] and t["cue"][1] <= b for t in top for a, b in r["content"])
        ]

    def candidate_records(
        self, info: DocInfo, records: list[dict], cues: list, candidates: list, roles: dict | None = None
    ) -> list[tuple[dict, list[str]]]:
        """The attributions of candidate cues, with their acceptor features. The candidates are
        extracted beside the cues, so that the rules see both; an attribution counts only if it
        is top-level and its cue overlaps no attribution of ``records``."""
        doc = info.doc
        per_sent = Counter(_sentence(info, r) for r in records if r["parent"] is None)
        margins = [(doc[s].idx, doc[e - 1].idx + len(doc[e - 1]), m) for s, e, _, m in candidates]
        out = []
        for r in extract(info, sorted(cues + candidates), info.regions, self.model, self.extent, roles):
            if r["parent"] is not None or not r["content"] or any(_overlaps(r["cue"], o["cue"]) for o in records):
                continue
            m = max([x for a, b, x in margins if _overlaps(r["cue"], [a, b])] or [-99.0])
            out.append((r, candidate_features(info, r, m, per_sent[_sentence(info, r)])))
        return out
