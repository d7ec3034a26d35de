"""The knowledge base on disk: generations of an Oxigraph store and a Whoosh index.

A knowledge-base folder holds ``generations/<name>/{store,index}`` and a ``CURRENT`` file naming
the generation readers use. An ingest never writes the current generation: it makes a new one
beside it (Oxigraph's hard-linked backup and a copy of the index), writes there, and only when
everything is written replaces ``CURRENT`` atomically. An ingest that fails or is killed leaves
``CURRENT`` as it was; its half-written generation is removed by the next ingest. A lock file
lets one ingest run at a time.

Readers open the current generation read-only, as an rdflib ``Dataset`` on the Oxigraph store
(``oxrdflib``) for SPARQL and as a Whoosh index for full text.
"""

from __future__ import annotations

import fcntl
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

from .index import create_index, open_index

CURRENT = "CURRENT"
GENERATIONS = "generations"
LOCK = "ingest.lock"
KEEP_GENERATIONS = 2  # the current one and the one before, which readers may still hold open


class KnowledgeBaseError(Exception):
    """The knowledge base folder is missing, empty or busy."""


class IngestInProgress(KnowledgeBaseError):
    """Another ingest holds the lock on this knowledge base."""


def resolve_data_dir(data: str | os.PathLike | None) -> Path:
    """``--data`` if given, else ``KB_DATA``, else ``var/kb``."""
    return Path(data or os.environ.get("KB_DATA") or "var/kb")


@dataclass
class Generation:
    """One complete generation: its store and index folders."""

    path: Path

    @property
    def store_path(self) -> Path:
        return self.path / "store"

    @property
    def index_path(self) -> Path:
        return self.path / "index"


class KnowledgeBase:
    """A knowledge-base folder and its generations."""

    def __init__(self, data_dir: str | os.PathLike | None = None):
        self.path = resolve_data_dir(data_dir)

    def current(self) -> Generation | None:
        """The current generation, or None if nothing was ever ingested."""
        try:
            name = (self.path / CURRENT).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        generation = Generation(self.path / GENERATIONS / name)
        return generation if generation.store_path.is_dir() else None

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
        return ReadView(generation)

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
            writer = GenerationWriter.copy_of(self.current(), target)
            yield writer
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


class GenerationWriter:
    """Write access to a new generation: the Oxigraph store and the Whoosh index."""

    def __init__(self, generation: Generation):
        self.generation = generation
        self.store = ox.Store(str(generation.store_path))
        self.index = open_index(generation.index_path)

    @classmethod
    def copy_of(cls, source: Generation | None, target: Generation) -> "GenerationWriter":
        if source is None:
            ox.Store(str(target.store_path)).flush()
            create_index(target.index_path)
        else:
            ox.Store.read_only(str(source.store_path)).backup(str(target.store_path))
            shutil.copytree(source.index_path, target.index_path)
        return cls(target)

    def close(self) -> None:
        if self.store is not None:
            self.store.flush()
            self.store = None
            self.index = None


class ReadView:
    """Read-only access to one generation: pyoxigraph store, rdflib Dataset and Whoosh index."""

    def __init__(self, generation: Generation):
        self.generation = generation
        self.store = ox.Store.read_only(str(generation.store_path))
        self._dataset: Dataset | None = None
        self._index = None

    @property
    def name(self) -> str:
        return self.generation.path.name

    @property
    def dataset(self) -> Dataset:
        """The rdflib Dataset over the Oxigraph store (queries run in Oxigraph)."""
        if self._dataset is None:
            self._dataset = Dataset(store=OxigraphStore(store=self.store))
        return self._dataset

    def graph(self, iri: str) -> Graph:
        """One named graph, read through rdflib (without creating it when absent)."""
        return Graph(store=self.dataset.store, identifier=URIRef(iri))

    @property
    def index(self):
        if self._index is None:
            self._index = open_index(self.generation.index_path)
        return self._index
