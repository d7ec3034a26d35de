"""Faults a shared server meets: it keeps answering while an ingest runs and serves the new data
once the ingest completes, and while its process holds more open files than select() can wait on
(the other faults, killed and concurrent ingests, are in test_ingest.py;
pathological SPARQL queries in test_sparql_protocol.py)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from ingest.pipeline import ingest
from kb.store import KnowledgeBase

from .conftest import CORPUS, ROOT, ref2014_sample
from .live_server import serve_app


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200
        return json.loads(response.read())


COUNT_DOCUMENTS = "PREFIX kbv: <https://w3id.org/carekb/vocab#> SELECT (COUNT(*) AS ?n) WHERE { ?d a kbv:SourceDocument }"


def sparql_count(url: str) -> int:
    answer = get_json(f"{url}/sparql?query={urllib.parse.quote(COUNT_DOCUMENTS)}")
    return int(answer["results"]["bindings"][0]["n"]["value"])


def test_the_server_answers_during_an_ingest_and_then_serves_the_new_data(tmp_path):
    data = tmp_path / "kb"
    ingest([CORPUS], KnowledgeBase(data))
    sample = ref2014_sample(tmp_path / "sample.jsonl", 8, step=211)
    with serve_app({"KB_DATA": str(data)}) as server:
        before = [d["id"] for d in get_json(server.url + "/api/documents")]
        assert sparql_count(server.url) == sparql_count(server.url) == 5  # the second answer is the kept one
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
        assert sparql_count(server.url) == 13  # not the answer kept for the last generation


SERVE_HOLDING_FILES = """
import os, sys
held = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]  # as a large Oxigraph store holds
from kb.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_kb_serve_answers_while_its_process_holds_over_a_thousand_open_files(corpus_kb):
    """The REF2014 store keeps more than 1,024 files open; select() cannot wait on a socket past that."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-c", SERVE_HOLDING_FILES, "serve", "--port", str(port), "--data", str(corpus_kb.path)]
    with subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True) as server:
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    documents = get_json(f"http://127.0.0.1:{port}/api/documents")
                    break
                except OSError:
                    assert server.poll() is None, server.stderr.read()
                    assert time.monotonic() < deadline, "kb serve did not answer within 60 s"
                    time.sleep(0.3)
            assert len(documents) == 5
            answer = get_json(f"http://127.0.0.1:{port}/api/ask?q=What+did+IBSEN+find+for+carers%3F")
            assert answer["answers"] and not answer["no_answer"]
        finally:
            server.terminate()


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return found


def _running(pid: int) -> bool:
    """Whether the process exists and has not exited (an exited one may wait as a zombie for a
    reaper, as the children of a killed parent do in a container)."""
    try:
        return (Path(f"/proc/{pid}") / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _answers(url: str) -> bool:
    try:
        return bool(get_json(f"{url}/api/documents"))
    except OSError:
        return False


def _wait_for(condition, seconds: float, message: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(0.3)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL])
def test_kb_serve_with_several_processes_answers_and_its_processes_go_with_it(corpus_kb, stop):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "kb.cli", "serve", "--processes", "3", "--port", str(port), "--data", str(corpus_kb.path)]
    with subprocess.Popen(command, cwd=ROOT, stderr=subprocess.DEVNULL) as server:
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_for(lambda: _answers(url), 60, "kb serve --processes 3 did not answer within 60 s")
            others = _children(server.pid)
            assert len(others) == 2
            with ThreadPoolExecutor(12) as pool:
                answers = list(pool.map(lambda _: get_json(f"{url}/api/ask?q=What+did+IBSEN+find+for+carers%3F"), range(24)))
            assert all(a["answers"] and not a["no_answer"] for a in answers)
            assert all(_running(pid) for pid in others)
        finally:
            os.kill(server.pid, stop)
            server.wait(timeout=30)
        _wait_for(lambda: not any(_running(pid) for pid in others), 30, "a serving process outlived kb serve")
