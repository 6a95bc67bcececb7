"""The pipeline end to end with the real model and a real Chroma in temp folders: add, update, remove,
sync, metadata, PDFs, Markdown and Word, and the CLI as staff run it."""

from __future__ import annotations

import re

import pytest
from ingest_checks import assert_consistent, run_cli, run_json
from pdfs import text_pdf

from assistant.index import Index
from assistant.retriever import HybridRetriever
from ingest.catalog import Catalog
from ingest.pipeline import Ingestor
from ingest.settings import Settings
from ingest.store import VectorStore

pytestmark = pytest.mark.slow

PROSPECTUS = "socitm-prospectus-five-missions"
RESPONSE = "levelling-up-socitm-response"
META_KEYS = {"doc_id", "title", "publisher", "source", "url", "kind", "page", "section", "start", "end",
             "content_hash", "ingested_at", "ordinal"}


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


def _write(folder, name: str, text: str):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


GUIDE = """# Cyber guide

Councils should patch systems quickly and keep offline backups of critical data.

## Incident response

Rehearse the incident plan every year with the whole leadership team.

## Supply chain

Ask suppliers for evidence of their security controls before signing contracts.
"""


# --- update, removal, sync ------------------------------------------------------------------------

def test_update_replaces_old_chunks_everywhere(settings, tmp_path):
    folder = tmp_path / "docs"
    path = _write(folder, "cyber-guide.md", GUIDE)
    ingestor = Ingestor(settings)
    first = ingestor.ingest([folder])
    assert [r.status for r in first.results] == ["added"]
    old_ids = set(ingestor.catalog.chunk_ids("cyber-guide"))
    old_supply = next(c for c in ingestor.catalog.chunks(doc_id="cyber-guide") if "Supply chain" in c.section)
    path.write_text(GUIDE.replace("every year", "every six months").replace("# Cyber guide\n",
                    "# Cyber guide\n\nA new opening paragraph about cyber resilience.\n"), encoding="utf-8")
    second = ingestor.ingest([folder])
    assert [r.status for r in second.results] == ["updated"]
    new_ids = set(ingestor.catalog.chunk_ids("cyber-guide"))
    assert old_ids - new_ids and new_ids - old_ids
    assert assert_consistent(settings.data_dir) == len(new_ids)
    texts = " ".join(c.text for c in ingestor.catalog.chunks(doc_id="cyber-guide"))
    assert "every six months" in texts and "every year" not in texts
    # an unchanged passage keeps its id (and vector) but its metadata follows the new offsets
    supply = next(c for c in ingestor.catalog.chunks(doc_id="cyber-guide") if "Supply chain" in c.section)
    assert supply.chunk_id == old_supply.chunk_id and supply.start > old_supply.start
    meta = VectorStore(settings.data_dir).collection.get(ids=[supply.chunk_id], include=["metadatas"])["metadatas"][0]
    assert (meta["start"], meta["end"], meta["ordinal"]) == (supply.start, supply.end, supply.ordinal)
    hits = HybridRetriever(Index(settings)).retrieve("how often to rehearse the incident plan", k=3)
    assert "every six months" in hits[0].chunk.text


def test_remove_leaves_nothing_behind_and_restore_brings_it_back(settings, tmp_path):
    folder = tmp_path / "docs"
    _write(folder, "cyber-guide.md", GUIDE)
    _write(folder, "other.txt", "Digital inclusion\n\nLibraries lend laptops and teach basic digital skills.\n")
    ingestor = Ingestor(settings)
    ingestor.ingest([folder])
    total = assert_consistent(settings.data_dir)
    n = len(ingestor.catalog.chunk_ids("cyber-guide"))
    removed = ingestor.remove("cyber-guide")
    assert removed.status == "removed" and removed.chunks == n
    assert assert_consistent(settings.data_dir) == total - n
    assert not ingestor.catalog.chunk_ids("cyber-guide") and ingestor.catalog.document("cyber-guide") is None
    assert not VectorStore(settings.data_dir).collection.get(where={"doc_id": "cyber-guide"})["ids"]
    assert not [h for h in Index(settings).bm25.current().search("patch systems offline backups", 5)
                if h[0].startswith("cyber-guide")]
    assert (settings.trash_dir / "cyber-guide" / "cyber-guide.md").is_file()
    restored = ingestor.restore("cyber-guide")
    assert [r.status for r in restored.results] == ["restored"] and restored.embedded == 0
    assert assert_consistent(settings.data_dir) == total
    assert not (settings.trash_dir / "cyber-guide").exists()


def test_sync_removes_documents_gone_from_the_folder(settings, tmp_path):
    folder = tmp_path / "docs"
    _write(folder, "cyber-guide.md", GUIDE)
    gone = _write(folder, "other.txt", "Digital inclusion\n\nLibraries lend laptops and teach digital skills.\n")
    ingestor = Ingestor(settings)
    ingestor.ingest([folder])
    gone.unlink()
    report = ingestor.sync(folder)
    assert sorted((r.doc_id, r.status) for r in report.results) == [("cyber-guide", "unchanged"), ("other", "removed")]
    assert {d["doc_id"] for d in ingestor.list()} == {"cyber-guide"}
    assert_consistent(settings.data_dir)


def test_sync_keeps_the_indexed_version_of_a_document_that_now_fails(settings, tmp_path):
    folder = tmp_path / "docs"
    _write(folder, "cyber-guide.md", GUIDE)
    broken = folder / "report.pdf"
    broken.write_bytes(text_pdf([["Annual report of the council."], ["Second page."]]))
    ingestor = Ingestor(settings)
    ingestor.ingest([folder])
    broken.write_bytes(broken.read_bytes()[:200])  # damaged by a bad copy
    report = ingestor.sync(folder)
    assert [r.status for r in report.results if r.doc_id == "report"] == ["failed"]
    assert ingestor.catalog.document("report") is not None


# --- formats through the whole pipeline ------------------------------------------------------------

def test_pdf_pages_headers_footers_and_hyphenation(settings, tmp_path):
    body = [
        ["Socitm Policy Briefing", "Digital leadership in places", "Councils need strong digital leaders who under-",
         "stand their communities and their infra-", "structure.", "Page 1 of 3"],
        ["Socitm Policy Briefing", "Data sharing", "Partners share data under clear agreements so that resi-",
         "dents get joined-up services.", "Page 2 of 3"],
        ["Socitm Policy Briefing", "Cyber resilience", "Every council rehearses its incident plan with suppliers.",
         "Page 3 of 3"],
    ]
    path = tmp_path / "briefing.pdf"
    path.write_bytes(text_pdf(body, title="Digital places briefing"))
    ingestor = Ingestor(settings)
    report = ingestor.ingest([path])
    assert [r.status for r in report.results] == ["added"]
    doc = ingestor.catalog.document("briefing")
    assert doc["title"] == "Digital places briefing" and doc["kind"] == "pdf"
    text = ingestor.catalog.document_text("briefing")
    assert "Socitm Policy Briefing" not in text and "Page 1 of 3" not in text
    assert "who understand their communities and their infrastructure." in text
    assert "so that residents get joined-up services." in text
    chunks = ingestor.catalog.chunks(doc_id="briefing")
    pages = {c.page for c in chunks}
    assert pages == {1, 2, 3}
    by_page = {c.page: c.text for c in chunks}
    assert "Cyber resilience" not in by_page[3] and "rehearses its incident plan" in by_page[3]
    cyber = next(c for c in chunks if "incident plan" in c.text)
    assert cyber.section == ("Cyber resilience",) and cyber.page == 3
    # no words lost: every word of the body (hyphenation undone) is in the cleaned text
    words = set(re.findall(r"[a-z]+", " ".join(" ".join(p[1:-1]) for p in body).lower().replace("-\n", "")))
    joined = {"under", "stand", "infra", "structure", "resi", "dents"}
    assert words - joined <= set(re.findall(r"[a-z]+", text.lower()))
    assert_consistent(settings.data_dir)


def test_markdown_and_word_sections_reach_the_chunks(settings, tmp_path):
    import docx

    folder = tmp_path / "docs"
    _write(folder, "cyber-guide.md", GUIDE)
    d = docx.Document()
    d.add_heading("Workforce plan", 1)
    d.add_paragraph("Grow digital skills across every service.")
    d.add_heading("Apprenticeships", 2)
    d.add_paragraph("Offer data apprenticeships with the local college.")
    d.save(str(folder / "workforce.docx"))
    ingestor = Ingestor(settings)
    report = ingestor.ingest([folder])
    assert sorted(r.status for r in report.results) == ["added", "added"]
    md = {c.section: c.text for c in ingestor.catalog.chunks(doc_id="cyber-guide")}
    assert "Rehearse the incident plan every year with the whole leadership team." in md[("Incident response",)]
    word = {c.section: c.text for c in ingestor.catalog.chunks(doc_id="workforce")}
    assert word[("Apprenticeships",)] == "Offer data apprenticeships with the local college."
    assert ingestor.catalog.document("workforce")["kind"] == "docx"


# --- the corpus and the CLI ---------------------------------------------------------------------------

def test_every_chunk_in_chroma_carries_its_metadata(corpus_index):
    catalog = Catalog(corpus_index / "catalog.sqlite3")
    chunks = {c.chunk_id: c for c in catalog.chunks()}
    got = VectorStore(corpus_index).collection.get(include=["metadatas"])
    assert set(got["ids"]) == set(chunks)
    for cid, meta in zip(got["ids"], got["metadatas"], strict=True):
        assert META_KEYS <= set(meta), cid
        c = chunks[cid]
        assert meta["doc_id"] == c.doc_id and meta["title"] == c.title and meta["publisher"] == "Socitm"
        assert (meta["start"], meta["end"], meta["content_hash"]) == (c.start, c.end, c.content_hash)
        assert meta["section"] == " › ".join(c.section) and meta["source"].endswith(".txt")
        assert meta["page"] == -1 and meta["ingested_at"]
    catalog.close()


def test_second_cli_run_is_a_no_op(corpus_copy):
    code, out, _ = run_json(corpus_copy, "corpus/")
    assert code == 0
    assert out["counts"]["unchanged"] == 2 and out["counts"]["added"] == out["counts"]["updated"] == 0
    assert out["embedded"] == 0 and out["chunks_written"] == 0
    code, docs, _ = run_json(corpus_copy, "--list")
    assert code == 0
    titles = {d["doc_id"]: d["title"] for d in docs}
    assert titles == {PROSPECTUS: "Planting the flag for people and places: Socitm's prospectus for the five missions",
                      RESPONSE: "Levelling up – a Socitm response"}
    assert all(d["n_chunks"] > 0 and d["publisher"] == "Socitm" for d in docs)


def test_cli_usage_errors_are_one_clear_line(tmp_path):
    done = run_cli(tmp_path / "data", "--remove", "no-such-doc")
    assert done.returncode == 2 and done.stderr.strip() == (
        "error: No document with id 'no-such-doc'. See: python -m ingest --list")
    done = run_cli(tmp_path / "data", "--restore", "nothing")
    assert done.returncode == 2 and "is not in the trash" in done.stderr


def test_dry_run_reports_without_writing(tmp_path):
    folder = tmp_path / "docs"
    _write(folder, "cyber-guide.md", GUIDE)
    data = tmp_path / "data"
    code, out, err = run_json(data, "--dry-run", str(folder))
    assert code == 0, err
    assert [(r["doc_id"], r["status"]) for r in out["results"]] == [("cyber-guide", "added")]
    assert out["results"][0]["chunks"] == 3 and out["embedded"] == 0
    assert not (data / "files").exists() and Catalog(data / "catalog.sqlite3").chunk_count() == 0
    code, out, _ = run_json(data, "--dry-run", "--remove", "cyber-guide")
    assert code == 2 and "--dry-run previews adding and updating only" in out["error"]
