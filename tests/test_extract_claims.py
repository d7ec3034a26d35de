"""Claim extraction: kinds and cues, hedging, populations, section and lead-in context,
attribution, what is not a claim, and the real corpus (with the actors module's mentions),
measured against the hand-made gold set."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ingest.collect import collect
from ingest.extract.claims import extract_claims, load_lexicon
from ingest.records import ActorMention, DocumentMetadata
from ingest.segment import parse_documents, segment_document

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold" / "claims.json"


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


def mention(parsed, surface: str, key: str, actor_type: str = "organisation") -> ActorMention:
    """A hand-built mention of the first occurrence of ``surface``."""
    start = parsed.text.index(surface)
    return ActorMention(parsed.doc_id, start, start + len(surface), surface, actor_type, key, surface, "gazetteer")


def only_claim(claims, starting: str):
    found = [c for c in claims if c.text.startswith(starting)]
    assert len(found) == 1, [c.text for c in claims]
    return found[0]


# --- Kind and cue of a single sentence.

@pytest.mark.parametrize(
    "text, kind, cue",
    [
        # findings
        ("Older people receiving individual budgets reported lower well-being than the comparison group.", "finding", "reported"),
        ("There was no evidence of cost-effectiveness for older people from having an individual budget.", "finding", "There was no evidence"),
        ("Receipt of IBs was significantly associated with positive impacts on carers' quality of life.", "finding", "significantly associated"),
        # concerns
        ("Many practitioners were concerned about the risks of physical or financial abuse.", "concern", "concerned"),
        ("Staff identified concerns about the loss of a collective voice on service provision.", "concern", "identified concerns"),
        ("APSE has substantial reservations about the rationale for individualised budgets.", "concern", "reservations"),
        # recommendations
        ("Councils should not expect to achieve large cost savings through personal budgets alone.", "recommendation", "should"),
        ("It is important to put in place low-cost solutions that provide information on outcomes.", "recommendation", "It is important to"),
        ("More training and support will be needed for staff working with IBs.", "recommendation", "will be needed"),
        # caveats
        ("The sub-sample of service users was not wholly representative of the service user group.", "caveat", "not wholly representative"),
        ("The qualitative measurements are subjective and perceptions vary widely.", "caveat", "subjective"),
        # the earliest cue decides; a hedged sentence with no other cue is a finding
        ("Staff reported dilemmas over whether the support chosen was legitimate.", "finding", "reported"),
        ("An older person is currently likely to be reliant on a paid carer.", "finding", "likely to"),
    ],
)
def test_kind_and_cue(parse, lexicon, text, kind, cue):
    [claim] = extract_claims(parse(text), [], lexicon)
    assert (claim.kind, claim.cue, claim.text) == (kind, cue, text)


# --- Hedging.

@pytest.mark.parametrize(
    "text, hedged",
    [
        ("There appear to be a small cost-effectiveness advantage for younger physically disabled people.", True),
        ("Using the GHQ measure, standard arrangements look marginally more cost-effective.", True),
        ("Evidence from the initial pilots suggest that older people find support planning stressful.", True),
        ("The use of health services was also higher, possibly indicating unmet health needs.", True),
        # a comparison is not a hedge
        ("Older people were less likely to manage the budget themselves.", False),
        ("Older people receiving individual budgets reported lower well-being.", False),
    ],
)
def test_hedged(parse, lexicon, text, hedged):
    [claim] = extract_claims(parse(text), [], lexicon)
    assert claim.hedged is hedged


# --- Populations from the lexicon's wordings.

@pytest.mark.parametrize(
    "text, populations",
    [
        # older people
        ("Individualised budgets can adversely affect the wellbeing of the elderly.", ("older-people",)),
        ("Older people receiving individual budgets reported lower well-being.", ("older-people",)),
        # carers, possessives and "parents of ..."
        ("Receipt of IBs was significantly associated with positive impacts on carers' quality of life.", ("carers",)),
        (
            "Some carers, especially parents of people with learning disabilities, found that support planning was a lot of extra work.",
            ("carers", "people-with-learning-disabilities"),
        ),
        (
            "Some parents of people with learning disabilities found that support planning was hard work.",
            ("carers", "people-with-learning-disabilities"),
        ),
        # several groups in one sentence
        (
            "Satisfaction was highest among mental health service users and physically disabled working age people and lowest among older people.",
            ("older-people", "mental-health-service-users", "working-age-physically-disabled-people"),
        ),
        ("Individualised budgets are only of benefit to people of working age with physical or sensory impairments, it was found.", ("working-age-physically-disabled-people",)),
        # staff, providers and councils; "LAs" only in capitals
        ("Home care providers reported that LAs increased their prices.", ("providers", "councils")),
        ("Care co-ordinators stated that contingency planning was important.", ("staff",)),
        ("The findings showed that la vie est belle for everyone.", ()),
    ],
)
def test_populations(parse, lexicon, text, populations):
    [claim] = extract_claims(parse(text), [], lexicon)
    assert claim.populations == populations


# --- Context: section headings, lead-ins ending in a colon, the paragraph's topic.

@pytest.mark.parametrize(
    "text, starting, kind, cue, populations",
    [
        # a "Findings about X" section: its sentences are findings about X
        (
            "# Findings about carers\n\nForty per cent of IBs were managed by informal carers.\n",
            "Forty per cent", "finding", "Findings about carers", ("carers",),
        ),
        (
            "# Findings about older people\n\nCompared with other service user groups, older people:\n\n"
            "- Received a lower level of budget\n- Were less likely to manage the budget themselves\n",
            "Received a lower", "finding", "Findings about older people", ("older-people",),
        ),
        # a findings section outranks the sentence's own cue
        (
            "# Key finding from the initial pilots\n\nIndividualised budgets can adversely affect the wellbeing of the elderly.\n",
            "Individualised budgets", "finding", "Key finding from the initial pilots", ("older-people",),
        ),
        # a "Caveats" section: its items are caveats
        (
            "# Caveats\n\n- The pilot was evolving as the evaluation took place\n",
            "The pilot was evolving", "caveat", "Caveats", (),
        ),
        # a lead-in's cue and groups carry to its list items, even verbless ones
        (
            "# Findings about risk\n\nCare co-ordinators and managers identified concerns about:\n\n"
            "- Service users and carers managing finances\n- The possibility of financial abuse\n",
            "Service users and carers", "concern", "identified concerns", ("carers", "staff"),
        ),
        (
            "Care co-ordinators and managers identified concerns about:\n\n- The possibility of financial abuse\n",
            "The possibility", "concern", "identified concerns", ("staff",),
        ),
        # a sentence naming no topic group takes the one named before it in the paragraph
        (
            "In terms of older people this is not however the case. "
            "The drive towards individualised budgets looks unlikely to produce a better outcome.\n",
            "The drive", "concern", "unlikely to", ("older-people",),
        ),
    ],
)
def test_context(parse, lexicon, text, starting, kind, cue, populations):
    claim = only_claim(extract_claims(parse(text), [], lexicon), starting)
    assert (claim.kind, claim.cue, claim.populations) == (kind, cue, populations)


def test_section_recorded(parse, lexicon):
    [claim] = extract_claims(parse("# Findings about carers\n\nForty per cent of IBs were managed by informal carers.\n"), [], lexicon)
    assert claim.section == "Findings about carers"
    assert claim.doc_id == "example"


def test_lead_in_is_not_a_claim(parse, lexicon):
    claims = extract_claims(parse("It reported that:\n\n- For older people, there is no sign of an advantage.\n"), [], lexicon)
    assert [c.text for c in claims] == ["For older people, there is no sign of an advantage."]


def test_span_quotes_the_sentence(parse, lexicon):
    parsed = parse("# Findings about carers\n\nForty per cent of IBs were managed by informal carers. Others were not.\n")
    for claim in extract_claims(parsed, [], lexicon):
        assert parsed.text[claim.start : claim.end] == claim.text


# --- What is not a claim.

@pytest.mark.parametrize(
    "text",
    [
        # headings
        "# Findings about older people\n",
        # reference-list and corroborating-source entries, even with cue words
        "# References to the research\n\n1. Glendinning, C. (2008) Evaluation of the Individual Budgets Pilot Programme: Final Report found results, York.\n",
        "# Sources to corroborate the impact\n\nAudit Commission (2010) Financial Management of Personal Budgets should be read, London.\n",
        # URLs and link lines
        "http://www.york.ac.uk/inst/spru/pubs/pdf/IBSEN.pdf",
        "For further information on the detail of the chosen pilots follow this link:",
        "The report Your support your way is available at: www.puttingpeoplefirst.org.uk",
        # sentences about the document itself
        "This paper considers emerging approaches to developing outcome-based performance measures.",
        "This briefing provides an update on the state of play in regard to individualised budgets.",
        # questions and bare list fragments
        "Is there a cultural shift towards personalisation?",
        "The PCTs selected are:\n\n- Tower Hamlets PCT\n- Torbay Care Trust\n",
        # plain description with no cue
        "The evaluation was carried out by a consortium of university researchers.",
    ],
)
def test_not_claims(parse, lexicon, text):
    assert extract_claims(parse(text), [], lexicon) == []


# --- Attribution, with hand-built actor mentions.

def test_attributed_to_the_subject_that_makes_the_claim(parse, lexicon):
    parsed = parse("APSE has substantial reservations about individualised budgets for the elderly.")
    [claim] = extract_claims(parsed, [mention(parsed, "APSE", "apse")], lexicon)
    assert claim.attributed_to == "apse"


def test_attributed_to_study_named_in_section_heading(parse, lexicon):
    parsed = parse(
        "# The IBSEN study of individual budget pilots\n\nThe most reliable study is the IBSEN evaluation. It reported that:\n\n"
        "- For older people, there is no sign of a cost-effectiveness advantage.\n"
    )
    mentions = [mention(parsed, "IBSEN evaluation", "ibsen", "study")]
    claim = only_claim(extract_claims(parsed, mentions, lexicon), "For older people")
    assert (claim.kind, claim.attributed_to, claim.populations) == ("finding", "ibsen", ("older-people",))


def test_attributed_to_study_the_section_discusses(parse, lexicon):
    parsed = parse(
        "# Underpinning research\n\nAn evaluation of the pilots, named the IBSEN project, assessed the benefits.\n\n"
        "The research findings showed that users generally welcomed IBs.\n"
    )
    mentions = [mention(parsed, "IBSEN project", "ibsen", "study")]
    claim = only_claim(extract_claims(parsed, mentions, lexicon), "The research findings")
    assert claim.attributed_to == "ibsen"


def test_attributed_to_study_in_document_title(parse, lexicon):
    parsed = parse(
        "# What does the Individual Budget Pilots Evaluation tell us\n\n# Findings about carers\n\n"
        "Forty per cent of IBs were managed by informal carers.\n"
    )
    mentions = [mention(parsed, "Individual Budget Pilots Evaluation", "ibsen", "study")]
    [claim] = extract_claims(parsed, mentions, lexicon)
    assert claim.attributed_to == "ibsen"


def test_attributed_to_publisher_otherwise(parse, lexicon):
    parsed = parse("Councils should not expect to achieve large cost savings through personal budgets alone.")
    parsed.segmented.read.metadata = DocumentMetadata(publisher="SCIE")
    [claim] = extract_claims(parsed, [], lexicon)
    assert claim.attributed_to == "scie"


def test_impact_section_speaks_for_the_author(parse, lexicon):
    parsed = parse(
        "# Details of the impact\n\nThe IBSEN findings shaped the policy as the findings revealed which systems were most effective for carers. "
        "SPRU led the work and SPRU published it.\n"
    )
    mentions = [mention(parsed, "IBSEN findings", "ibsen", "study")] + [
        ActorMention(parsed.doc_id, m.start(), m.end(), "SPRU", "organisation", "spru", "SPRU", "gazetteer")
        for m in re.finditer("SPRU", parsed.text)
    ]
    claim = only_claim(extract_claims(parsed, mentions, lexicon), "The IBSEN findings")
    assert claim.attributed_to == "spru"


# --- The corpus, with the actors module's mentions.

@pytest.fixture(scope="module")
def corpus_claims(nlp, lexicon):
    actors = pytest.importorskip("ingest.extract.actors", reason="ingest/extract/actors.py is not written yet")
    gazetteer = actors.load_gazetteer()
    collected = collect([ROOT / "corpus"])
    parsed = parse_documents([segment_document(d) for d in collected.documents], nlp)
    return [c for p in parsed for c in extract_claims(p, actors.extract_actors(p, gazetteer), lexicon)]


def corpus_claim(claims, doc_id: str, starting: str):
    return only_claim([c for c in claims if c.doc_id == doc_id], starting)


@pytest.mark.parametrize(
    "doc_id, starting, kind, populations, attributed_to",
    [
        # the IBSEN summary: findings sections, attributed to the study in its title
        ("ibsen-key-issues", "Older people receiving individual budgets reported lower well-being", "finding", ("older-people",), "ibsen"),
        ("ibsen-key-issues", "Forty per cent of IBs were managed by informal carers.", "finding", ("carers",), "ibsen"),
        ("ibsen-key-issues", "Received a lower level of budget", "finding", ("older-people",), "ibsen"),
        ("ibsen-key-issues", "Service users and carers managing finances", "concern", ("carers", "staff"), "ibsen"),
        ("ibsen-key-issues", "The IB and comparison groups were not wholly comparable", "caveat", (), "ibsen"),
        # the APSE briefing: IBSEN's key findings; APSE's own comment
        ("apse-briefing-09-20", "Individualised budgets can adversely affect the wellbeing of the elderly.", "finding", ("older-people",), "ibsen"),
        ("apse-briefing-09-20", "APSE has substantial reservations", "concern", ("older-people", "councils"), "apse"),
        ("apse-briefing-09-20", "The drive towards individualised budgets", "concern", ("older-people",), "apse"),
        # the York case study: IBSEN's results; its own impact statements
        ("york-spsw02", "Receipt of IBs was significantly associated with positive impacts on carers", "finding", ("carers",), "ibsen"),
        ("york-spsw02", "The research findings showed", "finding", (), "ibsen"),
        ("york-spsw02", "IBSEN findings on the poorer experiences of older people", "concern", ("older-people",), "ibsen"),
        # the SCIE report: IBSEN's results after "It reported that:"; its own statements
        ("scie-report-37", "For older people, there is no sign", "finding", ("older-people",), "ibsen"),
        ("scie-report-37", "Using the GHQ", "finding", ("older-people",), "ibsen"),
        ("scie-report-37", "'Councils should not expect", "recommendation", ("councils",), "scie"),
        # the LGID paper speaks for its publisher
        ("personal-budgets-checking-results", "It is therefore essential for councils", "recommendation", ("councils",), "local-government-improvement-and-development"),
    ],
)
def test_corpus_claims(corpus_claims, doc_id, starting, kind, populations, attributed_to):
    claim = corpus_claim(corpus_claims, doc_id, starting)
    assert (claim.kind, claim.populations, claim.attributed_to) == (kind, populations, attributed_to)


def test_corpus_has_no_claims_in_reference_lists_or_urls(corpus_claims):
    for claim in corpus_claims:
        assert claim.section not in ("References to the research", "Sources to corroborate the impact", "Download")
        assert "http" not in claim.text and not claim.text.endswith(":")


# --- Against the gold set (tests/gold/claims.json): recall of core claims, precision among
# claims tagged with carers or older people, and accuracy of kind, populations and attribution.

def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip()


def _overlaps(claim, gold: dict) -> bool:
    a, b = _norm(claim.text), _norm(gold["text"])
    return claim.doc_id == gold["doc"] and any(part in other for part, other in ((a[:40], b), (b[:40], a), (a[-40:], b), (b[-40:], a)))


def test_against_gold(corpus_claims, lexicon):
    if not GOLD.exists():
        pytest.skip("tests/gold/claims.json is not written yet")
    actors = pytest.importorskip("ingest.extract.actors")
    gazetteer = actors.load_gazetteer()
    key_of_population = {p.label: p.key for p in lexicon.populations}
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["claims"]
    matched = [(g, next((c for c in corpus_claims if _overlaps(c, g)), None)) for g in gold]
    core = [(g, c) for g, c in matched if g.get("core", True)]
    found = [(g, c) for g, c in matched if c is not None]
    tagged = [c for c in corpus_claims if {"carers", "older-people"} & set(c.populations)]
    correct = [c for c in tagged if any(_overlaps(c, g) for g in gold)]

    def share(ok) -> float:
        return sum(map(ok, found)) / len(found)

    assert sum(c is not None for _, c in core) / len(core) >= 0.95
    assert len(correct) / len(tagged) >= 0.85
    assert share(lambda gc: gc[1].kind == gc[0]["kind"]) >= 0.85
    assert share(lambda gc: set(gc[1].populations) == {key_of_population[p] for p in gc[0]["populations"]}) >= 0.75
    assert share(lambda gc: gc[1].attributed_to == gazetteer.lookup(gc[0]["attributed_to"]).key) >= 0.9
