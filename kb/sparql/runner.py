"""Run read-only SPARQL queries in a small pool of warm worker processes, with a time limit.

A ``QueryRunner`` holds up to ``workers`` processes (started from a forkserver on first use, then
kept): a query borrows one, and if the answer has not come back within the time limit the process
is killed, a fresh one takes its place and ``QueryTimeout`` is raised. The default graph is the
union of all graphs unless the query (FROM / FROM NAMED) or the protocol (default-graph-uri /
named-graph-uri) names a dataset, whose graphs must all be in the store. A query for a remote
store (``kb.remote_store``) is inspected and refused the same way, then sent to the store's endpoint
from this thread, with the time limit on the wait for its answer. A runner given ``cache_bytes``
(the server's, whose stores are published generations that never change) keeps answers to
repeated queries on an embedded store (``kb.sparql.result_cache``).
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import time
from collections.abc import Iterable

from ..errors import RemoteStoreTimeout
from . import worker
from .errors import QueryTimeout, SparqlError
from .result_cache import ResultCache
from .results import QueryResult
from .worker import QueryRequest

DEFAULT_TIMEOUT = 10.0  # seconds
DEFAULT_MAX_ROWS = 10_000
DEFAULT_WORKERS = 2
DEFAULT_FORMATS = ("json", "turtle")  # SPARQL Results JSON for SELECT/ASK, Turtle for CONSTRUCT/DESCRIBE


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, context):
        self.connection, child = context.Pipe()
        self.process = context.Process(target=worker.serve, args=(child,), name="kb-sparql-worker", daemon=True)
        self.process.start()
        child.close()

    def ask(self, request: QueryRequest, timeout: float):
        """The worker's reply, or TimeoutError when none came within ``timeout`` seconds."""
        self.send(request)
        return self.reply(timeout)

    def send(self, request: QueryRequest) -> None:
        self.connection.send(request)

    def reply(self, timeout: float):
        """The reply to the request sent, or TimeoutError when none came within ``timeout`` seconds."""
        if not self.connection.poll(max(timeout, 0)):
            raise TimeoutError
        return self.connection.recv()

    def stop(self) -> None:
        self.process.kill()
        self.process.join()
        self.connection.close()


class QueryRunner:
    """Answers queries against Oxigraph stores, each in a killable worker process."""

    def __init__(
        self, workers: int = DEFAULT_WORKERS, timeout: float = DEFAULT_TIMEOUT, max_rows: int = DEFAULT_MAX_ROWS,
        cache_bytes: int = 0,
    ):
        self.timeout, self.max_rows = timeout, max_rows
        self._cache = ResultCache(cache_bytes) if cache_bytes else None
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload([worker.__name__])
        self.workers = workers
        self._idle: queue.LifoQueue[_Worker | None] = queue.LifoQueue()
        for _ in range(workers):
            self._idle.put(None)  # a slot whose process starts when first needed

    def run(
        self,
        store,
        query: str,
        *,
        formats: Iterable[str] = DEFAULT_FORMATS,
        params: dict | None = None,
        default_graphs: Iterable[str] = (),
        named_graphs: Iterable[str] = (),
        base_iri: str | None = None,
        timeout: float | None = None,
        max_rows: int | None = None,
    ) -> QueryResult:
        """Run ``query`` on ``store`` (an embedded store's folder, or a remote store); the result in
        the first of ``formats`` that suits the query form. Raises a ``SparqlError`` subclass when
        it is not answered."""
        limit = timeout or self.timeout
        embedded = isinstance(store, (str, os.PathLike))
        request = QueryRequest(
            store_path=str(store) if embedded else store.query_url,
            query=query,
            formats=tuple(formats),
            max_rows=max_rows or self.max_rows,
            params=dict(params or {}),
            default_graphs=tuple(default_graphs),
            named_graphs=tuple(named_graphs),
            base_iri=base_iri,
        )
        if not embedded:
            return _ask_remote(store.with_timeout(limit), request, limit)
        kept = self._cache.get(request) if self._cache else None
        if kept is not None:
            return kept
        deadline = time.monotonic() + limit
        reply = self._ask(request, deadline, limit)
        if isinstance(reply, SparqlError):
            raise reply
        if self._cache:
            self._cache.put(request, reply)
        return reply

    def start_workers(self, store) -> None:
        """Start every worker and open ``store`` (an embedded store's folder) in it, as a server
        starts: otherwise each worker's first query waits about a second for its process to start,
        import the parsers and open the store. Nothing to do for a remote store."""
        if not isinstance(store, (str, os.PathLike)):
            return
        request = QueryRequest(store_path=str(store), query="ASK {}", formats=("json",), max_rows=1)
        started = [self._checkout(self.timeout) for _ in range(self.workers)]
        for process in started:
            process.send(request)  # all first, so that they start and open the store together
        for process in started:
            try:
                process.reply(self.timeout)
            except (TimeoutError, EOFError, OSError):
                process.stop()
                process = None  # its slot starts a fresh process when a query needs it
            self._idle.put(process)

    def close(self) -> None:
        """Stop the idle workers; a later query starts fresh ones."""
        drained = []
        while not self._idle.empty():
            drained.append(self._idle.get_nowait())
        for process in drained:
            if process is not None:
                process.stop()
            self._idle.put(None)

    def _ask(self, request: QueryRequest, deadline: float, limit: float):
        process = self._checkout(limit)
        try:
            return process.ask(request, deadline - time.monotonic())
        except TimeoutError:
            process.stop()
            process = _Worker(self._context)
            raise QueryTimeout(f"the query ran longer than the {limit:g} s time limit and was stopped") from None
        except (EOFError, OSError):
            process.stop()
            raise SparqlError("the query worker stopped unexpectedly; try again") from None
        finally:
            self._idle.put(process)

    def _checkout(self, limit: float) -> _Worker:
        """An idle worker, started now if its slot is empty or its process has died."""
        try:
            process = self._idle.get(timeout=limit)
        except queue.Empty:
            raise QueryTimeout(f"every query worker stayed busy for the {limit:g} s time limit; try again") from None
        if process is not None and process.process.is_alive():
            return process
        if process is not None:
            process.stop()
        try:
            return _Worker(self._context)
        except BaseException:
            self._idle.put(None)
            raise


def _ask_remote(store, request: QueryRequest, limit: float) -> QueryResult:
    """The remote store's answer, checked and bound as in a worker but sent from this thread."""
    try:
        return worker.execute(store, request)
    except RemoteStoreTimeout:
        raise QueryTimeout(f"the store did not answer within the {limit:g} s time limit") from None
