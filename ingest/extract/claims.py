"""Claim extraction: the sentences of a parsed document that state a finding, a concern, a
recommendation or a caveat, with the population groups they are about, whether they are hedged,
and the actor they are attributed to. The kind comes from the nearest context that gives one: a
lead-in sentence ending in a colon for the list items under it ("identified concerns about:"),
then a section heading ("Caveats", "Findings about carers"), then the earliest cue phrase in the
sentence; a hedged sentence with no other cue is a finding. Headings, reference lists, URLs,
questions, verbless list fragments and sentences describing the document itself are not claims.
Populations come from the lexicon's wordings in the sentence, its section heading and its
lead-in; a sentence naming no topic group (people who use or give care) takes those named earlier
in its paragraph. Attribution takes the first of: the actor named as the subject of a sentence
whose main clause carries the cue ("APSE has substantial reservations"), the lead-in's, an actor
named in the section heading, the study the section mentions most, the document's study for a
findings section, a study named in the document title, and the document's own voice (its
publisher, else the organisation most often the subject of its sentences, else its institution);
a section speaking for the author (a REF impact section) skips the studies. The lexicon is data:
``ingest/data/populations.toml``.
"""

from __future__ import annotations

import bisect
import functools
import re
import tomllib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..records import ActorMention, Block, Claim, ParsedDocument, Segment

if TYPE_CHECKING:  # annotations only: importing spaCy would cost every command that reads the lexicon most of a second
    from spacy.tokens import Span, Token

LEXICON_PATH = Path(__file__).resolve().parent.parent / "data" / "populations.toml"
CLAIM_KINDS = ("finding", "concern", "recommendation", "caveat")
SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
MAIN_CLAUSE_DEPS = ("dobj", "acomp", "attr", "oprd", "xcomp", "aux", "auxpass")  # a cue here is the main verb's
VERB_TAGS = ("VERB", "AUX")
MIN_WORDS = 3
_URL = re.compile(r"(?:https?://|www\.)\S+")


@dataclass(frozen=True)
class Population:
    """A population group and the wordings the documents use for it."""

    key: str
    label: str
    terms: tuple[str, ...]
    topic: bool = False  # people who use or give care, as against staff, providers, councils


@dataclass(frozen=True)
class ClaimLexicon:
    """Populations and cue phrases, as read from the lexicon file."""

    populations: tuple[Population, ...]
    kind_cues: tuple[tuple[str, tuple[str, ...]], ...]  # (kind, cues), in the order of precedence
    hedges: tuple[str, ...]
    not_hedges: tuple[str, ...]
    descriptive: tuple[str, ...]
    section_kinds: tuple[tuple[str, tuple[str, ...]], ...]  # (kind, heading words)
    skip_sections: tuple[str, ...]
    own_voice_sections: tuple[str, ...]
    study_keys: frozenset[str]

    @functools.cached_property
    def population_terms(self) -> tuple[str, ...]:
        """Every wording of every population: most sentences hold none, and one search says so."""
        return tuple(term for population in self.populations for term in population.terms)


@dataclass(frozen=True)
class _Cue:
    kind: str
    text: str  # as written in the sentence
    start: int  # offset in the sentence


@dataclass(frozen=True)
class _LeadIn:
    """What a sentence ending in a colon passes to the list items under it."""

    cue: _Cue | None
    populations: tuple[str, ...]
    source: str | None


@dataclass(frozen=True)
class _DocumentSources:
    """Document-wide fallbacks for attribution."""

    document_study: str | None  # the study the document mentions most
    title_study: str | None  # a study named in the document title
    voice: str | None  # the actor the document speaks for


@dataclass(frozen=True)
class _Sentence:
    segment: Segment
    block: Block
    span: Span
    text: str  # stripped


def load_lexicon(path: str | Path | None = None) -> ClaimLexicon:
    """Read the lexicon file (by default ``ingest/data/populations.toml``)."""
    data = tomllib.loads(Path(path or LEXICON_PATH).read_text(encoding="utf-8"))
    cues = {entry["kind"]: tuple(entry["cues"]) for entry in data.get("claim_cue", [])}
    return ClaimLexicon(
        populations=tuple(
            Population(p["key"], p["label"], tuple(p["terms"]), p.get("topic", False)) for p in data.get("population", [])
        ),
        kind_cues=tuple((kind, words) for kind, words in cues.items() if kind in CLAIM_KINDS),
        hedges=cues.get("hedge", ()),
        not_hedges=cues.get("not_hedge", ()),
        descriptive=cues.get("descriptive", ()),
        section_kinds=tuple((kind, tuple(words)) for kind, words in data.get("section_kinds", {}).items()),
        skip_sections=tuple(data.get("skip_sections", ())),
        own_voice_sections=tuple(data.get("own_voice_sections", ())),
        study_keys=frozenset(data.get("study_keys", ())),
    )


def extract_claims(parsed: ParsedDocument, mentions: list[ActorMention], lexicon: ClaimLexicon) -> list[Claim]:
    """The claims of ``parsed``, in document order; ``mentions`` are its actor mentions."""
    segmented = parsed.segmented
    mentions = sorted(mentions, key=lambda m: m.start)
    sentences = list(_sentences(parsed))
    sources = _DocumentSources(
        _most_mentioned_study(mentions, 0, len(segmented.text), lexicon),
        _title_study(parsed, mentions, lexicon),
        _document_voice(parsed, sentences, mentions),
    )
    claims: list[Claim] = []
    lead_in: _LeadIn | None = None
    topics: tuple[str, ...] = ()  # topic groups named so far in the paragraph
    for i, sentence in enumerate(sentences):
        new_block = i == 0 or sentences[i - 1].block != sentence.block
        if new_block and sentence.block.kind != "list-item":
            lead_in = None
        own_populations = populations_in(sentence.text, lexicon)
        own_topics = _topics(own_populations, lexicon)
        inherited = () if new_block or own_topics else topics
        topics = _merge(own_topics, () if new_block else topics, lexicon=lexicon)
        section = segmented.section_of(sentence.segment.start)
        title = section.title if section else None
        if sentence.text.endswith(":"):
            cue = _earliest_cue(sentence.text, lexicon)
            lead_in = _LeadIn(cue, own_populations, _claimant(sentence, cue, mentions))
            continue
        carried = lead_in if sentence.block.kind == "list-item" else None
        cue = _claim_cue(sentence, title, carried, lexicon)
        if cue is None:
            continue
        source = (
            _claimant(sentence, cue, mentions)
            or (carried.source if carried else None)
            or _section_source(section, mentions, lexicon, sources)
        )
        claims.append(
            Claim(
                doc_id=parsed.doc_id,
                start=sentence.segment.start,
                end=sentence.segment.start + len(sentence.text),
                text=sentence.text,
                kind=cue.kind,
                populations=_merge(
                    own_populations,
                    inherited,
                    populations_in(title or "", lexicon),
                    carried.populations if carried else (),
                    lexicon=lexicon,
                ),
                attributed_to=source,
                section=title,
                hedged=_hedge(sentence.text, lexicon) is not None,
                cue=cue.text,
            )
        )
    return claims


def populations_in(text: str, lexicon: ClaimLexicon) -> tuple[str, ...]:
    """Keys of the populations whose wordings occur in ``text``, in lexicon order."""
    if not _occurs(text, lexicon.population_terms):
        return ()
    return tuple(p.key for p in lexicon.populations if _occurs(text, p.terms))


@functools.lru_cache(maxsize=None)
def _pattern(term: str) -> re.Pattern[str]:
    """A whole-word pattern for ``term``; case matters only if the term has capitals."""
    flags = 0 if any(c.isupper() for c in term) else re.IGNORECASE
    return re.compile(_whole_words(_words(term)), flags)


def _words(term: str) -> str:
    return r"\s+".join(re.escape(word) for word in term.split())


def _whole_words(body: str) -> str:
    """``body`` matched only as whole words (a possessive allowed): the word-boundary checks sit
    outside any alternation in ``body``, so a search tries the alternatives only at word starts."""
    return rf"(?<![\w-])(?:{body})(?:['’]s?)?(?![\w-])"


@functools.lru_cache(maxsize=None)
def _terms_patterns(terms: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """One alternation per case rule, longest terms first, so one search finds the earliest
    (then longest) occurrence of any term that follows that rule."""
    patterns = []
    for cased in (False, True):
        group = sorted((t for t in terms if any(c.isupper() for c in t) == cased), key=len, reverse=True)
        if group:
            patterns.append(re.compile(_whole_words("|".join(_words(t) for t in group)), 0 if cased else re.IGNORECASE))
    return tuple(patterns)


def _occurs(text: str, terms: tuple[str, ...]) -> bool:
    """Whether any of ``terms`` occurs in ``text``."""
    return any(pattern.search(text) for pattern in _terms_patterns(terms))


def _first_match(text: str, terms: tuple[str, ...]) -> re.Match[str] | None:
    """The earliest (then longest) occurrence in ``text`` of any of ``terms``."""
    found = [m for pattern in _terms_patterns(terms) if (m := pattern.search(text))]
    return min(found, key=lambda m: (m.start(), -len(m.group())), default=None)


def _sentences(parsed: ParsedDocument) -> Iterator[_Sentence]:
    """Each sentence with its block and its span of the block's spaCy doc, in document order."""
    text = parsed.segmented.text
    segments = sorted(parsed.segmented.sentences, key=lambda s: s.start)
    starts = [s.start for s in segments]
    for block, doc in sorted(parsed.block_docs, key=lambda pair: pair[0].start):
        for segment in segments[bisect.bisect_left(starts, block.start) : bisect.bisect_left(starts, block.end)]:
            span = doc.char_span(segment.start - block.start, segment.end - block.start, alignment_mode="expand")
            if span is not None:
                yield _Sentence(segment, block, span, segment.quote(text).strip())


def _claim_cue(sentence: _Sentence, title: str | None, carried: _LeadIn | None, lexicon: ClaimLexicon) -> _Cue | None:
    """The cue that makes the sentence a claim of its kind, or None if it is not a claim."""
    if title and _first_match(title, lexicon.skip_sections):
        return None
    if not _is_statement(sentence.text, lexicon):
        return None
    if carried and carried.cue:
        return _Cue(carried.cue.kind, carried.cue.text, -1)
    if not _has_verb(sentence.span):
        return None
    section_kind = _section_kind(title, lexicon)
    if section_kind:
        return _Cue(section_kind, title, -1)
    own = _earliest_cue(sentence.text, lexicon)
    if own:
        return own
    hedge = _hedge(sentence.text, lexicon)
    return _Cue("finding", hedge.group(), hedge.start()) if hedge else None


def _hedge(text: str, lexicon: ClaimLexicon) -> re.Match[str] | None:
    """The first hedge in ``text`` that is not part of a comparison ("less likely to")."""
    if not _occurs(text, lexicon.hedges):
        return None
    comparisons = [m.span() for term in lexicon.not_hedges for m in _pattern(term).finditer(text)]
    hedges = [
        m
        for term in lexicon.hedges
        for m in _pattern(term).finditer(text)
        if not any(start <= m.start() < end for start, end in comparisons)
    ]
    return min(hedges, key=lambda m: m.start(), default=None)


def _is_statement(text: str, lexicon: ClaimLexicon) -> bool:
    """Not a question, a lead-in, a bare URL or a sentence about the document itself."""
    return (
        not text.endswith(("?", ":"))
        and len(_URL.sub(" ", text).split()) >= MIN_WORDS
        and _first_match(text, lexicon.descriptive) is None
    )


def _has_verb(span: Span) -> bool:
    return any(token.pos_ in VERB_TAGS for token in span)


def _earliest_cue(text: str, lexicon: ClaimLexicon) -> _Cue | None:
    """The earliest cue in ``text`` of any kind (at the same place, the longest, then the kind
    listed first): "identified concerns" is a concern, "reported lower well-being" a finding."""
    found = [
        (match.start(), -len(match.group()), rank, _Cue(kind, match.group(), match.start()))
        for rank, (kind, cues) in enumerate(lexicon.kind_cues)
        if (match := _first_match(text, cues))
    ]
    return min(found, key=lambda item: item[:3])[3] if found else None


def _section_kind(title: str | None, lexicon: ClaimLexicon) -> str | None:
    if not title:
        return None
    return next((kind for kind, words in lexicon.section_kinds if _first_match(title, words)), None)


def _topics(populations: tuple[str, ...], lexicon: ClaimLexicon) -> tuple[str, ...]:
    return tuple(p.key for p in lexicon.populations if p.topic and p.key in populations)


def _merge(*groups: tuple[str, ...], lexicon: ClaimLexicon) -> tuple[str, ...]:
    keys = set().union(*groups)
    return tuple(p.key for p in lexicon.populations if p.key in keys)


def _subjects(span: Span) -> Iterator[Token]:
    root = span.root  # spaCy finds it anew on every call
    return (token for token in span if token.dep_ in SUBJECT_DEPS and token.head == root)


def _actor_in(token: Token, block: Block, mentions: list[ActorMention]) -> ActorMention | None:
    """The first actor (not a place) mentioned in the phrase ``token`` heads."""
    start = block.start + token.left_edge.idx
    end = block.start + token.right_edge.idx + len(token.right_edge)
    return next((m for m in mentions if m.actor_type != "place" and start <= m.start < end), None)


def _claimant(sentence: _Sentence, cue: _Cue | None, mentions: list[ActorMention]) -> str | None:
    """The actor named as subject when the cue sits in the main clause: "APSE has substantial
    reservations", "IBSEN findings on ... were problematic"."""
    if cue is None or cue.start < 0:
        return None
    span = sentence.span
    offset = sentence.segment.start - sentence.block.start + cue.start
    cue_token = next((t for t in span if t.idx <= offset < t.idx + len(t) + 1), None)
    if cue_token is None:
        return None
    for subject in _subjects(span):
        in_subject = subject.left_edge.i <= cue_token.i <= subject.right_edge.i
        in_main_clause = cue_token == span.root or (cue_token.head == span.root and cue_token.dep_ in MAIN_CLAUSE_DEPS)
        if in_subject or in_main_clause:
            actor = _actor_in(subject, sentence.block, mentions)
            if actor:
                return actor.key
    return None


def _is_study(mention: ActorMention, lexicon: ClaimLexicon) -> bool:
    return mention.actor_type == "study" or mention.key in lexicon.study_keys


def _title_actors(title: str, heading_start: int, mentions: list[ActorMention]) -> list[ActorMention]:
    """Actors named in a heading: mentioned inside it, or mentioned elsewhere in words it contains."""
    heading_end = heading_start + len(title)
    return [
        m
        for m in mentions
        if m.actor_type != "place"
        and (heading_start <= m.start < heading_end or _as_words(m.text).search(title))
    ]


@functools.lru_cache(maxsize=8192)  # a document's names are looked for in each of its headings
def _as_words(name: str) -> re.Pattern:
    """``name`` as a pattern matching it as whole words."""
    return re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")


def _most_mentioned_study(mentions: list[ActorMention], start: int, end: int, lexicon: ClaimLexicon) -> str | None:
    counts = Counter(m.key for m in mentions if start <= m.start < end and _is_study(m, lexicon))
    return counts.most_common(1)[0][0] if counts else None


def _section_source(
    section: Segment | None, mentions: list[ActorMention], lexicon: ClaimLexicon, sources: _DocumentSources
) -> str | None:
    """Whom a claim of ``section`` is attributed to when the sentence itself names no one."""
    title = section.title if section else None
    named = _title_actors(title, section.start, mentions) if section and title else []
    studies = [m for m in named if _is_study(m, lexicon)]
    if studies or named:
        return (studies or named)[0].key
    if title and _first_match(title, lexicon.own_voice_sections):
        return sources.voice
    return (
        (_most_mentioned_study(mentions, section.start, section.end, lexicon) if section else None)
        or (sources.document_study if _section_kind(title, lexicon) == "finding" else None)
        or sources.title_study
        or sources.voice
    )


def _title_study(parsed: ParsedDocument, mentions: list[ActorMention], lexicon: ClaimLexicon) -> str | None:
    """A study named in the document's title (its metadata title, or its first heading)."""
    segmented = parsed.segmented
    first = segmented.sections[0] if segmented.sections else None
    titles = [(segmented.read.metadata.title, -1), (first.title, first.start) if first else (None, -1)]
    for title, start in titles:
        if title:
            studies = [m for m in _title_actors(title, start, mentions) if _is_study(m, lexicon)]
            if studies:
                return studies[0].key
    return None


def _document_voice(parsed: ParsedDocument, sentences: list[_Sentence], mentions: list[ActorMention]) -> str | None:
    """Who the document speaks for: its publisher, else the organisation most often the subject
    of its sentences (a REF case study's research unit), else its institution."""
    metadata = parsed.segmented.read.metadata
    if metadata.publisher:
        return _actor_key(metadata.publisher, mentions)
    subjects = Counter(
        actor.key
        for sentence in sentences
        for subject in _subjects(sentence.span)
        if (actor := _actor_in(subject, sentence.block, mentions)) and actor.actor_type == "organisation"
    )
    if subjects:
        return subjects.most_common(1)[0][0]
    institution = dict(metadata.extra).get("institution")
    return _actor_key(institution, mentions) if institution else None


def _actor_key(name: str, mentions: list[ActorMention]) -> str:
    """The key of the mentioned actor called ``name``, else ``name`` as a key."""
    wanted = name.casefold()
    actor = next((m for m in mentions if wanted in (m.text.casefold(), m.label.casefold())), None)
    return actor.key if actor else re.sub(r"[^a-z0-9]+", "-", wanted).strip("-")
