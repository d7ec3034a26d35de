"""``kb evidence``: the evidence map on the command line.

``kb evidence [--population P] [--topic T] [--json]`` gives the cells of the map (population x
topic, each with its agreement across sources and its claims: text, document, direction,
evidence kind, offsets and a link to the passage). P and T take a key, a label or a wording of
the schemes; an unknown one is a usage error (exit 2) naming the choices. On a terminal the map
prints as a matrix, and when a population or topic is given, every claim of its cells follows
with the cue behind its direction.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable

from .evidence_map import topics
from .service import Service
from .store import KnowledgeBase

EXIT_OK = 0  # as in kb.cli
MARKS = {"agree": "A", "disagree": "D", "single": "S", "none": "·"}
ROW_WIDTH = 40
COLUMN_WIDTH = 5


def add_evidence_command(commands, add_common: Callable) -> None:
    """Register ``kb evidence`` on the ``kb`` subcommand parsers."""
    help_text = "the evidence map: what each source says per population and topic, and whether they agree"
    evidence = commands.add_parser("evidence", help=help_text, description=help_text)
    evidence.set_defaults(handler=cmd_evidence)
    evidence.add_argument("--population", metavar="P", help="one population, by key or label: older-people, 'older people', carers...")
    evidence.add_argument("--topic", metavar="T", help="one topic, by key or label: well-being, cost, 'choice and control'...")
    add_common(evidence)


def cmd_evidence(args) -> int:
    cells = Service(KnowledgeBase(args.data, args.store)).evidence(args.population, args.topic)
    if args.json:
        json.dump(cells, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    print(render_matrix(cells))
    if args.population or args.topic:
        for cell in cells:
            print()
            print(render_cell(cell))
    return EXIT_OK


def render_matrix(cells: list[dict]) -> str:
    """Populations down, topics across (numbered, with a key): agreement mark and claim count."""
    columns = list(dict.fromkeys(c["topic"] for c in cells))
    number = {t.key: n for n, t in enumerate(topics(), start=1)}
    labels = {c["topic"]: c["topic_label"] for c in cells}
    lines = [
        "A agree, D disagree, S one source only, · no claims; the number counts the claims.",
        " " * ROW_WIDTH + "".join(f"{number[t]:>{COLUMN_WIDTH}}" for t in columns),
    ]
    for population in dict.fromkeys(c["population"] for c in cells):
        row = [c for c in cells if c["population"] == population]
        marks = "".join(f"{_mark(c):>{COLUMN_WIDTH}}" for c in row)
        lines.append(f"{row[0]['population_label']:<{ROW_WIDTH}}{marks}")
    lines += _packed("Topics: ", [f"{number[t]} {labels[t]}" for t in columns], ROW_WIDTH + COLUMN_WIDTH * len(number))
    return "\n".join(lines)


def _packed(lead: str, items: list[str], width: int) -> list[str]:
    """``items`` joined by commas after ``lead``, in lines of at most ``width``, never splitting an item."""
    lines = [lead]
    for n, item in enumerate(items):
        piece = item + ("," if n < len(items) - 1 else "")
        if len(lines[-1]) + len(piece) + 1 > width and lines[-1].strip():
            lines.append(" " * len(lead))
        lines[-1] += ("" if lines[-1].endswith(" ") else " ") + piece
    return lines


def _mark(cell: dict) -> str:
    return MARKS[cell["agreement"]] + (str(len(cell["claims"])) if cell["claims"] else "")


def render_cell(cell: dict) -> str:
    """A cell's heading (agreement, documents) and each claim with its direction, kind and cue."""
    sources = f" ({', '.join(cell['documents'])})" if cell["documents"] else ""
    lines = [f"{cell['population_label']} × {cell['topic_label']}: {cell['agreement']}{sources}"]
    for claim in cell["claims"]:
        cue = f" (cue: {claim['direction_cue']})" if claim["direction_cue"] else ""
        where = f"{claim['document']} {claim['start']}-{claim['end']}"
        lines.append(f"  {claim['direction']:<13} [{claim['evidence_kind']}] {where}{cue}")
        lines.append(f"      {claim['text']}")
    return "\n".join(lines)
