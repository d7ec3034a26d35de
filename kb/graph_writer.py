"""The graph writer: turns an ``ExtractedDocument`` into the quads of its named graph.

One named graph per document holds its metadata (FaBiO, Dublin Core), its canonical text
(C4O), its sections, paragraphs and sentences as W3C Web Annotation specific resources with
``TextPositionSelector`` and ``TextQuoteSelector``, its provenance (PROV-O: the ingest activity,
the software, the source file and its SHA-256), what the extractors found, each derived from
the selector of its exact span, and VoID partitions counting the records (``kb.tallies``). Terms
are built straight as pyoxigraph terms: the store loads them without an rdflib round trip.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain

import pyoxigraph as ox

from ingest.records import ExtractedDocument, Segment, SegmentedDocument

from . import __version__
from . import namespaces as ns
from .extracted_graph import extracted_triples
from .rdf_terms import A, Triple, datetime_literal, iri, literal, optional_literals, selector_triples
from .tallies import with_partitions

DOCUMENT_CLASSES = {
    "ref-impact-case-study": ns.FABIO.CaseStudy,
    "briefing": ns.FABIO.PolicyBrief,
    "evaluation-summary": ns.FABIO.ReportDocument,
    "report": ns.FABIO.ReportDocument,
}


# Facts a manifest or a reader states beyond the standard metadata (see ingest.manifest.EXTRA_KEYS).
EXTRA_PREDICATES = {
    "identifier": ns.KBV.documentNumber,
    "institution": ns.KBV.submittingInstitution,
    "unit_of_assessment": ns.KBV.unitOfAssessment,
    "contributors": ns.DCTERMS.contributor,
    "funder_list": ns.KBV.funderList,
}


def document_triples(doc: ExtractedDocument) -> Iterator[Triple]:
    """All triples of a document's named graph, ending with the VoID partitions that count its records."""
    return with_partitions(doc.doc_id, chain(
        _metadata(doc.segmented), _provenance(doc), _segments(doc.segmented), extracted_triples(doc)
    ))


def _metadata(seg: SegmentedDocument) -> Iterator[Triple]:
    read, meta = seg.read, seg.read.metadata
    doc = iri(ns.document_iri(read.doc_id))
    yield doc, A, iri(ns.KBV.SourceDocument)
    yield doc, A, iri(DOCUMENT_CLASSES.get(meta.doc_type or "", ns.FABIO.Expression))
    yield doc, iri(ns.DCTERMS.identifier), literal(read.doc_id)
    yield doc, iri(ns.DCTERMS["format"]), literal(read.media_type)
    yield doc, iri(ns.C4O.hasContent), literal(seg.text)
    yield doc, iri(ns.KBV.offsetMap), literal(seg.canonical.offsets.encode())
    yield doc, iri(ns.KBV.characterCount), literal(len(seg.text))
    yield doc, iri(ns.KBV.sentenceCount), literal(len(seg.sentences))
    yield from optional_literals(doc, (
        (ns.DCTERMS["title"], meta.title),
        (ns.KBV.documentType, meta.doc_type),
        (ns.DCTERMS.publisher, meta.publisher),
        (ns.DCTERMS.date, meta.date),
    ))
    if meta.source_url:
        yield doc, iri(ns.DCTERMS.source), iri(meta.source_url)
    for author in meta.authors:
        yield doc, iri(ns.DCTERMS.creator), literal(author)
    for key, value in meta.extra:
        yield doc, iri(EXTRA_PREDICATES[key]), literal(value)


def _provenance(doc: ExtractedDocument) -> Iterator[Triple]:
    read = doc.segmented.read
    document = iri(ns.document_iri(read.doc_id))
    graph = iri(ns.graph_iri(read.doc_id))
    source = iri(ns.file_iri(read.sha256))
    activity = iri(ns.activity_iri(read.doc_id, read.sha256, doc.pipeline))
    software = iri(ns.software_iri(__version__))
    yield graph, A, iri(ns.KBV.DocumentGraph)
    yield graph, iri(ns.PROV.wasGeneratedBy), activity
    yield graph, iri(ns.PROV.wasDerivedFrom), source
    yield graph, iri(ns.DCTERMS.subject), document
    yield document, iri(ns.PROV.wasDerivedFrom), source
    yield document, iri(ns.PROV.wasGeneratedBy), activity
    yield source, A, iri(ns.PROV.Entity)
    yield source, iri(ns.KBV.sha256), literal(read.sha256)
    yield source, iri(ns.PROV.atLocation), literal(read.source_path)
    yield source, iri(ns.DCTERMS["format"]), literal(read.media_type)
    yield activity, A, iri(ns.PROV.Activity)
    yield activity, A, iri(ns.KBV.IngestActivity)
    yield activity, iri(ns.PROV.used), source
    yield activity, iri(ns.PROV.wasAssociatedWith), software
    yield activity, iri(ns.PROV.startedAtTime), datetime_literal(doc.started)
    yield activity, iri(ns.PROV.endedAtTime), datetime_literal(doc.ended)
    yield activity, iri(ns.KBV.pipeline), literal(doc.pipeline)
    yield software, A, iri(ns.PROV.SoftwareAgent)
    yield software, iri(ns.RDFS.label), literal(f"carekb {__version__}")
    yield software, iri(ns.SCHEMA.softwareVersion), literal(__version__)


SEGMENT_CLASSES = {"section": ns.DOCO.Section, "paragraph": ns.DOCO.Paragraph, "sentence": ns.DOCO.Sentence}


def segment_iri(doc_id: str, segment: Segment) -> ox.NamedNode:
    return iri(ns.span_iri(doc_id, segment.kind, segment.start, segment.end))


def _segments(seg: SegmentedDocument) -> Iterator[Triple]:
    doc_id, text = seg.doc_id, seg.text
    document = iri(ns.document_iri(doc_id))
    for segment in (*seg.sections, *seg.paragraphs, *seg.sentences):
        node = segment_iri(doc_id, segment)
        yield node, A, iri(SEGMENT_CLASSES[segment.kind])
        yield from selector_triples(doc_id, text, node, segment.start, segment.end)
        if segment.kind == "section":
            yield document, iri(ns.PO.contains), node
            if segment.title:
                yield node, iri(ns.DCTERMS["title"]), literal(segment.title)
        elif segment.section_start is not None:
            section = seg.section_of(segment.start)
            if section is not None:
                yield node, iri(ns.DCTERMS.isPartOf), segment_iri(doc_id, section)
