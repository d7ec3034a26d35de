"""Titles of works mentioned in running text."""

from __future__ import annotations

import pytest

from ingest.extract.title_mentions import extract_title_mentions


@pytest.mark.parametrize(
    "sentence, titles",
    [
        # quoted titles, sentence or title case
        ("The previous 'Evaluation of the Individual Budgets Pilot Programme' by the network was published in 2008.", ["Evaluation of the Individual Budgets Pilot Programme"]),
        ("Pilots are announced under the guise of 'Personal health budgets: first steps', which should focus on budgets.", ["Personal health budgets: first steps"]),
        ("The report “Keeping Personal Budgets Personal” was widely read.", ["Keeping Personal Budgets Personal"]),
        # quotations say something: a finite verb, or a lower-case start, is not a title
        ("The report states: 'Councils should not expect to achieve large cost savings through personal budgets alone'.", []),
        ("The Committee concluded that 'the details of implementation are contentious'.", []),
        # too short to be a title
        ("The DWP's 'Right to Control' trailblazers were evaluated.", []),
    ],
)
def test_title_mentions(parse, sentence, titles):
    parsed = parse(sentence)
    mentions = extract_title_mentions(parsed)
    assert [m.title for m in mentions] == titles
    for m in mentions:
        assert parsed.text[m.start : m.end] == m.text and m.list_kind == "mentions"
