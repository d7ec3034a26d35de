"""The ``kb`` command line: ingest, inspect, search, export and serve the knowledge base.

Every subcommand takes ``--data DIR`` (else ``KB_DATA``, else ``var/kb``), ``--store URL`` for a
graph in a SPARQL 1.1 store (else ``KB_STORE``) and, where it prints records, ``--json`` for
machine-readable output. Errors are one line on stderr naming what is
wrong; the exit status is 0 on success, 1 when something failed or was skipped, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence

from .citation_export import FORMATS as CITATION_FORMATS
from .citation_export import render as render_citations
from .service import NotFound, Service
from .store import KnowledgeBase, KnowledgeBaseError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _print_json(value) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _error(message: str) -> None:
    print(f"kb: {message}", file=sys.stderr)


def _knowledge_base(args) -> KnowledgeBase:
    return KnowledgeBase(args.data, args.store)


def _service(args) -> Service:
    return Service(_knowledge_base(args))


# --- subcommands


def cmd_ingest(args) -> int:
    from ingest.pipeline import ingest

    paths = args.paths or ["corpus"]
    report = ingest(
        paths,
        _knowledge_base(args),
        prune=args.prune,
        n_process=args.processes,
        on_error=lambda e: _error(f"skipped {e.path}: {e.reason}"),
    )
    if args.json:
        _print_json(report.to_dict())
    else:
        print(report.summary(), file=sys.stderr)
    return EXIT_FAILED if report.errors else EXIT_OK


def cmd_documents(args) -> int:
    documents = [d.to_dict() for d in _service(args).documents()]
    if args.json:
        _print_json(documents)
        return EXIT_OK
    for d in documents:
        print(f"{d['id']:<40} {d['type'] or '-':<24} {d['characters']:>9,} chars  {d['title'] or ''}")
    return EXIT_OK


def cmd_show(args) -> int:
    shown = _service(args).show(args.document)
    if args.json:
        _print_json(shown)
    else:
        for key, value in shown.items():
            if key != "text":
                print(f"{key}: {value}")
        print()
        print(shown["text"])
    return EXIT_OK


def cmd_export(args) -> int:
    service = _service(args)
    if args.output:
        with open(args.output, "wb") as handle:
            service.export(args.format, handle, args.document)
    else:
        service.export(args.format, sys.stdout.buffer, args.document)
        sys.stdout.buffer.flush()
    return EXIT_OK


def cmd_stats(args) -> int:
    stats = _service(args).stats()
    if args.json:
        _print_json(stats)
        return EXIT_OK
    for key, value in stats.items():
        if key != "classes":
            print(f"{key:<14} {value:,}" if isinstance(value, int) else f"{key:<14} {value}")
    print("classes:")
    for name, count in stats["classes"].items():
        print(f"  {count:>8,}  {name}")
    return EXIT_OK


def cmd_search(args) -> int:
    hits = _service(args).search(args.query, limit=args.limit)
    if args.json:
        _print_json([hit.__dict__ for hit in hits])
        return EXIT_OK
    if not hits:
        print("no matches")
    for n, hit in enumerate(hits, start=1):
        print(f"{n}. [{hit.doc_id} {hit.start}-{hit.end}] {hit.section}")
        print(f"   {_terminal_highlight(hit.highlighted)}")
    return EXIT_OK


def _terminal_highlight(html_fragment: str) -> str:
    """Whoosh's <mark> highlights as [brackets] for a terminal."""
    return html.unescape(re.sub(r"</mark>", "]", re.sub(r"<mark[^>]*>", "[", html_fragment)))


def cmd_ask(args) -> int:
    from .qa.render import render_text

    answer = _service(args).ask(args.question, limit=args.limit)
    if args.json:
        _print_json(answer)
    else:
        print(render_text(answer))
    return EXIT_OK


def cmd_entities(args) -> int:
    entities = _service(args).entities()
    if args.json:
        _print_json(entities)
        return EXIT_OK
    for e in entities:
        aliases = f"  (also: {', '.join(e['aliases'][:4])})" if e["aliases"] else ""
        print(f"{e['type']:<12} {e['label']}{aliases}  [{len(e['documents'])} docs, {e['mentions']} mentions]")
    return EXIT_OK


def cmd_figures(args) -> int:
    figures = _service(args).figures(args.document)
    if args.json:
        _print_json(figures)
        return EXIT_OK
    for f in figures:
        about = " · ".join(x for x in (f["measure"], f["group"]) if x)
        print(f"{f['document']:<34} {f['text']:<28} {f['value']:>12} {f['unit']:<9} {about}")
    return EXIT_OK


def cmd_claims(args) -> int:
    claims = _service(args).claims(args.document, args.about)
    if args.json:
        _print_json(claims)
        return EXIT_OK
    for c in claims:
        who = f" — {c['attributed_to']}" if c["attributed_to"] else ""
        tags = ", ".join(c["populations"])
        print(f"[{c['kind']}{' (hedged)' if c['hedged'] else ''}] {c['text']}{who}")
        print(f"    {c['document']} {c['start']}-{c['end']}{' · ' + c['section'] if c['section'] else ''}{' · ' + tags if tags else ''}")
    return EXIT_OK


def cmd_cites(args) -> int:
    if args.all == (args.document is not None):
        raise ValueError("give a document id or --all, not both" if args.all else "give a document id or --all")
    fmt = _cites_format(args)
    records = _service(args).citation_traces(args.document)
    if fmt == "json":
        _print_json(records if args.all else records[0])
    else:
        sys.stdout.write(render_citations(records, fmt))
    return EXIT_OK


def _cites_format(args) -> str:
    """--format, else json for --json or when stdout is not a terminal, else the trace."""
    if args.json and args.format not in (None, "json"):
        raise ValueError(f"--json means --format json, not --format {args.format}")
    if args.json:
        return "json"
    return args.format or ("trace" if sys.stdout.isatty() else "json")


def cmd_serve(args) -> int:
    from web import create_app
    from web.serving import create_server, listening_socket

    knowledge_base = _knowledge_base(args)
    app = create_app({"KB_DATA": str(knowledge_base.path), "KB_STORE": knowledge_base.store_url})
    if args.listen_fd is None:
        listener = listening_socket(args.host, args.port)
        others = [_serving_process(args, knowledge_base, listener) for _ in range(args.processes - 1)]
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(EXIT_OK))  # so that the others stop too
        print(f"serving the knowledge base at http://{args.host}:{args.port}/ ({args.processes} processes)", file=sys.stderr)
        threading.Thread(target=_prepare, args=(app, args.threads), name="prepare", daemon=True).start()
    else:  # one of the others: it accepts on the first process's socket once it can answer, and goes with it
        listener, others = socket.socket(fileno=args.listen_fd), []
        threading.Thread(target=_exit_with_parent, args=(args.parent_pid,), name="exit-with-parent", daemon=True).start()
        _prepare(app, args.threads)
    try:
        create_server(app, args.host, args.port, args.threads, sockets=[listener]).run()
    finally:
        for process in others:
            process.terminate()
        for process in others:
            process.wait(timeout=30)
    return EXIT_OK


def _serving_process(args, knowledge_base: KnowledgeBase, listener: socket.socket) -> subprocess.Popen:
    """Another ``kb serve`` process accepting on ``listener``."""
    command = [sys.executable, "-m", "kb.cli", "serve", "--listen-fd", str(listener.fileno()), "--parent-pid", str(os.getpid()),
               "--threads", str(args.threads), "--data", str(knowledge_base.path)]
    if knowledge_base.store_url:
        command += ["--store", knowledge_base.store_url]
    return subprocess.Popen(command, pass_fds=[listener.fileno()])


def _exit_with_parent(parent: int) -> None:
    """Exit once ``parent`` is gone (also if it went before this process got here)."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(EXIT_OK)


def _prepare(app, threads: int) -> None:
    """Load the answerer's tables, open a full-text searcher for each of the server's ``threads``
    and start the SPARQL query workers on the store as the server starts, so the first requests do
    not wait for them (a minute and more on the REF2014 set): the first process while it already
    serves (a request meanwhile waits for what it needs), the others before they accept."""
    from kb.index import prepare_searchers
    from kb.qa import engine_for

    service = app.extensions["kb_service"]
    try:
        engine_for(service)
        prepare_searchers(service.view.index, threads)
        app.extensions["sparql_runner"].start_workers(service.view.query_target)
    except KnowledgeBaseError as error:  # nothing ingested yet: the first question will say so
        _error(f"answerer not prepared: {error}")
        return
    print(f"answerer ready (process {os.getpid()})", file=sys.stderr, flush=True)


# --- parser


def _count(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number from ``low`` to ``high``."""

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"{number} is not between {low} and {high}")
        return number

    return parse


def _add_common(parser: argparse.ArgumentParser, json_flag: bool = True) -> None:
    parser.add_argument("--data", metavar="DIR", help="knowledge base folder (default: $KB_DATA or var/kb)")
    parser.add_argument(
        "--store", metavar="URL",
        help="SPARQL 1.1 store holding the graph (default: $KB_STORE, else the one the folder records, else embedded)",
    )
    if json_flag:
        parser.add_argument("--json", action="store_true", help="machine-readable JSON output")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kb", description="Evidence knowledge base for social-care policy.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, handler: Callable, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    ingest = command("ingest", cmd_ingest, "ingest files, folders or REF2014 JSON lines (default: corpus/)")
    ingest.add_argument("paths", nargs="*", metavar="PATH")
    ingest.add_argument("--prune", action="store_true", help="remove documents whose files are gone")
    ingest.add_argument("--processes", type=_count(1, 8), default=1, metavar="N", help="worker processes that parse and extract documents (default 1; one per core for a large set)")
    _add_common(ingest)

    documents = command("documents", cmd_documents, "list the documents")
    _add_common(documents)

    show = command("show", cmd_show, "a document's metadata and canonical text")
    show.add_argument("document", metavar="DOC")
    _add_common(show)

    entities = command("entities", cmd_entities, "organisations, people, places and studies, merged across documents")
    _add_common(entities)

    figures = command("figures", cmd_figures, "figures: value, unit, what they measure, for whom, compared with what")
    figures.add_argument("--document", metavar="DOC")
    _add_common(figures)

    claims = command("claims", cmd_claims, "findings, concerns, recommendations and caveats")
    claims.add_argument("--document", metavar="DOC")
    claims.add_argument("--about", metavar="TERM", help="a population (carers, older people...) or a word")
    _add_common(claims)

    cites = command("cites", cmd_cites, "a document's references, corroborating sources, pointers, footnotes and grants")
    cites.add_argument("document", metavar="DOC", nargs="?")
    cites.add_argument("--all", action="store_true", help="every REF impact case study in the knowledge base")
    cites.add_argument("--format", choices=["json", *CITATION_FORMATS], help="default: trace on a terminal, else json")
    _add_common(cites)

    export = command("export", cmd_export, "dump the graph in a standard RDF format")
    export.add_argument("--format", default="trig", choices=["trig", "nquads", "turtle", "jsonld", "ntriples"])
    export.add_argument("--output", metavar="FILE", help="write here instead of standard output")
    export.add_argument("--document", metavar="DOC", help="only this document's graph")
    _add_common(export, json_flag=False)

    stats = command("stats", cmd_stats, "counts of documents, triples, index entries and classes")
    _add_common(stats)

    search = command("search", cmd_search, "full-text search (Whoosh query syntax)")
    search.add_argument("query", metavar="QUERY")
    search.add_argument("--limit", type=_count(1, 1000), default=10, metavar="N")
    _add_common(search)

    ask = command("ask", cmd_ask, "a question in plain English, answered with quotes of the sources")
    ask.add_argument("question", metavar="QUESTION")
    ask.add_argument("--limit", type=_count(1, 100), default=10, metavar="N", help="at most N quotes (default 10)")
    _add_common(ask)

    serve = command("serve", cmd_serve, "serve the web pages, JSON API and SPARQL endpoint")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=_count(1, 65535), default=8000)
    serve.add_argument("--threads", type=_count(1, 64), default=8, help="threads per process (default 8)")
    serve.add_argument(
        "--processes", type=_count(1, 32), default=1,
        help="server processes sharing the port, each answering on a core of its own with its own tables (default 1)",
    )
    serve.add_argument("--listen-fd", type=int, help=argparse.SUPPRESS)  # set for the processes after the first,
    serve.add_argument("--parent-pid", type=int, help=argparse.SUPPRESS)  # with the first one's process id
    _add_common(serve, json_flag=False)

    from .cli_sparql import add_sparql_command  # `kb sparql` lives in its own module

    add_sparql_command(commands, _add_common, _count)
    from .cli_evidence import add_evidence_command  # `kb evidence` too

    add_evidence_command(commands, _add_common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except (KnowledgeBaseError, NotFound) as exc:
        _error(str(exc))
        return EXIT_FAILED
    except ValueError as exc:
        _error(str(exc))
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
