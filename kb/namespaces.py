"""Namespaces of the vocabularies the graph uses, and the deterministic IRIs of its resources.

Every IRI is built from a document id plus offsets or a normalised key, never from a counter
or a random number, so the same input gives the same IRIs on every run and machine.
"""

from __future__ import annotations

import functools
from urllib.parse import quote

import rdflib
from rdflib import URIRef


class Namespace(rdflib.Namespace):
    """An rdflib namespace that makes each of its terms once and keeps it as an attribute: the
    graph writers name the same few dozen classes and properties hundreds of thousands of times
    in an ingest, and a kept attribute is found without calling ``__getattr__`` again."""

    def __getattr__(self, name: str) -> URIRef:
        term = super().__getattr__(name)
        self.__dict__[name] = term
        return term

BASE = "https://w3id.org/carekb/"
KBV = Namespace(BASE + "vocab#")
ID = BASE + "id/"
GRAPH = BASE + "graph/"

PROV = Namespace("http://www.w3.org/ns/prov#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
OA = Namespace("http://www.w3.org/ns/oa#")
FABIO = Namespace("http://purl.org/spar/fabio/")
CITO = Namespace("http://purl.org/spar/cito/")
BIRO = Namespace("http://purl.org/spar/biro/")
C4O = Namespace("http://purl.org/spar/c4o/")
DOCO = Namespace("http://purl.org/spar/doco/")
PO = Namespace("http://www.essepuntato.it/2008/12/pattern#")
PRISM = Namespace("http://prismstandard.org/namespaces/basic/2.0/")
FRBR = Namespace("http://purl.org/vocab/frbr/core#")
SCHEMA = Namespace("https://schema.org/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
ORG = Namespace("http://www.w3.org/ns/org#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
SH = Namespace("http://www.w3.org/ns/shacl#")

PREFIXES = {
    "kbv": str(KBV),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "oa": str(OA),
    "fabio": str(FABIO),
    "cito": str(CITO),
    "biro": str(BIRO),
    "c4o": str(C4O),
    "doco": str(DOCO),
    "po": str(PO),
    "prism": str(PRISM),
    "frbr": str(FRBR),
    "schema": str(SCHEMA),
    "foaf": str(FOAF),
    "org": str(ORG),
    "skos": str(SKOS),
    "void": str(VOID),
    "dcat": str(DCAT),
    "xsd": str(XSD),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
}

SHARED_GRAPH = GRAPH + "shared"  # what spans documents: merged actors, works, the VoID description


@functools.lru_cache(maxsize=8192)  # the same ids and keys are quoted for each of their spans
def _segment(value: str) -> str:
    return quote(value, safe="-._~")


def document_iri(doc_id: str) -> str:
    return f"{ID}doc/{_segment(doc_id)}"


def graph_iri(doc_id: str) -> str:
    return f"{GRAPH}{_segment(doc_id)}"


def span_iri(doc_id: str, kind: str, start: int, end: int) -> str:
    """A span of a document's canonical text: a sentence, section, claim, figure, pointer..."""
    return f"{document_iri(doc_id)}/{kind}/{start}-{end}"


def entity_iri(key: str) -> str:
    return f"{ID}entity/{_segment(key)}"


def work_iri(key: str) -> str:
    return f"{ID}work/{_segment(key)}"


def file_iri(sha256: str) -> str:
    return f"{ID}file/{sha256}"


def activity_iri(doc_id: str, sha256: str, pipeline: str) -> str:
    return f"{ID}activity/ingest/{_segment(doc_id)}/{sha256[:16]}-{_segment(pipeline)}"


def software_iri(version: str) -> str:
    return f"{ID}software/carekb/{_segment(version)}"


def doc_id_of(iri: str) -> str | None:
    """The document id in a document, span or graph IRI; None for other IRIs."""
    for prefix in (f"{ID}doc/", GRAPH):
        if iri.startswith(prefix):
            return iri[len(prefix) :].split("/", 1)[0] or None
    return None
