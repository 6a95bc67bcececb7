"""The names and subjects a question may hold: proper nouns, places of several words, everyday names for bodies,
counties and their towns, the field's subjects (names.txt, places.txt, topics.txt, counties.txt), and the
helpers that find capitalised names in a text."""

from __future__ import annotations

import re
from pathlib import Path

from ingest.lexical import tokenize

from .acronyms import SMALL_WORDS
from .synonyms import alternatives

MONTHS = "january february march april may june july august september october november december".split()
DAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
# Words that number an item ("Scope 1", "phase 2"): their numbers count nothing, and they name nothing.
LABEL_WORDS = "scope phase level tier stage step version wave round part".split()
# Proper nouns of English (places, peoples, bodies, first names) from the SCOWL British English word list, lowercased:
# a question typed in lower case ("what is wales doing?") names them without a capital letter.
NAMES = frozenset(line.strip() for line in Path(__file__).with_name("names.txt").read_text(encoding="utf-8").splitlines()
                  if line.strip() and not line.startswith("#"))
# Places of several words ("lake district"), lower-cased; see the file's header.
PLACES = tuple(line.strip() for line in Path(__file__).with_name("places.txt").read_text(encoding="utf-8").splitlines()
               if line.strip() and not line.startswith("#"))
# Acronyms that are everyday words (roles, things), not names: "where GPs prescribe social activity".
COMMON_ACRONYMS = frozenset("GP MP CEO CTO CDO CFO COO HR IT PC TV FAQ PDF URL ID".split())
# Everyday names for bodies the guidance names formally: "City Hall" is the Mayor of London, "Whitehall" central
# government. Replaced before the names are looked up.
ALIASES = {"city hall": "the Mayor", "whitehall": "central government", "westminster": "central government",
           "downing street": "the government", "number 10": "the government", "no 10": "the government",
           "uni": "university", "the met": "the police", "west mids": "West Midlands", "govt": "government",
           # well-known people and nicknames of places the guidance names otherwise
           "brum": "West Midlands", "merseyside": "Liverpool", "andy burnham": "the Greater Manchester mayor",
           "sadiq khan": "the Mayor of London", "holyrood": "the Scottish Government"}
_ALIAS = re.compile(r"\b(" + "|".join(re.escape(a) for a in ALIASES) + r")\b", re.IGNORECASE)


def unaliased(question: str) -> str:
    """The question with everyday names replaced by the guidance's ("City Hall" -> "the Mayor")."""
    return _ALIAS.sub(lambda m: ALIASES[m.group(0).lower()], question)

# Subjects of the field ("cyber", "cloud", "council tax"), lower-cased; see the file's header.
TOPICS = tuple((line.strip(), tuple(tokenize(line))) for line in Path(__file__).with_name("topics.txt")
               .read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#"))
# A people's adjective names its place: "the Cornish one" is known when the guidance mentions Cornwall ("Kernow",
# Cornwall in Cornish, too).
DEMONYMS = {"cornish": "cornwall", "welsh": "wales", "scottish": "scotland", "scots": "scotland", "irish": "ireland",
            "english": "england", "british": "britain", "mancunian": "manchester", "manc": "manchester", "liverpudlian": "liverpool",
            "scouse": "liverpool", "geordie": "newcastle", "brummie": "west midlands", "londoner": "london",
            "londoners": "london", "glaswegian": "glasgow", "cumbrian": "cumbria", "devonian": "devon",
            "yorkshireman": "yorkshire", "northumbrian": "northumberland", "kentish": "kent", "kernow": "cornwall"}
WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’]*")
COUNTIES = Path(__file__).with_name("counties.txt")
# Words of any question about the guidance: they say nothing of what it is about.
GENERIC_TERMS = frozenset(tokenize("Socitm council councils local prospectus guidance say says mention document "
                                   "much many long often year date time ballpark roughly approximately nowadays currently"))


def county_towns(question: str) -> dict[str, frozenset[str]]:
    """{term of a county or nickname in `question`: the terms of the guidance's towns there} (counties.txt)."""
    return alternatives(question, COUNTIES)


def plain_text(text: str) -> str:
    """The text's words, lower-cased and single-spaced, for phrase look-ups."""
    return " ".join(WORD_RE.findall(text.lower()))


def says_phrase(plain: str, phrase: str) -> bool:
    """Does `plain` (see plain_text) hold `phrase` as whole words?"""
    return bool(re.search(rf"\b{re.escape(phrase)}\b", plain))


def name_groups(text: str) -> list[str]:
    """Runs of capitalised words holding a name that does not open a sentence ("Socitm Advisory", "Mosaic")."""
    bare = [re.sub(r"['’]s?$", "", w) for w in WORD_RE.findall(text)]
    found = set(capitalised_names(text)) | {w for w in bare if w.lower() in NAMES}  # "Hampshire’s plan ..." opens a sentence
    groups: list[list[str]] = []
    last, end = -2, 0
    for i, m in enumerate(WORD_RE.finditer(text)):
        joined = i == last + 1 and not text[end:m.start()].strip(" -")  # "Bristol City Council, Ameresco": two names
        end = m.end()
        if m.group(0)[:1].isupper():
            if joined:
                groups[-1].append(re.sub(r"['’]s?$", "", m.group(0)))
            else:
                groups.append([re.sub(r"['’]s?$", "", m.group(0))])
            last = i
    return [" ".join(g) for g in groups if found & set(g)]


def capitalised_names(question: str) -> list[str]:
    """Capitalised words of the question that do not open a sentence ("London", "LCIOC")."""
    out = []
    for i, m in enumerate(WORD_RE.finditer(question)):
        opener = i == 0 or question[max(0, m.start() - 2):m.start()].strip() in {".", "?", "!", ":", "-", "•"}
        if m.group(0)[:1].isupper() and not opener:
            out.append(re.sub(r"['’]s?$", "", m.group(0)))
    return out


def spelt_out(acronym: str, text: str) -> bool:
    """Do consecutive words of `text` (small words skipped) start with the acronym's letters?"""
    words = [w for w in re.findall(r"[A-Za-z]+", text) if w.lower() not in SMALL_WORDS]
    initials = "".join(w[0].upper() for w in words)
    return len(acronym) >= 2 and acronym.upper() in initials
