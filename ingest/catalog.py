"""The catalog: a SQLite file that is the source of truth for documents, chunks, keyword terms and
cached embeddings. A document's chunks, keyword terms and sentence links change in one transaction, so
the keyword index can never disagree with the catalog; Chroma is reconciled against it (see pipeline.py).

Sentence vectors (what extractive answers score) are stored by text hash in float16: half the size, and
every dev eval answer came out the same as with float32. `chunk_sentences` links each chunk to the hashes
of its units, so the catalog knows which vectors are missing (ingest fills them) and which nothing uses
(purge drops them).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from .errors import IndexUnavailable, SocitmError
from .records import Chunk
from .tokens import BUNDLED

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
  doc_id TEXT PRIMARY KEY, title TEXT, publisher TEXT, kind TEXT, category TEXT, source TEXT, url TEXT,
  file_path TEXT, content_hash TEXT, n_chunks INTEGER, added_at TEXT, updated_at TEXT, text TEXT
);
CREATE TABLE IF NOT EXISTS chunks (
  chunk_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, ordinal INTEGER, text TEXT, display TEXT, section TEXT,
  page INTEGER, start INTEGER, "end" INTEGER, content_hash TEXT, ingested_at TEXT, terms TEXT
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE TABLE IF NOT EXISTS embeddings (content_hash TEXT PRIMARY KEY, vector BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS chunk_sentences (
  chunk_id TEXT NOT NULL, text_hash TEXT NOT NULL, PRIMARY KEY (chunk_id, text_hash)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sentence_vectors (text_hash TEXT PRIMARY KEY, vector BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
INSERT OR IGNORE INTO meta(key, value) VALUES ('generation', '0');
"""

SENTENCE_DTYPE = np.float16
DOC_FIELDS = ("doc_id", "title", "publisher", "kind", "category", "source", "url", "file_path",
              "content_hash", "n_chunks", "added_at", "updated_at")


class Catalog:
    """Thread-safe access to the catalog file (one connection per thread, WAL mode)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        try:
            self.db.executescript(SCHEMA)
        except sqlite3.DatabaseError as e:
            self.close()
            raise IndexUnavailable(f"The catalog {self.path} is damaged ({e}). Recreate the index from the stored "
                                   "originals with: python -m ingest --rebuild") from None

    @property
    def db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.row_factory = sqlite3.Row
            self._local.conn = conn
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def generation(self) -> int:
        return int(self.db.execute("SELECT value FROM meta WHERE key='generation'").fetchone()[0])

    def embed_model(self) -> str:
        """The embedding model this index's vectors come from (indexes made before this was recorded: the
        bundled model, the only one there was)."""
        return self._recorded_model() or BUNDLED

    def _recorded_model(self) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key='embed_model'").fetchone()
        return str(row[0]) if row else None

    def check_model(self, identity: str, claim: bool = False) -> None:
        """Refuse to mix vectors of two models; with `claim`, an empty index takes `identity` as its model."""
        recorded = self._recorded_model()
        if recorded is None and claim and self.chunk_count() == 0:
            with self.tx() as db:
                db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('embed_model', ?)", (identity,))
            return
        if (recorded or BUNDLED) != identity:
            raise SocitmError(f"{self.path.parent} holds vectors of the embedding model '{recorded or BUNDLED}', "
                              f"not '{identity}' (SOCITM_EMBED_MODEL): use another --data-dir for this model, or "
                              "set SOCITM_EMBED_MODEL back")

    # documents -------------------------------------------------------------------------------
    def document(self, doc_id: str) -> dict[str, Any] | None:
        row = self.db.execute(f"SELECT {', '.join(DOC_FIELDS)} FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        return dict(row) if row else None

    def documents(self) -> list[dict[str, Any]]:
        rows = self.db.execute(f"SELECT {', '.join(DOC_FIELDS)} FROM documents ORDER BY added_at, doc_id")
        return [dict(r) for r in rows]

    def document_text(self, doc_id: str) -> str:
        row = self.db.execute("SELECT text FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        return row[0] if row else ""

    def replace_document(self, doc: dict[str, Any], text: str, chunks: list[Chunk], terms: list[dict[str, int]],
                         sentences: list[list[str]] | None = None) -> None:
        """Swap a document's row, chunks, keyword terms and sentence links (the unit hashes of each chunk,
        see ingest.sentences.unit_hashes) in one transaction."""
        with self.tx() as db:
            db.execute(_DELETE_LINKS, (doc["doc_id"],))
            db.execute("DELETE FROM chunks WHERE doc_id=?", (doc["doc_id"],))
            db.executemany(
                'INSERT INTO chunks(chunk_id, doc_id, ordinal, text, display, section, page, start, "end",'
                " content_hash, ingested_at, terms) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                [(c.chunk_id, c.doc_id, c.ordinal, c.text, c.display, json.dumps(list(c.section)), c.page, c.start,
                  c.end, c.content_hash, c.ingested_at, json.dumps(t, separators=(",", ":")))
                 for c, t in zip(chunks, terms, strict=True)])
            if sentences is not None:
                db.executemany("INSERT OR IGNORE INTO chunk_sentences(chunk_id, text_hash) VALUES (?, ?)",
                               [(c.chunk_id, h) for c, hashes in zip(chunks, sentences, strict=True) for h in hashes])
            values = [doc.get(f) for f in DOC_FIELDS]
            db.execute(f"INSERT OR REPLACE INTO documents({', '.join(DOC_FIELDS)}, text) VALUES "
                       f"({', '.join('?' * (len(DOC_FIELDS) + 1))})", (*values, text))
            db.execute("UPDATE meta SET value = value + 1 WHERE key='generation'")

    def remove_document(self, doc_id: str) -> list[str]:
        with self.tx() as db:
            ids = [r[0] for r in db.execute("SELECT chunk_id FROM chunks WHERE doc_id=?", (doc_id,))]
            db.execute(_DELETE_LINKS, (doc_id,))
            db.execute("DELETE FROM chunks WHERE doc_id=?", (doc_id,))
            db.execute("DELETE FROM documents WHERE doc_id=?", (doc_id,))
            db.execute("UPDATE meta SET value = value + 1 WHERE key='generation'")
        return ids

    # chunks ----------------------------------------------------------------------------------
    def chunk_ids(self, doc_id: str | None = None) -> list[str]:
        if doc_id is None:
            return [r[0] for r in self.db.execute("SELECT chunk_id FROM chunks")]
        return [r[0] for r in self.db.execute("SELECT chunk_id FROM chunks WHERE doc_id=?", (doc_id,))]

    def chunk_count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0])

    def chunks(self, ids: Iterable[str] | None = None, doc_id: str | None = None) -> list[Chunk]:
        sql = ("SELECT c.*, d.title, d.publisher, d.source, d.url, d.kind FROM chunks c "
               "JOIN documents d ON d.doc_id = c.doc_id")
        if ids is not None:
            wanted = list(ids)
            rows = []
            for i in range(0, len(wanted), 500):
                part = wanted[i:i + 500]
                rows += self.db.execute(sql + f" WHERE c.chunk_id IN ({','.join('?' * len(part))})", part).fetchall()
            order = {cid: n for n, cid in enumerate(wanted)}
            rows.sort(key=lambda r: order[r["chunk_id"]])
        elif doc_id is not None:
            rows = self.db.execute(sql + " WHERE c.doc_id=? ORDER BY c.ordinal", (doc_id,)).fetchall()
        else:
            rows = self.db.execute(sql + " ORDER BY c.doc_id, c.ordinal").fetchall()
        return [_chunk(r) for r in rows]

    def all_terms(self) -> tuple[list[str], list[str]]:
        """(chunk ids, JSON term counts) for every chunk, for building the keyword index."""
        rows = self.db.execute("SELECT chunk_id, terms FROM chunks ORDER BY rowid").fetchall()
        return [r[0] for r in rows], [r[1] for r in rows]

    # embeddings cache ------------------------------------------------------------------------
    def cached_vectors(self, hashes: list[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for i in range(0, len(hashes), 500):
            part = hashes[i:i + 500]
            for h, blob in self.db.execute(
                    f"SELECT content_hash, vector FROM embeddings WHERE content_hash IN ({','.join('?' * len(part))})", part):
                out[h] = np.frombuffer(blob, dtype=np.float32)
        return out

    def cache_vectors(self, items: dict[str, np.ndarray]) -> None:
        with self.tx() as db:
            db.executemany("INSERT OR REPLACE INTO embeddings(content_hash, vector) VALUES (?, ?)",
                           [(h, np.asarray(v, dtype=np.float32).tobytes()) for h, v in items.items()])

    def prune_vectors(self) -> int:
        """Drop cached chunk vectors and sentence vectors that no chunk uses any more."""
        with self.tx() as db:
            cur = db.execute("DELETE FROM embeddings WHERE content_hash NOT IN (SELECT content_hash FROM chunks)")
            pruned = cur.rowcount
            cur = db.execute("DELETE FROM sentence_vectors WHERE text_hash NOT IN (SELECT text_hash FROM chunk_sentences)")
            return pruned + cur.rowcount

    # sentence vectors ------------------------------------------------------------------------
    def sentence_vectors(self, hashes: list[str]) -> dict[str, np.ndarray]:
        """Stored sentence vectors (float32) of the hashes that have one."""
        out: dict[str, np.ndarray] = {}
        for i in range(0, len(hashes), 500):
            part = hashes[i:i + 500]
            for h, blob in self.db.execute(
                    f"SELECT text_hash, vector FROM sentence_vectors WHERE text_hash IN ({','.join('?' * len(part))})",
                    part):
                out[h] = np.frombuffer(blob, dtype=SENTENCE_DTYPE).astype(np.float32)
        return out

    def store_sentence_vectors(self, items: dict[str, np.ndarray]) -> int:
        """Store the vectors of hashes that have none yet (the first one made stays); returns how many were new."""
        with self.tx() as db:
            before = db.total_changes
            db.executemany("INSERT OR IGNORE INTO sentence_vectors(text_hash, vector) VALUES (?, ?)",
                           [(h, np.asarray(v, dtype=SENTENCE_DTYPE).tobytes()) for h, v in items.items()])
            return db.total_changes - before

    def missing_sentence_links(self) -> list[tuple[str, str]]:
        """(chunk id, text hash) of the units whose vector is not stored (new chunks; a run cut short)."""
        return [(r[0], r[1]) for r in self.db.execute(
            "SELECT chunk_id, text_hash FROM chunk_sentences WHERE text_hash NOT IN (SELECT text_hash FROM sentence_vectors)")]

    def sentence_counts(self) -> tuple[int, int]:
        """(distinct unit hashes linked to chunks, stored sentence vectors)."""
        linked = self.db.execute("SELECT COUNT(DISTINCT text_hash) FROM chunk_sentences").fetchone()[0]
        stored = self.db.execute("SELECT COUNT(*) FROM sentence_vectors").fetchone()[0]
        return int(linked), int(stored)


def as_stored(vectors: np.ndarray) -> np.ndarray:
    """Vectors at the precision sentence vectors are stored in (float32 again, for arithmetic)."""
    return np.asarray(vectors, dtype=SENTENCE_DTYPE).astype(np.float32)


_DELETE_LINKS = "DELETE FROM chunk_sentences WHERE chunk_id IN (SELECT chunk_id FROM chunks WHERE doc_id=?)"


def set_aside_if_damaged(path: Path) -> Path | None:
    """Before a rebuild: move a catalog SQLite cannot read out of the way (kept for inspection)."""
    path = Path(path)
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(path)
        try:
            ok = conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        ok = False
    if ok:
        return None
    target = path.with_name(f"{path.name}.damaged-{int(time.time())}")
    for suffix in ("", "-wal", "-shm"):
        part = Path(f"{path}{suffix}")
        if part.exists():
            part.rename(f"{target}{suffix}")
    return target


def _chunk(r: sqlite3.Row) -> Chunk:
    return Chunk(chunk_id=r["chunk_id"], doc_id=r["doc_id"], text=r["text"], start=r["start"], end=r["end"],
                 section=tuple(json.loads(r["section"] or "[]")), page=r["page"], title=r["title"] or "",
                 publisher=r["publisher"] or "", source=r["source"] or "", url=r["url"] or "", kind=r["kind"] or "",
                 content_hash=r["content_hash"], ingested_at=r["ingested_at"], ordinal=r["ordinal"],
                 display=r["display"] or "")
