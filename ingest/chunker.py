"""Chunking by structure: blocks of one section packed up to a word-piece budget, with a small overlap.

Every chunk's text is exactly `document_text[start:end]`, so offsets round-trip. What the model embeds
is the title and section path followed by the chunk's readable text, and that whole string fits the
model's 256-piece window (counted with the model's own tokenizer).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from .records import Block, Chunk
from .sentences import sentence_spans
from .tokens import MODEL_MAX_PIECES, count_pieces, piece_offsets

CHUNKER_VERSION = "3"


@dataclass
class _Piece:
    start: int
    end: int
    display: str
    tokens: int
    page: int | None


class Chunker:
    """Packs a document's blocks into chunks of at most `chunk_tokens` body pieces."""

    def __init__(self, chunk_tokens: int = 200, overlap_tokens: int = 32):
        if not 32 <= chunk_tokens <= MODEL_MAX_PIECES - 2:
            raise ValueError(f"chunk_tokens must be between 32 and {MODEL_MAX_PIECES - 2}, not {chunk_tokens}")
        if not 0 <= overlap_tokens < chunk_tokens // 2:
            raise ValueError(f"overlap_tokens must be below half of chunk_tokens, not {overlap_tokens}")
        self.chunk_tokens = chunk_tokens
        self.overlap_tokens = overlap_tokens

    def chunk(self, text: str, blocks: list[Block], doc_id: str, title: str) -> list[Chunk]:
        chunks: list[Chunk] = []
        group: list[Block] = []
        for block in blocks:
            if block.kind == "heading" or (group and block.section != group[0].section):
                chunks.extend(self._pack(text, group, doc_id, title, len(chunks)))
                group = []
            if block.kind != "heading":
                group.append(block)
        chunks.extend(self._pack(text, group, doc_id, title, len(chunks)))
        seen: dict[str, int] = {}
        for c in chunks:  # the same text twice in one document still gets two ids
            n = seen.get(c.chunk_id, 0)
            seen[c.chunk_id] = n + 1
            if n:
                c.chunk_id = f"{c.chunk_id}-{n + 1}"
        return chunks

    def _budget(self, title: str, section: tuple[str, ...]) -> int:
        head = " › ".join((title, *section)) if title else " › ".join(section)
        room = MODEL_MAX_PIECES - 2 - count_pieces(head + "\n") - 1
        return max(24, min(self.chunk_tokens, room))

    def _pieces(self, text: str, block: Block, budget: int) -> list[_Piece]:
        display = block.text
        n = count_pieces(display)
        if n <= budget:
            return [_Piece(block.start, block.end, display, n, block.page)]
        if display != text[block.start:block.end]:  # an over-long table row: keep it whole-row, cut words
            return self._cut(text, block.start, block.end, budget, block.page)
        out: list[_Piece] = []
        for s, e in sentence_spans(text[block.start:block.end], block.start):
            m = count_pieces(text[s:e])
            if m <= budget:
                out.append(_Piece(s, e, text[s:e], m, block.page))
            else:
                out.extend(self._cut(text, s, e, budget, block.page))
        return out

    def _cut(self, text: str, start: int, end: int, budget: int, page: int | None) -> list[_Piece]:
        """Split an over-long sentence at word-piece boundaries (no piece is ever silently truncated)."""
        span = text[start:end]
        offsets = piece_offsets(span)
        out = []
        i = 0
        while i < len(offsets):
            j = min(i + budget, len(offsets))
            s, e = offsets[i][0], offsets[j - 1][1]
            if j < len(offsets):  # back off to a space so words stay whole
                space = span.rfind(" ", s, offsets[j][0])
                if space > s:
                    e = space
                    while j > i + 1 and offsets[j - 1][0] >= e:
                        j -= 1
            piece = span[s:e].strip()
            if piece:
                ps = start + span.index(piece, s)
                out.append(_Piece(ps, ps + len(piece), piece, count_pieces(piece), page))
            i = j
        return out

    def _pack(self, text: str, group: list[Block], doc_id: str, title: str, ordinal: int) -> list[Chunk]:
        if not group:
            return []
        section = group[0].section
        budget = self._budget(title, section)
        pieces = [p for b in group for p in self._pieces(text, b, budget)]
        chunks: list[Chunk] = []
        current: list[_Piece] = []
        used = 0
        for piece in pieces:
            if current and used + piece.tokens + 1 > budget:
                chunks.append(self._make(text, current, doc_id, title, section, ordinal + len(chunks)))
                tail = current[-1]
                current, used = ([tail], tail.tokens + 1) if tail.tokens <= self.overlap_tokens and \
                    tail.tokens + piece.tokens + 1 <= budget else ([], 0)
            current.append(piece)
            used += piece.tokens + 1
        if current:
            chunks.append(self._make(text, current, doc_id, title, section, ordinal + len(chunks)))
        return chunks

    def _make(self, text: str, pieces: list[_Piece], doc_id: str, title: str, section: tuple[str, ...],
              ordinal: int) -> Chunk:
        start, end = pieces[0].start, pieces[-1].end
        body = text[start:end]
        display = "\n".join(p.display for p in pieces)
        plain = all(p.display == text[p.start:p.end] for p in pieces)
        chunk = Chunk(chunk_id="", doc_id=doc_id, text=body, start=start, end=end, section=section,
                      page=pieces[0].page, title=title, ordinal=ordinal, display="" if plain else display)
        chunk.content_hash = hashlib.sha256(embed_text(chunk).encode()).hexdigest()
        chunk.chunk_id = f"{doc_id}:{chunk.content_hash[:16]}"
        return chunk


def embed_text(chunk: Chunk) -> str:
    """Title and section path, then the readable text: what the model and the keyword index see."""
    head = " › ".join(s for s in (chunk.title, *chunk.section) if s)
    return f"{head}\n{chunk.shown}" if head else chunk.shown
