"""Extraction quality held on the gold sets, measured on what the knowledge base serves."""

from __future__ import annotations

import pytest

from .eval_extraction import actor_scores, citation_scores, claim_scores, figure_scores, footnote_and_bracket_scores, merge_accuracy


def test_figures_f1_at_least_0_9(service):
    score = figure_scores(service)
    assert score.f1 >= 0.9, score.row()


def test_actors_f1_at_least_0_9_with_merges(service):
    score = actor_scores(service)
    assert score.f1 >= 0.9, score.row()
    assert merge_accuracy(service) >= 0.9


@pytest.mark.parametrize("kind", ["references", "sources", "pointers", "grants"])
def test_case_study_citations_f1_at_least_0_9(service, kind):
    score = citation_scores(service)[kind]
    assert score.f1 >= 0.9, score.row()


def test_pointers_in_the_other_documents(service):
    assert footnote_and_bracket_scores(service).f1 >= 0.9


def test_claims_about_carers_and_older_people(service):
    scores = claim_scores(service)
    assert scores["recall_core"] >= 0.9, scores
    assert scores["precision_tagged"] >= 0.85, scores
    assert scores["kind_accuracy"] >= 0.85 and scores["population_accuracy"] >= 0.85, scores
    assert scores["attribution_accuracy"] >= 0.85, scores
