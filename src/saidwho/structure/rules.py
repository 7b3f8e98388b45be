"""The layout rules of plain text, as data: which lines are bylines, captions, teasers …

Each rule is conservative: it names clutter only where a news paragraph would not look like
that, so a real body paragraph is never taken for clutter. A rule matches one line (stripped of
surrounding white space); ``max_words`` bounds the line's length, and ``prose`` says whether
the rule still holds when the line ends like a sentence (".", "!" or "?", perhaps before a
closing quotation mark), which a teaser or a byline seldom does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class LineRule:
    """Lines matching ``pattern`` (searched, case-insensitive unless ``case``) are ``kind``."""

    kind: str
    pattern: re.Pattern[str]
    max_words: int
    prose: bool = False  # True: the line may end like a sentence and still match
    weak: bool = False  # True: the text's first line is its headline even if it matches


def _rule(kind: str, pattern: str, max_words: int, prose: bool = False, case: bool = False, weak: bool = False) -> LineRule:
    return LineRule(kind, re.compile(pattern, 0 if case else re.IGNORECASE), max_words, prose, weak)


_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_LABELS = (
    r"read|read more|read also|also read|related|related coverage|related stories|more|more from|see also|"
    r"watch|watch now|listen|gallery|photos|video|videos|analysis|opinion|explainer|podcast|live|live updates|"
    r"recommended|trending|most read|popular|don.t miss|editor.s picks?|sponsored|advertisement|breaking|"
    r"latest|top stories|more on this story|more coverage"
)

#: In order: the first rule that matches a line gives its kind.
LINE_RULES: tuple[LineRule, ...] = (
    # share bars, newsletters, copyright, cookie and paywall notices
    _rule("boilerplate", r"^(share|share this( article| story| page)?|share on \w+|tweet|email|e-mail|print|copy link|"
          r"comments?|advertisement|ad|skip advertisement|story continues below( advertisement)?|"
          r"continue reading( below)?|scroll to continue)\W*$", 6),
    _rule("boilerplate", r"(©|\(c\)\s*\d{4}|\bcopyright\s*(©\s*)?\d{4}|\ball rights reserved\b)", 40, prose=True),
    _rule("boilerplate", r"\b(sign up|subscribe)\b.{0,80}\b(newsletters?|inbox|e-?mails?|alerts)\b", 40, prose=True),
    _rule("boilerplate", r"\b(delivered|straight|direct(ly)?) to your inbox\b|\bsign up (here|now|today)\b", 40, prose=True),
    _rule("boilerplate", r"\b(we|this (web)?site|our (web)?site) uses? cookies\b", 80, prose=True),
    _rule("boilerplate", r"^(follow us|like us|join us|find us) on\b", 20, prose=True),
    _rule("boilerplate", r"^(click here|use the comment form|to view the full story|to continue reading|join now or renew|"
          r"if you.re (seeing this message|already a subscriber)|already a subscriber|this content is (only )?available)",
          80, prose=True),
    # captions and picture credits
    _rule("caption", r"\((ap|afp|reuters|getty|epa|pa|ians|ani|upi|file|[\w.'’ ]{1,30})?\s*(photos?|images?|file photo|pictures?)\b[^()]*\)\W*$",
          80, prose=True),
    _rule("caption", r"^(photograph|photo|photos|image|images|image caption|media caption|image source|picture|pictured|"
          r"credit|caption|file photo|photo credit)\s*:", 80, prose=True),
    _rule("caption", r"\b(photos?|photograph|images?|pictures?|credit)\s*:\s*[^.!?:]{1,60}$", 80, prose=True),
    _rule("caption", r"^(photos?|images?|pictures?|video) (by|courtesy|credit)\b", 20, prose=True),
    _rule("caption", r"^(image caption|media caption|image source|image copyright|getty images)\b", 80, prose=True),
    _rule("caption", r"(\bgetty images|\bshutterstock|\bistock(photo)?|\bap photo\b|\breuters/)\W*$", 15, prose=True),
    # a credit closing a caption: "… on Friday. (AFP/Getty Images/Jane Doe)", "… Tom Alvarez/Bloomberg"
    _rule("caption", r"\((ap|afp|epa|upi|reuters|getty images|bloomberg|pa|xinhua|[\w.'’ ]{0,30}photo[\w ]*)/[^()]{1,60}\)\W*$",
          80, prose=True),
    _rule("caption", r"[.!?][\"”’)]?\s+[A-Z][\w.'’\-]*(\s+[A-Z][\w.'’\-]*){0,3}\s*/\s*"
          r"(AP|AFP|EPA|UPI|Reuters|Bloomberg|Getty Images|[A-Z][\w]*( [A-Z][\w]*)? (via )?Getty Images|[A-Z][\w]* Images)$",
          80, prose=True, case=True),
    _rule("caption", r"\b(via getty images|/getty images|/shutterstock)$", 80, prose=True),
    # bylines, datelines of publication, contributor notes
    _rule("byline", r"^By\s+[A-Z][\w'’.\-]*\b", 12, case=True),
    _rule("byline", r"^BY\s+\w", 12, case=True),
    _rule("byline", r"^(updated|published|posted|last updated|latest update|first published|last modified)\b", 15),
    _rule("byline", r"^((mon|tues?|wed(nes)?|thu(rs)?|fri|sat(ur)?|sun)(day)?,?\s+)?" + _MONTH + r"\s+\d{1,2}(st|nd|rd|th)?,?\s+\d{4}\b", 10),
    _rule("byline", r"^\d{1,2}\s+" + _MONTH + r",?\s+\d{4}\b", 10),
    _rule("byline", r"^\d{4}-\d{2}-\d{2}\b", 6),
    _rule("byline", r"\b(staff (reporter|writer)|correspondent|contributing (writer|editor)|senior (reporter|writer|editor)|"
          r"news editor|reporter|columnist)$", 6),
    _rule("byline", r"^\S+@\S+\.\w+$", 1),
    _rule("byline", r"\bcontributed (reporting|to this (report|story|article))\W*$", 20, prose=True),
    _rule("byline", r"^(additional )?reporting by\b", 20, prose=True),
    # teasers: links to other stories, galleries, videos
    _rule("teaser", r"^\[?\s*(" + _LABELS + r")\b[^:\]\n]{0,30}(:|\])", 25),
    _rule("teaser", r"^\[[^\]]+\]$", 25),
    _rule("teaser", r"\b\d+\s+(photos|images|pictures|videos|slides)$", 15),
    # "A SIMPLE GUIDE: How do I protect myself?" - a label in capitals
    _rule("teaser", r"^[A-Z][A-Z0-9'’&\- ]{1,30}:\s+\S", 15, case=True, weak=True),
    # "Analysis: Jon Sopel, BBC News" - a short label and a short phrase, not a sentence
    _rule("teaser", r"^[A-Z][\w'’&\-]*(\s+[\w'’&\-]+){0,3}:\s+\S+(\s+\S+){0,9}$", 14, case=True, weak=True),
)

#: A bullet that opens a list item.
BULLET = re.compile(r"^[•●▪◦‣∙·*]\s+|^-\s+(?=\S)|^\d{1,2}[.)]\s+(?=[A-Z])")
#: A line opened by a dash is the attribution line of a quotation ("― Dana Whitlock"), not a heading.
DASH_LINE = re.compile(r"^(\u2015|\u2014|\u2013|--)\s*\S")

#: A dateline at the start of a body paragraph: "LONDON — ", "HOUSTON, Texas (KTRK) -- ",
#: "HEMPSTEAD, N.Y., Sept. 26 (UPI) — ", "(AP) — ", "Kaieteur News – ".
_DASH = r"(?:\s*(?:\u2014|\u2013|\u2015|--)\s*|\s+-\s+)"
DATELINES: tuple[re.Pattern[str], ...] = (
    re.compile(
        r"[A-Z][A-Z'’.\-]+(?:\s+[A-Z][A-Z'’.\-]+){0,2}"  # a place in capitals
        r"(?:,\s*[A-Z][A-Za-z'’.\-]*(?:\s+[A-Z0-9][A-Za-z0-9'’.\-]*)*)*,?"  # ", Texas", ", N.Y., Sept. 26"
        r"(?:\s*\([^()\n]{1,30}\))?"  # "(AP)"
        + _DASH
    ),
    re.compile(r"\([A-Z][^()\n]{0,30}\)" + _DASH),
    re.compile(r"[A-Z][\w.'’]*(?:\s+[A-Z][\w.'’]*){0,3}\s+News" + _DASH),
)
#: What may follow a dateline: the paragraph's first word or an opening quotation mark.
DATELINE_NEXT = re.compile(r"[A-Z0-9“\"‘'«]")
DATELINE_MAX = 70

#: A line ends like a sentence or a clause: a heading, a byline or a caption seldom does.
FINAL_PUNCT = re.compile(r"[.!?…:;,][\"'”’»)\]]*$")
SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")
#: A line that ends like a statement: a question ("A SIMPLE GUIDE: How do I protect myself?")
#: is how teasers and headings end too.
STATEMENT_END = re.compile(r"[.!…][\"'”’»)\]]*$")

#: A heading is at most this long (words / characters); a headline (the text's first line) longer.
HEADING_WORDS, HEADING_CHARS = 14, 110
HEADLINE_WORDS, HEADLINE_CHARS = 25, 200
