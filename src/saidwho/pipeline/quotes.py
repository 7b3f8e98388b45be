"""Quotation marks and regions, as the pipeline's stages import them; defined in
:mod:`saidwho.quotes` (text alone, no parse), which the learned stages' features and the
analysis read too without importing the pipeline."""

from ..quotes import (
    LINE_CLOSERS,
    LINE_OPENERS,
    OPENERS,
    PAIR_OPENER,
    PAIR_TOGGLE,
    TOGGLES,
    closing_mark,
    opening_mark,
    quote_regions,
    whole_quotation,
)

__all__ = [
    "LINE_CLOSERS",
    "LINE_OPENERS",
    "OPENERS",
    "PAIR_OPENER",
    "PAIR_TOGGLE",
    "TOGGLES",
    "closing_mark",
    "opening_mark",
    "quote_regions",
    "whole_quotation",
]
