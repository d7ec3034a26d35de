"""The shared graph: what spans documents, rebuilt from the document graphs after every ingest.

It holds the VoID description, the population concept scheme (SKOS, from the claim lexicon),
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
from .void import dataset_description

POPULATION_SCHEME = f"{ns.ID}concept/populations"
TOPIC_SCHEME = f"{ns.ID}concept/topics"

ENTITY_LABELS = PREFIX_LINES + """
SELECT ?entity ?class ?label ?alt ?doc WHERE { GRAPH ?g {
    ?mention kbv:mentionOf ?entity ; kbv:inDocument ?doc .
    ?entity a ?class ; skos:prefLabel ?label .
    OPTIONAL { ?entity skos:altLabel ?alt }
} }
"""

CITED_WORKS = PREFIX_LINES + """
SELECT DISTINCT ?work ?doc WHERE { GRAPH ?g { ?doc cito:cites|cito:citesAsEvidence|cito:discusses ?work } }
"""


def rebuild_shared_graph(store: ox.Store, lexicon: ClaimLexicon) -> None:
    shared = ox.NamedNode(ns.SHARED_GRAPH)
    triples = dataset_description(store) + population_scheme(lexicon) + topic_scheme(load_topics()) + _entities(store) + _works(store)
    if store.contains_named_graph(shared):
        store.clear_graph(shared)
    store.extend(ox.Quad(s, p, o, shared) for s, p, o in dict.fromkeys(triples))


def population_scheme(lexicon: ClaimLexicon) -> list[Triple]:
    scheme = iri(POPULATION_SCHEME)
    triples: list[Triple] = [
        (scheme, A, iri(ns.SKOS.ConceptScheme)),
        (scheme, iri(ns.SKOS.prefLabel), literal("Populations")),
    ]
    for population in lexicon.populations:
        concept = iri(concept_iri(population.key))
        triples += [
            (concept, A, iri(ns.SKOS.Concept)),
            (concept, iri(ns.SKOS.inScheme), scheme),
            (concept, iri(ns.SKOS.notation), literal(population.key)),
            (concept, iri(ns.SKOS.prefLabel), literal(population.label)),
        ]
        triples += [(concept, iri(ns.SKOS.altLabel), literal(term)) for term in population.terms if term != population.label]
    return triples


def topic_scheme(topics: tuple[Topic, ...]) -> list[Triple]:
    """The topics of the evidence map as a SKOS scheme, like the populations', with each note."""
    scheme = iri(TOPIC_SCHEME)
    triples: list[Triple] = [
        (scheme, A, iri(ns.SKOS.ConceptScheme)),
        (scheme, iri(ns.SKOS.prefLabel), literal("Topics")),
    ]
    for topic in topics:
        concept = iri(concept_iri(topic.key))
        triples += [
            (concept, A, iri(ns.SKOS.Concept)),
            (concept, iri(ns.SKOS.inScheme), scheme),
            (concept, iri(ns.SKOS.notation), literal(topic.key)),
            (concept, iri(ns.SKOS.prefLabel), literal(topic.label)),
            (concept, iri(ns.SKOS.scopeNote), literal(topic.note)),
        ]
        triples += [(concept, iri(ns.SKOS.altLabel), literal(term)) for term in topic.wordings if term != topic.label]
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
