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
from .citation_export import case_studies, traced_record
from .export import describe, export
from .extracted_reader import (
    citation_record,
    entity_roles,
    entity_sentences,
    list_claims,
    list_entities,
    list_figures,
    list_headings,
    list_mentions,
    work_documents,
)
from .evidence_map import evidence_cells, read_judgements, select_concepts
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
        found = list_documents(self.view.store, doc_id)
        if not found:
            raise NotFound(f"no document with id {doc_id!r}")
        return found[0]

    def document_text(self, doc_id: str) -> str:
        """The canonical text every offset of the document indexes."""
        quads = self.view.store.quads_for_pattern(
            ox.NamedNode(ns.document_iri(doc_id)), ox.NamedNode(str(ns.C4O.hasContent)), None,
            ox.NamedNode(ns.graph_iri(doc_id)),
        )
        quad = next(iter(quads), None)
        if quad is None:
            raise NotFound(f"no document with id {doc_id!r}")
        return quad.object.value

    def show(self, doc_id: str) -> dict:
        return {**self.document(doc_id).to_dict(), "text": self.document_text(doc_id)}

    # --- extracted records

    def entities(self) -> list[dict]:
        return list_entities(self.view.store)

    def entity(self, entity_id: str) -> dict:
        """One entity (by IRI or key) with the sentences that mention it, its roles and the
        claims attributed to it."""
        entity = next(
            (e for e in self.entities() if entity_id in (e["id"], e["id"].rsplit("/", 1)[-1])), None
        )
        if entity is None:
            raise NotFound(f"no entity with id {entity_id!r}")
        store = self.view.store
        texts: dict[str, str] = {}
        sentences = []
        for sentence in entity_sentences(store, entity["id"]):
            if sentence["document"] not in texts:
                texts[sentence["document"]] = self.document_text(sentence["document"])
            sentences.append({**sentence, "text": texts[sentence["document"]][sentence["start"] : sentence["end"]]})
        return {
            **entity,
            "sentences": sentences,
            "roles": entity_roles(store, entity["id"]),
            "claims": [c for c in list_claims(store) if c["attributed_to_id"] == entity["id"]],
        }

    def referring_documents(self) -> dict[str, list[str]]:
        """Works and entities (by IRI) with the documents that cite, discuss or mention them."""
        return work_documents(self.view.store)

    def headings(self, doc_id: str) -> list[dict]:
        self.document(doc_id)
        return list_headings(self.view.store, doc_id)

    def mentions(self, doc_id: str) -> list[dict]:
        self.document(doc_id)
        return list_mentions(self.view.store, doc_id)

    def figures(self, doc_id: str | None = None) -> list[dict]:
        if doc_id is not None:
            self.document(doc_id)
        return list_figures(self.view.store, doc_id)

    def claims(self, doc_id: str | None = None, about: str | None = None) -> list[dict]:
        if doc_id is not None:
            self.document(doc_id)
        return list_claims(self.view.store, doc_id, about)

    def evidence(self, population: str | None = None, topic: str | None = None) -> list[dict]:
        """The evidence map's cells (see ``kb.evidence_map``), all or those of a population and a
        topic (key, label or wording); an unknown name raises UnknownConcept, a ValueError."""
        rows, columns = select_concepts(population, topic)
        return evidence_cells(read_judgements(self.view.store), rows, columns)

    def cites(self, doc_id: str) -> dict:
        self.document(doc_id)
        return citation_record(doc_id, self.view.store)

    def citation_traces(self, doc_id: str | None = None) -> list[dict]:
        """Citation records with each pointer's sentence: one document's, or (no id) every REF case study's."""
        documents = [self.document(doc_id)] if doc_id is not None else case_studies(self.documents())
        return [traced_record(self.view.store, document) for document in documents]

    # --- search and export

    def search(self, query: str, limit: int = 10) -> list[SearchHit]:
        return search(self.view.index, query, limit=limit)

    def ask(self, question: str, limit: int = 10) -> dict:
        """A plain-English question answered with quotes of the sources (see ``kb.qa``)."""
        from .qa import ask

        return ask(self, question, limit)

    def export(self, fmt: str, output: BinaryIO, doc_id: str | None = None) -> None:
        if doc_id is not None:
            self.document(doc_id)
        export(self.view.store, fmt, output, doc_id)

    def describe(self, resource: str) -> list:
        """The triples about one resource IRI; NotFound when the graph says nothing of it."""
        triples = describe(self.view.store, resource)
        if not triples:
            raise NotFound(f"nothing is known about {resource}")
        return triples

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
