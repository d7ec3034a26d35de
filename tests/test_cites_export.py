"""Citation exports of ``kb cites``: each format read back by a parser and checked against the gold set.

BibTeX goes back through bibtexparser (v2) with LaTeX decoding, RIS through a small tag parser,
CSL-JSON through a structural check, CSV through the csv module; all must give the titles, years,
DOIs and authors of the hand-made gold file ``tests/gold/citations.json`` for the York case study,
and the CSV and trace must link each corroborating source to the sentences pointing to it.
"""

from __future__ import annotations

import csv
import io
import json
import re

import bibtexparser
import pytest
from bibtexparser.middlewares import LatexDecodingMiddleware

from kb.citation_export import render

from .conftest import CORPUS, ROOT, ref2014_sample, run_kb

YORK = CORPUS / "002_0aea6fbc06bec306.txt"
REFERENCE_KEYS = [
    "glendinning2008evaluation", "glendinning2009individual", "glendinning2011personalisation",
    "wilberforce2011implementing", "moran2010joining", "moran2012personalisation",
]
CSL_TYPES = {"article-journal", "report", "document"}
VERBATIM_FIELDS = ("doi", "url")  # written as is: the url package, not LaTeX, reads them


@pytest.fixture(scope="module")
def gold() -> dict:
    return json.loads((ROOT / "tests" / "gold" / "citations.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def york(service) -> list[dict]:
    return service.citation_traces("york-spsw02")


@pytest.fixture(scope="module")
def data(corpus_kb) -> str:
    return str(corpus_kb.path)


def parse_bibtex(text: str) -> list[dict[str, str]]:
    """Entries as dicts of field values, LaTeX decoded (but DOIs and URLs as written), plus key and type."""
    decoded = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    raw = bibtexparser.parse_string(text)
    assert not decoded.failed_blocks and not raw.failed_blocks
    entries = []
    for plain, verbatim in zip(decoded.entries, raw.entries):
        fields = {f.key: f.value for f in plain.fields}
        fields.update({f.key: f.value for f in verbatim.fields if f.key in VERBATIM_FIELDS})
        entries.append({**fields, "key": plain.key, "type": plain.entry_type})
    return entries


def parse_ris(text: str) -> list[dict[str, list[str]]]:
    """RIS records: each tag ('TY', 'AU', ...) to its values in order; a record ends at 'ER'."""
    records, current = [], {}
    for line in text.splitlines():
        if not line.strip():
            continue
        match = re.fullmatch(r"([A-Z][A-Z0-9])  - (.*)", line)
        assert match, f"not a RIS line: {line!r}"
        tag, value = match.groups()
        if tag == "ER":
            records.append(current)
            current = {}
        else:
            current.setdefault(tag, []).append(value)
    assert current == {}, "a record without ER"
    return records


def parse_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def record(title: str, authors: list[str]) -> dict:
    """A one-reference citation record, as ``traced_record`` gives it."""
    entry = {"id": "e1", "n": "1", "text": title, "authors": authors, "year": "2020", "title": title,
             "container": None, "publisher": "R&D Unit", "doi": "10.1000/x_y", "url": "http://example.org/a_b%20c",
             "start": 0, "end": len(title)}
    return {"document": "example", "title": None, "type": None, "references": [entry], "sources": [],
            "footnotes": [], "pointers": [], "grants": []}


# --- BibTeX


def test_bibtex_parses_back_to_the_gold_references(york, gold):
    entries = parse_bibtex(render(york, "bibtex"))
    references = entries[:6]
    assert [e["key"] for e in references] == REFERENCE_KEYS
    for entry, expected in zip(references, gold["references"]):
        assert entry["title"] == expected["title"] and entry["year"] == expected["year"]
        assert entry.get("doi") == expected["doi"]
        assert entry["author"].split(" and ") == expected["authors"]
        assert entry["note"] == f"york-spsw02, reference {expected['n']}"
    assert references[3]["type"] == "article" and references[3]["journal"] == "Social Policy & Administration"
    assert references[0]["type"] == "techreport" and references[0]["institution"] == gold["references"][0]["publisher"]


def test_bibtex_sources_keep_organisations_as_one_name(york, gold):
    sources = parse_bibtex(render(york, "bibtex"))[6:]
    assert [(s["title"], s["year"]) for s in sources] == [(g["title"], g["year"]) for g in gold["sources"]]
    assert sources[0]["key"] == "dh2008moving" and sources[0]["author"] == "DH"
    assert "author = {{House of Commons Health Committee}}" in render(york, "bibtex")
    assert len({s["key"] for s in sources}) == 10


def test_bibtex_escapes_latex_specials_and_they_parse_back():
    title = "Costs & savings: 100% of $5 for care_plans #1 {draft} ~ ^ \\ in the NHS"
    text = render([record(title, ["Smith & Jones, A.", "Office for Disability Issues"])], "bibtex")
    assert r"Costs \& savings: 100\% of \$5 for care\_plans \#1 \{draft\}" in text
    assert r"\textasciitilde{} \textasciicircum{} \textbackslash{} in the {NHS}" in text
    (entry,) = parse_bibtex(text)
    assert entry["title"].replace("\u02c6", "^") == title  # pylatexenc reads \textasciicircum as U+02C6
    assert entry["author"] == "Smith & Jones, A. and Office for Disability Issues"
    assert entry["institution"] == "R&D Unit"
    assert (entry["doi"], entry["url"]) == ("10.1000/x_y", "http://example.org/a_b%20c")


def test_bibtex_keys_stay_unique_when_works_repeat(york):
    entries = parse_bibtex(render(york + york, "bibtex"))
    keys = [e["key"] for e in entries]
    assert len(set(keys)) == len(keys) == 32
    assert keys[16] == "glendinning2008evaluation-2"


# --- RIS


def test_ris_round_trip_gives_the_gold_fields(york, gold):
    records = parse_ris(render(york, "ris"))
    assert len(records) == 16
    for ris, expected in zip(records, gold["references"] + gold["sources"]):
        assert ris["TI"] == [expected["title"]] and ris["PY"] == [expected["year"]]
        assert ris["AU"] == expected["authors"]
        assert ris.get("DO") == ([expected["doi"]] if expected["doi"] else None)
    article = records[2]
    assert article["TY"] == ["JOUR"] and article["JO"] == ["Social Policy and Society"]
    assert records[6]["TY"] == ["RPRT"] and records[6]["PB"] == ["Department of Health"]
    assert records[15]["N1"] == ["york-spsw02, corroborating source 10"]


# --- CSL-JSON


def test_csl_json_is_structurally_valid(york, gold):
    items = json.loads(render(york, "csl-json"))
    assert len({i["id"] for i in items}) == len(items) == 16
    for item in items:
        assert isinstance(item["id"], str) and item["type"] in CSL_TYPES
        assert isinstance(item["author"], list)
        for name in item["author"]:
            assert set(name) in ({"family", "given"}, {"literal"}) and all(isinstance(v, str) and v for v in name.values())
        parts = item["issued"]["date-parts"]
        assert len(parts) == 1 and all(isinstance(p, int) for p in parts[0])
    first = items[0]
    assert first["author"][0] == {"family": "Glendinning", "given": "C."}
    assert first["issued"] == {"date-parts": [[2008]]} and first["type"] == "report"
    assert [i.get("DOI") for i in items[:6]] == [r["doi"] for r in gold["references"]]
    assert items[2]["container-title"] == "Social Policy and Society" and items[2]["type"] == "article-journal"
    assert items[6]["author"] == [{"literal": "DH"}]


# --- CSV and the trace


def test_csv_has_one_row_per_source_with_its_pointer_sentences(york, gold):
    rows = parse_csv(render(york, "csv"))
    sources = [r for r in rows if r["list"] == "sources"]
    assert [r["n"] for r in sources] == [str(n) for n in range(1, 11)]
    assert [r["title"] for r in sources] == [g["title"] for g in gold["sources"]]
    assert all(r["pointer_markers"] and r["pointer_sentences"] for r in sources)
    review = sources[9]
    assert review["pointer_markers"] == "10"
    assert review["pointer_sentences"].startswith("A review10 of the published literature")
    assert len(sources[0]["pointer_sentences"].split(" | ")) == 2  # source 1 is pointed to twice
    assert [r["n"] for r in rows if r["list"] == "references"] == ["1", "2", "3", "4", "5", "6"]


def test_trace_shows_each_impact_sentence_with_its_source(york):
    trace = render(york, "trace")
    assert trace.startswith("york-spsw02 · Personalisation in social and health care")
    review = trace.index("A review10 of the published literature")
    assert trace.index("'10' -> source 10: Scottish Government Social Research (2011)", review) > review
    assert "References to the research" in trace and "DH £784,224, 1/4/2006 to 31/3/2008" in trace


# --- the command line


def test_cites_format_bibtex_on_the_command_line(data):
    result = run_kb("cites", "york-spsw02", "--format", "bibtex", "--data", data)
    assert result.returncode == 0, result.stderr
    entries = parse_bibtex(result.stdout)
    assert [e["key"] for e in entries[:6]] == REFERENCE_KEYS and len(entries) == 16


def test_cites_without_a_terminal_prints_json_and_json_is_an_alias(data):
    default = run_kb("cites", "york-spsw02", "--data", data)
    alias = run_kb("cites", "york-spsw02", "--json", "--data", data)
    explicit = run_kb("cites", "york-spsw02", "--format", "json", "--data", data)
    assert json.loads(default.stdout) == json.loads(alias.stdout) == json.loads(explicit.stdout)
    review = next(p for p in json.loads(alias.stdout)["pointers"] if p["marker"] == "10")
    assert review["sentence"]["text"].startswith("A review10 of the published literature")


def test_cites_all_csv_traces_every_ref_case_study(build_kb, tmp_path):
    sample = ref2014_sample(tmp_path / "sample.jsonl", 2, step=97)
    knowledge_base = build_kb(YORK, sample)
    data = str(knowledge_base.path)
    documents = json.loads(run_kb("documents", "--json", "--data", data).stdout)
    case_studies = {d["id"] for d in documents if d["type"] == "ref-impact-case-study"}
    result = run_kb("cites", "--all", "--format", "csv", "--data", data)
    assert result.returncode == 0, result.stderr
    rows = parse_csv(result.stdout)
    assert len(case_studies) == 3 and {r["document"] for r in rows} == case_studies
    york_sources = [r for r in rows if r["document"] == "york-spsw02" and r["list"] == "sources"]
    assert len(york_sources) == 10 and york_sources[9]["pointer_sentences"].startswith("A review10")


@pytest.mark.parametrize(
    "args, status, message",
    [
        (["cites", "no-such-doc", "--format", "csv"], 1, "no document with id 'no-such-doc'"),
        (["cites", "york-spsw02", "--all"], 2, "give a document id or --all, not both"),
        (["cites"], 2, "give a document id or --all"),
        (["cites", "york-spsw02", "--format", "endnote"], 2, "invalid choice: 'endnote'"),
        (["cites", "york-spsw02", "--json", "--format", "ris"], 2, "--json means --format json"),
    ],
)
def test_bad_cites_usage(data, args, status, message):
    result = run_kb(*args, "--data", data)
    assert result.returncode == status and message in result.stderr
    assert result.stdout == ""
