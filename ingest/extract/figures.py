"""Figures: the quantities a document states, as ``Figure`` records with what they measure.

Two stages, both pure. ``find_figure_spans`` is a regular-expression pass over one block of
canonical text that finds money ("£279 per week", "£4million", "£1.2bn"), percentages ("27%",
"Forty per cent"), ratios ("9 out of 130"), periods ("2005-2008", "2006-8", "between 2005 and
2008", "1/4/2006 to 31/3/2008") and count candidates (a number before a word), after masking
what only looks like a figure: URLs, DOIs, list and reference markers, page references, journal
volume/issue/pages, document numbers ("Report 37", "Session 2009-10") and years standing alone as
dates. The spaCy stage then keeps a count only where the number modifies a following plural noun
("13 local authorities", "Thirteen LAs", "over 500 people", "1.75 million", "seven of the pilots")
and finds each figure's ``measure`` (the noun phrase it quantifies), ``group`` (whom it is for) and
``comparator`` (the figure it is compared with: "£279 per week, compared with £296 in the
comparison group"; "increased from 6.5% in 2008-09 to 13% in 2009-10"), where the pair share the
measure and the rate unit. Durations ("6 months", "three-year study") and frequencies ("three times
annually") are not figures here: they describe method, not policy quantities.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from ..records import Figure, ParsedDocument, Segment

WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100,
}  # fmt: skip
TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
MAGNITUDES = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}
RATE_UNITS = {"week": "GBP/week", "weekly": "GBP/week", "year": "GBP/year", "annum": "GBP/year",
              "annually": "GBP/year"}  # fmt: skip
QUANTIFIERS = ("almost", "around", "about", "approximately", "nearly", "over", "more than",
               "less than", "fewer than", "under", "up to", "at least", "some", "roughly")  # fmt: skip
# A number right after one of these words names a thing rather than counting: "Report 37".
IDENTIFIER_WORDS = (
    "report", "briefing", "session", "volume", "vol", "page", "pages", "p", "pp", "no", "number",
    "phase", "act", "bill", "chapter", "section", "table", "figure", "fig", "appendix", "annex",
    "item", "paragraph", "para", "step", "level", "stage", "version", "issue", "part", "round",
    "wave", "tier", "band", "ref", "reference", "grade", "footnote", "note", "spsw",
)  # fmt: skip
TIME_UNITS = ("second", "minute", "hour", "day", "week", "fortnight", "month", "year", "decade",
              "century", "time", "times", "occasion")  # fmt: skip
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")  # fmt: skip
# Words before a spelled-out number that make it part of a name or a definite reference:
# "the two groups", "their three most important outcomes".
WORD_NUMBER_DETERMINERS = ("the", "their", "these", "those", "its", "our", "his", "her", "my",
                           "your", "all", "each", "every", "first", "last")  # fmt: skip
GROUP_WORDS = ("people", "person", "persons", "user", "users", "carer", "carers", "group",
               "groups", "adults", "children", "recipients", "holders", "participants",
               "families", "patients", "residents", "men", "women", "clients", "authorities",
               "councils")  # fmt: skip
MEASURE_DETERMINERS = ("the", "a", "an", "this", "that", "these", "those")
TRAILING_MARKS = ".,;:¹²³⁴⁵⁶⁷⁸⁹⁰ "  # footnote markers glued to a phrase's last word

_WORDNUM = (
    r"(?i:(?:" + "|".join(TENS) + r")(?:-(?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|" + "|".join(sorted((w for w in WORD_NUMBERS if w not in TENS), key=len, reverse=True)) + r")"
)
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUM = rf"(?:{_DIGITS}|{_WORDNUM})"
_START = r"(?<![\w.,/:)'’\]£$€-])"  # not glued to a word, a reference or another number
_END = r"(?![\w%/-]|[.,]\d)"
_YEAR = r"(?:19|20)\d\d"
_DATE = r"\d{1,2}/\d{1,2}/(" + _YEAR + r")"
_QUANT = r"(?i:" + "|".join(q.replace(" ", r"\s") for q in QUANTIFIERS) + r")"

MONEY_RE = re.compile(
    _START + r"£\s?(?P<num>" + _DIGITS + r")(?:\s?(?P<mag>(?i:million|billion|thousand|bn|m|k)))?(?![\w])"
    r"(?:\s(?:per|a|an)\s(?P<per>week|year|annum)\b|\s(?P<adv>weekly|annually)\b)?"
)
PERCENT_RE = re.compile(_START + r"(?P<num>" + _NUM + r")\s?(?:%|(?i:per\s?cent|percent)\b)")
RATIO_RE = re.compile(
    _START + r"(?P<num>" + _NUM + r")\s(?:out\sof|in\severy)\s(?P<den>" + _NUM + r")" + _END
)
DATE_RANGE_RE = re.compile(_START + _DATE + r"\s?(?:to|-|–|—)\s?" + _DATE + r"(?!\d)")
BETWEEN_RE = re.compile(r"\b(?:between|from)\s(" + _YEAR + r")\s(?:and|to|until)\s(" + _YEAR + r")\b")
YEAR_RANGE_RE = re.compile(_START + r"(" + _YEAR + r")\s?[-–—/]\s?(\d{4}|\d{1,2})(?![\d/])")
COUNT_RE = re.compile(
    _START + r"(?:" + _QUANT + r"\s)?(?!0\d)(?P<num>" + _NUM + r")(?:\s(?P<mag>million|billion|thousand))?"
    r"(?=\s+[A-Za-z(])(?![\w-])"
)
THERE_ARE_RE = re.compile(r"\bthere\s(?:are|were)\s(?P<num>" + _NUM + r")(?=\s?[),.;])")
# Text that holds digits but states no figure: masked before the figures are looked for.
MASK_RES = tuple(
    re.compile(p)
    for p in (
        r"(?i:https?://|www\.)\S+",
        r"(?i:\bdoi:?\s?)?\b10\.\d{4,}/\S+",
        r"\S+@\S+\.\w+",
        r"\b\d+\s?,\s?\d+\s?,\s?\d+\s?[-–]\s?\d+",  # journal volume, issue, pages
        r"\b\d+\s?\(\d+\)\s?:\s?\d+(?:[-–]\d+)?",  # volume(issue):pages
        r"\b\d{4}[a-z]?\s?:\s?\d+",  # (DH 2008: 29)
        r"(?i:\bpp?\.?\s?\d+(?:[-–]\d+)?)",  # p16, pp. 3-9
        r"^\s*[(\[]?\d+(?:\.\d+)*[.)\]]\s",  # a list marker opening the block
        r"[\[(]\d+(?:\s?[,–-]\s?\d+)*[\])]",  # (25), [3], (1, 4)
        r"\(\s?" + _YEAR + r"[a-z]?\s?\)",  # (2008) in a reference
    )
)


@dataclass(frozen=True)
class FigureSpan:
    """A figure found by the regular-expression stage; offsets are into the text searched."""

    start: int
    end: int
    value: float
    unit: str
    denominator: float | None = None
    end_value: float | None = None


def parse_number(written: str) -> float:
    """The value of a number as written: "784,224", "1.75", "Forty", "twenty-five"."""
    word = written.lower().replace(",", "")
    if word in WORD_NUMBERS:
        return float(WORD_NUMBERS[word])
    if "-" in word:
        return float(sum(WORD_NUMBERS[part] for part in word.split("-")))
    return float(word)


def end_year(start: int, written: str) -> int:
    """The end year of a range from its start and how the end is written: 2006-8, 2006-08."""
    if len(written) == 4:
        return int(written)
    base = start - start % 10 ** len(written)
    year = base + int(written)
    return year if year > start else year + 10 ** len(written)


def mask_non_figures(text: str) -> str:
    """``text`` with URLs, DOIs, reference markers and citation numbers blanked, offsets kept."""
    for pattern in MASK_RES:
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    return text


def _identifier_before(text: str, start: int) -> bool:
    words = re.findall(r"[A-Za-z]+", text[max(0, start - 20) : start])
    return bool(words) and words[-1].lower() in IDENTIFIER_WORDS and text[start - 1 : start] in " "


def _free(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    return all(end <= s or start >= e for s, e in taken)


def find_figure_spans(text: str) -> list[FigureSpan]:
    """Money, percentages, ratios, periods and count candidates in ``text``, in text order.

    A count candidate is any number before a word; ``confirm_count`` decides with spaCy.
    Earlier kinds win where matches overlap (a date range's years are not counts).
    """
    masked = mask_non_figures(text)
    found: list[FigureSpan] = []
    taken: list[tuple[int, int]] = []

    def add(span: FigureSpan) -> None:
        if _free(taken, span.start, span.end) and not _identifier_before(masked, span.start):
            found.append(span)
            taken.append((span.start, span.end))

    for m in DATE_RANGE_RE.finditer(masked):
        add(FigureSpan(m.start(), m.end(), float(m.group(1)), "period", end_value=float(m.group(2))))
    for m in MONEY_RE.finditer(masked):
        value = parse_number(m.group("num")) * MAGNITUDES.get((m.group("mag") or "").lower(), 1)
        unit = RATE_UNITS.get(m.group("per") or m.group("adv") or "", "GBP")
        add(FigureSpan(m.start(), m.end(), value, unit))
    for m in PERCENT_RE.finditer(masked):
        add(FigureSpan(m.start(), m.end(), parse_number(m.group("num")), "percent"))
    for m in RATIO_RE.finditer(masked):
        add(FigureSpan(m.start(), m.end(), parse_number(m.group("num")), "ratio", parse_number(m.group("den"))))
    for m in BETWEEN_RE.finditer(masked):
        first, last = int(m.group(1)), int(m.group(2))
        if first < last:
            add(FigureSpan(m.start(), m.end(), float(first), "period", end_value=float(last)))
    for m in YEAR_RANGE_RE.finditer(masked):
        first = int(m.group(1))
        last = end_year(first, m.group(2))
        if first < last <= first + 50:
            add(FigureSpan(m.start(), m.end(), float(first), "period", end_value=float(last)))
    for m in THERE_ARE_RE.finditer(masked):
        add(FigureSpan(m.start(), m.end(), parse_number(m.group("num")), "count"))
    for m in COUNT_RE.finditer(masked):
        value = parse_number(m.group("num")) * MAGNITUDES.get(m.group("mag") or "", 1)
        add(FigureSpan(m.start(), m.end(), value, "count"))
    return sorted(found, key=lambda f: f.start)


# --- spaCy stage: counts, measures, groups and comparisons. `doc` is the spaCy Doc of one block.


def _tokens(doc, start: int, end: int):
    return doc.char_span(start, end, alignment_mode="expand")


def _is_year(span: FigureSpan, written: str) -> bool:
    return span.value.is_integer() and 1900 <= span.value <= 2099 and written.isdigit()


def confirm_count(span: FigureSpan, doc, text: str) -> FigureSpan | None:
    """A count candidate kept, and stretched to its noun ("13 English local authorities"),
    where its number counts a following plural noun; None where it is a date, an identifier,
    a duration or a spelled-out number used as a name ("the two groups"). ``text`` is the text
    ``doc`` parses (spaCy joins its tokens anew on each ``doc.text``)."""
    if span.unit != "count" or text[span.start : span.start + 5] in ("there", "There"):
        return span
    tokens = _tokens(doc, span.start, span.end)
    number = tokens[-1]
    written = tokens.text.split()[-1]
    spelled = written.lower() in WORD_NUMBERS or "-" in written
    if spelled and (span.value == 1 or (tokens.start > 0 and doc[tokens.start - 1].lower_ in WORD_NUMBER_DETERMINERS)):
        return None
    noun = _counted_noun(number, doc)
    if number.lower_ in MAGNITUDES and (noun is None or noun.i - number.i > 4):
        return span
    if noun is None or (_is_year(span, written) and noun.tag_ not in ("NNS", "NNPS")):
        return None
    if noun.i - number.i > 4:
        return span
    return replace(span, end=noun.idx + len(_word(noun)))


def _word(token) -> str:
    """A token's text without a glued footnote marker or full stop: "people³." -> "people"."""
    return re.sub(r"[^A-Za-z'’-]+$", "", token.text)


def _counted_noun(number, doc):
    """The noun a number counts: its head when it is a following noun, or the noun after
    "of (the)" in "seven of the pilots"; None for durations, months and singular nouns."""
    head = number.head
    nxt = doc[number.i + 1] if number.i + 1 < len(doc) else None
    if nxt is not None and nxt.lower_ == "of":
        following = [t for t in doc[number.i + 2 : number.i + 5] if t.pos_ in ("NOUN", "PROPN")]
        head = following[0] if following else None
    elif number.dep_ not in ("nummod", "quantmod", "compound", "amod") or head.i <= number.i:
        return None
    if head is None or head.pos_ not in ("NOUN", "PROPN") or head.i - number.i > 6:
        return None
    if any(t.pos_ == "CCONJ" or t.text in ",;:()" for t in doc[number.i + 1 : head.i]):
        return None
    word = _word(head).lower()
    if word in TIME_UNITS or word.rstrip("s") in TIME_UNITS or word in MONTHS:
        return None
    if head.tag_ not in ("NNS", "NNPS") and not word.endswith("s") and word not in GROUP_WORDS:
        return None
    return head


COMPARE_RE = re.compile(r"(?:\bcompared\s(?:with|to)|\bversus|\bvs\.?|\bagainst|\bthan)\s*$")
FROM_RE = re.compile(r"\bfrom\s*$")
TO_RE = re.compile(r"\bto\s*$")


def _family(unit: str) -> str:
    return unit.split("/")[0]


def find_comparisons(text: str, spans: list[FigureSpan]) -> list[tuple[int, int]]:
    """Index pairs (first, second) of ``spans`` (in text order, within one sentence of ``text``)
    that the text compares: "A compared with B", "A versus B", "from A ... to B"."""
    pairs = []
    for j, second in enumerate(spans):
        earlier = [i for i in range(j) if _family(spans[i].unit) == _family(second.unit)]
        if not earlier or _family(second.unit) in ("period", "count"):
            continue
        i = earlier[-1]
        between = text[spans[i].end : second.start]
        if len(between) > 80 or any(c in between for c in ";.:"):
            continue
        if COMPARE_RE.search(between) or (TO_RE.search(between) and FROM_RE.search(text[: spans[i].start])):
            pairs.append((i, j))
    return pairs


def shared_unit(first: FigureSpan, second: FigureSpan) -> str:
    """The unit a compared pair shares: a rate stated on either applies to both."""
    return first.unit if "/" in first.unit else second.unit


GROUP_AFTER_RE = re.compile(
    r"^\s*,?\s*(?P<prep>for|among|in)\s(?P<group>[^,;:()\d][^,;:()]*?)"
    r"(?=\s*(?:[,;:()]|\.?$|\scompared\b|\sversus\b|\sbut\b|\s[-–]\s|\sas\b|\swhile\b|\swhereas\b))"
)
GROUP_BEFORE_RE = re.compile(
    r"\b(?:for|among)\s(?P<group>[A-Za-z][\w' -]*?)(?=\s(?:was|were|is|are|had|has)\b|\s?[,\-–]\s|\s*$)"
)

GROUP_GAP_RE = re.compile(r"\s*(?:(?:was|were|is|are|had|has)\s|[,\-–]\s?)?\s*")


def _is_group(phrase: str, prep: str = "for") -> bool:
    words = phrase.lower().split()
    if not words or len(words) > 8:
        return False
    if prep == "in":
        return words[-1] in ("group", "groups")
    return any(w in GROUP_WORDS for w in words)


def group_after(text: str, end: int) -> str | None:
    """The group named right after a figure: "£296 in the comparison group", "£37 per week for
    people on individual budgets"."""
    m = GROUP_AFTER_RE.match(text[end:])
    if m and _is_group(m.group("group"), m.group("prep")):
        return m.group("group").strip()
    return None


def group_before(text: str, start: int) -> str | None:
    """The group named just before a figure: "was higher for people on individual budgets -
    £18 per week"."""
    matches = [m for m in GROUP_BEFORE_RE.finditer(text[:start]) if _is_group(m.group("group"))]
    if matches and GROUP_GAP_RE.fullmatch(text[matches[-1].end() : start]):
        return matches[-1].group("group").strip()
    return None


def _phrase(tokens) -> str | None:
    words = list(tokens)
    while words and (words[0].lower_ in MEASURE_DETERMINERS or words[0].is_punct):
        words = words[1:]
    while words and words[-1].is_punct:
        words = words[:-1]
    if not words or all(w.pos_ == "PRON" for w in words):
        return None
    return "".join(w.text_with_ws for w in words).strip().rstrip(TRAILING_MARKS)


def _subtree(token, doc, stop: int):
    """Tokens of ``token``'s subtree, cut before ``stop`` (a token index) when it is inside."""
    end = token.right_edge.i + 1
    if token.left_edge.i < stop < end:
        end = stop
    return doc[token.left_edge.i : end]


def _governing_verb(token):
    while token.pos_ not in ("VERB", "AUX") and token.head.i != token.i:
        token = token.head
    return token if token.pos_ in ("VERB", "AUX") else None


def _of_object(fig, doc):
    """The "of" phrase after a share: "Forty per cent of IBs" -> the tokens "IBs"."""
    after = fig.end
    if after + 1 < len(doc) and doc[after].lower_ == "of":
        obj = doc[after + 1]
        while obj.head.i > obj.i and obj.head.i < obj.i + 4 and obj.dep_ in ("det", "amod", "compound", "nummod"):
            obj = obj.head
        return doc[after + 1 : obj.i + 1]
    return None


def _predicate(verb, after: int, doc) -> str | None:
    """What a clause says of its subject, from token ``after`` on, auxiliaries left out."""
    return _phrase([t for t in doc[after : verb.right_edge.i + 1] if t.dep_ not in ("aux", "auxpass")])


def _counted_phrase(noun, fig, doc) -> str | None:
    """What a count counts (``noun``, its last word): "13 English local authorities" ->
    "English local authorities", "almost 1000 in-depth interviews with IB users" -> "in-depth
    interviews with IB users", "seven of the pilots" -> "pilots"."""
    modifiers = [c for c in noun.rights if c.dep_ == "prep" and c.lower_ in ("with", "of", "on")]
    end = modifiers[-1].right_edge.i + 1 if modifiers else noun.i + 1
    start = max((t.i for t in fig if t.like_num or t.lower_ in MAGNITUDES or t.lower_ in ("of", "the")), default=fig.start - 1) + 1
    return _phrase(doc[min(start, noun.i) : end])


def _share_phrase(fig, of_object, doc) -> str | None:
    """What a share is of: "Forty per cent of IBs were managed by informal carers" -> "IBs
    managed by informal carers"; "In 27% of cases, the LA was managing ..." -> "cases where the
    LA was managing ..."."""
    root, verb = fig.root, _governing_verb(fig.root)
    whole = _phrase(of_object)
    if verb is None:
        return whole
    if root.dep_.startswith("nsubj"):
        return " ".join(p for p in (whole, _predicate(verb, of_object.end, doc)) if p)
    if root.dep_ == "pobj" and root.head.head == verb:
        prep = root.head
        clause = [t for t in verb.subtree if not (prep.left_edge.i <= t.i <= prep.right_edge.i)]
        rest = _phrase(clause)
        return f"{whole} where {rest}" if whole and rest else whole
    return whole


def _bracketed_phrase(fig, doc) -> str | None:
    """What a bracketed figure qualifies: "a significant proportion of cases (24%)"."""
    noun = doc[fig.start - 2]
    while noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.pos_ == "NOUN":
        noun = noun.head.head
    return _phrase(doc[noun.left_edge.i : fig.start - 1])


def _subject_phrase(fig, doc) -> str | None:
    """The subject of the clause a figure sits in, or what the clause says when the figure is
    the subject ("9 out of 130 were clear about this" -> "clear about this")."""
    verb = _governing_verb(fig.root)
    if verb is None:
        return None
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if subjects and subjects[0].left_edge.i <= fig.root.i <= subjects[0].right_edge.i:
        complements = [c for c in verb.children if c.dep_ in ("acomp", "attr", "dobj", "oprd", "xcomp")]
        return _phrase(doc[complements[0].left_edge.i : complements[0].right_edge.i + 1]) if complements else None
    return _phrase(_subtree(subjects[0], doc, fig.start)) if subjects else None


def measure_of(fig, doc, unit: str) -> str | None:
    """The noun phrase ``fig`` (a spaCy span of a figure with ``unit``) measures, from the
    dependency parse of its sentence."""
    root = fig.root
    if unit == "count" and fig[-1].pos_ in ("NOUN", "PROPN") and not fig[-1].like_num:
        return _counted_phrase(fig[-1], fig, doc)
    of_object = _of_object(fig, doc)
    if of_object is not None:
        return _share_phrase(fig, of_object, doc)
    if fig.start >= 2 and doc[fig.start - 1].text == "(" and doc[fig.start - 2].pos_ == "NOUN":
        return _bracketed_phrase(fig, doc)
    if root.dep_ in ("nummod", "compound", "amod", "quantmod") and fig.end <= root.head.i and root.head.pos_ == "NOUN":
        head = root.head
        return _phrase(doc[fig.end : (head.right_edge.i if head.right_edge.i - head.i <= 6 else head.i) + 1])
    verb = _governing_verb(root)
    if verb is not None and verb.dep_ == "relcl" and verb.head.i < fig.start:
        return _phrase(doc[verb.head.left_edge.i : verb.head.i + 1])
    return _subject_phrase(fig, doc)


def split_group(measure: str | None) -> tuple[str | None, str | None]:
    """A measure with its trailing "for <group>" split off: ("average cost of support plans",
    "people with individual budgets")."""
    if measure is None:
        return None, None
    head, sep, tail = measure.rpartition(" for ")
    if sep and head and _is_group(tail):
        return head, tail
    return measure, None


# --- Putting it together.


def _sentence_of(sentences: list[Segment], starts: list[int], offset: int) -> Segment | None:
    i = bisect.bisect_right(starts, offset) - 1
    return sentences[i] if i >= 0 and sentences[i].start <= offset < sentences[i].end else None


def _block_figures(parsed: ParsedDocument, block, doc, sentences, starts) -> list[Figure]:
    block_text = parsed.text[block.start : block.end]
    spans = [s for s in (confirm_count(c, doc, block_text) for c in find_figure_spans(block_text)) if s is not None]
    by_sentence: dict[Segment | None, list[FigureSpan]] = {}
    for span in spans:
        by_sentence.setdefault(_sentence_of(sentences, starts, block.start + span.start), []).append(span)
    figures: list[Figure] = []
    for sentence, members in by_sentence.items():
        figures.extend(describe_figures(parsed, block.start, doc, sentence, members))
    return figures


def figure_groups(text: str, spans: list[FigureSpan], split_groups: list[str | None],
                  pairs: list[tuple[int, int]]) -> list[str | None]:  # fmt: skip
    """The group of each of ``spans`` in one sentence ``text``: named after the figure, or
    split off its measure; a compared pair each get their own, and a pair naming none takes the
    groups of the pair before it ("... £37 for people on individual budgets compared with £70
    for the comparison group, but ... £100 compared with £52")."""
    groups = [g or group_after(text, s.end) for s, g in zip(spans, split_groups)]
    previous: tuple[str | None, str | None] = (None, None)
    for i, j in pairs:
        groups[i] = group_after(text, spans[i].end) or group_before(text, spans[i].start) or split_groups[i]
        groups[j] = group_after(text, spans[j].end)
        if groups[i] is None and groups[j] is None:
            groups[i], groups[j] = previous
        previous = (groups[i], groups[j])
    return groups


def describe_figures(parsed: ParsedDocument, offset: int, doc, sentence: Segment | None,
                     spans: list[FigureSpan]) -> list[Figure]:  # fmt: skip
    """``Figure`` records for the ``spans`` of one sentence (offsets relative to ``offset``, the
    start of the block ``doc`` parses): measure, group and comparator filled in. A compared
    pair share the first one's measure and the rate unit either states."""
    sent_start = sentence.start - offset if sentence else 0
    sent_text = parsed.text[sentence.start : sentence.end] if sentence else doc.text
    local = [replace(s, start=s.start - sent_start, end=s.end - sent_start) for s in spans]
    pairs = find_comparisons(sent_text, local)
    measures = [split_group(measure_of(_tokens(doc, s.start, s.end), doc, s.unit)) for s in spans]
    groups = figure_groups(sent_text, local, [g for _, g in measures], pairs)
    partner = {i: j for i, j in pairs} | {j: i for i, j in pairs}
    figures = []
    for k, span in enumerate(spans):
        other = partner.get(k)
        first, second = sorted((k, k if other is None else other))
        start, end = offset + span.start, offset + span.end
        figures.append(
            Figure(
                doc_id=parsed.doc_id,
                start=start,
                end=end,
                text=parsed.text[start:end],
                value=span.value,
                unit=shared_unit(spans[first], spans[second]),
                measure=measures[first][0],
                group=groups[k],
                comparator=None if other is None else (offset + spans[other].start, offset + spans[other].end),
                sentence=(sentence.start, sentence.end) if sentence else None,
                denominator=span.denominator,
                end_value=span.end_value,
            )
        )
    return figures


def extract_figures(parsed: ParsedDocument) -> list[Figure]:
    """Every figure stated in the parsed text blocks of ``parsed``, in text order."""
    sentences = sorted(parsed.segmented.sentences, key=lambda s: s.start)
    starts = [s.start for s in sentences]
    figures: list[Figure] = []
    for block, doc in parsed.block_docs:
        figures.extend(_block_figures(parsed, block, doc, sentences, starts))
    return sorted(figures, key=lambda f: f.start)
