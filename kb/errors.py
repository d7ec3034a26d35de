"""The errors raised when the knowledge base cannot be opened or read: its folder is missing, empty
or busy, or the remote store holding its graph cannot be reached, answers with an error or does not
answer in time. The command line prints them as one line (exit status 1) and the web app answers
503 with them.
"""


class KnowledgeBaseError(Exception):
    """The knowledge base folder is missing, empty or busy, or its remote store failed."""


class RemoteStoreError(KnowledgeBaseError):
    """The remote store could not be reached or answered with an error; ``status`` is its HTTP status."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class RemoteStoreTimeout(RemoteStoreError):
    """The remote store did not answer within the time limit."""
