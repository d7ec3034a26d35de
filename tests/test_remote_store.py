"""The remote-store back end against a real Oxigraph server (``tests/oxigraph_server.py``).

The shared test modules run on both back ends (``STORE_BACKENDS``); these tests show what they
cannot: ``RemoteStore`` gives pyoxigraph results, binds substitutions as terms, writes by the Graph
Store Protocol or without it and checks the union default graph; an ingest replaces only the
changed documents' graphs in the store, and the next one finishes an ingest that was killed; an
unreachable store is one line naming it; SERVICE and updates are refused before anything is sent.
"""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import subprocess
import sys
import time

import pyoxigraph as ox
import pytest

from ingest.pipeline import ingest
from kb import namespaces as ns
from kb import remote_store
from kb.catalog import PREFIX_LINES
from kb.errors import RemoteStoreError
from kb.remote_store import RemoteStore
from kb.service import Service
from kb.sparql import QueryRefused, QueryRunner, QueryTimeout, UpdateRefused
from kb.store import KnowledgeBase
from web import create_app

from .conftest import CORPUS, ROOT, ref2014_sample, run_kb
from .listener import Listener
from .oxigraph_server import oxigraph_server

STORE_BACKENDS = ("remote",)  # here corpus_kb is the session's knowledge base in an Oxigraph server
CORPUS_IDS = ["apse-briefing-09-20", "ibsen-key-issues", "personal-budgets-checking-results", "scie-report-37", "york-spsw02"]
EX = "http://example.org/"
G1, G2 = ox.NamedNode(EX + "g1"), ox.NamedNode(EX + "g2")
S, P = ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p")
DOCUMENT_IDS = PREFIX_LINES + "SELECT ?id WHERE { ?doc a kbv:SourceDocument ; dcterms:identifier ?id } ORDER BY ?id"


def says(*values: str) -> list[ox.Triple]:
    return [ox.Triple(S, P, ox.Literal(value)) for value in values]


def nt(triples: list[ox.Triple]) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)


def values_in(store: RemoteStore, graph: ox.NamedNode) -> set[str]:
    return {quad.object.value for quad in store.quads_for_pattern(None, None, None, graph)}


def quads_of(store: RemoteStore, doc_id: str) -> set[str]:
    return {str(quad) for quad in store.quads_for_pattern(None, None, None, ox.NamedNode(ns.graph_iri(doc_id)))}


def write(folder, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


@pytest.fixture
def server(tmp_path):
    with oxigraph_server(tmp_path / "oxigraph") as url:
        yield url


@pytest.fixture
def store(server) -> RemoteStore:
    return RemoteStore(server)


# --- the store


def test_queries_give_pyoxigraph_solutions_booleans_and_triples(store):
    russian = ox.Literal("два", language="ru")
    store.replace_graph(G1, nt(says("one") + [ox.Triple(S, P, russian)]))
    solutions = store.query("SELECT ?o ?none WHERE { GRAPH ?g { ?s ?p ?o OPTIONAL { ?o ?p ?none } } }")
    assert isinstance(solutions, ox.QuerySolutions)
    assert solutions.variables == [ox.Variable("o"), ox.Variable("none")]
    assert {(row["o"], row[ox.Variable("none")]) for row in solutions} == {(ox.Literal("one"), None), (russian, None)}
    assert isinstance(store.query("ASK { GRAPH ?g { ?s ?p 'one' } }"), ox.QueryBoolean)
    assert store.query("ASK { GRAPH ?g { ?s ?p 'one' } }") and not store.query("ASK { GRAPH ?g { ?s ?p 'three' } }")
    triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o FILTER(LANG(?o) = '') } }")
    assert triples == says("one")


def test_substitutions_are_bound_as_rdf_terms_never_as_text(store):
    tricky = ox.Literal('x" } } ; DROP ALL ; INSERT DATA { <a:a> <a:b> "c')
    store.replace_graph(G1, nt([ox.Triple(S, P, tricky), *says("plain")]))
    select = "SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert [row["s"] for row in store.query(select, substitutions={ox.Variable("o"): tricky})] == [S]
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert store.query(construct, substitutions={ox.Variable("o"): ox.Literal("plain")}) == says("plain")
    assert len(store) == 2


def test_graphs_are_read_listed_counted_and_dumped(store):
    store.replace_graph(G1, nt(says("a", "b")))
    store.replace_graph(G2, nt(says("c")))
    assert sorted(graph.value for graph in store.named_graphs()) == [G1.value, G2.value]
    assert store.contains_named_graph(G1) and not store.contains_named_graph(ox.NamedNode(EX + "g3"))
    assert len(store) == 3 and values_in(store, G2) == {"c"}
    assert [quad.graph_name for quad in store.quads_for_pattern(S, None, ox.Literal("a"))] == [G1]
    dump = io.BytesIO()
    store.dump(dump, ox.RdfFormat.N_QUADS)
    assert set(ox.parse(dump.getvalue(), format=ox.RdfFormat.N_QUADS)) == set(store.quads_for_pattern(None, None, None))


def test_writes_replace_clear_and_remove_one_graph_at_a_time(store):
    store.replace_graph(G1, nt(says("a", "b")))
    store.replace_graph(G2, nt(says("c")))
    store.replace_graph(G1, nt(says("new")))
    assert values_in(store, G1) == {"new"} and values_in(store, G2) == {"c"}
    store.clear_graph(G2)
    store.remove_graph(G1)
    assert values_in(store, G2) == set() and not store.contains_named_graph(G1)


def test_without_the_graph_store_protocol_writes_go_by_sparql_update(server, monkeypatch):
    monkeypatch.setattr(remote_store, "INSERT_CHUNK", 2)  # five triples: three INSERT DATA requests
    store = RemoteStore(server, store_url=f"{server}/no-graph-store-here")
    store.replace_graph(G1, nt(says(*"12345")))
    assert values_in(store, G1) == set("12345")
    store.replace_graph(G1, nt(says("line\u2028separator", 'quote " and \\ backslash')))
    assert values_in(store, G1) == {"line\u2028separator", 'quote " and \\ backslash'}


def test_union_queries_need_a_store_whose_default_graph_is_the_union(tmp_path):
    with oxigraph_server(tmp_path / "plain", union_default_graph=False) as url:
        store = RemoteStore(url)
        assert not store.query("ASK { ?s ?p ?o }", use_default_graph_as_union=True)  # empty: nothing to check yet
        store.replace_graph(G1, nt(says("a")))
        with pytest.raises(RemoteStoreError, match=f"the store at {url}/query does not query the union"):
            store.query("SELECT * WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
        assert store.query("ASK { GRAPH ?g { ?s ?p ?o } }")  # the knowledge base's own queries name graphs


def test_a_slow_query_is_stopped_at_the_time_limit(tmp_path):
    with oxigraph_server(tmp_path / "slow", "--timeout-s", "5") as url:
        store = RemoteStore(url)
        store.replace_graph(G1, nt(says(*(str(n) for n in range(300)))))
        runner = QueryRunner(workers=1, timeout=0.5)
        started = time.monotonic()
        with pytest.raises(QueryTimeout, match="0.5 s time limit"):
            runner.run(store, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
        assert time.monotonic() - started < 3


# --- ingest


def test_an_ingest_replaces_only_the_changed_documents_graphs(tmp_path, server, store):
    store.replace_graph(G1, nt(says("the store's own graph")))  # as Virtuoso keeps system graphs
    folder = tmp_path / "docs"
    write(folder, "a.txt", "Carers reported more choice and control.")
    write(folder, "b.txt", "Older people reported lower well-being.")
    knowledge_base = KnowledgeBase(tmp_path / "kb", server)
    ingest([folder], knowledge_base)
    b_before = quads_of(store, "b")
    write(folder, "a.txt", "Providers were generally positive about budgets.")
    report = ingest([folder], knowledge_base)
    assert report.updated == ["a"] and report.unchanged == ["b"]
    assert quads_of(store, "b") == b_before  # not rewritten: even its timestamps are the same
    service = Service(knowledge_base)
    assert "Providers were generally positive" in service.document_text("a")
    assert [hit.doc_id for hit in service.search("providers positive")] == ["a"]
    generation = knowledge_base.current()
    assert sorted(p.name for p in generation.path.iterdir()) == ["index", "remote-store.json"]
    (folder / "b.txt").unlink()
    assert ingest([folder], knowledge_base, prune=True).removed == ["b"]
    assert sorted(graph.value for graph in store.named_graphs()) == sorted([ns.graph_iri("a"), ns.SHARED_GRAPH, G1.value])
    assert values_in(store, G1) == {"the store's own graph"}


def test_an_ingest_killed_half_way_is_finished_by_the_next(tmp_path, server, store):
    data = tmp_path / "kb"
    knowledge_base = KnowledgeBase(data, server)
    ingest([CORPUS], knowledge_base)
    sample = ref2014_sample(tmp_path / "sample.jsonl", 30)
    process = subprocess.Popen(
        [sys.executable, "-m", "kb.cli", "ingest", str(sample), "--data", str(data)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while len(list(store.named_graphs())) < len(CORPUS_IDS) + 3 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    assert process.poll() is None, "the ingest finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    graphs = {graph.value for graph in store.named_graphs()} - {ns.SHARED_GRAPH}
    written = {ns.doc_id_of(graph) for graph in graphs} - set(CORPUS_IDS)
    assert written and written <= knowledge_base.pending_documents()
    report = ingest([sample], knowledge_base)
    assert written <= set(report.updated) and len(report.added) + len(report.updated) == 30
    with knowledge_base.open_reader().index.searcher() as searcher:
        indexed = {fields["doc_id"] for fields in searcher.all_stored_fields()}
    assert indexed == {d.id for d in Service(knowledge_base).documents()}
    assert knowledge_base.pending_documents() == set()


# --- errors and refusals


def test_an_unreachable_store_is_one_line_naming_it(tmp_path, corpus_kb):
    dead = closed_port_url()
    result = run_kb("ingest", str(CORPUS / "003_d97424006fd71a2e.txt"), "--store", dead, "--data", str(tmp_path / "kb"))
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"kb: cannot reach the store at {dead}/query: ") and "refused" in line
    assert list((tmp_path / "kb" / "generations").iterdir()) == []
    result = run_kb("documents", "--store", dead, "--data", str(corpus_kb.path))
    assert result.returncode == 1 and result.stderr.startswith(f"kb: cannot reach the store at {dead}/query")


def test_an_embedded_folder_is_not_read_from_a_remote_store(tmp_path, server):
    data = tmp_path / "kb"
    write(tmp_path / "docs", "a.txt", "Carers reported more choice.")
    assert run_kb("ingest", str(tmp_path / "docs"), "--data", str(data)).returncode == 0
    result = run_kb("documents", "--store", server, "--data", str(data))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"kb: {data} keeps its graph in its own folder, not in the store at {server}: use another --data folder for a remote store"
    ]


def test_the_folder_remembers_its_store_and_kb_sparql_binds_parameters_there(corpus_kb):
    query = PREFIX_LINES + "CONSTRUCT { ?doc dcterms:title ?title } WHERE { ?doc dcterms:identifier ?id ; dcterms:title ?title }"
    result = run_kb("sparql", query, "--param", "id=york-spsw02", "--format", "ntriples", "--data", str(corpus_kb.path))
    assert result.returncode == 0, result.stderr
    (triple,) = ox.parse(result.stdout.encode(), format=ox.RdfFormat.N_TRIPLES)
    assert triple.subject == ox.NamedNode(ns.document_iri("york-spsw02"))


def test_service_and_updates_are_refused_before_anything_is_sent(corpus_kb):
    store = corpus_kb.open_reader().store
    before = len(store)
    runner, listener = QueryRunner(workers=1), Listener()
    try:
        with pytest.raises(QueryRefused, match="SERVICE is refused"):
            runner.run(store, f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}")
        with pytest.raises(UpdateRefused):
            runner.run(store, f"DROP GRAPH <{ns.graph_iri('york-spsw02')}>")
        with pytest.raises(QueryRefused, match="not in this knowledge base"):
            runner.run(store, "ASK { GRAPH ?g { ?s ?p ?o } }", named_graphs=[listener.url])
        assert listener.connections() == 0
    finally:
        runner.close()
        listener.close()
    assert len(store) == before


def test_the_web_endpoint_answers_from_the_remote_store_and_refuses_updates(corpus_kb, oxigraph_url):
    app = create_app({"TESTING": True, "KB_DATA": str(corpus_kb.path), "KB_STORE": oxigraph_url})
    client = app.test_client()
    answer = client.get("/sparql", query_string={"query": DOCUMENT_IDS}, headers={"Accept": "application/sparql-results+json"})
    assert [b["id"]["value"] for b in json.loads(answer.data)["results"]["bindings"]] == CORPUS_IDS
    update = client.post("/sparql", data="CLEAR ALL", content_type="application/sparql-update")
    service = client.get("/sparql", query_string={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"})
    assert (update.status_code, service.status_code) == (403, 400)
    assert client.get("/api/documents").status_code == 200
    app.extensions["sparql_runner"].close()
