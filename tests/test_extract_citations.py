"""Tests for citation extraction: entry parsing, list splitting, pointers, the corpus and REF2014."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.extract.citations import extract_citations, find_doi, split_authors
from ingest.readers import read_path
from ingest.segment import parse_documents, segment_document

from .conftest import REF2014

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold" / "citations.json"


def corpus_doc(nlp, name: str):
    path = next((ROOT / "corpus").glob(f"{name}_*.txt"))
    return next(parse_documents([segment_document(read_path(str(path))[0])], nlp))


@pytest.fixture(scope="module")
def york(nlp):
    parsed = corpus_doc(nlp, "002")
    return parsed, *extract_citations(parsed)


def as_sources(text: str) -> str:
    return f"Sources to corroborate the impact\n\n{text}\n"


# --- DOIs, as REF2014 writes them.
@pytest.mark.parametrize(
    "text, doi",
    [
        ("Social Policy and Society, 10, 2, 151-162. DOI: 10.1017/S1474746410000503", "10.1017/S1474746410000503"),
        ("http://onlinelibrary.wiley.com/doi/10.1111/j.1467-9515.2011.00788.x/abstract", "10.1111/j.1467-9515.2011.00788.x"),
        ("http://www.tandfonline.com/doi/full/10.1080/01900692.2010.540701", "10.1080/01900692.2010.540701"),
        ("http://dx.doi.org/10.1080/13639080802580336", "10.1080/13639080802580336"),
        ("https://doi.org/10.1093/bjsw/bcr075.", "10.1093/bjsw/bcr075"),
        ("doi:10.1016/j.solener.2008.08.014", "10.1016/j.solener.2008.08.014"),
        # broken by a space after the slash, after the prefix, or at a wrapped hyphen
        ("10.1017/ S1474746410000503", "10.1017/S1474746410000503"),
        ("doi: 10. 1093/jel/eqq032", "10.1093/jel/eqq032"),
        ("DOI: 10.1111/j.1740- 9713.2009.00351.x.", "10.1111/j.1740-9713.2009.00351.x"),
        # glued to a note, or closing a bracket
        ("10.1016/j.solener.2004.04.021(Solar Energy journal)", "10.1016/j.solener.2004.04.021"),
        ("(DOI 10.5206/tjr.2013.1.2.2)", "10.5206/tjr.2013.1.2.2"),
        ("http://bjsw.oxfordjournals.org/content/early/2011/06/07/bjsw.bcr075", None),
    ],
)
def test_find_doi(text, doi):
    assert find_doi(text) == doi


# --- Authors as written; an organisation is one author; "et al." is kept.
@pytest.mark.parametrize(
    "part, authors",
    [
        ("Glendinning, C., Moran, N. and Wilberforce, M.", ("Glendinning, C.", "Moran, N.", "Wilberforce, M.")),
        ("Fernandez, J-L., Jones, K.", ("Fernandez, J-L.", "Jones, K.")),
        ("Routledge, M. and Carr, S.", ("Routledge, M.", "Carr, S.")),
        ("J. L. Hutton and P. F. Monaghan", ("J. L. Hutton", "P. F. Monaghan")),
        ("Mondol JD, Yohanis Y, Smyth M", ("Mondol JD", "Yohanis Y", "Smyth M")),
        ("Alexander SPH et al.", ("Alexander SPH", "et al.")),
        ("DH", ("DH",)),
        ("Audit Commission", ("Audit Commission",)),
        ("House of Commons Health Committee", ("House of Commons Health Committee",)),
        ("Social Policy and Society, 10", ()),
    ],
)
def test_split_authors(part, authors):
    assert split_authors(part) == authors


# --- Single entries in each numbering style REF2014 uses.
@pytest.mark.parametrize(
    "body, ns",
    [
        ("1. Smith, J. (2008) A title, Journal of Things, 3, 1-2.\n\n2. Jones, K. (2009) Another, London, DH.", ["1", "2"]),
        ("[1] Smith, J. (2008) A title.\n\n[2] Jones, K. (2009) Another.", ["1", "2"]),
        ("(1) Smith, J. (2008) A title.\n\n(2) Jones, K. (2009) Another.", ["1", "2"]),
        ("1) Smith, J. (2008) A title.\n\n2) Jones, K. (2009) Another.", ["1", "2"]),
        ("3.1) Smith J. (2008) A title.\n\n3.2) Jones K. (2009) Another.", ["3.1", "3.2"]),
        ("[3.1] Smith, J. (2008) A title.\n\n[3.2] Jones, K. (2009) Another.", ["3.1", "3.2"]),
        ("R1. Smith, J. (2008) A title.\n\nR2. Jones, K. (2009) Another.", ["R1", "R2"]),
        ("[A] Smith, J. (2008) A title.\n\n[B] Jones, K. (2009) Another.", ["A", "B"]),
        ("A. Smith, J. (2008) A title.\n\nB. Jones, K. (2009) Another.", ["A", "B"]),
        ("a. Smith, J. (2008) A title.\n\nb. Jones, K. (2009) Another.", ["a", "b"]),
        ("a) Smith, J. (2008) A title.\n\nb) Jones, K. (2009) Another.", ["a", "b"]),
        ("i. Smith, J. (2008) A title.\n\nii. Jones, K. (2009) Another.", ["i", "ii"]),
        # bullets and unnumbered blocks: sources are numbered by position
        ("- Smith, J. (2008) A title.\n- Jones, K. (2009) Another.", ["1", "2"]),
        ("Smith, J. (2008) A title.\n\nJones, K. (2009) Another.", ["1", "2"]),
        # lead-in prose and labels are not entries
        ("The research was widely cited.\n\nKey Outputs:\n\n1. Smith, J. (2008) A title.", ["1"]),
    ],
)
def test_numbering_styles(parse, body, ns):
    entries, _ = extract_citations(parse(as_sources(body)))
    assert [e.n for e in entries] == ns


# --- Fields of one entry.
@pytest.mark.parametrize(
    "body, field, value",
    [
        ("DH (2008) Moving Forward: Using the Learning. Response to the evaluation, London, Department of Health.", "title", "Moving Forward: Using the Learning. Response to the evaluation"),
        ("DH (2008) Moving Forward, London, Department of Health.", "publisher", "Department of Health"),
        ("Smith, J. (2011a) A title, Social Policy and Society, 10, 2, 151-162.", "year", "2011a"),
        ("Smith, J. (2011) A title, Social Policy and Society, 10, 2, 151-162.", "container", "Social Policy and Society"),
        ("Smith, J. 2008. A title. Journal of Things, 4, 1-2.", "year", "2008"),
        ("Hamber, B. `Masculinity and Transition' (2010) 5(3) Journal of Peacebuilding 75-88", "title", "Masculinity and Transition"),
        ("Crawford C, Sprott C. An intact kidney slice model. Nephron Physiol. 2012, 120(3):17-31.", "authors", ("Crawford C", "Sprott C")),
        ("Report online at www.example.org/report.pdf.", "url", "www.example.org/report.pdf"),
    ],
)
def test_entry_fields(parse, body, field, value):
    entries, _ = extract_citations(parse(as_sources(body)))
    assert getattr(entries[0], field) == value


# --- Pointers in running text, and what is not one.
LIST = "\n\nSources to corroborate the impact\n\n" + "\n\n".join(f"{i}. Org{i} (2010) Title {i}." for i in range(1, 11))


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("The report (passim, DH, 2008)1 was read.", [("glued-number", "1", "1")]),
        ("The review (Newbronner et al., 2011)2 was read.", [("glued-number", "2", "2")]),
        ("Shaped budgets (PHBs)5 between 2009-12.", [("glued-number", "5", "5")]),
        ("The Committee concluded that 'the details are contentious'6 and moved on.", [("glued-number", "6", "6")]),
        ("The Audit Commission report on PBs9 cited it.", [("glued-number", "9", "9")]),
        ("A review10 of the literature.", [("glued-number", "10", "10")]),
        # years, counts, amounts, acts and acronyms with digits are not pointers
        ("Between 2009-12 in 26 elements, 1.3 million people.", []),
        ("The Welfare Reform Act 2009 and the Secretary of State.", []),
        ("The P2 receptor and CO2 levels and K2P1 channels.", []),
        ("A review11 of more than the list has.", []),
        ("It cost £12 (24%) in 2008 (2008).", []),
        # bracketed numbers resolve when a list holds them
        ("As shown (3), and again [4].", [("bracketed-number", "3", "3"), ("bracketed-number", "4", "4")]),
    ],
)
def test_pointers_in_running_text(parse, sentence, expected):
    _, pointers = extract_citations(parse("Details of the impact\n\n" + sentence + LIST))
    found = [(p.style, p.marker, p.target) for p in pointers if p.style != "author-year"]
    assert found == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # no list in the document: glued numbers are not pointers, bracketed ones stay unresolved
        ("Savings come from employment costs (27). A review10 of it.", [("bracketed-number", "27", None, None)]),
        # superscripts point to footnotes
        ("It rose to 13%¹.\n\n¹The Information Centre, 2010.", [("superscript", "¹", "footnotes", "1")]),
    ],
)
def test_pointers_without_lists(parse, text, expected):
    _, pointers = extract_citations(parse(text))
    assert [(p.style, p.marker, p.list_kind, p.target) for p in pointers] == expected


# --- The York case study (corpus/002).
def test_york_references(york):
    parsed, entries, _ = york
    refs = [e for e in entries if e.list_kind == "references"]
    assert [e.n for e in refs] == ["1", "2", "3", "4", "5", "6"]
    assert refs[0].authors[0] == "Glendinning, C." and refs[3].authors[0] == "Wilberforce, M."
    assert [e.year for e in refs] == ["2008", "2009", "2011", "2011", "2010", "2012"]
    assert [e.doi for e in refs] == [
        None, None, "10.1017/S1474746410000503", "10.1111/j.1467-9515.2011.00788.x", "10.1080/01900692.2010.540701", None,
    ]
    assert refs[4].container == "International Journal of Public Administration"
    assert "Grants" not in refs[5].text
    assert all(e.text == parsed.text[e.start : e.end] for e in entries)


def test_york_sources(york):
    _, entries, _ = york
    sources = [e for e in entries if e.list_kind == "sources"]
    assert [e.n for e in sources] == [str(i) for i in range(1, 11)]
    assert [e.authors for e in sources if len(e.authors) == 1] == [
        ("DH",), ("DH",), ("House of Commons Health Committee",), ("DH",), ("Office for Disability Issues",),
        ("Audit Commission",), ("Scottish Government Social Research",),
    ]


def test_york_pointers(york):
    parsed, _, pointers = york
    glued = [p for p in pointers if p.style == "glued-number"]
    assert sorted({p.target for p in glued}, key=int) == [str(i) for i in range(1, 11)]
    assert all(p.list_kind == "sources" for p in glued)
    context = {parsed.text[p.start - 20 : p.end]: p.target for p in glued}
    for ending, target in (("(passim, DH, 2008)1", "1"), ("budgets (PHBs)5", "5"), ("A review10", "10")):
        assert [t for c, t in context.items() if c.endswith(ending)] == [target]
    for not_pointer in ("2009-12", "26 elements", "1.3 million"):
        at = parsed.text.index(not_pointer)
        assert not any(at <= p.start < at + len(not_pointer) for p in pointers)
    assert all(parsed.text[p.start : p.end] == p.marker for p in pointers)
    author_year = {p.marker: p.target for p in pointers if p.style == "author-year"}
    assert author_year["Newbronner et al., 2011"] == "2" and author_year["Routledge and Carr 2013"] == "3"


# --- The SCIE report (corpus/003): bracketed pointers with no list in the document.
def test_scie_pointers_unresolved(nlp):
    _, pointers = extract_citations(corpus_doc(nlp, "003"))
    assert [(p.marker, p.target, p.list_kind) for p in pointers] == [
        (n, None, None) for n in ("14", "27", "14", "36", "18", "25")
    ]


# --- Personal budgets (corpus/004): superscripts and footnote blocks.
def test_footnotes(nlp):
    entries, pointers = extract_citations(corpus_doc(nlp, "004"))
    notes = {e.n: e.text for e in entries if e.list_kind == "footnotes"}
    assert notes["1"] == "The Information Centre for health and social care, 2010."
    assert notes["3"].endswith("www.in-control.org.uk/phase3report")
    assert [(p.marker, p.target) for p in pointers] == [("¹", "1"), ("²", "2"), ("³", "3")]


# --- The hand-made gold set for York: entries and pointers with F1 >= 0.9.
@pytest.mark.skipif(not GOLD.exists(), reason="no gold set")
def test_gold_f1(york):
    parsed, entries, pointers = york
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    want = {(kind, str(g["n"]), g["year"], g["authors"][0], (g.get("doi") or None)) for kind in ("references", "sources") for g in gold[kind]}
    got = {(e.list_kind, e.n, e.year, e.authors[0] if e.authors else None, e.doi) for e in entries if e.list_kind != "footnotes"}
    assert f1(got, want) >= 0.9
    want_p = {(str(g["target"]), parsed.text.index(g["context"]) + len(g["context"])) for g in gold["pointers"]}
    got_p = {(p.target, p.end) for p in pointers if p.style == "glued-number"}
    assert f1(got_p, want_p) >= 0.9


def f1(got: set, want: set) -> float:
    hits = len(got & want)
    return 2 * hits / (len(got) + len(want)) if got or want else 1.0


# --- A REF2014 sample: counts checked by reading each case study.
@pytest.mark.skipif(not REF2014.exists(), reason="REF2014 data not present")
def test_ref2014_sample(nlp):
    documents = read_path(str(REF2014))[:20]
    by_id = {d.doc_id: d for d in documents}
    expected = {
        # id: (reference ns, number of sources)
        "ref2014-56": (["3.1", "3.2", "3.3", "3.4", "3.5", "3.6"], 10),  # "3.1 ", "5.1 " numbering
        "ref2014-384": (["a", "b", "c", "d", "e"], 10),  # "a)" references, "1)" sources
        "ref2014-545": (["1", "2", "3"], None),  # "4." under "Funding that underpinned the research" is a grant
        "ref2014-599": (["3.1", "3.2", "3.3", "3.4", "3.5", "3.6"], None),  # "[3.1]", entries split by wrapping
        "ref2014-912": (["1", "2", "3", "4", "5", "6"], None),  # grants "i) ... vii)" follow
        "ref2014-941": (["3.1", "3.2", "3.3", "3.4", "3.5"], 6),  # "3.1)"
    }
    parsed = parse_documents([segment_document(by_id[i]) for i in expected], nlp)
    for doc_id, doc in zip(expected, parsed):
        entries, _ = extract_citations(doc)
        refs, sources = expected[doc_id]
        assert [e.n for e in entries if e.list_kind == "references"] == refs, doc_id
        if sources is not None:
            assert sum(e.list_kind == "sources" for e in entries) == sources, doc_id
        assert all(e.text == doc.text[e.start : e.end] for e in entries)
