"""What the assistant returns: an answer whose every sentence points at the chunk it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ingest.records import Chunk


@dataclass
class Citation:
    n: int  # the number shown in the text as [n]
    chunk: Chunk
    score: float
    sentences: list[str] = field(default_factory=list)  # the cited sentences, each found verbatim in chunk text

    def to_dict(self) -> dict[str, Any]:
        c = self.chunk
        return {"n": self.n, "doc_id": c.doc_id, "chunk_id": c.chunk_id, "title": c.title, "source": c.url or c.source,
                "section": c.section_path, "page": c.page, "text": c.shown, "score": round(self.score, 4),
                "sentences": self.sentences}


@dataclass
class Answer:
    question: str
    text: str  # markdown with inline [n] markers; for a decline, the decline message
    answered: bool
    citations: list[Citation] = field(default_factory=list)
    search_query: str = ""  # the condensed, self-contained query actually searched
    suggestions: list[str] = field(default_factory=list)  # nearest topics, offered when declining
    notices: list[str] = field(default_factory=list)  # e.g. personal-data warning, LLM fell back
    mode: str = "extractive"  # extractive | llm
    confidence: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"question": self.question, "answer": self.text, "answered": self.answered,
                "citations": [c.to_dict() for c in self.citations], "search_query": self.search_query,
                "suggestions": self.suggestions, "notices": self.notices, "mode": self.mode,
                "confidence": round(self.confidence, 4)}
