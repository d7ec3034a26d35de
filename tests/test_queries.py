"""The analysts' query library: every ``queries/*.rq`` parses, runs and answers what its header says.

Each query is collected by glob, so adding a file adds its tests: it parses as SPARQL 1.1 (with
rdflib's parser as well as Oxigraph's), declares its question and parameters in its header,
returns rows (or triples) on the corpus knowledge base with the default graph as the union of
all graphs, and takes each parameter bound as an RDF term in place of its default. Then one test per query checks
a fact a reader can find in the documents themselves.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.plugins.sparql import prepareQuery

from ingest.pipeline import ingest
from kb import namespaces as ns
from kb.sparql.params import bind_params
from kb.sparql.parse import parse_query
from kb.store import KnowledgeBase

from .conftest import CORPUS, ROOT

STORE_BACKENDS = ("embedded", "remote")  # tests using corpus_kb run on both (see conftest)
QUERIES = sorted((ROOT / "queries").glob("*.rq"))
PARAMETER_DEFAULT = re.compile(r'^\s*VALUES \?(\w+) \{ (<[^>]*>|"[^"]*"|[^\s{}]+) \}$', re.MULTILINE)  # one value
YORK = CORPUS / "002_0aea6fbc06bec306.txt"

CROSS_CITING_DOCUMENT = """# Carers and personal budgets: a short review

Integrating funding streams proved hard in the pilot sites (1). Carers reported a better quality of life.

## References

1. Glendinning, C., Moran, N., Challis, D. and Wilberforce, M. (2011) Personalisation and partnership: competing objectives in English adult social care? The individual budget pilot projects and the NHS, Social Policy and Society, 10, 2, 151-162. DOI: 10.1017/S1474746410000503
"""


@pytest.fixture(scope="module")
def store(corpus_kb) -> ox.Store:
    return corpus_kb.open_reader().store


@pytest.fixture(scope="module")
def cross_citing_store(tmp_path_factory) -> ox.Store:
    """The York case study and a small review citing one of its references by DOI."""
    folder = tmp_path_factory.mktemp("cross-citing")
    (folder / "docs").mkdir()
    (folder / "docs" / "carers-review.md").write_text(CROSS_CITING_DOCUMENT, encoding="utf-8")
    knowledge_base = KnowledgeBase(folder / "kb")
    report = ingest([YORK, folder / "docs"], knowledge_base)
    assert not report.errors, report.errors
    return knowledge_base.open_reader().store


@pytest.fixture(scope="module")
def gold_citations() -> dict:
    return json.loads((ROOT / "tests" / "gold" / "citations.json").read_text(encoding="utf-8"))


def query_text(name: str) -> str:
    return (ROOT / "queries" / f"{name}.rq").read_text(encoding="utf-8")


def run(store: ox.Store, text: str, **params: ox.NamedNode | ox.Literal):
    """The query's results with ``params`` bound as ``kb sparql --param`` binds them."""
    bound, substitutions = bind_params(text, parse_query(text), params)
    return store.query(bound, use_default_graph_as_union=True, substitutions=substitutions)


def answer(results) -> set:
    """Solutions (as tuples of terms) or triples, as a set to compare."""
    if isinstance(results, ox.QuerySolutions):
        return {tuple(row) for row in results}
    return set(results)


def rows(store: ox.Store, name: str, **params) -> list[dict[str, str | None]]:
    """The solutions of a named query as dicts of lexical values."""
    results = run(store, query_text(name), **params)
    names = [v.value for v in results.variables]
    return [{n: (None if row[n] is None else row[n].value) for n in names} for row in results]


def header(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("#")]


def declared_parameters(text: str) -> list[str]:
    return re.findall(r"^# Parameter: \?(\w+) — ", text, flags=re.MULTILINE)


def term(written: str) -> ox.NamedNode | ox.Literal:
    """An RDF term as a query writes its default: <iri>, "string" or an integer."""
    if written.startswith("<"):
        return ox.NamedNode(written[1:-1])
    if written.startswith('"'):
        return ox.Literal(written[1:-1])
    return ox.Literal(written, datatype=ox.NamedNode(str(ns.XSD.integer)))


def entity(key: str) -> ox.NamedNode:
    return ox.NamedNode(ns.entity_iri(key))


# --- every query


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_query_parses_as_sparql_11(path: Path):
    prepareQuery(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_query_header_states_its_question_and_parameters(path: Path):
    text = path.read_text(encoding="utf-8")
    lines = header(text)
    assert lines[0].startswith("# Question: "), lines[0]
    assert any(re.match(r"# Parameters?: ", line) for line in lines), "no '# Parameter:' or '# Parameters: none' line"
    assert declared_parameters(text) == [name for name, _ in PARAMETER_DEFAULT.findall(text)]


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_query_returns_rows_on_the_union_of_the_graphs(path: Path, store):
    results = run(store, path.read_text(encoding="utf-8"))
    assert len(list(results)) > 0


@pytest.mark.parametrize("path", [p for p in QUERIES if PARAMETER_DEFAULT.search(p.read_text(encoding="utf-8"))], ids=lambda p: p.stem)
def test_parameters_can_be_substituted_as_rdf_terms(path: Path, store):
    """Substituting a parameter's default (as `kb sparql --param` does) gives the default's answer."""
    text = path.read_text(encoding="utf-8")
    defaults = {name: term(written) for name, written in PARAMETER_DEFAULT.findall(text)}
    assert answer(run(store, text, **defaults)) == answer(run(store, text))


def test_the_library_has_at_least_fourteen_queries():
    assert len(QUERIES) >= 14


# --- one fact per query, checkable in the documents


def test_claims_about_carers_quote_the_documents(store):
    found = rows(store, "claims-about-a-population")
    assert {r["populationLabel"] for r in found} == {"carers"}
    quotes = {(r["document"], r["quote"]) for r in found}
    assert ("ibsen-key-issues", "Forty per cent of IBs were managed by informal carers.") in quotes
    assert any(d == "york-spsw02" and q.startswith("Receipt of IBs was significantly associated with positive impacts on carers'") for d, q in quotes)
    older = rows(store, "claims-about-a-population", population=ox.NamedNode(f"{ns.ID}concept/older-people"))
    assert any(r["quote"].startswith("Older people receiving individual budgets reported lower well-being") for r in older)


def test_weekly_cost_of_support_plans_individual_budgets_against_comparison_group(store):
    found = rows(store, "figures-for-a-measure")
    ib = next(r for r in found if r["figure"] == "£279 per week")
    assert (ib["document"], ib["value"], ib["unit"], ib["group"]) == ("ibsen-key-issues", "279", "GBP/week", "people with individual budgets")
    assert (ib["comparedFigure"], ib["comparedValue"], ib["comparedGroup"]) == ("£296", "296", "the comparison group")
    assert ib["sentence"].startswith("The average cost of support plans for people with individual budgets was £279 per week")
    home_care = rows(store, "figures-for-a-measure", measure=ox.Literal("average use of home care"))
    assert {(r["figure"], r["comparedFigure"]) for r in home_care} == {("£70", "£37 per week"), ("£37 per week", "£70")}


def test_documents_mentioning_the_department_of_health_with_the_sentence(store):
    found = rows(store, "documents-mentioning-an-actor")
    assert {r["document"] for r in found} == {"ibsen-key-issues", "personal-budgets-checking-results", "york-spsw02"}
    assert all(r["mentionText"] in r["sentence"] for r in found)
    assert any(r["sentence"].startswith("The Individual Budget (IB) pilots were funded by DH") for r in found)


def test_claims_attributed_to_ibsen_across_documents(store):
    found = rows(store, "claims-attributed-to-an-actor")
    quotes = {r["quote"]: r["document"] for r in found}
    claim = "Older people receiving individual budgets reported lower well-being than the comparison group not receiving an individual budget."
    assert quotes[claim] == "ibsen-key-issues"
    assert {"apse-briefing-09-20", "ibsen-key-issues", "scie-report-37", "york-spsw02"} <= set(quotes.values())
    scie = rows(store, "claims-attributed-to-an-actor", actor=entity("scie"))
    assert scie and {r["document"] for r in scie} == {"scie-report-37"}


def test_case_study_references_to_research_with_dois(store, gold_citations):
    found = rows(store, "case-study-references-to-research")
    assert [r["n"] for r in found] == ["1", "2", "3", "4", "5", "6"]
    for row, gold in zip(found, gold_citations["references"]):
        assert (row["title"], row["year"], row["doi"]) == (gold["title"], gold["year"], gold["doi"])
    assert found[2]["doiLink"] == "https://doi.org/10.1017/S1474746410000503"


def test_corroborating_sources_trace_pointer_to_entry_to_sentence(store):
    found = rows(store, "corroborating-sources-and-impact-sentences")
    review = next(r for r in found if r["marker"] == "10")
    assert review["sourceNumber"] == "10"
    assert review["source"].startswith("Scottish Government Social Research (2011) Self-Directed Support")
    assert review["sentence"].startswith("A review10 of the published literature")
    first_source = {r["sentence"] for r in found if r["sourceNumber"] == "1"}
    assert len(first_source) == 2  # source 1 is pointed to from two sentences
    assert {r["sourceNumber"] for r in found} == {str(n) for n in range(1, 11)}


def test_works_cited_by_several_documents(store, cross_citing_store):
    (report,) = rows(store, "works-cited-by-several-documents")  # York lists it, the APSE briefing names it
    assert report["workTitle"].startswith("Evaluation of the Individual Budgets Pilot Programme")
    assert set(report["citedBy"].split(", ")) == {"york-spsw02 (cites)", "apse-briefing-09-20 (discusses)"}
    (work,) = rows(cross_citing_store, "works-cited-by-several-documents")
    assert work["workDoi"] == "10.1017/S1474746410000503" and work["documentCount"] == "2"
    assert set(work["citedBy"].split(", ")) == {"carers-review (cites)", "york-spsw02 (cites)"}
    assert rows(cross_citing_store, "works-cited-by-several-documents", minDocuments=term("3")) == []


YORK_GRANTS_GBP = (784224, 114046, 91921, 12545)  # the four DH grants York's case study states


def test_grants_by_funder_totals_each_funders_grants(store):
    found = rows(store, "grants-by-funder")
    (health,) = [r for r in found if r["funder"] == "Department of Health"]
    assert (health["currency"], health["grants"], health["documents"]) == ("GBP", "4", "1")
    assert health["total"] == str(sum(YORK_GRANTS_GBP))


def test_grants_of_a_funder_lists_them_largest_first(store):
    found = rows(store, "grants-of-a-funder")  # default: the Department of Health
    assert [int(r["amount"]) for r in found] == list(YORK_GRANTS_GBP)
    main = found[0]
    assert (main["funderAsWritten"], main["currency"], main["document"]) == ("DH", "GBP", "york-spsw02")
    assert main["period"] == "1/4/2006 to 31/3/2008"
    assert main["grant"] == "IBSEN project: National Evaluation of the Individual Budget Pilot Projects"
    as_written = rows(store, "grants-of-a-funder", funder=term('"DH"'))
    assert [r["amount"] for r in as_written] == [r["amount"] for r in found]
    assert rows(store, "grants-of-a-funder", funder=term('"No Such Funder"')) == []


def test_unresolved_pointers_are_scie_report_37s(store):
    found = rows(store, "unresolved-citation-pointers")
    assert {r["document"] for r in found} == {"scie-report-37"}
    assert {r["marker"] for r in found} == {"14", "18", "25", "27", "36"}
    assert found[0]["sentence"] == "'Councils should not expect to achieve large cost savings through personal budgets alone' (14)"


def test_actors_and_roles(store):
    found = rows(store, "actors-and-roles")
    coordinated = next(r for r in found if r["role"] == "co-ordinated")
    assert (coordinated["actorLabel"], coordinated["object"]) == ("C. Glendinning", "IBSEN")
    assert coordinated["objectActor"] == "IBSEN"
    assert coordinated["sentence"].startswith("Professor Glendinning co-ordinated IBSEN")


def test_claim_provenance_names_file_checksum_activity_and_method(store):
    (found,) = rows(store, "claim-provenance")
    manifest = tomllib.loads((CORPUS / "manifest.toml").read_text(encoding="utf-8"))
    entry = next(d for d in manifest["document"] if d["id"] == "ibsen-key-issues")
    assert found["sha256"] == entry["sha256"] == "e20fd4cfb463ee80c97f4e158be52eb055b77c7b9f28460d4eb73a9fb6915136"
    assert found["sha256"] == hashlib.sha256((CORPUS / entry["file"]).read_bytes()).hexdigest()
    assert found["sourceFile"] == f"corpus/{entry['file']}"
    assert found["graph"] == ns.graph_iri("ibsen-key-issues") and found["document"] == "ibsen-key-issues"
    assert found["extractionMethod"] == "rules:claim-cues" and found["software"].startswith("carekb ")
    assert found["activity"].startswith(f"{ns.ID}activity/ingest/ibsen-key-issues/")
    assert found["startedAt"] <= found["endedAt"]


def test_construct_exports_one_documents_claims_with_provenance(store):
    triples = list(run(store, query_text("document-claims-with-provenance")))
    kbv = str(ns.KBV)
    claims = {t.subject for t in triples if t.predicate.value == str(ns.RDF.type) and t.object.value == kbv + "Claim"}
    in_document = {t.object.value for t in triples if t.predicate.value == kbv + "inDocument"}
    assert len(claims) > 50 and in_document == {ns.document_iri("ibsen-key-issues")}
    texts = {t.object.value for t in triples if t.predicate.value == str(ns.SCHEMA.text)}
    assert "Forty per cent of IBs were managed by informal carers." in texts
    checksums = {t.object.value for t in triples if t.predicate.value == kbv + "sha256"}
    assert checksums == {"e20fd4cfb463ee80c97f4e158be52eb055b77c7b9f28460d4eb73a9fb6915136"}


def test_data_quality_by_document_counts(store, service):
    counts = {r["document"]: r for r in rows(store, "data-quality-by-document")}
    york = service.document("york-spsw02")
    assert int(counts["york-spsw02"]["sentences"]) == york.sentences
    assert int(counts["york-spsw02"]["references"]) == 6 and int(counts["york-spsw02"]["sources"]) == 10
    assert int(counts["york-spsw02"]["grants"]) == 4 and int(counts["york-spsw02"]["footnotes"]) == 0
    assert int(counts["scie-report-37"]["unresolvedPointers"]) == 6
    assert set(counts) == {d.id for d in service.documents()}


COUNTED_OVER_THE_GRAPHS = """
PREFIX biro: <http://purl.org/spar/biro/>
PREFIX c4o: <http://purl.org/spar/c4o/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX doco: <http://purl.org/spar/doco/>
PREFIX kbv: <https://w3id.org/carekb/vocab#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX schema: <https://schema.org/>
SELECT ?document ?kind (COUNT(DISTINCT ?record) AS ?count) WHERE {
  ?doc a kbv:SourceDocument ; dcterms:identifier ?document .
  { VALUES (?class ?kind) { (doco:Section "sections") (doco:Sentence "sentences") }
    ?record a ?class ; oa:hasSource ?doc .
  } UNION {
    VALUES (?class ?kind) { (kbv:Figure "figures") (kbv:ActorMention "actor mentions") (kbv:ActorRole "roles")
                            (schema:MonetaryGrant "grants") }
    ?record a ?class ; kbv:inDocument ?doc .
  } UNION {
    ?record a kbv:Claim ; kbv:inDocument ?doc ; kbv:claimKind ?claimKind .
    BIND(CONCAT("claims: ", ?claimKind) AS ?kind)
  } UNION {
    ?record a biro:BibliographicReference ; kbv:inDocument ?doc ; dcterms:isPartOf/kbv:listKind ?listKind .
    BIND(CONCAT("list entries: ", ?listKind) AS ?kind)
  } UNION {
    ?record a c4o:InTextReferencePointer ; kbv:inDocument ?doc ; kbv:resolved ?resolved .
    BIND(IF(?resolved, "pointers: resolved", "pointers: unresolved") AS ?kind)
  }
} GROUP BY ?document ?kind
"""


BY_DOCUMENT_COLUMNS = {  # the table by document's columns by the kinds counting the graphs gives
    "sentences": "sentences", "sections": "sections", "figures": "figures", "actor mentions": "actorMentions",
    "roles": "roles", "grants": "grants", "claims: finding": "findings", "claims: concern": "concerns",
    "claims: recommendation": "recommendations", "claims: caveat": "caveats",
    "list entries: references": "references", "list entries: sources": "sources",
    "list entries: footnotes": "footnotes", "list entries: mentions": "worksNamed",
    "pointers: resolved": "resolvedPointers", "pointers: unresolved": "unresolvedPointers",
}


def test_the_table_by_document_reads_counts_that_agree_with_counting_the_graphs(store):
    overview = {
        (r["document"], kind): int(r[column])
        for r in rows(store, "data-quality-by-document")
        for kind, column in BY_DOCUMENT_COLUMNS.items()
        if int(r[column])
    }
    counted = {
        (row["document"].value, row["kind"].value): int(row["count"].value)
        for row in store.query(COUNTED_OVER_THE_GRAPHS, use_default_graph_as_union=True)
    }
    assert set(kind for _, kind in counted) <= set(BY_DOCUMENT_COLUMNS)
    assert len(overview) > 40 and overview == counted


def test_the_overview_adds_up_the_documents_counts_of_every_kind(store, service):
    by_document = rows(store, "data-quality-by-document")
    overview = {r["kind"]: r for r in rows(store, "data-quality-overview")}
    assert set(overview) == set(BY_DOCUMENT_COLUMNS)
    documents = len(service.documents())
    for kind, column in BY_DOCUMENT_COLUMNS.items():
        counts = [int(r[column]) for r in by_document]
        row = overview[kind]
        assert int(row["records"]) == sum(counts), kind
        assert int(row["documentsWith"]) == sum(1 for n in counts if n), kind
        assert int(row["documentsWithout"]) == documents - int(row["documentsWith"]), kind
    assert int(overview["list entries: references"]["documentsWith"]) >= 1
    assert int(overview["pointers: unresolved"]["records"]) == 6  # all of them scie-report-37's


def test_the_overview_counts_a_kind_no_document_holds_as_none(cross_citing_store):
    overview = {r["kind"]: r for r in rows(cross_citing_store, "data-quality-overview")}
    assert set(overview) == set(BY_DOCUMENT_COLUMNS)
    footnotes = overview["list entries: footnotes"]  # neither the York case study nor the review has any
    assert (footnotes["records"], footnotes["documentsWith"], footnotes["documentsWithout"]) == ("0", "0", "2")
    assert overview["list entries: references"]["documentsWith"] == "2"

def test_hedged_claims_by_document(store):
    found = rows(store, "hedged-claims-by-document")
    quotes = {r["quote"] for r in found if r["document"] == "scie-report-37"}
    assert "Using the GHQ [General Health Questionnaire] outcome measure, standard arrangements look marginally more cost-effective." in quotes
    for document in {r["document"] for r in found}:
        mine = [r for r in found if r["document"] == document]
        assert len(mine) == int(mine[0]["hedgedClaims"]) <= int(mine[0]["allClaims"])


def test_entities_mentioned_in_several_documents(store):
    found = {r["label"]: r for r in rows(store, "entities-in-several-documents")}
    ibsen = found["IBSEN"]
    assert {"apse-briefing-09-20", "scie-report-37", "york-spsw02"} <= set(ibsen["documents"].split(", "))
    assert ibsen["type"] == "Study"
    assert int(found["Department of Health"]["documentCount"]) >= 3
    widest = rows(store, "entities-in-several-documents", minDocuments=term("4"))
    assert {r["label"] for r in widest} == {"IBSEN"}


def test_sections_of_the_case_study_with_sentence_counts(store, service):
    found = rows(store, "document-sections")
    headings = [r["heading"] for r in found]
    order = ["Summary of the impact", "Underpinning research", "References to the research", "Details of the impact",
             "Sources to corroborate the impact"]
    assert [h for h in headings if h in order] == order
    assert sum(int(r["sentences"]) for r in found) <= service.document("york-spsw02").sentences
    scie = rows(store, "document-sections", document=ox.Literal("scie-report-37"))
    assert {r["document"] for r in scie} == {"scie-report-37"}


def test_claims_by_population_and_kind_agrees_with_the_claims_query(store):
    matrix = {(r["population"], r["kind"]): int(r["claims"]) for r in rows(store, "claims-by-population-and-kind")}
    carers = rows(store, "claims-about-a-population")
    for kind in {r["kind"] for r in carers}:
        assert matrix["carers", kind] == len({(r["document"], r["start"]) for r in carers if r["kind"] == kind})
