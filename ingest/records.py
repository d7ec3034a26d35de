"""Records passed between the ingestion stages, as plain dataclasses.

The flow is: a reader turns a file into a ``ReadDocument``; normalisation turns that into a
``CanonicalText`` (the text every offset indexes, with an offset map back to what was read, and
the block structure it recognised); segmentation turns that into ``Segment`` spans (sections,
paragraphs, sentences); extractors turn a ``ParsedDocument`` into actors, figures, claims and
citations. Every span is ``[start, end)`` into the canonical text.
"""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass, field


@dataclass(frozen=True)
class DocumentMetadata:
    """What is known about a document. Unknown stays ``None``: nothing is invented."""

    title: str | None = None
    doc_type: str | None = None  # briefing, evaluation-summary, ref-impact-case-study, report
    publisher: str | None = None
    date: str | None = None  # as the document states it: "2009-04", "2013"
    source_url: str | None = None
    authors: tuple[str, ...] = ()
    extra: tuple[tuple[str, str], ...] = ()  # further stated facts, e.g. ("institution", "University of York")


@dataclass(frozen=True)
class Heading:
    """A heading a structured reader already knows (a REF field label, an HTML <h2>)."""

    start: int
    end: int
    level: int = 1


@dataclass
class ReadDocument:
    """What a reader returns: the decoded text of one document and what is known about it."""

    doc_id: str
    source_path: str  # the file read; for a record inside a file, "file#record-id"
    sha256: str  # of the bytes the document came from (the file, or the record's line)
    media_type: str  # text/plain, text/markdown, text/html, application/pdf, ...
    text: str  # the decoded text as read, before normalisation
    metadata: DocumentMetadata = field(default_factory=DocumentMetadata)
    headings: list[Heading] = field(default_factory=list)
    hard_wrapped: bool | None = None  # None: let normalisation decide


@dataclass
class OffsetMap:
    """Maps offsets in the canonical text back to offsets in the text as read.

    Stored as runs: canonical offset ``canon[i]`` corresponds to read offset ``read[i]``, and
    the run continues one-for-one while ``copied[i]`` is true; a replaced run (a decoded entity,
    a joined line break) maps every one of its characters to the run's read offset.
    """

    canon: list[int] = field(default_factory=list)
    read: list[int] = field(default_factory=list)
    copied: list[bool] = field(default_factory=list)

    def add_run(self, canon_start: int, read_start: int, copied: bool) -> None:
        """Start a run at ``canon_start``; a copied run that carries on the copied run before it
        (the same shift between the two texts) extends that run instead."""
        if copied and self.copied and self.copied[-1] and canon_start - self.canon[-1] == read_start - self.read[-1]:
            return
        self.canon.append(canon_start)
        self.read.append(read_start)
        self.copied.append(copied)

    def to_read(self, offset: int) -> int:
        """The offset in the text as read that canonical ``offset`` came from."""
        i = bisect.bisect_right(self.canon, offset) - 1
        if i < 0:
            return 0
        if self.copied[i]:
            return self.read[i] + (offset - self.canon[i])
        return self.read[i]

    def encode(self) -> str:
        """A compact text form (``canon:read:c|r;...``) for storing beside the text."""
        return ";".join(
            f"{c}:{r}:{'c' if k else 'r'}" for c, r, k in zip(self.canon, self.read, self.copied)
        )

    @classmethod
    def decode(cls, encoded: str) -> "OffsetMap":
        runs = cls()
        for part in filter(None, encoded.split(";")):
            c, r, k = part.split(":")
            runs.add_run(int(c), int(r), k == "c")
        return runs


@dataclass(frozen=True)
class Block:
    """A block of canonical text recognised by normalisation."""

    kind: str  # heading, paragraph, list-item, table-row, footnote
    start: int
    end: int
    level: int = 1


@dataclass
class CanonicalText:
    """The canonical text of a document: what every offset in the knowledge base indexes."""

    text: str
    offsets: OffsetMap
    blocks: list[Block]


@dataclass(frozen=True)
class Segment:
    """A section, paragraph or sentence as a span of the canonical text."""

    kind: str  # section, paragraph, sentence
    start: int
    end: int
    title: str | None = None  # sections: their heading
    section_start: int | None = None  # paragraphs and sentences: the start of their section

    def quote(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass
class SegmentedDocument:
    """A read document with its canonical text and its segments."""

    read: ReadDocument
    canonical: CanonicalText
    sections: list[Segment]
    paragraphs: list[Segment]
    sentences: list[Segment] = field(default_factory=list)

    @property
    def doc_id(self) -> str:
        return self.read.doc_id

    @property
    def text(self) -> str:
        return self.canonical.text

    def sentence_at(self, offset: int) -> Segment | None:
        """The sentence containing ``offset``, if any."""
        starts = [s.start for s in self.sentences]
        i = bisect.bisect_right(starts, offset) - 1
        if i >= 0 and self.sentences[i].start <= offset < self.sentences[i].end:
            return self.sentences[i]
        return None

    @functools.cached_property
    def _section_starts(self) -> list[int]:
        return [s.start for s in self.sections]

    def section_of(self, offset: int) -> Segment | None:
        """The innermost section containing ``offset``."""
        i = bisect.bisect_right(self._section_starts, offset) - 1
        while i >= 0:
            if self.sections[i].start <= offset < self.sections[i].end:
                return self.sections[i]
            i -= 1
        return None


@dataclass
class ParsedDocument:
    """A segmented document with spaCy's analysis of each text block.

    ``block_docs`` pairs each non-heading block with the spaCy ``Doc`` of its text; a token's
    offset in the canonical text is ``block.start + token.idx``.
    """

    segmented: SegmentedDocument
    block_docs: list = field(default_factory=list)  # list[tuple[Block, spacy.tokens.Doc]]

    @property
    def doc_id(self) -> str:
        return self.segmented.doc_id

    @property
    def text(self) -> str:
        return self.segmented.text


# --- Extracted records. Each names its document and its [start, end) span of the canonical text.


@dataclass(frozen=True)
class Figure:
    """A quantity the text states: "£279 per week", "Forty per cent", "9 out of 130", "2005-2008"."""

    doc_id: str
    start: int
    end: int
    text: str  # the figure as written
    value: float  # the number: 279, 40, 9, 2005 (a period's first year)
    unit: str  # GBP, GBP/week, GBP/year, percent, count, ratio, period
    measure: str | None = None  # what it measures: "average cost of support plans"
    group: str | None = None  # whom it is for: "people with individual budgets"
    comparator: tuple[int, int] | None = None  # span of the figure it is compared with
    sentence: tuple[int, int] | None = None  # span of the sentence it sits in
    denominator: float | None = None  # ratios: 130 in "9 out of 130"
    end_value: float | None = None  # periods and ranges: 2008 in "2005-2008"


@dataclass(frozen=True)
class Grant:
    """A grant the text states: funder, amount, period and title."""

    doc_id: str
    start: int
    end: int
    text: str
    funder: str | None
    amount: float | None
    currency: str | None
    period: str | None
    title: str | None


@dataclass(frozen=True)
class CitationEntry:
    """An entry of a reference list, a corroborating-source list or a footnote."""

    doc_id: str
    list_kind: str  # references, sources, footnotes
    n: str | None  # its number or letter as written ("1", "A", "3.1"); None if unnumbered
    start: int
    end: int
    text: str
    authors: tuple[str, ...] = ()
    year: str | None = None
    title: str | None = None
    container: str | None = None  # journal, series or book
    publisher: str | None = None
    doi: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Pointer:
    """An in-text pointer to a citation: "(DH, 2008)1", "(25)", "¹", "(Routledge and Carr 2013)"."""

    doc_id: str
    marker: str  # as written: "1", "25", "¹", "Routledge and Carr 2013"
    start: int
    end: int
    style: str  # glued-number, bracketed-number, superscript, author-year
    list_kind: str | None = None  # which list it points into
    target: str | None = None  # the entry's n, or None when the list is not in the document


@dataclass(frozen=True)
class ActorMention:
    """A mention of an organisation, person or place, with the key of the entity it names."""

    doc_id: str
    start: int
    end: int
    text: str
    actor_type: str  # person, organisation, place
    key: str  # the merged entity's normalised key, e.g. "department-of-health"
    label: str  # the entity's preferred label
    method: str  # gazetteer, acronym-definition, pattern, spacy-ner, reference-list


@dataclass(frozen=True)
class ActorRole:
    """A relation the text states between actors: SPRU led IBSEN, DH funded the pilots."""

    doc_id: str
    subject_key: str
    role: str  # led, co-ordinated, funded, commissioned, published, visited, managed
    object_key: str | None
    object_text: str
    sentence: tuple[int, int]


@dataclass(frozen=True)
class TopicMention:
    """A topic a claim concerns and the wording (or "section: <heading>") that named it."""

    topic: str  # a topic key from ingest/data/topics.toml
    cue: str


@dataclass(frozen=True)
class Judgement:
    """What a claim says about one population on one topic, with the words behind each part."""

    population: str
    topic: str
    direction: str  # better, worse, no difference, mixed, descriptive
    direction_cue: str | None  # None: no cue, so descriptive
    topic_cue: str
    population_cue: str | None = None  # set when a wording implies the population rather than naming it


@dataclass(frozen=True)
class ClaimAssessment:
    """A claim classified for the evidence map (ingest/extract/evidence.py)."""

    evidence_kind: str  # trial or evaluation finding, survey, staff or provider report, commentary or opinion, guidance
    evidence_cue: str
    topics: tuple[TopicMention, ...] = ()
    judgements: tuple[Judgement, ...] = ()


@dataclass(frozen=True)
class Claim:
    """A sentence-level statement: a finding, concern, recommendation or caveat."""

    doc_id: str
    start: int
    end: int
    text: str
    kind: str  # finding, concern, recommendation, caveat
    populations: tuple[str, ...] = ()
    attributed_to: str | None = None  # an actor key
    section: str | None = None
    hedged: bool = False
    cue: str | None = None  # the words that decided the kind
    assessment: ClaimAssessment | None = None  # topics, directions and evidence kind, for the evidence map


@dataclass
class ExtractedDocument:
    """Everything ingestion knows about one document, ready for the graph and index writers."""

    segmented: SegmentedDocument
    pipeline: str  # software and model versions, recorded in provenance
    started: str  # ISO 8601 times of the ingest activity
    ended: str
    actors: list[ActorMention] = field(default_factory=list)
    roles: list[ActorRole] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    grants: list[Grant] = field(default_factory=list)
    citations: list[CitationEntry] = field(default_factory=list)
    pointers: list[Pointer] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)

    @property
    def doc_id(self) -> str:
        return self.segmented.doc_id
