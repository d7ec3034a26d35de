"""The SPARQL 1.1 Protocol endpoint at ``/sparql``: read-only queries, results by content negotiation.

Queries come by GET (``?query=``), by POST as a form (``query=``) or directly
(``application/sparql-query``); ``default-graph-uri`` / ``named-graph-uri`` may name graphs the
store holds. SELECT/ASK results are SPARQL Results JSON (default), XML, CSV or TSV; CONSTRUCT and
DESCRIBE results Turtle (default), N-Triples, JSON-LD or RDF/XML, as the Accept header asks. The
default graph is the union of all graphs. Updates are refused (403), as are SERVICE calls and remote
datasets (400), without any outbound request; errors are one line of text/plain. A browser (Accept
text/html) gets a query form, and the results as a table. GET without parameters gives the SPARQL
service description. Answers to repeated queries on the published generation are kept in memory
(``kb.sparql.result_cache``). Configuration: SPARQL_MAX_QUERY_CHARS, SPARQL_TIMEOUT,
SPARQL_MAX_ROWS, SPARQL_WORKERS, SPARQL_CACHE_BYTES.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request
from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.namespace import RDF
from werkzeug.datastructures import CombinedMultiDict, MultiDict
from werkzeug.exceptions import RequestEntityTooLarge

from kb.catalog import PREFIX_LINES
from kb.query_library import load_queries
from kb.sparql import (
    DEFAULT_FORMATS,
    DEFAULT_MAX_ROWS,
    DEFAULT_TIMEOUT,
    DEFAULT_WORKERS,
    FORMATS,
    NotAcceptable,
    ParameterError,
    QueryRefused,
    QueryResult,
    QueryRunner,
    QuerySyntaxError,
    QueryTimeout,
    SparqlError,
    TooManyRows,
    UpdateRefused,
)
from kb.store import KnowledgeBaseError

from .resources import get_service

bp = Blueprint("sparql", __name__)

CONFIG_DEFAULTS = {
    "SPARQL_MAX_QUERY_CHARS": 20_000,
    "SPARQL_TIMEOUT": DEFAULT_TIMEOUT,
    "SPARQL_MAX_ROWS": DEFAULT_MAX_ROWS,
    "SPARQL_WORKERS": DEFAULT_WORKERS,
    "SPARQL_CACHE_BYTES": 64 * 1024 * 1024,  # answers to repeated queries kept per server (0: none)
}
FORM, DIRECT_QUERY, DIRECT_UPDATE = "application/x-www-form-urlencoded", "application/sparql-query", "application/sparql-update"
MEDIA_TYPES = {  # what a client may Accept -> result format name
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/turtle": "turtle",
    "application/n-triples": "ntriples",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
}
STATUS = {
    QuerySyntaxError: 400,
    UpdateRefused: 403,
    QueryRefused: 400,
    ParameterError: 400,
    TooManyRows: 400,
    QueryTimeout: 503,
    SparqlError: 500,
}
EXAMPLE_QUERY = "SELECT ?document ?title WHERE {\n  ?document a kbv:SourceDocument ; dcterms:title ?title .\n}\nLIMIT 20\n"
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
W3C_FORMATS = Namespace("http://www.w3.org/ns/formats/")
RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML")


class ProtocolError(Exception):
    """A request that breaks the protocol: its HTTP status and a one-line reason."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


@bp.record_once
def _configure(state) -> None:
    config = state.app.config
    for key, value in CONFIG_DEFAULTS.items():
        config.setdefault(key, value)
    state.app.extensions["sparql_runner"] = QueryRunner(
        workers=config["SPARQL_WORKERS"], timeout=config["SPARQL_TIMEOUT"], max_rows=config["SPARQL_MAX_ROWS"],
        cache_bytes=config["SPARQL_CACHE_BYTES"],
    )


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint():
    if request.method != "POST" and not request.args:
        return _page() if _wants_html() else _service_description()
    query, dataset = _operation()
    download = request.args.get("download")
    if download:
        return _download(query, dataset, download)
    if _wants_html():
        return _page(query, dataset)
    result = _run(query, _accepted_formats(), dataset)
    return Response(result.body, mimetype=result.media_type)


DOWNLOADS = {"csv": "csv", "json": "json", "tsv": "tsv", "xml": "xml", "turtle": "ttl", "jsonld": "jsonld"}


def _download(query: str, dataset, fmt: str) -> Response:
    """The results as a file to save (the query page's download links): ``download=csv|json|...``."""
    if fmt not in DOWNLOADS:
        raise ProtocolError(400, f"download must be one of {', '.join(DOWNLOADS)}, not {fmt[:20]!r}")
    result = _run(query, (fmt,), dataset)
    response = Response(result.body, mimetype=result.media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="results.{DOWNLOADS[fmt]}"'
    return response


@bp.errorhandler(ProtocolError)
def _protocol_error(error: ProtocolError):
    return _plain(error.status, error.message)


@bp.errorhandler(SparqlError)
def _sparql_error(error: SparqlError):
    return _plain(_status(error), str(error))


@bp.errorhandler(NotAcceptable)
def _not_acceptable(error: NotAcceptable):
    media_types = ", ".join(FORMATS[name].media_type for name in error.usable)
    return _plain(406, f"{error.form} results can be given as {media_types}; the Accept header allows none of them")


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error):
    return _plain(413, "the request is too large for a query")


@bp.errorhandler(KnowledgeBaseError)
def _no_knowledge_base(error: KnowledgeBaseError):
    return _plain(503, str(error))


def _operation() -> tuple[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """The one query a protocol request carries and its protocol dataset (default, named graphs)."""
    max_chars = current_app.config["SPARQL_MAX_QUERY_CHARS"]
    request.max_content_length = 12 * max_chars + 65_536  # room for a percent-encoded query
    params, body_query = _params()
    queries = params.getlist("query") + ([body_query] if body_query is not None else [])
    if params.getlist("update") or request.mimetype == DIRECT_UPDATE:
        if queries:
            raise ProtocolError(400, "a request carries a query or an update, not both")
        raise ProtocolError(403, "SPARQL Update is refused: this endpoint is read-only")
    if len(queries) != 1:
        raise ProtocolError(400, f"a request must carry exactly one query, not {len(queries)}")
    if len(queries[0]) > max_chars:
        raise ProtocolError(413, f"the query is longer than {max_chars:,} characters")
    return queries[0], (tuple(params.getlist("default-graph-uri")), tuple(params.getlist("named-graph-uri")))


def _params() -> tuple[MultiDict, str | None]:
    """The request's parameters and, for a direct POST, the query text of its body."""
    if request.method != "POST" or request.mimetype == DIRECT_UPDATE:
        return request.args, None
    if request.mimetype == FORM:
        return CombinedMultiDict([request.args, request.form]), None
    if request.mimetype != DIRECT_QUERY:
        raise ProtocolError(415, f"POST a query as {FORM} (query=...) or as {DIRECT_QUERY}, not {request.mimetype or 'untyped'}")
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise ProtocolError(415, f"a query must be sent in UTF-8, not {charset}")
    try:
        return request.args, request.get_data().decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError(400, "the query is not valid UTF-8") from None


def _run(query: str, formats: tuple[str, ...], dataset) -> QueryResult:
    default_graphs, named_graphs = dataset
    return current_app.extensions["sparql_runner"].run(
        get_service().view.query_target,
        query,
        formats=formats,
        default_graphs=default_graphs,
        named_graphs=named_graphs,
        base_iri=request.base_url,
    )


def _accepted_formats() -> tuple[str, ...]:
    """The result formats the Accept header allows, best first (the defaults for */* or none)."""
    if not request.accept_mimetypes:
        return DEFAULT_FORMATS
    names: list[str] = []
    for media_type, quality in request.accept_mimetypes:
        if quality > 0:
            names.extend(DEFAULT_FORMATS if "*" in media_type else [MEDIA_TYPES.get(media_type, "")])
    return tuple(name for name in dict.fromkeys(names) if name)


def _wants_html() -> bool:
    return request.accept_mimetypes.best_match([*MEDIA_TYPES, "text/html"]) == "text/html"


def _page(query: str | None = None, dataset=((), ())):
    """The query form, and the results of ``query`` as a table when there is one."""
    result, error, status = None, None, 200
    if query is not None:
        try:
            result = _run(query, ("rows",), dataset)
        except SparqlError as exc:
            error, status = str(exc), _status(exc)
    text = query if query is not None else PREFIX_LINES + "\n" + EXAMPLE_QUERY
    page = render_template(
        "sparql.html", query=text, result=result, error=error, max_chars=current_app.config["SPARQL_MAX_QUERY_CHARS"],
        examples=load_queries(), ran=query is not None,
    )
    return page, status


def _service_description() -> Response:
    """The SPARQL 1.1 Service Description of this endpoint, in Turtle."""
    graph, service = Graph(bind_namespaces="core"), BNode()
    graph.bind("sd", SD)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, URIRef(request.base_url)))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    for name in RESULT_FORMATS:
        graph.add((service, SD.resultFormat, W3C_FORMATS[name]))
    return Response(graph.serialize(format="turtle"), mimetype="text/turtle")


def _status(error: SparqlError) -> int:
    return next(STATUS[cls] for cls in type(error).__mro__ if cls in STATUS)


def _plain(status: int, message: str) -> Response:
    return Response(message + "\n", status=status, mimetype="text/plain")
