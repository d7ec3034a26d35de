"""Retrieval: the candidate passages for a question, as lists from the index and the graph.

Two ranked lists, which ``kb.qa.rank`` fuses: ``text``, Whoosh BM25F over the indexed sentences
in their text and section-title fields, each concept a disjunction of its wordings (the wording
asked boosted 1, an alias or synonym ``EXPANSION_BOOST``, a section title ``SECTION_BOOST``); and
``coverage``, every passage by how much of the question it expresses (``kb.qa.coverage``, which
counts the graph's attributions, population tags, claim kinds and grant records).

Then the lists whose passages ``kb.qa.rank`` boosts, each holding only passages that express
nearly as much of the question as the best passage (``BOOST_COVERAGE`` of its coverage, and at
least ``MIN_BOOST_COVERAGE``): ``claims``, for a findings or figure question, the claims the graph
attributes to every asked entity and tags with every asked topic group; a list named after the
intent, the passages of the answer type asked (``kb.qa.kinds``: a figure of the kind of quantity
asked, a date, another actor, a reference entry) or, for a definition, the passages saying what
the asked thing is; and ``grants``, for a funding question, the grant records of an asked funder
(of any funder when none is asked).
"""

from __future__ import annotations

import heapq
import itertools
import re
from dataclasses import dataclass, replace

from whoosh.query import Or, Phrase, Term
from whoosh.query.compound import PreloadedOr

from ..index import bm25_search, share_holding
from .analyse import Question
from .coverage import Coverage
from .expand import Concept
from .kinds import TYPED_INTENTS
from .tables import Key, Passage, Tables, contains

EXPANSION_BOOST = 0.6
SECTION_BOOST = 0.5
PRELOAD_SHARE = 0.1  # a wording in more passages than this turns the preloading disjunction off
SECTION_SHARE = 0.2  # a section-title wording held by more of the index than this is not searched
TEXT_DEPTH = 50  # BM25F hits read per question
LIST_DEPTH = 30  # passages kept per list built here
BOOST_COVERAGE = 0.75
MIN_BOOST_COVERAGE = 0.3
CLAIM_INTENTS = ("findings", "figure")  # the intents claims answer
COPULA = re.compile(r"^\W*(?:\w+\W+){1,6}?(?:is|are|means|refers to|describes)\s+(?:a|an|the)\b", re.IGNORECASE)


@dataclass(frozen=True)
class _Context:
    """What the list builders read: the question, its concepts, the tables and the scores so far."""

    question: Question
    found: list[Concept]
    tables: Tables
    coverage: Coverage
    bm25: dict[Key, float]
    reached: dict[Key, Passage]  # the coverage candidates and the BM25F hits
    floor: float = 0.0  # the least coverage a boosted passage has


def candidates(
    question: Question, found: list[Concept], tables: Tables, index, covered: Coverage
) -> dict[str, list[Passage]]:
    """The lists by name, each best first; empty lists left out."""
    hits = _bm25(found, tables, index)
    bm25 = {p.key: score for p, score in hits}
    least = _least_listed(hits, covered)
    reached = {p.key: p for p in covered.candidates(least)} | {p.key: p for p, _ in hits}
    first = _Context(question, found, tables, covered, bm25, reached)
    by_coverage = _by_coverage(list(reached.values()), first, topped_up=True)
    best = covered(by_coverage[0]) if by_coverage else 0.0
    context = replace(first, floor=max(MIN_BOOST_COVERAGE, BOOST_COVERAGE * best))
    lists = {"text": [p for p, _ in hits], "coverage": by_coverage}
    if question.intent in CLAIM_INTENTS:
        lists["claims"] = _graph_claims(context)
    if question.intent == "definition":
        lists["definition"] = _definitions(context)
    elif question.intent in TYPED_INTENTS:
        lists[question.intent] = _typed(context)
    if question.funding:
        lists["grants"] = _grants(context)
    return {name: ranked for name, ranked in lists.items() if ranked}


def _least_listed(hits: list[tuple[Passage, float]], covered: Coverage) -> float:
    """A coverage that every passage of a list reaches: the ``LIST_DEPTH``-th best of the BM25F
    hits' (the coverage list's last passage covers at least as much), but no more than the floor
    of the boosted lists those hits imply (their best is no better than the coverage list's)."""
    shares = sorted(covered.shares([p for p, _ in hits]).values(), reverse=True)
    if len(shares) < LIST_DEPTH:
        return 0.0
    return min(shares[LIST_DEPTH - 1], max(MIN_BOOST_COVERAGE, BOOST_COVERAGE * shares[0]))


# --- BM25F


def whoosh_query(found: list[Concept], tables: Tables, index):
    """One disjunction of every concept's wordings in both fields, leaving out of the section-title
    field a wording more than ``SECTION_SHARE`` of the index holds there: a heading every case study
    repeats ("Details of the impact", "Underpinning research") tells its sentences apart from
    hardly any others, and reading its postings (half of REF2014's sentences for "impact") took
    most of such a question's time. Whoosh's ``PreloadedOr`` reads
    each part's matches into arrays: two to three times faster on REF2014 than its default tree of
    union matchers, unless a wording is held by more than ``PRELOAD_SHARE`` of the passages, when
    the tree's skipping wins (the same hits and scores either way). Whoosh's ``DisjunctionMax``
    would count a concept once, but it scores a document with the score of a sub-query that does
    not match it (Whoosh-Reloaded 2.7.5); so wordings that merely extend a wording asked ("IBSEN
    project" beside "IBSEN") are left out instead, as they would count twice."""
    parts, most = [], 0
    for concept in found:
        wordings = [(w, 1.0) for w in concept.asked] + [
            (w, EXPANSION_BOOST) for w in concept.expansions if not any(contains(w, a) for a in concept.asked)
        ]
        parts.extend(
            _wording_query(field, wording, boost * field_boost)
            for wording, boost in wordings
            for field, field_boost in (("text", 1.0), ("section", SECTION_BOOST))
            if field == "text" or share_holding(index, field, wording) <= SECTION_SHARE
        )
        most = max([most, *(len(tables.wordings.holding(w)) for w, _ in wordings)])
    return (PreloadedOr if most <= PRELOAD_SHARE * len(tables.wordings.passages) else Or)(parts)


def _wording_query(field: str, wording: tuple[str, ...], boost: float):
    if len(wording) == 1:
        return Term(field, wording[0], boost=boost)
    return Phrase(field, list(wording), boost=boost)


def _bm25(found: list[Concept], tables: Tables, index) -> list[tuple[Passage, float]]:
    if not found:
        return []
    ranked: dict[Key, tuple[Passage, float]] = {}
    for hit in bm25_search(index, whoosh_query(found, tables, index), TEXT_DEPTH, ("sentence",)):
        passage = tables.passage_at(hit["doc_id"], hit["start"])
        if passage is not None and passage.key not in ranked:
            ranked[passage.key] = (passage, float(hit.score))
    return list(ranked.values())


# --- lists by coverage


def _by_coverage(passages, context: _Context, topped_up: bool = False) -> list[Passage]:
    """Passages expressing something of the question, and at least the context's floor, by
    coverage, then BM25F score (the list's depth read off the shares before anything is sorted).
    ``topped_up``: with the passages of the answer type asked that no concept reaches, too."""
    shares = context.coverage.shares(passages)
    base = context.coverage.base

    def order(passage: Passage) -> tuple:
        return -shares.get(passage.key, base), -context.bm25.get(passage.key, 0.0), passage.key

    kept = [p for p in passages if shares[p.key] > 0 and shares[p.key] >= context.floor]
    if len(kept) > LIST_DEPTH:
        least = heapq.nlargest(LIST_DEPTH, (shares[p.key] for p in kept))[-1]
        kept = [p for p in kept if shares[p.key] >= least]
    kept = sorted(kept, key=order)[:LIST_DEPTH]
    if topped_up and base > 0 and base >= context.floor:
        rest = context.coverage.typed_rest(context.reached)  # each of coverage base, no BM25F score, by key
        kept = list(itertools.islice(heapq.merge(kept, rest, key=order), LIST_DEPTH))
    return kept


def _graph_claims(context: _Context) -> list[Passage]:
    """Claims the graph attributes to every asked entity and tags with every asked topic group (a
    group of people who use services or care for them: staff, providers and councils are more
    often a claim's speakers or setting than what it is about)."""
    topics = {p.key for p in context.tables.populations if p.topic}
    asked = [c for c in context.found if c.entity or c.population in topics]
    if not asked:
        return []
    tables = context.tables
    keys = frozenset.intersection(*(
        tables.claims_with("entity", c.entity) if c.entity else tables.claims_with("population", c.population)
        for c in asked
    ))
    return _by_coverage([tables.passage(key) for key in keys], context)


def _typed(context: _Context) -> list[Passage]:
    typed = [p for p in context.reached.values() if context.coverage.has_type(p)]
    return _by_coverage(typed, context, topped_up=True)


def _definitions(context: _Context) -> list[Passage]:
    """Passages saying what an asked concept is: spelling out an asked entity ("Evaluation Network
    (IBSEN)") or opening with the concept and a copula ("Working together for change is a ...");
    failing those, passages opening with the concept."""
    found = context.found
    spelt_out = [_spelt_out(c, context.tables) for c in found if c.entity]
    passages = context.reached.values()  # a passage spelling out or opening with a concept holds its wording

    def opens_with(passage: Passage) -> bool:
        return any(passage.stems[: len(w)] == w for c in found for w in c.asked)

    def says_what(passage: Passage) -> bool:
        return any(p.search(passage.text) for p in spelt_out) or (
            opens_with(passage) and COPULA.search(passage.text) is not None
        )

    return _by_coverage([p for p in passages if says_what(p)], context) or _by_coverage(
        [p for p in passages if opens_with(p)], context
    )


def _spelt_out(concept: Concept, tables: Tables) -> re.Pattern:
    """An entity's name in brackets after another wording: "Evaluation Network (IBSEN)", "(named the IBSEN project"."""
    entity = tables.entity(concept.entity)
    names = "|".join(re.escape(n) for n in sorted(entity.names, key=len, reverse=True))
    return re.compile(rf"\((?:named |called |known as )?(?:the )?(?:{names})\b")


def _grants(context: _Context) -> list[Passage]:
    """The passages of the grants from an asked funder, or of every grant when none is asked."""
    tables = context.tables
    asked = {c.entity for c in context.found if c.entity}
    chosen = [g for g in tables.grants if g.funder_key in asked] or list(tables.grants)
    keys = {p.key for g in chosen if (p := tables.passage_at(g.doc_id, g.start)) is not None}
    return _by_coverage([tables.passage(key) for key in keys], context)
