"""The SPARQL result cache: repeated requests get the kept answer, different ones never do, and it
stays within its size."""

from __future__ import annotations

import pyoxigraph as ox

from kb.sparql.result_cache import ResultCache
from kb.sparql.results import QueryResult
from kb.sparql.worker import QueryRequest


def request(query: str = "SELECT * WHERE { ?s ?p ?o }", **changes) -> QueryRequest:
    fields = {"store_path": "/kb/generations/gen-1/store", "query": query, "formats": ("json",), "max_rows": 100}
    return QueryRequest(**(fields | changes))


def answer(body: bytes) -> QueryResult:
    return QueryResult(form="SELECT", format="json", media_type="application/sparql-results+json", body=body)


def test_a_repeated_request_gets_the_kept_answer_and_any_difference_misses():
    cache = ResultCache(1000)
    kept = answer(b"x" * 10)
    cache.put(request(params={"actor": ox.NamedNode("https://example.org/a")}), kept)
    assert cache.get(request(params={"actor": ox.NamedNode("https://example.org/a")})) is kept
    for other in [
        request(params={"actor": ox.NamedNode("https://example.org/b")}),
        request(params={"actor": ox.Literal("https://example.org/a")}),
        request(),
        request(store_path="/kb/generations/gen-2/store", params={"actor": ox.NamedNode("https://example.org/a")}),
        request(formats=("csv",), params={"actor": ox.NamedNode("https://example.org/a")}),
        request(default_graphs=("https://example.org/g",), params={"actor": ox.NamedNode("https://example.org/a")}),
    ]:
        assert cache.get(other) is None, other


def test_the_least_recently_used_answers_go_first_and_large_ones_are_not_kept():
    cache = ResultCache(800)  # answers of up to 100 bytes are kept
    for n in range(8):
        cache.put(request(f"ASK {{ <urn:{n}> ?p ?o }}"), answer(b"x" * 100))
    cache.get(request("ASK { <urn:0> ?p ?o }"))  # used again: now the most recent
    cache.put(request("ASK { <urn:8> ?p ?o }"), answer(b"x" * 100))
    assert cache.get(request("ASK { <urn:0> ?p ?o }")) is not None
    assert cache.get(request("ASK { <urn:1> ?p ?o }")) is None
    assert cache.get(request("ASK { <urn:8> ?p ?o }")) is not None
    cache.put(request("ASK { <urn:big> ?p ?o }"), answer(b"x" * 101))
    assert cache.get(request("ASK { <urn:big> ?p ?o }")) is None
