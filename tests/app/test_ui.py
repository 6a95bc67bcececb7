"""Pure functions of the chat UI: escaping, source cards, highlighting, declines, errors, tables."""

from __future__ import annotations

import html
import re

from assistant import ui
from assistant.records import Answer, Citation
from ingest.errors import BadQuestion, IndexUnavailable, LLMUnavailable
from ingest.pipeline import DocResult
from ingest.records import Chunk

HOSTILE = ("<script>alert(1)</script> <img src=x onerror=alert(2)> ![pic](http://evil.example/x.png) "
           "[click](javascript:alert(3)) $$x$$ **bold** https://evil.example www.evil.example a@b.example")


def chunk(text: str = "First sentence here. The cited sentence is this one. Last sentence.", **kw) -> Chunk:
    base = dict(chunk_id="doc-1:0", doc_id="doc-1", text=text, start=0, end=len(text), section=("Guide", "Part A"),
                page=3, title="A guide", source="guide.pdf", url="", kind="pdf")
    base.update(kw)
    return Chunk(**base)  # type: ignore[arg-type]


def visible_text(fragment: str) -> str:
    """What a browser would show: tags stripped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment.replace("<br>", "\n")))


def tags(fragment: str) -> set[str]:
    return {m.lower() for m in re.findall(r"<\s*([a-zA-Z][a-zA-Z0-9]*)", fragment)}


SAFE_TAGS = {"div", "p", "br", "ul", "li", "strong", "sup", "details", "summary", "span", "a", "blockquote", "mark"}


def test_esc_makes_everything_inert_and_keeps_the_text():
    out = ui.esc(HOSTILE)
    assert "<" not in out.replace("<br>", "") and ">" not in out.replace("<br>", "")
    for ch in "[]()!*$:/":
        assert ch not in out, ch
    assert html.unescape(out) == HOSTILE


def test_esc_drops_invisible_and_bidi_controls():
    assert ui.esc("a\u202eb\u200bc\x00d") == "abcd"


def test_format_text_keeps_markers_bold_and_bullets_only():
    out = ui.format_text("Missions matter [1][2]. **Key** point [3, 4].\n\n- one [1]\n- two " + HOSTILE)
    assert tags(out) <= SAFE_TAGS
    assert out.count('<sup class="cite">') == 4  # [1] [2] [3, 4] [1]
    assert "<strong>Key</strong>" in out
    assert "<ul><li>" in out
    assert "onerror" in visible_text(out)  # shown as text
    assert "<img" not in out and "<script" not in out and "href" not in out


def test_highlight_marks_cited_sentences_and_escapes_the_rest():
    text = "Intro <b>bold</b>. The cited sentence is this one. Tail."
    out = ui.highlight(text, ["The cited sentence is this one.", "not present"])
    assert out.count("<mark>") == 1
    assert "<mark>The cited sentence is this one.</mark>".replace(".", "&#46;") in out
    assert "<b>" not in out
    assert visible_text(out) == text


def test_highlight_merges_overlapping_sentences():
    text = "Alpha beta gamma delta."
    out = ui.highlight(text, ["Alpha beta", "beta gamma"])
    assert out.count("<mark>") == 1 and visible_text(out) == text


def test_source_card_for_a_stored_pdf_links_to_the_page():
    card = ui.source_card(Citation(2, chunk(), 0.9, ["The cited sentence is this one."]))
    assert card.startswith('<details class="source"') and "<summary>" in card
    assert [html.unescape(h) for h in re.findall(r'href="([^"]*)"', card)] == ["files/doc-1#page=3"]
    shown = visible_text(card)
    assert "[2]" in shown and "A guide" in shown and "Part A" in shown and "page 3" in shown
    assert "<mark>" in card
    assert "\n" not in card  # one HTML block: the Markdown renderer leaves it alone


def test_source_card_for_a_web_document_links_to_the_original_address():
    c = chunk(url="https://socitm.net/guide/", kind="html", page=None)
    href, label = ui.source_link(c)
    assert href == "https://socitm.net/guide/" and "web page" in label
    card = ui.source_card(Citation(1, c, 0.5, []))
    assert 'rel="noopener noreferrer nofollow"' in card


def test_javascript_and_data_urls_never_become_links():
    for url in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>", " javascript:x",
                "http://exa mple.com", "vbscript:x", "https://ok.example/\u202egpj"):
        assert ui.safe_url(url) == "", url
        href, _ = ui.source_link(chunk(url=url, kind="html", page=None))
        assert href.startswith("files/"), url


def test_hostile_document_text_renders_as_text_everywhere():
    c = chunk(text=HOSTILE, title="<b onmouseover=alert(4)>T</b>", section=("<i>S</i>",))
    answer = Answer("q", "Answer " + HOSTILE + " [1]", True, [Citation(1, c, 0.9, ["<script>alert(1)</script>"])])
    out = ui.render_answer(answer)
    assert tags(out) <= SAFE_TAGS
    assert "onerror=" not in out.replace("onerror&#61;", "") and "javascript:" not in out
    assert "onmouseover=" not in out
    assert [html.unescape(h) for h in re.findall(r'href="([^"]*)"', out)] == ["files/doc-1#page=3"]
    assert "<script>alert(1)</script>" in visible_text(out)
    assert "\n" not in out


def test_render_answer_lists_sources_in_order():
    cites = [Citation(n, chunk(chunk_id=f"doc-1:{n}"), 0.5, []) for n in (1, 2, 3)]
    out = ui.render_answer(Answer("q", "A [1] B [2] C [3].", True, cites, notices=["LLM unavailable; quoted instead."]))
    assert "Sources" in out and out.count("<details") == 3
    assert out.index('id="source-1"') < out.index('id="source-2"') < out.index('id="source-3"')
    assert "Note:" in out
    assert ui.chunk_ids(Answer("q", "", True, cites)) == ["doc-1:1", "doc-1:2", "doc-1:3"]


def test_declined_answer_shows_topics_and_no_sources():
    answer = Answer("q", "The guidance does not cover that.", False, [Citation(1, chunk(), 0.1, [])],
                    suggestions=["Digital inclusion", "<b>Cyber</b>"])
    out = ui.render_answer(answer)
    assert "Nearest topics" in out and "<details" not in out and "Sources" not in out
    assert "<b>" not in out and "Digital inclusion" in visible_text(out)


def test_error_messages_are_friendly_and_safe():
    assert "not available" in visible_text(ui.error_message(IndexUnavailable("No index in /secret/path")))
    assert "/secret/path" not in visible_text(ui.error_message(IndexUnavailable("No index in /secret/path")))
    assert "not responding" in visible_text(ui.error_message(LLMUnavailable("timeout")))
    assert "too long" in visible_text(ui.error_message(BadQuestion("Your question is too long <b>")))
    assert "<b>" not in ui.error_message(BadQuestion("<b>"))
    assert "Something went wrong" in visible_text(ui.error_message(RuntimeError("boom /etc/passwd")))
    assert "passwd" not in ui.error_message(RuntimeError("boom /etc/passwd"))


def test_streaming_and_question_rendering():
    assert "&#8230;" in ui.render_partial("")
    assert "<img" not in ui.render_question("<img src=x onerror=alert(1)>")
    assert ui.short("word " * 40).endswith("\u2026") and len(ui.short("word " * 40)) <= 60


def test_tables_spell_out_status():
    rows = ui.result_rows([DocResult("a.pdf", "added", "a", "A", 3), DocResult("b.exe", "failed", reason="not supported")])
    assert rows[0][1] == "Added" and rows[1][1] == "FAILED" and rows[1][4] == "not supported"
    docs = ui.document_rows([{"doc_id": "a", "title": "A", "kind": "pdf", "n_chunks": 3,
                              "added_at": "2026-01-02T03:04:05+00:00", "source": "a.pdf", "url": ""}])
    assert docs == [["a", "A", "pdf", 3, "2026-01-02", "a.pdf", "off"]]
    doc = {"doc_id": "a", "content_hash": "h1"}
    assert ui.document_rows([doc], lambda d, h: (d, h) == ("a", "h1"))[0][-1] == "yes"
    assert ui.document_rows([{**doc, "content_hash": "h2"}], lambda d, h: (d, h) == ("a", "h1"))[0][-1].startswith("no: retrain")
