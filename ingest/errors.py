"""The errors ingestion raises; each names the file (and line or field) it is about."""


class IngestError(Exception):
    """A problem with one input: the message names the file and says why."""

    def __init__(self, path: str, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class UnsupportedFile(IngestError):
    """The file is of a kind no reader takes (unknown extension, binary content)."""


class ManifestError(IngestError):
    """The corpus manifest is malformed; the reason names the line."""
