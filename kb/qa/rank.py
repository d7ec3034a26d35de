"""Ranking: fuses the candidate lists by reciprocal rank fusion, boosts what the graph and the
kind of answer asked single out, and sets aside passages that cannot answer.

Reciprocal rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009) scores a passage by the sum over
the ``FUSED`` lists holding it (the BM25F text list and the coverage list) of
``1 / (RRF_K + rank)``, ranks counted from 1. ``RRF_K = 60`` is the value the paper found robust:
it damps the differences between the first few places, so a passage both lists rank well beats
one that a single list puts first. Each other list holding the passage (the graph's claims
attributed to the asked entity and tagged with the asked population; the figures, dates,
references, actors or definitions the intent asks for; the grants of a funding question)
multiplies its score by ``1 + BOOST``. A passage that cannot answer is multiplied by ``MISFIT``:
one that states nothing (a question, a lead-in ending in a colon), a reference-list entry unless
sources are asked for, and, for a figure, when or who question, one without a figure of the kind
asked, a date, or an actor other than those asked about (answer-type checking).
"""

from __future__ import annotations

from dataclasses import dataclass

from .analyse import Question
from .coverage import Coverage
from .retrieve import Candidates, holds_figure
from .tables import Passage, Tables

RRF_K = 60
FUSED = ("text", "coverage")
BOOST = 0.5
MISFIT = 0.5


@dataclass(frozen=True)
class Ranked:
    passage: Passage
    score: float
    coverage: float
    lists: tuple[str, ...]  # the candidate lists that held the passage


def fuse(candidates: Candidates, coverage: Coverage, question: Question, tables: Tables) -> list[Ranked]:
    fused: dict[tuple[str, int], float] = {}
    holders: dict[tuple[str, int], list[str]] = {}
    passages: dict[tuple[str, int], Passage] = {}
    for name, ranked in candidates.lists.items():
        for rank, passage in enumerate(ranked, start=1):
            if name in FUSED:
                fused[passage.key] = fused.get(passage.key, 0.0) + 1.0 / (RRF_K + rank)
            holders.setdefault(passage.key, []).append(name)
            passages[passage.key] = passage
    results = []
    for key, score in fused.items():
        passage = passages[key]
        boosts = sum(1 for name in holders[key] if name not in FUSED)
        score *= (1.0 + BOOST) ** boosts * (1.0 if fits(passage, question, tables) else MISFIT)
        results.append(Ranked(passage, score, coverage(passage), tuple(holders[key])))
    return sorted(results, key=lambda r: (-r.score, r.passage.key))


def fits(passage: Passage, question: Question, tables: Tables) -> bool:
    """Whether the passage is the kind of text that could answer the question."""
    if passage.source == "reference" or question.intent == "sources":
        return passage.source == "reference" and question.intent == "sources"
    if passage.text.rstrip(" '\"’”").endswith(("?", ":")):
        return False
    if question.intent == "figure":
        return holds_figure(passage, question, tables)
    if question.intent == "when":
        return passage.dated
    if question.intent == "who":
        return bool(passage.entities - {m.key for m in question.entities})
    return True
