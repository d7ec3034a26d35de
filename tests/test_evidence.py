"""Evidence classification (ingest/extract/evidence.py): topics, populations, direction and kind
of evidence, each with the cue behind it, on hand-built claims and on sentences parsed by the
real pipeline; and the concept schemes it reads, as data and as SKOS."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from ingest.extract.claims import extract_claims, load_lexicon
from ingest.extract.evidence import (
    DIRECTIONS,
    EVIDENCE_KINDS,
    ClaimContext,
    assess_claims,
    classify_claim,
    load_evidence_lexicon,
    load_topics,
)
from ingest.records import Claim
from kb.concepts import CONCEPTS_PATH, concepts_turtle

ISSUE_TOPICS = (
    "well-being", "satisfaction", "choice and control", "cost", "cost-effectiveness", "staff time and administration",
    "risk and safeguarding", "funding integration", "employment", "health service use",
)


@pytest.fixture(scope="module")
def lexicon():
    return load_evidence_lexicon()


def claim(text: str, populations: tuple[str, ...] = (), kind: str = "finding", **fields) -> Claim:
    return Claim("example", 0, len(text), text, kind, populations, **fields)


def judgements(lexicon, text: str, populations: tuple[str, ...] = (), lead_in: str | None = None, **fields) -> dict:
    """(population, topic) -> Judgement for a hand-built claim."""
    assessment = classify_claim(claim(text, populations, **fields), ClaimContext(lead_in=lead_in), lexicon)
    return {(j.population, j.topic): j for j in assessment.judgements}


# --- Direction, relative to the topic, for the population, with its cue.

@pytest.mark.parametrize(
    "text, populations, population, topic, direction, cue",
    [
        # stated directions
        ("Older people receiving individual budgets reported lower well-being than the comparison group.",
         ("older-people",), "older-people", "well-being", "worse", "lower well-being"),
        ("Individualised budgets can adversely affect the wellbeing of the elderly.",
         ("older-people",), "older-people", "well-being", "worse", "adversely"),
        ("Receipt of IBs was significantly associated with positive impacts on carers' reported quality of life.",
         ("carers",), "carers", "well-being", "better", "positive impacts"),
        ("Some carers, especially parents of people with learning disabilities, found that support planning was a lot of extra work.",
         ("carers", "people-with-learning-disabilities"), "carers", "well-being", "worse", "a lot of extra work"),
        ("Cost-effectiveness evidence in support of IBs is strongest for mental health service users.",
         ("mental-health-service-users",), "mental-health-service-users", "cost-effectiveness", "better", "in support of"),
        # no difference: explicit, or a negation reaching the cue or the topic's wording
        ("There was no evidence of cost-effectiveness for older people from having an individual budget.",
         ("older-people",), "older-people", "cost-effectiveness", "no difference", "no evidence"),
        ("For older people, there is no sign of a cost-effectiveness advantage for either IBs or standard support arrangements.",
         ("older-people",), "older-people", "cost-effectiveness", "no difference", "no sign of a cost-effectiveness advantage"),
        ("'Councils should not expect to achieve large cost savings through personal budgets alone'",
         ("councils",), "councils", "cost", "no difference", "not … cost savings"),
        # a comparator as subject turns the cue round; after "than", "over" or "for either" it does not
        ("Using the GHQ outcome measure, standard arrangements look marginally more cost-effective.",
         ("older-people",), "older-people", "cost-effectiveness", "worse", "standard arrangements … more cost-effective"),
        ("There appear to be a small cost-effectiveness advantage for IB over standard support arrangements for younger physically disabled people.",
         (), "working-age-physically-disabled-people", "cost-effectiveness", "better", "advantage"),
        # quantity cues take their direction from the topic's polarity
        ("Net overall costs are set to increase to cover co-ordination and monitoring.",
         ("councils",), "councils", "cost", "worse", "increase"),
        ("The limited existing data shows that some mental health service users have a greater feeling of control and service satisfaction.",
         ("mental-health-service-users",), "mental-health-service-users", "choice-and-control", "better", "greater feeling of control"),
        ("The average cost of support plans for people with individual budgets was £279 per week, compared with £296 in the comparison group.",
         ("councils",), "councils", "cost", "better", "£279 per week, compared with £296"),
        # mixed: a contrast after the cue, or a contrastive connective alone
        ("For people with learning disabilities, there is a cost-effectiveness advantage but only really when we exclude people without support plans.",
         ("people-with-learning-disabilities",), "people-with-learning-disabilities", "cost-effectiveness", "mixed", "advantage … but only"),
        ("Some, however, did want to handle the finances.", ("older-people",), "older-people", "choice-and-control", "mixed", ", however,"),
        ("Staff reported dilemmas over whether support chosen by service users was a legitimate way of spending the budget.",
         ("staff",), "staff", "choice-and-control", "mixed", "dilemmas"),
        # descriptive: no cue, and comparisons between groups of users
        ("Forty per cent of IBs were managed by informal carers.", ("carers",), "carers", "choice-and-control", "descriptive", None),
        ("Received a lower level of budget", ("older-people",), "older-people", "cost", "descriptive", None),
    ],
)
def test_direction_and_cue(lexicon, text, populations, population, topic, direction, cue):
    judgement = judgements(lexicon, text, populations)[(population, topic)]
    assert (judgement.direction, judgement.direction_cue) == (direction, cue)


def test_a_sentence_contrasting_groups_gives_each_its_own_direction(lexicon):
    found = judgements(
        lexicon,
        "However, there were variations in outcomes between different groups of IB users: satisfaction was highest "
        "among mental health service users and physically disabled working age people and lowest among older people.",
    )
    assert {key[0]: (j.direction, j.direction_cue) for key, j in found.items() if key[1] == "satisfaction"} == {
        "mental-health-service-users": ("better", "highest"),
        "working-age-physically-disabled-people": ("better", "highest"),
        "older-people": ("worse", "lowest"),
    }


def test_direction_is_per_topic(lexicon):
    found = judgements(
        lexicon,
        "The initial pilots revealed no significant cost savings and in fact standard care arrangements remained "
        "more cost effective and the users happier.",
        ("older-people",),
    )
    assert found[("older-people", "cost")].direction == "no difference"
    assert found[("older-people", "satisfaction")].direction == "worse"
    assert found[("older-people", "satisfaction")].direction_cue == "standard care arrangements … happier"


def test_a_list_item_without_a_cue_takes_its_lead_ins(lexicon):
    lead_in = "Care co-ordinators, managers and adult protection lead officers identified concerns about:"
    found = judgements(lexicon, "Service users and carers managing finances", ("carers", "staff"), lead_in=lead_in, kind="concern")
    assert set(found) == {("carers", "risk-and-safeguarding")}  # the lead-in's speakers are not what it is about
    assert (found[("carers", "risk-and-safeguarding")].direction, found[("carers", "risk-and-safeguarding")].direction_cue) == (
        "worse", "concerns (lead-in)")


# --- Populations: speakers, other groups, implied populations.

def test_a_speaker_gives_way_to_the_population_the_claim_is_about(lexicon):
    found = judgements(
        lexicon,
        "Many practitioners were concerned about the risks of physical or financial abuse especially if friends or relatives were employed.",
        ("carers", "staff"),
    )
    assert {key[0] for key in found} == {"carers"}


def test_a_speaker_alone_is_what_the_claim_is_about(lexicon):
    found = judgements(lexicon, "Staff felt budgets did not match needs and support chosen was not always safe.", ("staff",))
    assert {key[0] for key in found} == {"staff"}


def test_other_groups_drop_the_population_in_context(lexicon):
    text = "There were indications that for other service users groups that the benefits of individual budgets were cost-effective."
    assert judgements(lexicon, text, ("older-people",)) == {}


@pytest.mark.parametrize(
    "text, population, cue",
    [
        ("There is no evidence of reductions in management and administrative time.", "staff", "administrative time"),
        ("Economies of scale are likely to be lost in the letting of contracts.", "providers", "Economies of scale"),
        ("There were difficulties in holistic packages as different funding streams had different eligibility criteria.", "councils", "holistic packages"),
    ],
)
def test_a_wording_implies_the_population_of_a_claim_naming_none(lexicon, text, population, cue):
    found = judgements(lexicon, text)
    assert {j.population for j in found.values()} == {population}
    assert {j.population_cue for j in found.values()} == {cue}


# --- Topics: wordings, absorbed measures, aims, names.

@pytest.mark.parametrize(
    "text, topics",
    [
        ("Carers reported a better quality of life.", {"well-being"}),
        ("When looking at the psychological wellbeing outcome, standard care arrangements look slightly more cost-effective than IBs.",
         {"cost-effectiveness"}),  # the wellbeing outcome is the measure of cost-effectiveness
        ("An older person is reliant on a paid carer who provides co-ordination roles to ensure the wellbeing of the user.", set()),
        ("IBSEN evidence shaped the design of the Right to Control pilots.", set()),  # a name, not choice and control
        ("Also they expected there to be increased administrative tasks due to lots of different invoicing.", {"staff-time-and-administration"}),
    ],
)
def test_topics(lexicon, text, topics):
    assessment = classify_claim(claim(text, ("older-people",)), ClaimContext(), lexicon)
    assert {t.topic for t in assessment.topics} == topics


def test_caveats_have_topics_but_no_judgements(lexicon):
    assessment = classify_claim(claim("The data on cost was affected by the difficulty of calculating time spent.", ("councils",), "caveat"), ClaimContext(), lexicon)
    assert [t.topic for t in assessment.topics] == ["cost"] and assessment.judgements == ()


def test_guidance_counts_only_where_it_states_a_direction(lexicon):
    undirected = "It stresses the need for personal budgets offering real choice and flexibility to family carers."
    assert judgements(lexicon, undirected, ("carers",), kind="recommendation") == {}


# --- Kind of evidence, with its cue.

@pytest.mark.parametrize(
    "fields, context, kind, cue",
    [
        ({"text": "Councils should check that personal budgets are authentic.", "kind": "recommendation", "cue": "should"},
         ClaimContext(), "guidance", "should"),
        ({"text": "Staff reported dilemmas over whether support chosen by service users was legitimate.", "populations": ("staff",)},
         ClaimContext(), "staff or provider report", "Staff reported"),
        ({"text": "Providers said that the lack of long-term contracts would affect their ability to guarantee training."},
         ClaimContext(), "staff or provider report", "Providers said"),
        ({"text": "The possibility of financial abuse", "kind": "concern"},
         ClaimContext(lead_in="Care co-ordinators and managers identified concerns about:"), "staff or provider report",
         "Care co-ordinators and managers identified"),
        ({"text": "Older people reported lower well-being than the comparison group."},
         ClaimContext(), "trial or evaluation finding", "comparison group"),
        ({"text": "In general the picture looked positive, with most people reporting a positive impact on their lives."},
         ClaimContext(), "survey", "people reporting"),
        ({"text": "In terms of older people this is not however the case.", "section": "APSE Comment"},
         ClaimContext(doc_type="briefing"), "commentary or opinion", "section: APSE Comment"),
        ({"text": "Forty per cent of IBs were managed by informal carers.", "attributed_to": "ibsen"},
         ClaimContext(), "trial or evaluation finding", "attributed to ibsen"),
        ({"text": "Time is also needed to re-engineer processes."},
         ClaimContext(doc_type="report"), "commentary or opinion", "document type: report"),
    ],
)
def test_evidence_kind_and_cue(lexicon, fields, context, kind, cue):
    text = fields.pop("text")
    assessment = classify_claim(claim(text, **fields), context, lexicon)
    assert (assessment.evidence_kind, assessment.evidence_cue) == (kind, cue)


# --- Through the real pipeline: a parsed snippet, claims extracted, then assessed in context.

SNIPPET = """# Findings about risk

Care co-ordinators, managers and adult protection lead officers identified concerns about:

- Service users and carers managing finances
- The possibility of financial abuse

Many pilots didn't have clear processes for monitoring risk after the support package was in place.
"""


def test_assess_claims_in_a_parsed_document(parse):
    parsed = parse(SNIPPET)
    lexicon = load_evidence_lexicon()
    claims = assess_claims(parsed, extract_claims(parsed, [], load_lexicon()), lexicon)
    by_text = {c.text: c for c in claims}
    finances = by_text["Service users and carers managing finances"].assessment
    assert finances.evidence_kind == "staff or provider report"
    assert [(j.population, j.topic, j.direction) for j in finances.judgements] == [("carers", "risk-and-safeguarding", "worse")]
    assert by_text["The possibility of financial abuse"].assessment.judgements == ()  # about nobody named
    pilots = by_text["Many pilots didn't have clear processes for monitoring risk after the support package was in place."].assessment
    assert [(j.population, j.direction, j.direction_cue, j.population_cue) for j in pilots.judgements] == [
        ("staff", "worse", "didn't have", "monitoring risk")]


# --- The schemes as data and as SKOS.

def test_the_topics_are_the_issues_with_wordings():
    topics = load_topics()
    assert tuple(t.label for t in topics) == ISSUE_TOPICS
    assert all(t.wordings and t.note and t.more_is in ("better", "worse", "unclear") for t in topics)
    wellbeing = next(t for t in topics if t.key == "well-being")
    assert {"wellbeing", "well-being", "psychological wellbeing", "quality of life"} <= set(wellbeing.wordings)


def test_topic_and_population_keys_do_not_collide():
    assert not {t.key for t in load_topics()} & {p.key for p in load_lexicon().populations}


def test_rules_name_only_known_values(lexicon):
    assert {rule.kind for rule in lexicon.kind_rules} == set(EVIDENCE_KINDS)
    assert {kind for kind, _ in lexicon.direction_cues} == {*DIRECTIONS[:4], "up", "down"}
    keys = {p.key for p in lexicon.populations}
    assert {population for population, _ in lexicon.implied_populations} <= keys
    assert {key for t in lexicon.topics for key in t.absorbs} <= {t.key for t in lexicon.topics}


def test_concepts_ttl_is_generated_from_the_lexicons():
    assert CONCEPTS_PATH.read_text(encoding="utf-8") == concepts_turtle(), "run: python -m kb.concepts"


def test_concepts_ttl_is_a_skos_scheme_of_both():
    graph = Graph().parse(CONCEPTS_PATH)
    concept = "https://w3id.org/carekb/id/concept/"
    topics = set(graph.subjects(SKOS.inScheme, URIRef(concept + "topics")))
    populations = set(graph.subjects(SKOS.inScheme, URIRef(concept + "populations")))
    assert {str(graph.value(t, SKOS.prefLabel)) for t in topics} == set(ISSUE_TOPICS)
    assert len(populations) == 8
    assert "quality of life" in {str(o) for o in graph.objects(URIRef(concept + "well-being"), SKOS.altLabel)}
