"""Errors that reach the user as one clear line (the CLI prints ``str(err)`` and exits non-zero)."""


class SaidwhoError(Exception):
    """Base class: anything the user can fix (bad input, bad setting)."""


class InputError(SaidwhoError):
    """An input that cannot be analysed: empty, binary, not UTF-8, too large, unreadable."""


class ModelError(SaidwhoError):
    """The spaCy model is missing or incompatible."""
