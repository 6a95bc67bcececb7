"""A search thesaurus: the everyday words members use, and the words the guidance writes for the same thing.

"Our villages have dreadful mobile signal" shares no keyword with "poor digital coverage, especially in rural
areas", and the small embedding model does not bridge it either. Keyword search gets the guidance's words as
well ("... digital coverage connectivity infrastructure rural"); the dense search keeps the question as asked,
sentences are scored against both (half each), and the confidence takes the best sentence's cosine with either.
The groups are in synonyms.txt, written for UK local public services and never for a single question.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ingest.lexical import tokenize

FILE = Path(__file__).with_name("synonyms.txt")


@lru_cache(maxsize=4)
def _groups(path: Path = FILE) -> list[tuple[re.Pattern[str], str]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "=>" not in line:
            continue
        left, right = (part.strip() for part in line.split("=>", 1))
        phrases = sorted((p.strip().lower() for p in left.split(",") if p.strip()), key=len, reverse=True)
        if phrases and right:
            spelt = ("[ -]".join(map(re.escape, re.split(r"[ -]", p))) for p in phrases)  # "blade-violence" too
            out.append((re.compile(r"(?<![\w-])(?:" + "|".join(spelt) + r")(?![\w-])"), right.lower()))
    return out


def _found(question: str, path: Path) -> list[tuple[list[str], str]]:
    """(the everyday phrases said, the guidance's words for them) for each group the question uses."""
    asked = question.lower()
    return [(said, words) for pattern, words in _groups(path) if (said := pattern.findall(asked))]


def search_words(question: str, path: Path = FILE) -> str:
    """The guidance's words for the everyday phrases in `question` that it does not already hold ("" if none)."""
    asked = question.lower()
    extra: list[str] = []
    for _, words in _found(question, path):
        extra += [w for w in words.split() if w not in extra and not re.search(rf"\b{re.escape(w)}\b", asked)]
    return " ".join(extra)


def for_keywords(question: str, path: Path = FILE) -> str:
    """The keyword-search query: the question and, when it uses everyday phrases, the guidance's words."""
    extra = search_words(question, path)
    return f"{question} {extra}" if extra else question


def alternatives(question: str, path: Path = FILE) -> dict[str, frozenset[str]]:
    """{term of an everyday phrase in `question`: the guidance's terms for it}, as search terms (stemmed), so a
    question's "elections" is spoken to by a passage's "democracy"."""
    out: dict[str, set[str]] = {}
    for said, words in _found(question, path):
        terms = set(tokenize(words))
        for term in tokenize(" ".join(said)):
            out.setdefault(term, set()).update(terms - {term})
    return {t: frozenset(a) for t, a in out.items() if a}
