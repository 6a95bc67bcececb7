"""Staff desk operations over the shared Ingestor: stage uploads safely, add, remove, re-index, restore.

Uploads are checked before ingest: size against `max_upload_mb`, type by content (`sniff`), and the
file name cleaned of folders, control and format characters, so what staff see is what is stored.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.errors import SocitmError
from ingest.loaders import SUPPORTED, is_url, sniff
from ingest.pipeline import DocResult, Ingestor, IngestReport, Progress
from ingest.settings import Settings

MAX_URLS = 50
_TEXT_SUFFIXES = {s for s, kind in SUPPORTED.items() if kind in ("html", "markdown", "text")}
MEDIA = {  # how stored originals are served: text-like types as inert text or sandboxed HTML
    "pdf": ("application/pdf", "inline"),
    "html": ("text/html; charset=utf-8", "inline"),
    "markdown": ("text/plain; charset=utf-8", "inline"),
    "text": ("text/plain; charset=utf-8", "inline"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "attachment"),
}
_BY_CONTENT = {"pdf": ".pdf", "docx": ".docx", "html": ".html", "text": ".txt"}


def clean_filename(name: str, limit: int = 120) -> str:
    """A safe file name: last path part only, NFKC, no control/format/bidi characters, no leading dots."""
    name = unicodedata.normalize("NFKC", str(name or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"[^\w .,()'&+-]", "_", name)
    name = re.sub(r"\s+", " ", name).strip(" ._")
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    suffix = suffix[:10]
    stem = stem[: max(1, limit - len(suffix) - 1)].strip(" ._") or "upload"
    return f"{stem}.{suffix}" if suffix else stem


def suffix_for(content_kind: str, name: str) -> str:
    """The extension that matches the content: PDFs and Word files by content, text types keep a text name."""
    given = Path(name).suffix.lower()
    if content_kind in ("html", "text") and given in _TEXT_SUFFIXES:
        return given
    return _BY_CONTENT[content_kind]


@dataclass
class Staged:
    folder: Path | None
    paths: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    refused: list[DocResult] = field(default_factory=list)

    def cleanup(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


class Desk:
    """What the staff tab does, as plain methods (the app checks the session before calling any)."""

    def __init__(self, settings: Settings, ingestor: Ingestor):
        self.settings = settings
        self.ingestor = ingestor
        self.max_bytes = int(settings.max_upload_mb * 1024 * 1024)

    # uploads ------------------------------------------------------------------------------------
    def stage(self, uploads: Sequence[tuple[str | Path, str]]) -> Staged:
        """Copy uploaded files (path, name as uploaded) into a fresh private folder under clean names."""
        if not uploads:
            return Staged(None)
        root = self.settings.data_dir / "uploads"
        root.mkdir(parents=True, exist_ok=True)
        staged = Staged(Path(tempfile.mkdtemp(prefix="upload-", dir=root)))
        taken: set[str] = set()
        seen: set[tuple[str, str]] = set()  # (name, content hash): the same file chosen twice is one upload
        for path, original in uploads:
            shown = clean_filename(original or Path(path).name)
            try:
                size = Path(path).stat().st_size
            except OSError:
                staged.refused.append(DocResult(shown, "failed", reason="was not received; upload it again"))
                continue
            if size > self.max_bytes:
                staged.refused.append(DocResult(shown, "failed", reason=(
                    f"is {size / 1e6:.1f} MB, over the {self.settings.max_upload_mb:g} MB upload limit")))
                continue
            if size == 0:
                staged.refused.append(DocResult(shown, "failed", reason="is empty"))
                continue
            data = Path(path).read_bytes()
            kind = sniff(data)
            if kind not in _BY_CONTENT:
                staged.refused.append(DocResult(shown, "failed", reason=(
                    "is not a supported document: its content is not PDF, HTML, Markdown, text or Word (.docx)")))
                continue
            name = Path(shown).stem + suffix_for(kind, shown)
            fingerprint = (name.lower(), hashlib.sha256(data).hexdigest())
            if fingerprint in seen:
                continue
            seen.add(fingerprint)
            base, n = name, 2
            while name.lower() in taken:
                name = f"{Path(base).stem}-{n}{Path(base).suffix}"
                n += 1
            taken.add(name.lower())
            assert staged.folder is not None
            target = staged.folder / name
            target.write_bytes(data)
            staged.paths.append(str(target))
            staged.names[str(target)] = name
        return staged

    def add(self, uploads: Sequence[tuple[str | Path, str]], urls_text: str = "",
            progress: Progress | None = None) -> IngestReport:
        """Ingest uploaded files and web addresses (one per line); refusals are reported as failed rows."""
        urls, bad = parse_urls(urls_text)
        staged = self.stage(uploads)
        try:
            sources: list[str | Path] = [*staged.paths, *urls]
            report = self.ingestor.ingest(sources, progress, names=staged.names) if sources else IngestReport()
        finally:
            staged.cleanup()
        report.results[:0] = staged.refused + bad
        return report

    # documents ----------------------------------------------------------------------------------
    def documents(self) -> list[dict[str, Any]]:
        return self.ingestor.list()

    def trash(self) -> list[dict[str, Any]]:
        """Removed documents that can still be restored."""
        out = []
        folder = self.settings.trash_dir
        if folder.is_dir():
            for meta in sorted(folder.glob("*/document.json")):
                try:
                    out.append(json.loads(meta.read_text(encoding="utf-8")))
                except (OSError, ValueError):
                    continue
        return out

    def remove(self, doc_id: str) -> DocResult:
        return self.ingestor.remove(self._known(doc_id))

    def restore(self, doc_id: str) -> IngestReport:
        if doc_id not in {d["doc_id"] for d in self.trash()}:
            raise SocitmError(f"'{doc_id}' is not among the removed documents.")
        return self.ingestor.restore(doc_id)

    def reindex(self, doc_id: str, progress: Progress | None = None) -> IngestReport:
        """Read a document again from its source: a web page is fetched again, a file re-read from its stored copy."""
        doc = self.ingestor.catalog.document(self._known(doc_id))
        assert doc is not None
        meta = {"doc_id": doc["doc_id"], "title": doc["title"], "publisher": doc["publisher"],
                "category": doc.get("category") or "", "url": doc.get("url") or ""}
        source = doc["source"] or ""
        if is_url(source):
            return self.ingestor.ingest([source], progress, metadata={source: meta})
        original = self._original(doc)
        if original is None:
            raise SocitmError(f"The stored copy of '{doc_id}' is missing; upload the document again.")
        path = str(original)
        return self.ingestor.ingest([original], progress, metadata={path: meta}, names={path: source})

    def _original(self, doc: dict[str, Any]) -> Path | None:
        """The stored original in data_dir/files/<doc_id>/ (found there even if the data folder was moved)."""
        root = self.settings.files_dir.resolve()
        folder = (root / doc["doc_id"]).resolve()
        if folder.parent != root or not folder.is_dir():
            return None
        named = folder / Path(doc.get("file_path") or "").name
        if named.is_file() and named.resolve().parent == folder:
            return named.resolve()
        files = [p for p in folder.iterdir() if p.is_file() and p.name != "document.json" and not p.is_symlink()]
        return files[0].resolve() if len(files) == 1 else None

    def stored_file(self, doc_id: str) -> tuple[Path, str, str] | None:
        """(path, media type, disposition) of a current document's stored original, or None.

        The id is looked up in the catalog and the path must resolve inside data_dir/files, so no
        request can reach any other file.
        """
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}", doc_id or ""):
            return None
        doc = self.ingestor.catalog.document(doc_id)
        path = self._original(doc) if doc else None
        if doc is None or path is None:
            return None
        media, disposition = MEDIA.get(doc.get("kind") or "", ("application/octet-stream", "attachment"))
        return path, media, disposition

    def _known(self, doc_id: str) -> str:
        doc_id = (doc_id or "").strip()
        if not doc_id or self.ingestor.catalog.document(doc_id) is None:
            raise SocitmError("Choose a document from the list first." if not doc_id
                              else f"There is no document '{doc_id}' (it may have been removed already).")
        return doc_id


def parse_urls(text: str) -> tuple[list[str], list[DocResult]]:
    """Web addresses, one per line (blank lines and # comments skipped); anything else is refused."""
    urls: list[str] = []
    bad: list[DocResult] = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not is_url(line) or any(ch.isspace() for ch in line):
            bad.append(DocResult(line[:200], "failed", reason="is not a web address (it must start with https:// or http://)"))
        elif len(urls) >= MAX_URLS:
            bad.append(DocResult(line[:200], "failed", reason=f"over the limit of {MAX_URLS} addresses at once"))
        elif line not in urls:
            urls.append(line)
    return urls, bad


def names_of(files: Iterable[Any]) -> list[tuple[str, str]]:
    """(path, name as uploaded) for Gradio file values (paths or objects with .name / .orig_name)."""
    out = []
    for f in files or []:
        path = str(getattr(f, "path", None) or getattr(f, "name", None) or f)
        original = getattr(f, "orig_name", None) or Path(path).name
        out.append((path, str(original)))
    return out
