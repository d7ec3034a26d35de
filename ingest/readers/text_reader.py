"""Reader for plain text and markdown files: the decoded text, its title from the first line."""

from __future__ import annotations

from pathlib import Path

from ..ids import sha256_hex, slugify
from ..records import DocumentMetadata, ReadDocument
from .decode import decode_utf8


def read(path: Path, data: bytes) -> list[ReadDocument]:
    text = decode_utf8(str(path), data)
    media_type = "text/markdown" if path.suffix.lower() in {".md", ".markdown"} else "text/plain"
    return [
        ReadDocument(
            doc_id=slugify(path.stem),
            source_path=str(path),
            sha256=sha256_hex(data),
            media_type=media_type,
            text=text,
            metadata=DocumentMetadata(),
        )
    ]
