"""The ``kb`` command line, run as a user runs it: JSON contracts, formats, errors, --data."""

from __future__ import annotations

import json

import pytest
from rdflib import Dataset, Graph

from .conftest import CORPUS, run_kb

STORE_BACKENDS = ("embedded", "remote")  # tests using corpus_kb run on both (see conftest)
CORPUS_IDS = ["apse-briefing-09-20", "ibsen-key-issues", "personal-budgets-checking-results", "scie-report-37", "york-spsw02"]


@pytest.fixture(scope="module")
def data(corpus_kb) -> str:
    return str(corpus_kb.path)


def test_documents_json_lists_each_document_with_its_metadata(data):
    result = run_kb("documents", "--json", "--data", data)
    assert result.returncode == 0, result.stderr
    documents = json.loads(result.stdout)
    assert [d["id"] for d in documents] == CORPUS_IDS
    york = documents[-1]
    assert set(york) >= {"id", "title", "type", "publisher", "date", "source_file", "sha256", "characters", "sentences"}
    assert york["type"] == "ref-impact-case-study" and york["source_file"] == "corpus/002_0aea6fbc06bec306.txt"
    assert york["sentences"] > 50


def test_show_json_gives_the_canonical_text_that_offsets_index(data, service):
    shown = json.loads(run_kb("show", "ibsen-key-issues", "--json", "--data", data).stdout)
    text = shown["text"]
    assert len(text) == shown["characters"]
    hit = service.search('"lower well-being"')[0]
    assert text[hit.start : hit.end] == hit.text
    assert hit.text.startswith("Older people receiving individual budgets reported lower well-being")


@pytest.mark.parametrize("fmt, parse_as", [("trig", "trig"), ("nquads", "nquads"), ("jsonld", "json-ld")])
def test_quad_exports_parse_back_with_one_graph_per_document(data, tmp_path, fmt, parse_as):
    output = tmp_path / f"dump.{fmt}"
    result = run_kb("export", "--format", fmt, "--output", str(output), "--data", data)
    assert result.returncode == 0, result.stderr
    dataset = Dataset()
    dataset.parse(output, format=parse_as)
    graphs = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert {f"https://w3id.org/carekb/graph/{i}" for i in CORPUS_IDS} <= graphs


def test_turtle_export_of_one_document(data):
    result = run_kb("export", "--format", "turtle", "--document", "scie-report-37", "--data", data)
    graph = Graph().parse(data=result.stdout, format="turtle")
    assert len(graph) > 100
    assert "@prefix oa:" in result.stdout


def test_stats_json_counts(data):
    stats = json.loads(run_kb("stats", "--json", "--data", data).stdout)
    assert stats["documents"] == 5 and stats["named_graphs"] == 6
    assert stats["triples"] > 5000 and stats["index_entries"] > stats["sentences"]


def test_search_marks_the_matched_words(data):
    result = run_kb("search", "carers quality of life", "--limit", "3", "--data", data)
    assert result.returncode == 0
    assert "[carers]" in result.stdout and "york-spsw02" in result.stdout


def test_data_folder_comes_from_kb_data_when_not_given(data):
    result = run_kb("documents", "--json", env={"KB_DATA": data})
    assert [d["id"] for d in json.loads(result.stdout)] == CORPUS_IDS


@pytest.mark.parametrize(
    "args, status, message",
    [
        (["show", "no-such-doc"], 1, "no document with id 'no-such-doc'"),
        (["export", "--document", "no-such-doc"], 1, "no document with id"),
        (["export", "--format", "rdfxml"], 2, "invalid choice"),
        (["search", "carers", "--limit", "0"], 2, "0 is not between 1 and 1000"),
        (["search", "carers", "--limit", "many"], 2, "'many' is not a whole number"),
        (["frobnicate"], 2, "invalid choice"),
    ],
)
def test_bad_usage_gets_a_one_line_reason_and_status(data, args, status, message):
    result = run_kb(*args, "--data", data)
    assert result.returncode == status
    assert message in result.stderr


def test_commands_on_an_empty_folder_say_to_ingest_first(tmp_path):
    result = run_kb("documents", "--data", str(tmp_path / "nothing"))
    assert result.returncode == 1
    assert "run `kb ingest corpus" in result.stderr


def test_ingest_json_report(tmp_path):
    result = run_kb("ingest", str(CORPUS / "003_d97424006fd71a2e.txt"), "--json", "--data", str(tmp_path / "kb"))
    report = json.loads(result.stdout)
    assert report["added"] == ["scie-report-37"] and report["errors"] == []
