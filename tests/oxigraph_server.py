"""A real Oxigraph SPARQL server for the tests, run from the ``oxigraph`` package's own binary.

``oxigraph_server(location)`` is a context manager: it starts ``oxigraph serve`` on a free port of
127.0.0.1 with its data in ``location`` (and ``--union-default-graph`` where the binary has it, as
the knowledge base needs, unless ``union_default_graph=False``), waits until the server answers a
query, gives its base URL, and stops it at the end of the block.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

START_SECONDS = 30


def oxigraph_binary() -> str:
    """The ``oxigraph`` command installed with the ``oxigraph`` package in this environment."""
    for folder in (sysconfig.get_path("scripts"), str(Path(sys.executable).parent)):
        found = shutil.which("oxigraph", path=folder)
        if found:
            return found
    raise FileNotFoundError(f"no oxigraph binary in {sysconfig.get_path('scripts')}: install the oxigraph package")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _union_option(binary: str) -> list[str]:
    """``--union-default-graph`` if this version of the server has it."""
    help_text = subprocess.run([binary, "serve", "--help"], capture_output=True, text=True, check=True).stdout
    return ["--union-default-graph"] if "--union-default-graph" in help_text else []


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@contextmanager
def oxigraph_server(location: Path, *options: str, union_default_graph: bool = True) -> Iterator[str]:
    """``oxigraph serve`` on 127.0.0.1 with its data in ``location`` and ``options``; yields its base URL."""
    binary = oxigraph_binary()
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    command = [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", *options]
    if union_default_graph:
        command += _union_option(binary)
    log = tempfile.TemporaryFile()  # a file, not a pipe: a server that logs much never blocks
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log)
    try:
        deadline = time.monotonic() + START_SECONDS
        while not _answers(url):
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"oxigraph serve stopped at start: {log.read().decode(errors='replace')}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"oxigraph serve did not answer at {url} within {START_SECONDS} s")
            time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
