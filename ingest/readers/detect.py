"""Choose a reader for a file by its content first and its extension second."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from ..errors import UnsupportedFile

TEXT_EXTENSIONS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown"}
HTML_EXTENSIONS = {".html", ".htm", ".xhtml"}
JSONL_EXTENSIONS = {".jsonl", ".json", ".ndjson"}
REF_FIELDS = {"summary_of_the_impact", "underpinning_research", "details_of_the_impact"}
KNOWN = "expected .txt, .md, .html, .pdf, .docx, or REF2014 .jsonl(.gz)"


def _looks_like_ref_jsonl(head: bytes) -> bool:
    first_line = head.split(b"\n", 1)[0].strip()
    try:
        record = json.loads(first_line)
    except ValueError:
        return False
    return isinstance(record, dict) and "id" in record and bool(REF_FIELDS & record.keys())


def _looks_like_html(head: bytes) -> bool:
    start = head.lstrip()[:512].lower()
    return start.startswith((b"<!doctype html", b"<html")) or b"<body" in start


def detect_format(path: Path, data: bytes) -> str:
    """The reader name for ``data`` read from ``path``; raises ``UnsupportedFile`` if none fits."""
    suffix = path.suffix.lower()
    if not data:
        raise UnsupportedFile(str(path), "is empty")
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile as exc:
            raise UnsupportedFile(str(path), f"is a damaged zip archive ({exc})") from exc
        if "word/document.xml" in names:
            return "docx"
        raise UnsupportedFile(str(path), f"is a zip archive but not a Word document ({KNOWN})")
    if data.startswith(b"\x1f\x8b"):
        if path.name.lower().endswith((".jsonl.gz", ".json.gz", ".ndjson.gz")):
            return "ref-jsonl"
        raise UnsupportedFile(str(path), f"is gzip-compressed but not REF2014 JSON lines ({KNOWN})")
    if b"\x00" in data[:8192]:
        raise UnsupportedFile(str(path), f"is binary, not text ({KNOWN})")
    head = data[:65536]
    if suffix in JSONL_EXTENSIONS or _looks_like_ref_jsonl(head):
        if _looks_like_ref_jsonl(head):
            return "ref-jsonl"
        raise UnsupportedFile(str(path), "is JSON but not REF2014 case-study records (id and REF fields)")
    if suffix in HTML_EXTENSIONS or (suffix in TEXT_EXTENSIONS and _looks_like_html(head)):
        return "html"
    if suffix in TEXT_EXTENSIONS:
        return TEXT_EXTENSIONS[suffix]
    raise UnsupportedFile(str(path), f"has an unknown file type {suffix or '(no extension)'!r} ({KNOWN})")
