"""Reader for HTML pages: visible text as blank-line-separated blocks, with its headings.

Block elements (paragraphs, divisions, list items, table rows, headings, line breaks) each become
one block of text with its whitespace collapsed; list items are prefixed "- " and table cells are
joined by " | "; script, style, navigation, inline SVG and the document head are dropped and
character references decoded. Each h1-h6 is recorded as a ``Heading`` span of the text, and the
<title> (else the first h1) becomes the title. The bytes are decoded as a <meta charset> says,
else as UTF-8.
"""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser
from pathlib import Path

from ..errors import UnsupportedFile
from ..ids import sha256_hex, slugify
from ..records import DocumentMetadata, Heading, ReadDocument
from .decode import decode_utf8

BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "ol", "p", "pre", "section", "table", "ul",
}  # fmt: skip
SKIP_TAGS = {"script", "style", "nav", "noscript", "template", "svg"}
HEAD_TAGS = {"base", "link", "meta", "script", "style", "noscript", "template", "title"}
HEADING_LEVELS = {f"h{n}": n for n in range(1, 7)}
CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def _collapse(parts: list[str]) -> str:
    return " ".join("".join(parts).split())


class _TextBuilder(HTMLParser):
    """Collects the visible text of a page block by block, with heading spans and the title."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.length = 0
        self.headings: list[Heading] = []
        self.title_parts: list[str] = []
        self.first_h1: str | None = None
        self._buf: list[str] = []
        self._prefix = ""
        self._heading_level: int | None = None
        self._row: list[str] | None = None  # cells of the table row being read
        self._in_cell = False
        self._in_head = False
        self._in_title = False
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._in_head and tag not in HEAD_TAGS:
            self._in_head = False  # the head's end tag is optional; body content ends it
        if tag in SKIP_TAGS:
            self._skip += 1
        elif tag == "head":
            self._in_head = True
        elif tag == "title":
            self._in_title = self._skip == 0 and not self.title_parts
        elif tag in ("td", "th"):
            if self._row is None:
                self._flush()
                self._row = []
            if self._in_cell:
                self._end_cell()
            self._buf = []
            self._in_cell = True
        elif tag == "tr":
            self._end_row()
            self._flush()
            self._row = []
        elif tag in BLOCK_TAGS:
            self._block_boundary(tag)
            if self._row is None:
                if tag == "li":
                    self._prefix = "- "
                self._heading_level = HEADING_LEVELS.get(tag, self._heading_level)

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag == "head":
            self._in_head = False
        elif tag == "title":
            self._in_title = False
        elif tag in ("td", "th"):
            if self._in_cell:
                self._end_cell()
        elif tag == "tr":
            self._end_row()
        elif tag in BLOCK_TAGS:
            self._block_boundary(tag)
            if self._row is None:
                if tag == "li":
                    self._prefix = ""
                if tag in HEADING_LEVELS:
                    self._heading_level = None

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title_parts.append(data)
        elif self._skip == 0 and not self._in_head:
            self._buf.append(data)

    def close(self) -> None:
        super().close()
        self._end_row()
        self._flush()

    def _block_boundary(self, tag: str) -> None:
        if tag == "table":
            self._end_row()
        if self._row is None:
            self._flush()
        else:
            self._buf.append(" ")  # a block inside a table cell stays within the cell

    def _end_cell(self) -> None:
        assert self._row is not None
        self._row.append(_collapse(self._buf))
        self._buf = []
        self._in_cell = False

    def _end_row(self) -> None:
        if self._row is None:
            return
        if self._in_cell:
            self._end_cell()
        row, self._row, self._buf = self._row, None, []
        if any(row):
            self._emit(" | ".join(row))

    def _flush(self) -> None:
        text, self._buf = _collapse(self._buf), []
        self._emit(text)

    def _emit(self, text: str) -> None:
        if not text:
            return
        if self.parts:
            self._append("\n\n")
        if self._prefix:
            self._append(self._prefix)
            self._prefix = ""
        start = self.length
        self._append(text)
        if self._heading_level is not None:
            self.headings.append(Heading(start, self.length, self._heading_level))
            if self._heading_level == 1 and self.first_h1 is None:
                self.first_h1 = text

    def _append(self, piece: str) -> None:
        self.parts.append(piece)
        self.length += len(piece)


def _decode(path: str, data: bytes) -> str:
    """The page's text, decoded as its <meta charset> declares, else as UTF-8."""
    declared = CHARSET.search(data[:4096])
    if declared is None or data.startswith(codecs.BOM_UTF8):
        return decode_utf8(path, data)
    name = declared.group(1).decode("ascii")
    try:
        encoding = codecs.lookup(name).name
    except LookupError:
        return decode_utf8(path, data)
    if encoding == "utf-8":
        return decode_utf8(path, data)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        reason = f"is not valid {name} (as its <meta charset> declares) at byte {exc.start}"
        raise UnsupportedFile(path, reason) from exc


def read(path: Path, data: bytes) -> list[ReadDocument]:
    builder = _TextBuilder()
    builder.feed(_decode(str(path), data))
    builder.close()
    text = "".join(builder.parts)
    if not text:
        raise UnsupportedFile(str(path), "is HTML with no visible text")
    title = _collapse(builder.title_parts) or builder.first_h1
    return [
        ReadDocument(
            doc_id=slugify(path.stem),
            source_path=str(path),
            sha256=sha256_hex(data),
            media_type="text/html",
            text=text,
            metadata=DocumentMetadata(title=title),
            headings=builder.headings,
            hard_wrapped=False,
        )
    ]
