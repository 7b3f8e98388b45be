"""Speaker names as the corpus sees them: titles split off, a type guessed, a resolution key.

Pure functions, no database: the corpus resolver (:mod:`saidwho.store.speakers`) decides with
them whether two mentions in different articles are the same speaker.

Keys (the corpus identity of a mention before any heuristics):

* ``p:<first> <last>`` a person with a full name (middle names/initials ignored, nicknames
  folded: "Joe" and "Joseph" give the same key);
* ``s:<last>`` a person known only by a surname ("Biden"): resolved by the corpus heuristics;
* ``o:<name>`` an organisation ("Apple", "the White House");
* ``v:<article>:<name>`` a vague source (anonymous or a group: "officials", "a spokesperson"):
  never merged across articles, two "officials" of two stories are not the same people.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: Words that make up a role or title in front of a name ("Secretary of State Antony Blinken").
ROLE_WORDS = frozenset(
    """
    president vice prime minister premier chancellor senator sen representative rep congressman
    congresswoman governor gov mayor secretary deputy assistant undersecretary minister attorney
    general judge justice chief gen general colonel col lieutenant lt sergeant sgt captain capt
    commander admiral adm major maj officer detective inspector superintendent constable sheriff
    professor prof doctor dr ceo cfo coo cto chairman chairwoman chair chairperson director
    executive founder king queen prince princess pope cardinal archbishop bishop rev reverend
    father rabbi imam ambassador envoy commissioner speaker leader majority minority whip spokesman
    spokeswoman spokesperson coach manager striker goalkeeper editor economist analyst senior
    former acting interim state defense defence homeland security foreign affairs finance health
    treasury interior house senate federal reserve white press national labor labour education
    justice energy transportation commerce agriculture home office exchequer party council city
    county district state's us u.s. uk eu un nato fbi cia nsa
    """.split()
)

#: Honorifics: dropped, carry no role.
HONORIFICS = frozenset("mr mrs ms miss mx sir dame lord lady madam monsieur herr".split())

#: Joining words inside a title ("Secretary of State").
TITLE_JOINERS = frozenset("of the for and on at to".split())

#: Name particles that belong to the surname ("Ursula von der Leyen").
PARTICLES = frozenset("von van der den de del della di da dos du la le al el bin ibn ben ter".split())

#: Generational suffixes, ignored for identity.
SUFFIXES = frozenset("jr sr ii iii iv".split())

#: Words that mark an organisation.
ORG_WORDS = frozenset(
    """
    inc corp corporation co company companies ltd llc plc group ministry department agency
    university college institute association union party council committee commission court
    police bank office service services authority board bureau foundation federation league
    club network news times post journal reuters ap afp press government administration army
    navy force forces parliament congress senate house kremlin pentagon fund organization
    organisation center centre hospital school church team
    """.split()
)

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

#: Abbreviated titles, spelled out in roles.
ROLE_ABBREVIATIONS = {
    "sen": "senator", "rep": "representative", "gov": "governor", "gen": "general",
    "dr": "doctor", "prof": "professor", "capt": "captain", "col": "colonel",
    "lt": "lieutenant", "sgt": "sergeant", "adm": "admiral", "maj": "major", "rev": "reverend",
}

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


def analyse_name(name: str, role: str | None = None, type: str = "unknown") -> NameInfo:
    """Split a mention's name into title, clean name and identity parts."""
    role = normalise_role(role)
    raw = " ".join((name or "").split())
    toks = _TOKEN.findall(raw)
    toks = [_POSSESSIVE.sub("", t).rstrip(",") for t in toks]
    toks = [t for t in toks if t]
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

    # organisation: "the X", or an organisation word in it
    if given_type == "organization" or (
        given_type == "unknown" and (low[0] == "the" or low[-1].rstrip(".") in ORG_WORDS)
    ):
        words = [t for t, w in zip(toks, low) if w != "the"] or toks
        clean = " ".join(words)
        return NameInfo(raw, clean, role, "organization", None, None, "o:" + fold(clean))

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
    clean = " ".join(name_toks)
    out_role = role or found_role
    if not name_low:
        return NameInfo(raw, clean, out_role, given_type, None, None, "o:" + fold(clean))
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
