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
# A word broken over a line end: "infra-\nstructure", with stray spaces or a soft hyphen (U+00AD).
_HYPHEN_BREAK = re.compile(r"(\w+)([-\u00ad])[ \t]*\n[ \t]*(\w+)")


def strip_invisible(text: str) -> str:
    """Drop control, zero-width, bidi and tag characters; keep newlines and tabs."""
    text = _INVISIBLE.sub("", text)
    return _CONTROL.sub("", text)


def clean_text(text: str) -> str:
    """Normalise one page or document: NFC, invisible characters, furniture lines, hyphenation, spaces."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = strip_invisible(text).replace("\u00a0", " ")
    compounds = {m.lower() for m in re.findall(r"\w+-\w+", text)}
    text = _HYPHEN_BREAK.sub(lambda m: _join_hyphenated(m, compounds), text).replace("\u00ad", "")
    lines = []
    for line in text.split("\n"):
        line = re.sub(r"[ \t]+", " ", line).strip()
        if FURNITURE.match(line):
            continue
        lines.append(line)
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _join_hyphenated(m: re.Match[str], compounds: set[str]) -> str:
    """"infra-\nstructure" -> "infrastructure", but a real compound stays one: "place-\nbased" ->
    "place-based" when the text writes it that way elsewhere, and "Covid-\n19" keeps its hyphen."""
    left, soft, right = m.group(1), m.group(2) == "\u00ad", m.group(3)
    if soft:
        return left + right
    if right[:1].islower() and left[-1:].isalpha() and f"{left}-{right}".lower() not in compounds:
        return left + right
    return f"{left}-{right}"


_EDGES = (0, 1, -2, -1)  # the two first and two last non-blank lines of a page


def drop_repeated_lines(pages: list[str]) -> list[str]:
    """Remove running headers and footers from 3+ pages: a line in the same place at the top or bottom
    of at least half the pages, either word for word or with a number that counts the pages
    ("Page 3 of 9", "Annual report | 12"). Body text that merely looks alike is kept."""
    if len(pages) < 3:
        return [_drop_page_numbers(p) for p in pages]
    need = max(3, (len(pages) + 1) // 2)
    exact: Counter[tuple[int, str]] = Counter()
    running: dict[tuple[int, str], list[tuple[int, list[int]]]] = {}
    for n, page in enumerate(pages):
        for pos, line in _edge_lines(page):
            exact[(pos, line.strip().lower())] += 1
            numbers = [int(x) for x in re.findall(r"\d+", line)[:4]]
            if numbers:
                running.setdefault((pos, _shape(line)), []).append((n, numbers))
    furniture = {key for key, count in exact.items() if count >= need}
    numbered = {key for key, seen in running.items() if len(seen) >= need and _counts_pages(seen)}
    out = []
    for page in pages:
        drop = {i for pos, i, line in _edge_lines(page, with_index=True)
                if (pos, line.strip().lower()) in furniture or (pos, _shape(line)) in numbered}
        lines = page.split("\n")
        out.append(_drop_page_numbers("\n".join(ln for i, ln in enumerate(lines) if i not in drop)))
    return out


def _edge_lines(page: str, with_index: bool = False) -> list:  # type: ignore[type-arg]
    lines = page.split("\n")
    idx = [i for i, ln in enumerate(lines) if ln.strip()]
    picked: dict[int, int] = {}
    for pos in _EDGES:
        if -len(idx) <= pos < len(idx) and idx[pos] not in picked.values():
            picked[pos] = idx[pos]
    if with_index:
        return [(pos, i, lines[i]) for pos, i in picked.items()]
    return [(pos, lines[i]) for pos, i in picked.items()]


def _counts_pages(seen: list[tuple[int, list[int]]]) -> bool:
    """Some number in the line goes up with the page (a page number), the same way on every page."""
    width = min(len(nums) for _, nums in seen)
    return any(len({nums[j] - n for n, nums in seen}) == 1 for j in range(width))


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", line.strip().lower())


def _drop_page_numbers(page: str) -> str:
    lines = page.split("\n")
    idx = [i for i, ln in enumerate(lines) if ln.strip()]
    drop = {i for i in idx[:1] + idx[-1:] if PAGE_NUMBER.match(lines[i])}
    return "\n".join(ln for i, ln in enumerate(lines) if i not in drop).strip()
