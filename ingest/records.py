"""Typed records that carry provenance from loading to citation."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Page:
    """A piece of a loaded document with the page it came from (None for unpaged formats)."""

    text: str
    number: int | None = None


@dataclass
class LoadedDocument:
    doc_id: str
    title: str
    source: str  # file path or URL as given
    kind: str  # pdf | html | markdown | text | docx
    pages: list[Page]
    publisher: str = ""
    category: str = ""  # editorial kind from corpus metadata (prospectus, response, guide...)
    url: str = ""  # public address when known
    raw: bytes = b""  # original bytes, kept so the document can be restored or rebuilt


@dataclass
class Block:
    """A structural unit of cleaned text: a paragraph, list item, table row or heading."""

    kind: str  # heading | para | item | row
    text: str
    start: int  # character offsets into the cleaned document text
    end: int
    page: int | None
    section: tuple[str, ...] = ()
    level: int = 0


@dataclass
class Chunk:
    chunk_id: str
    doc_id: str
    text: str  # exactly cleaned_text[start:end]
    start: int
    end: int
    section: tuple[str, ...]
    page: int | None
    title: str = ""
    publisher: str = ""
    source: str = ""
    url: str = ""
    kind: str = ""
    content_hash: str = ""
    ingested_at: str = ""
    ordinal: int = 0
    display: str = ""  # readable text shown for the chunk (table rows with their headers); defaults to text
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def section_path(self) -> str:
        return " › ".join(self.section)

    @property
    def shown(self) -> str:
        return self.display or self.text

    def embed_text(self) -> str:
        """The text the model sees: title and section path first, so headings steer retrieval."""
        head = " › ".join(s for s in (self.section or ()) if s)
        return f"{head}\n{self.shown}" if head else self.shown

    def metadata(self) -> dict[str, Any]:
        """Flat metadata for Chroma (scalars only)."""
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "publisher": self.publisher,
            "source": self.source,
            "url": self.url,
            "kind": self.kind,
            "page": self.page if self.page is not None else -1,
            "section": self.section_path,
            "start": self.start,
            "end": self.end,
            "content_hash": self.content_hash,
            "ingested_at": self.ingested_at,
            "ordinal": self.ordinal,
        }

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["section"] = list(self.section)
        return d
