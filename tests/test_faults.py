"""Faults a shared server meets: it keeps answering while an ingest runs and serves the new data
once the ingest completes (the other faults, killed and concurrent ingests, are in test_ingest.py;
pathological SPARQL queries in test_sparql_protocol.py)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request

from ingest.pipeline import ingest
from kb.store import KnowledgeBase

from .conftest import CORPUS, ROOT, ref2014_sample
from .live_server import serve_app


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200
        return json.loads(response.read())


def test_the_server_answers_during_an_ingest_and_then_serves_the_new_data(tmp_path):
    data = tmp_path / "kb"
    ingest([CORPUS], KnowledgeBase(data))
    sample = ref2014_sample(tmp_path / "sample.jsonl", 8, step=211)
    with serve_app({"KB_DATA": str(data)}) as server:
        before = [d["id"] for d in get_json(server.url + "/api/documents")]
        process = subprocess.Popen(
            [sys.executable, "-m", "kb.cli", "ingest", str(sample), "--data", str(data)],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        answered_during = 0
        while process.poll() is None:
            documents = [d["id"] for d in get_json(server.url + "/api/documents")]
            # the old generation whole until the switch, then the new one whole: never a mixture
            assert documents == before or (set(before) < set(documents) and len(documents) == len(before) + 8)
            assert get_json(server.url + "/api/search?q=carers")
            answered_during += 1
            time.sleep(0.2)
        assert process.returncode == 0
        assert answered_during > 0
        after = [d["id"] for d in get_json(server.url + "/api/documents")]
        assert len(after) == len(before) + 8 and set(before) < set(after)
