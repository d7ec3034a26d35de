"""The web app through Flask's test client: pages, JSON API, errors and escaping."""

from __future__ import annotations

import re

import pytest

from web import create_app

STORE_BACKENDS = ("embedded", "remote")  # tests using corpus_kb run on both (see conftest)


@pytest.fixture(scope="module")
def client(corpus_kb):
    app = create_app({"TESTING": True, "KB_DATA": str(corpus_kb.path)})
    return app.test_client()


def test_home_lists_the_documents(client):
    page = client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Individual budgets in social care" in html and "/doc/york-spsw02" in html
    assert "Content-Security-Policy" in page.headers


def test_search_page_links_each_hit_to_its_passage(client):
    html = client.get("/search?q=carers+quality+of+life").get_data(as_text=True)
    assert '<mark class="hit' in html
    assert "/doc/york-spsw02?start=" in html


def test_document_page_highlights_the_linked_passage(client, service):
    hit = service.search('"lower well-being"')[0]
    html = client.get(f"/doc/{hit.doc_id}?start={hit.start}&end={hit.end}").get_data(as_text=True)
    after = html.split('<mark id="passage" class="passage" tabindex="-1">', 1)[1]
    assert re.sub(r"<[^>]+>", "", after).startswith(hit.text)


def test_api_documents_and_document(client):
    documents = client.get("/api/documents").get_json()
    assert [d["id"] for d in documents][0] == "apse-briefing-09-20"
    shown = client.get("/api/documents/scie-report-37").get_json()
    assert shown["text"].startswith("Report 37: Personalisation, productivity and efficiency")


@pytest.mark.parametrize(
    "path, status",
    [
        ("/doc/no-such-doc", 404),
        ("/api/documents/no-such-doc", 404),
        ("/doc/..%2F..%2Fetc%2Fpasswd", 404),
        ("/api/search", 400),
        ("/api/search?q=carers&limit=abc", 400),
        ("/api/search?q=carers&limit=100000", 400),
        ("/api/search?q=" + "x" * 3000, 413),
        ("/doc/york-spsw02?start=notanumber", 400),
    ],
)
def test_bad_requests_get_clear_errors(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    if path.startswith("/api/"):
        assert "error" in response.get_json()


def test_what_a_user_typed_is_escaped(client):
    html = client.get("/search?q=<script>alert(1)</script>").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_query_injection_strings_are_just_text(client):
    response = client.get("/api/search?q=" + "') OR 1=1; DROP GRAPH <x> --")
    assert response.status_code == 200
    assert isinstance(response.get_json(), list)
