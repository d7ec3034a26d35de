"""Shared fixtures: the real spaCy pipeline, a snippet parser, and knowledge bases built once.

``corpus_kb`` ingests ``corpus/`` through the real pipeline into a temporary folder once per
test session; ``build_kb`` builds a fresh one from any paths for tests that change it. A test module
that sets ``STORE_BACKENDS = ("embedded", "remote")`` runs each of its tests that uses ``corpus_kb``
(directly or through ``service``) twice: with the graph in the embedded store, and in a real
Oxigraph server (``oxigraph_url``, see ``tests/oxigraph_server.py``).
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.nlp import load_pipeline
from ingest.pipeline import ingest
from ingest.segment import parse_text
from kb.service import Service
from kb.store import KnowledgeBase

from .oxigraph_server import oxigraph_server

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
REF2014 = ROOT.parent / "shared" / "datasets" / "ref2014" / "case_studies.jsonl.gz"


@pytest.fixture(scope="session")
def nlp():
    return load_pipeline()


@pytest.fixture(scope="session")
def parse(nlp):
    """``parse(text, doc_id="example")`` -> ParsedDocument, through the real pipeline."""

    def _parse(text: str, doc_id: str = "example"):
        return parse_text(text, nlp, doc_id)

    return _parse


def pytest_generate_tests(metafunc):
    """``corpus_kb`` once per back end in the module's ``STORE_BACKENDS`` (else embedded only)."""
    if "corpus_kb" in metafunc.fixturenames:
        backends = getattr(metafunc.module, "STORE_BACKENDS", ("embedded",))
        metafunc.parametrize("corpus_kb", backends, indirect=True, scope="session")


@pytest.fixture(scope="session")
def oxigraph_url(tmp_path_factory):
    """The base URL of a real Oxigraph server, started once per session."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as url:
        yield url


@pytest.fixture(scope="session")
def corpus_kb(request, tmp_path_factory) -> KnowledgeBase:
    """The five corpus documents ingested once per back end; tests must not change it."""
    store_url = request.getfixturevalue("oxigraph_url") if request.param == "remote" else None
    knowledge_base = KnowledgeBase(tmp_path_factory.mktemp("corpus-kb"), store_url)
    report = ingest([CORPUS], knowledge_base)
    assert not report.errors, report.errors
    return knowledge_base


@pytest.fixture(scope="session")
def service(corpus_kb) -> Service:
    return Service(corpus_kb)


@pytest.fixture(scope="session")
def live_server(corpus_kb):
    """The real app under waitress on 127.0.0.1 and a free port, serving ``corpus_kb``
    (``.url``, ``.host``, ``.port``; see ``tests/live_server.py`` for other data or settings)."""
    from .live_server import serve_app

    with serve_app({"KB_DATA": str(corpus_kb.path)}) as server:
        yield server


@pytest.fixture
def build_kb(tmp_path):
    """``build_kb(*paths)`` -> a fresh KnowledgeBase with those paths ingested."""

    def _build(*paths, folder: str = "kb") -> KnowledgeBase:
        knowledge_base = KnowledgeBase(tmp_path / folder)
        ingest(list(paths), knowledge_base)
        return knowledge_base

    return _build


def ref2014_sample(target: Path, count: int, step: int = 1) -> Path:
    """Write ``count`` REF2014 records (every ``step``-th) as a JSON-lines file; skip without the data set."""
    if not REF2014.exists():
        pytest.skip(f"REF2014 data set not found at {REF2014}")
    lines = []
    with gzip.open(REF2014, "rt", encoding="utf-8") as handle:
        for n, line in enumerate(handle):
            if n % step == 0:
                lines.append(line)
            if len(lines) == count:
                break
    target.write_text("".join(lines), encoding="utf-8")
    return target


def run_kb(*args: str, env: dict | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run the ``kb`` command line in a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "kb.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        timeout=600,
    )


def read_json(text: str):
    return json.loads(text)
