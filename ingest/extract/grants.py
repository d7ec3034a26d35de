"""Grants: the funding a document states, as ``Grant`` records (funder, amount, period, title).

Rule-based over the canonical text of each text block, in two passes. The first reads grant-list
entries written "title, period, funder (£amount)", as in REF case studies ("IBSEN development
work, 1/4/2006 to 31/12/2006, DH (£12,545)"), several of which may share one block. The second
reads any other sentence that has a grant cue ("grant", "funded by", "award", "Funder:") and an
amount: each amount is one grant, read from the stretch of text between its neighbouring amounts,
with the funder taken from a label ("Funder: ESRC", "funded by the Nuffield Foundation", "from the
Leverhulme Trust"), else the known funder (``FUNDERS``) or organisation name nearest the amount,
the period nearest it ("2008-2010", "Jan 2006 - Sept 2007") and a quoted title where there is one.
Nothing is invented: what a statement does not say stays ``None``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..records import Grant, ParsedDocument

FUNDERS = (
    "Department for Work and Pensions", "Department of Health", "Economic and Social Research Council",
    "Medical Research Council", "Arts and Humanities Research Council",
    "Engineering and Physical Sciences Research Council", "National Institute for Health Research",
    "Biotechnology and Biological Sciences Research Council", "Natural Environment Research Council",
    "Science and Technology Facilities Council", "Wellcome Trust", "Leverhulme Trust",
    "Nuffield Foundation", "Joseph Rowntree Foundation", "Big Lottery Fund", "Heritage Lottery Fund",
    "European Commission", "European Research Council", "British Academy", "Royal Society",
    "British Heart Foundation", "Cancer Research UK", "Arts Council England", "Innovate UK",
    "Technology Strategy Board", "DWP", "DH", "DoH", "ESRC", "NIHR", "MRC", "AHRC", "AHRB", "EPSRC",
    "BBSRC", "NERC", "STFC", "RCUK", "ERC", "Defra", "DEFRA", "DfID", "DFID", "DfE", "JRF", "EU",
)  # fmt: skip
CURRENCIES = {"£": "GBP", "€": "EUR", "$": "USD"}
MAGNITUDES = {"k": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}  # looked up in lower case

_YEAR = r"(?:19|20)\d\d"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATE = rf"(?:\d{{1,2}}/\d{{1,2}}/{_YEAR}|(?:\d{{1,2}}\s)?{_MONTH}\s{_YEAR})"
_TO = r"\s?(?:to|-|–|—)\s?"
PERIOD = rf"(?:{_DATE}{_TO}{_DATE}|{_YEAR}{_TO}(?:{_YEAR}|\d{{1,2}})(?![\d/]))"
# A magnitude letter stands apart from its number ("£2.4 M") only after a number with no thousands
# separators: after "£140,400" a letter is the next word's ("£140,400 M Dickinson (PI)").
AMOUNT = (
    r"(?P<cur>[£€$])\s?(?:(?P<grouped>\d{1,3}(?:,\s?\d{3}(?!\d))+(?:\.\d+)?)(?:(?P<grouped_mag>[mMkK])\b|\s?(?P<grouped_word>(?i:million|billion|bn))\b)?"
    r"|(?P<plain>\d+(?:\.\d+)?)(?:\s?(?P<plain_mag>(?i:million|billion|bn)|[mMkK])\b)?)"
)

LIST_ENTRY_RE = re.compile(
    r"(?P<title>[A-Z][^,()\n]*?),\s(?P<period>" + PERIOD + r"),\s(?P<funder>[A-Z][\w&' ]*?)\s?\(" + AMOUNT + r"\)"
)
AMOUNT_RE = re.compile(AMOUNT)
PERIOD_RE = re.compile(PERIOD)
CUE_RE = re.compile(r"\b(?:grants?|funded|funding|funder|awards?|awarded|fellowship|studentship)\b", re.I)
_NAME = r"(?P<funder>[A-Z][\w&'-]*(?:\s(?:of|for|and|&|the|[A-Z][\w&'-]*))*)"
LABELLED_FUNDER_RE = re.compile(
    r"(?:\b(?i:funder|awarded by|sponsor)\s?:\s?|\b(?:funded|awarded|supported|sponsored)\sby\s(?:the\s)?)" + _NAME
)
FROM_FUNDER_RE = re.compile(r"\bfrom\s(?:the\s)?" + _NAME)
# Words that end a funder's name and start the scheme's: "AHRC Standard Research Grant".
SCHEME_WORDS_RE = re.compile(
    r"\s(?:Standard|Small|Large|Research|Project|Programme|Grant|Award|Fellowship|Studentship|Scheme|Network)\b.*"
)
KNOWN_FUNDER_RE = re.compile(r"\b(?:" + "|".join(re.escape(f) for f in FUNDERS) + r")\b")
ORGANISATION_RE = re.compile(
    r"\b(?:[A-Z][\w&'-]*\s(?:(?:of|for|and|&)\s)?){1,5}"
    r"(?:Foundation|Trust|Council|Agency|Fund|Board|Institute|Commission|Society|Academy|Department|Ministry|Office)\b"
    r"(?:\s(?:of|for|on)\s[A-Z][\w&'-]*(?:\s(?:and\s|&\s)?[A-Z][\w&'-]*){0,3})?"
)
CUE_DISTANCE = 60  # an amount with no funder counts as a grant only this close to a cue
QUOTED_TITLE_RE = re.compile(r"(?:(?<=\s)|^)[`‘'\"“](?P<title>[^`‘’'\"“”]{5,200})[’'\"”]")
TRAILING_WORDS_RE = re.compile(r"(?:\s(?:of|for|and|&|the))+$")


@dataclass(frozen=True)
class Amount:
    """An amount of money in a block: offsets into the block, value and currency."""

    start: int
    end: int
    value: float
    currency: str


def parse_amount(match: re.Match) -> Amount:
    """The ``Amount`` an ``AMOUNT`` match states: "£784,224", "£64k", "£1.2 million", "$3.85 Million"."""
    number = match.group("grouped") or match.group("plain")
    magnitude = match.group("grouped_mag") or match.group("grouped_word") or match.group("plain_mag") or ""
    value = float(re.sub(r"[,\s]", "", number)) * MAGNITUDES.get(magnitude.lower(), 1)
    return Amount(match.start(), match.end(), value, CURRENCIES[match.group("cur")])


def list_entries(text: str) -> list[tuple[int, int, str, str, str, Amount]]:
    """Grant-list entries "title, period, funder (£amount)" in ``text``: (start, end, title,
    period, funder, amount), one per entry even where entries share a line."""
    return [
        (m.start(), m.end(), m.group("title").strip(), m.group("period"), m.group("funder").strip(), parse_amount(m))
        for m in LIST_ENTRY_RE.finditer(text)
    ]


def nearest(matches: list[re.Match], at: int) -> re.Match | None:
    """Of ``matches``, the one closest to offset ``at``."""
    return min(matches, key=lambda m: min(abs(m.start() - at), abs(m.end() - at)), default=None)


def funder_in(window: str, at: int) -> re.Match | None:
    """The funder a stretch of text names for the amount at offset ``at``: a labelled funder
    first, then a known funder, then any organisation name; the one nearest the amount."""
    for pattern in (LABELLED_FUNDER_RE, KNOWN_FUNDER_RE, ORGANISATION_RE, FROM_FUNDER_RE):
        found = nearest(list(pattern.finditer(window)), at)
        if found is not None:
            return found
    return None


def funder_name(match: re.Match) -> str:
    """The funder's name from a ``funder_in`` match: a known funder it opens with, else the
    name without the scheme that follows it ("AHRC Standard Research Grant" -> "AHRC")."""
    if "funder" not in match.groupdict():
        return match.group(0)
    name = match.group("funder").strip()
    known = KNOWN_FUNDER_RE.match(name)
    if known:
        return known.group(0)
    return TRAILING_WORDS_RE.sub("", SCHEME_WORDS_RE.sub("", name)) or name


def statement_grants(text: str, start: int, end: int) -> list[tuple[int, int, str | None, str | None, str | None, Amount]]:
    """Grants stated in the sentence ``text[start:end]``: (start, end, title, period, funder,
    amount) for each amount, read from the text between it and its neighbouring amounts."""
    sentence = text[start:end]
    if not CUE_RE.search(sentence):
        return []
    amounts = [parse_amount(m) for m in AMOUNT_RE.finditer(sentence)]
    grants = []
    for i, amount in enumerate(amounts):
        low = amounts[i - 1].end if i else 0
        high = amounts[i + 1].start if i + 1 < len(amounts) else len(sentence)
        window = sentence[low:high]
        at = amount.start - low
        funder = funder_in(window, at)
        near = window[max(0, at - CUE_DISTANCE) : amount.end - low + CUE_DISTANCE]
        if funder is None and not CUE_RE.search(near):
            continue
        period = nearest(list(PERIOD_RE.finditer(window)), at)
        title = QUOTED_TITLE_RE.search(window)
        parts = [m for m in (funder, period, title) if m is not None]
        span_start = min([at] + [m.start() for m in parts]) + low + start
        span_end = max([amount.end - low] + [m.end() for m in parts]) + low + start
        grants.append(
            (
                span_start,
                span_end,
                title.group("title").strip() if title else None,
                period.group(0) if period else None,
                funder_name(funder) if funder else None,
                Amount(amount.start + start, amount.end + start, amount.value, amount.currency),
            )
        )
    return grants


def _sentence_bounds(parsed: ParsedDocument, start: int, end: int) -> list[tuple[int, int]]:
    inside = [(s.start, s.end) for s in parsed.segmented.sentences if start <= s.start and s.end <= end]
    return sorted(inside) or [(start, end)]


def extract_grants(parsed: ParsedDocument) -> list[Grant]:
    """Every grant stated in the text blocks of ``parsed``, in text order."""
    text = parsed.text
    grants: list[Grant] = []
    for block in parsed.segmented.canonical.blocks:
        if block.kind == "heading":
            continue
        found = [
            (block.start + s, block.start + e, title, period, funder, amount)
            for s, e, title, period, funder, amount in list_entries(text[block.start : block.end])
        ]
        for s_start, s_end in _sentence_bounds(parsed, block.start, block.end):
            found.extend(
                g for g in statement_grants(text, s_start, s_end)
                if all(g[5].start >= f[1] or g[5].end <= f[0] for f in found)
            )  # fmt: skip
        grants.extend(
            Grant(parsed.doc_id, s, e, text[s:e], funder, amount.value, amount.currency, period, title)
            for s, e, title, period, funder, amount in found
        )
    return sorted(grants, key=lambda g: g.start)
