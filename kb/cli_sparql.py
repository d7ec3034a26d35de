"""``kb sparql``: run a read-only SPARQL 1.1 query from the command line.

The query is inline text or a ``.rq`` file; ``--param NAME=VALUE`` binds a variable to an IRI
``<...>``, a prefixed name (``kbv:Claim``), a number or a string, as an RDF term. Results print as
a table on a terminal, else as SPARQL Results JSON (Turtle for CONSTRUCT/DESCRIBE), or in the
``--format`` asked for. Exit status: 0 answered; 1 timed out, too many rows or no knowledge base;
2 bad usage, a syntax error (with its line and column) or a refused query (update, SERVICE,
remote dataset).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from .sparql import (
    DEFAULT_FORMATS,
    DEFAULT_MAX_ROWS,
    DEFAULT_TIMEOUT,
    NotAcceptable,
    ParameterError,
    QueryRefused,
    QueryResult,
    QueryRunner,
    QuerySyntaxError,
    SparqlError,
    parse_param,
)
from .store import KnowledgeBase

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2  # as in kb.cli
USAGE_ERRORS = (QuerySyntaxError, QueryRefused, ParameterError)
CELL_WIDTH = 60
# --format: the result formats asked of the runner, best first (SELECT/ASK ones, then CONSTRUCT ones).
FORMAT_CHOICES = {
    "table": ("rows",),
    "json": ("json", "jsonld"),
    "xml": ("xml", "rdfxml"),
    "csv": ("csv",),
    "tsv": ("tsv",),
    "turtle": ("turtle",),
    "ntriples": ("ntriples",),
    "jsonld": ("jsonld",),
}


def add_sparql_command(commands, add_common: Callable, count: Callable) -> None:
    """Register ``kb sparql`` on the ``kb`` subcommand parsers."""
    help_text = "run a read-only SPARQL 1.1 query (the default graph is the union of all graphs)"
    sparql = commands.add_parser("sparql", help=help_text, description=help_text)
    sparql.set_defaults(handler=cmd_sparql)
    sparql.add_argument("query", metavar="QUERY|FILE", help="query text, or a file holding it (.rq)")
    sparql.add_argument("--format", choices=list(FORMAT_CHOICES), help="default: table on a terminal, else json (turtle for CONSTRUCT)")
    sparql.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="bind ?NAME to <IRI>, prefix:name, a number or a string")
    sparql.add_argument("--timeout", type=_seconds, default=DEFAULT_TIMEOUT, metavar="S", help=f"time limit in seconds (default {DEFAULT_TIMEOUT:g})")
    sparql.add_argument("--limit", type=count(1, 10_000_000), default=DEFAULT_MAX_ROWS, metavar="N", help=f"most rows or triples (default {DEFAULT_MAX_ROWS:,})")
    add_common(sparql, json_flag=False)


def cmd_sparql(args) -> int:
    try:
        text = _query_text(args.query)
        params = dict(parse_param(p) for p in args.param)
    except ParameterError as error:
        return _fail(str(error), EXIT_USAGE)
    except OSError as error:
        return _fail(f"cannot read {args.query}: {error.strerror or error}", EXIT_USAGE)
    target = KnowledgeBase(args.data, args.store).open_reader().query_target
    runner = QueryRunner(workers=1, timeout=args.timeout, max_rows=args.limit)
    try:
        result = runner.run(target, text, formats=_formats(args.format), params=params)
    except NotAcceptable as error:
        return _fail(f"--format {args.format} does not suit {error.form} results", EXIT_USAGE)
    except USAGE_ERRORS as error:
        return _fail(str(error), EXIT_USAGE)
    except SparqlError as error:
        return _fail(str(error), EXIT_FAILED)
    finally:
        runner.close()
    _print(result)
    return EXIT_OK


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds") from None
    if not 0 < seconds <= 3600:
        raise argparse.ArgumentTypeError(f"{value} is not between 0 and 3600 seconds")
    return seconds


def _query_text(argument: str) -> str:
    """The query: the file's text when ``argument`` names a file (or ends in .rq), else itself."""
    path = Path(argument)
    if path.suffix in (".rq", ".sparql") or _is_file(path):
        return path.read_text(encoding="utf-8")
    return argument


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # an inline query too long to be a file name
        return False


def _formats(choice: str | None) -> tuple[str, ...]:
    if choice is None:
        return FORMAT_CHOICES["table"] if sys.stdout.isatty() else DEFAULT_FORMATS
    return FORMAT_CHOICES[choice]


def _print(result: QueryResult) -> None:
    if result.format == "rows":
        _print_table(result)
        return
    body = result.body if result.body.endswith(b"\n") else result.body + b"\n"
    sys.stdout.buffer.write(body)
    sys.stdout.buffer.flush()


def _print_table(result: QueryResult) -> None:
    if result.boolean is not None:
        print("true" if result.boolean else "false")
        return
    cells = [list(result.variables)] + [[_cell(value) for value in row] for row in result.rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(result.variables))]
    for n, row in enumerate(cells):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
        if n == 0:
            print("  ".join("-" * width for width in widths))
    print(f"({len(result.rows):,} {'row' if len(result.rows) == 1 else 'rows'})", file=sys.stderr)


def _cell(value) -> str:
    text = "" if value is None else " ".join(str(value).split())
    return text if len(text) <= CELL_WIDTH else text[: CELL_WIDTH - 1] + "…"


def _fail(message: str, status: int) -> int:
    print(f"kb: {message}", file=sys.stderr)
    return status
