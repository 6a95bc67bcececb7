"""Staff desk operations on a real index: staging uploads safely, add, remove, restore, re-index, serving."""

from __future__ import annotations

import pytest

from assistant.desk import Desk, clean_filename, parse_urls, suffix_for
from ingest.errors import SocitmError
from ingest.pipeline import Ingestor
from ingest.settings import Settings


@pytest.mark.parametrize("given, expected", [
    ("../../etc/passwd", "passwd"),
    ("/abs/path/report.PDF", "report.PDF"),
    ("C:\\Users\\x\\notes.md", "notes.md"),
    ("..hidden.txt", "hidden.txt"),
    ("evil\u202etxt.exe", "eviltxt.exe"),
    ("ｆｕｌｌ ｗｉｄｔｈ.pdf", "full width.pdf"),
    ("a\x00b<c>|d?.txt", "ab_c__d.txt"),
    ("", "upload"),
    ("...", "upload"),
    ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
])
def test_clean_filename(given, expected):
    assert clean_filename(given) == expected


def test_suffix_follows_content():
    assert suffix_for("pdf", "report.txt") == ".pdf"
    assert suffix_for("docx", "report") == ".docx"
    assert suffix_for("html", "notes.md") == ".md"
    assert suffix_for("text", "page.html") == ".html"
    assert suffix_for("text", "data.csv") == ".txt"


def test_parse_urls():
    urls, bad = parse_urls("https://a.example/x\n\n# note\nftp://b.example\njavascript:alert(1)\nhttps://a.example/x\n")
    assert urls == ["https://a.example/x"]
    assert [b.source for b in bad] == ["ftp://b.example", "javascript:alert(1)"]
    assert all(b.status == "failed" and "web address" in b.reason for b in bad)


@pytest.fixture
def desk(corpus_copy) -> Desk:
    settings = Settings(data_dir=corpus_copy, max_upload_mb=0.05)
    return Desk(settings, Ingestor(settings))


@pytest.mark.slow
def test_add_remove_restore_reindex_and_serve(desk, tmp_path):
    good = tmp_path / "Quarterly notes.md"
    good.write_text("# Quarterly notes\n\nThe zebra crossing budget for Tollington is 42 pounds.\n")
    exe = tmp_path / "tool.pdf"
    exe.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00" * 50)
    big = tmp_path / "big.txt"
    big.write_text("word " * 20000)
    report = desk.add([(good, "../../Quarterly notes.md"), (exe, "tool.pdf"), (big, "big.txt")],
                      "not a url\nftp://x.example")
    by_source = {r.source: r for r in report.results}
    assert by_source["tool.pdf"].status == "failed" and "not a supported document" in by_source["tool.pdf"].reason
    assert by_source["big.txt"].status == "failed" and "upload limit" in by_source["big.txt"].reason
    assert by_source["not a url"].status == "failed" and by_source["ftp://x.example"].status == "failed"
    added = by_source["Quarterly notes.md"]
    assert added.status == "added" and added.doc_id == "quarterly-notes"
    assert not list((desk.settings.data_dir / "uploads").iterdir())  # staging folders are cleaned up
    ids = [d["doc_id"] for d in desk.documents()]
    assert "quarterly-notes" in ids

    path, media, disposition = desk.stored_file("quarterly-notes")  # type: ignore[misc]
    assert path.read_text().startswith("# Quarterly notes") and media.startswith("text/plain")
    for bad in ("../catalog.sqlite3", "..", "", "quarterly-notes/../../x", "nope"):
        assert desk.stored_file(bad) is None

    assert desk.reindex("quarterly-notes").results[0].status == "unchanged"
    removed = desk.remove("quarterly-notes")
    assert removed.status == "removed" and desk.stored_file("quarterly-notes") is None
    assert "quarterly-notes" in [d["doc_id"] for d in desk.trash()]
    with pytest.raises(SocitmError):
        desk.remove("quarterly-notes")
    restored = desk.restore("quarterly-notes")
    assert restored.results[0].status == "restored"
    assert desk.stored_file("quarterly-notes") is not None
    with pytest.raises(SocitmError):
        desk.restore("never-existed")


def test_the_same_file_chosen_twice_is_one_upload(tmp_path):
    desk = Desk(Settings(data_dir=tmp_path / "data"), None)  # type: ignore[arg-type]
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_text("# Notes\n\nThe same text.", encoding="utf-8")
    b.write_text("# Notes\n\nOther text.", encoding="utf-8")
    staged = desk.stage([(a, "notes.md"), (a, "notes.md"), (b, "notes.md")])
    assert sorted(staged.names.values()) == ["notes-2.md", "notes.md"]  # a repeat is dropped, a namesake kept
