"""Normalisation: the canonical text of a document, its block structure and its offset map.

The canonical text is what every quote the product shows is a slice of. It is the text as read
with markup removed (HTML tags and entities, markdown emphasis and heading marks), page furniture
dropped (a run of logo fragments at the top), hard-wrapped lines reflowed into paragraphs, and
whitespace collapsed. Blocks (headings, paragraphs, list items, table rows, footnotes) are joined
by a blank line. An ``OffsetMap`` leads every canonical offset back to the text as read.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from .records import Block, CanonicalText, OffsetMap, ReadDocument

# REF2014 template labels, as the database export glues them to the value before them
# ("University of YorkUnit of Assessment").
REF_LABELS = (
    "Submitting Institution",
    "Unit of Assessment",
    "Summary Impact Type",
    "Research Subject Area(s)",
    "Summary of the impact",
    "Underpinning research",
    "References to the research",
    "Details of the impact",
    "Sources to corroborate the impact",
)
_LABEL_AT_END = re.compile(r"(?P<value>\S.*?)(?P<label>" + "|".join(map(re.escape, REF_LABELS)) + r")$")

_INLINE_MARKUP = re.compile(
    r"<(?P<url>https?://[^>\s]+)>"  # markdown autolink: keep the address
    r"|</?[A-Za-z][^<>]*>"  # an HTML tag: drop
    r"|&(?P<entity>#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"  # entity: decode
    r"|(?P<emph>\*{1,3})"  # markdown emphasis: drop
    r"|(?P<space>[ \t\u00a0\u2000-\u200a\u202f\u3000]+)"  # white space: one space, tabs a cell bar
    r"|[\u200b\u200c\u200d\ufeff]"  # zero-width characters: drop
)
_BULLET = re.compile(r"^(?:[·•●▪◦‣∙\-–—*+])\s+")
_NUMBERED = re.compile(r"^(?:\(?\d{1,3}[.)]|\[\d{1,3}\]|\[[A-Za-z]\]|[a-z][.)]|\d{1,2}\.\d{1,2}\)?)\s+")
_MD_HEADING = re.compile(r"^(#{1,6})\s+")
_ONLY_PUNCTUATION = re.compile(r"^[\s\-–—_|:*=·•]*$")
_SUPERSCRIPT_START = re.compile(r"^[¹²³⁴⁵⁶⁷⁸⁹⁰]+\S")
_SENTENCE_END = re.compile(r"[.!?:;][\"'”’)\]]*$|[.!?][\"'”’)]*\s*\(\d+\)$")
_FUNCTION_WORD_END = re.compile(r"\b(?:the|of|and|or|a|an|to|in|for|on|by|with|at|from|as|Dr|Mr|Mrs|Ms|Professor)$")

FURNITURE_RUN = 6  # this many short fragments in a row at the top of a document are a logo block
FURNITURE_WORDS = 4
HARD_WRAPPED_HEADING_WORDS = 7


@dataclass
class _Line:
    """One line of the text as read, cleaned of inline markup, with its pieces' read offsets."""

    pieces: list[tuple[str, int, bool]]  # (text, read offset, copied one-for-one)
    kind: str = "text"  # text, heading, list-item, table-row, footnote, blank
    level: int = 2

    @property
    def text(self) -> str:
        return "".join(p[0] for p in self.pieces)

    def drop_prefix(self, n: int) -> None:
        """Remove the first ``n`` characters (a bullet or heading mark)."""
        out: list[tuple[str, int, bool]] = []
        for text, start, copied in self.pieces:
            if n >= len(text):
                n -= len(text)
                continue
            if n:
                text, start = text[n:], start + n if copied else start
                n = 0
            out.append((text, start, copied))
        self.pieces = out

    def strip(self) -> None:
        while self.pieces and not self.pieces[0][0].strip():
            self.pieces.pop(0)
        while self.pieces and not self.pieces[-1][0].strip():
            self.pieces.pop()
        if self.pieces:
            text, start, copied = self.pieces[0]
            lead = len(text) - len(text.lstrip())
            self.pieces[0] = (text[lead:], start + lead if copied else start, copied)
            text, start, copied = self.pieces[-1]
            self.pieces[-1] = (text.rstrip(), start, copied)


def _clean_line(line: str, base: int) -> _Line:
    """Strip inline markup from one line, keeping each piece's offset in the text as read."""
    pieces: list[tuple[str, int, bool]] = []
    pos = 0
    cells = line.count("\t") >= 2
    for match in _INLINE_MARKUP.finditer(line):
        if match.start() > pos:
            pieces.append((line[pos : match.start()], base + pos, True))
        if match.group("url"):
            pieces.append((match.group("url"), base + match.start("url"), True))
        elif match.group("entity"):
            decoded = html.unescape(match.group(0))
            pieces.append((decoded if decoded != match.group(0) else match.group(0), base + match.start(), False))
        elif match.group("space"):
            space = " | " if cells and "\t" in match.group(0) else " "
            pieces.append((space, base + match.start(), match.group(0) == " "))
        pos = match.end()
    if pos < len(line):
        pieces.append((line[pos:], base + pos, True))
    cleaned = _Line(pieces)
    cleaned.strip()
    if cells:
        cleaned.kind = "table-row"
    return cleaned


def _split_glued_labels(lines: list[_Line]) -> list[_Line]:
    """Split "University of YorkUnit of Assessment" into the value and a label heading."""
    out: list[_Line] = []
    for line in lines:
        text = line.text
        match = _LABEL_AT_END.match(text) if line.kind == "text" else None
        if match and not match.group("value").endswith((" ", ":")):
            cut = match.start("label")
            value, label = _Line(list(line.pieces)), _Line(list(line.pieces))
            label.drop_prefix(cut)
            value.pieces = _truncate(value.pieces, cut)
            label.kind = "heading"
            out.extend([value, label])
        else:
            if line.kind == "text" and text in REF_LABELS:
                line.kind = "heading"
            out.append(line)
    return out


def _truncate(pieces: list[tuple[str, int, bool]], n: int) -> list[tuple[str, int, bool]]:
    out = []
    for text, start, copied in pieces:
        if n <= 0:
            break
        out.append((text[:n], start, copied))
        n -= len(text)
    return out


def _is_short_fragment(line: _Line) -> bool:
    return line.kind in ("text", "list-item") and len(line.text.split()) <= FURNITURE_WORDS and not line.text.endswith(("?", ":"))


def _drop_furniture(lines: list[_Line]) -> None:
    """Blank a run of logo fragments ("Local", "Government", "adass"...) near the top."""
    content = [i for i, line in enumerate(lines) if line.kind != "blank"]
    run: list[int] = []
    for i in content[1:40]:  # the first line is the title, never furniture
        if _is_short_fragment(lines[i]):
            run.append(i)
            continue
        if len(run) >= FURNITURE_RUN:
            break
        run = []
    if len(run) >= FURNITURE_RUN:
        for i in run:
            lines[i].kind = "blank"
            lines[i].pieces = []


def _classify(line: _Line, hinted_heading: bool) -> None:
    text = line.text
    if line.kind != "text":
        return
    if not text or _ONLY_PUNCTUATION.match(text):
        line.kind, line.pieces = "blank", []
        return
    if hinted_heading:
        line.kind = "heading"
        return
    heading = _MD_HEADING.match(text)
    if heading:
        line.drop_prefix(heading.end())
        line.kind, line.level = "heading", len(heading.group(1))
        return
    bullet = _BULLET.match(text)
    if bullet:
        line.drop_prefix(bullet.end())
        line.kind = "list-item"
        return
    if _NUMBERED.match(text):
        line.kind = "list-item"
    elif _SUPERSCRIPT_START.match(text):
        line.kind = "footnote"


def _could_be_heading(text: str) -> bool:
    words = text.split()
    return (
        0 < len(words) <= 12
        and len(text) <= 90
        and (text[0].isupper() or text[0].isdigit())
        and not text.endswith((".", ",", ";", ":", ")", "-", "–"))
        and not _FUNCTION_WORD_END.search(text)
        and "www." not in text
        and "://" not in text
        and sum(c.isalpha() for c in text) > 0.6 * len(text.replace(" ", ""))
    )


def _starts_upper(text: str) -> bool:
    first = text.lstrip("\"'“‘`(")[:1]
    return first.isupper() or first.isdigit()


def _detect_hard_wrap(lines: list[_Line]) -> bool:
    """Hard-wrapped text: many lines end mid-sentence and go on in lower case on the next."""
    texts = [line.text for line in lines if line.kind != "blank"]
    if len(texts) < 8:
        return False
    wrapped = sum(
        1
        for a, b in zip(texts, texts[1:])
        if not _SENTENCE_END.search(a) and b[:1].islower()
    )
    return wrapped / (len(texts) - 1) > 0.15


def _mark_headings(lines: list[_Line], hard_wrapped: bool) -> None:
    """Short title-like lines between sentence ends and capitalised text are headings.

    In hard-wrapped text a short line is usually a wrapped fragment, so there a heading must also
    be short, follow a closed sentence (not another heading) and be followed by a capital.
    """
    for i, line in enumerate(lines):
        if line.kind != "text" or not _could_be_heading(line.text):
            continue
        prev = next((lines[j] for j in range(i - 1, -1, -1) if lines[j].kind != "blank"), None)
        nxt = next((lines[j] for j in range(i + 1, len(lines)) if lines[j].kind != "blank"), None)
        if nxt is None or not _starts_upper(nxt.text) and nxt.kind == "text":
            continue
        if hard_wrapped:
            if prev is None:  # the first line: the title
                line.kind = "heading"
            elif (
                len(line.text.split()) <= HARD_WRAPPED_HEADING_WORDS
                and prev.kind != "heading"
                and _SENTENCE_END.search(prev.text)
                and not nxt.text.startswith("(")
            ):
                line.kind = "heading"
            continue
        blank_before = i == 0 or lines[i - 1].kind == "blank"
        blank_after = i + 1 < len(lines) and lines[i + 1].kind == "blank"
        prev_closed = prev is None or prev.kind != "text" or bool(_SENTENCE_END.search(prev.text))
        if blank_before or blank_after or prev_closed:
            line.kind = "heading"


def _group_blocks(lines: list[_Line], hard_wrapped: bool) -> list[tuple[str, int, list[_Line]]]:
    """Group lines into blocks: a blank line, a heading or a new item always starts one."""
    blocks: list[tuple[str, int, list[_Line]]] = []
    current: list[_Line] | None = None
    for line in lines:
        if line.kind == "blank":
            current = None
            continue
        continues = (
            current is not None
            and hard_wrapped
            and line.kind == "text"
            and blocks[-1][0] in ("paragraph", "list-item", "footnote")
            and (blocks[-1][0] == "list-item" or not _paragraph_ends(current[-1].text, line.text))
        )
        if continues:
            current.append(line)
            continue
        kind = "paragraph" if line.kind == "text" else line.kind
        current = [line]
        blocks.append((kind, line.level, current))
    return _join_broken_paragraphs(blocks)


def _paragraph_ends(previous: str, following: str) -> bool:
    return bool(_SENTENCE_END.search(previous)) and _starts_upper(following)


def _join_broken_paragraphs(blocks: list[tuple[str, int, list[_Line]]]) -> list[tuple[str, int, list[_Line]]]:
    """Join a paragraph split mid-sentence by a page break ("at many" / "councils which")."""
    out: list[tuple[str, int, list[_Line]]] = []
    for block in blocks:
        if (
            out
            and block[0] == "paragraph"
            and out[-1][0] == "paragraph"
            and re.search(r"[a-z,]$", out[-1][2][-1].text)
            and block[2][0].text[:1].islower()
        ):
            out[-1][2].extend(block[2])
        else:
            out.append(block)
    return out


def normalise(document: ReadDocument) -> CanonicalText:
    """The canonical text, blocks and offset map of a read document."""
    raw = document.text
    hinted = {(h.start, h.end) for h in document.headings}
    hinted_starts = {h.start: h for h in document.headings}
    lines: list[_Line] = []
    pos = 0
    for raw_line in raw.splitlines(keepends=True):
        body = raw_line.rstrip("\r\n")
        line = _clean_line(body, pos)
        hint = hinted_starts.get(pos)
        _classify(line, hint is not None and (hint.start, hint.end) in hinted)
        if hint is not None and line.kind == "heading":
            line.level = hint.level
        lines.append(line)
        pos += len(raw_line)
    lines = _split_glued_labels(lines)
    _drop_furniture(lines)
    hard_wrapped = document.hard_wrapped if document.hard_wrapped is not None else _detect_hard_wrap(lines)
    _mark_headings(lines, hard_wrapped)
    return _assemble(_group_blocks(lines, hard_wrapped))


def _assemble(blocks: list[tuple[str, int, list[_Line]]]) -> CanonicalText:
    parts: list[str] = []
    offsets = OffsetMap()
    out_blocks: list[Block] = []
    length = 0

    def emit(text: str, read_start: int, copied: bool) -> None:
        nonlocal length
        if not text:
            return
        offsets.add_run(length, read_start, copied)
        parts.append(text)
        length += len(text)

    for kind, level, block_lines in blocks:
        if out_blocks:
            emit("\n\n", block_lines[0].pieces[0][1], False)
        start = length
        for n, line in enumerate(block_lines):
            if n:
                emit(" ", line.pieces[0][1], False)
            for text, read_start, copied in line.pieces:
                emit(text, read_start, copied)
        out_blocks.append(Block(kind, start, length, level))
    return CanonicalText("".join(parts), offsets, out_blocks)
