"""The knowledge base on disk: generations of an Oxigraph store and a Whoosh index.

A knowledge-base folder holds ``generations/<name>/{store,index}`` and a ``CURRENT`` file naming
the generation readers use. An ingest never writes the current generation: it makes a new one
beside it (Oxigraph's hard-linked backup and a copy of the index), writes there, and only when
everything is written replaces ``CURRENT`` atomically. An ingest that fails or is killed leaves
``CURRENT`` as it was; its half-written generation is removed by the next ingest. A lock file
lets one ingest run at a time.

Readers open the current generation read-only, as an rdflib ``Dataset`` on the Oxigraph store
(``oxrdflib``) for SPARQL and as a Whoosh index for full text.

With a remote store (``store_url``: ``--store URL``, else ``KB_STORE``) the graph lives in that
SPARQL 1.1 store (see ``kb.remote_store``) and generations hold only the index and a
``remote-store.json`` naming the store's endpoints, so a folder remembers its store. An ingest then
replaces each changed document's graph in the store with one atomic request as it goes, and
switches ``CURRENT`` (the index) at the end: readers may see new graphs with the old index until
then, and an ingest that fails part-way leaves the graphs it wrote, which the next ingest rewrites
(their ids are kept in ``remote-pending.json`` until an ingest has rewritten them).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import Dataset, Graph, URIRef

from .errors import KnowledgeBaseError
from .index import create_index, open_index
from .remote_store import RemoteStore

CURRENT = "CURRENT"
GENERATIONS = "generations"
LOCK = "ingest.lock"
PENDING = "remote-pending.json"
KEEP_GENERATIONS = 2  # the current one and the one before, which readers may still hold open
STORE_ENDPOINTS = {"query_url": "KB_STORE_QUERY", "update_url": "KB_STORE_UPDATE", "store_url": "KB_STORE_GSP"}


class IngestInProgress(KnowledgeBaseError):
    """Another ingest holds the lock on this knowledge base."""


def resolve_data_dir(data: str | os.PathLike | None) -> Path:
    """``--data`` if given, else ``KB_DATA``, else ``var/kb``."""
    return Path(data or os.environ.get("KB_DATA") or "var/kb")


def remote_store_at(url: str) -> RemoteStore:
    """The store at ``url``, with the endpoints ``KB_STORE_QUERY``, ``KB_STORE_UPDATE`` and
    ``KB_STORE_GSP`` name (else Oxigraph server's: ``URL/query``, ``URL/update``, ``URL/store``)."""
    return RemoteStore(url, **{key: os.environ.get(name) for key, name in STORE_ENDPOINTS.items()})


@dataclass
class Generation:
    """One complete generation: its store (or the record of its remote store) and index folders."""

    path: Path

    @property
    def store_path(self) -> Path:
        return self.path / "store"

    @property
    def index_path(self) -> Path:
        return self.path / "index"

    @property
    def remote_record(self) -> Path:
        return self.path / "remote-store.json"

    def is_complete(self) -> bool:
        return self.store_path.is_dir() or self.remote_record.is_file()

    def recorded_store(self) -> RemoteStore | None:
        """The remote store this generation's graph is in, or None if it has its own store."""
        if not self.remote_record.is_file():
            return None
        return RemoteStore(**json.loads(self.remote_record.read_text(encoding="utf-8")))

    def record_store(self, store: RemoteStore) -> None:
        endpoints = {"url": store.url, **{key: getattr(store, key) for key in STORE_ENDPOINTS}}
        self.remote_record.write_text(json.dumps(endpoints, indent=2) + "\n", encoding="utf-8")


class KnowledgeBase:
    """A knowledge-base folder and its generations; its graph embedded, or in the store at ``store_url``."""

    def __init__(self, data_dir: str | os.PathLike | None = None, store_url: str | None = None):
        self.path = resolve_data_dir(data_dir)
        self.store_url = store_url or os.environ.get("KB_STORE") or None

    def current(self) -> Generation | None:
        """The current generation, or None if nothing was ever ingested."""
        try:
            name = (self.path / CURRENT).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        generation = Generation(self.path / GENERATIONS / name)
        return generation if generation.is_complete() else None

    def current_name(self) -> str | None:
        generation = self.current()
        return generation.path.name if generation else None

    def exists(self) -> bool:
        return self.current() is not None

    def open_reader(self) -> "ReadView":
        generation = self.current()
        if generation is None:
            raise KnowledgeBaseError(
                f"no knowledge base in {self.path}: run `kb ingest corpus --data {self.path}` first"
            )
        return ReadView(generation, self._reader_store(generation))

    def remote(self) -> RemoteStore | None:
        """The remote store holding the graph: the configured one, else the one the current
        generation records; None when the graph is embedded."""
        if self.store_url:
            return remote_store_at(self.store_url)
        generation = self.current()
        return generation.recorded_store() if generation else None

    def _reader_store(self, generation: Generation) -> ox.Store | RemoteStore:
        recorded = generation.recorded_store()
        if recorded is not None:
            return remote_store_at(self.store_url) if self.store_url else recorded
        if self.store_url:
            raise KnowledgeBaseError(
                f"{self.path} keeps its graph in its own folder, not in the store at {self.store_url}: "
                "use another --data folder for a remote store"
            )
        return ox.Store.read_only(str(generation.store_path))

    def pending_documents(self) -> set[str]:
        """Ids of documents whose remote graphs an ingest began to write or remove but did not finish."""
        try:
            return set(json.loads((self.path / PENDING).read_text(encoding="utf-8")))
        except FileNotFoundError:
            return set()

    def set_pending_documents(self, doc_ids: set[str]) -> None:
        """Record ``doc_ids`` as pending (atomically); none removes the record."""
        path = self.path / PENDING
        if not doc_ids:
            path.unlink(missing_ok=True)
            return
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(sorted(doc_ids)), encoding="utf-8")
        os.replace(temporary, path)

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the ingest lock; refuse at once if another ingest holds it."""
        self.path.mkdir(parents=True, exist_ok=True)
        with open(self.path / LOCK, "a+", encoding="utf-8") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                handle.seek(0)
                holder = handle.read().strip() or "another process"
                raise IngestInProgress(
                    f"another ingest is running on {self.path} ({holder}); wait for it to finish"
                ) from exc
            handle.seek(0)
            handle.truncate()
            handle.write(f"pid {os.getpid()}")
            handle.flush()
            try:
                yield
            finally:
                handle.seek(0)
                handle.truncate()

    @contextmanager
    def new_generation(self) -> Iterator["GenerationWriter"]:
        """A writable copy of the current generation; made current only if the block succeeds."""
        generations = self.path / GENERATIONS
        self.remove_stale_generations()
        name = f"gen-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6:06d}"
        target = Generation(generations / name)
        target.path.mkdir()
        writer = None
        try:
            writer = GenerationWriter.copy_of(self.current(), target, self.remote())
            yield writer
            writer.load_staged()
            writer.compact()
            writer.close()
            self._switch_to(name)
        except BaseException:
            if writer is not None:
                writer.close()
            shutil.rmtree(target.path, ignore_errors=True)
            raise
        self.remove_stale_generations()

    def _switch_to(self, name: str) -> None:
        temporary = self.path / f"{CURRENT}.tmp"
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(name + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.path / CURRENT)

    def remove_stale_generations(self) -> None:
        """Remove half-written generations (of failed or killed ingests) and all but the newest
        complete ones. Call only while holding the ingest lock."""
        generations = self.path / GENERATIONS
        generations.mkdir(parents=True, exist_ok=True)
        current = self.current_name()
        names = sorted(p.name for p in generations.iterdir() if p.is_dir())
        keep: set[str] = set()
        if current in names:
            index = names.index(current)
            keep = set(names[max(0, index - KEEP_GENERATIONS + 1) : index + 1])
        for name in names:
            if name not in keep:
                shutil.rmtree(generations / name, ignore_errors=True)


def _in_graph(graph: ox.NamedNode, ntriples: bytes) -> bytes:
    """``ntriples`` as N-Quads in ``graph``: N-Triples ends each triple, and only a triple, with
    " .\n" (a line break in a literal is escaped), so the graph name goes before each of those."""
    return ntriples.replace(b" .\n", b" " + str(graph).encode() + b" .\n")


STAGED_GRAPHS = "staged-graphs.nq"  # in the generation's folder until loaded
# Oxigraph's bulk loader writes a large load as runs of about a million quads whose files overlap.
# Queries on the REF2014 store loaded at once (9.7 million quads) ran 3-4 times slower until
# RocksDB compacted it (18 s), so a store loaded with more N-Quads than this is compacted.
COMPACT_AFTER_BYTES = 200 * 2**20


class GenerationWriter:
    """Write access to a new generation's Oxigraph store (or the remote store); its Whoosh index, at
    ``generation.index_path``, is written by the ingest's index writer process."""

    def __init__(self, generation: Generation, store: ox.Store | RemoteStore):
        self.generation = generation
        self.store = store
        self._staged = None  # the open file of staged N-Quads, if any
        self._loaded_bytes = 0  # N-Quads bulk-loaded since the store was last compacted

    @classmethod
    def copy_of(cls, source: Generation | None, target: Generation, remote: RemoteStore | None = None) -> "GenerationWriter":
        if remote is not None:
            return cls._remote_copy_of(source, target, remote)
        if source is None:
            ox.Store(str(target.store_path)).flush()
            create_index(target.index_path)
        else:
            ox.Store.read_only(str(source.store_path)).backup(str(target.store_path))
            shutil.copytree(source.index_path, target.index_path)
        return cls(target, ox.Store(str(target.store_path)))

    @classmethod
    def _remote_copy_of(cls, source: Generation | None, target: Generation, remote: RemoteStore) -> "GenerationWriter":
        """A copy of the index only: the graph stays in the remote store (checked to answer first)."""
        remote.check()
        if source is None:
            create_index(target.index_path)
        else:
            shutil.copytree(source.index_path, target.index_path)
        target.record_store(remote)
        return cls(target, remote)

    def replace_graph(self, graph: ox.NamedNode, ntriples: bytes) -> None:
        """Make the named graph ``graph`` hold the triples of ``ntriples`` (N-Triples) and nothing else, now."""
        self.stage_graph(graph, ntriples)
        self.load_staged()

    def stage_graph(self, graph: ox.NamedNode, ntriples: bytes) -> None:
        """Make the named graph ``graph`` hold the triples of ``ntriples`` (N-Triples, as pyoxigraph
        serialises them) and nothing else once ``load_staged`` has run: the old graph goes now and
        the new one waits in a file. A remote store replaces it at once (one request)."""
        if isinstance(self.store, RemoteStore):
            self.store.replace_graph(graph, ntriples)
            return
        if self.store.contains_named_graph(graph):
            self.store.remove_graph(graph)
        if self._staged is None:
            self._staged = open(self.generation.path / STAGED_GRAPHS, "wb")
        self._staged.write(_in_graph(graph, ntriples))

    def load_staged(self) -> None:
        """Load the staged graphs into the embedded store with one run of Oxigraph's bulk loader
        (``compact`` then makes a large load fast to query). A run per batch of graphs as they came
        made RocksDB compact the store again and again while the documents were parsed (on REF2014,
        59 of the 130 s of CPU the loads took, against 104 s for one run and 21 s for compacting)."""
        if self._staged is None:
            return
        staged, size = Path(self._staged.name), self._staged.tell()
        self._discard_staged()
        self.store.bulk_load(path=str(staged), format=ox.RdfFormat.N_QUADS, lenient=True)  # pyoxigraph wrote them: no need to check IRIs again
        staged.unlink()
        self._loaded_bytes += size

    def compact(self) -> None:
        """Compact the embedded store (on one core) if more than ``COMPACT_AFTER_BYTES`` of N-Quads
        were bulk-loaded since it last was; a new generation is compacted before it becomes current."""
        if self._loaded_bytes > COMPACT_AFTER_BYTES:
            self.store.optimize()
            self._loaded_bytes = 0

    def _discard_staged(self) -> None:
        if self._staged is not None:
            self._staged.close()
            self._staged = None

    def close(self) -> None:
        """Close the store; graphs staged but not loaded are left out (the generation is then discarded)."""
        self._discard_staged()
        if self.store is not None:
            self.store.flush()
            self.store = None


class ReadView:
    """Read-only access to one generation: pyoxigraph store (or remote store), rdflib Dataset and Whoosh index."""

    def __init__(self, generation: Generation, store: ox.Store | RemoteStore):
        self.generation = generation
        self.store = store
        self._dataset: Dataset | None = None
        self._index = None

    @property
    def name(self) -> str:
        return self.generation.path.name

    @property
    def query_target(self) -> str | RemoteStore:
        """What the SPARQL runner queries: the embedded store's folder, or the remote store."""
        return self.store if isinstance(self.store, RemoteStore) else str(self.generation.store_path)

    @property
    def dataset(self) -> Dataset:
        """The rdflib Dataset over the Oxigraph store (queries run in Oxigraph)."""
        if self._dataset is None:
            self._dataset = Dataset(store=OxigraphStore(store=self.store))
        return self._dataset

    def graph(self, iri: str) -> Graph:
        """One named graph, read through rdflib (without creating it when absent); from a remote
        store, a copy in an in-memory Oxigraph store."""
        if isinstance(self.store, RemoteStore):
            copy = ox.Store()
            copy.bulk_extend(self.store.quads_for_pattern(None, None, None, ox.NamedNode(iri)))
            return Graph(store=OxigraphStore(store=copy), identifier=URIRef(iri))
        return Graph(store=self.dataset.store, identifier=URIRef(iri))

    @property
    def index(self):
        if self._index is None:
            self._index = open_index(self.generation.index_path)
        return self._index
