"""Is the evidence strong enough to answer? Signals and the decision, calibrated in CALIBRATION.md.

Three signals make one confidence in [0, 1]: the best chunk's dense cosine, the best sentence's cosine and
how much of the question's (IDF-weighted) vocabulary the top chunks contain. Two checks can overrule it:
a name in the question that the guidance never mentions ("Wales", "GDPR"), and a question that asks for a
kind of fact (an amount, a number, a date, a named office-holder) that none of the best sentences holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.lexical import BM25Index, tokenize

from .extractive import Unit

# confidence = DENSE * best chunk cosine + SENTENCE * best sentence cosine + COVERAGE * term coverage
WEIGHTS = {"dense": 0.4, "sentence": 0.4, "coverage": 0.2}

_MONEY_Q = re.compile(r"\b(costs?|fees?|prices?|pricing|salary|salaries|wages?|charges?)\b|\bhow much\b.*\b(money|"
                      r"funding|funded|fund|grants?|costs?|charge|pay|paid|spend|spent|budget|invest\w*|receive\w*|"
                      r"allocated|worth|put into)\b", re.IGNORECASE)
_COUNT_Q = re.compile(r"\bhow many\b|\bwhat(?: i|')s the (population|number)\b|\bpopulation of\b", re.IGNORECASE)
_DATE_Q = re.compile(r"(^|[,;] *(and )?)when (is|was|will|did|does|are|were)\b|\bwhat (year|date|month|day|time)\b|"
                     r"\bdeadlines?\b|\bwhich year\b", re.IGNORECASE)
_ROLE_Q = re.compile(r"\bwho (is|was|are|were) (the )?(current |new |present |first |previous )?(?P<role>president|"
                     r"chair|chairman|chairwoman|chairperson|chief executive|ceo|director|head|leader|founder|"
                     r"secretary|minister|treasurer|manager)\b", re.IGNORECASE)

_NUMBER_WORDS = r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|" \
                r"thousand|million|billion|dozen|half"
_MONEY = re.compile(r"[£$€]\s?\d|\b\d[\d,.]*\s?(k|m|bn|million|billion|pounds?|pence|p)\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(1[89]|20)\d\d\b")
_COUNT = re.compile(rf"\b(\d[\d,.]*\+?|{_NUMBER_WORDS})\b", re.IGNORECASE)
_DATE = re.compile(r"\b(1[89]|20)\d\d\b|\b(january|february|march|april|may|june|july|august|september|october|"
                   r"november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|"
                   r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b(last|next) (week|month|year)\b", re.IGNORECASE)
_WORDS = re.compile(r"[A-Za-z][A-Za-z'’]*")


@dataclass
class Signals:
    dense: float = 0.0  # best cosine between the search query and a candidate chunk
    sentence: float = 0.0  # best cosine between the question and a candidate sentence
    coverage: float = 0.0  # IDF-weighted share of question terms found in the top chunks
    unknown_names: list[str] = field(default_factory=list)  # names the guidance never mentions
    wanted: str = ""  # money | count | date | role: the kind of fact the question asks for
    found: Unit | None = None  # the best sentence holding that kind of fact, if any

    @property
    def confidence(self) -> float:
        return (WEIGHTS["dense"] * self.dense + WEIGHTS["sentence"] * self.sentence
                + WEIGHTS["coverage"] * self.coverage)

    def decline_reason(self, threshold: float) -> str:
        """Why the question should be declined, or "" when it can be answered."""
        if self.unknown_names:
            return f"names not in the guidance: {', '.join(self.unknown_names)}"
        if self.wanted and self.found is None:
            return f"asks for a {self.wanted} that no passage gives"
        if self.confidence < threshold:
            return f"confidence {self.confidence:.3f} below {threshold:.3f}"
        return ""


def wanted_kind(question: str) -> tuple[str, str]:
    """(kind, role word) of fact a question asks for: money, count, date, role or ("", "")."""
    m = _ROLE_Q.search(question)
    if m:
        return "role", m.group("role").lower()
    if _MONEY_Q.search(question):
        return "money", ""
    if _COUNT_Q.search(question):
        return "count", ""
    if _DATE_Q.search(question):
        return "date", ""
    return "", ""


def holds(text: str, kind: str, role: str = "") -> bool:
    """Does a sentence hold the kind of fact asked for?"""
    if kind == "money":
        return bool(_MONEY.search(text))
    if kind == "count":
        return any(not _YEAR.fullmatch(m.group(0)) for m in _COUNT.finditer(text))
    if kind == "date":
        return bool(_DATE.search(text))
    if kind == "role":
        return bool(set(tokenize(role)) & set(tokenize(text)))
    return True


def unknown_names(question: str, bm25: BM25Index, evidence: str) -> list[str]:
    """Capitalised words or acronyms of the question that appear nowhere in the index.

    An acronym counts as known when the evidence spells it out ("AI" for "artificial intelligence").
    """
    out = []
    for i, m in enumerate(_WORDS.finditer(question)):
        word = re.sub(r"['’]s?$", "", m.group(0))
        if i == 0 or not word[:1].isupper() or question[max(0, m.start() - 2):m.start()].strip() in {".", "?", "!"}:
            continue  # only capitalised words that are not sentence openers
        terms = tokenize(word)
        if not terms or any(t in bm25.vocab for t in terms):
            continue
        if word.rstrip("s").isupper() and _spelt_out(word.rstrip("s"), evidence):
            continue
        out.append(word)
    return out


def _spelt_out(acronym: str, text: str) -> bool:
    """Do consecutive words of `text` (small words skipped) start with the acronym's letters?"""
    words = [w for w in re.findall(r"[A-Za-z]+", text) if w.lower() not in {"of", "and", "the", "for", "&"}]
    initials = "".join(w[0].upper() for w in words)
    return len(acronym) >= 2 and acronym.upper() in initials


def term_weights(text: str, bm25: BM25Index) -> dict[str, float]:
    """The text's terms weighted by IDF; terms the index has never seen weigh the most."""
    top = float(bm25.idf.max()) if len(bm25.idf) else 1.0
    return {t: float(bm25.idf[bm25.vocab[t]]) if t in bm25.vocab else top for t in dict.fromkeys(tokenize(text))}


def coverage(question: str, bm25: BM25Index, texts: list[str]) -> float:
    """IDF-weighted share of the question's terms present in `texts`."""
    weight = term_weights(question, bm25)
    if not weight:
        return 0.0
    present = set(tokenize(" ".join(texts)))
    return sum(w for t, w in weight.items() if t in present) / sum(weight.values())


GENERIC_TERMS = frozenset(tokenize("Socitm council councils local prospectus guidance say says mention document "
                                   "much many long often year date time"))


def typed_evidence(units: list[Unit], kind: str, role: str, question: str, context: list[str]) -> Unit | None:
    """The best sentence that holds the kind of fact asked for and shares a specific term with the question.

    `context[u.rank]` is the text that situates a sentence (its chunk's own heading).
    """
    wanted = set(tokenize(question)) - GENERIC_TERMS
    for u in units:
        if holds(u.text, kind, role) and wanted & set(tokenize(u.text + " " + context[u.rank])):
            return u
    return None
