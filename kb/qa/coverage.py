"""Coverage: how much of a question a passage expresses, the measure ranking and the no-answer
decision share.

Each concept of the question weighs its inverse passage frequency (``kb.qa.expand``). A passage expresses a concept to a degree: fully when its words say it in the wording
asked or the graph says so (it names the asked entity, is a claim attributed to it, tagged with
the asked population or of the kind asked about (caveats, concerns), or is a grant record for a
question about funding); ``EXPANSION_MATCH`` through a synonym or alias; ``SECTION_MATCH`` when only its section
title says it; ``CONTEXT_MATCH`` when an asked entity is named only in the passages just before it
or in its document's title or publisher (the document or the paragraph is about it). Coverage is
the weighted mean of these degrees.
"""

from __future__ import annotations

from .expand import Concept
from .tables import Passage, Tables, contains

EXPANSION_MATCH = 0.8
SECTION_MATCH = 0.7
CONTEXT_MATCH = 0.5


class Coverage:
    """The coverage of one question's concepts, remembered per passage."""

    def __init__(self, found: list[Concept], tables: Tables):
        self.found, self.tables = found, tables
        self.total = sum(c.weight for c in found)
        self._seen: dict[tuple[str, int], float] = {}

    def __call__(self, passage: Passage) -> float:
        if passage.key not in self._seen:
            self._seen[passage.key] = (
                sum(c.weight * degree(c, passage, self.tables) for c in self.found) / self.total if self.total else 0.0
            )
        return self._seen[passage.key]


def degree(concept: Concept, passage: Passage, tables: Tables) -> float:
    """How fully the passage expresses the concept, from 0 to 1."""
    if _in_words(concept.asked, passage.stems) or _in_graph(concept, passage, tables):
        return 1.0
    if _in_words(concept.expansions, passage.stems):
        return EXPANSION_MATCH
    if _in_words(concept.asked + concept.expansions, passage.section_stems):
        return SECTION_MATCH
    if concept.entity and (
        concept.entity in passage.context or concept.entity in tables.document_entities.get(passage.doc_id, ())
    ):
        return CONTEXT_MATCH
    return 0.0


def _in_graph(concept: Concept, passage: Passage, tables: Tables) -> bool:
    if (concept.entity and concept.entity in passage.entities) or (concept.record and concept.record == passage.source):
        return True
    claim = tables.claims.get(passage.key)
    return claim is not None and (
        (concept.entity is not None and claim.attributed_to == concept.entity)
        or (concept.population is not None and concept.population in claim.populations)
        or (concept.claim_kind is not None and claim.kind == concept.claim_kind)
    )


def _in_words(wordings: tuple[tuple[str, ...], ...], stems: tuple[str, ...]) -> bool:
    return any(contains(stems, wording) for wording in wordings)
