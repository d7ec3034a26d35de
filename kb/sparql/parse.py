"""Inspect a SPARQL query before it runs: parse it with rdflib's SPARQL 1.1 grammar and classify it.

``parse_query`` returns the query form, its FROM / FROM NAMED graphs, its variables and its SELECT
projection, or raises: ``QuerySyntaxError`` with the line and column of the first error,
``UpdateRefused`` when the text is a SPARQL Update (it parses as one), ``QueryRefused`` when any
pattern is a ``SERVICE`` call. Only the parse tree is inspected, never the raw text, so comments,
strings, IRIs and ``\\u`` escapes cannot hide a keyword.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass

from pyparsing import ParseException, ParseResults
from rdflib import Variable
from rdflib.plugins.sparql.algebra import translatePrologue
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from .errors import QueryRefused, QuerySyntaxError, UpdateRefused

FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}


@dataclass(frozen=True)
class ParsedQuery:
    """What the runner needs to know about a query before running it."""

    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    tree: CompValue  # rdflib's parse tree of the query (without the prologue)
    default_graphs: tuple[str, ...]  # FROM
    named_graphs: tuple[str, ...]  # FROM NAMED
    variables: frozenset[str]
    projection: tuple[str, ...] | None  # the SELECT clause's variables; None for SELECT * and other forms

    @property
    def has_dataset(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


@functools.lru_cache(maxsize=64)  # rdflib's parser takes tens of ms; clients often repeat a query
def parse_query(text: str, base_iri: str | None = None) -> ParsedQuery:
    """Parse and classify ``text``; raise a ``SparqlError`` subclass for anything not to run."""
    if not text.strip():
        raise QuerySyntaxError("the query is empty", 1, 1)
    try:
        prologue, query = parseQuery(text)
    except ParseException as error:
        raise _update_or_syntax_error(text, error) from None
    except RecursionError:
        raise QuerySyntaxError("the query is nested too deeply to parse") from None
    nodes = list(_walk(query))
    if any(isinstance(node, CompValue) and node.name == "ServiceGraphPattern" for node in nodes):
        raise QueryRefused("SERVICE is refused: this endpoint does not send queries to other endpoints")
    default_graphs, named_graphs = _dataset(prologue, query, base_iri)
    return ParsedQuery(
        form=FORMS[query.name],
        tree=query,
        default_graphs=default_graphs,
        named_graphs=named_graphs,
        variables=frozenset(str(node) for node in nodes if isinstance(node, Variable)),
        projection=_projection(query),
    )


def _update_or_syntax_error(text: str, error: ParseException) -> Exception:
    """An update is refused as such; otherwise report whichever parse got further."""
    try:
        update = parseUpdate(text)
    except ParseException as update_error:
        return _syntax_error(max(error, update_error, key=lambda e: e.loc))
    except RecursionError:
        return QuerySyntaxError("the query is nested too deeply to parse")
    if not update.request:  # a prologue alone parses as an empty update
        return _syntax_error(error)
    return UpdateRefused(
        "SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY) is refused: "
        "the knowledge base is read-only"
    )


def _syntax_error(error: ParseException) -> QuerySyntaxError:
    """pyparsing's error as 'Expected X, found Y' at its line and column."""
    rest = error.pstr[error.loc :].split(None, 1)
    found = repr(rest[0][:40]) if rest else "end of text"
    return QuerySyntaxError(f"{error.msg}, found {found}", error.lineno, error.col)


def _walk(root) -> Iterator:
    """Every node of a parse tree, depth first, without recursion."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, ParseResults)):
            stack.extend(node)


def _dataset(prologue, query: CompValue, base_iri: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    clauses = query.datasetClause or []  # CompValue attributes are None when absent
    if not clauses:
        return (), ()
    resolve = translatePrologue(prologue, base_iri).absolutize
    try:
        default = tuple(str(resolve(c.default)) for c in clauses if c.default is not None)
        named = tuple(str(resolve(c.named)) for c in clauses if c.named is not None)
    except Exception as error:  # rdflib raises a bare Exception for an undeclared prefix
        raise QuerySyntaxError(str(error)) from None
    return default, named


def _projection(query: CompValue) -> tuple[str, ...] | None:
    if query.name != "SelectQuery" or query.projection is None:
        return None
    return tuple(str(item.var or item.evar) for item in query.projection)
