"""What the knowledge base holds, read from the graph: its documents and their state."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from .namespaces import PREFIXES, graph_iri

PREFIX_LINES = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())

DOCUMENTS_QUERY = PREFIX_LINES + """
SELECT ?doc ?id ?title ?type ?publisher ?date ?format ?path ?sha ?pipeline ?chars ?sentences WHERE {
  GRAPH ?g {
    ?doc a kbv:SourceDocument ; dcterms:identifier ?id ; dcterms:format ?format ;
         kbv:characterCount ?chars ; kbv:sentenceCount ?sentences ;
         prov:wasDerivedFrom ?file ; prov:wasGeneratedBy ?activity .
    ?file kbv:sha256 ?sha ; prov:atLocation ?path .
    ?activity kbv:pipeline ?pipeline .
    OPTIONAL { ?doc dcterms:title ?title }
    OPTIONAL { ?doc kbv:documentType ?type }
    OPTIONAL { ?doc dcterms:publisher ?publisher }
    OPTIONAL { ?doc dcterms:date ?date }
  }
} ORDER BY ?id
"""


@dataclass(frozen=True)
class DocumentSummary:
    id: str
    title: str | None
    type: str | None
    publisher: str | None
    date: str | None
    media_type: str
    source_file: str
    sha256: str
    pipeline: str
    characters: int
    sentences: int
    iri: str

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "type": self.type,
            "publisher": self.publisher,
            "date": self.date,
            "source_file": self.source_file,
            "sha256": self.sha256,
            "characters": self.characters,
            "sentences": self.sentences,
            "media_type": self.media_type,
            "iri": self.iri,
        }


def _value(solution, name: str) -> str | None:
    term = solution[name]
    return None if term is None else term.value


def list_documents(store: ox.Store, doc_id: str | None = None) -> list[DocumentSummary]:
    """Every document, or (given ``doc_id``) the one whose graph that is, read from its graph alone."""
    named_graphs = None if doc_id is None else [ox.NamedNode(graph_iri(doc_id))]
    return [
        DocumentSummary(
            id=_value(s, "id"),
            title=_value(s, "title"),
            type=_value(s, "type"),
            publisher=_value(s, "publisher"),
            date=_value(s, "date"),
            media_type=_value(s, "format"),
            source_file=_value(s, "path"),
            sha256=_value(s, "sha"),
            pipeline=_value(s, "pipeline"),
            characters=int(_value(s, "chars")),
            sentences=int(_value(s, "sentences")),
            iri=_value(s, "doc"),
        )
        for s in store.query(DOCUMENTS_QUERY, named_graphs=named_graphs)
        if doc_id is None or _value(s, "id") == doc_id
    ]
