"""Acronyms the guidance defines ("Community Safety Partnerships (CSPs)"), for searching with their words.

A member asks "who sits round the table in a CSP?": keyword search matches "CSPs", but the embedding model
does not know that a CSP is a community safety partnership, so the passage that answers ranks low. The
search query gets the guidance's own expansion added: "who sits round the table in a CSP? (community safety
partnerships)".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# An acronym in brackets; the words before it are then read back to find its expansion.
_BRACKETED = re.compile(r"\(([A-Z]{2,6})s?\)")
_BEFORE = re.compile(r"[\w’'&-]+")
SMALL_WORDS = frozenset({"of", "and", "for", "the", "&"})  # skipped when reading initials
_WORD = re.compile(r"\b[A-Z]{2,6}s?\b")


def defined(texts: Iterable[str]) -> dict[str, str]:
    """{acronym: its words} for every "Words Spelt Out (WSO)" in the texts whose initials spell the acronym:
    the acronym's letters are the initials of the capitalised words just before it, small joining words
    skipped ("The Local CIO Council (LCIOC)": Local CIO Council)."""
    out: dict[str, str] = {}
    for text in texts:
        for m in _BRACKETED.finditer(text):
            acronym = m.group(1)
            if acronym in out:
                continue
            words = _BEFORE.findall(text[max(0, m.start() - 120):m.start()])
            big: list[str] = []
            for w in reversed(words):  # back from the bracket while the words are capitalised or small
                if w.lower() in SMALL_WORDS:
                    continue
                if not w[:1].isupper():
                    break
                big.insert(0, w)
                initials = "".join(x if x.isupper() else x[0] for x in big).upper()
                if initials == acronym:
                    out[acronym] = " ".join(big)
                    break
                if len(initials) >= len(acronym):
                    break
    return out


def expand(question: str, known: dict[str, str]) -> str:
    """The question with the words of each acronym it uses that the guidance defines (and it does not spell)."""
    extra = []
    for m in _WORD.finditer(question):
        acronym = m.group(0).rstrip("s") if m.group(0) not in known else m.group(0)
        words = known.get(acronym)
        if words and words.lower() not in question.lower() and words not in extra:
            extra.append(words)
    return f"{question} ({'; '.join(extra).lower()})" if extra else question
