"""Result formats and the results a query gives: serialised bytes, or plain Python rows.

SELECT and ASK results are written as SPARQL Results JSON, XML, CSV or TSV; CONSTRUCT and DESCRIBE
results as Turtle (with the knowledge base's prefixes), N-Triples, JSON-LD or RDF/XML; any of them
as ``rows``: variables and rows of plain Python values, for a terminal table or an HTML page.
Results are read up to the row limit first (one row more tells that the limit is exceeded), then
written: solutions as SPARQL Results JSON, converted to XML, CSV and TSV by pyoxigraph's writers,
triples by pyoxigraph's RDF writers.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

import pyoxigraph as ox

from ..namespaces import PREFIXES, XSD
from .errors import NotAcceptable, TooManyRows

SOLUTION_FORMS = frozenset({"SELECT", "ASK"})
GRAPH_FORMS = frozenset({"CONSTRUCT", "DESCRIBE"})


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    forms: frozenset[str]
    writer: ox.QueryResultsFormat | ox.RdfFormat | None  # None: plain Python rows


FORMATS = {
    f.name: f
    for f in (
        Format("json", "application/sparql-results+json", SOLUTION_FORMS, ox.QueryResultsFormat.JSON),
        Format("xml", "application/sparql-results+xml", SOLUTION_FORMS, ox.QueryResultsFormat.XML),
        Format("csv", "text/csv", SOLUTION_FORMS, ox.QueryResultsFormat.CSV),
        Format("tsv", "text/tab-separated-values", SOLUTION_FORMS, ox.QueryResultsFormat.TSV),
        Format("turtle", "text/turtle", GRAPH_FORMS, ox.RdfFormat.TURTLE),
        Format("ntriples", "application/n-triples", GRAPH_FORMS, ox.RdfFormat.N_TRIPLES),
        Format("jsonld", "application/ld+json", GRAPH_FORMS, ox.RdfFormat.JSON_LD),
        Format("rdfxml", "application/rdf+xml", GRAPH_FORMS, ox.RdfFormat.RDF_XML),
        Format("rows", "application/x-python-rows", SOLUTION_FORMS | GRAPH_FORMS, None),
    )
}

_XSD_STRING = str(XSD.string)
_PLAIN = {
    str(XSD.integer): int,
    str(XSD.decimal): Decimal,
    str(XSD.double): float,
    str(XSD.float): float,
    str(XSD.boolean): lambda value: value in ("true", "1"),
}


@dataclass(frozen=True)
class QueryResult:
    """A query's answer: ``body`` in ``media_type``, or ``variables`` and ``rows`` for ``rows``."""

    form: str
    format: str
    media_type: str
    body: bytes = b""
    variables: tuple[str, ...] = ()
    rows: tuple[tuple, ...] = ()
    boolean: bool | None = None


def choose_format(form: str, preferred: Iterable[str]) -> Format:
    """The first of the ``preferred`` format names that can carry a ``form`` query's results."""
    for name in preferred:
        if name in FORMATS and form in FORMATS[name].forms:
            return FORMATS[name]
    raise NotAcceptable(form, tuple(f.name for f in FORMATS.values() if form in f.forms and f.writer is not None))


def collect(results, form: str, fmt: Format, max_rows: int) -> QueryResult:
    """Read pyoxigraph's results (at most ``max_rows``) and write them in ``fmt``."""
    if isinstance(results, ox.QueryBoolean):
        body = b"" if fmt.writer is None else results.serialize(format=fmt.writer)
        return QueryResult(form, fmt.name, fmt.media_type, body, boolean=bool(results))
    if isinstance(results, ox.QuerySolutions):
        variables = tuple(v.value for v in results.variables)
        rows = [tuple(solution) for solution in _take(results, max_rows, "rows")]  # terms in variable order
        return _solutions(form, fmt, variables, rows)
    return _triples(form, fmt, _take(results, max_rows, "triples"))


def plain(term):
    """An RDF term as a plain Python value: IRI string, ``_:id``, number, bool, string or None."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        convert = _PLAIN.get(term.datatype.value)
        try:
            return convert(term.value) if convert else term.value
        except (ValueError, ArithmeticError):  # an ill-typed literal keeps its lexical form
            return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode):
        return term.value
    return str(term)  # a triple term, in N-Triples


def _take(items, max_rows: int, noun: str) -> list:
    taken = list(itertools.islice(items, max_rows + 1))
    if len(taken) > max_rows:
        raise TooManyRows(f"the query gives more than {max_rows:,} {noun} (the limit); add a LIMIT or narrow it")
    return taken


def _solutions(form: str, fmt: Format, variables: tuple[str, ...], rows: list[tuple]) -> QueryResult:
    if fmt.writer is None:
        plain_rows = tuple(tuple(plain(term) for term in row) for row in rows)
        return QueryResult(form, fmt.name, fmt.media_type, variables=variables, rows=plain_rows)
    document = json.dumps(_results_json(variables, rows), ensure_ascii=False).encode("utf-8")
    if fmt.name != "json":
        document = ox.parse_query_results(document, format=ox.QueryResultsFormat.JSON).serialize(format=fmt.writer)
    return QueryResult(form, fmt.name, fmt.media_type, document, variables)


def _triples(form: str, fmt: Format, triples: list[ox.Triple]) -> QueryResult:
    if fmt.writer is None:
        rows = tuple((plain(t.subject), plain(t.predicate), plain(t.object)) for t in triples)
        return QueryResult(form, fmt.name, fmt.media_type, variables=("subject", "predicate", "object"), rows=rows)
    body = ox.serialize(triples, format=fmt.writer, prefixes=PREFIXES)
    return QueryResult(form, fmt.name, fmt.media_type, body)


def _results_json(variables: tuple[str, ...], rows: list[tuple]) -> dict:
    bindings = [
        {name: _term_json(term) for name, term in zip(variables, row) if term is not None} for row in rows
    ]
    return {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}


def _term_json(term) -> dict:
    """One RDF term in SPARQL 1.1 Query Results JSON (and SPARQL 1.2's triple terms)."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        encoded = {"type": "literal", "value": term.value}
        if term.language:
            encoded["xml:lang"] = term.language
        else:
            datatype = term.datatype.value
            if datatype != _XSD_STRING:
                encoded["datatype"] = datatype
        return encoded
    parts = {"subject": term.subject, "predicate": term.predicate, "object": term.object}
    return {"type": "triple", "value": {key: _term_json(value) for key, value in parts.items()}}
