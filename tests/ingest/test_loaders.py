"""Loaders on real files: PDFs written by the tests, HTML, Markdown, Word, odd encodings and bad bytes."""

from __future__ import annotations

import io
import os
import time

import pytest
from pdfs import (
    encrypted_pdf,
    garbled,
    image_only_pdf,
    lying_count_pdf,
    many_pages_pdf,
    nested_array_pdf,
    nested_pages_pdf,
    slow_pdf,
    text_pdf,
    truncated,
    zip_bomb_pdf,
)

from ingest.errors import BadDocument
from ingest.loaders import LoadLimits, decode_text, load_bytes, load_path, sniff

LIMITS = LoadLimits(max_bytes=2 * 1024 * 1024, max_pdf_pages=40)


def _bad(data: bytes, name: str, declared: str | None, limits: LoadLimits = LIMITS) -> str:
    with pytest.raises(BadDocument) as err:
        load_bytes(data, name, limits, declared)
    assert err.value.source == name
    return err.value.reason


# --- good documents ------------------------------------------------------------------------------

def test_pdf_pages_keep_their_numbers_and_text():
    pdf = text_pdf([["First page text."], ["Second page £5 and ‘quotes’."], ["Third."]], title="A Test PDF")
    doc = load_bytes(pdf, "report.pdf", LIMITS, "pdf")
    assert doc.kind == "pdf" and doc.title == "A Test PDF" and doc.doc_id == "report"
    assert [p.number for p in doc.pages] == [1, 2, 3]
    assert "£5" in doc.pages[1].text and "‘quotes’" in doc.pages[1].text


def test_pdf_with_only_an_owner_password_is_read():
    pdf = encrypted_pdf(text_pdf([["Readable by anyone."]]), user_password="")
    assert "Readable by anyone." in load_bytes(pdf, "open.pdf", LIMITS, "pdf").pages[0].text


def test_windows_1252_text_keeps_pound_sign_and_curly_quotes():
    text = "Funding of £1.4 million – Socitm’s “view”\n\nSecond paragraph.\n"
    doc = load_bytes(text.encode("cp1252"), "note.txt", LIMITS, "text")
    assert doc.pages[0].text == text


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig", "utf-8"])
def test_unicode_encodings_load_correctly(encoding):
    text = "Socitm’s £2,500 members — “local” first.\nÉtude naïve.\n"
    doc = load_bytes(text.encode(encoding), "note.txt", LIMITS, "text")
    assert doc.pages[0].text == text


def test_html_drops_scripts_styles_and_javascript_links_but_keeps_text_and_headings():
    html = b"""<!DOCTYPE html><html><head><title>Smart places</title>
    <style>body { color: red }</style><script>alert('x'); var secret = 1;</script></head>
    <body><nav>Home | About</nav><h1>Smart places</h1><p>Intro with a <a href="javascript:steal()">link text</a>.</p>
    <h2>Economy</h2><p onclick="evil()">Growth <b>matters</b>.</p><noscript>Enable JS</noscript>
    <div hidden>hidden text</div><div style="display:none">invisible</div>
    <ul><li>One</li><li>Two</li></ul><table><tr><th>Area</th><th>Lead</th></tr><tr><td>Skills</td><td>Council</td></tr></table>
    <script type="text/javascript">document.write('injected')</script></body></html>"""
    doc = load_bytes(html, "page.html", LIMITS, "html")
    text = doc.pages[0].text
    assert doc.kind == "html" and doc.title == "Smart places"
    assert text.split("\n") == ["# Smart places", "Intro with a link text.", "## Economy", "Growth matters.",
                                "- One", "- Two", "Area | Lead |", "Skills | Council |"]
    for gone in ("alert", "secret", "color", "javascript", "steal", "evil", "injected", "Enable JS", "hidden text",
                 "invisible", "Home | About"):
        assert gone not in text, gone


def test_markdown_with_a_few_tags_stays_markdown():
    md = b"# Guide\n\nSome <b>bold</b> text.\n\n## Part two\n\n<div>boxed</div>\n"
    doc = load_bytes(md, "guide.md", LIMITS, "markdown")
    assert doc.kind == "markdown" and "## Part two" in doc.pages[0].text


def test_docx_headings_lists_and_tables(tmp_path):
    import docx

    d = docx.Document()
    d.core_properties.title = "Word guide"
    d.add_heading("Word guide", 0)
    d.add_heading("Chapter one", 1)
    d.add_paragraph("Body of chapter one.")
    d.add_paragraph("A bullet", style="List Bullet")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Area", "Lead"
    table.cell(1, 0).text, table.cell(1, 1).text = "Skills", "Council"
    d.add_heading("Chapter two", 2)
    d.add_paragraph("Body of chapter two.")
    path = tmp_path / "guide.docx"
    d.save(str(path))
    doc = load_path(path, LIMITS)
    assert doc.kind == "docx" and doc.title == "Word guide"
    assert doc.pages[0].text.split("\n\n") == ["# Word guide", "# Chapter one", "Body of chapter one.", "- A bullet",
                                               "Area | Lead |\nSkills | Council |", "## Chapter two",
                                               "Body of chapter two."]


def test_content_wins_over_the_name():
    pdf = text_pdf([["Really a PDF."]])
    assert load_bytes(pdf, "mislabelled.txt", LIMITS, "text").kind == "pdf"


# --- bad documents: each refused with a reason that names the problem ------------------------------

@pytest.mark.parametrize(("make", "expect"), [
    (lambda: truncated(text_pdf([["Some text"]] * 3)), "corrupt"),
    (lambda: garbled(text_pdf([["Some text"]] * 3)), "corrupt"),
    (lambda: encrypted_pdf(text_pdf([["Secret text"]])), "encrypted"),
    (lambda: image_only_pdf(), "no text layer"),
    (lambda: many_pages_pdf(41), "41 pages, over the 40-page limit"),
    (lambda: nested_array_pdf(), "PDF"),
    (lambda: nested_pages_pdf(), "PDF"),
    (lambda: zip_bomb_pdf(120), "safety limits"),
    (lambda: b"", "is empty"),
    (lambda: b"   \n\t ", "is empty"),
    (lambda: os.urandom(4096), "not a PDF"),
])
def test_bad_pdfs_are_refused_with_a_reason(make, expect):
    assert expect in _bad(make(), "bad.pdf", "pdf")


def test_a_pdf_that_lies_about_its_page_count_is_read_for_what_it_is():
    doc = load_bytes(lying_count_pdf(), "liar.pdf", LIMITS, "pdf")
    assert len(doc.pages) == 1


def test_random_bytes_named_txt_are_not_text():
    data = bytes(range(256)) * 20
    assert "not readable text" in _bad(data, "noise.txt", "text") or "not a supported" in _bad(data, "noise.txt", "text")


def test_binary_zip_and_fake_docx_are_refused():
    buf = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.bin", b"\x00" * 10)
    assert "not a supported document type" in _bad(buf.getvalue(), "archive.txt", "text")
    assert "not one" in _bad(buf.getvalue(), "fake.docx", "docx")
    assert "not one" in _bad(b"PK\x03\x04 broken", "broken.docx", "docx")


def test_zip_bomb_docx_is_refused():
    buf = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b" " * (12 * 1024 * 1024))
    assert "zip bomb" in _bad(buf.getvalue(), "bomb.docx", "docx")


def test_files_over_the_size_limit_are_refused(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 300_000)  # 1.5 MB
    with pytest.raises(BadDocument, match="is 1.4 MB, over the 1 MB limit"):
        load_path(path, LoadLimits(max_bytes=1024 * 1024))


def test_missing_files_folders_and_unsupported_types(tmp_path):
    with pytest.raises(BadDocument, match="does not exist"):
        load_path(tmp_path / "gone.txt", LIMITS)
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(BadDocument, match="folder"):
        load_path(tmp_path / "folder.txt", LIMITS)
    (tmp_path / "tool.exe").write_bytes(b"MZ")
    with pytest.raises(BadDocument, match="unsupported type '.exe'"):
        load_path(tmp_path / "tool.exe", LIMITS)


def test_broken_utf16_is_a_bad_document_not_a_crash():
    with pytest.raises(BadDocument):
        decode_text(b"\xff\xfeA\x00B", "odd.txt")
    assert sniff(b"\xff\xfeA\x00B") in {"text", "binary"}


def test_a_pdf_that_takes_too_long_to_read_is_refused():
    t0 = time.monotonic()
    with pytest.raises(BadDocument, match=r"takes too long to read \(over 0.2 s at page \d\); refused"):
        load_bytes(slow_pdf(), "slow.pdf", LoadLimits(max_seconds=0.2), "pdf")
    assert time.monotonic() - t0 < 30
