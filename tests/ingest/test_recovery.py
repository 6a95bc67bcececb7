"""Issue #7.8: the index can be recreated from the stored originals (even without its catalog), and a
removed document comes back from the trash until it is purged. Run through the CLI as staff would."""

from __future__ import annotations

import pytest
from ingest_checks import assert_consistent, index_ids, run_json
from pdfs import text_pdf

from ingest.catalog import Catalog
from ingest.pipeline import Ingestor
from ingest.settings import Settings

pytestmark = pytest.mark.slow


@pytest.fixture
def indexed(tmp_path):
    """A data directory holding a Markdown guide (with sources.toml metadata) and a PDF."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "cyber.md").write_text("# Cyber basics\n\nPatch quickly and keep offline backups.\n\n## People\n\n"
                                     "Train staff to spot phishing emails every quarter.\n", encoding="utf-8")
    (folder / "floods.pdf").write_bytes(text_pdf([["Flood plan", "Sensors warn residents early."],
                                                  ["Recovery", "Grants replace damaged boilers."]]))
    (folder / "sources.toml").write_text('[[document]]\nfile = "cyber.md"\ntitle = "Cyber basics for councils"\n'
                                         'publisher = "Socitm"\nkind = "guide"\nurl = "https://example.org/cyber"\n',
                                         encoding="utf-8")
    data = tmp_path / "data"
    report = Ingestor(Settings(data_dir=data)).ingest([folder])
    assert not report.failed
    return data


def _snapshot(data):
    catalog = Catalog(data / "catalog.sqlite3")
    try:
        docs = {d["doc_id"]: {k: d[k] for k in ("title", "publisher", "kind", "category", "url", "source", "n_chunks")}
                for d in catalog.documents()}
        return docs, {c.chunk_id: (c.text, c.section, c.page) for c in catalog.chunks()}
    finally:
        catalog.close()


def test_rebuild_recreates_the_same_index_from_the_originals(indexed):
    before = _snapshot(indexed)
    code, out, err = run_json(indexed, "--rebuild")
    assert code == 0, err
    assert out["embedded"] == 0 and out["counts"]["failed"] == 0  # vectors come from the catalog's cache
    assert _snapshot(indexed) == before
    assert assert_consistent(indexed) == len(before[1])


def test_rebuild_works_without_catalog_or_vector_store(indexed):
    before = _snapshot(indexed)
    catalog = indexed / "catalog.sqlite3"
    for part in indexed.glob("catalog.sqlite3*"):
        part.unlink()
    catalog.write_bytes(b"this is not a database" * 100)  # damaged beyond repair
    (indexed / "chroma" / "chroma.sqlite3").write_bytes(b"garbage" * 1000)
    code, out, err = run_json(indexed, "--rebuild")
    assert code == 0, err
    assert "The catalog was damaged; it was moved to" in err
    assert list(indexed.glob("catalog.sqlite3.damaged-*"))
    assert out["counts"]["added"] == 2 and out["embedded"] == len(before[1])
    assert _snapshot(indexed)[1] == before[1]
    after_docs = _snapshot(indexed)[0]
    assert after_docs["cyber"]["title"] == "Cyber basics for councils" and after_docs["cyber"]["category"] == "guide"
    assert after_docs == before[0]
    assert assert_consistent(indexed) == len(before[1])


def test_remove_restore_and_purge(indexed):
    before = _snapshot(indexed)
    n = before[0]["floods"]["n_chunks"]
    code, out, err = run_json(indexed, "--remove", "floods")
    assert code == 0, err
    assert [(r["doc_id"], r["status"], r["chunks"]) for r in out["results"]] == [("floods", "removed", n)]
    assert not any(cid.startswith("floods:") for ids in index_ids(indexed) for cid in ids)
    assert (indexed / "trash" / "floods" / "floods.pdf").is_file() and not (indexed / "files" / "floods").exists()

    code, out, err = run_json(indexed, "--restore", "floods")
    assert code == 0, err
    assert [(r["doc_id"], r["status"]) for r in out["results"]] == [("floods", "restored")] and out["embedded"] == 0
    assert _snapshot(indexed)[1] == before[1] and assert_consistent(indexed) == len(before[1])
    assert not (indexed / "trash" / "floods").exists()

    code, _, err = run_json(indexed, "--remove", "floods", "--purge")
    assert code == 0 and "Purged 1 removed documents." in err
    assert not (indexed / "trash" / "floods").exists()
    code, out, err = run_json(indexed, "--restore", "floods")
    assert code == 2 and "'floods' is not in the trash" in out["error"]


def test_a_removal_cut_short_is_finished_and_lost_catalogs_keep_their_originals(indexed, tmp_path):
    ingestor = Ingestor(Settings(data_dir=indexed))
    # what SIGKILL right after the catalog commit of a removal leaves: the original still under files/
    ingestor.originals.mark_removing("floods")
    ids = ingestor.catalog.remove_document("floods")
    assert ids and (indexed / "files" / "floods").is_dir()
    other = tmp_path / "other.txt"
    other.write_text("Parking\n\nPermits are issued online.\n", encoding="utf-8")
    Ingestor(Settings(data_dir=indexed)).ingest([other])  # the next run reconciles
    assert not (indexed / "files" / "floods").exists() and (indexed / "trash" / "floods" / "floods.pdf").is_file()
    assert assert_consistent(indexed) == len(Ingestor(Settings(data_dir=indexed)).catalog.chunk_ids())
    # a catalog lost altogether: an ordinary run leaves the stored originals alone for --rebuild
    for part in indexed.glob("catalog.sqlite3*"):
        part.unlink()
    Ingestor(Settings(data_dir=indexed)).ingest([other])
    assert (indexed / "files" / "cyber" / "cyber.md").is_file()
    report = Ingestor(Settings(data_dir=indexed)).rebuild()
    assert sorted(r.doc_id for r in report.results) == ["cyber", "other"] and not report.failed
    assert Ingestor(Settings(data_dir=indexed)).catalog.document("cyber")["title"] == "Cyber basics for councils"
