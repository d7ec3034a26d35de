"""``make eval``: quality figures against the hand-made gold sets in tests/gold/.

Ingests corpus/ into a temporary knowledge base through the real pipeline, then prints
extraction precision, recall and F1 per kind, and question-answering hit@5 and MRR against a
plain BM25 baseline, and the evidence map's cell membership, direction and agreement accuracy.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from ingest.pipeline import ingest
from kb.service import Service
from kb.store import KnowledgeBase

from .eval_evidence import evidence_report
from .eval_extraction import extraction_report
from .eval_qa import qa_report

ROOT = Path(__file__).resolve().parent.parent


def print_table(title: str, rows: dict[str, dict]) -> None:
    print(f"\n{title}")
    columns = list(dict.fromkeys(key for row in rows.values() for key in row))
    print(f"  {'':<28}" + "".join(f"{c:>16}" for c in columns))
    for name, row in rows.items():
        print(f"  {name:<28}" + "".join(f"{row.get(c, ''):>16}" for c in columns))


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        knowledge_base = KnowledgeBase(Path(folder) / "kb")
        ingest([ROOT / "corpus"], knowledge_base)
        service = Service(knowledge_base)
        report = extraction_report(service)
        claims = report.pop("claims (carers, older people)")
        print_table("Extraction (precision / recall / F1 against tests/gold)", report)
        print("\nClaims about carers and older people (tests/gold/claims.json)")
        for key, value in claims.items():
            print(f"  {key:<24} {value}")
        qa = qa_report(service)
        print_table("Question answering (tests/gold/questions.json), against a plain BM25 baseline", qa["rows"])
        print(f"  intent accuracy {qa['intent accuracy']}; in-process latency {qa['latency_ms']}")
        print_table("Evidence map (tests/gold/evidence_map.json: cell membership, direction, agreement)", evidence_report(service))


if __name__ == "__main__":
    main()
