"""Reader for Word (.docx) files: paragraphs and table rows in document order, with headings.

Each non-empty paragraph becomes one block of text (blocks separated by a blank line); paragraphs
styled "Title" or "Heading N" are recorded as ``Heading`` spans (Title as level 1), paragraphs in
a "List" style are prefixed "- ", and each table row becomes one block of its cells joined by
" | ". Title and author come from the document's core properties when set. A damaged file is
refused with an ``UnsupportedFile`` naming it.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
from docx.document import Document as WordDocument
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from ..errors import UnsupportedFile
from ..ids import sha256_hex, slugify
from ..records import DocumentMetadata, Heading, ReadDocument

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HEADING_STYLE = re.compile(r"Heading\s*(\d*)")


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _heading_level(style_name: str) -> int | None:
    if style_name == "Title":
        return 1
    match = HEADING_STYLE.match(style_name)
    if match is None:
        return None
    return int(match.group(1)) if match.group(1) else 1


def _row_text(cells: list[_Cell]) -> str:
    texts: list[str] = []
    previous = None
    for cell in cells:
        if cell._tc is not previous:  # a merged cell is listed once per grid column it spans
            texts.append(_collapse(cell.text))
        previous = cell._tc
    return " | ".join(texts) if any(texts) else ""


def _blocks(document: WordDocument) -> list[tuple[str, int | None]]:
    """Each block's text and heading level (``None`` for a body block), in document order."""
    blocks: list[tuple[str, int | None]] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            blocks.extend((_row_text(row.cells), None) for row in item.rows)
        elif isinstance(item, Paragraph):
            style = item.style.name if item.style is not None else ""
            text = _collapse(item.text)
            if text and style.startswith("List"):
                text = "- " + text
            blocks.append((text, _heading_level(style)))
    return [(text, level) for text, level in blocks if text]


def read(path: Path, data: bytes) -> list[ReadDocument]:
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = _blocks(document)
        title = _collapse(document.core_properties.title or "") or None
        author = document.core_properties.author or ""
    except Exception as exc:  # python-docx raises zip, XML and key errors on damaged input
        reason = f"is a Word document that cannot be read ({type(exc).__name__}: {exc})"
        raise UnsupportedFile(str(path), reason) from exc
    parts: list[str] = []
    headings: list[Heading] = []
    length = 0
    for text, level in blocks:
        if parts:
            parts.append("\n\n")
            length += 2
        if level is not None:
            headings.append(Heading(length, length + len(text), level))
        parts.append(text)
        length += len(text)
    if not parts:
        raise UnsupportedFile(str(path), "is a Word document with no text")
    authors = tuple(name.strip() for name in author.split(";") if name.strip())
    return [
        ReadDocument(
            doc_id=slugify(path.stem),
            source_path=str(path),
            sha256=sha256_hex(data),
            media_type=MEDIA_TYPE,
            text="".join(parts),
            metadata=DocumentMetadata(title=title, authors=authors),
            headings=headings,
            hard_wrapped=False,
        )
    ]
