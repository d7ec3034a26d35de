"""The full-text index: Whoosh-Reloaded over sentences and sections, English stemming, BM25F.

Each indexed item is a span of a document's canonical text with its document id, title,
section title and offsets stored, so a hit leads straight to its passage. Only
``IndexWriterSession`` writes (in the ingest's index writer process, ``ingest.index_writer``);
``open_index`` and ``search`` read.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import scoring
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.highlight import HtmlFormatter, WholeFragmenter
from whoosh.idsets import BitSet
from whoosh.qparser import MultifieldParser, OrGroup
from whoosh.query import Or, Term
from whoosh.searching import Results

from ingest.records import ExtractedDocument

INDEXED_KINDS = ("sentence", "section")


def make_schema() -> Schema:
    """The index's fields. An item is named by its document and offsets: an indexed id of its own
    would be a term per sentence, three in five of all terms, each written and compressed at commit."""
    analyzer = StemmingAnalyzer()
    return Schema(
        doc_id=ID(stored=True),
        doc_title=STORED(),  # shown with a hit; not searched, so it is not indexed again for every sentence
        kind=ID(stored=True),  # one of INDEXED_KINDS
        section=TEXT(analyzer=analyzer, stored=True, field_boost=0.5),
        text=TEXT(analyzer=analyzer, stored=True),
        start=STORED(),  # offsets lead from a hit to its passage; nothing searches by them
        end=STORED(),
        extra=STORED(),
    )


def create_index(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    whoosh_index.create_in(str(path), make_schema())


def open_index(path: Path) -> whoosh_index.Index:
    return whoosh_index.open_dir(str(path))


def index_items(doc: ExtractedDocument) -> list[dict]:
    """The index entries of one document: its sentences and its titled sections."""
    seg = doc.segmented
    title = seg.read.metadata.title or seg.doc_id
    items = []
    for segment in (*seg.sections, *seg.sentences):
        if segment.kind == "section" and not segment.title:
            continue
        section = segment if segment.kind == "section" else seg.section_of(segment.start)
        items.append(
            {
                "doc_id": seg.doc_id,
                "doc_title": title,
                "kind": segment.kind,
                "section": (section.title if section else None) or "",
                "text": seg.text[segment.start : segment.end] if segment.kind == "sentence" else segment.title,
                "start": segment.start,
                "end": segment.end,
            }
        )
    return items


# Postings Whoosh sorts in memory before it spills a sorted run to disk (and merges the runs at
# commit): about six million postings, so a set of the REF2014 size is sorted in one or two runs.
SORT_MEMORY_MB = 1024


class IndexWriterSession:
    """One writer for a batch of documents: replaces each document's entries, commits once."""

    def __init__(self, index: whoosh_index.Index):
        self._writer = index.writer(limitmb=SORT_MEMORY_MB)

    def replace_document(self, doc_id: str, items: list[dict]) -> None:
        """Make ``items`` (from ``index_items``) the document's only entries."""
        self.remove_document(doc_id)
        for item in items:
            self._writer.add_document(**item)

    def remove_document(self, doc_id: str) -> None:
        self._writer.delete_by_term("doc_id", doc_id)

    def commit(self) -> None:
        self._writer.commit()

    def cancel(self) -> None:
        self._writer.cancel()


@dataclass(frozen=True)
class SearchHit:
    doc_id: str
    doc_title: str
    kind: str
    section: str
    text: str
    start: int
    end: int
    score: float
    highlighted: str


SEARCH_FIELDS = ("text", "section")


def search(index: whoosh_index.Index, query: str, limit: int = 10, kinds: tuple[str, ...] = ("sentence",)) -> list[SearchHit]:
    """BM25F search in Whoosh query syntax; each hit with its matched words marked."""
    parser = MultifieldParser(list(SEARCH_FIELDS), schema=index.schema, group=OrGroup.factory(0.9))
    parsed = parser.parse(query)
    return _collect(bm25_search(index, parsed, limit, kinds, terms=True))


def bm25_search(index: whoosh_index.Index, query, limit: int, kinds: tuple[str, ...] = (), **options) -> Results:
    """``query`` (a Whoosh query) over the items of ``kinds`` (every kind when empty) with the
    calling thread's BM25F searcher of ``index``."""
    return _kept(index).search(query, limit, kinds or INDEXED_KINDS, **options)


def share_holding(index: whoosh_index.Index, field: str, words: tuple[str, ...]) -> float:
    """The share of ``index``'s items whose ``field`` holds the rarest of ``words`` (indexed terms):
    no more than hold them all."""
    searcher = _kept(index).searcher
    return min(searcher.doc_frequency(field, word) for word in words) / max(1, searcher.doc_count_all())


_threads_searchers = threading.local()


class _KeptSearcher:
    """A thread's BM25F searcher of one index, kept open (a Whoosh searcher is not shared between
    threads), filtering by kinds with its index's shared filters. Opening a searcher reads the
    segment's files: 70 ms on the REF2014 index, more than most searches take. An index is a
    published generation's, never written again, so nothing kept can go stale."""

    def __init__(self, index: whoosh_index.Index):
        self.index = index
        self.searcher = index.searcher(weighting=scoring.BM25F())

    def search(self, query, limit: int, kinds: tuple[str, ...], **options) -> Results:
        return self.searcher.search(query, limit=limit, filter=_documents_of(self.index, kinds, self.searcher), **options)


class _Prepared:
    """What the searchers of one index share: searchers opened ahead for threads still to come, and
    the documents of each set of kinds (collecting them reads the kind postings: 90 ms on REF2014;
    document numbers are the same in every searcher of an index)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.spare: list[_KeptSearcher] = []
        self.of_kinds: dict[tuple[str, ...], BitSet] = {}


_prepared_lock = threading.Lock()


def _prepared_for(index: whoosh_index.Index) -> _Prepared:
    """The index's shared state, kept on the index object itself: its searchers refer to their
    index, so a table keyed by index would keep every generation's index alive."""
    with _prepared_lock:
        if not hasattr(index, "kb_prepared"):
            index.kb_prepared = _Prepared()
        return index.kb_prepared


def _documents_of(index: whoosh_index.Index, kinds: tuple[str, ...], searcher) -> BitSet | None:
    if set(INDEXED_KINDS) <= set(kinds):
        return None
    prepared = _prepared_for(index)
    with prepared.lock:
        if kinds not in prepared.of_kinds:
            wanted = Or([Term("kind", k) for k in kinds])
            prepared.of_kinds[kinds] = BitSet(searcher.docs_for_query(wanted), size=searcher.doc_count_all())
        return prepared.of_kinds[kinds]


def prepare_searchers(index: whoosh_index.Index, threads: int, kinds: tuple[str, ...] = ("sentence",)) -> None:
    """Open searchers of ``index`` for ``threads`` threads still to search it, and collect the
    documents of ``kinds``: a server does this as it starts, so that its first users do not each
    wait for a searcher of their own."""
    opened = [_KeptSearcher(index) for _ in range(threads)]
    prepared = _prepared_for(index)
    _documents_of(index, kinds, opened[0].searcher)
    with prepared.lock:
        prepared.spare.extend(opened)


def _kept(index: whoosh_index.Index) -> _KeptSearcher:
    """The calling thread's kept searcher of ``index`` (one opened ahead, if any is left); a thread
    moving to another index closes its searcher of the last."""
    kept = getattr(_threads_searchers, "kept", None)
    if kept is None or kept.index is not index:
        if kept is not None:
            kept.searcher.close()
        prepared = _prepared_for(index)
        with prepared.lock:
            spare = prepared.spare.pop() if prepared.spare else None
        kept = _threads_searchers.kept = spare or _KeptSearcher(index)
    return kept


def _collect(results: Results) -> list[SearchHit]:
    results.fragmenter = WholeFragmenter()
    results.formatter = HtmlFormatter(tagname="mark", classname="hit", termclass="term")
    return [
        SearchHit(
            doc_id=hit["doc_id"],
            doc_title=hit["doc_title"],
            kind=hit["kind"],
            section=hit["section"],
            text=hit["text"],
            start=hit["start"],
            end=hit["end"],
            score=float(hit.score),
            highlighted=hit.highlights("text") or hit["text"],
        )
        for hit in results
    ]
