"""The knowledge the question answerer reads, loaded once per knowledge-base generation.

``load_tables`` reads, through the service, the documents and their canonical text, the quotable
passages (the index's sentences, with the sentences a grant or a reference-list entry spans joined
into that record's passage), the entities with every name the knowledge base and the gazetteer
give them, the claims, figures and grants, and the population wordings of the claim lexicon. It
also counts in how many passages each stemmed word occurs, for the weights of question terms.
Everything here is plain data; nothing is read again until an ingest switches generations.
"""

from __future__ import annotations

import bisect
import math
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

import ingest
from ingest.extract.actors import load_gazetteer

from .names import NameMatcher

POPULATIONS_PATH = Path(ingest.__file__).resolve().parent / "data" / "populations.toml"
MAX_JOINED_SPAN = 600  # a record spanning more characters than this is not joined into one passage
MIN_PREFIX = 5  # a stem this long also matches the longer stems it begins ("compar", "comparison")
CONTEXT_PASSAGES = 10  # an entity named this many passages before one is still in its context
DATE = re.compile(
    r"\b(?:1[89]|20)\d\d\b|\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
)


@dataclass(frozen=True)
class Entity:
    """A merged actor of the knowledge base with every name it goes by."""

    key: str
    id: str
    label: str
    type: str
    names: tuple[str, ...]  # label first, then aliases, gazetteer aliases and a person's surname


@dataclass(frozen=True)
class Population:
    key: str
    label: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Passage:
    """A quotable span of a document's canonical text: a sentence, or a grant or reference entry."""

    doc_id: str
    start: int
    end: int
    section: str
    text: str
    source: str  # sentence, grant, reference
    stems: tuple[str, ...]
    section_stems: tuple[str, ...]
    entities: frozenset[str] = frozenset()  # keys of the entities it names
    context: frozenset[str] = frozenset()  # keys of the entities it or the passages just before name
    has_figure: bool = False
    dated: bool = False  # names a year or a month

    @property
    def key(self) -> tuple[str, int]:
        return self.doc_id, self.start


@dataclass(frozen=True)
class ClaimRecord:
    kind: str
    populations: frozenset[str]
    attributed_to: str | None  # entity key
    attributed_label: str | None


@dataclass(frozen=True)
class FigureRecord:
    doc_id: str
    start: int
    end: int
    text: str
    value: float | int
    unit: str
    measure: str | None
    group: str | None
    comparator: tuple[int, int] | None  # span of the compared figure


@dataclass(frozen=True)
class GrantRecord:
    doc_id: str
    start: int
    end: int
    title: str | None
    funder: str | None
    funder_key: str | None
    amount: float | int | None
    currency: str | None
    period: str | None


@dataclass
class Tables:
    generation: str
    titles: dict[str, str]
    texts: dict[str, str]
    passages: dict[str, list[Passage]]  # per document, in text order
    entities: tuple[Entity, ...]
    populations: tuple[Population, ...]
    claims: dict[tuple[str, int], ClaimRecord]  # by the key of the passage holding the claim
    figures: tuple[FigureRecord, ...]
    grants: tuple[GrantRecord, ...]
    analyzer: object
    entity_names: NameMatcher | None = None
    population_names: NameMatcher | None = None
    document_entities: dict[str, frozenset[str]] = field(default_factory=dict)  # named by title or publisher
    passage_count: int = 0
    holders: dict[tuple[str, ...], frozenset] = field(default_factory=dict)  # wording -> passages holding it

    def stems(self, text: str) -> tuple[str, ...]:
        """The index's analysis of ``text``: lower-cased, stop words dropped, stemmed."""
        return tuple(token.text for token in self.analyzer(text))

    def frequency(self, wordings: tuple[tuple[str, ...], ...]) -> int:
        """In how many passages any of the wordings occurs (remembered per wording)."""
        held: set[tuple[str, int]] = set()
        for wording in wordings:
            if wording not in self.holders:
                self.holders[wording] = frozenset(p.key for p in self.all_passages() if contains(p.stems, wording))
            held |= self.holders[wording]
        return len(held)

    def idf(self, wordings: tuple[tuple[str, ...], ...]) -> float:
        """BM25's inverse passage frequency of what the wordings say; a thing no passage says weighs the most."""
        df = self.frequency(wordings)
        return math.log(1 + (self.passage_count - df + 0.5) / (df + 0.5))

    def passage_at(self, doc_id: str, offset: int) -> Passage | None:
        """The passage of ``doc_id`` containing ``offset``."""
        passages = self.passages.get(doc_id, [])
        i = bisect.bisect_right([p.start for p in passages], offset) - 1
        if i >= 0 and passages[i].start <= offset < passages[i].end:
            return passages[i]
        return None

    def all_passages(self) -> list[Passage]:
        return [p for doc in self.passages.values() for p in doc]


def load_tables(service, generation: str) -> Tables:
    documents = service.documents()
    texts = {d.id: service.document_text(d.id) for d in documents}
    grants = tuple(_grants(service, texts))
    joins = [(g.doc_id, g.start, g.end, "grant") for g in grants] + list(_reference_spans(service, texts))
    index = service.view.index
    analyzer = index.schema["text"].analyzer
    tables = Tables(
        generation=generation,
        titles={d.id: d.title or d.id for d in documents},
        texts=texts,
        passages={},
        entities=tuple(_entities(service)),
        populations=tuple(_populations()),
        claims={},
        figures=tuple(_figures(service)),
        grants=grants,
        analyzer=analyzer,
    )
    tables.entity_names = NameMatcher({n: (e.key, e.label) for e in reversed(tables.entities) for n in e.names})
    tables.population_names = NameMatcher(
        {t: (p.key, p.label) for p in reversed(tables.populations) for t in (p.label, *p.terms)}
    )
    tables.document_entities = {
        d.id: frozenset(m.key for m in tables.entity_names.find(f"{d.title or ''} · {d.publisher or ''}")) for d in documents
    }
    tables.passages = _passages(index, texts, joins, tables)
    tables.claims = _claims(service, tables)
    tables.passage_count = len(tables.all_passages())
    return tables


# --- passages


def contains(stems: tuple[str, ...], wording: tuple[str, ...]) -> bool:
    """Whether the wording occurs as a run of ``stems``."""
    n = len(wording)
    return any(all(_same(s, w) for s, w in zip(stems[i : i + n], wording)) for i in range(len(stems) - n + 1))


def _same(stem: str, wanted: str) -> bool:
    return stem == wanted or (len(wanted) >= MIN_PREFIX and stem.startswith(wanted))


def _sentences(index) -> list[dict]:
    with index.searcher() as searcher:
        return sorted(
            (dict(fields) for fields in searcher.all_stored_fields() if fields["kind"] == "sentence"),
            key=lambda s: (s["doc_id"], s["start"]),
        )


def _passages(index, texts: dict[str, str], joins: list[tuple], tables: Tables) -> dict[str, list[Passage]]:
    """Sentences, except that the sentences a grant or reference entry spans become one passage of
    that source."""
    by_doc: dict[str, list[Passage]] = {doc_id: [] for doc_id in texts}
    sentences = _sentences(index)
    taken: set[tuple[str, int]] = set()
    for doc_id, start, end, source in joins:
        covered = [s for s in sentences if s["doc_id"] == doc_id and s["start"] < end and s["end"] > start]
        if not covered:
            continue
        first, last = covered[0], covered[-1]
        taken.update((s["doc_id"], s["start"]) for s in covered)
        by_doc[doc_id].append(_passage(tables, texts, doc_id, first["start"], last["end"], first["section"], source))
    for s in sentences:
        if (s["doc_id"], s["start"]) not in taken and s["doc_id"] in by_doc:
            by_doc[s["doc_id"]].append(_passage(tables, texts, s["doc_id"], s["start"], s["end"], s["section"], "sentence"))
    return {doc_id: _with_context(_without_overlaps(sorted(p, key=lambda p: p.start)), tables) for doc_id, p in by_doc.items()}


def _with_context(passages: list[Passage], tables: Tables) -> list[Passage]:
    """Each passage with the entities it names, those of its context, and whether it holds a figure or date."""
    named = [frozenset(m.key for m in tables.entity_names.find(p.text)) for p in passages]
    figures = {(f.doc_id, f.start) for f in tables.figures}
    result = []
    for i, passage in enumerate(passages):
        context = frozenset().union(*named[max(0, i - CONTEXT_PASSAGES) : i + 1])
        has_figure = any(passage.doc_id == d and passage.start <= s < passage.end for d, s in figures)
        dated = DATE.search(passage.text) is not None
        result.append(replace(passage, entities=named[i], context=context, has_figure=has_figure, dated=dated))
    return result


def _without_overlaps(passages: list[Passage]) -> list[Passage]:
    """Drops a passage that starts inside the one before (two joined records sharing a sentence)."""
    kept: list[Passage] = []
    for passage in passages:
        if not kept or passage.start >= kept[-1].end:
            kept.append(passage)
    return kept


def _passage(tables: Tables, texts: dict[str, str], doc_id: str, start: int, end: int, section: str, source: str) -> Passage:
    text = texts[doc_id][start:end]
    return Passage(doc_id, start, end, section, text, source, tables.stems(text), tables.stems(section))


def _reference_spans(service, texts: dict[str, str]):
    for doc_id in texts:
        record = service.cites(doc_id)
        for kind in ("references", "sources", "footnotes"):
            for entry in record[kind]:
                if entry["end"] - entry["start"] <= MAX_JOINED_SPAN:
                    yield doc_id, entry["start"], entry["end"], "reference"


def _grants(service, texts: dict[str, str]):
    for doc_id in texts:
        for g in service.cites(doc_id)["grants"]:
            if g["end"] - g["start"] <= MAX_JOINED_SPAN:
                yield GrantRecord(
                    doc_id, g["start"], g["end"], g["title"], g["funder"],
                    _key(g["funder_id"]) if g["funder_id"] else None, g["amount"], g["currency"], g["period"],
                )


# --- records


def _key(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def _entities(service):
    gazetteer = {entry.key: entry for entry in load_gazetteer().entries}
    for record in service.entities():
        key = _key(record["id"])
        names = [record["label"], *record["aliases"]]
        if key in gazetteer:
            names += [gazetteer[key].label, *gazetteer[key].aliases]
        if key.startswith("person-"):
            names.append(record["label"].split()[-1])
        yield Entity(key, record["id"], record["label"], record["type"], tuple(dict.fromkeys(n for n in names if n)))


def _populations():
    data = tomllib.loads(POPULATIONS_PATH.read_text(encoding="utf-8"))
    for p in data.get("population", []):
        yield Population(p["key"], p["label"], tuple(p["terms"]))


def _claims(service, tables: Tables) -> dict[tuple[str, int], ClaimRecord]:
    claims = {}
    for c in service.claims():
        passage = tables.passage_at(c["document"], c["start"])
        if passage is None:
            continue
        claims[passage.key] = ClaimRecord(
            c["kind"], frozenset(c["populations"]),
            _key(c["attributed_to_id"]) if c["attributed_to_id"] else None, c["attributed_to"],
        )
    return claims


def _figures(service):
    figures = service.figures()
    spans = {f["id"]: (f["start"], f["end"]) for f in figures}
    for f in figures:
        yield FigureRecord(
            f["document"], f["start"], f["end"], f["text"], f["value"], f["unit"], f["measure"], f["group"],
            spans.get(f["comparator"]) if f["comparator"] else None,
        )
