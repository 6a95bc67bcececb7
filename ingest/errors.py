"""Domain errors: each message names the file, address or setting at fault and what to do."""


class SocitmError(Exception):
    """Base of the errors a user can act on. Anything else is a bug and is raised as is."""


class BadDocument(SocitmError):
    """A document could not be read: corrupt, encrypted, empty, wrong type, too big, unreachable."""

    def __init__(self, source: str, reason: str):
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


class IndexUnavailable(SocitmError):
    """The index is missing or the Chroma server cannot be reached."""


class IngestBusy(SocitmError):
    """Another ingest holds the index lock."""


class LLMUnavailable(SocitmError):
    """The configured LLM endpoint timed out or returned an error."""


class BadQuestion(SocitmError):
    """A question that cannot be answered as typed (empty or too long)."""
