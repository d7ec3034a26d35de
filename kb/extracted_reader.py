"""Read extracted records back from the graph as the JSON the CLI and the API share.

Each function is one SPARQL query over the document graphs plus a little shaping; ids are the
records' IRIs; offsets are those of the ``prov:wasDerivedFrom`` span's position selector, so
``text[start:end]`` of ``kb show DOC --json`` is the record's text.
"""

from __future__ import annotations

import pyoxigraph as ox

from . import namespaces as ns
from .catalog import PREFIX_LINES
from .extracted_graph import AUTHOR_SEPARATOR

SEPARATOR = "\u241f"  # joins multi-valued columns in GROUP_CONCAT; never in the corpus text

SPAN = """
    ?record prov:wasDerivedFrom ?span ; kbv:inDocument ?doc .
    ?doc dcterms:identifier ?document .
    ?span oa:hasSelector ?position . ?position oa:start ?start ; oa:end ?end .
"""


def _solutions(store: ox.Store, query: str, doc_id: str | None = None, **bindings):
    """The rows of ``query`` as dicts of plain values. Given ``doc_id``, the query reads that
    document's graph alone (its ``GRAPH ?g`` ranges over that graph only, and ``?document``, which
    each such query projects, is bound to the id), so its time does not grow with the corpus."""
    named_graphs = None
    if doc_id is not None:
        bindings["document"] = ox.Literal(doc_id)
        named_graphs = [ox.NamedNode(ns.graph_iri(doc_id))]
    results = store.query(
        PREFIX_LINES + query, substitutions={ox.Variable(k): v for k, v in bindings.items()}, named_graphs=named_graphs
    )
    names = [v.value for v in results.variables]
    for row in results:
        yield {name: (None if row[name] is None else row[name].value) for name in names}


def _split(value: str | None) -> list[str]:
    return sorted(set(value.split(SEPARATOR)) - {""}) if value else []


def _number(value: str | None) -> float | int | None:
    if value is None:
        return None
    number = float(value)
    return int(number) if number.is_integer() else number


ENTITIES = """
SELECT ?entity ?class ?label (GROUP_CONCAT(DISTINCT COALESCE(?alias, ""); separator="%s") AS ?aliases)
       (GROUP_CONCAT(DISTINCT ?document; separator="%s") AS ?documents) (COUNT(DISTINCT ?mention) AS ?mentions)
WHERE { GRAPH ?g {
    ?mention a kbv:ActorMention ; kbv:mentionOf ?entity ; kbv:inDocument ?doc .
    ?doc dcterms:identifier ?document .
    ?entity a ?class ; skos:prefLabel ?label .
    OPTIONAL { ?entity skos:altLabel ?alias }
} } GROUP BY ?entity ?class ?label ORDER BY ?entity
""" % (SEPARATOR, SEPARATOR)

ENTITY_TYPES = {
    str(ns.FOAF.Person): "person",
    str(ns.FOAF.Organization): "organisation",
    str(ns.SCHEMA.Place): "place",
    str(ns.KBV.Study): "study",
}


def list_entities(store: ox.Store) -> list[dict]:
    """One record per merged entity: its labels, type, the documents mentioning it, mention count."""
    merged: dict[str, dict] = {}
    for row in _solutions(store, ENTITIES):
        entity = merged.setdefault(
            row["entity"],
            {"id": row["entity"], "label": row["label"], "type": ENTITY_TYPES.get(row["class"], "organisation"),
             "aliases": set(), "documents": set(), "mentions": 0},
        )
        if len(row["label"]) > len(entity["label"]):
            entity["aliases"].add(entity["label"])
            entity["label"] = row["label"]
        elif row["label"] != entity["label"]:
            entity["aliases"].add(row["label"])
        entity["aliases"].update(_split(row["aliases"]))
        entity["documents"].update(_split(row["documents"]))
        entity["mentions"] = max(entity["mentions"], int(row["mentions"]))
    for entity in merged.values():
        entity["aliases"] = sorted(entity["aliases"] - {entity["label"]})
        entity["documents"] = sorted(entity["documents"])
    return sorted(merged.values(), key=lambda e: (-len(e["documents"]), e["label"].lower()))


FIGURES = """
SELECT ?record ?document ?text ?value ?unit ?measure ?group ?comparator ?start ?end WHERE { GRAPH ?g {
    ?record a kbv:Figure ; kbv:figureText ?text ; schema:value ?value ; schema:unitText ?unit .
    %s
    OPTIONAL { ?record kbv:measure ?measure }
    OPTIONAL { ?record kbv:group ?group }
    OPTIONAL { ?record kbv:comparedWith ?comparator }
} } ORDER BY ?document ?start
"""


def list_figures(store: ox.Store, doc_id: str | None = None) -> list[dict]:
    return [
        {
            "id": row["record"],
            "document": row["document"],
            "text": row["text"],
            "value": _number(row["value"]),
            "unit": row["unit"],
            "measure": row["measure"],
            "group": row["group"],
            "comparator": row["comparator"],
            "start": int(row["start"]),
            "end": int(row["end"]),
        }
        for row in _solutions(store, FIGURES % SPAN, doc_id)
    ]


CLAIMS = """
SELECT ?record ?document ?text ?kind ?hedged ?section ?attributed ?attributedLabel ?cue ?start ?end
       (GROUP_CONCAT(DISTINCT COALESCE(STR(?population), ""); separator="%s") AS ?populations)
WHERE { GRAPH ?g {
    ?record a kbv:Claim ; schema:text ?text ; kbv:claimKind ?kind ; kbv:hedged ?hedged .
    %s
    OPTIONAL { ?record kbv:aboutPopulation ?population }
    OPTIONAL { ?record kbv:sectionTitle ?section }
    OPTIONAL { ?record kbv:cue ?cue }
    OPTIONAL { ?record prov:wasAttributedTo ?attributed OPTIONAL { ?attributed skos:prefLabel ?attributedLabel } }
} } GROUP BY ?record ?document ?text ?kind ?hedged ?section ?attributed ?attributedLabel ?cue ?start ?end
ORDER BY ?document ?start
"""


def _concept_key(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def list_claims(store: ox.Store, doc_id: str | None = None, about: str | None = None) -> list[dict]:
    """Claims, optionally of one document and about a term (a population key or label, or any
    word of the claim's text or section)."""
    claims: dict[str, dict] = {}
    for row in _solutions(store, CLAIMS % (SEPARATOR, SPAN), doc_id):
        claim = claims.setdefault(row["record"], {
            "id": row["record"],
            "document": row["document"],
            "text": row["text"],
            "kind": row["kind"],
            "populations": [_concept_key(p) for p in _split(row["populations"])],
            "attributed_to": row["attributedLabel"] or (row["attributed"] and _concept_key(row["attributed"])),
            "attributed_to_id": row["attributed"],
            "section": row["section"],
            "hedged": row["hedged"] == "true",
            "cue": row["cue"],
            "start": int(row["start"]),
            "end": int(row["end"]),
        })
        if row["attributedLabel"] and len(row["attributedLabel"]) > len(claim["attributed_to"] or ""):
            claim["attributed_to"] = row["attributedLabel"]
    result = list(claims.values())
    if about:
        result = [c for c in result if _is_about(c, about)]
    return result


def _is_about(claim: dict, term: str) -> bool:
    wanted = term.strip().lower()
    key = wanted.replace(" ", "-")
    return (
        key in claim["populations"]
        or any(wanted in p.replace("-", " ") for p in claim["populations"])
        or wanted in claim["text"].lower()
        or wanted in (claim["section"] or "").lower()
    )


ENTRIES = """
SELECT ?document ?record ?kind ?n ?text ?work ?title ?year ?doi ?url ?container ?publisher ?authors ?start ?end WHERE { GRAPH ?g {
    ?record a biro:BibliographicReference ; c4o:hasContent ?text ; dcterms:isPartOf ?list .
    ?list kbv:listKind ?kind .
    %s
    OPTIONAL { ?record kbv:entryNumber ?n }
    OPTIONAL { ?record biro:references ?work .
        OPTIONAL { ?work dcterms:title ?title } OPTIONAL { ?work fabio:hasPublicationYear ?year }
        OPTIONAL { ?work prism:doi ?doi } OPTIONAL { ?work fabio:hasURL ?url }
        OPTIONAL { ?work kbv:container ?container } OPTIONAL { ?work dcterms:publisher ?publisher }
        OPTIONAL { ?work kbv:authorList ?authors } }
} } ORDER BY ?kind ?start
"""

POINTERS = """
SELECT ?document ?record ?marker ?style ?target ?targetList ?start ?end WHERE { GRAPH ?g {
    ?record a c4o:InTextReferencePointer ; c4o:hasContent ?marker ; kbv:pointerStyle ?style .
    %s
    OPTIONAL { ?record c4o:denotes ?entry . ?entry kbv:entryNumber ?target ; dcterms:isPartOf/kbv:listKind ?targetList }
} } ORDER BY ?start
"""

GRANTS = """
SELECT ?document ?record ?title ?funder ?funderEntity ?amount ?currency ?period ?start ?end WHERE { GRAPH ?g {
    ?record a schema:MonetaryGrant .
    %s
    OPTIONAL { ?record schema:name ?title }
    OPTIONAL { ?record kbv:funderName ?funder }
    OPTIONAL { ?record schema:funder ?funderEntity }
    OPTIONAL { ?record schema:amount ?money . ?money schema:value ?amount ; schema:currency ?currency }
    OPTIONAL { ?record kbv:period ?period }
} } ORDER BY ?start
"""

def citation_record(doc_id: str, store: ox.Store) -> dict:
    """A document's references, corroborating sources, pointers, footnotes and grants."""
    lists: dict[str, list[dict]] = {"references": [], "sources": [], "footnotes": [], "mentions": []}
    for row in _solutions(store, ENTRIES % SPAN, doc_id):
        lists.setdefault(row["kind"], []).append({
            "id": row["record"],
            "n": row["n"],
            "text": row["text"],
            "work": row["work"],
            "authors": row["authors"].split(AUTHOR_SEPARATOR) if row["authors"] else [],
            "year": row["year"],
            "title": row["title"],
            "container": row["container"],
            "publisher": row["publisher"],
            "doi": row["doi"],
            "url": row["url"],
            "start": int(row["start"]),
            "end": int(row["end"]),
        })
    pointers = [
        {"marker": row["marker"], "style": row["style"], "target": row["target"], "list": row["targetList"],
         "start": int(row["start"]), "end": int(row["end"])}
        for row in _solutions(store, POINTERS % SPAN, doc_id)
    ]
    grants = [
        {"funder": row["funder"], "funder_id": row["funderEntity"], "amount": _number(row["amount"]),
         "currency": row["currency"], "period": row["period"], "title": row["title"],
         "start": int(row["start"]), "end": int(row["end"])}
        for row in _solutions(store, GRANTS % SPAN, doc_id)
    ]
    return {
        "document": doc_id,
        "references": lists["references"],
        "sources": lists["sources"],
        "pointers": pointers,
        "footnotes": lists["footnotes"],
        "mentions": lists["mentions"],
        "grants": grants,
    }


MENTIONS = """
SELECT ?document ?record ?entity ?label ?method ?start ?end WHERE { GRAPH ?g {
    ?record a kbv:ActorMention ; kbv:mentionOf ?entity ; kbv:extractionMethod ?method .
    %s
    ?entity skos:prefLabel ?label .
} } ORDER BY ?start
"""


def list_mentions(store: ox.Store, doc_id: str) -> list[dict]:
    """A document's actor mentions with their entity and offsets."""
    return [
        {"id": row["record"], "entity": row["entity"], "label": row["label"], "method": row["method"],
         "start": int(row["start"]), "end": int(row["end"])}
        for row in _solutions(store, MENTIONS % SPAN, doc_id)
    ]


ENTITY_MENTIONS = """
SELECT ?entity ?document ?sentenceStart ?sentenceEnd (COUNT(?record) AS ?n) WHERE { GRAPH ?g {
    ?record kbv:mentionOf ?entity .
    %s
    ?sentence a doco:Sentence ; oa:hasSelector ?sp . ?sp oa:start ?sentenceStart ; oa:end ?sentenceEnd .
    FILTER(?sentenceStart <= ?start && ?end <= ?sentenceEnd)
} } GROUP BY ?entity ?document ?sentenceStart ?sentenceEnd ORDER BY ?document ?sentenceStart
"""

ENTITY_ROLES = """
SELECT ?entity ?document ?role ?agent ?agentLabel ?object ?objectLabel ?objectText ?start ?end WHERE { GRAPH ?g {
    ?record a kbv:ActorRole ; kbv:agent ?agent ; kbv:roleName ?role ; kbv:roleObjectText ?objectText .
    %s
    OPTIONAL { ?agent skos:prefLabel ?agentLabel }
    OPTIONAL { ?record kbv:roleObject ?object OPTIONAL { ?object skos:prefLabel ?objectLabel } }
} FILTER(?agent = ?entity || (BOUND(?object) && ?object = ?entity)) } ORDER BY ?document ?start
"""  # the FILTER outside GRAPH: a remote store binds ?entity by a VALUES block beside it


def entity_sentences(store: ox.Store, entity_iri: str) -> list[dict]:
    """The sentences that mention an entity, per document, with offsets."""
    return [
        {"document": row["document"], "start": int(row["sentenceStart"]), "end": int(row["sentenceEnd"]), "mentions": int(row["n"])}
        for row in _solutions(store, ENTITY_MENTIONS % SPAN, entity=ox.NamedNode(entity_iri))
    ]


def entity_roles(store: ox.Store, entity_iri: str) -> list[dict]:
    """The roles the texts state with the entity as agent or object."""
    roles: dict[tuple, dict] = {}
    for row in _solutions(store, ENTITY_ROLES % SPAN, entity=ox.NamedNode(entity_iri)):
        key = (row["document"], row["start"], row["role"], row["agent"], row["objectText"])
        roles.setdefault(key, {
            "document": row["document"], "role": row["role"],
            "agent": row["agent"], "agent_label": row["agentLabel"],
            "object": row["object"], "object_label": row["objectLabel"], "object_text": row["objectText"],
            "start": int(row["start"]), "end": int(row["end"]),
        })
    return list(roles.values())


WORK_DOCUMENTS = """
SELECT ?work ?document WHERE { GRAPH <%s> { ?work dcterms:isReferencedBy ?doc } GRAPH ?g { ?doc dcterms:identifier ?document } }
""" % ns.SHARED_GRAPH


def work_documents(store: ox.Store) -> dict[str, list[str]]:
    """Every cited or discussed work (and every entity) with the documents that refer to it."""
    found: dict[str, list[str]] = {}
    for row in _solutions(store, WORK_DOCUMENTS):
        found.setdefault(row["work"], []).append(row["document"])
    return {work: sorted(set(docs)) for work, docs in found.items()}


SECTIONS = """
SELECT ?document ?title ?start WHERE { GRAPH ?g {
    ?section a doco:Section ; dcterms:title ?title ; oa:hasSource ?doc ; oa:hasSelector ?position .
    ?doc dcterms:identifier ?document .
    ?position oa:start ?start .
} } ORDER BY ?start
"""


def list_headings(store: ox.Store, doc_id: str) -> list[dict]:
    """The section headings of a document: title and the span of its text."""
    return [
        {"title": row["title"], "start": int(row["start"]), "end": int(row["start"]) + len(row["title"])}
        for row in _solutions(store, SECTIONS, doc_id)
    ]
