"""Ranking: fuses the two ranked candidate lists by weighted reciprocal rank fusion, boosts what
the graph and the answer type single out, and sets aside passages that cannot answer.

Reciprocal rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009) scores a passage by the sum,
over the ranked lists holding it, of ``weight / (RRF_K + rank)``, ranks counted from 1. ``RRF_K =
60`` is the value the paper found robust: it damps the differences between the first places, so a
passage both lists rank well beats one that a single list puts first (the ranking barely changes
for k from 30 to 100). The lists are ``text`` (BM25F: words only) and ``coverage`` (the concepts
expressed, counting the graph's evidence and the answer type), which weighs ``FUSED["coverage"]
= 2``: the knowledge base's evidence counts double the bare words. Each boost list holding the
passage (the graph's claims of the asked entity and population, the answer type or definitions
asked for, the grants of a funding question) multiplies its score by ``1 + BOOST``; a passage that
cannot answer (``kb.qa.kinds.fits``: it states nothing, or lacks the answer type asked for) by
``MISFIT``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .analyse import Question
from .coverage import Coverage
from .kinds import fits
from .tables import Key, Passage, Tables

RRF_K = 60
FUSED = {"text": 1.0, "coverage": 2.0}  # ranked list -> weight in the fusion
BOOST = 0.5
MISFIT = 0.5


@dataclass(frozen=True)
class Ranked:
    passage: Passage
    score: float
    coverage: float
    lists: tuple[str, ...]  # the candidate lists that held the passage


def fuse(lists: dict[str, list[Passage]], coverage: Coverage, question: Question, tables: Tables) -> list[Ranked]:
    fused: dict[Key, float] = {}
    holders: dict[Key, list[str]] = {}
    passages: dict[Key, Passage] = {}
    for name, ranked in lists.items():
        for rank, passage in enumerate(ranked, start=1):
            if name in FUSED:
                fused[passage.key] = fused.get(passage.key, 0.0) + FUSED[name] / (RRF_K + rank)
            holders.setdefault(passage.key, []).append(name)
            passages[passage.key] = passage
    results = []
    for key, score in fused.items():
        passage = passages[key]
        boosts = sum(1 for name in holders[key] if name not in FUSED)
        score *= (1.0 + BOOST) ** boosts * (1.0 if fits(passage, question, tables) else MISFIT)
        results.append(Ranked(passage, score, coverage(passage), tuple(holders[key])))
    return sorted(results, key=lambda r: (-r.score, r.passage.key))
