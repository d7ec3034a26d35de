"""Decode a text file's bytes strictly as UTF-8, naming the file and byte where that fails."""

from __future__ import annotations

from ..errors import UnsupportedFile


def decode_utf8(path: str, data: bytes) -> str:
    """UTF-8 text of ``data`` (a byte-order mark is dropped); refuses other encodings."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        hint = " (it looks like Latin-1 or Windows-1252; re-save it as UTF-8)" if _is_single_byte(data) else ""
        raise UnsupportedFile(path, f"is not valid UTF-8 at byte {exc.start}{hint}") from exc
    if not text.strip():
        raise UnsupportedFile(path, "holds no text")
    return text


def _is_single_byte(data: bytes) -> bool:
    return any(0xA0 <= b <= 0xFF for b in data)
