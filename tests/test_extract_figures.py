"""Figures and grants: table-driven checks on sentences, and on the corpus documents."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from ingest.extract.figures import extract_figures
from ingest.extract.grants import AMOUNT_RE, extract_grants, parse_amount
from ingest.readers import read_path
from ingest.segment import parse_documents, segment_document

CORPUS = Path(__file__).resolve().parent.parent / "corpus"

FIGURE_CASES = [
    # money: amounts, magnitudes and rates
    ("The average cost of support plans for people with individual budgets was £279 per week.", [("£279 per week", 279, "GBP/week")]),
    ("The £4million scheme has been designed to look beyond boundaries.", [("£4million", 4_000_000, "GBP")]),
    ("The council set aside £4 million for the pilots.", [("£4 million", 4_000_000, "GBP")]),
    ("The project was funded by DH (£784,224).", [("£784,224", 784_224, "GBP")]),
    ("Spending on adult social care reached £1.2bn.", [("£1.2bn", 1_200_000_000, "GBP")]),
    ("Carers received £1,500 a year in support.", [("£1,500 a year", 1500, "GBP/year")]),
    ("The allowance was raised to £60 annually.", [("£60 annually", 60, "GBP/year")]),
    # percentages, in digits and in words, bare and in brackets
    ("In 27% of cases, the LA was managing the individual budget.", [("27%", 27, "percent")]),
    ("Forty per cent of IBs were managed by informal carers.", [("Forty per cent", 40, "percent")]),
    ("Personal budgets cost about 10 per cent less than traditional services.", [("10 per cent", 10, "percent")]),
    ("In a significant proportion of cases (24%) the interview took place with a proxy.", [("24%", 24, "percent")]),
    # counts and ratios
    ("Only 9 out of 130 were clear about this.", [("9 out of 130", 9, "ratio")]),
    ("Thirteen LAs were pilot sites.", [("Thirteen LAs", 13, "count")]),
    ("Individual Budgets were piloted in 13 local authorities.", [("13 local authorities", 13, "count")]),
    ("This was complemented by almost 1000 in-depth interviews with IB users.", [("almost 1000 in-depth interviews", 1000, "count")]),
    ("The evaluation covered 196 people with personal budgets in 17 councils.",
     [("196 people", 196, "count"), ("17 councils", 17, "count")]),  # fmt: skip
    ("The report was based on responses from over 500 people.", [("over 500 people", 500, "count")]),
    ("The Government announced those 16 authorities who would take forward pilot schemes.", [("16 authorities", 16, "count")]),
    ("Around 1.75 million working age and older people used social care services.", [("Around 1.75 million", 1_750_000, "count")]),
    # periods: year ranges in every spelling, "between", and date ranges
    ("Thirteen LAs were pilot sites between 2005 and 2008.",
     [("Thirteen LAs", 13, "count"), ("between 2005 and 2008", 2005, "period")]),  # fmt: skip
    ("The pilots ran in 2005-2008 across England.", [("2005-2008", 2005, "period")]),
    ("An evaluation of the pilots (named the IBSEN project, 2006-08) was led by SPRU.", [("2006-08", 2006, "period")]),
    ("In 2006-8, Individual Budgets were piloted widely.", [("2006-8", 2006, "period")]),
    ("The share rose sharply in 2009-10 nationally.", [("2009-10", 2009, "period")]),
    ("The grant ran from 1/4/2006 to 31/3/2008 at York.", [("1/4/2006 to 31/3/2008", 2006, "period")]),
    # not figures: years as dates, markers, references, identifiers, durations
    ("In 2013 Australia launched a new disability insurance scheme.", []),
    ("The pilots were announced in April 2009.", []),
    ("1. Glendinning, C. (2008) Evaluation of the Individual Budgets Pilot Programme, York.", []),
    ("Savings are thought to come from lower administrative costs (25).", []),
    ("IBSEN shaped the design of NHS personal health budgets (PHBs)5 for the pilots.", []),
    ("Rates of take-up were uneven across the country¹²³.", []),
    ("See the Vision for Adult Social Care (p16) and the Committee report (HC 2010 vol 1:88).", []),
    ("Social Policy and Society, 10, 2, 151-162. DOI: 10.1017/S1474746410000503", []),
    ("The report is at http://www.york.ac.uk/inst/spru/pubs/2011/06/07/IBSEN.pdf for readers.", []),
    ("SCIE Report 37 sets out the evidence.", []),
    ("Briefing 09-20 describes the pilots.", []),
    ("SPSW02 describes the impact of the research.", []),
    ("Third Report of Session 2009-10 Volume 1, London House of Commons.", []),
    ("A sample of each group was interviewed 6 months after the intervention.", []),  # durations are not figures
    ("The two groups had similar characteristics.", []),  # a spelled-out number naming a known set
]


@pytest.mark.parametrize(("sentence", "expected"), FIGURE_CASES, ids=[c[0][:40] for c in FIGURE_CASES])
def test_figures_in_sentence(parse, sentence, expected):
    parsed = parse(sentence)
    figures = extract_figures(parsed)
    assert [(f.text, f.value, f.unit) for f in figures] == [(t, float(v), u) for t, v, u in expected]
    for figure in figures:
        assert figure.text == parsed.text[figure.start : figure.end]
        assert figure.sentence is not None and figure.sentence[0] <= figure.start < figure.end <= figure.sentence[1]


@pytest.mark.parametrize(
    ("sentence", "text", "denominator", "end_value"),
    [
        ("Only 9 out of 130 were clear about this.", "9 out of 130", 130, None),
        ("Thirteen LAs were pilot sites between 2005 and 2008.", "between 2005 and 2008", None, 2008),
        ("In 2006-8, Individual Budgets were piloted widely.", "2006-8", None, 2008),
        ("The share rose sharply in 2009-10 nationally.", "2009-10", None, 2010),
        ("The grant ran from 1/4/2006 to 31/3/2008 at York.", "1/4/2006 to 31/3/2008", None, 2008),
    ],
)
def test_ratio_denominators_and_period_ends(parse, sentence, text, denominator, end_value):
    (figure,) = [f for f in extract_figures(parse(sentence)) if f.text == text]
    assert figure.denominator == denominator and figure.end_value == end_value


@pytest.mark.parametrize(
    ("sentence", "text", "measure"),
    [
        ("The average cost of support plans for people with individual budgets was £279 per week.", "£279 per week",
         "average cost of support plans"),
        ("Forty per cent of IBs were managed by informal carers.", "Forty per cent", "IBs managed by informal carers"),
        ("Individual Budgets were piloted in 13 English local authorities.", "13 English local authorities",
         "English local authorities"),
    ],
)  # fmt: skip
def test_measure(parse, sentence, text, measure):
    (figure,) = [f for f in extract_figures(parse(sentence)) if f.text == text]
    assert figure.measure == measure


COMPARISON_CASES = [
    # (sentence, first, second, shared measure, first group, second group, shared unit)
    ("The average cost of support plans for people with individual budgets was £279 per week, compared with £296 "
     "in the comparison group.", "£279 per week", "£296", "average cost of support plans",
     "people with individual budgets", "the comparison group", "GBP/week"),
    ("The average use of home care was £37 per week for people on individual budgets compared with £70 for the "
     "comparison group.", "£37 per week", "£70", "average use of home care", "people on individual budgets",
     "the comparison group", "GBP/week"),
    ("The use of Personal Assistants was £100 compared with £52 per week.", "£100", "£52 per week",
     "use of Personal Assistants", None, None, "GBP/week"),
    ("The cost of LA social care input was higher for people on individual budgets - £18 per week compared with £11.",
     "£18 per week", "£11", "cost of LA social care input", "people on individual budgets", None, "GBP/week"),
    ("The proportion of people who have a personal budget increased from 6.5% in 2008-09 to 13% in 2009-10.",
     "6.5%", "13%", "proportion of people who have a personal budget", None, None, "percent"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("sentence", "first", "second", "measure", "first_group", "second_group", "unit"),
    COMPARISON_CASES,
    ids=[c[1] for c in COMPARISON_CASES],
)
def test_comparisons_point_at_each_other(parse, sentence, first, second, measure, first_group, second_group, unit):
    figures = {f.text: f for f in extract_figures(parse(sentence))}
    a, b = figures[first], figures[second]
    assert a.comparator == (b.start, b.end) and b.comparator == (a.start, a.end)
    assert a.measure == b.measure == measure
    assert (a.group, b.group) == (first_group, second_group)
    assert a.unit == b.unit == unit


def test_groups_carry_over_to_a_later_comparison_in_the_sentence(parse):
    parsed = parse(
        "The average use of home care was £37 per week for people on individual budgets compared with £70 for the "
        "comparison group, but the use of Personal Assistants was £100 compared with £52 per week."
    )
    figures = {f.text: f for f in extract_figures(parsed)}
    assert figures["£100"].group == "people on individual budgets"
    assert figures["£52 per week"].group == "the comparison group"
    assert figures["£100"].measure == "use of Personal Assistants"


def test_uncompared_figures_have_no_comparator(parse):
    figures = extract_figures(parse("In 27% of cases, the LA was managing the individual budget."))
    assert [f.comparator for f in figures] == [None]


# --- Grants

YORK_GRANTS = [
    ("IBSEN development work", "1/4/2006 to 31/12/2006", "DH", 12545),
    ("IBSEN project: National Evaluation of the Individual Budget Pilot Projects", "1/4/2006 to 31/3/2008", "DH", 784224),
    ("Individual Budgets: impact and outcomes for carers", "1/1/2007 to 30/0/2008", "DH", 91921),
    ("IBSEN Dissemination", "1/4/2008 to 31/3/2009", "DH", 114046),
]


def test_two_grant_entries_in_one_sentence_are_split(parse):
    parsed = parse(
        "Individual Budgets: impact and outcomes for carers, 1/1/2007 to 30/0/2008, DH (£91,921) IBSEN "
        "Dissemination, 1/4/2008 to 31/3/2009, DH (£114,046)"
    )
    grants = extract_grants(parsed)
    assert [(g.title, g.period, g.funder, g.amount, g.currency) for g in grants] == [
        (t, p, f, float(a), "GBP") for t, p, f, a in YORK_GRANTS[2:]
    ]
    assert all(g.text == parsed.text[g.start : g.end] for g in grants)


@pytest.mark.parametrize(
    ("sentence", "funder", "amount", "period"),
    [
        ("The study was supported by an ESRC grant (RES-000-22-1234, £250,000, 2008-2010).", "ESRC", 250000, "2008-2010"),
        ("The work was funded by the Nuffield Foundation (£120,000).", "Nuffield Foundation", 120000, None),
        ("Funder: ESRC; Amount: £98,500; 2009-2011.", "ESRC", 98500, "2009-2011"),
        ("In 2005 she received a research grant of £266,888 from the Leverhulme Trust.", "Leverhulme Trust", 266888, None),
        ("Wellcome Trust Project Grant (2011-2013) £360,909", "Wellcome Trust", 360909, "2011-2013"),
    ],
)  # fmt: skip
def test_grant_statements(parse, sentence, funder, amount, period):
    parsed = parse(sentence)
    (grant,) = extract_grants(parsed)
    assert (grant.funder, grant.amount, grant.currency, grant.period) == (funder, float(amount), "GBP", period)
    assert grant.text == parsed.text[grant.start : grant.end]


@pytest.mark.parametrize(
    ("text", "amount_text", "value"),
    [
        ("£784,224", "£784,224", 784224), ("£64k", "£64k", 64e3), ("£20 k", "£20 k", 20e3),
        ("£2.4 M", "£2.4 M", 2.4e6), ("£1.2 million", "£1.2 million", 1.2e6), ("$3.85 Million", "$3.85 Million", 3.85e6),
        ("£1 Billion", "£1 Billion", 1e9), ("£412,558k", "£412,558k", 412_558e3), ("€1,500 million", "€1,500 million", 1.5e9),
        ("£140,400 M Dickinson (PI)", "£140,400", 140400),  # after a grouped number, a letter apart is the next word's
    ],
)  # fmt: skip
def test_grant_amounts_and_their_magnitudes(text, amount_text, value):
    amount = parse_amount(AMOUNT_RE.search(text))
    assert (text[amount.start : amount.end], amount.value) == (amount_text, pytest.approx(value))


def test_money_without_a_grant_cue_is_no_grant(parse):
    assert extract_grants(parse("The £4million scheme has been designed to look beyond boundaries.")) == []


# --- The corpus documents


@pytest.fixture(scope="module")
def corpus(nlp):
    """The five corpus documents parsed, by their manifest id."""
    manifest = tomllib.loads((CORPUS / "manifest.toml").read_text(encoding="utf-8"))
    documents = []
    for entry in manifest["document"]:
        read = read_path(CORPUS / entry["file"])[0]
        read.doc_id = entry["id"]
        documents.append(segment_document(read))
    return {parsed.doc_id: parsed for parsed in parse_documents(documents, nlp)}


@pytest.mark.parametrize(
    ("doc_id", "text", "value", "unit"),
    [
        ("ibsen-key-issues", "£279 per week", 279, "GBP/week"),
        ("ibsen-key-issues", "£296", 296, "GBP/week"),
        ("ibsen-key-issues", "Forty per cent", 40, "percent"),
        ("ibsen-key-issues", "9 out of 130", 9, "ratio"),
        ("ibsen-key-issues", "27%", 27, "percent"),
        ("york-spsw02", "1.75 million", 1_750_000, "count"),
        ("apse-briefing-09-20", "£4million", 4_000_000, "GBP"),
        ("york-spsw02", "1/4/2006 to 31/3/2008", 2006, "period"),
    ],
)
def test_corpus_figures(corpus, doc_id, text, value, unit):
    found = [f for f in extract_figures(corpus[doc_id]) if text in f.text]
    assert [(f.value, f.unit) for f in found][:1] == [(float(value), unit)]


def test_corpus_figures_quote_the_text(corpus):
    for parsed in corpus.values():
        for figure in extract_figures(parsed):
            assert figure.text == parsed.text[figure.start : figure.end]
            assert figure.doc_id == parsed.doc_id


def test_corpus_skips_identifiers_and_references(corpus):
    texts = {f.text for parsed in corpus.values() for f in extract_figures(parsed)}
    assert not texts & {"37", "09-20", "2009-10 Volume", "151-162", "1:88", "2008", "2013"}
    york = [f.text for f in extract_figures(corpus["york-spsw02"])]
    assert "2009-10" not in york  # "Third Report of Session 2009-10"


def test_corpus_york_grants(corpus):
    grants = extract_grants(corpus["york-spsw02"])
    assert [(g.title, g.period, g.funder, g.amount) for g in grants] == [
        (t, p, f, float(a)) for t, p, f, a in YORK_GRANTS
    ]


def test_corpus_other_documents_state_no_grants(corpus):
    assert all(extract_grants(p) == [] for doc_id, p in corpus.items() if doc_id != "york-spsw02")
