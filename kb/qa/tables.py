"""The knowledge the question answerer reads, loaded once per knowledge-base generation.

``load_tables`` reads through the service: the documents and their canonical text; the quotable
passages, which are the index's sentences except that the sentences a grant or a reference-list
entry spans make one passage of that record (the graph knows those boundaries better than the
sentence splitter: "IBSEN" / "Dissemination, 1/4/2008 ... DH (£114,046)"); the entities with every
name the graph and the gazetteer give them; the claims, figures and grants; and the population
wordings of the claim lexicon. Each passage carries its stems (the index's analysis), the entities
it and the passages just before it name, and whether it holds a figure or a date. A
``WordingIndex`` says which passages hold a stemmed wording. Nothing is read again until an
ingest switches generations.
"""

from __future__ import annotations

import bisect
import math
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

import ingest
from ingest.extract.actors import load_gazetteer

from .names import NameMatcher

LEXICON_PATH = Path(ingest.__file__).resolve().parent / "data" / "populations.toml"  # the claim lexicon
MAX_JOINED_SPAN = 600  # a record longer than this is not made one passage
MIN_PREFIX = 5  # a stem this long also matches the longer stems it begins ("compar", "comparison")
MAX_REMEMBERED = 20_000  # wordings whose passages a WordingIndex remembers
CONTEXT_PASSAGES = 10  # an entity named this many passages before one is still in its context
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATE = re.compile(rf"\b(?:1[89]|20)\d\d\b|\b(?:{MONTHS})\b")

Key = int  # a passage's place among all passages in (document id, start) order: small, cheap to hash


@dataclass(frozen=True)
class Entity:
    """A merged actor of the knowledge base with every name it goes by."""

    key: str
    id: str
    label: str
    type: str
    names: tuple[str, ...]  # label, graph aliases, gazetteer aliases, a person's surname


@dataclass(frozen=True)
class Population:
    key: str
    label: str
    terms: tuple[str, ...]
    topic: bool  # a group of people who use services or care for them, not staff, providers, councils


@dataclass(frozen=True)
class Passage:
    """A quotable span of a document's canonical text: a sentence, a grant or a reference entry."""

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
    descriptive: bool = False  # describes its document ("this paper explains") rather than the world
    key: Key = -1  # its place among all passages in (doc_id, start) order, given once all are read


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


def contains(stems: tuple[str, ...], wording: tuple[str, ...]) -> bool:
    """Whether the wording occurs as a run of ``stems``."""
    n = len(wording)
    return any(all(_same(s, w) for s, w in zip(stems[i : i + n], wording)) for i in range(len(stems) - n + 1))


def _same(stem: str, wanted: str) -> bool:
    return stem == wanted or (len(wanted) >= MIN_PREFIX and stem.startswith(wanted))


class WordingIndex:
    """Which passages hold a stemmed wording in their text or their section title (from an
    inverted index of stems, remembered per wording), and which name an entity or have it in
    their context."""

    def __init__(self, passages: list[Passage]):
        self.passages = passages
        self._by_key = {p.key: p for p in passages}
        self._postings = _inverted(passages, lambda p: p.stems)
        self._vocabulary = sorted(self._postings)
        self._sections = _inverted(passages, lambda p: [p.section_stems])
        self._titles_with_stem = _inverted(self._sections, lambda title: title, each=lambda title: title)
        self._title_vocabulary = sorted(self._titles_with_stem)
        self._naming = _inverted(passages, lambda p: p.entities)
        self._in_context = _inverted(passages, lambda p: p.context)
        self._with_stem: dict[str, frozenset[Key]] = {}
        self._holding: dict[tuple[str, ...], frozenset[Key]] = {}
        self._section_holding: dict[tuple[str, ...], frozenset[Key]] = {}

    def holding(self, wording: tuple[str, ...]) -> frozenset[Key]:
        """Keys of the passages whose text holds the wording."""
        return remembered(self._holding, wording, lambda: self._text_holding(wording))

    def section_holding(self, wording: tuple[str, ...]) -> frozenset[Key]:
        """Keys of the passages whose section title holds the wording."""
        return remembered(self._section_holding, wording, lambda: _union(
            self._sections[title] for title in self._titles_with_every_stem(wording) if contains(title, wording)
        ))

    def passage(self, key: Key) -> Passage:
        return self._by_key[key]

    def naming(self, entity: str) -> frozenset[Key]:
        """Keys of the passages naming the entity."""
        return self._naming.get(entity, frozenset())

    def in_context(self, entity: str) -> frozenset[Key]:
        """Keys of the passages in whose context (``CONTEXT_PASSAGES``) the entity is named."""
        return self._in_context.get(entity, frozenset())

    def _text_holding(self, wording: tuple[str, ...]) -> frozenset[Key]:
        if len(wording) < 2:
            return self._stem(wording[0]) if wording else frozenset()
        found = frozenset.intersection(*(self._stem(s) for s in wording))
        return frozenset(k for k in found if contains(self._by_key[k].stems, wording))

    def _stem(self, wanted: str) -> frozenset[Key]:
        return remembered(self._with_stem, wanted, lambda: _union(
            self._postings[s] for s in _stems_like(wanted, self._vocabulary, self._postings)
        ))

    def _titles_with_every_stem(self, wording: tuple[str, ...]):
        """The section titles (as stems) holding a stem ``_same`` as each of the wording's, which
        include every title holding the wording."""
        if not wording:
            return self._sections.keys()
        return frozenset.intersection(*(
            _union(self._titles_with_stem[s] for s in _stems_like(wanted, self._title_vocabulary, self._titles_with_stem))
            for wanted in wording
        ))


def _stems_like(wanted: str, vocabulary: list[str], known) -> list[str]:
    """The stems of the sorted ``vocabulary`` ``_same`` as ``wanted``: itself (if ``known``), and
    those it begins if it is long enough."""
    if len(wanted) < MIN_PREFIX:
        return [wanted] if wanted in known else []
    first = bisect.bisect_left(vocabulary, wanted)
    last = first
    while last < len(vocabulary) and vocabulary[last].startswith(wanted):
        last += 1
    return vocabulary[first:last]


def _inverted(items, values: Callable, each: Callable = lambda passage: passage.key) -> dict:
    """``{value: frozenset of each(item) for the items having it}`` for the values ``values(item)``
    gives: by default keys of passages; also section titles by their stems."""
    index: dict = {}
    for item in items:
        for value in values(item):
            index.setdefault(value, set()).add(each(item))
    return {value: frozenset(found) for value, found in index.items()}


def _union(sets) -> frozenset:
    return frozenset().union(*sets)


def remembered(memory: dict, key, compute: Callable):
    """``memory[key]``, computed on first use; a memory grown past ``MAX_REMEMBERED`` starts afresh,
    so that a server asked endless new words keeps a bounded size."""
    if key not in memory:
        if len(memory) >= MAX_REMEMBERED:
            memory.clear()
        memory[key] = compute()
    return memory[key]


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one per generation
class Tables:
    generation: str
    titles: dict[str, str]
    texts: dict[str, str]
    passages: dict[str, list[Passage]]  # per document, in text order
    entities: tuple[Entity, ...]
    populations: tuple[Population, ...]
    claims: dict[Key, ClaimRecord]  # by the key of the passage holding the claim
    grants: tuple[GrantRecord, ...]
    stems: Callable[[str], tuple[str, ...]]  # the index's analysis: lower case, no stop words, stemmed
    entity_names: NameMatcher
    population_names: NameMatcher
    document_entities: dict[str, frozenset[str]]  # entities a document's title or publisher names
    labels_with_stem: dict[str, frozenset[str]]  # stem -> keys of the entities whose label has it
    wordings: WordingIndex
    figures_by_document: dict[str, tuple[FigureRecord, ...]]  # each document's figures by start
    by_source: dict[str, tuple[Passage, ...]]  # sentence, grant, reference -> passages
    by_answer_type: dict[str, tuple[Passage, ...]]  # ANSWER_TYPES -> passages that may be of that type, by key

    def idf(self, wordings: tuple[tuple[str, ...], ...]) -> float:
        """BM25's inverse passage frequency of what the wordings say; what no passage says weighs most."""
        held = len(frozenset().union(*(self.wordings.holding(w) for w in wordings)))
        total = len(self.wordings.passages)
        return math.log(1 + (total - held + 0.5) / (held + 0.5))

    def passage_at(self, doc_id: str, offset: int) -> Passage | None:
        return passage_at(self.passages, doc_id, offset)

    def entity(self, key: str) -> Entity | None:
        return self._entities_by_key.get(key)

    @cached_property
    def _entities_by_key(self) -> dict[str, Entity]:
        return {e.key: e for e in reversed(self.entities)}  # the first of a key wins, as a scan would find it

    def all_passages(self) -> list[Passage]:
        return self.wordings.passages

    def passage(self, key: Key) -> Passage:
        return self.wordings.passage(key)

    def figures_in(self, doc_id: str, start: int, end: int) -> list[FigureRecord]:
        """The figures of ``doc_id`` starting in [start, end)."""
        figures, starts = self.figures_by_document.get(doc_id, ()), self._figure_starts.get(doc_id, [])
        return list(figures[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)])

    def claims_with(self, facet: str, value: str) -> frozenset[Key]:
        """Keys of the claims attributed to an entity (``facet`` "entity"), tagged with a population
        ("population") or of a kind ("kind")."""
        return self._claims_by_facet.get((facet, value), frozenset())

    @cached_property
    def _figure_starts(self) -> dict[str, list[int]]:
        return {doc_id: [f.start for f in figures] for doc_id, figures in self.figures_by_document.items()}

    @cached_property
    def _claims_by_facet(self) -> dict[tuple[str, str], frozenset[Key]]:
        found: dict[tuple[str, str], set[Key]] = {}
        for key, claim in self.claims.items():
            facets = [("entity", claim.attributed_to), ("kind", claim.kind), *(("population", p) for p in claim.populations)]
            for facet in facets:
                found.setdefault(facet, set()).add(key)
        return {facet: frozenset(keys) for facet, keys in found.items()}


def passage_at(passages: dict[str, list[Passage]], doc_id: str, offset: int) -> Passage | None:
    """The passage of ``doc_id`` containing ``offset``."""
    in_document = passages.get(doc_id, [])
    i = bisect.bisect_right([p.start for p in in_document], offset) - 1
    if i >= 0 and in_document[i].start <= offset < in_document[i].end:
        return in_document[i]
    return None


ANSWER_TYPES: dict[str, Callable[[Passage], bool]] = {  # an answer type (kb.qa.kinds): may a passage have it
    "figure": lambda p: p.has_figure,
    "when": lambda p: p.dated,
    "who": lambda p: bool(p.entities),
    "sources": lambda p: p.source == "reference",
}


def load_tables(service, generation: str) -> Tables:
    documents = service.documents()
    texts = {d.id: service.document_text(d.id) for d in documents}
    citations = {doc_id: service.cites(doc_id) for doc_id in texts}
    analyzer = service.view.index.schema["text"].analyzer

    def stems(text: str) -> tuple[str, ...]:
        return tuple(token.text for token in analyzer(text))

    lexicon = tomllib.loads(LEXICON_PATH.read_text(encoding="utf-8"))
    entities = tuple(_entities(service))
    populations = tuple(_populations(lexicon))
    descriptive = _descriptive(lexicon)
    entity_names = NameMatcher({n: (e.key, e.label) for e in reversed(entities) for n in e.names})
    figures_by_document: dict[str, list[FigureRecord]] = {}
    for figure in sorted(_figures(service), key=lambda f: f.start):
        figures_by_document.setdefault(figure.doc_id, []).append(figure)
    grants = tuple(_grants(citations))
    joins: dict[str, list[tuple[int, int, str]]] = {}
    for doc_id, start, end, source in [(g.doc_id, g.start, g.end, "grant") for g in grants] + list(_reference_spans(citations)):
        joins.setdefault(doc_id, []).append((start, end, source))
    sentences = _sentences(service.view.index)
    passages = _numbered({
        doc_id: _described(
            _joined(sentences.get(doc_id, []), joins.get(doc_id, []), texts[doc_id], doc_id, stems),
            entity_names, [f.start for f in figures_by_document.get(doc_id, [])], descriptive,
        )
        for doc_id in texts
    })
    every_passage = [p for doc_id in texts for p in passages[doc_id]]
    return Tables(
        generation=generation,
        titles={d.id: d.title or d.id for d in documents},
        texts=texts,
        passages=passages,
        entities=entities,
        populations=populations,
        claims=_claims(service, passages),
        grants=grants,
        stems=stems,
        entity_names=entity_names,
        population_names=NameMatcher({t: (p.key, p.label) for p in reversed(populations) for t in (p.label, *p.terms)}),
        document_entities={
            d.id: frozenset(m.key for m in entity_names.find(f"{d.title or ''} · {d.publisher or ''}"))
            for d in documents
        },
        labels_with_stem=_labels_with_stem(entities, stems),
        wordings=WordingIndex(every_passage),
        figures_by_document={doc_id: tuple(found) for doc_id, found in figures_by_document.items()},
        by_source={source: tuple(p for p in every_passage if p.source == source) for source in ("sentence", "grant", "reference")},
        by_answer_type={
            kind: tuple(sorted((p for p in every_passage if has_kind(p)), key=lambda p: p.key))
            for kind, has_kind in ANSWER_TYPES.items()
        },
    )


# --- passages


def _sentences(index) -> dict[str, list[dict]]:
    by_doc: dict[str, list[dict]] = {}
    with index.searcher() as searcher:
        for fields in searcher.all_stored_fields():
            if fields["kind"] == "sentence":
                by_doc.setdefault(fields["doc_id"], []).append(dict(fields))
    return {doc_id: sorted(found, key=lambda s: s["start"]) for doc_id, found in by_doc.items()}


def _joined(sentences: list[dict], joins: list[tuple[int, int, str]], text: str, doc_id: str, stems: Callable) -> list[Passage]:
    """The document's sentences, those one of its grants or reference entries (``joins``) spans
    joined into one passage (the first record to claim a sentence keeps it)."""
    passages: list[Passage] = []
    taken: set[int] = set()
    for start, end, source in joins:
        covered = [s for s in sentences if s["start"] < end and s["end"] > start]
        if covered and not taken & {s["start"] for s in covered}:
            taken.update(s["start"] for s in covered)
            first, last = covered[0], covered[-1]
            passages.append(_passage(text, doc_id, first["start"], last["end"], first["section"], source, stems))
    passages += [
        _passage(text, doc_id, s["start"], s["end"], s["section"], "sentence", stems)
        for s in sentences
        if s["start"] not in taken
    ]
    return sorted(passages, key=lambda p: p.start)


def _passage(text: str, doc_id: str, start: int, end: int, section: str, source: str, stems: Callable) -> Passage:
    quote = text[start:end]
    return Passage(doc_id, start, end, section, quote, source, stems(quote), stems(section))


def _numbered(passages: dict[str, list[Passage]]) -> dict[str, list[Passage]]:
    """Each document's passages (in text order) with their keys: places in (doc_id, start) order."""
    first, key = {}, 0
    for doc_id in sorted(passages):
        first[doc_id] = key
        key += len(passages[doc_id])
    return {doc_id: [replace(p, key=first[doc_id] + i) for i, p in enumerate(found)] for doc_id, found in passages.items()}


def _described(
    passages: list[Passage], entity_names: NameMatcher, figure_starts: list[int], descriptive: re.Pattern
) -> list[Passage]:
    """Each passage of a document with the entities it names, those of its context, and whether it
    holds a figure (one of the document's ``figure_starts``, sorted) or a date or describes its document."""
    named = [frozenset(m.key for m in entity_names.find(p.text)) for p in passages]
    result = []
    for i, passage in enumerate(passages):
        result.append(replace(
            passage,
            entities=named[i],
            context=frozenset().union(*named[max(0, i - CONTEXT_PASSAGES) : i + 1]),
            has_figure=bisect.bisect_left(figure_starts, passage.start) < bisect.bisect_left(figure_starts, passage.end),
            dated=DATE.search(passage.text) is not None,
            descriptive=descriptive.search(passage.text) is not None,
        ))
    return result


# --- records


def _key(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def _reference_spans(citations: dict[str, dict]):
    for doc_id, record in citations.items():
        for kind in ("references", "sources", "footnotes"):
            for entry in record[kind]:
                if entry["end"] - entry["start"] <= MAX_JOINED_SPAN:
                    yield doc_id, entry["start"], entry["end"], "reference"


def _grants(citations: dict[str, dict]):
    for doc_id, record in citations.items():
        for g in record["grants"]:
            if g["end"] - g["start"] <= MAX_JOINED_SPAN:
                funder = _key(g["funder_id"]) if g["funder_id"] else None
                yield GrantRecord(
                    doc_id, g["start"], g["end"], g["title"], g["funder"], funder,
                    g["amount"], g["currency"], g["period"],
                )


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


def _labels_with_stem(entities: tuple[Entity, ...], stems: Callable) -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for entity in entities:
        for stem in stems(entity.label):
            found.setdefault(stem, set()).add(entity.key)
    return {stem: frozenset(keys) for stem, keys in found.items()}


def _populations(lexicon: dict):
    for p in lexicon.get("population", []):
        yield Population(p["key"], p["label"], tuple(p["terms"]), p.get("topic", False))


def _descriptive(lexicon: dict) -> re.Pattern:
    """The claim lexicon's cues of a sentence describing its document ("this paper", "available at")."""
    cues = [c for entry in lexicon.get("claim_cue", []) if entry["kind"] == "descriptive" for c in entry["cues"]]
    return re.compile(r"\b(?:" + "|".join(re.escape(c) for c in cues) + r")\b" if cues else r"(?!)", re.IGNORECASE)


def _claims(service, passages: dict[str, list[Passage]]) -> dict[Key, ClaimRecord]:
    claims = {}
    for c in service.claims():
        passage = passage_at(passages, c["document"], c["start"])
        if passage is not None:
            attributed = _key(c["attributed_to_id"]) if c["attributed_to_id"] else None
            claims[passage.key] = ClaimRecord(c["kind"], frozenset(c["populations"]), attributed, c["attributed_to"])
    return claims


def _figures(service):
    figures = service.figures()
    spans = {f["id"]: (f["start"], f["end"]) for f in figures}
    for f in figures:
        yield FigureRecord(
            f["document"], f["start"], f["end"], f["text"], f["value"], f["unit"], f["measure"], f["group"],
            spans.get(f["comparator"]) if f["comparator"] else None,
        )
