"""Readers turn one file into ``ReadDocument`` records; ``read_path`` picks the reader.

A reader is chosen by content first (PDF, DOCX and gzip signatures, HTML markup, REF JSON
lines) and by extension second; a file whose content and extension fit no reader is refused with
an ``UnsupportedFile`` naming it. Each reader module exposes ``read(path, data) -> list[ReadDocument]``
where ``data`` is the file's bytes.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import UnsupportedFile
from ..records import ReadDocument
import importlib

from .detect import detect_format

# Format name -> reader module; imported on first use, so pypdf and python-docx load only when needed.
READERS = {
    "text": "text_reader",
    "markdown": "text_reader",
    "html": "html_reader",
    "pdf": "pdf_reader",
    "docx": "docx_reader",
    "ref-jsonl": "ref_jsonl",
}


def read_path(path: str | Path) -> list[ReadDocument]:
    """Read one file into its documents (a REF JSON-lines file holds many)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnsupportedFile(str(path), f"cannot be read ({exc.strerror})") from exc
    reader = importlib.import_module(f"{__name__}.{READERS[detect_format(path, data)]}")
    return reader.read(path, data)
