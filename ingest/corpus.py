"""Corpus metadata: `sources.toml` beside the documents gives title, publisher, kind and address."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Linked:
    title: str
    url: str


def read_sources(folder: Path) -> tuple[dict[str, dict[str, Any]], list[Linked]]:
    """({file name: metadata}, linked guides) from folder/sources.toml, empty when there is none."""
    path = Path(folder) / "sources.toml"
    if not path.is_file():
        return {}, []
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    docs = {d["file"]: {k: v for k, v in d.items() if k != "file"} for d in data.get("document", [])}
    linked = [Linked(d.get("title", d["url"]), d["url"]) for d in data.get("linked", [])]
    return docs, linked
