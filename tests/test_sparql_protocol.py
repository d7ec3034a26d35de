"""The /sparql endpoint over real HTTP: the W3C SPARQL 1.1 Protocol tests, SPARQLWrapper as a client.

The W3C tests are read from the suite's ``manifest.ttl`` with rdflib and sent as written (their
``/sparql/`` paths pointed at our endpoint) to the app under waitress, serving a knowledge base
holding the suite's data files, each in the named graph the manifest names. This endpoint is
read-only and fetches nothing remote, so ``update_*`` tests must be refused (and the queries that
follow them find nothing written), and a ``query_*`` test naming a graph the store lacks
(``data0.rdf``) must be refused, then pass as the manifest says once that graph is left out.
"""

from __future__ import annotations

import csv
import http.client
import io
import json
import threading
import time
import urllib.error
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import pyoxigraph as ox
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS
from SPARQLWrapper import CSV, GET, JSON, POST, POSTDIRECTLY, TURTLE, URLENCODED, XML, SPARQLWrapper

from kb import namespaces as ns
from kb.catalog import PREFIX_LINES
from kb.store import KnowledgeBase

from .conftest import ROOT
from .listener import Listener
from .live_server import serve_app

SUITE = ROOT / "tests" / "standards" / "sparql11-protocol"  # the W3C suite, kept with the tests (see its README)
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
DATASET_PARAMS = ("default-graph-uri", "named-graph-uri")
RESULT_TYPES = {"application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values"}
RDF_TYPES = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld", "application/rdf+xml": "xml"}
RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"
CORPUS_IDS = ["apse-briefing-09-20", "ibsen-key-issues", "personal-budgets-checking-results", "scie-report-37", "york-spsw02"]
DOCUMENTS = PREFIX_LINES + "SELECT ?id ?title WHERE { ?d a kbv:SourceDocument ; dcterms:identifier ?id ; dcterms:title ?title } ORDER BY ?id"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@dataclass
class Exchange:
    """One HTTP request of a protocol test and what its response must be."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[int]  # acceptable status classes: 2, 3, 4...
    result_format: str | None  # "boolean", "tabular" or "RDF"
    boolean: bool | None


@dataclass
class ProtocolTest:
    name: str
    title: str
    exchanges: list[Exchange]


def read_manifest() -> tuple[list[ProtocolTest], dict[str, Path]]:
    """The manifest's tests in order, and the data files by the graph IRI they are loaded into."""
    manifest = Graph().parse(SUITE / "manifest.ttl", format="turtle")
    entries = Collection(manifest, manifest.value(manifest.value(predicate=RDF.type, object=MF.Manifest), MF.entries))
    tests = [
        ProtocolTest(
            name=str(test).rsplit("#", 1)[-1],
            title=str(manifest.value(test, MF.name)),
            exchanges=[_exchange(manifest, request) for request in Collection(manifest, manifest.value(manifest.value(test, MF.action), HT.requests))],
        )
        for test in entries
    ]
    graphs = {
        str(manifest.value(data, RDFS.label)): Path(urlsplit(str(manifest.value(data, UT.graph))).path)
        for data in manifest.objects(None, UT.graphData)
    }
    return tests, graphs


def _exchange(manifest: Graph, request) -> Exchange:
    response = manifest.value(request, HT.resp)
    body = manifest.value(request, HT.body)
    headers_list = manifest.value(request, HT.headers)
    headers = {
        str(manifest.value(h, HT.fieldName)): str(manifest.value(h, HT.fieldValue))
        for h in (Collection(manifest, headers_list) if headers_list is not None else [])
    }
    boolean = manifest.value(response, MF.expectedBoolean)
    result_format = manifest.value(response, MF.expectedFormat)
    return Exchange(
        method=str(manifest.value(request, HT.methodName)),
        path="/sparql" + str(manifest.value(request, HT.absolutePath)).removeprefix("/sparql/"),
        headers=headers,
        body=None if body is None else str(manifest.value(body, CNT.chars)).encode(str(manifest.value(body, CNT.characterEncoding))),
        statuses={int(str(status)[-3]) for status in manifest.objects(response, MF.expectedStatus)},
        result_format=None if result_format is None else str(result_format),
        boolean=None if boolean is None else boolean.toPython(),
    )


TESTS, GRAPH_FILES = read_manifest()


# --- servers and clients


@pytest.fixture(scope="module")
def protocol_kb(tmp_path_factory) -> KnowledgeBase:
    """A knowledge base holding the suite's data files, each in the named graph the manifest gives."""
    knowledge_base = KnowledgeBase(tmp_path_factory.mktemp("protocol-kb"))
    with knowledge_base.lock(), knowledge_base.new_generation() as writer:
        for graph, path in GRAPH_FILES.items():
            writer.store.load(path=SUITE / path.name, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph))
    return knowledge_base


@pytest.fixture(scope="module")
def protocol_server(protocol_kb):
    with serve_app({"KB_DATA": str(protocol_kb.path)}) as server:
        yield server


@pytest.fixture(scope="module")
def impatient_server(corpus_kb):
    """The corpus served with a one-second time limit."""
    with serve_app({"KB_DATA": str(corpus_kb.path), "SPARQL_TIMEOUT": 1}) as server:
        yield server


@pytest.fixture
def listener():
    listener = Listener()
    yield listener
    listener.close()


def send(server, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> tuple[int, str, bytes]:
    """One raw HTTP request: status, content type (without parameters) and body."""
    connection = http.client.HTTPConnection(server.host, server.port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, (response.getheader("Content-Type") or "").split(";")[0].strip(), response.read()
    finally:
        connection.close()


def get(server, query: str, accept: str | None = None, **params) -> tuple[int, str, bytes]:
    query_string = urlencode({"query": query, **params}, quote_via=quote)
    return send(server, "GET", f"/sparql?{query_string}", headers={"Accept": accept} if accept else {})


def wrapper(server, query: str, return_format: str, method: str = GET, request_method: str = URLENCODED) -> SPARQLWrapper:
    client = SPARQLWrapper(f"{server.url}/sparql")
    client.setQuery(query)
    client.setReturnFormat(return_format)
    client.setMethod(method)
    client.setRequestMethod(request_method)
    return client


def boolean_of(content_type: str, body: bytes) -> bool:
    if content_type == "application/sparql-results+json":
        return json.loads(body)["boolean"]
    assert content_type == "application/sparql-results+xml", content_type
    return ET.fromstring(body).find(f"{RESULTS_NS}boolean").text == "true"


def check_response(exchange: Exchange, status: int, content_type: str, body: bytes) -> None:
    assert status // 100 in exchange.statuses, (status, body)
    if exchange.result_format == "boolean":
        assert boolean_of(content_type, body) is (True if exchange.boolean is None else exchange.boolean)
    elif exchange.result_format == "tabular":
        assert content_type in RESULT_TYPES and json.loads(body)["head"]["vars"]
    elif exchange.result_format == "RDF":
        Graph().parse(data=body, format=RDF_TYPES[content_type])


def without_remote_graphs(exchange: Exchange) -> Exchange:
    """The exchange with dataset parameters naming graphs the store lacks left out."""
    split = urlsplit(exchange.path)
    kept = [(k, v) for k, v in parse_qsl(split.query, keep_blank_values=True) if k not in DATASET_PARAMS or v in GRAPH_FILES]
    path = split.path + ("?" + urlencode(kept, quote_via=quote) if kept else "")
    return Exchange(exchange.method, path, exchange.headers, exchange.body, exchange.statuses, exchange.result_format, exchange.boolean)


def names_remote_graphs(exchange: Exchange) -> bool:
    return any(k in DATASET_PARAMS and v not in GRAPH_FILES for k, v in parse_qsl(urlsplit(exchange.path).query))


# --- (a) the W3C SPARQL 1.1 Protocol tests


def test_the_manifest_is_read_whole():
    assert len(TESTS) == 34 and set(GRAPH_FILES) == {f"http://kasei.us/2009/09/sparql/data/data{n}.rdf" for n in (1, 2, 3)}


@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_w3c_protocol(protocol_server, test):
    first, *rest = test.exchanges
    if test.name.startswith("update_"):
        status, _, body = send(protocol_server, first.method, first.path, first.body, first.headers)
        assert status // 100 == 4, (status, body)
        for exchange in rest:  # the queries that would see the update's effect see none
            status, content_type, body = send(protocol_server, exchange.method, exchange.path, exchange.body, exchange.headers)
            assert status == 200 and boolean_of(content_type, body) is False
        return
    for exchange in test.exchanges:
        if test.name.startswith("query_") and names_remote_graphs(exchange):
            status, _, body = send(protocol_server, exchange.method, exchange.path, exchange.body, exchange.headers)
            assert status == 400 and b"remote graphs are not fetched" in body
            exchange = without_remote_graphs(exchange)
        check_response(exchange, *send(protocol_server, exchange.method, exchange.path, exchange.body, exchange.headers))


def test_remote_datasets_and_service_are_refused_without_a_connection(protocol_server, listener):
    requests = [
        get(protocol_server, "ASK {}", **{"default-graph-uri": listener.url}),
        get(protocol_server, "ASK { GRAPH ?g { ?s ?p ?o } }", **{"named-graph-uri": listener.url + "g"}),
        get(protocol_server, f"ASK FROM <{listener.url}data> {{ ?s ?p ?o }}"),
        get(protocol_server, f"SELECT * WHERE {{ SERVICE <{listener.url}sparql> {{ ?s ?p ?o }} }}"),
        send(protocol_server, "POST", "/sparql", f"LOAD <{listener.url}data.ttl>".encode(), {"Content-Type": "application/sparql-update"}),
    ]
    assert [status for status, _, _ in requests] == [400, 400, 400, 400, 403]
    assert all(content_type == "text/plain" for _, content_type, _ in requests)
    assert listener.connections() == 0


# --- (b) SPARQLWrapper as a client


@pytest.mark.parametrize("method, request_method", [(GET, URLENCODED), (POST, URLENCODED), (POST, POSTDIRECTLY)])
def test_sparqlwrapper_select_json(live_server, method, request_method):
    results = wrapper(live_server, DOCUMENTS, JSON, method, request_method).query().convert()
    assert [b["id"]["value"] for b in results["results"]["bindings"]] == CORPUS_IDS


def test_sparqlwrapper_select_xml_and_csv(live_server):
    document = wrapper(live_server, DOCUMENTS, XML, POST).query().convert()
    ids = [b.getElementsByTagName("literal")[0].firstChild.data for b in document.getElementsByTagName("binding") if b.getAttribute("name") == "id"]
    assert ids == CORPUS_IDS
    table = wrapper(live_server, DOCUMENTS, CSV).query().convert()
    assert [row["id"] for row in csv.DictReader(io.StringIO(table.decode("utf-8")))] == CORPUS_IDS


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_sparqlwrapper_ask_and_construct(live_server):
    assert wrapper(live_server, PREFIX_LINES + "ASK { ?d a kbv:SourceDocument }", JSON).query().convert()["boolean"] is True
    construct = PREFIX_LINES + "CONSTRUCT { ?d dcterms:title ?t } WHERE { ?d a kbv:SourceDocument ; dcterms:title ?t }"
    turtle = wrapper(live_server, construct, TURTLE, POST).query().convert()
    assert {str(s) for s in Graph().parse(data=turtle, format="turtle").subjects()} == {ns.document_iri(d) for d in CORPUS_IDS}
    rdf_xml = wrapper(live_server, construct, XML).query().convert()  # RDF/XML, parsed by SPARQLWrapper into a Graph
    assert len(rdf_xml) == 5


# --- (c) updates change nothing


def test_updates_are_refused_and_change_nothing(live_server, corpus_kb):
    def triples() -> int:
        return int(json.loads(get(live_server, COUNT)[2])["results"]["bindings"][0]["n"]["value"])

    before, generation = triples(), corpus_kb.current_name()
    drop = f"DROP GRAPH <{ns.graph_iri('york-spsw02')}>"
    with pytest.raises(urllib.error.HTTPError) as caught:
        wrapper(live_server, drop, JSON, POST).query()
    assert caught.value.code == 403
    refused = [
        send(live_server, "POST", "/sparql", b"CLEAR ALL", {"Content-Type": "application/sparql-update"}),
        send(live_server, "POST", "/sparql", urlencode({"update": drop}).encode(), {"Content-Type": "application/x-www-form-urlencoded"}),
        get(live_server, "DROP ALL"),
        send(live_server, "GET", "/sparql?update=CLEAR%20ALL"),
    ]
    assert [status for status, _, _ in refused] == [403, 403, 403, 403]
    assert triples() == before and corpus_kb.current_name() == generation
    assert len(ox.Store.read_only(str(corpus_kb.current().store_path))) == before


# --- (d) time limits


def test_the_server_keeps_answering_after_a_timed_out_query(impatient_server):
    started = time.monotonic()
    status, content_type, body = get(impatient_server, SLOW)
    assert (status, content_type) == (503, "text/plain") and b"1 s time limit" in body
    assert time.monotonic() - started < 3
    started = time.monotonic()
    assert get(impatient_server, "ASK {}")[0] == 200
    assert time.monotonic() - started < 1


def test_a_slow_query_does_not_hold_up_others(impatient_server):
    slow = threading.Thread(target=get, args=(impatient_server, SLOW))
    slow.start()
    time.sleep(0.2)
    started = time.monotonic()
    status, _, body = get(impatient_server, DOCUMENTS)
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 5
    assert time.monotonic() - started < 0.9
    slow.join()


# --- the rest of the protocol


@pytest.mark.parametrize(
    "accept, content_type",
    [
        (None, "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("text/turtle;q=0.9, application/sparql-results+xml;q=0.5", "application/sparql-results+xml"),
        ("*/*", "application/sparql-results+json"),
    ],
)
def test_select_content_negotiation(live_server, accept, content_type):
    status, got, _ = get(live_server, DOCUMENTS, accept)
    assert (status, got) == (200, content_type)


@pytest.mark.parametrize(
    "accept, content_type",
    [(None, "text/turtle"), ("application/n-triples", "application/n-triples"), ("application/ld+json", "application/ld+json")],
)
def test_construct_content_negotiation(live_server, accept, content_type):
    status, got, body = get(live_server, "CONSTRUCT WHERE { ?s a ?type } LIMIT 3", accept)
    assert (status, got) == (200, content_type)
    assert len(Graph().parse(data=body, format=RDF_TYPES[content_type])) == 3


@pytest.mark.parametrize(
    "method, path, body, headers, status, message",
    [
        ("GET", "/sparql?query=SELECT%20*%20WHERE%20%7B%0A%3Fs%20%3Fp%7D", None, {}, 400, b"syntax error at line 2, column "),
        ("GET", "/sparql?default-graph-uri=urn:x", None, {}, 400, b"exactly one query, not 0"),
        ("POST", "/sparql", b"", {"Content-Type": "application/x-www-form-urlencoded"}, 400, b"exactly one query, not 0"),
        ("POST", "/sparql?query=ASK%20%7B%7D", b"ASK {}", {"Content-Type": "application/sparql-query"}, 400, b"exactly one query, not 2"),
        ("POST", "/sparql", b"query=ASK%20%7B%7D&update=CLEAR%20ALL", {"Content-Type": "application/x-www-form-urlencoded"}, 400, b"not both"),
        ("GET", "/sparql?query=" + "x" * 20_001, None, {}, 413, b"longer than 20,000 characters"),
        ("POST", "/sparql", b"ASK {" + b" " * 400_000 + b"}", {"Content-Type": "application/sparql-query"}, 413, b"too large"),
        ("GET", "/sparql?query=CONSTRUCT%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D", None, {"Accept": "text/csv"}, 406, b"text/turtle"),
        ("GET", "/sparql?query=SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D", None, {}, 400, b"more than 10,000 rows"),
    ],
    ids=["syntax", "no-query", "empty-form", "two-queries", "query-and-update", "too-long", "body-too-large", "not-acceptable", "row-limit"],
)
def test_bad_requests_get_a_status_and_a_line_of_text(live_server, method, path, body, headers, status, message):
    got, content_type, text = send(live_server, method, path, body, headers)
    assert (got, content_type) == (status, "text/plain") and message in text, text


def test_head_options_and_the_service_description(live_server):
    status, content_type, body = send(live_server, "HEAD", "/sparql?query=ASK%20%7B%7D")
    assert (status, content_type, body) == (200, "application/sparql-results+json", b"")
    connection = http.client.HTTPConnection(live_server.host, live_server.port, timeout=10)
    connection.request("OPTIONS", "/sparql")
    response = connection.getresponse()
    assert response.status == 200 and {"GET", "POST"} <= {m.strip() for m in response.getheader("Allow").split(",")}
    connection.close()
    status, content_type, body = send(live_server, "GET", "/sparql")
    description = Graph().parse(data=body, format="turtle")
    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (status, content_type) == (200, "text/turtle")
    assert (None, sd.endpoint, URIRef(f"{live_server.url}/sparql")) in description
    assert (None, sd.feature, sd.UnionDefaultGraph) in description


def test_a_browser_gets_the_query_page_with_results_escaped(live_server):
    browser = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
    status, content_type, page = send(live_server, "GET", "/sparql", headers=browser)
    html = page.decode("utf-8")
    assert (status, content_type) == (200, "text/html") and "<textarea" in html and "PREFIX kbv: &lt;https://w3id.org/carekb/vocab#&gt;" in html
    assert "<script" not in html
    query = 'SELECT ?x WHERE { BIND("<script>alert(1)</script>" AS ?x) }'
    status, _, page = send(live_server, "POST", "/sparql", urlencode({"query": query}).encode(), {**browser, "Content-Type": "application/x-www-form-urlencoded"})
    html = page.decode("utf-8")
    assert status == 200 and "<script>" not in html and html.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 2
    status, _, page = send(live_server, "GET", "/sparql?query=ASK%20%7B", headers=browser)
    assert status == 400 and "syntax error at line 1, column 6" in page.decode("utf-8")
