"""Stored originals: each document's bytes and a `document.json` describing it, under files/<doc_id>/.

They are what `--rebuild` recreates the index from (even without a catalog) and what `--restore` brings
back from trash/<doc_id>/ until `--purge`. Files are written to a temporary name and renamed, so a crash
never leaves a half-written original under its real name.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

META = "document.json"
TMP_PREFIX = ".tmp-"


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f"{TMP_PREFIX}{path.name}")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _original_in(folder: Path, meta: dict[str, Any] | None) -> Path | None:
    """The original file in a folder: the one document.json names, else the only other file."""
    if meta and meta.get("file_name") and (folder / meta["file_name"]).is_file():
        return folder / str(meta["file_name"])
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.name != META and not p.name.startswith("."))
    return files[0] if files else None


def _read_meta(folder: Path) -> dict[str, Any] | None:
    try:
        meta = json.loads((folder / META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) else None


class Originals:
    def __init__(self, files_dir: Path, trash_dir: Path):
        self.files_dir = Path(files_dir)
        self.trash_dir = Path(trash_dir)

    def keep(self, doc_id: str, file_name: str, raw: bytes, meta: dict[str, Any]) -> Path:
        """Store (or replace) a document's original and its description; returns the original's path."""
        folder = self.files_dir / doc_id
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / file_name
        if not (target.is_file() and target.read_bytes() == raw):
            _atomic_write(target, raw)
        _atomic_write(folder / META, json.dumps({**meta, "file_name": file_name}, indent=1).encode())
        return target

    def prune(self, doc_id: str, keep: Path) -> None:
        """Drop older originals of a document stored under another name (after the catalog commit)."""
        folder = self.files_dir / doc_id
        for p in folder.iterdir() if folder.is_dir() else []:
            if p != keep and p.name != META:
                shutil.rmtree(p) if p.is_dir() else p.unlink()

    def mark_removing(self, doc_id: str) -> None:
        """Note, before the catalog forgets a document, that its original is bound for the trash (so `tidy`
        can finish a removal cut short by a crash)."""
        folder = self.files_dir / doc_id
        if folder.is_dir():
            meta = _read_meta(folder) or {"doc_id": doc_id}
            _atomic_write(folder / META, json.dumps({**meta, "removing": True}, indent=1).encode())

    def to_trash(self, doc_id: str, meta: dict[str, Any] | None = None, keep_file: bool = True) -> None:
        """Move a removed document's original to the trash (or delete it when `keep_file` is false)."""
        folder = self.files_dir / doc_id
        if not folder.exists():
            return
        if not keep_file:
            shutil.rmtree(folder)
            return
        old = {k: v for k, v in (_read_meta(folder) or {}).items() if k != "removing"}
        _atomic_write(folder / META, json.dumps({**old, **(meta or {})}, indent=1).encode())
        trash = self.trash_dir / doc_id
        if trash.exists():
            shutil.rmtree(trash)
        trash.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(folder), str(trash))

    def trashed(self, doc_id: str) -> tuple[Path, dict[str, Any]] | None:
        """(original, description) of a removed document, or None if it is not in the trash."""
        folder = self.trash_dir / doc_id
        meta = _read_meta(folder) if folder.is_dir() else None
        original = _original_in(folder, meta) if meta is not None else None
        return (original, meta) if original is not None and meta is not None else None

    def forget_trashed(self, doc_id: str) -> None:
        shutil.rmtree(self.trash_dir / doc_id, ignore_errors=True)

    def purge(self) -> int:
        """Delete the originals of removed documents for good; returns how many."""
        if not self.trash_dir.exists():
            return 0
        folders = [f for f in self.trash_dir.iterdir() if f.is_dir()]
        for folder in folders:
            shutil.rmtree(folder)
        return len(folders)

    def stored(self) -> dict[str, tuple[Path, dict[str, Any] | None]]:
        """Every kept original by document id, with its description when it has one."""
        out: dict[str, tuple[Path, dict[str, Any] | None]] = {}
        for folder in sorted(self.files_dir.iterdir()) if self.files_dir.is_dir() else []:
            if not folder.is_dir() or folder.name.startswith("."):
                continue
            meta = _read_meta(folder)
            original = _original_in(folder, meta)
            if original is not None:
                out[folder.name] = (original, meta)
        return out

    def tidy(self, known: set[str]) -> int:
        """After a crash: delete temporary files and finish removals cut short (the original goes to the
        trash). Other originals the catalog does not know are left alone: they may be all that is left after
        losing the catalog, and `--rebuild` recreates the index from them. Returns how many were moved."""
        moved = 0
        for folder in list(self.files_dir.iterdir()) if self.files_dir.is_dir() else []:
            if folder.name.startswith("."):
                shutil.rmtree(folder, ignore_errors=True) if folder.is_dir() else folder.unlink(missing_ok=True)
                continue
            if not folder.is_dir():
                continue
            for p in folder.iterdir():
                if p.name.startswith(TMP_PREFIX):
                    p.unlink(missing_ok=True)
            if folder.name not in known and (_read_meta(folder) or {}).get("removing"):
                self.to_trash(folder.name)
                moved += 1
        return moved
