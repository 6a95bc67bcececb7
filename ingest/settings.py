"""One settings object for every entry point, read from SOCITM_* environment variables and `.env`."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parent.parent


def _read_dotenv(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        values[key.strip()] = value.strip().strip("'\"")
    return values


@dataclass(frozen=True)
class Settings:
    """Everything configurable. Components take plain arguments; entry points build this once."""

    data_dir: Path = PROJECT_DIR / "data"
    corpus_dir: Path = PROJECT_DIR / "corpus"
    chroma_url: str = ""  # e.g. http://127.0.0.1:8000 ; empty = embedded PersistentClient in data_dir
    collection: str = "socitm"
    chunk_tokens: int = 200  # word pieces of body text per chunk (section path comes on top, < 256 in all)
    overlap_tokens: int = 32
    embed_batch: int = 32
    embed_backend: str = "onnx"  # onnx | torch | onnx-int8: same model; onnx gives the same vectors, faster
    embed_model: str = ""  # a folder with a fine-tuned all-MiniLM-L6-v2 (python -m evals finetune); "" = bundled
    max_file_mb: float = 20.0
    max_pdf_pages: int = 2000
    fetch_timeout: float = 15.0
    allow_private_urls: bool = False  # tests serve pages on 127.0.0.1 and switch this on
    sentence_vectors: bool = True  # embed answerable sentences at ingest (fast answers; ingest embeds more)
    # assistant
    top_k: int = 8
    fusion: str = "convex"  # convex | rrf
    heading_weight: float = 0.9  # a chunk's dense score may come from its heading's cosine, times this
    fusion_alpha: float = 0.5  # weight of the dense side in the convex combination
    decline_threshold: float = 0.26  # calibrated in assistant/CALIBRATION.md ("The threshold on first runs")
    learned_check: str = ""  # the learned decline check's model file (python -m assistant learn); "" = bundled, "off"
    max_question_chars: int = 1000
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: str = field(default="", repr=False)
    llm_timeout: float = 30.0
    # app
    host: str = "127.0.0.1"
    port: int = 7860
    root_path: str = ""
    staff_users: str = field(default="", repr=False)  # "name:pbkdf2$...;name2:..."
    session_minutes: int = 60
    max_upload_mb: float = 20.0

    def __post_init__(self) -> None:
        for name in ("data_dir", "corpus_dir"):
            object.__setattr__(self, name, Path(getattr(self, name)).expanduser())

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, dotenv: Path | None = None, **overrides: Any) -> Settings:
        """Read SOCITM_<FIELD> from `.env` then the environment (the environment wins), then overrides."""
        merged = _read_dotenv(dotenv or Path.cwd() / ".env")
        merged.update(os.environ if env is None else env)
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = merged.get(f"SOCITM_{f.name.upper()}")
            if raw is None:
                continue
            values[f.name] = _coerce(f.type, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    @property
    def files_dir(self) -> Path:
        return self.data_dir / "files"

    @property
    def trash_dir(self) -> Path:
        return self.data_dir / "trash"

    @property
    def catalog_path(self) -> Path:
        return self.data_dir / "catalog.sqlite3"


def _coerce(kind: Any, raw: str) -> Any:
    kind = str(kind)
    if "Path" in kind:
        return Path(raw).expanduser()
    if "bool" in kind:
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if "int" in kind:
        return int(raw)
    if "float" in kind:
        return float(raw)
    return raw
