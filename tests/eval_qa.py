"""Question-answering quality against the hand-made gold set ``tests/gold/questions.json``.

``qa_report(service)`` asks every gold question through ``Service.ask`` and through a plain
baseline (Whoosh BM25F over sentences with the question's words: no expansion, no graph, no
no-answer decision beyond finding nothing), and returns for each: hit@5 (a gold quote among the
first five answers), MRR (of the first answer quoting gold, over the first ten), coverage (the
share of all gold quotes among the first ten answers), the no-answer rate on the unanswerable
questions and the false no-answer rate on the answerable ones; also the intent accuracy, the
in-process latency of ``ask`` and the answerable questions whose first five answers miss. A gold
quote matches an answer when, after whitespace normalisation, one contains the other, or when
their offsets in the same document overlap. ``python -m tests.eval_qa`` ingests corpus/ into a
temporary folder and prints the table.
"""

from __future__ import annotations

import json
import re
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from kb.index import search

GOLD = Path(__file__).resolve().parent / "gold" / "questions.json"
ROOT = Path(__file__).resolve().parent.parent
DEPTH = 10
LATENCY_RUNS = 3
WORDS = re.compile(r"\w+")


@dataclass(frozen=True)
class Quote:
    doc: str
    text: str
    start: int  # -1 when the quote is not found verbatim in the document
    end: int


@dataclass(frozen=True)
class Returned:
    """One answer as the metrics see it."""

    doc: str
    text: str
    start: int
    end: int


def load_questions() -> dict:
    return json.loads(GOLD.read_text(encoding="utf-8"))


def _norm(text: str) -> str:
    return " ".join(text.split())


def matches(quote: Quote, answer: Returned) -> bool:
    if quote.doc != answer.doc:
        return False
    a, b = _norm(quote.text), _norm(answer.text)
    if a in b or b in a:
        return True
    return quote.start >= 0 and quote.start < answer.end and answer.start < quote.end


def gold_quotes(entry: dict, texts: dict[str, str]) -> list[Quote]:
    quotes = []
    for gold in entry["gold"]:
        start = texts[gold["doc"]].find(gold["quote"])
        quotes.append(Quote(gold["doc"], gold["quote"], start, start + len(gold["quote"]) if start >= 0 else -1))
    return quotes


def first_match(quotes: list[Quote], answers: list[Returned]) -> int | None:
    """The 1-based rank of the first answer quoting gold, if any."""
    for rank, answer in enumerate(answers, start=1):
        if any(matches(q, answer) for q in quotes):
            return rank
    return None


def scores(runs: list[tuple[list[Quote], list[Returned], bool]], unanswered: list[bool]) -> dict:
    """The metrics of one system: ``runs`` per answerable question (gold, answers, no_answer)."""
    ranks = [first_match(quotes, answers[:DEPTH]) for quotes, answers, _ in runs]
    gold_total = sum(len(quotes) for quotes, _, _ in runs)
    gold_found = sum(
        sum(1 for q in quotes if any(matches(q, a) for a in answers[:DEPTH])) for quotes, answers, _ in runs
    )
    return {
        "hit@5": round(sum(1 for r in ranks if r and r <= 5) / len(runs), 3),
        "MRR": round(sum(1 / r for r in ranks if r) / len(runs), 3),
        "coverage@10": round(gold_found / gold_total, 3),
        "no-answer (unanswerable)": round(sum(unanswered) / len(unanswered), 3),
        "false no-answer": round(sum(1 for _, _, no in runs if no) / len(runs), 3),
    }


def _method(service, question: str) -> tuple[list[Returned], bool]:
    result = service.ask(question, limit=DEPTH)
    answers = [Returned(a["document"]["id"], a["text"], a["start"], a["end"]) for a in result["answers"]]
    return answers, result["no_answer"]


def _baseline(service, question: str) -> tuple[list[Returned], bool]:
    words = " ".join(WORDS.findall(question))
    hits = search(service.view.index, words, limit=DEPTH)
    return [Returned(h.doc_id, h.text, h.start, h.end) for h in hits], not hits


def _system_report(service, ask, gold: dict, texts: dict[str, str]) -> tuple[dict, list[dict]]:
    runs, misses = [], []
    for entry in gold["questions"]:
        quotes = gold_quotes(entry, texts)
        answers, no_answer = ask(service, entry["question"])
        runs.append((quotes, answers, no_answer))
        rank = first_match(quotes, answers[:DEPTH])
        if not rank or rank > 5:
            misses.append({"question": entry["question"], "rank": rank, "no_answer": no_answer})
    unanswered = [ask(service, question)[1] for question in gold["unanswerable"]]
    return scores(runs, unanswered), misses


def _intent_accuracy(service, gold: dict) -> float:
    right = sum(1 for e in gold["questions"] if service.ask(e["question"])["analysis"]["intent"] == e["intent"])
    return round(right / len(gold["questions"]), 3)


def _latency(service, gold: dict) -> dict:
    """Milliseconds per question once the tables are loaded: each question's fastest of
    ``LATENCY_RUNS`` runs (so that another process's burst on a busy machine does not count),
    then the median and 95th percentile over the questions."""
    questions = [e["question"] for e in gold["questions"]] + gold["unanswerable"]
    service.ask(questions[0])  # loads the tables once, as a long-running server has
    timings = []
    for question in questions:
        runs = []
        for _ in range(LATENCY_RUNS):
            started = time.perf_counter()
            service.ask(question)
            runs.append((time.perf_counter() - started) * 1000)
        timings.append(min(runs))
    cuts = statistics.quantiles(timings, n=20)
    return {"p50": round(statistics.median(timings), 1), "p95": round(cuts[18], 1)}


def qa_report(service) -> dict:
    """``{"rows": {system: metrics}, "intent accuracy", "latency_ms": {p50, p95}, "misses": {system: [...]}}``."""
    gold = load_questions()
    texts = {d.id: service.document_text(d.id) for d in service.documents()}
    method, method_misses = _system_report(service, _method, gold, texts)
    baseline, baseline_misses = _system_report(service, _baseline, gold, texts)
    return {
        "rows": {"kb ask": method, "BM25 baseline": baseline},
        "intent accuracy": _intent_accuracy(service, gold),
        "latency_ms": _latency(service, gold),
        "misses": {"kb ask": method_misses, "BM25 baseline": baseline_misses},
    }


def print_report(report: dict) -> None:
    rows = report["rows"]
    columns = list(next(iter(rows.values())))
    print(f"{'':<16}" + "".join(f"{c:>26}" for c in columns))
    for name, row in rows.items():
        print(f"{name:<16}" + "".join(f"{row[c]:>26}" for c in columns))
    print(f"\nintent accuracy {report['intent accuracy']}; in-process latency {report['latency_ms']} ms")
    for miss in report["misses"]["kb ask"]:
        print(f"  kb ask misses: {miss['question']} (first gold at {miss['rank']}, no_answer={miss['no_answer']})")


def main() -> None:
    from ingest.pipeline import ingest
    from kb.service import Service
    from kb.store import KnowledgeBase

    with tempfile.TemporaryDirectory() as folder:
        knowledge_base = KnowledgeBase(Path(folder) / "kb")
        ingest([ROOT / "corpus"], knowledge_base)
        print_report(qa_report(Service(knowledge_base)))


if __name__ == "__main__":
    main()
