"""Query expansion: an analysed question as concepts, each with the stemmed wordings that express it.

A concept is an entity with all its names (the graph's labels, the gazetteer's aliases), a
population with all its wordings (``ingest/data/populations.toml``), a synonym set of
``kb/data/synonyms.toml`` that a run of the question's words matches (longest sets first), or a
single content word. Each weighs the inverse passage frequency of all its wordings (how rarely the
sources say it, in any words), so rare things count for more; the wording asked is kept apart from
the expansions, which count for less.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .analyse import Question
from .tables import Tables

SYNONYMS_PATH = Path(__file__).resolve().parent.parent / "data" / "synonyms.toml"


@dataclass(frozen=True)
class Concept:
    """One thing the question asks about, with the stemmed wordings that express it."""

    label: str
    weight: float  # inverse passage frequency of all its wordings
    asked: tuple[tuple[str, ...], ...]
    expansions: tuple[tuple[str, ...], ...] = ()
    entity: str | None = None
    population: str | None = None
    record: str | None = None  # a passage of this source (a grant) expresses the concept
    claim_kind: str | None = None  # a claim of this kind (caveat, concern...) expresses the concept


@dataclass(frozen=True)
class SynonymSet:
    terms: tuple[str, ...]
    record: str | None = None
    claim_kind: str | None = None


@lru_cache(maxsize=1)
def load_synonyms(path: Path = SYNONYMS_PATH) -> tuple[SynonymSet, ...]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return tuple(
        SynonymSet(tuple(entry["terms"]), entry.get("records"), entry.get("claim_kind"))
        for entry in data.get("synonyms", [])
    )


def concepts(question: Question, tables: Tables) -> list[Concept]:
    found = [_entity_concept(m.key, m.surface, tables) for m in question.entities]
    found += [_population_concept(m.key, m.surface, tables) for m in question.populations]
    words = [stem for term in question.terms for stem in tables.stems(term)]
    found += _synonym_concepts(words, tables)
    return [c for c in found if c.asked]


def _entity_concept(key: str, surface: str, tables: Tables) -> Concept:
    entity = tables.entity(key)
    asked = _stemmed((surface,), tables)
    others = _others(entity.names, asked, tables)
    return Concept(entity.label, tables.idf(asked + others), asked, others, entity=key)


def _population_concept(key: str, surface: str, tables: Tables) -> Concept:
    population = next(p for p in tables.populations if p.key == key)
    asked = _stemmed((surface,), tables)
    others = _others((population.label, *population.terms), asked, tables)
    return Concept(population.label, tables.idf(asked + others), asked, others, population=key)


def _stemmed(forms, tables: Tables) -> tuple[tuple[str, ...], ...]:
    return tuple(dict.fromkeys(s for s in (tables.stems(f) for f in forms) if s))


def _others(forms, asked: tuple[tuple[str, ...], ...], tables: Tables) -> tuple[tuple[str, ...], ...]:
    return tuple(w for w in _stemmed(forms, tables) if w not in asked)


def _synonym_concepts(words: list[str], tables: Tables) -> list[Concept]:
    """A concept per synonym set runs of the words match (longest sets first; every wording of the
    set the question uses counts as asked), then one per word left."""
    found: list[Concept] = []
    taken = [False] * len(words)
    for synonyms in sorted(load_synonyms(), key=lambda m: -max(len(t.split()) for t in m.terms)):
        wordings = _stemmed(synonyms.terms, tables)
        asked = [w for w in sorted(wordings, key=len, reverse=True) if _take_runs(words, w, taken)]
        if asked:
            others = tuple(w for w in wordings if w not in asked)
            found.append(Concept(
                " ".join(asked[0]), tables.idf(wordings), tuple(asked), others,
                record=synonyms.record, claim_kind=synonyms.claim_kind,
            ))
    for word in dict.fromkeys(w for w, t in zip(words, taken) if not t):
        found.append(Concept(word, tables.idf(((word,),)), ((word,),)))
    return found


def _take_runs(words: list[str], wording: tuple[str, ...], taken: list[bool]) -> bool:
    """Marks every free run of ``words`` equal to the wording as taken; whether there was one."""
    n, found = len(wording), False
    for i in range(len(words) - n + 1):
        if tuple(words[i : i + n]) == wording and not any(taken[i : i + n]):
            taken[i : i + n] = [True] * n
            found = True
    return found
