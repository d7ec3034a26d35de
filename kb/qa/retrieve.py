"""Retrieval: the candidate passages for a question, as ranked lists from the index and the graph.

``text``: Whoosh BM25F over sentences, in the text and section-title fields, each concept a
disjunction of its wordings (the wording asked boosted 1, an alias or synonym ``EXPANSION_BOOST``).
``coverage``: every passage by coverage (``kb.qa.coverage``). ``claims``: the claims the graph
attributes to every asked entity and tags with every asked population, for a findings or figure
question. Then one list for the kind of answer asked: passages holding an extracted
figure (of the kind of quantity asked first) for a figure question, a date for a when question,
reference-list entries for a sources question, another actor's name for a who question, the asked
thing as their subject or spelt out for a definition; and grants for a funding question. Every
list after ``text`` orders its passages by coverage, then BM25F score.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from whoosh import scoring
from whoosh.query import Or, Phrase, Term

from .analyse import Question
from .coverage import Coverage, contains
from .expand import Concept
from .tables import Passage, Tables

EXPANSION_BOOST = 0.6
SECTION_BOOST = 0.5
TEXT_DEPTH = 50  # BM25F hits read per question
LIST_DEPTH = 30  # passages kept per graph or intent list
BOOST_COVERAGE = 0.75
MIN_BOOST_COVERAGE = 0.3
COPULA = re.compile(r"^\W*(?:\w+\W+){1,6}?(?:is|are|means|refers to|describes)\s+(?:a|an|the)\b", re.IGNORECASE)
CLAIM_INTENTS = ("findings", "figure")  # the intents that claims answer
UNIT_FAMILIES = {"money": ("GBP",), "count": ("count", "ratio"), "percent": ("percent", "ratio")}


@dataclass
class Candidates:
    """The ranked lists of passages, best first, and each passage's BM25F score."""

    lists: dict[str, list[Passage]]
    bm25: dict[tuple[str, int], float]


@dataclass(frozen=True)
class _Context:
    """What every list builder reads: the question, its concepts, the tables, the scores so far."""

    question: Question
    found: list[Concept]
    tables: Tables
    coverage: Coverage
    bm25: dict[tuple[str, int], float]
    best: float  # the highest coverage of any passage


def candidates(question: Question, found: list[Concept], tables: Tables, index, covered: Coverage) -> Candidates:
    hits = _bm25(found, tables, index)
    bm25 = {p.key: score for p, score in hits}
    by_coverage = _by_coverage(tables.all_passages(), _Context(question, found, tables, covered, bm25, 0.0))
    context = _Context(question, found, tables, covered, bm25, covered(by_coverage[0]) if by_coverage else 0.0)
    lists = {"text": [p for p, _ in hits], "coverage": by_coverage}
    if question.intent in CLAIM_INTENTS:
        lists["claims"] = _graph_claims(context)
    intent_list = INTENT_LISTS.get(question.intent)
    if intent_list is not None:
        lists[question.intent] = intent_list(context)
    if question.funding:
        lists["grants"] = _grants(context)
    return Candidates({name: ranked for name, ranked in lists.items() if ranked}, bm25)


# --- BM25F


def whoosh_query(found: list[Concept]):
    """One disjunction of each concept's wordings over both fields. Whoosh's ``DisjunctionMax``
    would count a concept once, but it scores a document with the score of a sub-query that does
    not match it (Whoosh-Reloaded 2.7.5), so wordings that merely extend the wording asked
    ("IBSEN project" after "IBSEN") are left out instead, as they would count twice."""
    parts = []
    for concept in found:
        wordings = [(w, 1.0) for w in concept.asked] + [
            (w, EXPANSION_BOOST) for w in concept.expansions if not any(contains(w, a) for a in concept.asked)
        ]
        parts.extend(
            _wording_query(field, wording, boost * field_boost)
            for wording, boost in wordings
            for field, field_boost in (("text", 1.0), ("section", SECTION_BOOST))
        )
    return Or(parts)


def _wording_query(field: str, wording: tuple[str, ...], boost: float):
    if len(wording) == 1:
        return Term(field, wording[0], boost=boost)
    return Phrase(field, list(wording), boost=boost)


def _bm25(found: list[Concept], tables: Tables, index) -> list[tuple[Passage, float]]:
    if not found:
        return []
    ranked: dict[tuple[str, int], tuple[Passage, float]] = {}
    with index.searcher(weighting=scoring.BM25F()) as searcher:
        for hit in searcher.search(whoosh_query(found), limit=TEXT_DEPTH, filter=Term("kind", "sentence")):
            passage = tables.passage_at(hit["doc_id"], hit["start"])
            if passage is not None and passage.key not in ranked:
                ranked[passage.key] = (passage, float(hit.score))
    return list(ranked.values())


# --- graph and intent lists


def _by_coverage(passages, context: _Context, floor: float = 0.0, first: Callable = lambda p: 0) -> list[Passage]:
    """Passages expressing something and at least ``floor`` of the question, ordered by ``first``,
    coverage, BM25F."""
    scored = []
    for passage in passages:
        share = context.coverage(passage)
        if share > 0 and share >= floor:
            scored.append(((first(passage), -share, -context.bm25.get(passage.key, 0.0), passage.key), passage))
    scored.sort(key=lambda row: row[0])
    return [passage for _, passage in scored[:LIST_DEPTH]]


def _boost_list(passages, context: _Context, first: Callable = lambda p: 0) -> list[Passage]:
    """A graph or intent list: only passages expressing nearly as much of the question as the best
    passage does (``BOOST_COVERAGE`` of its coverage, and at least ``MIN_BOOST_COVERAGE``)."""
    floor = max(MIN_BOOST_COVERAGE, BOOST_COVERAGE * context.best)
    return _by_coverage(passages, context, floor=floor, first=first)


def _graph_claims(context: _Context) -> list[Passage]:
    """Claims the graph attributes to every asked entity and tags with every asked population."""
    asked = [c for c in context.found if c.entity or c.population]
    if not asked:
        return []
    claims = context.tables.claims

    def matches(passage: Passage) -> bool:
        claim = claims.get(passage.key)
        return claim is not None and all(
            claim.attributed_to == c.entity if c.entity else c.population in claim.populations for c in asked
        )

    return _boost_list([p for p in context.tables.all_passages() if matches(p)], context)


def holds_figure(passage: Passage, question: Question, tables: Tables) -> bool:
    """Whether the passage holds an extracted figure of the kind of quantity asked (any, if unsaid)."""
    units = UNIT_FAMILIES.get(question.quantity or "", ())
    return any(
        f.doc_id == passage.doc_id and passage.start <= f.start < passage.end and (not units or f.unit.startswith(units))
        for f in tables.figures
    )


def _figures(context: _Context) -> list[Passage]:
    passages = [p for p in context.tables.all_passages() if p.has_figure and holds_figure(p, context.question, context.tables)]
    return _boost_list(passages, context)


def _dates(context: _Context) -> list[Passage]:
    return _boost_list([p for p in context.tables.all_passages() if p.dated], context)


def _references(context: _Context) -> list[Passage]:
    return _boost_list([p for p in context.tables.all_passages() if p.source == "reference"], context)


def _actors(context: _Context) -> list[Passage]:
    asked = {m.key for m in context.question.entities}
    return _boost_list([p for p in context.tables.all_passages() if p.entities - asked], context)


def _definitions(context: _Context) -> list[Passage]:
    """Passages saying what an asked concept is: spelling out an asked entity ("Evaluation Network
    (IBSEN)") or opening with the concept and a copula ("Working together for change is a ...");
    failing those, passages opening with the concept."""
    found = context.found
    spelt_out = [_spelt_out(c, context.tables) for c in found if c.entity]
    passages = context.tables.all_passages()

    def opens_with(passage: Passage) -> bool:
        return any(passage.stems[: len(w)] == w for c in found for w in c.asked)

    def says_what(passage: Passage) -> bool:
        return any(p.search(passage.text) for p in spelt_out) or (opens_with(passage) and COPULA.search(passage.text) is not None)

    return _boost_list([p for p in passages if says_what(p)], context) or _boost_list([p for p in passages if opens_with(p)], context)


def _spelt_out(concept: Concept, tables: Tables) -> re.Pattern:
    """An entity's name in brackets after another wording: "Evaluation Network (IBSEN)", "(named the IBSEN project"."""
    entity = next(e for e in tables.entities if e.key == concept.entity)
    names = "|".join(re.escape(n) for n in sorted(entity.names, key=len, reverse=True))
    return re.compile(rf"\((?:named |called |known as )?(?:the )?(?:{names})\b")


def _grants(context: _Context) -> list[Passage]:
    funders = {c.entity for c in context.found if c.entity}
    from_asked: dict[tuple[str, int], bool] = {}
    for grant in context.tables.grants:
        passage = context.tables.passage_at(grant.doc_id, grant.start)
        if passage is not None:
            from_asked[passage.key] = from_asked.get(passage.key, False) or grant.funder_key in funders
    passages = [p for p in context.tables.all_passages() if p.key in from_asked]
    return _boost_list(passages, context, first=lambda p: not from_asked[p.key])


INTENT_LISTS = {
    "figure": _figures,
    "when": _dates,
    "sources": _references,
    "who": _actors,
    "definition": _definitions,
}
