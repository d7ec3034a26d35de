"""The ingest's full-text index writer, in a process of its own.

The ingest's writer process hands each document's index entries over a pipe; a child process adds
them to the new generation's Whoosh index and, when told, commits. The commit (about 25 s on the
REF2014 set, Whoosh's Python sorting and writing postings) then runs on one core while the store
is compacted and the shared graph rebuilt on the other: in one process they would take turns,
since pyoxigraph holds the GIL while a query's rows are read. If the ingest stops before the
commit (an error, or its process killed), the child sees its pipe close and leaves the index
uncommitted.
"""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

from kb.index import IndexWriterSession, open_index

REPLACE, REMOVE, COMMIT = "replace", "remove", "commit"


class IndexWriteError(Exception):
    """The index writer process failed; the message says how."""


class IndexWriterProcess:
    """Writes one generation's index in a child process: ``replace_document`` and
    ``remove_document`` as ``IndexWriterSession``, then ``start_commit`` and ``wait``, or ``cancel``."""

    def __init__(self, index_path: Path):
        context = multiprocessing.get_context("spawn")  # a fresh interpreter: no store handles inherited
        self._connection, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, str(index_path)), name="kb-index-writer", daemon=True)
        self._process.start()
        child.close()

    def replace_document(self, doc_id: str, items: list[dict]) -> None:
        self._send((REPLACE, doc_id, items))

    def remove_document(self, doc_id: str) -> None:
        self._send((REMOVE, doc_id, None))

    def start_commit(self) -> None:
        self._send((COMMIT, None, None))

    def wait(self) -> float:
        """Until the commit is done; the seconds the child spent writing and committing."""
        try:
            reply = self._connection.recv()
        except EOFError:
            raise IndexWriteError(self._failure()) from None
        self._stopped()
        if isinstance(reply, str):
            raise IndexWriteError(reply)
        return reply

    def cancel(self) -> None:
        """Stop the child without committing anything."""
        self._connection.close()
        self._stopped()

    def _send(self, message: tuple) -> None:
        try:
            self._connection.send(message)
        except (BrokenPipeError, ConnectionResetError):
            raise IndexWriteError(self._failure()) from None

    def _failure(self) -> str:
        """Why the child stopped: its own report if it sent one, else its exit status."""
        reason = None
        try:
            if self._connection.poll():
                reason = self._connection.recv()
        except (EOFError, OSError):
            pass
        status = self._stopped()
        return reason or f"the index writer process stopped unexpectedly (exit status {status})"

    def _stopped(self) -> int | None:
        self._process.join(timeout=60)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        return self._process.exitcode


def _serve(connection, index_path: str) -> None:
    """The child: apply messages until a commit (reply: its seconds, or an error's text) or until
    the pipe closes (nothing committed)."""
    session = IndexWriterSession(open_index(Path(index_path)))
    busy = 0.0
    try:
        while True:
            try:
                operation, doc_id, items = connection.recv()
            except EOFError:
                session.cancel()
                return
            began = time.perf_counter()
            if operation == REPLACE:
                session.replace_document(doc_id, items)
            elif operation == REMOVE:
                session.remove_document(doc_id)
            else:
                session.commit()
                connection.send(busy + time.perf_counter() - began)
                return
            busy += time.perf_counter() - began
    except Exception as error:  # reported to the ingest, which discards the generation
        session.cancel()
        connection.send(f"writing the index failed: {type(error).__name__}: {error}")
