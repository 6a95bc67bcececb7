"""Is the evidence strong enough to answer? Signals and the decision, calibrated in CALIBRATION.md.

Three signals make one confidence in [0, 1]: the best chunk's dense cosine, the best sentence's cosine and
how much of the question's (IDF-weighted) vocabulary the top chunks contain. Two checks can overrule it:
a name in the question that the guidance never mentions ("Wales", "GDPR") or a subject of the field it never
covers ("ransomware", "council tax"), and a question that asks for a
kind of fact (an amount, a number, a date, a named office-holder) that none of the best sentences holds.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ingest.lexical import BM25Index, tokenize

from .extractive import Unit
from .guard import redact
from .kinds import MASS_Q, counts_noun, holds
from .lexicon import (
    COMMON_ACRONYMS,
    DEMONYMS,
    GENERIC_TERMS,
    LABEL_WORDS,
    MONTHS,
    NAMES,
    PLACES,
    TOPICS,
    WORD_RE,
    capitalised_names,
    county_towns,
    name_groups,
    plain_text,
    says_phrase,
    spelt_out,
    unaliased,
)
from .synonyms import alternatives

# confidence = DENSE * best chunk cosine + SENTENCE * best sentence cosine + COVERAGE * term coverage
WEIGHTS = {"dense": 0.4, "sentence": 0.4, "coverage": 0.2}

# Job titles that are acronyms: a name only as part of one ("the Local CIO Council", not "new CIO here").
_JOB_ACRONYMS = frozenset("CIO CISO SIRO DPO CDIO".split())


@dataclass
class Signals:
    dense: float = 0.0  # best cosine between the search query and a candidate chunk
    sentence: float = 0.0  # best cosine between the question and a candidate sentence
    coverage: float = 0.0  # IDF-weighted share of question terms found in the top chunks
    unknown_names: list[str] = field(default_factory=list)  # names and subjects the guidance never mentions
    wanted: str = ""  # the kinds of fact the question asks for (money, count, date, role, ...), comma-joined
    found: Unit | None = None  # the best sentence holding the first of them, if any
    missing: str = ""  # a kind of fact asked for that no retrieved passage gives
    doubt: float = 0.0  # the learned check's probability that the question is out of scope (doubt.py)
    doubt_limit: float = 1.0  # ... above which it declines (1.0: no model, or not one for these passages)

    @property
    def confidence(self) -> float:
        return (WEIGHTS["dense"] * self.dense + WEIGHTS["sentence"] * self.sentence
                + WEIGHTS["coverage"] * self.coverage)

    def decline_reason(self, threshold: float) -> str:
        """Why the question should be declined, or "" when it can be answered."""
        if self.unknown_names:
            return f"names or subjects not in the guidance: {', '.join(self.unknown_names)}"
        if self.missing:
            return f"asks for a {self.missing} that no passage gives"
        if self.confidence < threshold:
            return f"confidence {self.confidence:.3f} below {threshold:.3f}"
        if self.doubt > self.doubt_limit:
            return f"the learned check doubts it is covered ({self.doubt:.3f} above {self.doubt_limit:.3f})"
        return ""


def unknown_names(question: str, bm25: BM25Index, evidence: str, kept: Sequence[str] = ()) -> list[str]:
    """Names in the question that appear nowhere in the index: capitalised words and acronyms (not sentence
    openers), and known proper nouns however they are typed ("wales"); with them the places of several words and
    the subjects of the field (TOPICS) that the guidance does not cover.

    An acronym counts as known when the evidence spells it out ("AI" for "artificial intelligence"); a county when
    the evidence, or any passage `kept` for the answer, names its town ("Staffordshire": Lichfield).
    """
    # "jane.doe@council.gov.uk" is contact data, not a name to look up (nor its placeholder a subject)
    question = re.sub(r"\[\w[\w ]*\]", " ", redact(question))
    question = unaliased(question)
    towns = county_towns(question)
    said = set(tokenize(" ".join([evidence, *kept]))) if towns else set()  # only when a county is named
    places = [p for p in unknown_places(question, bm25, evidence)  # "west yorkshire" with Leeds
              if not all(towns.get(t, frozenset()) & said for t in tokenize(p))]
    out = places + unknown_topics(question, bm25, evidence) + unknown_bodies(question, evidence) \
        + unknown_labels(question, evidence)
    capitalised = set(capitalised_names(question))
    for m in WORD_RE.finditer(question):
        word = re.sub(r"['’]s?$", "", m.group(0))
        if word not in capitalised and word.lower() not in NAMES:
            continue  # a capitalised word that does not open a sentence, or a proper noun typed in lower case
        if word.rstrip("s") in COMMON_ACRONYMS:
            continue  # "GPs", "the CEO": everyday words, not names of something the guidance should know
        terms = tokenize(word) + tokenize(DEMONYMS.get(word.lower(), ""))
        if not terms or any(t in bm25.vocab for t in terms):
            continue
        if any(towns.get(t, frozenset()) & said for t in terms):
            continue  # a county whose town the passages name: "Staffordshire" with Lichfield
        if word.rstrip("s").isupper() and spelt_out(word.rstrip("s"), evidence):
            continue
        out.append(word)
    return out


_LABELLED = re.compile(rf"\b({'|'.join(LABEL_WORDS)}) (\d{{1,2}})\b", re.IGNORECASE)
_ISSUE = re.compile(r"\b([A-Za-z]+) (0\d)\b")  # "Mission Critical 02": a number with a leading zero is an issue's


def unknown_labels(question: str, evidence: str) -> list[str]:
    """Numbered items ("Scope 3 emissions", "phase 2") that the retrieved passages do not name: guidance on
    Scope 1 and Scope 2 says nothing about Scope 3; nor guidance on "Mission Critical 01" about issue 02."""
    return [m.group(0) for m in itertools.chain(_LABELLED.finditer(question), _ISSUE.finditer(question))
            if not re.search(rf"\b{m.group(1)}[ -]?{m.group(2)}\b", evidence, re.IGNORECASE)]


def unknown_places(question: str, bm25: BM25Index, evidence: str) -> list[str]:
    """Places of several words in the question ("the lake district") that the guidance does not name: one of
    their words is not in the index, or the retrieved passages, which would hold them if it did, do not."""
    words, said = plain_text(question), plain_text(evidence)
    out = []
    for place in PLACES:
        phrase = plain_text(place)
        if not says_phrase(words, phrase):
            continue
        if any(t not in bm25.vocab for t in tokenize(phrase)) or not says_phrase(said, phrase):
            out.append(place)
    return out


# Last words of the names of bodies, laws and schemes: "the Online Safety Act", "the Local Government Association".
_BODY_WORDS = frozenset("association act bill agency commission fund programme strategy plan institute foundation "
                        "framework standard charter regulations alliance federation catapult declaration pledge "
                        "compact accord covenant manifesto".split())


def unknown_bodies(question: str, evidence: str) -> list[str]:
    """Named bodies, laws and schemes of several capitalised words ("the Online Safety Act") that the retrieved
    passages, which would hold the name if the guidance mentioned it, do not name."""
    said = plain_text(evidence)
    out = []
    for group in name_groups(question):
        phrase = plain_text(group)
        if " " in phrase and phrase.rsplit(" ", 1)[1] in _BODY_WORDS and not says_phrase(said, phrase):
            out.append(group)
    return out


def unknown_topics(question: str, bm25: BM25Index, evidence: str) -> list[str]:
    """Subjects of the field in the question (TOPICS: "ransomware", "data protection") that the guidance
    does not cover: one of their terms is not in the index, or, for several words, the retrieved passages
    do not hold them together."""
    asked, said = tokenize(question), tokenize(evidence)
    out = []
    for name, topic in TOPICS:
        if not topic or not _holds_run(asked, topic):
            continue
        if any(t not in bm25.vocab for t in topic) or (len(topic) > 1 and not _holds_run(said, topic)):
            out.append(name)
    return out


def _holds_run(terms: list[str], run: tuple[str, ...]) -> bool:
    """Is `run` a consecutive stretch of `terms`?"""
    n = len(run)
    return any(tuple(terms[i:i + n]) == run for i in range(len(terms) - n + 1))


def term_weights(text: str, bm25: BM25Index) -> dict[str, float]:
    """The text's terms weighted by IDF; terms the index has never seen weigh the most."""
    top = float(bm25.idf.max()) if len(bm25.idf) else 1.0
    return {t: float(bm25.idf[bm25.vocab[t]]) if t in bm25.vocab else top for t in dict.fromkeys(tokenize(text))}


def coverage(question: str, bm25: BM25Index, texts: list[str]) -> float:
    """IDF-weighted share of the question's terms present in `texts` (a term or the guidance's word for it)."""
    return _share(term_weights(question, bm25), set(tokenize(" ".join(texts))), alternatives(question))


def _share(weights: dict[str, float], present: set[str], alts: dict[str, frozenset[str]] | None = None) -> float:
    """The weighted share of the terms that are present, or one of their `alts` is (0 when there are none)."""
    total = sum(weights.values())
    alts = alts or {}
    return sum(w for t, w in weights.items() if t in present or alts.get(t, _NONE) & present) / total if total else 0.0


_NONE: frozenset[str] = frozenset()


# Words that say which kind of fact is wanted, not what it is about.
KIND_TERMS = frozenset(tokenize("cost costs fee fees price budget salary percentage percent proportion number total "
                                "when date year day month deadline who wrote written published chairs chair leads "
                                "runs funds pays paid list name all every first originally initially original ago"))
# Verbs that ask when something appeared ("when did it first come out?"), not what it is about.
_APPEARED = frozenset(tokenize("come came comes out released launched issued"))


# Share of the question's specific vocabulary (IDF-weighted) that a sentence giving the fact must speak to.
# Counts ask less (the number is often a sentence away from the thing counted, "Our 2,500+ members", and the
# counted noun is checked on its own); instructions ask more (a how-to sentence must be about that task); a
# length of time asks only for the question's names ("how long has Socitm been going? it's for a board paper":
# the words around the question are not what a "nearly 40 years" sentence is about).
FOCUS_DEFAULT = 0.3
# Facts a passage's heading may give: "University of Exeter Carbon Footprint Tool" names the university.
_HEADED = frozenset({"institution"})
FOCUS_MIN = {"count": 0.2, "howto": 0.5, "duration": 0.0, "product": 0.2, "location": 0.15, "contents": 0.2}
_COUNTED = re.compile(r"\bhow many ((?:[\w-]+ ){0,2}?[\w-]+?)(?= (?:do|does|did|are|is|were|was|will|would|can|could|have|has|"
                      r"had|of|in|on|at|for|from|to|sit|work|live)\b|\?|$)", re.IGNORECASE)


_OF_WHOSE = re.compile(r"\bhow many of (?:the|its|their|these|those|our|[\w-]+['’]s) ", re.IGNORECASE)
_FIRST_COUNTED = re.compile(r"\bhow many ((?:[\w'’-]+ ?){1,3})", re.IGNORECASE)
# Verbs that can follow "how many" directly: "how many got funding?" counts whatever the sentence is about.
_NOT_COUNTED = frozenset("got get gets received receive took take joined signed applied attended went came won "
                         "benefited benefitted belong belongs responded respond use used need needed did does do is are "
                         "was were has have had will would can could".split())  # "how many did it come up with?"
# Nouns that count the same things: "how many schemes" is answered by "43 projects".
_ALIKE = [frozenset(tokenize(g)) for g in (
    "scheme schemes project projects initiative initiatives programme programmes programs group groups",
    "people folk folks residents citizens individuals persons member members",
    "staff employees workers workforce",
    "homes houses households properties dwellings",
    "firms companies businesses organisations organizations",
    "mission missions goal goals objective objectives aim aims priority priorities target targets",
    "plan plans strategy strategies")]


# Words that ask rather than say what about: "what does Socitm mean by ...", "tell me about ...".
ASKING_TERMS = frozenset(tokenize("mean means meant meaning define definition explain explained describe described "
                                  "tell say says said talk talks about idea concept term phrase"))


def subject_terms(question: str) -> set[str]:
    """The terms that say what a question is about: its terms without generic and asking words."""
    return set(tokenize(question)) - GENERIC_TERMS - ASKING_TERMS - KIND_TERMS


# "Fire service ICT lead here.", "I'm new to Socitm.", "As a county CIO,": who is asking, not what about.
_INTRODUCTION = re.compile(r"^\s*(?:[^.?!]{1,60}\bhere\s*[.!:,-]+|(?:i['’]?m|i am|we['’]?re|we are|i work|we work|"
                           r"just joined|new to)\b.{0,80}?[.!:-]+)\s+(?=\S)", re.IGNORECASE)


def without_introduction(question: str) -> str:
    """The question without an opening sentence that says who is asking ("New CIO here. How many ...")."""
    return _INTRODUCTION.sub("", question, count=1)


def typed_evidence(units: list[Unit], kind: str, detail: str, question: str, context: list[str],
                   bm25: BM25Index | None = None, asked: str | None = None) -> Unit | None:
    """The best sentence that holds the kind of fact asked for and speaks to what the question is about.

    "Speaks to" means that its words, with `context[u.rank]` (its chunk's heading), hold every capitalised
    name of the question, the counted noun of "how many X", and at least FOCUS_MIN of the question's specific
    terms by IDF weight ("when did the government announce its missions" needs more than "missions"). The
    names are those of `asked` when given (a follow-up's own words, searched with the earlier turn's topic);
    a county's town stands for the county (counties.txt: "the Staffordshire cathedral city" is Lichfield).
    """
    question = without_introduction(question)
    weights = term_weights(question, bm25) if bm25 is not None else {t: 1.0 for t in tokenize(question)}
    # a count's or a date's sentence is judged on the guidance's own words: "what day did socitm pick to write up its
    # thoughts on levelling up?" is about levelling up, whatever "pick" and "thoughts" say
    # (a date's, when the guidance has any of them: "when will the first students sit it?" has none)
    alts = alternatives(question)  # a kind word the thesaurus maps to a subject is one ("its numbers": data)
    towns = county_towns(asked or question)
    focus = {t: w for t, w in weights.items() if t not in GENERIC_TERMS and (t not in KIND_TERMS or t in alts)}
    if kind == "date":
        focus = {t: w for t, w in focus.items() if t not in _APPEARED}
    if kind in ("count", "date") and bm25 is not None:
        own = {t: w for t, w in focus.items() if t in bm25.vocab}
        focus = own if own or kind == "count" else focus
    # names come from what was asked: a follow-up's search query also carries the earlier turn's headings
    said = asked or question
    plain = unaliased(said)
    names = set(tokenize(" ".join(n for n in capitalised_names(plain) if not n.isupper()))) - GENERIC_TERMS
    # ... and proper nouns typed in lower case that the guidance uses ("when did cornwall declare ...?")
    if bm25 is not None:
        names |= {t for w in re.findall(r"\b[a-z]{5,}\b", plain) if w in NAMES and w not in MONTHS
                  for t in tokenize(w) if t in bm25.vocab} - GENERIC_TERMS
        lowered = plain_text(plain)  # ... and places of several words ("east riding")
        names |= {t for place in PLACES if says_phrase(lowered, plain_text(place)) for t in tokenize(place)
                  if t in bm25.vocab} - GENERIC_TERMS
    # "How many members sit on the LCIOC?": the acronym, or its words, where the fact is
    # (a job title only as part of a name: "the Local CIO Council", not "new CIO here")
    acronyms = {a for n in capitalised_names(said) if n.isupper() and (a := n.rstrip("S")) not in COMMON_ACRONYMS
                and (a not in _JOB_ACRONYMS or re.search(rf"[A-Z]\w* {n}\b|\b{n} [A-Z]", said))}
    counting = _OF_WHOSE.sub("how many ", question)  # "how many of Whitehall's goals": of goals
    m = _COUNTED.search(counting) if kind in ("count", "then") else None  # "then": a count at a time
    words = list(itertools.takewhile(lambda w: w.lower() not in _NOT_COUNTED, m.group(1).split())) if m else []
    head = True  # the counted noun is the last word ("how many knife crime incidents": incidents)
    if kind in ("count", "then") and not m and (first := _FIRST_COUNTED.search(counting)):
        # "how many councils formally signed up": the words before a verb or an adverb, any of them
        words = [w for w in itertools.takewhile(lambda w: w.lower() not in _NOT_COUNTED and not w.lower().endswith("ly"),
                                                first.group(1).split()) if not w[:1].isupper()]  # "UK adults": adults
        head = False
    if kind in ("count", "then") and (mass := MASS_Q.search(question)):  # "how much carbon will it save?": of carbon
        words = [mass.group(1)]
    # "how many homes": a number of homes, not any number; "how many knife crime incidents": of incidents
    # (not of knife crime); "how many schemes got money?": of schemes; "how many got funding?": of anything
    counted = set(tokenize(words[-1] if head else " ".join(words))) if words else set()
    counted |= {t for group in _ALIKE if counted & group for t in group}  # "how many schemes": "43 projects"
    spoken = alts | towns  # a question's term is spoken to by the guidance's word for it, or by a county's town
    # a look-alike of the counted noun ("five stated missions" for "how many national goals") speaks to the question
    # only when no sentence speaks to it in its own words ("the 12 missions that make up LU" for "how many missions")
    for lookalike in (False, True) if counted else (False,):
        for u in units:
            if not holds(u.text + (f" {context[u.rank]}" if kind in _HEADED else ""), kind, detail):
                continue
            present = set(tokenize(u.text + " " + context[u.rank]))
            present |= {t[:-1] for t in present if t.endswith("s")}  # "CSPs" speaks to "a CSP" (the stemmer keeps it)
            if lookalike and counted & present:
                present |= counted
            if any(n not in present and not towns.get(n, frozenset()) & present for n in names):
                continue  # a name, or its town ("Staffordshire": Lichfield), where the fact is
            if any(a.lower() not in present and not spelt_out(a, u.text + " " + context[u.rank]) for a in acronyms):
                continue  # "how much did the Croydon club get": a sentence about other places does not answer it
            if counted and not (counted & present and counts_noun(u.text, counted)):
                continue
            if not focus or _share(focus, present, spoken) >= FOCUS_MIN.get(kind, FOCUS_DEFAULT):
                return u
    return None


_SEGMENT = r"[\w’'&-]+(?: [\w’'&-]+){0,3}"
_INLINE = re.compile(rf"{_SEGMENT}(?:, {_SEGMENT})+,? (?:and|or) {_SEGMENT}|{_SEGMENT}(?:, {_SEGMENT}){{2,}}")


def _inline_items(text: str) -> int:
    """The most items a sentence lists inline, between commas ("Regeneration, Sustainability, Connectivity")."""
    return max((len(re.split(r",? (?:and|or) |, ", m.group(0))) for m in _INLINE.finditer(text)), default=0)


def listed(size: int, passages: list[str], inline: bool = True) -> bool:
    """Does one of the passages list at least `size` items (bullets, numbered lines or table rows; with `inline`,
    or between commas in a sentence)?"""
    return any(holds(p, "list", str(size)) or (inline and _inline_items(p) >= size) for p in passages)


_NUMBERED = re.compile(r"^\d{1,2}[.)]\s")
REST = re.compile(r"\b(other|remaining|rest)\b", re.IGNORECASE)  # "the other three": not a whole list


def numbered_sections(size: int, found: list[tuple[str, ...]], sections: list[tuple[str, ...]]) -> bool:
    """Are there exactly `size` numbered sibling headings ("1. Kickstart economic growth" ... "5. Build an NHS
    ...") under the part of a document that a found passage (its section path in `found`) belongs to?
    `sections` are the section paths of the documents' chunks: "what are the five missions?" is answered by
    the five numbered sections; "what are Camden's other three missions?" is not answered by them."""
    groups: dict[tuple[str, ...], set[str]] = {}
    for path in sections:
        for i, heading in enumerate(path):
            if _NUMBERED.match(heading):
                groups.setdefault(tuple(path[:i]), set()).add(heading)
    return any(len(headings) == size and any(f[:len(parent)] == parent for f in found)
               for parent, headings in groups.items())
