"""The extraction commands' JSON contracts: entities, figures, claims and cites, offsets included."""

from __future__ import annotations

import json

import pytest

from .conftest import run_kb

STORE_BACKENDS = ("embedded", "remote")  # tests using corpus_kb run on both (see conftest)


@pytest.fixture(scope="module")
def data(corpus_kb) -> str:
    return str(corpus_kb.path)


@pytest.fixture(scope="module")
def texts(service) -> dict[str, str]:
    return {d.id: service.document_text(d.id) for d in service.documents()}


def kb_json(*args):
    result = run_kb(*args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_entities_merge_names_across_documents(data):
    entities = kb_json("entities", "--json", "--data", data)
    assert all(set(e) >= {"id", "label", "type", "aliases", "documents", "mentions"} for e in entities)
    by_label = {e["label"]: e for e in entities}
    dh = by_label["Department of Health"]
    assert "DH" in dh["aliases"] and {"ibsen-key-issues", "york-spsw02"} <= set(dh["documents"])
    ibsen = next(e for e in entities if "Individual Budgets Evaluation Network" in e["aliases"] or e["label"] == "IBSEN")
    assert {"ibsen-key-issues", "apse-briefing-09-20", "york-spsw02", "scie-report-37"} <= set(ibsen["documents"])
    glendinning = next(e for e in entities if "Professor Glendinning" in e["aliases"] + [e["label"]])
    assert glendinning["type"] == "person" and "Glendinning, C." in glendinning["aliases"] + [glendinning["label"]]


def test_figures_carry_value_unit_group_and_comparator(data, texts):
    figures = kb_json("figures", "--document", "ibsen-key-issues", "--json", "--data", data)
    by_text = {f["text"]: f for f in figures}
    ib, comparison = by_text["£279 per week"], by_text["£296"]
    assert (ib["value"], ib["unit"], comparison["unit"]) == (279, "GBP/week", "GBP/week")
    assert ib["comparator"] == comparison["id"] and comparison["comparator"] == ib["id"]
    assert "individual budgets" in ib["group"] and "comparison group" in comparison["group"]
    assert by_text["Forty per cent"]["value"] == 40 and by_text["9 out of 130"]["unit"] == "ratio"
    for f in figures:
        assert texts[f["document"]][f["start"] : f["end"]] == f["text"]


def test_claims_about_a_population_with_attribution(data, texts):
    claims = kb_json("claims", "--about", "older people", "--json", "--data", data)
    quote = "Older people receiving individual budgets reported lower well-being than the comparison group not receiving an individual budget."
    claim = next(c for c in claims if c["text"] == quote)
    assert claim["kind"] == "finding" and "older-people" in claim["populations"]
    assert claim["attributed_to"] == "IBSEN" and claim["section"] == "Findings about older people"
    assert {"apse-briefing-09-20", "york-spsw02", "scie-report-37"} <= {c["document"] for c in claims}
    for c in claims:
        assert texts[c["document"]][c["start"] : c["end"]] == c["text"]


def test_cites_gives_the_case_study_evidence_trail(data, texts):
    record = kb_json("cites", "york-spsw02", "--json", "--data", data)
    assert [r["n"] for r in record["references"]] == ["1", "2", "3", "4", "5", "6"]
    assert record["references"][2]["doi"] == "10.1017/S1474746410000503"
    assert record["references"][3]["doi"] == "10.1111/j.1467-9515.2011.00788.x"
    assert len(record["sources"]) == 10
    review = next(p for p in record["pointers"] if p["marker"] == "10")
    assert review["target"] == "10" and review["list"] == "sources"
    assert texts["york-spsw02"][review["start"] - 6 : review["end"]] == "review10"
    grants = {g["amount"]: g for g in record["grants"]}
    assert grants[784224]["funder"] == "DH" and grants[784224]["period"] == "1/4/2006 to 31/3/2008"


def test_unresolved_and_footnote_pointers(data):
    scie = kb_json("cites", "scie-report-37", "--json", "--data", data)
    assert {p["marker"] for p in scie["pointers"]} >= {"14", "27", "36", "18", "25"}
    assert all(p["target"] is None for p in scie["pointers"])
    lgid = kb_json("cites", "personal-budgets-checking-results", "--json", "--data", data)
    assert [f["n"] for f in lgid["footnotes"]] == ["1", "2", "3"]
    assert {p["target"] for p in lgid["pointers"] if p["style"] == "superscript"} == {"1", "2", "3"}


@pytest.mark.parametrize(
    "args, message",
    [
        (["figures", "--document", "nope"], "no document with id 'nope'"),
        (["claims", "--document", "nope"], "no document with id 'nope'"),
        (["cites", "nope"], "no document with id 'nope'"),
    ],
)
def test_unknown_documents_are_named(data, args, message):
    result = run_kb(*args, "--data", data)
    assert result.returncode == 1 and message in result.stderr


def test_claims_about_an_unknown_term_is_an_empty_list(data):
    assert kb_json("claims", "--about", "'; DROP ALL; --", "--json", "--data", data) == []


def test_a_work_cited_in_one_document_and_discussed_in_another_is_one_resource(data):
    york = kb_json("cites", "york-spsw02", "--json", "--data", data)
    apse = kb_json("cites", "apse-briefing-09-20", "--json", "--data", data)
    mention = next(m for m in apse["mentions"] if m["title"] == "Evaluation of the Individual Budgets Pilot Programme")
    final_report = york["references"][0]
    assert final_report["title"].startswith("Evaluation of the Individual Budgets Pilot Programme")
    store_rows = run_kb(
        "export", "--format", "nquads", "--data", data
    ).stdout
    work = "<https://w3id.org/carekb/id/work/title-evaluation-of-the-individual-budgets-pilot-programme>"
    assert f"<https://w3id.org/carekb/id/doc/york-spsw02> <http://purl.org/spar/cito/cites> {work}" in store_rows
    assert f"<https://w3id.org/carekb/id/doc/apse-briefing-09-20> <http://purl.org/spar/cito/discusses> {work}" in store_rows
    assert mention["start"] < mention["end"]
