"""The query worker: a process that answers queries against a read-only Oxigraph store.

pyoxigraph's ``Store.query`` cannot be cancelled, so each query runs in one of these processes,
which the runner kills when the time limit passes. A worker receives ``QueryRequest`` objects on
its end of a pipe and sends back a ``QueryResult`` or the ``SparqlError`` that explains the
refusal; it keeps the store it last opened, reopening when a request names another generation.
At start it leaves the network where the kernel allows (new user and network namespaces), so
even a query that slipped past the SERVICE check could reach no host.
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from .errors import QueryRefused, QuerySyntaxError, SparqlError
from .params import bind_params
from .parse import ParsedQuery, parse_query
from .results import QueryResult, choose_format, collect

_CLONE_NEWUSER, _CLONE_NEWNET = 0x10000000, 0x40000000
_POSITION = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)


@dataclass(frozen=True)
class QueryRequest:
    """One query to run, as it crosses to the worker."""

    store_path: str  # the embedded store's folder (a remote store's query URL, for messages)
    query: str
    formats: tuple[str, ...]
    max_rows: int
    params: dict = field(default_factory=dict)
    default_graphs: tuple[str, ...] = ()  # the protocol's default-graph-uri
    named_graphs: tuple[str, ...] = ()  # the protocol's named-graph-uri
    base_iri: str | None = None


def serve(connection) -> None:
    """The worker's main loop: answer requests until the runner closes the pipe."""
    _leave_network()
    stores: dict[str, ox.Store] = {}
    while True:
        try:
            request = connection.recv()
        except EOFError:
            return
        connection.send(_answer(stores, request))


def execute(store: ox.Store, request: QueryRequest) -> QueryResult:
    """Check, bind, run and serialise one query against ``store``."""
    parsed = parse_query(request.query, request.base_iri)
    _check_graphs(store, (*parsed.default_graphs, *parsed.named_graphs, *request.default_graphs, *request.named_graphs))
    fmt = choose_format(parsed.form, request.formats)
    text, substitutions = bind_params(request.query, parsed, request.params)
    try:
        results = store.query(text, base_iri=request.base_iri, substitutions=substitutions, **_dataset(request, parsed))
    except SyntaxError as error:
        raise _engine_syntax_error(error) from None
    return collect(results, parsed.form, fmt, request.max_rows)


def _answer(stores: dict[str, ox.Store], request: QueryRequest) -> QueryResult | SparqlError:
    try:
        return execute(_store(stores, request.store_path), request)
    except SparqlError as error:
        return error
    except Exception as error:  # the engine's own errors (type errors, I/O) end this query only
        return SparqlError(f"the query failed: {error}")


def _store(stores: dict[str, ox.Store], path: str) -> ox.Store:
    if path not in stores:
        stores.clear()
        stores[path] = ox.Store.read_only(path)
    return stores[path]


def _check_graphs(store: ox.Store, iris: tuple[str, ...]) -> None:
    """Refuse a dataset naming a graph the store does not hold: nothing remote is ever fetched."""
    for iri in iris:
        try:
            held = store.contains_named_graph(ox.NamedNode(iri))
        except ValueError:
            held = False
        if not held:
            raise QueryRefused(f"graph <{iri}> is not in this knowledge base, and remote graphs are not fetched")


def _dataset(request: QueryRequest, parsed: ParsedQuery) -> dict:
    """The protocol's dataset if given, else the query's FROM clauses, else the union of all graphs."""
    if request.default_graphs or request.named_graphs:
        return {
            "default_graph": [ox.NamedNode(iri) for iri in request.default_graphs],
            "named_graphs": [ox.NamedNode(iri) for iri in request.named_graphs],
        }
    return {} if parsed.has_dataset else {"use_default_graph_as_union": True}


def _engine_syntax_error(error: SyntaxError) -> QuerySyntaxError:
    """pyoxigraph's 'error at L:C: message' as a QuerySyntaxError."""
    match = _POSITION.match(str(error))
    if match is None:
        return QuerySyntaxError(str(error))
    return QuerySyntaxError(match.group(3), int(match.group(1)), int(match.group(2)))


def _leave_network() -> None:
    """Move into fresh user and network namespaces (Linux); elsewhere, or if refused, do nothing."""
    unshare = getattr(ctypes.CDLL(None, use_errno=True), "unshare", None)
    if unshare is not None:
        unshare(_CLONE_NEWUSER | _CLONE_NEWNET)
