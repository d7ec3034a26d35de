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

# Each document graph states ``?doc schema:mentions ?entity`` once per entity it mentions, with the
# entity's class and labels as that document names it: a row per document and entity, not per mention.
ENTITY_LABELS = PREFIX_LINES + """
SELECT ?entity ?class ?label ?doc WHERE { GRAPH ?g { ?doc schema:mentions ?entity . ?entity a ?class ; skos:prefLabel ?label } }
"""

ENTITY_ALT_LABELS = PREFIX_LINES + """
SELECT DISTINCT ?entity ?alt WHERE { GRAPH ?g { ?doc schema:mentions ?entity . ?entity skos:altLabel ?alt } }
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
    preferred_in: dict[ox.NamedNode, dict[str, set[ox.NamedNode]]] = {}  # entity -> label -> documents preferring it
    names: dict[ox.NamedNode, set[str]] = {}
    classes: dict[ox.NamedNode, set[ox.NamedNode]] = {}
    for row in store.query(ENTITY_LABELS):
        entity, label = row["entity"], row["label"].value
        preferred_in.setdefault(entity, {}).setdefault(label, set()).add(row["doc"])
        names.setdefault(entity, set()).add(label)
        classes.setdefault(entity, set()).add(row["class"])
    for row in store.query(ENTITY_ALT_LABELS):
        names[row["entity"]].add(row["alt"].value)
    referenced_by, pref_label, alt_label = iri(ns.DCTERMS.isReferencedBy), iri(ns.SKOS.prefLabel), iri(ns.SKOS.altLabel)
    triples: list[Triple] = []
    for entity, votes in preferred_in.items():
        preferred = max(votes, key=lambda label: (len(votes[label]), len(label), label))
        triples += [(entity, A, rdf_class) for rdf_class in classes[entity]]
        triples += [(entity, referenced_by, document) for document in set().union(*votes.values())]
        triples.append((entity, pref_label, literal(preferred)))
        triples += [(entity, alt_label, literal(name)) for name in sorted(names[entity] - {preferred})]
    return triples


def _works(store: ox.Store) -> list[Triple]:
    return [(row["work"], iri(ns.DCTERMS.isReferencedBy), row["doc"]) for row in store.query(CITED_WORKS)]
