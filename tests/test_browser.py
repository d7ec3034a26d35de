"""End-to-end flows in a real browser (Playwright driving Debian's chromium) against the live server.

Without chromium these tests skip with the reason; with ``KB_REQUIRE_BROWSER=1`` (set by
``.ci/run``) a missing browser is a failure instead. Each flow keeps a screenshot in
``tests/artifacts/`` (git-ignored).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        reason = "Debian's chromium is not installed (apt-get install chromium); browser flows not run"
        if os.environ.get("KB_REQUIRE_BROWSER") == "1":
            pytest.fail(f"KB_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    opened = context.new_page()
    yield opened
    context.close()


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def in_viewport(page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    viewport = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + min(box["height"], 40) <= viewport["height"]


def test_ask_a_question_and_open_the_quote_in_its_source(page, live_server):
    page.goto(live_server.url + "/")
    page.get_by_label("Your question").fill("What did IBSEN find for carers?")
    page.keyboard.press("Enter")
    page.wait_for_selector("li.quote")
    first = page.locator("li.quote").first
    quote = first.locator("blockquote").inner_text()
    assert "carer" in quote.lower()
    assert first.locator("mark.hit").count() >= 1
    screenshot(page, "ask-answer")
    first.get_by_role("link", name="open in source").click()
    page.wait_for_selector("mark#passage")
    assert page.url.endswith("#passage")
    assert page.locator("mark#passage").inner_text() == quote
    assert in_viewport(page, "mark#passage")
    screenshot(page, "ask-open-in-source")


def test_no_evidence_is_said_plainly(page, live_server):
    page.goto(live_server.url + "/ask?q=What+is+the+boiling+point+of+mercury%3F")
    assert "hold no evidence" in page.locator("p.no-answer").inner_text()
    assert page.locator("li.quote").count() == 0


def test_case_study_citations_export_bibtex(page, live_server, tmp_path):
    import bibtexparser

    page.goto(live_server.url + "/doc/york-spsw02")
    page.get_by_role("link", name="citation trace").click()
    page.wait_for_selector("h2#sources-h")
    assert "A review10 of the published literature" in page.content()
    screenshot(page, "citations")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="BibTeX").click()
    target = tmp_path / "york.bib"
    download_info.value.save_as(target)
    library = bibtexparser.parse_string(target.read_text(encoding="utf-8"))
    dois = {entry.fields_dict["doi"].value for entry in library.entries if "doi" in entry.fields_dict}
    assert "10.1017/S1474746410000503" in dois
    assert len(library.entries) >= 16


def test_keyboard_only_user_can_ask(page, live_server):
    page.goto(live_server.url + "/")
    # the question box takes the focus: Chromium applies autofocus in a rendering step that may come
    # after the load event, so wait for it (up to 5 s) instead of reading the focus at once
    page.wait_for_function("document.activeElement && document.activeElement.id === 'question'", timeout=5000)
    page.keyboard.type("Did personal budgets save money?")
    page.keyboard.press("Enter")
    page.wait_for_selector("li.quote")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") in {"A", "INPUT", "BUTTON"}


def test_pages_are_readable_on_a_phone(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = context.new_page()
    phone.goto(live_server.url + "/ask?q=How+did+older+people+fare%3F")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, f"page scrolls sideways on a phone ({width}px)"
    screenshot(phone, "phone-answer")
    context.close()


def test_run_an_example_sparql_query_and_download_csv(page, live_server, tmp_path):
    import csv

    page.goto(live_server.url + "/sparql")
    assert "PREFIX kbv:" in page.locator("#sparql-query").input_value()
    page.get_by_role("link", name="Which grants did a funder give, for how much, when, and stated in which document?").click()
    page.wait_for_selector("table.results tbody tr")
    assert "784224" in page.locator("table.results").inner_text()
    screenshot(page, "sparql-example")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    target = tmp_path / "grants.csv"
    download_info.value.save_as(target)
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert any(r["amount"] == "784224" and r["funderAsWritten"] == "DH" for r in rows)


def test_a_syntax_error_is_shown_on_the_query_page(page, live_server):
    page.goto(live_server.url + "/sparql")
    page.locator("#sparql-query").fill("SELECT ?s WHERE { ?s ?p }")
    page.get_by_role("button", name="Run query").click()
    assert "line 1" in page.get_by_role("alert").inner_text()
