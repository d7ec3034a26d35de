"""The service layer: the operations the CLI, the web pages and the JSON API all render.

A ``Service`` opens the knowledge base's current generation lazily and reopens it when an
ingest has switched generations, so a long-running server serves new data once it is complete.
"""

from __future__ import annotations

import threading
from typing import BinaryIO

import pyoxigraph as ox

from . import namespaces as ns
from .catalog import DocumentSummary, list_documents
from .export import export
from .extracted_reader import citation_record, list_claims, list_entities, list_figures
from .index import SearchHit, search
from .store import KnowledgeBase, ReadView


class NotFound(LookupError):
    """An id that the knowledge base does not hold."""


class Service:
    def __init__(self, knowledge_base: KnowledgeBase):
        self.kb = knowledge_base
        self._view: ReadView | None = None
        self._lock = threading.Lock()

    @property
    def view(self) -> ReadView:
        """The current generation, reopened if an ingest has made a newer one current."""
        with self._lock:
            name = self.kb.current_name()
            if self._view is None or self._view.name != name:
                self._view = self.kb.open_reader()
            return self._view

    # --- documents

    def documents(self) -> list[DocumentSummary]:
        return list_documents(self.view.store)

    def document(self, doc_id: str) -> DocumentSummary:
        for summary in self.documents():
            if summary.id == doc_id:
                return summary
        raise NotFound(f"no document with id {doc_id!r}")

    def document_text(self, doc_id: str) -> str:
        self.document(doc_id)
        quads = self.view.store.quads_for_pattern(
            ox.NamedNode(ns.document_iri(doc_id)), ox.NamedNode(str(ns.C4O.hasContent)), None,
            ox.NamedNode(ns.graph_iri(doc_id)),
        )
        return next(iter(quads)).object.value

    def show(self, doc_id: str) -> dict:
        return {**self.document(doc_id).to_dict(), "text": self.document_text(doc_id)}

    # --- extracted records

    def entities(self) -> list[dict]:
        return list_entities(self.view.store)

    def entity(self, entity_id: str) -> dict:
        for entity in self.entities():
            if entity["id"] == entity_id or entity["id"].rsplit("/", 1)[-1] == entity_id:
                return entity
        raise NotFound(f"no entity with id {entity_id!r}")

    def figures(self, doc_id: str | None = None) -> list[dict]:
        if doc_id is not None:
            self.document(doc_id)
        return list_figures(self.view.store, doc_id)

    def claims(self, doc_id: str | None = None, about: str | None = None) -> list[dict]:
        if doc_id is not None:
            self.document(doc_id)
        return list_claims(self.view.store, doc_id, about)

    def cites(self, doc_id: str) -> dict:
        self.document(doc_id)
        return citation_record(doc_id, self.view.store)

    # --- search and export

    def search(self, query: str, limit: int = 10) -> list[SearchHit]:
        return search(self.view.index, query, limit=limit)

    def export(self, fmt: str, output: BinaryIO, doc_id: str | None = None) -> None:
        if doc_id is not None:
            self.document(doc_id)
        export(self.view.store, fmt, output, doc_id)

    def stats(self) -> dict:
        store = self.view.store
        documents = self.documents()
        counts = {
            row["class"].value: int(row["n"].value)
            for row in store.query(
                "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?class } } GROUP BY ?class"
            )
        }
        with self.view.index.searcher() as searcher:
            indexed = searcher.doc_count()
        return {
            "generation": self.view.name,
            "documents": len(documents),
            "characters": sum(d.characters for d in documents),
            "sentences": sum(d.sentences for d in documents),
            "triples": len(store),
            "named_graphs": sum(1 for _ in store.named_graphs()),
            "index_entries": indexed,
            "classes": dict(sorted(counts.items())),
        }
