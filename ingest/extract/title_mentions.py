"""Titles of works mentioned in running text: "The previous 'Evaluation of the Individual Budgets
Pilot Programme' by ... was published in October 2008".

A mention is a quoted phrase of four to twenty words that starts with a capital, has no finite
verb (a title names, a quotation says) and sits outside any reference list. It becomes a
``CitationEntry`` of list kind ``mentions`` with its title set, so the graph writer can link the
document to the same work resource a reference list elsewhere cites (``cito:discusses``).
"""

from __future__ import annotations

import re

from ..records import CitationEntry, ParsedDocument

QUOTED = re.compile(r"(?P<open>['‘“\"`])(?P<title>[A-Z][^'‘’“”\"`\n]{10,200}?)(?P<close>['’”\"])(?!\w)")
MIN_WORDS, MAX_WORDS = 4, 20
FINITE_VERB_TAGS = {"VBD", "VBZ", "VBP", "MD"}
LIST_KINDS_SECTIONS = ("references", "sources to corroborate", "bibliography")


def extract_title_mentions(parsed: ParsedDocument) -> list[CitationEntry]:
    mentions = []
    for block, doc in parsed.block_docs:
        if block.kind != "paragraph" or _in_list_section(parsed, block.start):
            continue
        for match in QUOTED.finditer(parsed.text[block.start : block.end]):
            title = match.group("title").strip()
            start = block.start + match.start("title")
            if _looks_like_title(title, doc, match.start("title"), match.end("title")):
                mentions.append(CitationEntry(parsed.doc_id, "mentions", None, start, start + len(title), title, title=title))
    return mentions


def _in_list_section(parsed: ParsedDocument, offset: int) -> bool:
    section = parsed.segmented.section_of(offset)
    title = (section.title or "").lower() if section else ""
    return any(title.startswith(name) for name in LIST_KINDS_SECTIONS)


def _looks_like_title(title: str, doc, start: int, end: int) -> bool:
    words = title.split()
    if not MIN_WORDS <= len(words) <= MAX_WORDS or title.endswith((".", ",", ";", "!")):
        return False
    tokens = [t for t in doc if start <= t.idx < end]
    return not any(t.tag_ in FINITE_VERB_TAGS for t in tokens)
