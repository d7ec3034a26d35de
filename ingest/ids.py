"""Deterministic identifiers: slugs for documents and keys for entities, never counters."""

from __future__ import annotations

import hashlib
import re
import unicodedata


def slugify(value: str, max_length: int = 80) -> str:
    """A lower-case ASCII slug of ``value``: letters, digits and single hyphens."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "document"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def short_hash(value: str, length: int = 12) -> str:
    """A stable short hash of a string, for IRIs built from normalised keys."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:length]
