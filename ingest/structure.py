"""Structure: cleaned text to blocks (headings, paragraphs, list items, table rows) with section paths.

Markdown and HTML carry heading levels. Plain text and PDFs do not, so headings are recognised by
shape (short, no closing punctuation, followed by body text) and nested by four rules that fit the way
guidance pages are written: a heading directly under another is its child; numbered headings
"1. ... 2. ..." are siblings under the heading before them; headings that recur with similar words in
each numbered section ("How Socitm glues this together", "Resources") are sub-sections of it; short
titled items under such a sub-section ("Blackpool Digital Vision") are its children.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .records import Block

MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
NUMBERED = re.compile(r"^(\d{1,2})[.)]\s+(.+)$")
ITEM = re.compile(r"^([-*•▪◦·]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+")
TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-*:?\s*)*\|?\s*$")


@dataclass
class _Line:
    text: str
    start: int
    end: int
    kind: str = "para"  # para | item | row | heading
    level: int = 0
    number: int | None = None
    blank_before: bool = False


def is_table_row(line: str) -> bool:
    return line.count("|") >= 2 or (line.rstrip().endswith("|") and line.count("|") >= 1 and len(line) > 3)


def split_cells(line: str, keep_empty: bool = False) -> list[str]:
    """Cells of a pipe row; with `keep_empty`, empty cells keep their place so columns line up."""
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    return cells if keep_empty else [c for c in cells if c]


def _heading_like(text: str) -> bool:
    words = text.split()
    if not words or len(text) > 90 or len(words) > 14:
        return False
    numbered = NUMBERED.match(text)
    if numbered and not numbered.group(2)[:1].isupper():
        return False
    if text[-1] in ".,;:!" or text.endswith(").") or text[0] in "“\"'‘(-–—•*" or text[0].islower():
        return False
    return not is_table_row(text)


def _similar(a: str, b: str) -> bool:
    wa, wb = set(a.lower().split()), set(b.lower().split())
    return bool(wa and wb) and len(wa & wb) / len(wa | wb) >= 0.6


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    blank = True
    for raw in text.split("\n"):
        start = pos
        pos += len(raw) + 1
        stripped = raw.strip()
        if not stripped:
            blank = True
            continue
        lead = len(raw) - len(raw.lstrip())
        out.append(_Line(stripped, start + lead, start + lead + len(stripped), blank_before=blank))
        blank = False
    return out


def _merge_wrapped(lines: list[_Line], text: str) -> list[_Line]:
    """PDF text breaks paragraphs into lines: join a line to the previous one when it reads on."""
    merged: list[_Line] = []
    for ln in lines:
        prev = merged[-1] if merged else None
        if (prev is not None and not ln.blank_before and prev.kind == "para" and ln.kind == "para"
                and (prev.text[-1] not in ".!?:;" or ln.text[0].islower()) and not _heading_like(prev.text)):
            prev.end = ln.end
            prev.text = text[prev.start:prev.end]
            continue
        merged.append(ln)
    return merged


def parse_blocks(text: str, page_starts: list[tuple[int, int | None]], doc_title: str = "",
                 wrapped: bool = False) -> list[Block]:
    """Split cleaned `text` into blocks; `page_starts` maps character offsets to page numbers."""
    lines = _lines(text)
    markdown = any(MD_HEADING.match(ln.text) for ln in lines)
    for ln in lines:
        if TABLE_SEP.match(ln.text) and "|" in ln.text:
            ln.kind = "sep"
        elif is_table_row(ln.text):
            ln.kind = "row"
        elif markdown:
            m = MD_HEADING.match(ln.text)
            if m:
                ln.kind, ln.level = "heading", len(m.group(1))
            elif ITEM.match(ln.text):
                ln.kind = "item"
        elif ITEM.match(ln.text) and not (NUMBERED.match(ln.text) and _heading_like(ln.text)):
            ln.kind = "item"
    if wrapped:
        lines = _merge_wrapped(lines, text)
    if not markdown:
        _mark_plain_headings(lines, doc_title)
    return _to_blocks(lines, text, page_starts, doc_title)


def _mark_plain_headings(lines: list[_Line], doc_title: str) -> None:
    cand = [i for i, ln in enumerate(lines) if ln.kind == "para" and _heading_like(ln.text) and i + 1 < len(lines)]
    # A line right after a quotation is its attribution, not a heading.
    cand = [i for i in cand if not (i > 0 and lines[i - 1].text[:1] in "“\"")]
    for i in cand:
        lines[i].kind = "heading"
    headings = [lines[i].text for i in cand]
    recurring = {h for h in headings if sum(_similar(h, o) for o in headings) >= 2}

    def body_len(i: int) -> int:
        n = 0
        for ln in lines[i + 1:]:
            if ln.kind == "heading":
                break
            n += ln.kind != "sep"
        return n

    stack: list[_Line] = []  # open headings, outermost first
    prev_heading: _Line | None = None
    prev_was_heading = False
    run_level: dict[int, int] = {}  # number -> level of the numbered run it belongs to
    last_number: int | None = None
    for i, ln in enumerate(lines):
        if ln.kind != "heading":
            prev_was_heading = False
            continue
        numbered = NUMBERED.match(ln.text)
        if doc_title and _norm(ln.text) == _norm(doc_title):
            level = 0
        elif prev_was_heading and prev_heading is not None:
            level = prev_heading.level + 1
        elif numbered:
            n = int(numbered.group(1))
            if last_number is not None and n == last_number + 1 and (n - 1) in run_level:
                level = run_level[n - 1]
            else:
                level = (stack[0].level if stack and stack[0].level >= 1 else 0) + 1
                run_level.clear()
            run_level[n] = level
            last_number = n
            ln.number = n
        else:
            in_numbered = next((h for h in reversed(stack) if h.number is not None), None)
            if in_numbered is not None and ln.text in recurring:
                level = in_numbered.level + 1
            elif (in_numbered is not None and prev_heading is not None
                  and prev_heading.level == in_numbered.level + 2 and body_len(i) <= 2):
                level = prev_heading.level
            else:
                level = 1
                last_number = None
        ln.level = level
        while stack and stack[-1].level >= level:
            stack.pop()
        if level > 0:
            stack.append(ln)
        else:
            stack.clear()
        prev_heading = ln
        prev_was_heading = True


def _norm(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", s.lower()).strip()


def _page_at(offset: int, page_starts: list[tuple[int, int | None]]) -> int | None:
    page = page_starts[0][1] if page_starts else None
    for start, number in page_starts:
        if start > offset:
            break
        page = number
    return page


def _to_blocks(lines: list[_Line], text: str, page_starts: list[tuple[int, int | None]], doc_title: str) -> list[Block]:
    blocks: list[Block] = []
    path: list[tuple[int, str]] = []
    header: list[str] | None = None
    for ln in lines:
        page = _page_at(ln.start, page_starts)
        if ln.kind == "heading":
            label = MD_HEADING.sub(r"\2", ln.text) if ln.text.startswith("#") else ln.text
            if ln.level == 0 or (ln.level == 1 and doc_title and _norm(label) == _norm(doc_title) and not path):
                path = []
            else:
                path = [p for p in path if p[0] < ln.level] + [(ln.level, label)]
            header = None
            blocks.append(Block("heading", label, ln.start, ln.end, page, tuple(p[1] for p in path), ln.level))
            continue
        section = tuple(p[1] for p in path)
        if ln.kind == "sep":
            continue
        if ln.kind == "row":
            cells = split_cells(ln.text, keep_empty=True)
            if header is None:
                header = cells
                blocks.append(Block("row", ln.text, ln.start, ln.end, page, section))
                blocks[-1].level = -1  # header row
                continue
            named = zip(header + [""] * len(cells), cells, strict=False)
            readable = "; ".join(f"{h}: {c}" if h else c for h, c in named if c) or ln.text
            blk = Block("row", readable, ln.start, ln.end, page, section)
            blocks.append(blk)
            continue
        header = None
        blocks.append(Block(ln.kind, text[ln.start:ln.end], ln.start, ln.end, page, section))
    return blocks
