"""Pure functions from answers and events to what the chat shows: escaped HTML, never active content.

Everything from documents, questions or the LLM goes through `esc`, which HTML-escapes it and also
encodes the characters Markdown and LaTeX react to, so document text can never become a link, an
image, a script or a formula. Each message is one HTML block with no blank lines, so the chat's
Markdown renderer passes it through as is (and its HTML sanitiser still runs as a second guard).
"""

from __future__ import annotations

import re
import unicodedata
import urllib.parse
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ingest.errors import BadQuestion, IndexUnavailable, LLMUnavailable, SocitmError
from ingest.records import Chunk

from .records import Answer, Citation

NOTICE = ("Answers come only from the Socitm guidance held in this assistant's library and may be "
          "incomplete. Check the cited source before acting on an answer.")
EXAMPLES = [
    "What are Socitm's five missions?",
    "What did Socitm say about levelling up and digital inclusion?",
    "How can councils work together on shared digital services?",
]

# Characters that Markdown, GFM autolinks or LaTeX treat as syntax, plus the HTML specials.
_SPECIAL = set("&<>\"'`*_[](){}#!|~\\:$=/@.+-")
_INVISIBLE = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_MARKER = re.compile(r"\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]")
_BULLET = re.compile(r"^[-*\u2022]\s+")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")


def esc(text: str) -> str:
    """Text to inert HTML: specials as numeric entities, invisible controls dropped, newlines as <br>."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", str(text)))
    out = "".join(f"&#{ord(ch)};" if ch in _SPECIAL else ch for ch in text)
    return out.replace("\r\n", "\n").replace("\n", "<br>")


def esc_attr(text: str) -> str:
    return esc(text).replace("<br>", " ")


def _inline(text: str) -> str:
    """Escaped text with **bold** and [n] citation markers kept as markup."""
    out, pos = [], 0
    for m in _BOLD.finditer(text):
        out.append(_markers(text[pos:m.start()]))
        out.append(f"<strong>{_markers(m.group(1))}</strong>")
        pos = m.end()
    out.append(_markers(text[pos:]))
    return "".join(out)


def _markers(text: str) -> str:
    out, pos = [], 0
    for m in _MARKER.finditer(text):
        out.append(esc(text[pos:m.start()]))
        out.append(f'<sup class="cite">&#91;{m.group(1)}&#93;</sup>')
        pos = m.end()
    out.append(esc(text[pos:]))
    return "".join(out)


def format_text(text: str) -> str:
    """Answer text (Markdown-ish, from the assistant) to safe HTML paragraphs and bullet lists."""
    html = []
    for para in re.split(r"\n\s*\n", text.strip()):
        lines = [ln.strip() for ln in para.split("\n") if ln.strip()]
        if not lines:
            continue
        if all(_BULLET.match(ln) for ln in lines):
            items = "".join(f"<li>{_inline(_BULLET.sub('', ln))}</li>" for ln in lines)
            html.append(f"<ul>{items}</ul>")
        else:
            html.append("<p>" + "<br>".join(_inline(ln) for ln in lines) + "</p>")
    return "".join(html)


def safe_url(url: str) -> str:
    """The URL when it is plain http(s), else empty: no javascript:, data: or other schemes."""
    url = (url or "").strip()
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme.lower() in ("http", "https") and parsed.netloc and not _INVISIBLE.search(url) \
            and not any(ch.isspace() for ch in url):
        return url
    return ""


def source_link(chunk: Chunk, files_base: str = "files/") -> tuple[str, str]:
    """(href, label) for a chunk's source: the original web address, else the copy the app serves."""
    web = safe_url(chunk.url) or (safe_url(chunk.source) if chunk.source.lower().startswith("http") else "")
    if web:
        return web, "Open the original web page" if chunk.kind != "pdf" else "Open the original PDF"
    href = files_base + urllib.parse.quote(chunk.doc_id, safe="")
    kind = {"pdf": "PDF", "docx": "Word document", "html": "web page", "markdown": "text", "text": "text"}
    label = f"Open the document ({kind.get(chunk.kind, 'file')})"
    if chunk.kind == "pdf" and chunk.page:
        href += f"#page={int(chunk.page)}"
        label = f"Open the PDF at page {int(chunk.page)}"
    return href, label


def highlight(text: str, sentences: Iterable[str]) -> str:
    """Escaped passage text with each cited sentence wrapped in <mark>."""
    spans: list[tuple[int, int]] = []
    for s in sentences:
        s = s.strip()
        if not s:
            continue
        i = text.find(s)
        if i < 0:
            continue
        spans.append((i, i + len(s)))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    out, pos = [], 0
    for start, end in merged:
        out.append(esc(text[pos:start]))
        out.append(f"<mark>{esc(text[start:end])}</mark>")
        pos = end
    out.append(esc(text[pos:]))
    return "".join(out)


def where(chunk: Chunk) -> str:
    """'Section › Sub · page 3' (the parts that are known)."""
    parts = []
    section = [s for s in chunk.section if s and s != chunk.title]
    if section:
        parts.append(" › ".join(section))
    if chunk.page:
        parts.append(f"page {chunk.page}")
    return " · ".join(parts)


def source_card(citation: Citation, files_base: str = "files/") -> str:
    """One collapsible card: number, title, section and page; a link; the passage with the cited sentences marked."""
    c = citation.chunk
    href, label = source_link(c, files_base)
    place = where(c)
    summary = (f'<span class="source-n">&#91;{citation.n}&#93;</span> <strong>{esc(c.title or c.doc_id)}</strong>'
               + (f' <span class="source-where">&#8212; {esc(place)}</span>' if place else ""))
    external = href.startswith("http")
    target = ' target="_blank" rel="noopener noreferrer nofollow"' if external else ' target="_blank" rel="noopener"'
    link = f'<p class="source-link"><a href="{esc_attr(href)}"{target}>{esc(label)}</a></p>'
    passage = f'<blockquote class="passage">{highlight(c.shown, citation.sentences)}</blockquote>'
    return f'<details class="source" id="source-{citation.n}"><summary>{summary}</summary>{link}{passage}</details>'


def render_answer(answer: Answer, files_base: str = "files/") -> str:
    """A whole assistant message: the answer, notices, and a Sources list (or, for a decline, nearest topics)."""
    parts = [f'<div class="answer{" declined" if not answer.answered else ""}">', format_text(answer.text)]
    for notice in answer.notices:
        parts.append(f'<p class="notice"><strong>Note:</strong> {esc(notice)}</p>')
    if not answer.answered:
        if answer.suggestions:
            items = "".join(f"<li>{esc(s)}</li>" for s in answer.suggestions)
            parts.append(f'<p class="topics-heading">Nearest topics in the guidance:</p><ul class="topics">{items}</ul>')
    elif answer.citations:
        cards = "".join(source_card(c, files_base) for c in answer.citations)
        parts.append(f'<div class="sources"><p class="sources-heading"><strong>Sources</strong></p>{cards}</div>')
    parts.append("</div>")
    return "".join(parts)


def render_partial(text: str) -> str:
    """A message still streaming in."""
    return f'<div class="answer streaming">{format_text(text) or "<p>&#8230;</p>"}</div>'


def render_question(text: str) -> str:
    return f'<div class="question"><p>{esc(text)}</p></div>'


def error_message(error: BaseException) -> str:
    """A friendly, safe message for a failure; the conversation carries on."""
    if isinstance(error, BadQuestion):
        text = str(error)
    elif isinstance(error, IndexUnavailable):
        text = ("The guidance library is not available at the moment, so I cannot answer. Please try again later. "
                "(Staff: build the index with python -m ingest corpus/ or check the Chroma server.)")
    elif isinstance(error, LLMUnavailable):
        text = "The answering service is not responding at the moment. Please try again in a minute."
    elif isinstance(error, SocitmError):
        text = f"I could not answer that: {error}"
    else:
        text = "Something went wrong while answering. Please try again; if it keeps happening, tell the Socitm team."
    return f'<div class="answer error" role="alert"><p><strong>Sorry.</strong> {esc(text)}</p></div>'


def short(text: str, limit: int = 60) -> str:
    """A question shortened for a one-line mention (plain text; escape it where it is shown as HTML)."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def chunk_ids(answer: Answer) -> list[str]:
    return [c.chunk.chunk_id for c in answer.citations]


# staff desk tables ---------------------------------------------------------------------------------
STATUS_WORDS = {"added": "Added", "updated": "Updated", "unchanged": "Unchanged", "failed": "FAILED",
                "removed": "Removed", "restored": "Restored"}
RESULT_HEADERS = ["Document", "Result", "Title", "Chunks", "Details"]
DOCUMENT_HEADERS = ["ID", "Title", "Type", "Chunks", "Added", "Source", "Learned check"]


def result_rows(results: Sequence[Any]) -> list[list[Any]]:
    """Rows of a per-document result table; a failure is spelt out in words, not shown by colour alone."""
    rows = []
    for r in results:
        status = STATUS_WORDS.get(r.status, r.status)
        detail = r.reason if r.status == "failed" else (f"id {r.doc_id}" if r.doc_id else "")
        rows.append([r.source, status, r.title, r.chunks, detail])
    return rows


def document_rows(docs: Sequence[dict[str, Any]], judged: Callable[[str, str], bool] | None = None
                  ) -> list[list[Any]]:
    """Rows of the documents table. "Learned check" says whether the learned decline check was trained on the
    document as it is now (`judged(doc_id, content_hash)`); when not, only the rules decline for it."""
    def check(d: dict[str, Any]) -> str:
        if judged is None:
            return "off"
        return "yes" if judged(d["doc_id"], d.get("content_hash") or "") else "no: retrain (python -m assistant learn)"
    return [[d["doc_id"], d.get("title") or "", d.get("kind") or "", d.get("n_chunks") or 0,
             (d.get("added_at") or "")[:10], d.get("url") or d.get("source") or "", check(d)] for d in docs]
