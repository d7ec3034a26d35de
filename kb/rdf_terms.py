"""RDF term helpers shared by the graph writers: pyoxigraph IRIs, typed literals, text selectors."""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox

from . import namespaces as ns

Triple = tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]

QUOTE_CONTEXT = 32  # characters of prefix and suffix kept in a TextQuoteSelector


def iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(str(value))


def literal(value: object) -> ox.Literal:
    """A literal typed by its Python type: int -> xsd:integer, float -> xsd:decimal, bool, str."""
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=iri(ns.XSD.boolean))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=iri(ns.XSD.integer))
    if isinstance(value, float):
        return ox.Literal(f"{value:.6f}".rstrip("0").rstrip("."), datatype=iri(ns.XSD.decimal))
    return ox.Literal(str(value))


def datetime_literal(value: str) -> ox.Literal:
    return ox.Literal(value, datatype=iri(ns.XSD.dateTime))


A = iri(ns.RDF.type)


def selector_triples(doc_id: str, text: str, subject: ox.NamedNode, start: int, end: int) -> Iterator[Triple]:
    """Web Annotation selectors of ``text[start:end]`` for ``subject``: position and quote."""
    position = iri(f"{subject.value}#position")
    quote = iri(f"{subject.value}#quote")
    yield subject, A, iri(ns.OA.SpecificResource)
    yield subject, iri(ns.OA.hasSource), iri(ns.document_iri(doc_id))
    yield subject, iri(ns.OA.hasSelector), position
    yield subject, iri(ns.OA.hasSelector), quote
    yield position, A, iri(ns.OA.TextPositionSelector)
    yield position, iri(ns.OA.start), literal(start)
    yield position, iri(ns.OA.end), literal(end)
    yield quote, A, iri(ns.OA.TextQuoteSelector)
    yield quote, iri(ns.OA.exact), literal(text[start:end])
    yield quote, iri(ns.OA.prefix), literal(text[max(0, start - QUOTE_CONTEXT) : start])
    yield quote, iri(ns.OA.suffix), literal(text[end : end + QUOTE_CONTEXT])


def optional_literals(subject: ox.NamedNode, pairs) -> Iterator[Triple]:
    """``subject predicate value`` for each (predicate, value) pair whose value is not empty."""
    for predicate, value in pairs:
        if value is not None and value != "":
            yield subject, iri(predicate), literal(value)
