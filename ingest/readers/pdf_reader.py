"""Reader for PDF files: the extracted text of each page, with title and author from the PDF.

Text comes from pypdf's ``extract_text()`` page by page, pages separated by a blank line; it is
line-broken as laid out, so the document is marked hard-wrapped. An encrypted (beyond an empty
password) or damaged PDF, and one with no extractable text (a scanned image), are refused with an
``UnsupportedFile`` naming the file.
"""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader

from ..errors import UnsupportedFile
from ..ids import sha256_hex, slugify
from ..records import DocumentMetadata, ReadDocument


def _clean(value: object) -> str | None:
    text = " ".join(str(value).split()) if value is not None else ""
    return text or None


def read(path: Path, data: bytes) -> list[ReadDocument]:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnsupportedFile(str(path), "is a PDF that cannot be read (it is encrypted)")
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
        info = reader.metadata
        title = _clean(info.title) if info else None
        author = _clean(info.author) if info else None
    except UnsupportedFile:
        raise
    except Exception as exc:  # pypdf raises many exception types on damaged input
        reason = f"is a PDF that cannot be read ({type(exc).__name__}: {exc})"
        raise UnsupportedFile(str(path), reason) from exc
    text = "\n\n".join(page for page in pages if page)
    if not text:
        raise UnsupportedFile(str(path), "is a PDF with no extractable text (scanned image?)")
    authors = tuple(name.strip() for name in author.split(";") if name.strip()) if author else ()
    return [
        ReadDocument(
            doc_id=slugify(path.stem),
            source_path=str(path),
            sha256=sha256_hex(data),
            media_type="application/pdf",
            text=text,
            metadata=DocumentMetadata(title=title, authors=authors),
            hard_wrapped=True,
        )
    ]
