"""Which language a text is in. saidwho's pipeline reads English only: run on German or French it
finds "speakers" such as "Ont" or "der", so other languages are stored but not analysed.

Language identification is py3langid's (a maintained fork of langid.py, with its model inside the
package: nothing is downloaded), run on a bounded sample of the text, so the check costs about
the same on every article (a few milliseconds).

A Latin-script text too short to tell (fewer than :data:`MIN_LETTERS` letters), or one the model
is unsure of (below :data:`MIN_CONFIDENCE`), counts as English: a headline such as "Super PAC
haul surges past $1B" looks French to a character model, and refusing English is worse than
analysing a short snippet. A text mostly in another script (Arabic, Cyrillic, Greek, Han...) is
not English however short.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

#: Fewer letters than this: too short to tell; analysed as English.
MIN_LETTERS = 60
#: A text of at least this many letters, most of them in another script than Latin, is not
#: English, however short.
MIN_SCRIPT_LETTERS = 4
#: A non-English answer below this probability is not trusted.
MIN_CONFIDENCE = 0.9
#: Characters classified: the start and the middle of long texts (a constant cost per article).
SAMPLE_CHARS = 2000

ENGLISH = "en"


@dataclass(frozen=True)
class Detected:
    """The language found: ``code`` is ISO 639-1 (``"de"``), None when the text is too short."""

    code: str | None
    confidence: float = 0.0

    @property
    def english(self) -> bool:
        """True when the text is analysed: English, or too short or too unsure to say otherwise."""
        return self.code in (None, ENGLISH) or self.confidence < MIN_CONFIDENCE

    @property
    def stored(self) -> str | None:
        """The code kept with the article (None: unknown)."""
        if self.code is None:
            return None
        return self.code if self.code == ENGLISH or self.confidence >= MIN_CONFIDENCE else None


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_pickled_model(MODEL_FILE, norm_probs=True)


def sample(text: str) -> str:
    """The part of ``text`` that is classified: all of it when short, else its start and middle."""
    if len(text) <= SAMPLE_CHARS:
        return text
    half = SAMPLE_CHARS // 2
    mid = len(text) // 2
    return text[:half] + "\n" + text[mid : mid + half]


def _latin(c: str) -> bool:
    o = ord(c)
    return o < 0x250 or 0x1E00 <= o < 0x1F00  # Basic Latin to Latin Extended-B; Latin Extended Additional


def detect(text: str) -> Detected:
    """The language of ``text`` (see the module's note on short and unsure texts)."""
    part = sample(text)
    letters = [c for c in part if c.isalpha()]
    other_script = len(letters) >= MIN_SCRIPT_LETTERS and sum(map(_latin, letters)) * 2 < len(letters)
    if len(letters) < MIN_LETTERS and not other_script:
        return Detected(None)
    code, prob = _identifier().classify(part)
    if other_script and code != ENGLISH:
        # mostly Arabic, Cyrillic, Greek, Han... letters: not English however short the text
        prob = max(prob, MIN_CONFIDENCE)
    return Detected(str(code), float(prob))


def language_name(code: str) -> str:
    """A language's English name ("German" for ``de``), from spaCy's language classes; else the code."""
    try:
        from spacy.util import get_lang_class

        name = get_lang_class(code).__name__
    except Exception:  # noqa: BLE001 - a language spaCy does not know: its code will do
        return code
    return name if name.isalpha() and name[:1].isupper() else code


def not_english_note(code: str) -> str:
    """The one line said, and kept on the article, when a text is not analysed."""
    return f"not analysed: the text is in {language_name(code)} ({code}); saidwho reads English only"
