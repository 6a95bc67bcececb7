"""Sentence boundaries with character offsets (shared by the chunker and the extractive answerer), and
the answerable units of a chunk: the sentences (or table cells) an answer may quote, each with the key
its vector is stored under, so ingest can embed them once and answers only look them up."""

from __future__ import annotations

import hashlib
import re

from .records import Chunk

_ABBREV = {"e.g", "i.e", "etc", "dr", "mr", "mrs", "ms", "prof", "st", "no", "vs", "cf", "al", "approx", "inc", "ltd", "co"}
_BOUNDARY = re.compile(r"([.!?…]+[”’\"')\]]*)(\s+)(?=[“‘\"'(\[]?[A-Z0-9£])")


def sentence_spans(text: str, base: int = 0) -> list[tuple[int, int]]:
    """Spans (start, end) of sentences in `text`, offset by `base`; newlines always end a sentence."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        start = 0
        for m in _BOUNDARY.finditer(line):
            word = re.findall(r"[\w.]+$", line[: m.start(1)])
            if word and word[0].lower().rstrip(".") in _ABBREV and m.group(1) == ".":
                continue
            end = m.end(1)
            _add(spans, line, start, end, line_start + base)
            start = m.end()
        _add(spans, line, start, len(line), line_start + base)
    return spans


def _add(spans: list[tuple[int, int]], line: str, start: int, end: int, base: int) -> None:
    piece = line[start:end]
    lead = len(piece) - len(piece.lstrip())
    trail = len(piece) - len(piece.rstrip())
    if piece.strip():
        spans.append((base + start + lead, base + end - trail))


UNITS_VERSION = "2"  # bump when split_units changes: documents are re-indexed and their units re-linked
# A table cell in the readable rows: "...; Header: text" (the chunker joins cells with "; ").
_CELL = re.compile(r";\s+(?=[A-Z][\w\- ,&/]{0,50}: )")
_BULLET = re.compile(r"^(?:[-*•–]\s+|\(?\d{1,2}[.)]\s+|\(?[a-z][.)]\s+)")
_WORD = re.compile(r"\w+")
SHORT_WORDS = 4  # adjacent sentences shorter than this are kept together ("Child poverty. Public safety.")
# Text that addresses an AI rather than a reader: never quoted, and never counted as support for a claim.
INSTRUCTION_LIKE = re.compile(
    r"\b(ignore|disregard|forget|override)\s+(all\s+|any\s+|the\s+)?(previous|prior|above|earlier|your)\s+"
    r"(instructions?|prompts?|rules?|messages?)|\byou are now\b|\bsystem prompt\b|</?\s*(system|passages?|"
    r"instructions?)\s*>|\bas an ai\b|\bnew instructions?\s*:", re.IGNORECASE)

# A picture's description left in a web page's text ("The Socitm logo next to an illustration of a woman
# holding a laptop"): it says what the page looked like, not what the guidance says.
IMAGE_DESCRIPTION = re.compile(
    r"^(?:an? |the )?[\w\s’'&-]{0,60}\b(?:logos?|illustrations?|photos?|photographs?|pictures?|screenshots?)\b"
    r"\s+(?:of|showing|next to|beside|above|below|with|depicting)\b(?!.*\b(?:is|are|was|were|has|have|had|will|"
    r"would|can|could|should|must|may|might|does|do|did|emerges?|shows?|gives?|helps?|makes?|means?|needs?)\b)",
    re.IGNORECASE)  # a caption is a noun phrase: "A picture of health emerges from the data" is a sentence


def text_hash(text: str) -> str:
    """The key a unit's vector is stored and cached under."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def split_units(chunk: Chunk) -> list[tuple[int, str]]:
    """(offset, text) of the answerable sentences of a chunk; every text is a substring of chunk.shown."""
    shown = chunk.shown
    pieces: list[tuple[int, int]] = []
    for s, e in sentence_spans(shown):
        seg = shown[s:e]
        pos = 0
        for m in [*_CELL.finditer(seg), None]:
            end = m.start() if m else len(seg)
            _keep(pieces, shown, s + pos, s + end)
            pos = m.end() if m else end
    merged: list[tuple[int, int]] = []
    for s, e in pieces:  # runs of very short sentences on one line read better as one unit
        if merged and _short(shown[s:e]) and _short(shown[merged[-1][0]:merged[-1][1]], loose=True) \
                and "\n" not in shown[merged[-1][1]:s]:
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    out = []
    for s, e in merged:
        text = shown[s:e]
        bullet = _BULLET.match(text)
        if bullet:
            s, text = s + bullet.end(), text[bullet.end():]
        if "|" in text or len(_WORD.findall(text)) < 2 or text.endswith(":"):
            continue  # table header rows, lead-ins to lists and stray fragments say nothing on their own
        if INSTRUCTION_LIKE.search(text):
            continue  # a prompt injection hidden in a document is not guidance
        if IMAGE_DESCRIPTION.search(text):
            continue  # alt text of a picture
        out.append((s, text))
    return out


def unit_hashes(chunk: Chunk) -> list[str]:
    """The distinct vector keys of a chunk's units, in order (what the catalog links the chunk to)."""
    return list(dict.fromkeys(text_hash(t) for _, t in split_units(chunk)))


def _keep(pieces: list[tuple[int, int]], text: str, s: int, e: int) -> None:
    piece = text[s:e]
    lead = len(piece) - len(piece.lstrip())
    trail = len(piece) - len(piece.rstrip(" ;"))
    if piece.strip(" ;"):
        pieces.append((s + lead, e - trail))


def _short(text: str, loose: bool = False) -> bool:
    n = len(_WORD.findall(text))
    return n < SHORT_WORDS or (loose and n < 8 and text.endswith("."))
