"""The evidence map on the corpus: the issue's example cells, the claim records and their links,
agreement, the graph it is read from, `kb evidence` (JSON contract, matrix, bad input), the
SPARQL query that gives the same cells, and the quality bar against tests/gold/evidence_map.json."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from kb import namespaces as ns
from kb.evidence_map import AGREEMENTS, UnknownConcept, agreement, evidence_cells, passage_url

from .conftest import ROOT, run_kb
from .eval_evidence import evidence_report

CELL_KEYS = {"population", "population_label", "topic", "topic_label", "agreement", "documents", "claims"}
CLAIM_KEYS = {
    "id", "text", "document", "direction", "direction_cue", "evidence_kind", "evidence_cue", "topic_cue",
    "population_cue", "start", "end", "url",
}


@pytest.fixture(scope="module")
def cells(service) -> dict:
    return {(c["population"], c["topic"]): c for c in service.evidence()}


def quotes(cell: dict) -> dict[tuple[str, str], str]:
    """(document, first words) -> direction."""
    return {(c["document"], " ".join(c["text"].split()[:6])): c["direction"] for c in cell["claims"]}


# --- The examples.

def test_older_people_well_being_sources_agree_it_is_worse(cells):
    cell = cells[("older-people", "well-being")]
    assert cell["agreement"] == "agree"
    found = quotes(cell)
    assert found[("ibsen-key-issues", "Older people receiving individual budgets reported")] == "worse"
    assert found[("apse-briefing-09-20", "Individualised budgets can adversely affect the")] == "worse"
    assert {c["direction"] for c in cell["claims"]} == {"worse"}


def test_older_people_elsewhere_in_the_map(cells):
    assert quotes(cells[("older-people", "satisfaction")])[("york-spsw02", "However, there were variations in outcomes")] == "worse"
    scie = quotes(cells[("older-people", "cost-effectiveness")])
    assert scie[("scie-report-37", "For older people, there is no")] == "no difference"
    assert cells[("older-people", "cost-effectiveness")]["agreement"] == "agree"


def test_carers_well_being_sources_pull_apart(cells):
    cell = cells[("carers", "well-being")]
    assert cell["agreement"] == "disagree"
    found = quotes(cell)
    assert found[("york-spsw02", "Receipt of IBs was significantly associated")] == "better"
    assert found[("ibsen-key-issues", "Some carers, especially parents of people")] == "worse"


# --- The cells and their claims.

def test_every_population_and_topic_has_a_cell(service, cells):
    assert len(cells) == 8 * 10
    assert all(set(cell) == CELL_KEYS and cell["agreement"] in AGREEMENTS for cell in cells.values())
    assert cells[("older-people", "health-service-use")] == {
        "population": "older-people", "population_label": "older people", "topic": "health-service-use",
        "topic_label": "health service use", "agreement": "none", "documents": [], "claims": [],
    }


def test_claims_quote_their_documents_and_link_to_the_passage(service, cells):
    texts = {}
    for cell in cells.values():
        for claim in cell["claims"]:
            assert set(claim) == CLAIM_KEYS
            text = texts.setdefault(claim["document"], service.document_text(claim["document"]))
            assert text[claim["start"] : claim["end"]] == claim["text"]
            assert claim["url"] == f"/doc/{claim['document']}?start={claim['start']}&end={claim['end']}#passage"
            assert claim["direction"] in ("better", "worse", "no difference", "mixed", "descriptive")
            assert (claim["direction_cue"] is None) == (claim["direction"] == "descriptive")


def test_one_population_or_topic_by_key_label_or_wording(service):
    by_label = service.evidence(population="Older People", topic="wellbeing")
    assert [(c["population"], c["topic"]) for c in by_label] == [("older-people", "well-being")]
    assert len(service.evidence(topic="cost")) == 8
    assert len(service.evidence(population="the elderly")) == 10


def test_unknown_names_list_the_choices(service):
    with pytest.raises(UnknownConcept, match="choose one of .*older-people.*councils"):
        service.evidence(population="martians")
    with pytest.raises(UnknownConcept, match="well-being"):
        service.evidence(topic="happiness index")


@pytest.mark.parametrize(
    "directions, expected",
    [
        ([], "none"),
        ([("a", "better"), ("a", "worse")], "single"),
        ([("a", "worse"), ("b", "worse"), ("b", "no difference")], "agree"),
        ([("a", "better"), ("b", "descriptive"), ("c", "mixed")], "agree"),
        ([("a", "better"), ("b", "worse")], "disagree"),
        ([("a", "better"), ("b", "no difference")], "disagree"),
    ],
)
def test_agreement(directions, expected):
    assert agreement([{"document": d, "direction": x} for d, x in directions]) == expected


def test_evidence_cells_from_records():
    judgement = {"id": "c", "text": "t", "document": "d", "population": "carers", "topic": "cost", "direction": "worse",
                 "direction_cue": "w", "evidence_kind": "survey", "evidence_cue": "s", "topic_cue": "cost",
                 "population_cue": None, "start": 3, "end": 9}
    cell = next(c for c in evidence_cells([judgement]) if c["claims"])
    assert (cell["population"], cell["topic"], cell["agreement"]) == ("carers", "cost", "single")
    assert cell["claims"][0]["url"] == passage_url("d", 3, 9) == "/doc/d?start=3&end=9#passage"


# --- The graph: judgements, and the topic scheme in the shared graph.

def test_the_graph_holds_judgements_with_their_cues(corpus_kb):
    store = corpus_kb.open_reader().store
    claim = ox.NamedNode(ns.span_iri("ibsen-key-issues", "claim", 2186, 2315))
    judgement = ox.NamedNode(f"{claim.value}/judgement/older-people/well-being")
    quads = {(q.predicate.value, q.object.value) for q in store.quads_for_pattern(judgement, None, None)}
    assert (str(ns.KBV.direction), "worse") in quads
    assert (str(ns.KBV.directionCue), "lower well-being") in quads
    assert (str(ns.KBV.onTopic), f"{ns.ID}concept/well-being") in quads
    about = {q.object.value for q in store.quads_for_pattern(claim, ox.NamedNode(str(ns.KBV.aboutTopic)), None)}
    assert about == {f"{ns.ID}concept/well-being"}


def test_the_shared_graph_holds_the_topic_scheme(corpus_kb):
    store = corpus_kb.open_reader().store
    labels = {
        row["label"].value
        for row in store.query(
            "SELECT ?label WHERE { GRAPH ?g { ?c <http://www.w3.org/2004/02/skos/core#inScheme> <%sconcept/topics> ; "
            "<http://www.w3.org/2004/02/skos/core#prefLabel> ?label } }" % ns.ID
        )
    }
    assert "choice and control" in labels and len(labels) == 10


# --- The SPARQL query gives the same cells.

def test_the_query_gives_the_services_cells(corpus_kb, service):
    store = corpus_kb.open_reader().store
    query = (ROOT / "queries" / "evidence-map.rq").read_text(encoding="utf-8")
    rows = {
        (r["population"].value.rsplit("/", 1)[-1], r["topic"].value.rsplit("/", 1)[-1], r["claim"].value, r["direction"].value, r["agreement"].value)
        for r in store.query(query, use_default_graph_as_union=True)
    }
    served = {
        (cell["population"], cell["topic"], claim["id"], claim["direction"], cell["agreement"])
        for cell in service.evidence()
        for claim in cell["claims"]
    }
    assert rows == served and len(rows) > 50


# --- `kb evidence`.

def test_cli_json_contract(corpus_kb):
    result = run_kb("evidence", "--population", "carers", "--topic", "well-being", "--json", "--data", str(corpus_kb.path))
    assert result.returncode == 0, result.stderr
    [cell] = json.loads(result.stdout)
    assert set(cell) == CELL_KEYS and cell["agreement"] == "disagree"
    assert all(set(claim) == CLAIM_KEYS for claim in cell["claims"])


def test_cli_prints_a_matrix_and_the_claims_of_a_selection(corpus_kb):
    matrix = run_kb("evidence", "--data", str(corpus_kb.path))
    assert matrix.returncode == 0, matrix.stderr
    assert "older people" in matrix.stdout and "Topics: 1 well-being, 2 satisfaction" in matrix.stdout
    one = run_kb("evidence", "--population", "older-people", "--topic", "well-being", "--data", str(corpus_kb.path))
    assert "older people × well-being: agree" in one.stdout and "(cue: lower well-being)" in one.stdout


def test_cli_bad_population_is_a_usage_error(corpus_kb):
    result = run_kb("evidence", "--population", "martians", "--data", str(corpus_kb.path))
    assert result.returncode == 2
    assert result.stderr.startswith("kb: unknown population 'martians': choose one of older-people, carers")
    assert result.stdout == ""


# --- The quality bar.

def test_quality_against_the_gold_map(service):
    report = evidence_report(service)
    assert report["membership (gold cells)"]["f1"] >= 0.8, report
    assert report["direction"]["accuracy"] >= 0.85, report
    assert report["cells"]["recall"] == 1.0, report
