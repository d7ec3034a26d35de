"""The RDF of what extraction found in a document: actors, roles, figures, grants, citations, claims.

Every record is a resource of its own, ``prov:wasDerivedFrom`` the span of text it came from (a
Web Annotation specific resource with position and quote selectors) and naming the extraction
method. Entities, works and population concepts have document-independent IRIs, so what several
documents say about the same actor or work meets at one resource.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox

from ingest.ids import slugify
from ingest.records import ActorMention, CitationEntry, Claim, ClaimAssessment, ExtractedDocument, Figure, Grant, Pointer

from . import namespaces as ns
from .rdf_terms import A, Triple, iri, literal, optional_literals, selector_triples

ENTITY_CLASSES = {
    "person": ns.FOAF.Person,
    "organisation": ns.FOAF.Organization,
    "place": ns.SCHEMA.Place,
    "study": ns.KBV.Study,
}
AUTHOR_SEPARATOR = "; "
CITATION_RELATIONS = {
    "references": ns.CITO.cites,
    "sources": ns.CITO.citesAsEvidence,
    "footnotes": ns.CITO.cites,
    "mentions": ns.CITO.discusses,  # a work named by its title in running text
}


def concept_iri(key: str) -> str:
    return f"{ns.ID}concept/{key}"


def work_key(entry: CitationEntry) -> str | None:
    """One key per work across documents: its DOI, else its main title (before a subtitle)."""
    if entry.doi:
        return "doi-" + slugify(entry.doi.lower(), max_length=120)
    if not entry.title:
        return None
    main, _, _ = entry.title.partition(":")
    title = main if len(main.split()) >= 4 else entry.title
    return "title-" + slugify(title, max_length=120)


class _SpanResources:
    """Span resources of one document, each written once however many records point at it."""

    def __init__(self, doc_id: str, text: str):
        self.doc_id, self.text = doc_id, text
        self.seen: set[tuple[str, int, int]] = set()

    def __call__(self, kind: str, start: int, end: int) -> tuple[ox.NamedNode, tuple[Triple, ...]]:
        node = iri(ns.span_iri(self.doc_id, kind, start, end))
        if (kind, start, end) in self.seen:
            return node, ()
        self.seen.add((kind, start, end))
        return node, selector_triples(self.doc_id, self.text, node, start, end)


def extracted_triples(doc: ExtractedDocument) -> Iterator[Triple]:
    spans = _SpanResources(doc.doc_id, doc.segmented.text)
    yield from _actors(doc, spans)
    yield from _roles(doc, spans)
    yield from _figures(doc, spans)
    yield from _grants(doc, spans)
    yield from _citations(doc, spans)
    yield from _claims(doc, spans)


def _derived(node: ox.NamedNode, spans: _SpanResources, kind: str, start: int, end: int, method: str) -> Iterator[Triple]:
    source, triples = spans(kind, start, end)
    yield from triples
    yield node, iri(ns.PROV.wasDerivedFrom), source
    yield node, iri(ns.KBV.extractionMethod), literal(method)
    yield node, iri(ns.KBV.inDocument), iri(ns.document_iri(spans.doc_id))


# --- actors and roles


def _actors(doc: ExtractedDocument, spans: _SpanResources) -> Iterator[Triple]:
    document = iri(ns.document_iri(doc.doc_id))
    by_key: dict[str, list[ActorMention]] = {}
    for mention in doc.actors:
        by_key.setdefault(mention.key, []).append(mention)
        node = iri(ns.span_iri(doc.doc_id, "mention", mention.start, mention.end))
        yield node, A, iri(ns.KBV.ActorMention)
        yield node, iri(ns.KBV.mentionOf), iri(ns.entity_iri(mention.key))
        yield from _in_sentence(doc, node, mention.start, mention.end)
        yield from _derived(node, spans, "mention", mention.start, mention.end, mention.method)
    for key, mentions in by_key.items():
        entity = iri(ns.entity_iri(key))
        label = max((m.label for m in mentions), key=len)
        yield document, iri(ns.SCHEMA.mentions), entity
        yield entity, A, iri(ENTITY_CLASSES.get(mentions[0].actor_type, ns.FOAF.Agent))
        yield entity, iri(ns.SKOS.prefLabel), literal(label)
        for surface in sorted({m.text for m in mentions} - {label}):
            yield entity, iri(ns.SKOS.altLabel), literal(surface)


def _in_sentence(doc: ExtractedDocument, node: ox.NamedNode, start: int, end: int | None = None) -> Iterator[Triple]:
    """``node`` kbv:inSentence the sentence holding ``start`` (and ``end``, when given)."""
    sentence = doc.segmented.sentence_at(start)
    if sentence is not None and (end is None or end <= sentence.end):
        yield node, iri(ns.KBV.inSentence), iri(ns.span_iri(doc.doc_id, "sentence", sentence.start, sentence.end))


def _roles(doc: ExtractedDocument, spans: _SpanResources) -> Iterator[Triple]:
    for n, role in enumerate(doc.roles):
        start, end = role.sentence
        node = iri(f"{ns.span_iri(doc.doc_id, 'role', start, end)}/{n}")
        yield node, A, iri(ns.KBV.ActorRole)
        yield node, iri(ns.KBV.agent), iri(ns.entity_iri(role.subject_key))
        yield node, iri(ns.KBV.roleName), literal(role.role)
        yield node, iri(ns.KBV.roleObjectText), literal(role.object_text)
        if role.object_key:
            yield node, iri(ns.KBV.roleObject), iri(ns.entity_iri(role.object_key))
        yield from _derived(node, spans, "sentence", start, end, "rules:dependency-roles")


# --- figures and grants


def figure_iri(doc_id: str, figure: Figure) -> ox.NamedNode:
    return iri(ns.span_iri(doc_id, "figure", figure.start, figure.end))


def _figures(doc: ExtractedDocument, spans: _SpanResources) -> Iterator[Triple]:
    by_span = {(f.start, f.end): f for f in doc.figures}
    for figure in doc.figures:
        node = figure_iri(doc.doc_id, figure)
        yield node, A, iri(ns.KBV.Figure)
        yield node, A, iri(ns.SCHEMA.QuantitativeValue)
        yield node, iri(ns.SCHEMA.value), literal(float(figure.value))
        yield node, iri(ns.SCHEMA.unitText), literal(figure.unit)
        yield node, iri(ns.KBV.figureText), literal(figure.text)
        yield from optional_literals(node, (
            (ns.KBV.measure, figure.measure),
            (ns.KBV.group, figure.group),
            (ns.KBV.denominator, None if figure.denominator is None else float(figure.denominator)),
            (ns.SCHEMA.maxValue, None if figure.end_value is None else float(figure.end_value)),
        ))
        if figure.comparator and figure.comparator in by_span:
            yield node, iri(ns.KBV.comparedWith), figure_iri(doc.doc_id, by_span[figure.comparator])
        if figure.sentence:
            yield node, iri(ns.KBV.inSentence), iri(ns.span_iri(doc.doc_id, "sentence", *figure.sentence))
        yield from _derived(node, spans, "span", figure.start, figure.end, "rules:figure-patterns")


def _grants(doc: ExtractedDocument, spans: _SpanResources) -> Iterator[Triple]:
    for grant in doc.grants:
        node = iri(ns.span_iri(doc.doc_id, "grant", grant.start, grant.end))
        yield node, A, iri(ns.SCHEMA.MonetaryGrant)
        if grant.title:
            yield node, iri(ns.SCHEMA.name), literal(grant.title)
        if grant.funder:
            yield node, iri(ns.KBV.funderName), literal(grant.funder)
            key = _funder_key(grant, doc.actors)
            if key:
                yield node, iri(ns.SCHEMA.funder), iri(ns.entity_iri(key))
        if grant.amount is not None:
            amount = iri(f"{node.value}#amount")
            yield node, iri(ns.SCHEMA.amount), amount
            yield amount, A, iri(ns.SCHEMA.MonetaryAmount)
            yield amount, iri(ns.SCHEMA.value), literal(float(grant.amount))
            yield amount, iri(ns.SCHEMA.currency), literal(grant.currency or "GBP")
        if grant.period:
            yield node, iri(ns.KBV.period), literal(grant.period)
        yield from _derived(node, spans, "span", grant.start, grant.end, "rules:grant-patterns")


def _funder_key(grant: Grant, mentions: list[ActorMention]) -> str | None:
    """The entity key of the funder named inside the grant's span (or anywhere, by its text)."""
    for mention in mentions:
        if grant.start <= mention.start < grant.end and mention.text == grant.funder:
            return mention.key
    for mention in mentions:
        if mention.text == grant.funder or mention.label == grant.funder:
            return mention.key
    return None


# --- citations


def entry_iri(doc_id: str, entry: CitationEntry) -> ox.NamedNode:
    number = entry.n if entry.n else f"at-{entry.start}"
    return iri(f"{ns.document_iri(doc_id)}/list/{entry.list_kind}/{slugify(number)}")


def _citations(doc: ExtractedDocument, spans: _SpanResources) -> Iterator[Triple]:
    document = iri(ns.document_iri(doc.doc_id))
    by_number = {(e.list_kind, e.n): e for e in doc.citations}
    for kind in sorted({e.list_kind for e in doc.citations}):
        reference_list = iri(f"{ns.document_iri(doc.doc_id)}/list/{kind}")
        yield reference_list, A, iri(ns.BIRO.ReferenceList)
        yield reference_list, iri(ns.KBV.listKind), literal(kind)
        yield reference_list, iri(ns.DCTERMS.isPartOf), document
    for entry in doc.citations:
        yield from _entry(doc, entry, spans, document)
    for pointer in doc.pointers:
        yield from _pointer(doc, pointer, by_number, spans)


def _entry(doc: ExtractedDocument, entry: CitationEntry, spans: _SpanResources, document: ox.NamedNode) -> Iterator[Triple]:
    node = entry_iri(doc.doc_id, entry)
    yield node, A, iri(ns.BIRO.BibliographicReference)
    if entry.list_kind == "footnotes":
        yield node, A, iri(ns.DOCO.Footnote)
    yield node, iri(ns.DCTERMS.isPartOf), iri(f"{ns.document_iri(doc.doc_id)}/list/{entry.list_kind}")
    yield node, iri(ns.C4O.hasContent), literal(entry.text)
    if entry.n:
        yield node, iri(ns.KBV.entryNumber), literal(entry.n)
    yield from _derived(node, spans, "span", entry.start, entry.end, "rules:citation-lists")
    key = work_key(entry)
    if key is None:
        return
    work = iri(ns.work_iri(key))
    yield node, iri(ns.BIRO.references), work
    yield document, iri(CITATION_RELATIONS[entry.list_kind]), work
    yield work, A, iri(ns.FABIO.Expression)
    yield from optional_literals(work, (
        (ns.DCTERMS["title"], entry.title),
        (ns.FABIO.hasPublicationYear, entry.year),
        (ns.PRISM.doi, entry.doi),
        (ns.KBV.container, entry.container),
        (ns.DCTERMS.publisher, entry.publisher),
    ))
    if entry.url:
        yield work, iri(ns.FABIO.hasURL), literal(entry.url)
    for author in entry.authors:
        yield work, iri(ns.DCTERMS.creator), literal(author)
    if entry.authors:
        yield work, iri(ns.KBV.authorList), literal(AUTHOR_SEPARATOR.join(entry.authors))


def _pointer(doc: ExtractedDocument, pointer: Pointer, by_number: dict, spans: _SpanResources) -> Iterator[Triple]:
    node = iri(ns.span_iri(doc.doc_id, "pointer", pointer.start, pointer.end))
    yield node, A, iri(ns.C4O.InTextReferencePointer)
    yield node, iri(ns.C4O.hasContent), literal(pointer.marker)
    yield node, iri(ns.KBV.pointerStyle), literal(pointer.style)
    target = by_number.get((pointer.list_kind, pointer.target)) if pointer.target else None
    if target is not None:
        yield node, iri(ns.C4O.denotes), entry_iri(doc.doc_id, target)
    yield node, iri(ns.KBV.resolved), literal(target is not None)
    yield from _in_sentence(doc, node, pointer.start)
    yield from _derived(node, spans, "span", pointer.start, pointer.end, f"rules:pointer-{pointer.style}")


# --- claims


def _claims(doc: ExtractedDocument, spans: _SpanResources) -> Iterator[Triple]:
    for claim in doc.claims:
        yield from _claim(doc, claim, spans)


def _claim(doc: ExtractedDocument, claim: Claim, spans: _SpanResources) -> Iterator[Triple]:
    node = iri(ns.span_iri(doc.doc_id, "claim", claim.start, claim.end))
    yield node, A, iri(ns.KBV.Claim)
    yield node, A, iri(ns.SCHEMA.Claim)
    yield node, iri(ns.KBV.claimKind), literal(claim.kind)
    yield node, iri(ns.KBV.hedged), literal(claim.hedged)
    yield node, iri(ns.SCHEMA.text), literal(claim.text)
    for population in claim.populations:
        yield node, iri(ns.KBV.aboutPopulation), iri(concept_iri(population))
    if claim.attributed_to:
        yield node, iri(ns.PROV.wasAttributedTo), iri(ns.entity_iri(claim.attributed_to))
    if claim.section:
        yield node, iri(ns.KBV.sectionTitle), literal(claim.section)
    if claim.cue:
        yield node, iri(ns.KBV.cue), literal(claim.cue)
    if claim.assessment:
        yield from _assessment(node, claim.assessment)
    yield from _derived(node, spans, "sentence", claim.start, claim.end, "rules:claim-cues")


def _assessment(node: ox.NamedNode, assessment: ClaimAssessment) -> Iterator[Triple]:
    """A claim's topics and evidence kind, and one kbv:Judgement per population and topic: the
    direction and the words that decided it (ingest/extract/evidence.py)."""
    yield node, iri(ns.KBV.evidenceKind), literal(assessment.evidence_kind)
    yield node, iri(ns.KBV.evidenceCue), literal(assessment.evidence_cue)
    for mention in assessment.topics:
        yield node, iri(ns.KBV.aboutTopic), iri(concept_iri(mention.topic))
    for judgement in assessment.judgements:
        item = iri(f"{node.value}/judgement/{judgement.population}/{judgement.topic}")
        yield node, iri(ns.KBV.judgement), item
        yield item, A, iri(ns.KBV.Judgement)
        yield item, iri(ns.KBV.forPopulation), iri(concept_iri(judgement.population))
        yield item, iri(ns.KBV.onTopic), iri(concept_iri(judgement.topic))
        yield item, iri(ns.KBV.direction), literal(judgement.direction)
        yield item, iri(ns.KBV.topicCue), literal(judgement.topic_cue)
        if judgement.direction_cue:
            yield item, iri(ns.KBV.directionCue), literal(judgement.direction_cue)
        if judgement.population_cue:
            yield item, iri(ns.KBV.populationCue), literal(judgement.population_cue)
