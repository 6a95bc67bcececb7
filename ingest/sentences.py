"""Sentence boundaries with character offsets (shared by the chunker and the extractive answerer)."""

from __future__ import annotations

import re

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
