"""SPARQL queries through the runner and ``kb sparql``: formats, parameters, refusals, limits.

Everything runs against the corpus knowledge base's real Oxigraph store, in the runner's worker
processes; results are parsed back with independent parsers (json, xml.etree, csv, rdflib).
"""

from __future__ import annotations

import csv
import io
import json
import os
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from kb import namespaces as ns
from kb.catalog import PREFIX_LINES
from kb.sparql import (
    NotAcceptable,
    ParameterError,
    QueryRefused,
    QueryRunner,
    QuerySyntaxError,
    QueryTimeout,
    TooManyRows,
    UpdateRefused,
    parse_param,
    parse_query,
)
from kb.sparql.params import with_default_replaced

from .conftest import ROOT, run_kb
from .listener import Listener

CORPUS_IDS = ["apse-briefing-09-20", "ibsen-key-issues", "personal-budgets-checking-results", "scie-report-37", "york-spsw02"]
DOCUMENTS = PREFIX_LINES + """
SELECT ?id ?title WHERE { ?doc a kbv:SourceDocument ; dcterms:identifier ?id ; dcterms:title ?title } ORDER BY ?id
"""
TITLES = PREFIX_LINES + "CONSTRUCT { ?doc dcterms:title ?title } WHERE { ?doc a kbv:SourceDocument ; dcterms:title ?title }"
TITLE_OF = PREFIX_LINES + "SELECT ?title WHERE { ?doc dcterms:identifier ?id ; a kbv:SourceDocument ; dcterms:title ?title }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
XSD_INTEGER = ox.NamedNode(str(ns.XSD.integer))
RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"


@pytest.fixture(scope="module")
def store_path(corpus_kb) -> str:
    return str(corpus_kb.current().store_path)


@pytest.fixture(scope="module")
def runner():
    runner = QueryRunner(workers=2, timeout=10)
    yield runner
    runner.close()


@pytest.fixture
def listener():
    listener = Listener()
    yield listener
    listener.close()


def ids_from(fmt: str, body: bytes) -> list[str]:
    """The ?id column of SELECT results, read with a parser for ``fmt``."""
    text = body.decode("utf-8")
    if fmt == "json":
        return [b["id"]["value"] for b in json.loads(text)["results"]["bindings"]]
    if fmt == "xml":
        results = ET.fromstring(text).iter(f"{RESULTS_NS}result")
        return [r.find(f"{RESULTS_NS}binding[@name='id']/{RESULTS_NS}literal").text for r in results]
    if fmt == "csv":
        return [row["id"] for row in csv.DictReader(io.StringIO(text))]
    rows = list(csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))
    assert rows[0] == ["?id", "?title"]
    return [row[0].strip('"') for row in rows[1:]]


# --- results


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_select_results_parse_back_in_every_format(runner, store_path, fmt):
    result = runner.run(store_path, DOCUMENTS, formats=[fmt])
    assert result.format == fmt and result.variables == ("id", "title")
    assert ids_from(fmt, result.body) == CORPUS_IDS


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_ask_results_parse_back(runner, store_path, fmt):
    for query, expected in [(PREFIX_LINES + "ASK { ?d a kbv:SourceDocument }", "true"), ("ASK { ?s <urn:x:none> ?o }", "false")]:
        body = runner.run(store_path, query, formats=[fmt]).body.decode()
        answer = json.loads(body)["boolean"] if fmt == "json" else ET.fromstring(body).find(f"{RESULTS_NS}boolean").text
        assert str(answer).lower() == expected


@pytest.mark.parametrize("fmt, rdflib_format", [("turtle", "turtle"), ("ntriples", "nt"), ("jsonld", "json-ld"), ("rdfxml", "xml")])
def test_construct_results_parse_back_with_rdflib(runner, store_path, fmt, rdflib_format):
    result = runner.run(store_path, TITLES, formats=[fmt])
    graph = Graph().parse(data=result.body, format=rdflib_format)
    assert {str(s) for s in graph.subjects()} == {ns.document_iri(doc_id) for doc_id in CORPUS_IDS}
    if fmt == "turtle":
        assert b"@prefix dcterms: <http://purl.org/dc/terms/>" in result.body


def test_rows_are_plain_python_values(runner, store_path):
    query = PREFIX_LINES + "SELECT ?id ?chars ?doc WHERE { ?doc dcterms:identifier ?id ; kbv:characterCount ?chars } ORDER BY ?id"
    result = runner.run(store_path, query, formats=["rows"])
    first = result.rows[0]
    assert first[0] == "apse-briefing-09-20" and isinstance(first[1], int) and first[1] > 1000
    assert first[2] == ns.document_iri("apse-briefing-09-20")
    assert runner.run(store_path, "ASK {}", formats=["rows"]).boolean is True


def test_a_result_format_must_suit_the_query_form(runner, store_path):
    with pytest.raises(NotAcceptable) as caught:
        runner.run(store_path, TITLES, formats=["csv"])
    assert caught.value.usable == ("turtle", "ntriples", "jsonld", "rdfxml")


def test_default_graph_is_the_union_and_from_narrows_it(runner, store_path):
    query = PREFIX_LINES + "SELECT ?id {from} WHERE {{ ?d a kbv:SourceDocument ; dcterms:identifier ?id }} ORDER BY ?id"
    everything = runner.run(store_path, query.format(**{"from": ""}), formats=["rows"])
    assert [row[0] for row in everything.rows] == CORPUS_IDS
    one = runner.run(store_path, query.format(**{"from": f"FROM <{ns.graph_iri('york-spsw02')}>"}), formats=["rows"])
    assert one.rows == (("york-spsw02",),)


def test_protocol_dataset_of_graphs_the_store_holds(runner, store_path):
    query = PREFIX_LINES + "SELECT ?g ?id WHERE { GRAPH ?g { ?d a kbv:SourceDocument ; dcterms:identifier ?id } }"
    graphs = [ns.graph_iri("scie-report-37"), ns.graph_iri("ibsen-key-issues")]
    result = runner.run(store_path, query, formats=["rows"], named_graphs=graphs)
    assert sorted(result.rows) == sorted(zip(graphs, ["scie-report-37", "ibsen-key-issues"]))
    default_only = runner.run(store_path, query.replace("GRAPH ?g", "BIND(<urn:x> AS ?g)"), formats=["rows"], default_graphs=graphs[:1])
    assert [row[1] for row in default_only.rows] == ["scie-report-37"]


def test_every_analyst_query_runs(runner, store_path):
    for path in sorted((ROOT / "queries").glob("*.rq")):
        result = runner.run(store_path, path.read_text(encoding="utf-8"), formats=["rows"])
        assert result.variables, path.name


# --- parameters


def test_cli_parameter_values_become_rdf_terms():
    assert parse_param("doc=<https://w3id.org/carekb/id/doc/york-spsw02>") == ("doc", ox.NamedNode(ns.document_iri("york-spsw02")))
    assert parse_param("?kind=kbv:Claim") == ("kind", ox.NamedNode(str(ns.KBV.Claim)))
    assert parse_param("n=12") == ("n", ox.Literal("12", datatype=XSD_INTEGER))
    assert parse_param("x=1.5")[1].datatype == ox.NamedNode(str(ns.XSD.decimal))
    assert parse_param("q=carers and cost") == ("q", ox.Literal("carers and cost"))
    assert parse_param('v=x" } ; DROP ALL ; #') == ("v", ox.Literal('x" } ; DROP ALL ; #'))
    for bad in ["novalue", "1x=2", "doc=<not an iri>"]:
        with pytest.raises(ParameterError):
            parse_param(bad)


@pytest.mark.parametrize("projected", [False, True], ids=["values-block", "substitution"])
def test_parameters_bind_as_terms(runner, store_path, projected):
    query = TITLE_OF.replace("SELECT ?title", "SELECT ?id ?title") if projected else TITLE_OF
    found = runner.run(store_path, query, formats=["rows"], params={"id": ox.Literal("york-spsw02")})
    assert len(found.rows) == 1 and "budget" in found.rows[0][-1].lower()
    injected = runner.run(store_path, query, formats=["rows"], params={"id": ox.Literal('x" } ; DROP ALL ; #')})
    assert injected.rows == ()
    assert len(runner.run(store_path, DOCUMENTS, formats=["rows"]).rows) == 5


def test_a_parameter_replaces_the_default_values_block(runner, store_path):
    query = PREFIX_LINES + '''SELECT ?title WHERE {
      VALUES ?id { "york-spsw02" }  # the default: VALUES ?id { "in a comment" }
      ?doc dcterms:identifier ?id ; a kbv:SourceDocument ; dcterms:title ?title }'''
    york = runner.run(store_path, query, formats=["rows"]).rows
    scie = runner.run(store_path, query, formats=["rows"], params={"id": ox.Literal("scie-report-37")}).rows
    assert len(york) == len(scie) == 1 and york != scie
    injected = runner.run(store_path, query, formats=["rows"], params={"id": ox.Literal('x" } ; DROP ALL ; #')})
    assert injected.rows == ()


def test_only_a_values_block_opening_the_where_group_or_its_opening_sub_select_is_a_default():
    term = ox.Literal("b")
    leading = 'SELECT ?x WHERE { VALUES ?x { "a" } ?s ?p ?x }'
    assert with_default_replaced(leading, "x", term) == 'SELECT ?x WHERE { VALUES ?x { "b" } ?s ?p ?x }'
    opening_a_sub_select = 'SELECT ?x WHERE { { SELECT ?x ?s WHERE { VALUES ?x { "a" } ?s ?p ?x } } ?s ?q ?o }'
    assert with_default_replaced(opening_a_sub_select, "x", term) == opening_a_sub_select.replace('"a"', '"b"')
    for elsewhere in [
        'SELECT ?x WHERE { ?s ?p ?x OPTIONAL { VALUES ?x { "a" } } }',
        'SELECT ?x WHERE { ?s ?p ?x . { VALUES ?x { "a" } } }',
        'SELECT ?x WHERE { ?s ?q ?o { SELECT ?x ?s WHERE { VALUES ?x { "a" } ?s ?p ?x } } }',
        'SELECT ?x WHERE { { SELECT ?x ?s WHERE { ?s ?p ?x VALUES ?x { "a" } } } ?s ?q ?o }',
        'SELECT ?x WHERE { ?s ?p ?x FILTER(?x != "VALUES ?x { 1 }") }',
        'SELECT ?x WHERE { ?s ?p ?x } VALUES ?x { "a" }',
    ]:
        assert with_default_replaced(elsewhere, "x", term) is None, elsewhere


def test_a_parameter_narrows_an_aggregate(runner, store_path):
    query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    everything = runner.run(store_path, query, formats=["rows"]).rows[0][0]
    one = runner.run(store_path, query, formats=["rows"], params={"g": ox.NamedNode(ns.graph_iri("york-spsw02"))}).rows[0][0]
    assert 0 < one < everything


def test_parameters_of_ask_and_construct(runner, store_path):
    ask = PREFIX_LINES + "ASK { ?d dcterms:identifier ?id }"
    assert runner.run(store_path, ask, formats=["rows"], params={"id": ox.Literal("scie-report-37")}).boolean
    assert not runner.run(store_path, ask, formats=["rows"], params={"id": ox.Literal('scie" } ; #')}).boolean
    construct = runner.run(store_path, TITLES, formats=["ntriples"], params={"doc": ox.NamedNode(ns.document_iri("scie-report-37"))})
    assert len(Graph().parse(data=construct.body, format="nt")) == 1


def test_a_parameter_the_query_lacks_is_an_error(runner, store_path):
    with pytest.raises(ParameterError, match=r"no variable \?nope"):
        runner.run(store_path, TITLE_OF, params={"nope": ox.Literal("x")})


# --- refusals


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "PREFIX ex: <urn:x:> DELETE { ?s ?p ?o } INSERT { ?s ex:q ?o } WHERE { ?s ?p ?o }",
        "LOAD <{url}data.ttl>",
        "CLEAR ALL",
        "DROP GRAPH <https://w3id.org/carekb/graph/york-spsw02>",
        "CREATE GRAPH <urn:g>",
        "ADD DEFAULT TO <urn:g>",
        "MOVE <urn:a> TO <urn:b>",
        "COPY <urn:a> TO <urn:b>",
    ],
)
def test_updates_are_refused(runner, store_path, listener, update):
    with pytest.raises(UpdateRefused, match="read-only"):
        runner.run(store_path, update.replace("{url}", listener.url))
    assert listener.connections() == 0
    assert len(runner.run(store_path, DOCUMENTS, formats=["rows"]).rows) == 5


@pytest.mark.parametrize(
    "query, dataset",
    [
        ("SELECT * WHERE { SERVICE <{url}sparql> { ?s ?p ?o } }", {}),
        ("SELECT * WHERE { ?x ?y ?z OPTIONAL { SERVICE SILENT <{url}sparql> { ?s ?p ?o } } }", {}),
        ("SELECT * WHERE { \\u0053ERVICE <{url}sparql> { ?s ?p ?o } }", {}),
        ("SELECT * FROM <{url}data.ttl> WHERE { ?s ?p ?o }", {}),
        ("SELECT * FROM NAMED <{url}data.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }", {}),
        ("SELECT * WHERE { ?s ?p ?o }", {"default_graphs": ["{url}data.ttl"]}),
        ("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", {"named_graphs": ["{url}data.ttl"]}),
    ],
    ids=["service", "service-silent-optional", "service-unicode-escaped", "from", "from-named", "default-graph-uri", "named-graph-uri"],
)
def test_remote_data_is_refused_without_a_connection(runner, store_path, listener, query, dataset):
    dataset = {key: [iri.replace("{url}", listener.url) for iri in iris] for key, iris in dataset.items()}
    with pytest.raises(QueryRefused) as caught:
        runner.run(store_path, query.replace("{url}", listener.url), **dataset)
    assert not isinstance(caught.value, UpdateRefused)
    assert listener.connections() == 0


def test_keywords_in_strings_and_comments_are_not_refused(runner, store_path):
    query = 'SELECT ?x WHERE { BIND("SERVICE <http://x/> { }" AS ?x) } # SERVICE <http://y/> { ?s ?p ?o }'
    assert runner.run(store_path, query, formats=["rows"]).rows == (("SERVICE <http://x/> { }",),)


def test_syntax_errors_give_line_and_column(runner, store_path):
    query = "PREFIX ex: <http://example.org/>\nSELECT * WHERE {\n  ?s ex:p ?o .\n  FILTER(?o > )\n}"
    with pytest.raises(QuerySyntaxError) as caught:
        runner.run(store_path, query)
    assert (caught.value.line, caught.value.column) == (4, 3)
    assert str(caught.value).startswith("syntax error at line 4, column 3: ")
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query("SELECT * WHERE { ?s ?p ?o } LIMT 5")
    assert (caught.value.line, caught.value.column) == (1, 29) and "LIMT" in caught.value.message


# --- limits


def test_a_runaway_query_is_stopped_at_the_time_limit(store_path):
    runner = QueryRunner(workers=1, timeout=1)
    try:
        started = time.monotonic()
        with pytest.raises(QueryTimeout, match="1 s time limit"):
            runner.run(store_path, SLOW)
        assert time.monotonic() - started < 3
        started = time.monotonic()
        assert runner.run(store_path, "ASK {}", formats=["rows"]).boolean
        assert time.monotonic() - started < 1
    finally:
        runner.close()


def processes_holding(folder: str) -> set[int]:
    """The processes with a file of ``folder`` open (from /proc)."""
    holders = set()
    for fd_folder in Path("/proc").glob("[0-9]*/fd"):
        try:
            if any(os.readlink(fd).startswith(folder) for fd in fd_folder.iterdir()):
                holders.add(int(fd_folder.parent.name))
        except OSError:  # gone meanwhile
            continue
    return holders


def test_workers_start_with_the_store_open_before_the_first_query(store_path):
    runner = QueryRunner(workers=2, timeout=10)
    try:
        before = processes_holding(store_path)
        runner.start_workers(store_path)
        started = processes_holding(store_path) - before
        assert len(started) == 2
        assert runner.run(store_path, DOCUMENTS, formats=["rows"]).rows
        assert processes_holding(store_path) - before == started  # the query went to a worker already running
    finally:
        runner.close()
    assert not processes_holding(store_path) & started


def test_row_limit(runner, store_path):
    with pytest.raises(TooManyRows, match="more than 7 rows"):
        runner.run(store_path, "SELECT * WHERE { ?s ?p ?o }", max_rows=7)
    with pytest.raises(TooManyRows, match="more than 3 triples"):
        runner.run(store_path, "CONSTRUCT WHERE { ?s ?p ?o }", max_rows=3)
    assert len(runner.run(store_path, "SELECT * WHERE { ?s ?p ?o } LIMIT 7", formats=["rows"], max_rows=7).rows) == 7


def test_a_warm_query_costs_little_beyond_the_engine(runner, store_path):
    runner.run(store_path, "ASK {}")
    started = time.perf_counter()
    for _ in range(20):
        runner.run(store_path, DOCUMENTS)
    assert (time.perf_counter() - started) / 20 < 0.1


# --- the command line


@pytest.fixture(scope="module")
def data(corpus_kb) -> str:
    return str(corpus_kb.path)


def test_cli_query_file_with_a_parameter_as_csv(data, tmp_path):
    query_file = tmp_path / "title.rq"
    query_file.write_text(TITLE_OF, encoding="utf-8")
    done = run_kb("sparql", str(query_file), "--param", "id=scie-report-37", "--format", "csv", "--data", data)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert len(rows) == 1 and rows[0]["title"].startswith("Personalisation")


def test_cli_default_output_off_a_terminal_is_json_and_table_on_request(data):
    done = run_kb("sparql", DOCUMENTS, "--data", data)
    assert done.returncode == 0, done.stderr
    assert [b["id"]["value"] for b in json.loads(done.stdout)["results"]["bindings"]] == CORPUS_IDS
    table = run_kb("sparql", DOCUMENTS, "--format", "table", "--data", data)
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["id", "title"] and set(lines[1]) <= {"-", " "}
    assert [line.split()[0] for line in lines[2:]] == CORPUS_IDS and "(5 rows)" in table.stderr


def test_cli_construct_as_turtle_with_an_iri_parameter(data):
    iri = ns.document_iri("york-spsw02")
    done = run_kb("sparql", TITLES, "--param", f"doc=<{iri}>", "--format", "turtle", "--data", data)
    assert done.returncode == 0, done.stderr
    assert set(Graph().parse(data=done.stdout, format="turtle").subjects()) == {URIRef(iri)}


@pytest.mark.parametrize(
    "args, status, message",
    [
        (["SELECT * WHERE {\n  ?s ?p\n}"], 2, "kb: syntax error at line 2, column 3: "),
        (["DROP ALL"], 2, "kb: SPARQL Update"),
        (["SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"], 2, "kb: SERVICE is refused"),
        (["ASK {}", "--param", "oops"], 2, "kb: parameter 'oops' is not NAME=VALUE"),
        (["CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "--format", "csv"], 2, "kb: --format csv does not suit CONSTRUCT results"),
        (["missing.rq"], 2, "kb: cannot read missing.rq"),
        ([SLOW, "--timeout", "1"], 1, "kb: the query ran longer than the 1 s time limit"),
        (["SELECT * WHERE { ?s ?p ?o }", "--limit", "3"], 1, "kb: the query gives more than 3 rows"),
    ],
    ids=["syntax", "update", "service", "bad-param", "bad-format", "no-file", "timeout", "row-limit"],
)
def test_cli_errors_are_one_line_with_a_status(data, args, status, message):
    done = run_kb("sparql", *args, "--data", data)
    assert done.returncode == status
    assert done.stderr.startswith(message) and done.stderr.count("\n") == 1, done.stderr
    assert done.stdout == ""
