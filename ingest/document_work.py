"""Read documents turned into what the knowledge base stores, in this process or in workers.

``DocumentProcessor`` runs the per-document stages (normalise and segment, spaCy, extract, build
the named graph and the index entries) on a batch of consecutive documents, which spaCy parses
together, and hands back a ``ProcessedDocument`` for each: the graph already serialised as
N-Triples and the index entries as plain dicts, so a worker process sends bytes and dicts to the
writer, never spaCy docs or RDF term objects (pickling those costs more than making them).
``processed_documents`` runs the processor in-process, or in ``n_process`` worker processes (each
loads spaCy once), keeping the documents' order and at most a few batches in flight, so memory
stays flat however many documents there are. The single writer of the store and the index stays
in the calling process.
"""

from __future__ import annotations

import multiprocessing
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone

import pyoxigraph as ox

from kb.graph_writer import document_triples
from kb.index import index_items

from .allocator import keep_freed_memory
from .extract.document import DocumentExtractor
from .nlp import load_pipeline
from .records import ReadDocument
from .segment import parse_documents, segment_document

BATCH_CHARACTERS = 60_000  # text per spaCy batch: large enough for nlp.pipe to batch well
BATCHES_IN_FLIGHT_PER_WORKER = 3  # batches queued or done but not yet written, per worker


@dataclass
class ProcessedDocument:
    doc_id: str
    characters: int
    graph: bytes  # the document's named graph, N-Triples
    index_items: list[dict]
    seconds: dict[str, float] = field(default_factory=dict)  # per stage, for its whole batch on the batch's first document


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class DocumentProcessor:
    """Holds the loaded spaCy pipeline and extractor resources; call it on a batch of read documents."""

    def __init__(self, pipeline: str):
        self.pipeline = pipeline
        self.nlp = load_pipeline()
        self.extractor = DocumentExtractor()

    def __call__(self, batch: list[ReadDocument]) -> list[ProcessedDocument]:
        """Process a batch of documents, parsed by spaCy together (one ``nlp.pipe`` batch)."""
        started = _now()
        clock = StageClock()
        segmented = [clock.run("segment", segment_document, read) for read in batch]
        parsed_batch = clock.run("spacy", lambda: list(parse_documents(segmented, self.nlp)))
        processed = []
        for parsed in parsed_batch:
            extracted = clock.run("extract", self.extractor.run, parsed, self.pipeline, started)
            extracted.ended = _now()
            graph = clock.run(
                "serialise",
                lambda: ox.serialize((ox.Triple(*t) for t in document_triples(extracted)), format=ox.RdfFormat.N_TRIPLES),
            )
            items = clock.run("serialise", index_items, extracted)
            processed.append(ProcessedDocument(parsed.doc_id, len(parsed.text), graph, items))
        processed[0].seconds = clock.seconds  # the batch's stage times, counted once
        return processed


def processed_documents(documents: Iterable[ReadDocument], pipeline: str, n_process: int = 1) -> Iterator[ProcessedDocument]:
    """Each of ``documents`` processed, in order; with ``n_process`` > 1 in that many worker processes."""
    batches = _batches(documents)
    keep_freed_memory()  # here, and in each worker as it starts
    if n_process <= 1:
        processor = DocumentProcessor(pipeline)
        for batch in batches:
            yield from processor(batch)
        return
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: no store handles or threads inherited
    with context.Pool(n_process, initializer=_start_worker, initargs=(pipeline,)) as pool:
        in_flight: deque = deque()
        for batch in batches:
            in_flight.append(pool.apply_async(_process_in_worker, (batch,)))
            if len(in_flight) >= n_process * BATCHES_IN_FLIGHT_PER_WORKER:
                yield from in_flight.popleft().get()
        while in_flight:
            yield from in_flight.popleft().get()


def _batches(documents: Iterable[ReadDocument]) -> Iterator[list[ReadDocument]]:
    """Consecutive documents in batches of about ``BATCH_CHARACTERS`` (a long document alone)."""
    batch: list[ReadDocument] = []
    size = 0
    for document in documents:
        batch.append(document)
        size += len(document.text)
        if size >= BATCH_CHARACTERS:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


_worker_processor: DocumentProcessor | None = None


def _start_worker(pipeline: str) -> None:
    global _worker_processor
    keep_freed_memory()
    _worker_processor = DocumentProcessor(pipeline)


def _process_in_worker(batch: list[ReadDocument]) -> list[ProcessedDocument]:
    return _worker_processor(batch)


class StageClock:
    """Seconds per stage, added to ``seconds`` (a new dict unless one is given) as stages run."""

    def __init__(self, seconds: dict[str, float] | None = None):
        self.seconds: dict[str, float] = {} if seconds is None else seconds

    def run(self, stage: str, function, *args):
        began = time.perf_counter()
        result = function(*args)
        self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - began
        return result
