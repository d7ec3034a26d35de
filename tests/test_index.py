"""The full-text index: searchers prepared ahead for a server's threads, one per thread; the
ingest's index writer process."""

from __future__ import annotations

import threading

import pytest

from ingest.index_writer import IndexWriteError, IndexWriterProcess
from kb.index import create_index, open_index, prepare_searchers, search


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


# --- the ingest's index writer process


def _entry(doc_id: str, text: str) -> dict:
    return {"doc_id": doc_id, "doc_title": doc_id, "kind": "sentence", "section": "Findings", "text": text, "start": 0, "end": len(text)}


def _indexed(path) -> list[tuple[str, str]]:
    with open_index(path).searcher() as searcher:
        return sorted((fields["doc_id"], fields["text"]) for fields in searcher.all_stored_fields())


def _write(path, *operations) -> None:
    writer = IndexWriterProcess(path)
    for operation, *args in operations:
        getattr(writer, operation)(*args)
    writer.start_commit()
    assert writer.wait() >= 0


def test_the_index_writer_process_replaces_removes_and_commits(tmp_path):
    create_index(tmp_path)
    _write(tmp_path, *(("replace_document", doc_id, [_entry(doc_id, text)]) for doc_id, text in (
        ("a", "Carers valued the budgets."), ("b", "Old text."), ("c", "Gone soon."))))
    _write(tmp_path, ("replace_document", "b", [_entry("b", "New text.")]), ("remove_document", "c"))
    assert _indexed(tmp_path) == [("a", "Carers valued the budgets."), ("b", "New text.")]
    assert [hit.doc_id for hit in search(open_index(tmp_path), "carers")] == ["a"]


def test_a_failure_in_the_index_writer_is_named_and_nothing_is_committed(tmp_path):
    create_index(tmp_path)
    writer = IndexWriterProcess(tmp_path)
    writer.replace_document("a", [_entry("a", "Kept only if all goes well.")])
    writer.replace_document("b", [{**_entry("b", "x"), "no_such_field": "x"}])
    with pytest.raises(IndexWriteError, match="no_such_field"):
        writer.start_commit()
        writer.wait()
    assert _indexed(tmp_path) == []


def test_a_cancelled_index_writer_commits_nothing(tmp_path):
    create_index(tmp_path)
    writer = IndexWriterProcess(tmp_path)
    writer.replace_document("a", [_entry("a", "Never committed.")])
    writer.cancel()
    assert _indexed(tmp_path) == []
    _write(tmp_path, ("replace_document", "b", [_entry("b", "Written next.")]))  # the write lock went with it
    assert _indexed(tmp_path) == [("b", "Written next.")]
