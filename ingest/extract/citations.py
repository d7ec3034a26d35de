"""Citations: the entries of reference, corroborating-source and footnote lists, and the pointers to them.

A list is a section titled like "References to the research" (``references``), "Sources to
corroborate the impact" (``sources``), "References", "Bibliography" or "Notes", or a footnote
block ("¹The Information Centre..."). A list is split into entries by the numbering it uses
("1.", "[1]", "(1)", "1)", "3.1)", "[3.1]", "R1", "[A]", "A.", "a)") -- markers count only in
sequence, so a hard-wrapped line that starts with "2." inside entry 1 does not start an entry --
or, unnumbered, one entry per block (a bullet is its own block), skipping lead-in prose, labels
("Key Outputs:") and everything from a grants or quality statement on. Each entry is parsed
into authors, year, title, container, publisher, DOI and URL where the text makes them
recognisable. Pointers are found in the text outside the entries: numbers glued to a word,
bracket or quote ("(DH, 2008)1", "PBs9": only where the document has a list long enough),
bracketed numbers ("(25)", "[3.5]", "(1 & 2 below)"; unresolved when no list holds them),
superscripts ("¹") and author-year mentions ("(Newbronner et al., 2011)", "DH (2010)"). Every
span is ``[start, end)`` of the canonical text and every ``text`` is the slice it names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..normalise import REF_LABELS
from ..records import Block, CitationEntry, ParsedDocument, Pointer, Segment

# --- Lists: which sections hold entries, and how their entries are numbered.

REF_LIST_TITLES = (
    ("references to the research", "references"),
    ("sources to corroborate the impact", "sources"),
)
GENERIC_LIST_TITLES = (
    ("references", "references"),
    ("bibliography", "references"),
    ("further reading", "references"),
    ("notes", "footnotes"),
    ("endnotes", "footnotes"),
    ("footnotes", "footnotes"),
)
LIST_KIND_PREFERENCE = ("sources", "references", "footnotes")  # where a bare number points first
TEXT_BLOCKS = ("paragraph", "list-item", "table-row")
LIST_BLOCKS = TEXT_BLOCKS + ("heading",)  # a sub-heading inside a list is a label, or a grants heading

# (style, pattern): a pattern matches a marker and the space after it; group "n" is the number.
MARKER_STYLES = (
    ("bracket-dotted", r"\[(?P<n>\d{1,2}\.\d{1,2})\]\s+"),
    ("paren-dotted", r"\((?P<n>\d{1,2}\.\d{1,2})\)\s+"),
    ("dotted", r"(?P<n>\d{1,2}\.\d{1,2})[.)]?\s+"),
    ("bracket", r"\[(?P<n>\d{1,3})\]\s*"),
    ("bracket-code", r"\[(?P<n>[A-Z]{1,2}\d{1,2})\]\s*"),
    ("bracket-letter", r"\[(?P<n>[A-Za-z])\]\s*"),
    ("paren", r"\((?P<n>\d{1,3})\)\s+"),
    ("paren-letter", r"\((?P<n>[a-z])\)\s+"),
    ("number-dot", r"(?P<n>\d{1,3})\.\s+"),
    ("number-paren", r"(?P<n>\d{1,3})\)\s+"),
    ("code", r"(?P<n>[RSC]\d{1,2})[.:)]?\s+"),
    ("roman", r"(?P<n>[ivx]{1,5})[.)]\s+"),
    ("letter-dot", r"(?P<n>[A-Za-z])\.\s+"),
    ("letter-paren", r"(?P<n>[A-Za-z])\)\s+"),
)
BRACKETED_STYLES = ("bracket-dotted", "paren-dotted", "bracket", "bracket-code", "bracket-letter", "paren", "paren-letter")
ROMAN_DIGITS = {"i": 1, "v": 5, "x": 10}
LETTER_STYLES = ("bracket-letter", "paren-letter", "letter-dot", "letter-paren", "roman")
INLINE_MARKER_AFTER = ".;:)]'\"”’"  # an unbracketed marker inside a block follows one of these

# A references list ends at the first of these (grants, funding and quality statements).
_STOP_LABEL = re.compile(
    r"(?:Key |Research |Related |Major |Relevant |Supporting |Main |External |Financial )?"
    r"(?:[Gg]rants?\b(?!\s+(?:of|from|to|for)\b)|[Ff]unding\b|[Ff]unders?\b"
    r"|Justification of [Qq]uality|Evidence of (?:[Rr]esearch )?[Qq]uality|Indicators? of (?:[Rr]esearch )?[Qq]uality"
    r"|Quality (?:of (?:the )?research|[Ii]ndicators?)|Research quality)"
)
_STOP_INLINE = re.compile(r"\s(?=" + _STOP_LABEL.pattern + r"\s*(?:[-–:]|\b(?:held|awarded|for this)\b))")
_PROSE_OPENER = re.compile(
    r"(?:The|This|These|Those|All|Note|Our|We|It|In|Each|Outputs? (?:listed|marked)|Highlighted|Underlined|Authors?)\b"
)
_LABEL = re.compile(r"[^.]{1,60}:|(?:[A-Z][\w-]*\s?){1,3}")

# --- Parsing an entry.

PLACES = (
    "London", "York", "Oxford", "Cambridge", "Edinburgh", "Bristol", "Kent", "Manchester", "Birmingham",
    "Leeds", "Glasgow", "Cardiff", "Belfast", "Dublin", "New York", "Basingstoke", "Abingdon", "Aldershot",
    "Farnham", "Brighton", "Canterbury", "Norwich", "Sheffield", "Liverpool", "Nottingham", "Newcastle",
    "Chicago", "Boston", "Washington", "Bath", "Southampton", "Milton Keynes", "Exeter", "Stirling", "Leicester",
)
PUBLISHER_WORDS = (
    "Press", "Publishing", "Publishers", "Books", "University", "Institute", "Unit", "Department", "Council",
    "Commission", "Committee", "Government", "Trust", "Foundation", "Office", "Centre", "Center", "Ministry",
    "House of Commons", "House of Lords", "HMSO", "Stationery Office", "Routledge", "Ashgate", "Springer",
    "Wiley", "Sage", "Palgrave", "Elsevier", "Blackwell", "Macmillan", "OUP", "CUP",
)
JOURNAL_WORDS = (
    "Journal", "Review", "Quarterly", "Bulletin", "Proceedings", "Magazine", "Annals", "Letters",
    "Transactions", "Studies", "Policy and", "Society",
)
ORG_SMALL_WORDS = ("of", "for", "and", "the", "&", "in", "on")
NOT_PUBLISHERS = ("DOI", "ISBN", "ISSN", "URL", "REF", "PDF")
DOI_SUFFIXES = ("/abstract", "/full", "/pdf", "/epdf", "/summary", "/fulltext")

_YEAR = r"(?:1[89]|20)\d{2}[a-z]?"
_YEAR_PAREN = re.compile(r",?\s*\(\s*(?P<year>" + _YEAR + r")(?:\s*[,;/]?\s*[A-Za-z][^()]{0,20})?\)[.,:]?")
_YEAR_BARE = re.compile(r",?\s*(?<![\d/\-–])(?P<year>" + _YEAR + r")[.,:]\s")
_YEAR_ANY = re.compile(r"(?<![\d/\-–.])(?P<year>" + _YEAR + r")(?![\d\-–/])")
_OPEN_QUOTE = re.compile(r"(?:^|(?<=[\s,(]))[`‘“\"']\s?(?=[\"“`‘']?[A-Z0-9])")
_CLOSE_QUOTE = "'’”\""
_INITIALS = re.compile(r"(?:[A-Z](?:[a-z])?\.?\s?-?)+\*?|[A-Z]{1,3}\*?")
_SURNAME = r"(?:(?:van|von|de|der|da|du|le|la|O'|Mc|Ó)\s?)*[A-Z][\w'’\-]+"
PERSON_SHAPES = (
    _SURNAME + r",\s(?:[A-Z]\.?\s?-?)+\*?",  # Glendinning, C. / Fernandez, J-L.
    r"(?:[A-Z]\.\s?-?)+\s?" + _SURNAME + r"\.?\*?",  # J. L. Hutton / P.O.D. Pharoah.
    _SURNAME + r"\s(?:[A-Z]\.?){1,3}\*?",  # Davies S. / Mondol JD
    r"[A-Z][a-z]+(?:\s[A-Z]\.)?\s" + _SURNAME + r"\.?\*?",  # Sally Johnson / Tommaso M. Milani
    r"et al\.?",
)
NOT_NAME_WORDS = ("The", "A", "An", "In", "On", "Letter", "Report", "Email", "See", "Available", "Review", "Statement")
_ORGANISATION = r"[A-Z][\w&'’\-]*(?:\s(?:[A-Z][\w&'’\-]*|of|for|and|the|&|on|in))*"
_NAME_BOUNDARY = re.compile(r"(?<=[a-z])\.\s+(?=[A-Z`‘“\"'(])|(?<=\b[A-Z])\.\s+(?=[A-Z`‘“\"'(])|,\s+(?=[A-Z`‘“\"'])")
AUTHORS_MAX_CHARS = 400
_DOI = re.compile(r"10\.\s?\d{4,9}\s?/\s?[^\s\"<>]+(?:(?<=-)\s[0-9A-Za-z][^\s\"<>]*)?")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"]+")
_TRAILING = ".,;:'\"’”>"

# --- Pointers in running text.

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPER_TO_DIGIT = str.maketrans(SUPERSCRIPTS, "0123456789")
_SUPERSCRIPT = re.compile(f"[{SUPERSCRIPTS}]+")
_GLUED = re.compile(r"(?<=[A-Za-z)\]'’\"”])(?P<n>[1-9]\d?)(?![\w%£$€])(?!\.\d)(?=[\s.,;:!?)\]'’\"”]|$)")
_BRACKETED = re.compile(r"[(\[](?P<inner>[^()\[\]]{1,40})[)\]]")
_BRACKET_PART = re.compile(r"(?:(?:refs?\.?|references?|sources?|see|output)\s*)?(?P<n>\d{1,3}(?:\.\d{1,2})?|[A-Z]\d{1,2}(?:\.\d{1,2})?)")
_BRACKET_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b)\s*")
_BRACKET_TRAILER = re.compile(r"\s+(?:below|above)$")
_NAMES = r"[A-Z][\w'’\-]+(?:\s+(?:[A-Z][\w'’\-]+|and|&|of|for|the))*?(?:\s+et\s+al\.?)?"
_CITE = re.compile(r"(?:(?:passim|see|e\.g\.|cf\.),?\s*)?(?P<cite>(?P<names>" + _NAMES + r"),?\s+(?P<year>" + _YEAR + r"))(?::\s*[\w .]+)?")
_NARRATIVE = re.compile(r"(?P<names>" + _NAMES + r")\s+\((?P<year>" + _YEAR + r")\)")


@dataclass(frozen=True)
class _Marker:
    style: str
    n: str
    start: int  # of the marker
    end: int  # of the marker and the space after it
    block_start: bool


@dataclass(frozen=True)
class _ListSection:
    kind: str
    start: int
    end: int
    ref: bool  # a REF template section: runs on over sub-headings to the next REF heading


def extract_citations(parsed: ParsedDocument) -> tuple[list[CitationEntry], list[Pointer]]:
    """The list entries of ``parsed`` and the pointers its running text makes to them."""
    text = parsed.text
    blocks = parsed.segmented.canonical.blocks
    line_start = raw_line_starts(parsed)
    entries: list[CitationEntry] = []
    for section in list_sections(parsed.segmented.sections):
        section_blocks = [
            b for b in blocks if b.kind in LIST_BLOCKS and section.start < b.start < section.end
        ]
        spans = split_entries(text, section_blocks, section.kind, line_start)
        entries.extend(
            parse_entry(parsed.doc_id, section.kind, n, text, start, end) for n, start, end in spans
        )
    entries.extend(
        parse_entry(parsed.doc_id, "footnotes", n, text, start, end) for n, start, end in footnote_spans(text, blocks)
    )
    body = body_spans(text, blocks, entries)
    pointers = find_pointers(parsed.doc_id, text, body, entries, parsed.segmented.sections)
    return entries, pointers


# --- Finding and splitting lists.


def list_kind_of(title: str | None) -> tuple[str, bool] | None:
    """("references", True) for a REF references section; ("references", False) for "Bibliography"."""
    if not title:
        return None
    key = re.sub(r"^[\d.\s]+|[\s:.]+$", "", title).lower()
    for name, kind in REF_LIST_TITLES:
        if key.startswith(name):
            return kind, True
    for name, kind in GENERIC_LIST_TITLES:
        if key == name or key.startswith(name + " and "):
            return kind, False
    return None


def list_sections(sections: list[Segment]) -> list[_ListSection]:
    """The list sections; a REF one runs on over the sub-headings its text makes ("Book chapters")
    to the next REF template heading."""
    out = []
    for i, section in enumerate(sections):
        found = list_kind_of(section.title)
        if not found:
            continue
        end = section.end
        if found[1]:
            for later in sections[i + 1 :]:
                if later.title in REF_LABELS:
                    break
                end = later.end
        out.append(_ListSection(found[0], section.start, end, found[1]))
    return out


def footnote_spans(text: str, blocks: list[Block]) -> list[tuple[str, int, int]]:
    """(n, start, end) of each footnote block's text after its superscript marker."""
    out = []
    for block in blocks:
        marker = _SUPERSCRIPT.match(text, block.start) if block.kind == "footnote" else None
        if marker:
            start = _skip_space(text, marker.end(), block.end)
            out.append((marker.group().translate(_SUPER_TO_DIGIT), start, block.end))
    return out


def raw_line_starts(parsed: ParsedDocument) -> frozenset[int]:
    """Canonical offsets that began a line of the text as read (where reflowing joined lines)."""
    raw = parsed.segmented.read.text
    offsets = parsed.segmented.canonical.offsets
    starts = {m.end() for m in re.finditer(r"\n[ \t]*", raw)}
    return frozenset(c for c, r, copied in zip(offsets.canon, offsets.read, offsets.copied) if r in starts)


def split_entries(
    text: str, blocks: list[Block], kind: str, line_starts: frozenset[int] = frozenset()
) -> list[tuple[str | None, int, int]]:
    """(n, start, end) of each entry of a list section's blocks, numbered or not. ``line_starts``:
    offsets where a line of the text as read began; a marker there counts inside a block."""
    if not blocks:
        return []
    markers = numbered_markers(text, blocks, line_starts)
    if markers:
        return _numbered_entries(text, blocks, markers, kind)
    return _unnumbered_entries(text, blocks, kind)


def marker_at(text: str, pos: int) -> _Marker | None:
    """The list marker starting at ``pos``, in the first style that matches."""
    for style, pattern in MARKER_STYLES:
        match = re.compile(pattern).match(text, pos)
        if match:
            return _Marker(style, match.group("n"), pos, match.end(), True)
    return None


def ordinal(marker: _Marker) -> tuple[str, int]:
    """A marker's place in its sequence: ("", 3) for "3.", ("lower", 3) for "c)", ("3", 2) for "3.2",
    ("R", 1) for "R1", ("roman", 4) for "iv."."""
    n = marker.n
    if marker.style == "roman":
        return "roman", roman_value(n)
    if "." in n:
        major, minor = n.split(".")
        return major, int(minor)
    if n.isdigit():
        return "", int(n)
    if len(n) == 1:
        return ("lower" if n.islower() else "upper"), ord(n.lower()) - ord("a") + 1
    return n.rstrip("0123456789"), int(n.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))


def roman_value(numeral: str) -> int:
    values = [ROMAN_DIGITS[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def numbered_markers(text: str, blocks: list[Block], line_starts: frozenset[int] = frozenset()) -> list[_Marker]:
    """The markers of the list's numbering, in sequence; empty if it is not numbered. Of several
    numberings (references "1." then grants "i)") the one that starts first wins."""
    starts = [m for m in (marker_at(text, b.start) for b in blocks if b.kind != "heading") if m]
    best: list[_Marker] = []
    for style in dict.fromkeys(m.style for m in starts):
        sequence = _sequence(text, [b for b in blocks if b.kind != "heading"], style, line_starts)
        minimum = 1 if style not in LETTER_STYLES else 2
        if len(sequence) >= minimum and (not best or (sequence[0].start, -len(sequence)) < (best[0].start, -len(best))):
            best = sequence
    return best


def _sequence(text: str, blocks: list[Block], style: str, line_starts: frozenset[int]) -> list[_Marker]:
    """Markers of ``style`` at block starts or inside blocks, kept while each follows the last."""
    pattern = re.compile(dict(MARKER_STYLES)[style])
    candidates: list[_Marker] = []
    for block in blocks:
        for match in pattern.finditer(text, block.start, block.end):
            at_start = match.start() == block.start
            if at_start or match.start() in line_starts or _inline_marker_ok(text, match.start(), block.start, style):
                candidates.append(_Marker(style, match.group("n"), match.start(), match.end(), at_start))
    sequence: list[_Marker] = []
    first = _first_marker(candidates, style)
    for candidate in candidates:
        prefix, value = ordinal(candidate)
        if not sequence:
            if candidate is first:
                sequence.append(candidate)
            continue
        last_prefix, last_value = ordinal(sequence[-1])
        if prefix == last_prefix and value == last_value + 1:
            sequence.append(candidate)
    return sequence


def _first_marker(candidates: list[_Marker], style: str) -> _Marker | None:
    """The list's first marker: one numbered 1 at a block start or, for numbers, the first at a
    block start (a sources list may go on from the references' numbering: "10.", "11.")."""
    starts = [c for c in candidates if c.block_start]
    ones = [c for c in starts if ordinal(c)[1] == 1]
    if ones:
        return ones[0]
    return starts[0] if starts and style not in LETTER_STYLES else None


def _inline_marker_ok(text: str, pos: int, block_start: int, style: str) -> bool:
    if pos == block_start or not text[pos - 1].isspace():
        return False
    if style in BRACKETED_STYLES:
        return True
    before = text[block_start:pos].rstrip()
    return bool(before) and before[-1] in INLINE_MARKER_AFTER


def _numbered_entries(
    text: str, blocks: list[Block], markers: list[_Marker], kind: str
) -> list[tuple[str | None, int, int]]:
    out: list[tuple[str | None, int, int]] = []
    section_end = blocks[-1].end
    for i, marker in enumerate(markers):
        following = markers[i + 1].start if i + 1 < len(markers) else section_end
        end, stopped = _entry_end(text, blocks, marker.end, following, last=i + 1 == len(markers), kind=kind)
        end = _cut_at_stop(text, marker.end, end, kind)
        if end > marker.end:
            out.append((marker.n, marker.end, end))
        if stopped:
            break
    return out


def _entry_end(text: str, blocks: list[Block], start: int, limit: int, last: bool, kind: str) -> tuple[int, bool]:
    """Where an entry starting at ``start`` ends (its block and the blocks that go on with it), and
    whether a grants or quality statement after it ends the list."""
    end = start
    for block in blocks:
        if block.end <= start:
            continue
        if block.start >= limit:
            break
        body = text[block.start : block.end]
        if end > start:
            if kind == "references" and _STOP_LABEL.match(body):
                return _trim(text, start, end), True
            after = next((b.start for b in blocks if b.start > block.start), limit)
            sub_heading = block.kind == "heading" and after >= limit  # a wrapped fragment is no heading
            label = sub_heading or _is_label(body) or bool(_PROSE_OPENER.match(body))
            joins = not label and (_continues(text[start:end], body) if last else True)
            if not joins:
                break
        end = min(block.end, limit)
    stops = kind == "references" and any(
        _STOP_LABEL.match(text, b.start, b.end) for b in blocks if end <= b.start < limit
    )
    return _trim(text, start, end), stops


def _continues(previous: str, following: str) -> bool:
    """A block that goes on with the one before: hard wrapping split them."""
    if _STOP_LABEL.match(following) or _PROSE_OPENER.match(following) or following.startswith("("):
        return False
    if following[:1].islower() or following.lower().startswith(("doi", "10.", "http", "www.")):
        return True
    return not re.search(r"[.!?:]['’”)]*$", previous) and len(following.split()) <= 12


def _cut_at_stop(text: str, start: int, end: int, kind: str) -> int:
    """Cut a references entry at a glued-on grants or quality statement ("... Grants - Four grants")."""
    match = _STOP_INLINE.search(text, start, end) if kind == "references" else None
    return _trim(text, start, match.start()) if match else end


def _unnumbered_entries(text: str, blocks: list[Block], kind: str) -> list[tuple[str | None, int, int]]:
    spans: list[tuple[int, int]] = []
    for block in blocks:
        body = text[block.start : block.end]
        if kind == "references" and _STOP_LABEL.match(body):
            break
        if block.kind == "heading" or _is_label(body) or _is_prose(body):
            continue
        if spans and _continues(text[spans[-1][0] : spans[-1][1]], body) and block.kind != "list-item":
            spans[-1] = (spans[-1][0], block.end)
            continue
        spans.append((block.start, _cut_at_stop(text, block.start, block.end, kind)))
    numbered = kind == "sources"
    return [(str(i) if numbered else None, start, end) for i, (start, end) in enumerate(spans, start=1)]


def _is_label(body: str) -> bool:
    """A short heading-like line inside a list: "Key Outputs:", "Testimonials", "Websites:"."""
    return bool(_LABEL.fullmatch(body.strip())) and not _URL.search(body) and not _YEAR_ANY.search(body)


def _is_prose(body: str) -> bool:
    """A sentence about the list rather than an entry of it: "The study was the first robust..."."""
    return bool(_PROSE_OPENER.match(body)) and not (_URL.search(body) or _DOI.search(body) or _YEAR_PAREN.search(body))


def _trim(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " \n\t":
        end -= 1
    return end


def _skip_space(text: str, pos: int, end: int) -> int:
    while pos < end and text[pos] in " \t":
        pos += 1
    return pos


# --- Parsing one entry.


def parse_entry(doc_id: str, kind: str, n: str | None, text: str, start: int, end: int) -> CitationEntry:
    entry = text[start:end]
    authors, year, rest = authors_and_year(entry)
    title, after = title_of(rest) if rest is not None else (None, "")
    container, publisher = container_and_publisher(after)
    return CitationEntry(
        doc_id=doc_id,
        list_kind=kind,
        n=n,
        start=start,
        end=end,
        text=entry,
        authors=authors,
        year=year or _first_year(entry),
        title=title,
        container=container,
        publisher=publisher,
        doi=find_doi(entry),
        url=find_url(entry),
    )


def authors_and_year(entry: str) -> tuple[tuple[str, ...], str | None, str | None]:
    """Authors, year and the text after them (where the title starts), or ((), None, None).

    Author-date ("Moran, N. (2010) Title"), author-quoted-title ("Hamber, B. `Title' (2010)"),
    then names up to a ", " or ". " ("J. L. Hutton and P. F. Monaghan. Title", "Crawford C,
    Sprott C. Title", "Clive Upton, David Parry and J.D.A. Widdowson, Title").
    """
    year_match = _YEAR_PAREN.search(entry) or _YEAR_BARE.search(entry)
    quote = _OPEN_QUOTE.search(entry)
    if year_match and (not quote or year_match.start() < quote.start()):
        authors = split_authors(entry[: year_match.start()])
        if authors:
            return authors, year_match.group("year"), entry[year_match.end() :]
    if quote:
        authors = split_authors(entry[: quote.start()], people_only=True)
        if authors:
            return authors, year_match.group("year") if year_match else None, entry[quote.start() :]
    best: tuple[tuple[str, ...], int] | None = None
    for boundary in _NAME_BOUNDARY.finditer(entry, 0, AUTHORS_MAX_CHARS):
        authors = split_authors(entry[: boundary.start() + (entry[boundary.start()] == ".")], people_only=True)
        if authors:
            best = authors, boundary.end()
        elif best and not re.search(r"\b[A-Z]\.?\s*$", entry[: boundary.start()]):
            break
    if best:
        return best[0], None, entry[best[1] :]
    return (), None, None


def split_authors(part: str, people_only: bool = False) -> tuple[str, ...]:
    """("Glendinning, C.", "Moran, N.") from "Glendinning, C., Moran, N. and"; () if not names.

    One organisation ("DH", "Audit Commission") counts as a name unless ``people_only``."""
    part = part.strip(" ,;:")
    if not part or len(part) > AUTHORS_MAX_CHARS or re.search(r"\d|https?:|www\.", part):
        return ()
    part = re.sub(r"\s*\((?:eds?\.?|with [^)]*|ed\.?,[^)]*)\)$|,?\s+eds?\.?$", "", part)
    authors: list[str] = []
    for token in filter(None, re.split(r",?\s+(?:and|&)\s+|,\s*", part)):
        if _INITIALS.fullmatch(token) and authors and "," not in authors[-1] and " " not in authors[-1]:
            authors[-1] = f"{authors[-1]}, {token}"
        else:
            authors.extend(re.split(r"\s+(?=et al)", token))
    if len(authors) == 2 and re.fullmatch(r"[A-Z][a-z]+", authors[1]) and " " not in authors[0]:
        authors = [f"{authors[0]}, {authors[1]}"]  # "Lundy, Patricia"
    authors = [a if a.startswith("et al") else re.sub(r"(?<=[a-z]{2})\.$|^([^,.]+ [A-Z]{1,3})\.$", r"\1", a) for a in authors]
    if all(_is_person(a) for a in authors):
        return tuple(authors)
    organisation = len(authors) == 1 and re.fullmatch(_ORGANISATION, authors[0]) and len(authors[0].split()) <= 7
    return tuple(authors) if organisation and not people_only else ()


def _is_person(name: str) -> bool:
    return any(re.fullmatch(shape, name) for shape in PERSON_SHAPES) and name.split()[0] not in NOT_NAME_WORDS


def _first_year(entry: str) -> str | None:
    match = _YEAR_ANY.search(entry)
    return match.group("year") if match else None


def title_of(rest: str) -> tuple[str | None, str]:
    """The title at the start of ``rest`` and the text after it."""
    rest = re.sub(r"^[\s.,:;]*(?:\((?:eds?|with)\b[^)]*\)[\s.,:;]*)?", "", rest)
    if not rest:
        return None, ""
    if rest[0] in "`‘“\"'":
        close = _closing_quote(rest)
        if close > 0:
            return rest[1:close].strip(" ,."), rest[close + 1 :]
    for boundary in re.finditer(r"(?<![\s.(][A-Z])[,.]\s+|\s+(?=\()", rest):
        after = rest[boundary.end() :]
        if is_container(after) or place_at(after) or publisher_at(after) or after.startswith("("):
            return rest[: boundary.start()].strip(" ,"), after
    stop = re.search(r"\.\s|\s(?:https?://|www\.|doi|DOI)", rest)
    return (rest[: stop.start()] if stop else rest).strip(" ,."), rest[stop.end() :] if stop else ""


def _closing_quote(rest: str) -> int:
    for i in range(1, len(rest)):
        if rest[i] in _CLOSE_QUOTE and (i + 1 == len(rest) or not rest[i + 1].isalnum()):
            return i
    return -1


def is_container(text: str) -> bool:
    """A journal name here: followed by a volume number, or named like one."""
    match = re.match(r"(?:[Ii]n:?\s+)?([A-Z][^,.;:()]{1,80}?)\.?,?\s*(?:[Vv]ol\.?\s*)?(\d+|\()", text)
    name = re.match(r"([A-Z][^,.;()]{1,80})", text)
    return bool(match and not re.fullmatch(_YEAR, match.group(2))) or bool(
        name and any(w in name.group(1) for w in JOURNAL_WORDS) and not publisher_at(text)
    )


def place_at(text: str) -> str | None:
    for place in PLACES:
        if re.match(re.escape(place) + r"(?:[,:]\s|\s(?=[A-Z])|\.?$)", text):
            return place
    return None


def publisher_at(text: str) -> str | None:
    """An organisation's name at the start of ``text``: "Social Policy Research Unit", "ODI"."""
    segment = re.match(r"[^,.;:()]+", text)
    if not segment:
        return None
    words = segment.group().split()
    title_case = all(w[:1].isupper() or w in ORG_SMALL_WORDS for w in words)
    keyword = any(w in segment.group() for w in PUBLISHER_WORDS)
    acronym = re.fullmatch(r"[A-Z]{2,6}", segment.group().strip()) is not None and segment.group().strip() not in NOT_PUBLISHERS
    return segment.group().strip() if title_case and (keyword or acronym) and len(words) <= 9 else None


def container_and_publisher(after: str) -> tuple[str | None, str | None]:
    """The journal or book, and the publisher, in the text after an entry's title."""
    after = re.sub(r"^[\s.,:;]*(?:\(\s*" + _YEAR + r"\s*\)[\s.,:;]*)?", "", after)
    container = None
    if is_container(after) and not publisher_at(after):
        match = re.match(r"(?:[Ii]n:?\s+)?([A-Z][^,;()]*?)(?=\.?,?\s*(?:[Vv]ol\.?\s*)?\d|[,;(]|\.\s|\.?$)", after)
        if match:
            container = match.group(1).strip(" .")
            after = after[match.end() :]
    return container, _publisher(after) if container is None else None


def _publisher(after: str) -> str | None:
    segments: list[str] = []
    text = after.lstrip(" .,:;(")
    place = place_at(text)
    if place:
        text = text[len(place) :].lstrip(" ,:")
    while text:
        if place_at(text) and segments:
            break
        name = publisher_at(text) if not segments or not place else re.match(r"[^,.;:()]+", text)
        if isinstance(name, re.Match):
            name = name.group().strip() if publisher_at(text) or re.fullmatch(r"[A-Z]{2,6}", name.group().strip()) else None
        if not name:
            break
        segments.append(name)
        text = text[text.index(name) + len(name) :]
        if not text.startswith(", "):
            break
        text = text[2:]
    return ", ".join(segments) or None


def find_doi(entry: str) -> str | None:
    """The DOI an entry gives, as "10.xxxx/...", joined where wrapping broke it and cleaned of trailers."""
    match = _DOI.search(entry)
    if not match:
        return None
    doi = re.sub(r"\s", "", match.group())
    for suffix in DOI_SUFFIXES:
        if suffix in doi:
            doi = doi[: doi.index(suffix)]
    doi = re.split(r"\((?=[A-Z][a-z])", doi)[0]
    doi = doi.rstrip(_TRAILING)
    while doi.endswith((")", "]")) and doi.count("(") < doi.count(")") + (doi.endswith("]") and doi.count("[") < doi.count("]")):
        doi = doi[:-1].rstrip(_TRAILING)
    return doi if "/" in doi and len(doi.split("/", 1)[1]) > 1 else None


def find_url(entry: str) -> str | None:
    match = _URL.search(entry)
    if not match:
        return None
    url = match.group().rstrip(_TRAILING)
    while url.endswith(")") and url.count("(") < url.count(")"):
        url = url[:-1].rstrip(_TRAILING)
    return url


# --- Pointers.


def body_spans(text: str, blocks: list[Block], entries: list[CitationEntry]) -> list[tuple[int, int]]:
    """The running text: text blocks, less the list entries (and their markers) and footnotes."""
    taken = sorted((e.start, e.end) for e in entries)
    spans: list[tuple[int, int]] = []
    for block in blocks:
        if block.kind not in TEXT_BLOCKS:
            continue
        pos = block.start
        for start, end in taken:
            if end <= pos or start >= block.end:
                continue
            marker_start = _marker_start(text, block.start, start)
            if marker_start > pos:
                spans.append((pos, marker_start))
            pos = max(pos, end)
        if pos < block.end:
            spans.append((pos, block.end))
    return spans


def _marker_start(text: str, block_start: int, entry_start: int) -> int:
    """Where the list marker before an entry starts (the entry itself if it has none)."""
    head = text[block_start:entry_start]
    match = re.search(r"\S+\s*$", head)
    return block_start + match.start() if match and marker_at(text, block_start + match.start()) else entry_start


def find_pointers(
    doc_id: str, text: str, body: list[tuple[int, int]], entries: list[CitationEntry], sections: list[Segment]
) -> list[Pointer]:
    lists: dict[str, list[CitationEntry]] = {}
    for entry in entries:
        lists.setdefault(entry.list_kind, []).append(entry)
    pointers: list[Pointer] = []
    for start, end in body:
        pointers.extend(glued_pointers(doc_id, text, start, end, lists))
        pointers.extend(bracketed_pointers(doc_id, text, start, end, lists, _section_title(sections, start)))
        pointers.extend(superscript_pointers(doc_id, text, start, end, lists))
        pointers.extend(author_year_pointers(doc_id, text, start, end, entries))
    return sorted(pointers, key=lambda p: (p.start, p.end))


def _section_title(sections: list[Segment], offset: int) -> str:
    inner = [s for s in sections if s.start <= offset < s.end]
    return (inner[-1].title or "") if inner else ""


def glued_pointers(
    doc_id: str, text: str, start: int, end: int, lists: dict[str, list[CitationEntry]]
) -> list[Pointer]:
    """Numbers glued to a word, bracket or quote: "(DH, 2008)1", "PBs9", "contentious'6"."""
    kind = next((k for k in ("sources", "references") if lists.get(k)), None)
    if kind is None:
        return []
    numbers = {e.n for e in lists[kind]}
    out = []
    for match in _GLUED.finditer(text, start, end):
        n = match.group("n")
        if n in numbers and _glued_word_ok(text, start, match.start()):
            out.append(Pointer(doc_id, n, match.start(), match.end(), "glued-number", kind, n))
    return out


def _glued_word_ok(text: str, start: int, pos: int) -> bool:
    """Not "P2", "CO2", "K2P1", "p16": the word a number is glued to must be a real word or a closing mark."""
    if not text[pos - 1].isalpha():
        return True
    word = re.search(r"[\w]+$", text[start:pos])
    letters = word.group() if word else ""
    if any(c.isdigit() for c in letters):
        return False
    return len(letters) >= 3 or letters.isupper() is False and len(letters) >= 2


def bracketed_pointers(
    doc_id: str, text: str, start: int, end: int, lists: dict[str, list[CitationEntry]], section: str
) -> list[Pointer]:
    """Bracketed numbers: "(25)", "[3.5]", "[R2]", "(1 & 2 below)"; unresolved if no list has them."""
    out = []
    prefer = ("references",) if re.search(r"underpinning|references", section, re.I) else LIST_KIND_PREFERENCE
    for match in _BRACKETED.finditer(text, start, end):
        inner = _BRACKET_TRAILER.sub("", match.group("inner"))
        parts = _BRACKET_SPLIT.split(inner)
        found = [_BRACKET_PART.fullmatch(p) for p in parts]
        if not all(found) or any(p.group("n").isdigit() and int(p.group("n")) == 0 for p in found):
            continue
        base = match.start("inner")
        offset = 0
        for part, part_match in zip(parts, found):
            offset = inner.index(part, offset)
            n = part_match.group("n")
            kind = _list_holding(lists, n, prefer)
            p_start = base + offset + part_match.start("n")
            out.append(Pointer(doc_id, n, p_start, p_start + len(n), "bracketed-number", kind, n if kind else None))
            offset += len(part)
    return out


def _list_holding(lists: dict[str, list[CitationEntry]], n: str, prefer: tuple[str, ...]) -> str | None:
    kinds = prefer + tuple(k for k in LIST_KIND_PREFERENCE if k not in prefer)
    return next((k for k in kinds if any(e.n == n for e in lists.get(k, ()))), None)


def superscript_pointers(
    doc_id: str, text: str, start: int, end: int, lists: dict[str, list[CitationEntry]]
) -> list[Pointer]:
    notes = {e.n for e in lists.get("footnotes", ())}
    out = []
    for match in _SUPERSCRIPT.finditer(text, start, end):
        n = match.group().translate(_SUPER_TO_DIGIT)
        out.append(Pointer(doc_id, match.group(), match.start(), match.end(), "superscript", "footnotes", n if n in notes else None))
    return out


def author_year_pointers(
    doc_id: str, text: str, start: int, end: int, entries: list[CitationEntry]
) -> list[Pointer]:
    """"(Newbronner et al., 2011)", "(DH, 2008)", and "DH (2010)" where an entry or "et al." backs it."""
    out = []
    for match in _BRACKETED.finditer(text, start, end):
        offset = 0
        for part in match.group("inner").split(";"):
            cite = _CITE.fullmatch(part.strip())
            if cite:
                p_start = match.start("inner") + offset + part.index(part.strip()) + cite.start("cite")
                out.append(_author_year(doc_id, text, p_start, p_start + len(cite.group("cite")), cite, entries))
            offset += len(part) + 1
    for match in _NARRATIVE.finditer(text, start, end):
        pointer = _author_year(doc_id, text, match.start(), match.end(), match, entries)
        if pointer.target is not None or "et al" in match.group("names"):
            out.append(pointer)
    return out


def _author_year(doc_id: str, text: str, start: int, end: int, match: re.Match, entries: list[CitationEntry]) -> Pointer:
    entry = matching_entry(match.group("names"), match.group("year"), entries)
    return Pointer(
        doc_id, text[start:end], start, end, "author-year",
        entry.list_kind if entry else None, entry.n if entry else None,
    )


def matching_entry(names: str, year: str, entries: list[CitationEntry]) -> CitationEntry | None:
    """The first entry with this year whose first author is the name cited first."""
    first = re.split(r"\s+(?:and|&|et\s+al)\b|,", names)[0].strip()
    for entry in entries:
        if entry.year == year and entry.authors and entry.n is not None:
            author = entry.authors[0]
            surname = author.split(",")[0].strip()
            if first in (author, surname) or surname.split()[-1:] == [first]:
                return entry
    return None
