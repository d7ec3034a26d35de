"""Why a SPARQL query was not answered: the errors the runner raises, each with a one-line message.

They cross the process boundary from the query worker by pickling, so every constructor argument
is kept in ``args``. Callers map them to exit statuses (the CLI) or HTTP statuses (the endpoint).
"""

from __future__ import annotations


class SparqlError(Exception):
    """A query that could not be answered; ``str(error)`` says why in one line."""


class QuerySyntaxError(SparqlError):
    """The query text does not parse; ``line`` and ``column`` (1-based) say where, when known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message, line, column)
        self.message, self.line, self.column = message, line, column

    def __str__(self) -> str:
        if self.line is None:
            return f"syntax error: {self.message}"
        return f"syntax error at line {self.line}, column {self.column}: {self.message}"


class QueryRefused(SparqlError):
    """A well-formed request this read-only, offline endpoint will not run (SERVICE, remote graphs)."""


class UpdateRefused(QueryRefused):
    """A SPARQL Update: the knowledge base is read-only."""


class ParameterError(SparqlError):
    """A query parameter that is malformed or cannot be bound in this query."""


class NotAcceptable(SparqlError):
    """None of the requested result formats suits the query form; ``usable`` names those that do."""

    def __init__(self, form: str, usable: tuple[str, ...]):
        super().__init__(form, usable)
        self.form, self.usable = form, usable

    def __str__(self) -> str:
        return f"{self.form} results can be given as {', '.join(self.usable)}"


class QueryTimeout(SparqlError):
    """The query ran past its time limit and was stopped."""


class TooManyRows(SparqlError):
    """The query gives more rows (or triples) than the row limit."""
