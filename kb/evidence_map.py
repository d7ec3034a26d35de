"""The evidence map: for each population and each topic, what every source says, and whether the
sources agree. Its cells are read from the claims' judgements in the graph (``kbv:judgement``,
written from ``ingest/extract/evidence.py``); ``queries/evidence-map.rq`` gives the same cells to
analysts. A cell's agreement, across its source documents:

- ``none``: no claims;
- ``single``: claims from one document only;
- ``disagree``: one document says *better* where another says *worse* or *no difference*;
- ``agree``: two or more documents and no such opposition (a document whose claims in the cell
  are only mixed or descriptive takes no side, so it cannot disagree).

Populations and topics are named by key, label or any wording their scheme lists.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from urllib.parse import quote

import pyoxigraph as ox

from ingest.extract.claims import load_lexicon
from ingest.extract.evidence import load_topics

from .catalog import PREFIX_LINES
from .extracted_reader import SPAN

AGREEMENTS = ("agree", "disagree", "single", "none")
OPPOSITES = {"better": ("worse", "no difference")}


class UnknownConcept(ValueError):
    """A population or topic the schemes do not hold; the message lists the choices."""


@dataclass(frozen=True)
class Concept:
    """A population or topic: its key, its label and the other wordings it answers to."""

    key: str
    label: str
    wordings: tuple[str, ...]

    def answers_to(self, name: str) -> bool:
        wanted = " ".join(name.replace("-", " ").split()).casefold()
        return wanted in {" ".join(n.replace("-", " ").split()).casefold() for n in (self.key, self.label, *self.wordings)}


@functools.cache
def populations() -> tuple[Concept, ...]:
    return tuple(Concept(p.key, p.label, p.terms) for p in load_lexicon().populations)


@functools.cache
def topics() -> tuple[Concept, ...]:
    return tuple(Concept(t.key, t.label, t.wordings) for t in load_topics())


def resolve(name: str, concepts: tuple[Concept, ...], what: str) -> Concept:
    """The concept ``name`` names (its key, label or a wording, in any case); else UnknownConcept."""
    found = next((c for c in concepts if c.answers_to(name)), None)
    if found is None:
        choices = ", ".join(c.key for c in concepts)
        raise UnknownConcept(f"unknown {what} {name!r}: choose one of {choices} (a key or a label)")
    return found


JUDGEMENTS = """
SELECT ?record ?document ?text ?kind ?kindCue ?population ?topic ?direction ?directionCue ?topicCue ?populationCue ?start ?end
WHERE { GRAPH ?g {
    ?record a kbv:Claim ; schema:text ?text ; kbv:evidenceKind ?kind ; kbv:evidenceCue ?kindCue ; kbv:judgement ?judgement .
    ?judgement kbv:forPopulation ?population ; kbv:onTopic ?topic ; kbv:direction ?direction ; kbv:topicCue ?topicCue .
    OPTIONAL { ?judgement kbv:directionCue ?directionCue }
    OPTIONAL { ?judgement kbv:populationCue ?populationCue }
    %s
} } ORDER BY ?document ?start
""" % SPAN


def read_judgements(store: ox.Store) -> list[dict]:
    """Every judgement in the graph: the claim it belongs to, its population and topic keys, its
    direction and the cues behind it."""
    results = store.query(PREFIX_LINES + JUDGEMENTS)
    names = [v.value for v in results.variables]
    rows = [{n: (None if row[n] is None else row[n].value) for n in names} for row in results]
    return [
        {
            "id": row["record"],
            "text": row["text"],
            "document": row["document"],
            "population": _key(row["population"]),
            "topic": _key(row["topic"]),
            "direction": row["direction"],
            "direction_cue": row["directionCue"],
            "evidence_kind": row["kind"],
            "evidence_cue": row["kindCue"],
            "topic_cue": row["topicCue"],
            "population_cue": row["populationCue"],
            "start": int(row["start"]),
            "end": int(row["end"]),
        }
        for row in rows
    ]


def _key(concept_iri: str) -> str:
    return concept_iri.rsplit("/", 1)[-1]


def passage_url(document: str, start: int, end: int) -> str:
    """The document page opened at the passage."""
    return f"/doc/{quote(document)}?start={start}&end={end}#passage"


def agreement(claims: list[dict]) -> str:
    """agree, disagree, single or none for the claims of one cell (see the module docstring)."""
    documents = {c["document"] for c in claims}
    if not documents:
        return "none"
    if len(documents) == 1:
        return "single"
    opposed = any(
        a["document"] != b["document"] and b["direction"] in OPPOSITES.get(a["direction"], ())
        for a in claims
        for b in claims
    )
    return "disagree" if opposed else "agree"


def select_concepts(population: str | None = None, topic: str | None = None) -> tuple[list[Concept], list[Concept]]:
    """The rows and columns of the map: the population and topic named, else all of them."""
    rows = [resolve(population, populations(), "population")] if population else list(populations())
    columns = [resolve(topic, topics(), "topic")] if topic else list(topics())
    return rows, columns


def evidence_cells(judgements: list[dict], rows: list[Concept] | None = None, columns: list[Concept] | None = None) -> list[dict]:
    """The cells of the map for ``rows`` x ``columns`` (default: every population x topic), each
    with its agreement and its claims in document order."""
    by_cell: dict[tuple[str, str], list[dict]] = {}
    for judgement in judgements:
        by_cell.setdefault((judgement["population"], judgement["topic"]), []).append(judgement)
    return [
        _cell(p, t, by_cell.get((p.key, t.key), []))
        for p in (populations() if rows is None else rows)
        for t in (topics() if columns is None else columns)
    ]


def _cell(population: Concept, topic: Concept, judgements: list[dict]) -> dict:
    claims = [
        {
            **{k: v for k, v in j.items() if k not in ("population", "topic")},
            "url": passage_url(j["document"], j["start"], j["end"]),
        }
        for j in sorted(judgements, key=lambda j: (j["document"], j["start"]))
    ]
    return {
        "population": population.key,
        "population_label": population.label,
        "topic": topic.key,
        "topic_label": topic.label,
        "agreement": agreement(claims),
        "documents": sorted({c["document"] for c in claims}),
        "claims": claims,
    }
