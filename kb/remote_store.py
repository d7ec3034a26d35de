"""A SPARQL 1.1 store over HTTP in place of the embedded Oxigraph store (``--store URL`` / ``KB_STORE``).

``RemoteStore`` implements the part of ``pyoxigraph.Store`` the knowledge base uses and gives back
pyoxigraph terms, so readers do not change: queries go to the store's SPARQL 1.1 Protocol endpoint
and their results are read with pyoxigraph's parsers; substitutions become a ``VALUES`` block at
the start of the WHERE group, written from the terms' N-Triples forms (never pasted text), so a
substituted variable must be bound by the query's top-level pattern, not only used in a nested
FILTER. A graph is replaced with one Graph Store Protocol ``PUT`` (atomic in the store); where the
store has no Graph Store Protocol, with SPARQL Update (``INSERT DATA`` in chunks, the first one
with the ``DROP`` of the graph); graphs are removed with ``DROP
SILENT GRAPH``. Only named graphs are read and written, and the store (or its dataset, or
repository) must hold this knowledge base's graphs alone. Queries that need the default graph to
be the union of all graphs, as analysts' queries do, are refused unless the store is configured so
(Oxigraph ``--union-default-graph``, Fuseki ``unionDefaultGraph``; GraphDB and Virtuoso do it by
default). State safety is weaker than the embedded store's generations: each document graph is
replaced atomically, but readers see it as soon as it is written, beside the index of the previous
generation until the ingest ends. Every error is one line naming the URL that failed.
"""

from __future__ import annotations

import copy
import http.client
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO
from urllib.parse import urlencode

import pyoxigraph as ox

from .errors import RemoteStoreError, RemoteStoreTimeout
from .sparql.params import with_values

DEFAULT_TIMEOUT = 120.0  # seconds to wait for each answer of the store
INSERT_CHUNK = 10_000  # triples per INSERT DATA request, for stores without the Graph Store Protocol
FORM = "application/x-www-form-urlencoded"
N_TRIPLES = "application/n-triples"
RESULTS_JSON = "application/sparql-results+json"
ACCEPT = f"{RESULTS_JSON}, {N_TRIPLES};q=0.9, text/turtle;q=0.8"
NO_GRAPH_STORE = frozenset({404, 405, 415, 501})  # answers of a URL without a usable Graph Store Protocol

QUADS = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"
HOLDS_GRAPH = "ASK { GRAPH ?g { ?s ?p ?o } }"
SAMPLE = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(!isBlank(?s) && !isBlank(?o)) } LIMIT 1"
IN_DEFAULT_GRAPH = "ASK { ?s ?p ?o }"


class RemoteStore:
    """The SPARQL 1.1 store at ``url``; its endpoints default to Oxigraph server's layout
    (``URL/query``, ``URL/update`` and the Graph Store Protocol at ``URL/store``)."""

    def __init__(
        self,
        url: str,
        query_url: str | None = None,
        update_url: str | None = None,
        store_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ):
        base = url.rstrip("/")
        self.url = url
        self.query_url = query_url or f"{base}/query"
        self.update_url = update_url or f"{base}/update"
        self.store_url = store_url or f"{base}/store"
        self.timeout = timeout
        self._graph_store = True  # until store_url answers that it has no Graph Store Protocol
        self._union_checked = False

    def with_timeout(self, seconds: float) -> RemoteStore:
        """This store with another time limit."""
        other = copy.copy(self)
        other.timeout = seconds
        return other

    def check(self) -> None:
        """Raise ``RemoteStoreError`` unless the query endpoint answers."""
        self.query("ASK {}")

    # --- reading

    def query(
        self,
        query: str,
        *,
        base_iri: str | None = None,
        substitutions: dict | None = None,
        use_default_graph_as_union: bool = False,
        default_graph=None,
        named_graphs=None,
    ):
        """``QuerySolutions`` for SELECT, ``QueryBoolean`` for ASK, a list of ``Triple`` for
        CONSTRUCT and DESCRIBE; the dataset arguments as in ``pyoxigraph.Store.query``."""
        if substitutions:
            query = with_values(query, {variable.value: term for variable, term in substitutions.items()})
        if base_iri is not None:
            query = f"BASE {ox.NamedNode(base_iri)}\n{query}"
        dataset = _dataset(default_graph, named_graphs)
        if use_default_graph_as_union and not dataset:
            self._check_union_default_graph()
        with self._open(self._query_request(query, dataset, ACCEPT), self.query_url) as response:
            media_type, body = response.headers.get_content_type(), response.read()
        return _results(body, media_type, self.query_url)

    def quads_for_pattern(self, subject, predicate, object, graph_name=None) -> Iterator[ox.Quad]:
        """The quads of the named graphs that match (None matches anything), streamed as they come."""
        pattern = zip("spog", (subject, predicate, object, graph_name))
        bound = {name: term for name, term in pattern if term is not None}
        query = with_values(QUADS, bound) if bound else QUADS
        with self._open(self._query_request(query, [], RESULTS_JSON), self.query_url) as response:
            for row in ox.parse_query_results(response, format=_results_format(response, self.query_url)):
                yield ox.Quad(row["s"], row["p"], row["o"], row["g"])

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        return (row["g"] for row in self.query(GRAPHS))

    def contains_named_graph(self, graph: ox.NamedNode) -> bool:
        return bool(self.query(HOLDS_GRAPH, substitutions={ox.Variable("g"): _named(graph)}))

    def __len__(self) -> int:
        """The number of quads in the named graphs."""
        return int(next(iter(self.query(COUNT)))["n"].value)

    def dump(self, output: BinaryIO, format: ox.RdfFormat, *, prefixes: dict[str, str] | None = None) -> None:
        """Write every named graph to ``output`` in a quad format."""
        ox.serialize(self.quads_for_pattern(None, None, None), output, format, prefixes=prefixes)

    # --- writing

    def replace_graph(self, graph: ox.NamedNode, ntriples: bytes) -> None:
        """Make the named graph ``graph`` hold the triples of ``ntriples`` (N-Triples) and nothing else:
        one Graph Store Protocol PUT, atomic in the store; else (once the store says it has no Graph
        Store Protocol) SPARQL Update."""
        graph = _named(graph)
        if self._graph_store:
            try:
                self._put_graph(graph, ntriples)
                return
            except RemoteStoreError as error:
                if error.status not in NO_GRAPH_STORE:
                    raise
                self._graph_store = False
        self._insert(graph, ntriples)

    def clear_graph(self, graph: ox.NamedNode) -> None:
        self.update(f"CLEAR SILENT GRAPH {_named(graph)}")

    def remove_graph(self, graph: ox.NamedNode) -> None:
        self.update(f"DROP SILENT GRAPH {_named(graph)}")

    def update(self, update: str) -> None:
        """Run a SPARQL 1.1 Update."""
        headers = {"Content-Type": "application/sparql-update"}
        request = urllib.request.Request(self.update_url, data=update.encode("utf-8"), headers=headers, method="POST")
        with self._open(request, self.update_url):
            pass

    def flush(self) -> None:
        """Nothing to do: every write is sent when it is made."""

    # --- HTTP

    def _query_request(self, query: str, dataset: list[tuple[str, str]], accept: str) -> urllib.request.Request:
        body = urlencode([("query", query), *dataset]).encode("ascii")
        return urllib.request.Request(self.query_url, data=body, headers={"Content-Type": FORM, "Accept": accept})

    def _put_graph(self, graph: ox.NamedNode, body: bytes) -> None:
        separator = "&" if "?" in self.store_url else "?"
        url = f"{self.store_url}{separator}{urlencode({'graph': graph.value})}"
        request = urllib.request.Request(url, data=body, headers={"Content-Type": N_TRIPLES}, method="PUT")
        with self._open(request, self.store_url):
            pass

    def _insert(self, graph: ox.NamedNode, body: bytes) -> None:
        """DROP and INSERT DATA in one request, and the triples beyond the first chunk in more."""
        lines = body.decode("utf-8").split("\n")[:-1]  # one triple a line; splitlines would split literals at U+2028
        chunks = [lines[i : i + INSERT_CHUNK] for i in range(0, len(lines), INSERT_CHUNK)] or [[]]
        self.update(f"DROP SILENT GRAPH {graph} ;\n" + _insert_data(graph, chunks[0]))
        for chunk in chunks[1:]:
            self.update(_insert_data(graph, chunk))

    @contextmanager
    def _open(self, request: urllib.request.Request, endpoint: str) -> Iterator[http.client.HTTPResponse]:
        """The store's response, with every failure (also while reading it) as a ``RemoteStoreError``."""
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                yield response
        except urllib.error.HTTPError as error:
            raise RemoteStoreError(
                f"the store at {endpoint} answered {error.code} {error.reason}: {_first_line(error)}", error.code
            ) from None
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                raise self._timeout(endpoint) from None
            raise RemoteStoreError(f"cannot reach the store at {endpoint}: {error.reason}") from None
        except TimeoutError:
            raise self._timeout(endpoint) from None
        except (OSError, http.client.HTTPException) as error:
            raise RemoteStoreError(f"lost the connection to the store at {endpoint}: {error}") from None

    def _timeout(self, endpoint: str) -> RemoteStoreTimeout:
        return RemoteStoreTimeout(f"the store at {endpoint} did not answer within {self.timeout:g} s")

    def _check_union_default_graph(self) -> None:
        """Refuse a store whose default graph is not the union of its named graphs (once it holds any)."""
        if self._union_checked:
            return
        sample = list(self.query(SAMPLE))
        if sample and not self.query(IN_DEFAULT_GRAPH, substitutions={ox.Variable(n): sample[0][n] for n in "spo"}):
            raise RemoteStoreError(
                f"the store at {self.query_url} does not query the union of its named graphs by default: "
                "configure it to (Oxigraph: serve --union-default-graph; Fuseki: unionDefaultGraph)"
            )
        self._union_checked = bool(sample)


def _named(graph: ox.NamedNode) -> ox.NamedNode:
    """``graph``, checked to be an IRI: its N-Triples form is the only text written into updates."""
    if not isinstance(graph, ox.NamedNode):
        raise TypeError(f"a remote store holds named graphs only, not {graph!r}")
    return graph


def _dataset(default_graph, named_graphs) -> list[tuple[str, str]]:
    """The SPARQL Protocol's ``default-graph-uri`` and ``named-graph-uri`` parameters."""
    defaults = default_graph if isinstance(default_graph, list) else [] if default_graph is None else [default_graph]
    return [("default-graph-uri", _named(g).value) for g in defaults] + [
        ("named-graph-uri", _named(g).value) for g in named_graphs or ()
    ]


def _results(body: bytes, media_type: str, endpoint: str):
    """A query's answer parsed by pyoxigraph: solutions, a boolean or triples."""
    results_format = ox.QueryResultsFormat.from_media_type(media_type)
    if results_format is not None:
        return ox.parse_query_results(body, format=results_format)
    rdf_format = ox.RdfFormat.from_media_type(media_type)
    if rdf_format is None:
        raise RemoteStoreError(f"the store at {endpoint} answered in {media_type}, which is neither SPARQL results nor RDF")
    return [quad.triple for quad in ox.parse(body, format=rdf_format)]


def _results_format(response: http.client.HTTPResponse, endpoint: str) -> ox.QueryResultsFormat:
    results_format = ox.QueryResultsFormat.from_media_type(response.headers.get_content_type())
    if results_format is None:
        raise RemoteStoreError(f"the store at {endpoint} answered in {response.headers.get_content_type()}, not SPARQL results")
    return results_format


def _insert_data(graph: ox.NamedNode, lines: list[str]) -> str:
    body = "\n".join(lines)
    return f"INSERT DATA {{ GRAPH {graph} {{\n{body}\n}} }}"


def _first_line(error: urllib.error.HTTPError) -> str:
    """The first line of an error answer's body (stores explain errors there), at most 300 characters."""
    try:
        text = error.read(4096).decode("utf-8", "replace").strip()
    except OSError:
        return "no explanation given"
    return (text.splitlines() or ["no explanation given"])[0][:300]
