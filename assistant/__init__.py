"""assistant: turns a question (and the conversation so far) into a cited answer from the indexed guidance.

    from assistant import Assistant
    answer = Assistant(settings).ask("What does Socitm say about net zero?")

Exports are loaded on first use, so importing a small helper module (assistant.ui, assistant.guard) stays cheap.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Answer", "Assistant", "BadQuestion", "Citation", "redact"]


def __getattr__(name: str) -> Any:
    if name == "Assistant":
        from .core import Assistant

        return Assistant
    if name in ("Answer", "Citation"):
        from . import records

        return getattr(records, name)
    if name == "redact":
        from .guard import redact

        return redact
    if name == "BadQuestion":
        from ingest.errors import BadQuestion

        return BadQuestion
    raise AttributeError(f"module 'assistant' has no attribute {name!r}")
