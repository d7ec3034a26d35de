"""The ingest pipeline: incremental, safe, and clear about bad input."""

from __future__ import annotations

import os
import platform
import random
import signal
import subprocess
import sys
import time

import pyoxigraph as ox
import pytest

from ingest.allocator import keep_freed_memory
from ingest.pipeline import ingest
from kb.catalog import list_documents
from kb.namespaces import SHARED_GRAPH, graph_iri
from kb.service import Service
from kb.store import STAGED_GRAPHS, IngestInProgress, KnowledgeBase

from .conftest import CORPUS, ROOT, ref2014_sample, run_kb

STORE_BACKENDS = ("embedded", "remote")  # tests using corpus_kb run on both (see conftest)
CORPUS_IDS = ["apse-briefing-09-20", "ibsen-key-issues", "personal-budgets-checking-results", "scie-report-37", "york-spsw02"]
TIME_PREDICATES = ("<http://www.w3.org/ns/prov#startedAtTime>", "<http://www.w3.org/ns/prov#endedAtTime>")


def quads_of(knowledge_base: KnowledgeBase, doc_id: str | None = None) -> set[str]:
    store = knowledge_base.open_reader().store
    graph = ox.NamedNode(graph_iri(doc_id)) if doc_id else None
    return {str(q) for q in store.quads_for_pattern(None, None, None, graph)}


def without_times(quads: set[str]) -> set[str]:
    return {q for q in quads if not any(p in q for p in TIME_PREDICATES)}


def write(folder, name, text):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_corpus_gives_one_named_graph_per_document(corpus_kb):
    store = corpus_kb.open_reader().store
    graphs = sorted(g.value for g in store.named_graphs())
    assert graphs == sorted([graph_iri(i) for i in CORPUS_IDS] + [SHARED_GRAPH])
    assert [d.id for d in list_documents(store)] == CORPUS_IDS


def index_entries(knowledge_base: KnowledgeBase) -> list[dict]:
    with knowledge_base.open_reader().index.searcher() as searcher:
        return sorted(searcher.all_stored_fields(), key=lambda entry: (entry["doc_id"], entry["kind"], entry["start"], entry["end"]))


def test_an_ingest_in_two_worker_processes_gives_the_same_quads_and_index_entries(tmp_path, corpus_kb):
    other = KnowledgeBase(tmp_path / "again")
    report = ingest([CORPUS], other, n_process=2)
    assert sorted(report.added) == CORPUS_IDS and report.stages["spacy"] > 0
    assert without_times(quads_of(other)) == without_times(quads_of(corpus_kb))
    entries = index_entries(other)
    assert len(entries) > 100 and entries == index_entries(corpus_kb)


def test_graphs_staged_and_loaded_together_each_hold_exactly_their_own_triples(tmp_path):
    knowledge_base = KnowledgeBase(tmp_path / "kb")
    subject, says = ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/says")

    def ntriples(*texts: str) -> bytes:
        return ox.serialize([ox.Triple(subject, says, ox.Literal(text)) for text in texts], format=ox.RdfFormat.N_TRIPLES)

    one, two = ox.NamedNode(graph_iri("one")), ox.NamedNode(graph_iri("two"))
    tricky = 'ends a sentence .\nand goes on, "quoted" .'
    with knowledge_base.new_generation() as writer:
        writer.stage_graph(one, ntriples("old"))
    with knowledge_base.new_generation() as writer:
        writer.stage_graph(one, ntriples("new", tricky))
        writer.stage_graph(two, ntriples("two"))
        staged = writer.generation.path / STAGED_GRAPHS
        assert staged.exists() and not writer.store.contains_named_graph(one)  # the old graph goes at once
        writer.load_staged()
        assert not staged.exists()  # no copy of the graphs is left beside the store
    store = knowledge_base.open_reader().store

    def said(graph: ox.NamedNode) -> list[str]:
        return sorted(quad.object.value for quad in store.quads_for_pattern(None, None, None, graph))

    assert said(one) == sorted(["new", tricky]) and said(two) == ["two"]


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="the allocator setting is glibc's")
def test_the_ingest_can_set_glibc_to_keep_freed_memory():
    assert keep_freed_memory()


def test_unchanged_files_are_skipped_and_nothing_is_rewritten(build_kb, tmp_path):
    folder = tmp_path / "docs"
    write(folder, "a.txt", "Carers reported more choice. Costs fell by 10 per cent.")
    knowledge_base = build_kb(folder)
    generation = knowledge_base.current_name()
    report = ingest([folder], knowledge_base)
    assert report.unchanged == ["a"] and not report.changed
    assert knowledge_base.current_name() == generation


def test_a_changed_file_replaces_only_its_own_graph_and_index_entries(build_kb, tmp_path):
    folder = tmp_path / "docs"
    write(folder, "a.txt", "Carers reported more choice and control.")
    write(folder, "b.txt", "Older people reported lower well-being.")
    knowledge_base = build_kb(folder)
    b_before = quads_of(knowledge_base, "b")
    write(folder, "a.txt", "Providers were generally positive about budgets.")
    report = ingest([folder], knowledge_base)
    assert report.updated == ["a"] and report.unchanged == ["b"]
    assert without_times(quads_of(knowledge_base, "b")) == without_times(b_before)
    service = Service(knowledge_base)
    assert [h.doc_id for h in service.search("providers positive")] == ["a"]
    assert service.search("carers choice") == []
    assert "Providers were generally positive" in service.document_text("a")


def test_prune_removes_documents_whose_files_are_gone(build_kb, tmp_path):
    folder = tmp_path / "docs"
    write(folder, "a.txt", "Carers reported more choice.")
    write(folder, "b.txt", "Older people reported lower well-being.")
    knowledge_base = build_kb(folder)
    (folder / "b.txt").unlink()
    assert ingest([folder], knowledge_base).removed == []  # without --prune nothing is removed
    report = ingest([folder], knowledge_base, prune=True)
    assert report.removed == ["b"]
    assert [d.id for d in Service(knowledge_base).documents()] == ["a"]
    assert Service(knowledge_base).search("well-being") == []


def test_bad_files_are_skipped_with_one_line_each_and_nothing_is_lost(tmp_path):
    data = tmp_path / "kb"
    assert run_kb("ingest", str(CORPUS), "--data", str(data)).returncode == 0
    bad = tmp_path / "incoming"
    write(bad, "good.txt", "Personal budgets gave carers more flexibility.")
    (bad / "blob.bin").write_bytes(b"\x00\x01\x02\x03binary")
    (bad / "empty.txt").write_bytes(b"")
    (bad / "latin.txt").write_bytes("Co\u00fbt \u00a3279 per week".encode("latin-1"))
    (bad / "notes.xyz").write_text("some notes", encoding="utf-8")
    result = run_kb("ingest", str(bad), "--data", str(data))
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("kb: skipped")]
    assert len(errors) == 4
    for name, reason in [("blob.bin", "is binary"), ("empty.txt", "is empty"), ("latin.txt", "not valid UTF-8"), ("notes.xyz", "unknown file type")]:
        assert any(name in line and reason in line for line in errors), (name, errors)
    ids = [d["id"] for d in __import__("json").loads(run_kb("documents", "--json", "--data", str(data)).stdout)]
    assert ids == sorted(CORPUS_IDS + ["good"])


def test_a_second_ingest_at_the_same_time_is_refused(tmp_path):
    knowledge_base = KnowledgeBase(tmp_path / "kb")
    with knowledge_base.lock():
        result = run_kb("ingest", str(CORPUS), "--data", str(knowledge_base.path))
        with pytest.raises(IngestInProgress):
            ingest([CORPUS], knowledge_base)
    assert result.returncode == 1
    assert "another ingest is running" in result.stderr


def test_an_ingest_killed_half_way_leaves_the_knowledge_base_as_it_was(tmp_path):
    data = tmp_path / "kb"
    knowledge_base = KnowledgeBase(data)
    ingest([CORPUS], knowledge_base)
    before_generation = knowledge_base.current_name()
    before = quads_of(knowledge_base)
    sample = ref2014_sample(tmp_path / "sample.jsonl", 30)
    process = subprocess.Popen(
        [sys.executable, "-m", "kb.cli", "ingest", str(sample), "--data", str(data)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    generations = data / "generations"
    deadline = time.monotonic() + 120
    while len(list(generations.iterdir())) < 2 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    time.sleep(random.uniform(0.5, 3.0))
    assert process.poll() is None, "the ingest finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert knowledge_base.current_name() == before_generation
    assert quads_of(knowledge_base) == before
    assert Service(knowledge_base).search("carers")  # the index still answers
    report = ingest([CORPUS], knowledge_base)  # the next ingest cleans up the half-written generation
    assert not report.changed
    assert sorted(p.name for p in generations.iterdir()) == [before_generation]


def test_ref2014_sample_ingests_with_progress(tmp_path, capsys):
    sample = ref2014_sample(tmp_path / "sample.jsonl", 5, step=97)
    report = ingest([sample], KnowledgeBase(tmp_path / "kb"), show_progress=True)
    assert len(report.added) == 5 and not report.errors
    assert all(doc_id.startswith("ref2014-") for doc_id in report.added)
    progress = capsys.readouterr().err
    assert "ingest" in progress and "5/5" in progress
