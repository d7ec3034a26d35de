"""Reader for REF2014 impact case studies as JSON lines (gzipped or not): one document each.

Each record's REF fields become sections of the document, their labels as headings, in the
order the REF template gives them. The text keeps the database's hard line breaks and HTML
entities; normalisation reflows and decodes them.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from ..errors import IngestError
from ..ids import sha256_hex, slugify
from ..records import DocumentMetadata, Heading, ReadDocument

REF_SECTIONS = (
    ("summary_of_the_impact", "Summary of the impact"),
    ("underpinning_research", "Underpinning research"),
    ("references_to_the_research", "References to the research"),
    ("details_of_the_impact", "Details of the impact"),
    ("sources_to_corroborate_the_impact", "Sources to corroborate the impact"),
)


def read(path: Path, data: bytes) -> list[ReadDocument]:
    if data.startswith(b"\x1f\x8b"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise IngestError(str(path), f"is a damaged gzip file ({exc})") from exc
    documents = []
    for line_number, line in enumerate(data.splitlines(), start=1):
        if line.strip():
            documents.append(_read_record(path, line_number, line))
    return documents


def _read_record(path: Path, line_number: int, line: bytes) -> ReadDocument:
    where = f"{path}:{line_number}"
    try:
        record = json.loads(line)
    except (ValueError, UnicodeDecodeError) as exc:
        raise IngestError(where, f"is not valid JSON ({exc})") from exc
    if not isinstance(record, dict) or "id" not in record:
        raise IngestError(where, "is not a REF2014 case-study record (no 'id')")
    title = str(record.get("title") or "").strip()
    parts: list[str] = [title, "\n\n"] if title else []
    headings = [Heading(0, len(title), level=1)] if title else []
    length = sum(map(len, parts))
    for key, label in REF_SECTIONS:
        body = str(record.get(key) or "").strip()
        if not body:
            continue
        headings.append(Heading(length, length + len(label), level=2))
        chunk = f"{label}\n{body}\n\n"
        parts.append(chunk)
        length += len(chunk)
    text = "".join(parts)
    if not text.strip():
        raise IngestError(where, f"case study {record['id']} has no text")
    extra = tuple(
        (key, str(record[key]))
        for key in ("institution", "unit_of_assessment")
        if record.get(key)
    ) + tuple(("funder_list", str(funder)) for funder in record.get("funder_lists") or ())
    return ReadDocument(
        doc_id=f"ref2014-{slugify(str(record['id']))}",
        source_path=f"{path}#{record['id']}",
        sha256=sha256_hex(line),
        media_type="application/x-ref2014-case-study+json",
        text=text,
        metadata=DocumentMetadata(
            title=title or None,
            doc_type="ref-impact-case-study",
            extra=(("identifier", str(record["id"])),) + extra,
        ),
        headings=headings,
        hard_wrapped=True,
    )
