"""Dumps of the knowledge base in standard RDF formats.

Quad formats (TriG, N-Quads, JSON-LD) carry every named graph; Turtle, which has no named
graphs, carries one document's graph, or the union of all graphs when no document is named.
"""

from __future__ import annotations

from typing import BinaryIO

import pyoxigraph as ox

from .namespaces import PREFIXES, graph_iri

FORMATS = {
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
}
MEDIA_TYPES = {
    "trig": "application/trig",
    "nquads": "application/n-quads",
    "jsonld": "application/ld+json",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
}
QUAD_FORMATS = ("trig", "nquads", "jsonld")
UNION_QUERY = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


class UnknownFormat(ValueError):
    pass


def export(store: ox.Store, fmt: str, output: BinaryIO, doc_id: str | None = None) -> None:
    """Write the dataset (or one document's graph) to ``output`` in ``fmt``."""
    if fmt not in FORMATS:
        raise UnknownFormat(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    rdf_format = FORMATS[fmt]
    prefixes = PREFIXES if fmt in ("trig", "turtle") else None
    if doc_id is not None:
        graph = ox.NamedNode(graph_iri(doc_id))
        quads = store.quads_for_pattern(None, None, None, graph)
        if fmt in QUAD_FORMATS:
            ox.serialize(quads, output, rdf_format, prefixes=prefixes)
        else:
            ox.serialize((q.triple for q in quads), output, rdf_format, prefixes=prefixes)
    elif fmt in QUAD_FORMATS:
        store.dump(output, rdf_format, prefixes=prefixes)
    else:
        ox.serialize(store.query(UNION_QUERY), output, rdf_format, prefixes=prefixes)


DESCRIBE_QUERY = """CONSTRUCT { ?s ?p ?o } WHERE {
  GRAPH ?g { ?s ?p ?o }
  FILTER(?s = ?resource || STRSTARTS(STR(?s), CONCAT(STR(?resource), "#")))
}"""


def describe(store: ox.Store, resource: str) -> list[ox.Triple]:
    """What every graph says about ``resource`` (and its ``#fragment`` parts, such as selectors)."""
    query = DESCRIBE_QUERY.replace("?resource", f"<{ox.NamedNode(resource).value}>")
    return list(dict.fromkeys(store.query(query)))


def serialize_triples(triples: list[ox.Triple], fmt: str) -> bytes:
    return ox.serialize(triples, format=FORMATS[fmt], prefixes=PREFIXES if fmt == "turtle" else None)
