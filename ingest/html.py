"""HTML to structured plain text: headings as '#' lines, lists as '- ', tables as pipe rows; no scripts."""

from __future__ import annotations

import re

DROP = ["script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "form",
        "nav", "header", "footer", "aside", "button", "select", "input", "canvas"]
BLOCKS = {"p", "div", "section", "article", "main", "blockquote", "pre", "dd", "dt", "figcaption", "address"}


def html_to_text(html: str) -> tuple[str, str]:
    """Return (text, title). Only visible text is kept; link targets (including javascript:) are dropped."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup(DROP):
        tag.decompose()
    for tag in soup.find_all(hidden=True):
        tag.decompose()
    for tag in soup.find_all(style=re.compile(r"display\s*:\s*none", re.I)):
        tag.decompose()
    body = soup.body or soup
    lines: list[str] = []
    _walk(body, lines)
    text = "\n".join(ln for ln in lines if ln.strip())
    if not title:
        h1 = soup.find("h1")
        title = h1.get_text(" ", strip=True) if h1 else ""
    return text, title


def _inline(node) -> str:  # type: ignore[no-untyped-def]
    """Visible text of a node as a browser would run it together: spaces only where the page has them,
    or between block-level children (so "<a>link</a>." stays "link.")."""
    from bs4 import NavigableString, Tag

    parts: list[str] = []

    def walk(n) -> None:  # type: ignore[no-untyped-def]
        for child in n.children:
            if isinstance(child, NavigableString):
                if child.__class__.__name__ not in {"Comment", "Doctype", "CData", "ProcessingInstruction"}:
                    parts.append(str(child))
            elif isinstance(child, Tag):
                spaced = child.name in BLOCKS or child.name in {"br", "li", "tr", "td", "th", "p", "ul", "ol", "table"}
                if spaced:
                    parts.append(" ")
                walk(child)
                if spaced:
                    parts.append(" ")

    walk(node)
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _walk(node, lines: list[str]) -> None:  # type: ignore[no-untyped-def]
    from bs4 import NavigableString, Tag

    buffer: list[str] = []

    def flush() -> None:
        text = re.sub(r"\s+", " ", "".join(buffer)).strip()
        if text:
            lines.append(text)
        buffer.clear()

    for child in node.children:
        if isinstance(child, NavigableString):
            if child.__class__.__name__ in {"Comment", "Doctype", "CData", "ProcessingInstruction"}:
                continue
            buffer.append(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name.lower()
        if re.fullmatch(r"h[1-6]", name):
            flush()
            text = _inline(child)
            if text:
                lines.append("#" * int(name[1]) + " " + text)
        elif name in {"ul", "ol"}:
            flush()
            for li in child.find_all("li", recursive=False):
                text = _inline(li)
                if text:
                    lines.append("- " + text)
        elif name == "table":
            flush()
            for tr in child.find_all("tr"):
                cells = [_inline(c) for c in tr.find_all(["td", "th"])]
                if any(cells):
                    lines.append(" | ".join(cells) + " |")
        elif name == "br":
            buffer.append(" ")
        elif name in BLOCKS or name == "li":
            flush()
            _walk(child, lines)
        else:
            buffer.append(" " + _inline(child) + " " if _spaced(child) else _inline(child))
    flush()


def _spaced(tag) -> bool:  # type: ignore[no-untyped-def]
    """An inline tag keeps the whitespace around it that the page had (its text alone is stripped)."""
    text = tag.get_text()
    return bool(text) and (text[0].isspace() or text[-1].isspace())
