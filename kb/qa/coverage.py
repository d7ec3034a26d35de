"""Coverage: how much of a question a passage expresses, the measure ranking and the no-answer
decision share.

Each concept of the question weighs its inverse passage frequency (``kb.qa.expand``). A passage
expresses a concept to a degree: fully when its words say it in the wording asked, or when the
graph says so (it names the asked entity, is a claim attributed to it, tagged with the asked
population or of the kind asked about, such as caveats, or is a grant record for a question about
funding); ``EXPANSION_MATCH`` through a synonym or alias; ``SECTION_MATCH`` when only its section
title says it; ``CONTEXT_MATCH`` when an asked entity is named only in the passages just before it
or in its document's title or publisher (the paragraph or the document is about it). Coverage is
the weighted mean of these degrees. A question asking for a type of answer (a figure, a date, an
actor, a source: ``kb.qa.kinds``) has one concept more, the answer itself, weighing the mean of
the others, which a passage expresses when it has that type.
"""

from __future__ import annotations

from collections.abc import Container, Iterator
from dataclasses import dataclass

from .analyse import Question
from .expand import Concept
from .kinds import TYPED_INTENTS, answer_type, answer_type_pool
from .tables import Key, Passage, Tables

EXPANSION_MATCH = 0.8
SECTION_MATCH = 0.7
CONTEXT_MATCH = 0.5


@dataclass(frozen=True)
class Reach:
    """The passages expressing one concept, by degree (a passage's best degree counts)."""

    weight: float
    full: frozenset[Key]
    expansion: frozenset[Key]
    section: frozenset[Key]
    context: frozenset[Key]
    documents: frozenset[str]  # documents whose title or publisher names the concept's entity


def reach(concept: Concept, tables: Tables) -> Reach:
    words = tables.wordings
    entity = concept.entity
    return Reach(
        weight=concept.weight,
        full=frozenset().union(*(words.holding(w) for w in concept.asked), _graph(concept, tables)),
        expansion=frozenset().union(*(words.holding(w) for w in concept.expansions)),
        section=frozenset().union(*(words.section_holding(w) for w in concept.asked + concept.expansions)),
        context=words.in_context(entity) if entity else frozenset(),
        documents=frozenset(d for d, named in tables.document_entities.items() if entity in named),
    )


def _graph(concept: Concept, tables: Tables) -> frozenset[Key]:
    """The passages the graph says express the concept."""
    found = set(tables.wordings.naming(concept.entity)) if concept.entity else set()
    if concept.record:
        found.update(p.key for p in tables.by_source.get(concept.record, ()))
    for facet, value in (("entity", concept.entity), ("population", concept.population), ("kind", concept.claim_kind)):
        if value:
            found |= tables.claims_with(facet, value)
    return frozenset(found)


class Coverage:
    """The coverage of one question's concepts, remembered per passage."""

    def __init__(self, found: list[Concept], tables: Tables, question: Question):
        self.tables, self.question = tables, question
        self.has_type = answer_type(question, tables) or (lambda passage: False)
        self.reaches = [reach(c, tables) for c in found]
        typed = question.intent in TYPED_INTENTS and found
        self.type_weight = sum(c.weight for c in found) / len(found) if typed else 0.0
        self.total = sum(c.weight for c in found) + self.type_weight
        self._seen: dict[Key, float] = {}

    def __call__(self, passage: Passage) -> float:
        return self.shares([passage])[passage.key]

    def candidates(self, least: float) -> list[Passage]:
        """The passages some concept reaches and those of the documents naming an asked entity: every
        passage whose coverage is above ``base``, and perhaps a few more; but not those that surely
        fall below ``least``, reached only by the lightest concepts (MaxScore's non-essential lists:
        their weights and the answer type's together come to less than ``least``)."""
        reaches = self._essential(least)
        keys = set().union(*(r.full | r.expansion | r.section | r.context for r in reaches))
        found = [self.tables.passage(key) for key in keys]
        for document in set().union(*(r.documents for r in reaches)):
            found += self.tables.passages.get(document, [])
        return list({p.key: p for p in found}.values())

    def _essential(self, least: float) -> list[Reach]:
        lightest = sorted(self.reaches, key=lambda r: r.weight)
        reachable = self.type_weight
        for i, r in enumerate(lightest):
            reachable += r.weight
            if reachable >= least * self.total:
                return lightest[i:]
        return []

    @property
    def base(self) -> float:
        """The coverage of a passage that has the answer type asked for and expresses nothing else."""
        return self.type_weight / self.total if self.type_weight else 0.0

    def typed_rest(self, seen: Container[Key]) -> Iterator[Passage]:
        """The passages of the answer type asked for outside ``seen``, by key; when ``seen`` holds the
        candidates, each of these has coverage ``base`` (the REF2014 set has a hundred thousand of
        them, so lists read them only as far as they need)."""
        for passage in answer_type_pool(self.question, self.tables):
            if passage.key not in seen and self.has_type(passage):
                yield passage

    def shares(self, passages: list[Passage]) -> dict[Key, float]:
        """The coverage of each passage, as calling on each would give, computed a concept at a time
        with set operations (the REF2014 set gives a common word tens of thousands of passages)."""
        wanted = {p.key: p for p in passages if p.key not in self._seen}
        if wanted:
            for key, share in self._shares_of(wanted).items():
                self._seen[key] = share
        return {p.key: self._seen[p.key] for p in passages}

    def _shares_of(self, wanted: dict[Key, Passage]) -> dict[Key, float]:
        if not self.total:
            return dict.fromkeys(wanted, 0.0)
        expressed = dict.fromkeys(wanted, 0.0)
        for r in self.reaches:
            degrees = dict.fromkeys(r.context & wanted.keys(), CONTEXT_MATCH)
            if r.documents:
                degrees.update((key, CONTEXT_MATCH) for key, p in wanted.items() if p.doc_id in r.documents)
            degrees.update(dict.fromkeys(r.section & wanted.keys(), SECTION_MATCH))
            degrees.update(dict.fromkeys(r.expansion & wanted.keys(), EXPANSION_MATCH))
            degrees.update(dict.fromkeys(r.full & wanted.keys(), 1.0))
            for key, degree in degrees.items():
                expressed[key] += r.weight * degree
        if self.type_weight:
            for key, passage in wanted.items():
                if self.has_type(passage):
                    expressed[key] += self.type_weight
        return {key: value / self.total for key, value in expressed.items()}
