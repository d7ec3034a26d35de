"""Answers to repeated queries on a published generation's store, kept in memory.

A generation's store is never written once it is published (an ingest writes a new generation in a
folder of its own), so the same query with the same parameters, dataset and format always gets the
same answer there: a server keeps the most recently used answers up to a total size, and an
analyst re-running a ready query (or a dashboard polling one) is answered without a worker.
Answers larger than an eighth of the total are not kept, nor are errors.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from .results import QueryResult
from .worker import QueryRequest


class ResultCache:
    """Least-recently-used answers by request, at most ``max_bytes`` of result bodies."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._answers: OrderedDict[tuple, QueryResult] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, request: QueryRequest) -> QueryResult | None:
        key = _key(request)
        with self._lock:
            answer = self._answers.get(key)
            if answer is not None:
                self._answers.move_to_end(key)
            return answer

    def put(self, request: QueryRequest, answer: QueryResult) -> None:
        size = len(answer.body)
        if not size or size > self.max_bytes // 8:
            return
        key = _key(request)
        with self._lock:
            if key in self._answers:
                return
            self._answers[key] = answer
            self._size += size
            while self._size > self.max_bytes:
                _, dropped = self._answers.popitem(last=False)
                self._size -= len(dropped.body)


def _key(request: QueryRequest) -> tuple:
    return (
        request.store_path, request.query, request.formats, request.max_rows,
        tuple(sorted((name, str(term)) for name, term in request.params.items())),
        request.default_graphs, request.named_graphs, request.base_iri,
    )
