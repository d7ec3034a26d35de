"""Measure citation extraction on a fixed sample of REF2014 case studies (every 40th record).

Not a test: prints, per case study, the reference and source entries parsed against the count the
raw text's numbering implies (the longest run 1, 2, 3... of line-start markers such as "1.",
"[1]", "(1)", "3.1)", "R1", "a)"; "-" where a list is unnumbered), the share that match, and
DOI recall (DOIs a plain regex finds in the raw list fields against DOIs extracted).

Run from the project root: ``python tests/measure_citations_ref2014.py [path-to-jsonl.gz]``.
"""

from __future__ import annotations

import gzip
import html
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.extract.citations import extract_citations  # noqa: E402
from ingest.nlp import load_pipeline  # noqa: E402
from ingest.readers import read_path  # noqa: E402
from ingest.segment import parse_documents, segment_document  # noqa: E402

DATA = Path("/work/shared/datasets/ref2014/case_studies.jsonl.gz")
STEP = 40
SAMPLE = 50
FIELDS = (("references_to_the_research", "references"), ("sources_to_corroborate_the_impact", "sources"))
LINE_MARKER = re.compile(
    r"^\s*(?:[-•*]\s*)?(?:\[(?P<a>[A-Z]?\d{1,2}(?:\.\d{1,2})?)\]|\((?P<b>\d{1,2})\)|(?P<c>\d{1,2}(?:\.\d{1,2})?)[.)]"
    r"|(?P<d>[A-Z]\d{1,2})[.:)]?|(?P<e>[a-z])[.)])\s",
    re.M,
)
RAW_DOI = re.compile(r"10\.\d{4,9}/\S+")


def implied_count(raw: str) -> int | None:
    """The longest run 1, 2, 3... of line-start markers in ``raw``; None if there is none."""
    values = []
    for match in LINE_MARKER.finditer(raw):
        n = next(g for g in match.groups() if g)
        last = re.split(r"[.A-Z]", n)[-1]
        values.append(ord(last) - ord("a") + 1 if last.isalpha() else int(last))
    best = run = 0
    for value in values:
        run = run + 1 if value == run + 1 else (1 if value == 1 else run)
        best = max(best, run)
    return best or None


def clean_doi(doi: str) -> str:
    return doi.lower().rstrip(".,;:)'\"]")


def doi_found(raw: str, extracted: set[str]) -> bool:
    raw = clean_doi(raw)
    return any(raw.startswith(d) or d.startswith(raw) for d in extracted if min(len(d), len(raw)) >= 10)


def main(path: Path) -> None:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    picked = list(range(0, len(records), STEP))[:SAMPLE]
    documents = read_path(str(path))
    nlp = load_pipeline()
    parsed = list(parse_documents([segment_document(documents[i]) for i in picked], nlp))
    compared = matched = raw_dois = found_dois = unnumbered = 0
    print(f"{'case study':>12} {'refs':>9} {'sources':>9}  dois")
    for i, doc in zip(picked, parsed):
        entries, _ = extract_citations(doc)
        extracted = {clean_doi(e.doi) for e in entries if e.doi}
        cells = []
        for field, kind in FIELDS:
            raw = html.unescape(records[i].get(field) or "")
            got = sum(1 for e in entries if e.list_kind == kind)
            want = implied_count(raw)
            if want is None:
                unnumbered += 1
            else:
                compared += 1
                matched += got == want
            cells.append(f"{got}/{want if want is not None else '-'}")
        dois = [d for field, _ in FIELDS for d in RAW_DOI.findall(html.unescape(records[i].get(field) or ""))]
        hits = sum(doi_found(d, extracted) for d in dois)
        raw_dois += len(dois)
        found_dois += hits
        print(f"{records[i]['id']:>12} {cells[0]:>9} {cells[1]:>9}  {hits}/{len(dois)}")
    print(f"numbered lists: {matched}/{compared} parsed to the implied count ({matched / max(compared, 1):.0%}); "
          f"{unnumbered} lists unnumbered (not compared)")
    print(f"DOI recall: {found_dois}/{raw_dois} ({found_dois / max(raw_dois, 1):.0%})")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DATA)
