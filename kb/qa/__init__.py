"""Question answering: a plain-English question answered with quotes of the sources, no text generated.

``ask(service, question, limit)`` runs the pipeline ``analyse`` (entities, populations, intent,
content terms) -> ``retrieve`` (concepts with alias and synonym expansion; BM25F, graph claims,
figures, grants) -> ``rank`` (reciprocal rank fusion weighed by coverage) -> ``decide`` (is there
evidence at all) -> ``compose`` (the answer as JSON). The tables it reads (names, claims, figures,
passages) are loaded once per service and knowledge-base generation and reloaded after an ingest.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass

from .analyse import analyse
from .compose import compose
from .decide import has_evidence, shown
from .rank import fuse
from .coverage import Coverage
from .expand import concepts
from .retrieve import candidates
from .tables import Tables, load_tables

MAX_QUESTION_CHARS = 2000
MAX_LIMIT = 100


class QuestionError(ValueError):
    """A question that cannot be asked: empty, too long, or with a limit out of range."""


@dataclass(frozen=True)
class Engine:
    """The question answerer of one service for one knowledge-base generation."""

    tables: Tables

    def answer(self, text: str, index, limit: int) -> dict:
        question = analyse(text, self.tables)
        found = concepts(question, self.tables)
        covered = Coverage(found, self.tables)
        ranked = fuse(candidates(question, found, self.tables, index, covered), covered, question, self.tables)
        return compose(question, shown(ranked)[:limit], self.tables, has_evidence(ranked, question, self.tables)).to_dict()


_engines: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def engine_for(service) -> Engine:
    """The service's engine for its current generation, built on first use after an ingest."""
    view = service.view
    with _lock:
        engine = _engines.get(service)
        if engine is None or engine.tables.generation != view.name:
            engine = Engine(load_tables(service, view.name))
            _engines[service] = engine
        return engine


def validate(question: str, limit: int) -> str:
    text = " ".join((question or "").split())
    if not text:
        raise QuestionError("the question is empty")
    if len(text) > MAX_QUESTION_CHARS:
        raise QuestionError(f"the question is longer than {MAX_QUESTION_CHARS} characters")
    if not 1 <= limit <= MAX_LIMIT:
        raise QuestionError(f"the limit must be between 1 and {MAX_LIMIT}")
    return text


def ask(service, question: str, limit: int = 10) -> dict:
    text = validate(question, limit)
    return engine_for(service).answer(text, service.view.index, limit)
