"""Every page and download of the web app through Flask's test client."""

from __future__ import annotations

import csv
import io

import pytest
from rdflib import Dataset, Graph

from web import create_app

STORE_BACKENDS = ("embedded", "remote")  # tests using corpus_kb run on both (see conftest)


@pytest.fixture(scope="module")
def client(corpus_kb):
    return create_app({"TESTING": True, "KB_DATA": str(corpus_kb.path)}).test_client()


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def test_home_has_the_question_box_and_examples(client):
    html = page(client, "/")
    assert '<form class="ask" action="/ask"' in html
    assert "/ask?q=What+did+IBSEN+find+for+carers?" in html


def test_answer_page_groups_quotes_by_source_with_links_to_passages(client):
    html = page(client, "/ask?q=What+did+IBSEN+find+for+carers%3F")
    assert '<section class="source">' in html and "open in source" in html
    assert '<mark class="hit">carers</mark>' in html
    assert "/doc/" in html and "#passage" in html


def test_answer_page_for_a_figure_question_shows_the_figures_and_a_chart(client):
    html = page(client, "/ask?q=What+was+the+weekly+cost+of+support+plans%3F")
    assert "£279 per week" in html and "£296" in html
    assert "<svg" in html and 'class="bar bar-0"' in html


def test_answer_page_says_plainly_when_there_is_no_evidence(client):
    html = page(client, "/ask?q=What+is+the+boiling+point+of+mercury%3F")
    assert "hold no evidence" in html and "open in source" not in html


def test_empty_question_goes_home(client):
    assert client.get("/ask?q=").status_code == 302


def test_document_page_marks_claims_figures_actors_and_pointers(client):
    html = page(client, "/doc/york-spsw02")
    assert 'class="claim claim-finding"' in html
    assert '<a class="actor" href="/entity/ibsen"' in html
    assert 'class="pointer"' in html and 'href="#entry-sources-10"' in html
    assert 'id="entry-sources-10"' in html
    html = page(client, "/doc/ibsen-key-issues")
    assert '<mark class="figure"' in html and "£279 per week</mark>" in html


def test_document_graph_downloads_parse(client):
    for ext, fmt in (("ttl", "turtle"), ("nq", "nquads"), ("jsonld", "json-ld")):
        response = client.get(f"/doc/scie-report-37/graph.{ext}")
        assert response.status_code == 200
        dataset = Dataset()
        dataset.parse(data=response.data, format=fmt)
        assert sum(len(g) for g in dataset.graphs()) > 100
    assert client.get("/doc/scie-report-37/graph.exe").status_code == 404


def test_entity_page_shows_names_roles_claims_and_mentions(client):
    html = page(client, "/entity/social-policy-research-unit")
    assert "SPRU" in html and "<strong>led</strong>" in html
    html = page(client, "/entity/ibsen")
    assert "Claims attributed to IBSEN" in html
    assert "Older people receiving individual budgets reported lower well-being" in html


def test_entities_page_filters_by_type(client):
    html = page(client, "/entities?type=person")
    assert "Glendinning" in html and ">Department of Health<" not in html


def test_figures_page_filters_and_csv(client):
    html = page(client, "/figures?measure=support+plans")
    assert "£279 per week" in html and "Forty per cent" not in html
    rows = list(csv.DictReader(io.StringIO(page(client, "/figures.csv?document=ibsen-key-issues"))))
    assert {"document", "text", "value", "unit", "measure", "group", "comparator"} <= set(rows[0])
    assert any(r["text"] == "9 out of 130" and r["unit"] == "ratio" for r in rows)


def test_citations_page_traces_sources_to_impact_sentences(client):
    html = page(client, "/doc/york-spsw02/citations")
    assert "Sources to corroborate the impact (10)" in html
    assert "A review10 of the published literature" in html
    assert "doi:10.1017/S1474746410000503" in html
    assert "£784,224" in html
    assert "also in:" in html  # the IBSEN final report is discussed by the APSE briefing too


@pytest.mark.parametrize("fmt, marker", [("bibtex", "@"), ("ris", "TY  - "), ("csv", "document"), ("csl-json", '"type"')])
def test_citation_exports(client, fmt, marker):
    response = client.get(f"/doc/york-spsw02/citations.{fmt}")
    assert response.status_code == 200 and marker in response.get_data(as_text=True)
    assert "attachment" in response.headers["Content-Disposition"]


@pytest.mark.parametrize(
    "path, accept, status, media_type",
    [
        ("/id/doc/york-spsw02", "text/html", 303, None),
        ("/id/doc/york-spsw02", "text/turtle", 200, "text/turtle"),
        ("/id/entity/ibsen", "application/ld+json", 200, "application/ld+json"),
        ("/id/entity/no-such-thing", "text/turtle", 404, None),
        ("/void", "text/turtle", 200, "text/turtle"),
    ],
)
def test_linked_data_content_negotiation(client, path, accept, status, media_type):
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == status
    if media_type:
        assert response.mimetype == media_type
        Graph().parse(data=response.data, format="json-ld" if "json" in media_type else "turtle")


def test_claim_iri_redirects_browsers_to_the_passage(client, service):
    claim = next(c for c in service.claims("ibsen-key-issues") if "lower well-being" in c["text"])
    path = claim["id"].replace("https://w3id.org/carekb", "")
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/doc/ibsen-key-issues?start={claim['start']}&end={claim['end']}#passage")


def test_void_names_this_servers_endpoint(client):
    graph = Graph().parse(data=client.get("/void").data, format="turtle")
    endpoints = {str(o) for o in graph.objects(None, None) if str(o).endswith("/sparql")}
    assert endpoints == {"http://localhost/sparql"}


@pytest.mark.parametrize(
    "path, status",
    [
        ("/entity/<script>", 404),
        ("/doc/york-spsw02/citations.exe", 404),
        ("/doc/nope/citations", 404),
        ("/figures?document=nope", 404),
        ("/ask?q=" + "x" * 3000, 413),
        ("/ask?q=carers&limit=0", 400),
    ],
)
def test_bad_requests(client, path, status):
    assert client.get(path).status_code == status


def test_typed_markup_is_escaped_everywhere(client):
    for path in ("/ask?q=<img src=x onerror=alert(1)>", "/figures?measure=<script>x</script>", "/entities?type=<b>"):
        html = client.get(path).get_data(as_text=True)
        assert "<img src=x" not in html and "<script>x" not in html and "<b>" not in html.split("<main", 1)[1]


def test_evidence_map_matrix_and_cell(client):
    html = page(client, "/evidence")
    assert '<table class="evidence-map">' in html
    assert html.count('<td class="cell') == 8 * 10
    html = page(client, "/evidence?population=older-people&topic=well-being")
    assert '<section id="cell"' in html
    assert "Older people receiving individual budgets reported lower well-being" in html
    assert "Individualised budgets can adversely affect the wellbeing of the elderly." in html
    assert client.get("/evidence?population=pets&topic=well-being").status_code == 400


def test_show_as_sparql_returns_the_same_evidence(client):
    import html as html_module
    import json
    import re

    html = page(client, "/ask?q=How+did+older+people+fare+with+individual+budgets%3F")
    link = html_module.unescape(re.search(r'class="show-sparql" href="([^"]+)"', html).group(1))
    quotes = [html_module.unescape(re.sub(r"<[^>]+>", "", q)) for q in re.findall(r"<blockquote>(.*?)</blockquote>", html, re.S)]
    results = json.loads(client.get(link, headers={"Accept": "application/sparql-results+json"}).data)
    from_graph = [b["quote"]["value"] for b in results["results"]["bindings"]]
    assert sorted(from_graph) == sorted(quotes)
