"""Normalisation: canonical text, blocks and the offset map back to the text as read."""

from __future__ import annotations

import pytest

from ingest.normalise import normalise
from ingest.records import Heading, OffsetMap, ReadDocument
from ingest.readers import read_path

from .conftest import CORPUS


def canonical(text: str, hard_wrapped: bool | None = None, headings=()):
    read = ReadDocument("t", "<t>", "", "text/plain", text, headings=list(headings), hard_wrapped=hard_wrapped)
    return normalise(read)


def blocks(text: str, **kwargs) -> list[tuple[str, str]]:
    result = canonical(text, **kwargs)
    return [(b.kind, result.text[b.start : b.end]) for b in result.blocks]


@pytest.mark.parametrize(
    "raw, expected",
    [
        # markup is removed, its text kept
        ("On April 1<sup>st</sup> 2009, the Government", [("paragraph", "On April 1st 2009, the Government")]),
        ("a &#163;910,000 AHRC grant &amp; more", [("paragraph", "a £910,000 AHRC grant & more")]),
        ("*'A personal health budget helps.'*", [("paragraph", "'A personal health budget helps.'")]),
        ("<http://nds.coi.gov.uk/x.asp?a=1&b=2>", [("paragraph", "http://nds.coi.gov.uk/x.asp?a=1&b=2")]),
        # headings: markdown marks, short title-like lines
        ("## **Lesson learnt**\n\nThe previous evaluation was published.", [("heading", "Lesson learnt"), ("paragraph", "The previous evaluation was published.")]),
        ("Findings about carers\n\nPilot sites varied.", [("heading", "Findings about carers"), ("paragraph", "Pilot sites varied.")]),
        # bullets lose their marker, numbered items keep theirs
        ("· Received a lower level of budget\n· Were less likely to manage", [("list-item", "Received a lower level of budget"), ("list-item", "Were less likely to manage")]),
        ("1. Glendinning, C. (2008) Final Report.", [("list-item", "1. Glendinning, C. (2008) Final Report.")]),
        # white space collapses; lines of rules vanish
        ("There was concern on the  impact\n---\t--", [("paragraph", "There was concern on the impact")]),
        # a paragraph broken by a page break is joined
        ("progress at many\n\ncouncils which have begun.", [("paragraph", "progress at many councils which have begun.")]),
        # footnotes keep their marker
        ("¹The Information Centre, 2010.", [("footnote", "¹The Information Centre, 2010.")]),
    ],
)
def test_blocks(raw, expected):
    assert blocks(raw) == expected


def test_hard_wrapped_lines_are_reflowed_into_paragraphs():
    raw = (
        "Summary of the impact\n"
        "A major element of modernising English adult social care is the\n"
        "introduction of individual, user-directed\n"
        "budgets. The Social Policy Research Unit (SPRU) led a major, multi-method\n"
        "and multi-centre\n"
        "research programme.\n"
        "Underpinning research\n"
        "In 2007-08, around 1.75 million working age and older people in England\n"
        "used social care services.\n"
    )
    assert blocks(raw, hard_wrapped=True) == [
        ("heading", "Summary of the impact"),
        ("paragraph", "A major element of modernising English adult social care is the introduction of individual, "
         "user-directed budgets. The Social Policy Research Unit (SPRU) led a major, multi-method and multi-centre "
         "research programme."),
        ("heading", "Underpinning research"),
        ("paragraph", "In 2007-08, around 1.75 million working age and older people in England used social care services."),
    ]


def test_ref_labels_glued_to_values_are_split():
    raw = "Submitting Institution\nUniversity of YorkUnit of Assessment\nSocial Work and Social PolicySummary Impact Type\nPolitical\n"
    assert blocks(raw, hard_wrapped=True) == [
        ("heading", "Submitting Institution"),
        ("paragraph", "University of York"),
        ("heading", "Unit of Assessment"),
        ("paragraph", "Social Work and Social Policy"),
        ("heading", "Summary Impact Type"),
        ("paragraph", "Political"),
    ]


def test_logo_furniture_at_the_top_is_dropped():
    raw = (
        "Personal budgets – checking the results\n\n**Local\nGovernment**\nImprovement\nand Development\n\n"
        "Directors of\nadass\nadult social services\n\nWhat is this paper for?\n\nThis paper considers approaches.\n"
    )
    assert blocks(raw) == [
        ("heading", "Personal budgets – checking the results"),
        ("heading", "What is this paper for?"),
        ("paragraph", "This paper considers approaches."),
    ]


def test_reader_headings_are_kept():
    text = "Title\n\nSummary of the impact\nsome text here.\n"
    result = canonical(text, hard_wrapped=True, headings=[Heading(0, 5, 1), Heading(7, 28, 2)])
    assert [(b.kind, result.text[b.start : b.end]) for b in result.blocks][:2] == [("heading", "Title"), ("heading", "Summary of the impact")]


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_every_canonical_character_maps_back_to_the_same_character(path):
    read = read_path(path)[0]
    result = normalise(read)
    copied = 0
    for i, char in enumerate(result.text):
        if char.isalnum():
            assert read.text[result.offsets.to_read(i)] == char or char in "0123456789", (i, char)
            copied += read.text[result.offsets.to_read(i)] == char
    assert copied > 0.95 * sum(c.isalnum() for c in result.text)


def test_offset_map_keeps_one_run_for_text_copied_unchanged():
    offsets = OffsetMap()
    for canon_start, read_start in ((0, 0), (5, 5), (9, 9)):  # three pieces copied one after another
        offsets.add_run(canon_start, read_start, copied=True)
    offsets.add_run(12, 14, copied=False)  # "&amp;" read as "&"
    offsets.add_run(13, 19, copied=True)
    offsets.add_run(20, 26, copied=True)
    assert offsets.encode() == "0:0:c;12:14:r;13:19:c"
    assert [offsets.to_read(i) for i in (0, 11, 12, 13, 25)] == [0, 11, 14, 19, 31]


def test_offset_map_round_trips_through_its_text_form():
    result = canonical("A &amp; B\nline two of the\nparagraph.", hard_wrapped=True)
    decoded = OffsetMap.decode(result.offsets.encode())
    assert [decoded.to_read(i) for i in range(len(result.text))] == [result.offsets.to_read(i) for i in range(len(result.text))]


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_canonical_text_has_no_markup_or_hard_breaks(path):
    text = normalise(read_path(path)[0]).text
    assert "**" not in text and "<sup>" not in text and "&amp;" not in text
    assert "\n\n\n" not in text
    for block in text.split("\n\n"):
        assert "\n" not in block
