"""Speaker names as the corpus sees them: titles split off, a type guessed, a resolution key.

Pure functions, no database: the corpus resolver (:mod:`saidwho.store.speakers`) decides with
them whether two mentions in different articles are the same speaker.

Keys (the corpus identity of a mention before any heuristics):

* ``p:<first> <last>`` a person with a full name (middle names/initials ignored, nicknames
  folded: "Joe" and "Joseph" give the same key);
* ``s:<last>`` a person known only by a surname ("Biden"): resolved by the corpus heuristics;
* ``o:<name>`` an organisation ("Apple", "the White House");
* ``v:<article>:<name>`` anything that is not a capitalised proper name, never merged across
  articles: a vague source (anonymous or a group: "officials", "a spokesperson"; two stories'
  "officials" are not the same people) and a description ("He", "Her deputy", "the campaign",
  "the minister"). A wrong speaker is worse than a missing one.

Keys drop a possessive "'s" for matching ("Children's Hospital" is ``o:children hospital``);
the clean name shown keeps it. The title, honorific and organisation words are those of
``data/titles.txt`` and ``data/org_words.txt``, which the engine's speaker resolution reads.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..lexicon import wordlist


def _entries(name: str, flag: str | None = None) -> frozenset[str]:
    """The words of ``data/<name>.txt`` (first field of each line, trailing dot dropped), those
    with ``flag`` only when given: the lists the engine's speaker resolution reads too."""
    out = set()
    for line in wordlist(name):
        w, *flags = line.split()
        if flag is None or flag in flags:
            out.add(w.rstrip("."))
    return frozenset(out)


#: Abbreviated titles, spelled out in roles.
ROLE_ABBREVIATIONS = {
    "sen": "senator", "rep": "representative", "gov": "governor", "gen": "general",
    "dr": "doctor", "prof": "professor", "capt": "captain", "col": "colonel",
    "lt": "lieutenant", "sgt": "sergeant", "adm": "admiral", "maj": "major", "rev": "reverend",
}

#: Honorifics (``data/titles.txt``, flag ``honorific``): dropped, carry no role. "Dr.", "Rev."
#: and "Prof." are kept as roles (doctor, reverend, professor).
HONORIFICS = (_entries("titles", "honorific") - frozenset(ROLE_ABBREVIATIONS)) | frozenset({"monsieur", "herr"})

#: Titles proper (``data/titles.txt``): what a person is ("mayor", "spokeswoman").
TITLES = _entries("titles") - HONORIFICS

#: Words of an office that are not titles themselves, met inside a role ("Secretary of State",
#: "former Homeland Security Secretary", "U.S. Attorney General").
OFFICE_WORDS = frozenset(
    """
    adm maj cto undersecretary former senior acting interim majority minority whip state state's
    defense defence homeland security foreign affairs finance health treasury interior house
    senate federal reserve white press national labor labour education energy transportation
    commerce agriculture home office exchequer party council city county district us u.s. uk eu
    un nato fbi cia nsa
    """.split()
)

#: Words that make up a role or title in front of a name ("Secretary of State Antony Blinken").
ROLE_WORDS = TITLES | OFFICE_WORDS

#: Joining words inside a title ("Secretary of State").
TITLE_JOINERS = frozenset("of the for and on at to".split())

#: Name particles that belong to the surname ("Ursula von der Leyen").
PARTICLES = frozenset("von van der den de del della di da dos du la le al el bin ibn ben ter".split())

#: Generational suffixes, ignored for identity.
SUFFIXES = frozenset("jr sr ii iii iv".split())

#: Words that mark an organisation (``data/org_words.txt``, and news agencies).
ORG_WORDS = _entries("org_words") | frozenset("reuters ap afp church team force forces".split())

#: Common nouns that stand for a company ("the carmaker"): a description, not a name.
BUSINESS_WORDS = _entries("org_words", "business")

#: Pronouns (``data/pronouns.txt``): "He", "Her deputy" name nobody outside their article.
PRONOUNS = _entries("pronouns")

#: Determiners in front of a description ("the company", "this ministry").
DETERMINERS = frozenset("the this that these those".split())

#: Determiners and quantifiers that open a vague source ("a spokesperson", "some analysts").
VAGUE_OPENERS = frozenset(
    """
    a an some several many most few other others two three four five six seven eight nine ten
    one dozens hundreds thousands numerous various unnamed anonymous senior top
    """.split()
)

#: Nouns that, alone and capitalised at a sentence start, are still vague ("Critics say...").
VAGUE_HEADS = frozenset(
    """
    officials official critics critic sources source experts expert analysts analyst residents
    resident witnesses witness authorities observers investigators investigator police
    protesters protester scientists researchers economists lawmakers aides aide diplomats
    diplomat people others doctors activists supporters opponents workers employees
    spokesperson spokesman spokeswoman insiders insider officers prosecutors prosecutor
    neighbours neighbors locals voters democrats republicans organizers organisers
    """.split()
)

GROUP_OPENERS = frozenset(
    "some several many most few two three four five six seven eight nine ten dozens hundreds "
    "thousands numerous various others".split()
)

#: First-name variants folded together for the person key.
NICKNAMES = {
    "joe": "joseph", "bill": "william", "will": "william", "billy": "william", "bob": "robert",
    "rob": "robert", "bobby": "robert", "mike": "michael", "jim": "james", "jimmy": "james",
    "tom": "thomas", "tommy": "thomas", "dick": "richard", "rick": "richard", "rich": "richard",
    "chris": "christopher", "dan": "daniel", "danny": "daniel", "dave": "david", "ed": "edward",
    "ted": "edward", "tony": "anthony", "andy": "andrew", "alex": "alexander", "ben": "benjamin",
    "nick": "nicholas", "matt": "matthew", "pat": "patrick", "steve": "steven", "stephen": "steven",
    "sam": "samuel", "jon": "jonathan", "liz": "elizabeth", "beth": "elizabeth",
    "kate": "katherine", "katie": "katherine", "cathy": "katherine", "catherine": "katherine",
    "jen": "jennifer", "jenny": "jennifer", "sue": "susan", "peggy": "margaret",
    "maggie": "margaret", "chuck": "charles", "charlie": "charles", "larry": "lawrence",
    "jerry": "gerald", "don": "donald", "ron": "ronald", "ken": "kenneth", "greg": "gregory",
    "hank": "henry", "harry": "henry", "jack": "john", "johnny": "john", "fred": "frederick",
}

_TOKEN = re.compile(r"[^\W\d_][\w'’.\-]*|\d[\w.\-]*", re.UNICODE)
_POSSESSIVE = re.compile(r"['’]s$")


@dataclass(frozen=True)
class NameInfo:
    """What the corpus knows from one mention's name."""

    raw: str
    clean: str  # the name without titles and honorifics ("Joe Biden")
    role: str | None  # the title found in front of it, lower case ("president")
    type: str  # person / organization / group / anonymous / unknown
    first: str | None  # normalised first name of a person (nicknames folded)
    surname: str | None  # normalised surname of a person
    key: str  # corpus key, see the module doc (``v:`` keys get the article added by the caller)

    @property
    def full_person(self) -> bool:
        return self.type == "person" and self.first is not None and self.surname is not None

    @property
    def surname_only(self) -> bool:
        return self.type == "person" and self.first is None and self.surname is not None

    @property
    def vague(self) -> bool:
        return self.type in ("group", "anonymous")


def fold(s: str) -> str:
    """Lower case, accents removed, typographic quotes unified: for comparing names."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return s.replace("’", "'").lower().strip()


def _bare(tok: str) -> str:
    return fold(tok).strip(".,;:'\"()[]")


def _is_cap(tok: str) -> bool:
    return tok[:1].isupper() or tok[:1].isdigit()


def _is_initial(tok: str) -> bool:
    return bool(re.fullmatch(r"[A-Z]\.?", tok))


def normalise_role(role: str | None) -> str | None:
    """Title-only roles in lower case ("Mayor" -> "mayor"); others as given ("CEO of Apple")."""
    if not role or not role.strip():
        return None
    role = " ".join(role.split())
    words = [_bare(w).rstrip(".") for w in role.split()]
    if all(w in ROLE_WORDS or w in TITLE_JOINERS or w in ROLE_ABBREVIATIONS for w in words):
        return " ".join(ROLE_ABBREVIATIONS.get(w, w) for w in words)
    return role


def _is_pronoun(tok: str) -> bool:
    """"He", "her", "It", "I" (not "US", "IT": upper-case words are names)."""
    return tok == "I" or (_bare(tok) in PRONOUNS and not (len(tok) > 1 and tok.isupper()))


def is_description(toks: list[str], low: list[str]) -> bool:
    """Whether a name is a description rather than a proper name: it opens with a pronoun
    ("He", "Her deputy"), or, past its determiner and titles, has no word or a lower-case word
    ("the campaign", "the minister", "Biden aide") or only common nouns ("The Company")."""
    if not toks or _is_pronoun(toks[0]):
        return True
    i = 0
    while i < len(toks) and low[i] in DETERMINERS:
        i += 1
    # titles in front ("former President", "the harbour master"): lower-case words or titles
    while i < len(toks) - 1 and (
        low[i].rstrip(".") in ROLE_WORDS or low[i].rstrip(".") in HONORIFICS
        or low[i].rstrip(".") in ROLE_ABBREVIATIONS or not _is_cap(toks[i])
    ):
        i += 1
    rest = list(zip(toks[i:], low[i:]))
    if not rest:
        return True
    for t, w in rest:
        if not _is_cap(t) and w not in TITLE_JOINERS and w not in PARTICLES and w.rstrip(".") not in SUFFIXES:
            return True
    return all(w.rstrip(".") in BUSINESS_WORDS or w.rstrip(".") in TITLES or w in TITLE_JOINERS for _, w in rest)


def _guess_type(given: str, low: list[str]) -> str:
    if given != "unknown" or not low:
        return given
    if low[-1].rstrip(".") in ORG_WORDS:
        return "organization"
    if low[-1].rstrip(".") in TITLES:
        return "person"
    return "unknown"


def analyse_name(name: str, role: str | None = None, type: str = "unknown") -> NameInfo:
    """Split a mention's name into title, clean name and identity parts.

    Only proper names get corpus-wide keys; vague sources and descriptions ("He", "Her
    deputy", "the campaign") get article keys (``v:``). The clean name keeps the name as
    written ("McDonald's"); the keys drop a possessive "'s" for matching.
    """
    role = normalise_role(role)
    raw = " ".join((name or "").split())
    shown_all = [t.rstrip(",") for t in _TOKEN.findall(raw)]
    pairs = [(t, _POSSESSIVE.sub("", t)) for t in shown_all]
    pairs = [(t, k) for t, k in pairs if k]
    shown = [t for t, _ in pairs]  # as written, for display
    toks = [k for _, k in pairs]  # possessives dropped, for matching
    low = [_bare(t) for t in toks]
    given_type = type if type in ("person", "organization", "group", "anonymous") else "unknown"

    # vague: opens with a determiner/quantifier or is all lower case ("officials", "a source")
    if not toks:
        return NameInfo(raw, raw, role, "anonymous", None, None, "v:" + fold(raw))
    lead = []  # the words before "for"/"of"/"at"...: "a spokesperson" of "a spokesperson for Apple"
    for t, w in zip(toks, low):
        if w in TITLE_JOINERS and lead and w != "the":
            break
        lead.append((t, w))
    lead_words = [(t, w) for t, w in lead if w not in VAGUE_OPENERS and w != "the"]
    looks_vague = (
        not lead_words
        or all(not _is_cap(t) for t, _ in lead_words)
        or (len(lead_words) == 1 and lead_words[0][1] in VAGUE_HEADS)
        or (low[0] in VAGUE_OPENERS and low[0] not in ROLE_WORDS)
    )
    if given_type in ("group", "anonymous") or (given_type == "unknown" and looks_vague):
        vtype = given_type
        if vtype == "unknown":
            head = (lead_words or lead)[-1][1]
            vtype = "group" if (head.endswith("s") and not head.endswith("ss")) or head in (
                "police", "people",
            ) or low[0] in GROUP_OPENERS else "anonymous"
        return NameInfo(raw, raw, role, vtype, None, None, "v:" + " ".join(low))

    # a description ("He", "Her deputy", "the campaign"): nobody outside this article
    if is_description(toks, low):
        return NameInfo(raw, raw, role, _guess_type(given_type, low), None, None, "v:" + " ".join(low))

    # organisation: "the X", an organisation word in it, or a possessive brand ("McDonald's")
    if given_type == "organization" or (
        given_type == "unknown"
        and (low[0] == "the" or low[-1].rstrip(".") in ORG_WORDS or shown[-1] != toks[-1])
    ):
        keep = [k for k, w in enumerate(low) if w != "the"] or list(range(len(toks)))
        clean = " ".join(shown[k] for k in keep)
        return NameInfo(raw, clean, role, "organization", None, None, "o:" + fold(" ".join(toks[k] for k in keep)))

    # a person: title words in front, the name at the end
    i = 0
    title: list[str] = []
    while i < len(toks) - 1:
        w = low[i].rstrip(".")
        if w in HONORIFICS:
            i += 1
            continue
        if w in ROLE_WORDS or (w in TITLE_JOINERS and title) or not _is_cap(toks[i]):
            title.append(ROLE_ABBREVIATIONS.get(w, w))
            i += 1
            continue
        break
    name_toks = toks[i:]
    name_low = [w for w in low[i:] if w.rstrip(".") not in SUFFIXES]
    while title and title[-1] in TITLE_JOINERS:
        title.pop()
    found_role = " ".join(title) or None
    clean = " ".join(shown[i:])
    out_role = role or found_role
    if not name_low:
        return NameInfo(raw, clean, out_role, given_type, None, None, "o:" + fold(" ".join(name_toks)))
    # surname: the last word with its particles ("von der Leyen")
    j = len(name_low) - 1
    while j > 0 and name_low[j - 1] in PARTICLES:
        j -= 1
    surname = " ".join(name_low[j:])
    firsts = [w for w, t in zip(name_low[:j], name_toks[:j]) if not _is_initial(t) and w not in PARTICLES]
    first = firsts[0].rstrip(".") if firsts else None
    if first is not None:
        first = NICKNAMES.get(first, first)
        key = f"p:{first} {surname}"
    else:
        key = f"s:{surname}"
    return NameInfo(raw, clean, out_role, "person", first, surname, key)


def roles_compatible(a: str | None, b: str | None) -> bool:
    """Two roles can belong to one person: equal, or one contains the other's head word."""
    if not a or not b:
        return True
    fa, fb = fold(a), fold(b)
    if fa == fb or fa in fb or fb in fa:
        return True
    ha, hb = fa.split()[-1], fb.split()[-1]
    return ha == hb
