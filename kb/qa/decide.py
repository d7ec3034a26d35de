"""The no-answer decision: whether the corpus holds evidence for a question at all.

A question is answerable when one of the first ``DECISION_DEPTH`` ranked passages both fits the
question (``kb.qa.kinds.fits``: a statement, with a figure of the kind asked for a figure question,
a date for a when question...) and expresses at least ``MIN_COVERAGE`` of the question's concept
weight (``kb.qa.coverage``). A concept weighs more the fewer passages express it, and a thing no
passage expresses weighs the most, so a question about what the sources never mention ("the
boiling point of mercury", "in 2020") cannot pass on its common words alone. The threshold is one
half, the majority of what was asked, not a value fitted to the gold questions;
``tests/eval_qa.py`` reports how it separates the gold set's answerable questions from its
unanswerable ones. Of an answerable question, passages expressing less than ``MIN_SHARE_OF_BEST``
of what the best passage expresses are not shown.
"""

from __future__ import annotations

from .analyse import Question
from .kinds import fits
from .rank import Ranked
from .tables import Tables

DECISION_DEPTH = 5
MIN_COVERAGE = 0.5
MIN_SHARE_OF_BEST = 0.5


def has_evidence(ranked: list[Ranked], question: Question, tables: Tables) -> bool:
    return any(r.coverage >= MIN_COVERAGE and fits(r.passage, question, tables) for r in ranked[:DECISION_DEPTH])


def shown(ranked: list[Ranked]) -> list[Ranked]:
    """The passages worth showing: those expressing a fair share of what the best one does."""
    best = max((r.coverage for r in ranked), default=0.0)
    return [r for r in ranked if r.coverage > 0 and r.coverage >= MIN_SHARE_OF_BEST * best]
