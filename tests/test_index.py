"""The full-text index's searchers: prepared ahead for a server's threads, one per thread."""

from __future__ import annotations

import threading

from kb.index import prepare_searchers, search


def _search_in_threads(index, count: int, query: str) -> list[list[tuple[str, int]]]:
    found: list[list[tuple[str, int]]] = [[] for _ in range(count)]

    def run(slot: int) -> None:
        found[slot] = [(hit.doc_id, hit.start) for hit in search(index, query)]

    threads = [threading.Thread(target=run, args=(slot,)) for slot in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return found


def test_prepared_searchers_go_to_the_first_threads_and_find_what_any_searcher_finds(service):
    index = service.view.index
    expected = [(hit.doc_id, hit.start) for hit in search(index, "carers")]
    assert expected
    prepare_searchers(index, 3)
    assert len(index.kb_prepared.spare) == 3
    assert ("sentence",) in index.kb_prepared.of_kinds  # the sentence filter is collected once, ahead
    assert _search_in_threads(index, 3, "carers") == [expected] * 3
    assert index.kb_prepared.spare == []
    assert _search_in_threads(index, 2, "carers") == [expected] * 2  # later threads open their own
