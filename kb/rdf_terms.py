"""RDF term helpers shared by the graph writers: pyoxigraph IRIs, typed literals, text selectors."""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
from rdflib import URIRef

from . import namespaces as ns

Triple = tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]

QUOTE_CONTEXT = 32  # characters of prefix and suffix kept in a TextQuoteSelector


_VOCABULARY: dict[str, ox.NamedNode] = {}  # the namespaces' terms, each made once


def iri(value: str) -> ox.NamedNode:
    """``value`` as a pyoxigraph IRI. A vocabulary term (an rdflib ``URIRef`` from ``kb.namespaces``;
    a few dozen are named hundreds of thousands of times in an ingest) is made once and reused."""
    if isinstance(value, URIRef):
        node = _VOCABULARY.get(value)
        if node is None:
            node = _VOCABULARY[value] = ox.NamedNode(value)
        return node
    return ox.NamedNode(value)


XSD_BOOLEAN, XSD_INTEGER, XSD_DECIMAL, XSD_DATETIME = (iri(t) for t in (ns.XSD.boolean, ns.XSD.integer, ns.XSD.decimal, ns.XSD.dateTime))


def literal(value: object) -> ox.Literal:
    """A literal typed by its Python type: str, int -> xsd:integer, float -> xsd:decimal, bool."""
    if isinstance(value, str):
        return ox.Literal(value)
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=XSD_BOOLEAN)
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=XSD_INTEGER)
    if isinstance(value, float):
        return ox.Literal(f"{value:.6f}".rstrip("0").rstrip("."), datatype=XSD_DECIMAL)
    return ox.Literal(str(value))


def datetime_literal(value: str) -> ox.Literal:
    return ox.Literal(value, datatype=XSD_DATETIME)


A = iri(ns.RDF.type)
SPECIFIC_RESOURCE, HAS_SOURCE, HAS_SELECTOR = iri(ns.OA.SpecificResource), iri(ns.OA.hasSource), iri(ns.OA.hasSelector)
POSITION_SELECTOR, START, END = iri(ns.OA.TextPositionSelector), iri(ns.OA.start), iri(ns.OA.end)
QUOTE_SELECTOR, EXACT, PREFIX, SUFFIX = iri(ns.OA.TextQuoteSelector), iri(ns.OA.exact), iri(ns.OA.prefix), iri(ns.OA.suffix)


def selector_triples(doc_id: str, text: str, subject: ox.NamedNode, start: int, end: int) -> tuple[Triple, ...]:
    """Web Annotation selectors of ``text[start:end]`` for ``subject``: position and quote."""
    position = ox.NamedNode(f"{subject.value}#position")
    quote = ox.NamedNode(f"{subject.value}#quote")
    return (
        (subject, A, SPECIFIC_RESOURCE),
        (subject, HAS_SOURCE, ox.NamedNode(ns.document_iri(doc_id))),
        (subject, HAS_SELECTOR, position),
        (subject, HAS_SELECTOR, quote),
        (position, A, POSITION_SELECTOR),
        (position, START, literal(start)),
        (position, END, literal(end)),
        (quote, A, QUOTE_SELECTOR),
        (quote, EXACT, literal(text[start:end])),
        (quote, PREFIX, literal(text[max(0, start - QUOTE_CONTEXT) : start])),
        (quote, SUFFIX, literal(text[end : end + QUOTE_CONTEXT])),
    )


def optional_literals(subject: ox.NamedNode, pairs) -> Iterator[Triple]:
    """``subject predicate value`` for each (predicate, value) pair whose value is not empty."""
    for predicate, value in pairs:
        if value is not None and value != "":
            yield subject, iri(predicate), literal(value)
