"""Read-only SPARQL 1.1 queries over a knowledge-base generation's Oxigraph store, run safely.

Every query is parsed and inspected before it runs: updates, SERVICE calls and datasets naming
graphs the store does not hold are refused, with no request sent anywhere. It then runs in a
worker process that is killed past the time limit, its results capped at a row limit and written
as SPARQL Results (JSON, XML, CSV, TSV), as RDF (Turtle, N-Triples, JSON-LD, RDF/XML) or as plain
Python rows. The default graph is the union of all the store's graphs. Parameters are bound as
RDF terms, never pasted into the query text.
"""

from .errors import (
    NotAcceptable,
    ParameterError,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    SparqlError,
    TooManyRows,
    UpdateRefused,
)
from .params import parse_param, parse_value
from .parse import ParsedQuery, parse_query
from .results import FORMATS, QueryResult
from .runner import DEFAULT_FORMATS, DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT, DEFAULT_WORKERS, QueryRunner

__all__ = [
    "DEFAULT_FORMATS",
    "DEFAULT_MAX_ROWS",
    "DEFAULT_TIMEOUT",
    "DEFAULT_WORKERS",
    "FORMATS",
    "NotAcceptable",
    "ParameterError",
    "ParsedQuery",
    "QueryRefused",
    "QueryResult",
    "QueryRunner",
    "QuerySyntaxError",
    "QueryTimeout",
    "SparqlError",
    "TooManyRows",
    "UpdateRefused",
    "parse_param",
    "parse_query",
    "parse_value",
]
