"""Acronyms the guidance defines ("Community Safety Partnerships (CSPs)"), for searching with their words.

A member asks "who sits round the table in a CSP?": keyword search matches "CSPs", but the embedding model
does not know that a CSP is a community safety partnership, so the passage that answers ranks low. The
search query gets the guidance's own expansion added: "who sits round the table in a CSP? (community safety
partnerships)".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Up to six words, each capitalised or a small joining word, then the acronym in brackets.
_DEFINED = re.compile(r"((?:[A-Z][\w’'-]*\s+(?:(?:of|and|for|the|&)\s+)*){1,6})\(([A-Z]{2,6})s?\)")
_SMALL = {"of", "and", "for", "the", "&"}
_WORD = re.compile(r"\b[A-Z]{2,6}s?\b")


def defined(texts: Iterable[str]) -> dict[str, str]:
    """{acronym: its words} for every "Words Spelt Out (WSO)" in the texts whose initials spell the acronym."""
    out: dict[str, str] = {}
    for text in texts:
        for m in _DEFINED.finditer(text):
            words = m.group(1).split()
            acronym = m.group(2)
            big = [w for w in words if w.lower() not in _SMALL]
            # the acronym's letters are the initials of the last words: "The Local CIO Council (LCIOC)"
            for start in range(len(big)):
                if "".join(w[0] if not w.isupper() else w for w in big[start:]).upper() == acronym:
                    out.setdefault(acronym, " ".join(big[start:]))
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
