"""The evidence map's concept schemes as a Turtle file: populations (from the claim lexicon,
``ingest/data/populations.toml``) and topics (``ingest/data/topics.toml``), rendered from the very
triples the shared graph holds. ``python -m kb.concepts`` rewrites ``kb/concepts.ttl``; a test
checks that the checked-in file is the one the lexicons give, so the data and its SKOS rendering
cannot drift apart.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox

from ingest.extract.claims import load_lexicon
from ingest.extract.evidence import load_topics

from . import namespaces as ns
from .shared_graph import population_scheme, topic_scheme

CONCEPTS_PATH = Path(__file__).resolve().parent / "concepts.ttl"
HEADER = """\
# The concept schemes of the evidence map (SKOS): populations and topics, with their labels and
# the wordings the documents use (skos:altLabel). Generated from ingest/data/populations.toml and
# ingest/data/topics.toml by `python -m kb.concepts`; do not edit by hand.
"""
PREFIXES = {"skos": str(ns.SKOS), "concept": f"{ns.ID}concept/"}


def concepts_turtle() -> str:
    """Both schemes as Turtle, in lexicon order, after the header comment."""
    triples = population_scheme(load_lexicon()) + topic_scheme(load_topics())
    body = ox.serialize([ox.Triple(*t) for t in dict.fromkeys(triples)], format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    return HEADER + body.decode("utf-8")


def main() -> int:
    CONCEPTS_PATH.write_text(concepts_turtle(), encoding="utf-8")
    print(f"wrote {CONCEPTS_PATH}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
