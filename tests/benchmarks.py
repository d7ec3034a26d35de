"""``make bench``: speed and memory of ingest and queries, reported as medians, ranges and ratios.

Ingest runs the real ``kb ingest`` in a subprocess (peak memory is the sum of the resident sets of
its process tree, sampled every 0.2 s) on the five corpus documents (three runs) and on the REF2014
set (``--ref N`` case studies, default all, one run), with the share of time per stage and the
ratio to spaCy's own time on the same text with the same processes (the floor). Queries run on the
REF2014 knowledge base just built: ``ask`` in-process and ``/api/ask`` over HTTP, ``search``, and six
analyst SPARQL queries, each over a fixed list, reporting p50 and p95; then, on the five documents,
Oxigraph-backed rdflib against rdflib's in-memory store for the SPARQL queries, and Whoosh against a
plain in-memory BM25 for search latency and hit@5. Prints Markdown for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REF2014 = ROOT.parent / "shared" / "datasets" / "ref2014" / "case_studies.jsonl.gz"
ANALYST_QUERIES = (
    "claims-about-a-population",
    "figures-for-a-measure",
    "grants-by-funder",
    "grants-of-a-funder",
    "documents-mentioning-an-actor",
    "data-quality-overview",
)
# Ready queries that list the whole knowledge base (a row per document): timed beside the
# analyst queries, reported apart, as exports rather than questions.
LISTING_QUERIES = ("data-quality-by-document",)
SEARCHES = ("carers", "older people well-being", "cost effective", "personal budgets", "funding streams",
            "randomised controlled trial", "satisfaction", "risk abuse", "Department of Health", "grant")
REPEATS = 5


# --- measuring


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def summary_ms(values: list[float]) -> str:
    return f"p50 {percentile(values, 0.5) * 1000:.1f} ms, p95 {percentile(values, 0.95) * 1000:.1f} ms (n={len(values)})"


def _tree_rss_kib(root: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        parents[int(entry.name)] = int(fields.get("PPid", "0").strip())
        rss[int(entry.name)] = int(fields.get("VmRSS", "0 kB").split()[0])
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        children = [p for p, parent in parents.items() if parent == pid and p not in tree]
        tree.update(children)
        frontier.extend(children)
    return sum(rss.get(pid, 0) for pid in tree)


def run_measured(command: list[str]) -> tuple[float, int, str]:
    """Wall seconds, peak tree memory (MiB) and standard output of a command."""
    began = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kib(process.pid))
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = process.communicate()
    done.set()
    sampler.join()
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed with status {process.returncode}")
    return time.perf_counter() - began, peak // 1024, output


def folder_mib(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def kb_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "kb.cli", *args]


# --- ingest


def ingest_corpus(work: Path) -> dict:
    times, peaks = [], []
    for run in range(3):
        seconds, peak, _ = run_measured(kb_command("ingest", "corpus", "--json", "--data", str(work / f"corpus-{run}")))
        times.append(seconds)
        peaks.append(peak)
    return {"wall_s": times, "peak_mib": max(peaks)}


def ref_sample(work: Path, count: int | None) -> tuple[Path, int]:
    target = work / "ref2014.jsonl"
    lines = []
    with gzip.open(REF2014, "rt", encoding="utf-8") as handle:
        for line in handle:
            lines.append(line)
            if count and len(lines) == count:
                break
    target.write_text("".join(lines), encoding="utf-8")
    return target, len(lines)


def ingest_ref(folder: Path, sample: Path, processes: int) -> dict:
    data = folder / "ref-kb"
    shutil.rmtree(data, ignore_errors=True)  # a fresh build, also where --keep names an earlier one
    seconds, peak, output = run_measured(
        kb_command("ingest", str(sample), "--json", "--processes", str(processes), "--data", str(data))
    )
    report = json.loads(output)
    generation = data / "generations" / (data / "CURRENT").read_text().strip()
    return {
        "wall_s": seconds,
        "characters": report["characters"],
        "documents": len(report["added"]) + len(report["updated"]),
        "peak_mib": peak,
        "store_mib": folder_mib(generation / "store"),
        "index_mib": folder_mib(generation / "index"),
        "stages": report.get("stages", {}),
        "data": str(data),
    }


def spacy_floor(sample: Path, processes: int) -> float:
    """spaCy alone over the same text blocks, same components, processes and allocator settings: the floor."""
    code = (
        "import sys, time\n"
        "from ingest.readers import read_path\n"
        "from ingest.segment import segment_document, TEXT_BLOCKS\n"
        "from ingest.nlp import load_pipeline\n"
        "nlp = load_pipeline()\n"
        f"docs = [segment_document(d) for d in read_path({str(sample)!r})]\n"
        "texts = [d.text[b.start:b.end] for d in docs for b in d.canonical.blocks if b.kind in TEXT_BLOCKS]\n"
        "began = time.perf_counter()\n"
        f"for _ in nlp.pipe(texts, n_process={processes}, batch_size=256): pass\n"
        "print(time.perf_counter() - began)\n"
    )
    from ingest.allocator import MMAP_THRESHOLD_BYTES, TRIM_THRESHOLD_BYTES

    same_allocator = {"MALLOC_MMAP_THRESHOLD_": str(MMAP_THRESHOLD_BYTES), "MALLOC_TRIM_THRESHOLD_": str(TRIM_THRESHOLD_BYTES)}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                            env={**os.environ, **same_allocator})  # as the ingest sets its processes' allocator
    return float(result.stdout.strip().splitlines()[-1])


# --- queries


def timed(function, *args) -> float:
    began = time.perf_counter()
    function(*args)
    return time.perf_counter() - began


def questions() -> list[str]:
    gold = json.loads((ROOT / "tests" / "gold" / "questions.json").read_text(encoding="utf-8"))
    return [q["question"] for q in gold["questions"]] + list(gold["unanswerable"])


def analyst_queries(names: tuple[str, ...] = ANALYST_QUERIES) -> dict[str, str]:
    return {name: (ROOT / "queries" / f"{name}.rq").read_text(encoding="utf-8") for name in names}


def query_latency(data: str) -> dict:
    from kb.service import Service
    from kb.store import KnowledgeBase

    from .live_server import serve_app

    service = Service(KnowledgeBase(data))
    asked = questions()
    service.ask(asked[0])  # warm caches
    store = service.view.store
    results = {
        "ask (in-process)": [timed(service.ask, q) for _ in range(REPEATS) for q in asked],
        "search": [timed(service.search, q) for _ in range(REPEATS) for q in SEARCHES],
    }
    for name, text in analyst_queries(ANALYST_QUERIES + LISTING_QUERIES).items():
        results[f"sparql {name}"] = [timed(lambda: list(store.query(text, use_default_graph_as_union=True))) for _ in range(REPEATS * 4)]
    with serve_app({"KB_DATA": data}) as server:
        def http_ask(question: str, timeout: float = 30) -> None:
            with urllib.request.urlopen(f"{server.url}/api/ask?q={urllib.parse.quote(question)}", timeout=timeout) as response:
                response.read()

        http_ask(asked[0], timeout=1800)  # untimed: the server loads its answerer tables first (a minute and more on REF2014)
        results["/api/ask (HTTP)"] = [timed(http_ask, q) for _ in range(REPEATS) for q in asked]
    return results


def rdflib_ratio(data: str) -> dict:
    """The analyst queries through rdflib on the Oxigraph store against rdflib's in-memory store."""
    import pyoxigraph
    from rdflib import Dataset

    from kb.store import KnowledgeBase

    view = KnowledgeBase(data).open_reader()
    memory = Dataset(default_union=True)
    memory.parse(data=view.store.dump(format=pyoxigraph.RdfFormat.N_QUADS), format="nquads")
    oxigraph = Dataset(store=view.dataset.store, default_union=True)
    rows = {}
    for name, text in analyst_queries().items():
        on_oxigraph = [timed(lambda: list(oxigraph.query(text))) for _ in range(REPEATS)]
        in_memory = [timed(lambda: list(memory.query(text))) for _ in range(3)]
        rows[name] = (statistics.median(on_oxigraph), statistics.median(in_memory))
    return rows


def search_baseline(data: str) -> dict:
    """Whoosh BM25F against a plain in-memory BM25 over the same sentences: latency and hit@5."""
    from kb.service import Service
    from kb.store import KnowledgeBase

    from .bm25_baseline import BM25, Passage
    from .eval_qa import Returned, first_match, gold_quotes, load_questions

    service = Service(KnowledgeBase(data))
    texts = {d.id: service.document_text(d.id) for d in service.documents()}
    passages = [
        Passage(row["document"], int(row["start"]), int(row["end"]), texts[row["document"]][int(row["start"]) : int(row["end"])])
        for row in _sentences(service)
    ]
    bm25 = BM25(passages)
    gold = load_questions()["questions"]
    outcome = {}
    for name, search in (
        ("Whoosh BM25F", lambda q: [Returned(h.doc_id, h.text, h.start, h.end) for h in service.search(_plain(q), limit=10)]),
        ("plain BM25", lambda q: [Returned(p.doc_id, p.text, p.start, p.end) for p in bm25.search(q, limit=10)]),
    ):
        latencies, hits = [], 0
        for entry in gold:
            began = time.perf_counter()
            returned = search(entry["question"])
            latencies.append(time.perf_counter() - began)
            rank = first_match(gold_quotes(entry, texts), returned)
            hits += rank is not None and rank < 5
        outcome[name] = {"latency": latencies, "hit@5": hits / len(gold)}
    return outcome


def _plain(question: str) -> str:
    """The question's words as an OR query (no Whoosh syntax)."""
    words = [w for w in question.replace("?", " ").split() if w.isalnum()]
    return " OR ".join(words)


def _sentences(service):
    query = """PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX doco: <http://purl.org/spar/doco/>
    PREFIX dcterms: <http://purl.org/dc/terms/>
    SELECT ?document ?start ?end WHERE { GRAPH ?g { ?s a doco:Sentence ; oa:hasSource ?doc ; oa:hasSelector ?p .
      ?p oa:start ?start ; oa:end ?end . ?doc dcterms:identifier ?document } }"""
    for row in service.view.store.query(query):
        yield {name: row[name].value for name in ("document", "start", "end")}


# --- report


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), "unknown")
    memory = next((line.split(":", 1)[1].strip() for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")), "?")
    return f"{cpu}, {os.cpu_count()} cores, {memory} memory; Python {platform.python_version()} on {platform.system()} {platform.release()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--ref", type=int, default=0, help="REF2014 case studies to ingest (0: all)")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--keep", metavar="DIR", help="build the REF2014 knowledge base in DIR and keep it (for the load test)")
    args = parser.parse_args()
    print(f"Machine: {machine()}\n")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        corpus = ingest_corpus(work)
        print(f"Ingest, five corpus documents: median {statistics.median(corpus['wall_s']):.1f} s "
              f"(range {min(corpus['wall_s']):.1f}-{max(corpus['wall_s']):.1f} s over 3 runs), peak {corpus['peak_mib']} MiB\n")
        sample, count = ref_sample(work, args.ref or None)
        ref = ingest_ref(Path(args.keep) if args.keep else work, sample, args.processes)
        floor = spacy_floor(sample, args.processes)
        print(f"Ingest, {count} REF2014 case studies ({ref['characters']:,} characters), {args.processes} processes:")
        print(f"  wall {ref['wall_s']:.0f} s, {ref['characters'] / ref['wall_s']:,.0f} characters/s, peak {ref['peak_mib']:,} MiB")
        print(f"  store {ref['store_mib']:.0f} MiB, index {ref['index_mib']:.0f} MiB on disk")
        print(f"  spaCy alone on the same text: {floor:.0f} s; pipeline / spaCy = {ref['wall_s'] / floor:.2f}")
        staged = sum(ref["stages"].values())
        print("  seconds per stage, summed over the processes that ran it (share of all stage time):")
        for stage, seconds in ref["stages"].items():
            print(f"    {stage}: {seconds:.1f} s ({seconds / staged:.0%})")
        print("\nQuery latency on the REF2014 knowledge base:")
        for name, values in query_latency(ref["data"]).items():
            print(f"  {name}: {summary_ms(values)}")
        corpus_data = str(work / "corpus-0")
        print("\nSPARQL through rdflib, Oxigraph store against rdflib's in-memory store (five documents, medians):")
        for name, (oxigraph, memory) in rdflib_ratio(corpus_data).items():
            print(f"  {name}: Oxigraph {oxigraph * 1000:.1f} ms, in-memory {memory * 1000:.1f} ms, ratio {memory / oxigraph:.1f}x")
        print("\nSearch, Whoosh against a plain BM25 (five documents, gold questions):")
        for name, outcome in search_baseline(corpus_data).items():
            print(f"  {name}: {summary_ms(outcome['latency'])}, hit@5 {outcome['hit@5']:.2f}")


if __name__ == "__main__":
    main()
