"""The VoID description of the dataset: its size, vocabularies and one subset per document graph."""

from __future__ import annotations

import pyoxigraph as ox

from . import namespaces as ns
from .catalog import PREFIX_LINES
from .rdf_terms import A, iri, literal

DATASET = ns.ID + "dataset"
VOCABULARIES = (ns.PROV, ns.DCTERMS, ns.OA, ns.FABIO, ns.CITO, ns.BIRO, ns.C4O, ns.DOCO, ns.SCHEMA, ns.FOAF, ns.ORG, ns.SKOS, ns.KBV)

COUNTS_QUERY = PREFIX_LINES + """
SELECT ?g ?triples WHERE {
  GRAPH ?g { ?g void:triples ?triples } FILTER(STRSTARTS(STR(?g), "%s") && ?g != <%s>)
} ORDER BY ?g
""" % (ns.GRAPH, ns.SHARED_GRAPH)  # document graphs only: a remote store may hold graphs of its own


def dataset_description(store: ox.Store) -> list[tuple]:
    """VoID triples for the document graphs now in ``store``, sized by what each says of itself."""
    counts = [(row["g"], int(row["triples"].value)) for row in store.query(COUNTS_QUERY)]
    dataset = iri(DATASET)
    triples = [
        (dataset, A, iri(ns.VOID.Dataset)),
        (dataset, iri(ns.DCTERMS["title"]), literal("Evidence knowledge base for social-care policy")),
        (dataset, iri(ns.VOID.triples), literal(sum(n for _, n in counts))),
        (dataset, iri(ns.VOID.documents), literal(len(counts))),
        (dataset, iri(ns.VOID.uriSpace), literal(ns.ID)),
        (dataset, iri(ns.VOID.sparqlEndpoint), iri("http://127.0.0.1:8000/sparql")),
    ]
    triples += [(dataset, iri(ns.VOID.vocabulary), iri(str(v))) for v in VOCABULARIES]
    for graph, size in counts:
        triples += [
            (dataset, iri(ns.VOID.subset), graph),
            (graph, A, iri(ns.VOID.Dataset)),
            (graph, iri(ns.DCTERMS.subject), iri(ns.document_iri(ns.doc_id_of(graph.value)))),
        ]
    return triples
