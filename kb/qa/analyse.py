"""Question analysis: what a plain-English question is about and what kind of answer it wants.

``analyse`` finds the entities a question names through the knowledge base's own names (the
graph's ``skos`` labels, the gazetteer's aliases, a person's surname), case-insensitively except
that an acronym ("DH", "IBSEN") must match exactly; the populations it names through the claim
lexicon's wordings ("the elderly" is older people); its intent (findings, figure, who, when,
sources, definition) and, for a figure, the kind of quantity (money, count, percent); whether it
asks about funding; the kind of thing an opening "which" asks for ("Which research units"); and
its content terms, the remaining words that are not question words. The patterns and word lists
are data: ``kb/data/questions.toml``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .names import Mention
from .tables import Tables

QUESTIONS_PATH = Path(__file__).resolve().parent.parent / "data" / "questions.toml"
WORD = re.compile(r"[\w£%][\w'’.%-]*")


@dataclass(frozen=True)
class Question:
    text: str
    intent: str
    entities: tuple[Mention, ...]
    populations: tuple[Mention, ...]
    terms: tuple[str, ...]  # content words outside the names, lower-cased, in question order
    quantity: str | None  # money, count or percent: what a figure question asks for
    funding: bool  # asks about grants or funders
    kind: tuple[str, ...] = ()  # the words after an opening "which" or "what": "research units"

    def to_dict(self) -> dict:
        return {
            "intent": self.intent,
            "entities": [{"key": m.key, "label": m.label, "surface": m.surface} for m in self.entities],
            "populations": [{"key": m.key, "label": m.label, "surface": m.surface} for m in self.populations],
            "terms": list(self.terms),
            "quantity": self.quantity,
        }


@dataclass(frozen=True)
class Wording:
    """The question lexicon of ``kb/data/questions.toml``, compiled."""

    intents: tuple[tuple[str, tuple[re.Pattern, ...]], ...]
    quantities: tuple[tuple[str, tuple[re.Pattern, ...]], ...]
    funding: tuple[re.Pattern, ...]
    stop_phrases: re.Pattern
    stopwords: frozenset[str]


@lru_cache(maxsize=1)
def load_wording(path: Path = QUESTIONS_PATH) -> Wording:
    data = tomllib.loads(path.read_text(encoding="utf-8"))

    def compiled(patterns) -> tuple[re.Pattern, ...]:
        return tuple(re.compile(p, re.IGNORECASE) for p in patterns)

    return Wording(
        intents=tuple((i["name"], compiled(i["patterns"])) for i in data["intent"]),
        quantities=tuple((name, compiled(patterns)) for name, patterns in data["quantities"].items()),
        funding=compiled(data["funding"]["patterns"]),
        stop_phrases=re.compile(
            r"\b(?:" + "|".join(re.escape(p) for p in data["stopwords"]["phrases"]) + r")\b", re.IGNORECASE
        ),
        stopwords=frozenset(data["stopwords"]["words"]),
    )


def analyse(text: str, tables: Tables, wording: Wording | None = None) -> Question:
    wording = wording or load_wording()
    text = " ".join(text.split())
    found_entities = _unique(tables.entity_names.find(text))
    found_populations = _unique(tables.population_names.find(text, tuple((m.start, m.end) for m in found_entities)))
    names = [(m.start, m.end) for m in (*found_entities, *found_populations)]
    return Question(
        text=text,
        intent=_first(wording.intents, text) or "findings",
        entities=found_entities,
        populations=found_populations,
        terms=_terms(text, names + [m.span() for m in wording.stop_phrases.finditer(text)], wording.stopwords),
        quantity=_first(wording.quantities, text),
        funding=any(p.search(text) for p in wording.funding),
        kind=_kind(text, wording.stopwords),
    )


def _unique(mentions: list[Mention]) -> tuple[Mention, ...]:
    """One mention per key, the first."""
    seen: dict[str, Mention] = {}
    for mention in mentions:
        seen.setdefault(mention.key, mention)
    return tuple(seen.values())


def _first(rules: tuple[tuple[str, tuple[re.Pattern, ...]], ...], text: str) -> str | None:
    for name, patterns in rules:
        if any(p.search(text) for p in patterns):
            return name
    return None


def _kind(text: str, stopwords: frozenset[str]) -> tuple[str, ...]:
    """The content words right after an opening "which" or "what" ("Which research units took part")."""
    words = [w.lower() for w in WORD.findall(text)]
    if not words or words[0] not in ("which", "what"):
        return ()
    kind = []
    for word in words[1:]:
        if word in stopwords:
            break
        kind.append(word)
    return tuple(kind)


def _terms(text: str, names: list[tuple[int, int]], stopwords: frozenset[str]) -> tuple[str, ...]:
    terms = []
    for m in WORD.finditer(text):
        if any(start <= m.start() < end for start, end in names):
            continue
        word = re.sub(r"['’]s?$", "", m.group().lower()).strip(".")
        if word and word not in stopwords:
            terms.append(word)
    return tuple(terms)
