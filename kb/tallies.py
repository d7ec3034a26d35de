"""What ingestion found in one document, counted as it is written: VoID partitions of its graph.

Each document graph describes itself: its size (``void:triples``), its document as ``void:rootResource`` (stated here only: the
shared graph's VoID names the document with ``dcterms:subject``, so a query over the union of
graphs that joins on this meets each document once), and ``void:classPartition``, one per kind of
record it holds: its sections and sentences, figures, actor mentions, roles and grants, claims of
each kind (``kbv:claimKind``), list entries of each kind (``kbv:listKind``), and resolved and
unresolved pointers (``kbv:resolved``); each with ``void:class``, the restricting value where
there is one, ``void:entities`` and a label (``claims: finding``). They are counted from the
graph's own triples, so they say exactly what a count over the graph would, and a data-quality
overview reads some thousands of numbers instead of counting millions of triples.

The dataset's own partitions (``dataset_partitions``, in the shared graph) add them up over every
document graph: per kind, the records in all documents (``void:entities``) and the document graphs
holding any (``void:documents``), so the overview of a knowledge base of thousands of documents
reads a few dozen numbers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from ingest.ids import slugify

from . import namespaces as ns
from .catalog import PREFIX_LINES
from .rdf_terms import A, Triple, iri, literal

PLAIN_CLASSES = {  # counted by class alone
    str(ns.DOCO.Section): "sections",
    str(ns.DOCO.Sentence): "sentences",
    str(ns.KBV.Figure): "figures",
    str(ns.KBV.ActorMention): "actor mentions",
    str(ns.KBV.ActorRole): "roles",
    str(ns.SCHEMA.MonetaryGrant): "grants",
}
CLAIM, ENTRY, POINTER = str(ns.KBV.Claim), str(ns.BIRO.BibliographicReference), str(ns.C4O.InTextReferencePointer)
CLAIM_KIND, LIST_KIND, RESOLVED, PART_OF = (str(p) for p in (ns.KBV.claimKind, ns.KBV.listKind, ns.KBV.resolved, ns.DCTERMS.isPartOf))


def partition_triples(doc_id: str, triples: Iterable[Triple]) -> list[Triple]:
    """The VoID partitions of the document graph made of ``triples``."""
    graph = iri(ns.graph_iri(doc_id))
    result = [(graph, iri(ns.VOID.rootResource), iri(ns.document_iri(doc_id)))]
    labelled = [(_label(rdf_class, restriction), rdf_class, restriction, count) for (rdf_class, restriction), count in _tally(triples).items()]
    for label, rdf_class, restriction, count in sorted(labelled, key=lambda each: each[0]):
        partition, described = _partition(graph, label, iri(rdf_class), None if restriction is None else (iri(restriction[0]), literal(restriction[1])))
        result += [*described, (partition, iri(ns.VOID.entities), literal(count))]
    return result


def _partition(dataset: ox.NamedNode, label: str, rdf_class: ox.NamedNode, restriction: tuple | None) -> tuple[ox.NamedNode, list[Triple]]:
    """A class partition of ``dataset`` and the triples describing it, without its counts."""
    partition = iri(f"{dataset.value}#partition-{slugify(label)}")
    triples = [
        (partition, A, iri(ns.VOID.Dataset)),
        (dataset, iri(ns.VOID.classPartition), partition),
        (partition, iri(ns.VOID["class"]), rdf_class),
        (partition, iri(ns.RDFS.label), literal(label)),
    ]
    if restriction is not None:
        triples.append((partition, *restriction))
    return partition, triples


DOCUMENT_PARTITIONS = PREFIX_LINES + """
SELECT ?label (SUM(?entities) AS ?records) (COUNT(?graph) AS ?graphs) (SAMPLE(?partition) AS ?example) WHERE {
  GRAPH ?graph { ?graph void:classPartition ?partition . ?partition rdfs:label ?label ; void:entities ?entities }
} GROUP BY ?label
"""
PARTITION_FACTS = PREFIX_LINES + """
SELECT ?partition ?predicate ?value WHERE {
  VALUES ?partition { %s }
  VALUES ?predicate { void:class kbv:claimKind kbv:listKind kbv:resolved }
  GRAPH ?graph { ?partition ?predicate ?value }
}
"""


def dataset_partitions(store, dataset: ox.NamedNode) -> list[Triple]:
    """``dataset``'s class partitions: the document graphs' partitions in ``store`` added up, each
    with the records of its kind in all of them and the number of graphs holding any."""
    totals = {row["example"]: row for row in store.query(DOCUMENT_PARTITIONS)}
    if not totals:
        return []
    facts: dict[ox.NamedNode, dict[str, ox.NamedNode | ox.Literal]] = {}
    for row in store.query(PARTITION_FACTS % " ".join(str(example) for example in totals)):
        facts.setdefault(row["partition"], {})[row["predicate"].value] = row["value"]
    triples: list[Triple] = []
    for example, row in totals.items():
        rdf_class = facts[example].pop(str(ns.VOID["class"]))
        restriction = next(((iri(predicate), value) for predicate, value in facts[example].items()), None)
        partition, described = _partition(dataset, row["label"].value, rdf_class, restriction)
        triples += [
            *described,
            (partition, iri(ns.VOID.entities), literal(int(row["records"].value))),
            (partition, iri(ns.VOID.documents), literal(int(row["graphs"].value))),
        ]
    return triples


def _tally(triples: Iterable[Triple]) -> Counter:
    """(class, (predicate, value) or None) -> number of records."""
    classes: dict[str, set[str]] = {}
    values: dict[tuple[str, str], ox.NamedNode | ox.Literal] = {}
    kept = {CLAIM_KIND, LIST_KIND, RESOLVED, PART_OF}
    for subject, predicate, obj in triples:
        if predicate == A:
            classes.setdefault(subject.value, set()).add(obj.value)
        elif predicate.value in kept:
            values[subject.value, predicate.value] = obj
    tally: Counter = Counter()
    for subject, its_classes in classes.items():
        for rdf_class in its_classes:
            restriction = _restriction(rdf_class, subject, values)
            if rdf_class in PLAIN_CLASSES or restriction is not None:
                tally[rdf_class, restriction] += 1
    return tally


def _restriction(rdf_class: str, subject: str, values: dict) -> tuple[str, object] | None:
    """The (predicate, value) that splits a record's class, or None for a plain class."""
    if rdf_class == CLAIM:
        kind = values.get((subject, CLAIM_KIND))
        return None if kind is None else (CLAIM_KIND, kind.value)
    if rdf_class == ENTRY:
        entry_list = values.get((subject, PART_OF))
        kind = None if entry_list is None else values.get((entry_list.value, LIST_KIND))
        return None if kind is None else (LIST_KIND, kind.value)
    if rdf_class == POINTER:
        resolved = values.get((subject, RESOLVED))
        return None if resolved is None else (RESOLVED, resolved.value == "true")
    return None


def _label(rdf_class: str, restriction: tuple[str, object] | None) -> str:
    if restriction is None:
        return PLAIN_CLASSES[rdf_class]
    value = restriction[1]
    if rdf_class == CLAIM:
        return f"claims: {value}"
    if rdf_class == ENTRY:
        return f"list entries: {value}"
    return "pointers: resolved" if value else "pointers: unresolved"


def with_partitions(doc_id: str, triples: Iterable[Triple]) -> Iterator[Triple]:
    """``triples`` followed by the partitions that count them and the graph's size (``void:triples``,
    counting itself), so that the dataset's size is added up from the graphs instead of counted."""
    kept = list(dict.fromkeys(triples))
    partitions = partition_triples(doc_id, kept)
    yield from kept
    yield from partitions
    yield iri(ns.graph_iri(doc_id)), iri(ns.VOID.triples), literal(len(kept) + len(partitions) + 1)
