"""Follow-up questions made searchable without an LLM.

"Any examples?" or "What about their funding?" mean little alone. When a question looks dependent on the
conversation (pronouns, ellipsis, very short), the search query carries the topic of the previous turn:
the key words of its (already condensed) question and the section its answer came from. The current
question's words come first and are repeated, so they outweigh the carried topic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.lexical import STOP_WORDS

from .records import Answer

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")
# Words that point back at something said before.
_ANAPHORA = frozenset("""it its it's they them their theirs those these such he she his her hers him ones former
latter same above""".split())
# "this" and "that" point back only at the end of a clause ("Any examples of that?"), not in "a council that...".
_DEMONSTRATIVE = re.compile(r"\b(this|that)\s*([?.!,;]|$)", re.IGNORECASE)
# Openings that continue the previous question.
_CONTINUATION = re.compile(r"^\s*(and|or|but|also|so|then|what about|how about|what of|any|anything|more|"
                           r"how so|really|example|examples|such as|in what way|which ones?|who else|where else)\b",
                           re.IGNORECASE)
# Question furniture that carries no topic.
_FILLER = frozenset("""what which who whom whose when where why how does do did is are was were can could should
would will shall may might must tell explain describe say says said mention mentions mentioned give list
example examples any anything something more else about please also socitm socitm's guidance document
think thinks kind sort way ways thing things much many lot really""".split())
# How the guidance words what a short follow-up asks for ("examples" are under "where it's already working").
_EXAMPLES = r"\b(examples?|case stud(y|ies)|in practice|already working)\b"
_EXPANSIONS = {_EXAMPLES: "examples already working in practice"}
_EXPANSION_WORDS = {w for v in _EXPANSIONS.values() for w in v.split()}  # never carried to the next turn
MIN_CONTENT_WORDS = 1  # a question with fewer topic words than this leans on the conversation


@dataclass
class Turn:
    """One earlier exchange, whatever form the caller kept it in."""

    question: str
    answer_text: str = ""
    answer: Answer | None = None

    @property
    def topic_query(self) -> str:
        """What this turn was about: its own search query when it had one, else its question."""
        if self.answer is not None and self.answer.search_query:
            return self.answer.search_query
        return self.question

    @property
    def sections(self) -> list[str]:
        if self.answer is None:
            return []
        c = self.answer.citations[0].chunk if self.answer.citations else None
        return list(c.section) if c is not None and c.section else ([c.title] if c is not None else [])


@dataclass
class Condensed:
    query: str  # what is searched
    dependent: bool  # True when the question leaned on the conversation
    carried: list[str] = field(default_factory=list)  # the topic words brought in
    own_words: int = 1  # topic words of the question itself (0: "Any examples?" means nothing alone)
    prefer: str = ""  # a pattern of section headings the question asks for (examples: "already working")
    told: str = ""  # the previous answer's text: what the member has already been told


def content_words(text: str, keep_name: bool = False) -> list[str]:
    """Topic-bearing words of a text, in order, without duplicates ("Socitm" only with `keep_name`)."""
    out: list[str] = []
    for w in _WORD.findall(text):
        low = w.lower().replace("’", "'")
        base = low[:-2] if low.endswith("'s") else low
        if base in STOP_WORDS or (base in _FILLER and not (keep_name and base == "socitm")) or len(base) < 2 \
                or base in {x.lower() for x in out}:
            continue
        out.append(w[:-2] if low.endswith("'s") else w)
    return out


def is_dependent(question: str) -> bool:
    """Does the question lean on earlier turns? (pronouns, "what about...", "any examples?", very short)"""
    words = [w.lower() for w in _WORD.findall(question)]
    if any(w in _ANAPHORA for w in words) or _DEMONSTRATIVE.search(question):
        return True
    if _CONTINUATION.match(question):
        return True
    return len(content_words(question, keep_name=True)) < MIN_CONTENT_WORDS


def condense(question: str, turns: list[Turn], max_carried: int = 14) -> Condensed:
    """The search query for `question` given the earlier turns (most recent last)."""
    if not turns or not is_dependent(question):
        return Condensed(question, False)
    prefer = _EXAMPLES if re.search(_EXAMPLES, question, re.IGNORECASE) else ""
    last = turns[-1]
    own = {w.lower() for w in content_words(question)} | _EXPANSION_WORDS
    carried: list[str] = []
    for text in (last.topic_query, *last.sections):
        for w in content_words(text):
            if w.lower() not in own and w.lower() not in {c.lower() for c in carried}:
                carried.append(w)
    carried = carried[:max_carried]
    focus = " ".join(content_words(question))
    extra = " ".join(v for k, v in _EXPANSIONS.items() if re.search(k, question, re.IGNORECASE))
    query = " ".join(p for p in (question, focus, extra, " ".join(carried)) if p)
    return Condensed(query, True, carried, len(content_words(question, keep_name=True)), prefer, last.answer_text)


def history_turns(history: list | None, recent: dict[str, Answer] | None = None) -> list[Turn]:  # type: ignore[type-arg]
    """Earlier turns from (question, Answer | str) pairs or chat messages ({"role", "content"} dicts).

    `recent` maps answer texts to the Answers they came from, so a history that kept only the text
    still knows each answer's sections and search query.
    """
    turns: list[Turn] = []
    pending: str | None = None
    for item in history or []:
        if isinstance(item, dict):
            role, content = item.get("role"), str(item.get("content") or "")
            if role == "user":
                if pending is not None:
                    turns.append(Turn(pending))
                pending = content
            elif role == "assistant" and pending is not None:
                turns.append(_turn(pending, content, recent))
                pending = None
        else:
            q, a = item[0], item[1]
            if isinstance(a, Answer):
                turns.append(Turn(str(q), a.text, a))
            else:
                turns.append(_turn(str(q), str(a or ""), recent))
    if pending is not None:
        turns.append(Turn(pending))
    return turns


def _turn(question: str, text: str, recent: dict[str, Answer] | None) -> Turn:
    answer = (recent or {}).get(text)
    return Turn(question, text, answer)
