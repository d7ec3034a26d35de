"""The graph: SHACL-valid document graphs, provenance, exact selectors, VoID, the vocabulary."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from kb import namespaces as ns

from .conftest import ROOT

STORE_BACKENDS = ("embedded", "remote")  # tests using corpus_kb run on both (see conftest)
KB_DIR = ROOT / "kb"
CORPUS_IDS = ["apse-briefing-09-20", "ibsen-key-issues", "personal-budgets-checking-results", "scie-report-37", "york-spsw02"]


def document_graph(service, doc_id: str) -> Graph:
    graph = Graph()
    for triple in service.view.graph(ns.graph_iri(doc_id)):
        graph.add(triple)
    return graph


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(KB_DIR / "shapes.ttl")


@pytest.mark.parametrize("doc_id", CORPUS_IDS)
def test_every_document_graph_conforms_to_the_shapes(service, shapes, doc_id):
    conforms, _, report = validate(document_graph(service, doc_id), shacl_graph=shapes, ont_graph=Graph().parse(KB_DIR / "vocab.ttl"), inference="none")
    assert conforms, report


def test_shapes_catch_a_broken_graph(service, shapes):
    graph = document_graph(service, "scie-report-37")
    doc = URIRef(ns.document_iri("scie-report-37"))
    graph.remove((doc, ns.C4O.hasContent, None))
    conforms, _, report = validate(graph, shacl_graph=shapes, inference="none")
    assert not conforms and "hasContent" in report


@pytest.mark.parametrize("doc_id", CORPUS_IDS)
def test_provenance_names_the_source_file_its_checksum_and_the_activity(service, doc_id):
    graph = document_graph(service, doc_id)
    doc = URIRef(ns.document_iri(doc_id))
    source = graph.value(doc, ns.PROV.wasDerivedFrom)
    path = Path(str(graph.value(source, ns.PROV.atLocation)))
    digest = hashlib.sha256((ROOT / path).read_bytes()).hexdigest()
    assert str(graph.value(source, ns.KBV.sha256)) == digest
    activity = graph.value(URIRef(ns.graph_iri(doc_id)), ns.PROV.wasGeneratedBy)
    assert graph.value(activity, ns.PROV.used) == source
    assert graph.value(activity, ns.PROV.startedAtTime) <= graph.value(activity, ns.PROV.endedAtTime)
    software = graph.value(activity, ns.PROV.wasAssociatedWith)
    assert (software, RDF.type, ns.PROV.SoftwareAgent) in graph
    assert "core_web_sm" in str(graph.value(activity, ns.KBV.pipeline))


@pytest.mark.parametrize("doc_id", CORPUS_IDS)
def test_every_quote_selector_is_the_exact_slice_of_the_canonical_text(service, doc_id):
    text = service.document_text(doc_id)
    rows = service.view.store.query(
        """PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?exact ?prefix ?start ?end WHERE { GRAPH ?g {
          ?r oa:hasSelector ?p, ?q . ?p oa:start ?start ; oa:end ?end . ?q oa:exact ?exact ; oa:prefix ?prefix } }""",
        default_graph=None,
        named_graphs=[__import__("pyoxigraph").NamedNode(ns.graph_iri(doc_id))],
    )
    count = 0
    for row in rows:
        start, end = int(row["start"].value), int(row["end"].value)
        assert text[start:end] == row["exact"].value
        assert text[:start].endswith(row["prefix"].value)
        count += 1
    assert count > 20


def test_sections_carry_their_headings(service):
    graph = document_graph(service, "ibsen-key-issues")
    titles = {str(t) for s in graph.subjects(RDF.type, ns.DOCO.Section) for t in graph.objects(s, ns.DCTERMS["title"])}
    assert {"Findings about older people", "Findings about carers", "Findings about resources", "Caveats"} <= titles


def test_document_metadata_is_as_the_manifest_states(service):
    graph = document_graph(service, "apse-briefing-09-20")
    doc = URIRef(ns.document_iri("apse-briefing-09-20"))
    assert str(graph.value(doc, ns.DCTERMS["title"])) == "Individual budgets in social care"
    assert str(graph.value(doc, ns.DCTERMS.publisher)) == "APSE"
    assert str(graph.value(doc, ns.DCTERMS.creator)) == "Rob Bailey"
    assert (doc, RDF.type, ns.FABIO.PolicyBrief) in graph
    york = document_graph(service, "york-spsw02")
    assert str(york.value(URIRef(ns.document_iri("york-spsw02")), ns.KBV.submittingInstitution)) == "University of York"


def test_void_describes_the_dataset(service):
    store = service.view.store
    triples = int(next(iter(store.query(
        "SELECT ?n WHERE { GRAPH <%s> { <%sdataset> <http://rdfs.org/ns/void#triples> ?n } }" % (ns.SHARED_GRAPH, ns.ID)
    )))["n"].value)
    in_documents = sum(1 for q in store.quads_for_pattern(None, None, None) if q.graph_name.value != ns.SHARED_GRAPH)
    assert triples == in_documents
    subsets = list(store.query("SELECT ?s WHERE { GRAPH ?g { <%sdataset> <http://rdfs.org/ns/void#subset> ?s } }" % ns.ID))
    assert len(subsets) == 5


def test_every_project_term_used_is_defined_with_label_and_comment(service):
    vocab = Graph().parse(KB_DIR / "vocab.ttl")
    used = {
        row["t"].value
        for row in service.view.store.query(
            "SELECT DISTINCT ?t WHERE { GRAPH ?g { { ?s ?t ?o } UNION { ?s a ?t } } FILTER(STRSTARTS(STR(?t), '%s')) }" % ns.KBV
        )
    }
    assert used
    for term in used:
        assert (URIRef(term), RDFS.label, None) in vocab, term
        assert (URIRef(term), RDFS.comment, None) in vocab, term
