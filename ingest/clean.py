"""Text cleaning: page furniture, repeated PDF headers and footers, hyphenation, odd characters."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

# Lines that are navigation or sharing furniture on web pages, never content.
FURNITURE = re.compile(
    r"^\s*(jump to (section|content)|skip to (main )?content|back to top|share (this|on)( page| article)?|"
    r"print this page|cookie (settings|preferences)|accept (all )?cookies|table of contents|menu|search)\s*:?\s*$",
    re.IGNORECASE,
)
PAGE_NUMBER = re.compile(r"^\s*(page\s*)?\d{1,4}(\s*(of|/)\s*\d{1,4})?\s*$", re.IGNORECASE)
# Unicode "tag" characters, bidi overrides and other invisible format characters.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\U000e0000-\U000e007f]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_HYPHEN_BREAK = re.compile(r"(\w)-\n(\w)")


def strip_invisible(text: str) -> str:
    """Drop control, zero-width, bidi and tag characters; keep newlines and tabs."""
    text = _INVISIBLE.sub("", text)
    return _CONTROL.sub("", text)


def clean_text(text: str) -> str:
    """Normalise one page or document: NFC, invisible characters, furniture lines, hyphenation, spaces."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = strip_invisible(text).replace("\u00a0", " ")
    text = _HYPHEN_BREAK.sub(_join_hyphenated, text)
    lines = []
    for line in text.split("\n"):
        line = re.sub(r"[ \t]+", " ", line).strip()
        if FURNITURE.match(line):
            continue
        lines.append(line)
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _join_hyphenated(m: re.Match[str]) -> str:
    # "infra-\nstructure" -> "infrastructure"; keep real compounds like "place-\nBased" as "place-Based".
    left, right = m.group(1), m.group(2)
    if right.islower() and left.isalpha():
        return left + right
    return f"{left}-{right}"


def drop_repeated_lines(pages: list[str]) -> list[str]:
    """Remove running headers/footers: first or last lines that recur on at least half of 3+ pages."""
    if len(pages) < 3:
        return [_drop_page_numbers(p) for p in pages]
    edge: Counter[str] = Counter()
    for page in pages:
        lines = [ln for ln in page.split("\n") if ln.strip()]
        for ln in set(lines[:2] + lines[-2:]):
            edge[_shape(ln)] += 1
    repeated = {k for k, n in edge.items() if n >= max(3, len(pages) // 2) and k}
    out = []
    for page in pages:
        lines = page.split("\n")
        head = [i for i, ln in enumerate(lines) if ln.strip()][:2]
        tail = [i for i, ln in enumerate(lines) if ln.strip()][-2:]
        drop = {i for i in head + tail if _shape(lines[i]) in repeated}
        out.append(_drop_page_numbers("\n".join(ln for i, ln in enumerate(lines) if i not in drop)))
    return out


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", line.strip().lower())


def _drop_page_numbers(page: str) -> str:
    lines = page.split("\n")
    idx = [i for i, ln in enumerate(lines) if ln.strip()]
    drop = {i for i in idx[:1] + idx[-1:] if PAGE_NUMBER.match(lines[i])}
    return "\n".join(ln for i, ln in enumerate(lines) if i not in drop).strip()
