"""Linked data: resource IRIs under /id/ dereference (HTML pages for browsers, Turtle, N-Triples
or JSON-LD by content negotiation) and /void serves the dataset description."""

from __future__ import annotations

import re

import pyoxigraph as ox

from flask import Blueprint, Response, redirect, request, url_for

from kb import namespaces as ns
from kb.export import MEDIA_TYPES, serialize_triples
from kb.void import DATASET

from .resources import get_service

bp = Blueprint("linked_data", __name__)

RDF_TYPES = {MEDIA_TYPES[f]: f for f in ("turtle", "ntriples", "jsonld")}
SPAN_PATH = re.compile(r"^doc/(?P<doc>[^/]+)/(?P<kind>[a-z]+)/(?P<start>\d+)-(?P<end>\d+)")


def _wanted_format() -> str | None:
    """The RDF format the client asks for, or None when it prefers HTML."""
    best = request.accept_mimetypes.best_match(["text/html", *RDF_TYPES])
    return RDF_TYPES.get(best or "")


def _rdf_response(triples, fmt: str) -> Response:
    return Response(serialize_triples(triples, fmt), mimetype=MEDIA_TYPES[fmt], headers={"Vary": "Accept"})


def _page_for(path: str) -> str | None:
    span = SPAN_PATH.match(path)
    if span:
        return url_for("documents.document", doc_id=span["doc"], start=span["start"], end=span["end"]) + "#passage"
    kind, _, rest = path.partition("/")
    if kind == "doc" and rest and "/" not in rest:
        return url_for("documents.document", doc_id=rest)
    if kind == "entity" and rest:
        return url_for("entities.entity", key=rest)
    return None


@bp.get("/id/<path:path>")
def resource(path: str):
    iri = ns.ID + path
    triples = get_service().describe(iri)
    fmt = _wanted_format()
    page = _page_for(path)
    if fmt is None and page is not None:
        return redirect(page, code=303)
    return _rdf_response(triples, fmt or "turtle")


@bp.get("/void")
def void():
    """The VoID description, its SPARQL endpoint the one this server answers at."""
    endpoint = ox.NamedNode(request.host_url + "sparql")
    sparql_endpoint = ox.NamedNode(str(ns.VOID.sparqlEndpoint))
    triples = [
        ox.Triple(t.subject, t.predicate, endpoint) if t.predicate == sparql_endpoint else t
        for t in get_service().describe(DATASET)
    ]
    return _rdf_response(triples, _wanted_format() or "turtle")
