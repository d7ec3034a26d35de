"""The corpus manifest (``manifest.toml`` beside the documents): ids and stated metadata.

Each ``[[document]]`` table names a ``file`` and gives its ``id``, ``title``, ``type``,
``publisher``, ``date``, ``source_url``, ``authors`` and ``sha256`` as the document states them;
other keys (``identifier``, ``institution``...) are kept as extra facts. Errors name the line.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import ManifestError
from .records import DocumentMetadata

MANIFEST_NAME = "manifest.toml"
DOCUMENT_TYPES = ("briefing", "evaluation-summary", "ref-impact-case-study", "report")
STANDARD_KEYS = {"file", "id", "title", "type", "publisher", "date", "source_url", "authors", "sha256"}
EXTRA_KEYS = {"identifier", "institution", "unit_of_assessment", "contributors"}
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")


@dataclass(frozen=True)
class ManifestEntry:
    file: str
    doc_id: str
    sha256: str | None
    metadata: DocumentMetadata
    line: int


def load_manifest(path: Path) -> dict[str, ManifestEntry]:
    """The manifest's entries by file name; raises ``ManifestError`` naming the line at fault."""
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ManifestError(str(path), f"is not valid UTF-8 at byte {exc.start}") from exc
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(str(path), f"is not valid TOML: {exc}") from exc
    tables = data.get("document", [])
    if not isinstance(tables, list):
        raise ManifestError(str(path), "`document` must be an array of tables ([[document]])")
    lines = [n for n, text in enumerate(raw.splitlines(), start=1) if text.strip() == "[[document]]"]
    entries: dict[str, ManifestEntry] = {}
    ids: set[str] = set()
    for table, line in zip(tables, lines):
        entry = _entry(path, table, line)
        if entry.file in entries or entry.doc_id in ids:
            raise ManifestError(str(path), f"line {line}: file or id given twice ({entry.file}, {entry.doc_id})")
        entries[entry.file] = entry
        ids.add(entry.doc_id)
    return entries


def _entry(path: Path, table: dict, line: int) -> ManifestEntry:
    def fail(reason: str) -> ManifestError:
        return ManifestError(str(path), f"line {line}: {reason}")

    for key in ("file", "id"):
        if not isinstance(table.get(key), str) or not table[key].strip():
            raise fail(f"the [[document]] entry needs a `{key}` string")
    if not _ID.match(table["id"]):
        raise fail(f"id {table['id']!r} must be lower-case letters, digits, '.', '_' or '-'")
    doc_type = table.get("type")
    if doc_type is not None and doc_type not in DOCUMENT_TYPES:
        raise fail(f"type {doc_type!r} is not one of {', '.join(DOCUMENT_TYPES)}")
    authors = table.get("authors", [])
    if not isinstance(authors, list) or not all(isinstance(a, str) for a in authors):
        raise fail("`authors` must be a list of strings")
    extra = []
    unknown = sorted(set(table) - STANDARD_KEYS - EXTRA_KEYS)
    if unknown:
        raise fail(f"unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(STANDARD_KEYS | EXTRA_KEYS))}")
    for key, value in table.items():
        if key in STANDARD_KEYS:
            continue
        values = value if isinstance(value, list) else [value]
        extra.extend((key, str(v)) for v in values)
    return ManifestEntry(
        file=table["file"],
        doc_id=table["id"],
        sha256=table.get("sha256"),
        metadata=DocumentMetadata(
            title=table.get("title"),
            doc_type=doc_type,
            publisher=table.get("publisher"),
            date=str(table["date"]) if "date" in table else None,
            source_url=table.get("source_url"),
            authors=tuple(authors),
            extra=tuple(extra),
        ),
        line=line,
    )
