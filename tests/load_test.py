"""``make load``: a team of users on one ``kb serve``, driven by wrk (Debian's ``wrk``) over loopback.

Starts the real ``kb serve`` (waitress; ``--server-processes``, ``--server-threads``) on a free port
of 127.0.0.1 over a knowledge base (``--data``, for the benchmark the REF2014 one ``make bench
ARGS="--keep DIR"`` leaves), then opens ``--users`` connections that each behave as one user: ask a
question (JSON API or the answer page), search, run an analyst's SPARQL query or open a document,
read the answer for a think time drawn from ``--think`` seconds, and go again. Bounded in time (``--seconds``) and in requests (``--max-requests``,
split over wrk's threads). Prints throughput, latency percentiles and every kind of error as
Markdown for BENCHMARKS.md; exits 1 when any request failed or p95 is over ``--p95-limit`` ms.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from .benchmarks import ANALYST_QUERIES, SEARCHES, analyst_queries, machine, questions

ROOT = Path(__file__).resolve().parent.parent
THREADS = 2  # wrk's own threads; the connections are the users
MIX = {"api ask": 35, "answer page": 15, "search": 20, "sparql": 20, "document page": 10}  # percent of requests

LUA = """
local requests = {%(requests)s}
local think_low, think_high = %(think_low)d, %(think_high)d
local seed = %(seed)d
local cap = %(cap)d
local sent = 0
local threads = 0

setup = function(thread)
  threads = threads + 1
  thread:set("id", threads)
end

init = function(args)
  math.randomseed(id * 7919 + seed)
end

request = function()
  local r = requests[math.random(#requests)]
  return wrk.format("GET", r[1], r[2])
end

delay = function()
  return math.random(think_low, think_high)
end

response = function(status, headers, body)
  sent = sent + 1
  if sent >= cap then wrk.thread:stop() end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %%d, "duration_us": %%d, "bytes": %%d, "connect": %%d, "read": %%d, "write": %%d, "status": %%d, "timeout": %%d, ' ..
    '"p50_us": %%d, "p90_us": %%d, "p95_us": %%d, "p99_us": %%d, "max_us": %%d, "mean_us": %%d}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99), latency.max, latency.mean))
end
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, server: subprocess.Popen, seconds: float = 600) -> None:
    """Until the server answers at all; it answers while it still loads its tables, but on a busy
    machine two processes loading the REF2014 tables can hold it up for minutes."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"kb serve exited with status {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/api/stats", timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"kb serve did not answer at {url} within {seconds:.0f} s")


def warm_up(url: str, server: subprocess.Popen, processes: int) -> float:
    """Wait, untimed, until every server process has loaded the answerer's tables for the
    generation (each says so on its standard error), then ask once."""
    began = time.monotonic()
    ready = threading.Semaphore(0)

    def read_messages() -> None:
        for line in server.stderr:
            if line.startswith("answerer ready"):
                ready.release()

    threading.Thread(target=read_messages, daemon=True).start()
    for _ in range(processes):
        if not ready.acquire(timeout=1800):
            raise SystemExit("kb serve did not load the answerer's tables within 30 minutes")
    with urllib.request.urlopen(f"{url}/api/ask?q={urllib.parse.quote(questions()[0])}", timeout=60) as response:
        response.read()
    return time.monotonic() - began


def document_ids(url: str, count: int) -> list[str]:
    with urllib.request.urlopen(f"{url}/api/documents", timeout=60) as response:
        ids = [d["id"] for d in json.load(response)]
    return random.Random(7).sample(ids, min(count, len(ids)))


def request_paths(url: str) -> list[tuple[str, dict[str, str]]]:
    """The requests users make, repeated in the proportions of ``MIX``."""
    asked = [urllib.parse.quote(q) for q in questions()]
    kinds = {
        "api ask": [(f"/api/ask?q={q}", {}) for q in asked],
        "answer page": [(f"/ask?q={q}", {"Accept": "text/html"}) for q in asked],
        "search": [(f"/api/search?q={urllib.parse.quote(s)}", {}) for s in SEARCHES],
        "sparql": [
            (f"/sparql?query={urllib.parse.quote(text)}", {"Accept": "application/sparql-results+json"})
            for text in analyst_queries().values()
        ],
        "document page": [(f"/doc/{doc_id}", {"Accept": "text/html"}) for doc_id in document_ids(url, 20)],
    }
    paths = []
    for kind, share in MIX.items():
        options = kinds[kind]
        paths.extend(options[i % len(options)] for i in range(share * 4))
    return paths


def lua_script(paths: list[tuple[str, dict[str, str]]], think: tuple[float, float], cap: int, seed: int) -> str:
    def lua_string(text: str) -> str:
        return json.dumps(text)  # ASCII-only after quoting: a valid Lua string literal

    entries = ", ".join(
        "{%s, {%s}}" % (lua_string(path), ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in headers.items()))
        for path, headers in paths
    )
    return LUA % {"requests": entries, "think_low": think[0] * 1000, "think_high": think[1] * 1000, "cap": cap, "seed": seed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data", required=True, help="the knowledge base to serve")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--max-requests", type=int, default=20_000)
    parser.add_argument("--think", type=float, nargs=2, default=(1.0, 3.0), metavar=("LOW", "HIGH"))
    parser.add_argument("--server-threads", type=int, default=16, help="threads per server process")
    parser.add_argument("--server-processes", type=int, default=2,
                        help="kb serve --processes: the README's advice for a team, one per core of this machine")
    parser.add_argument("--seed", type=int, default=0,
                        help="varies each user's requests and think times (the same seed replays the same schedule)")
    parser.add_argument("--p95-limit", type=float, default=1000.0, help="milliseconds")
    args = parser.parse_args()
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    if not Path(args.data).is_dir():
        raise SystemExit(f"--data {args.data}: no such knowledge base folder")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "kb.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
               "--threads", str(args.server_threads), "--processes", str(args.server_processes), "--data", args.data]
    with tempfile.TemporaryDirectory() as folder, subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True) as server:
        try:
            wait_until_up(url, server)
            warmed = warm_up(url, server, args.server_processes)
            script = Path(folder) / "users.lua"
            script.write_text(lua_script(request_paths(url), tuple(args.think), args.max_requests // THREADS, args.seed), encoding="utf-8")
            result = subprocess.run(
                [wrk, "--threads", str(THREADS), "--connections", str(args.users), "--duration", f"{args.seconds}s",
                 "--timeout", "30s", "--script", str(script), url],
                capture_output=True, text=True, check=True,
            )
        finally:
            server.terminate()
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    errors = {kind: outcome[kind] for kind in ("connect", "read", "write", "status", "timeout") if outcome[kind]}
    seconds = outcome["duration_us"] / 1e6
    print(f"Machine: {machine()}\n")
    print(f"Load: {args.users} users for {seconds:.0f} s against kb serve ({args.server_processes} processes of "
          f"{args.server_threads} threads) on {args.data}; "
          f"each user waits {args.think[0]:g}-{args.think[1]:g} s between requests (schedule seed {args.seed}); mix "
          + ", ".join(f"{kind} {share}%" for kind, share in MIX.items())
          + f" (SPARQL: {', '.join(ANALYST_QUERIES)})")
    print(f"  warm-up (every process loads the answerer's tables): {warmed:.1f} s, before the load")
    print(f"  {outcome['requests']:,} requests, {outcome['requests'] / seconds:.1f} requests/s, "
          f"{outcome['bytes'] / seconds / 2**20:.2f} MiB/s")
    print("  latency: " + ", ".join(f"{name} {outcome[name + '_us'] / 1000:.0f} ms" for name in ("p50", "p90", "p95", "p99", "max")))
    print(f"  errors: {errors or 'none'}")
    if errors or outcome["p95_us"] / 1000 > args.p95_limit:
        sys.exit(1)


if __name__ == "__main__":
    main()
