"""The VoID description of the dataset, kept in the shared graph and rebuilt after each ingest."""

from __future__ import annotations

import pyoxigraph as ox

from . import namespaces as ns
from .catalog import PREFIX_LINES

DATASET = ns.ID + "dataset"
VOCABULARIES = (ns.PROV, ns.DCTERMS, ns.OA, ns.FABIO, ns.CITO, ns.BIRO, ns.C4O, ns.DOCO, ns.SCHEMA, ns.FOAF, ns.ORG, ns.SKOS, ns.KBV)

COUNTS_QUERY = PREFIX_LINES + """
SELECT ?g (COUNT(*) AS ?triples) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != <%s>) } GROUP BY ?g ORDER BY ?g
""" % ns.SHARED_GRAPH


def write_dataset_description(store: ox.Store) -> None:
    """Replace the VoID description: the dataset, one subset per document graph, their sizes."""
    shared = ox.NamedNode(ns.SHARED_GRAPH)
    dataset = ox.NamedNode(DATASET)
    for quad in list(store.quads_for_pattern(None, None, None, shared)):
        if quad.subject == dataset or quad.subject.value.startswith(ns.GRAPH):
            store.remove(quad)
    counts = [(row["g"], int(row["triples"].value)) for row in store.query(COUNTS_QUERY)]
    subset_quads = [quad for graph, triples in counts for quad in _subset(graph, triples, shared)]
    total = sum(n for _, n in counts)
    a = ox.NamedNode(str(ns.RDF.type))
    quads = [
        ox.Quad(dataset, a, ox.NamedNode(str(ns.VOID.Dataset)), shared),
        ox.Quad(dataset, ox.NamedNode(str(ns.DCTERMS["title"])), ox.Literal("Evidence knowledge base for social-care policy"), shared),
        ox.Quad(dataset, ox.NamedNode(str(ns.VOID.triples)), _integer(total), shared),
        ox.Quad(dataset, ox.NamedNode(str(ns.VOID.documents)), _integer(len(counts)), shared),
        ox.Quad(dataset, ox.NamedNode(str(ns.VOID.uriSpace)), ox.Literal(ns.ID), shared),
        ox.Quad(dataset, ox.NamedNode(str(ns.VOID.sparqlEndpoint)), ox.NamedNode("http://127.0.0.1:8000/sparql"), shared),
    ]
    quads += [ox.Quad(dataset, ox.NamedNode(str(ns.VOID.vocabulary)), ox.NamedNode(str(v)), shared) for v in VOCABULARIES]
    quads += [ox.Quad(dataset, ox.NamedNode(str(ns.VOID.subset)), graph, shared) for graph, _ in counts]
    store.extend(quads + subset_quads)


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(str(ns.XSD.integer)))


def _subset(graph: ox.NamedNode, triples: int, shared: ox.NamedNode) -> list[ox.Quad]:
    a = ox.NamedNode(str(ns.RDF.type))
    return [
        ox.Quad(graph, a, ox.NamedNode(str(ns.VOID.Dataset)), shared),
        ox.Quad(graph, ox.NamedNode(str(ns.VOID.triples)), _integer(triples), shared),
        ox.Quad(graph, ox.NamedNode(str(ns.DCTERMS.subject)), ox.NamedNode(ns.document_iri(ns.doc_id_of(graph.value))), shared),
    ]
