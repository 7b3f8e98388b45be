"""What a stored speaker's name and role may look like: the rule the resolver applies when it
builds speakers and that ``saidwho speakers --suspicious`` applies to a stored corpus.

Real pages put words next to names that are not names: a photo credit ("Gallery"), a link
("Read more"), a transcript label ("Host"), a headline whose verb the recogniser ran into the
name ("Trump avoids"), a possessive ("Obama administration’s"), a line break between a caption
and the text. :func:`clean_name` and :func:`clean_role` normalise what can be normalised;
:func:`suspicious_reason` says why what is left is unlikely to be a speaker's name.
"""

from __future__ import annotations

import re

from .lists import titles

#: Words of a page's furniture that the recogniser sometimes takes for a person.
PAGE_WORDS = frozenset(
    """read more gallery host photo photos picture pictures image images video videos watch
    listen share related advertisement sponsored subscribe comments comment credit caption
    getty click print email menu home search file""".split()
)
#: Lower-case words that belong inside a person's name ("Ursula von der Leyen").
NAME_PARTICLES = frozenset("de da das del della der den di do dos du la le van von al el bin ibn bint ben y e".split())
_RELATIVE = frozenset(("who", "whose", "whom", "which", "that"))
_POSSESSIVE = re.compile(r"\s*(?:['’]s|(?<=s)['’])$")
_LONG = 8  # more words than this is a phrase, not a name


def _words(text: str) -> list[str]:
    return text.split()


def clean_name(name: str, type_: str) -> str:
    """The name as stored: on one line, without a trailing possessive ("Biden’s" → "Biden"),
    a person's name without the title words before it ("elect Rodrigo Chaves" → "Rodrigo
    Chaves"), an organisation's without "the"."""
    words = _words(name)
    text = " ".join(words)
    text = _POSSESSIVE.sub("", text) or text
    words = _words(text)
    if type_ == "person":
        table = titles()
        while len(words) > 1 and (words[0].lower().rstrip(".") in table.words or words[0].lower() in ("elect", "-elect")):
            words = words[1:]
        text = " ".join(words)
    elif type_ == "organization" and text.lower().startswith("the ") and len(words) > 1:
        text = text[4:]
    return text


def clean_role(role: str | None) -> str | None:
    """The role as stored: on one line; None for a relative clause taken for a role ("whose
    daughter")."""
    if role is None:
        return None
    words = _words(role)
    if not words or words[0].lower() in _RELATIVE:
        return None
    return " ".join(words)


def suspicious_reason(name: str, type_: str) -> str | None:
    """Why ``name`` (of a speaker of type ``type_``) is unlikely to be a speaker's name, or
    None when nothing is wrong with it."""
    if "\n" in name or "\r" in name:
        return "line break in the name"
    if not any(ch.isalpha() for ch in name):
        return "no letters"
    if _POSSESSIVE.search(name):
        return "possessive ending"
    words = _words(name)
    if words and all(w.lower().strip(".:,") in PAGE_WORDS for w in words):
        return "a word of the page, not a name"
    if type_ in ("person", "organization") and len(words) > _LONG:
        return "too long for a name"
    if type_ == "person":
        if all(w.lower().rstrip(".") in titles().words for w in words):
            return "a title, not a name"
        if any(w[:1].islower() and w.lower() not in NAME_PARTICLES for w in words):
            return "lower-case word in a person's name"
    return None
