"""The shared graph: what spans documents, rebuilt from the document graphs after every ingest.

It holds the VoID description (with the dataset's class partitions: the documents' counts added
up), the population concept scheme (SKOS, from the claim lexicon),
the topic concept scheme (SKOS, from ``ingest/data/topics.toml``), one summary per merged entity (one preferred label, every alternative label, the documents that
mention it) and, for every cited work, the documents that cite it. Document graphs stay the
source of truth; this graph is derived and replaced whole.
"""

from __future__ import annotations

import pyoxigraph as ox

from ingest.extract.claims import ClaimLexicon
from ingest.extract.evidence import Topic, load_topics

from . import namespaces as ns
from .catalog import PREFIX_LINES
from .extracted_graph import concept_iri
from .rdf_terms import A, Triple, iri, literal
from .store import GenerationWriter
from .tallies import dataset_partitions
from .void import DATASET, dataset_description

POPULATION_SCHEME = f"{ns.ID}concept/populations"
TOPIC_SCHEME = f"{ns.ID}concept/topics"

ENTITY_LABELS = PREFIX_LINES + """
SELECT DISTINCT ?entity ?class ?label ?alt ?doc WHERE { GRAPH ?g {
    ?mention kbv:mentionOf ?entity ; kbv:inDocument ?doc .
    ?entity a ?class ; skos:prefLabel ?label .
    OPTIONAL { ?entity skos:altLabel ?alt }
} }
"""

CITED_WORKS = PREFIX_LINES + """
SELECT DISTINCT ?work ?doc WHERE { GRAPH ?g { ?doc cito:cites|cito:citesAsEvidence|cito:discusses ?work } }
"""


def rebuild_shared_graph(writer: GenerationWriter, lexicon: ClaimLexicon) -> None:
    """Replace the shared graph (one request to a remote store) with what the document graphs now say."""
    store = writer.store
    shared = ox.NamedNode(ns.SHARED_GRAPH)
    triples = dataset_description(store) + dataset_partitions(store, iri(DATASET)) + population_scheme(lexicon) + topic_scheme(load_topics()) + _entities(store) + _works(store)
    writer.replace_graph(shared, ox.serialize((ox.Triple(*t) for t in dict.fromkeys(triples)), format=ox.RdfFormat.N_TRIPLES))


def population_scheme(lexicon: ClaimLexicon) -> list[Triple]:
    return concept_scheme(
        POPULATION_SCHEME, "Populations", ((p.key, p.label, p.terms, None) for p in lexicon.populations)
    )


def topic_scheme(topics: tuple[Topic, ...]) -> list[Triple]:
    """The topics of the evidence map as a SKOS scheme, like the populations', with each note."""
    return concept_scheme(TOPIC_SCHEME, "Topics", ((t.key, t.label, t.wordings, t.note) for t in topics))


def concept_scheme(scheme_iri: str, label: str, concepts) -> list[Triple]:
    """A SKOS concept scheme: ``concepts`` are (key, label, other wordings, scope note or None)."""
    scheme = iri(scheme_iri)
    triples: list[Triple] = [(scheme, A, iri(ns.SKOS.ConceptScheme)), (scheme, iri(ns.SKOS.prefLabel), literal(label))]
    for key, concept_label, wordings, note in concepts:
        concept = iri(concept_iri(key))
        triples += [
            (concept, A, iri(ns.SKOS.Concept)),
            (concept, iri(ns.SKOS.inScheme), scheme),
            (concept, iri(ns.SKOS.notation), literal(key)),
            (concept, iri(ns.SKOS.prefLabel), literal(concept_label)),
        ]
        if note:
            triples.append((concept, iri(ns.SKOS.scopeNote), literal(note)))
        triples += [(concept, iri(ns.SKOS.altLabel), literal(term)) for term in wordings if term != concept_label]
    return triples


def _entities(store: ox.Store) -> list[Triple]:
    """One preferred label per entity (the one most document graphs prefer, then the longest),
    every other name as an alternative, and the documents that mention it."""
    preferred_in: dict[ox.NamedNode, dict[str, set[str]]] = {}  # entity -> label -> graphs preferring it
    names: dict[ox.NamedNode, set[str]] = {}
    triples: list[Triple] = []
    for row in store.query(ENTITY_LABELS):
        entity, label = row["entity"], row["label"].value
        preferred_in.setdefault(entity, {}).setdefault(label, set()).add(row["doc"].value)
        names.setdefault(entity, set()).update({label} | ({row["alt"].value} if row["alt"] is not None else set()))
        triples += [(entity, A, row["class"]), (entity, iri(ns.DCTERMS.isReferencedBy), row["doc"])]
    for entity, votes in preferred_in.items():
        preferred = max(votes, key=lambda label: (len(votes[label]), len(label), label))
        triples.append((entity, iri(ns.SKOS.prefLabel), literal(preferred)))
        triples += [(entity, iri(ns.SKOS.altLabel), literal(name)) for name in sorted(names[entity] - {preferred})]
    return triples


def _works(store: ox.Store) -> list[Triple]:
    return [(row["work"], iri(ns.DCTERMS.isReferencedBy), row["doc"]) for row in store.query(CITED_WORKS)]
