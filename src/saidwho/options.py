"""How the engine is set up, as one value: the model, the recall mode and every tuned number.

An :class:`EngineOptions` is what ``Engine(options=…)`` is built from, what ``engine.options``
reports, what a worker process receives to build the same engine (it pickles), and what the
CLI makes of ``--model`` and ``--recall``. The presets below are the one place the engine's
tuned numbers are written down; the stages' own defaults and the names in ``saidwho.learn``
(``CANDIDATE_BIAS``, ``ARTICLE_BOOST``, ``ROLE_MLP_WEIGHT``…) are read from them.

Importing this module loads no spaCy and no model: options can be made, checked and sent
anywhere before anything heavy is loaded.
"""

from __future__ import annotations

import dataclasses
import math
import os
from dataclasses import dataclass
from typing import Any

from . import settings
from .errors import InputError

#: The judges of the recall pass, packaged model files by how much of a candidate's sentence
#: they read (see ``saidwho.learn.acceptor``).
WINDOW_JUDGE = "cue_acceptor.npz"
SENTENCE_JUDGE = "cue_acceptor_sentence.npz"


@dataclass(frozen=True)
class EngineOptions:
    """Everything that decides what the engine finds, in one frozen (hashable, picklable) value.

    Make one with :meth:`preset` (a recall mode's tuned numbers) or :meth:`from_env`, and vary
    it with :meth:`replace`; each is checked when made, with a one-line :class:`InputError`.
    """

    #: the spaCy pipeline package to load (installed from PyPI, never downloaded)
    model: str = settings.DEFAULT_MODEL
    #: the recall pass: one of :data:`saidwho.settings.RECALL_MODES`
    recall: str = settings.DEFAULT_RECALL
    #: added to the cue tagger's scores for its cue labels (above 0: more cues, fewer right)
    cue_bias: float = 0.0
    #: a span the tagger took with a margin above ``article_margin`` elsewhere in the article
    #: gets ``article_boost`` added where it recurs (``saidwho.learn.decode``)
    article_boost: float = 40.0
    article_margin: float = 15.0
    #: the cue tagger's bias for the recall pass's candidates (0: no candidates offered);
    #: chosen on cross-fitted train with the contextual judge (20 and 40 measured)
    candidate_bias: float = 40.0
    #: the judge of those candidates (a packaged file); None: no judge is ever loaded
    judge: str | None = WINDOW_JUDGE
    #: the judge's bar where it differs from the one in its file (None: the file's own). On
    #: real pages the window judge's candidates between 0.35 and 0.45 were nearly all wrong;
    #: at 0.45 PolNeAR dev keeps its floors (docs/evaluation.md)
    judge_threshold: float | None = 0.45
    #: the weight of the role network's scores beside the role perceptron's (``saidwho.learn.mlp``)
    role_mlp_weight: float = 60.0

    def __post_init__(self) -> None:
        self._check()

    def _check(self) -> None:
        if not isinstance(self.model, str) or not self.model.strip():
            raise InputError(f"model must be the name of an installed spaCy package, not {self.model!r}")
        if self.recall not in settings.RECALL_MODES:
            raise InputError(f"recall must be one of {', '.join(settings.RECALL_MODES)}, not {self.recall!r}")
        for name in ("cue_bias", "article_boost", "article_margin", "candidate_bias", "role_mlp_weight"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise InputError(f"{name} must be a finite number, not {value!r}")
        if self.candidate_bias < 0:
            raise InputError(f"candidate_bias must be 0 or more, not {self.candidate_bias!r}")
        t = self.judge_threshold
        if t is not None and (isinstance(t, bool) or not isinstance(t, (int, float)) or not 0.0 <= t <= 1.0):
            raise InputError(f"judge_threshold must be None or a probability between 0 and 1, not {t!r}")
        if self.judge is not None and (not isinstance(self.judge, str) or not self.judge.endswith(".npz")):
            raise InputError(f"judge must be a packaged .npz model file or None, not {self.judge!r}")
        if self.recall == "off" and (self.candidate_bias or self.judge is not None):
            raise InputError("recall 'off' takes no candidates and no judge (candidate_bias 0, judge None)")
        if self.recall != "off" and (not self.candidate_bias or self.judge is None):
            raise InputError(f"recall {self.recall!r} needs a candidate_bias above 0 and a judge")

    @classmethod
    def preset(cls, recall: str = settings.DEFAULT_RECALL, model: str | None = None) -> EngineOptions:
        """The tuned options of a recall mode (``window``, ``sentence`` or ``off``); ``model``
        None: ``$SAIDWHO_MODEL`` or the built-in one."""
        if recall not in PRESETS:
            raise InputError(f"recall must be one of {', '.join(settings.RECALL_MODES)}, not {recall!r}")
        return PRESETS[recall].replace(model=model or settings.model_name())

    @classmethod
    def from_env(cls, recall: str | None = None, model: str | None = None) -> EngineOptions:
        """The preset the environment asks for: ``$SAIDWHO_RECALL`` (default ``window``) and
        ``$SAIDWHO_MODEL``; ``recall`` / ``model`` given here win."""
        mode = recall or os.environ.get("SAIDWHO_RECALL", "").strip() or settings.DEFAULT_RECALL
        return cls.preset(mode, model)

    def replace(self, **changes: Any) -> EngineOptions:
        """A copy with ``changes`` (checked like a new value)."""
        unknown = sorted(set(changes) - {f.name for f in dataclasses.fields(self)})
        if unknown:
            raise InputError(f"unknown engine option {unknown[0]!r}")
        return dataclasses.replace(self, **changes)

    def as_dict(self) -> dict[str, Any]:
        """The options as plain JSON-ready values (for reports such as ``saidwho bench``)."""
        return dataclasses.asdict(self)

    def stage_configs(self) -> dict[str, dict[str, Any]]:
        """The spaCy configs of saidwho's stages that these options set (``nlp.add_pipe(name,
        config=…)``): the one translation from options to components."""
        return {
            "saidwho_cues": {
                "bias": float(self.cue_bias),
                "article_boost": float(self.article_boost),
                "article_margin": float(self.article_margin),
                "candidate_bias": float(self.candidate_bias),
            },
            "saidwho_attribute": {
                "mlp_weight": float(self.role_mlp_weight),
                "use_acceptor": self.judge is not None,
                "acceptor": self.judge or WINDOW_JUDGE,
                "threshold": None if self.judge_threshold is None else float(self.judge_threshold),
            },
        }


#: The single source of truth for the engine's tuned numbers, one row per recall mode.
PRESETS: dict[str, EngineOptions] = {
    "window": EngineOptions(recall="window"),
    "sentence": EngineOptions(recall="sentence", judge=SENTENCE_JUDGE, judge_threshold=None),
    "off": EngineOptions(recall="off", candidate_bias=0.0, judge=None, judge_threshold=None),
}
