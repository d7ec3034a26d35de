"""The ingest pipeline: files in, a new generation of graph and index out.

read -> normalise and segment -> spaCy -> extract -> serialise (per document, in this process or
in ``--processes`` workers, see ``ingest.document_work``) -> stage the document's named graph
(here, the single writer of the store; the staged graphs are loaded with one run of Oxigraph's
bulk loader once every document is processed, see ``GenerationWriter.load_staged``) and write its
index entries (through the index writer process, ``ingest.index_writer``, which commits after the
load, on one core while the store is compacted and the shared graph rebuilt here on the other; the
load itself takes both). Unchanged files (same SHA-256, same pipeline version) are skipped; a
changed file replaces only its own graph and index entries; ``prune`` removes documents whose
files are gone. All writes go to a new generation that becomes current only when the whole ingest
succeeded (see ``kb.store``). With a remote store, graphs are replaced in the store as the ingest
goes (one atomic request per document); the ids it is about to write are recorded first, and an
ingest that finds ids left by one that failed rewrites those documents, or finishes their
removal, even when their files are unchanged.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from tqdm import tqdm

import kb
from kb.catalog import DocumentSummary, list_documents
from kb.namespaces import graph_iri
from kb.store import GenerationWriter, KnowledgeBase
from kb.shared_graph import rebuild_shared_graph

from .collect import collect
from .errors import IngestError
from .extract.claims import load_lexicon
from .document_work import StageClock, processed_documents
from .extract.document import EXTRACTORS_VERSION
from .index_writer import IndexWriterProcess
from .nlp import pipeline_version
from .records import ReadDocument


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)
    characters: int = 0
    seconds: float = 0.0
    generation: str | None = None
    stages: dict[str, float] = field(default_factory=dict)  # seconds spent per stage

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def summary(self) -> str:
        return (
            f"ingested {len(self.added)} new, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
            f"{len(self.removed)} removed; {len(self.errors)} skipped with errors; "
            f"{self.characters:,} characters in {self.seconds:.1f} s"
        )

    def to_dict(self) -> dict:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "errors": [{"path": e.path, "reason": e.reason} for e in self.errors],
            "characters": self.characters,
            "seconds": round(self.seconds, 3),
            "generation": self.generation,
            "stages": {name: round(seconds, 3) for name, seconds in self.stages.items()},
        }


def current_pipeline() -> str:
    """The version string recorded in provenance; a change re-ingests every document."""
    return f"carekb-{kb.__version__}+{pipeline_version()}+extractors-{EXTRACTORS_VERSION}"


def _source_gone(summary: DocumentSummary) -> bool:
    return not Path(summary.source_file.partition("#")[0]).exists()


def ingest(
    paths: Iterable[str | Path],
    knowledge_base: KnowledgeBase,
    prune: bool = False,
    n_process: int = 1,
    show_progress: bool | None = None,
    on_error: Callable[[IngestError], None] | None = None,
) -> IngestReport:
    """Ingest ``paths`` (files, folders, REF JSON lines) into ``knowledge_base``."""
    began = time.perf_counter()
    report = IngestReport()
    with knowledge_base.lock():
        knowledge_base.remove_stale_generations()
        collected = collect([Path(p) for p in paths])
        report.errors.extend(collected.errors)
        if on_error:
            for error in collected.errors:
                on_error(error)
        pipeline = current_pipeline()
        existing = _existing(knowledge_base)
        pending = knowledge_base.pending_documents()
        to_write: list[ReadDocument] = []
        for document in collected.documents:
            known = existing.get(document.doc_id)
            if known and document.doc_id not in pending and known.sha256 == document.sha256 and known.pipeline == pipeline:
                report.unchanged.append(document.doc_id)
            else:
                (report.updated if known else report.added).append(document.doc_id)
                to_write.append(document)
        collected_ids = {d.doc_id for d in collected.documents}
        if prune:
            report.removed = [s.id for s in existing.values() if s.id not in collected_ids and _source_gone(s)]
        gone = sorted(pending - collected_ids - set(existing))  # graphs an interrupted ingest removed
        if report.changed or pending:
            _mark_pending(knowledge_base, pending | {d.doc_id for d in to_write} | set(report.removed))
            with knowledge_base.new_generation() as writer:
                index = IndexWriterProcess(writer.generation.index_path)
                try:
                    report.characters = _write_documents(writer, index, to_write, pipeline, n_process, show_progress, report.stages)
                    _remove_documents(writer, index, report.removed + gone)
                    clock = StageClock(report.stages)
                    clock.run("graph", writer.load_staged)  # on both cores
                    index.start_commit()  # in its own process, on one core while the store is compacted and the shared graph rebuilt on the other
                    clock.run("graph", writer.compact)
                    clock.run("shared graph", rebuild_shared_graph, writer, load_lexicon())
                    report.stages["index"] = index.wait()
                except BaseException:
                    index.cancel()
                    raise
                report.generation = writer.generation.path.name
            _mark_pending(knowledge_base, (pending - collected_ids - set(report.removed)) & set(existing))
    report.seconds = time.perf_counter() - began
    return report


def _mark_pending(knowledge_base: KnowledgeBase, doc_ids: set[str]) -> None:
    """Record the documents whose remote graphs may not match the index (nothing for an embedded store)."""
    if knowledge_base.remote() is not None:
        knowledge_base.set_pending_documents(doc_ids)


def _existing(knowledge_base: KnowledgeBase) -> dict[str, DocumentSummary]:
    if not knowledge_base.exists():
        return {}
    return {s.id: s for s in list_documents(knowledge_base.open_reader().store)}


def _write_documents(
    writer: GenerationWriter,
    index: IndexWriterProcess,
    documents: list[ReadDocument],
    pipeline: str,
    n_process: int,
    show_progress: bool | None,
    stages: dict[str, float],
) -> int:
    """Process ``documents`` (in ``n_process`` workers), stage each one's graph in ``writer`` and
    hand its index entries to ``index``; add the seconds of each stage to ``stages`` (summed over
    the processes that ran it)."""
    if not documents:
        return 0
    characters = 0
    progress = tqdm(
        total=len(documents), unit="doc", desc="ingest", file=sys.stderr,
        disable=(not show_progress) if show_progress is not None else None,
    )
    for stage in ("segment", "spacy", "extract", "serialise", "graph"):
        stages.setdefault(stage, 0.0)
    clock = StageClock(stages)

    try:
        for processed in processed_documents(documents, pipeline, n_process):
            for stage, seconds in processed.seconds.items():
                stages[stage] += seconds
            clock.run("graph", writer.stage_graph, ox.NamedNode(graph_iri(processed.doc_id)), processed.graph)
            index.replace_document(processed.doc_id, processed.index_items)
            characters += processed.characters
            progress.update(1)
    finally:
        progress.close()
    return characters


def _remove_documents(writer: GenerationWriter, index: IndexWriterProcess, doc_ids: list[str]) -> None:
    for doc_id in doc_ids:
        _drop_graph(writer, doc_id)
        index.remove_document(doc_id)


def _drop_graph(writer: GenerationWriter, doc_id: str) -> None:
    graph = ox.NamedNode(graph_iri(doc_id))
    if writer.store.contains_named_graph(graph):
        writer.store.remove_graph(graph)
