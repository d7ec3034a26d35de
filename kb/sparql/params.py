"""Query parameters: values bound to a query's variables as RDF terms, never spliced in as text.

``parse_param("doc=<https://...>")`` reads the command line's ``NAME=VALUE``: an IRI in angle
brackets, a prefixed name with one of the knowledge base's prefixes (``kbv:Claim``), a number, or
else a plain string literal. ``bind_params`` binds them: in place of the query's default where it
has one (a ``VALUES ?name { term }`` block opening its WHERE group, or opening a sub-select that
opens it, as the queries of ``queries/`` write their parameters); otherwise with pyoxigraph's
``substitutions`` where it allows (any form but SELECT, or a SELECT that projects the variable),
else by ``with_values``: a ``VALUES`` block at the start of the WHERE group, written from the
term's N-Triples form, at the place that re-parsing the query confirms (once per query text) is
exactly there. A remote store gets its substitutions the same way.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

import pyoxigraph as ox
from rdflib.plugins.sparql.parserutils import CompValue

from ..namespaces import PREFIXES, XSD
from .errors import ParameterError, QuerySyntaxError
from .parse import ParsedQuery, parse_query

Term = ox.NamedNode | ox.Literal

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBERS = [
    (re.compile(r"[+-]?\d+"), "integer"),
    (re.compile(r"[+-]?(\d+\.\d*|\.\d+)"), "decimal"),
    (re.compile(r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+"), "double"),
]
# Parentheses and braces, and what may hide one: strings, comments and IRIs, each matched whole.
_LEXEME = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""' r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"' r"|'(?:[^'\\\n\r]|\\.)*'"
    r"|#[^\n\r]*" r'|<[^<>"{}|^`\\\x00-\x20]*>' r"|[(){}]",
    re.DOTALL,
)


def parse_param(text: str) -> tuple[str, Term]:
    """``NAME=VALUE`` (NAME may start with ? or $) as a variable name and an RDF term."""
    name, equals, value = text.partition("=")
    name = name.strip().lstrip("?$")
    if not equals or not _NAME.fullmatch(name):
        raise ParameterError(f"parameter {text!r} is not NAME=VALUE with NAME a variable name")
    return name, parse_value(value)


def parse_value(value: str) -> Term:
    """An IRI ``<...>``, a prefixed name, a number, or else a plain string literal."""
    if value.startswith("<") and value.endswith(">"):
        try:
            return ox.NamedNode(value[1:-1])
        except ValueError as error:
            raise ParameterError(f"{value} is not a valid IRI: {error}") from None
    prefix, colon, local = value.partition(":")
    if colon and prefix in PREFIXES and re.fullmatch(r"[\w.-]*", local):
        return ox.NamedNode(PREFIXES[prefix] + local)
    for pattern, datatype in _NUMBERS:
        if pattern.fullmatch(value):
            return ox.Literal(value, datatype=ox.NamedNode(str(XSD[datatype])))
    return ox.Literal(value)


def bind_params(text: str, parsed: ParsedQuery, params: dict[str, Term]) -> tuple[str, dict | None]:
    """The query text to run and the pyoxigraph ``substitutions`` that bind ``params``."""
    if not params:
        return text, None
    for name, term in params.items():
        if name not in parsed.variables:
            raise ParameterError(f"the query has no variable ?{name} to bind")
        if not isinstance(term, (ox.NamedNode, ox.Literal)):
            raise ParameterError(f"?{name} must be bound to an IRI or a literal, not {term}")
    rest = {}
    for name, term in params.items():
        replaced = with_default_replaced(text, name, term)
        if replaced is None:
            rest[name] = term
        else:
            text = replaced
    if not rest:
        return text, None
    if parsed.form != "SELECT" or parsed.projection is None or set(rest) <= set(parsed.projection):
        return text, {ox.Variable(name): term for name, term in rest.items()}
    return with_values(text, rest), None


def with_default_replaced(text: str, name: str, term: Term) -> str | None:
    """``text`` with ``term`` in place of its default for ?name: a ``VALUES ?name { ... }`` block of
    one value among the blocks opening the WHERE group or a sub-select opening it (a plain VALUES
    block, which query planners use to start from the value, unlike a value substituted or joined
    later). ``None`` when there is no such block."""
    leading = _leading_values(text)
    if leading is None or leading.count(name) != 1:
        return None
    masked = _masked(text)
    for match in re.finditer(rf"\bVALUES\s+[?$]{name}\s*\{{[^{{}}]*\}}", masked, flags=re.IGNORECASE):
        without = text[: match.start()] + " " * (match.end() - match.start()) + text[match.end() :]
        if _leading_values(without) == [n for n in leading if n != name]:
            return f"{text[: match.start()]}VALUES ?{name} {{ {term} }}{text[match.end() :]}"
    return None


def _leading_values(text: str) -> list[str] | None:
    """The variables of the one-variable VALUES blocks that open the WHERE group, in order, or
    that open a sub-select opening it."""
    try:
        where = parse_query(text).tree.where
    except QuerySyntaxError:
        return None
    return _opening_values(where)


def _opening_values(group: CompValue) -> list[str]:
    names = []
    for part in group.part or []:
        if isinstance(part, CompValue) and part.name == "InlineData" and len(part.var) == 1:
            names.append(str(part.var[0]))
            continue
        sub_select = _lone_sub_select(part)
        if not names and sub_select is not None:
            names = _opening_values(sub_select.where)
        break
    return names


def _lone_sub_select(part: object) -> CompValue | None:
    """The sub-select of a ``{ SELECT ... }`` group, else None."""
    if not (isinstance(part, CompValue) and part.name == "GroupOrUnionGraphPattern" and len(part.graph) == 1):
        return None
    inner = part.graph[0]
    return inner if isinstance(inner, CompValue) and inner.name == "SubSelect" else None


def _masked(text: str) -> str:
    """``text`` with its strings, comments and IRIs blanked out (same length), so that only the
    query's own keywords and braces are left to find."""
    return _LEXEME.sub(lambda m: m.group() if len(m.group()) == 1 else " " * len(m.group()), text)


def with_values(text: str, bindings: dict[str, Term]) -> str:
    """``text`` with one ``VALUES ?name { term }`` block per binding at the start of its WHERE group."""
    position = _values_position(text, tuple(bindings))
    if position is None:
        raise ParameterError(
            f"cannot bind ?{', ?'.join(bindings)} in this query: add the variables to the SELECT clause"
        )
    block = " ".join(f"VALUES ?{name} {{ {term} }}" for name, term in bindings.items())
    return f"{text[:position]} {block} {text[position:]}"


@functools.lru_cache(maxsize=256)  # the code's own queries are bound again and again
def _values_position(text: str, names: tuple[str, ...]) -> int | None:
    """Just inside the brace that opens the WHERE group: the first top-level group that parses as
    the WHERE group with VALUES blocks at its start (a CONSTRUCT template does not)."""
    blocks = " ".join(f"VALUES ?{name} {{ UNDEF }}" for name in names)
    for brace in _top_level_braces(text):
        if _starts_with_values(f"{text[:brace + 1]} {blocks} {text[brace + 1:]}", list(names)):
            return brace + 1
    return None


def _top_level_braces(text: str) -> Iterator[int]:
    """Where each group outside every parenthesis and every other group opens."""
    depth = 0
    for match in _LEXEME.finditer(text):
        lexeme = match.group()
        if lexeme == "{" and depth == 0:
            yield match.start()
        depth += {"(": 1, ")": -1, "{": 1, "}": -1}.get(lexeme, 0)


def _starts_with_values(text: str, names: list[str]) -> bool:
    """Whether the WHERE group of ``text`` parses as starting with one VALUES block per name."""
    try:
        parts = parse_query(text).tree.where.part or []
    except QuerySyntaxError:
        return False
    if len(parts) < len(names):
        return False
    return all(
        isinstance(part, CompValue) and part.name == "InlineData" and [str(v) for v in part.var] == [name]
        for part, name in zip(parts, names)
    )
