"""Actor extraction: each source of mentions, the fixes for spaCy's known errors, merges and roles."""

from __future__ import annotations

import glob
import tomllib
from pathlib import Path

import pytest

from ingest.extract.actors import extract_actors, extract_roles, load_gazetteer, reads_entities
from ingest.readers import read_path
from ingest.segment import parse_documents, segment_document

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


@pytest.fixture
def actors(parse, gazetteer):
    def _actors(text: str):
        return extract_actors(parse(text), gazetteer)

    return _actors


def found(mentions) -> set[tuple[str, str, str]]:
    return {(m.text, m.actor_type, m.key) for m in mentions}


MENTIONS = [
    # gazetteer
    ("The Individual Budget (IB) pilots were funded by DH to develop personalisation.",
     ("DH", "organisation", "department-of-health"), "gazetteer"),
    ("Interviews identified increased applications, e.g. to ILF.",
     ("ILF", "organisation", "independent-living-fund"), "gazetteer"),
    ("The previous evaluation by the Individual Budgets Evaluations Network (Ibsen) was published in 2008.",
     ("Ibsen", "study", "ibsen"), "gazetteer"),
    ("A study being conducted in Essex suggested that budget holders had leverage.",
     ("Essex", "place", "essex"), "gazetteer"),
    # acronym definition with a long form that is an organisation by pattern
    ("The Northshire Carers Research Unit (NCRU) ran the study. Later NCRU reported.",
     ("NCRU", "organisation", "northshire-carers-research-unit"), "acronym-definition"),
    # pattern: organisation head words and titles
    ("Westshire County Council was an early adopter of the approach.",
     ("Westshire County Council", "organisation", "westshire-county-council"), "pattern"),
    ("The work was supported by the Department for Rural Affairs.",
     ("Department for Rural Affairs", "organisation", "department-for-rural-affairs"), "pattern"),
    ("Dr Arksey, Moran and Dr Rabiee were responsible for outcome interviews with carers.",
     ("Dr Arksey", "person", "person-arksey"), "pattern"),  # spaCy tags "Dr Arksey" ORG
    ("Professor Glendinning co-ordinated IBSEN.",
     ("Professor Glendinning", "person", "person-glendinning"), "pattern"),
    ("The South Australia State Minister for Disability visited SPRU in 2011.",
     ("South Australia State Minister for Disability", "person", "south-australia-state-minister-for-disability"),
     "pattern"),
    # spaCy NER
    ("Mark Wilberforce (research fellow) managed the project.",
     ("Mark Wilberforce", "person", "person-wilberforce"), "spacy-ner"),
    ("Presentations were made to the Minister for Adult Social Care, Ivan Lewis, and others.",
     ("Ivan Lewis", "person", "person-lewis"), "spacy-ner"),
]


@pytest.mark.parametrize("text, expected, method", MENTIONS)
def test_each_source_of_mentions(actors, text, expected, method):
    mentions = [m for m in actors(text) if (m.text, m.actor_type, m.key) == expected]
    assert mentions, found(actors(text))
    assert mentions[0].method == method


def test_reference_list_authors(actors):
    text = (
        "References to the research\n\n"
        "1. Glendinning, C., Challis, D., Fernandez, J-L. and Wilberforce, M. (2008) Evaluation of the "
        "Individual Budgets Pilot Programme: Final Report, Social Policy Research Unit, University of York, York."
    )
    mentions = actors(text)
    people = {(m.text, m.key) for m in mentions if m.method == "reference-list"}
    assert {("Glendinning, C.", "person-glendinning"), ("Fernandez, J-L.", "person-fernandez"),
            ("Wilberforce, M.", "person-wilberforce")} <= people
    assert ("Evaluation of the Individual Budgets Pilot Programme", "study", "ibsen") in found(mentions)
    assert ("University of York", "organisation", "university-of-york") in found(mentions)


def test_entities_are_recognised_only_in_sections_whose_entities_become_actors(parse):
    parsed = parse(
        "Glendinning led the study for the Department of Health in London.\n\n"
        "References\n\n1. Glendinning, C. (2008) A study for the Department of Health, London."
    )
    (body, body_doc), (entry, entry_doc) = parsed.block_docs
    assert parsed.segmented.section_of(entry.start).title == "References"
    assert {e.text for e in body_doc.ents} >= {"the Department of Health", "London"}
    assert not entry_doc.ents and entry_doc.has_annotation("DEP") and entry_doc.has_annotation("TAG")
    assert not reads_entities("References to the research") and not reads_entities("Sources to corroborate the impact")
    assert reads_entities("Details of the impact") and reads_entities(None)


SPACY_FIXES = [
    # places spaCy tags PERSON are checked against the gazetteer's places
    ("IBSEN involved researchers from the London School of Economics, Manchester and Kent.",
     ("Kent", "place", "kent")),
    # an entity keeping "'s" or a leading "the"
    ("We thank the Princess Royal Trust for Carers's staff.",
     ("Princess Royal Trust for Carers", "organisation", "princess-royal-trust-for-carers")),
    # a possessive gazetteer form gives the name without "'s"
    ("It shaped the Department for Work and Pension's (DWP) pilot projects.",
     ("Department for Work and Pension", "organisation", "department-for-work-and-pensions")),
    # a REF field label glued to a name, a footnote marker glued to a surname
    ("Further reviews followed (Routledge and Carr 2013)3.", ("Carr", "person", "person-carr")),
]


@pytest.mark.parametrize("text, expected", SPACY_FIXES)
def test_fixes_for_spacy_errors(actors, text, expected):
    assert expected in found(actors(text))


@pytest.mark.parametrize("text, junk", [
    ("Forty per cent of IBs were managed by informal carers.", {"IBs", "IB"}),
    ("IBSEN included a Randomised Control Trial (RCT) that compared outcomes.", {"RCT", "Randomised Control Trial"}),
    ("There was no way of enforcing CRB checks for PAs.", {"CRB", "PAs"}),
    ("The LA was managing the individual budget in 27% of cases.", {"LA"}),
    ("Using the GHQ [General Health Questionnaire] outcome measure, standard arrangements look better.", {"GHQ"}),
    ("IBSEN shaped the design of NHS personal health budgets (PHBs) between 2009-12.", {"PHBs"}),
    ("Tower Hamlets had three PCT areas.", {"PCT"}),  # a generic kind of body
])
def test_no_actor_for_programmes_and_instruments(actors, text, junk):
    assert not junk & {m.text for m in actors(text)}


def test_merges_within_a_document(actors):
    mentions = actors(
        "The Department of Health's (DH) guidance followed. The DH welcomed the report. "
        "The Individual Budgets Evaluation Network (IBSEN) evaluated the pilots; the IBSEN project and Ibsen "
        "are the same. Professor Glendinning co-ordinated it and Glendinning also led the carers study."
    )
    keys = {m.text: m.key for m in mentions}
    assert keys["Department of Health"] == keys["DH"] == "department-of-health"
    assert keys["Individual Budgets Evaluation Network"] == keys["IBSEN"] == keys["the IBSEN project"] == "ibsen"
    assert keys["Ibsen"] == "ibsen"
    assert keys["Professor Glendinning"] == keys["Glendinning"] == "person-glendinning"
    assert {m.label for m in mentions if m.key == "ibsen"} == {"IBSEN"}


def test_person_label_prefers_the_fullest_form(actors):
    mentions = actors(
        "Mark Wilberforce managed the project.\n\nReferences\n\n1. Wilberforce, M. and Glendinning, C. (2011) Title."
    )
    labels = {m.key: m.label for m in mentions}
    assert labels["person-wilberforce"] == "Mark Wilberforce"
    assert labels["person-glendinning"] == "C. Glendinning"


def roles_of(parse, gazetteer, text):
    parsed = parse(text)
    return extract_roles(parsed, extract_actors(parsed, gazetteer))


ROLES = [
    ("The Social Policy Research Unit (SPRU) led a major research programme evaluating the pilot projects.",
     ("social-policy-research-unit", "led", None, "a major research programme evaluating the pilot projects")),
    ("The Individual Budget (IB) pilots were funded by DH to develop personalisation.",
     ("department-of-health", "funded", None, "The Individual Budget (IB) pilots")),
    ("The Social Care Institute for Excellence (SCIE), on behalf of DH, commissioned further research from SPRU.",
     ("scie", "commissioned", None, "further research")),
    ("IBSEN also prompted the English Association of Directors of Adult Social Services (ADASS) to commission a "
     "further review of evidence.", ("adass", "commissioned", None, "a further review of evidence")),
    ("The South Australia State Minister for Disability visited SPRU in 2011 to learn about the UK's experiences.",
     ("south-australia-state-minister-for-disability", "visited", "social-policy-research-unit", "SPRU")),
    ("SPRU published full and summary reports of the main evaluation.",
     ("social-policy-research-unit", "published", None, "full and summary reports of the main evaluation")),
    ("Professor Glendinning co-ordinated IBSEN and contributed to all stages of the main evaluation.",
     ("person-glendinning", "co-ordinated", "ibsen", "IBSEN")),
    ("Mark Wilberforce (research fellow) managed the project and investigated the implications.",
     ("person-wilberforce", "managed", None, "the project")),
]


@pytest.mark.parametrize("text, expected", ROLES)
def test_roles_active_and_passive(parse, gazetteer, text, expected):
    """Subject, role and object key as stated; the object phrase at least as far as spaCy attaches it."""
    roles = roles_of(parse, gazetteer, text)
    assert any((r.subject_key, r.role, r.object_key) == expected[:3] and r.object_text.startswith(expected[3])
               for r in roles), roles


def test_no_role_without_an_actor_subject(parse, gazetteer):
    assert not roles_of(parse, gazetteer, "Forty per cent of IBs were managed by informal carers.")


def test_gazetteer_is_well_formed(gazetteer):
    from ingest.ids import slugify

    keys = [e.key for e in gazetteer.entries]
    assert len(keys) == len(set(keys))
    assert {e.type for e in gazetteer.entries} <= {"organisation", "person", "place", "study"}
    assert all(e.key == slugify(e.label) for e in gazetteer.entries)


@pytest.fixture(scope="module")
def corpus_mentions(nlp, gazetteer):
    manifest = tomllib.loads((ROOT / "corpus" / "manifest.toml").read_text(encoding="utf-8"))
    ids = {d["file"]: d["id"] for d in manifest["document"]}
    files = sorted(glob.glob(str(ROOT / "corpus" / "*.txt")))
    docs = [segment_document(read_path(f)[0]) for f in files]
    return {ids[Path(f).name]: extract_actors(p, gazetteer) for f, p in zip(files, parse_documents(docs, nlp))}


@pytest.mark.parametrize("key, documents", [
    ("department-of-health", {"ibsen-key-issues", "york-spsw02", "personal-budgets-checking-results"}),
    ("ibsen", {"ibsen-key-issues", "apse-briefing-09-20", "york-spsw02", "scie-report-37"}),
    ("person-glendinning", {"york-spsw02"}),
    ("uk", {"york-spsw02", "scie-report-37", "personal-budgets-checking-results"}),
])
def test_keys_merge_across_corpus_documents(corpus_mentions, key, documents):
    assert {doc for doc, mentions in corpus_mentions.items() if any(m.key == key for m in mentions)} == documents


def test_corpus_forms_merge(corpus_mentions):
    york = corpus_mentions["york-spsw02"]
    forms = {m.text for m in york if m.key == "person-glendinning"}
    assert {"Professor Glendinning", "Glendinning, C."} <= forms
    assert {m.text for m in corpus_mentions["ibsen-key-issues"] if m.key == "ibsen"} == {"Individual Budget Pilots Evaluation"}
    assert {m.text for m in corpus_mentions["apse-briefing-09-20"] if m.key == "ibsen"} >= {"Ibsen"}


def test_corpus_against_gold(corpus_mentions):
    """Entity precision and recall per document against the hand-made gold set stay at F1 >= 0.9."""
    import json
    import re

    gold_path = ROOT / "tests" / "gold" / "actors.json"
    if not gold_path.exists():
        pytest.skip("no gold actors")
    gold = json.loads(gold_path.read_text(encoding="utf-8"))

    def norm(s: str) -> str:
        s = re.sub(r"^the\s+", "", s.strip(), flags=re.I)
        return re.sub(r"\s+", " ", re.sub(r"['’]s?$", "", s)).casefold()

    tp = predicted = found_gold = total_gold = 0
    for doc, mentions in corpus_mentions.items():
        entities: dict[str, set[str]] = {}
        for m in mentions:
            entities.setdefault(m.key, set()).update({norm(m.text), norm(m.label)})
        golds = [{norm(x) for x in [e["label"], *e["aliases"]]} for e in gold["entities"] if doc in e["documents"]]
        tp += sum(1 for forms in entities.values() if any(forms & g for g in golds))
        predicted += len(entities)
        found_gold += sum(1 for g in golds if any(forms & g for forms in entities.values()))
        total_gold += len(golds)
    precision, recall = tp / predicted, found_gold / total_gold
    assert 2 * precision * recall / (precision + recall) >= 0.9
