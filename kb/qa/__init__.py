"""Question answering: a plain-English question answered with quotes of the sources, no text generated.

``ask(service, question, limit)`` runs ``analyse`` (entities, populations, intent, content terms),
``expand`` (concepts with their aliases and synonyms), ``retrieve`` (BM25F and coverage lists, the
graph's claims, the answer type, grants; ``coverage`` and ``kinds`` say how much of the question a
passage expresses and whether it can answer it), ``rank`` (reciprocal rank fusion with boosts),
``decide`` (is there evidence at all) and ``compose`` (the answer as JSON). The tables it reads
(``tables``: passages, names, claims, figures, grants) are loaded once per service and
knowledge-base generation, and again after an ingest switches generations, and kept out of the
garbage collector's full collections.
"""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass

from .analyse import analyse
from .compose import compose
from .coverage import Coverage
from .decide import has_evidence, shown
from .expand import concepts
from .rank import fuse
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
        tables = self.tables
        question = analyse(text, tables)
        found = concepts(question, tables)
        covered = Coverage(found, tables, question)
        ranked = fuse(candidates(question, found, tables, index, covered), covered, question, tables)
        return compose(question, shown(ranked)[:limit], tables, has_evidence(ranked, question, tables)).to_dict()


_engines: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def engine_for(service) -> Engine:
    """The service's engine for its current generation, built on first use after an ingest."""
    view = service.view
    with _lock:
        engine = _engines.get(service)
        if engine is None or engine.tables.generation != view.name:
            engine = Engine(_long_lived(lambda: load_tables(service, view.name)))
            _engines[service] = engine
        return engine


def _long_lived(load: Callable[[], Tables]) -> Tables:
    """``load()``, with every object then alive moved out of the cycle collector's reach
    (``gc.freeze``): the REF2014 tables are a million objects that live as long as their generation,
    and each full collection walked them all, stopping every thread of a server for about a second.
    What an earlier load froze is unfrozen first, so it is collected once its generation is dropped."""
    gc.unfreeze()
    tables = load()
    gc.collect()
    gc.freeze()
    return tables


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
